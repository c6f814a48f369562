/**
 * Quotes of the general trade (`sdk/src/math/trade-quote.ts`): the size solver against an
 * exhaustive search on small markets (buys for a budget, sells for a refund, with and without a
 * position, ranges and shapes), the quote equal to the program's own computation, every bad
 * input a named MathError, the displayed probability's properties and the exact expected cost.
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { exactSizeOracle, mathErrorName, rng } from "./helpers.js";

const E9 = 1_000_000_000n;



/** A projected Normal market as a `TradeMarket`. */
function market(r: () => number, n: number, b: bigint, feeBps = 0n): M.TradeMarket {
  const width = BigInt(10 * (n - 1));
  const grid = { lo: 0n, hi: width, n };
  const h = M.shapeValues(grid, {
    kind: "Normal",
    mean1e9: BigInt(Math.floor(r() * 10 * n)) * E9,
    sigma1e9: BigInt(5 + Math.floor(r() * 5 * n)) * E9,
  });
  const kSq = (b * b * width) / BigInt(2 + Math.floor(r() * 12));
  const budget = M.normSqBudgetFromKSq(kSq, 10n);
  const p = M.project(h, b, budget);
  return { curve: p.curve, b, normSqBudget: budget, lo: 0n, hi: width, nPoints: n, feeBps, tradeCount: 3n };
}

type Dir = M.TradeDirectionInput;

function randomDirection(r: () => number, n: number): Dir {
  if (r() < 0.6) {
    const i0 = Math.floor(r() * n);
    return { kind: "range", i0, i1: i0 + Math.floor(r() * Math.min(3, n - i0)) };
  }
  return { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(Math.floor(r() * 10 * n)) * E9, sigma1e9: BigInt(8 + Math.floor(r() * 20)) * E9 } };
}

/** The trade of size t (or null where it is not executable), by the literal mirror. */
function exact(m: M.TradeMarket, pos: M.TradePosition | null, dir: Dir, t: bigint, literal = false): M.TradeApplied | null {
  const v = M.directionVector(dir, { lo: m.lo, hi: m.hi, n: m.nPoints });
  const payoff = pos?.payoff ?? m.curve.map(() => 0n);
  try {
    const h = M.tradeTarget(m.curve, v, t, payoff);
    // canonicalScaleOf equals the Rust bisection (trade-general.test.ts); the literal one on request.
    const c = literal ? M.canonicalScale(h, m.b, m.normSqBudget) : M.canonicalScaleOf(h, m.b, m.normSqBudget);
    return M.tradeApplyGeneral({
      f: m.curve,
      payoff,
      collateral: pos?.collateral ?? 0n,
      b: m.b,
      budget: m.normSqBudget,
      feeBps: BigInt(m.feeBps ?? 0n),
      direction: v,
      t,
      c,
    });
  } catch (e) {
    if (M.isMathError(e, "ZeroBet") || M.isMathError(e, "NormConstraintViolated")) return null;
    throw e;
  }
}

/** A position after one random buy on the market (and the market after it). */
function withPosition(r: () => number, m: M.TradeMarket): { m: M.TradeMarket; pos: M.TradePosition } | null {
  const dir = randomDirection(r, m.nPoints);
  const a = exact(m, null, dir, BigInt(1 + Math.floor(r() * Number(m.b))));
  if (a === null || a.collateralAfter === 0n) return null;
  return { m: { ...m, curve: a.g }, pos: { payoff: a.payoff, collateral: a.collateralAfter } };
}

