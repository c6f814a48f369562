/**
 * Bit-exact mirror of the program's write-load EMA (`sharding/load.rs`), kept on every Shard
 * and every Market: alpha = 1/8, `ema' = (7 * ema + sample) >> 3`.
 */
import type { LoadMeter } from "../accounts/loadMeter.js";

export const LOAD_MILLI = 1_000n;
/** Idle slots after which the load EMA is zero. */
export const MAX_IDLE_DECAY_SLOTS = 64n;
const MAX_WRITES_PER_SLOT = 1n << 40n;

/** One EMA step. */
export function emaStep(ema: bigint, sample: bigint): bigint {
  return (ema * 7n + sample) >> 3n;
}

/** A meter's load EMA (writes per slot x 1,000) as of `slot`, as the program computes it. */
export function loadEmaAt(meter: LoadMeter, slot: bigint): bigint {
  if (slot <= meter.slot) return meter.emaMilli;
  const writes = meter.writesInSlot > MAX_WRITES_PER_SLOT ? MAX_WRITES_PER_SLOT : meter.writesInSlot;
  let ema = emaStep(meter.emaMilli, writes * LOAD_MILLI);
  const idle = slot - meter.slot - 1n;
  if (idle >= MAX_IDLE_DECAY_SLOTS) return 0n;
  for (let i = 0n; i < idle && ema !== 0n; i++) ema = emaStep(ema, 0n);
  return ema;
}
