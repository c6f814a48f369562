/**
 * Mirror of the program's latency rules (`sharding/latency.rs`): samples bounded to
 * `1..=MAX_LATENCY_SAMPLE_US`, one report per keeper, shard and latency window, and a shard's
 * latency over threshold only when the stake that reported it hot in the current or previous
 * window reaches `Config.latency_quorum_bps` of the total active stake.
 */
import type { ConfigAccount } from "../accounts/config.js";
import type { LatencyTally, ShardAccount } from "../accounts/shard.js";
import { BPS_SCALE } from "../constants.js";

/** Largest latency sample the program accepts: one 400 ms slot, microseconds. */
export const MAX_LATENCY_SAMPLE_US = 400_000;

/** Whether `part` of `whole` reaches `thresholdBps` (a zero part never does). */
export function reachesBps(part: bigint, whole: bigint, thresholdBps: number): boolean {
  return part !== 0n && part * BPS_SCALE >= whole * BigInt(thresholdBps);
}

/** The latency window of `slot` (windows are `votingWindowSlots` long). */
export function latencyWindowOf(slot: bigint, config: Pick<ConfigAccount, "votingWindowSlots">): bigint {
  return config.votingWindowSlots === 0n ? 0n : slot / config.votingWindowSlots;
}

/** Hot stake of `window` or the window before it, from the shard's two tallies. */
export function recentHotStake(shard: Pick<ShardAccount, "latencyWindow" | "latencyCurrent" | "latencyPrevious">, window: bigint): bigint {
  if (shard.latencyWindow === window) {
    const a = shard.latencyCurrent.hotStake;
    const b = shard.latencyPrevious.hotStake;
    return a > b ? a : b;
  }
  return shard.latencyWindow + 1n === window ? shard.latencyCurrent.hotStake : 0n;
}

type QuorumConfig = Pick<ConfigAccount, "votingWindowSlots" | "totalActiveStake" | "latencyQuorumBps">;

/** Whether the program counts the shard's reported latency as over threshold at `slot`. */
export function latencyQuorumMet(shard: ShardAccount, config: QuorumConfig, slot: bigint): boolean {
  return reachesBps(recentHotStake(shard, latencyWindowOf(slot, config)), config.totalActiveStake, config.latencyQuorumBps);
}

/** Stake-weighted mean of a window's samples, microseconds (0 when nobody reported). */
export function latencyMeanUs(tally: LatencyTally): bigint {
  return tally.reportedStake === 0n ? 0n : tally.stakeLatencySum / tally.reportedStake;
}
