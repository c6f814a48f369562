//! In-place, one-pass kernels for the on-chain program: the market's curve is rewritten where
//! it lies (account data), so no `[u64; N]` ever lives on the SBPF stack.
//!
//! - [`trade_in_place`]: every trade. Same result as [`crate::trade_general::trade_apply`]
//!   (host tests check it bit for bit), in one pass: `f := g`, `payoff := P'`, returning `S(c)`
//!   and the netted collateral `R'`. Range buys and sells and unwinds run the tuned fast
//!   pass (`fast_pass.rs`), shapes the general pass (`general_pass.rs`).
//! - [`project_in_place_verify`]: market creation and the editor. Same result as
//!   [`crate::project::verify_canonical`] followed by [`crate::project::apply_scale`].
//!
//! Both verify the claimed scale `c` in the same pass: `S(c) <= budget < S(c + 1)` with
//! `S(c) = sum_i w_i min(b, floor(c h_i / 1e9))^2` (exactly the predicate of
//! [`crate::project::scale_passes`]). Files, one job each: `split.rs` (the products),
//! `class_sums.rs` (per-class exact sums), `fast_pass.rs`, `general_pass.rs`, `proj_pass.rs`.
//! How the fast pass got fast, with measurements: `docs/kernel-history.md`.

mod class_sums;
mod fast_pass;
mod general_pass;
mod proj_pass;
mod split;
#[cfg(test)]
mod tests;

use crate::constants::{SCALE_1E9, SPLIT_FAST_CI_LIMIT};
use crate::error::{MathError, MathResult};
use crate::simpson::validate_points;
use crate::trade::RangeBetParams;
use crate::trade_general::Direction;
use crate::units::{BaseUnits, NormSq, Ratio1e9};
use fast_pass::{PassParams, BUY, SELL, UNWIND};
use general_pass::{general_pass, GeneralParams};

/// Largest cap `b` the in-place kernels accept (`2^56` base units).
pub const KERNEL_B_MAX: u64 = 1 << 56;
/// Largest grid the in-place kernels accept.
pub const KERNEL_N_MAX: usize = 1 << 10;
/// Largest curve value the trade kernel accepts as `f_i` (payoff differences stay exact).
pub const KERNEL_F_MAX: u64 = 1 << 62;
/// A [`KernelTrade::payoff_bound`] below this lets range trades and unwinds run their fast
/// loop without a per-point overflow test.
pub const KERNEL_PAYOFF_SMALL: u64 = 1 << 62;

/// What a pass returns.
pub(crate) struct PassOutcome {
    /// `S(c)`.
    pub norm_sq: u128,
    /// `-min(0, min_i P'_i)`.
    pub collateral_after: u64,
    /// Some `g_i != f_i`.
    pub changed: bool,
}

/// A trade for [`trade_in_place`] (one pointer keeps calls under SBPF's 5 arguments).
#[derive(Clone, Copy, Debug)]
pub struct KernelTrade<'a> {
    /// Cap `b`.
    pub b: BaseUnits,
    /// Norm budget `floor(3 k^2 / step)`.
    pub budget: NormSq,
    /// Claimed canonical scale of `h`.
    pub c: Ratio1e9,
    /// Signed size (Unwind: `fraction_1e9`). Raw: it is signed, and per direction either
    /// base units (Range), a multiple of the shape (Shape) or a 1e9 fraction (Unwind).
    pub t: i64,
    /// The direction (a Shape's `phi` has length N).
    pub direction: Direction<'a>,
    /// A bound the caller guarantees on the payoff: every `|payoff_i| <= payoff_bound`
    /// ([`BaseUnits::MAX`] when nothing is known). Below [`KERNEL_PAYOFF_SMALL`] the fast loop
    /// skips its per-point overflow test; a wrong bound there gives wrong payoffs, so it must
    /// come from an invariant (on chain: `b + total_collateral`, see the program's
    /// `AmmMarket::payoff_bound`).
    pub payoff_bound: BaseUnits,
}

/// Result of [`trade_in_place`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelOutcome {
    /// `S(c) = sum w_i g_i^2`.
    pub norm_sq: NormSq,
    /// `R' = max(0, max_i(-P'_i))`: the position's netted collateral after the trade.
    pub collateral_after: BaseUnits,
}

