//! `cancel_market`: cancels an unresolved market so everyone is refunded.
//!
//! Accounts:
//! 0. `[signer]` caller: anyone once `now >= resolution_deadline`; before that only the
//!    market authority, and only while the market is still in Setup (no trades yet).
//! 1. `[writable]` market: AMM Market in Setup or Open (`AlreadyResolved` if resolved,
//!    `InvalidMarketStatus` if already cancelled).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise).
//!
//! No arguments. Too early: `ResolutionDeadlineNotReached`.
//!
//! After cancellation `claim` refunds each position's netted collateral `R` and `claim_lp`
//! pays `b` plus the fees trades paid: together exactly the vault `b + sum R + fees_accrued`,
//! with zero dust. Records `settled_at = now`, where
//! `close_market`'s grace period starts.
//!
//! This path is always reachable: `create_market` bounds the resolution deadline by
//! `Config.max_market_duration_seconds`, so a market whose resolver never acts is cancellable
//! by anyone within that time.
//!
//! Emits `MarketCancelled { market }`.

use crate::amm::events::MarketCancelled;
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

/// Processes `cancel_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([caller, market, shard], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(caller)?;
    owned_writable(market, program_id)?;
    let now = sys::clock()?;
    let market_address = market.address().to_bytes();
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let mut mdata = market.try_borrow_mut()?;
    let (m, _, _) = split_market(&mut mdata)?;
    if m.header.has_status(MarketStatus::Resolved) {
        return Err(ContinuumError::AlreadyResolved.into());
    }
    let in_setup = m.header.has_status(MarketStatus::Setup);
    if !in_setup && !m.header.has_status(MarketStatus::Open) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    if now.unix_timestamp < m.resolution_deadline {
        let authority_in_setup = in_setup && &m.header.authority == caller.address().as_array();
        if !authority_in_setup {
            return Err(ContinuumError::ResolutionDeadlineNotReached.into());
        }
    }
    registry::check_market_shard(&m.header, &shard)?;
    m.settle(MarketStatus::Cancelled, now.unix_timestamp);
    shard_load::record_write(&mut shard, &mut m.header, now.slot);
    MarketCancelled {
        market: market_address,
    }
    .emit();
    Ok(())
}
