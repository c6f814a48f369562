//! `Config`: the program's global parameters and keeper-stake totals.
//!
//! PDA seeds: `["config"]`. One per program, created by `initialize_config`, which also fixes
//! the collateral mint (and its token program) that every shard vault holds.

use super::AccountLayout;

/// PDA seed of the Config account.
pub const CONFIG_SEED: &[u8] = b"config";

/// Default keeper-reported contention threshold: 1,500 microseconds of write latency.
pub const DEFAULT_CONTENTION_THRESHOLD_US: u32 = 1_500;
/// Default approval threshold: 66.70% of snapshot stake, in basis points.
pub const DEFAULT_VOTE_THRESHOLD_BPS: u16 = 6_670;
/// Default voting window: 100 slots from proposal creation.
pub const DEFAULT_VOTING_WINDOW_SLOTS: u64 = 100;
/// Default execution window: an approval may be executed for 100 slots after its voting window.
pub const DEFAULT_EXECUTION_WINDOW_SLOTS: u64 = 100;
/// Default share of total active stake that must report a shard hot within a latency window
/// before the shard's latency counts as over threshold, basis points (a stake majority).
pub const DEFAULT_LATENCY_QUORUM_BPS: u16 = 5_000;
/// Default longest market life, creation to resolution deadline: 365 days, in seconds.
pub const DEFAULT_MAX_MARKET_DURATION_SECONDS: u64 = 365 * 24 * 3_600;
/// Default grace period after a market settles before its authority may close it with claims
/// still outstanding: 90 days, in seconds.
pub const DEFAULT_SETTLEMENT_GRACE_SECONDS: u64 = 90 * 24 * 3_600;
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
/// | 104 | 8 | execution_window_slots |
/// | 112 | 8 | max_market_duration_seconds |
/// | 120 | 8 | settlement_grace_seconds |
/// | 128 | 8 | keeper_count |
/// | 136 | 4 | contention_threshold_us |
/// | 140 | 2 | vote_threshold_bps |
/// | 142 | 2 | latency_quorum_bps |
/// | 144 | 1 | shard_count |
/// | 145 | 1 | bump |
/// | 146 | 1 | collateral_decimals |
/// | 147 | 5 | padding |
/// | 152 | 32 | collateral_mint |
/// | 184 | 32 | collateral_token_program |
/// | 216 | 32 | reserved |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `sha256("account:Config")[..8]`.
    pub discriminator: [u8; 8],
    /// Signs admin-only instructions (`init_shard`).
    pub admin: [u8; 32],
    /// Sum of the stake of every registered (not unregistering) keeper, in lamports.
    pub total_active_stake: u64,
    /// Stake a keeper needs to register (and so to vote, report and propose), in lamports.
    pub min_keeper_stake: u64,
    /// Slots after a proposal's creation during which votes count.
    pub voting_window_slots: u64,
    /// Slots between two proposals from the same keeper (per proposer only: no shard-wide
    /// cooldown, so no keeper can hold a shard's proposals back).
    pub proposal_cooldown_slots: u64,
    /// Slots between `unregister_keeper` and `withdraw_stake`.
    pub unstake_cooldown_slots: u64,
    /// On-chain load threshold: EMA of writes per slot, times 1,000.
    pub load_threshold_milli_writes: u64,
    /// Markets registered so far.
    pub market_count: u64,
    /// Rebalance proposals created so far (the next proposal's id). Only ever increases, so no
    /// id is used twice (see `state::proposal`).
    pub proposal_count: u64,
    /// Slots after a proposal's voting window during which an approval may be executed; after
    /// them the approval has expired and the proposal is closable.
    pub execution_window_slots: u64,
    /// Longest allowed time from a market's creation to its resolution deadline, seconds.
    pub max_market_duration_seconds: u64,
    /// Seconds after a market settles before its authority may close it with claims still
    /// outstanding.
    pub settlement_grace_seconds: u64,
    /// Registrations so far: the next keeper's index. A statistic: it sizes nothing.
    pub keeper_count: u64,
    /// Keeper-reported write latency above which a shard counts as contended, microseconds.
    pub contention_threshold_us: u32,
    /// Share of snapshot stake needed to approve a rebalance, basis points.
    pub vote_threshold_bps: u16,
    /// Share of total active stake whose reports within one latency window must put a shard
    /// above `contention_threshold_us` for its latency to count, basis points.
    pub latency_quorum_bps: u16,
    /// Number of shards, 1..=255.
    pub shard_count: u8,
    /// Canonical bump of the Config PDA.
    pub bump: u8,
    /// Decimals of `collateral_mint` (what the SDK shows amounts in; transfers name them).
    pub collateral_decimals: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 5],
    /// The SPL Token or Token-2022 mint every market's money is held in, chosen at
    /// `initialize_config`. Amounts (`b`, collateral, payouts) are its base units.
    pub collateral_mint: [u8; 32],
    /// The token program owning `collateral_mint` (SPL Token or Token-2022).
    pub collateral_token_program: [u8; 32],
    /// Reserved for future fields; zero.
    pub reserved: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<Config>() == 248);
const _: () = assert!(core::mem::align_of::<Config>() == 8);

unsafe impl AccountLayout for Config {
    const DISCRIMINATOR: [u8; 8] = [155, 12, 170, 224, 30, 250, 204, 130];
}
