//! In-place, one-pass kernels for the on-chain program: the market's curve is rewritten where
//! it lies (account data), so no `[u64; N]` ever lives on the SBPF stack.
//!
//! - [`range_bet_apply_in_place`]: the trade. Same result as [`crate::trade::range_bet_apply`]
//!   followed by `payoff += g - f` and `f := g`, in a single pass.
//! - [`project_in_place_verify`]: the editor / market creation. Same result as
//!   [`crate::project::verify_canonical`] followed by [`crate::project::apply_scale`], in a
//!   single pass.
//!
//! Both verify the claimed scale `c` in the same pass: `S(c) <= budget < S(c + 1)` with
//! `S(c) = sum_i w_i min(b, floor(c h_i / 1e9))^2` (exactly the predicate of
//! [`crate::project::scale_passes`]).
//!
//! ## Why this is faster than `range_bet_apply` (same values, bit for bit)
//! 1. Products: with `c = ci 1e9 + cf` and `x = xq 1e9 + xr` (`cf, xr < 1e9`),
//!    `floor(c x / 1e9) = ci x + cf xq + floor(cf xr / 1e9)` exactly (the first two terms are
//!    integers), and as `c + 1 = ci 1e9 + (cf + 1)` with `cf + 1 <= 1e9`,
//!    `floor((c + 1) x / 1e9) = ci x + cf xq + xq + floor((cf xr + xr) / 1e9)` (no remainder
//!    needed; the short path `x < 2^34` uses `ci x + floor((cf x + x) / 1e9)`).
//!    Every term is native u64 whenever `(ci + 1) x <= u64::MAX` (checked per point against
//!    `x_lim = u64::MAX / (ci + 1)`, computed once); otherwise that point takes the wide path
//!    ([`crate::wide::scale_floor_1e9_wide`]). No 2^34 limit as in [`Scale1e9`].
//! 2. Trade (`pass`): never inlined (its own SBPF frame: all ten registers for the loop).
//!    The interior runs in three segments (before, inside, after the bet's range: no per-point
//!    range test) as (odd, even) pairs in a call-free loop; any point needing a wide fallback
//!    leaves that loop and is processed by the general step. Squares and deltas are summed
//!    lazily in u64 (`Lazy`, `g = gh 2^28 + gl`, `g1^2 - g^2 = dd (2g + dd)`) and folded
//!    into u128 every 64 pairs. Collateral is `-min(0, min_i (g_i - f_i))` (the payoff delta,
//!    already computed). Trade N = 101 in bankrun: 14,684 -> 11,843 CU.
//!    When `b <= 2^40` and `ci < 2^30` the fast loop is `step_small` instead: one test
//!    `f_i < 2^34 (- t)` per point replaces the product, `dd` and `f_or` tests, and the
//!    sums need three u64 accumulators (`Small`) and three products instead of five:
//!    11,843 -> 9,997 CU. Then: no remainder in the products (point 1), `g^2` as
//!    `gh (g + gl) 2^28 + gl^2` and `dd (g1 + g)`, the point's pointers formed in the loop,
//!    zero points outside the range skipped: 9,959 -> 9,359 CU. When `c < 2^30` (`pass` is
//!    monomorphised on it, `C1`), `(c + 1) x < 2^64` and one product `c x` gives both
//!    values (`ci` leaves the loop's registers): 9,359 -> 8,624 CU. The squares as a
//!    wrapping low sum plus the approximation `sum w (g >> 12)^2` (see [`Small`]): one
//!    product and no mask per square, 8,624 -> 8,445 CU; the delta as the wrapping
//!    difference of the low sums of `w g(c + 1)^2` and `w g^2`: 8,445 -> 8,384 CU. In trades
//!    with `C1` the small loop also requires `(c + 1) x < b 1e9` (`x_cap`, folded into the
//!    limit), so its values never reach `b`: no cap test, `b` leaves the loop: 8,384 -> 7,926.
//! 3. Projection (`proj_pass`): `g^2` from three 32-bit products, u128 sums per Simpson
//!    class (4, 2, 1 applied once at the end), `S(c + 1) = S(c) + D` with `D` only updated
//!    where `g(c + 1) != g(c)`. (The lazy form above measured slower here.) When the small
//!    fast loop applies (`b <= 2^40`, `ci < 2^30`) and `N >= 17`, the projection runs
//!    `pass::<false>` instead (limit tested as `f_i >> 34`): edit N = 101 6,996 -> 5,007 CU
//!    with the changes of point 2.
//!
//! [`Scale1e9`]: crate::wide::Scale1e9

use crate::constants::{SCALE_1E9, SPLIT_FAST_CI_LIMIT, SPLIT_FAST_X_LIMIT};
use crate::error::{MathError, MathResult};
use crate::simpson::validate_points;
use crate::trade::{RangeBetParams, TradeOutcome};
use crate::wide::{scale_floor_1e9_wide, square_wide};

/// Largest cap `b` the in-place kernels accept (`2^56` lamports, about 72 million SOL).
pub const KERNEL_B_MAX: u64 = 1 << 56;
/// Largest grid the in-place kernels accept.
pub const KERNEL_N_MAX: usize = 1 << 10;
/// Largest curve value the trade kernel accepts as `f_i` (payoff differences stay exact).
pub const KERNEL_F_MAX: u64 = 1 << 62;

