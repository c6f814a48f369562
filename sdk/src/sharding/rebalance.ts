/**
 * Keeper-side rebalancing logic: which shard is over threshold, and the proposal a keeper
 * would send. Mirrors the program's checks in `propose_rebalance` and `sharding/voting.rs`.
 */
import type { ConfigAccount } from "../accounts/config.js";
import type { ShardAccount } from "../accounts/shard.js";
import { BPS_SCALE, MAX_PROPOSAL_MARKETS } from "../constants.js";
import { loadEmaAt } from "./load.js";

/** Whether `yes` of `snapshot` stake reaches `thresholdBps` (zero yes-stake never approves). */
export function isApproved(yes: bigint, snapshot: bigint, thresholdBps: number): boolean {
  return yes !== 0n && yes * BPS_SCALE >= snapshot * BigInt(thresholdBps);
}

type Thresholds = Pick<ConfigAccount, "contentionThresholdUs" | "loadThresholdMilliWrites">;

/** Whether the program would accept this shard as a rebalance source at `slot`. */
export function isShardOverThreshold(shard: ShardAccount, config: Thresholds, slot: bigint): boolean {
  return (
    shard.latencyEmaUs > BigInt(config.contentionThresholdUs) ||
    loadEmaAt(shard, slot) > config.loadThresholdMilliWrites
  );
}

/**
 * Heat of a shard relative to the thresholds, in millionths of a threshold: the larger of
 * latency / contention threshold and load / load threshold.
 */
export function shardHeat(shard: ShardAccount, config: Thresholds, slot: bigint): bigint {
  const latency = (shard.latencyEmaUs * 1_000_000n) / BigInt(Math.max(1, config.contentionThresholdUs));
  const threshold = config.loadThresholdMilliWrites > 0n ? config.loadThresholdMilliWrites : 1n;
  const load = (loadEmaAt(shard, slot) * 1_000_000n) / threshold;
  return latency > load ? latency : load;
}

/** The proposal `checkRebalanceNeeded` recommends. */
export interface RebalanceRecommendation {
  from: number;
  to: number;
  /** Hottest reported markets of `from`, hottest first (1..=maxMarkets). */
  markets: Uint8Array[];
  /** `shardHeat` of the source and destination. */
  fromHeat: bigint;
  toHeat: bigint;
}

/**
 * The proposal a keeper would send, or null: the hottest shard that is over a threshold (and
 * not in its proposal cooldown at `slot`), its hottest reported market(s) (from the shard's
 * hottest-markets table), to the coolest other shard (lowest heat, then fewest markets, then
 * lowest id). Null when no shard is over threshold, the hot shard has no reported markets, or
 * there is no other shard.
 */
export function checkRebalanceNeeded(
  shards: readonly ShardAccount[],
  config: Thresholds,
  opts: { slot?: bigint; maxMarkets?: number } = {},
): RebalanceRecommendation | null {
  const slot = opts.slot ?? shards.reduce((m, s) => (s.loadSlot > m ? s.loadSlot : m), 0n);
  const maxMarkets = Math.max(1, Math.min(opts.maxMarkets ?? 1, MAX_PROPOSAL_MARKETS));
  const heats = shards.map((s) => shardHeat(s, config, slot));
  let hot = -1;
  shards.forEach((s, i) => {
    if (!isShardOverThreshold(s, config, slot) || slot < s.nextProposalSlot) return;
    if (!s.hotMarkets.some((h) => h.samples > 0)) return;
    if (hot < 0 || heats[i]! > heats[hot]!) hot = i;
  });
  if (hot < 0) return null;
  let cool = -1;
  shards.forEach((s, i) => {
    if (i === hot) return;
    if (
      cool < 0 ||
      heats[i]! < heats[cool]! ||
      (heats[i] === heats[cool] && (s.marketCount < shards[cool]!.marketCount ||
        (s.marketCount === shards[cool]!.marketCount && s.shardId < shards[cool]!.shardId)))
    ) {
      cool = i;
    }
  });
  if (cool < 0) return null;
  const markets = shards[hot]!.hotMarkets
    .filter((h) => h.samples > 0)
    .sort((a, b) => b.latencyEmaUs - a.latencyEmaUs)
    .slice(0, maxMarkets)
    .map((h) => h.marketKey);
  return { from: shards[hot]!.shardId, to: shards[cool]!.shardId, markets, fromHeat: heats[hot]!, toHeat: heats[cool]! };
}
