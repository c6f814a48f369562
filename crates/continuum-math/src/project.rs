//! Projection onto `{ ||g|| <= k, 0 <= g <= b }` by one canonical scalar.
//!
//! Every curve the program writes is `g_i(c) = min(b, floor(c * h_i / 1e9))` for the
//! **canonical** scale `c`: the largest u64 `c` with `||g(c)||^2 <= k^2`, where
//! `||g||^2 = (h_step / 3) * sum_i w_i g_i^2` (Simpson weights).
//!
//! ## Budget form (no u128 x u64 products in the hot loop)
//! Let `S(c) = sum_i w_i g_i(c)^2` (an integer) and `budget = floor(3 k^2 / h_step)`.
//! For integer `S` and `h_step > 0`: `h_step * S <= 3 k^2  <=>  S <= 3 k^2 / h_step`
//! (divide by the positive `h_step`) `<=>  S <= floor(3 k^2 / h_step)` (S is an integer, and
//! an integer is `<=` a real number iff it is `<=` its floor). So `||g||^2 <= k^2` is exactly
//! `S(c) <= budget`, and the market stores `budget` once.
//!
//! ## Monotonicity
//! `floor(c h / 1e9)` is non-decreasing in `c` for `h >= 0`, so is `min(b, .)`, its square,
//! and the weighted sum with positive weights: `S(c)` is non-decreasing, and "c passes" is a
//! prefix of `[0, u64::MAX]`. `c = 0` always passes (`S(0) = 0`). If `c = u64::MAX` passes,
//! the set of passing c is unbounded in the reals (h's support is too narrow for the cap to
//! reach k): `NormConstraintViolated`.

use crate::error::{MathError, MathResult};
use crate::simpson::{simpson_weight_shift, validate_points};
use crate::units::{BaseUnits, NormSq, Ratio1e9};
use crate::wide::{div_u128_by_u64, mul_u128_u64, square_wide, Scale1e9};

/// `floor(3 k^2 / h_step)`: the norm budget compared against `sum w_i g_i^2`.
/// `DivideByZero` if `h_step == 0`; `Overflow` if `3 k^2` exceeds u128.
pub fn norm_sq_budget(k: u64, h_step: u64) -> MathResult<NormSq> {
    norm_sq_budget_from_k_sq(square_wide(k), h_step)
}

/// `floor(3 k_sq / h_step)` for a norm target given as its square.
pub fn norm_sq_budget_from_k_sq(k_sq: u128, h_step: u64) -> MathResult<NormSq> {
    // 3 * k_sq through the limb product (LLVM would fold `(k << 1) + k` into an i128 mul).
    let three = mul_u128_u64(k_sq, 3).ok_or(MathError::Overflow)?;
    Ok(NormSq::new(div_u128_by_u64(three, h_step)?.0))
}

/// A curve `h` with an optional bump: `h'_i = h_i + t` for `i0 <= i <= i1`, else `h_i`.
/// The plain projection is `t = 0` (range irrelevant). Keeps call sites under 5 args.
#[derive(Clone, Copy, Debug)]
pub struct BumpedCurve<'a> {
    /// Base curve (unscaled shape, or the market's current `f`).
    pub h: &'a [u64],
    /// First index of the bump (inclusive).
    pub i0: usize,
    /// Last index of the bump (inclusive).
    pub i1: usize,
    /// Amount added on `[i0, i1]`.
    pub t: u64,
}

impl<'a> BumpedCurve<'a> {
    /// A curve without bump.
    pub fn plain(h: &'a [u64]) -> Self {
        BumpedCurve {
            h,
            i0: 0,
            i1: 0,
            t: 0,
        }
    }

