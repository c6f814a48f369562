//! `register_keeper`: stakes lamports and creates the Keeper PDA. The stake is moved into the
//! PDA (above its rent) in the same System Program `CreateAccount`, and added to
//! `Config.total_active_stake`. The keeper gets the next index (`Config.keeper_count`, a count
//! of registrations that sizes nothing).
//!
//! The stake must be at least `Config.min_keeper_stake` (and non-zero; `InsufficientStake`):
//! every registration, and so every keeper that can vote, locks real stake until it withdraws.
//!
//! The PDA is checked at the bump the caller names (one hash: a fixed cost whatever the
//! authority's key; see `state::keeper` for why canonical bumps are not needed here).
//!
//! Accounts:
//! 0. `[signer, writable]` authority: pays rent + stake, becomes `Keeper.authority`.
//! 1. `[writable]` keeper: PDA `["keeper", authority, [bump]]`, must not exist yet.
//! 2. `[writable]` config: PDA `["config"]`.
//! 3. `[]` system program.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u64 | stake (lamports, `>= Config.min_keeper_stake` and > 0) |
//! | 8 | u8 | bump of the keeper PDA (the SDK passes the canonical one) |
//!
//! Emits `KeeperRegistered { authority, stake, total_active_stake }`.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::KeeperRegistered;
use crate::state::keeper::KEEPER_SEED;
use crate::state::{init_view_mut, load_mut, AccountLayout, Config, Keeper};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `register_keeper`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let stake = r.u64()?;
    let bump = r.u8()?;
    r.finish()?;
    let ([authority, keeper, config, system_program], _) = checks::take_accounts::<4>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(keeper)?;
    checks::system_program(system_program)?;
    let mut config = load_mut::<Config>(config, program_id)?;
    if stake == 0 || stake < config.min_keeper_stake {
        return Err(ContinuumError::InsufficientStake.into());
    }
    let total = config
        .total_active_stake
        .checked_add(stake)
        .ok_or(ContinuumError::Overflow)?;
    let index = u32::try_from(config.keeper_count).map_err(|_| ContinuumError::Overflow)?;
    let keeper_count = config
        .keeper_count
        .checked_add(1)
        .ok_or(ContinuumError::Overflow)?;
    let authority_key = authority.address().to_bytes();
    let slot = sys::clock()?.slot;
    checks::create_pda_at_bump(
        &NewPda {
            payer: authority,
            account: keeper,
            seeds: &[&authority_key],
            space: Keeper::LEN as u64,
            extra_lamports: stake,
            // The named bump (`create_pda_at_bump` does not search).
            min_bump: bump,
        },
        KEEPER_SEED,
        program_id,
    )?;
    let mut data = keeper.try_borrow_mut()?;
    let state = init_view_mut::<Keeper>(&mut data)?;
    state.authority = authority_key;
    state.stake = stake;
    state.registered_slot = slot;
    state.index = index;
    state.active = 1;
    state.bump = bump;
    config.total_active_stake = total;
    config.keeper_count = keeper_count;
    KeeperRegistered {
        authority: authority_key,
        stake,
        total_active_stake: total,
    }
    .emit();
    Ok(())
}
