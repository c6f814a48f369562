/**
 * Mirrors `crates/continuum-math/src/kernel.rs`: the program's in-place one-pass kernels,
 * with the same results and the same error order (exact bigint arithmetic here; the Rust
 * kernel's fast paths are proven equal by its host tests and by the vectors).
 */
import { U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { simpsonWeightShift, validatePoints } from "./simpson.js";
import { scaleFloor1e9 } from "./wide.js";
import type { RangeBetParams } from "./trade.js";

/** Largest cap `b` the kernels accept (2^56). */
export const KERNEL_B_MAX = 1n << 56n;
/** Largest grid the kernels accept. */
export const KERNEL_N_MAX = 1 << 10;
/** Largest `f_i` (and `t`) the trade kernel accepts (2^62). */
export const KERNEL_F_MAX = 1n << 62n;

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** `(S(c), S(c + 1), g)` of a (bumped) curve. */
function sums(h: readonly bigint[], b: bigint, c: bigint): { s0: bigint; s1: bigint; g: bigint[] } {
  const n = h.length;
  let s0 = 0n;
  let s1 = 0n;
  const g = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const x = h[i] as bigint;
    const v = scaleFloor1e9(c, x);
    const v1 = scaleFloor1e9(c + 1n, x);
    const gi = v < b ? v : b;
    const g1 = v1 < b ? v1 : b;
    g[i] = gi;
    const w = 1n << BigInt(simpsonWeightShift(i, n));
    s0 += w * gi * gi;
    s1 += w * g1 * g1;
  }
  return { s0, s1, g };
}

/** Mirrors `project_in_place_verify`: `g(c)` and `S(c)` after checking `c` is canonical. */
export function projectInPlaceVerify(h: readonly bigint[], b: bigint, budget: bigint, c: bigint): { normSq: bigint; g: bigint[] } {
  validatePoints(h.length);
  if (h.length > KERNEL_N_MAX || b > KERNEL_B_MAX) throw new MathError("Overflow");
  if (c === U64_MAX) throw new MathError("NotCanonical");
  const { s0, s1, g } = sums(h, b, c);
  if (s0 > budget || s1 <= budget) {
    throw new MathError(c === U64_MAX - 1n ? "NormConstraintViolated" : "NotCanonical");
  }
  return { normSq: s0, g };
}

/** Mirrors `range_bet_apply_in_place`: the trade's new curve, payoff, collateral and `S(c)`. */
export function rangeBetApplyInPlace(
  f: readonly bigint[],
  payoff: readonly bigint[],
  p: RangeBetParams,
): { collateral: bigint; normSq: bigint; f: bigint[]; payoff: bigint[] } {
  const n = f.length;
  validatePoints(n);
  if (n > KERNEL_N_MAX || p.b > KERNEL_B_MAX) throw new MathError("Overflow");
  if (payoff.length !== n) throw new MathError("LengthMismatch");
  if (p.i0 > p.i1 || p.i1 >= n) throw new MathError("InvalidRange");
  if (p.t === 0n) throw new MathError("ZeroBet");
  if (p.c === U64_MAX) throw new MathError("NotCanonical");
  if (p.t > KERNEL_F_MAX) throw new MathError("Overflow");
  let overflow = false;
  const h = f.map((fi, i) => {
    if (fi > KERNEL_F_MAX) overflow = true;
    return i >= p.i0 && i <= p.i1 ? fi + p.t : fi;
  });
  const { s0, s1, g } = sums(h, p.b, p.c);
  let coll = 0n;
  const pay = payoff.map((a, i) => {
    const fi = f[i] as bigint;
    const gi = g[i] as bigint;
    if (fi - gi > coll) coll = fi - gi;
    const v = a + gi - fi;
    if (v < I64_MIN || v > I64_MAX) overflow = true;
    return v;
  });
  if (overflow) throw new MathError("Overflow");
  if (s0 > p.budget || s1 <= p.budget) throw new MathError("NotCanonical");
  return { collateral: coll, normSq: s0, f: g, payoff: pay };
}
