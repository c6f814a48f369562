//! Migration of one market between shards (bookkeeping part; the caller moves the tokens).

use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::latency;
use crate::state::market::MARKET_FLAG_SHARD_OVERRIDDEN;
use crate::state::{MarketHeader, Shard};

/// Moves `market` from `from` to `to` in the books: checks the market is on `from`
/// (`AccountMismatch`) and that `from` holds its collateral (`InsufficientFunds`), moves
/// `vault_amount` between the shards' `collateral_amount`, updates market counts and
/// migrated counters, sets `shard_id = to`, the override flag and `migration_count += 1`.
/// Returns the base units the caller must move from the `from` vault to the `to` vault.
#[inline(never)]
pub fn move_market(
    from: &mut Shard,
    to: &mut Shard,
    market: &mut MarketHeader,
) -> ContinuumResult<u64> {
    if market.shard_id != from.shard_id {
        return Err(ContinuumError::AccountMismatch.into());
    }
    let amount = market.vault_amount;
    if from.collateral_amount < amount || from.market_count == 0 {
        return Err(ContinuumError::InsufficientFunds.into());
    }
    from.collateral_amount -= amount;
    to.collateral_amount = to
        .collateral_amount
        .checked_add(amount)
        .ok_or(ContinuumError::Overflow)?;
    from.market_count -= 1;
    to.market_count = to.market_count.wrapping_add(1);
    from.migrated_out = from.migrated_out.wrapping_add(1);
    to.migrated_in = to.migrated_in.wrapping_add(1);
    latency::forget(from, &market.market_key);
    market.shard_id = to.shard_id;
    market.flags |= MARKET_FLAG_SHARD_OVERRIDDEN;
    market.migration_count = market.migration_count.wrapping_add(1);
    Ok(amount)
}
