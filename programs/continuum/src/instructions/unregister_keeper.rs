//! `unregister_keeper`: starts the unstake cooldown. The keeper's stake leaves
//! `Config.total_active_stake` now; it can no longer vote, propose or report.
//!
//! Accounts:
//! 0. `[signer]` authority: `Keeper.authority`.
//! 1. `[writable]` keeper: the authority's Keeper account.
//! 2. `[writable]` config: PDA `["config"]`.
//!
//! Arguments: none.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::{load_mut, Config, Keeper};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `unregister_keeper`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, keeper, config], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(authority)?;
    let mut keeper = load_mut::<Keeper>(keeper, program_id)?;
    keeper.check_active(authority.address().as_array())?;
    let mut config = load_mut::<Config>(config, program_id)?;
    config.total_active_stake = config
        .total_active_stake
        .checked_sub(keeper.stake)
        .ok_or(ContinuumError::Overflow)?;
    keeper.active = 0;
    keeper.unregister_slot = sys::clock()?.slot;
    Ok(())
}
