/**
 * The keeper policy as pure functions of a snapshot, so it can be read and tested apart from
 * the transport:
 *
 * - **execute** a proposal that is approved (`isApproved`) and not executed (execution is
 *   permissionless and the program allows it at any slot once approved);
 * - else **vote** on a proposal still in its window that this keeper has not voted on, if the
 *   keeper is active and registered before the proposal (otherwise the program would refuse
 *   it): approve iff the proposal's source shard is still over threshold
 *   (`isShardOverThreshold` at the snapshot slot), reject otherwise;
 * - else **close** a proposal that is executed, or whose window is over without approval;
 * - and, when this tick cast no vote, **propose** what `checkRebalanceNeeded` recommends, if
 *   the keeper is active with at least the minimum stake, out of its own cooldown (the
 *   shard's cooldown is checked by `checkRebalanceNeeded`), and no proposal from the same
 *   source shard is still pending (voting, or approved and not executed).
 */
import { ProposalStatus } from "../accounts/proposal.js";
import type { ShardAccount } from "../accounts/shard.js";
import { isApproved, isShardOverThreshold, checkRebalanceNeeded, type RebalanceRecommendation } from "../sharding/rebalance.js";
import type { KeeperSnapshot, ProposalView } from "./snapshot.js";
import { toHex } from "./snapshot.js";

/** Where a proposal stands at `slot`. */
export type ProposalPhase =
  /** Approved, not executed: anyone may execute it. */
  | "approved"
  /** In its voting window, not (yet) approved. */
  | "voting"
  /** Executed: closable. */
  | "executed"
  /** Window over without approval: closable. */
  | "rejected";

/** The phase of a proposal at `slot`. */
export function proposalPhase(p: ProposalView["account"], slot: bigint): ProposalPhase {
  if (p.status === ProposalStatus.Executed) return "executed";
  if (isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)) return "approved";
  return slot <= p.votingEndSlot ? "voting" : "rejected";
}

/** What the policy does with one proposal. */
export type ProposalDecision =
  | { kind: "execute" }
  | { kind: "vote"; approve: boolean }
  | { kind: "close" }
  | { kind: "wait" };

/** Whether the snapshot's keeper may vote on `p` (active, registered before the proposal). */
export function canVote(snap: KeeperSnapshot, p: ProposalView): boolean {
  const k = snap.keeper;
  return k !== null && k.active && k.registeredSlot < p.account.createdSlot && !p.voted;
}

/** The vote policy: approve iff the proposal's source shard is still over threshold. */
export function voteApproves(snap: KeeperSnapshot, p: ProposalView): boolean {
  const from = snap.shards.find((s) => s.shardId === p.account.fromShard);
  return from !== undefined && isShardOverThreshold(from, snap.config, snap.slot);
}

/** The policy's decision for one proposal. */
export function decideProposal(snap: KeeperSnapshot, p: ProposalView): ProposalDecision {
  switch (proposalPhase(p.account, snap.slot)) {
    case "approved":
      return { kind: "execute" };
    case "voting":
      return canVote(snap, p) ? { kind: "vote", approve: voteApproves(snap, p) } : { kind: "wait" };
    case "executed":
    case "rejected":
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
      if (h.samples === 0) return h;
      const m = snap.hotMarkets.get(toHex(h.marketKey));
      return m && m.shardId === s.shardId ? h : { ...h, samples: 0 };
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
  const pending = snap.proposals.some((p) => {
    const phase = proposalPhase(p.account, snap.slot);
    return p.account.fromShard === rec.from && (phase === "voting" || phase === "approved");
  });
  if (pending) return `a proposal from shard ${rec.from} is still pending`;
  return null;
}
