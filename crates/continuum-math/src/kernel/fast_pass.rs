//! The fast pass: range buys and sells, unwinds, and most projections. Lazy u64 sums folded
//! into u128, a call-free small loop for small values, the bet's range as three segments (no
//! per-point range test). Its history and measurements: `docs/kernel-history.md`.

use super::split::{sq_fast, Split};
use super::{PassOutcome, KERNEL_F_MAX};
use crate::constants::{SCALE_1E9, SPLIT_FAST_CI_LIMIT, SPLIT_FAST_X_LIMIT};
use crate::error::{MathError, MathResult};
use crate::trade::RangeBetParams;
use crate::wide::{div_u128_by_u64, mul_u64_wide, square_wide};

/// Trade direction of a [`pass`] (ignored by projections): `x = f + t` on `[i0, i1]`.
pub(super) const BUY: u8 = 0;
/// `x = max(0, f - t)` on `[i0, i1]` (`t = |t|` of a negative size).
pub(super) const SELL: u8 = 1;
/// `x = max(0, f + floor(-t P / 1e9))` everywhere (`t = fraction_1e9 <= 1e9`).
pub(super) const UNWIND: u8 = 2;

/// An unwind's small step takes `f_i, |P_i| < 2^34`: then `t |P_i| + 1e9 < 2^64` (`t <= 1e9`).
const UNWIND_SMALL_SHIFT: u32 = 34;

/// Low 28 bits: the lazy accumulators split values at 2^28.
const M28: u64 = (1 << 28) - 1;
/// Interior pairs summed in u64 before the lazy sums are folded into u128 (see [`Lazy`]).
const CHUNK_PAIRS: usize = 64;
/// `g(c + 1) - g(c)` below this takes the split delta path (else [`wide_delta`]).
const DD_FAST: u64 = 1 << 26;

/// Interior sums in u64, folded into u128 every [`CHUNK_PAIRS`] pairs. Interior weights are
/// relative (odd points 2, even points 1; Simpson's 4 and 2 are twice that, applied at the
/// end). With `g = gh 2^28 + gl` (`gh <= 2^28`, `gl < 2^28`, as `g <= 2^56`):
/// `g^2 = gh^2 2^56 + gh gl 2^29 + gl^2`, each product `<= 2^56`, so a pair adds at most
/// `3 * 2^56` to each sum and 64 pairs stay below 2^64. The delta
/// `g1^2 - g^2 = dd (g1 + g)` with `dd = g1 - g < 2^26` and `s = g1 + g = sh 2^28 + sl`
/// (`sh <= 2^29`): `dd sh <= 2^55`, `dd sl < 2^54` per point.
#[derive(Clone, Copy)]
struct Lazy {
    p: u64,
    q: u64,
    r: u64,
    dh: u64,
    dl: u64,
}

/// Shortest grid on which the projection uses [`pass`] (with its small fast loop).
pub(super) const PROJ_SMALL_N_MIN: usize = 17;

/// `c` below this: the small fast loop forms both values from the one product `c x`.
pub(super) const C1_LIMIT: u64 = 1 << 30;

/// Trades with `C1`: the small fast loop takes `x < 2^40`; at or above `2^34` its values come
/// from the long form (`x = xq 1e9 + xr`, see [`Pass::small_rest`]). Markets with `b` above
/// `2^34` (17,180 units of a 6-decimal token) have most values there.
pub(super) const C1_X_LIMIT: u64 = 1 << 40;

/// Largest cap `b` for the small fast loop ([`Pass::step_small`]).
pub(super) const SMALL_B_MAX: u64 = 1 << 40;

/// A pass's parameters: the bet, and what the caller knows of the payoff.
pub(super) struct PassParams {
    /// The bet (projections: `b`, `budget`, `c`).
    pub bet: RangeBetParams,
    /// Trades: every `|P_i| < 2^62` is known (`KernelTrade::payoff_bound`). Only then does the
    /// small fast loop run: its `P'_i = P_i + g - f` (`|g - f| <= 2^40` there) can't overflow,
    /// so it tests nothing per point (the test measured 3 to 6 CU a point, about 560 CU of a
    /// range buy at N = 101). Otherwise every point takes the steps with the overflow test.
    pub payoff_small: bool,
}

