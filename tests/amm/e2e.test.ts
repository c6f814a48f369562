/**
 * End to end on both runtimes: create (every shape), edit, open, 60 seeded random trades by
 * 10 traders mixing range buys, range sells, belief-shape trades (every shape kind) and
 * unwinds (partial and full) on a market with a fee (program == the SDK's `tradeApply` bit for
 * bit: curve, payoff vector, netted collateral, fee, token amounts), then resolve (at a grid
 * point or between grid points) or cancel, every claim (which closes its position: payout +
 * rent to the owner) + the LP claim, then close_market (the dust + the market's rent to the
 * authority). Conservation: sum paid + dust == b + sum R + fees exactly, in base units; the
 * shard vault's balance equals the books after every step, and nothing is left booked. Every
 * payout equals the SDK's prediction from the decoded position (`R + P(x*)`) and none is
 * negative. Seeds 1-3 on an SPL Token mint (6 decimals), seed 4 on a Token-2022 mint, seed 5
 * cancelled.
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  cancelMarketInstruction,
  closeMarketInstruction,
  decodeMarketClosedEvents,
  decodeClaimEvents,
  decodeTradeExecutedEvents,
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
  resolveMarketInstruction,
  SCALE_1E9,
  type Shape,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance, type TokenKind } from "../harness/token.js";
import { Amm, EVERY_SHAPE_KIND, ok, planTrade, plannedInstruction, Rng, RESOLUTION_DEADLINE, TRADING_DEADLINE, type PlannedTrade } from "./fixture.js";
import type { TradeDirection } from "../../sdk/src/index.js";

/** The SDK's prediction of a position's claim on a resolved market. */
function claimAmount(m: AmmMarketAccount, p: PositionAccount): bigint {
  return traderClaim(p.collateral, p.payoff, { lo: m.lo, hi: m.hi, n: m.nPoints }, m.outcome);
}

/** The SDK's prediction of the LP's claim on a resolved market. */
function lpClaimAmount(m: AmmMarketAccount): bigint {
  return lpClaim(m.b, m.curve, m.initialCurve, { lo: m.lo, hi: m.hi, n: m.nPoints }, m.outcome);
}