describe("size solver = exhaustive search (small markets, sawtooth costs)", () => {
  it("budget buys: the largest t whose payment fits; refund sells: the smallest |t| whose refund reaches the target", () => {
    const r = rng(21);
    let buys = 0;
    let sells = 0;
    let withPos = 0;
    for (let iter = 0; iter < 36; iter++) {
      const n = 5 + 2 * Math.floor(r() * 4); // 5..11
      const b = BigInt(200 + Math.floor(r() * 1000));
      let m = market(r, n, b, BigInt(Math.floor(r() * 3) * 150));
      let pos: M.TradePosition | null = null;
      if (iter % 2 === 1) {
        const p = withPosition(r, m);
        if (p === null) continue;
        m = p.m;
        pos = p.pos;
        withPos++;
      }
      const dir = randomDirection(r, n);
      const span = 2n * b;
      const sell = pos !== null && iter % 4 === 3;
      const trades = new Map<bigint, M.TradeApplied | null>();
      const lo = sell ? -span : 1n;
      const hi = sell ? -1n : span;
      for (let t = lo; t <= hi; t++) trades.set(t, exact(m, pos, dir, t));
      const amount = sell
        ? BigInt(1 + Math.floor(r() * Number(pos!.collateral)))
        : BigInt(1 + Math.floor(r() * Number(b) * 0.6));
      // Exhaustive: the largest t in [lo, hi] meeting the request.
      let want: bigint | null = null;
      for (let t = hi; t >= lo && want === null; t--) {
        const a = trades.get(t);
        if (a === null || a === undefined) continue;
        if (sell ? -a.netIn >= amount : a.netIn <= amount) want = t;
      }
      const size: M.TradeSize = sell ? { refund: amount } : { budget: amount };
      let got: string;
      try {
        got = M.quoteTrade(m, pos, dir, size, [lo, hi]).t.toString();
      } catch (e) {
        got = (e as M.MathError).errorName;
      }
      // A new position that would post nothing is refused (ZeroBet), as the exhaustive answer's cost shows.
      const wa = want === null ? undefined : trades.get(want);
      const fresh = pos === null && wa !== undefined && wa !== null && wa.collateralAfter === 0n;
      expect(got, `iter ${iter}`).toBe(want === null || fresh ? "ZeroBet" : want.toString());
      if (sell) sells++;
      else buys++;
    }
    expect(buys).toBeGreaterThanOrEqual(18);
    expect(sells).toBeGreaterThanOrEqual(6);
    expect(withPos).toBeGreaterThanOrEqual(10);
  });

  it("budget buys WITH a position (random ranges and shapes, N = 5..11): the largest t whose payment fits", () => {
    const r = rng(33);
    let checked = 0;
    let ranges = 0;
    for (let iter = 0; iter < 40; iter++) {
      const n = 5 + 2 * Math.floor(r() * 4); // 5..11
      const b = BigInt(200 + Math.floor(r() * 1000));
      const p = withPosition(r, market(r, n, b, BigInt(Math.floor(r() * 3) * 150)));
      if (p === null) continue;
      const dir = randomDirection(r, n);
      const span = 2n * b;
      const trades = new Map<bigint, M.TradeApplied | null>();
      for (let t = 1n; t <= span; t++) trades.set(t, exact(p.m, p.pos, dir, t));
      const budget = BigInt(1 + Math.floor(r() * Number(b) * 0.6));
      let want: bigint | null = null;
      for (let t = span; t >= 1n && want === null; t--) {
        const a = trades.get(t);
        if (a !== null && a !== undefined && a.netIn <= budget) want = t;
      }
      let got: string;
      try {
        got = M.quoteTrade(p.m, p.pos, dir, { budget }, [1n, span]).t.toString();
      } catch (e) {
        got = (e as M.MathError).errorName;
      }
      expect(got, `iter ${iter}`).toBe(want === null ? "ZeroBet" : want.toString());
      checked++;
      if (dir.kind === "range") ranges++;
    }
    expect(checked).toBeGreaterThanOrEqual(25);
    expect(ranges).toBeGreaterThanOrEqual(10);
  });

  it("a budget buy against a position's worst point out of the range is fast and the largest size that fits", () => {
    // The position lost most at point 0 (out of the bought range [6, 8]) but f - P is largest at
    // point 1: a collateral lower bound on the extreme-f points missed the binding point, so the
    // search pruned nothing and ran for minutes (then overflowed its caches).
    const curve = [594767129657n, 754428641614n, 627651125620n, 413031543182n, 135190982734n, 43151326114n, 10115772485n, 1741656198n, 220233596n];
    const m: M.TradeMarket = { curve, b: 1n << 40n, normSqBudget: 4144888524393014313278317n, lo: 0n, hi: 80n, nPoints: 9, feeBps: 30n, tradeCount: 3n };
    const pos: M.TradePosition = {
      payoff: [-99656632598n, -7364441147n, 13877856390n, 49838594313n, -22652021985n, -7230251368n, -1694955508n, -291824453n, -36901399n],
      collateral: 99656632598n,
    };
    const dir: Dir = { kind: "range", i0: 6, i1: 8 };
    const budget = 137438953473n;
    const t0 = performance.now();
    const q = M.quoteTrade(m, pos, dir, { budget });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(q.netIn).toBeLessThanOrEqual(budget);
    // Larger sizes (next ones, then geometrically up to the searched bound) do not fit.
    const sizes: bigint[] = [];
    for (let k = 1n; k <= 200n; k++) sizes.push(q.t + k);
    for (let k = 256n; q.t + k < M.RANGE_BUY_T_MAX; k *= 3n) sizes.push(q.t + k);
    for (const t of sizes) {
      const a = exact(m, pos, dir, t);
      if (a !== null) expect(a.netIn, `t = ${t}`).toBeGreaterThan(budget);
    }
  });

  it("at every cap (up to 2^56, payoffs past 2^50), N = 11 to 615: range buys with positions and refund sells equal the search on exact bigint costs", () => {
    // The reference: the same branch and bound without hints, on exact scales of each h and
    // exact bigint netted collateral (no kernel figure, no float bound).
    const reference = (m: M.TradeMarket, pos: M.TradePosition, dir: Dir & { kind: "range" }, size: M.TradeSize): string => {
      const f = m.curve;
      const v = M.directionVector(dir, { lo: m.lo, hi: m.hi, n: m.nPoints });
      const sell = "refund" in size;
      const cap = M.collateralCap(pos.collateral, BigInt(m.feeBps ?? 0n), sell ? { refund: size.refund } : { budget: (size as { budget: bigint }).budget });
      if (cap === null) return "ZeroBet";
      const oracle = exactSizeOracle(m, pos.payoff, v);
      let reach = 0n;
      let top = 0n;
      for (let i = dir.i0; i <= dir.i1; i++) {
        if ((f[i] as bigint) > reach) reach = f[i] as bigint;
        if ((f[i] as bigint) > top) top = f[i] as bigint;
      }
      const room = M.U64_MAX - top < M.RANGE_BUY_T_MAX ? M.U64_MAX - top : M.RANGE_BUY_T_MAX;
      const found = sell ? M.largestFeasibleSize(oracle, -(reach < 1n ? 1n : reach), -1n, cap) : M.largestFeasibleSize(oracle, 1n, room, cap);
      return found === null ? "ZeroBet" : found.t.toString();
    };
    const r = rng(77);
    let compared = 0;
    let bigPayoffs = 0;
    let sells = 0;
    const grids = new Set<number>();
    for (let iter = 0; iter < 40; iter++) {
      const n = [11, 21, 51, 101, 615][iter % 5] as number;
      const b = [10n ** 10n, 1n << 40n, 1n << 56n, 1n << 56n][iter % 4] as bigint;
      let m0: M.TradeMarket;
      try {
        m0 = market(r, n, b, BigInt(Math.floor(r() * 3) * 150));
      } catch (e) {
        expect(M.isMathError(e, "NormConstraintViolated")).toBe(true); // no canonical market curve
        continue;
      }
      const i0 = Math.floor(r() * (n - 2));
      const first: Dir = { kind: "range", i0, i1: i0 + Math.floor(r() * 3) };
      let q0: M.TradeQuote;
      try {
        q0 = M.quoteTrade(m0, null, first, { budget: b / BigInt(3 + Math.floor(r() * 30)) });
      } catch {
        continue;
      }
      const m = { ...m0, curve: q0.g };
      const pos: M.TradePosition = { payoff: q0.payoff, collateral: q0.collateralAfter };
      const j0 = Math.floor(r() * (n - 2));
      const dir = r() < 0.5 ? (first as Dir & { kind: "range" }) : { kind: "range" as const, i0: j0, i1: j0 + Math.floor(r() * 3) };
      const sell = iter % 2 === 1 && dir === first;
      const size: M.TradeSize = sell ? { refund: pos.collateral / BigInt(2 + Math.floor(r() * 4)) } : { budget: b / BigInt(5 + Math.floor(r() * 100)) };
      let got: string;
      try {
        got = M.quoteTrade(m, pos, dir, size).t.toString();
      } catch (e) {
        got = (e as M.MathError).errorName;
      }
      // The largest size that fits may move nothing (a range already at the cap): the program
      // refuses it (ZeroBet), and so does the quote.
      const want = reference(m, pos, dir, size);
      const noop = want !== "ZeroBet" && exact(m, pos, dir, BigInt(want)) === null;
      expect(got, `iter ${iter}`).toBe(noop ? "ZeroBet" : want);
      compared++;
      grids.add(n);
      if (sell) sells++;
      if (pos.payoff.some((p) => p >= 1n << 50n || -p >= 1n << 50n)) bigPayoffs++;
    }
    expect(compared).toBeGreaterThanOrEqual(30);
    expect(grids.size).toBe(5);
    expect(sells).toBeGreaterThanOrEqual(8);
    expect(bigPayoffs).toBeGreaterThanOrEqual(8);
  });

  it("a fresh range buy equals the range solver (quoteRangeBet) on the fee-adjusted amount", () => {
    const r = rng(4);
    let same = 0;
    for (let iter = 0; iter < 30; iter++) {
      const n = [11, 21, 101][iter % 3] as number;
      const b = [10n ** 10n, 1n << 40n][iter % 2] as bigint;
      const m = market(r, n, b, 0n);
      const i0 = Math.floor(r() * (n - 2));
      const amount = b / BigInt(20 + Math.floor(r() * 200));
      const q = { b, budget: m.normSqBudget, i0, i1: i0 + 1, amount };
      let old: M.RangeBetQuote;
      try {
        old = M.quoteRangeBet(m.curve, q);
      } catch {
        continue;
      }
      // The range solver searches t <= 2^48; compare within that bound.
      const got = M.quoteTrade(m, null, { kind: "range", i0, i1: i0 + 1 }, { budget: amount }, [1n, M.rangeBetTHi(m.curve, i0, i0 + 1)]);
      expect(got.t).toBe(old.t);
      expect(got.c).toBe(old.c);
      expect(got.collateralAfter).toBe(old.collateral);
      expect(got.probabilityAfter).toBe(old.probabilityAfter);
      same++;
    }
    expect(same).toBeGreaterThanOrEqual(20);
  });
});

