/**
 * The seeded random buys of the benchmark's random-market table (`scripts/bench-quote.ts`) and of
 * the kernel's work ceilings (`tests/math/quote-kernel.test.ts`): N = 101, market Normal (mean
 * anywhere, sigma 6-36% of the domain), k^2 = b^2 width / (2..13), belief Normal (mean anywhere,
 * sigma 3-23%), budget b / (20..219), fee 30 bps, fresh position; a range of 2-20% of the grid
 * anywhere on the same market from a second stream (so the belief draws stay those of earlier
 * runs). Draws without a canonical curve or with nothing to buy are skipped.
 */
import { normSqBudgetFromKSq, project, quoteTrade, shapeValues, type TradeDirectionInput, type TradeMarket } from "../../sdk/src/math/index.js";

/** One random buy: a market, a direction and a budget. */
export interface RandomBuy {
  m: TradeMarket;
  dir: TradeDirectionInput;
  budget: bigint;
  label: string;
}

/** Linear congruential stream in [0, 1) (the benchmark's, kept for comparable draws). */
function stream(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** `draws` attempts per cap, caps in the given order (one stream across them, as the table). */
export function randomBuys(caps: readonly bigint[], draws: number): Map<bigint, { beliefs: RandomBuy[]; ranges: RandomBuy[] }> {
  const rand = stream(7);
  const rangeRand = stream(11);
  const n = 101;
  const width = BigInt(10 * (n - 1));
  const grid = { lo: 0n, hi: width, n };
  const out = new Map<bigint, { beliefs: RandomBuy[]; ranges: RandomBuy[] }>();
  for (const b of caps) {
    const beliefs: RandomBuy[] = [];
    const ranges: RandomBuy[] = [];
    for (let trial = 0; trial < draws; trial++) {
      const h = shapeValues(grid, { kind: "Normal", mean1e9: BigInt(Math.floor(rand() * 1000)) * 10n ** 9n, sigma1e9: BigInt(60 + Math.floor(rand() * 300)) * 10n ** 9n });
      const normSqBudget = normSqBudgetFromKSq((b * b * width) / BigInt(2 + Math.floor(rand() * 12)), 10n);
      let curve: bigint[];
      try {
        curve = project(h, b, normSqBudget).curve;
      } catch {
        continue; // no canonical curve for this k
      }
      const m: TradeMarket = { curve, b, normSqBudget, lo: 0n, hi: width, nPoints: n, feeBps: 30n, tradeCount: 0n };
      const mean = Math.floor(rand() * 1000);
      const sigma = 30 + Math.floor(rand() * 200);
      const dir: TradeDirectionInput = { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(mean) * 10n ** 9n, sigma1e9: BigInt(sigma) * 10n ** 9n } };
      const div = BigInt(20 + Math.floor(rand() * 200));
      if (!buys(m, dir, b / div)) continue;
      beliefs.push({ m, dir, budget: b / div, label: `belief mean ${mean}, sigma ${sigma}, budget b / ${div}` });
      const span = 2 + Math.floor(rangeRand() * 19);
      const i0 = Math.floor(rangeRand() * (n - span));
      const range: TradeDirectionInput = { kind: "range", i0, i1: i0 + span - 1 };
      if (buys(m, range, b / div)) ranges.push({ m, dir: range, budget: b / div, label: `range [${i0}, ${i0 + span - 1}], budget b / ${div}` });
    }
    out.set(b, { beliefs, ranges });
  }
  return out;
}

/** Whether the budget buys anything there (else `ZeroBet`). */
function buys(m: TradeMarket, dir: TradeDirectionInput, budget: bigint): boolean {
  try {
    quoteTrade(m, null, dir, { budget });
    return true;
  } catch {
    return false;
  }
}
