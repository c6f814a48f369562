import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";

/** `Config` account size in bytes (layout in `programs/continuum/src/state/config.rs`). */
export const CONFIG_LEN = 144;

/** Byte offsets of the Config fields. */
export const CONFIG_OFFSETS = {
  discriminator: 0,
  admin: 8,
  totalActiveStake: 40,
  minKeeperStake: 48,
  votingWindowSlots: 56,
  proposalCooldownSlots: 64,
  unstakeCooldownSlots: 72,
  loadThresholdMilliWrites: 80,
  marketCount: 88,
  proposalCount: 96,
  contentionThresholdUs: 104,
  voteThresholdBps: 108,
  shardCount: 110,
  bump: 111,
} as const;

/** Decoded Config account. */
export interface ConfigAccount {
  admin: PublicKey;
  totalActiveStake: bigint;
  minKeeperStake: bigint;
  votingWindowSlots: bigint;
  proposalCooldownSlots: bigint;
  unstakeCooldownSlots: bigint;
  loadThresholdMilliWrites: bigint;
  marketCount: bigint;
  proposalCount: bigint;
  contentionThresholdUs: number;
  voteThresholdBps: number;
  shardCount: number;
  bump: number;
}

export const CONFIG_DISCRIMINATOR = accountDiscriminator("Config");

/** Decodes Config account data; throws on wrong size or discriminator. */
export function decodeConfig(data: Uint8Array): ConfigAccount {
  assertAccount(data, CONFIG_LEN, CONFIG_DISCRIMINATOR, "Config");
  const r = new ByteReader(data);
  const o = CONFIG_OFFSETS;
  return {
    admin: new PublicKey(r.bytes(o.admin, 32)),
    totalActiveStake: r.u64(o.totalActiveStake),
    minKeeperStake: r.u64(o.minKeeperStake),
    votingWindowSlots: r.u64(o.votingWindowSlots),
    proposalCooldownSlots: r.u64(o.proposalCooldownSlots),
    unstakeCooldownSlots: r.u64(o.unstakeCooldownSlots),
    loadThresholdMilliWrites: r.u64(o.loadThresholdMilliWrites),
    marketCount: r.u64(o.marketCount),
    proposalCount: r.u64(o.proposalCount),
    contentionThresholdUs: r.u32(o.contentionThresholdUs),
    voteThresholdBps: r.u16(o.voteThresholdBps),
    shardCount: r.u8(o.shardCount),
    bump: r.u8(o.bump),
  };
}

/** Throws unless `data` has the given size and discriminator. */
export function assertAccount(data: Uint8Array, len: number, disc: Uint8Array, name: string): void {
  if (data.length !== len) throw new Error(`${name}: expected ${len} bytes, got ${data.length}`);
  for (let i = 0; i < 8; i++) {
    if (data[i] !== disc[i]) throw new Error(`${name}: discriminator mismatch`);
  }
}
