/**
 * Range bets, collateral, payoffs and claims; mirrors `crates/continuum-math/src/trade.rs`.
 */
import { I64_MAX, T_SEARCH_MAX_LAMPORTS, U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { checkIndex } from "./inputs.js";
import { canonicalScaleCurve, type BumpedCurve } from "./project.js";
import {
  gridStep,
  simpsonWeightShift,
  trapezoidSum,
  trapezoidWeightShift,
  validatePoints,
  type CurveValues,
  type Grid,
} from "./simpson.js";
import { asU64, divCeilU128, divU128, divU128ByU64, Scale1e9 } from "./wide.js";

/** Mirrors `RangeBetParams` (inputs of [`rangeBetApply`]). */
export interface RangeBetParams {
  /** Cap `b`. */
  b: bigint;
  /** `floor(3 k^2 / h_step)`. */
  budget: bigint;
  /** First index of the range (inclusive). */
  i0: number;
  /** Last index of the range (inclusive). */
  i1: number;
  /** Bump on the range (> 0). */
  t: bigint;
  /** Claimed canonical scale. */
  c: bigint;
}

/** Mirrors `TradeOutcome`, plus the new curve `g` the Rust kernel writes into `out_g`. */
export interface TradeOutcome {
  /** `max(0, max_i (f_i - g_i))`. */
  collateral: bigint;
  /** `sum_i w_i g_i^2`. */
  normSq: bigint;
  /** The new curve. */
  g: bigint[];
}

/**
 * Mirrors `range_bet_apply`: one pass computing `g = min(b, floor(c h / 1e9))`, collateral and
 * the sums at `c` and `c + 1`; `c` must be canonical (`S(c) <= budget < S(c + 1)`).
 * Errors (in Rust order): grid errors, `LengthMismatch` (`out`), `InvalidRange`, `ZeroBet`,
 * `NotCanonical` (`c == u64::MAX`), `Overflow` (`f_i + t`), `NotCanonical`.
 */
export function rangeBetApply(f: readonly bigint[], p: RangeBetParams, out?: bigint[]): TradeOutcome {
  const n = f.length;
  validatePoints(n);
  const g = out ?? new Array<bigint>(n);
  if (g.length !== n) throw new MathError("LengthMismatch");
  if (p.i0 > p.i1 || p.i1 >= n) throw new MathError("InvalidRange");
  if (p.t === 0n) throw new MathError("ZeroBet");
  if (p.c === U64_MAX) throw new MathError("NotCanonical");
  const sc = new Scale1e9(p.c);
  const b = p.b;
  let s0 = 0n;
  let s1 = 0n;
  let collateral = 0n;
  for (let i = 0; i < n; i++) {
    const fi = f[i] as bigint;
    let h = fi;
    if (i >= p.i0 && i <= p.i1) {
      h = fi + p.t;
      if (h > U64_MAX) throw new MathError("Overflow");
    }
    const [v, v1] = sc.applyPair(h);
    const gi = v < b ? v : b;
    const g1 = v1 < b ? v1 : b;
    g[i] = gi;
    if (fi > gi && fi - gi > collateral) collateral = fi - gi;
    const s = BigInt(simpsonWeightShift(i, n));
    // Rust tracks u128 overflow as flags; the unbounded bigint sums give the same verdicts.
    s0 += (gi * gi) << s;
    s1 += (g1 * g1) << s;
  }
  if (s0 > U128_MAX || s0 > p.budget || (s1 <= U128_MAX && s1 <= p.budget)) {
    throw new MathError("NotCanonical");
  }
  return { collateral, normSq: s0, g };
}

/** Mirrors `RangeBetQuery`. */
export interface RangeBetQuery {
  /** Cap `b`. */
  b: bigint;
  /** Norm budget. */
  budget: bigint;
  /** First index of the range (inclusive). */
  i0: number;
  /** Last index of the range (inclusive). */
  i1: number;
}

/** Mirrors `RangeBetSolution`. */
export interface RangeBetSolution {
  /** Bump on the range. */
  t: bigint;
  /** Canonical scale for `f + t 1[i0,i1]`. */
  c: bigint;
  /** Collateral (`<= amount`). */
  collateral: bigint;
}

/** Scale and collateral of a bump. */
export interface BumpCollateral {
  /** Canonical scale. */
  c: bigint;
  /** Collateral. */
  collateral: bigint;
}

/**
 * Mirrors `collateral_at`: `max(0, max_i (f_i - min(b, floor(c h_i / 1e9))))` with
 * `h = f + t 1[i0,i1]` (u64 wrapping add, as Rust; callers keep `f_i + t` in u64).
 */
export function collateralAt(f: readonly bigint[], q: RangeBetQuery, t: bigint, c: bigint): bigint {
  const sc = new Scale1e9(c);
  let coll = 0n;
  for (let i = 0; i < f.length; i++) {
    const fi = f[i] as bigint;
    const h = t !== 0n && i >= q.i0 && i <= q.i1 ? asU64(fi + t) : fi;
    const raw = sc.apply(h);
    const g = raw < q.b ? raw : q.b;
    if (fi > g && fi - g > coll) coll = fi - g;
  }
  return coll;
}

/** Mirrors `collateral_for_bump`: `c = canonical_scale_curve(f + t 1[i0,i1])`, then [`collateralAt`]. */
export function collateralForBump(f: readonly bigint[], q: RangeBetQuery, t: bigint): BumpCollateral {
  const curve: BumpedCurve = { h: f, i0: q.i0, i1: q.i1, t };
  const c = canonicalScaleCurve(curve, q.b, q.budget);
  return { c, collateral: collateralAt(f, q, t, c) };
}

/** Mirrors `range_bet_t_hi`: `min(T_SEARCH_MAX_LAMPORTS, u64::MAX - max_{i0..=i1} f_i)`. */
export function rangeBetTHi(f: readonly bigint[], i0: number, i1: number): bigint {
  let maxIn = 0n;
  for (let i = i0; i <= i1; i++) {
    const v = f[i];
    if (v !== undefined && v > maxIn) maxIn = v;
  }
  const room = U64_MAX - maxIn;
  return room < T_SEARCH_MAX_LAMPORTS ? room : T_SEARCH_MAX_LAMPORTS;
}

/** Bounds `lo <= c <= hi` on a canonical scale (`lo == hi` when exact). */
export interface ScaleBounds {
  lo: bigint;
  hi: bigint;
}

/**
 * What the size search asks about bumps, so that the literal mirror and the fast kernel
 * (`fast.ts`) run ONE search. `null` scales are `NormConstraintViolated`. Bounds and lower
 * bounds must be certified; the exact oracle answers them exactly, which makes the search
 * step for step the Rust `solve_range_bet`.
 */
export interface BumpOracle {
  /** The exact canonical scale of bump `t`. */
  scaleOf(t: bigint): bigint | null;
  /** Certified bounds on the canonical scale of bump `t` (exact is fine). */
  scaleBounds(t: bigint): ScaleBounds | null;
  /** A certified lower bound of [`collateralAt`] (exact is fine). */
  collateralLowerBound(t: bigint, c: bigint): bigint;
  /** Exact `collateral_at(t, c)`. */
  collateralAt(t: bigint, c: bigint): bigint;
  /**
   * Optional: sizes in `(tLo, tHi)` near where the answer probably is, for a cap (ascending;
   * any values: they only split the first interval, see [`largestFeasibleSize`]).
   */
  hints?(tLo: bigint, tHi: bigint, cap: bigint): bigint[];
  /**
   * Optional: a certified lower bound of [`collateralAt`] at every size of the buy interval
   * `[a, b]` (`1 <= a < b`) given bounds on the scales at its ends, where
   * `collateralLowerBound(b, ca.hi)` is too loose (0 when it has none; it may stop refining
   * once past `cap`).
   */
  intervalLowerBound?(a: bigint, b: bigint, ca: ScaleBounds, cb: ScaleBounds, cap: bigint): bigint;
}

/** The literal oracle: `canonical_scale_curve` and `collateral_at` on the bigint mirror. */
export function referenceOracle(f: readonly bigint[], q: RangeBetQuery): BumpOracle {
  const scaleOf = (t: bigint): bigint | null => {
    try {
      return canonicalScaleCurve({ h: f, i0: q.i0, i1: q.i1, t }, q.b, q.budget);
    } catch (e) {
      if (e instanceof MathError && e.errorName === "NormConstraintViolated") return null;
      throw e;
    }
  };
  const at = (t: bigint, c: bigint): bigint => collateralAt(f, q, t, c);
  return {
    scaleOf,
    scaleBounds(t) {
      const c = scaleOf(t);
      return c === null ? null : { lo: c, hi: c };
    },
    collateralLowerBound: at,
    collateralAt: at,
  };
}

/**
 * Mirrors `solve_range_bet`: the LARGEST bump `t` in `[1, t_hi]` with a canonical scale and
 * `collateral <= amount`, by the same depth-first branch and bound (right half first;
 * `collateral_at(b, c(a)) > amount` prunes `[a, b]`; a plateau `c(a) == c(b)` answers with
 * `b`). Errors in Rust order: `ZeroBet` (amount 0), grid errors, `InvalidRange`,
 * `ZeroBet` (`t_hi == 0`), `NormConstraintViolated` (no scale at `t_hi`), `ZeroBet` (nothing
 * feasible, or the answer posts collateral 0).
 */
export function solveRangeBet(f: readonly bigint[], q: RangeBetQuery, amount: bigint): RangeBetSolution {
  return solveRangeBetWith(f, q, amount, referenceOracle(f, q));
}

/** Bit length of a u64 (`64 - leading_zeros`). */
function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** Mirrors `split_point`: `2^((log2 a + log2 b) / 2)` (bit lengths) while `b > 4a`, else the midpoint. */
export function splitPoint(a: bigint, b: bigint): bigint {
  const mid = a + (b - a) / 2n;
  if (b / 4n <= a) return mid;
  const geo = 1n << BigInt(Math.floor((bitLength(a) + bitLength(b)) / 2));
  return geo > a && geo < b ? geo : mid;
}

/**
 * A pending interval `[a, b]` of bumps with bounds on the scales of its ends (null: none;
 * undefined: not asked yet, see [`largestFeasibleSize`]).
 */
interface BumpInterval {
  a: bigint;
  ca: ScaleBounds | null | undefined;
  b: bigint;
  cb: ScaleBounds | null | undefined;
}

const isExact = (c: ScaleBounds | null): boolean => c === null || c.lo === c.hi;

/**
 * The `solve_range_bet` search on any [`BumpOracle`]. With bounds instead of exact scales it
 * returns the same bump: a plateau needs `c(a) == c(b)`, impossible once `lo(a) > hi(b)`, and
 * otherwise both ends are made exact first; pruning with `hi(a) >= c(a)` and a lower bound of
 * the collateral is weaker but still sound; leaves are exact.
 */
export function solveRangeBetWith(
  f: readonly bigint[],
  q: RangeBetQuery,
  amount: bigint,
  oracle: BumpOracle,
): RangeBetSolution {
  if (amount === 0n) throw new MathError("ZeroBet");
  validatePoints(f.length);
  if (checkIndex(q.i0) > checkIndex(q.i1) || q.i1 >= f.length) throw new MathError("InvalidRange");
  const tHi = rangeBetTHi(f, q.i0, q.i1);
  if (tHi === 0n) throw new MathError("ZeroBet");
  const cHi = oracle.scaleBounds(tHi);
  if (cHi === null) throw new MathError("NormConstraintViolated");
  const found = largestFeasibleSize(oracle, 1n, tHi, amount, cHi);
  if (found === null || found.collateral === 0n) throw new MathError("ZeroBet");
  return found;
}

/** `splitPoint` on a signed interval: geometric in magnitude on either side of zero. */
function splitSigned(a: bigint, b: bigint): bigint {
  if (a > 0n) return splitPoint(a, b);
  if (b < 0n) return -splitPoint(-b, -a);
  return a + (b - a) / 2n;
}

/**
 * THE size search, shared by every quote (`solve_range_bet` and the general trade solver of
 * `trade-quote.ts`): the LARGEST size `t` in `[tLo, tHi]` with a canonical scale and
 * `cost(t) = oracle.collateralAt(t, c(t)) <= cap`, or null. Valid for any direction along
 * which `h(t)` is non-decreasing in `t` (so `c(t)` is non-increasing), where the oracle's cost is
 * non-increasing in `h` at a fixed `c` (collateral, and netted collateral with any offset):
 * - `cost(t) >= cost_at(b, c(a))` on `[a, b]` (the largest h with the largest c), so an
 *   interval whose bound exceeds `cap` is pruned;
 * - a plateau `c(a) == c(b)` has a constant scale, so the cost falls with `t` and `b` answers;
 * - depth first, right half first: the first feasible answer is the largest.
 * With bounds instead of exact scales it returns the same size: a plateau needs
 * `c(a) == c(b)`, impossible once `lo(a) > hi(b)`, and otherwise both ends are made exact first;
 * pruning with `hi(a) >= c(a)` and a lower bound of the cost is weaker but still sound; leaves
 * are exact. `cHi` is the (already computed) bound at `tHi`.
 */
export function largestFeasibleSize(
  oracle: BumpOracle,
  tLo: bigint,
  tHi: bigint,
  cap: bigint,
  cHi: ScaleBounds | null = oracle.scaleBounds(tHi),
): RangeBetSolution | null {
  const exactly = (t: bigint, c: ScaleBounds | null): ScaleBounds | null => {
    if (isExact(c)) return c;
    const x = oracle.scaleOf(t);
    return x === null ? null : { lo: x, hi: x };
  };
  const feasible = (t: bigint, c: ScaleBounds | null): RangeBetSolution | null => {
    const e = exactly(t, c);
    if (e === null) return null;
    const collateral = oracle.collateralAt(t, e.lo);
    return collateral <= cap ? { t, c: e.lo, collateral } : null;
  };
  const stack: BumpInterval[] = [];
  // Hints (an estimate of the answer, the exact ends of the scale plateaus around it) split
  // [tLo, tHi]: the parts right of the answer are usually pruned at once and the answer found
  // in a narrow part or a whole plateau. Any split of the interval into consecutive parts,
  // right part first, finds the same largest size.
  const cuts = oracle.hints?.(tLo, tHi, cap) ?? [];
  let a = tLo;
  // The bounds at the cuts are asked when the search pops the part right of them (then handed
  // to the part left of them): the parts left of the answer are never popped, and a sell's tLo
  // may lie outside the fast kernel, where bounds cost exact passes.
  let ca: ScaleBounds | null | undefined = cuts.some((cut) => cut > tLo && cut < tHi) ? undefined : oracle.scaleBounds(tLo);
  for (const cut of cuts) {
    if (cut <= a || cut >= tHi) continue;
    stack.push({ a, ca, b: cut, cb: undefined });
    a = cut;
    ca = undefined;
  }
  stack.push({ a, ca, b: tHi, cb: cHi });
  for (let iv = stack.pop(); iv !== undefined; iv = stack.pop()) {
    if (iv.ca === undefined) {
      iv.ca = oracle.scaleBounds(iv.a);
      // The part left of this one ends where it starts.
      const left = stack[stack.length - 1];
      if (left !== undefined && left.b === iv.a && left.cb === undefined) left.cb = iv.ca;
    }
    if (iv.cb === undefined) iv.cb = oracle.scaleBounds(iv.b);
    const ca = iv.ca;
    const cb = iv.cb;
    // C(t) >= collateral_at(b, c(a)) on [a, b]: prune first, it needs no exact scale.
    if (oracle.collateralLowerBound(iv.b, ca === null ? U64_MAX : ca.hi) > cap) continue;
    // A buy interval the one-size bound keeps: the oracle's interval bound, if any.
    if (oracle.intervalLowerBound !== undefined && ca !== null && cb !== null && iv.a >= 1n && oracle.intervalLowerBound(iv.a, iv.b, ca, cb, cap) > cap) continue;
    if (ca !== null && cb !== null && ca.lo <= cb.hi && !(isExact(ca) && isExact(cb))) {
      // Maybe one plateau: decide it on exact scales.
      stack.push({ a: iv.a, ca: exactly(iv.a, ca), b: iv.b, cb: exactly(iv.b, cb) });
      continue;
    }
    let found: RangeBetSolution | null = null;
    if (ca !== null && cb !== null && ca.lo === cb.hi) {
      found = feasible(iv.b, cb);
    } else if (iv.b - iv.a <= 1n) {
      found = feasible(iv.b, cb) ?? (iv.a !== iv.b ? feasible(iv.a, ca) : null);
    } else {
      const mid = splitSigned(iv.a, iv.b);
      const cm = oracle.scaleBounds(mid);
      stack.push({ a: iv.a, ca, b: mid, cb: cm }, { a: mid, ca: cm, b: iv.b, cb });
      continue;
    }
    if (found !== null) return found;
  }
  return null;
}

/** Mirrors `collateral`: `max(0, max_i (f_i - g_i))`; `LengthMismatch`. */
export function collateral(f: readonly bigint[], g: readonly bigint[]): bigint {
  if (f.length !== g.length) throw new MathError("LengthMismatch");
  let m = 0n;
  for (let i = 0; i < f.length; i++) {
    const d = (f[i] as bigint) - (g[i] as bigint);
    if (d > m) m = d;
  }
  return m;
}

/** Mirrors `payoff_vector`: `g_i - f_i` as i64; `LengthMismatch`, `Overflow` past i64. */
export function payoffVector(f: readonly bigint[], g: readonly bigint[], out?: bigint[]): bigint[] {
  const o = out ?? new Array<bigint>(f.length);
  if (f.length !== g.length || o.length !== f.length) throw new MathError("LengthMismatch");
  for (let i = 0; i < f.length; i++) {
    const d = (g[i] as bigint) - (f[i] as bigint);
    if (d > I64_MAX || -d > I64_MAX) throw new MathError("Overflow");
    o[i] = d;
  }
  return o;
}

/**
 * Mirrors `expected_cost`: the trader's expected loss under the market's belief (trapezoid
 * point masses), `ceil(sum w f (f - g) / sum w f)` as a signed lamport amount; grid errors,
 * `LengthMismatch`, `Overflow` (a u128 sum, or past i64), `IntegrationFailed` (zero mass).
 * On doubles (integers below 2^53) the quotient comes from a float estimate with a rigorous
 * error bound when no integer lies within it, else from the exact bigint sums.
 */
export function expectedCost(f: CurveValues, g: CurveValues): bigint {
  const n = f.length;
  validatePoints(n);
  if (g.length !== n) throw new MathError("LengthMismatch");
  if (f instanceof Float64Array && g instanceof Float64Array) {
    const v = expectedCostEstimate(f, g);
    if (v !== null) return v;
    return expectedCost(Array.from(f, BigInt), Array.from(g, BigInt));
  }
  let ff = 0n;
  let fg = 0n;
  for (let i = 0; i < n; i++) {
    const s = BigInt(trapezoidWeightShift(i, n));
    const fi = BigInt(f[i] as bigint | number);
    ff += (fi * fi) << s;
    fg += (fi * BigInt(g[i] as bigint | number)) << s;
    if (ff > U128_MAX || fg > U128_MAX) throw new MathError("Overflow");
  }
  const den = trapezoidSum(f instanceof Float64Array ? Array.from(f, BigInt) : f);
  if (den === 0n) throw new MathError("IntegrationFailed");
  const q = ff >= fg ? divCeilU128(ff - fg, den) : -divU128(fg - ff, den).q;
  if (q > I64_MAX || -q > I64_MAX) throw new MathError("Overflow");
  return q;
}

/**
 * `ceil(num / den)`, `num = sum w f (f - g)`, `den = sum w f`, from doubles: each term
 * `w f d` (`d = f - g` exact) is rounded once and the sums have N + 1 roundings, so
 * `|num~ - num| <= (N + 2) 2^-52 sum |w f d|` and `den~` is within `(N + 2) 2^-52` relative.
 * Returns null when an integer lies in the resulting interval (or the sums are degenerate).
 */
function expectedCostEstimate(f: Float64Array, g: Float64Array): bigint | null {
  const n = f.length;
  let num = 0;
  let abs = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const w = i === 0 || i + 1 === n ? 1 : 2;
    const fi = f[i]!;
    const t = w * fi * (fi - g[i]!);
    num += t;
    abs += Math.abs(t);
    den += w * fi;
  }
  if (!(den > 0) || !Number.isFinite(abs)) return null;
  const rel = (n + 8) * 2 ** -52;
  const err = (abs * rel + Math.abs(num) * rel * 2) / (den * (1 - rel)) + 2 ** -40;
  const q = num / den;
  const lo = Math.ceil(q - err);
  if (lo !== Math.ceil(q + err) || Math.abs(q) + err > 2 ** 52) return null;
  return BigInt(lo);
}

