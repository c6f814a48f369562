/**
 * End to end on both runtimes: create (every shape), edit, open, 50 seeded random range bets
 * by 10 traders (program == SDK quote bit for bit: curve, payoff vector, lamports), resolve at
 * a random outcome, every claim (which closes its position: payout + rent to the owner) + the
 * LP claim, then close_market (the dust + the market's rent to the authority). Conservation:
 * sum paid == vault (b + sum C) minus the recorded dust, exactly; the shard's lamports drop by
 * exactly what was paid (claims, then the dust), and nothing is left booked.
 */
import { Keypair } from "@solana/web3.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  decodeMarketClosedEvents,
  decodeClaimEvents,
  decodeTradeEvents,
  editDistributionInstruction,
  editedDistribution,
  findPositionPda,
  isMathError,
  priceDistributionBet,
  resolveMarketInstruction,
  SCALE_1E9,
  type Shape,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { Amm, ok, Rng, TRADING_DEADLINE } from "./fixture.js";

const SHAPES: [string, Shape, { x: bigint; y: bigint }[]?][] = [
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

describe.each(RUNTIME_NAMES)("AMM end to end on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;

  beforeAll(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
  });

  it.each(SHAPES)("creates a %s market whose curve is the SDK's, bit for bit", async (_name, shape, points) => {
    const params = amm.params(51, shape, { points: points ?? [] });
    const { m } = await amm.createMarket(params);
    const market = await amm.market(m);
    expect(market.status).toBe(1);
    expect(market.vaultLamports).toBe(params.b);
    expect(market.initialCurve).toEqual(market.curve);
    expect(market.curve.every((v) => v <= params.b)).toBe(true);
  });

  async function scenario(seed: bigint, shape: Shape, points: { x: bigint; y: bigint }[] = []): Promise<void> {
    // A fresh runtime per scenario: the clock moves past the trading deadline in each.
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
    const rng = new Rng(seed);
    const n = 21;
    const params = amm.params(n, shape, { points });
    const { m } = await amm.createMarket(params);
    const shardPda = amm.shardPda(m);

    // Edit: drag one point up, then open.
    let market = await amm.market(m);
    const drag = { kind: "drag" as const, index: 3 + rng.int(n - 6), value: market.curve[10]! + 1_000_000_000n };
    const proj = editedDistribution(market, drag);
    ok(await rt.send([editDistributionInstruction(amm.authority.publicKey, m.address, m.shardId, drag, proj.c)], [amm.authority]));
    market = await amm.market(m);
    expect(market.curve).toEqual(proj.curve);
    expect(market.scale).toBe(proj.c);
    await amm.open(m);

    const traders: Keypair[] = [];
    for (let i = 0; i < 10; i++) traders.push(await fundedKeypair(rt, 100n));
    const shardBefore = await rt.balance(shardPda);
    let sumC = 0n;
    let trades = 0;
    while (trades < 50) {
      const trader = traders[rng.int(traders.length)]!;
      const i0 = rng.int(n);
      const i1 = Math.min(n - 1, i0 + rng.int(8));
      const amount = 1n + rng.below(300_000_000n);
      market = await amm.market(m);
      let priced;
      try {
        priced = priceDistributionBet(market, m.address, trader.publicKey, amount, { i0, i1 });
      } catch (e) {
        if (isMathError(e, "ZeroBet")) continue;
        throw e;
      }
      const { quote } = priced;
      const posBefore = await amm.position(m, trader.publicKey);
      const traderBefore = await rt.balance(trader.publicKey);
      const res = ok(await rt.send([priced.instruction], [trader]));
      const after = await amm.market(m);
      expect(after.curve).toEqual(quote.curve);
      const pos = (await amm.position(m, trader.publicKey))!;
      const prevPayoff = posBefore?.payoff ?? new Array<bigint>(n).fill(0n);
      expect(pos.payoff).toEqual(prevPayoff.map((p, i) => p + quote.payoff[i]!));
      expect(pos.collateral).toBe((posBefore?.collateral ?? 0n) + quote.collateral);
      const rent = posBefore ? 0n : (await rt.getAccount(findPositionPda(m.address, trader.publicKey)[0]))!.lamports;
      expect(traderBefore - (await rt.balance(trader.publicKey))).toBe(quote.collateral + rent);
      const ev = decodeTradeEvents(res.logs);
      expect(ev).toHaveLength(1);
      expect(ev[0]!.collateral).toBe(quote.collateral);
      expect(quote.collateral).toBeLessThanOrEqual(amount);
      sumC += quote.collateral;
      trades++;
    }
    market = await amm.market(m);
    expect(market.totalCollateral).toBe(sumC);
    expect(market.vaultLamports).toBe(params.b + sumC);
    expect((await rt.balance(shardPda)) - shardBefore).toBe(sumC);

    // Resolve at a random outcome (mostly between grid points).
    await amm.setTime(TRADING_DEADLINE + 1n);
    const outcome = -500n + rng.below(1001n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, outcome)], [amm.authority]));
    const vault = params.b + sumC;
    const shardAtResolve = await rt.balance(shardPda);
    let paid = 0n;
    let claims = 0;
    for (const t of traders) {
      const positionPda = findPositionPda(m.address, t.publicKey)[0];
      const position = await rt.getAccount(positionPda);
      if (!position) continue;
      const before = await rt.balance(t.publicKey);
      const res = ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId)], [t]));
      // The owner gets the payout (the event's amount) and the closed position's rent.
      const got = (await rt.balance(t.publicKey)) - before - position.lamports;
      expect(decodeClaimEvents(res.logs)[0]!.amount).toBe(got);
      expect(await rt.getAccount(positionPda)).toBeNull();
      paid += got;
      claims++;
    }
    const lpBefore = await rt.balance(amm.authority.publicKey);
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId)], [amm.authority]));
    paid += (await rt.balance(amm.authority.publicKey)) - lpBefore;
    claims++;

    market = await amm.market(m);
    const dust = market.dustNumerator / market.step;
    expect(market.dustNumerator % market.step).toBe(0n);
    expect(paid + dust).toBe(vault);
    expect(market.paidOut).toBe(paid);
    expect(market.vaultLamports).toBe(dust);
    expect(dust).toBeLessThanOrEqual(BigInt(claims));
    expect(shardAtResolve - (await rt.balance(shardPda))).toBe(paid);

    // close_market: the dust and the market's rent go to the authority; the shard's lamports
    // drop by exactly the dust more, and the shard books nothing for the market any more.
    const marketRent = await rt.balance(m.address);
    const shardBooks = await amm.s.shard(m.shardId);
    const authorityBefore = await rt.balance(amm.authority.publicKey);
    const closed = ok(await rt.send([closeMarketInstruction(amm.authority.publicKey, m.address, m.shardId)], [amm.authority]));
    expect((await rt.balance(amm.authority.publicKey)) - authorityBefore).toBe(dust + marketRent);
    expect(decodeMarketClosedEvents(closed.logs)[0]).toMatchObject({ vault: dust, rent: marketRent });
    expect(await rt.getAccount(m.address)).toBeNull();
    expect(shardAtResolve - (await rt.balance(shardPda))).toBe(paid + dust);
    const shardAfter = await amm.s.shard(m.shardId);
    expect(shardAfter.collateralLamports).toBe(shardBooks.collateralLamports - dust);
    expect(shardAfter.collateralLamports).toBe(0n);
    expect(shardAfter.marketCount).toBe(shardBooks.marketCount - 1n);
    console.log(`[conservation] ${runtimeName} seed ${seed}: vault ${vault}, paid ${paid}, dust ${dust} (${claims} claims, x* = ${outcome})`);
  }

  it("50 random bets by 10 traders, seed 1 (Normal): program == quote, conservation exact", async () => {
    await scenario(1n, SHAPES[0]![1]);
  });
  it("50 random bets by 10 traders, seed 2 (Bimodal)", async () => {
    await scenario(2n, SHAPES[2]![1]);
  });
  it("50 random bets by 10 traders, seed 3 (Custom)", async () => {
    await scenario(3n, SHAPES[6]![1], SHAPES[6]![2]);
  });
});
