//! `Keeper`: a staked keeper. The stake is locked as lamports in this PDA above its rent.
//!
//! PDA seeds: `["keeper", authority, [bump]]` with the bump the registrant names (the SDK uses
//! the canonical one). Checking one named bump keeps `register_keeper` at a fixed cost; an
//! authority that registers at a second bump gets a second, independent keeper with its own
//! stake, which gives it nothing several authorities would not. Created by `register_keeper`,
//! closed by `withdraw_stake`.
//!
//! The keeper records its own votes (`open_votes`: proposal id and the end of its voting
//! window), which is what makes a second vote impossible: `vote_rebalance` refuses a proposal
//! already recorded, and an entry is only reused once its proposal's window has ended, after
//! which no vote on that proposal counts anyway. A proposal then needs no per-keeper data, so
//! no number of registrations can make it too big to create, and a vote scans the same
//! `MAX_OPEN_VOTES` entries for every keeper (a fixed cost).

use super::AccountLayout;
use crate::error::{ContinuumError, ContinuumResult};

/// PDA seed prefix of Keeper accounts.
pub const KEEPER_SEED: &[u8] = b"keeper";
/// Most proposals one keeper can have voted on whose voting windows are still open.
pub const MAX_OPEN_VOTES: usize = 8;

/// One vote of a keeper: on proposal `proposal_id`, whose voting window ends at
/// `voting_end_slot` (an all-zero entry is free: no window ends at slot 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenVote {
    /// `RebalanceProposal.id`.
    pub proposal_id: u64,
    /// `RebalanceProposal.voting_end_slot`: the entry is reusable once the slot is past it.
    pub voting_end_slot: u64,
}

/// A keeper.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | authority |
/// | 40 | 8 | stake |
/// | 48 | 8 | registered_slot |
/// | 56 | 8 | unregister_slot |
/// | 64 | 8 | vote_lock_until_slot |
/// | 72 | 8 | next_proposal_slot |
/// | 80 | 8 | votes_cast |
/// | 88 | 8 | proposals_made |
/// | 96 | 8 | report_window |
/// | 104 | 32 | reported_shards (bit per shard id) |
/// | 136 | 4 | index |
/// | 140 | 1 | active |
/// | 141 | 1 | bump |
/// | 142 | 2 | padding |
/// | 144 | 128 | open_votes (8 x (proposal_id u64, voting_end_slot u64)) |
/// | 272 | 16 | reserved |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keeper {
    /// `sha256("account:Keeper")[..8]`.
    pub discriminator: [u8; 8],
    /// Signs for the keeper; receives the stake back.
    pub authority: [u8; 32],
    /// Locked stake, lamports (held by this PDA above its rent-exempt minimum).
    pub stake: u64,
    /// Slot of registration: a keeper votes only on proposals created in a LATER slot.
    pub registered_slot: u64,
    /// Slot of `unregister_keeper` (meaningful when `active == 0`).
    pub unregister_slot: u64,
    /// Largest `voting_end_slot` of any proposal this keeper voted on: no withdrawal up to it.
    pub vote_lock_until_slot: u64,
    /// First slot at which this keeper may propose again.
    pub next_proposal_slot: u64,
    /// Votes cast.
    pub votes_cast: u64,
    /// Proposals created.
    pub proposals_made: u64,
    /// Latency window of `reported_shards`, plus one (0: never reported).
    pub report_window: u64,
    /// Shards this keeper reported in `report_window` (bit `id % 8` of byte `id / 8`): one
    /// report per keeper, shard and window.
    pub reported_shards: [u8; 32],
    /// Registration order (`Config.keeper_count` at registration); informational.
    pub index: u32,
    /// 1 while registered, 0 once unregistering.
    pub active: u8,
    /// Bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 2],
    /// Votes cast whose entry is not yet reused (see the module doc).
    pub open_votes: [OpenVote; MAX_OPEN_VOTES],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<Keeper>() == 288);
const _: () = assert!(core::mem::offset_of!(Keeper, open_votes) == 144);
const _: () = assert!(core::mem::align_of::<Keeper>() == 8);

