//! Composite Simpson integration on an odd grid, in exact integer sums.
//!
//! A grid has `N = 2m + 1` points (odd, `N >= 3`), so it has an even number of intervals and
//! composite Simpson is valid with weights `1, 4, 2, 4, ..., 2, 4, 1` (`w_0 = w_{N-1} = 1`,
//! odd interior index 4, even interior index 2). The integral is `(h/3) * sum w_i f_i`;
//! this module returns the raw integer weighted sums and leaves the `h/3` factor to helpers
//! that state their rounding. Range masses use a common denominator of `24/h` so that the
//! 1/3 rule (8/24), the 3/8 rule (9/24) and the trapezoid (12/24) are all integers.

use crate::constants::SCALE_1E9;
use crate::error::{MathError, MathResult};
use crate::wide::{div_u128, div_u128_by_u64, mul_u128_u64, mul_u64_wide, square_wide};

/// Check a point count: `n < 3` is `InsufficientPoints`, even `n` is `InvalidGrid`.
#[inline]
pub fn validate_points(n: usize) -> MathResult<()> {
    if n < 3 {
        return Err(MathError::InsufficientPoints);
    }
    if n & 1 == 0 {
        return Err(MathError::InvalidGrid);
    }
    Ok(())
}

/// Simpson weight of index `i` on a grid of `n` points, as a left shift:
/// weight 1 -> 0, weight 2 -> 1, weight 4 -> 2. Assumes `i < n`.
#[inline]
pub fn simpson_weight_shift(i: usize, n: usize) -> u32 {
    if i == 0 || i + 1 == n {
        0
    } else if i & 1 == 1 {
        2
    } else {
        1
    }
}

/// Simpson weight (1, 2 or 4) of index `i` on a grid of `n` points.
#[inline]
pub fn simpson_weight(i: usize, n: usize) -> u64 {
    1u64 << simpson_weight_shift(i, n)
}

/// `sum_i w_i f_i` (exact, u128). Errors: grid errors for `f.len()`; `Overflow` (never for
/// fewer than 2^62 points).
pub fn weighted_sum(f: &[u64]) -> MathResult<u128> {
    let n = f.len();
    validate_points(n)?;
    let mut acc: u128 = 0;
    for i in 0..n {
        let v = (f[i] as u128) << simpson_weight_shift(i, n);
        acc = acc.checked_add(v).ok_or(MathError::Overflow)?;
    }
    Ok(acc)
}

/// `sum_i w_i f_i^2` (exact, u128, squares through the wide product). `Overflow` if the
/// sum does not fit in u128.
pub fn weighted_sum_sq(f: &[u64]) -> MathResult<u128> {
    let n = f.len();
    validate_points(n)?;
    let mut acc: u128 = 0;
    for i in 0..n {
        let sq = square_wide(f[i]);
        let s = simpson_weight_shift(i, n);
        if s != 0 && sq >> (128 - s) != 0 {
            return Err(MathError::Overflow);
        }
        acc = acc.checked_add(sq << s).ok_or(MathError::Overflow)?;
    }
    Ok(acc)
}

/// `floor(h_step * ws / 3)`: the Simpson integral from a weighted sum, rounded down.
pub fn integral_floor(ws: u128, h_step: u64) -> MathResult<u128> {
    let p = mul_u128_u64(ws, h_step).ok_or(MathError::Overflow)?;
    Ok(div_u128_by_u64(p, 3)?.0)
}

/// `ceil(h_step * ws / 3)`: the Simpson integral from a weighted sum, rounded up.
pub fn integral_ceil(ws: u128, h_step: u64) -> MathResult<u128> {
    let p = mul_u128_u64(ws, h_step).ok_or(MathError::Overflow)?;
    let (q, r) = div_u128_by_u64(p, 3)?;
    Ok(if r != 0 { q + 1 } else { q })
}

/// `8 * (a + 4b + c)`: Simpson 1/3 on two intervals in 24ths of `h`.
#[inline]
fn simpson_pair_24(a: u64, b: u64, c: u64) -> u128 {
    ((a as u128) + ((b as u128) << 2) + (c as u128)) << 3
}

