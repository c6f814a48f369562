//! `close_proposal`: permissionless. Closes a proposal nothing more can happen to, returning its
//! rent to the proposer: executed, rejected (voting window over without approval), or approved
//! and expired (execution window over, e.g. because a listed market moved meanwhile).
//!
//! Accounts:
//! 0. `[writable]` proposer: `RebalanceProposal.proposer`, receives the rent.
//! 1. `[writable]` proposal: a RebalanceProposal.
//!
//! Arguments: none.
//!
//! `ProposalStillActive` while votes may still come in, or while an approval may still be
//! executed.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::voting;
use crate::state::{load, RebalanceProposal};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `close_proposal`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([proposer, proposal], _) = checks::take_accounts::<2>(accounts)?;
    checks::writable(proposer)?;
    checks::writable(proposal)?;
    {
        let p = load::<RebalanceProposal>(proposal, program_id)?;
        if &p.proposer != proposer.address().as_array() {
            return Err(ContinuumError::AccountMismatch.into());
        }
        if !voting::proposal_finished(&p, sys::clock()?.slot) {
            return Err(ContinuumError::ProposalStillActive.into());
        }
    }
    checks::close_account(proposal, proposer)
}
