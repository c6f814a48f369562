//! `withdraw_stake`: after the unstake cooldown, and once no vote of this keeper can still
//! count, returns every lamport of the Keeper PDA (stake + rent) to the authority and closes it.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: `Keeper.authority`, receives the lamports.
//! 1. `[writable]` keeper: the authority's Keeper account (unregistered).
//! 2. `[]` config: PDA `["config"]` (`unstake_cooldown_slots`).
//!
//! Arguments: none.
//!
//! Allowed when `slot >= unregister_slot + unstake_cooldown_slots` and
//! `slot > vote_lock_until_slot` (`StakeLocked` otherwise).

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::{load, Config, Keeper};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `withdraw_stake`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, keeper, config], _) = checks::take_accounts::<3>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(keeper)?;
    let cooldown = load::<Config>(config, program_id)?.unstake_cooldown_slots;
    {
        let keeper = load::<Keeper>(keeper, program_id)?;
        if &keeper.authority != authority.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if keeper.active != 0 {
            return Err(ContinuumError::KeeperStillActive.into());
        }
        let slot = sys::clock()?.slot;
        let unlock = keeper.unregister_slot.saturating_add(cooldown);
        if slot < unlock || slot <= keeper.vote_lock_until_slot {
            return Err(ContinuumError::StakeLocked.into());
        }
    }
    checks::close_account(keeper, authority)
}
