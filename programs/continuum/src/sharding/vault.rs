//! Collateral bookkeeping: a market's `vault_lamports` are lamports held by its shard's PDA,
//! and `Shard.collateral_lamports` is their sum over the shard's markets.

use crate::error::{ContinuumError, ContinuumResult};
use crate::state::{MarketHeader, Shard};
use pinocchio::AccountView;

/// Books `amount` lamports that were just moved INTO the shard PDA as the market's collateral.
#[inline(always)]
pub fn credit(shard: &mut Shard, market: &mut MarketHeader, amount: u64) -> ContinuumResult {
    let vault = market
        .vault_lamports
        .checked_add(amount)
        .ok_or(ContinuumError::Overflow)?;
    let total = shard
        .collateral_lamports
        .checked_add(amount)
        .ok_or(ContinuumError::Overflow)?;
    market.vault_lamports = vault;
    shard.collateral_lamports = total;
    Ok(())
}

/// Books `amount` lamports leaving the market's collateral (the caller then moves them off the
/// shard PDA with [`move_lamports`]).
#[inline(always)]
pub fn debit(shard: &mut Shard, market: &mut MarketHeader, amount: u64) -> ContinuumResult {
    if market.vault_lamports < amount || shard.collateral_lamports < amount {
        return Err(ContinuumError::InsufficientFunds.into());
    }
    market.vault_lamports -= amount;
    shard.collateral_lamports -= amount;
    Ok(())
}

/// Moves lamports from a program-owned account to any writable account, directly (no CPI).
#[inline(always)]
pub fn move_lamports(from: &mut AccountView, to: &mut AccountView, amount: u64) -> ContinuumResult {
    let left = from
        .lamports()
        .checked_sub(amount)
        .ok_or(ContinuumError::InsufficientFunds)?;
    let right = to
        .lamports()
        .checked_add(amount)
        .ok_or(ContinuumError::Overflow)?;
    from.set_lamports(left);
    to.set_lamports(right);
    Ok(())
}
