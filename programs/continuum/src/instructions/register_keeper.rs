//! `register_keeper`: stakes lamports and creates the Keeper PDA. The stake is moved into the
//! PDA (above its rent) in the same System Program `CreateAccount`, and added to
//! `Config.total_active_stake`.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: pays rent + stake, becomes `Keeper.authority`.
//! 1. `[writable]` keeper: PDA `["keeper", authority]` (canonical bump), must not exist yet.
//! 2. `[writable]` config: PDA `["config"]`.
//! 3. `[]` system program.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u64 | stake (lamports, > 0; proposing needs `>= Config.min_keeper_stake`) |
//!
//! Emits `KeeperRegistered { authority, stake, total_active_stake }`.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::{discriminator as ev, Event};
use crate::state::keeper::KEEPER_SEED;
use crate::state::{init_view_mut, load_mut, AccountLayout, Config, Keeper};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `register_keeper`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let stake = r.u64()?;
    r.finish()?;
    if stake == 0 {
        return Err(ContinuumError::InsufficientStake.into());
    }
    let ([authority, keeper, config, system_program], _) = checks::take_accounts::<4>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(keeper)?;
    checks::system_program(system_program)?;
    let mut config = load_mut::<Config>(config, program_id)?;
    let total = config
        .total_active_stake
        .checked_add(stake)
        .ok_or(ContinuumError::Overflow)?;
    checks::uninitialized(keeper)?;
    let authority_key = authority.address().to_bytes();
    let slot = sys::clock()?.slot;
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: authority,
            account: keeper,
            seeds: &[&authority_key],
            space: Keeper::LEN as u64,
            extra_lamports: stake,
            min_bump: checks::ANY_BUMP,
        },
        KEEPER_SEED,
        program_id,
    )?;
    let mut data = keeper.try_borrow_mut()?;
    let state = init_view_mut::<Keeper>(&mut data)?;
    state.authority = authority_key;
    state.stake = stake;
    state.registered_slot = slot;
    state.active = 1;
    state.bump = bump;
    config.total_active_stake = total;
    Event::new(&ev::KEEPER_REGISTERED)
        .bytes(&authority_key)
        .u64(stake)
        .u64(total)
        .emit();
    Ok(())
}
