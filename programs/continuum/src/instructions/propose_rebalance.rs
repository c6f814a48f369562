//! `propose_rebalance`: an active keeper with at least `Config.min_keeper_stake` proposes to
//! move 1..=8 markets from shard `from` to shard `to`.
//!
//! Allowed only when `from` is hot by BOTH measures (`ShardNotOverThreshold` otherwise):
//! - its own on-chain write load (`Shard.load` as of this slot, `sharding::load::load_ema_at`)
//!   is above `Config.load_threshold_milli_writes`: this can't be raised without paying for
//!   real writes;
//! - keepers holding `Config.latency_quorum_bps` of the active stake reported it above
//!   `Config.contention_threshold_us` in this latency window or the previous one
//!   (`sharding::latency::latency_quorum_met`): no minority of stake can fake it.
//!
//! Rate-limited per proposer only (`Config.proposal_cooldown_slots`, `ProposalCooldown`):
//! there is no shard-wide cooldown, and several proposals may be open for the same source, so
//! no keeper can hold back a proposal the stake majority wants. Concurrent proposals that list
//! the same market are harmless: once one moves it, the others fail at execution
//! (`AccountMismatch`) and expire.
//!
//! The markets are identified by their Market accounts (remaining accounts), each checked to be
//! a Market (owner + discriminator) currently on `from`; their keys are stored in the proposal
//! in the order given, which is the order `execute_rebalance` expects them.
//!
//! Accounts:
//! 0. `[signer, writable]` proposer: an active keeper's authority; pays the proposal's rent.
//! 1. `[writable]` keeper: the proposer's Keeper account.
//! 2. `[writable]` config: PDA `["config"]` (`proposal_count += 1`, never wrapping).
//! 3. `[writable]` from_shard: the Shard with id `from`.
//! 4. `[]` to_shard: the Shard with id `to`.
//! 5. `[writable]` proposal: PDA `["proposal", Config.proposal_count as u64 LE, [bump]]` at the
//!    named bump (`InvalidPda` otherwise), created with `RebalanceProposal::LEN` bytes: a fixed
//!    size, whatever the number of keepers.
//! 6. `[]` system program.
//! 7. `[]` markets (7..): 1..=8 distinct Market accounts on `from`.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | from |
//! | 1 | u8 | to |
//! | 2 | u8 | bump of the proposal PDA (the SDK passes the canonical one) |
//!
//! The address is checked at the named bump only (one hash and one curve check: a fixed cost,
//! where a canonical-bump search costs ~600 CU per bump below 255); `state::proposal` says why
//! a non-canonical bump gives nothing: the id comes from a counter that never repeats.
//!
//! The proposal snapshots `Config.total_active_stake` and `Config.vote_threshold_bps`; votes are accepted up to `created_slot +
//! Config.voting_window_slots` inclusive, and an approval may be executed up to
//! `voting_end_slot + Config.execution_window_slots` inclusive.
//! Emits `RebalanceProposed`.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::RebalanceProposed;
use crate::sharding::latency::{latency_quorum_met, window_of};
use crate::sharding::load::load_ema_at;
use crate::state::proposal::{MAX_PROPOSAL_MARKETS, PROPOSAL_SEED};
use crate::state::{
    init_view_mut, load, load_mut, load_prefix, AccountLayout, Config, Keeper, MarketHeader,
    RebalanceProposal, Shard,
};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `propose_rebalance`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let from = r.u8()?;
    let to = r.u8()?;
    let bump = r.u8()?;
    r.finish()?;
    let ([proposer, keeper, config, from_shard, to_shard, proposal, system_program], markets) =
        checks::take_accounts::<7>(accounts)?;
    checks::writable_signer(proposer)?;
    checks::writable(proposal)?;
    checks::system_program(system_program)?;
    if markets.is_empty() || markets.len() > MAX_PROPOSAL_MARKETS {
        return Err(ContinuumError::InvalidProposalMarkets.into());
    }
    let slot = sys::clock()?.slot;
    let mut config = load_mut::<Config>(config, program_id)?;
    if from >= config.shard_count || to >= config.shard_count {
        return Err(ContinuumError::InvalidShardId.into());
    }
    if from == to {
        return Err(ContinuumError::SameShard.into());
    }
    let mut keeper = load_mut::<Keeper>(keeper, program_id)?;
    keeper.check_staked(proposer.address().as_array(), config.min_keeper_stake)?;
    let from_state = load::<Shard>(from_shard, program_id)?;
    if from_state.shard_id != from || load::<Shard>(to_shard, program_id)?.shard_id != to {
        return Err(ContinuumError::AccountMismatch.into());
    }
    if slot < keeper.next_proposal_slot {
        return Err(ContinuumError::ProposalCooldown.into());
    }
    let window = window_of(slot, config.voting_window_slots);
    let load_hot = load_ema_at(&from_state.load, slot) > config.load_threshold_milli_writes;
    let latency_hot = latency_quorum_met(
        &from_state,
        window,
        config.total_active_stake,
        config.latency_quorum_bps,
    );
    if !load_hot || !latency_hot {
        return Err(ContinuumError::ShardNotOverThreshold.into());
    }

    // Market keys, checked: Market accounts on `from`, pairwise distinct.
    let mut keys = [[0u8; 32]; MAX_PROPOSAL_MARKETS];
    let count = markets.len();
    let mut i = 0;
    while i < count {
        let header = load_prefix::<MarketHeader>(&markets[i], program_id)?;
        if header.shard_id != from {
            return Err(ContinuumError::AccountMismatch.into());
        }
        let mut j = 0;
        while j < i {
            if keys[j] == header.market_key {
                return Err(ContinuumError::InvalidProposalMarkets.into());
            }
            j += 1;
        }
        keys[i] = header.market_key;
        i += 1;
    }

    // The id is the counter's current value, and the counter moves past it for good.
    let id = config.proposal_count;
    let next_id = id.checked_add(1).ok_or(ContinuumError::Overflow)?;
    let id_seed = id.to_le_bytes();
    checks::create_pda_at_bump(
        &NewPda {
            payer: proposer,
            account: proposal,
            seeds: &[&id_seed],
            space: RebalanceProposal::LEN as u64,
            extra_lamports: 0,
            // The named bump (`create_pda_at_bump` does not search).
            min_bump: bump,
        },
        PROPOSAL_SEED,
        program_id,
    )?;
    let voting_end_slot = slot
        .checked_add(config.voting_window_slots)
        .ok_or(ContinuumError::Overflow)?;
    let execution_end_slot = voting_end_slot
        .checked_add(config.execution_window_slots)
        .ok_or(ContinuumError::Overflow)?;
    let next = slot.saturating_add(config.proposal_cooldown_slots);
    let mut data = proposal.try_borrow_mut()?;
    let p = init_view_mut::<RebalanceProposal>(&mut data)?;
    p.id = id;
    p.proposer = keeper.authority;
    p.created_slot = slot;
    p.voting_end_slot = voting_end_slot;
    p.execution_end_slot = execution_end_slot;
    p.snapshot_total_stake = config.total_active_stake;
    p.markets = keys;
    p.vote_threshold_bps = config.vote_threshold_bps;
    p.market_count = count as u8;
    p.from_shard = from;
    p.to_shard = to;
    p.bump = bump;

    config.proposal_count = next_id;
    keeper.next_proposal_slot = next;
    keeper.proposals_made = keeper.proposals_made.wrapping_add(1);

    RebalanceProposed {
        proposal_id: id,
        proposer: keeper.authority,
        from_shard: from,
        to_shard: to,
        market_count: count as u8,
        snapshot_total_stake: p.snapshot_total_stake,
        voting_end_slot,
    }
    .emit();
    Ok(())
}
