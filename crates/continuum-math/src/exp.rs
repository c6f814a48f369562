//! `exp(-y)` in integer arithmetic (used by the Normal shapes).
//!
//! Table-driven, fixed number of steps, no loop and no division of a wide value: the input
//! `y_1e9` (y times 1e9) is split into its bits `29..` (table [`EXP_HI_Q63`]), its bits
//! `23..28` (table [`EXP_MID_Q63`]) and its low 23 bits `r` (`r / 1e9 < 0.0084`), whose
//! `exp(-r)` is a degree-6 Taylor polynomial in native u64 arithmetic at 1e18 scale. The
//! three factors are combined with two 64x64 -> 128 products shifted right by 63.

use crate::constants::{
    EXP18_ZERO_CUTOFF_1E9, EXP_HI_Q63, EXP_LO_SHIFT, EXP_MID_Q63, EXP_ZERO_CUTOFF_1E9, SCALE_1E18,
    SCALE_1E9,
};
use crate::wide::mul_u64_wide;

/// `floor(a * b / 2^63)` (`b` is a Q63 factor <= 1.0, so the result is <= `a`).
#[inline(always)]
fn mul_q63(a: u64, b: u64) -> u64 {
    (mul_u64_wide(a, b) >> 63) as u64
}

/// `exp(-r / 1e9)` at 1e18 scale for `r < 2^23`, native u64 only (mirror exactly; every `/`
/// is a floor division):
/// `t1 = r * 1e9`, `r2 = r * r`, `t2 = r2 / 2`, `t3 = (r2 / 1000) * r / 6e6`,
/// `q = r2 / 100000`, `t4 = q * q / 2.4e9`, `t5 = t4 * r / 5e9`, `t6 = t5 * r / 6e9`;
/// result `(1e18 + t2 + t4 + t6) - (t1 + t3 + t5)`.
/// (`t_n` approximates `r^n / n!` in units of 1e-18; error < 8e-18, no intermediate
/// exceeds 6e17.)
#[inline(always)]
fn exp_poly_1e18(r: u64) -> u64 {
    let t1 = r * SCALE_1E9;
    let r2 = r * r;
    let t2 = r2 / 2;
    let t3 = (r2 / 1_000) * r / 6_000_000;
    let q = r2 / 100_000;
    let t4 = q * q / 2_400_000_000;
    let t5 = t4 * r / 5_000_000_000;
    let t6 = t5 * r / 6_000_000_000;
    (SCALE_1E18 + t2 + t4 + t6) - (t1 + t3 + t5)
}

/// `exp(-y)` at 1e18 scale for `y = y_1e9 / 1e9`; absolute error below 2e-17 (a few units
/// of the last place), 0 where `exp(-y) < 1e-18`. Steps (mirror exactly):
/// 1. if `y_1e9 >= EXP18_ZERO_CUTOFF_1E9` (42e9): return 0.
/// 2. `a = y_1e9 >> 29` (<= 78), `b = (y_1e9 >> 23) & 63`, `r = y_1e9 & (2^23 - 1)`.
/// 3. `p = exp_poly_1e18(r)` (see the private helper: native u64, floor divisions).
/// 4. `v = floor(p * EXP_MID_Q63[b] / 2^63)`; if `a == 0` return `v`;
///    else return `floor(v * EXP_HI_Q63[a] / 2^63)` (64x64 -> 128 products).
pub fn exp_neg_1e18(y_1e9: u64) -> u64 {
    if y_1e9 >= EXP18_ZERO_CUTOFF_1E9 {
        return 0;
    }
    let r = y_1e9 & ((1u64 << EXP_LO_SHIFT) - 1);
    let b = ((y_1e9 >> EXP_LO_SHIFT) & 63) as usize;
    let a = (y_1e9 >> (EXP_LO_SHIFT + 6)) as usize;
    let v = mul_q63(exp_poly_1e18(r), EXP_MID_Q63[b]);
    if a == 0 {
        return v;
    }
    match EXP_HI_Q63.get(a) {
        Some(h) => mul_q63(v, *h),
        None => 0,
    }
}

