/**
 * Range-bet quotes (`price_distribution_bet` in DESIGN §4). One solver, then the integration
 * rules: [`solveAndApply`] (`fast.ts`: the exact fast kernel with the literal mirror as its
 * fallback) gives `(t, c)`, the new curve `g` and the collateral; the displayed probabilities
 * are `range_probability_1e9` of `f` and `g` and the expected cost is `expected_cost(f, g)`
 * (both in `simpson.ts` / `trade.ts`). `quoteRangeBetReference` composes the literal mirrors
 * the same way and is the definition the fast path is tested against.
 */
import { solveAndApply, type AppliedBet } from "./fast.js";
import { checkCurve, checkIndex, checkU128, checkU64 } from "./inputs.js";
import { rangeProbability1e9 } from "./simpson.js";
import { expectedCost, rangeBetApply, solveRangeBet, type RangeBetQuery } from "./trade.js";

/** Inputs of [`quoteRangeBet`]: market constants, the range (grid indices) and the amount. */
export interface RangeBetQuoteParams extends RangeBetQuery {
  /** Amount the trader is willing to post (lamports, > 0). */
  amount: bigint;
}

/** A range-bet quote. Lamport values are u64 unless noted, probabilities are 1e9 fixed point. */
export interface RangeBetQuote {
  /** Bump on the range (lamports): the largest one whose collateral is `<= amount`. */
  t: bigint;
  /** Canonical scale of `f + t 1[i0,i1]`. */
  c: bigint;
  /** Collateral the trader posts: `max_i (f_i - g_i)` (`1 <= collateral <= amount`). */
  collateral: bigint;
  /** Worst payoff if the outcome is a grid point inside the range: `min (C + g_i - f_i)`. */
  payoffInRange: bigint;
  /** Best payoff if the outcome is a grid point outside the range: `max (C + g_i - f_i)`, 0 if none. */
  payoffOutOfRange: bigint;
  /** Displayed probability of the grid points `[i0, i1]` under `f` (1e9, `range_probability_1e9`). */
  probabilityBefore: bigint;
  /** The same under `g` (never below `probabilityBefore`). */
  probabilityAfter: bigint;
  /** Expected loss of the trade under the market's belief, rounded up (signed lamports, `expected_cost`). */
  expectedCost: bigint;
  /** The new market curve `g`. */
  curve: bigint[];
  /** The payoff vector `g - f` (i64 per grid point), as `payoff_vector`. */
  payoff: bigint[];
}

/** The query of a quote, with every input checked (named `MathError`s, see `inputs.ts`). */
function checkedQuery(f: unknown, p: RangeBetQuoteParams): { f: readonly bigint[]; q: RangeBetQuery; amount: bigint } {
  const curve = checkCurve(f);
  const q: RangeBetQuery = { b: checkU64(p.b), budget: checkU128(p.budget), i0: checkIndex(p.i0), i1: checkIndex(p.i1) };
  return { f: curve, q, amount: checkU64(p.amount) };
}

/**
 * Quote a range bet of `amount` on the grid points `[i0, i1]` against the market curve `f`.
 * Errors are named `MathError`s: bad inputs (`Overflow`, `InvalidRange`), then those of
 * `solve_range_bet` (`ZeroBet` also when no bump posts collateral within `[1, amount]`,
 * `InvalidGrid`, `NormConstraintViolated`, ...).
 */
export function quoteRangeBet(f: readonly bigint[], p: RangeBetQuoteParams): RangeBetQuote {
  const { f: curve, q, amount } = checkedQuery(f, p);
  const applied = solveAndApply(curve, q, amount);
  const quote = composeQuote(curve, q, applied);
  applied.solver?.release();
  return quote;
}

/** The literal composition on the bigint mirror (the definition of [`quoteRangeBet`]). */
export function quoteRangeBetReference(f: readonly bigint[], p: RangeBetQuoteParams): RangeBetQuote {
  const { f: curve, q, amount } = checkedQuery(f, p);
  const sol = solveRangeBet(curve, q, amount);
  const applied = rangeBetApply(curve, { ...q, t: sol.t, c: sol.c });
  return composeQuote(curve, q, { sol, g: applied.g, fv: curve, gv: applied.g, solver: null });
}

/** Payoffs, probabilities and expected cost of a solved and applied bet. */
function composeQuote(f: readonly bigint[], q: RangeBetQuery, a: AppliedBet): RangeBetQuote {
  const { sol, g } = a;
  const n = f.length;
  const payoff = new Array<bigint>(n);
  let inMin: bigint | null = null;
  let outMax: bigint | null = null;
  for (let i = 0; i < n; i++) {
    const d = (g[i] as bigint) - (f[i] as bigint);
    payoff[i] = d;
    const v = sol.collateral + d;
    if (i >= q.i0 && i <= q.i1) {
      if (inMin === null || v < inMin) inMin = v;
    } else if (outMax === null || v > outMax) {
      outMax = v;
    }
  }
  return {
    t: sol.t,
    c: sol.c,
    collateral: sol.collateral,
    payoffInRange: inMin ?? 0n,
    payoffOutOfRange: outMax ?? 0n,
    probabilityBefore: rangeProbability1e9(a.fv, q.i0, q.i1),
    probabilityAfter: rangeProbability1e9(a.gv, q.i0, q.i1),
    expectedCost: expectedCost(a.fv, a.gv),
    curve: g,
    payoff,
  };
}
