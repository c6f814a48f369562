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
import { I64_MAX, SCALE_1E9, U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { fastPathApplies, FastRangeBet } from "./fast.js";
import { checkIndex, checkU64 } from "./inputs.js";
import { canonicalScale } from "./project.js";
import { shapeValues, type ControlPoint, type Shape } from "./shapes.js";
import { simpsonWeightShift, validatePoints, type Grid } from "./simpson.js";
import { Scale1e9 } from "./wide.js";

const I64_MIN = -(1n << 63n);
/** Largest fee the program accepts (`MAX_FEE_BPS`, 10%). */
export const MAX_FEE_BPS = 1_000n;
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
      return { kind: "shape", phi: shapeValues(grid, direction.shape, direction.points ?? []) };
    case "unwind":
      return { kind: "unwind" };
    default:
      throw new MathError("InvalidDirection");
  }
}

/** `floor(a / d)` toward negative infinity (`d > 0`). */
export function floorDiv(a: bigint, d: bigint): bigint {
  const q = a / d;
  return a < 0n && q * d !== a ? q - 1n : q;
}

/** `t` as an i64, else `Overflow`. */
export function checkI64(t: unknown): bigint {
  if (typeof t !== "bigint" || t < I64_MIN || t > I64_MAX) throw new MathError("Overflow");
  return t;
}

/** A payoff vector: i64 values (`Overflow` otherwise). */
export function checkPayoff(p: unknown): readonly bigint[] {
  if (!Array.isArray(p)) throw new MathError("LengthMismatch");
  for (const v of p) checkI64(v);
  return p as readonly bigint[];
}

/**
 * Checks of a direction against the grid, the position and the size, in the Rust order:
 * `InvalidRange` / `LengthMismatch` (shape values), then for an unwind `InvalidUnwindFraction`
 * (`t` outside `1..=1e9`) and `NothingToUnwind` (P all zero), then `ZeroBet` (`t == 0`).
 */
export function checkDirection(dir: DirectionVector, n: number, payoff: readonly bigint[], t: bigint): void {
  switch (dir.kind) {
    case "range":
      if (checkIndex(dir.i0) > checkIndex(dir.i1) || dir.i1 >= n) throw new MathError("InvalidRange");
      break;
    case "shape":
      if (dir.phi.length !== n) throw new MathError("LengthMismatch");
      for (const v of dir.phi) checkU64(v);
      break;
    case "unwind":
      if (t < 1n || t > SCALE_1E9) throw new MathError("InvalidUnwindFraction");
      if (payoff.every((v) => v === 0n)) throw new MathError("NothingToUnwind");
      break;
    default:
      throw new MathError("InvalidDirection");
  }
  if (t === 0n) throw new MathError("ZeroBet");
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

/** The vector `d` of the direction at size `t` (checked as [`checkDirection`]). */
export function deltaOf(dir: DirectionVector, t: bigint, payoff: readonly bigint[]): bigint[] {
  const n = payoff.length;
  checkDirection(dir, n, payoff, checkI64(t));
  const d = new Array<bigint>(n);
  for (let i = 0; i < n; i++) d[i] = deltaAt(dir, t, payoff, i);
  return d;
}

/** `h = max(0, f + d)` of the direction at size `t`; `Overflow` above u64::MAX. */
export function tradeTarget(f: readonly bigint[], dir: DirectionVector, t: bigint, payoff: readonly bigint[]): bigint[] {
  const n = f.length;
  const h = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const v = (f[i] as bigint) + deltaAt(dir, t, payoff, i);
    if (v > U64_MAX) throw new MathError("Overflow");
    h[i] = v < 0n ? 0n : v;
  }
  return h;
}

/** `R = max(0, max_i(-P_i))`: the collateral a payoff vector needs (its own worst case). */
export function payoffCollateral(payoff: readonly bigint[]): bigint {
  let r = 0n;
  for (const p of payoff) if (-p > r) r = -p;
  return r;
}

/** `ceil(|delta| fee_bps / 10_000)`: the fee, rounded toward the pool. */
export function tradeFee(delta: bigint, feeBps: bigint): bigint {
  const a = delta < 0n ? -delta : delta;
  return (a * feeBps + BPS - 1n) / BPS;
}

