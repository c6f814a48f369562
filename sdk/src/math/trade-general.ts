/**
 * The general trade primitive (`trade` instruction): direction vectors, the one-pass apply with
 * position netting and fee, and the canonical scale of an arbitrary curve. Bit-exact mirror of
 * the Rust reference (`tests/vectors/trade_general.json`); the contract is the lead's trade spec:
 *
 * - Range `{i0, i1}`: `d_i = t` on `[i0, i1]`, else 0 (t > 0 buys the range, t < 0 sells it).
 * - Shape: `d_i = floor(t phi_i / 1e9)` with `phi = shape_values(grid, shape)` (floor toward
 *   negative infinity, exact in i128).
 * - Unwind: `t = fraction_1e9` in `1..=1e9`, `d_i = floor(-t P_i / 1e9)` with `P` the position's
 *   own payoff vector; an all-zero `P` is `NothingToUnwind`.
 * Then `h = max(0, f + d)`, `g = min(b, floor(c h / 1e9))` with `c` canonical for `h`,
 * `P' = P + g - f`, `R = max(0, max(-P))`, `delta = R' - R`,
 * `fee = ceil(|delta| fee_bps / 10_000)`, `net_in = delta + fee` (> 0 paid, <= 0 refunded).
 */
import { I64_MAX, MAX_FEE_BPS, SCALE_1E9, U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { fastPathApplies, FastRangeBet } from "./fast.js";
import { checkIndex, checkU128, checkU64, checkU64Values } from "./inputs.js";
import { KERNEL_B_MAX, KERNEL_F_MAX, KERNEL_N_MAX } from "./kernel.js";
import { scalePasses, validateBumpedCurve } from "./project.js";
import { shapeValues, type ControlPoint, type Shape } from "./shapes.js";
import { simpsonWeightShift, validatePoints, type Grid } from "./simpson.js";
import { Scale1e9 } from "./wide.js";

const I64_MIN = -(1n << 63n);
/** A module-local copy (`checkI64` runs per value; a transpiled import is a getter call). */
const I64_MAX_LOCAL = I64_MAX;
const BPS = 10_000n;

/** A trade direction as the trader states it (the instruction's direction payload). */
export type TradeDirectionInput =
  | { kind: "range"; i0: number; i1: number }
  | { kind: "shape"; shape: Shape; points?: readonly ControlPoint[] }
  | { kind: "unwind" };

/**
 * A direction resolved on a grid: a range, the shape's values `phi` (u64, peak 1e9 for a
 * Normal), or the unwind of the position's own payoff vector (`phi = -P`, P passed separately).
 */
export type DirectionVector =
  | { kind: "range"; i0: number; i1: number }
  | { kind: "shape"; phi: readonly bigint[] }
  | { kind: "unwind" };

/**
 * The direction vector of `direction` on `grid`: a range is checked (`InvalidRange`), a shape
 * becomes `shape_values(grid, shape, points)` (its errors: `InvalidShape`, `InvalidGrid`, ...).
 * Any other `kind` is `InvalidDirection`.
 */
export function directionVector(direction: TradeDirectionInput, grid: Grid): DirectionVector {
  switch (direction?.kind) {
    case "range": {
      const i0 = checkIndex(direction.i0);
      const i1 = checkIndex(direction.i1);
      if (i0 > i1 || i1 >= grid.n) throw new MathError("InvalidRange");
      return { kind: "range", i0, i1 };
    }
    case "shape":
      return { kind: "shape", phi: cachedShapeValues(grid, direction.shape, direction.points ?? []) };
    case "unwind":
      return { kind: "unwind" };
    default:
      throw new MathError("InvalidDirection");
  }
}

/**
 * `shapeValues` remembered for the last few (grid, shape, points): a trader quoting one belief at
 * many budgets asks for the same values again, and the kernel keeps its figures of a shared array
 * (`setDirection`), so a repeated belief skips both. The arrays are frozen (shared by the quotes
 * that return them as `vector.phi`). Shapes whose key cannot be read (a malformed input) are
 * computed directly, so their errors are the mirror's.
 */
const shapeCache = new Map<string, readonly bigint[]>();
function cachedShapeValues(grid: Grid, shape: Shape, points: readonly ControlPoint[]): readonly bigint[] {
  const key = shapeKey(grid, shape, points);
  if (key === null) return shapeValues(grid, shape, points);
  const hit = shapeCache.get(key);
  if (hit !== undefined) return hit;
  const phi = Object.freeze(shapeValues(grid, shape, points));
  if (shapeCache.size >= 16) shapeCache.delete(shapeCache.keys().next().value as string);
  shapeCache.set(key, phi);
  return phi;
}

/** A string naming every input of `shapeValues`, or null when one is not of its type. */
function shapeKey(grid: Grid, shape: Shape, points: readonly ControlPoint[]): string | null {
  const parts: unknown[] = [grid.lo, grid.hi, grid.n, shape?.kind];
  switch (shape?.kind) {
    case "Normal":
      parts.push(shape.mean1e9, shape.sigma1e9);
      break;
    case "Uniform":
      parts.push(shape.a, shape.b);
      break;
    case "Mixture":
      if (!Array.isArray(shape.comps)) return null;
      for (const c of shape.comps) parts.push(c?.mean1e9, c?.sigma1e9, c?.weight1e9);
      break;
    case "Custom":
      if (!Array.isArray(points)) return null;
      for (const p of points) parts.push(p?.x, p?.y);
      break;
    case "TrimodalElection":
    case "SkewedLaunch":
    case "LeptokurticIndicator":
      break;
    default:
      return null;
  }
  // grid.n is a number; every other input a bigint.
  for (let k = 0; k < parts.length; k++) if (k !== 2 && k !== 3 && typeof parts[k] !== "bigint") return null;
  if (!Number.isSafeInteger(grid.n)) return null;
  return parts.join(",");
}

/** `floor(a / d)` toward negative infinity (`d > 0`). */
export function floorDiv(a: bigint, d: bigint): bigint {
  const q = a / d;
  return a < 0n && q * d !== a ? q - 1n : q;
}

/** `t` as an i64, else `Overflow`. */
export function checkI64(t: unknown): bigint {
  if (typeof t !== "bigint" || t < I64_MIN || t > I64_MAX_LOCAL) throw new MathError("Overflow");
  return t;
}

/** Frozen payoff vectors already checked (their values cannot change: the zero payoff of a new position). */
const checkedPayoffs = new WeakSet<object>();

/** A payoff vector: i64 values (`Overflow` otherwise). */
export function checkPayoff(p: unknown): readonly bigint[] {
  if (!Array.isArray(p)) throw new MathError("LengthMismatch");
  if (checkedPayoffs.has(p)) return p as readonly bigint[];
  for (const v of p) checkI64(v);
  if (Object.isFrozen(p)) checkedPayoffs.add(p);
  return p as readonly bigint[];
}

/** The payoff of a new position on `n` points (all zero), one frozen array per `n`. */
const zeroPayoffs = new Map<number, readonly bigint[]>();
export function zeroPayoff(n: number): readonly bigint[] {
  let z = zeroPayoffs.get(n);
  if (z === undefined) {
    z = Object.freeze(new Array<bigint>(n).fill(0n));
    if (zeroPayoffs.size >= 16) zeroPayoffs.clear();
    zeroPayoffs.set(n, z);
  }
  return z;
}

/** The trade's inputs, as the Rust `GeneralTrade` (one struct there keeps SBPF's 5 arguments). */
export interface GeneralTrade {
  /** The market curve `f`. */
  f: readonly bigint[];
  /** The position's payoff `P` (zeros for a new position). */
  payoff: readonly bigint[];
  /** `R`, the collateral the position holds (`Position.collateral`; default `max(0, max(-P))`). */
  collateral?: bigint;
  /** Cap `b`. */
  b: bigint;
  /** Norm budget. */
  budget: bigint;
  /** Market fee (bps, `<= MAX_FEE_BPS`; default 0). */
  feeBps?: bigint;
  direction: DirectionVector;
  /** Signed size (unwind: `fraction_1e9`). */
  t: bigint;
  /** Claimed canonical scale of `h`. */
  c: bigint;
}

/**
 * Mirrors `validate_trade` (the checks that do not depend on a grid point), in the Rust order:
 * grid errors, `Overflow` (`N > KERNEL_N_MAX` or `b > KERNEL_B_MAX`), `LengthMismatch` (P, or
 * a shape's `phi`), `FeeTooHigh`, `InvalidRange`, `InvalidUnwindFraction` then
 * `NothingToUnwind` (unwind), `ZeroBet` (`t == 0`), `NotCanonical` (`c == u64::MAX`). Values of
 * the wrong type (a number, a negative u64, ...) are `Overflow`, an unknown kind `InvalidDirection`.
 */
export function validateTrade(p: GeneralTrade): void {
  const n = p.f.length;
  validatePoints(n);
  if (n > KERNEL_N_MAX || checkU64(p.b) > KERNEL_B_MAX) throw new MathError("Overflow");
  checkU128(p.budget);
  checkPayoff(p.payoff);
  checkI64(p.t);
  checkU64(p.c);
  if (p.payoff.length !== n) throw new MathError("LengthMismatch");
  const dir = p.direction;
  if (dir?.kind === "shape") {
    if (dir.phi.length !== n) throw new MathError("LengthMismatch");
    checkU64Values(dir.phi);
  }
  const fee = p.feeBps ?? 0n;
  if (typeof fee !== "bigint" || fee < 0n) throw new MathError("Overflow");
  if (fee > MAX_FEE_BPS) throw new MathError("FeeTooHigh");
  switch (dir?.kind) {
    case "range":
      if (checkIndex(dir.i0) > checkIndex(dir.i1) || dir.i1 >= n) throw new MathError("InvalidRange");
      break;
    case "shape":
      break;
    case "unwind":
      if (p.t < 1n || p.t > SCALE_1E9) throw new MathError("InvalidUnwindFraction");
      if (p.payoff.every((v) => v === 0n)) throw new MathError("NothingToUnwind");
      break;
    default:
      throw new MathError("InvalidDirection");
  }
  if (p.t === 0n) throw new MathError("ZeroBet");
  if (p.c === U64_MAX) throw new MathError("NotCanonical");
}

/** `d_i` of the direction at size `t` (see the module doc); `payoff` is P (unwind only). */
export function deltaAt(dir: DirectionVector, t: bigint, payoff: readonly bigint[], i: number): bigint {
  switch (dir.kind) {
    case "range":
      return i >= dir.i0 && i <= dir.i1 ? t : 0n;
    case "shape":
      return floorDiv(t * (dir.phi[i] as bigint), SCALE_1E9);
    case "unwind":
      return floorDiv(-t * (payoff[i] as bigint), SCALE_1E9);
  }
}

/**
 * The vector `d` of the direction at size `t` for a position with payoff `P`, with the
 * direction's own checks (`InvalidRange`, `LengthMismatch`, `InvalidUnwindFraction`,
 * `NothingToUnwind`, `ZeroBet` for `t == 0`, `Overflow` for a non-i64 `t`).
 */
export function deltaOf(dir: DirectionVector, t: bigint, payoff: readonly bigint[]): bigint[] {
  const n = payoff.length;
  validateTrade({ f: new Array<bigint>(n).fill(0n), payoff, b: 0n, budget: 0n, direction: dir, t, c: 0n });
  const d = new Array<bigint>(n);
  for (let i = 0; i < n; i++) d[i] = deltaAt(dir, t, payoff, i);
  return d;
}

/**
 * `h = max(0, f + d)` of the direction at size `t`; `Overflow` for `f_i > KERNEL_F_MAX` or `h_i`
 * above u64::MAX (mirrors the first loop of `trade_apply`, `clamp_h`).
 */
export function tradeTarget(f: readonly bigint[], dir: DirectionVector, t: bigint, payoff: readonly bigint[]): bigint[] {
  const n = f.length;
  const h = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const fi = f[i] as bigint;
    if (fi > KERNEL_F_MAX) throw new MathError("Overflow");
    const v = fi + deltaAt(dir, t, payoff, i);
    if (v > U64_MAX) throw new MathError("Overflow");
    h[i] = v < 0n ? 0n : v;
  }
  return h;
}

