//! `RebalanceProposal`: a keeper's proposal to move markets from one shard to another.
//!
//! PDA seeds: `["proposal", id as u64 LE]`, canonical bump, where `id = Config.proposal_count`
//! at creation. Created by `propose_rebalance`, voted on by `vote_rebalance`, executed by
//! `execute_rebalance`, closed by `close_proposal`.

use super::AccountLayout;

/// PDA seed prefix of RebalanceProposal accounts.
pub const PROPOSAL_SEED: &[u8] = b"proposal";
/// Most markets one proposal moves.
pub const MAX_PROPOSAL_MARKETS: usize = 8;

/// Votes are being collected (or the proposal is approved and awaiting execution).
pub const PROPOSAL_STATUS_VOTING: u8 = 0;
/// Executed: every market moved.
pub const PROPOSAL_STATUS_EXECUTED: u8 = 1;

/// A rebalance proposal.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 8 | id |
/// | 16 | 32 | proposer |
/// | 48 | 8 | created_slot |
/// | 56 | 8 | voting_end_slot |
/// | 64 | 8 | snapshot_total_stake |
/// | 72 | 8 | yes_stake |
/// | 80 | 8 | no_stake |
/// | 88 | 8 | executed_slot |
/// | 96 | 256 | markets (8 x 32-byte market keys; first `market_count` used) |
/// | 352 | 4 | vote_count |
/// | 356 | 2 | vote_threshold_bps |
/// | 358 | 1 | market_count |
/// | 359 | 1 | from_shard |
/// | 360 | 1 | to_shard |
/// | 361 | 1 | status |
/// | 362 | 1 | bump |
/// | 363 | 5 | padding |
/// | 368 | 16 | reserved |
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
    /// `Config.total_active_stake` at creation.
    pub snapshot_total_stake: u64,
    /// Stake voting yes.
    pub yes_stake: u64,
    /// Stake voting no.
    pub no_stake: u64,
    /// Slot of execution (0 until executed).
    pub executed_slot: u64,
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

const _: () = assert!(core::mem::size_of::<RebalanceProposal>() == 384);
const _: () = assert!(core::mem::align_of::<RebalanceProposal>() == 8);
const _: () = assert!(core::mem::offset_of!(RebalanceProposal, vote_count) == 352);

unsafe impl AccountLayout for RebalanceProposal {
    const DISCRIMINATOR: [u8; 8] = [144, 76, 53, 190, 165, 195, 179, 53];
}
