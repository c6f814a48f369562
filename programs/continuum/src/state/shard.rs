//! `Shard`: one write-lock domain. Holds the collateral of its markets (in its vault, a token
//! account of the collateral mint whose authority is the Shard PDA) and tracks
//! their load (on-chain writes per slot), keeper-reported write latency and hottest markets.
//!
//! PDA seeds: `["shard", [shard_id]]`, canonical bump. Created by `init_shard` for every
//! `shard_id < Config.shard_count`.
//!
//! Money: the vault's token balance is `collateral_amount` (+ anything donated to it), the sum
//! of `vault_amount` of the markets on this shard, in base units of the collateral mint. The
//! Shard PDA itself holds only its rent.
//!
//! Latency is counted per **latency window** (`slot / Config.voting_window_slots`): each keeper
//! reports a shard at most once per window, and the shard adds up the stake that reported and
//! the stake that reported above `Config.contention_threshold_us`. A shard's latency counts as
//! hot only when that hot stake reaches `Config.latency_quorum_bps` of the total active stake
//! (`sharding::latency`), so no report, however large, and no minority of stake sets it.

use super::load_meter::LoadMeter;
use super::AccountLayout;

/// PDA seed prefix of Shard accounts.
pub const SHARD_SEED: &[u8] = b"shard";
/// PDA seed prefix of shard vaults (`["vault", [shard_id]]`, token accounts).
pub const VAULT_SEED: &[u8] = b"vault";
/// Entries in [`Shard::hot_markets`].
pub const HOT_MARKETS: usize = 4;

/// One entry of a shard's hottest-markets table: a Market on this shard that a keeper
/// reported, ranked by the market's own ON-CHAIN write load at the report.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 32 | market_key |
/// | 32 | 8 | load_ema_milli |
/// | 40 | 4 | window (latency window of the last report + 1; 0 = empty entry) |
/// | 44 | 4 | latency_us |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotMarket {
    /// The market's key (`Market.market_key`).
    pub market_key: [u8; 32],
    /// The market's write-load EMA (writes per slot x 1,000) as of the last report's slot.
    pub load_ema_milli: u64,
    /// Latency window of the last report, plus one; 0 marks an empty entry. Entries older
    /// than the previous window count as empty when ranking.
    pub window: u32,
    /// Latency of the last report on this market, microseconds.
    pub latency_us: u32,
}

const _: () = assert!(core::mem::size_of::<HotMarket>() == 48);

/// Latency reported in one window.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | reported_stake |
/// | 8 | 8 | hot_stake |
/// | 16 | 16 | stake_latency_sum (u128 LE halves: sum of stake x sample) |
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LatencyTally {
    /// Stake of the keepers that reported in the window, lamports.
    pub reported_stake: u64,
    /// Stake of those whose sample was above the contention threshold, lamports.
    pub hot_stake: u64,
    /// Sum of `stake * sample` (u128, little-endian halves), for the stake-weighted mean.
    pub stake_latency_sum: [u64; 2],
}

const _: () = assert!(core::mem::size_of::<LatencyTally>() == 32);

/// A shard.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 8 | market_count |
/// | 16 | 8 | collateral_amount |
/// | 24 | 24 | load ([`LoadMeter`]: slot, writes_in_slot, ema_milli) |
/// | 48 | 8 | peak_writes_per_slot |
/// | 56 | 8 | total_writes |
/// | 64 | 8 | latency_window |
/// | 72 | 32 | latency_current ([`LatencyTally`] of `latency_window`) |
/// | 104 | 32 | latency_previous ([`LatencyTally`] of `latency_window - 1`) |
/// | 136 | 8 | latency_peak_us |
/// | 144 | 8 | latency_samples |
/// | 152 | 8 | migrated_in |
/// | 160 | 8 | migrated_out |
/// | 168 | 192 | hot_markets (4 x [`HotMarket`]) |
/// | 360 | 1 | shard_id |
/// | 361 | 1 | bump |
/// | 362 | 6 | padding |
/// | 368 | 32 | vault |
/// | 400 | 32 | reserved |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// `sha256("account:Shard")[..8]`.
    pub discriminator: [u8; 8],
    /// Markets currently on this shard.
    pub market_count: u64,
    /// Sum of `vault_amount` of the markets on this shard: the vault's balance, base units.
    pub collateral_amount: u64,
    /// Writes to this shard's markets, per slot (EMA).
    pub load: LoadMeter,
    /// Most writes recorded in one slot.
    pub peak_writes_per_slot: u64,
    /// Writes recorded since creation.
    pub total_writes: u64,
    /// Latency window that `latency_current` counts.
    pub latency_window: u64,
    /// Reports of `latency_window`.
    pub latency_current: LatencyTally,
    /// Reports of `latency_window - 1` (zero if no report fell in it).
    pub latency_previous: LatencyTally,
    /// Highest accepted latency sample, microseconds (bounded by `MAX_LATENCY_SAMPLE_US`).
    pub latency_peak_us: u64,
    /// Latency samples accepted.
    pub latency_samples: u64,
    /// Markets migrated onto this shard.
    pub migrated_in: u64,
    /// Markets migrated off this shard.
    pub migrated_out: u64,
    /// Hottest reported markets, by their on-chain load.
    pub hot_markets: [HotMarket; HOT_MARKETS],
    /// This shard's id (< `Config.shard_count`).
    pub shard_id: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 6],
    /// This shard's vault: the collateral token account at PDA `["vault", [shard_id]]`, owned
    /// (as token authority) by this Shard PDA, created by `init_shard`. Every money flow of
    /// the shard's markets names it, and this address is what they are checked against.
    pub vault: [u8; 32],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<Shard>() == 432);
const _: () = assert!(core::mem::align_of::<Shard>() == 8);
const _: () = assert!(core::mem::offset_of!(Shard, latency_current) == 72);
const _: () = assert!(core::mem::offset_of!(Shard, hot_markets) == 168);
const _: () = assert!(core::mem::offset_of!(Shard, shard_id) == 360);

unsafe impl AccountLayout for Shard {
    const DISCRIMINATOR: [u8; 8] = [141, 83, 41, 244, 139, 88, 245, 70];
}
