/**
 * Fast exact kernels for the range-bet quote path: the same results as the literal mirrors of
 * `solve_range_bet` / `collateral_for_bump` / `canonical_scale_curve` / `range_bet_apply`
 * (`trade.ts`, `project.ts`), computed with IEEE doubles where they are provably exact and
 * with `bigint` where they are not.
 *
 * Why the results are identical:
 * - The canonical scale is unique (the Rust predicate `scale_passes` is monotone in `c`), so
 *   any search that evaluates the predicate exactly returns the Rust value. The kernel below
 *   evaluates `g_i(c) = min(b, floor(c h_i / 1e9))` exactly in base-1e9 limbs held in doubles
 *   (every intermediate is an integer below 2^53, see `gWide`), and decides
 *   `sum w_i g_i^2 <= budget` with a float filter whose rounding error is bounded, falling
 *   back to an exact `bigint` sum inside the uncertainty band.
 * - The answer of `solve_range_bet` (the largest feasible bump) is unique too, so the fast
 *   oracle ([`fastOracle`]) plugs into the same search as the mirror (`solveRangeBetWith`):
 *   it answers with certified bounds on `c(t)` (the continuous root of
 *   `sum w min(b, c h / 1e9)^2 = budget`, checked by rigorous float bounds) and a lower bound
 *   of the collateral on a subset of the points, and exactly where the search needs it. A
 *   certified failing `c < u64::MAX` also proves that the scale exists.
 * - The bounds cost O(range + log N) per `t`: the out-of-range points (`h = f`, independent of
 *   `t`) are sorted once with prefix sums of `w`, `w f`, `w f^2`; every bound stays valid for
 *   any split point of the sorted array, so float rounding in the split cannot break it.
 * Preconditions of the fast path (else the callers use the literal bigint mirror): `b` and
 * every `f_i` at most 2^57, so `h = f + t < 2^57 + 2^48` for `t <= 2^48`.
 */
import * as K from "./constants.js";
import { MathError } from "./errors.js";
import { checkIndex } from "./inputs.js";
import { validatePoints, type CurveValues } from "./simpson.js";
import { validateBumpedCurve } from "./project.js";
import {
  collateralAt,
  collateralForBump,
  rangeBetApply,
  solveRangeBet,
  solveRangeBetWith,
  type BumpCollateral,
  type BumpOracle,
  type RangeBetParams,
  type RangeBetQuery,
  type RangeBetSolution,
  type TradeOutcome,
} from "./trade.js";

// Module-local copies of the constants read in loops (a transpiled import is a getter call).
const SCALE_1E9 = K.SCALE_1E9;
const T_SEARCH_MAX_LAMPORTS = K.T_SEARCH_MAX_LAMPORTS;
const U64_MAX = K.U64_MAX;
const E9 = 1e9;
/** 1/1e9 rounded: `floor(v * INV_E9)` is within one of `floor(v / 1e9)` for `|v| < 2^53`. */
const INV_E9 = 1e-9;
const TWO15 = 32768;
const FAST_C_MAX = 2 ** 52;
const FAST_C_MAX_BIG = BigInt(FAST_C_MAX);
const U = 2 ** -53;

/**
 * Inputs of the fast path are in range: cap and values at most 2^57 (the program accepts
 * `b <= 2^56`, and every market value is `<= b`), so `h = f + t < 2^57 + 2^48` has a high
 * limb `h / 1e9 < 2^28`.
 */
export function fastPathApplies(f: readonly bigint[], b: bigint): boolean {
  if (b > TWO57_BIG) return false;
  for (const v of f) if (v > TWO57_BIG) return false;
  return true;
}

const TWO57_BIG = 1n << 57n;
/**
 * Sizes along a direction that the kernel's Number API takes: `|t| < 2^53` (exact doubles).
 * Larger i64 sizes go through [`FastRangeBet.setSize`] and its bigint-size methods: the exact
 * limbs of `floor(t phi / 1e9)` come from the size's own split ([`floorScaledLimbs`]).
 */
export const DIRECTION_T_MAX = 2 ** 53;
const TWO52_BIG = 1n << 52n;

/**
 * The out-of-range part of a pass at one scale: `sum w g^2` (double), the largest collateral
 * term, and (markets past 2^53) the exact limb-product sums of `sum w g^2` ([`addSquare`]).
 */
type OutPart = [number, number, number[] | null];

/** See [`FastRangeBet.bandResidual`]. */
interface BandAnchor {
  rH: number;
  rL: number;
  gH: number[];
  gL: number[];
}
const TWO53_BIG = 1n << 53n;
const MINUS_TWO53_BIG = -(1n << 53n);

/** The remainder of the last [`floorE9`]: `v = floorE9(v) 1e9 + remE9`, `0 <= remE9 < 1e9`. */
let remE9 = 0;

/**
 * `floor(v / 1e9)` of an integer double `v` (`|v| < 2^58`, `v - q 1e9` exact for the quotient's
 * neighbours), its remainder left in `remE9`: the product with 1/1e9 (a division is several times
 * slower) is within one of the floor, and the remainder `v - q 1e9`, exact, corrects it. THE
 * normalize-and-carry step of every limb computation here.
 */
function floorE9(v: number): number {
  let q = Math.floor(v * INV_E9);
  let r = v - q * E9;
  if (r < 0) {
    q -= 1;
    r += E9;
  } else if (r >= E9) {
    q += 1;
    r -= E9;
  }
  remE9 = r;
  return q;
}

/** `v = hi 1e9 + lo` for a non-negative integer double `v < 2^53` (exact, corrected floor). */
function limbsOf(v: number): [number, number] {
  const q = floorE9(v);
  return [q, remE9];
}

/** The values `vH 1e9 + vL` of `n` exact limb pairs as bigints. */
function limbsToBig(n: number, vH: Float64Array, vL: Float64Array): bigint[] {
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    // A value below 2^53 is exact as a double (and then the double of its limbs is the value).
    const v = vH[i]! * E9 + vL[i]!;
    out[i] = v < 2 ** 53 ? BigInt(v) : BigInt(vH[i]!) * SCALE_1E9 + BigInt(vL[i]!);
  }
  return out;
}

/** Base-1e9 limbs of a u64 bigint. */
function limbsOfBig(v: bigint): [number, number] {
  if (v < TWO53_BIG) return limbsOf(Number(v));
  return [Number(v / SCALE_1E9), Number(v % SCALE_1E9)];
}

/** A scale `c` split for the kernel: `c = ci 1e9 + cf`, `cf = c1 2^15 + c0`. */
interface SplitScale {
  ci: number;
  cf: number;
  c1: number;
  c0: number;
}

function splitNumber(c: number, out: SplitScale): SplitScale {
  // c < 2^52: the same exact, corrected limb split as every value.
  const ci = floorE9(c);
  const cf = remE9;
  out.ci = ci;
  out.cf = cf;
  out.c1 = Math.floor(cf / TWO15);
  out.c0 = cf - out.c1 * TWO15;
  return out;
}

function splitBig(c: bigint, out: SplitScale): SplitScale {
  out.ci = Number(c / SCALE_1E9);
  out.cf = Number(c % SCALE_1E9);
  out.c1 = Math.floor(out.cf / TWO15);
  out.c0 = out.cf - out.c1 * TWO15;
  return out;
}

/** [`gWide`] for scales `c >= 2^22 1e9` (never canonical for a market): capped or bigint. */
function gHugeScale(s: SplitScale, hH: number, hL: number, hApprox: number, b: number, bH: number, bL: number): number {
  if (s.ci * hApprox >= 2 * b) {
    gHi = bH;
    gLo = bL;
    return b;
  }
  const c = BigInt(s.ci) * SCALE_1E9 + BigInt(s.cf);
  const raw = (c * (BigInt(hH) * SCALE_1E9 + BigInt(hL))) / SCALE_1E9;
  const bb = BigInt(bH) * SCALE_1E9 + BigInt(bL);
  const limbs = limbsOfBig(raw < bb ? raw : bb);
  gHi = limbs[0];
  gLo = limbs[1];
  return gHi * E9 + gLo;
}

/**
 * An exact pass asked for a size whose `h` is outside the kernel's domain (`inDomain` false):
 * callers check first; the hints' plateau search, which probes sizes freely, stops on it.
 */
export class OutsideKernelDomain extends Error {
  constructor() {
    super("FastRangeBet: h is outside the exact kernel's domain");
  }
}

/** Limbs of the last [`gWide`] result: `g = gHi 1e9 + gLo`. */
let gHi = 0;
let gLo = 0;

/**
 * Exact `g = min(b, floor(c h / 1e9))` in base-1e9 limbs, for `h = hH 1e9 + hL < 2^58` and
 * `b = bH 1e9 + bL`; leaves the limbs in `gHi`, `gLo` and returns `g` as a double (exact
 * below 2^53). With `c = ci 1e9 + cf`, `cf = c1 2^15 + c0`, `c1 hH = q 1e9 + r` and
 * `c1 hL = aq 1e9 + ar`:
 * `floor(c h / 1e9) = (ci hH + q 2^15) 1e9 + ci hL + r 2^15 + c0 hH + aq 2^15
 *  + floor((ar 2^15 + c0 hL) / 1e9)`.
 * The split holds for any integers `q`, `aq` (with `r`, `ar` the matching remainders): they are
 * taken within one of the floors (`floor(v * 1e-9)`, error below 2^-20 for `v < 2^45`), so
 * `|r|, |ar| < 2e9`. For `ci < 2^22` every product and partial sum is then an integer below 2^53
 * (exact); the floor of the last numerator (`|x| < 2^47`) and the carry of the low limb sum
 * (< 2^53) are corrected to the exact floors from their exact remainders. Larger scales (`c >= 2^51.9`, never
 * canonical for a market) are capped when `ci h` is clearly above `b`, else done in bigint.
 */
function gWide(s: SplitScale, hH: number, hL: number, hApprox: number, b: number, bH: number, bL: number): number {
  if (s.ci >= 2 ** 22) return gHugeScale(s, hH, hL, hApprox, b, bH, bL);
  floorScaledLimbs(s, hH, hL);
  const hi = rawHi;
  const lo = rawLo;
  if (hi > bH || (hi === bH && lo >= bL)) {
    gHi = bH;
    gLo = bL;
    return b;
  }
  gHi = hi;
  gLo = lo;
  return hi * E9 + lo;
}

/**
 * The exact limbs of `h = max(0, f + floor(t phi / 1e9))` into `rawHi`, `rawLo` (`s` the split of
 * `|t|`, `up` whether `t phi >= 0`, `f = fH 1e9 + fL`, `|phi| = pH 1e9 + pL`), from
 * `floor(|t| |phi| / 1e9)` and its remainder: `floor(-x / 1e9) = -floor(x / 1e9) - (x mod 1e9 > 0)`.
 */
function directionLimbsAt(s: SplitScale, up: boolean, fH: number, fL: number, pH: number, pL: number): void {
  floorScaledLimbs(s, pH, pL);
  let hi = fH;
  let lo = fL;
  if (up) {
    hi += rawHi;
    lo += rawLo;
    if (lo >= E9) {
      lo -= E9;
      hi += 1;
    }
  } else {
    hi -= rawHi;
    lo -= rawLo + (rawRem > 0 ? 1 : 0);
    if (lo < 0) {
      lo += E9;
      hi -= 1;
    }
  }
  if (hi < 0) {
    hi = 0;
    lo = 0;
  }
  rawHi = hi;
  rawLo = lo;
}

/** Limbs of the raw `floor(c h / 1e9) = rawHi 1e9 + rawLo` and the remainder `rawRem`. */
let rawHi = 0;
let rawLo = 0;
let rawRem = 0;

/**
 * The uncapped `floor(c h / 1e9)` of [`gWide`]'s comment into `rawHi`, `rawLo`, and the
 * remainder `c h mod 1e9` (the last numerator's: `c h = 1e9 floor(c h / 1e9) + x`) into
 * `rawRem`, for `hH < 2^28` and `ci < 2^34` (every i64 size; past `ci = 2^24` exact while
 * `ci hH < 2^53`, which holds whenever the result is below 2^53 1e9: larger results, far past
 * the kernel's 2^57, only need to come out that large). Quotients by multiplying with 1/1e9 (a division is
 * several times slower): q and aq may be off by one (the identity holds for any integer split,
 * the remainders staying below 2e9 in magnitude), the floor of x is corrected to the exact one,
 * and k below. From `ci = 2^22` (a size past 2^22 1e9 split as a scale; never a canonical
 * scale) `ci hL` would pass 2^52: `ci = cH 2^11 + cL` and `cH hL = e 1e9 + r` exactly, so
 * `ci hL = e 1e9 2^11 + r 2^11 + cL hL`, every term below 2^44.
 */
function floorScaledLimbs(s: SplitScale, hH: number, hL: number): void {
  const a1 = s.c1 * hH;
  const q = Math.floor(a1 * INV_E9);
  const A = s.c1 * hL;
  const aq = Math.floor(A * INV_E9);
  const x = (A - aq * E9) * TWO15 + s.c0 * hL;
  const fx = floorE9(x);
  rawRem = remE9;
  const hi = s.ci * hH + q * TWO15;
  const rest = (a1 - q * E9) * TWO15 + s.c0 * hH + aq * TWO15 + fx;
  if (s.ci < 2 ** 22) {
    const k = floorE9(s.ci * hL + rest);
    rawHi = hi + k;
    rawLo = remE9;
    return;
  }
  const cH = Math.floor(s.ci * (1 / 2048));
  const e = floorE9(cH * hL);
  const k = floorE9(remE9 * 2048 + (s.ci - cH * 2048) * hL + rest);
  rawHi = hi + e * 2048 + k;
  rawLo = remE9;
}

/**
 * The raw `floor(c h / 1e9) = hi 1e9 + lo` of [`gWide`] (same steps, no cap; `ci < 2^22`) and
 * the remainder `c h mod 1e9`, written to `oH[i]`, `oL[i]`, `oR[i]`: the start of the
 * out-of-range values' walk over scales.
 */
function rawLimbs(s: SplitScale, hH: number, hL: number, oH: Float64Array, oL: Float64Array, oR: Float64Array, i: number): void {
  floorScaledLimbs(s, hH, hL);
  oH[i] = rawHi;
  oL[i] = rawLo;
  oR[i] = rawRem;
}

/**
 * Exact `sum_{from <= i < to} w_i a_i b_i` for values given as base-1e9 limbs
 * `a = aH 1e9 + aL`, `b = bH 1e9 + bL` (integers, any signs, `|aH|, |bH| < 2^28`,
 * `|aL|, |bL| < 2^30`; `0 <= w <= 4`), without a bigint per point: each limb splits again
 * (`aH = a1 2^14 + a0`, `aL = l1 2^15 + l0`, truncated toward zero), so the sixteen limb
 * products are below 2^30 (times `w <= 4`) and their sums (two added together at most) stay
 * exact integers in doubles for fewer than 2^19 points; a few bigint steps combine them. Larger
 * spans: a bigint per point.
 */
export function exactDot(
  w: Float64Array,
  aH: Float64Array,
  aL: Float64Array,
  bH: Float64Array,
  bL: Float64Array,
  from: number,
  to: number,
): bigint {
  if (to - from >= 2 ** 19) {
    let exact = 0n;
    for (let i = from; i < to; i++) {
      const a = BigInt(aH[i]!) * SCALE_1E9 + BigInt(aL[i]!);
      const b = BigInt(bH[i]!) * SCALE_1E9 + BigInt(bL[i]!);
      exact += a * b * BigInt(w[i]!);
    }
    return exact;
  }
  // s[xy][k]: sums of w x_k y_k' products, by limb pair (H = high limb, L = low limb) and shift.
  let hh28 = 0, hh14a = 0, hh14b = 0, hh0 = 0;
  let hl29 = 0, hl14 = 0, hl15 = 0, hl0 = 0;
  let lh29 = 0, lh14 = 0, lh15 = 0, lh0 = 0;
  let ll30 = 0, ll15a = 0, ll15b = 0, ll0 = 0;
  for (let i = from; i < to; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    const xh = aH[i]!;
    const xl = aL[i]!;
    const yh = bH[i]!;
    const yl = bL[i]!;
    const xh1 = Math.trunc(xh / 16384);
    const xh0 = xh - xh1 * 16384;
    const xl1 = Math.trunc(xl / TWO15);
    const xl0 = xl - xl1 * TWO15;
    const yh1 = Math.trunc(yh / 16384);
    const yh0 = yh - yh1 * 16384;
    const yl1 = Math.trunc(yl / TWO15);
    const yl0 = yl - yl1 * TWO15;
    hh28 += wi * xh1 * yh1;
    hh14a += wi * xh1 * yh0;
    hh14b += wi * xh0 * yh1;
    hh0 += wi * xh0 * yh0;
    hl29 += wi * xh1 * yl1;
    hl14 += wi * xh1 * yl0;
    hl15 += wi * xh0 * yl1;
    hl0 += wi * xh0 * yl0;
    lh29 += wi * xl1 * yh1;
    lh14 += wi * xl0 * yh1;
    lh15 += wi * xl1 * yh0;
    lh0 += wi * xl0 * yh0;
    ll30 += wi * xl1 * yl1;
    ll15a += wi * xl1 * yl0;
    ll15b += wi * xl0 * yl1;
    ll0 += wi * xl0 * yl0;
  }
  const B = BigInt;
  const hh = (B(hh28) << 28n) + (B(hh14a + hh14b) << 14n) + B(hh0);
  const cross = (B(hl29 + lh29) << 29n) + (B(hl14 + lh14) << 14n) + (B(hl15 + lh15) << 15n) + B(hl0 + lh0);
  const ll = (B(ll30) << 30n) + (B(ll15a + ll15b) << 15n) + B(ll0);
  return hh * 1_000_000_000_000_000_000n + cross * SCALE_1E9 + ll;
}