describe("a quote is the program's computation", () => {
  it("equals tradeApply at (t, c), with c canonical and slippage bounds at the quoted amounts", () => {
    const r = rng(9);
    let n0 = 0;
    let ranges = 0;
    for (let iter = 0; iter < 60; iter++) {
      const n = [11, 51, 101][iter % 3] as number;
      const b = [10n ** 10n, 1n << 40n, 1n << 56n][iter % 3] as bigint;
      let m = market(r, n, b, BigInt(Math.floor(r() * 1001)));
      let pos: M.TradePosition | null = null;
      if (r() < 0.5) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      const dir = randomDirection(r, n);
      let q: M.TradeQuote;
      try {
        const pick = pos === null ? 0 : r();
        const size: M.TradeSize =
          pos === null || pick < 0.4 ? { budget: b / 50n } : pick < 0.7 ? { refund: pos.collateral / 3n + 1n } : { t: b / 7n };
        q = M.quoteTrade(m, pos, dir, size);
      } catch (e) {
        expect(["ZeroBet", "NormConstraintViolated"]).toContain((e as M.MathError).errorName);
        continue;
      }
      const v = M.directionVector(dir, { lo: m.lo, hi: m.hi, n });
      const payoff = pos?.payoff ?? m.curve.map(() => 0n);
      expect(q.c).toBe(M.canonicalScale(M.tradeTarget(m.curve, v, q.t, payoff), b, m.normSqBudget));
      const a = M.tradeApply(m.curve, payoff, v, q.t, q.c, b, m.normSqBudget, BigInt(m.feeBps ?? 0n), pos?.collateral ?? 0n);
      expect(q.g).toEqual(a.g);
      expect(q.payoff).toEqual(a.payoff);
      expect(q.netIn).toBe(a.netIn);
      expect(q.args).toEqual({ direction: dir, t: q.t, c: q.c, maxIn: a.amountIn, minOut: a.amountOut, expectedTradeIndex: 3n });
      // Every figure equals the bigint mirror's (range quotes take them from the fast kernel).
      expect([q.h, q.normSq, q.collateralBefore, q.collateralAfter, q.delta, q.fee, q.amountIn, q.amountOut]).toEqual([
        a.h,
        a.normSq,
        a.collateralBefore,
        a.collateralAfter,
        a.delta,
        a.fee,
        a.amountIn,
        a.amountOut,
      ]);
      const total = a.g.reduce((acc, v, i) => acc + (i === 0 || i === n - 1 ? v : 2n * v), 0n);
      expect(q.pointProbabilities).toEqual(a.g.map((v, i) => M.probability1e9(i === 0 || i === n - 1 ? v : 2n * v, total)));
      expect(q.expectedCost).toBe(a.fee + M.expectedCost(m.curve, a.g));
      if (dir.kind === "range") {
        expect(q.probabilityBefore).toBe(M.rangeProbability1e9(m.curve, dir.i0, dir.i1));
        expect(q.probabilityAfter).toBe(M.rangeProbability1e9(a.g, dir.i0, dir.i1));
        ranges++;
      }
      n0++;
    }
    expect(n0).toBeGreaterThanOrEqual(35);
    expect(ranges).toBeGreaterThanOrEqual(20);
  });
});

