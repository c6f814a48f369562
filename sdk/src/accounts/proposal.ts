import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { MAX_PROPOSAL_MARKETS } from "../constants.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";

/**
 * `RebalanceProposal` account size in bytes (layout in `programs/continuum/src/state/proposal.rs`):
 * fixed, whatever the number of keepers (who voted is in the voters' Keeper accounts).
 */
export const PROPOSAL_LEN = 400;

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
  markets: 112,
  voteCount: 368,
  voteThresholdBps: 372,
  marketCount: 374,
  fromShard: 375,
  toShard: 376,
  status: 377,
  bump: 378,
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
  /** Bump of the PDA (the proposer names it; the SDK uses the canonical one). */
  bump: number;
}

export const PROPOSAL_DISCRIMINATOR = accountDiscriminator("RebalanceProposal");

/** Decodes RebalanceProposal data; throws on wrong size or discriminator. */
export function decodeRebalanceProposal(data: Uint8Array): RebalanceProposalAccount {
  assertAccount(data, PROPOSAL_LEN, PROPOSAL_DISCRIMINATOR, "RebalanceProposal");
  const r = new ByteReader(data);
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
  };
}