/// Mass of the grid-aligned range `[i0, i1]` (indices, inclusive) in units of `h/24`,
/// i.e. `24/h * integral_{x_i0}^{x_i1} f`. Exact integer, no rounding:
/// - `i1 - i0 == 0`: 0.
/// - `i1 - i0 == 1`: trapezoid, `12 (f_i0 + f_i1)`.
/// - even count: composite Simpson, `8 * sum over pairs (f_j + 4 f_{j+1} + f_{j+2})`.
/// - odd count >= 3: composite Simpson on the first `count - 3` intervals, then Simpson
///   3/8 on the last three: `9 (f_a + 3 f_{a+1} + 3 f_{a+2} + f_{a+3})`, `a = i1 - 3`.
///
/// The full grid `[0, N-1]` gives exactly `8 * weighted_sum(f)`.
/// Errors: grid errors; `InvalidRange` if `i0 > i1` or `i1 >= N`.
pub fn range_mass_24(f: &[u64], i0: usize, i1: usize) -> MathResult<u128> {
    validate_points(f.len())?;
    if i0 > i1 || i1 >= f.len() {
        return Err(MathError::InvalidRange);
    }
    let count = i1 - i0;
    let s = match f.get(i0..=i1) {
        Some(s) => s,
        None => return Err(MathError::InvalidRange),
    };
    if count == 0 {
        return Ok(0);
    }
    if count == 1 {
        return match s {
            &[a, b] => {
                let sum = (a as u128) + (b as u128);
                // 12 * sum through the limb product: LLVM folds shift+add back into an
                // i128 multiply, which SBPF cannot link.
                mul_u128_u64(sum, 12).ok_or(MathError::Overflow)
            }
            _ => Err(MathError::InvalidRange),
        };
    }
    let simpson_end = if count & 1 == 0 { count } else { count - 3 };
    let mut acc: u128 = 0;
    let mut j = 0;
    while j + 2 <= simpson_end {
        let (a, b, c) = match s.get(j..j + 3) {
            Some(&[a, b, c]) => (a, b, c),
            _ => return Err(MathError::InvalidRange),
        };
        acc = acc
            .checked_add(simpson_pair_24(a, b, c))
            .ok_or(MathError::Overflow)?;
        j += 2;
    }
    if count & 1 == 1 {
        let (a, b, c, d) = match s.get(simpson_end..simpson_end + 4) {
            Some(&[a, b, c, d]) => (a, b, c, d),
            _ => return Err(MathError::InvalidRange),
        };
        // f_a + 3 f_{a+1} + 3 f_{a+2} + f_{a+3}, then * 9, through limb products (see above).
        let mid = mul_u128_u64((b as u128) + (c as u128), 3).ok_or(MathError::Overflow)?;
        let inner = (a as u128) + mid + (d as u128);
        let nine = mul_u128_u64(inner, 9).ok_or(MathError::Overflow)?;
        acc = acc.checked_add(nine).ok_or(MathError::Overflow)?;
    }
    Ok(acc)
}

/// `floor(1e9 * mass_24(i0, i1) / (8 * weighted_sum(f)))`: probability of the range under
/// `p = f / integral(f)`, rounded down. `IntegrationFailed` if the total mass is 0;
/// the result is capped at `1e9` (the 3/8 or trapezoid rule can exceed the Simpson total
/// for a sub-range by rounding of the rules, never for the full grid).
pub fn range_probability_1e9(f: &[u64], i0: usize, i1: usize) -> MathResult<u64> {
    let m = range_mass_24(f, i0, i1)?;
    let total = weighted_sum(f)? << 3;
    probability_1e9(m, total)
}

/// `min(1e9, floor(1e9 * mass / total))` exactly. `IntegrationFailed` if `total == 0`,
/// `Overflow` if `mass * 1e9` exceeds u128.
pub fn probability_1e9(mass: u128, total: u128) -> MathResult<u64> {
    if total == 0 {
        return Err(MathError::IntegrationFailed);
    }
    let num = mul_u128_u64(mass, SCALE_1E9).ok_or(MathError::Overflow)?;
    let (q, _) = div_u128(num, total)?;
    if q >= SCALE_1E9 as u128 {
        return Ok(SCALE_1E9);
    }
    Ok(q as u64)
}

