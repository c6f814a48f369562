//! Exact u128 sums of `g^2` and `g(c + 1)^2 - g(c)^2` per Simpson weight class, the weights
//! applied once at the end (the per-class passes: projection and general trades).

use super::split::sq_fast;

/// Sums of the three weight classes, indexed by the steps' const `W`: 0 the two ends
/// (weight 1), 1 interior odd points (4), 2 interior even points (2).
#[derive(Clone, Copy, Default)]
pub(super) struct ClassSums {
    sq: [u128; 3],
    delta: [u128; 3],
}

impl ClassSums {
    /// Adds a point of class `W` with `g = min(b, v)` and `v1 = floor((c + 1) x / 1e9)`.
    /// The delta is nonzero only where `g(c + 1) != g(c)`, i.e. `v1 != g` and `g < b`.
    #[inline(always)]
    pub(super) fn add<const W: u8>(&mut self, g: u64, v1: u64, b: u64) {
        let sq = sq_fast(g);
        self.sq[W as usize] += sq;
        if v1 != g && g < b {
            let g1 = if v1 < b { v1 } else { b };
            self.delta[W as usize] += sq_fast(g1) - sq;
        }
    }

    /// `(S(c), S(c + 1) - S(c))` with Simpson's weights 1, 4, 2.
    #[inline(always)]
    pub(super) fn totals(&self) -> (u128, u128) {
        let [ends, odd, even] = self.sq;
        let [d_ends, d_odd, d_even] = self.delta;
        (
            ends + (even << 1) + (odd << 2),
            d_ends + (d_even << 1) + (d_odd << 2),
        )
    }
}
