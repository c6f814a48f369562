//! Composite Simpson integration on an odd grid, in exact integer sums.
//!
//! A grid has `N = 2m + 1` points (odd, `N >= 3`), so it has an even number of intervals and
//! composite Simpson is valid with weights `1, 4, 2, 4, ..., 2, 4, 1` (`w_0 = w_{N-1} = 1`,
//! odd interior index 4, even interior index 2). The integral is `(h/3) * sum w_i f_i`;
//! this module returns the raw integer weighted sums and leaves the `h/3` factor to helpers
//! that state their rounding. Simpson weights define the norm; the probability shown to a
//! trader uses trapezoid point masses ([`range_mass`]), the rule of the piecewise-linear
//! curve that payouts interpolate.

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

/// Trapezoid weight of index `i` on a grid of `n` points, as a left shift: the two ends
/// weigh 1 (shift 0), interior points 2 (shift 1). Assumes `i < n`.
#[inline]
pub fn trapezoid_weight_shift(i: usize, n: usize) -> u32 {
    if i == 0 || i + 1 == n {
        0
    } else {
        1
    }
}

/// `sum_{i0 <= i <= i1} w_i f_i` with trapezoid weights `1, 2, ..., 2, 1` (exact, u128): the
/// mass of the grid points `[i0, i1]` in units of `h/2`. Grid point `i` carries
/// `(h/2) w_i f_i`, the trapezoid value of `integral f phi_i` where `phi_i` is the hat function
/// through which the payout `sum_i payoff_i phi_i(x)` interpolates; the masses of all points
/// sum to the exact integral of the piecewise-linear curve (see `docs/accuracy.md`).
/// Errors: grid errors; `InvalidRange` if `i0 > i1` or `i1 >= N`; `Overflow`.
pub fn range_mass(f: &[u64], i0: usize, i1: usize) -> MathResult<u128> {
    let n = f.len();
    validate_points(n)?;
    if i0 > i1 || i1 >= n {
        return Err(MathError::InvalidRange);
    }
    let mut acc: u128 = 0;
    for i in i0..=i1 {
        let v = (f[i] as u128) << trapezoid_weight_shift(i, n);
        acc = acc.checked_add(v).ok_or(MathError::Overflow)?;
    }
    Ok(acc)
}

/// `sum_i w_i f_i` with trapezoid weights over the whole grid: `2/h` times the exact integral
/// of the piecewise-linear curve. Errors: grid errors; `Overflow`.
pub fn trapezoid_sum(f: &[u64]) -> MathResult<u128> {
    let n = f.len();
    validate_points(n)?;
    range_mass(f, 0, n - 1)
}

/// The probability shown to a trader for the grid points `[i0, i1]`:
/// `floor(1e9 * range_mass(i0, i1) / trapezoid_sum)`. A measure on the grid points:
/// additive (disjoint ranges sum to the whole up to the floors), the whole grid is exactly
/// `1e9`, a single point with `f_i > 0` is positive, and a bet on the range never lowers it
/// (`docs/accuracy.md`). `IntegrationFailed` if the total mass is 0.
pub fn range_probability_1e9(f: &[u64], i0: usize, i1: usize) -> MathResult<u64> {
    let m = range_mass(f, i0, i1)?;
    let total = trapezoid_sum(f)?;
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
    fn range_masses_partition_the_trapezoid_total() {
        let f: std::vec::Vec<u64> = (0..11u64).map(|x| x * x * x + 2 * x * x + 1).collect();
        let total = trapezoid_sum(&f).unwrap();
        for m in 0..10 {
            let left = range_mass(&f, 0, m).unwrap();
            let right = range_mass(&f, m + 1, 10).unwrap();
            assert_eq!(left + right, total);
        }
        assert_eq!(range_mass(&f, 4, 4), Ok(2 * f[4] as u128));
        assert_eq!(range_mass(&f, 0, 0), Ok(f[0] as u128));
        assert_eq!(range_probability_1e9(&f, 0, 10), Ok(SCALE_1E9));
        assert_eq!(range_mass(&f, 3, 11), Err(MathError::InvalidRange));
        assert_eq!(range_mass(&f, 4, 3), Err(MathError::InvalidRange));
        assert_eq!(
            range_probability_1e9(&[0, 0, 0], 0, 2),
            Err(MathError::IntegrationFailed)
        );
    }

    #[test]
    fn simpson_sum_exact_on_cubics() {
        // Simpson is exact for cubics: f(x) = x^3 + 2x^2 + 1 on x = 0..=10.
        let f: std::vec::Vec<u64> = (0..11u64).map(|x| x * x * x + 2 * x * x + 1).collect();
        let exact = 10f64.powi(4) / 4.0 + 2.0 * 10f64.powi(3) / 3.0 + 10.0;
        let got = weighted_sum(&f).unwrap() as f64 / 3.0;
        assert!((got - exact).abs() < 1e-9, "{got} {exact}");
    }
}