/** Mirrors `netted_collateral`: `R = max(0, max_i(-P_i))`, a payoff vector's own worst case. */
export function payoffCollateral(payoff: readonly bigint[]): bigint {
  let r = 0n;
  for (const p of payoff) if (-p > r) r = -p;
  return r;
}

/** Mirrors `Settlement`: the money side of a trade. */
export interface Settlement {
  /** `R' - R` (signed). */
  delta: bigint;
  /** `ceil(|delta| fee_bps / 10_000)` (rounded toward the pool). */
  fee: bigint;
  /** `delta + fee` (signed): paid if > 0, else `-netIn` is refunded. */
  netIn: bigint;
  /** `max(0, netIn)`. */
  amountIn: bigint;
  /** `max(0, -netIn)`. */
  amountOut: bigint;
}

/**
 * Mirrors `settle`: delta, fee and the amounts; `FeeTooHigh` above `MAX_FEE_BPS`, `Overflow`
 * when the payment `delta + fee` does not fit a u64 transfer (the Rust reference of this
 * commit wraps it instead: reported, see `tests/math/parity.test.ts`).
 */
export function settle(collateralBefore: bigint, collateralAfter: bigint, feeBps: bigint): Settlement {
  if (feeBps > MAX_FEE_BPS) throw new MathError("FeeTooHigh");
  const delta = collateralAfter - collateralBefore;
  const moved = delta < 0n ? -delta : delta;
  const fee = (moved * feeBps + BPS - 1n) / BPS;
  const netIn = delta + fee;
  if (netIn > U64_MAX) throw new MathError("Overflow");
  return { delta, fee, netIn, amountIn: netIn > 0n ? netIn : 0n, amountOut: netIn > 0n ? 0n : -netIn };
}

