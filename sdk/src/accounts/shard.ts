import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { HOT_MARKETS } from "../constants.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";
import { decodeLoadMeter, type LoadMeter } from "./loadMeter.js";

/** `Shard` account size in bytes (layout in `programs/continuum/src/state/shard.rs`). */
export const SHARD_LEN = 432;
/** Size of one hottest-markets entry. */
export const HOT_MARKET_LEN = 48;
/** Size of one latency tally. */
export const LATENCY_TALLY_LEN = 32;

/** Byte offsets of the Shard fields. */
export const SHARD_OFFSETS = {
  discriminator: 0,
  marketCount: 8,
  collateralAmount: 16,
  load: 24,
  peakWritesPerSlot: 48,
  totalWrites: 56,
  latencyWindow: 64,
  latencyCurrent: 72,
  latencyPrevious: 104,
  latencyPeakUs: 136,
  latencySamples: 144,
  migratedIn: 152,
  migratedOut: 160,
  hotMarkets: 168,
  shardId: 360,
  bump: 361,
  vault: 368,
} as const;

/** Byte offsets inside one hottest-markets entry. */
export const HOT_MARKET_OFFSETS = { marketKey: 0, loadEmaMilli: 32, window: 40, latencyUs: 44 } as const;

/** One entry of a shard's hottest-markets table: a reported Market, ranked by its own load. */
export interface HotMarketEntry {
  marketKey: Uint8Array;
  /** The market's write-load EMA (writes per slot x 1,000) at the last report. */
  loadEmaMilli: bigint;
  /** Latency window of the last report + 1; 0 marks an empty entry. */
  window: number;
  /** Latency of the last report, microseconds. */
  latencyUs: number;
}

/** Keeper latency reports of one window. */
export interface LatencyTally {
  /** Stake that reported, lamports. */
  reportedStake: bigint;
  /** Stake that reported above the contention threshold, lamports. */
  hotStake: bigint;
  /** Sum of stake x sample (for the stake-weighted mean; see `latencyMeanUs`). */
  stakeLatencySum: bigint;
}

/** Decoded Shard account. */
export interface ShardAccount {
  shardId: number;
  bump: number;
  /** The shard's vault: its collateral token account (PDA `["vault", [shardId]]`, authority the Shard PDA). */
  vault: PublicKey;
  marketCount: bigint;
  /** Sum of the markets' `vaultAmount`: the vault's token balance, base units. */
  collateralAmount: bigint;
  /** On-chain write load of the shard's markets. */
  load: LoadMeter;
  peakWritesPerSlot: bigint;
  totalWrites: bigint;
  /** Latency window that `latencyCurrent` counts (`slot / votingWindowSlots`). */
  latencyWindow: bigint;
  latencyCurrent: LatencyTally;
  /** Tally of window `latencyWindow - 1` (zero if no report fell in it). */
  latencyPrevious: LatencyTally;
  latencyPeakUs: bigint;
  latencySamples: bigint;
  migratedIn: bigint;
  migratedOut: bigint;
  /** All 4 entries, empty ones included (window = 0). */
  hotMarkets: HotMarketEntry[];
}

export const SHARD_DISCRIMINATOR = accountDiscriminator("Shard");

function decodeTally(r: ByteReader, at: number): LatencyTally {
  return {
    reportedStake: r.u64(at),
    hotStake: r.u64(at + 8),
    stakeLatencySum: r.u64(at + 16) | (r.u64(at + 24) << 64n),
  };
}

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
      loadEmaMilli: r.u64(at + h.loadEmaMilli),
      window: r.u32(at + h.window),
      latencyUs: r.u32(at + h.latencyUs),
    });
  }
  return {
    shardId: r.u8(o.shardId),
    bump: r.u8(o.bump),
    vault: new PublicKey(r.bytes(o.vault, 32)),
    marketCount: r.u64(o.marketCount),
    collateralAmount: r.u64(o.collateralAmount),
    load: decodeLoadMeter(r, o.load),
    peakWritesPerSlot: r.u64(o.peakWritesPerSlot),
    totalWrites: r.u64(o.totalWrites),
    latencyWindow: r.u64(o.latencyWindow),
    latencyCurrent: decodeTally(r, o.latencyCurrent),
    latencyPrevious: decodeTally(r, o.latencyPrevious),
    latencyPeakUs: r.u64(o.latencyPeakUs),
    latencySamples: r.u64(o.latencySamples),
    migratedIn: r.u64(o.migratedIn),
    migratedOut: r.u64(o.migratedOut),
    hotMarkets,
  };
}
