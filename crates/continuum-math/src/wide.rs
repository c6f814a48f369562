//! Wide integer helpers that avoid the operations SBPF v0 cannot lower.
//!
//! Only u128 add/sub/shift/compare and u64 `*`, `/`, `%` are used. Every product of two
//! u64 goes through [`mul_u64_wide`] (32-bit halves), every quotient of a u128 through
//! [`div_u128_by_u64`] (two native u64 divisions after normalisation, Knuth algorithm D
//! with 32-bit digits, as in Hacker's Delight `divlu`).

use crate::constants::{SCALE_1E9, SPLIT_FAST_CI_LIMIT, SPLIT_FAST_X_LIMIT};
use crate::error::{MathError, MathResult};

const LO32: u64 = 0xFFFF_FFFF;

/// Exact 64x64 -> 128 product from four 32x32 -> 64 partial products.
#[inline]
pub fn mul_u64_wide(a: u64, b: u64) -> u128 {
    let (a0, a1) = (a & LO32, a >> 32);
    let (b0, b1) = (b & LO32, b >> 32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // mid < 3 * 2^32, no overflow.
    let mid = (p00 >> 32) + (p01 & LO32) + (p10 & LO32);
    let lo = (p00 & LO32) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    ((hi as u128) << 64) | (lo as u128)
}

/// `x * x` as u128, with a native fast path when `x < 2^32`.
#[inline]
pub fn square_wide(x: u64) -> u128 {
    if x >> 32 == 0 {
        (x * x) as u128
    } else {
        mul_u64_wide(x, x)
    }
}

/// Checked u128 x u64 product (limb-wise). `None` if the result needs more than 128 bits.
#[inline]
pub fn mul_u128_u64(a: u128, b: u64) -> Option<u128> {
    let lo = mul_u64_wide(a as u64, b);
    let hi = mul_u64_wide((a >> 64) as u64, b);
    if hi >> 64 != 0 {
        return None;
    }
    lo.checked_add(hi << 64)
}

/// Divide the 128-bit value `(u1:u0)` by `v`, requiring `u1 < v` so the quotient fits in
/// 64 bits. Hacker's Delight `divlu` (Knuth D with base 2^32 digits); all steps in u64,
/// wrapping where the reference algorithm relies on modular arithmetic.
#[inline]
fn div_2by1(u1: u64, u0: u64, v: u64) -> (u64, u64) {
    const B: u64 = 1 << 32;
    let s = v.leading_zeros();
    let v = v << s;
    let vn1 = v >> 32;
    let vn0 = v & LO32;
    if vn1 == 0 {
        // Unreachable (v is normalised, so vn1 >= 2^31); lets the compiler drop the
        // division-by-zero panic path.
        return (0, 0);
    }
    let un32 = if s == 0 {
        u1
    } else {
        (u1 << s) | (u0 >> (64 - s))
    };
    let un10 = u0 << s;
    let un1 = un10 >> 32;
    let un0 = un10 & LO32;

    let mut q1 = un32 / vn1;
    let mut rhat = un32 - q1 * vn1;
    while q1 >= B || q1 * vn0 > B * rhat + un1 {
        q1 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let un21 = un32
        .wrapping_mul(B)
        .wrapping_add(un1)
        .wrapping_sub(q1.wrapping_mul(v));

    let mut q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while q0 >= B || q0 * vn0 > B * rhat + un0 {
        q0 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let r = un21
        .wrapping_mul(B)
        .wrapping_add(un0)
        .wrapping_sub(q0.wrapping_mul(v));
    ((q1 << 32) | q0, r >> s)
}

/// `(n / d, n % d)` for a u128 numerator and u64 divisor. Exact for every input.
/// `DivideByZero` when `d == 0`.
pub fn div_u128_by_u64(n: u128, d: u64) -> MathResult<(u128, u64)> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    let n1 = (n >> 64) as u64;
    let n0 = n as u64;
    if n1 == 0 {
        return Ok(((n0 / d) as u128, n0 % d));
    }
    let q_hi = n1 / d;
    let r_hi = n1 % d;
    let (q_lo, r) = div_2by1(r_hi, n0, d);
    Ok((((q_hi as u128) << 64) | q_lo as u128, r))
}

/// `(n / d, n % d)` for u128 operands. Uses [`div_u128_by_u64`] when `d < 2^64`, else a
/// restoring shift-and-subtract loop of at most 64 steps (the quotient is then < 2^64).
pub fn div_u128(n: u128, d: u128) -> MathResult<(u128, u128)> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    if d >> 64 == 0 {
        let (q, r) = div_u128_by_u64(n, d as u64)?;
        return Ok((q, r as u128));
    }
    if n < d {
        return Ok((0, n));
    }
    // d >= 2^64 so the quotient has at most 64 bits; shift <= 63.
    let shift = d.leading_zeros() - n.leading_zeros();
    let mut rem = n;
    let mut q: u128 = 0;
    let mut k = shift + 1;
    while k > 0 {
        k -= 1;
        let ds = d << k;
        q <<= 1;
        if rem >= ds {
            rem -= ds;
            q |= 1;
        }
    }
    Ok((q, rem))
}

/// `floor(a * b / d)`. `DivideByZero` if `d == 0`, `Overflow` if the result exceeds u64.
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> MathResult<u64> {
    let (q, _) = div_u128_by_u64(mul_u64_wide(a, b), d)?;
    if q >> 64 != 0 {
        return Err(MathError::Overflow);
    }
    Ok(q as u64)
}

/// `ceil(a * b / d)`. `DivideByZero` if `d == 0`, `Overflow` if the result exceeds u64.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> MathResult<u64> {
    let (q, r) = div_u128_by_u64(mul_u64_wide(a, b), d)?;
    let q = if r != 0 { q + 1 } else { q };
    if q >> 64 != 0 {
        return Err(MathError::Overflow);
    }
    Ok(q as u64)
}

