//! Program errors, returned as `ProgramError::Custom(6000 + n)` like Anchor's `#[error_code]`.
//!
//! The numbering is part of the public interface (the IDL lists every variant with its code,
//! name and message, and a host test keeps the two in sync): only ever APPEND variants.

use continuum_math::MathError;
use pinocchio::error::ProgramError;

/// Offset of the first custom error, as in Anchor.
pub const ERROR_CODE_OFFSET: u32 = 6000;

/// Every error the program returns on bad input. Codes are `6000 + discriminant`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ContinuumError {
    /// The first 8 bytes of instruction data match no instruction.
    UnknownInstruction = 0,
    /// Instruction data is shorter or longer than the instruction's arguments.
    InvalidInstructionData = 1,
    /// Fewer accounts than the instruction lists.
    NotEnoughAccounts = 2,
    /// An account that must sign did not.
    MissingSigner = 3,
    /// An account that must be writable is read-only.
    AccountNotWritable = 4,
    /// An account is not owned by the expected program.
    InvalidAccountOwner = 5,
    /// An account's address is not the expected program-derived address.
    InvalidPda = 6,
    /// An account to be created already holds data.
    AccountAlreadyInitialized = 7,
    /// An account's data has the wrong size or discriminator.
    InvalidAccountData = 8,
    /// The signer is not the config admin.
    Unauthorized = 9,
    /// `shard_count` must be in 1..=255.
    InvalidShardCount = 10,
    /// A basis-point threshold must be in 1..=10,000.
    InvalidThreshold = 11,
    /// A slot window must be greater than zero.
    InvalidWindow = 12,
    /// The System Program account is not the System Program.
    InvalidSystemProgram = 13,
    /// An arithmetic operation overflowed.
    Overflow = 14,
    /// A math routine failed (see the log for the math error code).
    MathFailure = 15,
    /// A shard id is not below the configured shard count.
    InvalidShardId = 16,
    /// A shard, market or position account does not belong to the given shard or market.
    AccountMismatch = 17,
    /// Not enough funds (collateral base units, or lamports) for the requested transfer.
    InsufficientFunds = 18,
    /// A Normal/mixture/custom shape cannot satisfy the constraints (see `MathError`).
    NormConstraintViolated = 19,
    /// `max f <= b` cannot hold for the requested shape.
    MaxBoundExceeded = 20,
    /// A grid needs an odd number of at least three points.
    InsufficientPoints = 21,
    /// Numerical integration failed.
    IntegrationFailed = 22,
    /// A range is empty, inverted, outside the grid or not grid-aligned.
    InvalidRange = 23,
    /// The keeper has unregistered: it can no longer vote, propose or report.
    KeeperInactive = 24,
    /// The stake is below `Config.min_keeper_stake`.
    InsufficientStake = 25,
    /// The keeper or the source shard proposed less than `proposal_cooldown_slots` ago.
    ProposalCooldown = 26,
    /// The source shard is over neither the latency nor the load threshold.
    ShardNotOverThreshold = 27,
    /// A proposal needs 1..=8 distinct markets, all on the source shard.
    InvalidProposalMarkets = 28,
    /// A rebalance's source and destination shard are the same.
    SameShard = 29,
    /// The proposal's voting window is over, or it was executed.
    VotingClosed = 30,
    /// The keeper already voted on this proposal.
    AlreadyVoted = 31,
    /// The keeper registered in or after the proposal's creation slot.
    StakeAfterSnapshot = 32,
    /// Yes-stake is below the threshold share of the proposal's snapshot stake.
    ProposalNotApproved = 33,
    /// The proposal was already executed.
    ProposalAlreadyExecuted = 34,
    /// The proposal is still open (voting, or approved and not executed).
    ProposalStillActive = 35,
    /// The unstake cooldown is not over, or the stake backs a vote whose window is open.
    StakeLocked = 36,
    /// `withdraw_stake` before `unregister_keeper`.
    KeeperStillActive = 37,
    /// The signer is not the authority recorded in the account.
    InvalidAuthority = 38,
    /// The market is not in the status this instruction requires.
    InvalidMarketStatus = 39,
    /// The market's trading deadline has passed.
    TradingClosed = 40,
    /// The trading deadline has not passed yet.
    TradingNotClosed = 41,
    /// The resolution deadline has passed.
    ResolutionWindowClosed = 42,
    /// The market can only be cancelled after its resolution deadline.
    ResolutionDeadlineNotReached = 43,
    /// The market was already resolved.
    AlreadyResolved = 44,
    /// The scale c is not canonical: c must keep the norm within k and c + 1 must not.
    NotCanonical = 45,
    /// The trade has no effect (t = 0, or no grid value moves).
    ZeroEffectBet = 46,
    /// The payment exceeds max_in, or the refund is below min_out.
    SlippageExceeded = 47,
    /// The position or the LP share was already claimed.
    AlreadyClaimed = 48,
    /// The grid needs an odd n_points in 3..=N_MAX, hi > lo and (hi - lo) divisible by n_points - 1.
    InvalidGrid = 49,
    /// The shape parameters are invalid.
    InvalidShape = 50,
    /// Deadlines must satisfy now < trading_deadline < resolution_deadline.
    InvalidDeadlines = 51,
    /// k and b must be positive and b at most 2^56 base units.
    InvalidMarketParams = 52,
    /// The signer is not the program's upgrade authority (read from its ProgramData account).
    NotUpgradeAuthority = 53,
    /// The program or ProgramData account passed is not this program's (upgradeable loader).
    InvalidProgramData = 54,
    /// A latency sample is zero or above `MAX_LATENCY_SAMPLE_US`.
    LatencySampleOutOfRange = 55,
    /// The keeper already reported on this shard in the current latency window.
    AlreadyReported = 56,
    /// The approved proposal's execution window is over.
    ApprovalExpired = 57,
    /// No longer returned (proposals have no per-keeper data); the code stays reserved.
    TooManyKeepers = 58,
    /// The same account was passed in two roles.
    DuplicateAccount = 59,
    /// The resolution deadline is further away than `Config.max_market_duration_seconds`.
    MarketDurationTooLong = 60,
    /// The market still holds claims (positions or LP) and its grace period is not over, or it is not settled.
    MarketNotClosable = 61,
    /// The mint is not the collateral mint (`Config.collateral_mint`, the vault's mint), or not an initialized mint owned by the collateral's token program.
    InvalidMint = 62,
    /// The token program is not SPL Token or Token-2022, or not the one that owns the collateral mint and the vaults.
    InvalidTokenProgram = 63,
    /// The mint carries a Token-2022 extension that changes transferred amounts or can block or redirect the program's transfers.
    UnsupportedMintExtension = 64,
    /// The account is not an initialized token account of the collateral's token program.
    InvalidTokenAccount = 65,
    /// The token account holds another mint than the collateral mint.
    TokenAccountMintMismatch = 66,
    /// The token account's owner is not the signer it pays from or credits.
    TokenAccountOwnerMismatch = 67,
    /// The token account (a trader's or the vault) is frozen.
    TokenAccountFrozen = 68,
    /// The token account is not the vault of the shard it is passed with (`Shard.vault`).
    InvalidVault = 69,
    /// A trade's direction kind byte is not Range (0), Shape (1) or Unwind (2).
    InvalidDirection = 70,
    /// An unwind fraction (1e9 fixed point) outside 1..=1e9.
    InvalidUnwindFraction = 71,
    /// An unwind of a position whose payoff is all zero (or that does not exist).
    NothingToUnwind = 72,
    /// The market's trade count is not the one the quote saw (expected_trade_index).
    StaleQuote = 73,
    /// A market fee above MAX_FEE_BPS (1,000 bps).
    FeeTooHigh = 74,
    /// The keeper already voted on `MAX_OPEN_VOTES` proposals whose voting windows are open.
    TooManyOpenVotes = 75,
}