describe("bad inputs are named MathErrors", () => {
  const r = rng(1);
  const m = market(r, 11, 10n ** 10n, 30n);
  const zero = m.curve.map(() => 0n);
  const pos = withPosition(r, m) ?? { m, pos: { payoff: zero, collateral: 0n } };
  const range: Dir = { kind: "range", i0: 2, i1: 4 };
  it("sizes, directions, positions, fees", () => {
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { budget: 0n }))).toBe("ZeroBet");
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { budget: -1n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { budget: 1.5 as never }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { t: 0n }))).toBe("ZeroBet");
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { t: 1n << 63n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteTrade(m, null, { kind: "range", i0: 4, i1: 2 }, { budget: 10n ** 8n }))).toBe("InvalidRange");
    expect(mathErrorName(() => M.quoteTrade(m, null, { kind: "range", i0: 0, i1: 11 }, { budget: 10n ** 8n }))).toBe("InvalidRange");
    expect(mathErrorName(() => M.quoteTrade(m, null, { kind: "range", i0: Number.NaN, i1: 2 }, { budget: 10n ** 8n }))).toBe("InvalidRange");
    expect(mathErrorName(() => M.quoteTrade(m, null, { kind: "nope" } as never, { budget: 10n ** 8n }))).toBe("InvalidDirection");
    expect(mathErrorName(() => M.quoteTrade(m, null, { kind: "unwind" }, { budget: 10n ** 8n }))).toBe("InvalidDirection");
    expect(mathErrorName(() => M.quoteTrade(m, null, range, { refund: 10n ** 8n }))).toBe("ZeroBet"); // nothing to refund
    expect(mathErrorName(() => M.quoteTrade({ ...m, feeBps: 1001n }, null, range, { budget: 10n ** 8n }))).toBe("FeeTooHigh");
    expect(mathErrorName(() => M.quoteTrade({ ...m, feeBps: -1n }, null, range, { budget: 10n ** 8n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteTrade({ ...m, nPoints: 13 }, null, range, { budget: 10n ** 8n }))).toBe("LengthMismatch");
    expect(mathErrorName(() => M.quoteTrade(m, { payoff: zero.slice(1), collateral: 0n }, range, { budget: 10n ** 8n }))).toBe("LengthMismatch");
    expect(mathErrorName(() => M.quoteTrade(m, { payoff: zero, collateral: -1n }, range, { budget: 10n ** 8n }))).toBe("Overflow");
    expect(
      mathErrorName(() => M.quoteTrade(m, null, { kind: "shape", shape: { kind: "Normal", mean1e9: 0n, sigma1e9: 0n } }, { budget: 10n ** 8n })),
    ).toBe("InvalidShape");
  });
  it("unwinds: fraction in 1..=1e9, a position with a payoff", () => {
    expect(mathErrorName(() => M.quoteUnwind(pos.m, pos.pos, 0n))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.quoteUnwind(pos.m, pos.pos, E9 + 1n))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.quoteUnwind(pos.m, pos.pos, 5 as never))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.quoteUnwind(m, { payoff: zero, collateral: 0n }, E9))).toBe("NothingToUnwind");
    expect(mathErrorName(() => M.quoteUnwind(m, null as never, E9))).toBe("NothingToUnwind");
    expect(mathErrorName(() => M.quoteUnwind(pos.m, pos.pos, E9 / 2n))).toBe("no error");
  });
});

