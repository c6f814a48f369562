//! `Config`: the program's global parameters and keeper-stake totals.
//!
//! PDA seeds: `["config"]`. One per program, created by `initialize_config`.

use super::AccountLayout;

/// PDA seed of the Config account.
pub const CONFIG_SEED: &[u8] = b"config";

/// Default keeper-reported contention threshold: 1,500 microseconds of write latency.
pub const DEFAULT_CONTENTION_THRESHOLD_US: u32 = 1_500;
/// Default approval threshold: 66.70% of snapshot stake, in basis points.
pub const DEFAULT_VOTE_THRESHOLD_BPS: u16 = 6_670;
/// Default voting window: 100 slots from proposal creation.
pub const DEFAULT_VOTING_WINDOW_SLOTS: u64 = 100;
/// Basis points in one whole.
pub const BPS_SCALE_1E4: u64 = 10_000;

/// Global configuration.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | admin |
/// | 40 | 8 | total_active_stake |
/// | 48 | 8 | min_keeper_stake |
/// | 56 | 8 | voting_window_slots |
/// | 64 | 8 | proposal_cooldown_slots |
/// | 72 | 8 | unstake_cooldown_slots |
/// | 80 | 8 | load_threshold_milli_writes |
/// | 88 | 8 | market_count |
/// | 96 | 8 | proposal_count |
/// | 104 | 4 | contention_threshold_us |
/// | 108 | 2 | vote_threshold_bps |
/// | 110 | 1 | shard_count |
/// | 111 | 1 | bump |
/// | 112 | 32 | reserved |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `sha256("account:Config")[..8]`.
    pub discriminator: [u8; 8],
    /// Signs admin-only instructions (`init_shard`).
    pub admin: [u8; 32],
    /// Sum of the stake of every registered (not unregistering) keeper, in lamports.
    pub total_active_stake: u64,
    /// Stake a keeper needs to propose a rebalance, in lamports.
    pub min_keeper_stake: u64,
    /// Slots after a proposal's creation during which votes count.
    pub voting_window_slots: u64,
    /// Slots between two proposals from the same keeper or for the same source shard.
    pub proposal_cooldown_slots: u64,
    /// Slots between `unregister_keeper` and `withdraw_stake`.
    pub unstake_cooldown_slots: u64,
    /// On-chain load threshold: EMA of writes per slot, times 1,000.
    pub load_threshold_milli_writes: u64,
    /// Markets registered so far.
    pub market_count: u64,
    /// Rebalance proposals created so far (the next proposal's id).
    pub proposal_count: u64,
    /// Keeper-reported write latency above which a shard may be rebalanced, microseconds.
    pub contention_threshold_us: u32,
    /// Share of snapshot stake needed to approve a rebalance, basis points.
    pub vote_threshold_bps: u16,
    /// Number of shards, 1..=255.
    pub shard_count: u8,
    /// Canonical bump of the Config PDA.
    pub bump: u8,
    /// Reserved for future fields; zero.
    pub reserved: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<Config>() == 144);
const _: () = assert!(core::mem::align_of::<Config>() == 8);

unsafe impl AccountLayout for Config {
    const DISCRIMINATOR: [u8; 8] = [155, 12, 170, 224, 30, 250, 204, 130];
}