/// `sum_i w_i * a_i * b_i` (exact, u128) for two equal-length curves.
pub fn weighted_dot(a: &[u64], b: &[u64]) -> MathResult<u128> {
    let n = a.len();
    validate_points(n)?;
    if b.len() != n {
        return Err(MathError::LengthMismatch);
    }
    let mut acc: u128 = 0;
    for i in 0..n {
        let p = mul_u64_wide(a[i], b[i]);
        let s = simpson_weight_shift(i, n);
        if s != 0 && p >> (128 - s) != 0 {
            return Err(MathError::Overflow);
        }
        acc = acc.checked_add(p << s).ok_or(MathError::Overflow)?;
    }
    Ok(acc)
}

/// An outcome domain `[lo, hi]` with `n` points and integer step `(hi - lo) / (n - 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Lower end of the domain (outcome units).
    pub lo: i64,
    /// Upper end of the domain (outcome units).
    pub hi: i64,
    /// Number of points (odd, >= 3).
    pub n: u32,
}

impl Grid {
    /// Validate the grid and return its step: `InsufficientPoints`/`InvalidGrid` for `n`,
    /// `InvalidGrid` if `hi <= lo` or `(hi - lo) % (n - 1) != 0`.
    pub fn step(&self) -> MathResult<u64> {
        validate_points(self.n as usize)?;
        if self.hi <= self.lo {
            return Err(MathError::InvalidGrid);
        }
        let width = (self.hi as u64).wrapping_sub(self.lo as u64);
        let intervals = (self.n - 1) as u64;
        if !width.is_multiple_of(intervals) {
            return Err(MathError::InvalidGrid);
        }
        Ok(width / intervals)
    }

    /// Outcome of grid point `i`: `lo + i * step` (exact; assumes `i < n`).
    pub fn x(&self, i: usize, step: u64) -> i64 {
        (self.lo as u64).wrapping_add((i as u64).wrapping_mul(step)) as i64
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn grid_validation() {
        assert_eq!(weighted_sum(&[1, 2]), Err(MathError::InsufficientPoints));
        assert_eq!(weighted_sum(&[1, 2, 3, 4]), Err(MathError::InvalidGrid));
        assert_eq!(weighted_sum(&[1, 1, 1]), Ok(6));
        assert_eq!(weighted_sum(&[1, 1, 1, 1, 1]), Ok(12));
        assert_eq!(
            weighted_sum_sq(&[2, 3, 4, 5, 6]),
            Ok(4 + 36 + 32 + 100 + 36)
        );
        assert_eq!(
            weighted_sum_sq(&[u64::MAX, u64::MAX, u64::MAX]),
            Err(MathError::Overflow)
        );
        let g = Grid {
            lo: -10,
            hi: 10,
            n: 5,
        };
        assert_eq!(g.step(), Ok(5));
        assert_eq!(
            Grid {
                lo: -10,
                hi: 10,
                n: 7
            }
            .step(),
            Err(MathError::InvalidGrid)
        );
    }

    #[test]
    fn range_rules_exact_on_cubics() {
        // Simpson and 3/8 are exact for cubics: f(x) = x^3 + 2x^2 + 1 on x = 0..=10.
        let f: std::vec::Vec<u64> = (0..11u64).map(|x| x * x * x + 2 * x * x + 1).collect();
        let prim = |x: f64| x.powi(4) / 4.0 + 2.0 * x.powi(3) / 3.0 + x;
        for i0 in 0..11 {
            for i1 in i0..11 {
                let m = range_mass_24(&f, i0, i1).unwrap() as f64 / 24.0;
                let exact = prim(i1 as f64) - prim(i0 as f64);
                if i1 - i0 != 1 {
                    assert!((m - exact).abs() < 1e-9, "{i0} {i1} {m} {exact}");
                }
            }
        }
        assert_eq!(
            range_mass_24(&f, 0, 10).unwrap(),
            8 * weighted_sum(&f).unwrap()
        );
        assert_eq!(range_probability_1e9(&f, 0, 10), Ok(SCALE_1E9));
        assert_eq!(range_mass_24(&f, 3, 11), Err(MathError::InvalidRange));
        assert_eq!(range_mass_24(&f, 4, 3), Err(MathError::InvalidRange));
    }
}
