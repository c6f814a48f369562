/**
 * Range bets, collateral, payoffs and claims; mirrors `crates/continuum-math/src/trade.rs`.
 */
import { I64_MAX, T_SEARCH_MAX_LAMPORTS, U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { canonicalScaleCurve, type BumpedCurve } from "./project.js";
import { gridStep, simpsonWeightShift, validatePoints, weightedSum, type Grid } from "./simpson.js";
import { asU64, divCeilU128, divU128ByU64, Scale1e9 } from "./wide.js";

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
 * Mirrors `collateral_for_bump`: `c = canonical_scale_curve(f + t 1[i0,i1])`, then
 * `collateral = max(0, max_i (f_i - min(b, floor(c h_i / 1e9))))`.
 */
export function collateralForBump(f: readonly bigint[], q: RangeBetQuery, t: bigint): BumpCollateral {
  const curve: BumpedCurve = { h: f, i0: q.i0, i1: q.i1, t };
  const c = canonicalScaleCurve(curve, q.b, q.budget);
  const sc = new Scale1e9(c);
  let coll = 0n;
  for (let i = 0; i < f.length; i++) {
    const fi = f[i] as bigint;
    const h = t !== 0n && i >= q.i0 && i <= q.i1 ? asU64(fi + t) : fi;
    const raw = sc.apply(h);
    const g = raw < q.b ? raw : q.b;
    if (fi > g && fi - g > coll) coll = fi - g;
  }
  return { c, collateral: coll };
}

/** `t_hi = min(T_SEARCH_MAX_LAMPORTS, u64::MAX - max_{i0..=i1} f_i)` of `solve_range_bet`. */
export function rangeBetTHi(f: readonly bigint[], i0: number, i1: number): bigint {
  let maxIn = 0n;
  for (let i = i0; i <= i1; i++) {
    const v = f[i];
    if (v !== undefined && v > maxIn) maxIn = v;
  }
  const room = U64_MAX - maxIn;
  return room < T_SEARCH_MAX_LAMPORTS ? room : T_SEARCH_MAX_LAMPORTS;
}

/**
 * Mirrors `solve_range_bet`: the bisection on `t` for `P(t) = collateral(t) <= amount`:
 * `ZeroBet` for amount 0; grid errors; `InvalidRange`; `t_hi` ([`rangeBetTHi`]); if
 * `P(t_hi)` return it (`ZeroBet` if `t_hi == 0`); else `lo = 0, hi = t_hi`,
 * `mid = lo + (hi - lo) / 2` while `hi - lo > 1`; `ZeroBet` if `lo == 0`.
 * This is the literal (reference) version; [`solveRangeBetFast`] returns the same result.
 */
export function solveRangeBet(f: readonly bigint[], q: RangeBetQuery, amount: bigint): RangeBetSolution {
  return solveRangeBetWith(f, q, amount, collateralForBump);
}

/** The `solve_range_bet` bisection with a pluggable (exact) `collateral_for_bump`. */
export function solveRangeBetWith(
  f: readonly bigint[],
  q: RangeBetQuery,
  amount: bigint,
  collateralFor: (f: readonly bigint[], q: RangeBetQuery, t: bigint) => BumpCollateral,
): RangeBetSolution {
  if (amount === 0n) throw new MathError("ZeroBet");
  validatePoints(f.length);
  if (q.i0 > q.i1 || q.i1 >= f.length) throw new MathError("InvalidRange");
  const tHi = rangeBetTHi(f, q.i0, q.i1);
  const hiRes = collateralFor(f, q, tHi);
  if (hiRes.collateral <= amount) {
    if (tHi === 0n) throw new MathError("ZeroBet");
    return { t: tHi, c: hiRes.c, collateral: hiRes.collateral };
  }
  let lo = 0n;
  let hi = tHi;
  let best: RangeBetSolution = { t: 0n, c: 0n, collateral: 0n };
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    const r = collateralFor(f, q, mid);
    if (r.collateral <= amount) {
      lo = mid;
      best = { t: mid, c: r.c, collateral: r.collateral };
    } else {
      hi = mid;
    }
  }
  if (lo === 0n) throw new MathError("ZeroBet");
  return best;
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
 * Mirrors `expected_cost`: `ceil(sum w (g-f)^2 / (2 sum w f))`; grid errors, `LengthMismatch`,
 * `Overflow`, `IntegrationFailed` (zero mass).
 */
export function expectedCost(f: readonly bigint[], g: readonly bigint[]): bigint {
  const n = f.length;
  validatePoints(n);
  if (g.length !== n) throw new MathError("LengthMismatch");
  let num = 0n;
  for (let i = 0; i < n; i++) {
    const d = (g[i] as bigint) - (f[i] as bigint);
    num += (d * d) << BigInt(simpsonWeightShift(i, n));
    if (num > U128_MAX) throw new MathError("Overflow");
  }
  const den = weightedSum(f);
  if (den === 0n) throw new MathError("IntegrationFailed");
  if (den >> 127n !== 0n) throw new MathError("Overflow");
  const q = divCeilU128(num, den << 1n);
  if (q > U64_MAX) throw new MathError("Overflow");
  return q;
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
