import { ByteReader } from "../codec.js";
import { HOT_MARKETS } from "../constants.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";

/** `Shard` account size in bytes (layout in `programs/continuum/src/state/shard.rs`). */
export const SHARD_LEN = 344;
/** Size of one hottest-markets entry. */
export const HOT_MARKET_LEN = 48;

/** Byte offsets of the Shard fields. */
export const SHARD_OFFSETS = {
  discriminator: 0,
  marketCount: 8,
  collateralLamports: 16,
  loadSlot: 24,
  writesInSlot: 32,
  loadEmaMilli: 40,
  peakWritesPerSlot: 48,
  totalWrites: 56,
  latencyEmaUs: 64,
  latencyPeakUs: 72,
  latencySamples: 80,
  nextProposalSlot: 88,
  migratedIn: 96,
  migratedOut: 104,
  hotMarkets: 112,
  shardId: 304,
  bump: 305,
} as const;

/** Byte offsets inside one hottest-markets entry. */
export const HOT_MARKET_OFFSETS = { marketKey: 0, latencyEmaUs: 32, latencyPeakUs: 36, samples: 40 } as const;

/** One entry of a shard's hottest-markets table. */
export interface HotMarketEntry {
  marketKey: Uint8Array;
  latencyEmaUs: number;
  latencyPeakUs: number;
  /** 0 marks an empty entry. */
  samples: number;
}

/** Decoded Shard account. */
export interface ShardAccount {
  shardId: number;
  bump: number;
  marketCount: bigint;
  collateralLamports: bigint;
  loadSlot: bigint;
  writesInSlot: bigint;
  loadEmaMilli: bigint;
  peakWritesPerSlot: bigint;
  totalWrites: bigint;
  latencyEmaUs: bigint;
  latencyPeakUs: bigint;
  latencySamples: bigint;
  nextProposalSlot: bigint;
  migratedIn: bigint;
  migratedOut: bigint;
  /** All 4 entries, empty ones included (samples = 0). */
  hotMarkets: HotMarketEntry[];
}

export const SHARD_DISCRIMINATOR = accountDiscriminator("Shard");

/** Decodes Shard account data; throws on wrong size or discriminator. */
export function decodeShard(data: Uint8Array): ShardAccount {
  assertAccount(data, SHARD_LEN, SHARD_DISCRIMINATOR, "Shard");
  const r = new ByteReader(data);
  const o = SHARD_OFFSETS;
  const hotMarkets: HotMarketEntry[] = [];
  for (let i = 0; i < HOT_MARKETS; i++) {
    const at = o.hotMarkets + i * HOT_MARKET_LEN;
    const h = HOT_MARKET_OFFSETS;
    hotMarkets.push({
      marketKey: r.bytes(at + h.marketKey, 32),
      latencyEmaUs: r.u32(at + h.latencyEmaUs),
      latencyPeakUs: r.u32(at + h.latencyPeakUs),
      samples: r.u32(at + h.samples),
    });
  }
  return {
    shardId: r.u8(o.shardId),
    bump: r.u8(o.bump),
    marketCount: r.u64(o.marketCount),
    collateralLamports: r.u64(o.collateralLamports),
    loadSlot: r.u64(o.loadSlot),
    writesInSlot: r.u64(o.writesInSlot),
    loadEmaMilli: r.u64(o.loadEmaMilli),
    peakWritesPerSlot: r.u64(o.peakWritesPerSlot),
    totalWrites: r.u64(o.totalWrites),
    latencyEmaUs: r.u64(o.latencyEmaUs),
    latencyPeakUs: r.u64(o.latencyPeakUs),
    latencySamples: r.u64(o.latencySamples),
    nextProposalSlot: r.u64(o.nextProposalSlot),
    migratedIn: r.u64(o.migratedIn),
    migratedOut: r.u64(o.migratedOut),
    hotMarkets,
  };
}
