//! On-chain load of a shard and of each market: writes per slot, their EMA (and the shard's
//! peak). O(1) per write.
//!
//! `LoadMeter::ema_milli` is the exponential moving average, alpha = 1/8, of writes per slot x 1,000:
//! `ema' = (7 * ema + 1000 * writes) / 8` (floor), one step per slot. A slot's count is folded
//! into the EMA when the first write of a later slot arrives; every idle slot in between is a
//! step with zero writes, and after [`MAX_IDLE_DECAY_SLOTS`] idle slots the EMA is zero (bounded
//! work however long the gap). The SDK mirrors [`load_ema_at`] exactly.

use crate::state::load_meter::LoadMeter;
use crate::state::{MarketHeader, Shard};

/// Milli-units per write.
pub const MILLI: u64 = 1_000;
/// EMA weight: alpha = 1 / 2^EMA_SHIFT.
pub const EMA_SHIFT: u32 = 3;
/// Idle slots after which the load EMA is taken as zero.
pub const MAX_IDLE_DECAY_SLOTS: u64 = 64;
/// Per-slot write counts are capped here before scaling (keeps `* 1000` far from overflow).
pub const MAX_WRITES_PER_SLOT: u64 = 1 << 40;

/// One EMA step: `(7 * ema + sample) / 8`.
#[inline(always)]
pub fn ema_step(ema: u64, sample: u64) -> u64 {
    // ema and sample stay below 2^51, so 7 * ema + sample cannot overflow.
    (ema.wrapping_mul(7).wrapping_add(sample)) >> EMA_SHIFT
}

/// The load EMA as of `slot`: the meter's slot's writes folded in and idle slots decayed when
/// `slot` is later than it; the stored value when it is the same slot (the current slot's
/// writes are still being counted).
#[inline(always)]
pub fn load_ema_at(meter: &LoadMeter, slot: u64) -> u64 {
    if slot <= meter.slot {
        return meter.ema_milli;
    }
    let writes = if meter.writes_in_slot > MAX_WRITES_PER_SLOT {
        MAX_WRITES_PER_SLOT
    } else {
        meter.writes_in_slot
    };
    let mut ema = ema_step(meter.ema_milli, writes.wrapping_mul(MILLI));
    let idle = slot - meter.slot - 1;
    if idle >= MAX_IDLE_DECAY_SLOTS {
        return 0;
    }
    let mut i = 0;
    while i < idle && ema != 0 {
        ema = ema_step(ema, 0);
        i += 1;
    }
    ema
}

/// Records one write of `market` on `shard` at `slot`. Every instruction that writes a market
/// (register, deposit, and the AMM's trades and edits) calls this once. The caller has checked
/// that `shard` is the market's current shard.
#[inline(never)]
pub fn record_write(shard: &mut Shard, market: &mut MarketHeader, slot: u64) {
    count_write(&mut shard.load, slot);
    count_write(&mut market.load, slot);
    if shard.load.writes_in_slot > shard.peak_writes_per_slot {
        shard.peak_writes_per_slot = shard.load.writes_in_slot;
    }
    shard.total_writes = shard.total_writes.wrapping_add(1);
    market.write_count = market.write_count.wrapping_add(1);
    market.last_write_slot = slot;
}

/// Counts one write at `slot` on `meter` (folding the previous slot in first).
#[inline(always)]
fn count_write(meter: &mut LoadMeter, slot: u64) {
    if slot > meter.slot {
        meter.ema_milli = load_ema_at(meter, slot);
        meter.slot = slot;
        meter.writes_in_slot = 0;
    }
    meter.writes_in_slot = meter.writes_in_slot.wrapping_add(1);
}
