/**
 * The general trade primitive of the math mirror (`sdk/src/math/trade-general.ts`): direction
 * vectors, `tradeApply` (netting, fee, canonical check) against an independent composition of
 * the literal mirrors, every error by name, and `canonicalScaleOf` against the Rust bisection.
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { mathErrorName, rng } from "./helpers.js";

const E9 = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;



const bigBelow = (r: () => number, n: bigint): bigint => {
  // Two draws of 32 bits cover every n below 2^64.
  const v = (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  return n === 0n ? 0n : v % n;
};

/** A projected Normal market on N points with cap b. */
function market(r: () => number, n: number, b: bigint): { grid: M.Grid; f: bigint[]; b: bigint; budget: bigint } {
  const grid = { lo: 0n, hi: BigInt(10 * (n - 1)), n };
  const h = M.shapeValues(grid, {
    kind: "Normal",
    mean1e9: BigInt(Math.floor(r() * 10 * n)) * E9,
    sigma1e9: BigInt(10 + Math.floor(r() * 10 * n)) * E9,
  });
  const kSq = (b * b * BigInt(10 * (n - 1))) / BigInt(2 + Math.floor(r() * 12));
  const budget = M.normSqBudgetFromKSq(kSq, 10n);
  const p = M.project(h, b, budget);
  return { grid, f: p.curve, b, budget };
}

/** The spec, written out on the literal mirrors (independent of `tradeApply`'s loop). */
function referenceApply(
  f: bigint[],
  payoff: bigint[],
  d: bigint[],
  b: bigint,
  budget: bigint,
  feeBps: bigint,
): { c: bigint; g: bigint[]; payoff: bigint[]; rBefore: bigint; rAfter: bigint; fee: bigint; netIn: bigint } {
  const h = f.map((v, i) => {
    const x = v + (d[i] as bigint);
    return x < 0n ? 0n : x;
  });
  const c = M.canonicalScale(h, b, budget);
  const g = M.applyScale(h, b, c);
  const p2 = payoff.map((p, i) => p + (g[i] as bigint) - (f[i] as bigint));
  const worst = (p: bigint[]): bigint => p.reduce((m, v) => (-v > m ? -v : m), 0n);
  const rBefore = worst(payoff);
  const rAfter = worst(p2);
  const delta = rAfter - rBefore;
  const abs = delta < 0n ? -delta : delta;
  let fee = (abs * feeBps) / 10_000n;
  if (fee * 10_000n < abs * feeBps) fee += 1n;
  return { c, g, payoff: p2, rBefore, rAfter, fee, netIn: delta + fee };
}

