/**
 * End to end on both runtimes: create (every shape), edit, open, 50 seeded random range bets
 * by 10 traders (program == SDK quote bit for bit: curve, payoff vector, token amounts), resolve at
 * a random outcome, every claim (which closes its position: payout + rent to the owner) + the
 * LP claim, then close_market (the dust + the market's rent to the authority). Conservation:
 * sum paid == vault (b + sum C) minus the recorded dust, exactly, in base units; the shard
 * vault's balance drops by exactly what was paid (claims, then the dust), equals the books
 * after every step, and nothing is left booked. Seeds 1-3 on an SPL Token mint (6 decimals),
 * seed 4 on a Token-2022 mint. Every payout equals the SDK's prediction.
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
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
  decodePosition,
  findPositionPda,
  findVaultPda,
  isMathError,
  lpClaim,
  traderClaim,
  type AmmMarketAccount,
  type PositionAccount,
  priceDistributionBet,
  resolveMarketInstruction,
  SCALE_1E9,
  type Shape,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance, type TokenKind } from "../harness/token.js";
import { Amm, ok, Rng, TRADING_DEADLINE } from "./fixture.js";

/** The SDK's prediction of a position's claim on a resolved market. */
function claimAmount(m: AmmMarketAccount, p: PositionAccount): bigint {
  return traderClaim(p.collateral, p.payoff, { lo: m.lo, hi: m.hi, n: m.nPoints }, m.outcome);
}

