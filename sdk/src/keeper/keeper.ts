/**
 * The keeper service: reads the sharding state, and votes on, proposes, executes and closes
 * rebalances by the policy in `policy.ts`. Every transaction's outcome is returned as a typed
 * `KeeperAction`; a failed transaction (or a failed read) is reported, never thrown.
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
import { collateralOf, type Collateral } from "../collateral.js";
import { PROGRAM_ID } from "../constants.js";
import {
  closeProposalInstruction,
  executeRebalanceInstruction,
  proposeRebalanceInstruction,
  reportContentionInstruction,
  voteRebalanceInstruction,
  type RebalancePlan,
} from "../instructions/sharding.js";
import { freeVoteEntries } from "../accounts/keeper.js";
import { marketKeyBytes, type MarketKey } from "../pda.js";
import type { RebalanceRecommendation } from "../sharding/rebalance.js";
import type { KeeperAction, ReportAction } from "./actions.js";
import { messageOf, safeSend, type Chain } from "./chain.js";
import { decideProposal, planRebalance, proposeBlocker, voteFits, type ProposalDecision } from "./policy.js";
import { readSnapshot, toHex, type KeeperSnapshot, type ProposalView } from "./snapshot.js";

/** Options of a `Keeper`. */
export interface KeeperOptions {
  programId?: PublicKey;
  /** Most markets one proposal moves (1..=8, default 1: the hottest reported market). */
  maxMarkets?: number;
  /** See `SnapshotOptions.proposalScanLimit` (default: scan every proposal id). */
  proposalScanLimit?: number;
}

/** A keeper bound to one authority (its keeper account must be registered to vote/propose). */
export class Keeper {
  readonly programId: PublicKey;
  /**
   * This keeper's own write-latency measurements by shard id (EMA, alpha 1/8, microseconds):
   * what its votes check a proposal against, never what other keepers reported.
   */
  readonly ownLatencyUs = new Map<number, number>();

  constructor(
    readonly chain: Chain,
    readonly authority: Keypair,
    readonly opts: KeeperOptions = {},
  ) {
    this.programId = opts.programId ?? PROGRAM_ID;
  }

  /** Config, shards, proposals still on chain, this keeper's account and own measurements. */
  snapshot(): Promise<KeeperSnapshot> {
    return readSnapshot(this.chain, {
      programId: this.programId,
      keeper: this.authority.publicKey,
      ownLatencyUs: new Map(this.ownLatencyUs),
      ...(this.opts.proposalScanLimit === undefined ? {} : { proposalScanLimit: this.opts.proposalScanLimit }),
    });
  }

  /** `checkRebalanceNeeded` on a snapshot (a fresh one when omitted). */
  async plan(snap?: KeeperSnapshot): Promise<RebalanceRecommendation | null> {
    return planRebalance(snap ?? (await this.snapshot()), this.opts.maxMarkets ?? 1);
  }

  /**
   * One iteration of the policy (see `policy.ts`) on a fresh snapshot: per proposal at most
   * one of execute / vote / close, then a proposal if no vote was cast. Actions are in the
   * order sent. Decisions are all made on the snapshot, so a vote that approves a proposal
   * is followed by its execution on the next tick, and an execution by the close. A proposal
   * listing a market that an execution of this same tick just moved is not executed (the
   * program would refuse it): it waits, and is closed once its approval has expired.
   */
  async tick(): Promise<KeeperAction[]> {
    let snap: KeeperSnapshot;
    try {
      snap = await this.snapshot();
    } catch (e) {
      return [{ kind: "read-error", error: messageOf(e) }];
    }
    const actions: KeeperAction[] = [];
    const moved = new Set<string>();
    let freeVotes = snap.keeper ? freeVoteEntries(snap.keeper, snap.slot) : 0;
    for (const p of snap.proposals) {
      const keys = p.account.markets.map(toHex);
      const decision = decideProposal(snap, p);
      if (decision.kind === "execute" && keys.some((k) => moved.has(k))) continue;
      if (decision.kind === "vote") {
        if (!voteFits(decision.approve, freeVotes)) continue;
        freeVotes -= 1;
      }
      const action = await this.actOn(p, decision, collateralOf(snap.config));
      if (!action) continue;
      actions.push(action);
      if (action.kind === "execute" && action.result.ok) for (const k of keys) moved.add(k);
    }
    if (!actions.some((a) => a.kind === "vote")) {
      const rec = planRebalance(snap, this.opts.maxMarkets ?? 1);
      if (rec && proposeBlocker(snap, rec) === null) {
        const plan: RebalancePlan = { from: rec.from, to: rec.to, markets: rec.markets };
        actions.push(await this.propose(plan, snap.config.proposalCount));
      }
    }
    return actions;
  }

  /** Carries out the decision on one proposal (null: nothing to send). */
  private async actOn(p: ProposalView, decision: ProposalDecision, collateral: Collateral): Promise<KeeperAction | null> {
    const id = p.id;
    switch (decision.kind) {
      case "execute": {
        const plan: RebalancePlan = { from: p.account.fromShard, to: p.account.toShard, markets: p.account.markets };
        // Both vaults and the mint: the markets' balances move between the vaults.
        const ix = executeRebalanceInstruction(id, plan, collateral, this.programId);
        return { kind: "execute", proposalId: id, plan, result: await safeSend(this.chain, [ix], []) };
      }
      case "vote": {
        const ix = voteRebalanceInstruction(this.authority.publicKey, id, decision.approve, this.programId);
        const result = await safeSend(this.chain, [ix], [this.authority]);
        return { kind: "vote", proposalId: id, approve: decision.approve, reason: decision.reason, result };
      }
      case "close": {
        const ix = closeProposalInstruction(p.account.proposer, id, this.programId);
        return { kind: "close", proposalId: id, result: await safeSend(this.chain, [ix], []) };
      }
      case "wait":
        return null;
    }
  }

  /** Sends `propose_rebalance(plan)` as proposal `proposalId`. */
  async propose(plan: RebalancePlan, proposalId: bigint): Promise<KeeperAction> {
    const ix = proposeRebalanceInstruction(this.authority.publicKey, plan, proposalId, this.programId);
    return { kind: "propose", proposalId, plan, result: await safeSend(this.chain, [ix], [this.authority]) };
  }

  /** Records one of this keeper's own write-latency measurements on `shardId`. */
  observeLatency(shardId: number, writeTimeUs: number): void {
    const prev = this.ownLatencyUs.get(shardId);
    this.ownLatencyUs.set(shardId, prev === undefined ? writeTimeUs : Math.floor((prev * 7 + writeTimeUs) / 8));
  }

  /**
   * Records `writeTimeUs` as this keeper's own measurement of `shardId` and reports it for
   * `marketKey` (`report_contention`; once per shard and latency window on chain).
   */
  async reportContention(shardId: number, writeTimeUs: number, marketKey: MarketKey): Promise<ReportAction> {
    this.observeLatency(shardId, writeTimeUs);
    const key = marketKeyBytes(marketKey);
    let result;
    try {
      const ix = reportContentionInstruction(this.authority.publicKey, shardId, writeTimeUs, key, this.programId);
      result = await safeSend(this.chain, [ix], [this.authority]);
    } catch (e) {
      result = { ok: false, error: messageOf(e), logs: [] };
    }
    return { kind: "report", shardId, writeTimeUs, marketKey: key, result };
  }
}