/** The result of [`tradeApply`] (mirrors `GeneralTradeOutcome` plus the written vectors). */
export interface TradeApplied extends Settlement {
  /** `h = max(0, f + d)`. */
  h: bigint[];
  /** The new market curve `g`. */
  g: bigint[];
  /** The position's new payoff vector `P' = P + g - f` (i64). */
  payoff: bigint[];
  /** `R` before the trade (as given). */
  collateralBefore: bigint;
  /** `R' = max(0, max(-P'))`. */
  collateralAfter: bigint;
  /** `sum_i w_i g_i^2` (Simpson weights). */
  normSq: bigint;
}

/**
 * Mirrors `trade_apply`. Errors in the Rust order: [`validateTrade`], then per point
 * `Overflow` (`f_i > KERNEL_F_MAX`, `h_i` above u64), then `Overflow` (P' past i64), then
 * `NotCanonical` (`S(c) > budget` or `S(c + 1) <= budget` on `h`), then `ZeroBet` (`g == f`).
 */
export function tradeApplyGeneral(p: GeneralTrade): TradeApplied {
  validateTrade(p);
  const { f, payoff, b, budget, c } = p;
  const n = f.length;
  const h = tradeTarget(f, p.direction, p.t, payoff);
  const sc = new Scale1e9(c);
  const g = new Array<bigint>(n);
  const next = new Array<bigint>(n);
  let s0 = 0n;
  let s1 = 0n;
  let moved = false;
  for (let i = 0; i < n; i++) {
    const [v, v1] = sc.applyPair(h[i] as bigint);
    const gi = v < b ? v : b;
    const g1 = v1 < b ? v1 : b;
    g[i] = gi;
    const fi = f[i] as bigint;
    if (gi !== fi) moved = true;
    const np = (payoff[i] as bigint) + gi - fi;
    if (np < I64_MIN || np > I64_MAX) throw new MathError("Overflow");
    next[i] = np;
    const s = BigInt(simpsonWeightShift(i, n));
    s0 += (gi * gi) << s;
    s1 += (g1 * g1) << s;
  }
  // Rust's scale_passes stops at u128 overflow (false): the unbounded sums give the same verdicts.
  if (s0 > U128_MAX || s0 > budget || (s1 <= U128_MAX && s1 <= budget)) throw new MathError("NotCanonical");
  if (!moved) throw new MathError("ZeroBet");
  const collateralBefore = p.collateral ?? payoffCollateral(payoff);
  const collateralAfter = payoffCollateral(next);
  const money = settle(collateralBefore, collateralAfter, p.feeBps ?? 0n);
  return { h, g, payoff: next, collateralBefore, collateralAfter, normSq: s0, ...money };
}

