import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { MAX_PROPOSAL_MARKETS } from "../constants.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";

/**
 * Size of the fixed part of a `RebalanceProposal` (layout in `programs/continuum/src/state/proposal.rs`);
 * the voter map (`voterMapLen(snapshotKeeperCount)` bytes) follows.
 */
export const PROPOSAL_LEN = 400;

/** Bytes of a proposal's voter map for `keepers` keepers (whole u64 words). */
export function voterMapLen(keepers: bigint): number {
  return Number(((keepers + 63n) / 64n) * 8n);
}

/** Byte offsets of the RebalanceProposal fields. */
export const PROPOSAL_OFFSETS = {
  discriminator: 0,
  id: 8,
  proposer: 16,
  createdSlot: 48,
  votingEndSlot: 56,
  executionEndSlot: 64,
  snapshotTotalStake: 72,
  yesStake: 80,
  noStake: 88,
  executedSlot: 96,
  snapshotKeeperCount: 104,
  markets: 112,
  voteCount: 368,
  voteThresholdBps: 372,
  marketCount: 374,
  fromShard: 375,
  toShard: 376,
  status: 377,
  bump: 378,
  voters: 400,
} as const;

/** `RebalanceProposal.status` values (approval is computed from the stakes, see `isApproved`). */
export const ProposalStatus = { Voting: 0, Executed: 1 } as const;

/** Decoded RebalanceProposal. */
export interface RebalanceProposalAccount {
  id: bigint;
  proposer: PublicKey;
  createdSlot: bigint;
  votingEndSlot: bigint;
  /** Last slot at which an approval may be executed. */
  executionEndSlot: bigint;
  snapshotTotalStake: bigint;
  /** Keepers with a lower index may vote. */
  snapshotKeeperCount: bigint;
  yesStake: bigint;
  noStake: bigint;
  executedSlot: bigint;
  /** The `marketCount` market keys, in execution order. */
  markets: Uint8Array[];
  voteCount: number;
  voteThresholdBps: number;
  fromShard: number;
  toShard: number;
  status: number;
  bump: number;
  /** The voter map: bit `i % 8` of byte `i / 8` is set once keeper index `i` voted. */
  voters: Uint8Array;
}

/** Whether keeper `index` voted on `p`. */
export function hasVoted(p: Pick<RebalanceProposalAccount, "voters">, index: number): boolean {
  return ((p.voters[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

export const PROPOSAL_DISCRIMINATOR = accountDiscriminator("RebalanceProposal");

/** Decodes RebalanceProposal data; throws on wrong size or discriminator. */
export function decodeRebalanceProposal(data: Uint8Array): RebalanceProposalAccount {
  const r0 = new ByteReader(data);
  const keepers = data.length >= PROPOSAL_LEN ? r0.u64(PROPOSAL_OFFSETS.snapshotKeeperCount) : 0n;
  assertAccount(data, PROPOSAL_LEN + voterMapLen(keepers), PROPOSAL_DISCRIMINATOR, "RebalanceProposal");
  const r = r0;
  const o = PROPOSAL_OFFSETS;
  const count = Math.min(r.u8(o.marketCount), MAX_PROPOSAL_MARKETS);
  const markets: Uint8Array[] = [];
  for (let i = 0; i < count; i++) markets.push(r.bytes(o.markets + 32 * i, 32));
  return {
    id: r.u64(o.id),
    proposer: new PublicKey(r.bytes(o.proposer, 32)),
    createdSlot: r.u64(o.createdSlot),
    votingEndSlot: r.u64(o.votingEndSlot),
    executionEndSlot: r.u64(o.executionEndSlot),
    snapshotTotalStake: r.u64(o.snapshotTotalStake),
    snapshotKeeperCount: keepers,
    yesStake: r.u64(o.yesStake),
    noStake: r.u64(o.noStake),
    executedSlot: r.u64(o.executedSlot),
    markets,
    voteCount: r.u32(o.voteCount),
    voteThresholdBps: r.u16(o.voteThresholdBps),
    fromShard: r.u8(o.fromShard),
    toShard: r.u8(o.toShard),
    status: r.u8(o.status),
    bump: r.u8(o.bump),
    voters: r.bytes(o.voters, voterMapLen(keepers)),
  };
}