unsafe impl AccountLayout for Keeper {
    const DISCRIMINATOR: [u8; 8] = [127, 221, 194, 46, 120, 73, 144, 77];
}

impl Keeper {
    /// `signer` is this keeper's authority (`InvalidAuthority`) and the keeper is still
    /// registered (`KeeperInactive`): what every keeper action needs.
    #[inline(always)]
    pub fn check_active(&self, signer: &[u8; 32]) -> ContinuumResult {
        if &self.authority != signer {
            return Err(ContinuumError::InvalidAuthority.into());
        }
        if self.active == 0 {
            return Err(ContinuumError::KeeperInactive.into());
        }
        Ok(())
    }

    /// [`Keeper::check_active`] with at least `min_stake` lamports staked
    /// (`InsufficientStake`): what reporting and proposing need.
    #[inline(always)]
    pub fn check_staked(&self, signer: &[u8; 32], min_stake: u64) -> ContinuumResult {
        self.check_active(signer)?;
        if self.stake < min_stake {
            return Err(ContinuumError::InsufficientStake.into());
        }
        Ok(())
    }

    /// Records this keeper's vote on proposal `proposal_id` (voting window ending at
    /// `voting_end_slot`, still open at `slot`): `AlreadyVoted` if it is recorded, else it takes
    /// a free entry (one whose window ended before `slot`), `TooManyOpenVotes` if none is free.
    ///
    /// An entry of a proposal that can still be voted on (`slot <= voting_end_slot`) is never
    /// free, so a recorded vote stays recorded for as long as a second one could count. All
    /// entries are always scanned: the cost does not depend on which one matches.
    #[inline(always)]
    pub fn record_vote(
        &mut self,
        proposal_id: u64,
        voting_end_slot: u64,
        slot: u64,
    ) -> ContinuumResult {
        let mut free = MAX_OPEN_VOTES;
        let mut voted = false;
        for (i, entry) in self.open_votes.iter().enumerate() {
            voted |= entry.proposal_id == proposal_id && entry.voting_end_slot == voting_end_slot;
            if entry.voting_end_slot < slot {
                free = i;
            }
        }
        if voted {
            return Err(ContinuumError::AlreadyVoted.into());
        }
        let entry = self
            .open_votes
            .get_mut(free)
            .ok_or(ContinuumError::TooManyOpenVotes)?;
        *entry = OpenVote {
            proposal_id,
            voting_end_slot,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keeper() -> Keeper {
        // SAFETY: `Keeper` is plain integers and byte arrays: all-zero is a valid value.
        unsafe { core::mem::zeroed() }
    }

    #[test]
    fn a_recorded_vote_blocks_a_second_one_while_its_window_is_open() {
        let mut k = keeper();
        k.record_vote(0, 150, 50).unwrap();
        for slot in [50, 100, 150] {
            assert_eq!(
                k.record_vote(0, 150, slot),
                Err(ContinuumError::AlreadyVoted.into())
            );
        }
        // Another proposal with the same id can't exist, but another window is another vote.
        k.record_vote(1, 150, 60).unwrap();
        assert_eq!(
            k.open_votes
                .iter()
                .filter(|v| v.voting_end_slot == 150)
                .count(),
            2
        );
    }

    #[test]
    fn entries_are_reused_only_after_their_window() {
        let mut k = keeper();
        for id in 0..MAX_OPEN_VOTES as u64 {
            k.record_vote(id, 200 + id, 100).unwrap();
        }
        assert_eq!(
            k.record_vote(99, 300, 200),
            Err(ContinuumError::TooManyOpenVotes.into())
        );
        // Slot 201: only proposal 0's window (ending at 200) is over; its entry is reused.
        k.record_vote(99, 300, 201).unwrap();
        assert!(k.open_votes.contains(&OpenVote {
            proposal_id: 99,
            voting_end_slot: 300
        }));
        assert!(!k.open_votes.iter().any(|v| v.proposal_id == 0));
        for id in 1..MAX_OPEN_VOTES as u64 {
            assert_eq!(
                k.record_vote(id, 200 + id, 201),
                Err(ContinuumError::AlreadyVoted.into())
            );
        }
    }
}
