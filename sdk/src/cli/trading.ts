/**
 * Every use of trading by the CLI, in one place: the trader's intent, its quote on the general
 * `trade` primitive (`quoteTrade` / `quoteUnwind`, the program's own computation) and the
 * instructions that execute exactly that quote (docs/design.md §4).
 *
 * Sizes: a buy (`market trade --range` / `--normal`) spends at most `--amount` (fee included:
 * the largest size whose payment fits); a sell (`market sell --range`) takes the smallest size
 * whose refund, after the fee, reaches `--amount`; an unwind sells `--fraction` of the position
 * back along its own payoff vector.
 */
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { AmmMarketAccount, PositionAccount } from "../accounts/amm.js";
import { rangeIndices, type BetRange } from "../amm/price.js";
import type { Collateral } from "../collateral.js";
import { createCollateralTokenAccountInstruction } from "../collateral.js";
import { tradeInstruction, type CreateMarketParams } from "../instructions/amm.js";
import type { NormalParams } from "../math/shapes.js";
import { quoteTrade, quoteUnwind, type TradeQuote, type TradeSize } from "../math/trade-quote.js";
import type { TradeDirectionInput } from "../math/trade-general.js";
import { CliError } from "./errors.js";
import { outcomeAt } from "./markets.js";

/** What a trader asks for. Amounts are base units of the collateral mint. */
export type TradeIntent =
  | { kind: "range"; side: "buy" | "sell"; range: BetRange; amount: bigint }
  | { kind: "normal"; belief: NormalParams; amount: bigint }
  | { kind: "unwind"; fraction1e9: bigint };

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
  /** What the trader gets back (after the fee), 0 for a payment. */
  refund: bigint;
  fee: bigint;
  /** The position's netted collateral `R` before and after. */
  collateralBefore: bigint;
  collateralAfter: bigint;
  /** Probability of the quote's region (the range, the belief's band, an unwind's winning points) before and after, 1e9. */
  probabilityBefore: bigint;
  probabilityAfter: bigint;
  /** Expected loss under the market's belief, fee included (signed, rounded up). */
  expectedCost: bigint;
  /** Range trades: the position's worst payout inside the range and best outside it, after the trade. */
  payoffInRange: bigint | null;
  payoffOutOfRange: bigint | null;
  curveBefore: bigint[];
  curveAfter: bigint[];
  /** The position's payoff vector after the trade (`P + g - f`). */
  payoffAfter: bigint[];
  /** `Market.trade_count` the quote saw (the instruction's expected trade index). */
  tradeIndex: bigint;
}

function directionOf(market: AmmMarketAccount, intent: Exclude<TradeIntent, { kind: "unwind" }>): TradeDirectionInput {
  if (intent.kind === "normal") return { kind: "shape", shape: { kind: "Normal", ...intent.belief } };
  return { kind: "range", ...rangeIndices(market, intent.range) };
}

function sizeOf(intent: Exclude<TradeIntent, { kind: "unwind" }>): TradeSize {
  return intent.kind === "range" && intent.side === "sell" ? { refund: intent.amount } : { budget: intent.amount };
}

/** The SDK quote of `intent` (named `MathError`s for anything the program would refuse). */
function quoteOf(market: AmmMarketAccount, position: PositionAccount | null, intent: TradeIntent): TradeQuote {
  if (intent.kind === "unwind") {
    if (position === null) throw new CliError("no position to unwind in this market (NothingToUnwind)");
    return quoteUnwind(market, position, intent.fraction1e9);
  }
  return quoteTrade(market, position, directionOf(market, intent), sizeOf(intent));
}

/** Worst payout `R' + P'_i` inside `[i0, i1]` and best outside it. */
function rangePayouts(q: TradeQuote, i0: number, i1: number): { inRange: bigint; outOfRange: bigint | null } {
  let inRange: bigint | null = null;
  let outOfRange: bigint | null = null;
  q.payoff.forEach((p, i) => {
    const v = q.collateralAfter + p;
    if (i >= i0 && i <= i1) inRange = inRange === null || v < inRange ? v : inRange;
    else outOfRange = outOfRange === null || v > outOfRange ? v : outOfRange;
  });
  return { inRange: inRange!, outOfRange };
}

/** Quotes `intent` on the market's current curve for a trader holding `position`. */
export function quoteIntent(market: AmmMarketAccount, position: PositionAccount | null, intent: TradeIntent): TradeQuoteView {
  return viewOf(market, intent, quoteOf(market, position, intent));
}

function viewOf(market: AmmMarketAccount, intent: TradeIntent, q: TradeQuote): TradeQuoteView {
  const r = intent.kind === "range" ? rangeIndices(market, intent.range) : null;
  const payouts = r ? rangePayouts(q, r.i0, r.i1) : null;
  return {
    kind: intent.kind,
    side: intent.kind === "range" ? intent.side : intent.kind === "unwind" ? "sell" : "buy",
    range: r ? { ...r, from: outcomeAt(market, r.i0), to: outcomeAt(market, r.i1) } : null,
    t: q.t,
    c: q.c,
    pay: q.amountIn,
    refund: q.amountOut,
    fee: q.fee,
    collateralBefore: q.collateralBefore,
    collateralAfter: q.collateralAfter,
    probabilityBefore: q.probabilityBefore,
    probabilityAfter: q.probabilityAfter,
    expectedCost: q.expectedCost,
    payoffInRange: payouts?.inRange ?? null,
    payoffOutOfRange: payouts?.outOfRange ?? null,
    curveBefore: market.curve,
    curveAfter: q.g,
    payoffAfter: q.payoff,
    tradeIndex: q.args.expectedTradeIndex,
  };
}

/** Bounds the trader accepts on chain (default: exactly the quote). */
export interface TradeBounds {
  maxIn?: bigint;
  minOut?: bigint;
}

/**
 * The quote and the instructions that execute `intent` for `trader`: the trader's token
 * account (created if missing: the idempotent ATA instruction), then the `trade` with the
 * quote's size, scale and trade index, and the slippage bounds (the quote's own amounts unless
 * `bounds` loosens them; a bound tighter than the quote fails here, unsent).
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
  const q = quoteOf(market, position, intent);
  const view = viewOf(market, intent, q);
  const paying = q.amountIn > 0n;
  const maxIn = paying ? (bounds.maxIn ?? q.amountIn) : 0n;
  const minOut = paying ? 0n : (bounds.minOut ?? q.amountOut);
  if (paying && maxIn < q.amountIn) throw new CliError(`the quote costs ${q.amountIn} base units, above --max-in ${maxIn}`);
  if (!paying && minOut > q.amountOut) throw new CliError(`the quote refunds ${q.amountOut} base units, below --min-out ${minOut}`);
  const trade = tradeInstruction(
    { trader, market: address, shardId: market.shardId, collateral, programId },
    { ...q.args, maxIn, minOut },
  );
  return { quote: view, instructions: [createCollateralTokenAccountInstruction(trader, trader, collateral), trade] };
}

/** `create_market` parameters with the market's trading fee (bps, bounded by the program: `FeeTooHigh`). */
export function withTradingFee(params: CreateMarketParams, feeBps: number): CreateMarketParams {
  return { ...params, feeBps };
}