/// Interior sums of the small fast loop (`b <= 2^40`, `ci < 2^30`; `x < 2^34`, or with `C1`
/// in trades `x < 2^40` (`C1_X_LIMIT`): `g < b <= 2^40` either way), relative
/// weights as in [`Lazy`], folded with it. The squares as a low part and an approximation:
/// `L = sum w g^2 mod 2^64` (`sq_low`, wrapping) and `A = sum w gh^2` with
/// `gh = g >> 12 <= 2^28` (`sq_approx`: `w gh^2 <= 2^57`, at most `3 * 2^56` a pair). Per
/// point `E_i = g^2 - gh^2 2^24 = gl (2g - gl) < 2^12 2^41 = 2^53` (`gl = g mod 2^12`), so
/// over a chunk `E = sum w E_i < 3 * 64 * 2^53 < 2^61` and `sum w g^2 = A 2^24 + E` with
/// `E = (L - A 2^24) mod 2^64` exactly (one product and no mask per square).
/// The delta likewise: `sq1_low = sum w g1^2 mod 2^64`. Both product forms give
/// `v1 - v <= floor(x / 1e9) + 1 <= 1,100` (`x < 2^40`), so `dd = g1 - g <= 1,100` and
/// `w (g1^2 - g^2) = w dd (g1 + g) < 2 * 1,100 * 2^41 < 2^53`: over 64 pairs the delta is
/// below 2^60, so it is exactly `sq1_low - sq_low` modulo 2^64.
#[derive(Clone, Copy)]
struct Small {
    sq_low: u64,
    sq_approx: u64,
    sq1_low: u64,
}

/// `gh = g >> SMALL_SQ_SHIFT` in [`Small`]'s approximate square sum.
const SMALL_SQ_SHIFT: u32 = 12;

/// `w (g1^2 - g^2)` into `acc` when `g1 - g` is too large for the split path (rare: needs
/// curve values above ~6.7e16).
#[cold]
#[inline(never)]
fn wide_delta(g: u64, g1: u64, twice: bool) -> u128 {
    let d = square_wide(g1) - square_wide(g);
    if twice {
        d << 1
    } else {
        d
    }
}

/// `(floor(t m / 1e9), t m % 1e9 != 0)` through the wide product (rare: `t m >= 2^64`).
#[cold]
#[inline(never)]
fn scaled_wide(t: u64, m: u64) -> (u128, bool) {
    // Dividing by the constant 1e9 never fails.
    let (q, r) = div_u128_by_u64(mul_u64_wide(t, m), SCALE_1E9).unwrap_or((0, 0));
    (q, r != 0)
}

/// State of one pass over the grid.
struct Pass<'a, const TRADE: bool, const DIR: u8, const C1: bool> {
    f: *mut u64,
    payoff: *mut i64,
    sp: Split,
    b: u64,
    t: u64,
    /// Ends: exact `sum g^2` and `sum (g1^2 - g^2)` over points 0 and N - 1.
    end_sq: u128,
    end_delta: u128,
    /// Interior, relative weights (see [`Lazy`]): folded sums and the wide-delta overflow.
    mid_sq: u128,
    mid_delta: u128,
    lazy: Lazy,
    small: Small,
    /// Interior points that may still be summed into `lazy` and `small` before a fold (at
    /// most `2 CHUNK_PAIRS` consecutive points: `CHUNK_PAIRS` (odd, even) pairs).
    room: usize,
    /// The small fast loop applies (`ci < 2^30` and `b <= 2^40`).
    small_ok: bool,
    /// Trades: the small fast loop takes `x < x_cap` (`<= 2^34`; with `C1` `<= 2^40` and
    /// `(c + 1) x < b 1e9`, so no value reaches the cap `b`).
    x_cap: u64,
    /// `min(0, min_i P'_i)` (as i64): the position's netted collateral is its negation.
    pmin: i64,
    /// OR of every `g_i - f_i`: zero iff the trade changed nothing.
    changed: u64,
    /// OR of every f_i: one comparison at the end checks `f_i <= KERNEL_F_MAX` for all.
    f_or: u64,
    /// Sign bit set iff some `payoff_i + d_i` overflowed i64.
    ovf: i64,
    /// Unwinds: largest `m` with `t m < 2^64` (a native product in [`Pass::unwound`]).
    m_lim: u64,
    /// Unwinds: some `f_i + d_i` exceeded u64::MAX.
    h_ovf: bool,
    _life: core::marker::PhantomData<&'a mut [u64]>,
}

