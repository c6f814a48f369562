//! The general pass: shape trades, one pass over the grid (range trades and unwinds run the
//! fast pass).
//!
//! Per point: `d_i = floor(t phi_i / 1e9)` (exact, floor toward negative infinity, see
//! [`crate::trade_general`]), `h = max(0, f + d)`, `g = min(b, floor(c h / 1e9))` and
//! `g(c + 1)` from one split product, the per-class sums, `P' = P + g - f`, `min P'` and the
//! change flag.

use super::class_sums::ClassSums;
use super::proj_pass::{ENDS, EVEN, ODD};
use super::split::Split;
use super::{PassOutcome, KERNEL_F_MAX};
use crate::constants::SCALE_1E9;
use crate::error::{MathError, MathResult};
use crate::wide::{div_u128_by_u64, mul_u64_wide};

/// What the general pass reads besides the curves.
pub(super) struct GeneralParams<'a> {
    /// Cap.
    pub b: u64,
    /// Norm budget.
    pub budget: u128,
    /// Claimed canonical scale (`< u64::MAX`).
    pub c: u64,
    /// Signed size (nonzero).
    pub t: i64,
    /// `phi` (length N).
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
    sums: ClassSums,
    pmin: i64,
    changed: u64,
    f_or: u64,
    /// Sign bit set iff some `P_i + d_i` overflowed i64.
    ovf: i64,
    /// Some `f_i + d_i` exceeded u64::MAX.
    h_ovf: bool,
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
    /// class `W`.
    #[inline(always)]
    fn step<const W: u8>(&mut self, i: usize) {
        // SAFETY: i < N = f.len() = payoff.len() = phi.len(), checked by the caller.
        let fi = unsafe { *self.f.add(i) };
        let a = unsafe { *self.payoff.add(i) };
        self.f_or |= fi;
        // SAFETY: as above.
        let m = unsafe { *self.phi.add(i) };
        let x = self.shifted(fi, self.t_neg, m);
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

/// The shape trade pass (in place on `f` and `payoff`). The caller has checked `N >= 3` odd,
/// `payoff.len() == phi.len() == N`, `t != 0`, `c < u64::MAX`. Errors in the reference's
/// order: `Overflow`, `NotCanonical`; the caller then checks the change flag. Never inlined:
/// its own SBPF frame keeps the loop's state in registers.
#[inline(never)]
pub(super) fn general_pass(
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
        sums: ClassSums::default(),
        pmin: 0,
        changed: 0,
        f_or: 0,
        ovf: 0,
        h_ovf: false,
    };
    st.step::<ENDS>(0);
    let mut i = 1usize;
    while i + 2 < n - 1 {
        st.step::<ODD>(i);
        st.step::<EVEN>(i + 1);
        i += 2;
    }
    st.step::<ODD>(n - 2);
    st.step::<ENDS>(n - 1);
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
