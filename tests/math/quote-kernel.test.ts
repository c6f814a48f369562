/**
 * The pieces the fast quote path relies on to stay exact while doing less work
 * (`sdk/src/math/fast.ts`, `trade-fast.ts`, `trade-quote.ts`): the squared limb sum, the
 * display's exact masses, the band decisions from a per-scale anchor, the plateau ends found
 * by Newton steps, the fee inverse of the collateral cap, the pooled workspaces, and a bound on
 * the exact work of a quote at N = 101 (a regression that silently falls back to the exact
 * bisection keeps the results but not the speed).
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { exactDot, exactSquares, fastOracle, FastRangeBet, kernelWork, sortRuns } from "../../sdk/src/math/fast.js";
import { exactMass } from "../../sdk/src/math/trade-fast.js";
import { randomBuys } from "../../scripts/bench/random-buys.js";
import { rng } from "./helpers.js";

const E9 = 1_000_000_000n;

function isqrt(v: bigint): bigint {
  let x = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (x * x > v) x -= 1n;
  while ((x + 1n) * (x + 1n) <= v) x += 1n;
  return x;
}

/** The benchmark's market (scripts/bench-quote.ts): Normal, cap b, k^2 = b^2 width / 6. */
function benchMarket(n: number, b: bigint): { f: bigint[]; budget: bigint; i0: number; i1: number } {
  const width = BigInt(10 * (n - 1));
  const d = M.normalDistribution({ lo: 0n, hi: width, n }, { mean1e9: (width / 2n) * E9, sigma1e9: (width / 5n) * E9 }, { b, k: isqrt((b * b * width) / 6n) });
  const i0 = Math.floor(n * 0.55);
  return { f: d.curve, budget: d.budget, i0, i1: Math.max(i0 + 1, Math.floor(n * 0.65)) };
}

/** Exact `S(x; u) = sum w min(b, floor(x h / 1e9))^2 <= budget` for `h = f + u 1[i0, i1]` (the mirror). */
function passesExact(f: readonly bigint[], i0: number, i1: number, b: bigint, budget: bigint, x: bigint, u: bigint): boolean {
  return M.scalePasses({ h: f, i0, i1, t: u }, b, budget, x);
}

function simpsonWeights(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2));
}

describe("exact limb sums", () => {
  it("exactSquares = exactDot(a, a) = the bigint sum, limbs up to 2^28 / 1e9 - 1", () => {
    const r = rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 3 + 2 * Math.floor(r() * 300);
      const w = simpsonWeights(n);
      const aH = new Float64Array(n);
      const aL = new Float64Array(n);
      let exact = 0n;
      for (let i = 0; i < n; i++) {
        const edge = r() < 0.2;
        aH[i] = edge ? 2 ** 28 - 1 : Math.floor(r() * 2 ** (r() * 28));
        aL[i] = edge ? 999_999_999 : Math.floor(r() * 1e9);
        const v = BigInt(aH[i]!) * E9 + BigInt(aL[i]!);
        exact += BigInt(w[i]!) * v * v;
      }
      const from = Math.floor(r() * 3);
      const sub = (lo: number): bigint => {
        let s = 0n;
        for (let i = lo; i < n; i++) s += BigInt(w[i]!) * (BigInt(aH[i]!) * E9 + BigInt(aL[i]!)) ** 2n;
        return s;
      };
      expect(exactSquares(w, aH, aL, 0, n)).toBe(exact);
      expect(exactSquares(w, aH, aL, from, n)).toBe(sub(from));
      expect(exactSquares(w, aH, aL, from, n)).toBe(exactDot(w, aH, aL, aH, aL, from, n));
    }
  });

  it("exactMass = sum w v (trapezoid weights), values up to 2^58", () => {
    const r = rng(12);
    for (let trial = 0; trial < 300; trial++) {
      const n = 3 + 2 * Math.floor(r() * 500);
      const w = Float64Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 1 : 2));
      const vH = Float64Array.from({ length: n }, () => (r() < 0.2 ? 2 ** 28 - 1 : Math.floor(r() * 2 ** 28)));
      const vL = Float64Array.from({ length: n }, () => (r() < 0.2 ? 999_999_999 : Math.floor(r() * 1e9)));
      const i0 = Math.floor(r() * n);
      const i1 = i0 + Math.floor(r() * (n - i0));
      let exact = 0n;
      for (let i = i0; i <= i1; i++) exact += BigInt(w[i]!) * (BigInt(vH[i]!) * E9 + BigInt(vL[i]!));
      expect(exactMass(w, vH, vL, i0, i1 + 1)).toBe(exact);
    }
  });
});

