/**
 * The quote's contract, one block per defect it once had: the size solver returns the largest
 * bump whose collateral fits the amount, every bad input is a named MathError, the displayed
 * probability is a measure that a bet on a range never lowers, the expected cost is the trade's
 * exact expected loss under the market's belief, and every legal cap (b up to 2^56) is fast.
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";

const E9 = 1_000_000_000n;

function mathErrorName(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof M.MathError) return e.errorName;
    return `not a MathError: ${String(e)}`;
  }
  return "no error";
}

/** Deterministic LCG. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The market of the solver defect: N = 11, Normal(5, 3) on [0, 10], b = 2^50. */
function sawtoothMarket(): { f: bigint[]; q: M.RangeBetQuery } {
  const grid = { lo: 0n, hi: 10n, n: 11 };
  const b = 1n << 50n;
  const d = M.normalDistribution(grid, { mean1e9: 5n * E9, sigma1e9: 3n * E9 }, { b, k: 1780204061497044n });
  return { f: d.curve, q: { b, budget: d.budget, i0: 0, i1: 10 } };
}

/**
 * A random projected market (Normal shape, cap b, budget from k^2 = b^2 width / ratio); when
 * the projection has no canonical scale, the shape clipped at b.
 */
function market(r: () => number, n: number, b: bigint, meanAt?: number, ratio?: number): { f: bigint[]; b: bigint; budget: bigint } {
  const grid = { lo: 0n, hi: BigInt(10 * (n - 1)), n };
  const h = M.shapeValues(grid, {
    kind: "Normal",
    mean1e9: BigInt(meanAt ?? Math.floor(r() * 10 * n)) * E9,
    sigma1e9: BigInt(10 + Math.floor(r() * 10 * n)) * E9,
  });
  const kSq = (b * b * BigInt(10 * (n - 1))) / BigInt(ratio ?? 2 + Math.floor(r() * 12));
  const budget = M.normSqBudgetFromKSq(kSq, 10n);
  try {
    return { f: M.project(h, b, budget).curve, b, budget };
  } catch {
    return { f: h.map((v) => (v > b ? b : v)), b, budget };
  }
}

