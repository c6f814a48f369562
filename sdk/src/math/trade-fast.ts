/**
 * The general trade on the fast exact kernel (`fast.ts`) for a range or a direction (belief
 * shape, unwind; [`FastRangeBet.setDirection`]): the apply step
 * of `trade_apply` and the quote's display figures, from the kernel state the size search left
 * behind, with the SAME results as the bigint mirror (`tradeApplyGeneral`, `rangeProbability1e9`,
 * `probability1e9`, `expectedCost`). Why it is exact:
 * - `g` comes from the exact limb kernel (`FastRangeBet.passesBig`, which also decides the
 *   canonical checks `S(c) <= budget < S(c + 1)` exactly) and `sum w g^2` from exact limb sums;
 * - a probability `floor(1e9 x / T)` is taken from doubles only when the float quotient is more
 *   than 1e-6 away from an integer (its error is below 7e-7: four roundings of a value below
 *   1e9 + 1), else from the exact u128 rule;
 * - masses and the expected cost's numerator are exact limb sums (`exactDot`).
 * Used by `quoteTrade` for trades on the fast path (`trade-quote.ts`).
 */
import { I64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { exactDot, type FastRangeBet } from "./fast.js";
import { probability1e9 } from "./simpson.js";
import { expectedCost } from "./trade.js";
import { payoffCollateral, settle, type TradeApplied } from "./trade-general.js";

const I64_MIN = -(1n << 63n);
const E9 = 1e9;
const E9_BIG = 1_000_000_000n;

/**
 * The inputs of a trade already validated by the quote (`validateTrade`); `i0`, `i1`: a range
 * trade's range, absent for a trade along the kernel's direction.
 */
export interface FastRangeTrade {
  f: readonly bigint[];
  payoff: readonly bigint[];
  collateral: bigint;
  budget: bigint;
  feeBps: bigint;
  i0?: number;
  i1?: number;
  t: bigint;
  c: bigint;
}

/**
 * `trade_apply` of a trade `(t, c)` on the kernel: a range trade (`0 < |t| < 2^53`) or a trade
 * along its direction (any i64 size with `h(t)` in the kernel's domain, `inDomain` after `setSize`), the market
 * in the fast domain: the same outcome and errors as `tradeApplyGeneral` after its
 * `validateTrade` (`h` stays below u64 there, `P'` within i64 for `|P| < 2^50`, checked anyway).
 */
export function applyRangeTradeFast(solver: FastRangeBet, p: FastRangeTrade): TradeApplied {
  const { f, payoff, i0, i1, t, c } = p;
  const n = f.length;
  let h: bigint[];
  if (i0 !== undefined && i1 !== undefined) {
    h = f.slice();
    for (let i = i0; i <= i1; i++) {
      const v = (f[i] as bigint) + t;
      h[i] = v < 0n ? 0n : v;
    }
    solver.setBump(Number(t));
  } else {
    solver.setSize(t);
    if (!solver.inDomain) throw new RangeError("applyRangeTradeFast: size outside the kernel's domain");
    h = solver.target();
  }
  // c + 1 at this size is often a pass the size search made (a plateau end's scale check).
  const next1 = solver.knownPasses(Number(t), c + 1n) ?? solver.passesAny(c + 1n);
  const here = solver.passesBig(c); // last: leaves g(c) in the kernel's limbs
  const g = solver.curve();
  const out = new Array<bigint>(n);
  const { fH, fL, gH, gL, off } = solver;
  let moved = false;
  // P' = P + (g - f): in doubles when P (`off`, rounded from P), g - f (exact limb difference)
  // and their sum are below 2^53 in magnitude (then every step is exact), else in bigint.
  let allExact = true;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const dh = gH[i]! - fH[i]!;
    const dl = gL[i]! - fL[i]!;
    if (dh !== 0 || dl !== 0) moved = true;
    const pd = off[i]!;
    const d = dh * E9 + dl;
    const np = pd + d;
    if (pd < 2 ** 53 && pd > -(2 ** 53) && d < 2 ** 53 && d > -(2 ** 53) && np < 2 ** 53 && np > -(2 ** 53)) {
      out[i] = BigInt(np);
      if (-np > worst) worst = -np;
    } else {
      allExact = false;
      const v = (payoff[i] as bigint) + (g[i] as bigint) - (f[i] as bigint);
      if (v < I64_MIN || v > I64_MAX) throw new MathError("Overflow");
      out[i] = v;
    }
  }
  if (!here || next1) throw new MathError("NotCanonical");
  if (!moved) throw new MathError("ZeroBet");
  // R' = max(0, max(-P')): from the doubles when every value was exact.
  const collateralAfter = allExact ? BigInt(worst) : payoffCollateral(out);
  const money = settle(p.collateral, collateralAfter, p.feeBps);
  return {
    h,
    g,
    payoff: out,
    collateralBefore: p.collateral,
    collateralAfter,
    normSq: solver.lastNormSq(),
    delta: money.delta,
    fee: money.fee,
    netIn: money.netIn,
    amountIn: money.amountIn,
    amountOut: money.amountOut,
  };
}

/**
 * `probability1e9(mass, total)` (`floor(1e9 mass / total)`, at most 1e9) with `massD`, `totalD`
 * doubles within 2^-51 relative of the exact values (`massD` = `w v`): from the float quotient when it is more
 * than 1e-6 from an integer (its error is below 1e9 * 6 * 2^-53 < 7e-7), else the exact rule.
 */
