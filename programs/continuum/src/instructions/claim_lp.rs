//! `claim_lp`: the liquidity provider (the market authority) collects its share once.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: `Market.authority` (`InvalidAuthority` otherwise).
//! 1. `[writable]` market: AMM Market, Resolved or Cancelled (`InvalidMarketStatus`), LP share
//!    not yet claimed (`AlreadyClaimed`).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise); its vault
//!    pays.
//! 3. `[writable]` authority's token account: of the collateral mint, owned by the authority, not
//!    frozen (`checks::owner_token_account`); receives the LP share.
//! 4. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 5. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 6. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! No arguments.
//!
//! Amount: Resolved: `b - f_T(x*) + f_0(x*) + fees_accrued` (grid values interpolated at
//! `x*`, rounded DOWN, remainder added to `dust_numerator`); Cancelled: `b + fees_accrued`.
//! With every trader's claim this sums to the vault `b + sum R + fees_accrued` exactly, less
//! the recorded dust (`dust_numerator / step`).
//!
//! Emits `LpClaimed { market, authority, amount, remainder }`.

use crate::amm::events::LpClaimed;
use crate::amm::owned_writable;
use crate::amm::payout::{book_payout, Payout};
use crate::args::ArgReader;
use crate::checks;
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::safe;
use crate::sharding::{registry, vault};
use crate::state::amm::split_market;
use crate::state::market::MarketStatus;
use crate::state::{load_mut, Shard};
use crate::sys;
use continuum_math::{lp_claim_rem, BaseUnits};
use pinocchio::{AccountView, Address};

/// Processes `claim_lp`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, market, shard, authority_tokens, vault, mint, token_program], _) =
        checks::take_accounts::<7>(accounts)?;
    checks::writable_signer(authority)?;
    owned_writable(market, program_id)?;
    let slot = sys::clock()?.slot;
    let market_address = market.address().to_bytes();
    let shard_handle = shard.clone();
    let (payout, money) = {
        let mut shard = load_mut::<Shard>(shard, program_id)?;
        let mut mdata = market.try_borrow_mut()?;
        let (m, f, f0) = split_market(&mut mdata)?;
        registry::check_market_shard(&m.header, &shard)?;
        if &m.header.authority != authority.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        let money = checks::collateral(&shard, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(authority_tokens, &money, authority.address())?;
        if !m.header.is_settled() {
            return Err(ContinuumError::InvalidMarketStatus.into());
        }
        if m.lp_claimed != 0 {
            return Err(ContinuumError::AlreadyClaimed.into());
        }
        let b = BaseUnits::new(m.b);
        let (share, remainder) = if m.header.has_status(MarketStatus::Resolved) {
            lp_claim_rem(b, f, f0, &m.grid(), m.outcome).map_err(math_error)?
        } else {
            (b, 0)
        };
        let amount = safe::add(share.get(), m.lp_fees())?;
        m.lp_claimed = 1;
        m.lp_paid = amount;
        let payout = Payout { amount, remainder };
        book_payout(&mut shard, m, payout, slot)?;
        (payout, money)
    };
    vault::pay_out(&money, authority_tokens, payout.amount)?;
    LpClaimed {
        market: market_address,
        authority: *authority.address().as_array(),
        amount: payout.amount,
        remainder: payout.remainder,
    }
    .emit();
    Ok(())
}
