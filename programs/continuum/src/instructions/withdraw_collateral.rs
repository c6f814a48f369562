//! `withdraw_collateral`: the authority of a sharding-only (Registered) market takes collateral
//! back out of the vault of the market's CURRENT shard, so `deposit_collateral`'s tokens are
//! never stranded.
//! AMM markets pay out only through `claim` / `claim_lp` (`InvalidMarketStatus` here).
//!
//! Accounts:
//! 0. `[signer, writable]` authority: `Market.authority` (`InvalidAuthority`).
//! 1. `[writable]` market: a Registered Market (header only).
//! 2. `[writable]` shard: the market's current shard (`Market.shard_id`, else
//!    `AccountMismatch`).
//! 3. `[writable]` authority's token account: of the collateral mint, owned by the authority, not
//!    frozen (`checks::owner_token_account`); receives `amount`.
//! 4. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 5. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 6. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u64 | amount (base units, > 0, at most `vault_amount`, else `InsufficientFunds`) |
//!
//! Emits `CollateralWithdrawn { market_key, shard_id, amount, vault_amount }`.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::CollateralWithdrawn;
use crate::sharding::{load as shard_load, registry, vault};
use crate::state::market::MarketStatus;
use crate::state::{load_mut, load_prefix_mut, MarketHeader, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `withdraw_collateral`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let amount = r.u64()?;
    r.finish()?;
    if amount == 0 {
        return Err(ContinuumError::InvalidInstructionData.into());
    }
    let ([authority, market, shard, authority_tokens, vault, mint, token_program], _) =
        checks::take_accounts::<7>(accounts)?;
    checks::writable_signer(authority)?;
    let slot = sys::clock()?.slot;
    let shard_handle = shard.clone();
    let money = {
        let mut header = load_prefix_mut::<MarketHeader>(market, program_id)?;
        if &header.authority != authority.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if !header.has_status(MarketStatus::Registered) {
            return Err(ContinuumError::InvalidMarketStatus.into());
        }
        let mut shard = load_mut::<Shard>(shard, program_id)?;
        registry::check_market_shard(&header, &shard)?;
        let money = checks::collateral(&shard, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(authority_tokens, &money, authority.address())?;
        vault::debit(&mut shard, &mut header, amount)?;
        shard_load::record_write(&mut shard, &mut header, slot);
        CollateralWithdrawn {
            market_key: header.market_key,
            shard_id: header.shard_id,
            amount,
            vault_amount: header.vault_amount,
        }
        .emit();
        money
    };
    vault::pay_out(&money, authority_tokens, amount)
}