function probabilityFast(massD: number, totalD: number, w: number, v: bigint, total: bigint): bigint {
  if (totalD > 0) {
    const r = (massD * E9) / totalD;
    const q = Math.floor(r);
    if (r - q > 1e-6 && q + 1 - r > 1e-6 && q < E9) return BigInt(q);
  }
  // The exact mass w v (trapezoid weight 1 or 2).
  return probability1e9(w === 2 ? v << 1n : v, total);
}

/** The display figures of a range quote. */
export interface RangeDisplay {
  probabilityBefore: bigint;
  probabilityAfter: bigint;
  pointProbabilities: bigint[];
  /** `ceil(sum w f (f - g) / sum w f)` (before the fee is added). */
  expectedLoss: bigint;
}

/**
 * The display of a range quote from the kernel's limbs of `f` and of `g` (the last full pass,
 * [`applyRangeTradeFast`]): identical to `rangeProbability1e9` before and after,
 * `probability1e9` per point under `g` and `expectedCost(f, g)`, with exact limb sums
 * (`exactDot`) instead of a bigint per point.
 */
export function rangeDisplay(solver: FastRangeBet, g: readonly bigint[], i0: number, i1: number): RangeDisplay {
  return kernelDisplay(solver, g, (w, vH, vL) => exactMass(w, vH, vL, i0, i1 + 1));
}

/**
 * [`rangeDisplay`] for any set of points (`region`, the quote's: a shape's band, an unwind's
 * winning points): identical to `regionProbability1e9` of `f` and of `g`.
 */
export function regionDisplay(solver: FastRangeBet, g: readonly bigint[], region: readonly boolean[]): RangeDisplay {
  return kernelDisplay(solver, g, (w, vH, vL) => exactMassOf(w, vH, vL, region));
}

/** The display figures from the kernel's limbs, `regionMass` giving the exact mass of the shown points. */
function kernelDisplay(
  solver: FastRangeBet,
  g: readonly bigint[],
  regionMass: (w: Float64Array, vH: Float64Array, vL: Float64Array) => bigint,
): RangeDisplay {
  const { n, fH, fL, gH, gL } = solver;
  const w = trapezoidWeights(n);
  const totalF = exactMass(w, fH, fL, 0, n);
  const totalG = exactMass(w, gH, gL, 0, n);
  if (totalF === 0n || totalG === 0n) throw new MathError("IntegrationFailed");
  const probabilityBefore = probability1e9(regionMass(w, fH, fL), totalF);
  const probabilityAfter = probability1e9(regionMass(w, gH, gL), totalG);
  const totalGD = Number(totalG);
  const pointProbabilities = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    pointProbabilities[i] = probabilityFast(wi * (gH[i]! * E9 + gL[i]!), totalGD, wi, g[i] as bigint, totalG);
  }
  // Every value below 2^53 (the doubles are exact): the mirror's own float estimate with its
  // rigorous error bound (exact fallback inside), as the quote without the kernel computes it.
  if (solver.narrow) {
    const expectedLoss = expectedCost(solver.f, solver.g);
    return { probabilityBefore, probabilityAfter, pointProbabilities, expectedLoss };
  }
  // sum w f (f - g), exactly: f - g has limbs (fH - gH, fL - gL).
  const dH = solver.scratchH;
  const dL = solver.scratchL;
  for (let i = 0; i < n; i++) {
    dH[i] = fH[i]! - gH[i]!;
    dL[i] = fL[i]! - gL[i]!;
  }
  const num = exactDot(w, fH, fL, dH, dL, 0, n);
  // ceil(num / den) for either sign (the mirror's two branches).
  const q = num >= 0n ? (num + totalF - 1n) / totalF : num / totalF;
  if (q > I64_MAX || -q > I64_MAX) throw new MathError("Overflow");
  return { probabilityBefore, probabilityAfter, pointProbabilities, expectedLoss: q };
}

/** Trapezoid weights `1, 2, ..., 2, 1` (in units of `h / 2`) of an N-point grid, built once per N. */
const trapezoidCache = new Map<number, Float64Array>();
function trapezoidWeights(n: number): Float64Array {
  let w = trapezoidCache.get(n);
  if (w === undefined) {
    w = new Float64Array(n).fill(2);
    w[0] = 1;
    w[n - 1] = 1;
    if (trapezoidCache.size >= 16) trapezoidCache.clear();
    trapezoidCache.set(n, w);
  }
  return w;
}

/** [`exactMass`] over the points of a mask (fewer than 2^22 points). */
function exactMassOf(w: Float64Array, vH: Float64Array, vL: Float64Array, mask: readonly boolean[]): bigint {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const wi = w[i]!;
    hi += wi * vH[i]!;
    lo += wi * vL[i]!;
  }
  return BigInt(hi) * E9_BIG + BigInt(lo);
}

/**
 * Exact `sum_{from <= i < to} w_i v_i` for values given as base-1e9 limbs `v = vH 1e9 + vL`
 * (`0 <= vH < 2^28`, `0 <= vL < 1e9`, `w <= 2`): both limb sums are integers below 2^53 for
 * fewer than 2^22 points, so they are exact in doubles; one bigint step combines them (longer
 * spans: a bigint per point).
 */
export function exactMass(w: Float64Array, vH: Float64Array, vL: Float64Array, from: number, to: number): bigint {
  if (to - from >= 2 ** 22) {
    let exact = 0n;
    for (let i = from; i < to; i++) exact += BigInt(w[i]!) * (BigInt(vH[i]!) * E9_BIG + BigInt(vL[i]!));
    return exact;
  }
  let hi = 0;
  let lo = 0;
  for (let i = from; i < to; i++) {
    const wi = w[i]!;
    hi += wi * vH[i]!;
    lo += wi * vL[i]!;
  }
  return BigInt(hi) * E9_BIG + BigInt(lo);
}
