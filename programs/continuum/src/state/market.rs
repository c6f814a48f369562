//! `Market` header: the fixed prefix of every market account.
//!
//! PDA seeds: `["market", market_key]` (32-byte key), bump [`MARKET_BUMP`] = 255 (canonical). Created by
//! `register_market` (header only, status [`MARKET_STATUS_REGISTERED`]); the AMM's market
//! account is the same PDA with AMM fields in a tail after [`MarketHeader::LEN`] bytes, so
//! header-only code (sharding, migration) loads any market with [`super::load_prefix`].
//!
//! The header is frozen: new header fields go in `reserved`, never by moving a field.

use super::load_meter::LoadMeter;
use super::AccountLayout;

/// PDA seed prefix of Market accounts.
pub const MARKET_SEED: &[u8] = b"market";

/// The only bump a Market PDA may have. Market keys are chosen by their creator, so they are
/// chosen such that bump 255 gives an off-curve address (half of all keys; the SDK's
/// `generateMarketKey` retries until it does). 255 is then the canonical bump, so there is
/// exactly one Market account per key, and creating it costs one hash and one curve check
/// (~310 CU) instead of an open-ended bump search: `register_market` stays within its
/// 5,000 CU ceiling for every key. Other keys are rejected with `InvalidPda`.
pub const MARKET_BUMP: u8 = 255;

/// Registered by the sharding layer only (no curve).
pub const MARKET_STATUS_REGISTERED: u8 = 0;
/// AMM: curve being edited by the authority.
pub const MARKET_STATUS_SETUP: u8 = 1;
/// AMM: trading.
pub const MARKET_STATUS_OPEN: u8 = 2;
/// AMM: outcome reported.
pub const MARKET_STATUS_RESOLVED: u8 = 3;
/// AMM: cancelled.
pub const MARKET_STATUS_CANCELLED: u8 = 4;

/// `flags` bit: the market's shard was set by an approved rebalance, not by assignment.
pub const MARKET_FLAG_SHARD_OVERRIDDEN: u8 = 1;

/// Market header (160 bytes).
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | market_key |
/// | 40 | 32 | authority |
/// | 72 | 8 | vault_amount |
/// | 80 | 8 | created_slot |
/// | 88 | 8 | last_write_slot |
/// | 96 | 8 | write_count |
/// | 104 | 8 | migration_count |
/// | 112 | 1 | shard_id |
/// | 113 | 1 | status |
/// | 114 | 1 | bump |
/// | 115 | 1 | flags |
/// | 116 | 4 | padding |
/// | 120 | 24 | load ([`LoadMeter`]: slot, writes_in_slot, ema_milli) |
/// | 144 | 16 | reserved |
/// | 160 | .. | AMM tail (not part of the header) |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketHeader {
    /// `sha256("account:Market")[..8]`.
    pub discriminator: [u8; 8],
    /// The market's identity; PDA seed and shard-assignment input.
    pub market_key: [u8; 32],
    /// The market's creator / authority.
    pub authority: [u8; 32],
    /// Collateral this market holds in its shard's vault, base units of the collateral mint
    /// (moved between vaults by migration).
    pub vault_amount: u64,
    /// Slot the market was registered in.
    pub created_slot: u64,
    /// Slot of the market's last recorded write.
    pub last_write_slot: u64,
    /// Writes recorded on this market (`sharding::load::record_write`).
    pub write_count: u64,
    /// Times this market was migrated between shards.
    pub migration_count: u64,
    /// Shard the market currently lives on.
    pub shard_id: u8,
    /// `MARKET_STATUS_*`.
    pub status: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// `MARKET_FLAG_*` bits.
    pub flags: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 4],
    /// This market's own write load: what keepers rank a shard's hottest markets by.
    pub load: LoadMeter,
    /// Reserved for future header fields; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<MarketHeader>() == 160);
const _: () = assert!(core::mem::align_of::<MarketHeader>() == 8);
const _: () = assert!(core::mem::offset_of!(MarketHeader, shard_id) == 112);
const _: () = assert!(core::mem::offset_of!(MarketHeader, load) == 120);

impl MarketHeader {
    /// Header size: the AMM's tail starts here.
    pub const HEADER_LEN: usize = 160;
}

unsafe impl AccountLayout for MarketHeader {
    const DISCRIMINATOR: [u8; 8] = [219, 190, 213, 55, 0, 227, 198, 154];
}