describe("direction vectors", () => {
  const grid = { lo: 0n, hi: 100n, n: 11 };
  it("range: d = t on [i0, i1], 0 elsewhere, for either sign", () => {
    const zero = new Array<bigint>(11).fill(0n);
    const dir = M.directionVector({ kind: "range", i0: 2, i1: 4 }, grid);
    expect(M.deltaOf(dir, 7n, zero)).toEqual([0n, 0n, 7n, 7n, 7n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(M.deltaOf(dir, -7n, zero)).toEqual([0n, 0n, -7n, -7n, -7n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });
  it("shape: floor(t phi / 1e9) toward negative infinity", () => {
    const shape: M.Shape = { kind: "Normal", mean1e9: 50n * E9, sigma1e9: 20n * E9 };
    const phi = M.shapeValues(grid, shape);
    const dir = M.directionVector({ kind: "shape", shape }, grid);
    expect(dir).toEqual({ kind: "shape", phi });
    const zero = new Array<bigint>(11).fill(0n);
    const up = M.deltaOf(dir, 3n, zero);
    const down = M.deltaOf(dir, -3n, zero);
    for (let i = 0; i < 11; i++) {
      const p = phi[i] as bigint;
      expect(up[i]).toBe((3n * p) / E9);
      // -floor(x) = ceil(-x): a negative size rounds away from zero unless exact.
      const exact = (3n * p) % E9 === 0n;
      expect(down[i]).toBe(-((3n * p) / E9) - (exact ? 0n : 1n));
    }
    expect(M.floorDiv(-1n, E9)).toBe(-1n);
    expect(M.floorDiv(-E9, E9)).toBe(-1n);
    expect(M.floorDiv(-E9 - 1n, E9)).toBe(-2n);
    expect(M.floorDiv(E9 - 1n, E9)).toBe(0n);
  });
  it("unwind: d = floor(-fraction P / 1e9)", () => {
    const p = [5n, -3n, 0n, 1_000_000_001n, -1_000_000_001n, 0n, 0n, 0n, 0n, 0n, 0n];
    const d = M.deltaOf({ kind: "unwind" }, 500_000_000n, p);
    expect(d.slice(0, 5)).toEqual([-3n, 1n, 0n, -500_000_001n, 500_000_000n]);
    expect(M.deltaOf({ kind: "unwind" }, E9, p)).toEqual(p.map((v) => -v));
  });
  it("every bad direction or size is a named error", () => {
    const zero = new Array<bigint>(11).fill(0n);
    const someP = [...zero];
    someP[3] = -5n;
    expect(mathErrorName(() => M.directionVector({ kind: "range", i0: 4, i1: 2 }, grid))).toBe("InvalidRange");
    expect(mathErrorName(() => M.directionVector({ kind: "range", i0: 0, i1: 11 }, grid))).toBe("InvalidRange");
    expect(mathErrorName(() => M.directionVector({ kind: "range", i0: 0.5, i1: 3 }, grid))).toBe("InvalidRange");
    expect(mathErrorName(() => M.directionVector({ kind: "range", i0: Number.NaN, i1: 3 }, grid))).toBe("InvalidRange");
    expect(mathErrorName(() => M.directionVector({ kind: "bogus" } as never, grid))).toBe("InvalidDirection");
    expect(mathErrorName(() => M.directionVector({ kind: "shape", shape: { kind: "Normal", mean1e9: 0n, sigma1e9: 0n } }, grid))).toBe(
      "InvalidShape",
    );
    const range = M.directionVector({ kind: "range", i0: 1, i1: 2 }, grid);
    expect(mathErrorName(() => M.deltaOf(range, 0n, zero))).toBe("ZeroBet");
    expect(mathErrorName(() => M.deltaOf(range, 1n << 63n, zero))).toBe("Overflow");
    expect(mathErrorName(() => M.deltaOf(range, 1 as never, zero))).toBe("Overflow");
    expect(mathErrorName(() => M.deltaOf({ kind: "unwind" }, 0n, someP))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.deltaOf({ kind: "unwind" }, -1n, someP))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.deltaOf({ kind: "unwind" }, E9 + 1n, someP))).toBe("InvalidUnwindFraction");
    expect(mathErrorName(() => M.deltaOf({ kind: "unwind" }, E9, zero))).toBe("NothingToUnwind");
    expect(mathErrorName(() => M.deltaOf({ kind: "shape", phi: [1n] }, 1n, zero))).toBe("LengthMismatch");
  });
});

describe("tradeApply", () => {
  it("matches the spec written out on the literal mirrors (random markets, positions, directions, fees)", () => {
    const r = rng(7);
    let checked = 0;
    let refunds = 0;
    for (let iter = 0; iter < 120; iter++) {
      const n = [3, 5, 11, 21][iter % 4] as number;
      const b = [1000n, 10n ** 10n, 1n << 40n, 1n << 56n][Math.floor(r() * 4)] as bigint;
      const m = market(r, n, b);
      const payoff = m.f.map(() => bigBelow(r, b) - b / 2n);
      const feeBps = BigInt(Math.floor(r() * 1001));
      const kind = iter % 3;
      let dir: M.DirectionVector;
      let t: bigint;
      if (kind === 0) {
        const i0 = Math.floor(r() * n);
        const i1 = i0 + Math.floor(r() * (n - i0));
        dir = { kind: "range", i0, i1 };
        t = bigBelow(r, b) + 1n;
        if (r() < 0.4) t = -t;
      } else if (kind === 1) {
        dir = M.directionVector(
          { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(Math.floor(r() * 10 * n)) * E9, sigma1e9: 15n * E9 } },
          m.grid,
        );
        t = bigBelow(r, b) + 1n;
        if (r() < 0.4) t = -t;
      } else {
        dir = { kind: "unwind" };
        t = BigInt(1 + Math.floor(r() * 1e9));
      }
      const d = M.deltaOf(dir, t, payoff);
      let want;
      try {
        want = referenceApply(m.f, payoff, d, b, m.budget, feeBps);
      } catch (e) {
        if (M.isMathError(e, "NormConstraintViolated")) continue;
        throw e;
      }
      if (want.g.every((v, i) => v === m.f[i])) {
        expect(mathErrorName(() => M.tradeApply(m.f, payoff, dir, t, want.c, b, m.budget, feeBps))).toBe("ZeroBet");
        continue;
      }
      const got = M.tradeApply(m.f, payoff, dir, t, want.c, b, m.budget, feeBps);
      expect(got.g).toEqual(want.g);
      expect(got.payoff).toEqual(want.payoff);
      expect(got.collateralBefore).toBe(want.rBefore);
      expect(got.collateralAfter).toBe(want.rAfter);
      expect(got.fee).toBe(want.fee);
      expect(got.netIn).toBe(want.netIn);
      expect(got.delta).toBe(want.rAfter - want.rBefore);
      expect(got.normSq).toBe(M.weightedSumSq(want.g));
      // Canonical: the neighbours of c are refused.
      if (want.c > 0n) expect(mathErrorName(() => M.tradeApply(m.f, payoff, dir, t, want.c - 1n, b, m.budget, feeBps))).toBe("NotCanonical");
      expect(mathErrorName(() => M.tradeApply(m.f, payoff, dir, t, want.c + 1n, b, m.budget, feeBps))).toBe("NotCanonical");
      // canonicalScaleOf (fast kernel or bisection) finds the same c.
      expect(M.canonicalScaleOf(M.tradeTarget(m.f, dir, t, payoff), b, m.budget)).toBe(want.c);
      if (got.netIn <= 0n) refunds++;
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(80);
    expect(refunds).toBeGreaterThan(0);
  });

  it("a fresh buy then a full unwind returns the collateral less floor dust and the fees", () => {
    const r = rng(11);
    for (let iter = 0; iter < 20; iter++) {
      const m = market(r, 21, 10n ** 10n);
      const zero = m.f.map(() => 0n);
      const dir: M.DirectionVector = { kind: "range", i0: 5, i1: 9 };
      const t = 10n ** 8n;
      const h = M.tradeTarget(m.f, dir, t, zero);
      const c = M.canonicalScaleOf(h, m.b, m.budget);
      const buy = M.tradeApply(m.f, zero, dir, t, c, m.b, m.budget, 100n);
      expect(buy.collateralBefore).toBe(0n);
      expect(buy.netIn).toBe(buy.collateralAfter + buy.fee);
      expect(buy.fee).toBe((buy.collateralAfter * 100n + 9_999n) / 10_000n);
      const h2 = M.tradeTarget(buy.g, { kind: "unwind" }, E9, buy.payoff);
      const c2 = M.canonicalScaleOf(h2, m.b, m.budget);
      const back = M.tradeApply(buy.g, buy.payoff, { kind: "unwind" }, E9, c2, m.b, m.budget, 100n);
      expect(back.collateralBefore).toBe(buy.collateralAfter);
      // Selling back to (about) the old curve leaves only rounding residue in P.
      for (const p of back.payoff) expect(p < 0n ? -p : p).toBeLessThan(buy.collateralAfter / 1000n + 10n);
      expect(back.netIn).toBeLessThan(0n);
      expect(back.fee).toBe((-back.delta * 100n + 9_999n) / 10_000n);
    }
  });

  it("names every bad input", () => {
    const r = rng(3);
    const m = market(r, 11, 10n ** 10n);
    const zero = m.f.map(() => 0n);
    const dir: M.DirectionVector = { kind: "range", i0: 2, i1: 3 };
    const c = M.canonicalScaleOf(M.tradeTarget(m.f, dir, 1000n, zero), m.b, m.budget);
    const ok = (): unknown => M.tradeApply(m.f, zero, dir, 1000n, c, m.b, m.budget);
    expect(mathErrorName(ok)).toBe("no error");
    expect(mathErrorName(() => M.tradeApply(m.f.slice(1), zero, dir, 1000n, c, m.b, m.budget))).toBe("InvalidGrid");
    expect(mathErrorName(() => M.tradeApply(m.f, zero.slice(1), dir, 1000n, c, m.b, m.budget))).toBe("LengthMismatch");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, dir, 0n, c, m.b, m.budget))).toBe("ZeroBet");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, dir, 1000n, U64_MAX, m.b, m.budget))).toBe("NotCanonical");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, dir, 1000n, -1n, m.b, m.budget))).toBe("Overflow");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, dir, 1000n, c, m.b, m.budget, 1001n))).toBe("FeeTooHigh");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, { kind: "range", i0: 3, i1: 2 }, 1000n, c, m.b, m.budget))).toBe("InvalidRange");
    const high = [...m.f];
    high[3] = U64_MAX - 10n;
    expect(mathErrorName(() => M.tradeApply(high, zero, dir, 1000n, c, m.b, m.budget))).toBe("Overflow");
    expect(mathErrorName(() => M.tradeApply(m.f, zero, { kind: "unwind" }, E9, c, m.b, m.budget))).toBe("NothingToUnwind");
  });
});

