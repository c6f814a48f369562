//! `Keeper`: a staked keeper. The stake is locked as lamports in this PDA above its rent.
//!
//! PDA seeds: `["keeper", authority, [bump]]` with the bump the registrant names (the SDK uses
//! the canonical one). Checking one named bump keeps `register_keeper` at a fixed cost; an
//! authority that registers at a second bump gets a second, independent keeper with its own
//! stake, which gives it nothing several authorities would not. Created by `register_keeper`,
//! closed by `withdraw_stake`.

use super::AccountLayout;
use crate::error::{ContinuumError, ContinuumResult};

/// PDA seed prefix of Keeper accounts.
pub const KEEPER_SEED: &[u8] = b"keeper";

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
/// | 144 | 16 | reserved |
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
    /// Registration order (`Config.keeper_count` at registration): this keeper's bit in a
    /// proposal's voter map.
    pub index: u32,
    /// 1 while registered, 0 once unregistering.
    pub active: u8,
    /// Bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 2],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<Keeper>() == 160);
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
}
