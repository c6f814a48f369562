//! L2 distribution AMM domain logic shared by its instructions: shape decoding, projection
//! (verified hint), events. Money moves through `sharding::vault`.
//!
//! The instructions are `create_market`, `edit_distribution`, `open_market`,
//! `trade`, `resolve_market`, `claim`, `claim_lp`, `cancel_market` and `close_market`
//! (`instructions/*.rs`). Accounts: [`crate::state::amm`].

pub mod events;
pub mod payout;
pub mod shape;

use crate::error::{math_error, ContinuumError, ContinuumResult};
use continuum_math::{project_in_place_verify, BaseUnits, NormSq, Ratio1e9};
use pinocchio::AccountView;

/// Market constants of a projection (one pointer keeps calls within SBPF's 5 registers).
pub struct ProjectionTarget {
    /// Cap.
    pub b: BaseUnits,
    /// Norm budget `floor(3 k^2 / step)`.
    pub budget: NormSq,
    /// The claimed canonical scale (the SDK's hint).
    pub scale: Ratio1e9,
}

/// Projects `h` (in place) onto `{||g|| <= k, 0 <= g <= b}`: `g = min(b, floor(c h / 1e9))`
/// with the canonical `c`, given as a hint and verified in the same single pass (`c` passes,
/// `c + 1` fails: `NotCanonical` otherwise; `NormConstraintViolated` when no canonical scale
/// exists). The program never searches for `c` itself: a bisection is 64 passes over the
/// grid (hundreds of thousands of CU at N = 101), while the SDK's search is free.
#[inline(never)]
pub fn project_curve(h: &mut [u64], target: &ProjectionTarget) -> ContinuumResult<u64> {
    project_in_place_verify(h, target.b, target.budget, target.scale).map_err(math_error)?;
    Ok(target.scale.get())
}

/// Checks that `account` is owned by the program and writable (market, shard, position).
#[inline(always)]
pub fn owned_writable(account: &AccountView, program_id: &pinocchio::Address) -> ContinuumResult {
    if !crate::checks::owned_by(account, program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }
    crate::checks::writable(account)
}