/// `g^2` for `g < 2^63` (native when `g < 2^32`, else [`square_wide`]'s 32-bit partial
/// products; a hand-written three-product form gets recognised by LLVM as a 128-bit multiply,
/// which SBPF v0 cannot link).
#[inline(always)]
fn sq_fast(g: u64) -> u128 {
    square_wide(g)
}

/// `(floor(c x / 1e9), floor((c + 1) x / 1e9))`, both saturated at `u64::MAX`.
#[derive(Clone, Copy)]
struct Split {
    c: u64,
    ci: u64,
    cf: u64,
    /// `2^34` when `ci < 2^30` (the short path applies below it), else 0.
    x_fast: u64,
    x_lim: u64,
}

impl Split {
    #[inline(always)]
    fn new(c: u64) -> Self {
        let ci = c / SCALE_1E9;
        Split {
            c,
            ci,
            cf: c - ci * SCALE_1E9,
            x_fast: if ci < SPLIT_FAST_CI_LIMIT {
                SPLIT_FAST_X_LIMIT
            } else {
                0
            },
            // black_box: LLVM rewrites `x <= MAX / (ci + 1)` into an overflow check of
            // `(ci + 1) * x`, a 128-bit multiply SBPF v0 can't link.
            x_lim: core::hint::black_box(u64::MAX / (ci + 1)),
        }
    }

    #[inline(always)]
    fn pair(&self, x: u64) -> (u64, u64) {
        if x < self.x_fast {
            // Scale1e9's short path: cf * x < 1e9 * 2^34 < 2^64.
            let p = self.cf * x;
            let cix = self.ci * x;
            let v = cix + p / SCALE_1E9;
            let v1 = cix + (p + x) / SCALE_1E9;
            (v, v1)
        } else if x <= self.x_lim {
            let xq = x / SCALE_1E9;
            let xr = x - xq * SCALE_1E9;
            let p = self.cf * xr; // < 1e18
            let base = self.ci * x + self.cf * xq;
            let v = base + p / SCALE_1E9;
            let v1 = base + xq + (p + xr) / SCALE_1E9;
            (v, v1)
        } else {
            wide_pair(self.c, x)
        }
    }

    /// [`Split::pair`] with the constant short-path test (the projection's loop: measured
    /// cheaper there than the `x_fast` field).
    #[inline(always)]
    fn pair_const(&self, x: u64) -> (u64, u64) {
        if x < SPLIT_FAST_X_LIMIT && self.ci < SPLIT_FAST_CI_LIMIT {
            let p = self.cf * x;
            let cix = self.ci * x;
            let v = cix + p / SCALE_1E9;
            let v1 = cix + (p + x) / SCALE_1E9;
            (v, v1)
        } else if x <= self.x_lim {
            let xq = x / SCALE_1E9;
            let xr = x - xq * SCALE_1E9;
            let p = self.cf * xr; // < 1e18
            let base = self.ci * x + self.cf * xq;
            let v = base + p / SCALE_1E9;
            let v1 = base + xq + (p + xr) / SCALE_1E9;
            (v, v1)
        } else {
            wide_pair(self.c, x)
        }
    }

    /// [`Split::pair`] without the wide fallback: `None` when `x > x_lim`.
    #[inline(always)]
    fn pair_native(&self, x: u64) -> Option<(u64, u64)> {
        if x < self.x_fast {
            let p = self.cf * x;
            let cix = self.ci * x;
            let v = cix + p / SCALE_1E9;
            let v1 = cix + (p + x) / SCALE_1E9;
            Some((v, v1))
        } else if x <= self.x_lim {
            let xq = x / SCALE_1E9;
            let xr = x - xq * SCALE_1E9;
            let p = self.cf * xr; // < 1e18
            let base = self.ci * x + self.cf * xq;
            let v = base + p / SCALE_1E9;
            let v1 = base + xq + (p + xr) / SCALE_1E9;
            Some((v, v1))
        } else {
            None
        }
    }
}

/// The wide fallback of [`Split::pair`], out of line: it is rare, and keeping it out of the
/// hot loop leaves SBPF's ten registers to the loop's state.
#[cold]
#[inline(never)]
fn wide_pair(c: u64, x: u64) -> (u64, u64) {
    (
        scale_floor_1e9_wide(c, x),
        scale_floor_1e9_wide(c.saturating_add(1), x),
    )
}

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
const PROJ_SMALL_N_MIN: usize = 17;

/// `c` below this: the small fast loop forms both values from the one product `c x`.
const C1_LIMIT: u64 = 1 << 30;

/// Largest cap `b` for the small fast loop ([`Pass::step_small`]).
const SMALL_B_MAX: u64 = 1 << 40;

