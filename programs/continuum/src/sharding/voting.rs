//! Stake-weighted thresholds and a proposal's life cycle.
//!
//! `part * 10_000 >= whole * threshold_bps`, compared as exact 128-bit products (64x64 -> 128
//! via 32-bit halves; no u128 multiply). A proposal is approved when its yes-stake reaches
//! its threshold of the snapshot stake; an approval may be executed until
//! `execution_end_slot` and has expired after it.

use crate::state::config::BPS_SCALE_1E4;
use crate::state::proposal::PROPOSAL_STATUS_EXECUTED;
use crate::state::RebalanceProposal;
use continuum_math::wide::mul_u64_wide;

/// Whether `part` of `whole` reaches `threshold_bps`. A zero part never does.
#[inline(always)]
pub fn reaches_bps(part: u64, whole: u64, threshold_bps: u16) -> bool {
    part != 0 && mul_u64_wide(part, BPS_SCALE_1E4) >= mul_u64_wide(whole, threshold_bps as u64)
}

/// Whether the proposal is approved by the votes cast so far.
#[inline(always)]
pub fn proposal_approved(p: &RebalanceProposal) -> bool {
    reaches_bps(p.yes_stake, p.snapshot_total_stake, p.vote_threshold_bps)
}

/// Whether nothing more can happen to the proposal at `slot`, so its rent may be returned:
/// executed, rejected (window over without approval), or approved but expired.
#[inline(always)]
pub fn proposal_finished(p: &RebalanceProposal, slot: u64) -> bool {
    if p.status == PROPOSAL_STATUS_EXECUTED {
        return true;
    }
    if proposal_approved(p) {
        slot > p.execution_end_slot
    } else {
        slot > p.voting_end_slot
    }
}
