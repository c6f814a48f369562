/**
 * Composite Simpson integration on an odd grid in exact integer sums, and the trapezoid point
 * masses of the displayed probability; mirrors `crates/continuum-math/src/simpson.rs`. Simpson
 * weights are `1, 4, 2, 4, ..., 2, 4, 1`.
 */
import { SCALE_1E9, U128_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { checkIndex } from "./inputs.js";
import { asI64, asU64, divU128, divU128ByU64, mulU128U64 } from "./wide.js";

/** Mirrors `validate_points`: `n < 3` is `InsufficientPoints`, even `n` is `InvalidGrid`. */
export function validatePoints(n: number): void {
  if (n < 3) throw new MathError("InsufficientPoints");
  if ((n & 1) === 0) throw new MathError("InvalidGrid");
}

/** Mirrors `simpson_weight_shift`: weight 1 -> 0, 2 -> 1, 4 -> 2 (assumes `i < n`). */
export function simpsonWeightShift(i: number, n: number): number {
  if (i === 0 || i + 1 === n) return 0;
  return (i & 1) === 1 ? 2 : 1;
}

/** Mirrors `simpson_weight`: the Simpson weight (1, 2 or 4) of index `i`. */
export function simpsonWeight(i: number, n: number): bigint {
  return 1n << BigInt(simpsonWeightShift(i, n));
}

const SHIFTS = [0n, 1n, 2n] as const;
function shiftN(s: number): bigint {
  return SHIFTS[s] ?? 0n;
}

/** Mirrors `weighted_sum`: `sum_i w_i f_i` (u128); grid errors, `Overflow`. */
export function weightedSum(f: readonly bigint[]): bigint {
  const n = f.length;
  validatePoints(n);
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    acc += (f[i] as bigint) << shiftN(simpsonWeightShift(i, n));
    if (acc > U128_MAX) throw new MathError("Overflow");
  }
  return acc;
}

/** Shared by the `sum w x^2` loops: `acc + (sq << s)` with the Rust u128 overflow checks. */
function addShifted(acc: bigint, sq: bigint, s: number): bigint {
  const v = acc + (sq << shiftN(s));
  if (v > U128_MAX) throw new MathError("Overflow");
  return v;
}

/** Mirrors `weighted_sum_sq`: `sum_i w_i f_i^2` (u128); `Overflow` if it does not fit. */
export function weightedSumSq(f: readonly bigint[]): bigint {
  const n = f.length;
  validatePoints(n);
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    const v = f[i] as bigint;
    acc = addShifted(acc, v * v, simpsonWeightShift(i, n));
  }
  return acc;
}

/** Mirrors `integral_floor`: `floor(h_step * ws / 3)`; `Overflow` past u128. */
export function integralFloor(ws: bigint, hStep: bigint): bigint {
  const p = mulU128U64(ws, hStep);
  if (p === null) throw new MathError("Overflow");
  return divU128ByU64(p, 3n).q;
}

/** Mirrors `integral_ceil`: `ceil(h_step * ws / 3)`; `Overflow` past u128. */
export function integralCeil(ws: bigint, hStep: bigint): bigint {
  const p = mulU128U64(ws, hStep);
  if (p === null) throw new MathError("Overflow");
  const { q, r } = divU128ByU64(p, 3n);
  return r !== 0n ? q + 1n : q;
}

/** Mirrors `trapezoid_weight_shift`: the two ends weigh 1 (shift 0), interior points 2 (shift 1). */
export function trapezoidWeightShift(i: number, n: number): number {
  return i === 0 || i + 1 === n ? 0 : 1;
}

/**
 * A grid curve: bigint values, or (on the fast path) integer doubles below 2^53. Both give the
 * same results in the integration rules below.
 */
export type CurveValues = readonly bigint[] | Float64Array;

const TWO26 = 2 ** 26;

/**
 * Mirrors `range_mass`: `sum_{i0..=i1} w_i f_i` with trapezoid weights `1, 2, ..., 2, 1`, the
 * mass of the grid points `[i0, i1]` in units of `h/2`. Grid errors; `InvalidRange` if
 * `i0 > i1` or `i1 >= N`; `Overflow`. On doubles the sum is split at 2^26 (`v = a 2^26 + r`):
 * both partial sums stay below 2^53 for N < 2^24, so the result is exact.
 */
