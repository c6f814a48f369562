//! The kernels' products: `(floor(c x / 1e9), floor((c + 1) x / 1e9))` from one split of
//! `c = ci 1e9 + cf`, exact for every `x` (native u64 while `(ci + 1) x` fits, else the wide
//! path), and `g^2`.

use crate::constants::{SCALE_1E9, SPLIT_FAST_CI_LIMIT, SPLIT_FAST_X_LIMIT};
use crate::wide::{scale_floor_1e9_wide, square_wide};

/// `g^2` for `g < 2^63` (native when `g < 2^32`, else [`square_wide`]'s 32-bit partial
/// products; a hand-written three-product form gets recognised by LLVM as a 128-bit multiply,
/// which SBPF v0 cannot link).
#[inline(always)]
pub(super) fn sq_fast(g: u64) -> u128 {
    square_wide(g)
}

/// `(floor(c x / 1e9), floor((c + 1) x / 1e9))`, both saturated at `u64::MAX`.
#[derive(Clone, Copy)]
pub(super) struct Split {
    pub(super) c: u64,
    pub(super) ci: u64,
    pub(super) cf: u64,
    /// `2^34` when `ci < 2^30` (the short path applies below it), else 0.
    pub(super) x_fast: u64,
    pub(super) x_lim: u64,
}

impl Split {
    #[inline(always)]
    pub(super) fn new(c: u64) -> Self {
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

    /// The short path, `x < 2^34` and `ci < 2^30`: `cf x < 1e9 2^34 < 2^64` (Scale1e9's).
    #[inline(always)]
    fn short(&self, x: u64) -> (u64, u64) {
        let p = self.cf * x;
        let cix = self.ci * x;
        (cix + p / SCALE_1E9, cix + (p + x) / SCALE_1E9)
    }

    /// The native long path, `x <= x_lim`: `x = xq 1e9 + xr`, every term fits in u64.
    #[inline(always)]
    fn long(&self, x: u64) -> (u64, u64) {
        let xq = x / SCALE_1E9;
        let xr = x - xq * SCALE_1E9;
        let p = self.cf * xr; // < 1e18
        let base = self.ci * x + self.cf * xq;
        (base + p / SCALE_1E9, base + xq + (p + xr) / SCALE_1E9)
    }

    #[inline(always)]
    pub(super) fn pair(&self, x: u64) -> (u64, u64) {
        if x < self.x_fast {
            self.short(x)
        } else if x <= self.x_lim {
            self.long(x)
        } else {
            wide_pair(self.c, x)
        }
    }

    /// [`Split::pair`] with the constant short-path test (the projection's loop: measured
    /// cheaper there than the `x_fast` field).
    #[inline(always)]
    pub(super) fn pair_const(&self, x: u64) -> (u64, u64) {
        if x < SPLIT_FAST_X_LIMIT && self.ci < SPLIT_FAST_CI_LIMIT {
            self.short(x)
        } else if x <= self.x_lim {
            self.long(x)
        } else {
            wide_pair(self.c, x)
        }
    }

    /// [`Split::pair`] without the wide fallback: `None` when `x > x_lim`.
    #[inline(always)]
    pub(super) fn pair_native(&self, x: u64) -> Option<(u64, u64)> {
        if x < self.x_fast {
            Some(self.short(x))
        } else if x <= self.x_lim {
            Some(self.long(x))
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