describe("the limb kernel g = min(b, floor(c h / 1e9))", () => {
  it("equals the bigint rule for random and edge values, scales and caps (quotients by 1/1e9, corrected)", () => {
    const r = rng(15);
    const pick = (xs: readonly bigint[]): bigint => xs[Math.floor(r() * xs.length)]!;
    const randBig = (bits: number): bigint => (BigInt(Math.floor(r() * 2 ** 26)) << BigInt(Math.max(0, bits - 26))) + BigInt(Math.floor(r() * 2 ** Math.min(26, bits)));
    for (let trial = 0; trial < 400; trial++) {
      const n = 3 + 2 * Math.floor(r() * 40);
      const f = Array.from({ length: n }, () =>
        r() < 0.3 ? pick([0n, 1n, E9 - 1n, E9, E9 + 1n, 123n * E9, (1n << 53n) - 1n, 1n << 53n, (1n << 57n) - 1n, 1n << 57n]) : randBig(1 + Math.floor(r() * 57)),
      );
      const b = r() < 0.3 ? 1n << 57n : randBig(20 + Math.floor(r() * 37));
      const c = r() < 0.4 ? pick([E9, E9 - 1n, E9 + 1n, 2n * E9, 3n * 32768n, E9 - 32768n, 999_967_232n, (1n << 52n) - 1n]) : BigInt(Math.floor(r() * 2 ** (20 + r() * 32)));
      // The whole grid as the range: collateralAtBump(0, c) fills g at every point.
      const kernel = new FastRangeBet(f, { b, budget: 1n, i0: 0, i1: n - 1 });
      kernel.collateralAtBump(0, c);
      expect(kernel.curve()).toEqual(M.applyScale(f, b, c));
      kernel.release();
    }
  });
});

describe("the out-of-range values walk over consecutive scales", () => {
  it("sums, collateral and verdicts at scales visited in any order (steps, jumps, past the walk's reach) equal the mirror", () => {
    const r = rng(16);
    for (const b of [10_000_000_000n, 1n << 40n, 1n << 56n, (1n << 57n) - 12345n]) {
      const { f, budget, i0, i1 } = benchMarket(101, b);
      const q = { b, budget, i0, i1 };
      const kernel = new FastRangeBet(f, q);
      const t = Number(b / 40n);
      const c0 = Number(kernel.exactScale(t));
      let x = c0;
      for (let k = 0; k < 120; k++) {
        const move = r();
        // Steps of one, jumps of a few units, and jumps around the 2^20 limit of a walk.
        x = move < 0.3 ? x + 1 : move < 0.6 ? x - 1 : move < 0.8 ? c0 + Math.round((r() - 0.5) * 40) : x + (r() < 0.5 ? -1 : 1) * (2 ** 20 + Math.round((r() - 0.5) * 8));
        const u = t + Math.round((r() - 0.5) * 1e6);
        expect(kernel.collateralAtBump(u, BigInt(x))).toBe(Number(M.collateralAt(f, q, BigInt(u), BigInt(x))));
        kernel.setBump(u);
        expect(kernel.passesNumber(x)).toBe(passesExact(f, i0, i1, b, budget, BigInt(x), BigInt(u)));
      }
      // Scale 0 after an invalid walk state.
      expect(kernel.collateralAtBump(t, 0n)).toBe(Number(M.collateralAt(f, q, BigInt(t), 0n)));
    }
  });
});