    /// Validate: grid length odd >= 3, `i0 <= i1 < N` when `t > 0` (`InvalidRange`), and
    /// `h_i + t` fits in u64 on the range (`Overflow`).
    pub fn validate(&self) -> MathResult<()> {
        validate_points(self.h.len())?;
        if self.t == 0 {
            return Ok(());
        }
        if self.i0 > self.i1 || self.i1 >= self.h.len() {
            return Err(MathError::InvalidRange);
        }
        for i in self.i0..=self.i1 {
            if let Some(v) = self.h.get(i) {
                v.checked_add(self.t).ok_or(MathError::Overflow)?;
            }
        }
        Ok(())
    }

    /// `h'_i` (wrapping add: call [`Self::validate`] first).
    #[inline]
    pub fn at(&self, i: usize, v: u64) -> u64 {
        if self.t != 0 && i >= self.i0 && i <= self.i1 {
            v.wrapping_add(self.t)
        } else {
            v
        }
    }
}

/// Does `c` pass, i.e. `sum_i w_i min(b, floor(c h'_i / 1e9))^2 <= budget`? Exact: the loop
/// stops early (returns false) as soon as the partial sum exceeds `budget` or would
/// overflow u128 (the exact sum is then > budget too). Assumes `curve` validated.
///
/// Raw integers on purpose: this is the inner predicate of the bisections (64 calls each)
/// and of the range-bet solver; the typed API is [`canonical_scale`] / [`verify_canonical`].
pub fn scale_passes(curve: &BumpedCurve, b: u64, budget: u128, c: u64) -> bool {
    let n = curve.h.len();
    let sc = Scale1e9::new(c);
    let mut acc: u128 = 0;
    for i in 0..n {
        let raw = sc.apply(curve.at(i, curve.h[i]));
        let g = if raw < b { raw } else { b };
        let sq = square_wide(g);
        let s = simpson_weight_shift(i, n);
        if s != 0 && sq >> (128 - s) != 0 {
            return false;
        }
        acc = match acc.checked_add(sq << s) {
            Some(v) => v,
            None => return false,
        };
        if acc > budget {
            return false;
        }
    }
    true
}

/// Canonical scale for a (bumped) curve. Algorithm (mirror exactly):
/// 1. `curve.validate()`.
/// 2. If `scale_passes(u64::MAX)`: `NormConstraintViolated`.
/// 3. `lo = 0` (passes), `hi = u64::MAX` (fails). While `hi - lo > 1`:
///    `mid = lo + (hi - lo) / 2` (floor); if `scale_passes(mid)` then `lo = mid` else
///    `hi = mid`. Return `lo` (at most 64 iterations).
pub fn canonical_scale_curve(
    curve: &BumpedCurve,
    b: BaseUnits,
    budget: NormSq,
) -> MathResult<Ratio1e9> {
    let (b, budget) = (b.get(), budget.get());
    curve.validate()?;
    if scale_passes(curve, b, budget, u64::MAX) {
        return Err(MathError::NormConstraintViolated);
    }
    let mut lo: u64 = 0;
    let mut hi: u64 = u64::MAX;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if scale_passes(curve, b, budget, mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Ratio1e9::new(lo))
}

/// The largest `c` with `sum w_i min(b, floor(c h_i/1e9))^2 <= budget`
/// (see [`canonical_scale_curve`] for the exact bisection).
pub fn canonical_scale(h: &[u64], b: BaseUnits, budget: NormSq) -> MathResult<Ratio1e9> {
    canonical_scale_curve(&BumpedCurve::plain(h), b, budget)
}

/// `Ok(())` iff `c` passes and `c + 1` fails (`c == u64::MAX` is never canonical).
/// Errors: grid errors, `NotCanonical`.
pub fn verify_canonical(h: &[u64], b: BaseUnits, budget: NormSq, c: Ratio1e9) -> MathResult<()> {
    let (b, budget, c) = (b.get(), budget.get(), c.get());
    let curve = BumpedCurve::plain(h);
    curve.validate()?;
    if c == u64::MAX
        || !scale_passes(&curve, b, budget, c)
        || scale_passes(&curve, b, budget, c + 1)
    {
        return Err(MathError::NotCanonical);
    }
    Ok(())
}

