//! `RebalanceProposal`: a keeper's proposal to move markets from one shard to another.
//!
//! PDA seeds: `["proposal", id as u64 LE, [bump]]` with the bump the proposer names (the SDK
//! uses the canonical one), where `id = Config.proposal_count` at creation. Created by
//! `propose_rebalance`, voted on by `vote_rebalance`, executed by `execute_rebalance`, closed by
//! `close_proposal`.
//!
//! Why any valid bump is harmless: `Config.proposal_count` only ever increases (`checked_add`,
//! never wraps), and `propose_rebalance` creates a proposal only at the CURRENT count, which it
//! then raises. So each id is used by exactly one creation, at one address, whatever bump was
//! named; no id can get a second proposal at another bump. Nothing else finds a proposal by
//! deriving its address: `vote_rebalance`, `execute_rebalance` and `close_proposal` authenticate
//! it by owner and discriminator, and a keeper's vote record names it by id. Naming the bump
//! keeps `propose_rebalance` at one hash and one curve check, where a canonical-bump search
//! costs ~600 CU more for every bump below 255.
//!
//! Fixed size: who voted is recorded in the voters' Keeper accounts (`Keeper::record_vote`),
//! so nothing here grows with the number of keepers.

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
/// | 64 | 8 | execution_end_slot |
/// | 72 | 8 | snapshot_total_stake |
/// | 80 | 8 | yes_stake |
/// | 88 | 8 | no_stake |
/// | 96 | 8 | executed_slot |
/// | 104 | 8 | reserved_head |
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
    /// Reserved; zero.
    pub reserved_head: [u8; 8],
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
    /// Bump of the PDA (the one the proposer named).
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