describe("kernel setup", () => {
  it("sortRuns sorts like the native sort: random, unimodal, monotone, tiny inputs", () => {
    const r = rng(14);
    for (let trial = 0; trial < 500; trial++) {
      const len = Math.floor(r() * 300);
      const kind = trial % 4;
      const a = new Float64Array(len + 5);
      for (let i = 0; i < len; i++) {
        const x = kind === 0 ? r() * 1e6 : kind === 1 ? -Math.abs(i - len * r()) : kind === 2 ? len - i : i * (r() < 0.1 ? -1 : 1);
        a[i] = Math.floor(x) * 2048 + i; // distinct keys, as the kernel's
      }
      const want = Float64Array.from(a.subarray(0, len)).sort();
      sortRuns(a, len, new Float64Array(len));
      expect(Array.from(a.subarray(0, len))).toEqual(Array.from(want));
    }
  });

  it("limbs f = fH 1e9 + fL (0 <= fL < 1e9) for values past 2^53, from the double and its rounding error", () => {
    const r = rng(13);
    for (let trial = 0; trial < 200; trial++) {
      const n = 3 + 2 * Math.floor(r() * 60);
      const f = Array.from({ length: n }, () => {
        const k = r();
        if (k < 0.2) return (1n << 57n) - BigInt(Math.floor(r() * 5000));
        if (k < 0.3) return 1n << 53n;
        if (k < 0.4) return (1n << 53n) - 1n;
        return (BigInt(Math.floor(r() * 2 ** 30)) << 27n) + BigInt(Math.floor(r() * 2 ** 27));
      });
      const kernel = new FastRangeBet(f, { b: 1n << 56n, budget: 1n << 120n, i0: 0, i1: 0 });
      for (let i = 0; i < n; i++) {
        expect(kernel.fL[i]! >= 0 && kernel.fL[i]! < 1e9).toBe(true);
        expect(BigInt(kernel.fH[i]!) * E9 + BigInt(kernel.fL[i]!)).toBe(f[i]);
      }
      kernel.release();
    }
  });
});

describe("band decisions from a per-scale anchor", () => {
  it("every probe near a plateau end at 2^56 decides S <= budget as the bigint mirror, with few exact sums", () => {
    // At b = 2^56 the float sum cannot separate S from the budget within thousands of units of
    // the end (the rounding band): those probes are decided from the anchor of their scale.
    for (const [n, b] of [
      [101, 1n << 56n],
      [11, 1n << 56n],
      [615, 1n << 56n],
      [101, 1n << 50n],
    ] as const) {
      const { f, budget, i0, i1 } = benchMarket(n, b);
      const kernel = new FastRangeBet(f, { b, budget, i0, i1 });
      const t = Number(b / 30n);
      const c = Number(kernel.exactScale(t));
      const ends = kernel.plateauEnds(t, 1, 2 ** 53 - 1);
      expect(ends).not.toBeNull();
      const r = rng(n);
      let probes = 0;
      let inBand = 0;
      const before = kernel.bigintFallbacks;
      for (const [end, x] of ends!) {
        expect(Math.abs(x - c)).toBeLessThanOrEqual(2);
        for (let k = 0; k < 60; k++) {
          const u = end + Math.round((r() - 0.5) * 2 * 3000);
          kernel.setBump(u);
          const got = kernel.passesNumber(x);
          const want = passesExact(f, i0, i1, b, budget, BigInt(x), BigInt(u));
          expect(got).toBe(want);
          probes++;
          // How close S is to the budget (exact): inside 1e-13 relative is inside the band.
          const sum = (() => {
            let s = 0n;
            const sc = new M.Scale1e9(BigInt(x));
            for (let i = 0; i < n; i++) {
              const h = i >= i0 && i <= i1 ? f[i]! + BigInt(u) : f[i]!;
              const raw = sc.apply(h);
              const g = raw < b ? raw : b;
              s += M.simpsonWeight(i, n) * g * g;
            }
            return s;
          })();
          const gap = sum > budget ? sum - budget : budget - sum;
          if (Number(gap) < Number(budget) * 1e-13) inBand++;
        }
      }
      if (b === 1n << 56n) {
        // The anchors decide most band probes without a bigint sum.
        expect(inBand).toBeGreaterThan(probes / 2);
        expect(kernel.bigintFallbacks - before).toBeLessThan(inBand / 4);
      }
    }
  });
});