/// `floor(exp_neg_1e18(y_1e9) / 1e9)`: `exp(-y)` at 1e9 scale (the floor of the true value
/// except when that lies within ~2e-8 of an integer, then possibly one less or more;
/// 0 once `exp(-y) < 1e-9`). Returns 0 without computing for `y_1e9 >= EXP_ZERO_CUTOFF_1E9`
/// (22e9), where `exp_neg_1e18 < 2.8e8` floors to 0 anyway.
pub fn exp_neg_1e9(y_1e9: u64) -> u64 {
    if y_1e9 >= EXP_ZERO_CUTOFF_1E9 {
        return 0;
    }
    exp_neg_1e18(y_1e9) / SCALE_1E9
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{LN2_1E18, Q63_ONE};
    use crate::wide::{div_u128_by_u64, mul_div_floor};

    /// The previous series implementation (range reduction by ln 2, alternating Taylor
    /// series of up to 40 terms at 1e18), kept as a reference good to a few 1e-18.
    fn series_1e18(y_1e9: u64) -> u64 {
        let y18 = mul_u64_wide(y_1e9, SCALE_1E9);
        let k = div_u128_by_u64(y18, LN2_1E18).unwrap().0 as u64;
        let r = (y18 - mul_u64_wide(k, LN2_1E18)) as u64;
        let (mut term, mut pos, mut neg) = (SCALE_1E18, SCALE_1E18, 0u64);
        for n in 1..=40u64 {
            term = mul_div_floor(term, r, SCALE_1E18).unwrap() / n;
            if term == 0 {
                break;
            }
            if n & 1 == 1 {
                neg += term;
            } else {
                pos += term;
            }
        }
        (pos - neg) >> k
    }

    #[test]
    fn exp_matches_series_and_f64() {
        let mut worst = 0u64;
        let mut mism9 = 0u64;
        let mut y = 0u64;
        let mut count = 0u64;
        while y < 45_000_000_000 {
            let got = exp_neg_1e18(y);
            let want = if y < EXP18_ZERO_CUTOFF_1E9 {
                series_1e18(y)
            } else {
                0
            };
            let diff = got.abs_diff(want);
            worst = worst.max(diff);
            assert!(diff <= 8, "{y} {got} {want}");
            let f = (-(y as f64) / 1e9).exp();
            assert!((got as f64 / 1e18 - f).abs() <= 2e-17 + f * 1e-15, "{y}");
            let g9 = exp_neg_1e9(y);
            let w9 = want / SCALE_1E9;
            assert!(g9.abs_diff(w9) <= 1, "{y}");
            if g9 != w9 {
                mism9 += 1;
            }
            // Dense near the table boundaries, sparse elsewhere.
            y += if y & ((1 << 23) - 1) < 64 {
                1
            } else {
                1_000_003
            };
            count += 1;
        }
        assert!(
            worst <= 8 && mism9 * 100_000 <= count,
            "{worst} {mism9} {count}"
        );
        assert_eq!(exp_neg_1e18(0), SCALE_1E18);
        assert_eq!(exp_neg_1e9(0), SCALE_1E9);
        assert_eq!(exp_neg_1e9(u64::MAX), 0);
        assert_eq!(exp_neg_1e18(u64::MAX), 0);
    }

    #[test]
    fn exp_polynomial_bounds() {
        // Largest remainder: no intermediate overflows and the value stays below 1e18.
        let r = (1u64 << EXP_LO_SHIFT) - 1;
        let p = exp_poly_1e18(r);
        let f = (-(r as f64) / 1e9).exp() * 1e18;
        assert!((p as f64 - f).abs() < 1e3, "{p} {f}");
        assert_eq!(exp_poly_1e18(0), SCALE_1E18);
    }

    #[test]
    fn exp_tables_match_f64() {
        for (b, v) in EXP_MID_Q63.iter().enumerate() {
            let f = (-((b as f64) * 8_388_608.0) / 1e9).exp();
            assert!((*v as f64 / Q63_ONE as f64 - f).abs() < 1e-15, "{b}");
        }
        for (a, v) in EXP_HI_Q63.iter().enumerate() {
            let f = (-((a as f64) * 536_870_912.0) / 1e9).exp();
            assert!((*v as f64 / Q63_ONE as f64 - f).abs() < 1e-15, "{a}");
        }
    }
}
