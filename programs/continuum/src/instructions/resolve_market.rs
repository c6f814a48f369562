//! `resolve_market`: the market's resolver reports the outcome `x*`.
//!
//! Accounts:
//! 0. `[signer]` resolver: `Market.resolver` (`InvalidAuthority` otherwise).
//! 1. `[writable]` market: AMM Market in status Open (`AlreadyResolved` if resolved,
//!    `InvalidMarketStatus` for Setup/Cancelled).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | i64 | outcome (clamped to `[lo, hi]`) |
//!
//! Window: `trading_deadline <= now` (`TradingNotClosed`) and `now < resolution_deadline`
//! (`ResolutionWindowClosed`; afterwards the market can only be cancelled). Once only.
//! Records `settled_at = now`, where `close_market`'s grace period starts.
//!
//! Emits `MarketResolved { market, outcome }` (the clamped outcome).

use crate::amm::events::MarketResolved;
use crate::amm::owned_writable;
use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::{load as shard_load, registry};
use crate::state::amm::split_market;
use crate::state::market::MarketStatus;
use crate::state::{load_mut, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `resolve_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let outcome = r.i64()?;
    r.finish()?;
    let ([resolver, market, shard], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(resolver)?;
    owned_writable(market, program_id)?;
    let now = sys::clock()?;
    let market_address = market.address().to_bytes();
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let mut mdata = market.try_borrow_mut()?;
    let (m, _, _) = split_market(&mut mdata)?;
    if m.header.has_status(MarketStatus::Resolved) {
        return Err(ContinuumError::AlreadyResolved.into());
    }
    if !m.header.has_status(MarketStatus::Open) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    if &m.resolver != resolver.address().as_array() {
        return Err(ContinuumError::InvalidAuthority.into());
    }
    if now.unix_timestamp < m.trading_deadline {
        return Err(ContinuumError::TradingNotClosed.into());
    }
    if now.unix_timestamp >= m.resolution_deadline {
        return Err(ContinuumError::ResolutionWindowClosed.into());
    }
    registry::check_market_shard(&m.header, &shard)?;
    // Not `clamp`: it panics when lo > hi, which create_market rules out but the compiler can't see.
    let x = if outcome < m.lo {
        m.lo
    } else if outcome > m.hi {
        m.hi
    } else {
        outcome
    };
    m.outcome = x;
    m.settle(MarketStatus::Resolved, now.unix_timestamp);
    shard_load::record_write(&mut shard, &mut m.header, now.slot);
    MarketResolved {
        market: market_address,
        outcome: x,
    }
    .emit();
    Ok(())
}
