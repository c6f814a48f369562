//! `exp(-y)` in integer arithmetic (used by the Normal shapes).
//!
//! Range reduction `y = k ln2 + r` with `0 <= r < ln2`, an alternating Taylor series for
//! `exp(-r)` at 1e18 scale (positive and negative terms summed separately so nothing is
//! signed), then a right shift by `k`. No tables, no floats.

use crate::constants::{EXP_ZERO_CUTOFF_1E9, LN2_1E18, SCALE_1E18, SCALE_1E9};
use crate::wide::{mul_div_floor, mul_u64_wide};

/// Maximum number of Taylor terms; `r^n / n! < 1e-18` long before (n = 19 for r < ln 2).
pub const EXP_MAX_TERMS: u64 = 40;

/// `exp(-y)` at 1e18 scale for `y = y_1e9 / 1e9`, floor-ish (error a few 1e-18). Steps
/// (mirror exactly):
/// 1. if `y_1e9 >= EXP_ZERO_CUTOFF_1E9` (22e9): return 0.
/// 2. `k = floor(y_1e9 * 1e9 / LN2_1E18)` (wide product);
///    `r = y_1e9 * 1e9 - k * LN2_1E18` (exact, `0 <= r < LN2_1E18`).
/// 3. `term = 1e18, pos = 1e18, neg = 0`; for `n = 1..=40`:
///    `term = floor(floor(term * r / 1e18) / n)`; stop if `term == 0`;
///    odd `n`: `neg += term`, even `n`: `pos += term`.
/// 4. return `(pos - neg) >> k`.
pub fn exp_neg_1e18(y_1e9: u64) -> u64 {
    if y_1e9 >= EXP_ZERO_CUTOFF_1E9 {
        return 0;
    }
    let y18 = mul_u64_wide(y_1e9, SCALE_1E9);
    // y18 < 2.2e19 and the quotient is <= 31: the wide helpers cannot fail here.
    let k = match crate::wide::div_u128_by_u64(y18, LN2_1E18) {
        Ok((q, _)) => q as u64,
        Err(_) => return 0,
    };
    let r = (y18 - mul_u64_wide(k, LN2_1E18)) as u64;
    let mut term = SCALE_1E18;
    let mut pos = SCALE_1E18;
    let mut neg = 0u64;
    let mut n = 1u64;
    while n <= EXP_MAX_TERMS {
        term = match mul_div_floor(term, r, SCALE_1E18) {
            Ok(v) => v / n,
            Err(_) => 0,
        };
        if term == 0 {
            break;
        }
        if n & 1 == 1 {
            neg += term;
        } else {
            pos += term;
        }
        n += 1;
    }
    (pos - neg) >> k
}

/// `floor(exp_neg_1e18(y_1e9) / 1e9)`: `exp(-y)` at 1e9 scale (absolute error < 1e-9;
/// 0 once `exp(-y) < 1e-9`).
pub fn exp_neg_1e9(y_1e9: u64) -> u64 {
    exp_neg_1e18(y_1e9) / SCALE_1E9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_f64() {
        let mut y = 0u64;
        while y < 25_000_000_000 {
            let want = (-(y as f64) / 1e9).exp();
            let got18 = exp_neg_1e18(y) as f64 / 1e18;
            if y < EXP_ZERO_CUTOFF_1E9 {
                assert!(
                    (got18 - want).abs() <= 1e-16 + want * 1e-15,
                    "{y} {got18} {want}"
                );
            }
            let got9 = exp_neg_1e9(y) as f64;
            assert!((got9 - want * 1e9).abs() <= 1.0 + want * 1e-6, "{y}");
            y += 7_919_113;
        }
        assert_eq!(exp_neg_1e18(0), SCALE_1E18);
        assert_eq!(exp_neg_1e9(0), SCALE_1E9);
        assert_eq!(exp_neg_1e9(u64::MAX), 0);
    }
}
