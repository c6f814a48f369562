import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";
import { assertAccount } from "./config.js";

/** `VoteRecord` size in bytes (layout in `programs/continuum/src/state/vote.rs`). */
export const VOTE_RECORD_LEN = 96;

/** Byte offsets of the VoteRecord fields. */
export const VOTE_RECORD_OFFSETS = {
  discriminator: 0,
  proposal: 8,
  keeper: 40,
  weight: 72,
  slot: 80,
  approve: 88,
  bump: 89,
} as const;

/** Decoded VoteRecord. */
export interface VoteRecordAccount {
  proposal: PublicKey;
  /** The voting keeper's authority. */
  keeper: PublicKey;
  weight: bigint;
  slot: bigint;
  approve: boolean;
  bump: number;
}

export const VOTE_RECORD_DISCRIMINATOR = accountDiscriminator("VoteRecord");

/** Decodes VoteRecord data; throws on wrong size or discriminator. */
export function decodeVoteRecord(data: Uint8Array): VoteRecordAccount {
  assertAccount(data, VOTE_RECORD_LEN, VOTE_RECORD_DISCRIMINATOR, "VoteRecord");
  const r = new ByteReader(data);
  const o = VOTE_RECORD_OFFSETS;
  return {
    proposal: new PublicKey(r.bytes(o.proposal, 32)),
    keeper: new PublicKey(r.bytes(o.keeper, 32)),
    weight: r.u64(o.weight),
    slot: r.u64(o.slot),
    approve: r.u8(o.approve) !== 0,
    bump: r.u8(o.bump),
  };
}
