import { keccak_256 } from "@noble/hashes/sha3";
import { marketKeyBytes, type MarketKey } from "../pda.js";

/**
 * The shard a market key is assigned to: `keccak256(market_key)[0] % shardCount`, the same
 * value the program computes with the `sol_keccak256` syscall (before any rebalance override;
 * a market's current shard is `Market.shardId`).
 */
export function assignShard(marketKey: MarketKey, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 255) {
    throw new Error(`shardCount must be in 1..=255, got ${shardCount}`);
  }
  return keccak_256(marketKeyBytes(marketKey))[0]! % shardCount;
}