impl ContinuumError {
    /// Every variant in code order (the IDL and the SDK are checked against this list).
    pub const ALL: [ContinuumError; 76] = [
        Self::UnknownInstruction,
        Self::InvalidInstructionData,
        Self::NotEnoughAccounts,
        Self::MissingSigner,
        Self::AccountNotWritable,
        Self::InvalidAccountOwner,
        Self::InvalidPda,
        Self::AccountAlreadyInitialized,
        Self::InvalidAccountData,
        Self::Unauthorized,
        Self::InvalidShardCount,
        Self::InvalidThreshold,
        Self::InvalidWindow,
        Self::InvalidSystemProgram,
        Self::Overflow,
        Self::MathFailure,
        Self::InvalidShardId,
        Self::AccountMismatch,
        Self::InsufficientFunds,
        Self::NormConstraintViolated,
        Self::MaxBoundExceeded,
        Self::InsufficientPoints,
        Self::IntegrationFailed,
        Self::InvalidRange,
        Self::KeeperInactive,
        Self::InsufficientStake,
        Self::ProposalCooldown,
        Self::ShardNotOverThreshold,
        Self::InvalidProposalMarkets,
        Self::SameShard,
        Self::VotingClosed,
        Self::AlreadyVoted,
        Self::StakeAfterSnapshot,
        Self::ProposalNotApproved,
        Self::ProposalAlreadyExecuted,
        Self::ProposalStillActive,
        Self::StakeLocked,
        Self::KeeperStillActive,
        Self::InvalidAuthority,
        Self::InvalidMarketStatus,
        Self::TradingClosed,
        Self::TradingNotClosed,
        Self::ResolutionWindowClosed,
        Self::ResolutionDeadlineNotReached,
        Self::AlreadyResolved,
        Self::NotCanonical,
        Self::ZeroEffectBet,
        Self::SlippageExceeded,
        Self::AlreadyClaimed,
        Self::InvalidGrid,
        Self::InvalidShape,
        Self::InvalidDeadlines,
        Self::InvalidMarketParams,
        Self::NotUpgradeAuthority,
        Self::InvalidProgramData,
        Self::LatencySampleOutOfRange,
        Self::AlreadyReported,
        Self::ApprovalExpired,
        Self::TooManyKeepers,
        Self::DuplicateAccount,
        Self::MarketDurationTooLong,
        Self::MarketNotClosable,
        Self::InvalidMint,
        Self::InvalidTokenProgram,
        Self::UnsupportedMintExtension,
        Self::InvalidTokenAccount,
        Self::TokenAccountMintMismatch,
        Self::TokenAccountOwnerMismatch,
        Self::TokenAccountFrozen,
        Self::InvalidVault,
        Self::InvalidDirection,
        Self::InvalidUnwindFraction,
        Self::NothingToUnwind,
        Self::StaleQuote,
        Self::FeeTooHigh,
        Self::TooManyOpenVotes,
    ];