/** Mirrors `GridPosition`: `x = lo + j*step + r`, `0 <= r < step`. */
export interface GridPosition {
  /** Grid index at or left of `x`. */
  j: number;
  /** Offset from `x_j`. */
  r: bigint;
  /** Grid step. */
  step: bigint;
}

/** Mirrors `locate`: clamp `x` to `[lo, hi]`, `j = (x - lo) / step` (last point: `r = 0`). */
export function locate(grid: Grid, x: bigint): GridPosition {
  const step = gridStep(grid);
  const xc = x < grid.lo ? grid.lo : x > grid.hi ? grid.hi : x;
  const off = asU64(xc - grid.lo);
  const j = off / step;
  const last = BigInt(grid.n - 1);
  if (j >= last) return { j: grid.n - 1, r: 0n, step };
  return { j: Number(j), r: off - j * step, step };
}

/** Mirrors `interp_pair_floor`: `floor((v0 (step - r) + v1 r) / step)` (`v0` if `r == 0`). */
export function interpPairFloor(v0: bigint, v1: bigint, pos: GridPosition): bigint {
  return interpPairFloorRem(v0, v1, pos).amount;
}

/** A rounded-down claim and the remainder the floor dropped (`rem / step` lamport). */
export interface ClaimWithRemainder {
  amount: bigint;
  rem: bigint;
}