describe("size solver: the largest bump whose collateral fits the amount", () => {
  it("finds t = 2,977,878 (C = 918,394) where bisection stopped at t = 1,793,903 (C = 543,860)", () => {
    const { f, q } = sawtoothMarket();
    const amount = 1_000_000n;
    expect(M.collateralForBump(f, q, 2_977_878n).collateral).toBe(918_394n);
    const quote = M.quoteRangeBet(f, { ...q, amount });
    expect(quote.t).toBeGreaterThanOrEqual(2_977_878n);
    expect(quote.collateral).toBeLessThanOrEqual(amount);
    expect(M.collateralForBump(f, q, quote.t).collateral).toBe(quote.collateral);
    const ref = M.solveRangeBet(f, q, amount);
    expect(ref.t).toBe(quote.t);
  });

  it("equals an exhaustive search over every bump on small markets", () => {
    // Exhaustive is possible when the out-of-range collateral (non-decreasing in t, since
    // c(t) falls as h grows) exceeds the amount from some small T on: every t >= T is
    // infeasible, so scanning [1, T) with the exact collateral proves the answer.
    const r = rng(2024);
    let proven = 0;
    let sawtooth = 0;
    let aroundProven = 0;
    for (let it = 0; it < 1500 && (proven < 30 || aroundProven < 15); it++) {
      const n = [3, 5, 7, 11][Math.floor(r() * 4)] ?? 5;
      // Every other draw: the range around the mode and a cap of 2^36..2^44, where the
      // in-range collateral dominates and a step of c costs ~f / 1e9 (the sawtooth).
      const around = it % 2 === 0;
      const mid = (n - 1) / 2;
      const b = around ? BigInt(2 ** 36 + Math.floor(r() * 2 ** 44)) : BigInt(1 + Math.floor(r() * 2 ** 20)) * 1_000_000n;
      const { f, budget } = market(r, n, b, around ? 5 * (n - 1) : undefined, around ? 20 + Math.floor(r() * 40) : undefined);
      const i0 = around ? mid - Math.floor(r() * mid) : Math.floor(r() * n);
      const i1 = around ? mid + Math.floor(r() * mid) : Math.min(n - 1, i0 + Math.floor(r() * (n - 1)));
      if (i0 === 0 && i1 === n - 1) continue;
      const q = { b, budget, i0, i1 };
      const amount = BigInt(1 + Math.floor(r() * (around ? 50_000 : 3000)));
      const out = (t: bigint): bigint => {
        const c = M.collateralForBumpFast(f, q, t).c;
        let m = 0n;
        for (let i = 0; i < n; i++) {
          if (i >= i0 && i <= i1) continue;
          const raw = (c * f[i]!) / E9;
          const g = raw < b ? raw : b;
          if (f[i]! - g > m) m = f[i]! - g;
        }
        return m;
      };
      let T = 1n;
      while (T <= 8192n && out(T) <= amount) T *= 2n;
      if (T > 8192n) continue;
      let best = 0n;
      let feasible = 0;
      for (let t = 1n; t < T; t++) {
        if (M.collateralForBumpFast(f, q, t).collateral <= amount) {
          if (best !== 0n && t !== best + 1n) sawtooth++;
          best = t;
          feasible++;
        }
      }
      const got = mathErrorName(() => M.quoteRangeBet(f, { ...q, amount }));
      if (best === 0n || M.collateralForBumpFast(f, q, best).collateral === 0n) {
        expect(got).toBe("ZeroBet");
      } else {
        expect(got).toBe("no error");
        expect(M.quoteRangeBet(f, { ...q, amount }).t, JSON.stringify({ n, i0, i1, amount: String(amount) })).toBe(best);
      }
      if (feasible > 0) proven++;
      if (feasible > 0 && around) aroundProven++;
    }
    expect(proven).toBeGreaterThanOrEqual(20);
    expect(sawtooth).toBeGreaterThan(0);
  }, 60_000);
});

describe("bad inputs are named MathErrors", () => {
  const f = [5n, 5n, 5n, 5n, 5n];
  const base = { b: 10n, budget: 500n, i0: 1, i1: 2, amount: 3n };
  it("a quote whose collateral would be 0 is ZeroBet (the program rejects it)", () => {
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, budget: 300n, i0: 0, i1: 4, amount: 1n }))).toBe("ZeroBet");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, i0: 0, i1: 0, amount: 1n }))).toBe("ZeroBet");
  });
  it("indices that are not grid indices are InvalidRange", () => {
    for (const [i0, i1] of [
      [1.5, 2],
      [1, 2.5],
      [-1, 2],
      [Number.NaN, 2],
      [1, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
      [1, 5],
      [3, 2],
    ] as const) {
      expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, i0, i1 })), `${i0} ${i1}`).toBe("InvalidRange");
      expect(mathErrorName(() => M.solveRangeBetFast(f, { ...base, i0, i1 }, 3n)), `${i0} ${i1}`).toBe("InvalidRange");
      expect(mathErrorName(() => M.rangeProbability1e9(f, i0, i1)), `${i0} ${i1}`).toBe("InvalidRange");
    }
  });
  it("values that are not u64 are Overflow, amount 0 is ZeroBet, bad grids keep their names", () => {
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, amount: 0n }))).toBe("ZeroBet");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, amount: -5n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, amount: 1n << 64n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, b: -1n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, budget: -1n }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet([5n, -5n, 5n], { ...base, i0: 0, i1: 1 }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet([5n, 1n << 64n, 5n], { ...base, i0: 0, i1: 1 }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet(f, { ...base, amount: 3 as unknown as bigint }))).toBe("Overflow");
    expect(mathErrorName(() => M.quoteRangeBet([5n, 5n, 5n, 5n], base))).toBe("InvalidGrid");
    expect(mathErrorName(() => M.quoteRangeBet([5n, 5n], { ...base, i0: 0, i1: 1 }))).toBe("InsufficientPoints");
    expect(mathErrorName(() => M.quoteRangeBet([5n, 5 as unknown as bigint, 5n], { ...base, i0: 0, i1: 1 }))).toBe("Overflow");
  });
});