impl<const TRADE: bool, const DIR: u8, const C1: bool> Pass<'_, TRADE, DIR, C1> {
    /// An unwind's `h = max(0, f + floor(-t a / 1e9))` (`t > 0`: `f - ceil(t a / 1e9)`
    /// clamped at 0 for `a > 0`, else `f + floor(t |a| / 1e9)`). `None` (`FAST`: no call) if
    /// the product needs the wide path or `h` would exceed u64::MAX; otherwise the latter sets
    /// `h_ovf` and returns 0.
    #[inline(always)]
    fn unwound<const FAST: bool>(&mut self, fi: u64, a: i64) -> Option<u64> {
        let m = a.unsigned_abs();
        let (q, inexact) = if m <= self.m_lim {
            let p = self.t * m;
            let q = p / SCALE_1E9;
            (q as u128, p - q * SCALE_1E9 != 0)
        } else if FAST {
            return None;
        } else {
            scaled_wide(self.t, m)
        };
        if a > 0 {
            let q = q + inexact as u128;
            Some(if q >= fi as u128 { 0 } else { fi - q as u64 })
        } else if q > (u64::MAX - fi) as u128 {
            if FAST {
                return None;
            }
            self.h_ovf = true;
            Some(0)
        } else {
            Some(fi + q as u64)
        }
    }

    /// Processes grid point `i` (`i < N`, guaranteed by the caller's loop bounds). `IN`: `i`
    /// lies in the bet's range (`x = f_i + t`). `W`: 0 for the two ends (exact u128 sums),
    /// 1 for interior odd points (relative weight 2), 2 for interior even points (weight 1).
    /// `FAST`: no wide fallback (no calls, so the hot loop keeps its state in registers):
    /// returns `false`, before changing anything, if the point needs one.
    #[inline(always)]
    fn step<const IN: bool, const W: u8, const FAST: bool>(&mut self, i: usize) -> bool {
        // SAFETY: i < N = f.len() (= payoff.len() when TRADE), checked by the callers.
        let fi = unsafe { *self.f.add(i) };
        // SAFETY: as above (read only in trades).
        let a = if TRADE {
            unsafe { *self.payoff.add(i) }
        } else {
            0
        };
        let x = if TRADE && IN && DIR == BUY {
            fi.wrapping_add(self.t) // exact: f_i, t <= 2^62 (f_or checked after the pass)
        } else if TRADE && IN && DIR == SELL {
            fi.saturating_sub(self.t)
        } else if TRADE && IN && DIR == UNWIND {
            match self.unwound::<FAST>(fi, a) {
                Some(x) => x,
                None => return false,
            }
        } else {
            fi
        };
        let (v, v1) = if FAST {
            match self.sp.pair_native(x) {
                Some(p) => p,
                None => return false,
            }
        } else {
            self.sp.pair(x)
        };
        let b = self.b;
        let g = if v < b { v } else { b };
        let g1 = if v1 < b { v1 } else { b };
        let dd = g1 - g;
        if FAST && W != 0 && dd >= DD_FAST {
            return false;
        }
        if TRADE {
            self.f_or |= fi;
        }
        // SAFETY: as above.
        unsafe { *self.f.add(i) = g };
        if W == 0 {
            let sq = sq_fast(g);
            self.end_sq += sq;
            self.end_delta += sq_fast(g1) - sq;
        } else {
            // Relative weight as a shift: 1 (x2) for odd points, 0 for even ones.
            let sh: u32 = if W == 1 { 1 } else { 0 };
            let l = &mut self.lazy;
            let gh = g >> 28;
            let gl = g & M28;
            let ghw = gh << sh;
            l.p += gh * ghw;
            l.q += gl * ghw;
            l.r += gl * (gl << sh);
            if FAST || dd < DD_FAST {
                // w dd (g1 + g) = w dd (2g + dd) = (w gh dd) 2^29 + w dd (2 gl + dd).
                l.dh += dd * ghw;
                l.dl += (dd << sh) * ((gl << 1) + dd);
            } else {
                self.mid_delta += wide_delta(g, g1, W == 1);
            }
        }
        if TRADE {
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
        true
    }

    /// The fast step when `small_ok`: returns `false`, before changing anything, unless
    /// `f_i < lim` (`lim <= x_cap`, minus `t` in the range: then `x < x_cap` without wrapping,
    /// `x_cap <= 2^34`, or `2^40` with `C1`, so [`Pass::small_rest`]'s product forms apply and
    /// `f_i <= KERNEL_F_MAX` needs no `f_or`). `C1`: `c < 2^30`, so below `2^34` one product
    /// `c x` gives both values.
    #[inline(always)]
    fn step_small<const IN: bool, const W: u8, const LONG: bool>(
        &mut self,
        fp: *mut u64,
        pp: *mut i64,
        lim: u64,
    ) -> bool {
        // SAFETY: fp = f + i and pp = payoff + i with i < N = f.len() = payoff.len(),
        // checked by the callers.
        let fi = unsafe { *fp };
        if TRADE && DIR == UNWIND {
            return self.step_small_unwind::<W, LONG>(fp, pp, fi, lim);
        }
        // Projections: `lim` is the constant 2^34, tested as `fi >> 34` (no register; measured
        // cheaper there, dearer in trades).
        if (TRADE && fi >= lim) || (!TRADE && fi >> 34 != 0) {
            return false;
        }
        // Trades: a zero outside the bet's range stays zero and adds nothing (g = g(c + 1) = 0,
        // d = 0): skip it (curves' tails are often zero), except that its unchanged payoff
        // still counts toward the worst case. In projections the test measured dearer at
        // N = 101 (edit 5,212 -> 5,557).
        // SAFETY: as above (read only in trades).
        let a = if TRADE { unsafe { *pp } } else { 0 };
        // (In a sell's range a zero stays zero too, but testing for it there measured dearer:
        // sell N = 101 7,757 -> 7,463 CU without the test.)
        if TRADE && !IN && fi == 0 {
            if a < self.pmin {
                self.pmin = a;
            }
            return true;
        }
        // |a| < 2^62 (`PassParams::payoff_small`) and |g - f| <= 2^40 here: `P'` needs no
        // overflow test.
        let x = if IN && DIR == SELL {
            // max(0, f_i - t) by the sign mask: `saturating_sub` here measured ~7 CU a point
            // dearer (sell N = 101 8,445 -> 7,730). f_i < 2^40 and t <= 2^63, so the
            // difference as i64 is exact, and its sign mask clears it when negative.
            let d = fi.wrapping_sub(self.t) as i64;
            (d & !(d >> 63)) as u64
        } else if IN {
            fi + self.t
        } else {
            fi
        };
        self.small_rest::<W, LONG>(fp, pp, fi, x, a);
        true
    }

    /// [`Pass::step_small`] of an unwind: `f_i, |P_i| < 2^34` (so the product `t |P_i|` and
    /// its ceiling are native, `f_i <= KERNEL_F_MAX` and `P'_i` can't overflow) and `x < lim`.
    #[inline(always)]
    fn step_small_unwind<const W: u8, const LONG: bool>(
        &mut self,
        fp: *mut u64,
        pp: *mut i64,
        fi: u64,
        lim: u64,
    ) -> bool {
        // SAFETY: as in step_small.
        let a = unsafe { *pp };
        let m = a.unsigned_abs();
        if (fi | m) >> UNWIND_SMALL_SHIFT != 0 {
            return false;
        }
        // t <= 1e9 and m < 2^34: p + 1e9 - 1 < 2^64.
        let p = self.t * m;
        let x = if a > 0 {
            // One addition and one division (`div_ceil` also forms the remainder).
            #[allow(clippy::manual_div_ceil)]
            let q = (p + (SCALE_1E9 - 1)) / SCALE_1E9;
            // max(0, f_i - q) without a branch: f_i, q < 2^35, so the difference as i64 is
            // exact and its sign mask clears it when negative.
            let d = fi.wrapping_sub(q) as i64;
            (d & !(d >> 63)) as u64
        } else {
            fi + p / SCALE_1E9
        };
        if x >= lim {
            return false;
        }
        self.small_rest::<W, LONG>(fp, pp, fi, x, a);
        true
    }

    /// The products, sums and writes of a small step with `x < lim` (`x < 2^34`, or `2^40` in
    /// trades with `C1`); trades: `a = P_i` with `|a| < 2^62` (`PassParams::payoff_small`, so
    /// `P'_i = a + g - f` fits: `f_i < 2^40`, `g <= b <= 2^40`).
    #[inline(always)]
    fn small_rest<const W: u8, const LONG: bool>(
        &mut self,
        fp: *mut u64,
        pp: *mut i64,
        fi: u64,
        x: u64,
        a: i64,
    ) {
        // floor(c x / 1e9) = ci x + floor(cf x / 1e9) and, as cf + 1 <= 1e9,
        // floor((c + 1) x / 1e9) = ci x + floor((cf x + x) / 1e9) (all < 2^64: x < 2^34).
        let (v, v1) = if C1 {
            let c = self.sp.c;
            if TRADE && LONG {
                // x < 2^40 (`C1_X_LIMIT`, the long loop of trades): with x = xq 1e9 + xr, floor(c x / 1e9) =
                // c xq + floor(c xr / 1e9) and floor((c + 1) x / 1e9) = c xq + xq +
                // floor((c xr + xr) / 1e9); c xr + xr < 2^30 1e9 < 2^60.
                let xq = x / SCALE_1E9;
                let xr = x - xq * SCALE_1E9;
                let cq = c * xq;
                let p = c * xr;
                (cq + p / SCALE_1E9, cq + xq + (p + xr) / SCALE_1E9)
            } else {
                // c < 2^30 and x < 2^34: (c + 1) x < 2^64.
                let p = c * x;
                (p / SCALE_1E9, (p + x) / SCALE_1E9)
            }
        } else {
            let p = self.sp.cf * x;
            let cix = self.sp.ci * x;
            (cix + p / SCALE_1E9, cix + (p + x) / SCALE_1E9)
        };
        let (g, g1) = if TRADE && C1 {
            // x < x_cap (in `lim`): (c + 1) x < b 1e9, so v <= v1 < b (no cap).
            (v, v1)
        } else {
            let b = self.b;
            (if v < b { v } else { b }, if v1 < b { v1 } else { b })
        };
        // SAFETY: as above.
        unsafe { *fp = g };
        let sh: u32 = if W == 1 { 1 } else { 0 };
        let gh = g >> SMALL_SQ_SHIFT;
        let s = &mut self.small;
        s.sq_low = s.sq_low.wrapping_add(g.wrapping_mul(g) << sh);
        s.sq_approx += (gh * gh) << sh;
        s.sq1_low = s.sq1_low.wrapping_add(g1.wrapping_mul(g1) << sh);
        if TRADE {
            let d = g.wrapping_sub(fi) as i64;
            self.changed |= d as u64;
            let sum = a.wrapping_add(d); // exact (see above)
            if sum < self.pmin {
                self.pmin = sum;
            }
            // SAFETY: as in step_small.
            unsafe { *pp = sum };
        }
    }

    /// Interior point `i` with any values (wide fallbacks as calls).
    #[inline(always)]
    fn slow<const IN: bool>(&mut self, i: usize) {
        if i & 1 == 1 {
            self.step::<IN, 1, false>(i);
        } else {
            self.step::<IN, 2, false>(i);
        }
    }

    /// Folds the lazy u64 sums into the u128 interior sums.
    #[inline(always)]
    fn fold(&mut self) {
        let l = self.lazy;
        self.mid_sq += ((l.p as u128) << 56) + ((l.q as u128) << 29) + l.r as u128;
        self.mid_delta += ((l.dh as u128) << 29) + l.dl as u128;
        self.lazy = Lazy {
            p: 0,
            q: 0,
            r: 0,
            dh: 0,
            dl: 0,
        };
        let s = self.small;
        // sum w g^2 = A 2^24 + E with 0 <= E < 2^64 (see [`Small`]), and E = L - A 2^24
        // modulo 2^64.
        let base = s.sq_approx << (2 * SMALL_SQ_SHIFT);
        self.mid_sq +=
            ((s.sq_approx as u128) << (2 * SMALL_SQ_SHIFT)) + s.sq_low.wrapping_sub(base) as u128;
        // 0 <= sum w (g1^2 - g^2) < 2^64: the wrapping difference of the low sums.
        self.mid_delta += s.sq1_low.wrapping_sub(s.sq_low) as u128;
        self.small = Small {
            sq_low: 0,
            sq_approx: 0,
            sq1_low: 0,
        };
        self.room = 2 * CHUNK_PAIRS;
    }

    /// The small fast loop over (odd, even) pairs from odd `i` while `i < stop`; returns the
    /// first point it did not process.
    #[inline(always)]
    fn small_loop<const IN: bool, const LONG: bool>(
        &mut self,
        mut i: usize,
        stop: usize,
        lim: u64,
    ) -> usize {
        // The long loop takes over where the short one stopped, possibly at an even point.
        if LONG && i & 1 == 0 && i < stop {
            let (fp, pp) = (self.f.wrapping_add(i), self.payoff.wrapping_add(i));
            if !self.step_small::<IN, 2, LONG>(fp, pp, lim) {
                return i;
            }
            i += 1;
        }
        while i < stop {
            let (fp, pp) = (self.f.wrapping_add(i), self.payoff.wrapping_add(i));
            if !self.step_small::<IN, 1, LONG>(fp, pp, lim) {
                return i;
            }
            let (fp, pp) = (fp.wrapping_add(1), pp.wrapping_add(1));
            if !self.step_small::<IN, 2, LONG>(fp, pp, lim) {
                return i + 1;
            }
            i += 2;
        }
        i
    }

    /// Interior points `from..to` (`1 <= from <= to <= N - 1`), all in or all out of the
    /// range (`IN`). Odd indices have relative weight 2, even ones 1. (odd, even) pairs run
    /// in a call-free loop of at most [`CHUNK_PAIRS`] pairs; a point that needs a wide
    /// fallback ends it and is processed by [`Pass::slow`].
    #[inline(always)]
    fn run<const IN: bool>(&mut self, from: usize, to: usize) {
        // `f_i < lim` keeps `x < min(x_cap, 2^34)` in the short loop and `f_i < lim_long`
        // keeps `x < x_cap` in the long loop (0: the loop doesn't apply). The long loop (trades
        // with `C1` only) takes over from the short one at the first value above `2^34`: a
        // point-by-point choice of the product form measured dearer for small values (buy
        // N = 101 8,165 -> 8,614 CU).
        let (lim, lim_long) = if !self.small_ok {
            (0, 0)
        } else if !TRADE {
            (SPLIT_FAST_X_LIMIT, 0)
        } else {
            let short = if self.x_cap < SPLIT_FAST_X_LIMIT {
                self.x_cap
            } else {
                SPLIT_FAST_X_LIMIT
            };
            let long = if C1 && self.x_cap > SPLIT_FAST_X_LIMIT {
                self.x_cap
            } else {
                0
            };
            if !IN || DIR != BUY {
                (short, long)
            } else {
                (short.saturating_sub(self.t), long.saturating_sub(self.t))
            }
        };
        // The sums are folded only when full (`room`), not at each segment's end: a range's
        // three segments share a chunk.
        let mut i = from;
        while i < to {
            if self.room == 0 {
                self.fold();
            }
            if i & 1 == 0 {
                self.step::<IN, 2, false>(i);
                self.room -= 1;
                i += 1;
                continue;
            }
            // At most `room` points: pairs from odd `i` while `i < stop`.
            let start = i;
            let stop = if to - i > self.room {
                i + (self.room & !1)
            } else {
                to - 1
            };
            if lim != 0 {
                // Index loop, the point's pointers formed here: measured cheaper than both a
                // pointer loop with a stop pointer (set-up per segment and chunk) and
                // indexing inside the step. Projections: `payoff` is empty and `pp` is never
                // dereferenced (wrapping arithmetic).
                i = self.small_loop::<IN, false>(i, stop, lim);
                if C1 && TRADE && i < stop && lim_long != 0 {
                    i = self.small_loop::<IN, true>(i, stop, lim_long);
                }
            }
            // Without `C1` (no long loop), a value above the small loop's limit hands the rest
            // of the chunk to the native loop, so large values don't take the fold and the
            // slow step one by one (with `C1` this measured dearer: see docs/kernel-history.md).
            if lim == 0 || (!C1 && TRADE && i < stop) {
                // The short loop may have stopped at an even point.
                let mut go = true;
                if i & 1 == 0 && i < stop {
                    go = self.step::<IN, 2, true>(i);
                    i += go as usize;
                }
                while go && i < stop {
                    if !self.step::<IN, 1, true>(i) {
                        break;
                    }
                    if !self.step::<IN, 2, true>(i + 1) {
                        i += 1;
                        break;
                    }
                    i += 2;
                }
            }
            self.room -= i - start;
            if i < to {
                if self.room == 0 {
                    self.fold();
                }
                self.slow::<IN>(i);
                self.room -= 1;
                i += 1;
            }
        }
    }
}

