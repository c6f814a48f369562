//! `initialize_config`: creates the global Config PDA. Once per program, and only by the
//! program's upgrade authority: otherwise whoever sends it first on a fresh deployment (a
//! front-runner watching the deploy) would become admin.
//!
//! Accounts:
//! 0. `[signer, writable]` admin: the program's upgrade authority (`NotUpgradeAuthority`
//!    otherwise, also when the program is immutable); pays rent and becomes `Config.admin`.
//! 1. `[writable]` config: PDA `["config"]`, must not exist yet.
//! 2. `[]` program: this program's account (address `program_id`, owned by the upgradeable
//!    loader, state `Program`), else `InvalidProgramData`.
//! 3. `[]` program_data: the ProgramData account the program account points to
//!    (`PDA([program_id], BPFLoaderUpgradeab1e11111111111111111111111)`), else
//!    `InvalidProgramData`; holds the upgrade authority.
//! 4. `[]` system program.
//! 5. `[]` collateral mint: an initialized mint of the token program below (`InvalidMint`),
//!    without a Token-2022 extension that changes amounts or can block the program's
//!    transfers (`UnsupportedMintExtension`, list in `checks::refused_mint_extension`). Every
//!    market's money is held in it; recorded with its decimals.
//! 6. `[]` token program: SPL Token or Token-2022 (`InvalidTokenProgram`), the mint's owner.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | shard_count (1..=255) |
//! | 1 | u16 | vote_threshold_bps (1..=10,000) |
//! | 3 | u32 | contention_threshold_us (> 0) |
//! | 7 | u64 | voting_window_slots (> 0) |
//! | 15 | u64 | proposal_cooldown_slots |
//! | 23 | u64 | unstake_cooldown_slots (> 0) |
//! | 31 | u64 | min_keeper_stake (> 0: a free keeper account could report and propose) |
//! | 39 | u64 | load_threshold_milli_writes (> 0) |
//! | 47 | u64 | execution_window_slots (> 0) |
//! | 55 | u64 | max_market_duration_seconds (1..=i64::MAX) |
//! | 63 | u64 | settlement_grace_seconds (> 0) |
//! | 71 | u16 | latency_quorum_bps (1..=10,000) |
//!
//! Every check runs before the account is created, so a failure changes nothing.

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::config::{BPS_SCALE_1E4, CONFIG_SEED};
use crate::state::{init_view_mut, AccountLayout, Config};
use pinocchio::{AccountView, Address};

/// Decoded arguments of `initialize_config`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeConfigArgs {
    /// Number of shards.
    pub shard_count: u8,
    /// Approval threshold in basis points of snapshot stake.
    pub vote_threshold_bps: u16,
    /// Keeper-reported latency threshold, microseconds.
    pub contention_threshold_us: u32,
    /// Voting window, slots.
    pub voting_window_slots: u64,
    /// Proposal rate limit, slots.
    pub proposal_cooldown_slots: u64,
    /// Unstake cooldown, slots.
    pub unstake_cooldown_slots: u64,
    /// Minimum stake to register as a keeper, lamports.
    pub min_keeper_stake: u64,
    /// On-chain load threshold (writes per slot EMA x 1,000).
    pub load_threshold_milli_writes: u64,
    /// Approval execution window, slots.
    pub execution_window_slots: u64,
    /// Longest market life (creation to resolution deadline), seconds.
    pub max_market_duration_seconds: u64,
    /// Grace period before a settled market with outstanding claims may be closed, seconds.
    pub settlement_grace_seconds: u64,
    /// Reporting stake needed for a shard's latency to count, basis points of active stake.
    pub latency_quorum_bps: u16,
}

impl InitializeConfigArgs {
    /// Serialized size in bytes.
    pub const LEN: usize = 73;

    /// Decodes and validates the arguments.
    pub fn parse(data: &[u8]) -> ContinuumResult<Self> {
        let mut r = ArgReader::new(data);
        let args = Self {
            shard_count: r.u8()?,
            vote_threshold_bps: r.u16()?,
            contention_threshold_us: r.u32()?,
            voting_window_slots: r.u64()?,
            proposal_cooldown_slots: r.u64()?,
            unstake_cooldown_slots: r.u64()?,
            min_keeper_stake: r.u64()?,
            load_threshold_milli_writes: r.u64()?,
            execution_window_slots: r.u64()?,
            max_market_duration_seconds: r.u64()?,
            settlement_grace_seconds: r.u64()?,
            latency_quorum_bps: r.u16()?,
        };
        r.finish()?;
        args.validate()?;
        Ok(args)
    }

    fn validate(&self) -> ContinuumResult {
        if self.shard_count == 0 {
            return Err(ContinuumError::InvalidShardCount.into());
        }
        if self.vote_threshold_bps == 0
            || self.vote_threshold_bps as u64 > BPS_SCALE_1E4
            || self.contention_threshold_us == 0
            || self.min_keeper_stake == 0
            || self.load_threshold_milli_writes == 0
            || self.latency_quorum_bps == 0
            || self.latency_quorum_bps as u64 > BPS_SCALE_1E4
        {
            return Err(ContinuumError::InvalidThreshold.into());
        }
        if self.voting_window_slots == 0
            || self.unstake_cooldown_slots == 0
            || self.execution_window_slots == 0
            || self.settlement_grace_seconds == 0
            || self.max_market_duration_seconds == 0
            || self.max_market_duration_seconds > i64::MAX as u64
        {
            return Err(ContinuumError::InvalidWindow.into());
        }
        Ok(())
    }
}

/// Processes `initialize_config`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let args = InitializeConfigArgs::parse(data)?;
    let ([admin, config, program, program_data, system_program, mint, token_program], _) =
        checks::take_accounts::<7>(accounts)?;
    // 1. Roles: a paying signer, a writable config slot, the real System Program.
    checks::writable_signer(admin)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    // 2. The admin is the upgrade authority of this very program.
    let authority = checks::upgrade_authority(program, program_data, program_id)?;
    if &authority != admin.address().as_array() {
        return Err(ContinuumError::NotUpgradeAuthority.into());
    }
    // 3. The collateral: a plain mint of one of the two token programs.
    let decimals = checks::collateral_mint(mint, token_program)?;
    // 4. The config account: the canonical PDA, created here.
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: admin,
            account: config,
            seeds: &[],
            space: Config::LEN as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        CONFIG_SEED,
        program_id,
    )?;

    let mut data = config.try_borrow_mut()?;
    let state = init_view_mut::<Config>(&mut data)?;
    state.admin = admin.address().to_bytes();
    state.total_active_stake = 0;
    state.min_keeper_stake = args.min_keeper_stake;
    state.voting_window_slots = args.voting_window_slots;
    state.proposal_cooldown_slots = args.proposal_cooldown_slots;
    state.unstake_cooldown_slots = args.unstake_cooldown_slots;
    state.load_threshold_milli_writes = args.load_threshold_milli_writes;
    state.execution_window_slots = args.execution_window_slots;
    state.max_market_duration_seconds = args.max_market_duration_seconds;
    state.settlement_grace_seconds = args.settlement_grace_seconds;
    state.keeper_count = 0;
    state.latency_quorum_bps = args.latency_quorum_bps;
    state.contention_threshold_us = args.contention_threshold_us;
    state.vote_threshold_bps = args.vote_threshold_bps;
    state.shard_count = args.shard_count;
    state.bump = bump;
    state.collateral_decimals = decimals;
    state.collateral_mint = mint.address().to_bytes();
    state.collateral_token_program = token_program.address().to_bytes();
    Ok(())
}