/// Interior sums of the small fast loop (`b <= 2^40`, `ci < 2^30`, `x < 2^34`), relative
/// weights as in [`Lazy`], folded with it. The squares as a low part and an approximation:
/// `L = sum w g^2 mod 2^64` (`sq_low`, wrapping) and `A = sum w gh^2` with
/// `gh = g >> 12 <= 2^28` (`sq_approx`: `w gh^2 <= 2^57`, at most `3 * 2^56` a pair). Per
/// point `E_i = g^2 - gh^2 2^24 = gl (2g - gl) < 2^12 2^41 = 2^53` (`gl = g mod 2^12`), so
/// over a chunk `E = sum w E_i < 3 * 64 * 2^53 < 2^61` and `sum w g^2 = A 2^24 + E` with
/// `E = (L - A 2^24) mod 2^64` exactly (one product and no mask per square).
/// The delta likewise: `sq1_low = sum w g1^2 mod 2^64`. The short product form gives
/// `v1 - v <= floor(x / 1e9) + 1 <= 18`, so `dd = g1 - g <= 18` and
/// `w (g1^2 - g^2) = w dd (g1 + g) < 2^47`: over 64 pairs the delta is below 2^55, so it is
/// exactly `sq1_low - sq_low` modulo 2^64.
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

/// State of one pass over the grid.
struct Pass<'a, const TRADE: bool, const C1: bool> {
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
    /// The small fast loop applies (`ci < 2^30` and `b <= 2^40`).
    small_ok: bool,
    /// Trades: the small fast loop takes `x < x_cap` (`<= 2^34`; with `C1` also
    /// `(c + 1) x < b 1e9`, so no value reaches the cap `b`).
    x_cap: u64,
    /// `min(0, min_i (g_i - f_i))` (as i64): the collateral is its negation.
    dmin: i64,
    /// OR of every f_i: one comparison at the end checks `f_i <= KERNEL_F_MAX` for all.
    f_or: u64,
    /// Sign bit set iff some `payoff_i + d_i` overflowed i64.
    ovf: i64,
    _life: core::marker::PhantomData<&'a mut [u64]>,
}

