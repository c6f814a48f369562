import type { ByteReader } from "../codec.js";

/** On-chain write load (`state/load_meter.rs`), embedded in Shard and Market accounts. */
export interface LoadMeter {
  /** Slot of the last recorded write. */
  slot: bigint;
  /** Writes recorded in `slot`. */
  writesInSlot: bigint;
  /** EMA (alpha 1/8) of writes per slot x 1,000, folded up to `slot` (exclusive). */
  emaMilli: bigint;
}

/** Size of a LoadMeter in bytes. */
export const LOAD_METER_LEN = 24;

/** Reads the LoadMeter at `at`. */
export function decodeLoadMeter(r: ByteReader, at: number): LoadMeter {
  return { slot: r.u64(at), writesInSlot: r.u64(at + 8), emaMilli: r.u64(at + 16) };
}
