/**
 * Instruction builders of the sharding slice: shards, market registration, collateral, keepers,
 * contention reports and stake-weighted rebalancing. Account order and argument layout follow
 * the doc comments of `programs/continuum/src/instructions/<name>.rs`.
 */
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { ByteWriter } from "../codec.js";
import { MAX_PROPOSAL_MARKETS, PROGRAM_ID } from "../constants.js";
import { instructionDiscriminator } from "../discriminators.js";
import {
  findConfigPda,
  findKeeperPda,
  findMarketPda,
  findProposalPda,
  findShardPda,
  findVaultPda,
  marketKeyBytes,
  type MarketKey,
} from "../pda.js";
import { assignShard } from "../sharding/assign.js";
import { collateralAccounts, type Collateral } from "../collateral.js";
import { newMarketAccounts, ro, signer, SYSTEM, w } from "./meta.js";

export const INIT_SHARD_DISCRIMINATOR = instructionDiscriminator("init_shard");
export const REGISTER_MARKET_DISCRIMINATOR = instructionDiscriminator("register_market");
export const DEPOSIT_COLLATERAL_DISCRIMINATOR = instructionDiscriminator("deposit_collateral");
export const REGISTER_KEEPER_DISCRIMINATOR = instructionDiscriminator("register_keeper");
export const UNREGISTER_KEEPER_DISCRIMINATOR = instructionDiscriminator("unregister_keeper");
export const WITHDRAW_STAKE_DISCRIMINATOR = instructionDiscriminator("withdraw_stake");
export const REPORT_CONTENTION_DISCRIMINATOR = instructionDiscriminator("report_contention");
export const PROPOSE_REBALANCE_DISCRIMINATOR = instructionDiscriminator("propose_rebalance");
export const VOTE_REBALANCE_DISCRIMINATOR = instructionDiscriminator("vote_rebalance");
export const EXECUTE_REBALANCE_DISCRIMINATOR = instructionDiscriminator("execute_rebalance");
export const CLOSE_PROPOSAL_DISCRIMINATOR = instructionDiscriminator("close_proposal");


/**
 * `init_shard(shard_id)`: admin (signer, w), config, shard PDA (w), system program, the shard's
 * vault PDA `["vault", [shard_id]]` (w; created as a token account of the collateral), the
 * collateral mint, its token program.
 */
export function initShardInstruction(
  admin: PublicKey,
  shardId: number,
  collateral: Pick<Collateral, "mint" | "tokenProgram">,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      signer(admin),
      ro(findConfigPda(programId)[0]),
      w(findShardPda(shardId, programId)[0]),
      SYSTEM,
      w(findVaultPda(shardId, programId)[0]),
      ro(collateral.mint),
      ro(collateral.tokenProgram),
    ],
    data: new ByteWriter(9).raw(INIT_SHARD_DISCRIMINATOR).u8(shardId).finish(),
  });
}

/**
 * `register_market(market_key)`: authority (signer, w), config (w), assigned shard (w), market
 * PDA (w), system program, market key (signer). `marketKey` is the market keypair
 * (`generateMarketKey`), which must also sign the transaction; a bare public key builds the
 * instruction for a transaction the key holder signs elsewhere. The shard is
 * `assignShard(marketKey, shardCount)` unless `shardId` is given (tests pass a wrong one on
 * purpose).
 */
export function registerMarketInstruction(
  authority: PublicKey,
  marketKey: MarketKey,
  shardCount: number,
  opts: { shardId?: number; programId?: PublicKey } = {},
): TransactionInstruction {
  const programId = opts.programId ?? PROGRAM_ID;
  const key = marketKeyBytes(marketKey);
  const shardId = opts.shardId ?? assignShard(key, shardCount);
  return new TransactionInstruction({
    programId,
    keys: newMarketAccounts(authority, key, shardId, programId),
    data: new ByteWriter(40).raw(REGISTER_MARKET_DISCRIMINATOR).raw(key).finish(),
  });
}

/**
 * `deposit_collateral(amount)`: authority (signer, w), market (w), its current shard (w), then
 * the money accounts (`collateralAccounts`: the authority's token account, which pays, the
 * shard's vault, the mint, the token program). `amount` in base units.
 */
export function depositCollateralInstruction(
  authority: PublicKey,
  marketKey: MarketKey,
  shardId: number,
  amount: bigint,
  collateral: Collateral,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      signer(authority),
      w(findMarketPda(marketKey, programId)[0]),
      w(findShardPda(shardId, programId)[0]),
      ...collateralAccounts(authority, shardId, collateral, { programId }),
    ],
    data: new ByteWriter(16).raw(DEPOSIT_COLLATERAL_DISCRIMINATOR).u64(amount).finish(),
  });
}

export const WITHDRAW_COLLATERAL_DISCRIMINATOR = instructionDiscriminator("withdraw_collateral");

/**
 * `withdraw_collateral(amount)`: authority (signer, w), market (w), its current shard (w), then
 * the money accounts (the authority's token account receives `amount` base units).
 * Registered (sharding-only) markets only.
 */
export function withdrawCollateralInstruction(
  authority: PublicKey,
  marketKey: MarketKey,
  shardId: number,
  amount: bigint,
  collateral: Collateral,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      signer(authority),
      w(findMarketPda(marketKey, programId)[0]),
      w(findShardPda(shardId, programId)[0]),
      ...collateralAccounts(authority, shardId, collateral, { programId }),
    ],
    data: new ByteWriter(16).raw(WITHDRAW_COLLATERAL_DISCRIMINATOR).u64(amount).finish(),
  });
}

