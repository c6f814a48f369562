//! `close_proposal`: permissionless. Closes an executed proposal, or a rejected one (voting
//! window over without approval), returning its rent to the proposer. Vote records stay.
//!
//! Accounts:
//! 0. `[writable]` proposer: `RebalanceProposal.proposer`, receives the rent.
//! 1. `[writable]` proposal: a RebalanceProposal.
//!
//! Arguments: none.
//!
//! `ProposalStillActive` while the window is open, or when approved and not yet executed.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::voting;
use crate::state::proposal::PROPOSAL_STATUS_EXECUTED;
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
        if p.status != PROPOSAL_STATUS_EXECUTED {
            let slot = sys::clock()?.slot;
            if slot <= p.voting_end_slot || voting::proposal_approved(&p) {
                return Err(ContinuumError::ProposalStillActive.into());
            }
        }
    }
    checks::close_account(proposal, proposer)
}
