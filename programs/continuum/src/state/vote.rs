//! `VoteRecord`: one keeper's vote on one proposal. Its existence is what makes a second vote
//! impossible, so it lives at the CANONICAL PDA `["vote", proposal, keeper_authority]`.

use super::AccountLayout;

/// PDA seed prefix of VoteRecord accounts.
pub const VOTE_SEED: &[u8] = b"vote";

/// A vote.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | proposal (address) |
/// | 40 | 32 | keeper (authority) |
/// | 72 | 8 | weight |
/// | 80 | 8 | slot |
/// | 88 | 1 | approve |
/// | 89 | 1 | bump |
/// | 90 | 6 | padding |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteRecord {
    /// `sha256("account:VoteRecord")[..8]`.
    pub discriminator: [u8; 8],
    /// The proposal's address.
    pub proposal: [u8; 32],
    /// The voting keeper's authority.
    pub keeper: [u8; 32],
    /// Stake counted, lamports.
    pub weight: u64,
    /// Slot of the vote.
    pub slot: u64,
    /// 1 = yes, 0 = no.
    pub approve: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 6],
}

const _: () = assert!(core::mem::size_of::<VoteRecord>() == 96);
const _: () = assert!(core::mem::align_of::<VoteRecord>() == 8);

unsafe impl AccountLayout for VoteRecord {
    const DISCRIMINATOR: [u8; 8] = [112, 9, 123, 165, 234, 9, 157, 167];
}