/**
 * `register_keeper(stake, bump)`: authority (signer, w), keeper PDA at the canonical bump (w),
 * config (w), system program.
 */
export function registerKeeperInstruction(
  authority: PublicKey,
  stake: bigint,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const [keeper, bump] = findKeeperPda(authority, programId);
  return new TransactionInstruction({
    programId,
    keys: [signer(authority), w(keeper), w(findConfigPda(programId)[0]), SYSTEM],
    data: new ByteWriter(17).raw(REGISTER_KEEPER_DISCRIMINATOR).u64(stake).u8(bump).finish(),
  });
}

/** `unregister_keeper`: authority (signer), keeper (w), config (w). */
export function unregisterKeeperInstruction(authority: PublicKey, programId: PublicKey = PROGRAM_ID): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [signer(authority, false), w(findKeeperPda(authority, programId)[0]), w(findConfigPda(programId)[0])],
    data: Buffer.from(UNREGISTER_KEEPER_DISCRIMINATOR),
  });
}

/** `withdraw_stake`: authority (signer, w), keeper (w), config. */
export function withdrawStakeInstruction(authority: PublicKey, programId: PublicKey = PROGRAM_ID): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [signer(authority), w(findKeeperPda(authority, programId)[0]), ro(findConfigPda(programId)[0])],
    data: Buffer.from(WITHDRAW_STAKE_DISCRIMINATOR),
  });
}

/**
 * `report_contention(shard_id, write_time_us)`: authority (signer), keeper (w), config, shard
 * (w), the reported market's Market account (on that shard). One report per keeper, shard and
 * latency window; `writeTimeUs` in 1..=`MAX_LATENCY_SAMPLE_US`.
 */
export function reportContentionInstruction(
  authority: PublicKey,
  shardId: number,
  writeTimeUs: number,
  marketKey: MarketKey,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      signer(authority, false),
      w(findKeeperPda(authority, programId)[0]),
      ro(findConfigPda(programId)[0]),
      w(findShardPda(shardId, programId)[0]),
      ro(findMarketPda(marketKey, programId)[0]),
    ],
    data: new ByteWriter(13).raw(REPORT_CONTENTION_DISCRIMINATOR).u8(shardId).u32(writeTimeUs).finish(),
  });
}

/** What `propose_rebalance` proposes. */
export interface RebalancePlan {
  from: number;
  to: number;
  /** 1..=8 market keys on `from`, in execution order. */
  markets: MarketKey[];
}

/**
 * `propose_rebalance(from, to, bump)`: proposer (signer, w), keeper (w), config (w), from shard,
 * to shard (both read-only: a proposal doesn't lock the hot shard), proposal PDA for id
 * `proposalId` (= `Config.proposal_count`) at its canonical bump (w), system program, then the
 * markets' Market accounts.
 */
export function proposeRebalanceInstruction(
  proposer: PublicKey,
  plan: RebalancePlan,
  proposalId: bigint,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  if (plan.markets.length > MAX_PROPOSAL_MARKETS) throw new Error(`at most ${MAX_PROPOSAL_MARKETS} markets`);
  const [proposal, bump] = findProposalPda(proposalId, programId);
  return new TransactionInstruction({
    programId,
    keys: [
      signer(proposer),
      w(findKeeperPda(proposer, programId)[0]),
      w(findConfigPda(programId)[0]),
      ro(findShardPda(plan.from, programId)[0]),
      ro(findShardPda(plan.to, programId)[0]),
      w(proposal),
      SYSTEM,
      ...plan.markets.map((m) => ro(findMarketPda(m, programId)[0])),
    ],
    data: new ByteWriter(11).raw(PROPOSE_REBALANCE_DISCRIMINATOR).u8(plan.from).u8(plan.to).u8(bump).finish(),
  });
}

/** `vote_rebalance(approve)`: authority (signer), keeper (w), proposal (w). Creates nothing. */
export function voteRebalanceInstruction(
  authority: PublicKey,
  proposalId: bigint,
  approve: boolean,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [signer(authority, false), w(findKeeperPda(authority, programId)[0]), w(findProposalPda(proposalId, programId)[0])],
    data: new ByteWriter(9).raw(VOTE_REBALANCE_DISCRIMINATOR).bool(approve).finish(),
  });
}

/**
 * `execute_rebalance`: proposal (w), from shard (w), to shard (w), from shard's vault (w), to
 * shard's vault (w), the collateral mint, its token program, then the proposal's Market
 * accounts (w) in proposal order. The markets' whole balances move between the two vaults in
 * this instruction. Permissionless: any fee payer sends it.
 */
export function executeRebalanceInstruction(
  proposalId: bigint,
  plan: RebalancePlan,
  collateral: Pick<Collateral, "mint" | "tokenProgram">,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      w(findProposalPda(proposalId, programId)[0]),
      w(findShardPda(plan.from, programId)[0]),
      w(findShardPda(plan.to, programId)[0]),
      w(findVaultPda(plan.from, programId)[0]),
      w(findVaultPda(plan.to, programId)[0]),
      ro(collateral.mint),
      ro(collateral.tokenProgram),
      ...plan.markets.map((m) => w(findMarketPda(m, programId)[0])),
    ],
    data: Buffer.from(EXECUTE_REBALANCE_DISCRIMINATOR),
  });
}

/** `close_proposal`: proposer (w, receives the rent), proposal (w). Permissionless. */
export function closeProposalInstruction(
  proposer: PublicKey,
  proposalId: bigint,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [w(proposer), w(findProposalPda(proposalId, programId)[0])],
    data: Buffer.from(CLOSE_PROPOSAL_DISCRIMINATOR),
  });
}
