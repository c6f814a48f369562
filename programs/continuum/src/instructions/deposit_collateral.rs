//! `deposit_collateral`: the authority of a sharding-only (Registered) market adds collateral to
//! it (`withdraw_collateral` takes it back; AMM markets hold only `b` and trade collateral, so a
//! deposit there would be unclaimable: `InvalidMarketStatus`). The tokens go to the vault of
//! the market's CURRENT shard and are booked in `vault_amount`; the write is
//! recorded on the shard's load. A deposit built against a shard the market has since left
//! fails with `AccountMismatch` and changes nothing (it lands after the migration only when
//! re-sent with the new shard): no write is lost or applied twice.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: `Market.authority`.
//! 1. `[writable]` market: a Market account (header; any tail).
//! 2. `[writable]` shard: the market's current shard (`Market.shard_id`).
//! 3. `[writable]` authority's token account: of the collateral mint, owned by the authority, not
//!    frozen (`checks::owner_token_account`); pays `amount`.
//! 4. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 5. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 6. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u64 | amount (base units, > 0) |
//!
//! Emits `CollateralDeposited { market_key, shard_id, amount, vault_amount }`.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::CollateralDeposited;
use crate::sharding::{load as shard_load, registry, vault};
use crate::state::market::MarketStatus;
use crate::state::{load_mut, load_prefix_mut, MarketHeader, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `deposit_collateral`.
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
    let shard_handle = shard.clone();
    let money = {
        let header = load_prefix_mut::<MarketHeader>(market, program_id)?;
        if &header.authority != authority.address().as_array() {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if !header.has_status(MarketStatus::Registered) {
            return Err(ContinuumError::InvalidMarketStatus.into());
        }
        let shard = load_mut::<Shard>(shard, program_id)?;
        registry::check_market_shard(&header, &shard)?;
        let money = checks::collateral(&shard, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(authority_tokens, &money, authority.address())?;
        money
    };
    vault::pay_in(&money, authority_tokens, authority, amount)?;

    let slot = sys::clock()?.slot;
    let mut header = load_prefix_mut::<MarketHeader>(market, program_id)?;
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    vault::credit(&mut shard, &mut header, amount)?;
    shard_load::record_write(&mut shard, &mut header, slot);
    CollateralDeposited {
        market_key: header.market_key,
        shard_id: header.shard_id,
        amount,
        vault_amount: header.vault_amount,
    }
    .emit();
    Ok(())
}
