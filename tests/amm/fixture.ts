/** Shared setup of the AMM tests: config + shards, markets, traders, snapshots. */
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "vitest";
import {
  assignShard,
  computeUnitLimit,
  createMarketInstruction,
  decodeAmmMarket,
  decodePosition,
  findMarketPda,
  generateMarketKey,
  findPositionPda,
  marketKeyBytes,
  findShardPda,
  marketDistribution,
  openMarketInstruction,
  SCALE_1E9,
  canonicalScaleOf,
  directionVector,
  marketGrid,
  tradeApply,
  tradeInstruction,
  tradeTarget,
  type AmmMarketAccount,
  type Collateral,
  type CreateMarketParams,
  type PositionAccount,
  type Shape,
  type TradeApplied,
  type TradeDirection,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import type { TestRuntime, TxResult } from "../harness/runtime.js";
import type { MintOptions } from "../harness/token.js";
import { ok, Sharding } from "../sharding/fixture.js";

export { ok };

/** Unix time the tests start at. */
export const T0 = 1_800_000_000n;
export const TRADING_DEADLINE = T0 + 10_000n;
export const RESOLUTION_DEADLINE = T0 + 20_000n;
/** Cap per grid value (base units: 10,000 tokens of a 6-decimal mint). */
export const B = 10_000_000_000n;
/** L2 norm target (base units * sqrt(outcome unit)). */
export const K = 40_000_000_000n;

export const NORMAL: Shape = { kind: "Normal", mean1e9: 0n, sigma1e9: 120n * SCALE_1E9 };

/** Deterministic PRNG (splitmix64 over bigint, same as the Rust tests). */
export class Rng {
  constructor(private state: bigint) {}
  next(): bigint {
    const M = (1n << 64n) - 1n;
    this.state = (this.state + 0x9e3779b97f4a7c15n) & M;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  }
  below(n: bigint | number): bigint {
    return this.next() % BigInt(n);
  }
  int(n: number): number {
    return Number(this.below(n));
  }
}

export interface MarketHandle {
  key: Uint8Array;
  address: PublicKey;
  shardId: number;
  params: CreateMarketParams;
}

export class Amm {
  private constructor(
    readonly rt: TestRuntime,
    readonly s: Sharding,
    readonly authority: Keypair,
  ) {}

  /** Config, shards and vaults on a fresh collateral mint (default: SPL Token, 6 decimals). */
  static async create(rt: TestRuntime, mint: MintOptions = {}): Promise<Amm> {
    const s = await Sharding.create(rt, {}, true, mint);
    await rt.setClock(await rt.slot(), T0);
    const authority = await fundedKeypair(rt, 1_000n);
    return new Amm(rt, s, authority);
  }

  get shardCount(): number {
    return this.s.shardCount;
  }

  /** Market parameters over [-500, 500] with `n` points. */
  params(n: number, shape: Shape = NORMAL, over: Partial<CreateMarketParams> = {}): CreateMarketParams {
    return {
      marketKey: generateMarketKey(),
      lo: -500n,
      hi: 500n,
      nPoints: n,
      k: K,
      b: B,
      tradingDeadline: TRADING_DEADLINE,
      resolutionDeadline: RESOLUTION_DEADLINE,
      resolver: this.authority.publicKey,
      shape,
      ...over,
    };
  }

  handle(params: CreateMarketParams): MarketHandle {
    const key = marketKeyBytes(params.marketKey);
    const shardId = assignShard(key, this.shardCount);
    return { key, address: findMarketPda(key)[0], shardId, params };
  }

  createIx(params: CreateMarketParams, cuLimit?: number): TransactionInstruction[] {
    const ix = createMarketInstruction(this.authority.publicKey, params, this.shardCount, this.rt.collateral);
    return cuLimit ? [computeUnitLimit(cuLimit), ix] : [ix];
  }

  /** Signers of a create_market transaction: the authority and the market keypair. */
  createSigners(params: CreateMarketParams): Keypair[] {
    return params.marketKey instanceof Keypair ? [this.authority, params.marketKey] : [this.authority];
  }

  /** Creates a market (Setup), checks the on-chain curve equals the SDK's. */
  async createMarket(params: CreateMarketParams, cuLimit = 1_400_000): Promise<{ m: MarketHandle; res: TxResult }> {
    const res = ok(await this.rt.send(this.createIx(params, cuLimit), this.createSigners(params)));
    const m = this.handle(params);
    const market = await this.market(m);
    expect(market.curve).toEqual(marketDistribution(params).curve);
    return { m, res };
  }

  async open(m: MarketHandle): Promise<TxResult> {
    return ok(await this.rt.send([openMarketInstruction(this.authority.publicKey, m.address, m.shardId)], [this.authority]));
  }

  async market(m: MarketHandle): Promise<AmmMarketAccount> {
    return decodeAmmMarket((await this.rt.getAccount(m.address))!.data);
  }

  async position(m: MarketHandle, owner: PublicKey): Promise<PositionAccount | null> {
    const acc = await this.rt.getAccount(findPositionPda(m.address, owner)[0]);
    return acc ? decodePosition(acc.data) : null;
  }

  shardPda(m: MarketHandle): PublicKey {
    return findShardPda(m.shardId)[0];
  }

  /** Sets the clock's unix timestamp (slot + 1 each time, so transactions stay fresh). */
  async setTime(ts: bigint): Promise<void> {
    await this.rt.setClock(await this.rt.slot(), ts);
  }

  /** Raw snapshot of accounts (lamports, owner, data) for "nothing changed" checks. */
  async snapshot(keys: PublicKey[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const k of keys) {
      const a = await this.rt.getAccount(k);
      out.push(a ? { lamports: a.lamports, owner: a.owner.toBase58(), data: Buffer.from(a.data).toString("hex") } : null);
    }
    return out;
  }
}

/** A trade the tests send: its direction, size and the SDK's bit-exact expectation of it. */
export interface PlannedTrade {
  direction: TradeDirection;
  t: bigint;
  c: bigint;
  /** `tradeApply` on the market and position as they are now (g, P', R', fee, amounts). */
  expect: TradeApplied;
}

/**
 * Plans a trade of size `t` along `direction` on `market` for `position` (null: new): `h` and
 * its canonical `c` from the SDK (`tradeTarget`, `canonicalScaleOf`), then `tradeApply`, the
 * mirror of the program's reference. Throws the SDK's MathError when there is no such trade.
 */
export function planTrade(market: AmmMarketAccount, position: PositionAccount | null, direction: TradeDirection, t: bigint): PlannedTrade {
  const grid = marketGrid(market);
  const dir = directionVector(direction, grid);
  const payoff = position?.payoff ?? new Array<bigint>(market.nPoints).fill(0n);
  const collateral = position?.collateral ?? 0n;
  const h = tradeTarget(market.curve, dir, t, payoff);
  const c = canonicalScaleOf(h, market.b, market.normSqBudget);
  const expect = tradeApply(market.curve, payoff, dir, t, c, market.b, market.normSqBudget, BigInt(market.feeBps), collateral);
  return { direction, t, c, expect };
}

/** The `trade` instruction of a plan, its guards set to exactly the planned amounts and index. */
export function plannedInstruction(
  plan: PlannedTrade,
  trader: PublicKey,
  m: MarketHandle,
  market: AmmMarketAccount,
  collateral: Collateral,
): TransactionInstruction {
  return tradeInstruction(
    { trader, market: m.address, shardId: m.shardId, collateral },
    {
      direction: plan.direction,
      t: plan.t,
      c: plan.c,
      maxIn: plan.expect.amountIn,
      minOut: plan.expect.amountOut,
      expectedTradeIndex: market.tradeCount,
    },
  );
}

/** One market shape of every kind the program knows (with the Custom shape's control points). */
export const EVERY_SHAPE_KIND: [string, Shape, { x: bigint; y: bigint }[]?][] = [
  ["Normal", { kind: "Normal", mean1e9: 30n * SCALE_1E9, sigma1e9: 120n * SCALE_1E9 }],
  ["Uniform", { kind: "Uniform", a: -200n, b: 250n }],
  [
    "Bimodal",
    {
      kind: "Mixture",
      comps: [
        { mean1e9: -200n * SCALE_1E9, sigma1e9: 80n * SCALE_1E9, weight1e9: 600_000_000n },
        { mean1e9: 180n * SCALE_1E9, sigma1e9: 100n * SCALE_1E9, weight1e9: 400_000_000n },
      ],
    },
  ],
  ["TrimodalElection", { kind: "TrimodalElection" }],
  ["SkewedLaunch", { kind: "SkewedLaunch" }],
  ["LeptokurticIndicator", { kind: "LeptokurticIndicator" }],
  [
    "Custom",
    { kind: "Custom" },
    [
      { x: -500n, y: 100_000_000n },
      { x: -100n, y: 900_000_000n },
      { x: 50n, y: 400_000_000n },
      { x: 300n, y: 1_000_000_000n },
      { x: 500n, y: 0n },
    ],
  ],
];
