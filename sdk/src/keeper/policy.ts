/**
 * The keeper policy as pure functions of a snapshot, so it can be read and tested apart from
 * the transport:
 *
 * - **execute** a proposal that is approved, inside its execution window, and whose markets
 *   are all still on its source shard (otherwise the program must refuse it: never send it);
 * - else **vote** on a proposal still in its window that this keeper has not voted on, if the
 *   keeper is active and in the proposal's snapshot: approve iff `assessProposal` finds the
 *   move supported by what the keeper can verify itself (below), reject otherwise; a keeper
 *   records at most `MAX_OPEN_VOTES` votes on open proposals, and keeps its last free entry for
 *   an approval (`voteFits`);
 * - else **close** a proposal that is finished: executed, rejected, or approved but expired;
 * - and, when this tick cast no vote, **propose** what `checkRebalanceNeeded` recommends, if
 *   the keeper is active with at least the minimum stake, out of its own cooldown, and no
 *   pending proposal from the same source is one this keeper would approve itself (a junk
 *   proposal from someone else never holds an honest one back).
 *
 * A yes vote needs all of these, none of which a keeper holding less than the approval
 * threshold of stake can fake without paying for real writes:
 * 1. the source shard is over threshold by the program's own rule (its on-chain write load
 *    AND a stake quorum of latency reports), and this keeper's own latency measurement of the
 *    source, when it has one, is above the contention threshold;
 * 2. every listed market exists, is on the source shard, and is among the source's hottest:
 *    no fresh hot-table market left off the list is hotter than the coolest listed one while
 *    it could have taken that one's place under the destination's load threshold;
 * 3. the destination stays cool after the move: its load plus the listed markets' loads is at
 *    most the load threshold, and this keeper's own latency measurement of it, when it has
 *    one, is not above the contention threshold.
 */
import type { MarketHeaderAccount } from "../accounts/market.js";
import { freeVoteEntries } from "../accounts/keeper.js";
import { ProposalStatus } from "../accounts/proposal.js";
import type { ShardAccount } from "../accounts/shard.js";
import { loadEmaAt } from "../sharding/load.js";
import {
  checkRebalanceNeeded,
  isApproved,
  isFreshEntry,
  isShardOverThreshold,
  type RebalanceRecommendation,
} from "../sharding/rebalance.js";
import type { KeeperSnapshot, ProposalView } from "./snapshot.js";
import { toHex } from "./snapshot.js";

/** Where a proposal stands at `slot`. */
export type ProposalPhase =
  /** Approved, inside its execution window: anyone may execute it. */
  | "approved"
  /** In its voting window, not (yet) approved. */
  | "voting"
  /** Executed: closable. */
  | "executed"
  /** Window over without approval: closable. */
  | "rejected"
  /** Approved, but its execution window is over: closable. */
  | "expired";

/** The phase of a proposal at `slot`. */
export function proposalPhase(p: ProposalView["account"], slot: bigint): ProposalPhase {
  if (p.status === ProposalStatus.Executed) return "executed";
  if (isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)) {
    return slot <= p.executionEndSlot ? "approved" : "expired";
  }
  return slot <= p.votingEndSlot ? "voting" : "rejected";
}

/** What the policy does with one proposal. */
export type ProposalDecision =
  | { kind: "execute" }
  | { kind: "vote"; approve: boolean; reason: string }
  | { kind: "close" }
  | { kind: "wait"; reason?: string };

/**
 * Whether the snapshot's keeper may vote on `p`: active, registered before the proposal (its
 * stake is in the snapshot), not voted, and with a free vote entry (`MAX_OPEN_VOTES`).
 */
export function canVote(snap: KeeperSnapshot, p: ProposalView): boolean {
  const k = snap.keeper;
  return k !== null && k.active && k.registeredSlot < p.account.createdSlot && !p.voted && freeVoteEntries(k, snap.slot) > 0;
}

/**
 * Whether a vote may take one of the keeper's `free` vote entries: an approval always, a
 * rejection only if another entry stays free. A rejection counts no more than abstaining (the
 * threshold is of the snapshot stake), so junk proposals can't use up the entries an approval
 * needs.
 */
export function voteFits(approve: boolean, free: number): boolean {
  return approve ? free > 0 : free > 1;
}

/** The headers of a proposal's markets (null for a market that doesn't exist). */
function listedMarkets(snap: KeeperSnapshot, p: ProposalView): (MarketHeaderAccount | null)[] {
  return p.account.markets.map((m) => snap.markets.get(toHex(m)) ?? null);
}

