//! `Shard`: one write-lock domain. Holds the collateral lamports of its markets and tracks
//! their load (on-chain writes per slot), keeper-reported write latency and hottest markets.
//!
//! PDA seeds: `["shard", [shard_id]]`, canonical bump. Created by `init_shard` for every
//! `shard_id < Config.shard_count`.
//!
//! Lamports: `rent-exempt minimum + collateral_lamports` (+ anything donated to the address).
//! `collateral_lamports` is the sum of `vault_lamports` of the markets on this shard.

use super::AccountLayout;

/// PDA seed prefix of Shard accounts.
pub const SHARD_SEED: &[u8] = b"shard";
/// Entries in [`Shard::hot_markets`].
pub const HOT_MARKETS: usize = 4;

/// One entry of a shard's hottest-markets table (keeper-reported latency per market).
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 32 | market_key |
/// | 32 | 4 | latency_ema_us |
/// | 36 | 4 | latency_peak_us |
/// | 40 | 4 | samples (0 = empty entry) |
/// | 44 | 4 | padding |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotMarket {
    /// The market's key (`Market.market_key`).
    pub market_key: [u8; 32],
    /// EMA (alpha 1/8) of the reported write latency, microseconds.
    pub latency_ema_us: u32,
    /// Highest reported latency, microseconds.
    pub latency_peak_us: u32,
    /// Samples folded into this entry; 0 marks an empty entry.
    pub samples: u32,
    /// Explicit padding; zero.
    pub padding: [u8; 4],
}

const _: () = assert!(core::mem::size_of::<HotMarket>() == 48);

/// A shard.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 8 | market_count |
/// | 16 | 8 | collateral_lamports |
/// | 24 | 8 | load_slot |
/// | 32 | 8 | writes_in_slot |
/// | 40 | 8 | load_ema_milli |
/// | 48 | 8 | peak_writes_per_slot |
/// | 56 | 8 | total_writes |
/// | 64 | 8 | latency_ema_us |
/// | 72 | 8 | latency_peak_us |
/// | 80 | 8 | latency_samples |
/// | 88 | 8 | next_proposal_slot |
/// | 96 | 8 | migrated_in |
/// | 104 | 8 | migrated_out |
/// | 112 | 192 | hot_markets (4 x [`HotMarket`]) |
/// | 304 | 1 | shard_id |
/// | 305 | 1 | bump |
/// | 306 | 6 | padding |
/// | 312 | 32 | reserved |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// `sha256("account:Shard")[..8]`.
    pub discriminator: [u8; 8],
    /// Markets currently on this shard.
    pub market_count: u64,
    /// Sum of `vault_lamports` of the markets on this shard (lamports held above rent).
    pub collateral_lamports: u64,
    /// Slot of the last recorded write (the slot `writes_in_slot` counts).
    pub load_slot: u64,
    /// Writes recorded in `load_slot`.
    pub writes_in_slot: u64,
    /// EMA (alpha 1/8) of writes per slot x 1,000, folded up to `load_slot` (exclusive).
    pub load_ema_milli: u64,
    /// Most writes recorded in one slot.
    pub peak_writes_per_slot: u64,
    /// Writes recorded since creation.
    pub total_writes: u64,
    /// EMA (alpha 1/8) of keeper-reported write latency, microseconds.
    pub latency_ema_us: u64,
    /// Highest keeper-reported latency, microseconds.
    pub latency_peak_us: u64,
    /// Latency samples reported.
    pub latency_samples: u64,
    /// First slot at which a new rebalance proposal may take this shard as its source.
    pub next_proposal_slot: u64,
    /// Markets migrated onto this shard.
    pub migrated_in: u64,
    /// Markets migrated off this shard.
    pub migrated_out: u64,
    /// Hottest markets by reported latency EMA.
    pub hot_markets: [HotMarket; HOT_MARKETS],
    /// This shard's id (< `Config.shard_count`).
    pub shard_id: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 6],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<Shard>() == 344);
const _: () = assert!(core::mem::align_of::<Shard>() == 8);
const _: () = assert!(core::mem::offset_of!(Shard, hot_markets) == 112);
const _: () = assert!(core::mem::offset_of!(Shard, shard_id) == 304);

unsafe impl AccountLayout for Shard {
    const DISCRIMINATOR: [u8; 8] = [141, 83, 41, 244, 139, 88, 245, 70];
}
