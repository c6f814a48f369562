//! Fixed-point scales and search limits. Every constant names its exponent.

/// Fixed-point scale of ratios, probabilities and scale factors: `1.0 == 1e9`.
pub const SCALE_1E9: u64 = 1_000_000_000;

/// `1e18`, the internal scale of [`crate::exp`] (keeps ~9 guard digits over the 1e9 output).
pub const SCALE_1E18: u64 = 1_000_000_000_000_000_000;

/// `ln(2)` at 1e18 scale, floor of 0.693147180559945309417... * 1e18.
pub const LN2_1E18: u64 = 693_147_180_559_945_309;

/// `sqrt(pi)` at 1e9 scale, rounded DOWN (1.7724538509...): using the floor makes the
/// Normal sigma bound check conservative (it can only reject more, never accept less).
pub const SQRT_PI_1E9_FLOOR: u64 = 1_772_453_850;

/// Largest `x` for which the split product `cf * x` (with `cf < 1e9`) stays in u64:
/// `1e9 * 2^34 < 2^64`. Above it [`crate::wide::scale_floor_1e9`] falls back to wide math.
pub const SPLIT_FAST_X_LIMIT: u64 = 1 << 34;

/// Largest integer part `ci = c / 1e9` for which `ci * x` stays in u64 when `x < 2^34`.
pub const SPLIT_FAST_CI_LIMIT: u64 = 1 << 30;

/// Upper bound (exclusive-ish, see [`crate::trade::solve_range_bet`]) of the bisection on
/// the range-bet bump `t`, in lamports: 2^48 lamports is about 281,475 SOL.
pub const T_SEARCH_MAX_LAMPORTS: u64 = 1 << 48;

/// Maximum number of mixture components.
pub const MAX_MIXTURE_COMPONENTS: usize = 4;

/// Peak value of unscaled shapes: a shape of height 1.0 is emitted as `1e9`.
pub const SHAPE_PEAK_1E9: u64 = SCALE_1E9;

/// `exp(-y)` is reported as 0 at 1e9 scale once `y >= 21.0` would already floor to 0
/// (exp(-20.73) < 1e-9); the cut-off at 1e9 scale. Values `y >= EXP_ZERO_CUTOFF_1E9`
/// return 0 without computing.
pub const EXP_ZERO_CUTOFF_1E9: u64 = 22 * SCALE_1E9;