/// `ceil(n / d)` for u128 operands.
pub fn div_ceil_u128(n: u128, d: u128) -> MathResult<u128> {
    let (q, r) = div_u128(n, d)?;
    Ok(if r != 0 { q + 1 } else { q })
}

/// Exact `floor(sqrt(n))` for every u128, digit by digit (shift-and-subtract, 2 bits per
/// step, at most 64 steps). No Newton iteration, no seed.
pub fn isqrt_u128(n: u128) -> u128 {
    if n == 0 {
        return 0;
    }
    // Highest power of four <= n.
    let mut bit: u128 = 1u128 << ((127 - n.leading_zeros()) & !1);
    let mut op = n;
    let mut res: u128 = 0;
    while bit != 0 {
        if op >= res + bit {
            op -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    res
}

/// Exact `floor(sqrt(n))` for every u64 (same digit-by-digit algorithm in u64).
pub fn isqrt_u64(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut bit: u64 = 1u64 << ((63 - n.leading_zeros()) & !1);
    let mut op = n;
    let mut res: u64 = 0;
    while bit != 0 {
        if op >= res + bit {
            op -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    res
}

/// Checked u64 add, `Overflow` on wrap.
#[inline]
pub fn add_u64(a: u64, b: u64) -> MathResult<u64> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// Checked u64 sub, `Overflow` on underflow.
#[inline]
pub fn sub_u64(a: u64, b: u64) -> MathResult<u64> {
    a.checked_sub(b).ok_or(MathError::Overflow)
}

/// Checked u128 add, `Overflow` on wrap.
#[inline]
pub fn add_u128(a: u128, b: u128) -> MathResult<u128> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// Checked u128 sub, `Overflow` on underflow.
#[inline]
pub fn sub_u128(a: u128, b: u128) -> MathResult<u128> {
    a.checked_sub(b).ok_or(MathError::Overflow)
}

/// A 1e9 fixed-point scale split once as `c = ci * 1e9 + cf` (`cf < 1e9`), so that
/// `floor(c * x / 1e9) = ci * x + floor(cf * x / 1e9)` runs in native u64 while
/// `x < 2^34` and `ci < 2^30` (the fastest kernel measured on this toolchain).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale1e9 {
    /// The scale `c` itself.
    pub c: u64,
    /// `c / 1e9`.
    pub ci: u64,
    /// `c % 1e9`.
    pub cf: u64,
}

impl Scale1e9 {
    /// Split `c`.
    #[inline]
    pub fn new(c: u64) -> Self {
        Scale1e9 {
            c,
            ci: c / SCALE_1E9,
            cf: c % SCALE_1E9,
        }
    }

    /// `min(u64::MAX, floor(c * x / 1e9))`: exact whenever the true value fits in u64,
    /// saturated to `u64::MAX` otherwise. Saturation is harmless for the projection
    /// because every caller takes `min(b, .)` with `b <= u64::MAX`.
    #[inline]
    pub fn apply(&self, x: u64) -> u64 {
        if x < SPLIT_FAST_X_LIMIT && self.ci < SPLIT_FAST_CI_LIMIT {
            // ci*x < 2^64, cf*x < 1e9 * 2^34 < 2^64; the sum fits because ci*x < 2^64 and
            // the true result is ci*x + floor(cf*x/1e9) < 2^30*2^34 + 2^34 < 2^64.
            self.ci * x + (self.cf * x) / SCALE_1E9
        } else {
            scale_floor_1e9_wide(self.c, x)
        }
    }

    /// Returns `(floor(c*x/1e9), floor((c+1)*x/1e9))`, both saturated at `u64::MAX`, for
    /// the price of roughly one: with `cf*x = q*1e9 + r`,
    /// `floor((c+1)x/1e9) = floor(c x/1e9) + floor((r + x)/1e9)`.
    /// Requires `c < u64::MAX` for the second value to be meaningful.
    #[inline]
    pub fn apply_pair(&self, x: u64) -> (u64, u64) {
        if x < SPLIT_FAST_X_LIMIT && self.ci < SPLIT_FAST_CI_LIMIT {
            let p = self.cf * x;
            let q = p / SCALE_1E9;
            let r = p - q * SCALE_1E9;
            let v = self.ci * x + q;
            // v + (r + x)/1e9 <= (c+1) x / 1e9 < 2^64 + 2^34 / 1e9: saturate to be safe.
            let v1 = v.saturating_add((r + x) / SCALE_1E9);
            (v, v1)
        } else {
            (
                scale_floor_1e9_wide(self.c, x),
                scale_floor_1e9_wide(self.c.saturating_add(1), x),
            )
        }
    }
}

/// `min(u64::MAX, floor(c * x / 1e9))` through the wide path (always exact before
/// saturation).
pub fn scale_floor_1e9_wide(c: u64, x: u64) -> u64 {
    mul_div_floor(c, x, SCALE_1E9).unwrap_or(u64::MAX)
}

/// `min(u64::MAX, floor(c * x / 1e9))`: the fast split path when `x < 2^34` and
/// `c / 1e9 < 2^30`, else the wide path; the same value either way.
#[inline]
pub fn scale_floor_1e9(c: u64, x: u64) -> u64 {
    Scale1e9::new(c).apply(x)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::testing::SplitMix64 as Rng;

    #[test]
    fn mul_wide_matches_native() {
        let mut r = Rng(1);
        let edge = [0, 1, 2, u32::MAX as u64, 1 << 32, u64::MAX, u64::MAX - 1];
        for &a in &edge {
            for &b in &edge {
                assert_eq!(mul_u64_wide(a, b), a as u128 * b as u128);
            }
        }
        for _ in 0..200_000 {
            let (a, b) = (r.any(), r.any());
            assert_eq!(mul_u64_wide(a, b), a as u128 * b as u128);
            assert_eq!(square_wide(a), a as u128 * a as u128);
        }
    }

    #[test]
    fn div_matches_native() {
        let mut r = Rng(2);
        for _ in 0..300_000 {
            let n = ((r.any() as u128) << (r.next() % 65)) | r.any() as u128;
            let d = r.any();
            if d == 0 {
                assert_eq!(div_u128_by_u64(n, d), Err(MathError::DivideByZero));
                continue;
            }
            assert_eq!(
                div_u128_by_u64(n, d).unwrap(),
                (n / d as u128, (n % d as u128) as u64)
            );
            let d2 = ((r.any() as u128) << (r.next() % 64)) | 1;
            assert_eq!(div_u128(n, d2).unwrap(), (n / d2, n % d2));
        }
        let edge = [
            1u64,
            2,
            3,
            u32::MAX as u64,
            1 << 32,
            u64::MAX,
            u64::MAX - 1,
            1 << 63,
        ];
        let ns = [
            0u128,
            1,
            u128::MAX,
            u128::MAX - 1,
            1 << 64,
            (1 << 64) - 1,
            1 << 127,
        ];
        for &d in &edge {
            for &n in &ns {
                assert_eq!(
                    div_u128_by_u64(n, d).unwrap(),
                    (n / d as u128, (n % d as u128) as u64)
                );
            }
        }
        for &d in &ns[1..] {
            for &n in &ns {
                assert_eq!(div_u128(n, d).unwrap(), (n / d, n % d));
            }
        }
    }

    #[test]
    fn mul_div_matches_native() {
        let mut r = Rng(3);
        for _ in 0..200_000 {
            let (a, b, d) = (r.any(), r.any(), r.any());
            let exact = if d == 0 {
                None
            } else {
                Some(a as u128 * b as u128 / d as u128)
            };
            match exact {
                None => assert_eq!(mul_div_floor(a, b, d), Err(MathError::DivideByZero)),
                Some(q) if q > u64::MAX as u128 => {
                    assert_eq!(mul_div_floor(a, b, d), Err(MathError::Overflow))
                }
                Some(q) => {
                    assert_eq!(mul_div_floor(a, b, d).unwrap() as u128, q);
                    let ceil = (a as u128 * b as u128).div_ceil(d as u128);
                    if ceil > u64::MAX as u128 {
                        assert_eq!(mul_div_ceil(a, b, d), Err(MathError::Overflow));
                    } else {
                        assert_eq!(mul_div_ceil(a, b, d).unwrap() as u128, ceil);
                    }
                }
            }
        }
    }

    #[test]
    fn sqrt_exact() {
        let mut r = Rng(4);
        for n in [0u64, 1, 2, 3, 4, 5, 8, 9, 10, u64::MAX, u64::MAX - 1] {
            let s = isqrt_u64(n) as u128;
            assert!(s * s <= n as u128 && (s + 1) * (s + 1) > n as u128, "{n}");
        }
        assert_eq!(isqrt_u64(u64::MAX), u32::MAX as u64);
        assert_eq!(isqrt_u128(u128::MAX), u64::MAX as u128);
        for _ in 0..100_000 {
            let s = r.any() >> 32;
            for n in [s * s, (s * s).saturating_sub(1), s * s + 1, r.any()] {
                let q = isqrt_u64(n) as u128;
                assert!(q * q <= n as u128 && (q + 1) * (q + 1) > n as u128);
            }
            let s = r.any() as u128;
            for n in [
                s * s,
                (s * s).saturating_sub(1),
                s * s + 1,
                mul_u64_wide(r.any(), r.any()),
            ] {
                let q = isqrt_u128(n);
                assert!(q * q <= n);
                assert!(q == u64::MAX as u128 || (q + 1) * (q + 1) > n);
            }
        }
    }

    #[test]
    fn scale_split_matches_wide() {
        let mut r = Rng(5);
        for _ in 0..300_000 {
            let c = r.any();
            let x = r.any();
            let exact = c as u128 * x as u128 / SCALE_1E9 as u128;
            let want = if exact > u64::MAX as u128 {
                u64::MAX
            } else {
                exact as u64
            };
            assert_eq!(scale_floor_1e9(c, x), want);
            if c < u64::MAX {
                let e1 = (c as u128 + 1) * x as u128 / SCALE_1E9 as u128;
                let w1 = if e1 > u64::MAX as u128 {
                    u64::MAX
                } else {
                    e1 as u64
                };
                assert_eq!(Scale1e9::new(c).apply_pair(x), (want, w1));
            }
        }
    }
}