export function rangeMass(f: CurveValues, i0: number, i1: number): bigint {
  const n = f.length;
  validatePoints(n);
  if (checkIndex(i0) > checkIndex(i1) || i1 >= n) throw new MathError("InvalidRange");
  if (f instanceof Float64Array) {
    let hi = 0;
    let lo = 0;
    for (let i = i0; i <= i1; i++) {
      const v = f[i]!;
      const a = Math.floor(v / TWO26);
      const w = i === 0 || i + 1 === n ? 1 : 2;
      hi += w * a;
      lo += w * (v - a * TWO26);
    }
    return BigInt(hi) * BigInt(TWO26) + BigInt(lo);
  }
  let acc = 0n;
  for (let i = i0; i <= i1; i++) {
    acc += (f[i] as bigint) << shiftN(trapezoidWeightShift(i, n));
    if (acc > U128_MAX) throw new MathError("Overflow");
  }
  return acc;
}

/** Mirrors `trapezoid_sum`: [`rangeMass`] over the whole grid. */
export function trapezoidSum(f: CurveValues): bigint {
  validatePoints(f.length);
  return rangeMass(f, 0, f.length - 1);
}

/**
 * Mirrors `range_probability_1e9`: `floor(1e9 * range_mass(i0, i1) / trapezoid_sum)`, the
 * probability shown to a trader (a measure on grid points, see `docs/accuracy.md`).
 * `IntegrationFailed` if the total mass is 0.
 */
export function rangeProbability1e9(f: CurveValues, i0: number, i1: number): bigint {
  const m = rangeMass(f, i0, i1);
  return probability1e9(m, trapezoidSum(f));
}

/**
 * Mirrors `probability_1e9`: `min(1e9, floor(1e9 * mass / total))`. `IntegrationFailed` if
 * `total == 0`, `Overflow` if `mass * 1e9` exceeds u128.
 */
export function probability1e9(mass: bigint, total: bigint): bigint {
  if (total === 0n) throw new MathError("IntegrationFailed");
  const num = mulU128U64(mass, SCALE_1E9);
  if (num === null) throw new MathError("Overflow");
  const { q } = divU128(num, total);
  return q >= SCALE_1E9 ? SCALE_1E9 : q;
}

/** Mirrors `weighted_dot`: `sum_i w_i a_i b_i` (u128); `LengthMismatch`, `Overflow`. */
export function weightedDot(a: readonly bigint[], b: readonly bigint[]): bigint {
  const n = a.length;
  validatePoints(n);
  if (b.length !== n) throw new MathError("LengthMismatch");
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    acc = addShifted(acc, (a[i] as bigint) * (b[i] as bigint), simpsonWeightShift(i, n));
  }
  return acc;
}

/** Mirrors `Grid`: outcome domain `[lo, hi]` (i64) with `n` (u32) points. */
export interface Grid {
  /** Lower end (i64). */
  lo: bigint;
  /** Upper end (i64). */
  hi: bigint;
  /** Number of points (odd, >= 3). */
  n: number;
}

/**
 * Mirrors `Grid::step`: validate and return `(hi - lo) / (n - 1)`; `InsufficientPoints`,
 * `InvalidGrid` (even n, `hi <= lo`, uneven step).
 */
export function gridStep(grid: Grid): bigint {
  validatePoints(grid.n);
  if (grid.hi <= grid.lo) throw new MathError("InvalidGrid");
  const width = asU64(grid.hi - grid.lo);
  const intervals = BigInt(grid.n - 1);
  if (width % intervals !== 0n) throw new MathError("InvalidGrid");
  return width / intervals;
}

/** Mirrors `Grid::x`: `lo + i * step` with the Rust wrapping u64 arithmetic, as i64. */
export function gridX(grid: Grid, i: number, step: bigint): bigint {
  return asI64(asU64(grid.lo) + asU64(BigInt(i) * step));
}