/**
 * [`tradeApplyGeneral`] with positional arguments: the trade of size `t` along `dir` on the
 * market curve `f` for a position with payoff `P` (and collateral `R`, by default its netted
 * value), with the claimed canonical scale `c`.
 */
export function tradeApply(
  f: readonly bigint[],
  payoff: readonly bigint[],
  dir: DirectionVector,
  t: bigint,
  c: bigint,
  b: bigint,
  budget: bigint,
  feeBps: bigint = 0n,
  collateral?: bigint,
): TradeApplied {
  return tradeApplyGeneral({ f, payoff, collateral, b, budget, feeBps, direction: dir, t, c });
}

/**
 * The canonical scale of an arbitrary curve `h` (the `c` a trade claims): the largest `c` with
 * `sum w min(b, floor(c h / 1e9))^2 <= budget`. Same value as `canonical_scale` (unique), on
 * the fast exact kernel when every value is at most 2^57, else the literal bisection.
 * Errors: grid errors, `NormConstraintViolated`.
 */
export function canonicalScaleOf(h: readonly bigint[], b: bigint, budget: bigint): bigint {
  validatePoints(h.length);
  if (!fastPathApplies(h, b)) return canonicalScaleBracketed(h, b, budget);
  // A bump of 0 on a one-point range leaves h as it is: the kernel's canonical search.
  return new FastRangeBet(h, { b, budget, i0: 0, i1: 0 }).collateralForBump(0).c;
}