/// The trade, in place: `f := g`, `payoff := P' = P + g - f` (see [`crate::trade_general`]
/// for `d`, `h`, `g`), after verifying that `c` is the canonical scale of `h`. Returns `S(c)`
/// and `R'`; the money is [`crate::trade_general::settle`] of the position's `R` and `R'`.
///
/// Errors: exactly those of [`crate::trade_general::trade_apply`], in its order, without the
/// fee check (the program checks the fee at market creation). On error `f` and `payoff` may be
/// partially rewritten: the caller must discard them (on chain the failed transaction reverts
/// every account).
pub fn trade_in_place(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &KernelTrade,
) -> MathResult<KernelOutcome> {
    // The passes work on raw integers: the units end here.
    let (b, budget, c) = (p.b.get(), p.budget.get(), p.c.get());
    let n = f.len();
    validate_points(n)?;
    if n > KERNEL_N_MAX || b > KERNEL_B_MAX {
        return Err(MathError::Overflow);
    }
    if payoff.len() != n {
        return Err(MathError::LengthMismatch);
    }
    let mut gp = GeneralParams {
        b,
        budget,
        c,
        t: p.t,
        phi: &[],
    };
    match p.direction {
        Direction::Range { i0, i1 } => {
            if i0 > i1 || i1 >= n {
                return Err(MathError::InvalidRange);
            }
        }
        Direction::Shape { phi } => {
            if phi.len() != n {
                return Err(MathError::LengthMismatch);
            }
            gp.phi = phi;
        }
        Direction::Unwind => {
            if p.t < 1 || p.t as u64 > SCALE_1E9 {
                return Err(MathError::InvalidUnwindFraction);
            }
            // Up front, as in the reference (it stops at the first nonzero: a traded
            // position's payoff is rarely zero at its first points).
            if payoff.iter().all(|&v| v == 0) {
                return Err(MathError::NothingToUnwind);
            }
        }
    }
    if p.t == 0 {
        return Err(MathError::ZeroBet);
    }
    if c == u64::MAX {
        return Err(MathError::NotCanonical);
    }
    let mut fp = PassParams {
        bet: RangeBetParams {
            b,
            budget,
            i0: 0,
            i1: n - 1,
            t: p.t.unsigned_abs(),
            c,
        },
        payoff_small: p.payoff_bound.get() < KERNEL_PAYOFF_SMALL,
    };
    let out = match p.direction {
        Direction::Range { i0, i1 } => {
            fp.bet.i0 = i0;
            fp.bet.i1 = i1;
            if p.t > 0 {
                fast_pass::pass::<true, BUY>(f, payoff, &fp)?
            } else {
                fast_pass::pass::<true, SELL>(f, payoff, &fp)?
            }
        }
        Direction::Shape { .. } => general_pass(f, payoff, &gp)?,
        Direction::Unwind => fast_pass::pass::<true, UNWIND>(f, payoff, &fp)?,
    };
    if !out.changed {
        return Err(MathError::ZeroBet);
    }
    Ok(KernelOutcome {
        norm_sq: NormSq::new(out.norm_sq),
        collateral_after: BaseUnits::new(out.collateral_after),
    })
}

/// The projection, in place: `h := g` with `g_i = min(b, floor(c h_i / 1e9))`, after
/// verifying that `c` is canonical for `h` (`S(c) <= budget < S(c + 1)`), in one pass.
/// Returns `S(c)`. Same values as [`crate::project::verify_canonical`] +
/// [`crate::project::apply_scale`].
///
/// Errors: grid errors, `Overflow` (`N > KERNEL_N_MAX` or `b > KERNEL_B_MAX`),
/// `NormConstraintViolated` (`c + 1 == u64::MAX` still passes: no canonical scale exists),
/// `NotCanonical`. On error `h` may be partially rewritten.
pub fn project_in_place_verify(
    h: &mut [u64],
    b: BaseUnits,
    budget: NormSq,
    c: Ratio1e9,
) -> MathResult<NormSq> {
    // The passes work on raw integers: the units end here.
    let (b, budget, c) = (b.get(), budget.get(), c.get());
    let n = h.len();
    validate_points(n)?;
    if n > KERNEL_N_MAX || b > KERNEL_B_MAX {
        return Err(MathError::Overflow);
    }
    if c == u64::MAX {
        return Err(MathError::NotCanonical);
    }
    // The small fast loop (`b <= 2^40`, `c / 1e9 < 2^30`) lives in the fast pass; otherwise,
    // and on short grids (its setup and per-fallback costs don't pay off: create_market
    // N = 11, where most values take the fallback), the per-class pass measured cheaper.
    let total = if n >= fast_pass::PROJ_SMALL_N_MIN
        && b <= fast_pass::SMALL_B_MAX
        && c / SCALE_1E9 < SPLIT_FAST_CI_LIMIT
    {
        let p = PassParams {
            bet: RangeBetParams {
                b,
                budget,
                i0: 0,
                i1: 0,
                t: 0,
                c,
            },
            payoff_small: false,
        };
        fast_pass::pass::<false, BUY>(h, &mut [], &p).map(|o| o.norm_sq)
    } else {
        let (total, delta) = proj_pass::proj_pass(h, b, c);
        if total > budget || total + delta <= budget {
            Err(MathError::NotCanonical)
        } else {
            Ok(total)
        }
    };
    match total {
        Err(MathError::NotCanonical) if c == u64::MAX - 1 => Err(MathError::NormConstraintViolated),
        r => r.map(NormSq::new),
    }
}