/// `out_i = min(b, floor(c h_i / 1e9))`. `LengthMismatch` if lengths differ.
pub fn apply_scale(h: &[u64], b: BaseUnits, c: Ratio1e9, out: &mut [u64]) -> MathResult<()> {
    if out.len() != h.len() {
        return Err(MathError::LengthMismatch);
    }
    let (b, sc) = (b.get(), Scale1e9::new(c.get()));
    for i in 0..h.len() {
        let raw = sc.apply(h[i]);
        out[i] = if raw < b { raw } else { b };
    }
    Ok(())
}

/// Project `h`: find the canonical `c`, write `g(c)` into `out`, return `c`.
pub fn project(h: &[u64], b: BaseUnits, budget: NormSq, out: &mut [u64]) -> MathResult<Ratio1e9> {
    if out.len() != h.len() {
        return Err(MathError::LengthMismatch);
    }
    let c = canonical_scale(h, b, budget)?;
    apply_scale(h, b, c, out)?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::simpson::weighted_sum_sq;
    use std::vec;

    #[test]
    fn budget_equivalence() {
        assert_eq!(norm_sq_budget(10, 3), Ok(NormSq::new(100)));
        assert_eq!(norm_sq_budget(10, 7), Ok(NormSq::new(300 / 7)));
        assert_eq!(norm_sq_budget(10, 0), Err(MathError::DivideByZero));
        assert_eq!(
            norm_sq_budget_from_k_sq(u128::MAX, 1),
            Err(MathError::Overflow)
        );
    }

    #[test]
    fn projection_is_canonical() {
        let mut seed = 7u64;
        for trial in 0..300 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = 3 + 2 * ((seed >> 33) % 40) as usize;
            let mut h = vec![0u64; n];
            for (i, v) in h.iter_mut().enumerate() {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *v = (seed >> 20) % 2_000_000_000 + (i as u64 % 3);
            }
            let b = BaseUnits::new(1_000_000_000 + (seed >> 40));
            let k = 1_000_000_000u64 * (1 + trial % 5);
            let budget = norm_sq_budget(k, 1 + (trial % 4)).unwrap();
            let norm = |g: &[u64]| weighted_sum_sq(g).map(NormSq::new);
            let mut g = vec![0u64; n];
            match project(&h, b, budget, &mut g) {
                Ok(c) => {
                    assert!(norm(&g).unwrap() <= budget);
                    assert!(g.iter().all(|&x| x <= b.get()));
                    verify_canonical(&h, b, budget, c).unwrap();
                    let (up, down) = (Ratio1e9::new(c.get() + 1), Ratio1e9::new(c.get() - 1));
                    let mut g1 = vec![0u64; n];
                    apply_scale(&h, b, up, &mut g1).unwrap();
                    assert!(norm(&g1).map(|s| s > budget).unwrap_or(true));
                    assert_eq!(
                        verify_canonical(&h, b, budget, down),
                        Err(MathError::NotCanonical)
                    );
                }
                Err(e) => {
                    assert_eq!(e, MathError::NormConstraintViolated);
                    let mut gm = vec![0u64; n];
                    apply_scale(&h, b, Ratio1e9::MAX, &mut gm).unwrap();
                    assert!(norm(&gm).unwrap() <= budget);
                }
            }
        }
        // Narrow support: a single nonzero point at the cap cannot reach a large k.
        let h = [0, 5, 0];
        let b = BaseUnits::new(10);
        assert_eq!(
            canonical_scale(&h, b, NormSq::new(1_000_000)),
            Err(MathError::NormConstraintViolated)
        );
        assert_eq!(
            canonical_scale(&[0, 0, 0], b, NormSq::new(0)),
            Err(MathError::NormConstraintViolated)
        );
    }
}
