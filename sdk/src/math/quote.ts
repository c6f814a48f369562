/**
 * Range-bet quotes (`price_distribution_bet` in DESIGN §4), built from the mirrored
 * `solve_range_bet`, `range_bet_apply`, `range_probability_1e9` and `expected_cost`.
 */
import { rangeProbability1e9 } from "./simpson.js";
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
  /** `ceil(||g - f||^2 / (2 integral f))` (lamports). */
  expectedCost: bigint;
  /** The new market curve `g`. */
  curve: bigint[];
  /** The payoff vector `g - f` (i64 per grid point). */
  payoff: bigint[];
}

/**
 * Quote a range bet of `amount` on `[i0, i1]` against the market curve `f`: solve `t` and `c`
 * exactly as the Rust `solve_range_bet`, apply it with `range_bet_apply`, then the
 * probabilities before/after and the expected cost. Errors of those functions propagate
 * (`ZeroBet`, `InvalidRange`, `NormConstraintViolated`, ...).
 */
export function quoteRangeBet(f: readonly bigint[], p: RangeBetQuoteParams): RangeBetQuote {
  const q: RangeBetQuery = { b: p.b, budget: p.budget, i0: p.i0, i1: p.i1 };
  const sol = solveRangeBet(f, q, p.amount);
  const applied = rangeBetApply(f, { ...q, t: sol.t, c: sol.c });
  return finishQuote(f, p, sol.t, sol.c, applied.collateral, applied.g);
}

/** The part of a quote after `g` is known. */
export function finishQuote(
  f: readonly bigint[],
  p: RangeBetQuoteParams,
  t: bigint,
  c: bigint,
  coll: bigint,
  g: bigint[],
): RangeBetQuote {
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
    t,
    c,
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
