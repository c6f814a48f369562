import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";

/** `Config` account size in bytes (layout in `programs/continuum/src/state/config.rs`). */
export const CONFIG_LEN = 248;

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
  executionWindowSlots: 104,
  maxMarketDurationSeconds: 112,
  settlementGraceSeconds: 120,
  keeperCount: 128,
  contentionThresholdUs: 136,
  voteThresholdBps: 140,
  latencyQuorumBps: 142,
  shardCount: 144,
  bump: 145,
  collateralDecimals: 146,
  collateralMint: 152,
  collateralTokenProgram: 184,
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
  /** Slots after the voting window during which an approval may be executed. */
  executionWindowSlots: bigint;
  maxMarketDurationSeconds: bigint;
  settlementGraceSeconds: bigint;
  /** Keepers registered so far (the next keeper's index). */
  keeperCount: bigint;
  contentionThresholdUs: number;
  voteThresholdBps: number;
  /** Share of active stake that must report a shard hot in one latency window, bps. */
  latencyQuorumBps: number;
  shardCount: number;
  bump: number;
  /** The mint every market's money is held in (SPL Token or Token-2022), fixed at `initialize_config`. */
  collateralMint: PublicKey;
  /** The token program owning `collateralMint`. */
  collateralTokenProgram: PublicKey;
  /** Decimals of `collateralMint`: amounts (b, collateral, payouts) are its base units. */
  collateralDecimals: number;
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
    executionWindowSlots: r.u64(o.executionWindowSlots),
    maxMarketDurationSeconds: r.u64(o.maxMarketDurationSeconds),
    settlementGraceSeconds: r.u64(o.settlementGraceSeconds),
    keeperCount: r.u64(o.keeperCount),
    contentionThresholdUs: r.u32(o.contentionThresholdUs),
    voteThresholdBps: r.u16(o.voteThresholdBps),
    latencyQuorumBps: r.u16(o.latencyQuorumBps),
    shardCount: r.u8(o.shardCount),
    bump: r.u8(o.bump),
    collateralMint: new PublicKey(r.bytes(o.collateralMint, 32)),
    collateralTokenProgram: new PublicKey(r.bytes(o.collateralTokenProgram, 32)),
    collateralDecimals: r.u8(o.collateralDecimals),
  };
}

/** Throws unless `data` has the given size and discriminator. */
export function assertAccount(data: Uint8Array, len: number, disc: Uint8Array, name: string): void {
  if (data.length !== len) throw new Error(`${name}: expected ${len} bytes, got ${data.length}`);
  for (let i = 0; i < 8; i++) {
    if (data[i] !== disc[i]) throw new Error(`${name}: discriminator mismatch`);
  }
}