describe("what the quote shows", () => {
  it("probability: a buy of a range never lowers it (with positions and fees); values in [0, 1e9]; point masses add up", () => {
    const r = rng(33);
    let checked = 0;
    for (let iter = 0; iter < 60; iter++) {
      const n = [5, 11, 101][iter % 3] as number;
      const b = [1000n, 10n ** 10n, 1n << 56n][Math.floor(r() * 3)] as bigint;
      let m: M.TradeMarket;
      try {
        m = market(r, n, b, BigInt(Math.floor(r() * 1001)));
      } catch (e) {
        expect(M.isMathError(e, "NormConstraintViolated")).toBe(true); // no canonical market curve
        continue;
      }
      let pos: M.TradePosition | null = null;
      if (r() < 0.5) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      const i0 = Math.floor(r() * n);
      const dir: Dir = { kind: "range", i0, i1: i0 + Math.floor(r() * (n - i0)) };
      let q: M.TradeQuote;
      try {
        const tSize: M.TradeSize = { t: BigInt(1 + Math.floor(r() * Number(b))) };
        q = M.quoteTrade(m, pos, dir, pos === null && r() < 0.5 ? { budget: BigInt(1 + Math.floor(r() * Number(b / 10n))) } : tSize);
      } catch (e) {
        expect(["ZeroBet", "NormConstraintViolated"]).toContain((e as M.MathError).errorName);
        continue;
      }
      expect(q.probabilityAfter).toBeGreaterThanOrEqual(q.probabilityBefore);
      for (const p of [q.probabilityBefore, q.probabilityAfter, ...q.pointProbabilities]) {
        expect(p).toBeGreaterThanOrEqual(0n);
        expect(p).toBeLessThanOrEqual(E9);
      }
      const sum = q.pointProbabilities.reduce((a, v) => a + v, 0n);
      expect(sum).toBeLessThanOrEqual(E9);
      expect(sum).toBeGreaterThan(E9 - BigInt(n)); // n floors
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it("expected cost = fee + the exact expected loss of P' - P under f (independent rational computation)", () => {
    const r = rng(44);
    let checked = 0;
    for (let iter = 0; iter < 40; iter++) {
      const n = [5, 11, 101][iter % 3] as number;
      const b = [1000n, 10n ** 10n, 1n << 56n][iter % 3] as bigint;
      let m = market(r, n, b, BigInt(Math.floor(r() * 1001)));
      let pos: M.TradePosition | null = null;
      if (r() < 0.5) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      let q: M.TradeQuote;
      try {
        q = M.quoteTrade(m, pos, randomDirection(r, n), pos === null ? { budget: b / 20n + 1n } : { t: b / 9n });
      } catch {
        continue;
      }
      // The claim is R + P(x): the trade changes it by delta + (g - f)(x). Under the belief
      // f (point masses m_i = w_i f_i / sum w f, w = 1, 2, ..., 2, 1), the expected change is
      // delta + sum m_i (g_i - f_i); the trader pays net_in now. Loss = net_in - that.
      let num = 0n;
      let den = 0n;
      for (let i = 0; i < n; i++) {
        const w = i === 0 || i === n - 1 ? 1n : 2n;
        const fi = m.curve[i] as bigint;
        num += w * fi * (fi - (q.g[i] as bigint));
        den += w * fi;
      }
      // loss = net_in - delta + num / den = fee + num / den, rounded up.
      const lossNum = q.fee * den + num;
      const want = lossNum >= 0n ? (lossNum + den - 1n) / den : -((-lossNum) / den);
      expect(q.expectedCost).toBe(want);
      expect(q.netIn - q.delta).toBe(q.fee);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  it("a full unwind of a single buy gives back the collateral less fees and rounding", () => {
    const r = rng(55);
    let checked = 0;
    for (let iter = 0; iter < 20; iter++) {
      const m = market(r, 21, 10n ** 10n, 25n);
      const p = withPosition(r, m);
      if (p === null) continue;
      const u = M.quoteUnwind({ ...p.m, feeBps: 25n }, p.pos, E9);
      expect(u.collateralBefore).toBe(p.pos.collateral);
      expect(u.netIn).toBeLessThan(0n);
      expect(u.amountOut).toBe(-u.netIn);
      expect(u.args.minOut).toBe(u.amountOut);
      expect(u.args.maxIn).toBe(0n);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
