//! `vote_rebalance`: an active keeper votes once on a proposal, with its stake as weight.
//!
//! The vote is recorded in the keeper's own account (`Keeper::record_vote`: proposal id and
//! window end): a second vote finds it (`AlreadyVoted`), and a keeper with `MAX_OPEN_VOTES`
//! votes on proposals still in their windows can't vote again until one ends
//! (`TooManyOpenVotes`). Nothing is created and the proposal holds no per-keeper data, so a
//! vote costs the same for every keeper and no number of registrations can block one. Only
//! keepers registered before the proposal vote (`StakeAfterSnapshot`: registered in or after
//! its creation slot): their stake is in the snapshot, and a keeper that unregisters,
//! withdraws and registers again is a new registration, too late for the open proposals.
//! Votes count while `slot <= voting_end_slot` and the proposal is not executed
//! (`VotingClosed`). The keeper's stake stays locked until the window ends
//! (`vote_lock_until_slot`), so its account, and its vote record, outlive the window.
//!
//! Accounts:
//! 0. `[signer]` authority: an active keeper's authority.
//! 1. `[writable]` keeper: the authority's Keeper account.
//! 2. `[writable]` proposal: a RebalanceProposal.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | bool | approve |
//!
//! Emits `RebalanceVoted { proposal_id, keeper, approve, weight, yes_stake, no_stake }`.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::RebalanceVoted;
use crate::state::proposal::PROPOSAL_STATUS_VOTING;
use crate::state::{load_mut, Keeper, RebalanceProposal};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `vote_rebalance`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let approve = r.bool()?;
    r.finish()?;
    let ([authority, keeper, proposal], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(authority)?;

    // 1. The voter.
    let mut keeper = load_mut::<Keeper>(keeper, program_id)?;
    keeper.check_active(authority.address().as_array())?;

    // 2. The proposal: open, and the voter in its snapshot.
    let mut p = load_mut::<RebalanceProposal>(proposal, program_id)?;
    let slot = sys::clock()?.slot;
    if p.status != PROPOSAL_STATUS_VOTING || slot > p.voting_end_slot {
        return Err(ContinuumError::VotingClosed.into());
    }
    if keeper.registered_slot >= p.created_slot {
        return Err(ContinuumError::StakeAfterSnapshot.into());
    }

    // 3. Count it once.
    let weight = keeper.stake;
    let (yes, no) = if approve {
        (
            p.yes_stake
                .checked_add(weight)
                .ok_or(ContinuumError::Overflow)?,
            p.no_stake,
        )
    } else {
        (
            p.yes_stake,
            p.no_stake
                .checked_add(weight)
                .ok_or(ContinuumError::Overflow)?,
        )
    };
    keeper.record_vote(p.id, p.voting_end_slot, slot)?;
    p.yes_stake = yes;
    p.no_stake = no;
    p.vote_count = p.vote_count.wrapping_add(1);
    keeper.votes_cast = keeper.votes_cast.wrapping_add(1);
    if p.voting_end_slot > keeper.vote_lock_until_slot {
        keeper.vote_lock_until_slot = p.voting_end_slot;
    }
    RebalanceVoted {
        proposal_id: p.id,
        keeper: keeper.authority,
        approve,
        weight,
        yes_stake: yes,
        no_stake: no,
    }
    .emit();
    Ok(())
}
