//! Checked arithmetic for the program's books: one place that turns an overflow into
//! `ContinuumError::Overflow` (instead of `checked_add(..).ok_or(Overflow)` at every call).

use crate::error::{ContinuumError, ContinuumResult};

/// `a + b`, or `Overflow`.
#[inline(always)]
pub fn add(a: u64, b: u64) -> ContinuumResult<u64> {
    a.checked_add(b).ok_or(ContinuumError::Overflow.into())
}

/// `a - b`, or `Overflow` when `b > a`.
#[inline(always)]
pub fn sub(a: u64, b: u64) -> ContinuumResult<u64> {
    a.checked_sub(b).ok_or(ContinuumError::Overflow.into())
}

/// `a + d` for a signed change `d`, or `Overflow` outside u64.
#[inline(always)]
pub fn add_signed(a: u64, d: i128) -> ContinuumResult<u64> {
    let v = a as i128 + d;
    if v < 0 || v > u64::MAX as i128 {
        return Err(ContinuumError::Overflow.into());
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_named() {
        let overflow: pinocchio::error::ProgramError = ContinuumError::Overflow.into();
        assert_eq!(add(u64::MAX, 1), Err(overflow.clone()));
        assert_eq!(sub(1, 2), Err(overflow.clone()));
        assert_eq!(add_signed(5, -6), Err(overflow.clone()));
        assert_eq!(add_signed(u64::MAX, 1), Err(overflow));
        assert_eq!(add(2, 3), Ok(5));
        assert_eq!(sub(3, 2), Ok(1));
        assert_eq!(add_signed(5, -5), Ok(0));
    }
}
