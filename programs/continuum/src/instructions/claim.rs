//! `claim`: a trader collects their position once the market is settled, and the position is
//! closed: its rent goes back to the owner with the payout.
//!
//! Accounts:
//! 0. `[signer, writable]` owner: `Position.owner` (`InvalidAuthority` otherwise); receives
//!    the position's rent (the payout goes to its token account).
//! 1. `[writable]` market: the position's market (`AccountMismatch` otherwise): an AMM Market,
//!    Resolved or Cancelled (`InvalidMarketStatus`), or a market `close_market` has closed
//!    (no data left).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise); pays.
//!    Not read for a closed market.
//! 3. `[writable]` position: a Position (`InvalidAccountOwner` if there is none, e.g. it was
//!    already claimed and closed), not claimed by an earlier version of this instruction that
//!    kept positions (`AlreadyClaimed`).
//! 4. `[writable]` owner's token account: of the collateral mint, owned by the owner, not
//!    frozen (`checks::owner_token_account`); receives the payout.
//! 5. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 6. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 7. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!    Accounts 4..=7 are not read for a closed market (nothing is paid).
//!
//! No arguments.
//!
//! Amount: Resolved: `R + P(x*)` (`R` the position's netted collateral, `P` its payoff), the
//! grid values `R + payoff_i` (each `>= 0`, as `R >= max(-payoff)`) linearly interpolated
//! at `x*` and rounded DOWN (`continuum_math::trader_claim_rem`); the dropped fraction
//! (`remainder / step` base unit) is added to `Market.dust_numerator`. Cancelled: the refund
//! `R` (no rounding). `vault::debit` books it and the tokens move from the shard's vault to the
//! owner's token account (`TransferChecked`, the Shard PDA signing); `claim_count` counts the
//! claim.
//!
//! Then the position is closed: all its lamports (its rent, ~0.036 SOL at N = 615) go to the
//! owner. `PositionClaimed` is the receipt (its `amount` is the payout, without the rent).
//!
//! Closed market: after its grace period a market may be closed with claims outstanding (see
//! `close_market`: what was left in its vault went to the market authority). A position of a
//! closed market pays nothing, but `claim` still closes it and returns its rent; the event
//! then says `amount = 0`.
//!
//! Emits `PositionClaimed { market, owner, amount, remainder }`.

use crate::amm::events::PositionClaimed;
use crate::amm::owned_writable;
use crate::amm::payout::{book_payout, Payout};
use crate::args::ArgReader;
use crate::checks;
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::sharding::{registry, vault};
use crate::state::amm::{split_market, split_position};
use crate::state::market::MarketStatus;
use crate::state::{load, load_mut, Shard};
use crate::sys;
use continuum_math::{trader_claim_rem, BaseUnits};
use pinocchio::{AccountView, Address};

/// Processes `claim`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([owner, market, shard, position, owner_tokens, vault, mint, token_program], _) =
        checks::take_accounts::<8>(accounts)?;
    // 1. Signer and the position: this owner's, of this market.
    checks::writable_signer(owner)?;
    owned_writable(position, program_id)?;
    let market_address = market.address().to_bytes();
    {
        let mut pdata = position.try_borrow_mut()?;
        let (pos, _) = split_position(&mut pdata)?;
        if pos.market != market_address {
            return Err(ContinuumError::AccountMismatch.into());
        }
        if &pos.owner != owner.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
    }
    // 2. The payout: nothing from a closed market (its account has no data: `close_market`
    //    emptied it; only the program can write a program address, so nothing else can be
    //    there), else the settled market's amount, booked.
    let payout = if market.data_len() == 0 {
        Payout {
            amount: 0,
            remainder: 0,
        }
    } else {
        owned_writable(market, program_id)?;
        let money = {
            let shard_state = load::<Shard>(shard, program_id)?;
            let money = checks::collateral(&shard_state, shard, vault, mint, token_program)?;
            checks::owner_token_account(owner_tokens, &money, owner.address())?;
            money
        };
        let payout = book_claim(program_id, market, shard, position)?;
        vault::pay_out(&money, owner_tokens, payout.amount)?;
        payout
    };
    // 3. Close the position: its rent goes to the owner.
    checks::close_account(position, owner)?;
    PositionClaimed {
        market: market_address,
        owner: *owner.address().as_array(),
        amount: payout.amount,
        remainder: payout.remainder,
    }
    .emit();
    Ok(())
}

/// Computes the position's payout on its settled market and books it (market, shard); the
/// caller pays the tokens and closes the position.
#[inline(always)]
fn book_claim(
    program_id: &Address,
    market: &mut AccountView,
    shard: &mut AccountView,
    position: &mut AccountView,
) -> ContinuumResult<Payout> {
    let slot = sys::clock()?.slot;
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let mut mdata = market.try_borrow_mut()?;
    let (m, _, _) = split_market(&mut mdata)?;
    registry::check_market_shard(&m.header, &shard)?;
    if !m.header.is_settled() {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    let mut pdata = position.try_borrow_mut()?;
    let (pos, payoff) = split_position(&mut pdata)?;
    if pos.claimed != 0 {
        return Err(ContinuumError::AlreadyClaimed.into());
    }
    let collateral = BaseUnits::new(pos.collateral);
    let (amount, remainder) = if m.header.has_status(MarketStatus::Resolved) {
        trader_claim_rem(collateral, payoff, &m.grid(), m.outcome).map_err(math_error)?
    } else {
        (collateral, 0)
    };
    // The books, the payout and its event keep raw u64 (account layout and wire format).
    let amount = amount.get();
    pos.claimed = 1;
    pos.claimed_amount = amount;
    m.claim_count += 1;
    let payout = Payout { amount, remainder };
    book_payout(&mut shard, m, payout, slot)?;
    Ok(payout)
}
