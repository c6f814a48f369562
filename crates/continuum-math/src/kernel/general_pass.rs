//! The general pass: range SELLS, shape trades and unwinds, one pass over the grid.
//!
//! Per point: `d_i` of the direction (exact, floor toward negative infinity, see
//! [`crate::trade_general`]), `h = max(0, f + d)`, `g = min(b, floor(c h / 1e9))` and
//! `g(c + 1)` from one split product, the per-class sums, `P' = P + g - f` (an unwind reads
//! `P_i` for its `d_i` before rewriting it), `min P'` and the change flag.

use super::class_sums::ClassSums;
use super::proj_pass::{ENDS, EVEN, ODD};
use super::split::Split;
use super::{PassOutcome, KERNEL_F_MAX};
use crate::constants::SCALE_1E9;
use crate::error::{MathError, MathResult};
use crate::wide::{div_u128_by_u64, mul_u64_wide};

/// `d_i = t` on `[i0, i1]` with `t < 0`.
pub(super) const RANGE_SELL: u8 = 0;
/// `d_i = floor(t phi_i / 1e9)`.
pub(super) const SHAPE: u8 = 1;
/// `d_i = floor(-t P_i / 1e9)`, `t = fraction_1e9`.
pub(super) const UNWIND: u8 = 2;

/// What the general pass reads besides the curves.
pub(super) struct GeneralParams<'a> {
    /// Cap.
    pub b: u64,
    /// Norm budget.
    pub budget: u128,
    /// Claimed canonical scale (`< u64::MAX`).
    pub c: u64,
    /// Signed size (nonzero; an unwind's fraction in `1..=1e9`).
    pub t: i64,
    /// Range sells: first index and `i1 - i0`.
    pub i0: usize,
    /// See `i0`.
    pub span: usize,
    /// Shapes: `phi` (length N); else empty.
    pub phi: &'a [u64],
}

/// State of one general pass.
struct GeneralPass {
    f: *mut u64,
    payoff: *mut i64,
    phi: *const u64,
    sp: Split,
    b: u64,
    /// `|t|`.
    t_abs: u64,
    /// `t < 0` (shapes: every `d_i <= 0`).
    t_neg: bool,
    /// Largest `m` with `t_abs * m < 2^64` (native product).
    m_lim: u64,
    i0: usize,
    span: usize,
    sums: ClassSums,
    pmin: i64,
    changed: u64,
    f_or: u64,
    /// Sign bit set iff some `P_i + d_i` overflowed i64.
    ovf: i64,
    /// Some `f_i + d_i` exceeded u64::MAX.
    h_ovf: bool,
    /// OR of every `P_i` (unwinds: zero means nothing to unwind).
    p_or: u64,
}

/// `(floor(a m / 1e9), a m % 1e9 != 0)` through the wide product (rare: `a m >= 2^64`).
#[cold]
#[inline(never)]
fn scaled_wide(a: u64, m: u64) -> (u128, bool) {
    // Dividing by the constant 1e9 never fails.
    let (q, r) = div_u128_by_u64(mul_u64_wide(a, m), SCALE_1E9).unwrap_or((0, 0));
    (q, r != 0)
}

impl GeneralPass {
    /// `h = max(0, f + s floor-or-ceil(t_abs m / 1e9))`: `f - ceil(t_abs m / 1e9)` clamped at
    /// 0 when `negative` (the floor of a negative quotient), else `f + floor(..)` (overflow
    /// flagged).
    #[inline(always)]
    fn shifted(&mut self, fi: u64, negative: bool, m: u64) -> u64 {
        let (q, inexact) = if m <= self.m_lim {
            let p = self.t_abs * m;
            let q = p / SCALE_1E9;
            (q as u128, p - q * SCALE_1E9 != 0)
        } else {
            scaled_wide(self.t_abs, m)
        };
        if negative {
            let q = q + inexact as u128;
            if q >= fi as u128 {
                0
            } else {
                fi - q as u64
            }
        } else if q > (u64::MAX - fi) as u128 {
            self.h_ovf = true;
            0
        } else {
            fi + q as u64
        }
    }

