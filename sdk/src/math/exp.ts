/**
 * `exp(-y)` in integer arithmetic; mirrors `crates/continuum-math/src/exp.rs`.
 * Table-driven: bits `29..` of `y_1e9` index `EXP_HI_Q63`, bits `23..28` index `EXP_MID_Q63`,
 * the low 23 bits go through a degree-6 Taylor polynomial at 1e18 (u64-only steps, floor
 * divisions); the factors are combined by `floor(a * b / 2^63)`.
 */
import {
  EXP18_ZERO_CUTOFF_1E9,
  EXP_HI_Q63,
  EXP_LO_SHIFT,
  EXP_MID_Q63,
  EXP_ZERO_CUTOFF_1E9,
  SCALE_1E18,
  SCALE_1E9,
} from "./constants.js";

const LO_MASK = (1n << EXP_LO_SHIFT) - 1n;

/** Mirrors the private `exp_poly_1e18`: `exp(-r / 1e9)` at 1e18 for `r < 2^23`. */
function expPoly1e18(r: bigint): bigint {
  const t1 = r * SCALE_1E9;
  const r2 = r * r;
  const t2 = r2 / 2n;
  const t3 = ((r2 / 1_000n) * r) / 6_000_000n;
  const q = r2 / 100_000n;
  const t4 = (q * q) / 2_400_000_000n;
  const t5 = (t4 * r) / 5_000_000_000n;
  const t6 = (t5 * r) / 6_000_000_000n;
  return SCALE_1E18 + t2 + t4 + t6 - (t1 + t3 + t5);
}

/**
 * Mirrors `exp_neg_1e18`: `exp(-y_1e9 / 1e9)` at 1e18 scale. 0 at or above 42e9; else
 * `a = y >> 29`, `b = (y >> 23) & 63`, `r = y & (2^23 - 1)`;
 * `v = floor(poly(r) * EXP_MID_Q63[b] / 2^63)`; `a == 0 ? v : floor(v * EXP_HI_Q63[a] / 2^63)`.
 */
export function expNeg1e18(y1e9: bigint): bigint {
  if (y1e9 >= EXP18_ZERO_CUTOFF_1E9) return 0n;
  const r = y1e9 & LO_MASK;
  const b = Number((y1e9 >> EXP_LO_SHIFT) & 63n);
  const a = Number(y1e9 >> (EXP_LO_SHIFT + 6n));
  const v = (expPoly1e18(r) * EXP_MID_Q63[b]!) >> 63n;
  if (a === 0) return v;
  const h = EXP_HI_Q63[a];
  return h === undefined ? 0n : (v * h) >> 63n;
}

/** Mirrors `exp_neg_1e9`: 0 at or above 22e9, else `floor(exp_neg_1e18(y) / 1e9)`. */
export function expNeg1e9(y1e9: bigint): bigint {
  if (y1e9 >= EXP_ZERO_CUTOFF_1E9) return 0n;
  return expNeg1e18(y1e9) / SCALE_1E9;
}
