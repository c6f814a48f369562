/**
 * Bit-exact mirrors of the program's load and latency EMAs (`sharding/load.rs`,
 * `sharding/latency.rs`): alpha = 1/8, `ema' = (7 * ema + sample) >> 3`.
 */
import type { ShardAccount } from "../accounts/shard.js";

export const LOAD_MILLI = 1_000n;
/** Idle slots after which the load EMA is zero. */
export const MAX_IDLE_DECAY_SLOTS = 64n;
const MAX_WRITES_PER_SLOT = 1n << 40n;

/** One EMA step. */
export function emaStep(ema: bigint, sample: bigint): bigint {
  return (ema * 7n + sample) >> 3n;
}

/** The shard's load EMA (writes per slot x 1,000) as of `slot`, as the program computes it. */
export function loadEmaAt(shard: Pick<ShardAccount, "loadSlot" | "writesInSlot" | "loadEmaMilli">, slot: bigint): bigint {
  if (slot <= shard.loadSlot) return shard.loadEmaMilli;
  const writes = shard.writesInSlot > MAX_WRITES_PER_SLOT ? MAX_WRITES_PER_SLOT : shard.writesInSlot;
  let ema = emaStep(shard.loadEmaMilli, writes * LOAD_MILLI);
  const idle = slot - shard.loadSlot - 1n;
  if (idle >= MAX_IDLE_DECAY_SLOTS) return 0n;
  for (let i = 0n; i < idle && ema !== 0n; i++) ema = emaStep(ema, 0n);
  return ema;
}

/** The latency EMA after one more sample (the first sample sets it). */
export function latencyEmaNext(ema: bigint, samples: bigint, sampleUs: bigint): bigint {
  return samples === 0n ? sampleUs : emaStep(ema, sampleUs);
}