describe.each(RUNTIME_NAMES)("AMM end to end on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;

  beforeAll(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
  });

  it.each(EVERY_SHAPE_KIND)("creates a %s market whose curve is the SDK's, bit for bit", async (_name, shape, points) => {
    const params = amm.params(51, shape, { points: points ?? [] });
    const { m } = await amm.createMarket(params);
    const market = await amm.market(m);
    expect(market.status).toBe(1);
    expect(market.vaultAmount).toBe(params.b);
    expect(market.initialCurve).toEqual(market.curve);
    expect(market.curve.every((v) => v <= params.b)).toBe(true);
  });

  /** A random trade for `position` (null: new) on `market`, or null when the draw has none. */
  function randomTrade(rng: Rng, market: AmmMarketAccount, position: PositionAccount | null): PlannedTrade | null {
    const n = market.nPoints;
    const i0 = rng.int(n);
    const i1 = Math.min(n - 1, i0 + rng.int(8));
    const size = 1n + rng.below(400_000_000n);
    const pick = rng.int(10);
    let direction: TradeDirection;
    let t: bigint;
    if (pick < 4) [direction, t] = [{ kind: "range", i0, i1 }, size];
    else if (pick < 6) [direction, t] = [{ kind: "range", i0, i1 }, -size];
    else if (pick < 8) {
      const [, shape, points] = EVERY_SHAPE_KIND[rng.int(EVERY_SHAPE_KIND.length)]!;
      [direction, t] = [{ kind: "shape", shape, points }, rng.int(4) === 0 ? -size : size];
    } else {
      const fraction = rng.int(3) === 0 ? SCALE_1E9 : 1n + rng.below(SCALE_1E9);
      [direction, t] = [{ kind: "unwind" }, fraction];
    }
    try {
      return planTrade(market, position, direction, t);
    } catch (e) {
      if (isMathError(e)) return null;
      throw e;
    }
  }

  async function scenario(
    seed: bigint,
    shape: Shape,
    points: { x: bigint; y: bigint }[] = [],
    kind: TokenKind = "token",
    settle: "grid" | "between" | "cancel" = "between",
  ): Promise<void> {
    // A fresh runtime per scenario: the clock moves past the trading deadline in each.
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt, { kind });
    const tokens = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));
    const rng = new Rng(seed);
    const n = 21;
    const params = amm.params(n, shape, { points, feeBps: 30 });
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
    let trades = 0;
    const kinds = new Set<string>();
    let fees = 0n;
    while (trades < 60) {
      const trader = traders[rng.int(traders.length)]!;
      market = await amm.market(m);
      const posBefore = await amm.position(m, trader.publicKey);
      const plan = randomTrade(rng, market, posBefore);
      if (!plan) continue;
      const e = plan.expect;
      const traderBefore = await rt.balance(trader.publicKey);
      const traderTokensBefore = await tokens(trader.publicKey);
      const res = ok(await rt.send([plannedInstruction(plan, trader.publicKey, m, market, rt.collateral)], [trader]));
      await conserved();
      const after = await amm.market(m);
      expect(after.curve).toEqual(e.g);
      expect(after.tradeCount).toBe(market.tradeCount + 1n);
      const pos = (await amm.position(m, trader.publicKey))!;
      expect(pos.payoff).toEqual(e.payoff);
      // Netted: the position holds its own worst case, R' = max(0, max(-P')).
      expect(pos.collateral).toBe(e.collateralAfter);
      expect(e.collateralAfter).toBe(pos.payoff.reduce((r, p) => (-p > r ? -p : r), 0n));
      const rent = posBefore ? 0n : (await rt.getAccount(findPositionPda(m.address, trader.publicKey)[0]))!.lamports;
      // Tokens: the payment (R' - R + fee) or the refund (R - R' - fee); the rent in SOL.
      expect((await tokens(trader.publicKey)) - traderTokensBefore).toBe(e.amountOut - e.amountIn);
      expect(e.amountIn - e.amountOut).toBe(e.collateralAfter - e.collateralBefore + e.fee);
      expect(traderBefore - (await rt.balance(trader.publicKey))).toBe(rent);
      const ev = decodeTradeExecutedEvents(res.logs);
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({ t: plan.t, c: plan.c, collateralBefore: e.collateralBefore, collateralAfter: e.collateralAfter, fee: e.fee, amountIn: e.amountIn, amountOut: e.amountOut, tradeIndex: after.tradeCount });
      fees += e.fee;
      expect(after.feesAccrued).toBe(fees);
      kinds.add(plan.direction.kind === "range" ? (plan.t > 0n ? "buy" : "sell") : plan.direction.kind);
      trades++;
    }
    expect([...kinds].sort()).toEqual(["buy", "sell", "shape", "unwind"]);
    market = await amm.market(m);
    // total_collateral is the sum of the positions' current R.
    let sumR = 0n;
    for (const t of traders) sumR += (await amm.position(m, t.publicKey))?.collateral ?? 0n;
    expect(market.totalCollateral).toBe(sumR);
    // What the trade kernel's payoff bound rests on (the program's `AmmMarket::payoff_bound`):
    // the payoffs telescope, sum_j P_j = f - f0 at every point, and so every |P_i| is at most
    // b + total_collateral.
    const payoffs: bigint[][] = [];
    for (const t of traders) payoffs.push((await amm.position(m, t.publicKey))?.payoff ?? market.curve.map(() => 0n));
    expect(market.curve.map((_, i) => payoffs.reduce((s, p) => s + p[i]!, 0n))).toEqual(market.curve.map((f, i) => f - market.initialCurve[i]!));
    for (const p of payoffs) for (const v of p) expect(v < 0n ? -v : v).toBeLessThanOrEqual(market.b + market.totalCollateral);
    expect(market.vaultAmount).toBe(params.b + sumR + fees);
    expect((await vaultTokens()) - shardBefore).toBe(sumR + fees);

    // Resolve at a grid point or between grid points, or cancel.
    let outcome = 0n;
    if (settle === "cancel") {
      await amm.setTime(RESOLUTION_DEADLINE);
      ok(await rt.send([cancelMarketInstruction(traders[0]!.publicKey, m.address, m.shardId)], [traders[0]!]));
    } else {
      await amm.setTime(TRADING_DEADLINE + 1n);
      const step = market.step;
      outcome = settle === "grid" ? -500n + step * rng.below(BigInt(n)) : -500n + step * rng.below(BigInt(n - 1)) + 1n + rng.below(step - 1n);
      ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, outcome)], [amm.authority]));
    }
    const vault = params.b + sumR + fees;
    const shardAtResolve = await vaultTokens();
    let paid = 0n;
    let claims = 0;
    for (const t of traders) {
      const positionPda = findPositionPda(m.address, t.publicKey)[0];
      const position = await rt.getAccount(positionPda);
      if (!position) continue;
      const before = await rt.balance(t.publicKey);
      const tokensBefore = await tokens(t.publicKey);
      const decoded = decodePosition(position.data);
      const predicted = settle === "cancel" ? decoded.collateral : claimAmount(await amm.market(m), decoded);
      expect(predicted).toBeGreaterThanOrEqual(0n);
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
    const lpPredicted = (settle === "cancel" ? params.b : lpClaimAmount(await amm.market(m))) + fees;
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

  it("60 random trades by 10 traders, seed 1 (Normal), resolved between grid points: program == tradeApply, conservation exact", async () => {
    await scenario(1n, EVERY_SHAPE_KIND[0]![1]);
  });
  it("60 random trades by 10 traders, seed 2 (Bimodal), resolved on a grid point", async () => {
    await scenario(2n, EVERY_SHAPE_KIND[2]![1], [], "token", "grid");
  });
  it("60 random trades by 10 traders, seed 3 (Custom)", async () => {
    await scenario(3n, EVERY_SHAPE_KIND[6]![1], EVERY_SHAPE_KIND[6]![2]);
  });
  it("60 random trades by 10 traders on a Token-2022 mint, seed 4 (Normal)", async () => {
    await scenario(4n, EVERY_SHAPE_KIND[0]![1], [], "token-2022");
  });
  it("60 random trades by 10 traders, seed 5 (Uniform), cancelled: refunds R, the LP b + fees", async () => {
    await scenario(5n, EVERY_SHAPE_KIND[1]![1], [], "token", "cancel");
  });
});