/// Shared pass. `TRADE`: move `x` by direction `DIR` ([`BUY`], [`SELL`] on `[i0, i1]`,
/// [`UNWIND`] with `[i0, i1] = [0, N - 1]`), update `payoff += g - f`, `min P'` and the change
/// flag. The caller has checked `N >= 3` odd, `i0 <= i1 < N` and, for trades,
/// `payoff.len() == N`, `t > 0` (unwinds: `t <= 1e9` and `P != 0`).
/// Never inlined: in its own SBPF frame the loop gets all ten registers (inlined into the
/// large instruction handler, r6-r9 stay tied up by the caller and the loop state spills).
#[inline(never)]
pub(super) fn pass<const TRADE: bool, const DIR: u8>(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &PassParams,
) -> MathResult<PassOutcome> {
    if p.bet.c < C1_LIMIT {
        pass_c::<TRADE, DIR, true>(f, payoff, p)
    } else {
        pass_c::<TRADE, DIR, false>(f, payoff, p)
    }
}

/// For `c < C1_LIMIT`: the least `x_cap <= C1_X_LIMIT` such that every `x < x_cap` has
/// `(c + 1) x < b 1e9` (then `floor(c x / 1e9) <= floor((c + 1) x / 1e9) < b`).
#[inline(always)]
pub(super) fn small_cap(b: u64, c: u64) -> u64 {
    if b == 0 {
        return 0;
    }
    // (c + 1) x <= b 1e9 - 1  <=>  x <= (b 1e9 - 1) / (c + 1): native while b 1e9 < 2^64.
    let last = if b <= SMALL_CAP_B_FREE {
        ((b * SCALE_1E9 - 1) / (c + 1)) as u128
    } else {
        // c + 1 >= 1: the division never fails.
        div_u128_by_u64(mul_u64_wide(b, SCALE_1E9) - 1, c + 1).map_or(0, |(q, _)| q)
    };
    if last < C1_X_LIMIT as u128 {
        last as u64 + 1
    } else {
        C1_X_LIMIT
    }
}

