//! `RebalanceProposal`: a keeper's proposal to move markets from one shard to another.
//!
//! PDA seeds: `["proposal", id as u64 LE]`, canonical bump, where `id = Config.proposal_count`
//! at creation. Created by `propose_rebalance`, voted on by `vote_rebalance`, executed by
//! `execute_rebalance`, closed by `close_proposal`.
//!
//! The fixed part is followed by the **voter map**: one bit per keeper registered before the
//! proposal (`Keeper.index < snapshot_keeper_count`), set when that keeper votes. It replaces a
//! per-vote account, so a vote creates nothing and costs the same for every keeper, and a second
//! vote is impossible because the bit is already set.

use super::AccountLayout;
use crate::error::{ContinuumError, ContinuumResult};

/// PDA seed prefix of RebalanceProposal accounts.
pub const PROPOSAL_SEED: &[u8] = b"proposal";
/// Most markets one proposal moves.
pub const MAX_PROPOSAL_MARKETS: usize = 8;
/// Largest account a program can create by CPI (10 KiB): bounds the voter map.
pub const MAX_PROPOSAL_SPACE: usize = 10_240;
/// Most keepers a proposal's voter map can hold (`(10,240 - 400) * 8`).
pub const MAX_SNAPSHOT_KEEPERS: u64 = ((MAX_PROPOSAL_SPACE - RebalanceProposal::LEN) * 8) as u64;

/// Votes are being collected (or the proposal is approved and awaiting execution).
pub const PROPOSAL_STATUS_VOTING: u8 = 0;
/// Executed: every market moved.
pub const PROPOSAL_STATUS_EXECUTED: u8 = 1;

/// A rebalance proposal (fixed part; the voter map follows).
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 8 | id |
/// | 16 | 32 | proposer |
/// | 48 | 8 | created_slot |
/// | 56 | 8 | voting_end_slot |
/// | 64 | 8 | execution_end_slot |
/// | 72 | 8 | snapshot_total_stake |
/// | 80 | 8 | yes_stake |
/// | 88 | 8 | no_stake |
/// | 96 | 8 | executed_slot |
/// | 104 | 8 | snapshot_keeper_count |
/// | 112 | 256 | markets (8 x 32-byte market keys; first `market_count` used) |
/// | 368 | 4 | vote_count |
/// | 372 | 2 | vote_threshold_bps |
/// | 374 | 1 | market_count |
/// | 375 | 1 | from_shard |
/// | 376 | 1 | to_shard |
/// | 377 | 1 | status |
/// | 378 | 1 | bump |
/// | 379 | 5 | padding |
/// | 384 | 16 | reserved |
/// | 400 | `voter_map_len(snapshot_keeper_count)` | voter map (bit `i % 8` of byte `i / 8`) |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RebalanceProposal {
    /// `sha256("account:RebalanceProposal")[..8]`.
    pub discriminator: [u8; 8],
    /// Proposal id (PDA seed).
    pub id: u64,
    /// Authority of the proposing keeper; receives the rent on close.
    pub proposer: [u8; 32],
    /// Slot of creation.
    pub created_slot: u64,
    /// Last slot at which votes are accepted (`created_slot + voting_window_slots`).
    pub voting_end_slot: u64,
    /// Last slot at which an approval may be executed
    /// (`voting_end_slot + execution_window_slots`); after it the approval has expired.
    pub execution_end_slot: u64,
    /// `Config.total_active_stake` at creation.
    pub snapshot_total_stake: u64,
    /// Stake voting yes.
    pub yes_stake: u64,
    /// Stake voting no.
    pub no_stake: u64,
    /// Slot of execution (0 until executed).
    pub executed_slot: u64,
    /// `Config.keeper_count` at creation: keepers with a lower index may vote.
    pub snapshot_keeper_count: u64,
    /// Keys of the markets to move, in execution order.
    pub markets: [[u8; 32]; MAX_PROPOSAL_MARKETS],
    /// Votes cast.
    pub vote_count: u32,
    /// `Config.vote_threshold_bps` at creation.
    pub vote_threshold_bps: u16,
    /// Markets used in `markets`.
    pub market_count: u8,
    /// Source shard.
    pub from_shard: u8,
    /// Destination shard.
    pub to_shard: u8,
    /// `PROPOSAL_STATUS_*`.
    pub status: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 5],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<RebalanceProposal>() == 400);
const _: () = assert!(core::mem::align_of::<RebalanceProposal>() == 8);
const _: () = assert!(core::mem::offset_of!(RebalanceProposal, markets) == 112);
const _: () = assert!(core::mem::offset_of!(RebalanceProposal, vote_count) == 368);

