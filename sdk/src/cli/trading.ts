/**
 * Every use of trading by the CLI, in one place: quotes and the instructions that execute them.
 *
 * The general `trade` instruction (sell, Normal belief, unwind, fees; docs/design.md §4) is
 * reached through the SDK's `tradeInstruction` / `quoteTrade` / `quoteUnwind` / `priceTrade`.
 * A build without them trades range buys through `trade_range_bet` (`priceDistributionBet`)
 * and refuses the other kinds with a named error, never a guess at their price.
 */
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { AmmMarketAccount, PositionAccount } from "../accounts/amm.js";
import { priceDistributionBet, quoteMarketBet, rangeIndices, type BetRange } from "../amm/price.js";
import type { Collateral } from "../collateral.js";
import { createCollateralTokenAccountInstruction } from "../collateral.js";
import type { CreateMarketParams } from "../instructions/amm.js";
import type { NormalParams } from "../math/shapes.js";
import { CliError } from "./errors.js";
import { outcomeAt } from "./markets.js";

/** What a trader asks for. Amounts are base units of the collateral mint. */
export type TradeIntent =
  | { kind: "range"; side: "buy" | "sell"; range: BetRange; amount: bigint }
  | { kind: "normal"; belief: NormalParams; amount: bigint }
  | { kind: "unwind"; fraction1e9: bigint };

/** Which trades this build can execute (the rest wait for the general `trade` instruction). */
export const TRADE_SUPPORT = { rangeBuy: true, rangeSell: false, normal: false, unwind: false, fees: false } as const;

/** A quote as the CLI shows it, whatever the kind. Amounts in base units, probabilities 1e9. */
export interface TradeQuoteView {
  kind: TradeIntent["kind"];
  side: "buy" | "sell";
  /** Grid indices and outcomes of a range trade (null otherwise). */
  range: { i0: number; i1: number; from: bigint; to: bigint } | null;
  t: bigint;
  c: bigint;
  /** What the trader pays (fee included), 0 for a refund. */
  pay: bigint;
  /** What the trader gets back, 0 for a payment. */
  refund: bigint;
  fee: bigint;
  /** The position's collateral before and after. */
  collateralBefore: bigint;
  collateralAfter: bigint;
  /** Probability of the range (or belief) under the curve before and after, 1e9 (null for an unwind). */
  probabilityBefore: bigint | null;
  probabilityAfter: bigint | null;
  /** Expected loss under the market's belief, rounded up (signed). */
  expectedCost: bigint;
  /** Worst payout inside the range and best outside (range buys). */
  payoffInRange: bigint | null;
  payoffOutOfRange: bigint | null;
  curveBefore: bigint[];
  curveAfter: bigint[];
  /** The position's payoff vector after the trade (`P + g - f`). */
  payoffAfter: bigint[];
  /** `Market.trade_count` the quote saw. */
  tradeIndex: bigint;
}

/** The error of a trade kind this build can't execute. */
function waiting(what: string): CliError {
  return new CliError(`${what} needs the general trade instruction (tradeInstruction, quoteTrade, quoteUnwind), which this build does not have yet`);
}

function assertSupported(intent: TradeIntent): void {
  if (intent.kind === "range" && intent.side === "sell" && !TRADE_SUPPORT.rangeSell) throw waiting("selling a range");
  if (intent.kind === "normal" && !TRADE_SUPPORT.normal) throw waiting("a Normal-belief trade");
  if (intent.kind === "unwind" && !TRADE_SUPPORT.unwind) throw waiting("an unwind");
}

/** Quotes `intent` on the market's current curve for a trader holding `position`. */
export function quoteIntent(market: AmmMarketAccount, position: PositionAccount | null, intent: TradeIntent): TradeQuoteView {
  assertSupported(intent);
  if (intent.kind !== "range") throw waiting(intent.kind);
  const r = rangeIndices(market, intent.range);
  const q = quoteMarketBet(market, intent.amount, r);
  const before = position?.collateral ?? 0n;
  const p = position?.payoff ?? new Array<bigint>(market.nPoints).fill(0n);
  return {
    kind: "range",
    side: "buy",
    range: { ...r, from: outcomeAt(market, r.i0), to: outcomeAt(market, r.i1) },
    t: q.t,
    c: q.c,
    pay: q.collateral,
    refund: 0n,
    fee: 0n,
    // trade_range_bet adds each trade's collateral to the position's.
    collateralBefore: before,
    collateralAfter: before + q.collateral,
    probabilityBefore: q.probabilityBefore,
    probabilityAfter: q.probabilityAfter,
    expectedCost: q.expectedCost,
    payoffInRange: q.payoffInRange,
    payoffOutOfRange: q.payoffOutOfRange,
    curveBefore: market.curve,
    curveAfter: q.curve,
    payoffAfter: p.map((v, i) => v + q.payoff[i]!),
    tradeIndex: market.tradeCount,
  };
}

/** Bounds the trader accepts on chain (default: exactly the quote). */
export interface TradeBounds {
  maxIn?: bigint;
  minOut?: bigint;
}

/**
 * The quote and the instructions that execute `intent` for `trader`: the trader's token
 * account (created if missing: the idempotent ATA instruction), then the trade.
 */
export function tradeInstructions(
  market: AmmMarketAccount,
  address: PublicKey,
  trader: PublicKey,
  intent: TradeIntent,
  collateral: Collateral,
  programId: PublicKey,
  position: PositionAccount | null,
  bounds: TradeBounds = {},
): { quote: TradeQuoteView; instructions: TransactionInstruction[] } {
  const quote = quoteIntent(market, position, intent);
  if (intent.kind !== "range") throw waiting(intent.kind);
  const maxIn = bounds.maxIn ?? quote.pay;
  if (maxIn < quote.pay) throw new CliError(`the quote costs ${quote.pay} base units, above --max-in ${maxIn}`);
  const priced = priceDistributionBet(market, address, trader, intent.amount, intent.range, collateral, { maxCollateral: maxIn, programId });
  return { quote, instructions: [createCollateralTokenAccountInstruction(trader, trader, collateral), priced.instruction] };
}

/** `create_market` parameters with a trading fee (only 0 until the general trade instruction). */
export function withTradingFee(params: CreateMarketParams, feeBps: number): CreateMarketParams {
  if (feeBps !== 0 && !TRADE_SUPPORT.fees) throw waiting("a trading fee (--fee-bps)");
  return params;
}