/**
 * [`exactDot`] of a vector with itself, `sum_{from <= i < to} w_i a_i^2`: the same limb split,
 * with the symmetric products merged (ten instead of sixteen; each doubled term is below 2^33
 * with `w <= 4`, so the sums stay exact integers for fewer than 2^19 points).
 */
export function exactSquares(w: Float64Array, aH: Float64Array, aL: Float64Array, from: number, to: number): bigint {
  if (to - from >= 2 ** 19) return exactDot(w, aH, aL, aH, aL, from, to);
  const acc = squareScratch.fill(0);
  for (let i = from; i < to; i++) {
    const wi = w[i]!;
    if (wi !== 0) addSquare(acc, wi, aH[i]!, aL[i]!);
  }
  return squaresToBig(acc);
}

/** Scratch sums (a double array from the start, so V8 keeps one element kind for `addSquare`). */
const squareScratch: number[] = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];

/**
 * Adds `w (xh 1e9 + xl)^2` to the ten limb-product sums of [`exactSquares`] (`xh < 2^28`,
 * `xl < 2^30`, `w <= 4`; exact for fewer than 2^19 terms).
 */
function addSquare(acc: number[], wi: number, xh: number, xl: number): void {
  const xh1 = Math.trunc(xh / 16384);
  const xh0 = xh - xh1 * 16384;
  const xl1 = Math.trunc(xl / TWO15);
  const xl0 = xl - xl1 * TWO15;
  const w2 = 2 * wi;
  acc[0] = acc[0]! + wi * xh1 * xh1;
  acc[1] = acc[1]! + w2 * xh1 * xh0;
  acc[2] = acc[2]! + wi * xh0 * xh0;
  acc[3] = acc[3]! + w2 * xh1 * xl1;
  acc[4] = acc[4]! + w2 * xh1 * xl0;
  acc[5] = acc[5]! + w2 * xh0 * xl1;
  acc[6] = acc[6]! + w2 * xh0 * xl0;
  acc[7] = acc[7]! + wi * xl1 * xl1;
  acc[8] = acc[8]! + w2 * xl1 * xl0;
  acc[9] = acc[9]! + wi * xl0 * xl0;
}

/** The exact sum the limb-product sums of [`addSquare`] stand for. */
function squaresToBig(acc: readonly number[]): bigint {
  const B = BigInt;
  const hh = (B(acc[0]!) << 28n) + (B(acc[1]!) << 14n) + B(acc[2]!);
  const cross = (B(acc[3]!) << 29n) + (B(acc[4]!) << 14n) + (B(acc[5]!) << 15n) + B(acc[6]!);
  const ll = (B(acc[7]!) << 30n) + (B(acc[8]!) << 15n) + B(acc[9]!);
  return hh * 1_000_000_000_000_000_000n + cross * SCALE_1E9 + ll;
}

/**
 * The largest `t` in `[tLo, tHi]` with `costAt(t) <= cap` for a smooth, roughly non-decreasing
 * float model (an estimate for the size search's hints, no guarantee): geometric bisection while
 * the bracket spans powers of two (in magnitude, for a bracket of negative sizes too), then
 * regula falsi (Illinois), until the bracket is within one unit, 2^-40 relative, or
 * `tolerance()`. NaN when the model fails.
 */
export function estimateLargest(costAt: (t: number) => number, tLo: number, tHi: number, cap: number, tolerance?: () => number): number {
  let lo = tLo;
  let hi = tHi;
  const cLo = costAt(lo);
  if (!(cLo <= cap)) return NaN;
  const cHi = costAt(hi);
  if (cHi <= cap) return hi;
  if (Number.isNaN(cHi)) return NaN;
  let fLo = cLo - cap;
  let fHi = cHi - cap;
  let side = 0;
  for (let iter = 0; iter < 200 && hi - lo > 1 && hi - lo > Math.abs(lo) * 2 ** -40 && !(hi - lo <= (tolerance?.() ?? 0)); iter++) {
    let mid: number;
    if (lo >= 0 && hi > 4 * lo + 4) mid = Math.floor(Math.sqrt((lo + 1) * hi));
    else if (hi < 0 && -lo > 4 * -hi + 4) mid = -Math.floor(Math.sqrt((1 - hi) * -lo));
    else {
      mid = Math.round(lo + ((hi - lo) * -fLo) / (fHi - fLo));
      if (!(mid > lo && mid < hi)) mid = Math.floor(lo + (hi - lo) / 2);
    }
    const v = costAt(mid);
    if (Number.isNaN(v)) return NaN;
    if (v <= cap) {
      lo = mid;
      fLo = v - cap;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = mid;
      fHi = v - cap;
      if (side === 1) fLo /= 2;
      side = 1;
    }
  }
  return lo;
}

/**
 * The scratch arrays of one kernel in one buffer: typed arrays of N doubles are costly to
 * allocate (an external backing store each), so a quote takes one workspace and gives it back.
 * `w` holds the Simpson weights, filled once.
 */
class Workspace {
  readonly f: Float64Array;
  readonly fH: Float64Array;
  readonly fL: Float64Array;
  readonly w: Float64Array;
  readonly off: Float64Array;
  readonly netH: Float64Array;
  readonly netL: Float64Array;
  readonly h: Float64Array;
  readonly hH: Float64Array;
  readonly hL: Float64Array;
  readonly g: Float64Array;
  readonly gH: Float64Array;
  readonly gL: Float64Array;
  /** Scratch of the display (`trade-fast.ts`). */
  readonly dH: Float64Array;
  readonly dL: Float64Array;
  readonly keys: Float64Array;
  /** Out-of-range raw values `floor(c f / 1e9) = oH 1e9 + oL` and remainders `c f mod 1e9` at one scale. */
  readonly oH: Float64Array;
  readonly oL: Float64Array;
  readonly oR: Float64Array;
  readonly sf: Float64Array;
  readonly pw: Float64Array;
  readonly pf: Float64Array;
  readonly pf2: Float64Array;
  /** Direction of a size (see [`FastRangeBet.setDirection`]): limbs of `|phi|` and `phi / 1e9` (1 on a range). */
  readonly phH: Float64Array;
  readonly phL: Float64Array;
  readonly dirW: Float64Array;
  /**
   * `floor(|t| |phi| / 1e9) = qH 1e9 + qL` and the remainder `|t| |phi| mod 1e9` at the last
   * size the direction's limbs were computed for ([`FastRangeBet.directionLimbs`] walks them).
   */
  readonly qH: Float64Array;
  readonly qL: Float64Array;
  readonly qR: Float64Array;
  /**
   * The uncapped `floor(c h / 1e9) = rwH 1e9 + rwL` and the remainder `c h mod 1e9` of the last
   * exact pass along a direction (the base of [`FastRangeBet.passesNear`]).
   */
  readonly rwH: Float64Array;
  readonly rwL: Float64Array;
  readonly rwR: Float64Array;
  readonly order: Int32Array;
  /** The kernel using it (null while free). */
  owner: object | null = null;

  constructor(readonly n: number) {
    // 29 arrays of n doubles, then the 3 prefix sums of n + 1.
    const buf = new Float64Array(29 * n + 3 * (n + 1));
    let at = 0;
    const take = (len: number): Float64Array => {
      if (at + len > buf.length) throw new RangeError("workspace layout");
      const v = buf.subarray(at, at + len);
      at += len;
      return v;
    };
    this.f = take(n);
    this.fH = take(n);
    this.fL = take(n);
    this.w = take(n);
    this.off = take(n);
    this.netH = take(n);
    this.netL = take(n);
    this.h = take(n);
    this.hH = take(n);
    this.hL = take(n);
    this.g = take(n);
    this.gH = take(n);
    this.gL = take(n);
    this.dH = take(n);
    this.dL = take(n);
    this.keys = take(n);
    this.oH = take(n);
    this.oL = take(n);
    this.oR = take(n);
    this.sf = take(n);
    this.phH = take(n);
    this.phL = take(n);
    this.qH = take(n);
    this.qL = take(n);
    this.qR = take(n);
    this.rwH = take(n);
    this.rwL = take(n);
    this.rwR = take(n);
    this.dirW = take(n);
    this.pw = take(n + 1);
    this.pf = take(n + 1);
    this.pf2 = take(n + 1);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.w[i] = i === 0 || i === n - 1 ? 1 : (i & 1) === 1 ? 4 : 2;
  }
}

/**
 * Sorts `a[0, len)` ascending in place (distinct keys: the order is unique, as the native sort's):
 * a natural merge sort, linear on the few monotone runs of a market curve's out-of-range
 * points (unimodal shapes), `O(len log len)` otherwise. `tmp` holds at least `len` values.
 */
export function sortRuns(a: Float64Array, len: number, tmp: Float64Array): void {
  if (len < 2) return;
  // Run starts: ascending runs, descending runs reversed in place.
  const starts: number[] = [];
  let i = 0;
  while (i < len) {
    starts.push(i);
    let j = i + 1;
    if (j < len && a[j]! < a[i]!) {
      while (j + 1 < len && a[j + 1]! < a[j]!) j++;
      for (let lo = i, hi = j; lo < hi; lo++, hi--) {
        const x = a[lo]!;
        a[lo] = a[hi]!;
        a[hi] = x;
      }
      j++;
    } else {
      while (j < len && a[j]! >= a[j - 1]!) j++;
    }
    i = j;
  }
  starts.push(len);
  // Merge neighbouring runs until one is left (ping-pong between a and tmp).
  let src = a;
  let dst = tmp;
  let runs = starts;
  while (runs.length > 2) {
    const next: number[] = [];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r]!;
      const mid = runs[r + 1]!;
      const hi = r + 2 < runs.length ? runs[r + 2]! : mid;
      let x = lo;
      let y = mid;
      let k = lo;
      while (x < mid && y < hi) dst[k++] = src[x]! <= src[y]! ? src[x++]! : src[y++]!;
      while (x < mid) dst[k++] = src[x++]!;
      while (y < hi) dst[k++] = src[y++]!;
      next.push(lo);
    }
    next.push(len);
    runs = next;
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src.subarray(0, len));
}

/** Free workspaces (a few: kernels of one quote at a time, for a few grid sizes). */
const freeWorkspaces: Workspace[] = [];

function takeWorkspace(n: number): Workspace {
  for (let k = freeWorkspaces.length - 1; k >= 0; k--) {
    const ws = freeWorkspaces[k]!;
    if (ws.n === n) {
      freeWorkspaces[k] = freeWorkspaces[freeWorkspaces.length - 1]!;
      freeWorkspaces.pop();
      return ws;
    }
  }
  return new Workspace(n);
}

function giveWorkspace(ws: Workspace, owner: object): void {
  // Only its current kernel gives it back (a second release of a kernel is a no-op).
  if (ws.owner !== owner) return;
  ws.owner = null;
  if (freeWorkspaces.length >= 8) freeWorkspaces.shift();
  freeWorkspaces.push(ws);
}

/**
 * Work counters of every kernel in the process (tests bound the work of a quote with them, so a
 * slow but correct regression fails): exact scale passes (`N` points each on a direction kernel,
 * the range on a range kernel), direction limb computations (`N` points), certified bound
 * evaluations, exact collateral scans. Reset by the caller.
 */
export const kernelWork = { exactPasses: 0, directionLimbs: 0, scaleBounds: 0, collateralScans: 0, nearProbes: 0 };

/**
 * The kernel's figures of a direction `phi` that callers share read-only (a shape's cached
 * values, `trade-general.ts`): limbs of `|phi|`, `phi / 1e9`, the sign; empty arrays when some
 * `|phi| >= 2^57`. Keyed by the array itself (collected with it).
 */
const directionFigures = new WeakMap<readonly bigint[], { phH: Float64Array; phL: Float64Array; dirW: Float64Array; nonNegative: boolean }>();

/**
 * The doubles and exact limbs of the last few market curves, keyed by the array and kept while
 * its values are the same ones (a dApp quotes many sizes and directions against one decoded
 * market; compared value by value, so an array changed in place is converted again).
 */
const curveCache = new WeakMap<readonly bigint[], { copy: bigint[]; fv: Float64Array; fH: Float64Array; fL: Float64Array; fMax: number }>();

/**
 * Writes `f` as doubles (`fv`, rounded) and exact limbs `f = fH 1e9 + fL` (u64 values), returns
 * the largest double.
 */