/** Mirrors `interp_pair_floor_rem`: `v0 (step - r) + v1 r = amount * step + rem`. */
export function interpPairFloorRem(v0: bigint, v1: bigint, pos: GridPosition): ClaimWithRemainder {
  if (pos.r === 0n) return { amount: v0, rem: 0n };
  const num = v0 * (pos.step - pos.r) + v1 * pos.r;
  if (num > U128_MAX) throw new MathError("Overflow");
  const { q, r } = divU128ByU64(num, pos.step);
  if (q > U64_MAX) throw new MathError("Overflow");
  return { amount: q, rem: r };
}

/** Mirrors `interp_floor`: value of a grid curve at `x` (clamped), interpolated down. */
export function interpFloor(v: readonly bigint[], grid: Grid, x: bigint): bigint {
  if (v.length !== grid.n) throw new MathError("LengthMismatch");
  const pos = locate(grid, x);
  const v0 = v[pos.j];
  if (v0 === undefined) throw new MathError("InvalidRange");
  let v1 = v0;
  if (pos.r !== 0n) {
    const w = v[pos.j + 1];
    if (w === undefined) throw new MathError("InvalidRange");
    v1 = w;
  }
  return interpPairFloor(v0, v1, pos);
}

/** `claim_point`: `collateral + p` as u64; `Overflow` if negative or too large. */
function claimPoint(coll: bigint, p: bigint): bigint {
  const v = coll + p;
  if (v < 0n || v > U64_MAX) throw new MathError("Overflow");
  return v;
}

