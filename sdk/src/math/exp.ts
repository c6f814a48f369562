/**
 * `exp(-y)` in integer arithmetic; mirrors `crates/continuum-math/src/exp.rs`.
 * Range reduction `y = k ln2 + r`, alternating Taylor series at 1e18 (positive and negative
 * terms summed separately), then a right shift by `k`.
 */
import { EXP_MAX_TERMS, EXP_ZERO_CUTOFF_1E9, LN2_1E18, SCALE_1E18, SCALE_1E9 } from "./constants.js";
import { asU64 } from "./wide.js";

export { EXP_MAX_TERMS } from "./constants.js";

/**
 * Mirrors `exp_neg_1e18`: `exp(-y_1e9 / 1e9)` at 1e18 scale. Steps: 0 at or above 22e9;
 * `k = floor(y * 1e9 / LN2_1E18)`, `r = y * 1e9 - k * LN2_1E18`; for `n = 1..=40`
 * `term = floor(floor(term * r / 1e18) / n)` (stop at 0), odd terms to `neg`, even to `pos`;
 * `(pos - neg) >> k`.
 */
export function expNeg1e18(y1e9: bigint): bigint {
  if (y1e9 >= EXP_ZERO_CUTOFF_1E9) return 0n;
  const y18 = y1e9 * SCALE_1E9;
  const k = y18 / LN2_1E18;
  const r = asU64(y18 - k * LN2_1E18);
  let term = SCALE_1E18;
  let pos = SCALE_1E18;
  let neg = 0n;
  for (let n = 1n; n <= EXP_MAX_TERMS; n++) {
    // mul_div_floor cannot overflow here (term <= 1e18, r < 1e18), so no `Err -> 0` branch.
    term = (term * r) / SCALE_1E18 / n;
    if (term === 0n) break;
    if ((n & 1n) === 1n) neg += term;
    else pos += term;
  }
  return asU64(pos - neg) >> k;
}

/** Mirrors `exp_neg_1e9`: `floor(exp_neg_1e18(y) / 1e9)`. */
export function expNeg1e9(y1e9: bigint): bigint {
  return expNeg1e18(y1e9) / SCALE_1E9;
}
