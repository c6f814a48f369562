//! Keeper-reported write latency: per-shard EMA and peak, and the hottest-markets table.
//!
//! EMA: alpha = 1/8, `ema' = (7 * ema + sample) / 8` (floor); the first sample sets the EMA.
//! The table keeps the [`HOT_MARKETS`] markets with the highest latency EMA among those
//! reported: a reported market updates its entry, else takes an empty entry, else replaces the
//! coolest entry if the new sample is hotter than that entry's EMA. O(table size).

use crate::state::shard::{HotMarket, HOT_MARKETS};
use crate::state::Shard;

#[inline(always)]
fn ema_u64(ema: u64, samples: u64, sample: u64) -> u64 {
    if samples == 0 {
        sample
    } else {
        (ema.wrapping_mul(7).wrapping_add(sample)) >> 3
    }
}

/// Folds one latency sample (microseconds) for `market_key` into `shard`.
#[inline(never)]
pub fn report(shard: &mut Shard, market_key: &[u8; 32], write_time_us: u32) {
    let sample = write_time_us as u64;
    shard.latency_ema_us = ema_u64(shard.latency_ema_us, shard.latency_samples, sample);
    if sample > shard.latency_peak_us {
        shard.latency_peak_us = sample;
    }
    shard.latency_samples = shard.latency_samples.wrapping_add(1);

    let mut found = HOT_MARKETS;
    let mut empty = HOT_MARKETS;
    let mut coolest = 0;
    let mut i = 0;
    while i < HOT_MARKETS {
        let entry = &shard.hot_markets[i];
        if entry.samples == 0 {
            if empty == HOT_MARKETS {
                empty = i;
            }
        } else {
            if entry.market_key == *market_key {
                found = i;
                break;
            }
            if entry.latency_ema_us < shard.hot_markets[coolest].latency_ema_us
                || shard.hot_markets[coolest].samples == 0
            {
                coolest = i;
            }
        }
        i += 1;
    }
    if found < HOT_MARKETS {
        let entry = &mut shard.hot_markets[found];
        entry.latency_ema_us =
            ema_u64(entry.latency_ema_us as u64, entry.samples as u64, sample) as u32;
        if write_time_us > entry.latency_peak_us {
            entry.latency_peak_us = write_time_us;
        }
        entry.samples = entry.samples.saturating_add(1);
        return;
    }
    let slot = if empty < HOT_MARKETS {
        empty
    } else if write_time_us > shard.hot_markets[coolest].latency_ema_us {
        coolest
    } else {
        return;
    };
    shard.hot_markets[slot] = HotMarket {
        market_key: *market_key,
        latency_ema_us: write_time_us,
        latency_peak_us: write_time_us,
        samples: 1,
        padding: [0; 4],
    };
}

/// Removes `market_key` from the hottest-markets table (after it migrated away).
#[inline(always)]
pub fn forget(shard: &mut Shard, market_key: &[u8; 32]) {
    let mut i = 0;
    while i < HOT_MARKETS {
        if shard.hot_markets[i].samples != 0 && shard.hot_markets[i].market_key == *market_key {
            shard.hot_markets[i] = HotMarket {
                market_key: [0; 32],
                latency_ema_us: 0,
                latency_peak_us: 0,
                samples: 0,
                padding: [0; 4],
            };
        }
        i += 1;
    }
}
