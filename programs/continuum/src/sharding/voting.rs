//! Stake-weighted approval: `yes_stake * 10_000 >= snapshot_total_stake * threshold_bps`,
//! compared as exact 128-bit products (64x64 -> 128 via 32-bit halves; no u128 multiply).

use crate::state::config::BPS_SCALE_1E4;
use crate::state::RebalanceProposal;
use continuum_math::wide::mul_u64_wide;

/// Whether `yes` of `snapshot` reaches `threshold_bps`. Zero yes-stake never approves.
#[inline(always)]
pub fn approved(yes: u64, snapshot: u64, threshold_bps: u16) -> bool {
    yes != 0 && mul_u64_wide(yes, BPS_SCALE_1E4) >= mul_u64_wide(snapshot, threshold_bps as u64)
}

/// Whether the proposal is approved by the votes cast so far.
#[inline(always)]
pub fn proposal_approved(p: &RebalanceProposal) -> bool {
    approved(p.yes_stake, p.snapshot_total_stake, p.vote_threshold_bps)
}
