//! `claim`: a trader collects their position once the market is settled.
//!
//! Accounts:
//! 0. `[signer, writable]` owner: `Position.owner` (`InvalidAuthority` otherwise); receives
//!    the lamports.
//! 1. `[writable]` market: AMM Market, Resolved or Cancelled (`InvalidMarketStatus`).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise); pays.
//! 3. `[writable]` position: this market's position (`AccountMismatch` if it belongs to another
//!    market), not yet claimed (`AlreadyClaimed`).
//!
//! No arguments.
//!
//! Amount: Resolved: `C + (g - f)(x*)`, the grid values `C + payoff_i` linearly interpolated
//! at `x*` and rounded DOWN (`continuum_math::trader_claim_rem`); the dropped fraction
//! (`remainder / step` lamport) is added to `Market.dust_numerator`. Cancelled: the refund `C`
//! (no rounding). `vault::debit` books it and the lamports move directly off the shard PDA.
//! The position is kept (claimed = 1, claimed_amount) as the record that it was paid.
//!
//! Emits `PositionClaimed { market, owner, amount, remainder }`.

use crate::amm::events::discriminator as ev;
use crate::amm::owned_writable;
use crate::amm::payout::{book_payout, Payout};
use crate::args::ArgReader;
use crate::checks;
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::sharding::events::Event;
use crate::sharding::{registry, vault};
use crate::state::amm::{is_settled, split_market, split_position};
use crate::state::market::MARKET_STATUS_RESOLVED;
use crate::state::{load_mut, Shard};
use crate::sys;
use continuum_math::trader_claim_rem;
use pinocchio::{AccountView, Address};

/// Processes `claim`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([owner, market, shard, position], _) = checks::take_accounts::<4>(accounts)?;
    checks::writable_signer(owner)?;
    owned_writable(market, program_id)?;
    owned_writable(position, program_id)?;
    let slot = sys::clock()?.slot;
    let market_address = market.address().to_bytes();
    let payout = {
        let mut shard = load_mut::<Shard>(shard, program_id)?;
        let mut mdata = market.try_borrow_mut()?;
        let (m, _, _) = split_market(&mut mdata)?;
        registry::check_market_shard(&m.header, &shard)?;
        let mut pdata = position.try_borrow_mut()?;
        let (pos, payoff) = split_position(&mut pdata)?;
        if pos.market != market_address {
            return Err(ContinuumError::AccountMismatch.into());
        }
        if &pos.owner != owner.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if !is_settled(m.header.status) {
            return Err(ContinuumError::InvalidMarketStatus.into());
        }
        if pos.claimed != 0 {
            return Err(ContinuumError::AlreadyClaimed.into());
        }
        let (amount, remainder) = if m.header.status == MARKET_STATUS_RESOLVED {
            trader_claim_rem(pos.collateral, payoff, &m.grid(), m.outcome).map_err(math_error)?
        } else {
            (pos.collateral, 0)
        };
        pos.claimed = 1;
        pos.claimed_amount = amount;
        m.claim_count += 1;
        let payout = Payout { amount, remainder };
        book_payout(&mut shard, m, payout, slot)?;
        payout
    };
    vault::move_lamports(shard, owner, payout.amount)?;
    Event::new(&ev::POSITION_CLAIMED)
        .bytes(&market_address)
        .bytes(owner.address().as_array())
        .u64(payout.amount)
        .u64(payout.remainder)
        .emit();
    Ok(())
}