    /// Processes grid point `i` (`i < N`, guaranteed by the caller's loop bounds) of weight
    /// class `W` for direction `DIR`.
    #[inline(always)]
    fn step<const DIR: u8, const W: u8>(&mut self, i: usize) {
        // SAFETY: i < N = f.len() = payoff.len() (= phi.len() for shapes), checked by the
        // caller.
        let fi = unsafe { *self.f.add(i) };
        let a = unsafe { *self.payoff.add(i) };
        self.f_or |= fi;
        let x = if DIR == RANGE_SELL {
            if i.wrapping_sub(self.i0) <= self.span {
                fi.saturating_sub(self.t_abs)
            } else {
                fi
            }
        } else if DIR == SHAPE {
            // SAFETY: as above.
            let m = unsafe { *self.phi.add(i) };
            self.shifted(fi, self.t_neg, m)
        } else {
            self.p_or |= a as u64;
            // d = floor(-t P / 1e9) with t > 0: negative exactly where P > 0.
            self.shifted(fi, a > 0, a.unsigned_abs())
        };
        let (v, v1) = self.sp.pair_const(x);
        let b = self.b;
        let g = if v < b { v } else { b };
        // SAFETY: as above.
        unsafe { *self.f.add(i) = g };
        self.sums.add::<W>(g, v1, b);
        let d = g.wrapping_sub(fi) as i64;
        self.changed |= d as u64;
        let sum = a.wrapping_add(d);
        self.ovf |= (a ^ sum) & (d ^ sum);
        if sum < self.pmin {
            self.pmin = sum;
        }
        // SAFETY: as above.
        unsafe { *self.payoff.add(i) = sum };
    }
}

/// The general trade pass for direction `DIR` (in place on `f` and `payoff`). The caller has
/// checked `N >= 3` odd, `payoff.len() == N` (and `phi.len() == N` for shapes), `t != 0`,
/// `c < u64::MAX`. Errors in the reference's order: `NothingToUnwind` (unwinds, `P == 0`),
/// `Overflow`, `NotCanonical`; the caller then checks the change flag. Never inlined: its own
/// SBPF frame keeps the loop's state in registers.
#[inline(never)]
pub(super) fn general_pass<const DIR: u8>(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &GeneralParams,
) -> MathResult<PassOutcome> {
    let n = f.len();
    let t_abs = p.t.unsigned_abs();
    let mut st = GeneralPass {
        f: f.as_mut_ptr(),
        payoff: payoff.as_mut_ptr(),
        phi: p.phi.as_ptr(),
        sp: Split::new(p.c),
        b: p.b,
        t_abs,
        t_neg: p.t < 0,
        // black_box: keeps LLVM from turning `m <= MAX / t` into a 128-bit overflow check.
        m_lim: core::hint::black_box(u64::MAX / if t_abs == 0 { 1 } else { t_abs }),
        i0: p.i0,
        span: p.span,
        sums: ClassSums::default(),
        pmin: 0,
        changed: 0,
        f_or: 0,
        ovf: 0,
        h_ovf: false,
        p_or: 0,
    };
    st.step::<DIR, ENDS>(0);
    let mut i = 1usize;
    while i + 2 < n - 1 {
        st.step::<DIR, ODD>(i);
        st.step::<DIR, EVEN>(i + 1);
        i += 2;
    }
    st.step::<DIR, ODD>(n - 2);
    st.step::<DIR, ENDS>(n - 1);
    if DIR == UNWIND && st.p_or == 0 {
        return Err(MathError::NothingToUnwind);
    }
    if st.f_or > KERNEL_F_MAX || st.ovf < 0 || st.h_ovf {
        return Err(MathError::Overflow);
    }
    let (total, delta) = st.sums.totals();
    if total > p.budget || total + delta <= p.budget {
        return Err(MathError::NotCanonical);
    }
    Ok(PassOutcome {
        norm_sq: total,
        collateral_after: (st.pmin as u64).wrapping_neg(),
        changed: st.changed != 0,
    })
}