/** Mirrors `trader_claim`: `collateral + payoff` at `x` (clamped), interpolated down. */
export function traderClaim(coll: bigint, payoff: readonly bigint[], grid: Grid, x: bigint): bigint {
  return traderClaimRem(coll, payoff, grid, x).amount;
}

/** Mirrors `trader_claim_rem`: [`traderClaim`] with the floor's remainder. */
export function traderClaimRem(coll: bigint, payoff: readonly bigint[], grid: Grid, x: bigint): ClaimWithRemainder {
  if (payoff.length !== grid.n) throw new MathError("LengthMismatch");
  const pos = locate(grid, x);
  const p0 = payoff[pos.j];
  if (p0 === undefined) throw new MathError("InvalidRange");
  const v0 = claimPoint(coll, p0);
  let v1 = v0;
  if (pos.r !== 0n) {
    const p1 = payoff[pos.j + 1];
    if (p1 === undefined) throw new MathError("InvalidRange");
    v1 = claimPoint(coll, p1);
  }
  return interpPairFloorRem(v0, v1, pos);
}

/** Mirrors `lp_claim`: `b - f_final + f_initial` at `x` (clamped), interpolated down. */
export function lpClaim(
  b: bigint,
  fFinal: readonly bigint[],
  fInitial: readonly bigint[],
  grid: Grid,
  x: bigint,
): bigint {
  return lpClaimRem(b, fFinal, fInitial, grid, x).amount;
}

/** Mirrors `lp_claim_rem`: [`lpClaim`] with the floor's remainder. */
export function lpClaimRem(
  b: bigint,
  fFinal: readonly bigint[],
  fInitial: readonly bigint[],
  grid: Grid,
  x: bigint,
): ClaimWithRemainder {
  const n = grid.n;
  if (fFinal.length !== n || fInitial.length !== n) throw new MathError("LengthMismatch");
  const pos = locate(grid, x);
  const at = (i: number): bigint => {
    const ft = fFinal[i];
    const f0 = fInitial[i];
    if (ft === undefined || f0 === undefined) throw new MathError("InvalidRange");
    if (ft > b) throw new MathError("Overflow");
    const v = b - ft + f0;
    if (v > U64_MAX) throw new MathError("Overflow");
    return v;
  };
  const v0 = at(pos.j);
  const v1 = pos.r === 0n ? v0 : at(pos.j + 1);
  return interpPairFloorRem(v0, v1, pos);
}
