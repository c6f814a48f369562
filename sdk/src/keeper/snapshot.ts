/**
 * One consistent-enough read of the sharding state a keeper acts on: config, every shard,
 * the proposals still on chain, this keeper's account, and the Market headers of every
 * shard's hottest markets and of every listed proposal market (their own on-chain load is
 * what the keeper checks a proposal against).
 */
import type { PublicKey } from "@solana/web3.js";
import { decodeConfig, type ConfigAccount } from "../accounts/config.js";
import { decodeKeeper, hasVoted, type KeeperAccount } from "../accounts/keeper.js";
import { decodeMarketHeader, type MarketHeaderAccount } from "../accounts/market.js";
import { decodeRebalanceProposal, type RebalanceProposalAccount } from "../accounts/proposal.js";
import { decodeShard, type ShardAccount } from "../accounts/shard.js";
import { PROGRAM_ID } from "../constants.js";
import { findConfigPda, findKeeperPda, findMarketPda, findProposalPda, findShardPda } from "../pda.js";
import { getAccounts, type ChainReader } from "./chain.js";

/** A proposal account still on chain (not closed). */
export interface ProposalView {
  id: bigint;
  address: PublicKey;
  account: RebalanceProposalAccount;
  /** Whether the snapshot's keeper has a vote on it recorded (false without a keeper). */
  voted: boolean;
}

/** What `readSnapshot` returns. */
export interface KeeperSnapshot {
  /** The slot the snapshot was taken at. */
  slot: bigint;
  config: ConfigAccount;
  /** Initialized shards, by id (a shard not yet initialized is absent). */
  shards: ShardAccount[];
  /** Proposals in `[0, config.proposalCount)` whose account still exists, by id. */
  proposals: ProposalView[];
  /** The keeper's account, null when unregistered or when no keeper was given. */
  keeper: KeeperAccount | null;
  /**
   * Market headers of the shards' hottest-markets entries and of the live proposals' markets,
   * by hex market key (null: absent).
   */
  markets: Map<string, MarketHeaderAccount | null>;
  /**
   * This keeper's own write-latency measurements by shard id (microseconds), as the `Keeper`
   * recorded them; empty when it measured nothing.
   */
  ownLatencyUs: Map<number, number>;
}

/** Options of `readSnapshot`. */
export interface SnapshotOptions {
  programId?: PublicKey;
  /** Whose keeper account to read. */
  keeper?: PublicKey;
  /** The keeper's own latency measurements, carried into the snapshot. */
  ownLatencyUs?: Map<number, number>;
  /**
   * Scan only the last `proposalScanLimit` proposal ids (default: all of `[0, proposalCount)`).
   * Older proposals left open (approved but never executable) are then ignored.
   */
  proposalScanLimit?: number;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Reads config, shards, proposals, keeper and hot-market headers from `reader`. */
export async function readSnapshot(reader: ChainReader, opts: SnapshotOptions = {}): Promise<KeeperSnapshot> {
  const programId = opts.programId ?? PROGRAM_ID;
  const slot = await reader.getSlot();
  const configAccount = await reader.getAccount(findConfigPda(programId)[0]);
  if (!configAccount) throw new Error("Config account not found: is the program initialized?");
  const config = decodeConfig(configAccount.data);

  const shardIds = Array.from({ length: config.shardCount }, (_, i) => i);
  const first = opts.proposalScanLimit === undefined ? 0n : maxBig(0n, config.proposalCount - BigInt(opts.proposalScanLimit));
  const ids: bigint[] = [];
  for (let id = first; id < config.proposalCount; id++) ids.push(id);
  const proposalKeys = ids.map((id) => findProposalPda(id, programId)[0]);
  const keeperKey = opts.keeper ? [findKeeperPda(opts.keeper, programId)[0]] : [];
  const accounts = await getAccounts(reader, [...shardIds.map((id) => findShardPda(id, programId)[0]), ...proposalKeys, ...keeperKey]);

  const shards = accounts.slice(0, shardIds.length).flatMap((a) => (a ? [decodeShard(a.data)] : []));
  const proposalAccounts = accounts.slice(shardIds.length, shardIds.length + ids.length);
  const keeperAccount = opts.keeper ? accounts[shardIds.length + ids.length] ?? null : null;

  const keeper = keeperAccount ? decodeKeeper(keeperAccount.data) : null;
  const proposals = ids.flatMap((id, i) => {
    const a = proposalAccounts[i];
    if (!a) return [];
    const account = decodeRebalanceProposal(a.data);
    const voted = keeper !== null && hasVoted(keeper, account);
    return [{ id, address: proposalKeys[i]!, account, voted }];
  });

  const marketKeys = [
    ...new Set([
      ...shards.flatMap((s) => s.hotMarkets.filter((h) => h.window !== 0).map((h) => toHex(h.marketKey))),
      ...proposals.flatMap((p) => p.account.markets.map(toHex)),
    ]),
  ];
  const marketAccounts = await getAccounts(reader, marketKeys.map((k) => findMarketPda(Buffer.from(k, "hex"), programId)[0]));
  const markets = new Map(marketKeys.map((k, i) => [k, decodeMarketOrNull(marketAccounts[i]?.data)]));

  return { slot, config, shards, proposals, keeper, markets, ownLatencyUs: opts.ownLatencyUs ?? new Map() };
}

function decodeMarketOrNull(data: Uint8Array | undefined): MarketHeaderAccount | null {
  if (!data) return null;
  try {
    return decodeMarketHeader(data);
  } catch {
    return null;
  }
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
