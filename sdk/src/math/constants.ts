/**
 * Fixed-point scales and search limits; mirrors `crates/continuum-math/src/constants.rs`.
 * Every value is a `bigint` because the Rust constants are u64.
 */

/** `SCALE_1E9`: fixed-point scale of ratios, probabilities and scale factors (`1.0 == 1e9`). */
export const SCALE_1E9 = 1_000_000_000n;

/** `SCALE_1E18`: the internal scale of `exp`. */
export const SCALE_1E18 = 1_000_000_000_000_000_000n;

/** `LN2_1E18`: floor(ln 2 * 1e18). */
export const LN2_1E18 = 693_147_180_559_945_309n;

/** `SQRT_PI_1E9_FLOOR`: floor(sqrt(pi) * 1e9). */
export const SQRT_PI_1E9_FLOOR = 1_772_453_850n;

/** `SPLIT_FAST_X_LIMIT`: `2^34`, bound of the split fast path of `Scale1e9::apply`. */
export const SPLIT_FAST_X_LIMIT = 1n << 34n;

/** `SPLIT_FAST_CI_LIMIT`: `2^30`, bound on `c / 1e9` for the split fast path. */
export const SPLIT_FAST_CI_LIMIT = 1n << 30n;

/** `T_SEARCH_MAX_LAMPORTS`: upper end (`2^48`) of the range-bet bump bisection. */
export const T_SEARCH_MAX_LAMPORTS = 1n << 48n;

/** `MAX_MIXTURE_COMPONENTS`: maximum number of mixture components. */
export const MAX_MIXTURE_COMPONENTS = 4;

/** `SHAPE_PEAK_1E9`: peak value of unscaled shapes (height 1.0). */
export const SHAPE_PEAK_1E9 = SCALE_1E9;

/** `EXP_ZERO_CUTOFF_1E9`: `exp(-y)` is 0 for `y_1e9 >= 22e9`. */
export const EXP_ZERO_CUTOFF_1E9 = 22n * SCALE_1E9;

/** `exp::EXP_MAX_TERMS`: maximum number of Taylor terms. */
export const EXP_MAX_TERMS = 40n;

/** `shapes::MEAN_1E9_ABS_MAX`: bound on `|mean_1e9|`, `2^100`. */
export const MEAN_1E9_ABS_MAX = 1n << 100n;

/** `u64::MAX`. */
export const U64_MAX = (1n << 64n) - 1n;

/** `u128::MAX`. */
export const U128_MAX = (1n << 128n) - 1n;

/** `i64::MAX`. */
export const I64_MAX = (1n << 63n) - 1n;
