//! `vote_rebalance`: an active keeper votes once on a proposal, with its stake as weight.
//!
//! The vote sets the keeper's bit (`Keeper.index`) in the proposal's voter map: a second vote
//! finds it set (`AlreadyVoted`). Nothing is created, so a vote costs the same for every
//! keeper. Only keepers registered before the proposal vote (`StakeAfterSnapshot`: registered
//! in or after its creation slot, or an index the snapshot has no bit for): their stake is in
//! the snapshot. Votes count while `slot <= voting_end_slot` and the proposal is not executed
//! (`VotingClosed`). The keeper's stake stays locked until the window ends
//! (`vote_lock_until_slot`).
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
use crate::sharding::events::{discriminator as ev, Event};
use crate::state::proposal::{mark_voter, split_proposal, PROPOSAL_STATUS_VOTING};
use crate::state::{load_mut, Keeper};
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
    if !proposal.owned_by(program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }
    checks::writable(proposal)?;
    let mut pdata = proposal.try_borrow_mut()?;
    let (p, voters) = split_proposal(&mut pdata)?;
    let slot = sys::clock()?.slot;
    if p.status != PROPOSAL_STATUS_VOTING || slot > p.voting_end_slot {
        return Err(ContinuumError::VotingClosed.into());
    }
    if keeper.registered_slot >= p.created_slot || keeper.index as u64 >= p.snapshot_keeper_count {
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
    mark_voter(voters, keeper.index)?;
    p.yes_stake = yes;
    p.no_stake = no;
    p.vote_count = p.vote_count.wrapping_add(1);
    keeper.votes_cast = keeper.votes_cast.wrapping_add(1);
    if p.voting_end_slot > keeper.vote_lock_until_slot {
        keeper.vote_lock_until_slot = p.voting_end_slot;
    }
    Event::new(&ev::REBALANCE_VOTED)
        .u64(p.id)
        .bytes(&keeper.authority)
        .u8(approve as u8)
        .u64(weight)
        .u64(yes)
        .u64(no)
        .emit();
    Ok(())
}