describe("plateau ends (Newton steps on the exact residual)", () => {
  it("T(x) is the largest bump whose scale-x sum fits, T(x) + 1 does not fit, at every cap", () => {
    for (const b of [10_000_000_000n, 1n << 40n, 1n << 56n]) {
      for (const n of [11, 101]) {
        const { f, budget, i0, i1 } = benchMarket(n, b);
        const kernel = new FastRangeBet(f, { b, budget, i0, i1 });
        for (const div of [50n, 100n, 300n]) {
          const t = Number(b / div);
          const ends = kernel.plateauEnds(t, 1, 2 ** 53 - 1);
          expect(ends).not.toBeNull();
          for (const [end, x] of ends!) {
            expect(passesExact(f, i0, i1, b, budget, BigInt(x), BigInt(end))).toBe(true);
            expect(passesExact(f, i0, i1, b, budget, BigInt(x), BigInt(end) + 1n)).toBe(false);
          }
        }
      }
    }
  });
});

describe("collateralCap (float inverse of the fee, then a bracketed search)", () => {
  /** The plain bisection it replaced. */
  function capByBisection(r0: bigint, fee: bigint, size: { budget: bigint } | { refund: bigint }): bigint | null {
    const netIn = (x: bigint): bigint => M.settle(r0, x, fee).netIn;
    const limit = "budget" in size ? size.budget : -size.refund;
    if (netIn(0n) > limit) return null;
    let lo = 0n;
    let hi = r0 + (limit > 0n ? limit : 0n) + 1n;
    if (netIn(hi) <= limit) return hi;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (netIn(mid) <= limit) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  it("equals the bisection for budgets and refunds, fees 0..MAX_FEE_BPS, sizes up to 2^62", () => {
    const r = rng(5);
    for (let k = 0; k < 3000; k++) {
      const big = (bits: number): bigint => BigInt(Math.floor(r() * 2 ** Math.min(bits, 52))) << BigInt(Math.max(0, bits - 52));
      const r0 = r() < 0.3 ? 0n : big(Math.floor(r() * 62));
      const fee = r() < 0.2 ? 0n : r() < 0.2 ? M.MAX_FEE_BPS : BigInt(Math.floor(r() * Number(M.MAX_FEE_BPS)));
      const amount = 1n + big(Math.floor(r() * 62));
      const size = r() < 0.5 ? { budget: amount } : { refund: r() < 0.5 ? amount : r0 > 0n ? r0 - (r0 * BigInt(Math.floor(r() * 100))) / 100n + 1n : amount };
      expect(M.collateralCap(r0, fee, size)).toBe(capByBisection(r0, fee, size));
    }
  });
});

describe("pooled kernel workspaces", () => {
  it("a released workspace serves the next kernel; live kernels never share one; a second release is a no-op", () => {
    const m1 = benchMarket(101, 1n << 40n);
    const m2 = benchMarket(101, 10_000_000_000n);
    const q1 = { b: 1n << 40n, budget: m1.budget, i0: m1.i0, i1: m1.i1 };
    const q2 = { b: 10_000_000_000n, budget: m2.budget, i0: 20, i1: 30 };
    const fresh = new FastRangeBet(m1.f, q1);
    const want = fresh.collateralForBump(123_456_789);
    const a = new FastRangeBet(m2.f, q2);
    a.collateralForBump(5_000);
    a.release();
    a.release();
    const b = new FastRangeBet(m1.f, q1); // reuses a's workspace
    const c = new FastRangeBet(m1.f, q1); // must not: a was released once
    expect(b.g.buffer).not.toBe(c.g.buffer);
    expect(b.collateralForBump(123_456_789)).toEqual(want);
    expect(c.collateralForBump(123_456_789)).toEqual(want);
    // Interleaved quotes on different markets equal the literal composition.
    for (const [f, q] of [
      [m1.f, q1],
      [m2.f, q2],
      [m1.f, q1],
    ] as const) {
      const p = { ...q, amount: q.b / 100n };
      expect(M.quoteRangeBet(f, p)).toEqual(M.quoteRangeBetReference(f, p));
    }
  });
});

describe("work of a range quote at N = 101 (speed regressions keep results, not speed)", () => {
  it("quoteRangeBet's search: a handful of exact passes at every legal cap", () => {
    for (const b of [10_000_000_000n, 1n << 40n, 1n << 56n]) {
      const { f, budget, i0, i1 } = benchMarket(101, b);
      const q = { b, budget, i0, i1 };
      const solver = new FastRangeBet(f, q);
      const sol = M.solveRangeBetWith(f, q, b / 100n, fastOracle(solver, f, q));
      expect(sol).toEqual(M.solveRangeBet(f, q, b / 100n));
      // Measured: 9-10 passes (2^56: 3, the largest size fits); the exact bisection takes 64+.
      expect(solver.exactPasses).toBeLessThanOrEqual(24);
      expect(solver.bigintFallbacks).toBeLessThanOrEqual(8);
    }
  });
});

describe("work of a belief quote at N = 101 (speed regressions keep results, not speed)", () => {
  it("quoteTrade along a Normal belief, budgets b / 100 and b / 1000: a few exact passes and bounds at every legal cap", () => {
    const n = 101;
    const width = BigInt(10 * (n - 1));
    let quotes = 0;
    for (const b of [10_000_000_000n, 1n << 40n, 1n << 56n]) {
      const { f, budget } = benchMarket(n, b);
      const m: M.TradeMarket = { curve: f, b, normSqBudget: budget, lo: 0n, hi: width, nPoints: n, feeBps: 30n, tradeCount: 0n };
      // The benchmark's belief (mean 70%, sigma 10%) and one left of the market's mean.
      for (const [mean10, sigma100] of [[7, 10], [2, 15]] as const) {
        const belief: M.TradeDirectionInput = { kind: "shape", shape: { kind: "Normal", mean1e9: ((width * BigInt(mean10)) / 10n) * E9, sigma1e9: ((width * BigInt(sigma100)) / 100n) * E9 } };
        for (const amount of [b / 100n, b / 1000n]) {
          const before = { ...kernelWork };
          const q = M.quoteTrade(m, null, belief, { budget: amount });
          expect(q.netIn <= amount && q.netIn > 0n).toBe(true);
          // Measured: 3-5 full exact passes (one per plateau end, the apply's g; the other
          // probes of an end are made next to its pass), 4-9 probes, 11-21 certified bounds, 0-6
          // collateral scans; the exact bisection of one scale alone takes 30+ passes.
          expect(kernelWork.exactPasses - before.exactPasses).toBeLessThanOrEqual(8);
          expect(kernelWork.nearProbes - before.nearProbes).toBeLessThanOrEqual(16);
          expect(kernelWork.directionLimbs - before.directionLimbs).toBeLessThanOrEqual(10);
          expect(kernelWork.scaleBounds - before.scaleBounds).toBeLessThanOrEqual(28);
          expect(kernelWork.collateralScans - before.collateralScans).toBeLessThanOrEqual(8);
          quotes++;
        }
      }
    }
    expect(quotes).toBe(12);
  });
});

describe("work of buys on the benchmark's random markets (N = 101, scripts/bench/random-buys.ts)", () => {
  it("belief buys: at most 12 full exact passes each (30-200 before the interval bounds and the shifted origin), range buys at most 32 range passes", () => {
    const caps = [10_000_000_000n, 1n << 40n, 1n << 56n];
    const draws = randomBuys(caps, 40);
    let beliefs = 0;
    let ranges = 0;
    for (const b of caps) {
      const { beliefs: bs, ranges: rs } = draws.get(b)!;
      let passes = 0;
      for (const c of bs) {
        const before = { ...kernelWork };
        M.quoteTrade(c.m, null, c.dir, { budget: c.budget });
        const full = kernelWork.exactPasses - before.exactPasses;
        // Measured: 3-9 full passes (mean 3.6-4.6), 10-36 certified bounds, up to 61 probes.
        expect(full, c.label).toBeLessThanOrEqual(12);
        expect(kernelWork.scaleBounds - before.scaleBounds, c.label).toBeLessThanOrEqual(60);
        expect(kernelWork.nearProbes - before.nearProbes, c.label).toBeLessThanOrEqual(80);
        passes += full;
        beliefs++;
      }
      expect(passes / bs.length).toBeLessThanOrEqual(6);
      for (const c of rs) {
        const before = { ...kernelWork };
        M.quoteTrade(c.m, null, c.dir, { budget: c.budget });
        // Measured: 9-23 passes over the range only, 4-5 bounds.
        expect(kernelWork.exactPasses - before.exactPasses, c.label).toBeLessThanOrEqual(32);
        expect(kernelWork.scaleBounds - before.scaleBounds, c.label).toBeLessThanOrEqual(10);
        ranges++;
      }
    }
    expect(beliefs).toBeGreaterThanOrEqual(110);
    expect(ranges).toBeGreaterThanOrEqual(100);
  });
});
