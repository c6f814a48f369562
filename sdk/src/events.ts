/**
 * Decoders for the program's Anchor events (`Program data: <base64>` log lines, each
 * `sha256("event:<Name>")[..8]` + borsh payload).
 */
import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "./codec.js";
import { eventDiscriminator, type EventName } from "./discriminators.js";

export interface MarketMigratedEvent {
  proposalId: bigint;
  marketKey: Uint8Array;
  fromShard: number;
  toShard: number;
  vaultAmount: bigint;
  stateHashBefore: Uint8Array;
  stateHashAfter: Uint8Array;
}

export interface RebalanceExecutedEvent {
  proposalId: bigint;
  fromShard: number;
  toShard: number;
  marketCount: number;
  amountMoved: bigint;
}

export interface RebalanceVotedEvent {
  proposalId: bigint;
  /** The voting keeper's authority. */
  keeper: PublicKey;
  approve: boolean;
  /** The vote's weight (the keeper's stake), lamports. */
  weight: bigint;
  /** Stake for the proposal after this vote, lamports. */
  yesStake: bigint;
  /** Stake against it after this vote, lamports. */
  noStake: bigint;
}

export interface MarketRegisteredEvent {
  marketKey: Uint8Array;
  market: PublicKey;
  shardId: number;
  shardMarketCount: bigint;
}

/** Raw event payloads (after the discriminator) with the given name, in log order. */
export function eventPayloads(logs: readonly string[], name: EventName): Uint8Array[] {
  const disc = eventDiscriminator(name);
  const out: Uint8Array[] = [];
  for (const line of logs) {
    const m = /^Program data: (.+)$/.exec(line);
    if (!m) continue;
    const bytes = Uint8Array.from(Buffer.from(m[1]!, "base64"));
    if (bytes.length >= 8 && disc.every((b, i) => bytes[i] === b)) out.push(bytes.slice(8));
  }
  return out;
}

/** `MarketMigrated` events in the logs. */
export function decodeMarketMigratedEvents(logs: readonly string[]): MarketMigratedEvent[] {
  return eventPayloads(logs, "MarketMigrated").map((p) => {
    const r = new ByteReader(p);
    return {
      proposalId: r.u64(0),
      marketKey: r.bytes(8, 32),
      fromShard: r.u8(40),
      toShard: r.u8(41),
      vaultAmount: r.u64(42),
      stateHashBefore: r.bytes(50, 32),
      stateHashAfter: r.bytes(82, 32),
    };
  });
}

/** `RebalanceExecuted` events in the logs. */
export function decodeRebalanceExecutedEvents(logs: readonly string[]): RebalanceExecutedEvent[] {
  return eventPayloads(logs, "RebalanceExecuted").map((p) => {
    const r = new ByteReader(p);
    return { proposalId: r.u64(0), fromShard: r.u8(8), toShard: r.u8(9), marketCount: r.u8(10), amountMoved: r.u64(11) };
  });
}

/** `RebalanceVoted` events in the logs. */
export function decodeRebalanceVotedEvents(logs: readonly string[]): RebalanceVotedEvent[] {
  return eventPayloads(logs, "RebalanceVoted").map((p) => {
    const r = new ByteReader(p);
    return {
      proposalId: r.u64(0),
      keeper: new PublicKey(r.bytes(8, 32)),
      approve: r.u8(40) !== 0,
      weight: r.u64(41),
      yesStake: r.u64(49),
      noStake: r.u64(57),
    };
  });
}

/** `MarketRegistered` events in the logs. */
export function decodeMarketRegisteredEvents(logs: readonly string[]): MarketRegisteredEvent[] {
  return eventPayloads(logs, "MarketRegistered").map((p) => {
    const r = new ByteReader(p);
    return { marketKey: r.bytes(0, 32), market: new PublicKey(r.bytes(32, 32)), shardId: r.u8(64), shardMarketCount: r.u64(65) };
  });
}
