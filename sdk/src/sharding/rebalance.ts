/**
 * Keeper-side rebalancing logic: which shard the program would accept as a rebalance source,
 * and the proposal a keeper would send. Mirrors the program's checks in `propose_rebalance`
 * (`sharding/load.rs`, `sharding/latency.rs`, `sharding/voting.rs`).
 */
import type { ConfigAccount } from "../accounts/config.js";
import type { HotMarketEntry, ShardAccount } from "../accounts/shard.js";
import { MAX_PROPOSAL_MARKETS } from "../constants.js";
import { latencyQuorumMet, latencyWindowOf, reachesBps } from "./latency.js";
import { loadEmaAt } from "./load.js";

/** Whether `yes` of `snapshot` stake reaches `thresholdBps` (zero yes-stake never approves). */
export function isApproved(yes: bigint, snapshot: bigint, thresholdBps: number): boolean {
  return reachesBps(yes, snapshot, thresholdBps);
}

/** The config fields the source-shard rule reads. */
export type Thresholds = Pick<
  ConfigAccount,
  "loadThresholdMilliWrites" | "votingWindowSlots" | "totalActiveStake" | "latencyQuorumBps"
>;

/** Whether the shard's own on-chain write load is over the load threshold at `slot`. */
export function isLoadOverThreshold(shard: ShardAccount, config: Thresholds, slot: bigint): boolean {
  return loadEmaAt(shard.load, slot) > config.loadThresholdMilliWrites;
}

/**
 * Whether the program would accept this shard as a rebalance source at `slot`: its on-chain
 * load is over threshold AND keepers holding the latency quorum reported it hot.
 */
export function isShardOverThreshold(shard: ShardAccount, config: Thresholds, slot: bigint): boolean {
  return isLoadOverThreshold(shard, config, slot) && latencyQuorumMet(shard, config, slot);
}

/** A shard's load relative to the load threshold, in millionths of the threshold. */
export function shardHeat(shard: ShardAccount, config: Thresholds, slot: bigint): bigint {
  const threshold = config.loadThresholdMilliWrites > 0n ? config.loadThresholdMilliWrites : 1n;
  return (loadEmaAt(shard.load, slot) * 1_000_000n) / threshold;
}

/** Whether a hot-table entry is live at `slot` (reported in this latency window or the last). */
export function isFreshEntry(entry: HotMarketEntry, config: Thresholds, slot: bigint): boolean {
  return entry.window !== 0 && BigInt(entry.window) + 1n >= latencyWindowOf(slot, config) + 1n;
}

/** The proposal `checkRebalanceNeeded` recommends. */
export interface RebalanceRecommendation {
  from: number;
  to: number;
  /** Hottest reported markets of `from` by their on-chain load, hottest first. */
  markets: Uint8Array[];
  /** `shardHeat` of the source and destination. */
  fromHeat: bigint;
  toHeat: bigint;
  /** Sum of the listed markets' load EMAs as last reported (writes per slot x 1,000). */
  movedLoadMilli: bigint;
}

/**
 * The proposal a keeper would send, or null: the hottest shard the program accepts as a source,
 * its hottest fresh hot-table markets by on-chain load (1..=maxMarkets, hottest first, skipping
 * any that would put the destination over the load threshold), to the coolest other shard
 * (lowest load, then fewest markets, then lowest id).
 */
export function checkRebalanceNeeded(
  shards: readonly ShardAccount[],
  config: Thresholds,
  opts: { slot?: bigint; maxMarkets?: number } = {},
): RebalanceRecommendation | null {
  const slot = opts.slot ?? shards.reduce((m, s) => (s.load.slot > m ? s.load.slot : m), 0n);
  const maxMarkets = Math.max(1, Math.min(opts.maxMarkets ?? 1, MAX_PROPOSAL_MARKETS));
  const heats = shards.map((s) => shardHeat(s, config, slot));
  let hot = -1;
  shards.forEach((s, i) => {
    if (!isShardOverThreshold(s, config, slot)) return;
    if (!s.hotMarkets.some((h) => isFreshEntry(h, config, slot))) return;
    if (hot < 0 || heats[i]! > heats[hot]!) hot = i;
  });
  if (hot < 0) return null;
  let cool = -1;
  shards.forEach((s, i) => {
    if (i === hot) return;
    const c = shards[cool];
    if (
      cool < 0 ||
      heats[i]! < heats[cool]! ||
      (heats[i] === heats[cool] && (s.marketCount < c!.marketCount || (s.marketCount === c!.marketCount && s.shardId < c!.shardId)))
    ) {
      cool = i;
    }
  });
  if (cool < 0) return null;
  const candidates = shards[hot]!.hotMarkets
    .filter((h) => isFreshEntry(h, config, slot) && h.loadEmaMilli > 0n)
    .sort((a, b) => (b.loadEmaMilli > a.loadEmaMilli ? 1 : b.loadEmaMilli < a.loadEmaMilli ? -1 : 0));
  const destLoad = loadEmaAt(shards[cool]!.load, slot);
  const markets: Uint8Array[] = [];
  let moved = 0n;
  for (const h of candidates) {
    if (markets.length === maxMarkets) break;
    // A market too hot for the destination is skipped (moving it would only move the
    // problem); a cooler one may still fit.
    if (destLoad + moved + h.loadEmaMilli > config.loadThresholdMilliWrites) continue;
    markets.push(h.marketKey);
    moved += h.loadEmaMilli;
  }
  if (markets.length === 0) return null;
  return { from: shards[hot]!.shardId, to: shards[cool]!.shardId, markets, fromHeat: heats[hot]!, toHeat: heats[cool]!, movedLoadMilli: moved };
}
