//! Unit-carrying integers for the crate's public API, so that a unit mistake (a norm budget
//! passed as a cap, a scale passed as an amount) does not compile.
//!
//! Each type is a `#[repr(transparent)]` wrapper: same layout and, on SBPF, the same code as
//! the raw integer. There is no `Deref` and no `From`: crossing into or out of a unit is an
//! explicit `new` / `get`, which is where the kernels' internals (raw `u64` / `u128` in their
//! hot loops) begin. Arithmetic is only what a caller needs, always checked.
//!
//! - [`BaseUnits`]: an amount of the market's token, in its base units (collateral, fees,
//!   payments, the cap `b`).
//! - [`Ratio1e9`]: a ratio in 1e9 fixed point (the canonical curve scale `c`). Not
//!   [`crate::wide::Scale1e9`], which is the split form of such a ratio used inside products.
//! - [`NormSq`]: a Simpson-weighted squared norm `sum_i w_i g_i^2`, or the norm budget
//!   `floor(3 k^2 / step)` it is compared against.

use crate::error::{MathError, MathResult};

/// An amount of the market's token, in base units.
#[repr(transparent)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct BaseUnits(u64);

impl BaseUnits {
    /// Zero base units.
    pub const ZERO: Self = Self(0);
    /// The largest amount (`u64::MAX` base units).
    pub const MAX: Self = Self(u64::MAX);

    /// `v` base units.
    #[inline(always)]
    pub const fn new(v: u64) -> Self {
        Self(v)
    }

    /// The raw count of base units.
    #[inline(always)]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// `self + rhs`; `Overflow` above `u64::MAX`.
    #[inline(always)]
    pub const fn checked_add(self, rhs: Self) -> MathResult<Self> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Ok(Self(v)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self - rhs`; `Overflow` below zero.
    #[inline(always)]
    pub const fn checked_sub(self, rhs: Self) -> MathResult<Self> {
        match self.0.checked_sub(rhs.0) {
            Some(v) => Ok(Self(v)),
            None => Err(MathError::Overflow),
        }
    }
}

/// A ratio in 1e9 fixed point: `Ratio1e9::new(1_000_000_000)` is 1.
#[repr(transparent)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Ratio1e9(u64);

impl Ratio1e9 {
    /// The largest representable ratio (never a canonical scale: see
    /// [`crate::project::verify_canonical`]).
    pub const MAX: Self = Self(u64::MAX);

    /// The ratio `v / 1e9`.
    #[inline(always)]
    pub const fn new(v: u64) -> Self {
        Self(v)
    }

    /// The raw numerator over 1e9.
    #[inline(always)]
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// A Simpson-weighted squared norm `sum_i w_i g_i^2`, or the norm budget it is checked
/// against (both in the same unit: base units squared, times the integer Simpson weights).
#[repr(transparent)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct NormSq(u128);

impl NormSq {
    /// The squared norm `v`.
    #[inline(always)]
    pub const fn new(v: u128) -> Self {
        Self(v)
    }

    /// The raw squared norm.
    #[inline(always)]
    pub const fn get(self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_are_exact() {
        for v in [0, 1, 1_000_000_000, u64::MAX - 1, u64::MAX] {
            assert_eq!(BaseUnits::new(v).get(), v);
            assert_eq!(Ratio1e9::new(v).get(), v);
        }
        for v in [0, 1, u64::MAX as u128 + 1, u128::MAX] {
            assert_eq!(NormSq::new(v).get(), v);
        }
        assert_eq!(BaseUnits::default(), BaseUnits::ZERO);
        assert_eq!(Ratio1e9::MAX.get(), u64::MAX);
        assert_eq!(NormSq::default().get(), 0);
    }

    #[test]
    fn order_is_the_raw_order() {
        assert!(BaseUnits::new(3) < BaseUnits::new(4));
        assert!(Ratio1e9::new(u64::MAX - 1) < Ratio1e9::MAX);
        assert!(NormSq::new(u128::MAX) > NormSq::new(u64::MAX as u128));
        assert_eq!(BaseUnits::new(9).max(BaseUnits::new(2)), BaseUnits::new(9));
    }

    #[test]
    fn base_units_arithmetic_is_checked() {
        let a = BaseUnits::new(7);
        let b = BaseUnits::new(5);
        assert_eq!(a.checked_add(b), Ok(BaseUnits::new(12)));
        assert_eq!(a.checked_sub(b), Ok(BaseUnits::new(2)));
        assert_eq!(a.checked_sub(a), Ok(BaseUnits::ZERO));
        assert_eq!(b.checked_sub(a), Err(MathError::Overflow));
        assert_eq!(
            BaseUnits::new(u64::MAX).checked_add(BaseUnits::new(1)),
            Err(MathError::Overflow)
        );
        assert_eq!(
            BaseUnits::new(u64::MAX).checked_add(BaseUnits::ZERO),
            Ok(BaseUnits::new(u64::MAX))
        );
    }
}
