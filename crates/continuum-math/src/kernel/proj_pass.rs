//! The projection's per-class pass (create_market, edit_distribution on short grids or large
//! values): measured cheaper there than the fast pass's lazy form.

use super::class_sums::ClassSums;
use super::split::Split;

/// Weight classes (const generic of the steps): the class weight is applied once at the end
/// with constant shifts. A per-point variable weight would be folded by LLVM into a 128-bit
/// multiply, which SBPF v0 can't link; fixed classes also remove a branch per point.
pub(super) const ENDS: u8 = 0;
/// Interior odd points (Simpson weight 4).
pub(super) const ODD: u8 = 1;
/// Interior even points (Simpson weight 2).
pub(super) const EVEN: u8 = 2;

/// State of one projection pass over the grid.
struct ProjPass {
    h: *mut u64,
    sp: Split,
    b: u64,
    sums: ClassSums,
}

impl ProjPass {
    /// Processes grid point `i` (`i < N`, guaranteed by the caller's loop bounds).
    #[inline(always)]
    fn step<const W: u8>(&mut self, i: usize) {
        // SAFETY: i < N = h.len(), checked by the caller.
        let x = unsafe { *self.h.add(i) };
        let (v, v1) = self.sp.pair_const(x);
        let b = self.b;
        let g = if v < b { v } else { b };
        // SAFETY: as above.
        unsafe { *self.h.add(i) = g };
        self.sums.add::<W>(g, v1, b);
    }
}

/// `h := min(b, floor(c h / 1e9))` in place, returning `(S(c), S(c + 1) - S(c))`. The caller
/// has checked `N >= 3` odd.
#[inline(always)]
pub(super) fn proj_pass(h: &mut [u64], b: u64, c: u64) -> (u128, u128) {
    let n = h.len();
    let mut st = ProjPass {
        h: h.as_mut_ptr(),
        sp: Split::new(c),
        b,
        sums: ClassSums::default(),
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
    st.sums.totals()
}
