/** Decoders of the AMM's Anchor events (payload layouts in `programs/continuum/src/amm/events.rs`). */
import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { eventPayloads } from "../events.js";

export interface TradeEvent {
  market: PublicKey;
  trader: PublicKey;
  i0: number;
  i1: number;
  t: bigint;
  c: bigint;
  collateral: bigint;
  tradeIndex: bigint;
}

export interface ClaimEvent {
  market: PublicKey;
  /** The position owner (PositionClaimed) or the market authority (LpClaimed). */
  recipient: PublicKey;
  amount: bigint;
  /** Floor remainder of the interpolated claim, in `1 / step` lamport. */
  remainder: bigint;
}

/** `TradeEvent`s in the logs. */
export function decodeTradeEvents(logs: readonly string[]): TradeEvent[] {
  return eventPayloads(logs, "TradeEvent").map((p) => {
    const r = new ByteReader(p);
    return {
      market: new PublicKey(r.bytes(0, 32)),
      trader: new PublicKey(r.bytes(32, 32)),
      i0: r.u32(64),
      i1: r.u32(68),
      t: r.u64(72),
      c: r.u64(80),
      collateral: r.u64(88),
      tradeIndex: r.u64(96),
    };
  });
}

/** `PositionClaimed` (or, with `lp`, `LpClaimed`) events in the logs. */
export function decodeClaimEvents(logs: readonly string[], lp = false): ClaimEvent[] {
  return eventPayloads(logs, lp ? "LpClaimed" : "PositionClaimed").map((p) => {
    const r = new ByteReader(p);
    return {
      market: new PublicKey(r.bytes(0, 32)),
      recipient: new PublicKey(r.bytes(32, 32)),
      amount: r.u64(64),
      remainder: r.u64(72),
    };
  });
}

export interface MarketClosedEvent {
  market: PublicKey;
  authority: PublicKey;
  /** Lamports of the market's vault paid off the shard to the authority (dust, or unclaimed payouts after the grace period). */
  vault: bigint;
  /** Lamports of the market account's rent paid to the authority. */
  rent: bigint;
}

/** `MarketClosed` events in the logs. */
export function decodeMarketClosedEvents(logs: readonly string[]): MarketClosedEvent[] {
  return eventPayloads(logs, "MarketClosed").map((p) => {
    const r = new ByteReader(p);
    return {
      market: new PublicKey(r.bytes(0, 32)),
      authority: new PublicKey(r.bytes(32, 32)),
      vault: r.u64(64),
      rent: r.u64(72),
    };
  });
}
