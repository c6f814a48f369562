//! `report_contention`: an active keeper reports one observed write latency for a market on a
//! shard. Folds it into the shard's latency EMA (alpha 1/8), peak and sample count, and into
//! the hottest-markets table (see `sharding::latency`). Reports are trusted as far as the
//! keeper's stake: the market key is not checked against the shard.
//!
//! Accounts:
//! 0. `[signer]` authority: an active keeper's authority.
//! 1. `[]` keeper: the authority's Keeper account.
//! 2. `[writable]` shard: the Shard with id `shard_id`.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | shard_id |
//! | 1 | u32 | write_time_us |
//! | 5 | [u8; 32] | market_key |

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::latency;
use crate::state::{load, load_mut, Keeper, Shard};
use pinocchio::{AccountView, Address};

/// Processes `report_contention`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let shard_id = r.u8()?;
    let write_time_us = r.u32()?;
    let market_key = r.address()?;
    r.finish()?;
    let ([authority, keeper, shard], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(authority)?;
    {
        let keeper = load::<Keeper>(keeper, program_id)?;
        if &keeper.authority != authority.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if keeper.active == 0 {
            return Err(ContinuumError::KeeperInactive.into());
        }
    }
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    if shard.shard_id != shard_id {
        return Err(ContinuumError::AccountMismatch.into());
    }
    latency::report(&mut shard, &market_key, write_time_us);
    Ok(())
}
