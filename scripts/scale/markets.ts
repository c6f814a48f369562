/**
 * The run's markets: deterministic market keys (derived from the seed, so a run's shard
 * assignment repeats), registration of the plain markets in batches of 4 (the transaction size
 * limit: each adds a signature and two addresses), and creation + opening of the AMM markets.
 */
import { sha256 } from "@noble/hashes/sha2";
import { Keypair, type PublicKey } from "@solana/web3.js";
import {
  assignShard,
  createMarketInstruction,
  findMarketPda,
  isUsableMarketKey,
  openMarketInstruction,
  registerMarketInstruction,
  SCALE_1E9,
} from "../../sdk/src/index.js";
import { Progress } from "./progress.js";
import { unixAt, World } from "./world.js";

/** Cap per grid value (base units: 10,000 tokens of a 6-decimal mint) and L2 norm target. */
export const AMM_B = 10_000_000_000n;
export const AMM_K = 40_000_000_000n;
/** Trading and resolution deadlines, in slots after the run's start. */
export const TRADING_END_SLOT = 1_000_000n;
/** Trading fee of every AMM market (basis points). */
export const AMM_FEE_BPS = 30;

/** A keypair derived from `seed`, a label and an index (same inputs, same key). */
export function derivedKeypair(seed: number, label: string, i: number): Keypair {
  return Keypair.fromSeed(sha256(new TextEncoder().encode(`continuum-scale:${seed}:${label}:${i}`)));
}

/** Usable keys derived so far per seed and label, and the next index to try. */
const derived = new Map<string, { keys: Keypair[]; next: number }>();

/**
 * `count` usable market keypairs (bump 255 Market PDA) derived from `seed` and `label`. Kept
 * for the process: deriving 21,000 costs minutes on a busy machine, and each shard count's run
 * uses the same keys.
 */
export function marketKeypairs(seed: number, label: string, count: number): Keypair[] {
  const id = `${seed}:${label}`;
  const d = derived.get(id) ?? { keys: [], next: 0 };
  derived.set(id, d);
  while (d.keys.length < count) {
    const kp = derivedKeypair(seed, label, d.next++);
    if (isUsableMarketKey(kp.publicKey)) d.keys.push(kp);
  }
  return d.keys.slice(0, count);
}

/** An AMM market of the run. */
export interface AmmMarket {
  key: Uint8Array;
  keyHex: string;
  address: PublicKey;
  nPoints: number;
  /** Outcome domain. */
  lo: bigint;
  hi: bigint;
  /** Current shard (follows migrations). */
  shardId: number;
  /** Popularity rank (0: most traded). */
  rank: number;
  /** Booked by the run: tokens paid in by trades and refunded by them. */
  paidIn: bigint;
  refunded: bigint;
  /** Fees the run's trades paid (part of `paidIn - refunded`). */
  fees: bigint;
}

/** Registers every key (4 per transaction), one slot per 32 transactions. */
export async function registerMarkets(w: World, keys: Keypair[], startSlot: bigint, quiet: boolean): Promise<bigint> {
  const bar = new Progress(`register ${keys.length} markets`, keys.length, quiet);
  let slot = startSlot;
  for (let i = 0, tx = 0; i < keys.length; i += 4, tx++) {
    if (tx % 32 === 0) {
      await w.setSlot(++slot);
      await World.yieldToEventLoop();
    }
    const batch = keys.slice(i, i + 4);
    await w.send(
      batch.map((k) => registerMarketInstruction(w.authority.publicKey, k, w.shardCount)),
      [w.authority, ...batch],
    );
    bar.tick(batch.length);
  }
  bar.finish();
  return slot;
}

/** Creates and opens one Normal market per key (mean spread over the middle of the domain), N points each. */
export async function createAmmMarkets(
  w: World,
  keys: Keypair[],
  nPoints: number,
  rand: () => number,
  startSlot: bigint,
  quiet: boolean,
): Promise<{ markets: AmmMarket[]; slot: bigint }> {
  const bar = new Progress(`create ${keys.length} AMM markets`, keys.length, quiet);
  const markets: AmmMarket[] = [];
  let slot = startSlot;
  // About [-500, 500] with an integer step (N is odd, so the domain is symmetric).
  const step = BigInt(Math.ceil(1000 / (nPoints - 1)));
  const half = (step * BigInt(nPoints - 1)) / 2n;
  for (const [i, kp] of keys.entries()) {
    if (i % 16 === 0) {
      await w.setSlot(++slot);
      await World.yieldToEventLoop();
    }
    const mean = BigInt(Math.floor(rand() * 400) - 200);
    const params = {
      marketKey: kp,
      lo: -half,
      hi: half,
      nPoints,
      k: AMM_K,
      b: AMM_B,
      tradingDeadline: unixAt(TRADING_END_SLOT),
      resolutionDeadline: unixAt(2n * TRADING_END_SLOT),
      resolver: w.authority.publicKey,
      shape: { kind: "Normal" as const, mean1e9: mean * SCALE_1E9, sigma1e9: 120n * SCALE_1E9 },
      feeBps: AMM_FEE_BPS,
    };
    await w.send([createMarketInstruction(w.authority.publicKey, params, w.shardCount, w.rt.collateral)], [w.authority, kp]);
    const key = kp.publicKey.toBytes();
    const shardId = assignShard(key, w.shardCount);
    const address = findMarketPda(key)[0];
    await w.send([openMarketInstruction(w.authority.publicKey, address, shardId)], [w.authority]);
    markets.push({ key, keyHex: Buffer.from(key).toString("hex"), address, nPoints, lo: -half, hi: half, shardId, rank: -1, paidIn: 0n, refunded: 0n, fees: 0n });
    bar.tick();
  }
  bar.finish();
  return { markets, slot };
}