impl<const TRADE: bool, const C1: bool> Pass<'_, TRADE, C1> {
    /// Processes grid point `i` (`i < N`, guaranteed by the caller's loop bounds). `IN`: `i`
    /// lies in the bet's range (`x = f_i + t`). `W`: 0 for the two ends (exact u128 sums),
    /// 1 for interior odd points (relative weight 2), 2 for interior even points (weight 1).
    /// `FAST`: no wide fallback (no calls, so the hot loop keeps its state in registers):
    /// returns `false`, before changing anything, if the point needs one.
    #[inline(always)]
    fn step<const IN: bool, const W: u8, const FAST: bool>(&mut self, i: usize) -> bool {
        // SAFETY: i < N = f.len() (= payoff.len() when TRADE), checked by the callers.
        let fi = unsafe { *self.f.add(i) };
        let x = if TRADE && IN {
            fi.wrapping_add(self.t) // exact: f_i, t <= 2^62 (f_or checked after the pass)
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
            if d < self.dmin {
                self.dmin = d;
            }
            // SAFETY: as above.
            let a = unsafe { *self.payoff.add(i) };
            let sum = a.wrapping_add(d);
            self.ovf |= (a ^ sum) & (d ^ sum);
            unsafe { *self.payoff.add(i) = sum };
        }
        true
    }

    /// The fast step when `small_ok`: returns `false`, before changing anything, unless
    /// `f_i < lim` (`lim <= 2^34`, minus `t` in the range: then `x < 2^34` without wrapping,
    /// so the short product form applies and `f_i <= KERNEL_F_MAX` needs no `f_or`).
    /// `C1`: `c < 2^30`, so `(c + 1) x < 2^64` and one product `c x` gives both values.
    #[inline(always)]
    fn step_small<const IN: bool, const W: u8>(
        &mut self,
        fp: *mut u64,
        pp: *mut i64,
        lim: u64,
    ) -> bool {
        // SAFETY: fp = f + i and pp = payoff + i with i < N = f.len() = payoff.len(),
        // checked by the callers.
        let fi = unsafe { *fp };
        // Projections: `lim` is the constant 2^34, tested as `fi >> 34` (no register; measured
        // cheaper there, dearer in trades).
        if (TRADE && fi >= lim) || (!TRADE && fi >> 34 != 0) {
            return false;
        }
        // Trades: a zero outside the bet's range stays zero and adds nothing (g = g(c + 1) = 0,
        // payoff unchanged, d = 0 >= dmin): skip it (curves' tails are often zero). In
        // projections the test measured dearer at N = 101 (edit 5,212 -> 5,557).
        if TRADE && !IN && fi == 0 {
            return true;
        }
        let x = if IN { fi + self.t } else { fi };
        // floor(c x / 1e9) = ci x + floor(cf x / 1e9) and, as cf + 1 <= 1e9,
        // floor((c + 1) x / 1e9) = ci x + floor((cf x + x) / 1e9) (all < 2^64: x < 2^34).
        let (v, v1) = if C1 {
            // c < 2^30 and x < 2^34: (c + 1) x < 2^64.
            let p = self.sp.c * x;
            (p / SCALE_1E9, (p + x) / SCALE_1E9)
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
            if d < self.dmin {
                self.dmin = d;
            }
            // SAFETY: as above.
            let a = unsafe { *pp };
            let sum = a.wrapping_add(d);
            self.ovf |= (a ^ sum) & (d ^ sum);
            unsafe { *pp = sum };
        }
        true
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
    }

    /// The small fast loop over (odd, even) pairs from odd `i` while `i < stop`; returns the
    /// first point it did not process.
    #[inline(always)]
    fn small_loop<const IN: bool>(&mut self, mut i: usize, stop: usize, lim: u64) -> usize {
        while i < stop {
            let (fp, pp) = (self.f.wrapping_add(i), self.payoff.wrapping_add(i));
            if !self.step_small::<IN, 1>(fp, pp, lim) {
                return i;
            }
            let (fp, pp) = (fp.wrapping_add(1), pp.wrapping_add(1));
            if !self.step_small::<IN, 2>(fp, pp, lim) {
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
        // `f_i < lim` keeps `x < 2^34` (0: the small loop doesn't apply).
        let lim = if !self.small_ok {
            0
        } else if !TRADE {
            SPLIT_FAST_X_LIMIT
        } else if !IN {
            self.x_cap
        } else {
            self.x_cap.saturating_sub(self.t)
        };
        let mut i = from;
        while i < to {
            if i & 1 == 0 {
                self.step::<IN, 2, false>(i);
                i += 1;
                continue;
            }
            let stop = if to - 1 - i > 2 * CHUNK_PAIRS {
                i + 2 * CHUNK_PAIRS
            } else {
                to - 1
            };
            if lim != 0 {
                // Index loop, the point's pointers formed here: measured cheaper than both a
                // pointer loop with a stop pointer (set-up per segment and chunk) and
                // indexing inside the step. Projections: `payoff` is empty and `pp` is never
                // dereferenced (wrapping arithmetic).
                i = self.small_loop::<IN>(i, stop, lim);
            } else {
                while i < stop {
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
            self.fold();
            if i < to {
                self.slow::<IN>(i);
                i += 1;
            }
        }
    }
}

/// Shared pass. `TRADE`: add `t` on `[i0, i1]`, update `payoff += g - f` and the collateral.
/// The caller has checked `N >= 3` odd, `i0 <= i1 < N` and, for trades, `payoff.len() == N`.
/// Never inlined: in its own SBPF frame the loop gets all ten registers (inlined into the
/// large instruction handler, r6-r9 stay tied up by the caller and the loop state spills).
#[inline(never)]
fn pass<const TRADE: bool>(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &RangeBetParams,
) -> MathResult<TradeOutcome> {
    if p.c < C1_LIMIT {
        pass_c::<TRADE, true>(f, payoff, p)
    } else {
        pass_c::<TRADE, false>(f, payoff, p)
    }
}

/// For `c < C1_LIMIT`: the least `x_cap <= 2^34` such that every `x < x_cap` has
/// `(c + 1) x < b 1e9` (then `floor(c x / 1e9) <= floor((c + 1) x / 1e9) < b`).
#[inline(always)]
fn small_cap(b: u64, c: u64) -> u64 {
    // b > 18,446,744,073: b 1e9 > 2^64 > (c + 1) x for c < 2^30, x < 2^34.
    if b > SMALL_CAP_B_FREE {
        return SPLIT_FAST_X_LIMIT;
    }
    if b == 0 {
        return 0;
    }
    // (c + 1) x <= b 1e9 - 1 (< 2^64 as b <= 18,446,744,073)  <=>  x <= (b 1e9 - 1) / (c + 1).
    let last = (b * SCALE_1E9 - 1) / (c + 1);
    if last < SPLIT_FAST_X_LIMIT {
        last + 1
    } else {
        SPLIT_FAST_X_LIMIT
    }
}

/// Above this `b`, `b 1e9 > 2^64` and the small fast loop's values never reach `b` (C1);
/// at or below it `b 1e9 < 2^64`.
const SMALL_CAP_B_FREE: u64 = 18_446_744_073;

/// The body of [`pass`]; `C1`: `c < C1_LIMIT` (one product in the small fast loop).
#[inline(always)]
fn pass_c<const TRADE: bool, const C1: bool>(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &RangeBetParams,
) -> MathResult<TradeOutcome> {
    let n = f.len();
    let mut st = Pass::<TRADE, C1> {
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
        small_ok: p.c / SCALE_1E9 < SPLIT_FAST_CI_LIMIT && p.b <= SMALL_B_MAX,
        x_cap: if C1 {
            small_cap(p.b, p.c)
        } else {
            SPLIT_FAST_X_LIMIT
        },
        dmin: 0,
        f_or: 0,
        ovf: 0,
        _life: core::marker::PhantomData,
    };
    // Simpson weights 1, 4, 2, 4, ..., 2, 4, 1: the ends exactly, the interior `1..N-1` in
    // three segments (before, inside and after the bet's range) so no point tests the range.
    if TRADE && p.i0 == 0 {
        st.step::<true, 0, false>(0);
    } else {
        st.step::<false, 0, false>(0);
    }
    if TRADE {
        let lo = if p.i0 > 1 { p.i0 } else { 1 };
        let hi = if p.i1 + 1 < n - 1 { p.i1 + 1 } else { n - 1 };
        if lo < hi {
            st.run::<false>(1, lo);
            st.run::<true>(lo, hi);
            st.run::<false>(hi, n - 1);
        } else {
            st.run::<false>(1, n - 1);
        }
    } else {
        st.run::<false>(1, n - 1);
    }
    st.fold();
    if TRADE && p.i1 == n - 1 {
        st.step::<true, 0, false>(n - 1);
    } else {
        st.step::<false, 0, false>(n - 1);
    }
    if TRADE && (st.f_or > KERNEL_F_MAX || st.ovf < 0) {
        return Err(MathError::Overflow);
    }
    let total = st.end_sq + (st.mid_sq << 1);
    let delta = st.end_delta + (st.mid_delta << 1);
    if total > p.budget || total + delta <= p.budget {
        return Err(MathError::NotCanonical);
    }
    Ok(TradeOutcome {
        collateral: (st.dmin as u64).wrapping_neg(),
        norm_sq: total,
    })
}

// ---- The projection's pass (edit_distribution, create_market): the per-class u128 form,
// measured cheaper than the lazy form below for the lighter projection loop. ----

/// Sums of one Simpson weight class: `sq = sum g^2`, `delta = sum (g(c+1)^2 - g^2)`.
#[derive(Clone, Copy)]
struct ProjClass {
    sq: u128,
    delta: u128,
}

/// Weight classes (const generic of [`ProjPass::step`]): the class weight is applied once at the
/// end with constant shifts. A per-point variable weight would be folded by LLVM into a 128-bit
/// multiply, which SBPF v0 can't link; fixed classes also remove a branch per point.
const ENDS: u8 = 0;
const ODD: u8 = 1;
const EVEN: u8 = 2;

/// State of one pass over the grid.
struct ProjPass<'a, const TRADE: bool> {
    f: *mut u64,
    payoff: *mut i64,
    sp: Split,
    b: u64,
    t: u64,
    i0: usize,
    span: usize,
    classes: [ProjClass; 3],
    coll: u64,
    /// OR of every f_i: one comparison at the end checks `f_i <= KERNEL_F_MAX` for all.
    f_or: u64,
    /// Sign bit set iff some `payoff_i + d_i` overflowed i64.
    ovf: i64,
    _life: core::marker::PhantomData<&'a mut [u64]>,
}

impl<const TRADE: bool> ProjPass<'_, TRADE> {
    /// Processes grid point `i` (`i < N`, guaranteed by the caller's loop bounds).
    #[inline(always)]
    fn step<const W: u8>(&mut self, i: usize) {
        // SAFETY: i < N = f.len() (= payoff.len() when TRADE), checked by the callers.
        let fi = unsafe { *self.f.add(i) };
        let x = if TRADE {
            self.f_or |= fi;
            if i.wrapping_sub(self.i0) <= self.span {
                fi.wrapping_add(self.t) // exact: f_i, t <= 2^62 (f_or checked after the pass)
            } else {
                fi
            }
        } else {
            fi
        };
        let (v, v1) = self.sp.pair_const(x);
        let b = self.b;
        let g = if v < b { v } else { b };
        // SAFETY: as above.
        unsafe { *self.f.add(i) = g };
        let sq = sq_fast(g);
        let class = &mut self.classes[W as usize];
        class.sq += sq;
        if v1 != v && g < b {
            let g1 = if v1 < b { v1 } else { b };
            class.delta += sq_fast(g1) - sq;
        }
        if TRADE {
            let loss = fi.saturating_sub(g);
            if loss > self.coll {
                self.coll = loss;
            }
            let d = g.wrapping_sub(fi) as i64;
            // SAFETY: as above.
            let a = unsafe { *self.payoff.add(i) };
            let sum = a.wrapping_add(d);
            self.ovf |= (a ^ sum) & (d ^ sum);
            unsafe { *self.payoff.add(i) = sum };
        }
    }
}

/// Shared pass. `TRADE`: add `t` on `[i0, i1]`, update `payoff += g - f` and the collateral.
/// The caller has checked `N >= 3` odd and, for trades, `payoff.len() == N`.
#[inline(always)]
fn proj_pass<const TRADE: bool>(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &RangeBetParams,
) -> MathResult<TradeOutcome> {
    let n = f.len();
    let zero = ProjClass { sq: 0, delta: 0 };
    let mut st = ProjPass::<TRADE> {
        f: f.as_mut_ptr(),
        payoff: payoff.as_mut_ptr(),
        sp: Split::new(p.c),
        b: p.b,
        t: p.t,
        i0: p.i0,
        span: p.i1.wrapping_sub(p.i0),
        classes: [zero; 3],
        coll: 0,
        f_or: 0,
        ovf: 0,
        _life: core::marker::PhantomData,
    };
    // Simpson weights 1, 4, 2, 4, ..., 2, 4, 1: the interior is (odd, even) pairs, then the
    // last odd point, then the end.
    st.step::<ENDS>(0);
    let mut i = 1usize;
    while i + 2 < n - 1 {
        st.step::<ODD>(i);
        st.step::<EVEN>(i + 1);
        i += 2;
    }
    st.step::<ODD>(n - 2);
    st.step::<ENDS>(n - 1);
    if TRADE && (st.f_or > KERNEL_F_MAX || st.ovf < 0) {
        return Err(MathError::Overflow);
    }
    let [ends, odd, even] = st.classes;
    let total = ends.sq + (even.sq << 1) + (odd.sq << 2);
    let delta = ends.delta + (even.delta << 1) + (odd.delta << 2);
    if total > p.budget || total + delta <= p.budget {
        return Err(MathError::NotCanonical);
    }
    Ok(TradeOutcome {
        collateral: st.coll,
        norm_sq: total,
    })
}

/// The trade, in place: `f := g` and `payoff += g - f`, where
/// `g_i = min(b, floor(c h_i / 1e9))`, `h = f + t 1[i0, i1]`, after verifying that `c` is the
/// canonical scale of `h` (`S(c) <= budget < S(c + 1)`). Returns the collateral
/// `max(0, max_i (f_i - g_i))` and `S(c)`: the same values as
/// [`crate::trade::range_bet_apply`] (host tests check this bit for bit).
///
/// Preconditions (errors otherwise): grid length odd in `3..=KERNEL_N_MAX`
/// (`InsufficientPoints`/`InvalidGrid`/`Overflow`), `payoff.len() == f.len()`
/// (`LengthMismatch`), `i0 <= i1 < N` (`InvalidRange`), `t > 0` (`ZeroBet`),
/// `b <= KERNEL_B_MAX` and every `f_i <= KERNEL_F_MAX` and `f_i + t` fits (`Overflow`; the
/// program keeps `f_i <= b`, so it checks `b + t` once instead), `c < u64::MAX`
/// (`NotCanonical`). `payoff_i + (g_i - f_i)` overflowing i64 is `Overflow`.
///
/// On error `f` and `payoff` may be partially rewritten: the caller must discard them (on
/// chain the failed transaction reverts every account).
pub fn range_bet_apply_in_place(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &RangeBetParams,
) -> MathResult<TradeOutcome> {
    let n = f.len();
    validate_points(n)?;
    if n > KERNEL_N_MAX || p.b > KERNEL_B_MAX {
        return Err(MathError::Overflow);
    }
    if payoff.len() != n {
        return Err(MathError::LengthMismatch);
    }
    if p.i0 > p.i1 || p.i1 >= n {
        return Err(MathError::InvalidRange);
    }
    if p.t == 0 {
        return Err(MathError::ZeroBet);
    }
    if p.c == u64::MAX {
        return Err(MathError::NotCanonical);
    }
    // t <= KERNEL_F_MAX and every f_i <= KERNEL_F_MAX (checked per point in the pass) keep
    // f_i + t in u64 and g_i - f_i exact in i64.
    if p.t > KERNEL_F_MAX {
        return Err(MathError::Overflow);
    }
    pass::<true>(f, payoff, p)
}

/// The projection, in place: `h := g` with `g_i = min(b, floor(c h_i / 1e9))`, after
/// verifying that `c` is canonical for `h` (`S(c) <= budget < S(c + 1)`), in one pass.
/// Returns `S(c)`. Same values as [`crate::project::verify_canonical`] +
/// [`crate::project::apply_scale`].
///
/// Errors: grid errors, `Overflow` (`N > KERNEL_N_MAX` or `b > KERNEL_B_MAX`),
/// `NormConstraintViolated` (`c + 1 == u64::MAX` still passes: no canonical scale exists),
/// `NotCanonical`. On error `h` may be partially rewritten.
pub fn project_in_place_verify(h: &mut [u64], b: u64, budget: u128, c: u64) -> MathResult<u128> {
    let n = h.len();
    validate_points(n)?;
    if n > KERNEL_N_MAX || b > KERNEL_B_MAX {
        return Err(MathError::Overflow);
    }
    if c == u64::MAX {
        return Err(MathError::NotCanonical);
    }
    let p = RangeBetParams {
        b,
        budget,
        i0: 0,
        i1: 0,
        t: 0,
        c,
    };
    // The small fast loop (`b <= 2^40`, `c / 1e9 < 2^30`) lives in `pass`; otherwise, and on
    // short grids (its setup and per-fallback costs don't pay off: create_market N = 11,
    // where most values take the fallback), the per-class form of `proj_pass` measured cheaper.
    let r = if n >= PROJ_SMALL_N_MIN && b <= SMALL_B_MAX && c / SCALE_1E9 < SPLIT_FAST_CI_LIMIT {
        pass::<false>(h, &mut [], &p)
    } else {
        proj_pass::<false>(h, &mut [], &p)
    };
    match r {
        Ok(out) => Ok(out.norm_sq),
        Err(MathError::NotCanonical) if c == u64::MAX - 1 => Err(MathError::NormConstraintViolated),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::project::{apply_scale, canonical_scale, norm_sq_budget, verify_canonical};
    use crate::testing::SplitMix64 as Rng;
    use crate::trade::{payoff_vector, range_bet_apply, solve_range_bet, RangeBetQuery};
    use std::vec;
    use std::vec::Vec;

    #[test]
    fn split_pair_is_exact() {
        let mut rng = Rng(3);
        for _ in 0..200_000 {
            let c = match rng.below(4) {
                0 => rng.next(),
                1 => rng.below(4 * SCALE_1E9),
                2 => rng.below(1 << 40),
                _ => rng.next() >> rng.below(64),
            };
            let x = rng.next() >> rng.below(64);
            let sp = Split::new(c);
            let (v, v1) = sp.pair(x);
            assert_eq!(v, scale_floor_1e9_wide(c, x), "c={c} x={x}");
            if c < u64::MAX {
                assert_eq!(v1, scale_floor_1e9_wide(c + 1, x), "c+1={c} x={x}");
            }
        }
        for g in [
            0u64,
            1,
            0xFFFF_FFFF,
            1 << 32,
            (1 << 56) + 12345,
            (1 << 63) - 1,
        ] {
            assert_eq!(sq_fast(g), (g as u128) * (g as u128));
        }
    }

    /// `small_cap(b, c)`: the least `x_cap <= 2^34` with `(c + 1) x < b 1e9` for all
    /// `x < x_cap` (`c < 2^30`).
    #[test]
    fn small_cap_is_the_exact_limit() {
        let mut rng = Rng(41);
        for k in 0..200_000 {
            let c = match k % 3 {
                0 => rng.below(C1_LIMIT),
                1 => C1_LIMIT - 1 - rng.below(1000),
                _ => rng.below(2 * SCALE_1E9).min(C1_LIMIT - 1),
            };
            let b = match k % 4 {
                0 => rng.below(1 << 40),
                1 => SMALL_CAP_B_FREE - 1000 + rng.below(2000),
                2 if k % 8 == 2 => SMALL_CAP_B_FREE + rng.below(3) - 1,
                2 => rng.below(1000),
                _ => rng.below(1 << 35),
            };
            let cap = small_cap(b, c);
            assert!(cap <= SPLIT_FAST_X_LIMIT);
            let lim = (b as u128) * (SCALE_1E9 as u128);
            let c1 = (c + 1) as u128;
            if cap > 0 {
                assert!(c1 * ((cap - 1) as u128) < lim, "b={b} c={c}");
            }
            if cap < SPLIT_FAST_X_LIMIT {
                assert!(c1 * (cap as u128) >= lim, "b={b} c={c}");
            }
        }
    }

    #[test]
    fn projection_in_place_matches_verify_and_apply() {
        let mut rng = Rng(11);
        for trial in 0..400 {
            let n = 3 + 2 * rng.below(60) as usize;
            let h: Vec<u64> = (0..n)
                .map(|_| {
                    if rng.below(5) == 0 {
                        0
                    } else {
                        rng.below(4_000_000_000)
                    }
                })
                .collect();
            let b = 1 + rng.below(if trial % 2 == 0 { 1 << 34 } else { 1 << 56 });
            let k = 1 + rng.below(b);
            let budget = norm_sq_budget(k, 1 + rng.below(50)).unwrap();
            match canonical_scale(&h, b, budget) {
                Ok(c) => {
                    verify_canonical(&h, b, budget, c).unwrap();
                    let mut want = vec![0u64; n];
                    apply_scale(&h, b, c, &mut want).unwrap();
                    let mut got = h.clone();
                    project_in_place_verify(&mut got, b, budget, c).unwrap();
                    assert_eq!(got, want);
                    for bad in [c.wrapping_sub(1), c + 1, c.saturating_add(1 << 20)] {
                        if bad != c {
                            let mut g2 = h.clone();
                            assert!(project_in_place_verify(&mut g2, b, budget, bad).is_err());
                        }
                    }
                }
                Err(MathError::NormConstraintViolated) => {
                    let mut g2 = h.clone();
                    assert_eq!(
                        project_in_place_verify(&mut g2, b, budget, u64::MAX - 1),
                        Err(MathError::NormConstraintViolated)
                    );
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }

    /// Small curve values and large scales: the small fast loop with `c >= 2^30` (two
    /// products) and with `c < 2^30` (one product; the other tests cover it more).
    #[test]
    fn projection_in_place_small_loop_both_scale_forms() {
        let mut rng = Rng(29);
        let (mut wide_c, mut narrow_c) = (0, 0);
        for _ in 0..400 {
            let n = 17 + 2 * rng.below(60) as usize;
            let bits = 4 + rng.below(30);
            let top = 1 + rng.below(1 << bits);
            let h: Vec<u64> = (0..n)
                .map(|_| if rng.below(6) == 0 { 0 } else { rng.below(top) })
                .collect();
            let b = 1 + rng.below(SMALL_B_MAX);
            let k = 1 + rng.below(b);
            let budget = norm_sq_budget(k, 1 + rng.below(50)).unwrap();
            let Ok(c) = canonical_scale(&h, b, budget) else {
                continue;
            };
            if c / SCALE_1E9 >= SPLIT_FAST_CI_LIMIT {
                continue;
            }
            if c < C1_LIMIT {
                narrow_c += 1;
            } else {
                wide_c += 1;
            }
            let mut want = vec![0u64; n];
            apply_scale(&h, b, c, &mut want).unwrap();
            let mut got = h.clone();
            project_in_place_verify(&mut got, b, budget, c).unwrap();
            assert_eq!(got, want);
            for bad in [c - 1, c + 1] {
                let mut g2 = h.clone();
                assert!(project_in_place_verify(&mut g2, b, budget, bad).is_err());
            }
        }
        assert!(wide_c > 50 && narrow_c > 0, "{wide_c} {narrow_c}");
    }

    /// Whether the position's payoff before the trade is random or zero (see
    /// [`check_trade_case`]).
    #[derive(Clone, Copy, PartialEq)]
    enum PriorPayoff {
        Random,
        Zero,
    }

    /// One random case of the trade kernel: projects `h` into a market curve (budget from a
    /// random `k`), solves a random range bet on it and checks `range_bet_apply_in_place`
    /// against `range_bet_apply` + `payoff_vector` (outcome, curve, payoff), and that `c - 1`
    /// and `c + 1` are `NotCanonical`. Returns false (skipped) when the case has no market or
    /// no bet.
    fn check_trade_case(rng: &mut Rng, h: &[u64], b: u64, prior: PriorPayoff) -> bool {
        let n = h.len();
        let k = 1 + rng.below(b);
        let budget = norm_sq_budget(k, 1 + rng.below(20)).unwrap();
        let mut f = vec![0u64; n];
        if crate::project::project(h, b, budget, &mut f).is_err() {
            return false;
        }
        let i0 = rng.below(n as u64) as usize;
        let i1 = (i0 + rng.below(n as u64) as usize).min(n - 1);
        let q = RangeBetQuery { b, budget, i0, i1 };
        let amount = 1 + rng.below(b / 4 + 1);
        let sol = match solve_range_bet(&f, &q, amount) {
            Ok(s) => s,
            Err(_) => return false,
        };
        let p = RangeBetParams {
            b,
            budget,
            i0,
            i1,
            t: sol.t,
            c: sol.c,
        };
        let mut g = vec![0u64; n];
        let want = range_bet_apply(&f, &p, &mut g).unwrap();
        let mut expected_pay: Vec<i64> = match prior {
            PriorPayoff::Random => (0..n).map(|_| rng.below(1000) as i64 - 500).collect(),
            PriorPayoff::Zero => vec![0i64; n],
        };
        let mut got_pay = expected_pay.clone();
        let mut delta = vec![0i64; n];
        payoff_vector(&f, &g, &mut delta).unwrap();
        for i in 0..n {
            expected_pay[i] += delta[i];
        }
        let mut got_f = f.clone();
        let got = range_bet_apply_in_place(&mut got_f, &mut got_pay, &p).unwrap();
        assert_eq!(got, want);
        assert_eq!(got_f, g);
        assert_eq!(got_pay, expected_pay);
        for bad in [sol.c - 1, sol.c + 1] {
            let mut f2 = f.clone();
            let mut p2 = vec![0i64; n];
            assert_eq!(
                range_bet_apply_in_place(&mut f2, &mut p2, &RangeBetParams { c: bad, ..p }),
                Err(MathError::NotCanonical)
            );
        }
        true
    }

    #[test]
    fn trade_in_place_matches_range_bet_apply() {
        let mut rng = Rng(5);
        let mut done = 0;
        while done < 300 {
            let n = 3 + 2 * rng.below(50) as usize;
            let b = 1 + rng.below(if done % 2 == 0 { 1 << 34 } else { 1 << 50 });
            let h: Vec<u64> = (0..n).map(|_| rng.below(4_000_000_000)).collect();
            if check_trade_case(&mut rng, &h, b, PriorPayoff::Random) {
                done += 1;
            }
        }
    }

    /// Long grids (several lazy-sum chunks, ranges cutting them anywhere) and large values
    /// (medium and wide products, `g(c + 1) - g(c) >= 2^26`, capped points).
    #[test]
    fn trade_in_place_large_values_and_long_grids() {
        let mut rng = Rng(9);
        let mut done = 0;
        while done < 120 {
            let n = 3 + 2 * rng.below(511) as usize;
            let big = done % 3 != 0;
            let b = if big {
                (KERNEL_B_MAX >> rng.below(8)) - rng.below(1000)
            } else {
                1 + rng.below(1 << 40)
            };
            let h: Vec<u64> = (0..n)
                .map(|_| match rng.below(4) {
                    0 => 0,
                    1 => rng.below(b),
                    _ => rng.below(b / 3 + 1),
                })
                .collect();
            if check_trade_case(&mut rng, &h, b, PriorPayoff::Zero) {
                done += 1;
            }
        }
    }

    #[test]
    fn trade_in_place_argument_errors() {
        let mut f = vec![1u64, 2, 3];
        let mut pay = vec![0i64; 3];
        let p = RangeBetParams {
            b: 10,
            budget: 100,
            i0: 0,
            i1: 1,
            t: 1,
            c: 1,
        };
        assert_eq!(
            range_bet_apply_in_place(&mut f, &mut pay, &RangeBetParams { t: 0, ..p }),
            Err(MathError::ZeroBet)
        );
        assert_eq!(
            range_bet_apply_in_place(&mut f, &mut pay, &RangeBetParams { i0: 2, ..p }),
            Err(MathError::InvalidRange)
        );
        assert_eq!(
            range_bet_apply_in_place(&mut f, &mut pay, &RangeBetParams { i1: 3, ..p }),
            Err(MathError::InvalidRange)
        );
        assert_eq!(
            range_bet_apply_in_place(&mut f, &mut pay[..2], &p),
            Err(MathError::LengthMismatch)
        );
        assert_eq!(
            range_bet_apply_in_place(
                &mut f,
                &mut pay,
                &RangeBetParams {
                    b: KERNEL_B_MAX + 1,
                    ..p
                }
            ),
            Err(MathError::Overflow)
        );
    }
}
