/**
 * Projection onto `{ ||g|| <= k, 0 <= g <= b }` by one canonical scalar; mirrors
 * `crates/continuum-math/src/project.rs`.
 *
 * `g_i(c) = min(b, floor(c * h_i / 1e9))`; the canonical `c` is the largest u64 with
 * `S(c) = sum_i w_i g_i(c)^2 <= budget`, `budget = floor(3 k^2 / h_step)`. `S` is
 * non-decreasing in `c`, so "c passes" is a prefix of `[0, u64::MAX]` and the canonical `c` is
 * unique: [`canonicalScaleCurve`] finds it with the Rust bisection, and the fast kernel in
 * `fast.ts` (used by the quote path) finds the same value with fewer exact evaluations.
 */
import { U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { simpsonWeightShift, validatePoints } from "./simpson.js";
import { asU64, divU128ByU64, mulU128U64, Scale1e9 } from "./wide.js";

/** Mirrors `norm_sq_budget`: `floor(3 k^2 / h_step)`; `DivideByZero`, `Overflow`. */
export function normSqBudget(k: bigint, hStep: bigint): bigint {
  return normSqBudgetFromKSq(k * k, hStep);
}

/** Mirrors `norm_sq_budget_from_k_sq`: `floor(3 k_sq / h_step)`; `Overflow`, `DivideByZero`. */
export function normSqBudgetFromKSq(kSq: bigint, hStep: bigint): bigint {
  const three = mulU128U64(kSq, 3n);
  if (three === null) throw new MathError("Overflow");
  return divU128ByU64(three, hStep).q;
}

/** Mirrors `BumpedCurve`: `h'_i = h_i + t` on `[i0, i1]` (inclusive), else `h_i`. */
export interface BumpedCurve {
  /** Base curve. */
  h: readonly bigint[];
  /** First index of the bump. */
  i0: number;
  /** Last index of the bump. */
  i1: number;
  /** Amount added on the range (0: plain curve). */
  t: bigint;
}

/** Mirrors `BumpedCurve::plain`. */
export function plainCurve(h: readonly bigint[]): BumpedCurve {
  return { h, i0: 0, i1: 0, t: 0n };
}

/**
 * Mirrors `BumpedCurve::validate`: grid length, then (when `t > 0`) `InvalidRange` for a bad
 * range and `Overflow` if `h_i + t` exceeds u64 on the range.
 */
export function validateBumpedCurve(curve: BumpedCurve): void {
  validatePoints(curve.h.length);
  if (curve.t === 0n) return;
  if (curve.i0 > curve.i1 || curve.i1 >= curve.h.length) throw new MathError("InvalidRange");
  for (let i = curve.i0; i <= curve.i1; i++) {
    if ((curve.h[i] as bigint) + curve.t > U64_MAX) throw new MathError("Overflow");
  }
}

/** Mirrors `BumpedCurve::at`: `h'_i` (wrapping add, as in Rust). */
export function bumpedAt(curve: BumpedCurve, i: number, v: bigint): bigint {
  if (curve.t !== 0n && i >= curve.i0 && i <= curve.i1) return asU64(v + curve.t);
  return v;
}

/**
 * Mirrors `scale_passes`: `sum_i w_i min(b, floor(c h'_i / 1e9))^2 <= budget`, stopping early
 * (false) once the partial sum exceeds `budget` or u128.
 */
export function scalePasses(curve: BumpedCurve, b: bigint, budget: bigint, c: bigint): boolean {
  const n = curve.h.length;
  const sc = new Scale1e9(c);
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    const raw = sc.apply(bumpedAt(curve, i, curve.h[i] as bigint));
    const g = raw < b ? raw : b;
    const s = simpsonWeightShift(i, n);
    acc += (g * g) << BigInt(s);
    if (acc > U128_MAX) return false;
    if (acc > budget) return false;
  }
  return true;
}

/**
 * Mirrors `canonical_scale_curve`: validate; `NormConstraintViolated` if `u64::MAX` passes;
 * bisection `lo = 0, hi = u64::MAX`, `mid = lo + (hi - lo) / 2` while `hi - lo > 1`.
 */
export function canonicalScaleCurve(curve: BumpedCurve, b: bigint, budget: bigint): bigint {
  validateBumpedCurve(curve);
  if (scalePasses(curve, b, budget, U64_MAX)) throw new MathError("NormConstraintViolated");
  let lo = 0n;
  let hi = U64_MAX;
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    if (scalePasses(curve, b, budget, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Mirrors `canonical_scale`: the canonical `c` of a plain curve. */
export function canonicalScale(h: readonly bigint[], b: bigint, budget: bigint): bigint {
  return canonicalScaleCurve(plainCurve(h), b, budget);
}

/**
 * Mirrors `verify_canonical`: returns normally iff `c` passes and `c + 1` fails; grid errors,
 * `NotCanonical`.
 */
export function verifyCanonical(h: readonly bigint[], b: bigint, budget: bigint, c: bigint): void {
  const curve = plainCurve(h);
  validateBumpedCurve(curve);
  if (c === U64_MAX || !scalePasses(curve, b, budget, c) || scalePasses(curve, b, budget, c + 1n)) {
    throw new MathError("NotCanonical");
  }
}

/**
 * Mirrors `apply_scale`: `out_i = min(b, floor(c h_i / 1e9))`. Writes into `out` when given
 * (`LengthMismatch` if its length differs), else into a new array; returns it.
 */
export function applyScale(h: readonly bigint[], b: bigint, c: bigint, out?: bigint[]): bigint[] {
  const o = out ?? new Array<bigint>(h.length);
  if (o.length !== h.length) throw new MathError("LengthMismatch");
  const sc = new Scale1e9(c);
  for (let i = 0; i < h.length; i++) {
    const raw = sc.apply(h[i] as bigint);
    o[i] = raw < b ? raw : b;
  }
  return o;
}

/** A projected curve: the canonical scale and `g(c)`. */
export interface Projection {
  /** Canonical scale (1e9 fixed point). */
  c: bigint;
  /** `g_i = min(b, floor(c h_i / 1e9))`. */
  curve: bigint[];
}

/**
 * Mirrors `project`: canonical `c` of `h`, then `g(c)`. `out` as in [`applyScale`].
 * Errors: grid errors, `NormConstraintViolated`, `LengthMismatch`.
 */
export function project(h: readonly bigint[], b: bigint, budget: bigint, out?: bigint[]): Projection {
  if (out !== undefined && out.length !== h.length) throw new MathError("LengthMismatch");
  const c = canonicalScale(h, b, budget);
  return { c, curve: applyScale(h, b, c, out) };
}

/** DESIGN §4 name for [`project`]: projection onto `{||g|| <= k, 0 <= g <= b}`. */
export const projectToConstraints = project;
