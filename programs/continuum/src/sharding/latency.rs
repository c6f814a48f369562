//! Keeper-reported write latency, folded so that no single report and no minority of stake
//! decides anything:
//!
//! - samples are bounded to `1..=MAX_LATENCY_SAMPLE_US` (one 400 ms slot: a write that waited
//!   longer missed its slot for reasons sharding can't fix);
//! - time is cut into **latency windows** of `Config.voting_window_slots` slots; each keeper
//!   reports a shard at most once per window (`Keeper.reported_shards`);
//! - per window the shard adds up the reporting stake, the stake that reported above the
//!   contention threshold ("hot stake") and `stake * sample` (for a stake-weighted mean shown
//!   to operators, never used to decide);
//! - the shard's latency counts as over threshold iff the hot stake of the current or the
//!   previous window reaches `Config.latency_quorum_bps` of the total active stake
//!   ([`latency_quorum_met`]): a keeper can only ever add its own stake, once per window.
//!
//! The hottest-markets table ranks reported Markets by their own on-chain write load
//! (`MarketHeader.load`, which can't be raised without paying for real writes), not by the
//! reported latency: a report names a market, it can't make it hot. An entry last refreshed
//! before the previous window counts as empty.

use crate::sharding::load::load_ema_at;
use crate::sharding::voting::reaches_bps;
use crate::state::shard::{HotMarket, LatencyTally, HOT_MARKETS};
use crate::state::{Keeper, MarketHeader, Shard};
use continuum_math::wide::mul_u64_wide;

/// Largest accepted latency sample: one 400 ms slot, in microseconds.
pub const MAX_LATENCY_SAMPLE_US: u32 = 400_000;

/// The latency window of `slot`. `initialize_config` refuses a zero window; were it zero,
/// every slot would be window 0 rather than a division by zero.
#[inline(always)]
pub fn window_of(slot: u64, window_slots: u64) -> u64 {
    slot.checked_div(window_slots).unwrap_or(0)
}

/// Marks `shard_id` as reported by `keeper` in `window`; false if it already was.
#[inline(always)]
pub fn claim_report(keeper: &mut Keeper, shard_id: u8, window: u64) -> bool {
    let tag = window.wrapping_add(1);
    if keeper.report_window != tag {
        keeper.report_window = tag;
        keeper.reported_shards = [0; 32];
    }
    let bit = 1u8 << (shard_id & 7);
    match keeper.reported_shards.get_mut((shard_id >> 3) as usize) {
        Some(byte) if *byte & bit == 0 => {
            *byte |= bit;
            true
        }
        _ => false,
    }
}

/// Moves the shard's tallies to `window` (the current one becomes the previous one when they
/// are consecutive; older tallies are dropped).
#[inline(always)]
fn roll_to(shard: &mut Shard, window: u64) {
    if window == shard.latency_window {
        return;
    }
    shard.latency_previous = if window == shard.latency_window.wrapping_add(1) {
        shard.latency_current
    } else {
        LatencyTally::default()
    };
    shard.latency_current = LatencyTally::default();
    shard.latency_window = window;
}

/// One accepted report: who reported (its stake) and what.
pub struct Report<'a> {
    /// The reporting keeper's stake, lamports.
    pub stake: u64,
    /// Latency sample, microseconds (already bounded by the caller).
    pub sample_us: u32,
    /// Whether the sample is above the contention threshold.
    pub hot: bool,
    /// The reported Market (on this shard).
    pub market: &'a MarketHeader,
    /// Current slot.
    pub slot: u64,
    /// Latency window of `slot`.
    pub window: u64,
}

/// Folds one report into `shard`'s tallies and hottest-markets table.
#[inline(never)]
pub fn fold_report(shard: &mut Shard, report: &Report) {
    roll_to(shard, report.window);
    let tally = &mut shard.latency_current;
    tally.reported_stake = tally.reported_stake.saturating_add(report.stake);
    if report.hot {
        tally.hot_stake = tally.hot_stake.saturating_add(report.stake);
    }
    let sum = ((tally.stake_latency_sum[1] as u128) << 64 | tally.stake_latency_sum[0] as u128)
        .saturating_add(mul_u64_wide(report.stake, report.sample_us as u64));
    tally.stake_latency_sum = [sum as u64, (sum >> 64) as u64];
    if report.sample_us as u64 > shard.latency_peak_us {
        shard.latency_peak_us = report.sample_us as u64;
    }
    shard.latency_samples = shard.latency_samples.wrapping_add(1);
    rank_market(shard, report);
}

/// Load an entry ranks with in `window`: its recorded load while fresh, 0 once stale or empty.
#[inline(always)]
fn ranking_load(entry: &HotMarket, window: u64) -> u64 {
    let tag = window.wrapping_add(1);
    let fresh = entry.window != 0 && (entry.window as u64).wrapping_add(1) >= tag;
    if fresh {
        entry.load_ema_milli
    } else {
        0
    }
}

/// Updates the reported market's entry, or puts it in place of the entry with the lowest
/// ranking load if the market's own load is higher (an empty or stale entry ranks 0).
#[inline(always)]
fn rank_market(shard: &mut Shard, report: &Report) {
    let key = &report.market.market_key;
    let load = load_ema_at(&report.market.load, report.slot);
    let mut target = HOT_MARKETS;
    let mut coolest = 0;
    let mut coolest_load = u64::MAX;
    for (i, entry) in shard.hot_markets.iter().enumerate() {
        if entry.window != 0 && entry.market_key == *key {
            target = i;
            break;
        }
        let l = ranking_load(entry, report.window);
        if l < coolest_load {
            coolest_load = l;
            coolest = i;
        }
    }
    if target == HOT_MARKETS {
        if coolest_load != 0 && load <= coolest_load {
            return;
        }
        target = coolest;
    }
    if let Some(entry) = shard.hot_markets.get_mut(target) {
        *entry = HotMarket {
            market_key: *key,
            load_ema_milli: load,
            window: report.window.wrapping_add(1) as u32,
            latency_us: report.sample_us,
        };
    }
}

/// Whether the reports put the shard's latency over threshold in `window`: the hot stake of
/// `window` or of the window before reaches `quorum_bps` of `total_active_stake`.
#[inline(always)]
pub fn latency_quorum_met(
    shard: &Shard,
    window: u64,
    total_active_stake: u64,
    quorum_bps: u16,
) -> bool {
    let hot = if shard.latency_window == window {
        let a = shard.latency_current.hot_stake;
        let b = shard.latency_previous.hot_stake;
        if a > b {
            a
        } else {
            b
        }
    } else if shard.latency_window.wrapping_add(1) == window {
        shard.latency_current.hot_stake
    } else {
        0
    };
    reaches_bps(hot, total_active_stake, quorum_bps)
}

/// Removes `market_key` from the hottest-markets table (after it migrated away).
#[inline(always)]
pub fn forget(shard: &mut Shard, market_key: &[u8; 32]) {
    for entry in shard.hot_markets.iter_mut() {
        if entry.window != 0 && entry.market_key == *market_key {
            *entry = HotMarket {
                market_key: [0; 32],
                load_ema_milli: 0,
                window: 0,
                latency_us: 0,
            };
        }
    }
}