/// At or below this `b`, `b 1e9 < 2^64` (above it [`small_cap`] divides the wide product).
pub(super) const SMALL_CAP_B_FREE: u64 = 18_446_744_073;

/// The body of [`pass`]; `C1`: `c < C1_LIMIT` (one product in the small fast loop).
#[inline(always)]
fn pass_c<const TRADE: bool, const DIR: u8, const C1: bool>(
    f: &mut [u64],
    payoff: &mut [i64],
    params: &PassParams,
) -> MathResult<PassOutcome> {
    let p = &params.bet;
    let n = f.len();
    let mut st = Pass::<TRADE, DIR, C1> {
        f: f.as_mut_ptr(),
        payoff: payoff.as_mut_ptr(),
        sp: Split::new(p.c),
        b: p.b,
        t: p.t,
        end_sq: 0,
        end_delta: 0,
        mid_sq: 0,
        mid_delta: 0,
        lazy: Lazy {
            p: 0,
            q: 0,
            r: 0,
            dh: 0,
            dl: 0,
        },
        small: Small {
            sq_low: 0,
            sq_approx: 0,
            sq1_low: 0,
        },
        room: 2 * CHUNK_PAIRS,
        small_ok: p.c / SCALE_1E9 < SPLIT_FAST_CI_LIMIT
            && p.b <= SMALL_B_MAX
            && (!TRADE || params.payoff_small),
        x_cap: if TRADE && C1 {
            small_cap(p.b, p.c)
        } else {
            SPLIT_FAST_X_LIMIT
        },
        pmin: 0,
        changed: 0,
        f_or: 0,
        ovf: 0,
        // black_box: keeps LLVM from turning `m <= MAX / t` into a 128-bit overflow check.
        m_lim: if TRADE && DIR == UNWIND {
            core::hint::black_box(u64::MAX / if p.t == 0 { 1 } else { p.t })
        } else {
            0
        },
        h_ovf: false,
        _life: core::marker::PhantomData,
    };
    // Simpson weights 1, 4, 2, 4, ..., 2, 4, 1: the ends exactly, the interior `1..N-1` in
    // three segments (before, inside and after the bet's range) so no point tests the range.
    // An unwind moves every point: one segment (and no code for the others).
    if TRADE && DIR == UNWIND {
        st.step::<true, 0, false>(0);
        st.run::<true>(1, n - 1);
    } else if TRADE && p.i0 == 0 {
        st.step::<true, 0, false>(0);
    } else {
        st.step::<false, 0, false>(0);
    }
    if TRADE && DIR != UNWIND {
        let lo = if p.i0 > 1 { p.i0 } else { 1 };
        let hi = if p.i1 + 1 < n - 1 { p.i1 + 1 } else { n - 1 };
        if lo < hi {
            st.run::<false>(1, lo);
            st.run::<true>(lo, hi);
            st.run::<false>(hi, n - 1);
        } else {
            st.run::<false>(1, n - 1);
        }
    } else if !TRADE {
        st.run::<false>(1, n - 1);
    }
    st.fold();
    if TRADE && (DIR == UNWIND || p.i1 == n - 1) {
        st.step::<true, 0, false>(n - 1);
    } else {
        st.step::<false, 0, false>(n - 1);
    }
    if TRADE && (st.f_or > KERNEL_F_MAX || st.ovf < 0 || st.h_ovf) {
        return Err(MathError::Overflow);
    }
    let total = st.end_sq + (st.mid_sq << 1);
    let delta = st.end_delta + (st.mid_delta << 1);
    if total > p.budget || total + delta <= p.budget {
        return Err(MathError::NotCanonical);
    }
    Ok(PassOutcome {
        norm_sq: total,
        collateral_after: (st.pmin as u64).wrapping_neg(),
        changed: st.changed != 0,
    })
}
