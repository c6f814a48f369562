import { ERROR_CODE_OFFSET } from "./constants.js";

/**
 * Program errors in code order (`6000 + index`), mirroring `programs/continuum/src/error.rs`.
 * A test checks this list against the IDL and the Rust enum.
 */
export const CONTINUUM_ERRORS = [
  ["UnknownInstruction", "Unknown instruction discriminator"],
  ["InvalidInstructionData", "Instruction data has the wrong length or an invalid value"],
  ["NotEnoughAccounts", "Fewer accounts than the instruction requires"],
  ["MissingSigner", "A required signer did not sign"],
  ["AccountNotWritable", "An account that must be writable is read-only"],
  ["InvalidAccountOwner", "An account is not owned by the expected program"],
  ["InvalidPda", "An account is not the expected program-derived address"],
  ["AccountAlreadyInitialized", "The account to create already exists"],
  ["InvalidAccountData", "Account data has the wrong size or discriminator"],
  ["Unauthorized", "The signer is not the config admin"],
  ["InvalidShardCount", "shard_count must be in 1..=255"],
  ["InvalidThreshold", "A threshold is zero or above its maximum"],
  ["InvalidWindow", "A slot window must be greater than zero"],
  ["InvalidSystemProgram", "The system program account is wrong"],
  ["Overflow", "Arithmetic overflow"],
  ["MathFailure", "A math routine failed"],
  ["InvalidShardId", "Shard id is not below the shard count"],
  ["AccountMismatch", "An account does not belong to the given shard or market"],
  ["InsufficientFunds", "Not enough funds"],
  ["NormConstraintViolated", "No scale reaches the L2 norm k under the cap b"],
  ["MaxBoundExceeded", "The shape cannot satisfy max f <= b"],
  ["InsufficientPoints", "A grid needs an odd number of at least 3 points"],
  ["IntegrationFailed", "Numerical integration failed"],
  ["InvalidRange", "Range is empty, inverted, outside the grid or not aligned"],
  ["KeeperInactive", "The keeper is unregistering and can no longer vote, propose or report"],
  ["InsufficientStake", "The keeper's stake is zero or below the configured minimum"],
  ["ProposalCooldown", "The keeper or the source shard proposed too recently"],
  ["ShardNotOverThreshold", "The source shard is below both the contention and the load threshold"],
  ["InvalidProposalMarkets", "A proposal needs 1..=8 distinct markets, all on the source shard"],
  ["SameShard", "The source and destination shard are the same"],
  ["VotingClosed", "The proposal no longer accepts votes (window over or executed)"],
  ["AlreadyVoted", "The keeper already voted on this proposal"],
  ["StakeAfterSnapshot", "The keeper registered after the proposal was created"],
  ["ProposalNotApproved", "The proposal does not have the required share of snapshot stake"],
  ["ProposalAlreadyExecuted", "The proposal was already executed"],
  ["ProposalStillActive", "The proposal can still be voted on or executed"],
  ["StakeLocked", "The stake is in its unstake cooldown or backs a live vote"],
  ["KeeperStillActive", "Unregister the keeper before withdrawing its stake"],
  ["InvalidAuthority", "The signer is not the account's authority"],
  ["InvalidMarketStatus", "The market is not in the status this instruction requires"],
  ["TradingClosed", "The market's trading deadline has passed"],
  ["TradingNotClosed", "The trading deadline has not passed yet"],
  ["ResolutionWindowClosed", "The resolution deadline has passed"],
  ["ResolutionDeadlineNotReached", "The market can only be cancelled after its resolution deadline"],
  ["AlreadyResolved", "The market was already resolved"],
  ["NotCanonical", "The scale c is not canonical: c must keep the norm within k and c + 1 must not"],
  ["ZeroEffectBet", "The trade has no effect (t = 0, or no grid value moves)"],
  ["SlippageExceeded", "The payment exceeds max_in, or the refund is below min_out"],
  ["AlreadyClaimed", "The position or the LP share was already claimed"],
  ["InvalidGrid", "The grid needs an odd n_points in 3..=N_MAX, hi > lo and (hi - lo) divisible by n_points - 1"],
  ["InvalidShape", "The shape parameters are invalid"],
  ["InvalidDeadlines", "Deadlines must satisfy now < trading_deadline < resolution_deadline"],
  ["InvalidMarketParams", "k and b must be positive and b at most 2^56 base units"],
  ["NotUpgradeAuthority", "The signer is not the program's upgrade authority"],
  ["InvalidProgramData", "The program or ProgramData account is not this program's"],
  ["LatencySampleOutOfRange", "A latency sample is zero or above the plausible maximum"],
  ["AlreadyReported", "The keeper already reported on this shard in this latency window"],
  ["ApprovalExpired", "The approved proposal's execution window is over"],
  ["TooManyKeepers", "No longer returned (proposals hold no per-keeper data); the code stays reserved"],
  ["DuplicateAccount", "The same account was passed in two roles"],
  ["MarketDurationTooLong", "The resolution deadline is beyond the configured maximum market duration"],
  ["MarketNotClosable", "The market is not settled, or claims are outstanding within the grace period"],
  ["InvalidMint", "The mint is not the collateral mint, or not an initialized mint of the collateral's token program"],
  ["InvalidTokenProgram", "The token program is not SPL Token or Token-2022, or not the collateral's token program"],
  ["UnsupportedMintExtension", "The mint has a Token-2022 extension that changes amounts or can block the program's transfers"],
  ["InvalidTokenAccount", "The account is not an initialized token account of the collateral's token program"],
  ["TokenAccountMintMismatch", "The token account holds another mint than the collateral mint"],
  ["TokenAccountOwnerMismatch", "The token account is not owned by the signer it pays or credits"],
  ["TokenAccountFrozen", "The token account is frozen"],
  ["InvalidVault", "The token account is not the shard's vault"],
  ["InvalidDirection", "The trade's direction kind is not Range, Shape or Unwind"],
  ["InvalidUnwindFraction", "The unwind fraction must be in 1..=1e9"],
  ["NothingToUnwind", "The position has nothing to unwind"],
  ["StaleQuote", "The market traded since the quote (expected_trade_index)"],
  ["FeeTooHigh", "The market fee exceeds MAX_FEE_BPS (1,000 bps)"],
  ["TooManyOpenVotes", "The keeper already voted on MAX_OPEN_VOTES proposals whose voting windows are open"],
] as const;

export type ContinuumErrorName = (typeof CONTINUUM_ERRORS)[number][0];

/** Custom error code of a named program error. */
export function errorCode(name: ContinuumErrorName): number {
  const index = CONTINUUM_ERRORS.findIndex(([n]) => n === name);
  if (index < 0) throw new Error(`unknown error ${name}`);
  return ERROR_CODE_OFFSET + index;
}

/** Name of a custom error code, or undefined if it is not a Continuum error. */
export function errorName(code: number): ContinuumErrorName | undefined {
  return CONTINUUM_ERRORS[code - ERROR_CODE_OFFSET]?.[0];
}

/** Extracts the custom error code from transaction logs (`custom program error: 0x1770`). */
export function customErrorFromLogs(logs: readonly string[]): number | undefined {
  for (const line of logs) {
    const m = /custom program error: 0x([0-9a-fA-F]+)/.exec(line);
    if (m) return parseInt(m[1]!, 16);
  }
  return undefined;
}
