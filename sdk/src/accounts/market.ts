import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";
import { decodeLoadMeter, type LoadMeter } from "./loadMeter.js";

/** Size of the Market header (layout in `programs/continuum/src/state/market.rs`). */
export const MARKET_HEADER_LEN = 160;

/** Byte offsets of the Market header fields. The AMM's fields follow at `MARKET_HEADER_LEN`. */
export const MARKET_OFFSETS = {
  discriminator: 0,
  marketKey: 8,
  authority: 40,
  vaultAmount: 72,
  createdSlot: 80,
  lastWriteSlot: 88,
  writeCount: 96,
  migrationCount: 104,
  shardId: 112,
  status: 113,
  bump: 114,
  flags: 115,
  load: 120,
  reserved: 144,
} as const;

/** `Market.status` values. */
export const MarketStatus = {
  Registered: 0,
  Setup: 1,
  Open: 2,
  Resolved: 3,
  Cancelled: 4,
} as const;

/** `Market.flags` bit: the shard was set by an approved rebalance. */
export const MARKET_FLAG_SHARD_OVERRIDDEN = 1;

/** Decoded Market header. */
export interface MarketHeaderAccount {
  marketKey: Uint8Array;
  authority: PublicKey;
  vaultAmount: bigint;
  createdSlot: bigint;
  lastWriteSlot: bigint;
  writeCount: bigint;
  migrationCount: bigint;
  shardId: number;
  status: number;
  bump: number;
  flags: number;
  /** The market's own on-chain write load. */
  load: LoadMeter;
}

export const MARKET_DISCRIMINATOR = accountDiscriminator("Market");

/** Decodes the header of any Market account (data may be longer: the AMM tail is ignored). */
export function decodeMarketHeader(data: Uint8Array): MarketHeaderAccount {
  if (data.length < MARKET_HEADER_LEN) {
    throw new Error(`Market: expected at least ${MARKET_HEADER_LEN} bytes, got ${data.length}`);
  }
  for (let i = 0; i < 8; i++) {
    if (data[i] !== MARKET_DISCRIMINATOR[i]) throw new Error("Market: discriminator mismatch");
  }
  const r = new ByteReader(data);
  const o = MARKET_OFFSETS;
  return {
    marketKey: r.bytes(o.marketKey, 32),
    authority: new PublicKey(r.bytes(o.authority, 32)),
    vaultAmount: r.u64(o.vaultAmount),
    createdSlot: r.u64(o.createdSlot),
    lastWriteSlot: r.u64(o.lastWriteSlot),
    writeCount: r.u64(o.writeCount),
    migrationCount: r.u64(o.migrationCount),
    shardId: r.u8(o.shardId),
    status: r.u8(o.status),
    bump: r.u8(o.bump),
    flags: r.u8(o.flags),
    load: decodeLoadMeter(r, o.load),
  };
}
