import { sha256 } from "@noble/hashes/sha2";

/** Anchor instruction discriminator: `sha256("global:<snake_name>")[..8]`. */
export function instructionDiscriminator(snakeName: string): Uint8Array {
  return sha256(new TextEncoder().encode(`global:${snakeName}`)).slice(0, 8);
}

/** Anchor account discriminator: `sha256("account:<PascalName>")[..8]`. */
export function accountDiscriminator(pascalName: string): Uint8Array {
  return sha256(new TextEncoder().encode(`account:${pascalName}`)).slice(0, 8);
}

/** Anchor event discriminator: `sha256("event:<PascalName>")[..8]`. */
export function eventDiscriminator(pascalName: string): Uint8Array {
  return sha256(new TextEncoder().encode(`event:${pascalName}`)).slice(0, 8);
}

/** Every instruction the program accepts, by snake_case name. */
export const INSTRUCTION_NAMES = [
  "initialize_config",
  "init_shard",
  "register_market",
  "deposit_collateral",
  "register_keeper",
  "unregister_keeper",
  "withdraw_stake",
  "report_contention",
  "propose_rebalance",
  "vote_rebalance",
  "execute_rebalance",
  "close_proposal",
  "withdraw_collateral",
  "create_market",
  "edit_distribution",
  "open_market",
  "trade",
  "resolve_market",
  "claim",
  "claim_lp",
  "cancel_market",
  "close_market",
] as const;
export type InstructionName = (typeof INSTRUCTION_NAMES)[number];

/** Every account type the program writes, by PascalCase name. */
export const ACCOUNT_NAMES = ["Config", "Shard", "Market", "Keeper", "RebalanceProposal", "Position"] as const;
export type AccountName = (typeof ACCOUNT_NAMES)[number];

/** Every event the program emits, by PascalCase name. */
export const EVENT_NAMES = [
  "MarketRegistered",
  "CollateralDeposited",
  "KeeperRegistered",
  "RebalanceProposed",
  "RebalanceVoted",
  "MarketMigrated",
  "RebalanceExecuted",
  "CollateralWithdrawn",
  "MarketCreated",
  "DistributionEdited",
  "MarketOpened",
  "TradeExecuted",
  "MarketResolved",
  "PositionClaimed",
  "LpClaimed",
  "MarketCancelled",
  "MarketClosed",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];
