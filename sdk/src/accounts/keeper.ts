import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";

/** `Keeper` account size in bytes (layout in `programs/continuum/src/state/keeper.rs`). */
export const KEEPER_LEN = 288;

/** Most proposals a keeper can have voted on whose voting windows are still open (`MAX_OPEN_VOTES`). */
export const MAX_OPEN_VOTES = 8;

/** Byte offsets of the Keeper fields. */
export const KEEPER_OFFSETS = {
  discriminator: 0,
  authority: 8,
  stake: 40,
  registeredSlot: 48,
  unregisterSlot: 56,
  voteLockUntilSlot: 64,
  nextProposalSlot: 72,
  votesCast: 80,
  proposalsMade: 88,
  reportWindow: 96,
  reportedShards: 104,
  index: 136,
  active: 140,
  bump: 141,
  openVotes: 144,
} as const;

/** One of a keeper's recorded votes (an all-zero entry is free). */
export interface OpenVote {
  proposalId: bigint;
  /** The proposal's `votingEndSlot`: the entry is reusable once the slot is past it. */
  votingEndSlot: bigint;
}

/** Decoded Keeper account. */
export interface KeeperAccount {
  authority: PublicKey;
  stake: bigint;
  registeredSlot: bigint;
  unregisterSlot: bigint;
  voteLockUntilSlot: bigint;
  nextProposalSlot: bigint;
  votesCast: bigint;
  proposalsMade: bigint;
  /** Latency window of `reportedShards` + 1 (0: never reported). */
  reportWindow: bigint;
  /** Bit per shard id reported in `reportWindow`. */
  reportedShards: Uint8Array;
  /** Registration order (informational). */
  index: number;
  active: boolean;
  bump: number;
  /** The `MAX_OPEN_VOTES` vote records (see `hasVoted`, `freeVoteEntries`). */
  openVotes: OpenVote[];
}

/** Whether the keeper's record holds a vote on this proposal (as `vote_rebalance` checks it). */
export function hasVoted(
  k: Pick<KeeperAccount, "openVotes">,
  p: { id: bigint; votingEndSlot: bigint },
): boolean {
  return k.openVotes.some((v) => v.proposalId === p.id && v.votingEndSlot === p.votingEndSlot);
}

/** How many more votes the keeper can cast at `slot` (entries whose window ended before it). */
export function freeVoteEntries(k: Pick<KeeperAccount, "openVotes">, slot: bigint): number {
  return k.openVotes.filter((v) => v.votingEndSlot < slot).length;
}

export const KEEPER_DISCRIMINATOR = accountDiscriminator("Keeper");

/** Decodes Keeper account data; throws on wrong size or discriminator. */
export function decodeKeeper(data: Uint8Array): KeeperAccount {
  assertAccount(data, KEEPER_LEN, KEEPER_DISCRIMINATOR, "Keeper");
  const r = new ByteReader(data);
  const o = KEEPER_OFFSETS;
  return {
    authority: new PublicKey(r.bytes(o.authority, 32)),
    stake: r.u64(o.stake),
    registeredSlot: r.u64(o.registeredSlot),
    unregisterSlot: r.u64(o.unregisterSlot),
    voteLockUntilSlot: r.u64(o.voteLockUntilSlot),
    nextProposalSlot: r.u64(o.nextProposalSlot),
    votesCast: r.u64(o.votesCast),
    proposalsMade: r.u64(o.proposalsMade),
    reportWindow: r.u64(o.reportWindow),
    reportedShards: r.bytes(o.reportedShards, 32),
    index: r.u32(o.index),
    active: r.u8(o.active) !== 0,
    bump: r.u8(o.bump),
    openVotes: Array.from({ length: MAX_OPEN_VOTES }, (_, i) => ({
      proposalId: r.u64(o.openVotes + 16 * i),
      votingEndSlot: r.u64(o.openVotes + 16 * i + 8),
    })),
  };
}
