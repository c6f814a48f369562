/**
 * Direct edge cases of the math mirror and a randomized equivalence check of the fast quote
 * path (`quoteRangeBet`) against the literal bigint composition (`quoteRangeBetReference`).
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { rng } from "./helpers.js";

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

function expectMathError(fn: () => unknown, name: M.MathErrorName): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(M.MathError);
    expect((e as M.MathError).errorName).toBe(name);
    expect((e as M.MathError).code).toBe(M.MathErrorCode[name]);
    return;
  }
  throw new Error(`expected MathError ${name}`);
}

describe("MathError", () => {
  it("carries the Rust discriminant and variant name", () => {
    const e = new M.MathError("NormConstraintViolated");
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe(5);
    expect(e.errorName).toBe("NormConstraintViolated");
    expect(e.name).toBe("NormConstraintViolated");
    expect(String(e)).toMatch(/^NormConstraintViolated: /);
    expect(M.MathError.fromCode(11).errorName).toBe("LengthMismatch");
    expect(M.MATH_ERROR_NAMES).toHaveLength(16);
    expect(M.isMathError(e, "NormConstraintViolated")).toBe(true);
  });
});

describe("wide", () => {
  it("keeps u64/u128 semantics at the edges", () => {
    expect(M.mulU64Wide(U64_MAX, U64_MAX)).toBe(U64_MAX * U64_MAX);
    expect(M.mulU128U64(U128_MAX, 2n)).toBeNull();
    expectMathError(() => M.mulDivFloor(U64_MAX, U64_MAX, 1n), "Overflow");
    expectMathError(() => M.mulDivCeil(1n, 1n, 0n), "DivideByZero");
    expect(M.mulDivCeil(U64_MAX, 1n, 1n)).toBe(U64_MAX);
    expectMathError(() => M.addU64(U64_MAX, 1n), "Overflow");
    expectMathError(() => M.subU64(0n, 1n), "Overflow");
    expect(M.isqrtU64(U64_MAX)).toBe((1n << 32n) - 1n);
    expect(M.isqrtU128(U128_MAX)).toBe(U64_MAX);
    expect(M.scaleFloor1e9(U64_MAX, U64_MAX)).toBe(U64_MAX);
    expect(new M.Scale1e9(999_999_999n).applyPair(1_000_000_001n)).toEqual([999_999_999n, 1_000_000_001n]);
  });
});

describe("simpson / grid", () => {
  it("rejects bad grids and ranges", () => {
    expectMathError(() => M.weightedSum([1n, 2n]), "InsufficientPoints");
    expectMathError(() => M.weightedSum([1n, 2n, 3n, 4n]), "InvalidGrid");
    expectMathError(() => M.rangeMass([1n, 2n, 3n], 2, 1), "InvalidRange");
    expectMathError(() => M.rangeProbability1e9([0n, 0n, 0n], 0, 2), "IntegrationFailed");
    expectMathError(() => M.gridStep({ lo: 0n, hi: 10n, n: 4 }), "InvalidGrid");
    // Full i64 domain: width 2^64 - 1 (wrapping u64 sub) is odd, so no odd grid divides it.
    expectMathError(() => M.gridStep({ lo: -(1n << 63n), hi: (1n << 63n) - 1n, n: 3 }), "InvalidGrid");
    expect(M.gridX({ lo: -(1n << 63n), hi: (1n << 63n) - 1n, n: 3 }, 2, 1n << 63n)).toBe(-(1n << 63n));
    // Trapezoid point masses: ends weigh 1, interior points 2; the same on integer doubles.
    const f = [1n, 2n, 3n, 4n, 5n];
    expect(M.rangeMass(f, 0, 4)).toBe(1n + 4n + 6n + 8n + 5n);
    expect(M.rangeMass(f, 1, 4)).toBe(4n + 6n + 8n + 5n);
    expect(M.trapezoidSum(f)).toBe(24n);
    const big = [(1n << 53n) - 1n, (1n << 52n) + 3n, 7n];
    expect(M.rangeMass(Float64Array.from(big, Number), 0, 2)).toBe(M.rangeMass(big, 0, 2));
  });
});

describe("exp / shapes", () => {
  it("exp edges", () => {
    expect(M.expNeg1e9(0n)).toBe(1_000_000_000n);
    expect(M.expNeg1e18(0n)).toBe(1_000_000_000_000_000_000n);
    expect(M.expNeg1e9(22_000_000_000n)).toBe(0n);
    expect(M.expNeg1e18(22_000_000_000n)).toBeGreaterThan(0n);
    expect(M.expNeg1e18(41_999_999_999n)).toBeLessThanOrEqual(1n);
    expect(M.expNeg1e18(42_000_000_000n)).toBe(0n);
    expect(M.expNeg1e18(U64_MAX)).toBe(0n);
    expect(M.expNeg1e9(U64_MAX)).toBe(0n);
  });
  it("shape errors and the Normal sigma bound", () => {
    const grid = { lo: 0n, hi: 10n, n: 11 };
    expectMathError(() => M.shapeValues(grid, { kind: "Normal", mean1e9: 0n, sigma1e9: 0n }), "InvalidShape");
    expectMathError(() => M.shapeValues(grid, { kind: "Uniform", a: 5n, b: 4n }), "InvalidShape");
    expectMathError(() => M.shapeValues(grid, { kind: "Mixture", comps: [] }), "InvalidShape");
    expectMathError(() => M.shapeValues(grid, { kind: "Custom" }, [{ x: 0n, y: 1n }]), "InvalidShape");
    expectMathError(() => M.shapeValues(grid, { kind: "Uniform", a: 0n, b: 1n }, [], [0n]), "LengthMismatch");
    expectMathError(() => M.checkNormalSigma(1n, 1_000_000_000n, 0n), "MaxBoundExceeded");
    expect(() => M.checkNormalSigma(10n ** 12n, 10n ** 9n, 10n ** 9n)).not.toThrow();
  });
  it("builds projected market curves from shapes", () => {
    const grid = { lo: 0n, hi: 1000n, n: 101 };
    const market = { b: 10_000_000_000n, k: 100_000_000_000n };
    for (const d of [
      M.normalDistribution(grid, { mean1e9: 500n * 10n ** 9n, sigma1e9: 150n * 10n ** 9n }, market),
      M.uniformDistribution(grid, 200n, 800n, market),
      M.presetDistribution(grid, "TrimodalElection", market),
      M.customDistribution(grid, [{ x: 0n, y: 0n }, { x: 300n, y: 10n ** 9n }, { x: 1000n, y: 0n }], market),
    ]) {
      M.verifyCanonical(d.shape, market.b, d.budget, d.c);
      expect(M.weightedSumSq(d.curve)).toBeLessThanOrEqual(d.budget);
      expect(d.curve.every((v) => v <= market.b)).toBe(true);
    }
    expectMathError(
      () => M.normalDistribution(grid, { mean1e9: 500n * 10n ** 9n, sigma1e9: 1n }, market),
      "MaxBoundExceeded",
    );
  });
});

describe("project", () => {
  it("canonical scale edges", () => {
    expectMathError(() => M.canonicalScale([0n, 5n, 0n], 10n, 1_000_000n), "NormConstraintViolated");
    expectMathError(() => M.canonicalScale([0n, 0n, 0n], 10n, 0n), "NormConstraintViolated");
    const h = [1_000_000_000n, 2_000_000_000n, 1_000_000_000n];
    const budget = M.normSqBudget(3_000_000_000n, 1n);
    const { c, curve } = M.projectToConstraints(h, 5_000_000_000n, budget);
    M.verifyCanonical(h, 5_000_000_000n, budget, c);
    expectMathError(() => M.verifyCanonical(h, 5_000_000_000n, budget, c + 1n), "NotCanonical");
    expect(M.weightedSumSq(curve)).toBeLessThanOrEqual(budget);
    expectMathError(() => M.applyScale(h, 1n, 1n, [0n]), "LengthMismatch");
  });
});


function randomMarket(r: () => number, n: number): { f: bigint[]; b: bigint; budget: bigint } {
  const grid = { lo: 0n, hi: BigInt(10 * (n - 1)), n };
  const h = M.shapeValues(grid, {
    kind: "Normal",
    mean1e9: BigInt(Math.floor(r() * 10 * n)) * 1_000_000_000n,
    sigma1e9: BigInt(10 + Math.floor(r() * 10 * n)) * 1_000_000_000n,
  });
  const b = BigInt(1_000_000_000 + Math.floor(r() * 20_000_000_000));
  const kSq = (b * b * BigInt(10 * (n - 1))) / BigInt(2 + Math.floor(r() * 12));
  const budget = M.normSqBudgetFromKSq(kSq, 10n);
  let f: bigint[];
  try {
    f = M.project(h, b, budget).curve;
  } catch {
    f = h;
  }
  return { f, b, budget };
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
function outcome(fn: () => unknown): string {
  try {
    return show(fn());
  } catch (e) {
    if (e instanceof M.MathError) return `error:${e.errorName}`;
    throw e;
  }
}

describe("quoteRangeBet", () => {
  it("fast path equals the literal bigint composition on random markets", () => {
    const r = rng(7);
    let ok = 0;
    for (let it = 0; it < 120; it++) {
      const n = [3, 5, 11, 21, 41, 101][Math.floor(r() * 6)] ?? 11;
      const { f, b, budget } = randomMarket(r, n);
      const i0 = Math.floor(r() * n);
      const i1 = Math.min(n - 1, i0 + Math.floor(r() * (n / 2 + 1)));
      const scale = [10, 1000, 1e6, 1e8, 2e9][Math.floor(r() * 5)] ?? 1e6;
      const p = { b, budget, i0, i1, amount: BigInt(1 + Math.floor(r() * scale)) };
      const fast = outcome(() => M.quoteRangeBet(f, p));
      expect(fast, show(p)).toBe(outcome(() => M.quoteRangeBetReference(f, p)));
      if (!fast.startsWith("error")) ok++;
    }
    expect(ok).toBeGreaterThan(80);
  });

  it("fast path equals the literal composition on odd markets (tiny/huge values, caps, zeros)", () => {
    const r = rng(99);
    const ri = (n: number): number => Math.floor(r() * n);
    let ok = 0;
    for (let it = 0; it < 250; it++) {
      const n = [3, 5, 7, 11, 21][ri(5)] ?? 5;
      const step = BigInt(1 + ri(50));
      const b = [BigInt(1 + ri(100)), BigInt(1 + ri(2 ** 31)) * 10n, BigInt(ri(2 ** 30)) * BigInt(ri(2 ** 20)) + 1n][ri(3)] ?? 1n;
      const kind = ri(3);
      const h = Array.from({ length: n }, () =>
        kind === 0
          ? BigInt(ri(1000))
          : kind === 1
            ? BigInt(ri(2 ** 30)) * BigInt(1 + ri(1000))
            : ri(3) === 0
              ? 0n
              : BigInt(ri(2 ** 31)) * BigInt(ri(2 ** 18)),
      );
      const width = step * BigInt(n - 1);
      const budget =
        ri(5) === 0
          ? M.normSqBudget(BigInt(ri(2 ** 30)) * BigInt(1 + ri(2 ** 12)), step)
          : M.normSqBudgetFromKSq((b * b * width * 10n) / BigInt(15 + ri(500)), step);
      let f: bigint[];
      try {
        f = ri(4) === 0 ? h.map((v) => (v > b ? b : v)) : M.project(h, b, budget).curve;
      } catch {
        f = h.map((v) => (v > b ? b : v));
      }
      const i0 = ri(n);
      const i1 = Math.min(n - 1, i0 + ri(n));
      const amount = BigInt(1 + ri([3, 1000, 1e6, 1e9, 2 ** 31][ri(5)] ?? 3)) * BigInt(1 + ri(3));
      const p = { b, budget, i0, i1, amount };
      const fast = outcome(() => M.quoteRangeBet(f, p));
      expect(fast, show({ f, ...p })).toBe(outcome(() => M.quoteRangeBetReference(f, p)));
      if (!fast.startsWith("error")) ok++;
    }
    expect(ok).toBeGreaterThan(60);
  });

  it("reports a consistent quote", () => {
    const grid = { lo: 0n, hi: 1000n, n: 101 };
    const market = { b: 10_000_000_000n, k: 100_000_000_000n };
    const d = M.normalDistribution(grid, { mean1e9: 500n * 10n ** 9n, sigma1e9: 200n * 10n ** 9n }, market);
    const q = M.quoteRangeBet(d.curve, { b: market.b, budget: d.budget, i0: 55, i1: 65, amount: 100_000_000n });
    expect(q.collateral).toBeLessThanOrEqual(100_000_000n);
    expect(q.collateral).toBe(M.collateral(d.curve, q.curve));
    expect(q.payoff).toEqual(M.payoffVector(d.curve, q.curve));
    expect(q.expectedCost).toBe(M.expectedCost(d.curve, q.curve));
    expect(q.probabilityAfter).toBeGreaterThan(q.probabilityBefore);
    expect(q.payoffInRange).toBeGreaterThan(q.collateral);
    expect(q.payoffOutOfRange).toBeGreaterThanOrEqual(0n);
    M.verifyCanonical(
      d.curve.map((v, i) => (i >= 55 && i <= 65 ? v + q.t : v)),
      market.b,
      d.budget,
      q.c,
    );
    // The next lamport of bump costs more than the amount (t is the largest, if monotone here).
    const next = M.collateralForBump(d.curve, { b: market.b, budget: d.budget, i0: 55, i1: 65 }, q.t + 1n);
    expect(next.collateral).toBeGreaterThan(100_000_000n);
  });

  it("falls back to the bigint mirror outside the fast range and keeps errors", () => {
    const f = [5n, 5n, 5n, 5n, 5n];
    expectMathError(() => M.quoteRangeBet(f, { b: 10n, budget: 100n, i0: 0, i1: 1, amount: 0n }), "ZeroBet");
    expectMathError(() => M.quoteRangeBet(f, { b: 10n, budget: 100n, i0: 3, i1: 2, amount: 5n }), "InvalidRange");
    const big = [1n << 60n, 1n << 60n, 1n << 60n];
    expect(M.fastPathApplies(big, 1n << 61n)).toBe(false);
    const p = { b: 1n << 61n, budget: M.normSqBudget(1n << 61n, 1n), i0: 1, i1: 1, amount: 1n << 50n };
    expect(outcome(() => M.quoteRangeBet(big, p))).toBe(outcome(() => M.quoteRangeBetReference(big, p)));
  });
});