/**
 * The canonical scale of a curve outside the fast kernel's domain (values above 2^57), on the
 * exact predicate `scale_passes` (bigint) like the literal bisection, but from a float estimate:
 * galloping from `c0 = 1e9 u` (`u` the capped continuous root of `sum w min(b, u h)^2 = budget`)
 * brackets the answer in a few exact passes instead of 64. The predicate is monotone in `c`, so
 * the largest passing `c` is the same value (`canonical_scale`).
 */
function canonicalScaleBracketed(h: readonly bigint[], b: bigint, budget: bigint): bigint {
  const curve = { h, i0: 0, i1: 0, t: 0n };
  validateBumpedCurve(curve);
  if (scalePasses(curve, b, budget, U64_MAX)) throw new MathError("NormConstraintViolated");
  const passes = (c: bigint): boolean => scalePasses(curve, b, budget, c);
  const n = h.length;
  const hd = h.map(Number);
  const bd = Number(b);
  const target = Number(budget);
  let u = NaN;
  let capped = -1;
  for (let iter = 0, x = 0; iter < 16; iter++) {
    let cSum = 0;
    let aSum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const w = 2 ** simpsonWeightShift(i, n);
      const v = hd[i]!;
      if (iter > 0 && v * x >= bd) {
        cSum += w * bd * bd;
        count++;
      } else aSum += w * v * v;
    }
    if (!(aSum > 0) || !(target > cSum)) break;
    x = Math.sqrt((target - cSum) / aSum);
    u = x;
    if (count === capped) break;
    capped = count;
  }
  const guess = Number.isFinite(u) && u * 1e9 < 2 ** 63 ? BigInt(Math.floor(u * 1e9)) : 1n;
  let lo: bigint;
  let hi: bigint;
  let step = 1n;
  if (passes(guess)) {
    lo = guess;
    for (;;) {
      const cand = lo + step;
      if (cand >= U64_MAX) {
        hi = U64_MAX; // fails (checked above)
        break;
      }
      if (!passes(cand)) {
        hi = cand;
        break;
      }
      lo = cand;
      step *= 2n;
    }
  } else {
    hi = guess;
    for (;;) {
      const cand = hi - step;
      if (cand <= 0n) {
        lo = 0n; // S(0) = 0 <= budget
        break;
      }
      if (passes(cand)) {
        lo = cand;
        break;
      }
      hi = cand;
      step *= 2n;
    }
  }
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    if (passes(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
