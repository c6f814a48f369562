//! Market-to-shard assignment: `shard = keccak256(market_key)[0] % shard_count`.

use crate::error::{ContinuumError, ContinuumResult};
use crate::state::market::MarketStatus;
use crate::state::{Config, MarketHeader, Shard};
use crate::sys;

/// The shard a market key is assigned to (before any rebalance override).
///
/// `keccak256` runs through the `sol_keccak256` syscall (101 CU for 32 bytes). Mirrored by the
/// SDK's `assignShard`.
#[inline(always)]
pub fn shard_for_key(market_key: &[u8; 32], shard_count: u8) -> ContinuumResult<u8> {
    if shard_count == 0 {
        return Err(ContinuumError::InvalidShardCount.into());
    }
    Ok(sys::keccak256(market_key)[0] % shard_count)
}

/// Assigns a NEW market to its shard: checks that `shard` is the assigned one
/// (`AccountMismatch` otherwise), increments `config.market_count` and `shard.market_count`,
/// and returns the shard id. Call once per market, when it is created.
#[inline(never)]
pub fn assign_market(
    config: &mut Config,
    shard: &mut Shard,
    market_key: &[u8; 32],
) -> ContinuumResult<u8> {
    let shard_id = shard_for_key(market_key, config.shard_count)?;
    if shard.shard_id != shard_id {
        return Err(ContinuumError::AccountMismatch.into());
    }
    config.market_count = config
        .market_count
        .checked_add(1)
        .ok_or(ContinuumError::Overflow)?;
    shard.market_count = shard
        .market_count
        .checked_add(1)
        .ok_or(ContinuumError::Overflow)?;
    Ok(shard_id)
}

/// What [`init_header`] writes into a freshly created market account.
pub struct NewMarket<'a> {
    /// The market's key (PDA seed).
    pub market_key: &'a [u8; 32],
    /// The market's authority.
    pub authority: &'a [u8; 32],
    /// From [`assign_market`].
    pub shard_id: u8,
    /// Canonical bump of the market PDA.
    pub bump: u8,
    /// Initial status (the sharding layer registers `Registered`, the AMM creates `Setup`).
    pub status: MarketStatus,
    /// Current slot.
    pub slot: u64,
}

/// Fills the header of a new market (the discriminator is written by `init_view_mut` /
/// [`init_header_bytes`]); every other header field starts at zero.
#[inline(always)]
pub fn init_header(header: &mut MarketHeader, new: &NewMarket) {
    header.market_key = *new.market_key;
    header.authority = *new.authority;
    header.vault_amount = 0;
    header.created_slot = new.slot;
    header.last_write_slot = new.slot;
    header.write_count = 0;
    header.migration_count = 0;
    header.shard_id = new.shard_id;
    header.set_status(new.status);
    header.bump = new.bump;
    header.flags = 0;
}

/// Writes the Market discriminator into fresh (zeroed) account data of at least
/// `HEADER_LEN` bytes and views the header.
#[inline(always)]
pub fn init_header_bytes(data: &mut [u8]) -> ContinuumResult<&mut MarketHeader> {
    use crate::state::AccountLayout;
    if data.len() < MarketHeader::HEADER_LEN
        || !(data.as_ptr() as usize).is_multiple_of(core::mem::align_of::<MarketHeader>())
    {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    data[..8].copy_from_slice(&MarketHeader::DISCRIMINATOR);
    crate::state::view_prefix_mut::<MarketHeader>(data)
}

/// Checks that `shard` is the market's current shard (`AccountMismatch` otherwise).
#[inline(always)]
pub fn check_market_shard(header: &MarketHeader, shard: &Shard) -> ContinuumResult {
    if header.shard_id != shard.shard_id {
        return Err(ContinuumError::AccountMismatch.into());
    }
    Ok(())
}