describe("canonicalScaleOf", () => {
  it("equals the Rust bisection on random curves at every legal cap, and past the fast path", () => {
    const r = rng(5);
    for (let iter = 0; iter < 60; iter++) {
      const n = [3, 11, 51][iter % 3] as number;
      const b = [1n << 20n, 1n << 40n, 1n << 56n, 1n << 60n][Math.floor(r() * 4)] as bigint;
      const h = Array.from({ length: n }, () => bigBelow(r, b * 2n));
      const budget = bigBelow(r, (b * b * BigInt(n)) / 2n) + 1n;
      let want: string;
      try {
        want = M.canonicalScale(h, b, budget).toString();
      } catch (e) {
        want = (e as M.MathError).errorName;
      }
      let got: string;
      try {
        got = M.canonicalScaleOf(h, b, budget).toString();
      } catch (e) {
        got = (e as M.MathError).errorName;
      }
      expect(got).toBe(want);
    }
  });
});

describe("canonicalScaleOf above the fast kernel's domain (values past 2^57)", () => {
  it("equals the literal bisection (canonical_scale) on huge curves, caps binding or not", () => {
    const r = rng(57);
    let huge = 0;
    let violated = 0;
    for (let iter = 0; iter < 40; iter++) {
      const n = [5, 11, 21][iter % 3] as number;
      const h = Array.from({ length: n }, () => (r() < 0.2 ? 0n : BigInt(Math.floor(r() * 2 ** 52)) << BigInt(Math.floor(r() * 12))));
      h[Math.floor(r() * n)] = (1n << 58n) + BigInt(Math.floor(r() * 2 ** 50)) * BigInt(1 + Math.floor(r() * 60));
      const b = [1n << 40n, 1n << 56n, 10n ** 10n][iter % 3] as bigint;
      const budget = (b * b * BigInt(1 + Math.floor(r() * 4 * n))) >> BigInt(Math.floor(r() * 3));
      const run = (f: () => bigint): string => {
        try {
          return f().toString();
        } catch (e) {
          return (e as M.MathError).errorName;
        }
      };
      const want = run(() => M.canonicalScale(h, b, budget));
      expect(run(() => M.canonicalScaleOf(h, b, budget)), `iter ${iter}`).toBe(want);
      if (want === "NormConstraintViolated") violated++;
      else huge++;
    }
    expect(huge).toBeGreaterThanOrEqual(30);
  });
});
