/**
 * Quotes against live AMM markets: `priceDistributionBet` (DESIGN §4's
 * `price_distribution_bet`) returns the bit-exact quote of a range bet together with the
 * `trade` instruction (range direction) that executes it, and `editedDistribution` computes the
 * canonical scale hint of an `edit_distribution`.
 */
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { Collateral } from "../collateral.js";
import { PROGRAM_ID } from "../constants.js";
import { marketGrid, type AmmMarketAccount } from "../accounts/amm.js";
import { tradeInstruction, type DistributionEdit } from "../instructions/amm.js";
import { MathError } from "../math/errors.js";
import { project, type Projection } from "../math/project.js";
import { checkNormalSigma, shapeValues } from "../math/shapes.js";
import { quoteRangeBet, type RangeBetQuote } from "../math/quote.js";

/** A range on the market's grid: indices (inclusive) or outcome values. */
export type BetRange = { i0: number; i1: number } | { from: bigint; to: bigint };

/**
 * Grid indices of a range: indices pass through; outcomes `[from, to]` become the grid points
 * inside it (`i0 = ceil((from - lo) / step)`, `i1 = floor((to - lo) / step)`, clamped to the
 * grid). `InvalidRange` if no grid point lies inside.
 */
export function rangeIndices(market: Pick<AmmMarketAccount, "lo" | "hi" | "step" | "nPoints">, range: BetRange): { i0: number; i1: number } {
  if ("i0" in range) return range;
  const { lo, hi, step } = market;
  const from = range.from < lo ? lo : range.from;
  const to = range.to > hi ? hi : range.to;
  if (from > to) throw new MathError("InvalidRange");
  const i0 = Number((from - lo + step - 1n) / step);
  const i1 = Number((to - lo) / step);
  if (i0 > i1) throw new MathError("InvalidRange");
  return { i0, i1 };
}

/** Options of [`priceDistributionBet`]. */
export interface PriceOptions {
  /** Slippage bound sent on chain (default: exactly the quoted collateral). */
  maxCollateral?: bigint;
  programId?: PublicKey;
}

/** A quote and the instruction that executes it. */
export interface PricedBet {
  quote: RangeBetQuote;
  range: { i0: number; i1: number };
  instruction: TransactionInstruction;
}

/** Quotes a range bet of `amount` lamports on a decoded market (no instruction). */
export function quoteMarketBet(market: AmmMarketAccount, amount: bigint, range: BetRange): RangeBetQuote {
  const { i0, i1 } = rangeIndices(market, range);
  return quoteRangeBet(market.curve, { b: market.b, budget: market.normSqBudget, i0, i1, amount });
}

/**
 * Prices a range bet of `amount` base units on `range` against the market's current curve and
 * builds the `trade` instruction (range direction, a buy) for `trader`. The program recomputes
 * `g` and the collateral bit for bit from `(t, c)`; `maxCollateral` (sent as `max_in`) defaults
 * to the quoted collateral, so a curve that moved in between makes the trade fail
 * (`SlippageExceeded` or `NotCanonical`) instead of filling at a different price. The quote is
 * this trade's own worst case: a position's netted payment is at most that, plus the market's
 * fee (on a market with `feeBps > 0`, pass a `maxCollateral` that includes it).
 */
export function priceDistributionBet(
  market: AmmMarketAccount,
  marketAddress: PublicKey,
  trader: PublicKey,
  amount: bigint,
  range: BetRange,
  collateral: Collateral,
  opts: PriceOptions = {},
): PricedBet {
  const r = rangeIndices(market, range);
  const quote = quoteMarketBet(market, amount, r);
  const instruction = tradeInstruction(
    { trader, market: marketAddress, shardId: market.shardId, collateral, programId: opts.programId ?? PROGRAM_ID },
    {
      direction: { kind: "range", i0: r.i0, i1: r.i1 },
      t: quote.t,
      c: quote.c,
      maxIn: opts.maxCollateral ?? quote.collateral,
      minOut: 0n,
    },
  );
  return { quote, range: r, instruction };
}

/** The curve and canonical scale `edit_distribution` will produce for `edit` on `market`. */
export function editedDistribution(market: AmmMarketAccount, edit: DistributionEdit): Projection {
  let h: bigint[];
  if (edit.kind === "drag") {
    if (edit.index < 0 || edit.index >= market.nPoints) throw new MathError("InvalidRange");
    h = [...market.curve];
    h[edit.index] = edit.value;
  } else {
    if (edit.shape.kind === "Normal") checkNormalSigma(edit.shape.sigma1e9, market.k, market.b);
    h = shapeValues(marketGrid(market), edit.shape, edit.points ?? []);
  }
  return project(h, market.b, market.normSqBudget);
}
