/**
 * Composite Simpson integration on an odd grid in exact integer sums; mirrors
 * `crates/continuum-math/src/simpson.rs`. Weights are `1, 4, 2, 4, ..., 2, 4, 1`.
 */
import { SCALE_1E9, U128_MAX } from "./constants.js";
import { MathError } from "./errors.js";
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

/**
 * Mirrors `range_mass_24`: mass of `[i0, i1]` in units of `h/24` (exact): 0 for a single
 * point, trapezoid `12 (a + b)` for one interval, composite Simpson `8 (a + 4b + c)` per pair,
 * and Simpson 3/8 `9 (a + 3b + 3c + d)` on the last three intervals of an odd count.
 * Errors: grid errors; `InvalidRange` if `i0 > i1` or `i1 >= N`; `Overflow`.
 */
export function rangeMass24(f: readonly bigint[], i0: number, i1: number): bigint {
  validatePoints(f.length);
  if (i0 > i1 || i1 >= f.length) throw new MathError("InvalidRange");
  const count = i1 - i0;
  if (count === 0) return 0n;
  if (count === 1) {
    const v = ((f[i0] as bigint) + (f[i1] as bigint)) * 12n;
    if (v > U128_MAX) throw new MathError("Overflow");
    return v;
  }
  const simpsonEnd = (count & 1) === 0 ? count : count - 3;
  let acc = 0n;
  for (let j = 0; j + 2 <= simpsonEnd; j += 2) {
    const a = f[i0 + j] as bigint;
    const b = f[i0 + j + 1] as bigint;
    const c = f[i0 + j + 2] as bigint;
    acc += (a + (b << 2n) + c) << 3n;
    if (acc > U128_MAX) throw new MathError("Overflow");
  }
  if ((count & 1) === 1) {
    const k = i0 + simpsonEnd;
    const a = f[k] as bigint;
    const b = f[k + 1] as bigint;
    const c = f[k + 2] as bigint;
    const d = f[k + 3] as bigint;
    const mid = (b + c) * 3n;
    if (mid > U128_MAX) throw new MathError("Overflow");
    // `a + mid + d` is an unchecked u128 add in Rust (cannot wrap: mid <= 6 * 2^64).
    const nine = (a + mid + d) * 9n;
    if (nine > U128_MAX) throw new MathError("Overflow");
    acc += nine;
    if (acc > U128_MAX) throw new MathError("Overflow");
  }
  return acc;
}

/**
 * Mirrors `range_probability_1e9`: `min(1e9, floor(1e9 * mass_24 / (8 * weighted_sum)))`.
 * `IntegrationFailed` if the total mass is 0.
 */
export function rangeProbability1e9(f: readonly bigint[], i0: number, i1: number): bigint {
  const m = rangeMass24(f, i0, i1);
  // Rust `weighted_sum(f)? << 3` on u128 (wraps silently; cannot for u64 inputs and N < 2^59).
  const total = (weightedSum(f) << 3n) & U128_MAX;
  return probability1e9(m, total);
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

