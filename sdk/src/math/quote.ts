/**
 * Range-bet quotes (`price_distribution_bet` in DESIGN §4), built from the mirrored
 * `solve_range_bet`, `range_bet_apply`, `range_probability_1e9` and `expected_cost`.
 * `quoteRangeBet` runs them on the exact fast kernel of `fast.ts` when the market is in its
 * range (`b`, `f_i <= 2^50`), else on the literal bigint mirror; both give the same bits
 * (`quoteRangeBetReference` is kept for tests and as the definition).
 */
import {
  applyFast,
  fastPathApplies,
  rangeMass24Number,
  solveRangeBetFastCore,
  weightedSumNumber,
} from "./fast.js";
import { probability1e9, rangeProbability1e9 } from "./simpson.js";
import { expectedCost, rangeBetApply, solveRangeBet, type RangeBetQuery } from "./trade.js";

/** Inputs of [`quoteRangeBet`]: market constants, the range (grid indices) and the amount. */
export interface RangeBetQuoteParams extends RangeBetQuery {
  /** Amount the trader is willing to post (lamports, > 0). */
  amount: bigint;
}

/** A range-bet quote. Lamport values are u64, probabilities are 1e9 fixed point. */
export interface RangeBetQuote {
  /** Bump on the range (lamports). */
  t: bigint;
  /** Canonical scale of `f + t 1[i0,i1]`. */
  c: bigint;
  /** Collateral the trader posts: `max_i (f_i - g_i)` (`<= amount`). */
  collateral: bigint;
  /** Worst payoff if the outcome is a grid point inside the range: `min (C + g_i - f_i)`. */
  payoffInRange: bigint;
  /** Best payoff if the outcome is a grid point outside the range: `max (C + g_i - f_i)`, 0 if none. */
  payoffOutOfRange: bigint;
  /** Probability of the range under `f` (1e9). */
  probabilityBefore: bigint;
  /** Probability of the range under `g` (1e9). */
  probabilityAfter: bigint;
  /** `ceil(||g - f||^2 / (2 integral f))` (lamports), as `expected_cost`. */
  expectedCost: bigint;
  /** The new market curve `g`. */
  curve: bigint[];
  /** The payoff vector `g - f` (i64 per grid point), as `payoff_vector`. */
  payoff: bigint[];
}

/**
 * Quote a range bet of `amount` on `[i0, i1]` against the market curve `f`: `solve_range_bet`
 * (t and canonical c), `range_bet_apply` (g and collateral), `range_probability_1e9` before and
 * after, `expected_cost`. Errors of those functions propagate (`ZeroBet`, `InvalidRange`,
 * `NormConstraintViolated`, ...).
 */
export function quoteRangeBet(f: readonly bigint[], p: RangeBetQuoteParams): RangeBetQuote {
  if (!fastPathApplies(f, p.b)) return quoteRangeBetReference(f, p);
  const q: RangeBetQuery = { b: p.b, budget: p.budget, i0: p.i0, i1: p.i1 };
  const { sol, solver } = solveRangeBetFastCore(f, q, p.amount);
  const coll = applyFast(solver, Number(sol.t), sol.c);
  const { n, g } = solver;
  const fN = solver.f;
  const curve = new Array<bigint>(n);
  const payoff = new Array<bigint>(n);
  let inMin = Infinity;
  let outMax = -Infinity;
  let num = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const d = gi - fN[i]!;
    curve[i] = BigInt(gi);
    payoff[i] = BigInt(d);
    const v = coll + d;
    if (i >= p.i0 && i <= p.i1) {
      if (v < inMin) inMin = v;
    } else if (v > outMax) {
      outMax = v;
    }
    num += solver.w[i]! * d * d;
  }
  return {
    t: sol.t,
    c: sol.c,
    collateral: BigInt(coll),
    payoffInRange: inMin === Infinity ? 0n : BigInt(inMin),
    payoffOutOfRange: outMax === -Infinity ? 0n : BigInt(outMax),
    probabilityBefore: probabilityNumber(fN, f, p.i0, p.i1),
    probabilityAfter: probabilityNumber(g, curve, p.i0, p.i1),
    expectedCost: expectedCostNumber(fN, num, f, curve),
    curve,
    payoff,
  };
}

/** `range_probability_1e9` with the sums in doubles when exact, else the bigint mirror. */
function probabilityNumber(v: Float64Array, vb: readonly bigint[], i0: number, i1: number): bigint {
  const m = rangeMass24Number(v, i0, i1);
  const ws = weightedSumNumber(v);
  if (m < 0 || ws < 0 || ws * 8 >= 2 ** 53) return rangeProbability1e9(vb, i0, i1);
  return probability1e9(BigInt(m), BigInt(ws * 8));
}

/**
 * `expected_cost = ceil(num / (2 den))`, `num = sum w (g - f)^2`: from the double estimate of
 * `num` (relative error below `(N + 4) 2^-52`) when no integer lies in its error interval,
 * else exactly with the bigint mirror.
 */
function expectedCostNumber(
  f: Float64Array,
  numApprox: number,
  fb: readonly bigint[],
  gb: readonly bigint[],
): bigint {
  const den = weightedSumNumber(f);
  if (den > 0 && den < 2 ** 51) {
    if (numApprox === 0) return 0n; // every d is 0 (d >= 1 has d^2 >= 1)
    const qa = numApprox / (2 * den);
    const rel = (f.length + 8) * 2 ** -52;
    const lo = qa * (1 - rel);
    const hi = qa * (1 + rel);
    if (hi < 2 ** 50) {
      const fl = Math.floor(lo);
      if (fl === Math.floor(hi) && lo > fl) return BigInt(fl + 1);
    }
  }
  return expectedCost(fb, gb);
}

/** The literal composition on the bigint mirror (the definition of [`quoteRangeBet`]). */
export function quoteRangeBetReference(f: readonly bigint[], p: RangeBetQuoteParams): RangeBetQuote {
  const q: RangeBetQuery = { b: p.b, budget: p.budget, i0: p.i0, i1: p.i1 };
  const sol = solveRangeBet(f, q, p.amount);
  const applied = rangeBetApply(f, { ...q, t: sol.t, c: sol.c });
  const g = applied.g;
  const coll = applied.collateral;
  const n = f.length;
  const payoff = new Array<bigint>(n);
  let inMin: bigint | null = null;
  let outMax: bigint | null = null;
  for (let i = 0; i < n; i++) {
    const d = (g[i] as bigint) - (f[i] as bigint);
    payoff[i] = d;
    const v = coll + d;
    if (i >= p.i0 && i <= p.i1) {
      if (inMin === null || v < inMin) inMin = v;
    } else if (outMax === null || v > outMax) {
      outMax = v;
    }
  }
  return {
    t: sol.t,
    c: sol.c,
    collateral: coll,
    payoffInRange: inMin ?? 0n,
    payoffOutOfRange: outMax ?? 0n,
    probabilityBefore: rangeProbability1e9(f, p.i0, p.i1),
    probabilityAfter: rangeProbability1e9(g, p.i0, p.i1),
    expectedCost: expectedCost(f, g),
    curve: g,
    payoff,
  };
}