/** `fee_bps` as the program stores it: an integer bigint in `0..=MAX_FEE_BPS`, else `Overflow`. */
export function checkFeeBps(feeBps: unknown): bigint {
  if (typeof feeBps !== "bigint" || feeBps < 0n || feeBps > MAX_FEE_BPS) throw new MathError("Overflow");
  return feeBps;
}

/** The result of [`tradeApply`]; lamport values are base units, signed where noted. */
export interface TradeApplied {
  /** The new market curve `g`. */
  g: bigint[];
  /** The position's new payoff vector `P' = P + g - f` (i64). */
  payoff: bigint[];
  /** `R` before the trade. */
  collateralBefore: bigint;
  /** `R'` after it. */
  collateralAfter: bigint;
  /** `R' - R` (signed). */
  delta: bigint;
  /** `ceil(|delta| fee_bps / 10_000)`. */
  fee: bigint;
  /** `delta + fee` (signed): paid if > 0, else `-netIn` is refunded. */
  netIn: bigint;
  /** `sum_i w_i g_i^2` (Simpson weights). */
  normSq: bigint;
}

/**
 * Mirrors the Rust reference `trade_apply`: the trade of size `t` along `dir` on the market
 * curve `f` for a position with payoff `P`, with the claimed canonical scale `c`.
 * Errors in order: grid errors, `LengthMismatch` (P), direction checks ([`checkDirection`]),
 * `NotCanonical` (`c == u64::MAX`), `Overflow` (`f + d` above u64), `NotCanonical`
 * (`S(c) > budget` or `S(c + 1) <= budget`), `ZeroBet` (`g == f`), `Overflow` (P' past i64).
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
): TradeApplied {
  const n = f.length;
  validatePoints(n);
  if (payoff.length !== n) throw new MathError("LengthMismatch");
  checkDirection(dir, n, payoff, checkI64(t));
  checkU64(c);
  checkFeeBps(feeBps);
  if (c === U64_MAX) throw new MathError("NotCanonical");
  const h = tradeTarget(f, dir, t, payoff);
  const sc = new Scale1e9(c);
  const g = new Array<bigint>(n);
  let s0 = 0n;
  let s1 = 0n;
  let moved = false;
  for (let i = 0; i < n; i++) {
    const [v, v1] = sc.applyPair(h[i] as bigint);
    const gi = v < b ? v : b;
    const g1 = v1 < b ? v1 : b;
    g[i] = gi;
    if (gi !== f[i]) moved = true;
    const s = BigInt(simpsonWeightShift(i, n));
    s0 += (gi * gi) << s;
    s1 += (g1 * g1) << s;
  }
  if (s0 > U128_MAX || s0 > budget || (s1 <= U128_MAX && s1 <= budget)) throw new MathError("NotCanonical");
  if (!moved) throw new MathError("ZeroBet");
  const next = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const v = (payoff[i] as bigint) + (g[i] as bigint) - (f[i] as bigint);
    if (v < I64_MIN || v > I64_MAX) throw new MathError("Overflow");
    next[i] = v;
  }
  const collateralBefore = payoffCollateral(payoff);
  const collateralAfter = payoffCollateral(next);
  const delta = collateralAfter - collateralBefore;
  const fee = tradeFee(delta, feeBps);
  return { g, payoff: next, collateralBefore, collateralAfter, delta, fee, netIn: delta + fee, normSq: s0 };
}

/**
 * The canonical scale of an arbitrary curve `h` (the `c` a trade claims): the largest `c` with
 * `sum w min(b, floor(c h / 1e9))^2 <= budget`. Same value as `canonical_scale` (unique), on
 * the fast exact kernel when every value is at most 2^57, else the literal bisection.
 * Errors: grid errors, `NormConstraintViolated`.
 */
export function canonicalScaleOf(h: readonly bigint[], b: bigint, budget: bigint): bigint {
  validatePoints(h.length);
  if (!fastPathApplies(h, b)) return canonicalScale(h, b, budget);
  // A bump of 0 on a one-point range leaves h as it is: the kernel's canonical search.
  return new FastRangeBet(h, { b, budget, i0: 0, i1: 0 }).collateralForBump(0).c;
}
