//! `open_market`: the authority opens trading (Setup -> Open). The curve at this moment is
//! `f0`, the reference of the LP claim `b - f_T(x*) + f_0(x*)`.
//!
//! Accounts:
//! 0. `[signer]` authority: `Market.authority` (`InvalidAuthority` otherwise).
//! 1. `[writable]` market: AMM Market in Setup (`InvalidMarketStatus` otherwise).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise).
//!
//! No arguments. Fails with `TradingClosed` if the trading deadline has already passed.
//!
//! Emits `MarketOpened { market }`.

use crate::amm::events::MarketOpened;
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

/// Processes `open_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, market, shard], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(authority)?;
    owned_writable(market, program_id)?;
    let now = sys::clock()?;
    let market_address = market.address().to_bytes();
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let mut mdata = market.try_borrow_mut()?;
    let (m, f, f0) = split_market(&mut mdata)?;
    if &m.header.authority != authority.address().as_array() {
        return Err(ContinuumError::InvalidAuthority.into());
    }
    if !m.header.has_status(MarketStatus::Setup) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    if now.unix_timestamp >= m.trading_deadline {
        return Err(ContinuumError::TradingClosed.into());
    }
    registry::check_market_shard(&m.header, &shard)?;
    f0.copy_from_slice(f);
    m.header.set_status(MarketStatus::Open);
    shard_load::record_write(&mut shard, &mut m.header, now.slot);
    MarketOpened {
        market: market_address,
    }
    .emit();
    Ok(())
}
