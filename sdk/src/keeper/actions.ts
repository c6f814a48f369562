/** What a keeper did: one entry per transaction sent (or per failed read). */
import type { RebalancePlan } from "../instructions/sharding.js";
import type { SendResult } from "./chain.js";
import { toHex } from "./snapshot.js";
import { marketKeyBytes, type MarketKey } from "../pda.js";

/** A `propose_rebalance` sent for proposal id `proposalId` (= the config's proposal count). */
export interface ProposeAction {
  kind: "propose";
  proposalId: bigint;
  plan: RebalancePlan;
  result: SendResult;
}

/** A `vote_rebalance` sent. */
export interface VoteAction {
  kind: "vote";
  proposalId: bigint;
  approve: boolean;
  /** Why the policy voted so (the failed check of a no vote). */
  reason: string;
  result: SendResult;
}

/** An `execute_rebalance` sent. */
export interface ExecuteAction {
  kind: "execute";
  proposalId: bigint;
  plan: RebalancePlan;
  result: SendResult;
}

/** A `close_proposal` sent. */
export interface CloseAction {
  kind: "close";
  proposalId: bigint;
  result: SendResult;
}

/** A `report_contention` sent. */
export interface ReportAction {
  kind: "report";
  shardId: number;
  writeTimeUs: number;
  marketKey: Uint8Array;
  result: SendResult;
}

/** The snapshot could not be read (RPC down, program not initialized): nothing was sent. */
export interface ReadErrorAction {
  kind: "read-error";
  error: string;
}

/** Any keeper action. */
export type KeeperAction =
  | ProposeAction
  | VoteAction
  | ExecuteAction
  | CloseAction
  | ReportAction
  | ReadErrorAction;

/** Whether the action succeeded (a read error never does). */
export function actionOk(a: KeeperAction): boolean {
  return a.kind === "read-error" ? false : a.result.ok;
}

/** The first 8 hex digits of a market key. */
function short(key: MarketKey): string {
  return toHex(marketKeyBytes(key)).slice(0, 8);
}

/** One log line describing an action. */
export function describeAction(a: KeeperAction): string {
  if (a.kind === "read-error") return `read failed: ${a.error}`;
  const status = a.result.ok ? "ok" : `FAILED: ${a.result.error ?? "unknown error"}`;
  const markets = (p: RebalancePlan): string => p.markets.map(short).join(",");
  switch (a.kind) {
    case "propose":
      return `propose #${a.proposalId} shard ${a.plan.from} -> ${a.plan.to} [${markets(a.plan)}]: ${status}`;
    case "vote":
      return `vote ${a.approve ? "yes" : "no"} on #${a.proposalId} (${a.reason}): ${status}`;
    case "execute":
      return `execute #${a.proposalId} shard ${a.plan.from} -> ${a.plan.to} [${markets(a.plan)}]: ${status}`;
    case "close":
      return `close #${a.proposalId}: ${status}`;
    case "report":
      return `report ${a.writeTimeUs} us on shard ${a.shardId} market ${short(a.marketKey)}: ${status}`;
  }
}
