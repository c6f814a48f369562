/**
 * The AMM invariant as an operator check on a market read from chain: every curve point in
 * `[0, b]` and `||f||^2 = (h/3) sum w_i f_i^2 <= k^2`, i.e. `sum w_i f_i^2 <= floor(3 k^2 / h)`
 * (the budget is recomputed from `k` and the grid step with the SDK's exact math, not taken
 * from the account, so a corrupted stored budget can't hide a violation).
 */
import type { AmmMarketAccount } from "../accounts/amm.js";
import { normSqBudget } from "../math/project.js";
import { weightedSumSq } from "../math/simpson.js";

/** Why `m`'s curve breaks the invariant, or null when it holds. */
export function normViolation(m: Pick<AmmMarketAccount, "curve" | "k" | "b" | "step">): string | null {
  const bad = m.curve.findIndex((f) => f < 0n || f > m.b);
  if (bad >= 0) return `f[${bad}] = ${m.curve[bad]} is outside [0, b = ${m.b}]`;
  let sumSq: bigint;
  let budget: bigint;
  try {
    sumSq = weightedSumSq(m.curve);
    budget = normSqBudget(m.k, m.step);
  } catch (e) {
    return `norm not computable: ${e instanceof Error ? e.message : String(e)}`;
  }
  return sumSq <= budget ? null : `sum w_i f_i^2 = ${sumSq} exceeds 3 k^2 / h = ${budget}`;
}
