//! `vote_rebalance`: an active keeper votes once on a proposal, with its stake as weight.
//!
//! The vote creates the VoteRecord at the CANONICAL PDA `["vote", proposal, authority]`: a
//! second vote finds it and fails (`AlreadyVoted`). Only keepers registered in a slot BEFORE the
//! proposal's creation slot vote (`StakeAfterSnapshot`): their stake is in the snapshot. Votes
//! count while `slot <= voting_end_slot` and the proposal is not executed (`VotingClosed`).
//! The keeper's stake stays locked until the window ends (`vote_lock_until_slot`).
//!
//! Accounts:
//! 0. `[signer, writable]` authority: an active keeper's authority; pays the record's rent.
//! 1. `[writable]` keeper: the authority's Keeper account.
//! 2. `[writable]` proposal: a RebalanceProposal.
//! 3. `[writable]` vote_record: PDA `["vote", proposal, authority]` (canonical), blank.
//! 4. `[]` system program.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | bool | approve |
//!
//! Emits `RebalanceVoted { proposal_id, keeper, approve, weight, yes_stake, no_stake }`.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::{discriminator as ev, Event};
use crate::state::proposal::PROPOSAL_STATUS_VOTING;
use crate::state::vote::VOTE_SEED;
use crate::state::{init_view_mut, load_mut, AccountLayout, Keeper, RebalanceProposal, VoteRecord};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `vote_rebalance`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let approve = r.bool()?;
    r.finish()?;
    let ([authority, keeper, proposal, vote_record, system_program], _) =
        checks::take_accounts::<5>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(vote_record)?;
    checks::system_program(system_program)?;
    let slot = sys::clock()?.slot;
    let mut keeper = load_mut::<Keeper>(keeper, program_id)?;
    if &keeper.authority != authority.address().as_array() {
        return Err(ContinuumError::InvalidAuthority.into());
    }
    if keeper.active == 0 {
        return Err(ContinuumError::KeeperInactive.into());
    }
    let proposal_key = proposal.address().to_bytes();
    let mut p = load_mut::<RebalanceProposal>(proposal, program_id)?;
    if p.status != PROPOSAL_STATUS_VOTING || slot > p.voting_end_slot {
        return Err(ContinuumError::VotingClosed.into());
    }
    if keeper.registered_slot >= p.created_slot {
        return Err(ContinuumError::StakeAfterSnapshot.into());
    }
    if vote_record.owned_by(program_id) {
        return Err(ContinuumError::AlreadyVoted.into());
    }
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

    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: authority,
            account: vote_record,
            seeds: &[&proposal_key, &keeper.authority],
            space: VoteRecord::LEN as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        VOTE_SEED,
        program_id,
    )?;
    let mut data = vote_record.try_borrow_mut()?;
    let v = init_view_mut::<VoteRecord>(&mut data)?;
    v.proposal = proposal_key;
    v.keeper = keeper.authority;
    v.weight = weight;
    v.slot = slot;
    v.approve = approve as u8;
    v.bump = bump;

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