    /// The `Custom` code the runtime reports.
    pub const fn code(self) -> u32 {
        ERROR_CODE_OFFSET + self as u32
    }
}

impl From<ContinuumError> for ProgramError {
    fn from(e: ContinuumError) -> Self {
        ProgramError::Custom(e.code())
    }
}

impl From<MathError> for ContinuumError {
    fn from(e: MathError) -> Self {
        match e {
            MathError::Overflow => ContinuumError::Overflow,
            MathError::NormConstraintViolated => ContinuumError::NormConstraintViolated,
            MathError::MaxBoundExceeded => ContinuumError::MaxBoundExceeded,
            MathError::InsufficientPoints => ContinuumError::InsufficientPoints,
            MathError::IntegrationFailed => ContinuumError::IntegrationFailed,
            MathError::InvalidRange => ContinuumError::InvalidRange,
            MathError::InvalidGrid => ContinuumError::InvalidGrid,
            MathError::InvalidShape => ContinuumError::InvalidShape,
            MathError::ZeroBet => ContinuumError::ZeroEffectBet,
            MathError::NotCanonical => ContinuumError::NotCanonical,
            MathError::InvalidUnwindFraction => ContinuumError::InvalidUnwindFraction,
            MathError::NothingToUnwind => ContinuumError::NothingToUnwind,
            MathError::FeeTooHigh => ContinuumError::FeeTooHigh,
            _ => ContinuumError::MathFailure,
        }
    }
}

/// Maps a math error to the program error it surfaces as: `.map_err(math_error)?`.
#[inline(always)]
pub fn math_error(e: MathError) -> ProgramError {
    ContinuumError::from(e).into()
}

/// Shorthand used by every processor.
pub type ContinuumResult<T = ()> = Result<T, ProgramError>;