/** Why the keeper would reject `p` (null: it approves). See the module doc for the rules. */
export function assessProposal(snap: KeeperSnapshot, p: ProposalView): string | null {
  const { config, slot } = snap;
  const threshold = BigInt(config.contentionThresholdUs);
  const from = snap.shards.find((s) => s.shardId === p.account.fromShard);
  const to = snap.shards.find((s) => s.shardId === p.account.toShard);
  if (!from || !to) return "unknown shard";
  // 1. The source is hot, by the chain and by this keeper's own measurement.
  if (!isShardOverThreshold(from, config, slot)) return "source shard is not over threshold on chain";
  const ownFrom = snap.ownLatencyUs.get(from.shardId);
  if (ownFrom !== undefined && BigInt(ownFrom) <= threshold) return `own latency of source ${ownFrom} us is not over threshold`;
  // 2. The listed markets are real, on the source, and its hottest.
  const listed = listedMarkets(snap, p);
  if (listed.some((m) => m === null || m.shardId !== from.shardId)) return "a listed market is missing or not on the source";
  const loads = listed.map((m) => loadEmaAt(m!.load, slot));
  const coolestListed = loads.reduce((a, b) => (b < a ? b : a));
  if (coolestListed === 0n) return "a listed market has no write load";
  const listedKeys = new Set(p.account.markets.map(toHex));
  const moved = loads.reduce((a, b) => a + b, 0n);
  const toLoad = loadEmaAt(to.load, slot);
  for (const h of from.hotMarkets) {
    if (!isFreshEntry(h, config, slot) || listedKeys.has(toHex(h.marketKey))) continue;
    const other = snap.markets.get(toHex(h.marketKey));
    if (!other || other.shardId !== from.shardId) continue;
    const load = loadEmaAt(other.load, slot);
    // Left off legitimately only if it is cooler, or too hot to swap in for the coolest.
    if (load > coolestListed && toLoad + moved - coolestListed + load <= config.loadThresholdMilliWrites) {
      return "a hotter market of the source is not listed";
    }
  }
  // 3. The destination stays cool with them.
  if (toLoad + moved > config.loadThresholdMilliWrites) return "destination would be over the load threshold";
  const ownTo = snap.ownLatencyUs.get(to.shardId);
  if (ownTo !== undefined && BigInt(ownTo) > threshold) return `own latency of destination ${ownTo} us is over threshold`;
  return null;
}

/** Whether every market of `p` is still on its source shard (else executing it must fail). */
export function executable(snap: KeeperSnapshot, p: ProposalView): boolean {
  return listedMarkets(snap, p).every((m) => m !== null && m.shardId === p.account.fromShard);
}

/** The policy's decision for one proposal. */
export function decideProposal(snap: KeeperSnapshot, p: ProposalView): ProposalDecision {
  switch (proposalPhase(p.account, snap.slot)) {
    case "approved":
      return executable(snap, p) ? { kind: "execute" } : { kind: "wait", reason: "a listed market moved: wait for expiry" };
    case "voting": {
      if (!canVote(snap, p)) return { kind: "wait" };
      const why = assessProposal(snap, p);
      return { kind: "vote", approve: why === null, reason: why ?? "supported" };
    }
    case "executed":
    case "rejected":
    case "expired":
      return { kind: "close" };
  }
}

/**
 * Shards with stale hottest-markets entries dropped (entry kept only if its Market exists and
 * is still on that shard), so a recommendation never names a market the program would refuse.
 */
export function sanitizedShards(snap: KeeperSnapshot): ShardAccount[] {
  return snap.shards.map((s) => ({
    ...s,
    hotMarkets: s.hotMarkets.map((h) => {
      if (h.window === 0) return h;
      const m = snap.markets.get(toHex(h.marketKey));
      return m && m.shardId === s.shardId ? h : { ...h, window: 0 };
    }),
  }));
}

/** `checkRebalanceNeeded` on the snapshot (stale hot-market entries dropped). */
export function planRebalance(snap: KeeperSnapshot, maxMarkets = 1): RebalanceRecommendation | null {
  return checkRebalanceNeeded(sanitizedShards(snap), snap.config, { slot: snap.slot, maxMarkets });
}

/** Why this keeper would not propose right now (null: it may). */
export function proposeBlocker(snap: KeeperSnapshot, rec: RebalanceRecommendation): string | null {
  const k = snap.keeper;
  if (!k) return "keeper not registered";
  if (!k.active) return "keeper inactive";
  if (k.stake < snap.config.minKeeperStake) return "stake below minimum";
  if (snap.slot < k.nextProposalSlot) return "keeper in proposal cooldown";
  const own = snap.ownLatencyUs.get(rec.from);
  if (own !== undefined && BigInt(own) <= BigInt(snap.config.contentionThresholdUs)) {
    return `own latency of shard ${rec.from} is not over threshold`;
  }
  const pending = snap.proposals.some((p) => {
    const phase = proposalPhase(p.account, snap.slot);
    const live = phase === "approved" || (phase === "voting" && assessProposal(snap, p) === null);
    return p.account.fromShard === rec.from && live;
  });
  if (pending) return `a supported proposal from shard ${rec.from} is already pending`;
  return null;
}
