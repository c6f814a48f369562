//! `register_market`: registers a market key on its assigned shard and creates its Market PDA
//! (header only, status Registered). The AMM's `create_market` does the same through the same
//! `sharding::registry` / `sharding::load` functions, then fills its tail.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: pays rent, becomes `Market.authority`.
//! 1. `[writable]` config: PDA `["config"]` (`market_count += 1`).
//! 2. `[writable]` shard: the assigned shard, `keccak256(market_key)[0] % shard_count`
//!    (`AccountMismatch` otherwise).
//! 3. `[writable]` market: PDA `["market", market_key]` with bump 255 (`MARKET_BUMP`: keys are
//!    chosen so that it is off-curve, hence canonical; other keys fail with `InvalidPda`),
//!    must not exist yet.
//! 4. `[]` system program.
//! 5. `[signer]` market key: the keypair whose public key is `market_key` (`MissingSigner` if it
//!    did not sign, `AccountMismatch` if it is another key). A key is only ever registered by
//!    whoever holds it, so nobody can front-run a registration by copying its key from the
//!    pending transaction.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | [u8; 32] | market_key |
//!
//! Emits `MarketRegistered { market_key, market, shard_id, shard_market_count }`.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::MarketRegistered;
use crate::sharding::{load as shard_load, registry};
use crate::state::market::{MarketStatus, MARKET_BUMP, MARKET_SEED};
use crate::state::{load_mut, AccountLayout, Config, MarketHeader, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `register_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let market_key = r.address()?;
    r.finish()?;
    let ([authority, config, shard, market, system_program, key_signer], _) =
        checks::take_accounts::<6>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(market)?;
    checks::system_program(system_program)?;
    checks::signer(key_signer)?;
    if key_signer.address().as_array() != &market_key {
        return Err(ContinuumError::AccountMismatch.into());
    }
    let mut config = load_mut::<Config>(config, program_id)?;
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let shard_id = registry::assign_market(&mut config, &mut shard, &market_key)?;

    let slot = sys::clock()?.slot;
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: authority,
            account: market,
            seeds: &[&market_key],
            space: MarketHeader::LEN as u64,
            extra_lamports: 0,
            min_bump: MARKET_BUMP,
        },
        MARKET_SEED,
        program_id,
    )?;

    let market_address = market.address().to_bytes();
    let mut data = market.try_borrow_mut()?;
    let header = registry::init_header_bytes(&mut data)?;
    registry::init_header(
        header,
        &registry::NewMarket {
            market_key: &market_key,
            authority: authority.address().as_array(),
            shard_id,
            bump,
            status: MarketStatus::Registered,
            slot,
        },
    );
    shard_load::record_write(&mut shard, header, slot);

    MarketRegistered {
        market_key,
        market: market_address,
        shard_id,
        shard_market_count: shard.market_count,
    }
    .emit();
    Ok(())
}
