//! `close_vote_record`: a keeper takes back the rent of its vote record once the vote can no
//! longer matter: the proposal's voting window is over, or the proposal was closed.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: the keeper authority that voted (`VoteRecord.keeper`,
//!    else `Unauthorized`); receives the rent.
//! 1. `[]` proposal: the proposal voted on (`VoteRecord.proposal`, else `AccountMismatch`);
//!    either a RebalanceProposal whose window is over (`ProposalStillActive` otherwise), or the
//!    empty, system-owned address left by `close_proposal`.
//! 2. `[writable]` vote_record: PDA `["vote", proposal, authority]`, a VoteRecord.
//!
//! Arguments: none.
//!
//! Safe to close after the window: `vote_rebalance` refuses votes once the window is over, so
//! the record is no longer needed to stop a second vote, and the stake lock lives on the Keeper.

use crate::args::ArgReader;
use crate::checks::{self, SYSTEM_PROGRAM_ID};
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::{load, RebalanceProposal, VoteRecord};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `close_vote_record`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([authority, proposal, vote_record], _) = checks::take_accounts::<3>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(vote_record)?;
    {
        let vote = load::<VoteRecord>(vote_record, program_id)?;
        if &vote.keeper != authority.address().as_array() {
            return Err(ContinuumError::Unauthorized.into());
        }
        if &vote.proposal != proposal.address().as_array() {
            return Err(ContinuumError::AccountMismatch.into());
        }
    }
    let proposal_closed = proposal.data_len() == 0 && proposal.owned_by(&SYSTEM_PROGRAM_ID);
    if !proposal_closed {
        let p = load::<RebalanceProposal>(proposal, program_id)?;
        if sys::clock()?.slot <= p.voting_end_slot {
            return Err(ContinuumError::ProposalStillActive.into());
        }
    }
    checks::close_account(vote_record, authority)
}
