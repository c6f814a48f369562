/**
 * The general `trade` instruction on both runtimes: round trip (buy then unwind), netting of
 * two disjoint range bets, Normal-belief trades on markets of every shape kind, partial sells,
 * a sell that clamps h at 0, and every bad input as a named error with every account
 * byte-identical. Expected values come from the SDK's `tradeApply` (the mirror of the
 * program's reference, `continuum_math::trade_general`).
 */
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createMarketInstruction,
  encodeTrade,
  findPositionPda,
  findVaultPda,
  SCALE_1E9,
  type ContinuumErrorName,
  type Shape,
  type TradeArgs,
  type TradeDirection,
} from "../../sdk/src/index.js";
import { expectError, fundedKeypair, withData } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance } from "../harness/token.js";
import { Amm, EVERY_SHAPE_KIND, NORMAL, ok, planTrade, plannedInstruction, TRADING_DEADLINE, type MarketHandle, type PlannedTrade } from "./fixture.js";

const N = 21;
const BELIEF: Shape = { kind: "Normal", mean1e9: 150n * SCALE_1E9, sigma1e9: 60n * SCALE_1E9 };


describe.each(RUNTIME_NAMES)("trade on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;
  /** Every market of this runtime (the shard books cover all of them). */
  const markets: PublicKey[] = [];

  beforeAll(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
  });

  async function openMarket(shape: Shape = NORMAL, feeBps = 0, points: { x: bigint; y: bigint }[] = []): Promise<MarketHandle> {
    const { m } = await amm.createMarket(amm.params(N, shape, { feeBps, points }));
    markets.push(m.address);
    await amm.open(m);
    return m;
  }

  const tokens = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));

  /** Plans `direction, t` for `trader`, sends it, checks the program did exactly the plan. */
  async function trade(m: MarketHandle, trader: Keypair, direction: TradeDirection, t: bigint): Promise<PlannedTrade> {
    const market = await amm.market(m);
    const plan = planTrade(market, await amm.position(m, trader.publicKey), direction, t);
    const before = await tokens(trader.publicKey);
    ok(await rt.send([plannedInstruction(plan, trader.publicKey, m, market, rt.collateral)], [trader]));
    expect((await amm.market(m)).curve).toEqual(plan.expect.g);
    const pos = (await amm.position(m, trader.publicKey))!;
    expect(pos.payoff).toEqual(plan.expect.payoff);
    expect(pos.collateral).toBe(plan.expect.collateralAfter);
    expect((await tokens(trader.publicKey)) - before).toBe(plan.expect.amountOut - plan.expect.amountIn);
    await amm.s.expectVaultsMatchBooks(markets);
    return plan;
  }

  it("round trip: buy a range, unwind it all: everything back but the two fees; the curve returns to f within one ulp of c", async () => {
    const m = await openMarket(NORMAL, 25);
    const trader = await fundedKeypair(rt, 10n);
    const start = await tokens(trader.publicKey);
    const f0 = (await amm.market(m)).curve;
    const buy = await trade(m, trader, { kind: "range", i0: 8, i1: 12 }, 600_000_000n);
    expect(buy.expect.amountIn).toBeGreaterThan(0n);
    const unwind = await trade(m, trader, { kind: "unwind" }, SCALE_1E9);
    // h = f1 - P = f0 exactly, and f0 passes at c = 1e9, so the canonical c' >= 1e9 and
    // g >= f0 pointwise: R' = 0, the refund is R less its fee, with no rounding loss.
    expect(unwind.expect.collateralAfter).toBe(0n);
    expect(start - (await tokens(trader.publicKey))).toBe(buy.expect.fee + unwind.expect.fee);
    const f2 = (await amm.market(m)).curve;
    const c = unwind.c;
    expect(c).toBeGreaterThanOrEqual(SCALE_1E9);
    for (let i = 0; i < N; i++) {
      // g_i = min(b, floor(c' f0_i / 1e9)) with c' >= 1e9 canonical: g >= f0, and the excess is
      // exactly the scale's: g - f0 = min(b - f0, floor((c' - 1e9) f0 / 1e9)).
      const excess = ((c - SCALE_1E9) * f0[i]!) / SCALE_1E9;
      const room = (await amm.market(m)).b - f0[i]!;
      expect(f2[i]! - f0[i]!).toBe(excess < room ? excess : room);
    }
  });

  it("netting: two disjoint range bets need max(0, max_i(-P_i)), less than the sum of their worst cases", async () => {
    const m = await openMarket();
    const alice = await fundedKeypair(rt, 10n);
    const first = await trade(m, alice, { kind: "range", i0: 7, i1: 13 }, 800_000_000n);
    const secondDirection: TradeDirection = { kind: "range", i0: 14, i1: 20 };
    // The second bet's own worst case: the same trade on the same curve for a fresh position.
    const alone = planTrade(await amm.market(m), null, secondDirection, 800_000_000n).expect.collateralAfter;
    const second = await trade(m, alice, secondDirection, 800_000_000n);
    const pos = (await amm.position(m, alice.publicKey))!;
    const r = pos.payoff.reduce((acc, p) => (-p > acc ? -p : acc), 0n);
    expect(pos.collateral).toBe(r);
    expect(r).toBeLessThan(first.expect.collateralAfter + alone);
    expect((await amm.market(m)).totalCollateral).toBe(r);
    // The second bet cost the change of the netted worst case, not its own worst case.
    expect(second.expect.amountIn).toBe(r - first.expect.collateralAfter);
    expect(second.expect.amountIn).toBeLessThan(alone);
  });

  it.each(EVERY_SHAPE_KIND)("a Normal-belief trade on a %s market, then a partial sell of it", async (_name, shape, points) => {
    const m = await openMarket(shape, 30, points ?? []);
    const trader = await fundedKeypair(rt, 10n);
    const buy = await trade(m, trader, { kind: "shape", shape: BELIEF }, 500_000_000n);
    expect(buy.expect.amountIn).toBeGreaterThan(0n);
    // Toward the belief: the curve rises at its mean (x = 150, index 13).
    expect(buy.expect.g[13]!).toBeGreaterThan((await amm.market(m)).initialCurve[13]!);
    const part = await trade(m, trader, { kind: "unwind" }, 400_000_000n);
    expect(part.expect.collateralAfter).toBeLessThanOrEqual(buy.expect.collateralAfter);
    expect(part.expect.collateralAfter).toBeGreaterThan(0n);
  });

  it("partial range sells, and a sell whose h would go below 0 clamps at 0", async () => {
    const m = await openMarket();
    const trader = await fundedKeypair(rt, 10n);
    await trade(m, trader, { kind: "range", i0: 9, i1: 11 }, 900_000_000n);
    const sell = await trade(m, trader, { kind: "range", i0: 9, i1: 11 }, -300_000_000n);
    expect(sell.expect.amountOut + sell.expect.amountIn).toBeGreaterThanOrEqual(0n);
    const f = (await amm.market(m)).curve;
    const huge = -(f[0]! + f[1]! + 10n * SCALE_1E9);
    const clamp = await trade(m, trader, { kind: "range", i0: 0, i1: 1 }, huge);
    expect(clamp.expect.h[0]).toBe(0n);
    expect(clamp.expect.h[1]).toBe(0n);
    expect(clamp.expect.g[0]).toBe(0n);
  });

  describe("bad inputs: a named error, every account byte-identical", () => {
    let m: MarketHandle;
    let alice: Keypair;
    let plan: PlannedTrade;
    let base: TradeArgs;
    let ix: TransactionInstruction;

    beforeAll(async () => {
      m = await openMarket(NORMAL, 50);
      alice = await fundedKeypair(rt, 10n);
      const market = await amm.market(m);
      plan = planTrade(market, null, { kind: "range", i0: 6, i1: 9 }, 400_000_000n);
      ix = plannedInstruction(plan, alice.publicKey, m, market, rt.collateral);
      base = { direction: plan.direction, t: plan.t, c: plan.c, maxIn: plan.expect.amountIn, minOut: 0n, expectedTradeIndex: market.tradeCount };
    });

    function watched(): PublicKey[] {
      return [m.address, amm.shardPda(m), findPositionPda(m.address, alice.publicKey)[0], ataOf(alice.publicKey, rt.collateral), findVaultPda(m.shardId)[0]];
    }

    async function rejects(args: TradeArgs | Uint8Array, error: ContinuumErrorName): Promise<void> {
      const before = await amm.snapshot(watched());
      const data = args instanceof Uint8Array ? args : encodeTrade(args);
      expectError(await rt.send([withData(ix, data)], [alice]), error);
      expect(await amm.snapshot(watched())).toEqual(before);
    }

    it("payment above max_in, a refund below min_out, or min_out on a payment: SlippageExceeded", async () => {
      await rejects({ ...base, maxIn: plan.expect.amountIn - 1n }, "SlippageExceeded");
      await rejects({ ...base, minOut: 1n }, "SlippageExceeded");
    });

    it("stale expected trade index: StaleQuote", async () => {
      await rejects({ ...base, expectedTradeIndex: base.expectedTradeIndex! + 1n }, "StaleQuote");
    });

    it("a c that is not canonical: NotCanonical", async () => {
      await rejects({ ...base, c: base.c + 1n }, "NotCanonical");
      await rejects({ ...base, c: base.c - 1n }, "NotCanonical");
    });

    it("unwind of a position that doesn't exist, then of an empty one: NothingToUnwind", async () => {
      await rejects({ ...base, direction: { kind: "unwind" }, t: SCALE_1E9 }, "NothingToUnwind");
    });

    it("wrong direction kind: InvalidDirection; fraction 0 or above 1e9: InvalidUnwindFraction", async () => {
      const bad = Buffer.from(encodeTrade({ ...base, direction: { kind: "unwind" } }));
      bad[8] = 3;
      await rejects(bad, "InvalidDirection");
      // A position exists from here on (the fraction is checked before its payoff).
      ok(await rt.send([ix], [alice]));
      const market = await amm.market(m);
      for (const t of [0n, SCALE_1E9 + 1n, -1n]) {
        await rejects({ ...base, direction: { kind: "unwind" }, t, expectedTradeIndex: market.tradeCount }, "InvalidUnwindFraction");
      }
    });

    it("t = 0: ZeroEffectBet", async () => {
      const market = await amm.market(m);
      await rejects({ ...base, t: 0n, expectedTradeIndex: market.tradeCount }, "ZeroEffectBet");
    });

    it("trades after the deadline: TradingClosed", async () => {
      const market = await amm.market(m);
      await amm.setTime(TRADING_DEADLINE);
      await rejects({ ...base, expectedTradeIndex: market.tradeCount }, "TradingClosed");
      await amm.setTime(TRADING_DEADLINE - 5_000n);
    });

    it("a fee above the bound at create: FeeTooHigh", async () => {
      const params = amm.params(N, NORMAL, { feeBps: 1_001 });
      const h = amm.handle(params);
      const before = await amm.snapshot([h.address, amm.shardPda(h), ataOf(amm.authority.publicKey, rt.collateral)]);
      const create = createMarketInstruction(amm.authority.publicKey, params, amm.shardCount, rt.collateral);
      expectError(await rt.send([create], amm.createSigners(params)), "FeeTooHigh");
      expect(await amm.snapshot([h.address, amm.shardPda(h), ataOf(amm.authority.publicKey, rt.collateral)])).toEqual(before);
    });
  });
});