/** The SDK's prediction of the LP's claim on a resolved market. */
function lpClaimAmount(m: AmmMarketAccount): bigint {
  return lpClaim(m.b, m.curve, m.initialCurve, { lo: m.lo, hi: m.hi, n: m.nPoints }, m.outcome);
}

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
    expect(market.vaultAmount).toBe(params.b);
    expect(market.initialCurve).toEqual(market.curve);
    expect(market.curve.every((v) => v <= params.b)).toBe(true);
  });

  async function scenario(seed: bigint, shape: Shape, points: { x: bigint; y: bigint }[] = [], kind: TokenKind = "token"): Promise<void> {
    // A fresh runtime per scenario: the clock moves past the trading deadline in each.
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt, { kind });
    const tokens = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));
    const rng = new Rng(seed);
    const n = 21;
    const params = amm.params(n, shape, { points });
    const lpStart = await tokens(amm.authority.publicKey);
    const { m } = await amm.createMarket(params);
    // The LP's backing b went from its token account to the shard's vault.
    expect(lpStart - (await tokens(amm.authority.publicKey))).toBe(params.b);
    const vaultPda = findVaultPda(m.shardId)[0];
    const vaultTokens = (): Promise<bigint> => tokenBalance(rt, vaultPda);
    const conserved = (): Promise<void> => amm.s.expectVaultsMatchBooks([m.address]);
    await conserved();

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
    const shardBefore = await vaultTokens();
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
        priced = priceDistributionBet(market, m.address, trader.publicKey, amount, { i0, i1 }, rt.collateral);
      } catch (e) {
        if (isMathError(e, "ZeroBet")) continue;
        throw e;
      }
      const { quote } = priced;
      const posBefore = await amm.position(m, trader.publicKey);
      const traderBefore = await rt.balance(trader.publicKey);
      const traderTokensBefore = await tokens(trader.publicKey);
      const res = ok(await rt.send([priced.instruction], [trader]));
      await conserved();
      const after = await amm.market(m);
      expect(after.curve).toEqual(quote.curve);
      const pos = (await amm.position(m, trader.publicKey))!;
      const prevPayoff = posBefore?.payoff ?? new Array<bigint>(n).fill(0n);
      expect(pos.payoff).toEqual(prevPayoff.map((p, i) => p + quote.payoff[i]!));
      expect(pos.collateral).toBe((posBefore?.collateral ?? 0n) + quote.collateral);
      const rent = posBefore ? 0n : (await rt.getAccount(findPositionPda(m.address, trader.publicKey)[0]))!.lamports;
      // The collateral in tokens, the position's rent in SOL.
      expect(traderTokensBefore - (await tokens(trader.publicKey))).toBe(quote.collateral);
      expect(traderBefore - (await rt.balance(trader.publicKey))).toBe(rent);
      const ev = decodeTradeEvents(res.logs);
      expect(ev).toHaveLength(1);
      expect(ev[0]!.collateral).toBe(quote.collateral);
      expect(quote.collateral).toBeLessThanOrEqual(amount);
      sumC += quote.collateral;
      trades++;
    }
    market = await amm.market(m);
    expect(market.totalCollateral).toBe(sumC);
    expect(market.vaultAmount).toBe(params.b + sumC);
    expect((await vaultTokens()) - shardBefore).toBe(sumC);

    // Resolve at a random outcome (mostly between grid points).
    await amm.setTime(TRADING_DEADLINE + 1n);
    const outcome = -500n + rng.below(1001n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, outcome)], [amm.authority]));
    const vault = params.b + sumC;
    const shardAtResolve = await vaultTokens();
    let paid = 0n;
    let claims = 0;
    for (const t of traders) {
      const positionPda = findPositionPda(m.address, t.publicKey)[0];
      const position = await rt.getAccount(positionPda);
      if (!position) continue;
      const before = await rt.balance(t.publicKey);
      const tokensBefore = await tokens(t.publicKey);
      const predicted = claimAmount(await amm.market(m), decodePosition(position.data));
      const res = ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t]));
      await conserved();
      // The owner gets the payout (the event's amount, the SDK's prediction) in tokens and the
      // closed position's rent in SOL.
      const got = (await tokens(t.publicKey)) - tokensBefore;
      expect(got).toBe(predicted);
      expect((await rt.balance(t.publicKey)) - before).toBe(position.lamports);
      expect(decodeClaimEvents(res.logs)[0]!.amount).toBe(got);
      expect(await rt.getAccount(positionPda)).toBeNull();
      paid += got;
      claims++;
    }
    const lpBefore = await tokens(amm.authority.publicKey);
    const lpPredicted = lpClaimAmount(await amm.market(m));
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
    await conserved();
    const lpGot = (await tokens(amm.authority.publicKey)) - lpBefore;
    expect(lpGot).toBe(lpPredicted);
    paid += lpGot;
    claims++;

    market = await amm.market(m);
    const dust = market.dustNumerator / market.step;
    expect(market.dustNumerator % market.step).toBe(0n);
    expect(paid + dust).toBe(vault);
    expect(market.paidOut).toBe(paid);
    expect(market.vaultAmount).toBe(dust);
    expect(dust).toBeLessThanOrEqual(BigInt(claims));
    expect(shardAtResolve - (await vaultTokens())).toBe(paid);

    // close_market: the dust and the market's rent go to the authority; the shard's lamports
    // drop by exactly the dust more, and the shard books nothing for the market any more.
    const marketRent = await rt.balance(m.address);
    const shardBooks = await amm.s.shard(m.shardId);
    const authorityBefore = await rt.balance(amm.authority.publicKey);
    const authorityTokens = await tokens(amm.authority.publicKey);
    const closed = ok(await rt.send([closeMarketInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
    expect((await rt.balance(amm.authority.publicKey)) - authorityBefore).toBe(marketRent);
    expect((await tokens(amm.authority.publicKey)) - authorityTokens).toBe(dust);
    expect(decodeMarketClosedEvents(closed.logs)[0]).toMatchObject({ vault: dust, rent: marketRent });
    expect(await rt.getAccount(m.address)).toBeNull();
    expect(shardAtResolve - (await vaultTokens())).toBe(paid + dust);
    await conserved();
    const shardAfter = await amm.s.shard(m.shardId);
    expect(shardAfter.collateralAmount).toBe(shardBooks.collateralAmount - dust);
    expect(shardAfter.collateralAmount).toBe(0n);
    expect(shardAfter.marketCount).toBe(shardBooks.marketCount - 1n);
    console.log(`[conservation] ${runtimeName} ${kind} seed ${seed}: vault ${vault}, paid ${paid}, dust ${dust} (${claims} claims, x* = ${outcome})`);
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
  it("50 random bets by 10 traders on a Token-2022 mint, seed 4 (Normal)", async () => {
    await scenario(4n, SHAPES[0]![1], [], "token-2022");
  });
});