describe("displayed probability is a measure on grid points that a bet never lowers", () => {
  it("is additive, within [0, 1e9], counts one point, and a sub-range never exceeds the whole", () => {
    const r = rng(5);
    for (let it = 0; it < 60; it++) {
      const n = [3, 5, 11, 21, 101][Math.floor(r() * 5)] ?? 11;
      const { f } = market(r, n, 10_000_000_000n);
      const whole = M.rangeProbability1e9(f, 0, n - 1);
      expect(whole).toBe(E9);
      for (let m = 0; m + 1 < n; m++) {
        const s = M.rangeProbability1e9(f, 0, m) + M.rangeProbability1e9(f, m + 1, n - 1);
        // Two floors: the sum is 1e9 or 1e9 - 1.
        expect(s === E9 || s === E9 - 1n, `n=${n} m=${m} sum=${s}`).toBe(true);
      }
      const i = Math.floor(r() * n);
      if (f[i]! > 0n) expect(M.rangeProbability1e9(f, i, i)).toBeGreaterThan(0n);
    }
  });

  it("a bet on a range never lowers that range's displayed probability (random markets, caps binding)", () => {
    const r = rng(77);
    let checked = 0;
    for (let it = 0; it < 300; it++) {
      const n = [3, 5, 11, 21, 41][Math.floor(r() * 5)] ?? 11;
      const { f, b, budget } = market(r, n, BigInt(1 + Math.floor(r() * 2 ** 30)) * 1000n);
      const i0 = Math.floor(r() * n);
      const i1 = Math.min(n - 1, i0 + Math.floor(r() * n));
      const amount = BigInt(1 + Math.floor(r() * Number(b / 3n)));
      let q: M.RangeBetQuote;
      try {
        q = M.quoteRangeBet(f, { b, budget, i0, i1, amount });
      } catch (e) {
        if (e instanceof M.MathError) continue;
        throw e;
      }
      expect(q.probabilityBefore).toBe(M.rangeProbability1e9(f, i0, i1));
      expect(q.probabilityAfter).toBe(M.rangeProbability1e9(q.curve, i0, i1));
      expect(q.probabilityAfter, JSON.stringify({ n, i0, i1 })).toBeGreaterThanOrEqual(q.probabilityBefore);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });
});

/** Exact rational expected loss `num / den` of the trade `f -> g`, and `d2 = ||g - f||^2` (same units). */
function expectedLossReference(f: readonly bigint[], g: readonly bigint[]): { num: bigint; den: bigint; d2: bigint } {
  // Independent route: the norm identity (||g - f||^2 + ||f||^2 - ||g||^2) / (2 integral f)
  // with the trapezoid rule (weights 1/2, 1, ..., 1, 1/2), in exact rationals.
  const n = f.length;
  const w = (i: number): bigint => (i === 0 || i === n - 1 ? 1n : 2n);
  let d2 = 0n;
  let f2 = 0n;
  let g2 = 0n;
  let mass = 0n;
  for (let i = 0; i < n; i++) {
    const d = g[i]! - f[i]!;
    d2 += w(i) * d * d;
    f2 += w(i) * f[i]! * f[i]!;
    g2 += w(i) * g[i]! * g[i]!;
    mass += w(i) * f[i]!;
  }
  return { num: d2 + f2 - g2, den: 2n * mass, d2 };
}

describe("expected cost: the exact expected loss under the market's belief, rounded up", () => {
  it("matches the norm-slack identity in exact rationals, including the slack term", () => {
    const r = rng(31);
    let slackMattered = 0;
    let checked = 0;
    for (let it = 0; it < 200; it++) {
      const n = [3, 5, 11, 21, 101][Math.floor(r() * 5)] ?? 11;
      const { f, b, budget } = market(r, n, BigInt(1 + Math.floor(r() * 2 ** 30)) * 1000n);
      const i0 = Math.floor(r() * n);
      const i1 = Math.min(n - 1, i0 + Math.floor(r() * (n / 2)));
      let q: M.RangeBetQuote;
      try {
        q = M.quoteRangeBet(f, { b, budget, i0, i1, amount: BigInt(1 + Math.floor(r() * Number(b / 4n))) });
      } catch (e) {
        if (e instanceof M.MathError) continue;
        throw e;
      }
      const { num, den, d2 } = expectedLossReference(f, q.curve);
      // ceil(num / den) for a signed num.
      const want = num >= 0n ? (num + den - 1n) / den : -((-num) / den);
      expect(q.expectedCost, JSON.stringify({ n, i0, i1 })).toBe(want);
      expect(M.expectedCost(f, q.curve)).toBe(want);
      // Without the norm-slack term (the old figure): ceil(||g - f||^2 / (2 integral f)).
      if ((d2 + den - 1n) / den !== want) slackMattered++;
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    expect(slackMattered).toBeGreaterThan(0);
  });
});

describe("every legal cap takes the fast path", () => {
  it("is bit-identical to the reference for caps 2^50..2^57 (values past 2^53)", () => {
    const r = rng(4242);
    const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
    const outcome = (fn: () => unknown): string => {
      try {
        return show(fn());
      } catch (e) {
        if (e instanceof M.MathError) return `error:${e.errorName}`;
        throw e;
      }
    };
    let ok = 0;
    for (let it = 0; it < 60; it++) {
      const n = [3, 5, 11, 21][Math.floor(r() * 4)] ?? 5;
      const b = (1n << BigInt(50 + Math.floor(r() * 7))) + BigInt(Math.floor(r() * 2 ** 40)) * BigInt(1 + Math.floor(r() * 2 ** 12));
      const { f, budget } = market(r, n, b);
      expect(M.fastPathApplies(f, b)).toBe(true);
      const i0 = Math.floor(r() * n);
      const i1 = Math.min(n - 1, i0 + Math.floor(r() * n));
      const amount = [1n + BigInt(Math.floor(r() * 2 ** 20)), b / BigInt(2 + Math.floor(r() * 1000)), b][Math.floor(r() * 3)] ?? 1n;
      const p = { b, budget, i0, i1, amount };
      const fast = outcome(() => M.quoteRangeBet(f, p));
      expect(fast, show({ n, b, i0, i1, amount })).toBe(outcome(() => M.quoteRangeBetReference(f, p)));
      if (!fast.startsWith("error")) ok++;
    }
    expect(ok).toBeGreaterThan(30);
  }, 120_000);

  it("b = 2^56 at N = 101 quotes bit-identically to the reference, fast", () => {
    // The bench market (scripts/bench-quote.ts) with the largest cap the program accepts.
    const grid = { lo: 0n, hi: 1000n, n: 101 };
    const b = 1n << 56n;
    const k = M.isqrtU128((b * b * 1000n) / 6n);
    const d = M.normalDistribution(grid, { mean1e9: 500n * E9, sigma1e9: 200n * E9 }, { b, k });
    const p = { b, budget: d.budget, i0: 55, i1: 65, amount: b / 100n };
    const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
    expect(show(M.quoteRangeBet(d.curve, p))).toBe(show(M.quoteRangeBetReference(d.curve, p)));
    for (let i = 0; i < 20; i++) M.quoteRangeBet(d.curve, p);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      M.quoteRangeBet(d.curve, p);
      times.push(performance.now() - t0);
    }
    times.sort((a, c) => a - c);
    // The bench (scripts/bench-quote.ts) measures the real median; this looser bound leaves
    // room for a loaded machine and still catches the bigint path (25 ms).
    expect(times[7]).toBeLessThan(0.5);
  }, 60_000);
});