function curveFigures(f: readonly bigint[], fv: Float64Array, fH: Float64Array, fL: Float64Array): number {
  const n = f.length;
  const known = curveCache.get(f);
  if (known !== undefined && known.copy.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (known.copy[i] !== f[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      fv.set(known.fv);
      fH.set(known.fH);
      fL.set(known.fL);
      return known.fMax;
    }
  }
  let fMax = 0;
  for (let i = 0; i < n; i++) {
    const fb = f[i] as bigint;
    const v = Number(fb);
    fv[i] = v;
    // Exact limbs f = hi 1e9 + lo (v is exact below 2^53, and Number(fb) < 2^53 iff fb < 2^53).
    let hi = floorE9(v);
    let lo = remE9;
    if (v >= 2 ** 53) {
      // The limbs of the double v (exact: hi 1e9 is a double and v - hi 1e9 is exact by
      // Sterbenz, v > 2 1e9), then v's exact rounding error e = fb - v (a few units).
      hi += floorE9(lo + Number(fb - BigInt(v)));
      lo = remE9;
    }
    fH[i] = hi;
    fL[i] = lo;
    if (v > fMax) fMax = v;
  }
  curveCache.set(f, { copy: f.slice(), fv: fv.slice(), fH: fH.slice(), fL: fL.slice(), fMax });
  return fMax;
}

/** Per-market state of the fast solver (scratch arrays reused across bumps). */
export class FastRangeBet {
  readonly n: number;
  readonly f: Float64Array;
  readonly w: Float64Array;
  readonly b: number;
  readonly budget: bigint;
  readonly bd: number;
  readonly i0: number;
  readonly i1: number;
  /** Exact limbs `f = fH 1e9 + fL` (`f` itself is the rounded double). */
  readonly fH: Float64Array;
  readonly fL: Float64Array;
  /** Limbs of the cap `b` (`b` itself is the rounded double). */
  private readonly bH: number;
  private readonly bL: number;
  /** Current curve `h = f + t 1[i0, i1]` (rounded double) and its exact limbs `h = hH 1e9 + hL`. */
  readonly h: Float64Array;
  readonly hH: Float64Array;
  readonly hL: Float64Array;
  /** g of the last kernel pass: exact limbs `gH 1e9 + gL`, and as a double (exact below 2^53). */
  readonly g: Float64Array;
  readonly gH: Float64Array;
  readonly gL: Float64Array;
  /** Every value is below 2^53, so the doubles `f`, `g` are exact. */
  get narrow(): boolean {
    return this.narrowValues;
  }
  private narrowValues: boolean;
  /** Out-of-range points of smallest and largest `f` (-1 if the range is the whole grid). */
  private readonly iMinOut: number;
  private readonly iMaxOut: number;
  private t = -1;
  private readonly passThresh: number;
  private readonly failThresh: number;
  private readonly delta2: number;
  private readonly split: SplitScale = { ci: 0, cf: 0, c1: 0, c0: 0 };
  /** Counters (benchmarks / tests). */
  exactPasses = 0;
  bigintFallbacks = 0;
  /** [`passesNear`] verdicts inside the rounding band (decided on the base's exact residual). */
  nearBandDecisions = 0;

  /**
   * Per-point offsets of the collateral (0 by default): every collateral figure is
   * `max(0, max_i (f_i - g_i - off_i))`, the netted collateral of a position with payoff
   * `P = off` (any i64 values: the terms are computed from the limbs of `f - off`, exact below
   * 2^53; callers recompute larger figures exactly). `off` itself is the rounded double
   * (estimates and the choice of the lower bound's points only).
   */
  readonly off: Float64Array;
  /**
   * Limbs of `f - off`: every collateral term `f - g - off = (netH - gH) 1e9 + (netL - gL)` is then
   * exact whenever it is below 2^53 in magnitude (exact limb differences, one exact sum), for any
   * i64 offsets (a term at or above 2^53 rounds to at least 2^53, so a maximum below 2^53 is
   * exact); larger terms are rounded and callers recompute them.
   */
  private readonly netH: Float64Array;
  private readonly netL: Float64Array;
  /** Some offset is non-zero: the collateral lower bound scans every out-of-range point. */
  private readonly hasOffset: boolean;
  /** Out-of-range point of largest `f - off` (-1 if none): the third point of the lower bound. */
  private readonly iMaxOff: number;

  constructor(f: readonly bigint[], q: RangeBetQuery, offset?: readonly bigint[]) {
    // Loops run from i0 to i1: indices must be grid indices before anything else.
    if (checkIndex(q.i0) > checkIndex(q.i1) || q.i1 >= f.length) throw new MathError("InvalidRange");
    const n = f.length;
    this.n = n;
    const ws = takeWorkspace(n);
    ws.owner = this;
    this.ws = ws;
    this.f = ws.f;
    this.fH = ws.fH;
    this.fL = ws.fL;
    this.w = ws.w;
    this.off = ws.off;
    this.netH = ws.netH;
    this.netL = ws.netL;
    this.h = ws.h;
    this.hH = ws.hH;
    this.hL = ws.hL;
    this.g = ws.g;
    this.gH = ws.gH;
    this.gL = ws.gL;
    this.g.fill(0);
    this.gH.fill(0);
    this.gL.fill(0);
    const { fH, fL, netH, netL } = ws;
    const fv = ws.f;
    const off = ws.off;
    const fMax = curveFigures(f, fv, fH, fL);
    let hasOffset = false;
    for (let i = 0; i < n; i++) {
      const hi = fH[i]!;
      const lo = fL[i]!;
      // Limbs of f - P (each exact; signs may differ): the collateral's per-point term. Any split
      // P = oH 1e9 + oL with integers |oH| < 2^34, |oL| <= 2^31 keeps every term exact.
      const o = offset === undefined ? 0n : (offset[i] as bigint);
      if (o === 0n) {
        off[i] = 0;
        netH[i] = hi;
        netL[i] = lo;
      } else {
        hasOffset = true;
        const od = Number(o);
        off[i] = od;
        if (od < 2 ** 53 && od > -(2 ** 53)) {
          // |od| < 2^53: the truncated quotient is within 1 of the exact one, the remainder exact.
          const oH = Math.trunc(od / E9);
          netH[i] = hi - oH;
          netL[i] = lo - (od - oH * E9);
        } else {
          netH[i] = hi - Number(o / SCALE_1E9);
          netL[i] = lo - Number(o % SCALE_1E9);
        }
      }
    }
    this.hasOffset = hasOffset;
    this.b = Number(q.b);
    const bl = limbsOfBig(q.b);
    this.bH = bl[0];
    this.bL = bl[1];
    this.narrowValues = fMax + 2 ** 48 < 2 ** 53 && this.b < 2 ** 53;
    this.budget = q.budget;
    this.bd = Number(q.budget);
    this.i0 = q.i0;
    this.i1 = q.i1;
    // Sum of N+1 rounded non-negative terms: relative error <= (N+1)u/(1-(N+1)u), plus the
    // rounding of g^2 from a rounded g (values above 2^53); doubled.
    const delta = (n + 8) * 2 * U;
    this.passThresh = (this.bd * (1 - 4 * U)) / (1 + delta);
    this.failThresh = (this.bd * (1 + 4 * U)) / (1 - delta);
    this.delta2 = (n + 16) * 2 * U;
    // Out-of-range points never change with t: sorted by (f, i) with prefix sums of w, w f, w f^2.
    // Native numeric sort of integer keys (N < 2^11), else a comparator sort of the indices.
    const m0 = n - Math.max(0, Math.min(this.i1, n - 1) - this.i0 + 1);
    const out = ws.order;
    let k0 = 0;
    if (n < 2 ** 11) {
      // Keys floor(f / 2^s) 2^11 + i (exact below 2^53): sorted by f when s = 0 (f < 2^42),
      // else by f's bucket, then an insertion pass orders each bucket by (f, i) (buckets of
      // distinct values hold one point; equal values are already in index order).
      const s = fMax < 2 ** 42 ? 0 : Math.ceil(Math.log2(fMax + 1)) - 40;
      const scale = 2 ** -s;
      const keys = ws.keys;
      for (let i = 0; i < n; i++) if (i < this.i0 || i > this.i1) keys[k0++] = Math.floor(fv[i]! * scale) * 2048 + i;
      sortRuns(keys, m0, ws.sf);
      // i = key mod 2^11 (scaling by 2^-11 is exact).
      for (let j = 0; j < m0; j++) {
        const key = keys[j]!;
        out[j] = key - Math.floor(key * (1 / 2048)) * 2048;
      }
      if (s > 0) {
        for (let j = 1; j < m0; j++) {
          const x = out[j]!;
          const fx = fv[x]!;
          let k = j - 1;
          while (k >= 0 && (fv[out[k]!]! > fx || (fv[out[k]!]! === fx && out[k]! > x))) {
            out[k + 1] = out[k]!;
            k--;
          }
          out[k + 1] = x;
        }
      }
    } else {
      for (let i = 0; i < n; i++) if (i < this.i0 || i > this.i1) out[k0++] = i;
      out.subarray(0, m0).sort((x, y) => fv[x]! - fv[y]!);
    }
    const m = m0;
    this.m = m;
    this.iMinOut = m > 0 ? out[0]! : -1;
    this.iMaxOut = m > 0 ? out[m - 1]! : -1;
    let iMaxOff = this.iMaxOut;
    if (hasOffset) {
      for (let j = 0; j < m; j++) {
        const i = out[j]!;
        if (fv[i]! - off[i]! > fv[iMaxOff]! - off[iMaxOff]!) iMaxOff = i;
      }
    }
    this.iMaxOff = iMaxOff;
    const { w, sf, pw, pf, pf2 } = ws;
    this.sf = sf;
    this.pw = pw;
    this.pf = pf;
    this.pf2 = pf2;
    pw[0] = 0;
    pf[0] = 0;
    pf2[0] = 0;
    for (let j = 0; j < m; j++) {
      const i = out[j]!;
      const wv = w[i]!;
      const v = fv[i]!;
      sf[j] = v;
      pw[j + 1] = pw[j]! + wv;
      pf[j + 1] = pf[j]! + wv * v;
      pf2[j + 1] = pf2[j]! + wv * v * v;
    }
    // A size moves the range by t (direction weight 1) until [`setDirection`].
    const dirW = ws.dirW;
    this.dirW = dirW;
    for (let i = 0; i < n; i++) dirW[i] = i >= this.i0 && i <= this.i1 ? 1 : 0;
    // h = f everywhere until the first bump.
    this.h.set(fv);
    this.hH.set(fH);
    this.hL.set(fL);
    this.sumWH2 = pf2[m]! + this.inRangeSumSq();
    this.t = 0;
  }

  /**
   * A kernel along this one's belief direction (`phi >= 0`, every point in range) whose size 0
   * is this one's size `origin = tH 1e9`: its curve is `f' = h(origin) = f + tH phi` (exact limbs
   * of [`setSize`]) and its payoff `P + tH phi`, so `f' - P'` (the collateral's term) is this
   * one's; at size `s` it has the `h`, scale, `g` and collateral of size `origin + s` here, as
   * `floor((origin + s) phi / 1e9) = tH phi + floor(s phi / 1e9)`. Null when `h(origin)` leaves
   * the domain. Built on this kernel's curve (its figures are cached), then moved: no bigint.
   * The payoff's doubles (`off`) become `P + tH phi` rounded; they only pick points.
   */
  shiftedBy(origin: bigint, f: readonly bigint[], q: RangeBetQuery, offset: readonly bigint[], phi: readonly bigint[], shared: boolean): FastRangeBet | null {
    if (!this.directed || !this.dirNonNegative || origin <= 0n || origin % SCALE_1E9 !== 0n) return null;
    this.setSize(origin);
    if (!this.limbsExact) return null;
    this.ensureSplit();
    const k = new FastRangeBet(f, q, offset);
    if (!k.setDirection(phi, shared)) {
      k.release();
      return null;
    }
    let fMax = 0;
    for (let i = 0; i < this.n; i++) {
      const v = this.h[i]!;
      k.off[i] = this.off[i]! + (v - this.f[i]!);
      k.f[i] = v;
      k.fH[i] = this.hH[i]!;
      k.fL[i] = this.hL[i]!;
      if (v > fMax) fMax = v;
    }
    k.narrowValues = fMax + 2 ** 48 < 2 ** 53 && k.b < 2 ** 53;
    // h = f' until its first bump (the next setBump recomputes everything else from f').
    k.h.set(k.f);
    k.hH.set(k.fH);
    k.hL.set(k.fL);
    k.t = NaN;
    return k;
  }

  /** The kernel's scratch arrays (one buffer, see [`release`]). */
  private readonly ws: Workspace;
  /** Scratch of N doubles each for callers (the display's limbs of `f - g`, `trade-fast.ts`). */
  get scratchH(): Float64Array {
    return this.ws.dH;
  }
  get scratchL(): Float64Array {
    return this.ws.dL;
  }

  /**
   * Hand the kernel's arrays back for the next kernel of the same size (no allocation per
   * quote). The kernel and every array read from it must not be used afterwards.
   */
  release(): void {
    giveWorkspace(this.ws, this);
  }

  private readonly m: number;
  private readonly sf: Float64Array;
  private readonly pw: Float64Array;
  private readonly pf: Float64Array;
  private readonly pf2: Float64Array;

  /** First `j` in `[0, m]` with `sf[j] * x >= b` (monotone in j: products are rounded monotonically). */
  private capIndex(x: number): number {
    const { sf, b } = this;
    let lo = 0;
    let hi = this.m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sf[mid]! * x >= b) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** First `j` in `[0, m]` with `sf[j] * x > 1`. */
  private oneIndex(x: number): number {
    const { sf } = this;
    let lo = 0;
    let hi = this.m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sf[mid]! * x > 1) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `sum w h^2` over the range for the current `h`. */
  private inRangeSumSq(): number {
    const { h, w } = this;
    let a = 0;
    for (let i = this.i0; i <= this.i1; i++) {
      const v = h[i]!;
      a += w[i]! * v * v;
    }
    return a;
  }

  /**
   * Exact limbs of `h_i = max(0, f_i + t)` (`|t| < 2^53`: its limbs `t = tH 1e9 + tL`,
   * `0 <= tL < 1e9`, are exact for either sign; a sell that empties the point clamps it to 0).
   */
  private splitAt(i: number, tH: number, tL: number): void {
    let lo = this.fL[i]! + tL;
    let hi = this.fH[i]! + tH;
    if (lo >= E9) {
      lo -= E9;
      hi += 1;
    }
    if (hi < 0) {
      hi = 0;
      lo = 0;
    }
    this.hH[i] = hi;
    this.hL[i] = lo;
  }

  /**
   * Set `h = max(0, f + t 1[i0, i1])` (`|t| < 2^53`; only the range changes), or along the
   * direction of [`setDirection`]; also `sum w h^2`.
   */
  setBump(t: number): void {
    if (t === this.t && this.tBig === null) return;
    this.tBig = null;
    this.t = t;
    this.splitStale = true;
    // Per-bump caches of the exact search.
    this.passC = -1;
    this.est = -1;
    if (this.directed) {
      this.directionBump(t);
      return;
    }
    const { f, h } = this;
    if (t >= 0) {
      for (let i = this.i0; i <= this.i1; i++) h[i] = f[i]! + t;
    } else {
      // A sell: h from its exact limbs (f + t in doubles could cancel to nothing).
      this.ensureSplit();
      const { hH, hL } = this;
      for (let i = this.i0; i <= this.i1; i++) h[i] = hH[i]! * E9 + hL[i]!;
    }
    this.sumWH2 = this.pf2[this.m]! + this.inRangeSumSq();
  }

  private splitStale = false;
  private sumWH2 = 0;

  /**
   * The exact size when it is not an exact double (`|t| >= 2^53`, along a direction only;
   * [`setSize`]); `this.t` is then its rounded double, which only the float models read.
   * Null for every size set through [`setBump`].
   */
  private tBig: bigint | null = null;

  /**
   * [`setBump`] for any i64 size along a direction. A size past 2^53 keeps its exact value for
   * the limbs (from its own split: `floor(|t| |phi| / 1e9)` needs `|t| / 1e9 < 2^34`, true of
   * every i64) and its rounded double for the float models; the per-size memos (collateral of
   * the last passes, the probes' base) are not kept for it: two such sizes may share a double.
   */
  setSize(t: bigint): void {
    // (Compared with constants: a negation would allocate a bigint on every call.)
    if (t < TWO53_BIG && t > MINUS_TWO53_BIG) {
      this.setBump(Number(t));
      return;
    }
    if (!this.directed) throw new MathError("InvalidRange");
    if (t === this.tBig) return;
    this.tBig = t;
    this.t = Number(t);
    this.splitStale = true;
    this.passC = -1;
    this.est = -1;
    this.directionBump(this.t);
  }

  /** The split of `|t|` for the limbs of `floor(|t| |phi| / 1e9)` (exact for either kind of size). */
  private sizeSplit(): SplitScale {
    if (this.tBig !== null) return splitBig(this.tBig < 0n ? -this.tBig : this.tBig, this.tSplit);
    return splitNumber(this.t < 0 ? -this.t : this.t, this.tSplit);
  }

  /**
   * Per-point weight of a size in `h` (as a double): 1 on the range and 0 elsewhere for a range,
   * `phi / 1e9` along a direction ([`setDirection`]); the float models' `dh / dt`.
   */
  private readonly dirW: Float64Array;
  /** `phi / 1e9` per point (rounded) once a direction is set ([`setDirection`]), else null. */
  directionWeights(): Float64Array | null {
    return this.directed ? this.dirW : null;
  }
  /** A direction is set ([`setDirection`]): a size moves every point by `floor(t phi / 1e9)`. */
  private directed = false;
  /** The current `h` is within the exact kernel's domain (always for a range). */
  private limbsExact = true;

  /**
   * Sizes along a direction `phi` (signed i64 per point: a belief shape's values, or `-P` for an
   * unwind) instead of a range: `h(t) = max(0, f + floor(t phi / 1e9))` on every point (the range
   * must be the whole grid, so no point is cached as out of range). False (nothing changed)
   * when some `|phi| >= 2^57`: then the caller uses the bigint mirror. `shared`: `phi` is an
   * array its owner never changes (a cached shape's values): its figures are kept for the next
   * kernel along it.
   */
  setDirection(phi: readonly bigint[], shared = false): boolean {
    if (this.i0 !== 0 || this.i1 !== this.n - 1) throw new MathError("InvalidRange");
    const { phH, phL } = this.ws;
    const known = shared ? directionFigures.get(phi) : undefined;
    let nonNegative = true;
    if (known !== undefined && known.phH.length === 0) return false;
    if (known !== undefined && known.phH.length === this.n) {
      phH.set(known.phH);
      phL.set(known.phL);
      this.dirW.set(known.dirW);
      nonNegative = known.nonNegative;
    } else {
      const dirW = this.dirW;
      for (let i = 0; i < this.n; i++) {
        const v = phi[i] as bigint;
        // The rounded double decides, except where it rounds onto 2^57 (the bigint then does).
        const d = Number(v);
        if (!(d < 2 ** 57 && d > -(2 ** 57)) && (v >= TWO57_BIG || -v >= TWO57_BIG)) {
          if (shared) directionFigures.set(phi, { phH: new Float64Array(0), phL: new Float64Array(0), dirW: new Float64Array(0), nonNegative: false });
          return false;
        }
        const a = d < 0 ? -d : d;
        if (a < 2 ** 53) {
          // Exact as a double: its corrected limb split.
          phH[i] = floorE9(a);
          phL[i] = remE9;
        } else {
          const [hi, lo] = limbsOfBig(v < 0n ? -v : v);
          phH[i] = hi;
          phL[i] = lo;
        }
        dirW[i] = d / E9;
        if (d < 0) nonNegative = false;
      }
      if (shared) directionFigures.set(phi, { phH: phH.slice(), phL: phL.slice(), dirW: this.dirW.slice(), nonNegative });
    }
    this.dirNonNegative = nonNegative;
    this.directed = true;
    this.nearValid = false;
    this.plateauFacts.length = 0;
    this.tailScales.clear();
    let maxH = 0;
    for (let i = 0; i < this.n; i++) if (phH[i]! > maxH) maxH = phH[i]!;
    this.dirMaxH = maxH;
    this.t = NaN;
    this.qMag = -1;
    // Figures of the previous direction.
    this.memoT.fill(NaN);
    return true;
  }

  /**
   * Whether the current `h` ([`setBump`], [`setSize`]) is in the exact kernel's domain: every
   * value at most 2^57 (as [`fastPathApplies`]) and, along a direction, a size with exact limbs
   * of `floor(t phi / 1e9)` (any size of [`setSize`]; `|t| < 2^53` through [`setBump`]). Outside
   * it only the float models may read `h`.
   */
  get inDomain(): boolean {
    return this.limbsExact;
  }

  /**
   * [`setBump`] along a direction. A buy along `phi >= 0` takes `h = f + t phi / 1e9` in doubles
   * (within a few roundings and the floor's one unit of the exact `h`, which [`certify`] allows
   * for: `hSlack`) and the exact limbs only when an exact pass asks ([`ensureSplit`]); other sizes
   * with exact limbs (Number sizes below 2^53, any size of [`setSize`]) get them now, and Number
   * sizes past 2^53 float values for the models only.
   */
  private directionBump(t: number): void {
    const { n, f, h, dirW } = this;
    // Sizes with exact limbs: exact doubles, or any size set through [`setSize`].
    const mag = this.tBig !== null ? 0 : t < 0 ? -t : t;
    if (t > 0 && this.dirNonNegative) {
      const w = this.w;
      let top = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const v = f[i]! + t * dirW[i]!;
        h[i] = v;
        sum += w[i]! * v * v;
        if (v > top) top = v;
      }
      this.hSlack = 1;
      this.sumWH2 = sum;
      // Well inside 2^57 (the float h is within one part in 2^40 of the exact one): in the domain.
      if (mag < DIRECTION_T_MAX && top < 2 ** 57 * (1 - 2 ** -30)) {
        this.limbsExact = true;
        this.splitStale = true;
        return;
      }
      // Past 2^53 as a Number, or a float h near 2^57 for a size of [`setSize`] (counted out of
      // the domain without its limbs: the search's far ends are there).
      if (mag >= DIRECTION_T_MAX || this.tBig !== null) {
        this.limbsExact = false;
        this.splitStale = false;
        return;
      }
    }
    this.splitStale = false;
    if (mag >= DIRECTION_T_MAX) {
      // Models only (a sell or an unwind this far has cancellations: no certified bounds).
      for (let i = 0; i < n; i++) {
        const v = f[i]! + t * dirW[i]!;
        h[i] = v > 0 ? v : 0;
      }
      this.hSlack = NaN;
      this.limbsExact = false;
    } else {
      this.limbsExact = this.directionLimbs(t);
      this.hSlack = 0;
    }
    this.sumWH2 = this.inRangeSumSq();
  }

  /**
   * Exact limbs of `h = max(0, f + floor(t phi / 1e9))` on every point and `h` as their rounded
   * doubles (`|t| < 2^53`); whether every value is at most 2^57 (the kernel's domain).
   */
  private directionLimbs(t: number): boolean {
    const { n, hH, hL, h, fH, fL, dirW } = this;
    const { phH, phL, qH, qL, qR } = this.ws;
    kernelWork.directionLimbs++;
    this.nearValid = false;
    const mag = t < 0 ? -t : t;
    const pos = t > 0;
    // Sizes a few units apart (the probes of a plateau end): floor(|t| |phi| / 1e9) walked from
    // the last size's by |t| = m + k, |phi| = pH 1e9 + pL (as the out-of-range values over
    // scales): floor = q + k pH + floor((r + k pL) / 1e9), every term an integer below 2^53
    // (|k| <= 2^20, pH < 2^28, pL and r below 1e9); else the limb kernel's product (|t| as its scale).
    const k = mag - this.qMag;
    // A size past 2^53 ([`setSize`]) is split afresh (its double is not the size).
    const walk = this.tBig === null && this.qMag >= 0 && k <= 2 ** 20 && k >= -(2 ** 20);
    const s = walk ? null : this.sizeSplit();
    this.qMag = this.tBig === null ? mag : -1;
    let exact = true;
    for (let i = 0; i < n; i++) {
      const dw = dirW[i]!;
      let hi = fH[i]!;
      let lo = fL[i]!;
      if (dw !== 0) {
        if (s !== null) {
          floorScaledLimbs(s, phH[i]!, phL[i]!);
          qH[i] = rawHi;
          qL[i] = rawLo;
          qR[i] = rawRem;
        } else if (k !== 0) {
          const carry = floorE9(qR[i]! + k * phL[i]!);
          qR[i] = remE9;
          qH[i] = qH[i]! + floorE9(qL[i]! + k * phH[i]! + carry);
          qL[i] = remE9;
        }
        // h = max(0, f + floor(t phi / 1e9)); floor(-x / 1e9) = -floor(x / 1e9) - (x mod 1e9 > 0).
        if ((dw > 0) === pos) {
          hi += qH[i]!;
          lo += qL[i]!;
          if (lo >= E9) {
            lo -= E9;
            hi += 1;
          }
        } else {
          hi -= qH[i]!;
          lo -= qL[i]! + (qR[i]! > 0 ? 1 : 0);
          if (lo < 0) {
            lo += E9;
            hi -= 1;
          }
        }
        if (hi < 0) {
          hi = 0;
          lo = 0;
        }
      }
      hH[i] = hi;
      hL[i] = lo;
      const v = hi * E9 + lo;
      h[i] = v;
      // Past 2^57 (the rounded value decides: within a few units of it, still below 2^58).
      if (v > 2 ** 57) exact = false;
    }
    return exact;
  }

  /** `|t|` of the walked limbs `qH`, `qL`, `qR` of the workspace (-1: none yet). */
  private qMag = -1;

  /** Split of the size for [`directionLimbs`] (not the pass scale's `split`). */
  private readonly tSplit: SplitScale = { ci: 0, cf: 0, c1: 0, c0: 0 };
  /** Every `phi >= 0` (a belief shape): buys take the float `h` of [`directionBump`]. */
  private dirNonNegative = false;
  /** A direction is set and every `phi >= 0` (a belief shape's values). */
  get directionNonNegative(): boolean {
    return this.directed && this.dirNonNegative;
  }
  /**
   * How far the doubles `h` may be below the exact values besides their relative rounding: 0
   * (correctly rounded), 1 (one unit: the floor of `t phi / 1e9` the float `h` leaves out), NaN
   * (estimates only: no certified bounds).
   */
  private hSlack = 0;

  /** `h = hH 1e9 + hL` for the exact kernel (only the range changes with t). */
  private ensureSplit(): void {
    // Exact passes read the limbs: never outside the domain (the callers check `inDomain`).
    if (!this.limbsExact) throw new OutsideKernelDomain();
    if (!this.splitStale) return;
    this.splitStale = false;
    if (this.directed) {
      // In the domain by directionBump's float check; the limbs replace the float h.
      this.directionLimbs(this.t);
      this.hSlack = 0;
      return;
    }
    const tH = Math.floor(this.t / E9);
    const tL = this.t - tH * E9;
    for (let i = this.i0; i <= this.i1; i++) this.splitAt(i, tH, tL);
  }

  /** Exact `scale_passes` for the current `h` at the split scale `s` (fills `this.g`). */
  private passesSplit(s: SplitScale): boolean {
    this.exactPasses++;
    kernelWork.exactPasses++;
    this.ensureSplit();
    this.nearValid = false;
    const { n, h, hH, hL, w, g, gH, gL, b, bH, bL, netH, netL } = this;
    const fail = this.failThresh;
    let acc = 0;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      const gi = gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
      g[i] = gi;
      gH[i] = gHi;
      gL[i] = gLo;
      acc += w[i]! * gi * gi;
      if (acc > fail) return false;
      // f - g from the limbs: exact whenever |f - g| < 2^53.
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
    }
    // Collateral at this c (valid when it passes): saves a pass in exactBump.
    this.passColl = coll;
    if (acc < this.passThresh) return true;
    // Inside the rounding band: exact sum (Rust: `acc > budget` -> false).
    this.bigintFallbacks++;
    return this.exactSumSq(0, n) <= this.budget;
  }

  /** Exact `sum_{from <= i < to} w_i g_i^2` from the limbs of the last pass ([`exactDot`]). */
  private exactSumSq(from: number, to: number): bigint {
    const { w, gH, gL } = this;
    return exactSquares(w, gH, gL, from, to);
  }

  /**
   * Per-scale cache of the exact out-of-range part of the norm (those points do not move with
   * `t`): the range-only fallback of [`passesRange`] recomputes just the range.
   */
  private readonly outExactCache = new Map<number, bigint>();

  private outExact(c: number, s: SplitScale): bigint {
    const hit = this.outExactCache.get(c);
    if (hit !== undefined) return hit;
    const { n, i0, i1 } = this;
    const sums = this.outCache.get(c)?.[2];
    let v: bigint;
    if (sums !== undefined && sums !== null && n < 2 ** 19) {
      v = squaresToBig(sums);
    } else {
      this.scanCollateral(s, 0, i0, 0);
      this.scanCollateral(s, i1 + 1, n, 0);
      v = this.exactSumSq(0, i0) + this.exactSumSq(i1 + 1, n);
    }
    if (this.outExactCache.size >= 4096) this.outExactCache.clear();
    this.outExactCache.set(c, v);
    return v;
  }

  /**
   * Exact `scale_passes` at a Number scale `c < 2^52`. The out-of-range points do not move with
   * `t`, so their part of the sum and of the collateral is cached per `c` (the search probes
   * the same few scales at many bumps); only the range is recomputed. `g` is then valid on the
   * range only ([`passesBig`] fills it everywhere).
   */
  passesNumber(c: number): boolean {
    const s = splitNumber(c, this.split);
    const out = this.outPart(c, s);
    const ok = this.passesRange(s, out);
    // The verdict of the pass [`passesRange`] just remembered (it remembers none past 2^53).
    if (this.tBig === null) this.memoOk[(this.memoAt + 7) & 7] = ok;
    this.passC = ok ? c : -1;
    return ok;
  }

  /** Per-scale cache of the out-of-range part: `[sum w g^2 (double), max (f - g)]`. */
  private readonly outCache = new Map<number, OutPart>();

  private outPart(c: number, s: SplitScale): OutPart {
    const hit = this.outCache.get(c);
    if (hit !== undefined) return hit;
    const { n, h, hH, hL, w, b, bH, bL, netH, netL } = this;
    const { oH, oL, oR } = this.ws;
    // Markets past 2^53 land in the float band often: sum the exact limb products too.
    const exact = this.narrow ? null : [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5].fill(0); // doubles, as squareScratch
    // The raw values at c from those at a known scale c - k, |k| <= 2^20 (the searches visit
    // scales a few units apart): c f = (c - k) f + k f, so with (c - k) f = 1e9 raw + rem,
    // floor(c f / 1e9) = raw + k fH + floor((rem + k fL) / 1e9), every term an integer below 2^53.
    const known = this.outScale;
    const k = c - known;
    const step = s.ci >= 2 ** 22 ? 0 : known >= 0 && k <= 2 ** 20 && k >= -(2 ** 20) ? 1 : 2;
    let acc = 0;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      if (i === this.i0) i = this.i1 + 1;
      if (i >= n) break;
      let gi: number;
      if (step === 0) {
        gi = gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
      } else {
        if (step === 2) {
          rawLimbs(s, hH[i]!, hL[i]!, oH, oL, oR, i);
        } else if (k !== 0) {
          // rem + k fL: |.| < 2^51; its floor by 1e9 corrected from the exact remainder.
          const carry = floorE9(oR[i]! + k * hL[i]!);
          oR[i] = remE9;
          // raw + k fH + carry: the low limb (|.| < 2^49) carried into the high one.
          oH[i] = oH[i]! + floorE9(oL[i]! + k * hH[i]! + carry);
          oL[i] = remE9;
        }
        const hi = oH[i]!;
        const lo = oL[i]!;
        if (hi > bH || (hi === bH && lo >= bL)) {
          gHi = bH;
          gLo = bL;
          gi = b;
        } else {
          gHi = hi;
          gLo = lo;
          gi = hi * E9 + lo;
        }
      }
      acc += w[i]! * gi * gi;
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
      if (exact !== null) addSquare(exact, w[i]!, gHi, gLo);
    }
    this.outScale = step === 0 ? -1 : c;
    const v: OutPart = [acc, coll, exact];
    this.outCache.set(c, v);
    return v;
  }

  /** The scale of the raw out-of-range values in the workspace (`oH`, `oL`, `oR`), or -1. */
  private outScale = -1;

  /** [`passesSplit`] with the out-of-range part from the cache (exact fallback recomputes it all). */
  private passesRange(s: SplitScale, out: OutPart): boolean {
    this.exactPasses++;
    kernelWork.exactPasses++;
    this.nearValid = false;
    // A buy along phi >= 0 keeps the raw values as the base of the probes next to it ([`passesNear`]).
    const base = this.directed && this.dirNonNegative && this.t > 0 && s.ci < 2 ** 22 && this.tBig === null;
    this.ensureSplit();
    const { h, hH, hL, w, g, gH, gL, b, bH, bL, netH, netL } = this;
    let acc = out[0];
    let coll = out[1];
    if (base) {
      // The whole grid (no point out of range along a direction).
      acc += this.buyPass(s);
      if (this.loopColl > coll) coll = this.loopColl;
    } else {
      for (let i = this.i0; i <= this.i1; i++) {
        const gi = gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
        g[i] = gi;
        gH[i] = gHi;
        gL[i] = gLo;
        acc += w[i]! * gi * gi;
        const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
        if (d > coll) coll = d;
      }
    }
    const c = s.ci * E9 + s.cf;
    this.passColl = coll;
    if (this.tBig === null) this.rememberCollateral(this.t, c, coll);
    this.lastResidual = this.bd - acc;
    const ok = this.rangeVerdict(s, c, acc);
    if (base) {
      this.nearValid = true;
      this.nearT = this.t;
      this.nearC = c;
      this.nearAcc = acc;
      this.nearOk = ok;
      this.nearExact = this.bandExact;
    }
    return ok;
  }

  /** The collateral of the last [`buyPass`]. */
  private loopColl = 0;

  /**
   * The loop of an exact pass of a buy along `phi >= 0` at split scale `s` (`ci < 2^22`):
   * `sum w g^2` in doubles (returned), the collateral (`loopColl`), `g` and the raw values with
   * their remainders (the base of [`passesNear`]), from the limbs of `h` ([`ensureSplit`]). The
   * steps of [`floorScaledLimbs`] and [`floorE9`] are written out: this is the quote's hottest
   * loop, and calling them costs 3-7% of a belief quote (same-process A/B at N = 101).
   */
  private buyPass(s: SplitScale): number {
    const { n, hH, hL, w, g, gH, gL, b, bH, bL, netH, netL } = this;
    const { rwH, rwL, rwR } = this.ws;
    const { ci, c1, c0 } = s;
    let acc = 0;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      const hi = hH[i]!;
      const lo = hL[i]!;
      // raw = floor(c h / 1e9) and its remainder (floorScaledLimbs).
      const a1 = c1 * hi;
      const q = Math.floor(a1 * INV_E9);
      const A = c1 * lo;
      const aq = Math.floor(A * INV_E9);
      const x = (A - aq * E9) * TWO15 + c0 * lo;
      let fx = Math.floor(x * INV_E9);
      let r = x - fx * E9;
      if (r < 0) {
        fx -= 1;
        r += E9;
      } else if (r >= E9) {
        fx += 1;
        r -= E9;
      }
      const y = ci * lo + (a1 - q * E9) * TWO15 + c0 * hi + aq * TWO15 + fx;
      let kk = Math.floor(y * INV_E9);
      let rl = y - kk * E9;
      if (rl < 0) {
        kk -= 1;
        rl += E9;
      } else if (rl >= E9) {
        kk += 1;
        rl -= E9;
      }
      const rh = ci * hi + q * TWO15 + kk;
      rwH[i] = rh;
      rwL[i] = rl;
      rwR[i] = r;
      let gh = rh;
      let gl = rl;
      let gi: number;
      if (rh > bH || (rh === bH && rl >= bL)) {
        gh = bH;
        gl = bL;
        gi = b;
      } else {
        gi = rh * E9 + rl;
      }
      gH[i] = gh;
      gL[i] = gl;
      g[i] = gi;
      acc += w[i]! * gi * gi;
      const d = (netH[i]! - gh) * E9 + (netL[i]! - gl);
      if (d > coll) coll = d;
    }
    this.loopColl = coll;
    return acc;
  }

  /** The exact residual of the last [`rangeVerdict`] that summed exactly, else null. */
  private bandExact: bigint | null = null;

  /** The verdict `S <= budget` of a range pass whose float sum is `acc` (the band decided exactly). */
  private rangeVerdict(s: SplitScale, c: number, acc: number): boolean {
    this.bandExact = null;
    if (acc > this.failThresh) return false;
    if (acc < this.passThresh) return true;
    // Inside the rounding band: decided exactly from this scale's anchor when there is one
    // ([`bandResidual`]), else by the exact sum, the out-of-range part cached per scale
    // (its scan leaves the range's limbs of this pass in place), which becomes the anchor.
    const anchor = this.anchors.get(c);
    if (anchor !== undefined) {
      const r = this.bandResidual(anchor);
      if (!Number.isNaN(r)) {
        this.lastResidual = r;
        return r >= 0;
      }
    }
    this.bigintFallbacks++;
    const residual = this.budget - this.outExact(c, s) - this.exactSumSq(this.i0, this.i1 + 1);
    this.setAnchor(c, residual);
    this.bandExact = residual;
    this.lastResidual = Number(residual);
    return residual >= 0n;
  }

  /**
   * The base of [`passesNear`]: the last exact pass of a buy along `phi >= 0` (its size, scale,
   * float sum, verdict and exact residual when it summed exactly), valid while its limbs (`q`,
   * the raw values, `g`) are in place.
   */
  private nearValid = false;
  private nearT = NaN;
  private nearC = NaN;
  private nearAcc = NaN;
  private nearOk = false;
  private nearExact: bigint | null = null;
  /** `S(u) - S(t0) = nearDeltaHi 1e9 + nearDeltaLo` of the last [`passesNear`] (tests read it). */
  nearDeltaHi = 0;
  nearDeltaLo = 0;
  /** Largest `|phi| / 1e9` limb (`phH`) of the direction: bounds the probes' steps. */
  private dirMaxH = 0;

  /**
   * Exact `scale_passes` at scale `c` for size `u` a few units from the base pass at the same
   * scale ([`nearValid`]), without a pass of its own, or undefined (no base, too far, a term
   * outside the exact bounds: the caller makes the pass). With `delta = u - t0`, each point moves
   * by `k = floor((r_q + delta pL) / 1e9) + delta pH` (`r_q = t0 |phi| mod 1e9`,
   * `|phi| = pH 1e9 + pL`), its raw value by `floor((r + c k) / 1e9)` (`r = c h mod 1e9`), and
   * `g` by the capped difference `d`; then `S(u) - S(t0) = sum w d (g + g0)` in limbs, as
   * [`bandResidual`] (`|d| <= 2^19 / N`, every sum an integer below 2^52), against the base's float sum
   * with its error bound, or its exact residual inside the band. Also remembers the collateral.
   */
  passesNear(c: number, u: number): boolean | undefined {
    if (!this.nearValid) return undefined;
    const delta = u - this.nearT;
    const mag = delta < 0 ? -delta : delta;
    const c0 = this.nearC;
    // c k below 2^52 for every point: |k| <= |delta| (pH + 1).
    if (mag > 2 ** 20 || c0 * mag * (this.dirMaxH + 1) >= 2 ** 52) return undefined;
    if (c === c0 + 1 || c === c0 - 1) return this.passesNearScale(c - c0, delta);
    if (c !== c0) return undefined;
    if (delta === 0) return this.nearOk;
    const { n, w, gH, gL, bH, bL, netH, netL, dirW } = this;
    const { phH, phL, qR, rwH, rwL, rwR } = this.ws;
    const dMax = 2 ** 19 / n;
    let A = 0;
    let B = 0;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      let gh = gH[i]!;
      let gl = gL[i]!;
      if (dirW[i] !== 0) {
        const k = floorE9(qR[i]! + delta * phL[i]!) + delta * phH[i]!;
        if (k !== 0) {
          let hi = rwH[i]!;
          let lo = rwL[i]! + floorE9(rwR[i]! + c * k);
          if (lo >= E9 || lo < 0) {
            hi += floorE9(lo);
            lo = remE9;
          }
          if (hi > bH || (hi === bH && lo >= bL)) {
            hi = bH;
            lo = bL;
          }
          const d = (hi - gh) * E9 + (lo - gl);
          if (d !== 0) {
            if (!(d <= dMax && d >= -dMax)) return undefined;
            const wi = w[i]!;
            A += wi * d * (hi + gh);
            B += wi * d * (lo + gl);
            gh = hi;
            gl = lo;
          }
        }
      }
      const t = (netH[i]! - gh) * E9 + (netL[i]! - gl);
      if (t > coll) coll = t;
    }
    kernelWork.nearProbes++;
    this.nearDeltaHi = A;
    this.nearDeltaLo = B;
    this.rememberCollateral(u, c, coll);
    const dS = A * E9 + B;
    const est = this.nearAcc + dS;
    // The base's float sum is within (N + 8) 2u of S (see the thresholds), the sum with dS
    // within a few roundings more.
    const err = (this.nearAcc + this.bd) * (this.delta2 + 16 * U) + (dS < 0 ? -dS : dS) * 16 * U;
    let ok: boolean;
    if (est + err < this.bd * (1 - 4 * U)) {
      ok = true;
      this.lastResidual = this.bd - est;
    } else if (est - err > this.bd * (1 + 4 * U)) {
      ok = false;
      this.lastResidual = this.bd - est;
    } else {
      this.nearBandDecisions++;
      if (this.nearExact === null) this.nearExact = this.budget - this.exactSumSq(0, n);
      const r = this.nearExact - (BigInt(A) * SCALE_1E9 + BigInt(B));
      this.lastResidual = Number(r);
      ok = r >= 0n;
    }
    this.memoOk[(this.memoAt + 7) & 7] = ok;
    return ok;
  }

  /**
   * [`passesNear`] one scale unit from the base (`dx = -1, 1`): with `h' = h + k` as there and
   * `c h' = 1e9 r' + R'`, `floor((c + dx) h' / 1e9) = r' + dx hH + floor((R' + dx (hL + k)) / 1e9)`
   * (`h = hH 1e9 + hL`, every term an integer below 2^53), so every `g` is exact; the verdict is
   * the float sum's, as in [`passesRange`] (one scale unit moves `S` by about `2 S / c`: the sum
   * decides, except within its rounding band, where the caller makes the pass).
   */
  private passesNearScale(dx: number, delta: number): boolean | undefined {
    const { n, w, hH, hL, bH, bL, netH, netL, dirW, b } = this;
    const { phH, phL, qR, rwH, rwL, rwR } = this.ws;
    const c0 = this.nearC;
    let acc = 0;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      const k = delta !== 0 && dirW[i] !== 0 ? floorE9(qR[i]! + delta * phL[i]!) + delta * phH[i]! : 0;
      let lo = rwL[i]!;
      let hi = rwH[i]!;
      let rem = rwR[i]!;
      if (k !== 0) {
        lo += floorE9(rem + c0 * k);
        rem = remE9;
      }
      // dx h' / 1e9 = dx hH + dx (hL + k) / 1e9: whole units into the low limb.
      lo += dx * hH[i]! + floorE9(rem + dx * (hL[i]! + k));
      if (lo >= E9 || lo < 0) {
        hi += floorE9(lo);
        lo = remE9;
      }
      let gi: number;
      if (hi > bH || (hi === bH && lo >= bL)) {
        hi = bH;
        lo = bL;
        gi = b;
      } else {
        gi = hi * E9 + lo;
      }
      acc += w[i]! * gi * gi;
      const t = (netH[i]! - hi) * E9 + (netL[i]! - lo);
      if (t > coll) coll = t;
    }
    let ok: boolean;
    if (acc > this.failThresh) ok = false;
    else if (acc < this.passThresh) ok = true;
    else return undefined;
    kernelWork.nearProbes++;
    this.rememberCollateral(this.nearT + delta, c0 + dx, coll);
    this.memoOk[(this.memoAt + 7) & 7] = ok;
    this.lastResidual = this.bd - acc;
    return ok;
  }

  /**
   * `dS/dt = sum 2 w g (dh/dt) x / 1e9` over the range's uncapped points of the last pass
   * (`k = x / 1e9`; `dh/dt` the direction weight, 1 on a range).
   */
  private rangeSlope(k: number): number {
    const { g, w, b, dirW } = this;
    let slope = 0;
    for (let i = this.i0; i <= this.i1; i++) {
      const gi = g[i]!;
      if (gi < b && gi > 0) slope += w[i]! * gi * dirW[i]!;
    }
    return 2 * k * slope;
  }

  /**
   * `budget - S` of the last [`passesRange`] as a double (rounded; its sign is the verdict's):
   * the size searches step by it ([`plateauEnds`]).
   */
  private lastResidual = NaN;

  /**
   * Anchors of the band decisions, per Number scale `c`: the exact residual
   * `r0 = budget - S(c; t0)` of one exact pass as limbs `rH 1e9 + rL` (truncated, `|rH| < 2^52`)
   * and that pass's range limbs `g0`. At the same scale the out-of-range points do not move,
   * so for any bump `r(t) = r0 - sum_range w (g^2 - g0^2)`, and
   * `g^2 - g0^2 = d (g + g0) = 1e9 d (gH + gH0) + d (gL + gL0)` with `d = g - g0`.
   */
  private readonly anchors = new Map<number, BandAnchor>();

  private setAnchor(c: number, residual: bigint): void {
    const rH = residual / SCALE_1E9;
    if (rH >= TWO52_BIG || -rH >= TWO52_BIG) return;
    const len = this.i1 - this.i0 + 1;
    let a = this.anchors.get(c);
    if (a === undefined) {
      if (this.anchors.size >= 64) this.anchors.clear();
      a = { rH: 0, rL: 0, gH: new Array<number>(len), gL: new Array<number>(len) };
      this.anchors.set(c, a);
    }
    // The latest exact pass: the closest to the next probes of a search.
    a.rH = Number(rH);
    a.rL = Number(residual % SCALE_1E9);
    const { gH, gL, i0 } = this;
    for (let k = 0; k < len; k++) {
      a.gH[k] = gH[i0 + k]!;
      a.gL[k] = gL[i0 + k]!;
    }
  }

  /**
   * `r = budget - S(c; t)` for the range limbs of the current pass at the anchor's scale, as a
   * double whose sign is exact (`r >= 0` iff the scale passes), or NaN when a term is outside
   * the exact bounds (then the caller sums exactly). With `|d| <= dMax = 2^19 / len`, `gH + gH0 < 2^29`, `gL + gL0 < 2^31`,
   * `w <= 4`: `A = sum w d (gH + gH0)` and `B = sum w d (gL + gL0)` are integers below 2^52,
   * exact in doubles; `r = (rH - A) 1e9 + (rL - B)` with `X = rH - A`, `Y = rL - B` exact
   * (below 2^53); `|X| >= 2^32` decides by the sign of X (`|X| 1e9 > 2^53 > |Y|`), else
   * `X 1e9` is exact (`|X| 1953125 < 2^53`) and the rounded `X 1e9 + Y` has the exact sum's sign
   * (rounding is monotone and 0 is a double).
   */
  private bandResidual(a: BandAnchor): number {
    const { gH, gL, w, i0 } = this;
    const len = this.i1 - i0 + 1;
    const dMax = 2 ** 19 / len;
    let A = 0;
    let B = 0;
    for (let k = 0; k < len; k++) {
      const i = i0 + k;
      const h0 = a.gH[k]!;
      const l0 = a.gL[k]!;
      const h1 = gH[i]!;
      const l1 = gL[i]!;
      // d = g - g0 from the limbs: exact (|d| < 2^53 whenever it passes the bound).
      const d = (h1 - h0) * E9 + (l1 - l0);
      if (d === 0) continue;
      if (!(d <= dMax && d >= -dMax)) return NaN;
      const wi = w[i]!;
      A += wi * d * (h1 + h0);
      B += wi * d * (l1 + l0);
    }
    const X = a.rH - A;
    const Y = a.rL - B;
    // |X| >= 2^32: X 1e9 (rounded) has the sign and the magnitude to within 2^-52.
    if (X >= 2 ** 32 || X <= -(2 ** 32)) return X * E9;
    return X * E9 + Y;
  }

  /** Last Number scale that passed in [`passesNumber`] (or -1) and its exact collateral. */
  private passC = -1;
  private passColl = 0;
  /** Estimate of the canonical c from the last bracket (continuous root + mean floor loss). */
  private est = -1;

  /**
   * Exact `scale_passes` at any u64 scale, the out-of-range part from the per-scale cache when
   * `c < 2^52` (`g` is then valid on the range only; [`passesBig`] fills it everywhere).
   */
  passesAny(c: bigint): boolean {
    if (c < FAST_C_MAX_BIG) return this.passesNumber(Number(c));
    return this.passesBig(c);
  }

  /** Exact `scale_passes` at any u64 scale. */
  passesBig(c: bigint): boolean {
    this.passC = -1;
    return this.passesSplit(splitBig(c, this.split));
  }

  /** Exact `sum w g^2` (Simpson weights) of the last full pass ([`passesBig`] fills every point). */
  lastNormSq(): bigint {
    return this.exactSumSq(0, this.n);
  }

  /** `g` of the last kernel pass as bigints. */
  curve(): bigint[] {
    return limbsToBig(this.n, this.gH, this.gL);
  }

  /** The current `h` as bigints (in the domain: [`inDomain`]). */
  target(): bigint[] {
    this.ensureSplit();
    return limbsToBig(this.n, this.hH, this.hL);
  }

  /**
   * Exact `collateral_at(t, c)` for any u64 `c` (fills `this.g`, unless an exact pass at `(t, c)`
   * already gave it); exact when below 2^52.
   */
  collateralAtBump(t: number, c: bigint): number {
    if (c < FAST_C_MAX_BIG) {
      const known = this.knownCollateral(t, Number(c));
      if (known === known) return known;
      // Next to the probes' base (a plateau end the hints found): from its limbs.
      if (this.passesNear(Number(c), t) !== undefined) {
        const near = this.knownCollateral(t, Number(c));
        if (near === near) return near;
      }
    }
    this.setBump(t);
    if (c < FAST_C_MAX_BIG) return this.collateralAt(Number(c));
    return this.collateralSplit(splitBig(c, this.split));
  }

  /**
   * The collateral of the last few exact passes ([`passesRange`] scans every point without an
   * early exit, so its maximum is `collateral_at(t, c)`): the size search asks for the
   * collateral at plateau ends the hints' passes already computed.
   */
  private readonly memoT = [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN];
  private readonly memoC = [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN];
  private readonly memoV = [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN];
  /** The verdict of the pass (set by [`passesNumber`] right after [`rememberCollateral`]). */
  private readonly memoOk = [false, false, false, false, false, false, false, false];
  private memoAt = 0;

  private rememberCollateral(t: number, c: number, coll: number): void {
    const k = this.memoAt;
    this.memoT[k] = t;
    this.memoC[k] = c;
    this.memoV[k] = coll;
    this.memoAt = (k + 1) & 7;
  }

  /** The verdict of a remembered exact pass at `(t, c)` ([`passesNumber`]), or undefined. */
  knownPasses(t: number, c: bigint): boolean | undefined {
    if (!(c < FAST_C_MAX_BIG)) return undefined;
    const cn = Number(c);
    for (let k = 0; k < 8; k++) if (this.memoT[k] === t && this.memoC[k] === cn) return this.memoOk[k]!;
    return undefined;
  }

  /** [`rememberCollateral`]'s figure of `(t, c)`, or NaN. */
  private knownCollateral(t: number, c: number): number {
    for (let k = 0; k < 8; k++) if (this.memoT[k] === t && this.memoC[k] === c) return this.memoV[k]!;
    return NaN;
  }

  /** Exact collateral `max(0, max_i (f_i - g_i))` at a Number scale (fills `this.g`). */
  collateralAt(c: number): number {
    const s = splitNumber(c, this.split);
    const out = this.outPart(c, s);
    return this.scanCollateral(s, this.i0, this.i1 + 1, out[1]);
  }

  /** Exact collateral at the split scale `s` (fills `g`); exact below 2^53 (see [`collateralAtBump`]). */
  private collateralSplit(s: SplitScale): number {
    return this.scanCollateral(s, 0, this.n, 0);
  }

  /**
   * Fills `g` on points `[from, to)` at the split scale `s` and returns the largest of `coll`
   * and `f_i - g_i` over them (the one loop of both collateral evaluations).
   */
  private scanCollateral(s: SplitScale, from: number, to: number, coll: number): number {
    kernelWork.collateralScans++;
    this.ensureSplit();
    this.nearValid = false;
    const { h, hH, hL, g, gH, gL, b, bH, bL, netH, netL } = this;
    for (let i = from; i < to; i++) {
      const gi = gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
      g[i] = gi;
      gH[i] = gHi;
      gL[i] = gLo;
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
    }
    return coll;
  }

  private pcSum = 0;
  private paSum = 0;
  private pwm = 0;
  private pCapped = 0;

  /**
   * Capped split of `T(u)` (heuristic, for the root iteration only): `pcSum = sum_capped w b^2`,
   * `paSum = sum_uncapped w h^2`, `pwm = sum w min(b, h u)`, `pCapped` = number capped.
   */
  private capPass(u: number): void {
    const { b, h, w, pw, pf, pf2, m } = this;
    const j = this.capIndex(u);
    const wc = pw[m]! - pw[j]!;
    let cSum = wc * b * b;
    let aSum = pf2[j]!;
    let wm = u * pf[j]! + wc * b;
    let capped = m - j;
    for (let i = this.i0; i <= this.i1; i++) {
      const hv = h[i]!;
      const x = hv * u;
      const wi = w[i]!;
      if (x >= b) {
        cSum += wi * b * b;
        wm += wi * b;
        capped++;
      } else {
        aSum += wi * hv * hv;
        wm += wi * x;
      }
    }
    this.pcSum = cSum;
    this.paSum = aSum;
    this.pwm = wm;
    this.pCapped = capped;
  }

  /**
   * Root `u` (as c / 1e9) of the continuous `T(u) = sum w min(b, h u)^2 = budget`, by the
   * fixed-point iteration on the capped set (monotone from below), or NaN if it does not
   * settle. Also leaves `sum w min(b, h u)` in `this.wm` and the uncapped part in `uncappedSq`.
   */
  private wm = 0;
  private uncappedSq = 0;
  private continuousRoot(): number {
    const bd = this.bd;
    const a = this.sumWH2;
    if (!(a > 0) || !(bd > 0)) return NaN;
    let u = Math.sqrt(bd / a);
    let prevCapped = -1;
    for (let iter = 0; iter < 12; iter++) {
      this.capPass(u);
      if (this.pCapped === prevCapped) {
        this.wm = this.pwm;
        this.uncappedSq = this.paSum * u * u;
        return u;
      }
      prevCapped = this.pCapped;
      const rem = bd - this.pcSum;
      if (!(this.paSum > 0) || !(rem > 0)) return NaN;
      u = Math.sqrt(rem / this.paSum);
    }
    return NaN;
  }

  /**
   * A float estimate (no guarantee) of the largest bump `t` in `[tLo, tHi]` whose netted
   * collateral stays at most `cap`: bisection (geometric while the bracket spans powers of two)
   * on the continuous model `max_i (f_i - off_i - min(b, u(t) h_i(t)))` with `u(t)` the root of
   * `sum w min(b, u h)^2 = budget`. The size search only uses it to order its first intervals
   * (`largestFeasibleSize`'s `hint`): a wrong estimate costs time, never the answer. NaN when
   * the model does not settle.
   */
  estimateSize(tLo: number, tHi: number, cap: number): number {
    // A quarter of the scale plateau's width in t at the last model root: finer estimates
    // land in the same plateau, whose exact ends the hints then find.
    let quarterPlateau = 0;
    // The last two evaluations, remembered (the bracket's ends are asked again).
    let t1 = NaN;
    let v1 = NaN;
    let t2 = NaN;
    let v2 = NaN;
    const costAt = (t: number): number => {
      if (t === t1) return v1;
      if (t === t2) return v2;
      this.setBump(t);
      const u = this.continuousRoot();
      const v = !(u > 0) || !Number.isFinite(u) ? NaN : this.modelCost(u);
      if (v === v) quarterPlateau = this.plateauWidth(u) / 4;
      t2 = t1;
      v2 = v1;
      t1 = t;
      v1 = v;
      return v;
    };
    // A first bracket by factors of 4 from t = cap (a buy's cost grows about linearly, a
    // little below t; a sell's size is of the order of what it leaves): usually one or two
    // evaluations instead of the geometric bisection from [tLo, tHi].
    let lo = tLo;
    let hi = tHi;
    const sign = tHi < 0 ? -1 : 1;
    let x = Math.min(tHi, Math.max(tLo, sign * Math.round(cap)));
    for (let k = 0; k < 8 && x > lo && x < hi; k++) {
      const v = costAt(x);
      if (v !== v) break;
      if (v <= cap) {
        lo = x;
        x = Math.min(hi, x > 0 ? x * 4 : Math.ceil(x / 4));
      } else {
        hi = x;
        x = Math.max(lo, x > 0 ? Math.floor(x / 4) : x * 4);
      }
    }
    return estimateLargest(costAt, lo, hi, cap, () => quarterPlateau);
  }

  /**
   * The model's plateau width in t at root `u` (scale c = 1e9 u): one unit of c moves
   * `S` by `2 sum w g h / 1e9 ~ 2 budget / (1e9 u)`, one unit of t by `2 u sum_range w g`, so
   * `dt ~ budget / (1e9 u^2 sum_range w min(b, u h))` (an estimate; 0 when degenerate).
   */
  private plateauWidth(u: number): number {
    const { h, w, b, dirW } = this;
    let sum = 0;
    for (let i = this.i0; i <= this.i1; i++) {
      const m = h[i]! * u;
      sum += w[i]! * (m < b ? m : b) * dirW[i]!;
    }
    const v = this.bd / (E9 * u * u * sum);
    return Number.isFinite(v) && v > 0 ? v : 0;
  }

  /**
   * The continuous model's cost at root `u` for the current bump: `max(0, max (f - off - min(b, u h)))`
   * over every point (offsets) or over the range and the out-of-range point of largest `f`.
   */
  private modelCost(u: number): number {
    const { f, h, b, off, n, i0, i1 } = this;
    let worst = 0;
    if (this.hasOffset) {
      for (let i = 0; i < n; i++) {
        const m = h[i]! * u;
        const d = f[i]! - off[i]! - (m < b ? m : b);
        if (d > worst) worst = d;
      }
      return worst;
    }
    for (let i = i0; i <= i1; i++) {
      const m = h[i]! * u;
      const d = f[i]! - off[i]! - (m < b ? m : b);
      if (d > worst) worst = d;
    }
    const j = this.iMaxOut;
    if (j >= 0) {
      const m = h[j]! * u;
      const d = f[j]! - off[j]! - (m < b ? m : b);
      if (d > worst) worst = d;
    }
    return worst;
  }

  /**
   * The exact ends of the canonical-scale plateaus around bump `t`: with `c = c(t)` and
   * `T(x)` the largest bump in `[lo, hi]` with `S(x; T) <= budget` (`S` grows with `t` at a
   * fixed scale, so bump `u` has scale `x` exactly when `T(x + 1) < u <= T(x)`), returns
   * `[[T(c + 2), c + 2], [T(c + 1), c + 1], [T(c), c], [T(c - 1), c - 1]]` (along a direction
   * without `c + 2`) when those ends are
   * strictly increasing (each plateau non-empty), else null. Exact passes only (range points,
   * out-of-range part cached per scale); galloping from `t` then bisection.
   */
  plateauEnds(t: number, lo: number, hi: number): [number, number][] | null {
    this.firstEndExact = false;
    const c = this.directed ? this.centerScale(t) : Number(this.exactScale(t));
    if (!(c >= 2) || c + 2 >= FAST_C_MAX) return null;
    const passesAt = (x: number, u: number): boolean => {
      // Next to the last pass at this scale: its exact verdict from that pass's limbs.
      const near = this.passesNear(x, u);
      if (near !== undefined) return near;
      this.setBump(u);
      return this.passesNumber(x);
    };
    // Largest u in [lo, hi] with S(x; u) <= budget, from a start `from` (or null if none).
    const end = (x: number, from: number): number | null => {
      const k = x / E9;
      // a: the largest bump known to pass, b: the smallest known to fail (NaN: none yet).
      let a = NaN;
      let b = NaN;
      let u = from;
      let step = 1;
      for (let probe = 0; ; probe++) {
        if (passesAt(x, u)) a = u;
        else b = u;
        if (a === hi) return hi;
        if (b === lo) return null;
        if (b - a === 1) return a;
        // The first probes step by Newton on the pass's residual (budget - S, exact in sign,
        // within a unit or two of the end at 2^56 where the float prediction is tens off);
        // then galloping and bisection. Any probe order finds the same end (S grows with u).
        let next = NaN;
        if (probe < 4) {
          const slope = this.rangeSlope(k);
          if (slope > 0) next = u + Math.floor(this.lastResidual / slope);
          // Newton stays at the probe (the residual is below one unit's step, b = 2^56: the
          // floors make S uneven by more than that): the end is probably this probe, so its
          // neighbour on the other side decides it (instead of a bisection step).
          if (u === a && next <= a) next = a + 1;
          else if (u === b && next >= b) next = b - 1;
        }
        if (a === a && b === b) {
          if (!(next > a && next < b)) next = a + Math.floor((b - a) / 2);
        } else if (a === a) {
          if (!(next > a)) {
            next = a + step;
            step *= 2;
          }
        } else if (!(next < b)) {
          next = b - step;
          step *= 2;
        }
        u = Math.min(hi, Math.max(lo, next));
      }
    };
    // Where S(x; u) reaches the budget in floats (Newton on the range's part, the out-of-range
    // part exact-floored from the cache, a mean floor loss of 1/2 per range value): the
    // galloping then starts within a few units of the end.
    const predict = (x: number, u0: number): number => {
      const out = this.outPart(x, splitNumber(x, this.split))[0];
      const { f, w, b, i0, i1, bd, dirW } = this;
      const k = x / E9;
      let u = u0;
      // Along a direction h itself is floored (floor(u phi / 1e9)): a mean loss of 1/2 there too.
      const hLoss = this.directed ? 0.5 : 0;
      for (let iter = 0; iter < 6; iter++) {
        let sum = out;
        let slope = 0;
        for (let i = i0; i <= i1; i++) {
          const dw = dirW[i]!;
          const hv = f[i]! + u * dw - (dw !== 0 ? hLoss : 0);
          const m = (hv > 0 ? hv : 0) * k;
          if (m >= b) {
            sum += w[i]! * b * b;
          } else if (m > 0.5) {
            sum += w[i]! * (m - 0.5) * (m - 0.5);
            slope += 2 * w[i]! * (m - 0.5) * k * dw;
          }
        }
        if (!(slope > 0)) break;
        const next = u + (bd - sum) / slope;
        if (!Number.isFinite(next)) break;
        const v = Math.min(hi, Math.max(lo, Math.round(next)));
        // Within a unit or two of the fixed point (Newton's steps shrink quadratically): the
        // exact steps of `end` take it from there.
        const stepped = v - u;
        u = v;
        if (stepped <= 2 && stepped >= -2) break;
      }
      return u;
    };
    if (this.directed) return this.directedEnds(c, t, lo, hi, end, predict, passesAt);
    const out: [number, number][] = [];
    let from = t;
    for (const x of [c, c + 1, c + 2]) {
      const e = end(x, predict(x, from));
      if (e === null) return null;
      out.unshift([e, x]);
      from = e;
    }
    const last = end(c - 1, predict(c - 1, out[out.length - 1]![0] + 1));
    if (last === null) return null;
    out.push([last, c - 1]);
    return this.keepEnds(out, hi);
  }

  /**
   * `out` if its ends strictly increase (each plateau non-empty), else null; each end below `hi`
   * passes at its scale and fails one unit right of it: kept as facts for [`scaleBounds`].
   */
  private keepEnds(out: [number, number][], hi: number): [number, number][] | null {
    for (let k = 1; k < out.length; k++) if (!(out[k]![0] > out[k - 1]![0])) return null;
    for (const [e, x] of out) if (e < hi) this.plateauFacts.push(e, x);
    return out;
  }

  /**
   * [`plateauEnds`] along a direction: `T(c)` from the estimate, `T(c - 1)` right of it, then
   * `T(c + 1)` (a plateau's width left of `T(c)` when the float model's end is more than a few
   * units from it: b = 2^56), last, so that its pass stays the probes' base ([`passesNear`]) for
   * the size search, whose answer is usually that end (the model's floors lose less than the
   * exact ones), and `T(c + 1)`'s own scale from a probe next to it (`c + 2` fails there).
   */
  private directedEnds(
    c: number,
    t: number,
    lo: number,
    hi: number,
    end: (x: number, from: number) => number | null,
    predict: (x: number, u0: number) => number,
    passesAt: (x: number, u: number) => boolean,
  ): [number, number][] | null {
    const tc = end(c, predict(c, t));
    if (tc === null) return null;
    const tl = end(c - 1, predict(c - 1, Math.min(hi, tc + 1)));
    if (tl === null) return null;
    const modelled = predict(c + 1, tc);
    const stepped = Math.max(lo, tc - (tl - tc));
    const tr = end(c + 1, Math.abs(modelled - stepped) > 4 ? stepped : modelled);
    if (tr === null) return null;
    const out: [number, number][] = [
      [tr, c + 1],
      [tc, c],
      [tl, c - 1],
    ];
    if (this.keepEnds(out, hi) === null) return null;
    this.firstEndExact = !passesAt(c + 2, tr);
    return out;
  }

  /**
   * Exact plateau ends `T(x)` found by [`plateauEnds`] (pairs `T, x`): `S(x; T) <= budget <
   * S(x; T + 1)`, so `c(t) >= x` for `t <= T` and `c(t) <= x - 1` for `t > T` (`S` grows with
   * `t`). Cleared with the direction.
   */
  private readonly plateauFacts: number[] = [];

  /**
   * A scale at or next to `c(t)` for centering [`plateauEnds`] along a direction: the float
   * estimate inside tight certified bounds (ends found for any scale are exact; only which
   * plateaus they bound depends on it), else the exact scale (every probe there is a full pass).
   */
  private centerScale(t: number): number {
    const bd = this.scaleBounds(t);
    if (bd !== null && bd.hi - bd.lo <= 8) return Math.min(bd.hi, Math.max(bd.lo, Math.round(this.est)));
    return Number(this.exactScale(t));
  }

  /** The last [`plateauEnds`] checked that its first end has the scale of its plateau. */
  firstEndExact = false;

  /** Exact canonical scale, searching from the bracket hint (`lo` passes / `hi` fails if known). */
  private exactSearch(lo: number, loKnown: boolean, hi: number, hiKnown: boolean): bigint {
    const guess = Math.round(this.est);
    if (loKnown && hiKnown && guess > lo && guess < hi) {
      // Probe the estimate and its neighbour first (usually settles it in two passes).
      if (this.passesNumber(guess)) {
        lo = guess;
        if (guess + 1 < hi) {
          if (this.passesNumber(guess + 1)) lo = guess + 1;
          else hi = guess + 1;
        }
      } else {
        hi = guess;
        if (guess - 1 > lo) {
          if (this.passesNumber(guess - 1)) lo = guess - 1;
          else hi = guess - 1;
        }
      }
    }
    if (!loKnown) {
      if (this.passesNumber(lo)) {
        loKnown = true;
      } else {
        hi = lo;
        hiKnown = true;
        let step = 1;
        for (;;) {
          const cand = hi - step;
          if (cand <= 0) {
            lo = 0; // S(0) = 0 <= budget: 0 always passes.
            break;
          }
          if (this.passesNumber(cand)) {
            lo = cand;
            break;
          }
          hi = cand;
          step *= 2;
        }
      }
    }
    if (!hiKnown) {
      let step = Math.max(1, hi - lo);
      for (;;) {
        const cand = lo + step;
        if (cand >= FAST_C_MAX) return this.exactGeneric();
        if (!this.passesNumber(cand)) {
          hi = cand;
          break;
        }
        lo = cand;
        step *= 2;
      }
    }
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.passesNumber(mid)) lo = mid;
      else hi = mid;
    }
    return BigInt(lo);
  }

  /** The literal `canonical_scale_curve` bisection on the exact kernel (rare cases). */
  private exactGeneric(): bigint {
    if (this.passesBig(U64_MAX)) throw new MathError("NormConstraintViolated");
    let lo = 0n;
    let hi = U64_MAX;
    while (hi - lo > 1n) {
      const mid = lo + (hi - lo) / 2n;
      if (this.passesBig(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Exact `collateral_for_bump` for the current bump, with an optional continuous root. */
  private exactBump(u: number, cL: number, lowerOK: boolean, cU: number, upperOK: boolean): {
    c: bigint;
    coll: number;
  } {
    let c: bigint;
    if (lowerOK || upperOK) {
      c = this.exactSearch(lowerOK ? cL : cU - 1, lowerOK, upperOK ? cU : cL + 1, upperOK);
    } else if (u > 0 && u * E9 < FAST_C_MAX / 2) {
      c = this.exactSearch(Math.floor(u * E9), false, Math.floor(u * E9) + 1, false);
    } else {
      c = this.exactGeneric();
    }
    let coll: number;
    if (c < FAST_C_MAX_BIG) {
      const cn = Number(c);
      coll = this.passC === cn ? this.passColl : this.collateralAt(cn);
    } else {
      coll = this.collateralSplit(splitBig(c, this.split));
    }
    return { c, coll };
  }

  /** Exact `collateral_for_bump(t)`. */
  collateralForBump(t: number): { c: bigint; coll: number } {
    this.setBump(t);
    this.est = -1;
    const u = this.continuousRoot();
    return this.exactBump(u, 0, false, 0, false);
  }

  /**
   * Certified bounds `lo <= c(t) <= hi` on the canonical scale of bump `t` (Numbers), or null
   * when the float route does not certify both sides (then the caller computes `c` exactly).
   * Fast route: one step of the root iteration from `u0 = sqrt(budget / sum w h^2)`, then one
   * certifying pass around it ([`certify`]); the full root iteration only when that fails.
   * The bracket stays in `cL`, `cU`, `lowerOK`, `upperOK` for a following [`exactScale`].
   */
  scaleBounds(t: number): { lo: number; hi: number } | null {
    this.setBump(t);
    return this.boundsWithFacts(t);
  }

  /** [`scaleBounds`] of any i64 size along a direction ([`setSize`]). */
  scaleBoundsOfSize(t: bigint): { lo: number; hi: number } | null {
    this.setSize(t);
    return this.boundsWithFacts(this.t);
  }

  /** The certified bounds of the current bump `t`, tightened by the plateau facts. */
  private boundsWithFacts(t: number): { lo: number; hi: number } | null {
    const bd = this.currentScaleBounds();
    const facts = this.plateauFacts;
    if (bd === null || facts.length === 0 || t !== t) return bd;
    // Tightened by the plateau ends known (a cut one unit right of an end has that end's scale
    // less one at most: its part is then pruned with one bound instead of bisected).
    let { lo, hi } = bd;
    for (let k = 0; k < facts.length; k += 2) {
      if (t <= facts[k]!) lo = Math.max(lo, facts[k + 1]!);
      else hi = Math.min(hi, facts[k + 1]! - 1);
    }
    return lo <= hi ? { lo, hi } : bd;
  }

  /**
   * [`scaleBounds`] of an arbitrary target `h` along the direction (a size outside the exact
   * domain: the float bounds only read the doubles of `h`, correctly rounded here). Exact
   * passes are refused until the next in-domain [`setBump`].
   */
  scaleBoundsOf(hv: readonly bigint[]): { lo: number; hi: number } | null {
    if (!this.directed) throw new MathError("InvalidRange");
    const h = this.h;
    for (let i = 0; i < this.n; i++) h[i] = Number(hv[i] as bigint);
    this.t = NaN;
    this.passC = -1;
    this.est = -1;
    this.limbsExact = false;
    this.hSlack = 0;
    this.sumWH2 = this.inRangeSumSq();
    return this.currentScaleBounds();
  }

  /** The certified bounds of [`scaleBounds`] for the current `h`. */
  private currentScaleBounds(): { lo: number; hi: number } | null {
    kernelWork.scaleBounds++;
    this.lowerOK = false;
    this.upperOK = false;
    this.lastU = NaN;
    if (this.hSlack !== this.hSlack) return null;
    const bd = this.bd;
    if (this.sumWH2 > 0 && bd > 0) {
      const u0 = Math.sqrt(bd / this.sumWH2);
      this.capPass(u0);
      const aSum = this.paSum;
      const wm = this.pwm;
      const rem = bd - this.pcSum;
      if (aSum > 0 && rem > 0) {
        const u1 = Math.sqrt(rem / aSum);
        this.lastU = u1;
        // sum w min(b, h u1) <= (u1 / u0) * sum w min(b, h u0); the uncapped part at u1 is rem.
        // S(c) >= T(c) - 2 sum w m and T(u (1 + rho)) - T(u) ~ 2 rho rem: rho ~ wm / rem.
        if (this.certify(u1, (wm * (u1 / u0)) / rem, 1.2)) return { lo: this.cL, hi: this.cU - 1 };
      }
    }
    const u = this.continuousRoot();
    if (u > 0 && Number.isFinite(u)) {
      this.lastU = u;
      if (this.certify(u, this.wm / this.uncappedSq, 2)) return { lo: this.cL, hi: this.cU - 1 };
    }
    return null;
  }

  /** Exact canonical scale of bump `t`, seeded by the bracket of [`scaleBounds`]. */
  exactScale(t: number): bigint {
    this.scaleBounds(t);
    return this.exactBump(this.lastU, this.cL, this.lowerOK, this.cU, this.upperOK).c;
  }

  /**
   * [`exactScale`] of any i64 size along a direction ([`setSize`]); the caller checks
   * [`inDomain`] after `setSize(t)` (outside it, a size has no exact pass here).
   */
  exactScaleOfSize(t: bigint): bigint {
    this.scaleBoundsOfSize(t);
    return this.exactBump(this.lastU, this.cL, this.lowerOK, this.cU, this.upperOK).c;
  }

  /** [`collateralLowerBound`] of any i64 size along a direction (in the domain, as above). */
  collateralLowerBoundOfSize(t: bigint, c: bigint): number {
    this.setSize(t);
    if (this.tBig === null) return this.collateralLowerBound(this.t, c);
    if (c < FAST_C_MAX_BIG) return this.directionLowerBound(Number(c));
    return this.collateralSplit(splitBig(c, this.split));
  }

  /** Exact `collateral_at(t, c)` of any i64 size along a direction (in the domain, as above). */
  collateralAtSize(t: bigint, c: bigint): number {
    this.setSize(t);
    if (this.tBig === null) return this.collateralAtBump(this.t, c);
    if (c < FAST_C_MAX_BIG) return this.collateralAt(Number(c));
    return this.collateralSplit(splitBig(c, this.split));
  }

  /**
   * A lower bound of `collateral_at(t, c)`: the exact `f_i - g_i` maximised over the range and
   * the two out-of-range points of smallest and largest `f` only (a subset of the points, so
   * never above the full maximum; the full maximum is near those two because `f - m(f)` is
   * convex in `f`).
   */
  collateralLowerBound(t: number, c: bigint): number {
    this.setBump(t);
    if (this.directed && c < FAST_C_MAX_BIG) return this.directionLowerBound(Number(c));
    this.ensureSplit();
    const small = c < FAST_C_MAX_BIG;
    const s = small ? splitNumber(Number(c), this.split) : splitBig(c, this.split);
    const { h, hH, hL, b, bH, bL, netH, netL } = this;
    let coll = 0;
    if (this.hasOffset) {
      // With offsets the out-of-range maximum can sit at any point (a position's worst loss is
      // where it lost, not where f is extreme): take it exactly, cached per scale (those points
      // do not move with t). Without it the bound misses the binding point and prunes nothing.
      coll = small ? this.outPart(Number(c), s)[1] : this.scanCollateral(s, 0, this.n, 0);
      for (let i = this.i0; i <= this.i1; i++) {
        gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
        const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
        if (d > coll) coll = d;
      }
      return coll;
    }
    const last = this.i1 + (this.iMinOut >= 0 ? 3 : 0);
    for (let k = this.i0; k <= last; k++) {
      const i = k <= this.i1 ? k : k === this.i1 + 1 ? this.iMinOut : k === this.i1 + 2 ? this.iMaxOut : this.iMaxOff;
      gWide(s, hH[i]!, hL[i]!, h[i]!, b, bH, bL);
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
    }
    return coll;
  }

  /**
   * [`collateralLowerBound`] along a direction: the exact terms `f_i - P_i - g_i` of the two
   * points whose float terms (from the float `h`) are largest, without the other points' limbs
   * (a subset of the points: never above the maximum; float errors only pick the points).
   */
  private directionLowerBound(c: number): number {
    if (!this.limbsExact) throw new OutsideKernelDomain();
    const { n, f, off, h, b, bH, bL, netH, netL } = this;
    const k = c / E9;
    let i1 = -1;
    let i2 = -1;
    let v1 = -Infinity;
    let v2 = -Infinity;
    for (let i = 0; i < n; i++) {
      const m = h[i]! * k;
      const v = f[i]! - off[i]! - (m < b ? m : b);
      if (v > v2) {
        if (v > v1) {
          v2 = v1;
          i2 = i1;
          v1 = v;
          i1 = i;
        } else {
          v2 = v;
          i2 = i;
        }
      }
    }
    const sc = splitNumber(c, this.split);
    const st = this.splitStale ? this.sizeSplit() : null;
    let coll = 0;
    for (let k = 0; k < 2; k++) {
      const i = k === 0 ? i1 : i2;
      if (i < 0) continue;
      let hi: number;
      let lo: number;
      const dw = this.dirW[i]!;
      if (st !== null && dw !== 0) {
        directionLimbsAt(st, (dw > 0) === (this.t > 0), this.fH[i]!, this.fL[i]!, this.ws.phH[i]!, this.ws.phL[i]!);
        hi = rawHi;
        lo = rawLo;
      } else if (st !== null) {
        hi = this.fH[i]!;
        lo = this.fL[i]!;
      } else {
        hi = this.hH[i]!;
        lo = this.hL[i]!;
      }
      gWide(sc, hi, lo, h[i]!, b, bH, bL);
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
    }
    return coll;
  }

  /**
   * [`collateralLowerBound`] of a buy along `phi >= 0` (`0 < t < 2^53`, `c < 2^52`) without
   * moving the kernel to `t` (one loop: the float `h = f + t phi / 1e9` picks the two points
   * as [`directionLowerBound`] does, their exact limbs give the terms), or NaN when the size
   * is not such a buy or its float `h` is near 2^57 (then the caller takes the general route).
   */
  buyLowerBound(t: number, c: number): number {
    if (!this.directed || !this.dirNonNegative || !(t > 0 && t < DIRECTION_T_MAX) || !(c < FAST_C_MAX)) return NaN;
    const { n, f, off, b, bH, bL, netH, netL, dirW } = this;
    const k = c / E9;
    let i1 = -1;
    let i2 = -1;
    let v1 = -Infinity;
    let v2 = -Infinity;
    let top = 0;
    for (let i = 0; i < n; i++) {
      const hv = f[i]! + t * dirW[i]!;
      if (hv > top) top = hv;
      const m = hv * k;
      const v = f[i]! - off[i]! - (m < b ? m : b);
      if (v > v2) {
        if (v > v1) {
          v2 = v1;
          i2 = i1;
          v1 = v;
          i1 = i;
        } else {
          v2 = v;
          i2 = i;
        }
      }
    }
    // The domain test of [`directionBump`] for buys.
    if (!(top < 2 ** 57 * (1 - 2 ** -30))) return NaN;
    const sc = splitNumber(c, this.split);
    const st = splitNumber(t, this.tSplit);
    let coll = 0;
    for (let j = 0; j < 2; j++) {
      const i = j === 0 ? i1 : i2;
      if (i < 0) continue;
      let hi = this.fH[i]!;
      let lo = this.fL[i]!;
      if (dirW[i] !== 0) {
        directionLimbsAt(st, true, hi, lo, this.ws.phH[i]!, this.ws.phL[i]!);
        hi = rawHi;
        lo = rawLo;
      }
      gWide(sc, hi, lo, hi * E9 + lo, b, bH, bL);
      const d = (netH[i]! - gHi) * E9 + (netL[i]! - gLo);
      if (d > coll) coll = d;
    }
    return coll;
  }

  /**
   * A lower bound of the netted collateral at EVERY buy size `t` in `[a, bSize]` along `phi >= 0`,
   * from two facts about the canonical scale `c(t)` there (sizes of [`setSize`], bounds of
   * [`scaleBounds`]: `c(a) <= caHi < 2^52`, `c(bSize) <= cbHi`):
   *  - `c(t) <= c(a)` (a buy never raises the scale), and
   *  - `c(t) t <= Z bSize` for any `Z` at which the norm of `m(Z) = min(b, Z h(bSize) / 1e9)`, each
   *    point lowered by `1 + caHi / 1e9` units, already exceeds the budget. Because `f >= 0`,
   *    `phi >= 0`: `h(t) >= (t / bSize) h(bSize) - 1`, so at `x = c(t)` and `z = x t / bSize`,
   *    `g(t, x) >= m(z) - x / 1e9 - 1`, and those lowered values keep the norm: `z < Z`.
   * With `H_i(t) = f_i + t phi_i / 1e9 >= h_i(t)`, `c(t) h_i(t) <= min(c(a), Z bSize / t) H_i(t)`,
   * whose largest value over the interval is at `t0 = Z bSize / c(a)` clamped to it (below t0 it
   * grows with t, above it `Z bSize (f_i / t + phi_i / 1e9)` falls): the collateral is at least
   * `f_i - P_i` less that over 1e9 at every point `i`. The one-size bound (`c(a)` against
   * `h(bSize)`) takes the largest scale and the largest `h` together; where `c(t) h_i(t)` barely
   * moves (the scale falling as fast as `h` grows, or `c(t) t` converging far right of the
   * answer) this one is much tighter. Floats with outward margins (2^-48 relative, a unit per
   * step); 0 when nothing can be certified.
   */
  rescaledLowerBound(a: bigint, bSize: bigint, caHi: number, cbHi: number): number {
    if (!this.directed || !this.dirNonNegative || !(a >= 1n && bSize > a) || !(caHi >= 0 && caHi < FAST_C_MAX) || !(cbHi >= 0)) return 0;
    this.setSize(bSize);
    if (this.hSlack !== this.hSlack) return 0;
    const { n, f, h, w, b, netH, netL } = this;
    const up = 1 + 2 ** -48;
    const down = 1 - 2 ** -48;
    // Z: one scale a little past cbHi (2^-20 relative: the lowered values need a few units, and
    // a second try would cost another loop) whose lowered norm exceeds the budget.
    const loss = 1 + caHi * INV_E9 * up + this.hSlack * (cbHi * 2 * INV_E9 + 1) + 1;
    const z = Math.ceil((cbHi + 1) * (1 + 2 ** -20)) + 2;
    const x = z * INV_E9 * down;
    let lu = 0;
    for (let i = 0; i < n; i++) {
      let m = h[i]! * x;
      if (m > b) m = b;
      const v = m * down - loss;
      if (v > 0) lu += w[i]! * v * v;
    }
    if (!(lu * (1 - this.delta2 - 2 ** -48) > this.bd * (1 + 2 * U))) return 0;
    const bN = Number(bSize);
    const aN = Number(a);
    // t0 / bSize, rounded up (a larger t0 only loosens the bound where it is used).
    const tStar = ((z * bN) / (caHi > 0 ? caHi : 1)) * up;
    const zk = z * INV_E9 * up;
    const ck = caHi * INV_E9 * up;
    const ratio = (bN / aN) * up * up;
    const tau = (tStar / bN) * up;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      const fi = f[i]!;
      // H(bSize): the float f + bSize phi / 1e9 (or the floored value): one unit covers both.
      const hb = (h[i]! + 1) * up;
      const rise = hb - fi;
      let g: number;
      if (tStar >= bN) g = hb * ck; // t0 = bSize: c(a) H(bSize)
      else if (tStar <= aN) g = (hb + (ratio - 1) * fi) * up * zk; // t0 = a: Z (bSize / a) H(a)
      else g = (fi + tau * rise) * up * ck; // c(a) H(t0)
      g = g * up + 1;
      if (g > b) g = b;
      const net = netH[i]! * E9 + netL[i]!;
      const term = net - (net < 0 ? -net : net) * 2 ** -48 - 1 - g;
      if (term > coll) coll = term;
    }
    return Math.floor(coll);
  }

  /** `tailScale` per scale allowance (see there), for the current direction. */
  private readonly tailScales = new Map<number, number>();

  /**
   * A bound `X` on `c t / 1e9` at every buy size `t` along `phi >= 0` whose canonical scale is at
   * most `units 1e9`: were `c t >= X 1e9`, every point would keep `g_i >= min(b, X phi_i / 1e9 -
   * units - 1)` (`floor(t phi_i / 1e9) >= t phi_i / 1e9 - 1`, `f_i >= 0`, one unit for the floor of
   * g), and those values' norm exceeds the budget, so `c` would not be canonical. The least such
   * `X` to 2^-20 relative, by doubling then bisection on that norm (floats with outward
   * margins); NaN when even every point at `b` stays within the budget (no such bound).
   */
  private tailScale(units: number): number {
    const hit = this.tailScales.get(units);
    if (hit !== undefined) return hit;
    const { n, w, b, dirW, bd } = this;
    const down = 1 - 2 ** -44;
    const exceeds = (x: number): boolean => {
      let lu = 0;
      for (let i = 0; i < n; i++) {
        let m = x * dirW[i]! * down - units - 1;
        if (m > b) m = b;
        if (m > 0) lu += w[i]! * m * m;
      }
      return lu * (1 - this.delta2 - 2 ** -44) > bd * (1 + 2 * U);
    };
    let free = 0;
    for (let i = 0; i < n; i++) free += w[i]! * dirW[i]! * dirW[i]!;
    // Without caps, floors and allowance the norm reaches the budget at sqrt(B / ||phi / 1e9||^2).
    let hi = free > 0 ? Math.sqrt(bd / free) : NaN;
    let steps = 0;
    while (hi === hi && !exceeds(hi)) hi = ++steps > 64 ? NaN : hi * 2;
    if (hi === hi) {
      let lo = hi / 2;
      while (hi - lo > hi * 2 ** -20) {
        const mid = (lo + hi) / 2;
        if (exceeds(mid)) hi = mid;
        else lo = mid;
      }
    }
    this.tailScales.set(units, hi);
    return hi;
  }

  /**
   * A lower bound of the netted collateral at EVERY buy size `t >= a` along `phi >= 0` (no upper
   * end), given `c(a) <= caHi`. The scale falls as `t` grows (`c(t) <= caHi`) and `c(t) t / 1e9`
   * stays below `X` ([`tailScale`]), so `c(t) h_i(t) / 1e9 <= caHi f_i / 1e9 + X phi_i / 1e9`:
   * the collateral is at least `f_i - P_i` less that at every point. Far right of the answer the
   * market's curve is all but gone from `g` (`caHi f_i` small) and `g` tends to the belief's
   * shape at the norm's scale, whose collateral is the limit of the cost: this settles the whole
   * far end of the search at once, where the interval bounds (which scale with the interval's
   * right end) see every point capped. Floats with outward margins; 0 when nothing can be certified.
   */
  tailLowerBound(a: bigint, caHi: number): number {
    if (!this.directed || !this.dirNonNegative || !(a >= 1n) || !(caHi >= 0 && caHi < FAST_C_MAX)) return 0;
    const units = Math.ceil(caHi * INV_E9 * (1 + 2 ** -44));
    const x = this.tailScale(units);
    if (x !== x) return 0;
    const { n, f, b, dirW, netH, netL } = this;
    const up = 1 + 2 ** -44;
    const ck = caHi * INV_E9 * up;
    const xk = x * up;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      let g = (f[i]! * ck + dirW[i]! * xk) * up + 1;
      if (g > b) g = b;
      const net = netH[i]! * E9 + netL[i]!;
      const term = net - (net < 0 ? -net : net) * 2 ** -44 - 1 - g;
      if (term > coll) coll = term;
    }
    return Math.floor(coll);
  }

  /**
   * A lower bound of the netted collateral at EVERY buy size `t` in `[a, bSize]` along `phi >= 0`
   * from the norm itself (floats only, no kernel move), given `c(a) <= caHi` and `c(bSize) >= cbLo`.
   * With `u = c(t) / 1e9`:
   *  1. Points with `caHi H_j(bSize) < b 1e9` (`J`) are never capped on the interval; every other
   *     point keeps `g_j >= L_j = min(b, cbLo h_j(a) / 1e9 - 1)`. So the canonical scale's norm gives
   *     `sum_J w (u h_j(t) - 1)_+^2 <= B_J = B - sum_{not J} w L_j^2`, and since
   *     `(x - 1)_+^2 >= x^2 - 2x`: `u <= sqrt(B_J) / ||h(t)||_J + 2 Y / X` (`X = ||h(t)||_J^2`,
   *     `Y = sum_J w h_j(t)`, both bounded by their values at the ends).
   *  2. `h(t)` is within one unit of `h(a) + s phi` (`s = (t - a) / 1e9`), so
   *     `u h_i(t) <= sqrt(B_J) kappa max_s (alpha + s phi_i) / ||h(a) + s phi||_J + eps_i` with
   *     `alpha = h_i(a) + 1` and `kappa` the one-unit shift of the norm (`1 / (1 - ||1||_J / ||h(a)||_J)`).
   *  3. `r(s) = (alpha + s phi_i)^2 / (A + 2 P s + Q s^2)` (`A = ||h(a)||_J^2`, `P = <h(a), phi>_J`,
   *     `Q = ||phi||_J^2`) changes direction where `N(s) = (phi_i A - alpha P) + s (phi_i P - alpha Q)`
   *     changes sign, a linear function: its largest value on `[0, S]` is at an end when `N` has one
   *     sign there (or `N` rises through 0), and never above `(phi_i^2 A - 2 alpha phi_i P + alpha^2 Q)
   *     / (QA - P^2)` (its largest value over all `s`, the discriminant condition) otherwise.
   * The collateral is then at least `f_i - P_i - min(b, that + 1)` at every point `i`. Unlike the
   * bounds from the scales at the interval's ends, this one follows `c(t) h_i(t)` itself, which
   * barely moves where a belief is close to the market: the search right of such answers
   * prunes plateaus by hundreds instead of bisecting to them. Outward float margins; 0 when
   * nothing can be certified. `gMaxOut` (tests): each point's upper bound of `g_i(t)` on the
   * interval (`b` where it has none of its own).
   */
  normRatioLowerBound(a: bigint, bSize: bigint, caHi: number, cbLo: number, gMaxOut?: Float64Array): number {
    if (!this.directed || !this.dirNonNegative || !(a >= 1n && bSize > a) || !(caHi >= 0 && caHi < FAST_C_MAX) || !(cbLo >= 0)) return 0;
    const { n, f, w, b, dirW, netH, netL } = this;
    const aN = Number(a);
    const bN = Number(bSize);
    const up = 1 + 2 ** -44;
    const down = 1 - 2 ** -44;
    const ka = caHi * INV_E9 * up;
    const kb = cbLo * INV_E9 * down;
    const bDown = b * down;
    let A = 0;
    let P = 0;
    let Q = 0;
    let wJ = 0;
    let yB = 0;
    let lSq = 0;
    for (let j = 0; j < n; j++) {
      const fj = f[j]!;
      const dj = dirW[j]!;
      const hb = (fj + bN * dj) * up;
      const haLo = (fj + aN * dj) * down - 1;
      const wj = w[j]!;
      if (hb * ka < bDown) {
        const ha = haLo > 0 ? haLo : 0;
        const phj = dj * E9;
        A += wj * ha * ha;
        P += wj * ha * phj;
        Q += wj * phj * phj;
        wJ += wj;
        yB += wj * hb;
      } else {
        let l = (haLo > 0 ? haLo : 0) * kb - 1;
        if (l > b) l = b;
        if (l > 0) lSq += wj * l * l;
      }
    }
    // Lower bounds of A, P, Q (every term >= 0): q(s) = A + 2 P s + Q s^2 from below.
    A *= down;
    P *= down;
    Q *= down;
    const bJ = this.bd * up - lSq * down;
    if (!(A > 0) || !(bJ > 0)) return 0;
    const rootA = Math.sqrt(A);
    const shift = Math.sqrt(wJ * up) / rootA;
    if (!(shift < 0.5)) return 0;
    const kappa = (1 / (1 - shift)) * up;
    const rootB = Math.sqrt(bJ) * up;
    const sMax = ((bN - aN) * INV_E9) * up;
    const qA = Q * A;
    const det = qA - P * P;
    // The global maximum's formula loses digits as h(a) and phi line up: its margin grows with that.
    const detOk = det > qA * 2 ** -20;
    const detMargin = 1 + (qA / det) * 2 ** -40;
    const qS = A + 2 * sMax * P + sMax * sMax * Q;
    let coll = 0;
    for (let i = 0; i < n; i++) {
      const fi = f[i]!;
      const dj = dirW[i]!;
      const hbI = (fi + bN * dj) * up;
      const alpha = (fi + aN * dj) * up + 1;
      const ph = dj * E9;
      // N at both ends, with their rounding errors (a sign is trusted only past them).
      const n0 = ph * A - alpha * P;
      const n1 = ph * P - alpha * Q;
      const nS = n0 + sMax * n1;
      const e0 = (ph * A + alpha * P) * 2 ** -42;
      const eS = e0 + sMax * (ph * P + alpha * Q) * 2 ** -42;
      const r0 = (alpha * alpha) / A;
      const end = alpha + sMax * ph;
      const rS = (end * end) / qS;
      let r: number;
      if (n0 <= -e0 && nS <= -eS) r = r0;
      else if (n0 >= e0 && nS >= eS) r = rS;
      else if (n0 <= -e0 && nS >= eS) r = r0 > rS ? r0 : rS;
      else if (detOk) {
        // At least r(0) (the global maximum's float formula may round below it).
        const top = ((ph * ph * A - 2 * alpha * ph * P + alpha * alpha * Q) / det) * detMargin;
        r = top > r0 ? top : r0;
      } else r = Infinity;
      let g = (rootB * Math.sqrt(r * up) * kappa + (2 * yB * hbI) / A) * up + 1;
      // Also: c(t) h_i(t) <= c(a) h_i(bSize).
      const byA = (hbI + 1) * ka * up + 1;
      if (byA < g) g = byA;
      if (g > b) g = b;
      if (gMaxOut !== undefined) gMaxOut[i] = g;
      const net = netH[i]! * E9 + netL[i]!;
      const term = net - (net < 0 ? -net : net) * 2 ** -44 - 1 - g;
      if (term > coll) coll = term;
    }
    return Math.floor(coll);
  }

  /**
   * The point whose float collateral term `f - P - min(b, c max(0, f + t phi / 1e9) / 1e9)` is
   * largest along the direction (any size, from the doubles only; -1 if none): callers take
   * its exact term as a lower bound of the netted collateral.
   */
  bindingPoint(t: number, c: number): number {
    const { n, f, off, b, dirW } = this;
    const k = c / E9;
    let best = -1;
    let worst = -Infinity;
    for (let i = 0; i < n; i++) {
      const hv = f[i]! + t * dirW[i]!;
      const m = (hv > 0 ? hv : 0) * k;
      const v = f[i]! - off[i]! - (m < b ? m : b);
      if (v > worst) {
        worst = v;
        best = i;
      }
    }
    return best;
  }

  private lastU = NaN;
  private cL = 0;
  private cU = 0;
  private lowerOK = false;
  private upperOK = false;

  /**
   * Certified bracket around `c0 = u 1e9`: `cL = floor(c0 (1 - 2^-44))`, `cU = ceil(c0 (1 + rho)) + 1`,
   * `rho = factor * base + 2^-40` with `base ~ sum w m / sum_uncapped w m^2` (the relative
   * offset that covers the floor loss `g >= m - 1`); also the estimate `c0 (1 + base / 2)` of
   * the canonical c for the exact search (mean floor loss 1/2).
   * In one pass, with `m(c) = min(b, h c / 1e9)` in doubles (relative error < 2^-51.9):
   * - `cL` passes if `sum w m(cL)^2` is below the budget with margin (`S <= T` since floor
   *   only lowers g);
   * - `cU` fails if `sum w (m(cU) - 1)_+^2` is above it (`g >= m - 1`);
   * - then the canonical c is in `[cL, cU)`. A failing `cU < u64::MAX` also proves that the
   *   canonical search does not stop with `NormConstraintViolated`.
   * Returns whether both sides are certified (the flags stay for the exact search).
   */
  private certify(u: number, base: number, factor: number): boolean {
    const c0 = u * E9;
    // A float h (hSlack) may lose a second unit per point: the bracket covers twice the loss.
    const rho = factor * base * (1 + this.hSlack) + 2 ** -40;
    const cL = Math.max(0, Math.floor(c0 * (1 - 2 ** -44)));
    const cU = Math.ceil(c0 * (1 + rho)) + 1;
    this.cL = cL;
    this.cU = cU;
    this.est = c0 * (1 + 0.5 * base);
    this.lowerOK = false;
    this.upperOK = false;
    if (!(cU < FAST_C_MAX) || !(rho < 1)) return false;
    const { w, h, b, m, pw, pf, pf2 } = this;
    const lo = cL / E9;
    const hi = cU / E9;
    const down = 1 - 2 ** -49;
    const up = 1 + 2 ** -49;
    let tl = 0;
    let lu = 0;
    let extra = 0;
    if (m > 0) {
      // Out of range (h = f, sorted): sum w min(b, f x)^2 <= x^2 sum_{<j} w f^2 + b^2 sum_{>=j} w
      // for ANY split j, so the float split is safe. Lower bound at cU: below the float split
      // m >= f hi (1 - 2^-49), at or above it m >= b (1 - 2^-49); (v - 1)_+^2 summed from the
      // prefix sums with the cancellation error bounded by `extra`.
      const xl = lo * up;
      const jl = this.capIndex(xl);
      tl = xl * xl * pf2[jl]! + (pw[m]! - pw[jl]!) * b * b;
      const ju = this.capIndex(hi);
      const hd = hi * down;
      const j1 = Math.min(this.oneIndex(hd), ju);
      const mid = hd * hd * (pf2[ju]! - pf2[j1]!) - 2 * hd * (pf[ju]! - pf[j1]!) + (pw[ju]! - pw[j1]!);
      extra = (m + 8) * 4 * U * (hd * hd * pf2[ju]! + 2 * hd * pf[ju]! + pw[ju]!);
      const bc = b * down - 1;
      lu = Math.max(0, mid) + (bc > 0 ? (pw[m]! - pw[ju]!) * bc * bc : 0);
    }
    // g >= m - 1 (the floor), and one unit of h less where the float h may lack the floor of
    // t phi / 1e9 (hSlack): m - hi more.
    const floorLoss = 1 + this.hSlack * hi * (1 + 2 ** -40);
    for (let i = this.i0; i <= this.i1; i++) {
      const hv = h[i]!;
      let mL = hv * lo;
      if (mL > b) mL = b;
      let mU = hv * hi;
      if (mU > b) mU = b;
      const wi = w[i]!;
      tl += wi * mL * mL;
      const v = mU * down - floorLoss;
      if (v > 0) lu += wi * v * v;
    }
    lu -= extra;
    const d2 = this.delta2 + 2 ** -48;
    this.lowerOK = tl * (1 + d2) < this.bd * (1 - 2 * U);
    this.upperOK = lu * (1 - d2) > this.bd * (1 + 2 * U);
    return this.lowerOK && this.upperOK;
  }
}

/**
 * `solver.exactScale(t)` remembered in `memo` per bump: `null` when no scale keeps the norm
 * (`NormConstraintViolated`, a size the search must treat as infeasible).
 */
export function memoExactScale(solver: FastRangeBet, memo: Map<bigint, bigint | null>): (t: bigint) => bigint | null {
  return (t) => {
    const hit = memo.get(t);
    if (hit !== undefined) return hit;
    let c: bigint | null;
    try {
      c = solver.exactScaleOfSize(t);
    } catch (e) {
      if (!(e instanceof MathError && e.errorName === "NormConstraintViolated")) throw e;
      c = null;
    }
    memo.set(t, c);
    return c;
  };
}

/**
 * Hints of a range size search on the kernel (see `BumpOracle.hints`): the float estimate t~ of
 * the answer ([`FastRangeBet.estimateSize`]), splits at t~ (1 -+ 2^-10), t~ (1 -+ 2^-18), and the
 * exact ends of the scale plateaus around t~ ([`FastRangeBet.plateauEnds`]), whose scales are
 * stored in `scales` (exact: bump `T(x)` has scale `x` and `T(x) + 1` scale `x - 1` for the
 * inner ends). Sizes of one sign (a buy's `1 <= tLo`, a sell's `tHi <= -1`) below 2^53 in
 * magnitude (and in the kernel's domain along a direction), a cap below 2^53; else none.
 * `widen` (a buy along a shape): right of the plateaus, instead of the two relative splits,
 * cuts at gaps growing eightfold from the last plateau's width, then at 2, 4 and 16 times the
 * plateaus' end: along a shape the prune bound at an interval's right end with the scale of
 * its left end clears the cap only over a few times the distance from the answer (the points
 * the shape barely moves keep their cost), so the search drops each of these parts with one
 * bound instead of bisecting its way down to the answer (past 16 times, the scale is low
 * enough for one bound to drop the rest, else the search splits it). `estimate`: t~ when the
 * caller already has it (from a wider bracket: any estimate only places the cuts).
 */
export function plateauHints(
  solver: FastRangeBet,
  scales: Map<bigint, bigint | null>,
  tLo: bigint,
  tHi: bigint,
  cap: bigint,
  widen = false,
  estimate?: number,
): bigint[] {
  if (!(tLo >= 1n || tHi <= -1n) || tHi >= 1n << 53n || -tLo >= 1n << 53n || cap >= 1n << 53n) return [];
  const e = estimate ?? solver.estimateSize(Number(tLo), Number(tHi), Number(cap));
  if (!Number.isFinite(e)) return [];
  const est = BigInt(e);
  // Splits at relative distances 2^-10 and 2^-18 of the estimate, on either side.
  const mag = est < 0n ? -est : est;
  const cuts = [est - (mag >> 10n) - 1n, est - (mag >> 18n) - 1n];
  // The model fits the largest size: split off [tHi - 1, tHi], whose right end is tried first.
  if (est >= tHi) return [...cuts, tHi - 1n];
  let ends: [number, number][] | null = null;
  try {
    ends = solver.plateauEnds(e, Number(tLo), Number(tHi));
  } catch (err) {
    // No scale there, or (along a direction) a probe past the exact domain: no plateau hints.
    if (!(err instanceof OutsideKernelDomain) && !(err instanceof MathError && err.errorName === "NormConstraintViolated")) throw err;
  }
  if (ends !== null) {
    // Bump T(x) has scale x and T(x) + 1 scale x - 1 when the plateaus of x and x - 1 are
    // not empty: exact for all but the outer two (see plateauEnds).
    const last = ends.length - 1;
    for (let k = 0; k <= last; k++) {
      const [end, x] = ends[k]!;
      const tEnd = BigInt(end);
      if (k > 0 || solver.firstEndExact) scales.set(tEnd, BigInt(x));
      if (k < last) scales.set(tEnd + 1n, BigInt(x - 1));
      cuts.push(tEnd, tEnd + 1n);
    }
  }
  if (widen && est > 0n) {
    // Right of the plateaus, cuts at widening distances (see `widen`).
    let from = est + 1n;
    let gap = 1n;
    if (ends !== null) {
      const last = BigInt(ends[ends.length - 1]![0]);
      from = last + 1n;
      gap = last - BigInt(ends[ends.length - 2]![0]);
    }
    for (gap *= 8n; gap < from && from + gap < tHi; gap *= 8n) cuts.push(from + gap);
    for (let k = 1n; k <= 4n && from << k < tHi; k *= 2n) cuts.push(from << k);
  } else {
    cuts.push(est + (mag >> 18n) + 1n, est + (mag >> 10n) + 1n);
  }
  return cuts.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * The [`BumpOracle`] of the size search on the fast kernel: certified float bounds on `c(t)`
 * (exact `c` when they do not certify), a lower bound of the collateral on a subset of the
 * points, and exact `c` / collateral where the search needs them. Exact scales are cached per
 * bump. Requires [`fastPathApplies`] and `t <= 2^48`.
 */
export function fastOracle(solver: FastRangeBet, f: readonly bigint[], q: RangeBetQuery): BumpOracle {
  const exact = new Map<bigint, bigint | null>();
  const scaleOf = memoExactScale(solver, exact);
  return {
    scaleOf,
    scaleBounds(t) {
      const c = exact.get(t);
      if (c !== undefined) return c === null ? null : { lo: c, hi: c };
      const bd = solver.scaleBounds(Number(t));
      if (bd !== null) return { lo: BigInt(bd.lo), hi: BigInt(bd.hi) };
      const x = scaleOf(t);
      return x === null ? null : { lo: x, hi: x };
    },
    // A collateral of 2^52 lamports or more may be rounded in doubles: recompute it exactly.
    collateralLowerBound(t, c) {
      const v = solver.collateralLowerBound(Number(t), c);
      return v < 2 ** 52 ? BigInt(v) : collateralAt(f, q, t, c);
    },
    collateralAt(t, c) {
      const v = solver.collateralAtBump(Number(t), c);
      return v < 2 ** 52 ? BigInt(v) : collateralAt(f, q, t, c);
    },
    hints: (tLo, tHi, cap) => plateauHints(solver, exact, tLo, tHi, cap),
  };
}

/** A solved and applied range bet: the solution, `g` as bigints, and `f`, `g` for the integration rules. */
export interface AppliedBet {
  sol: RangeBetSolution;
  g: bigint[];
  /** `f` (integer doubles on the fast path, else the bigint curve). */
  fv: CurveValues;
  /** `g`, in the same representation as `fv`. */
  gv: CurveValues;
  /** The kernel `fv` may belong to (release it once `fv` is no longer read), or null. */
  solver: FastRangeBet | null;
}

/**
 * THE quote solver: `solve_range_bet` then `range_bet_apply`, on the fast exact kernel when
 * [`fastPathApplies`], else on the literal mirror (same results, checked by the vectors and
 * randomized tests). Errors as `solve_range_bet`.
 */
export function solveAndApply(f: readonly bigint[], q: RangeBetQuery, amount: bigint): AppliedBet {
  if (!fastPathApplies(f, q.b)) {
    const sol = solveRangeBet(f, q, amount);
    const g = rangeBetApply(f, { ...q, t: sol.t, c: sol.c }).g;
    return { sol, g, fv: f, gv: g, solver: null };
  }
  const solver = new FastRangeBet(f, q);
  const sol = solveRangeBetWith(f, q, amount, fastOracle(solver, f, q));
  applyFast(solver, Number(sol.t), sol.c);
  const g = solver.curve();
  // The integration rules take exact doubles when every value is below 2^53, else bigints.
  if (!solver.narrow) {
    solver.release();
    return { sol, g, fv: f, gv: g, solver: null };
  }
  return { sol, g, fv: solver.f, gv: solver.g, solver };
}

/**
 * `range_bet_apply` on the fast kernel for a solved bump: checks that `c` is canonical
 * (`NotCanonical` otherwise, as in Rust), leaves `g(c)` in `solver.g` and returns the collateral.
 */
export function applyFast(solver: FastRangeBet, t: number, c: bigint): bigint {
  if (t === 0) throw new MathError("ZeroBet");
  if (c === U64_MAX) throw new MathError("NotCanonical");
  solver.setBump(t);
  const next = solver.passesAny(c + 1n);
  const here = solver.passesBig(c); // last: leaves g(c) in solver.g
  if (!here || next) throw new MathError("NotCanonical");
  const { n, fH, fL, gH, gL } = solver;
  let coll = 0;
  for (let i = 0; i < n; i++) {
    const d = (fH[i]! - gH[i]!) * E9 + (fL[i]! - gL[i]!);
    if (d > coll) coll = d;
  }
  if (coll < 2 ** 52) return BigInt(coll);
  const g = solver.curve();
  let big = 0n;
  for (let i = 0; i < n; i++) {
    const d = BigInt(fH[i]!) * SCALE_1E9 + BigInt(fL[i]!) - g[i]!;
    if (d > big) big = d;
  }
  return big;
}

/**
 * `solve_range_bet` with the same result as [`solveRangeBet`] (the literal mirror), on the fast
 * exact kernel when [`fastPathApplies`], else on the literal mirror.
 */
export function solveRangeBetFast(f: readonly bigint[], q: RangeBetQuery, amount: bigint): RangeBetSolution {
  if (!fastPathApplies(f, q.b)) return solveRangeBet(f, q, amount);
  const solver = new FastRangeBet(f, q);
  const sol = solveRangeBetWith(f, q, amount, fastOracle(solver, f, q));
  solver.release();
  return sol;
}

/**
 * `collateral_for_bump` with the same result as [`collateralForBump`] (trade.ts): on the fast
 * kernel when the market is in its range and `t <= 2^48`, else the literal mirror.
 */
export function collateralForBumpFast(f: readonly bigint[], q: RangeBetQuery, t: bigint): BumpCollateral {
  if (!fastPathApplies(f, q.b) || t > T_SEARCH_MAX_LAMPORTS) return collateralForBump(f, q, t);
  validateBumpedCurve({ h: f, i0: q.i0, i1: q.i1, t });
  // t = 0 leaves h = f: any one-point range gives the same curve.
  const solver = new FastRangeBet(f, t === 0n ? { ...q, i0: 0, i1: 0 } : q);
  const r = solver.collateralForBump(Number(t));
  solver.release();
  // A collateral of 2^52 lamports or more may be rounded in doubles: recompute it exactly.
  return { c: r.c, collateral: r.coll < 2 ** 52 ? BigInt(r.coll) : collateralAt(f, q, t, r.c) };
}

/**
 * `range_bet_apply` with the same result as [`rangeBetApply`] (trade.ts): on the fast kernel
 * when the market is in its range and `t <= 2^48`, else the literal mirror. `normSq` is summed
 * exactly in bigint.
 */
export function rangeBetApplyFast(f: readonly bigint[], p: RangeBetParams): TradeOutcome {
  if (!fastPathApplies(f, p.b) || p.t > T_SEARCH_MAX_LAMPORTS) return rangeBetApply(f, p);
  const n = f.length;
  validatePoints(n);
  if (p.i0 > p.i1 || p.i1 >= n) throw new MathError("InvalidRange");
  if (p.t === 0n) throw new MathError("ZeroBet");
  if (p.c === U64_MAX) throw new MathError("NotCanonical");
  const solver = new FastRangeBet(f, p);
  const collateral = applyFast(solver, Number(p.t), p.c);
  const g = solver.curve();
  let normSq = 0n;
  for (let i = 0; i < n; i++) normSq += g[i]! * g[i]! * BigInt(solver.w[i]!);
  solver.release();
  return { collateral, normSq, g };
}