unsafe impl AccountLayout for RebalanceProposal {
    const DISCRIMINATOR: [u8; 8] = [144, 76, 53, 190, 165, 195, 179, 53];
}

/// Bytes of the voter map for `keepers` keepers, rounded up to whole u64 words.
#[inline(always)]
pub const fn voter_map_len(keepers: u64) -> usize {
    (keepers.div_ceil(64) * 8) as usize
}

/// Account size of a proposal that snapshots `keepers` keepers (`TooManyKeepers` past the
/// 10 KiB an account created by CPI may have).
#[inline(always)]
pub fn proposal_space(keepers: u64) -> ContinuumResult<usize> {
    if keepers > MAX_SNAPSHOT_KEEPERS {
        return Err(ContinuumError::TooManyKeepers.into());
    }
    Ok(RebalanceProposal::LEN + voter_map_len(keepers))
}

/// Byte and bit of keeper `index` in a voter map.
#[inline(always)]
fn voter_bit(index: u32) -> (usize, u8) {
    ((index >> 3) as usize, 1u8 << (index & 7))
}

/// Records keeper `index`'s vote in `voters`: `AlreadyVoted` if its bit is set,
/// `StakeAfterSnapshot` if the map has no bit for it (registered after the proposal).
#[inline(always)]
pub fn mark_voter(voters: &mut [u8], index: u32) -> ContinuumResult {
    let (byte, bit) = voter_bit(index);
    let cell = voters
        .get_mut(byte)
        .ok_or(ContinuumError::StakeAfterSnapshot)?;
    if *cell & bit != 0 {
        return Err(ContinuumError::AlreadyVoted.into());
    }
    *cell |= bit;
    Ok(())
}

/// Whether keeper `index` has voted (false when the map has no bit for it).
#[inline(always)]
pub fn has_voted(voters: &[u8], index: u32) -> bool {
    let (byte, bit) = voter_bit(index);
    voters.get(byte).is_some_and(|cell| cell & bit != 0)
}

/// Views proposal data as `(proposal, voter map)`: discriminator, alignment and size
/// `proposal_space(snapshot_keeper_count)` checked (`InvalidAccountData` otherwise).
#[inline(always)]
pub fn split_proposal(data: &mut [u8]) -> ContinuumResult<(&mut RebalanceProposal, &mut [u8])> {
    super::check_prefix::<RebalanceProposal>(data)?;
    let (head, voters) = data.split_at_mut(RebalanceProposal::LEN);
    // SAFETY: length, alignment and discriminator checked; every bit pattern is valid.
    let p = unsafe { &mut *(head.as_mut_ptr() as *mut RebalanceProposal) };
    if voters.len() != voter_map_len(p.snapshot_keeper_count) {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    Ok((p, voters))
}

/// Writes the discriminator and `snapshot_keeper_count` (which sizes the voter map) into a
/// freshly created, zeroed proposal account and views it as [`split_proposal`] does.
#[inline(always)]
pub fn init_proposal(
    data: &mut [u8],
    keepers: u64,
) -> ContinuumResult<(&mut RebalanceProposal, &mut [u8])> {
    const AT: usize = core::mem::offset_of!(RebalanceProposal, snapshot_keeper_count);
    let head = data
        .get_mut(..AT + 8)
        .ok_or(ContinuumError::InvalidAccountData)?;
    head[..8].copy_from_slice(&RebalanceProposal::DISCRIMINATOR);
    head[AT..].copy_from_slice(&keepers.to_le_bytes());
    split_proposal(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voter_map_sizes_round_to_words_and_cap_at_10_kib() {
        assert_eq!(voter_map_len(0), 0);
        assert_eq!(voter_map_len(1), 8);
        assert_eq!(voter_map_len(64), 8);
        assert_eq!(voter_map_len(65), 16);
        assert_eq!(
            proposal_space(MAX_SNAPSHOT_KEEPERS).unwrap(),
            MAX_PROPOSAL_SPACE
        );
        assert!(proposal_space(MAX_SNAPSHOT_KEEPERS + 1).is_err());
    }

    #[test]
    fn each_keeper_votes_once_and_only_with_a_bit() {
        let mut map = [0u8; 16];
        mark_voter(&mut map, 0).unwrap();
        mark_voter(&mut map, 127).unwrap();
        assert!(has_voted(&map, 0) && has_voted(&map, 127) && !has_voted(&map, 1));
        assert_eq!(
            mark_voter(&mut map, 127),
            Err(ContinuumError::AlreadyVoted.into())
        );
        assert_eq!(
            mark_voter(&mut map, 128),
            Err(ContinuumError::StakeAfterSnapshot.into())
        );
        assert!(!has_voted(&map, 128));
    }
}
