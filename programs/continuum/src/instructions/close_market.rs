//! `close_market`: the market authority closes a settled market and takes back its rent.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: `Market.authority` (`InvalidAuthority` otherwise);
//!    receives the market account's rent (what is left of the market's collateral goes to
//!    its token account).
//! 1. `[]` config: PDA `["config"]` (`settlement_grace_seconds`).
//! 2. `[writable]` market: an AMM Market, or a Registered (sharding-only) market.
//! 3. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise); its vault
//!    pays what is left of the market's collateral.
//! 4. `[writable]` authority's token account: of the collateral mint, owned by the authority, not
//!    frozen (`checks::owner_token_account`); receives the rest of the collateral.
//! 5. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 6. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 7. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! No arguments.
//!
//! Closable (`MarketNotClosable` otherwise):
//! - AMM market: Resolved or Cancelled, and either every position and the LP have claimed, or
//!   `Config.settlement_grace_seconds` have passed since it settled (`settled_at`, recorded by
//!   `resolve_market` / `cancel_market`).
//! - Registered market: `vault_amount == 0` (`withdraw_collateral` it first).
//!
//! Effect:
//! - The market's remaining `vault_amount` is debited from the shard's books
//!   (`vault::debit`) and paid from the shard's vault to the authority's token account. With every claim in, that
//!   is exactly the recorded rounding dust (`dust_numerator / step`). After the grace period
//!   with claims outstanding it also holds the unclaimed payouts: the market authority is
//!   their named recipient, so traders have `settlement_grace_seconds` to claim.
//! - `Shard.market_count -= 1`.
//! - The account. With every claim in, nothing refers to the market any more: it is closed
//!   (all its lamports to the authority) and its key could be registered again. With claims
//!   outstanding, positions still name this address, so it must never hold a market again (a
//!   new market there would pay those positions): it stays as a tombstone, program-owned with
//!   no data and the rent-exempt minimum of an empty account (890,880 lamports), which market
//!   creation refuses (`AccountAlreadyInitialized`); the rest of its rent goes to the authority.
//!   `claim` of such a position pays nothing and closes it (its rent to its owner).
//!
//! Emits `MarketClosed { market, authority, vault, rent }` (`vault`: base units paid out of the
//! shard's vault; `rent`: lamports taken from the market account).

use crate::amm::events::MarketClosed;
use crate::amm::owned_writable;
use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::{registry, vault};
use crate::state::amm::split_market;
use crate::state::market::MarketStatus;
use crate::state::{load, load_mut, view_mut, view_prefix_mut, Config, MarketHeader, Shard};
use crate::sys;
use pinocchio::{AccountView, Address, Resize};

/// What closing books: the vault paid to the authority, and whether the account must stay
/// as a tombstone (claims outstanding).
struct Closing {
    vault: u64,
    tombstone: bool,
}

/// Checks that the market may be closed by `authority` at `now` and books its vault leaving
/// the shard (the caller pays the tokens).
#[inline(always)]
fn close_books(
    shard: &mut Shard,
    data: &mut [u8],
    authority: &[u8; 32],
    now: i64,
    grace: u64,
) -> ContinuumResult<Closing> {
    let registered = view_prefix_mut::<MarketHeader>(data)?.has_status(MarketStatus::Registered);
    let (header, tombstone) = if registered {
        // Sharding-only (exactly a header): no position refers to it; only its collateral
        // must be gone.
        let header = view_mut::<MarketHeader>(data)?;
        let empty = header.vault_amount == 0;
        (header_checked(header, shard, authority, empty)?, false)
    } else {
        let (m, _, _) = split_market(data)?;
        let closable = m.closable(now, grace);
        let tombstone = !m.all_claimed();
        (
            header_checked(&mut m.header, shard, authority, closable)?,
            tombstone,
        )
    };
    let amount = header.vault_amount;
    vault::debit(shard, header, amount)?;
    shard.market_count = shard
        .market_count
        .checked_sub(1)
        .ok_or(ContinuumError::Overflow)?;
    Ok(Closing {
        vault: amount,
        tombstone,
    })
}

/// Authority (`InvalidAuthority`), then shard (`AccountMismatch`), then closability
/// (`MarketNotClosable`).
#[inline(always)]
fn header_checked<'a>(
    header: &'a mut MarketHeader,
    shard: &Shard,
    authority: &[u8; 32],
    closable: bool,
) -> ContinuumResult<&'a mut MarketHeader> {
    if &header.authority != authority {
        return Err(ContinuumError::InvalidAuthority.into());
    }
    registry::check_market_shard(header, shard)?;
    if !closable {
        return Err(ContinuumError::MarketNotClosable.into());
    }
    Ok(header)
}

/// Processes `close_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, config, market, shard, authority_tokens, vault, mint, token_program], _) =
        checks::take_accounts::<8>(accounts)?;
    // 1. Accounts.
    checks::writable_signer(authority)?;
    owned_writable(market, program_id)?;
    let grace = load::<Config>(config, program_id)?.settlement_grace_seconds;
    let now = sys::clock()?.unix_timestamp;
    let market_address = market.address().to_bytes();
    // 2. Authority, shard, closability; the vault leaves the books.
    let shard_handle = shard.clone();
    let (closing, money) = {
        let mut shard = load_mut::<Shard>(shard, program_id)?;
        let mut mdata = market.try_borrow_mut()?;
        let closing = close_books(
            &mut shard,
            &mut mdata,
            authority.address().as_array(),
            now,
            grace,
        )?;
        let money = checks::collateral(&shard, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(authority_tokens, &money, authority.address())?;
        (closing, money)
    };
    // 3. The rest of the collateral out of the vault (tokens), then the market's rent (SOL).
    vault::pay_out(&money, authority_tokens, closing.vault)?;
    let rent = if closing.tombstone {
        let keep = sys::rent_exempt_minimum(0)?;
        let rent = market
            .lamports()
            .checked_sub(keep)
            .ok_or(ContinuumError::InsufficientFunds)?;
        vault::move_lamports(market, authority, rent)?;
        market.resize(0)?;
        rent
    } else {
        let rent = market.lamports();
        checks::close_account(market, authority)?;
        rent
    };
    MarketClosed {
        market: market_address,
        authority: *authority.address().as_array(),
        vault: closing.vault,
        rent,
    }
    .emit();
    Ok(())
}
