import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { ByteWriter } from "../codec.js";
import {
  DEFAULT_CONTENTION_THRESHOLD_US,
  DEFAULT_EXECUTION_WINDOW_SLOTS,
  DEFAULT_LATENCY_QUORUM_BPS,
  DEFAULT_MAX_MARKET_DURATION_SECONDS,
  DEFAULT_SETTLEMENT_GRACE_SECONDS,
  DEFAULT_VOTE_THRESHOLD_BPS,
  DEFAULT_VOTING_WINDOW_SLOTS,
  PROGRAM_ID,
} from "../constants.js";
import { instructionDiscriminator } from "../discriminators.js";
import { findConfigPda, findProgramDataAddress } from "../pda.js";
import type { Collateral } from "../collateral.js";
import { ro, signer, SYSTEM, w } from "./meta.js";

/** Arguments of `initialize_config` (borsh order). */
export interface InitializeConfigArgs {
  shardCount: number;
  voteThresholdBps: number;
  contentionThresholdUs: number;
  votingWindowSlots: bigint;
  proposalCooldownSlots: bigint;
  unstakeCooldownSlots: bigint;
  minKeeperStake: bigint;
  loadThresholdMilliWrites: bigint;
  executionWindowSlots: bigint;
  maxMarketDurationSeconds: bigint;
  settlementGraceSeconds: bigint;
  latencyQuorumBps: number;
}

/** Sensible defaults (docs/design.md §3): 66.7% of stake within 100 slots, 1,500 us contention. */
export const DEFAULT_CONFIG_ARGS: InitializeConfigArgs = {
  shardCount: 8,
  voteThresholdBps: DEFAULT_VOTE_THRESHOLD_BPS,
  contentionThresholdUs: DEFAULT_CONTENTION_THRESHOLD_US,
  votingWindowSlots: DEFAULT_VOTING_WINDOW_SLOTS,
  proposalCooldownSlots: 50n,
  unstakeCooldownSlots: 200n,
  minKeeperStake: 1_000_000_000n,
  loadThresholdMilliWrites: 4_000n,
  executionWindowSlots: DEFAULT_EXECUTION_WINDOW_SLOTS,
  maxMarketDurationSeconds: DEFAULT_MAX_MARKET_DURATION_SECONDS,
  settlementGraceSeconds: DEFAULT_SETTLEMENT_GRACE_SECONDS,
  latencyQuorumBps: DEFAULT_LATENCY_QUORUM_BPS,
};

export const INITIALIZE_CONFIG_DISCRIMINATOR = instructionDiscriminator("initialize_config");
export const INITIALIZE_CONFIG_ARGS_LEN = 73;

/** Serializes `initialize_config` instruction data. */
export function encodeInitializeConfig(args: InitializeConfigArgs): Buffer {
  return new ByteWriter(8 + INITIALIZE_CONFIG_ARGS_LEN)
    .raw(INITIALIZE_CONFIG_DISCRIMINATOR)
    .u8(args.shardCount)
    .u16(args.voteThresholdBps)
    .u32(args.contentionThresholdUs)
    .u64(args.votingWindowSlots)
    .u64(args.proposalCooldownSlots)
    .u64(args.unstakeCooldownSlots)
    .u64(args.minKeeperStake)
    .u64(args.loadThresholdMilliWrites)
    .u64(args.executionWindowSlots)
    .u64(args.maxMarketDurationSeconds)
    .u64(args.settlementGraceSeconds)
    .u16(args.latencyQuorumBps)
    .finish();
}

/**
 * `initialize_config`. Accounts: admin (signer, writable; must be the program's upgrade
 * authority), config PDA `["config"]` (writable), the program account, its ProgramData account
 * (`findProgramDataAddress`), system program, the collateral mint, its token program. The
 * mint (SPL Token or Token-2022, without extensions that change amounts or block transfers)
 * holds every market's money from then on.
 */
export function initializeConfigInstruction(
  admin: PublicKey,
  collateral: Pick<Collateral, "mint" | "tokenProgram">,
  args: InitializeConfigArgs = DEFAULT_CONFIG_ARGS,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const [config] = findConfigPda(programId);
  return new TransactionInstruction({
    programId,
    keys: [
      signer(admin),
      w(config),
      ro(programId),
      ro(findProgramDataAddress(programId)),
      SYSTEM,
      ro(collateral.mint),
      ro(collateral.tokenProgram),
    ],
    data: encodeInitializeConfig(args),
  });
}
