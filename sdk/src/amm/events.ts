/** Decoders of the AMM's Anchor events (payload layouts in `programs/continuum/src/amm/events.rs`). */
import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { eventPayloads } from "../events.js";

/** `TradeExecuted`: every trade's receipt (`programs/continuum/src/amm/events.rs`). */
export interface TradeExecutedEvent {
  market: PublicKey;
  trader: PublicKey;
  /** Direction kind: 0 Range, 1 Shape, 2 Unwind (`TradeDirectionKind`). */
  kind: number;
  /** Signed size (an unwind's fraction at 1e9). */
  t: bigint;
  c: bigint;
  /** The position's netted collateral before (R) and after (R') the trade. */
  collateralBefore: bigint;
  collateralAfter: bigint;
  fee: bigint;
  /** Tokens the trader paid, and tokens refunded (one of them is 0). */
  amountIn: bigint;
  amountOut: bigint;
  /** The market's trade count after the trade. */
  tradeIndex: bigint;
}

/** Payload size of `TradeExecuted` (`TradeExecuted::DATA_LEN`). */
export const TRADE_EXECUTED_DATA_LEN = 129;

export interface ClaimEvent {
  market: PublicKey;
  /** The position owner (PositionClaimed) or the market authority (LpClaimed). */
  recipient: PublicKey;
  amount: bigint;
  /** Floor remainder of the interpolated claim, in `1 / step` lamport. */
  remainder: bigint;
}

/** `TradeExecuted` events in the logs. */
export function decodeTradeExecutedEvents(logs: readonly string[]): TradeExecutedEvent[] {
  return eventPayloads(logs, "TradeExecuted").map((p) => {
    if (p.length !== TRADE_EXECUTED_DATA_LEN) throw new Error(`TradeExecuted: ${p.length} bytes`);
    const r = new ByteReader(p);
    return {
      market: new PublicKey(r.bytes(0, 32)),
      trader: new PublicKey(r.bytes(32, 32)),
      kind: r.u8(64),
      t: r.i64(65),
      c: r.u64(73),
      collateralBefore: r.u64(81),
      collateralAfter: r.u64(89),
      fee: r.u64(97),
      amountIn: r.u64(105),
      amountOut: r.u64(113),
      tradeIndex: r.u64(121),
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
