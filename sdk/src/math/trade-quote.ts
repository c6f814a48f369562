/**
 * Quotes of the general trade ("quotes that never lie"): the size for a request, then the exact
 * trade (`tradeApplyGeneral`, the mirror the program matches bit for bit), then the integration
 * rules (displayed probability and expected cost, `simpson.ts` / `trade.ts`).
 *
 * Size requests:
 * - `{ t }`: exactly that signed size (unwind: `fraction_1e9`).
 * - `{ budget }` (buy, `t > 0`): the LARGEST `t` whose payment `net_in` (fee included) is at most
 *   `budget` (a refund, `net_in <= 0`, always fits). The largest `t` is the largest payoff for
 *   the money: along a range or a shape, `P'` grows with `t` where the trader bets.
 * - `{ refund }` (sell, `t < 0`): the SMALLEST `|t|` whose refund `-net_in` (after fee) is at
 *   least `refund`: the least of the position given up for that much money back.
 * Both are one search ([`largestFeasibleSize`], the `solve_range_bet` branch and bound): the
 * fee is increasing in `R'`, so either request is a cap on the netted collateral `R'(t)`, and
 * `R'(t)` is a sawtooth in `t` (plateaus of the canonical scale), which the search handles.
 * An unwind is sized by its fraction ([`quoteUnwind`]).
 *
 * Named errors: bad inputs (`Overflow`, `InvalidRange`, `InvalidShape`, `LengthMismatch`,
 * `InvalidUnwindFraction`, `NothingToUnwind`, `FeeTooHigh`, `InvalidDirection` for a size request
 * that does not fit the direction), `ZeroBet` when nothing moves (`g == f`), when a new position
 * would post nothing, or when no size meets the request; `NormConstraintViolated`.
 */
import { I64_MAX, SCALE_1E9, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";
import { estimateLargest, fastPathApplies, FastRangeBet, memoExactScale, plateauHints } from "./fast.js";
import { checkU128, checkU64 } from "./inputs.js";
import { rangeProbability1e9, probability1e9, simpsonWeightShift, trapezoidWeightShift, validatePoints, type Grid } from "./simpson.js";
import { expectedCost, largestFeasibleSize, type BumpOracle } from "./trade.js";
import {
  canonicalScaleOf,
  checkI64,
  checkPayoff,
  directionVector,
  settle,
  tradeApplyGeneral,
  tradeTarget,
  validateTrade,
  type DirectionVector,
  type TradeApplied,
  type TradeDirectionInput,
} from "./trade-general.js";
import { Scale1e9 } from "./wide.js";
import { applyRangeTradeFast, rangeDisplay, type RangeDisplay } from "./trade-fast.js";

/** What a quote reads from a market. */
export interface TradeMarket {
  /** Current curve `f`. */
  curve: readonly bigint[];
  /** Cap `b`. */
  b: bigint;
  /** Norm budget `floor(3 k^2 / step)`. */
  normSqBudget: bigint;
  /** Outcome grid. */
  lo: bigint;
  hi: bigint;
  nPoints: number;
  /** Market fee (bps; 0 if absent). */
  feeBps?: bigint | number;
  /** `Market.trade_count` (the quote's expected trade index; absent: not checked). */
  tradeCount?: bigint;
}

/** What a quote reads from a position (null: the trader has none yet). */
export interface TradePosition {
  /** Payoff vector `P` (i64 per grid point). */
  payoff: readonly bigint[];
  /** `R`, `Position.collateral`. */
  collateral: bigint;
}

/** A size request (see the module doc). */
export type TradeSize = { t: bigint } | { budget: bigint } | { refund: bigint };

/** The arguments of the `trade` instruction that executes a quote. */
export interface TradeQuoteArgs {
  direction: TradeDirectionInput;
  t: bigint;
  c: bigint;
  /** The quoted payment (0 for a refund). */
  maxIn: bigint;
  /** The quoted refund (0 for a payment). */
  minOut: bigint;
  /** `Market.trade_count` the quote saw (`u64::MAX`: not checked). */
  expectedTradeIndex: bigint;
}

/** A trade quote: the exact trade, its money, and what it shows the trader. */
export interface TradeQuote extends TradeApplied {
  /** Signed size (unwind: `fraction_1e9`). */
  t: bigint;
  /** Canonical scale of `h`. */
  c: bigint;
  /** The direction resolved on the grid. */
  vector: DirectionVector;
  /** Grid points whose probability is shown: the range; a shape's half-maximum band `2 phi >= max phi`; an unwind's winning points `P > 0`. */
  region: boolean[];
  /** Displayed probability of `region` under `f` (1e9, trapezoid point masses, see docs/accuracy.md). */
  probabilityBefore: bigint;
  /** The same under `g`. */
  probabilityAfter: bigint;
  /** Displayed probability of every grid point under `g` (1e9 each, floored). */
  pointProbabilities: bigint[];
  /**
   * The trader's expected loss under the market's own belief `f` (signed base units, rounded
   * up): `net_in` minus the expected change of the claim `R + P(x)`, i.e.
   * `fee + ceil(sum w f (f - g) / sum w f)` (the norm-slack term included, see docs/accuracy.md).
   */
  expectedCost: bigint;
  /** Arguments of the `trade` instruction (slippage bounds = the quote). */
  args: TradeQuoteArgs;
}

/** The checked market: curve, cap, budget, grid, fee. */
interface Market {
  f: readonly bigint[];
  b: bigint;
  budget: bigint;
  grid: Grid;
  feeBps: bigint;
  tradeIndex: bigint;
}

function checkMarket(m: TradeMarket): Market {
  if (!Array.isArray(m?.curve)) throw new MathError("LengthMismatch");
  for (const v of m.curve) checkU64(v);
  const n = m.nPoints;
  if (!Number.isSafeInteger(n) || n !== m.curve.length) throw new MathError("LengthMismatch");
  validatePoints(n);
  const fee = typeof m.feeBps === "number" ? BigInt(Number.isSafeInteger(m.feeBps) ? m.feeBps : -1) : (m.feeBps ?? 0n);
  if (typeof fee !== "bigint" || fee < 0n) throw new MathError("Overflow");
  return {
    f: m.curve,
    b: checkU64(m.b),
    budget: checkU128(m.normSqBudget),
    grid: { lo: checkI64(m.lo), hi: checkI64(m.hi), n },
    feeBps: fee,
    tradeIndex: m.tradeCount === undefined ? U64_MAX : checkU64(m.tradeCount),
  };
}

function checkPosition(p: TradePosition | null, n: number): { payoff: readonly bigint[]; collateral: bigint } {
  if (p === null || p === undefined) return { payoff: new Array<bigint>(n).fill(0n), collateral: 0n };
  const payoff = checkPayoff(p.payoff);
  if (payoff.length !== n) throw new MathError("LengthMismatch");
  return { payoff, collateral: checkU64(p.collateral) };
}

/**
 * The netted-collateral cap of a size request: `net_in(R') <= budget` or `-net_in(R') >= refund`
 * as `R' <= cap` (`net_in` is non-decreasing in `R'`), or null when no `R' >= 0` meets it.
 */
export function collateralCap(collateralBefore: bigint, feeBps: bigint, size: { budget: bigint } | { refund: bigint }): bigint | null {
  const netIn = (rAfter: bigint): bigint => settle(collateralBefore, rAfter, feeBps).netIn;
  const limit = "budget" in size ? size.budget : -size.refund;
  // Largest R' in [0, R + limit + 1] with net_in(R') <= limit (monotone: a search is exact).
  if (netIn(0n) > limit) return null;
  const hi = collateralBefore + (limit > 0n ? limit : 0n) + 1n;
  if (netIn(hi) <= limit) return hi;
  // Start at the float inverse of net_in = delta + |delta| fee / 1e4 (a guess within a few units),
  // then gallop to a bracket [lo, up) with net_in(lo) <= limit < net_in(up) and bisect it.
  const fee = Number(feeBps) / 10_000;
  const l = Number(limit);
  const deltaGuess = l >= 0 ? l / (1 + fee) : l / (1 - fee);
  let guess = collateralBefore + BigInt(Number.isFinite(deltaGuess) ? Math.trunc(deltaGuess) : 0);
  if (guess < 0n) guess = 0n;
  if (guess >= hi) guess = hi - 1n;
  let lo: bigint;
  let up: bigint;
  let step = 1n;
  if (netIn(guess) <= limit) {
    lo = guess;
    for (;;) {
      const x = lo + step < hi ? lo + step : hi;
      if (x === hi || netIn(x) > limit) {
        up = x;
        break;
      }
      lo = x;
      step *= 2n;
    }
  } else {
    up = guess;
    for (;;) {
      const x = up - step > 0n ? up - step : 0n;
      if (netIn(x) <= limit) {
        lo = x;
        break;
      }
      up = x;
      step *= 2n;
    }
  }
  while (up - lo > 1n) {
    const mid = (lo + up) / 2n;
    if (netIn(mid) <= limit) lo = mid;
    else up = mid;
  }
  return lo;
}

/**
 * Largest range buy a budget quote searches: `2^53 - 1` base units on the range per trade (the
 * fast kernel's domain; the old range solver stopped at 2^48). Larger sizes: quote `{ t }`.
 */
export const RANGE_BUY_T_MAX = (1n << 53n) - 1n;

/** Sizes searched for a buy (`[1, tHi]`) or a sell (`[tLo, -1]`) along a range or a shape. */
function sizeBounds(f: readonly bigint[], dir: DirectionVector, sell: boolean): [bigint, bigint] {
  const n = f.length;
  let reach = 0n;
  let room = I64_MAX;
  if (dir.kind === "range") {
    // phi = 1e9 on the range: ceil(f 1e9 / phi) = f and (u64::MAX - f) 1e9 / phi = u64::MAX - f.
    for (let i = dir.i0; i <= dir.i1; i++) {
      const fi = f[i] as bigint;
      if (fi > reach) reach = fi;
      if (U64_MAX - fi < room) room = U64_MAX - fi;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const fi = f[i] as bigint;
      const phi = dir.kind === "shape" ? (dir.phi[i] as bigint) : 0n;
      if (phi === 0n) continue;
      // Sell: past |t| = ceil(f 1e9 / phi) the point is at 0; buy: h <= u64::MAX.
      const zero = (fi * SCALE_1E9 + phi - 1n) / phi;
      if (zero > reach) reach = zero;
      const up = ((U64_MAX - fi) * SCALE_1E9) / phi;
      if (up < room) room = up;
    }
  }
  if (sell) {
    const lo = reach > I64_MAX ? I64_MAX : reach < 1n ? 1n : reach;
    return [-lo, -1n];
  }
  if (room < 1n) throw new MathError("Overflow");
  // A range buy stays on the fast exact kernel (sizes below 2^53; docs/accuracy.md).
  if (dir.kind === "range" && room > RANGE_BUY_T_MAX) room = RANGE_BUY_T_MAX;
  return [1n, room];
}

/**
 * The size oracle of a direction (see `BumpOracle`): the cost of size `t` is the netted
 * collateral `R'(t) = max(0, max_i (f_i - P_i - g_i(t)))`. A range buy on the fast kernel
 * (offsets P, bounds in O(range + log N)); otherwise exact scales of `h(t)` (`canonicalScaleOf`,
 * itself on the fast kernel) and exact bigint costs.
 */
function sizeOracle(
  m: Market,
  dir: DirectionVector,
  payoff: readonly bigint[],
): { oracle: BumpOracle; solver: FastRangeBet | null; kernel: FastRangeBet | null } {
  const { f, b, budget } = m;
  const scales = new Map<bigint, bigint | null>();
  const targets = new Map<bigint, bigint[]>();
  const target = (t: bigint): bigint[] => {
    let h = targets.get(t);
    if (h === undefined) {
      h = tradeTarget(f, dir, t, payoff);
      targets.set(t, h);
    }
    return h;
  };
  const exactCost = (t: bigint, c: bigint): bigint => {
    const h = target(t);
    const sc = new Scale1e9(c);
    let r = 0n;
    for (let i = 0; i < f.length; i++) {
      const raw = sc.apply(h[i] as bigint);
      const g = raw < b ? raw : b;
      const v = (f[i] as bigint) - (payoff[i] as bigint) - g;
      if (v > r) r = v;
    }
    return r;
  };
  const exactScale = (t: bigint): bigint | null => {
    const hit = scales.get(t);
    if (hit !== undefined) return hit;
    let c: bigint | null;
    try {
      c = canonicalScaleOf(target(t), b, budget);
    } catch (e) {
      if (!(e instanceof MathError && e.errorName === "NormConstraintViolated")) throw e;
      c = null;
    }
    scales.set(t, c);
    return c;
  };
  const generic: BumpOracle = {
    scaleOf: exactScale,
    scaleBounds(t) {
      const c = exactScale(t);
      return c === null ? null : { lo: c, hi: c };
    },
    collateralLowerBound: exactCost,
    collateralAt: exactCost,
  };
  if (dir.kind === "shape" && fastPathApplies(f, b)) {
    const kernel = new FastRangeBet(m.f, { b: m.b, budget: m.budget, i0: 0, i1: m.f.length - 1 }, payoff);
    return { oracle: curveOracle(m, kernel, dir.phi, payoff, target, scales, generic), solver: null, kernel };
  }
  if (dir.kind !== "range" || !fastPathApplies(f, b)) return { oracle: generic, solver: null, kernel: null };
  // The kernel's collateral terms are exact below 2^53 for any i64 payoff (limbs of f - P).
  const solver = new FastRangeBet(f, { b, budget, i0: dir.i0, i1: dir.i1 }, payoff);
  // The kernel holds sizes as doubles and h = max(0, f + t) below 2^58: 0 < |t| < 2^53.
  const fast = (t: bigint): boolean => t !== 0n && t < 1n << 53n && -t < 1n << 53n;
  const fastScale = memoExactScale(solver, scales);
  // Kernel costs are exact below 2^53 (limbs of f - P); larger ones are recomputed exactly.
  const exactIfLarge = (v: number, t: bigint, c: bigint): bigint => (v < 2 ** 53 ? BigInt(v) : exactCost(t, c));
  const oracle: BumpOracle = {
    scaleOf: (t) => (fast(t) ? fastScale(t) : exactScale(t)),
    scaleBounds(t) {
      if (!fast(t)) return generic.scaleBounds(t);
      const c = scales.get(t);
      if (c !== undefined) return c === null ? null : { lo: c, hi: c };
      const bd = solver.scaleBounds(Number(t));
      if (bd !== null) return { lo: BigInt(bd.lo), hi: BigInt(bd.hi) };
      const x = fastScale(t);
      return x === null ? null : { lo: x, hi: x };
    },
    collateralLowerBound: (t, c) => (fast(t) ? exactIfLarge(solver.collateralLowerBound(Number(t), c), t, c) : exactCost(t, c)),
    collateralAt: (t, c) => (fast(t) ? exactIfLarge(solver.collateralAtBump(Number(t), c), t, c) : exactCost(t, c)),
    hints: (tLo, tHi, cap) => (fast(tHi) ? plateauHints(solver, scales, tLo, tHi, cap) : []),
  };
  return { oracle, solver, kernel: solver };
}

/**
 * The size oracle of a belief shape on ONE kernel for the whole quote: each size's target `h`
 * is loaded into it ([`FastRangeBet.setCurve`]) for its exact canonical scale and netted
 * collateral (exact limb figures below 2^53; larger ones in bigint). Targets above
 * the kernel's domain fall back to `generic`.
 */
function curveOracle(
  m: Market,
  kernel: FastRangeBet,
  phi: readonly bigint[],
  payoff: readonly bigint[],
  target: (t: bigint) => bigint[],
  scales: Map<bigint, bigint | null>,
  generic: BumpOracle,
): BumpOracle {
  let loaded: bigint | null = null;
  const load = (t: bigint): boolean => {
    if (loaded === t) return true;
    const h = target(t);
    if (!fastPathApplies(h, m.b)) return false;
    kernel.setCurve(h);
    loaded = t;
    return true;
  };
  const scaleOf = (t: bigint): bigint | null => {
    const hit = scales.get(t);
    if (hit !== undefined) return hit;
    if (!load(t)) return generic.scaleOf(t);
    let c: bigint | null;
    try {
      c = kernel.curveScaleAndCollateral().c;
    } catch (e) {
      if (!(e instanceof MathError && e.errorName === "NormConstraintViolated")) throw e;
      c = null;
    }
    scales.set(t, c);
    return c;
  };
  const cost = (t: bigint, c: bigint): bigint => {
    if (!load(t)) return generic.collateralAt(t, c);
    const v = kernel.curveCollateralAt(c);
    return v < 2 ** 53 ? BigInt(v) : generic.collateralAt(t, c);
  };
  return {
    scaleOf,
    scaleBounds(t) {
      const c = scaleOf(t);
      return c === null ? null : { lo: c, hi: c };
    },
    collateralLowerBound: cost,
    collateralAt: cost,
    hints: (tLo, tHi, cap) => shapeHints(m, phi, payoff, tLo, tHi, cap),
  };
}

/**
 * Hints of a belief-shape buy (see `BumpOracle.hints`): a float estimate t~ of the answer on
 * the continuous model (`h = max(0, f + t phi / 1e9)`, the capped continuous root `u`, cost
 * `max(0, max (f - P - min(b, u h)))`), and splits at t~ (1 -+ 2^-k), k = 10, 18, 26.
 */
function shapeHints(m: Market, phi: readonly bigint[], payoff: readonly bigint[], tLo: bigint, tHi: bigint, cap: bigint): bigint[] {
  if (tLo < 1n || cap >= 1n << 53n) return [];
  const n = m.f.length;
  const fd = m.f.map(Number);
  const pd = phi.map((v) => Number(v) / 1e9);
  const od = payoff.map(Number);
  const b = Number(m.b);
  const bd = Number(m.budget);
  const w = fd.map((_, i) => 2 ** simpsonWeightShift(i, n));
  const h = new Float64Array(n);
  const costAt = (t: number): number => {
    for (let i = 0; i < n; i++) h[i] = Math.max(0, fd[i]! + t * pd[i]!);
    let u = NaN;
    let x = 0;
    let capped = -1;
    for (let iter = 0; iter < 16; iter++) {
      let cSum = 0;
      let aSum = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const v = h[i]!;
        if (iter > 0 && v * x >= b) {
          cSum += w[i]! * b * b;
          count++;
        } else aSum += w[i]! * v * v;
      }
      if (!(aSum > 0) || !(bd > cSum)) return NaN;
      x = Math.sqrt((bd - cSum) / aSum);
      u = x;
      if (count === capped) break;
      capped = count;
    }
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const g = Math.min(b, u * h[i]!);
      const d = fd[i]! - od[i]! - g;
      if (d > worst) worst = d;
    }
    return worst;
  };
  const hi = Number(tHi < 1n << 60n ? tHi : 1n << 60n);
  const e = estimateLargest(costAt, Number(tLo), hi, Number(cap));
  if (!Number.isFinite(e) || e < 1) return [];
  const est = BigInt(Math.floor(e));
  const cuts: bigint[] = [];
  for (const k of [10n, 18n, 26n]) cuts.push(est - (est >> k) - 1n);
  for (const k of [26n, 18n, 10n]) cuts.push(est + (est >> k) + 1n);
  return cuts;
}

/** Trapezoid-weighted `sum w f` over a mask (the region's mass in units of `h/2`). */
function regionMass(f: readonly bigint[], region: readonly boolean[]): bigint {
  const n = f.length;
  let acc = 0n;
  for (let i = 0; i < n; i++) if (region[i]) acc += (f[i] as bigint) << BigInt(trapezoidWeightShift(i, n));
  return acc;
}

/**
 * Displayed probability of a set of grid points: `floor(1e9 * sum_region w f / sum w f)`
 * (trapezoid weights; on a contiguous range exactly `range_probability_1e9`).
 * `IntegrationFailed` when the total mass is 0.
 */
export function regionProbability1e9(f: readonly bigint[], region: readonly boolean[]): bigint {
  const all = f.map(() => true);
  return probability1e9(regionMass(f, region), regionMass(f, all));
}

function regionOf(dir: DirectionVector, n: number, payoff: readonly bigint[]): boolean[] {
  switch (dir.kind) {
    case "range": {
      const region = new Array<boolean>(n);
      for (let i = 0; i < n; i++) region[i] = i >= dir.i0 && i <= dir.i1;
      return region;
    }
    case "shape": {
      const max = dir.phi.reduce((a, v) => (v > a ? v : a), 0n);
      return dir.phi.map((v) => max > 0n && 2n * v >= max);
    }
    case "unwind":
      return payoff.map((p) => p > 0n);
  }
}

/**
 * The size of a request (see the module doc); `bounds` replaces the searched interval (tests
 * compare the search with an exhaustive one on small intervals).
 */
function solveSize(
  m: Market,
  dir: DirectionVector,
  pos: { payoff: readonly bigint[]; collateral: bigint },
  size: TradeSize,
  bounds?: [bigint, bigint],
): { t: bigint; c: bigint | null; solver: FastRangeBet | null } {
  if ("t" in size) return { t: checkI64(size.t), c: null, solver: null };
  if (dir.kind === "unwind") throw new MathError("InvalidDirection");
  const sell = "refund" in size;
  const amount = checkU64(sell ? size.refund : (size as { budget: bigint }).budget);
  if (amount === 0n) throw new MathError("ZeroBet");
  // Validate the direction and fee once, at a size every direction accepts.
  validateTrade({ f: m.f, payoff: pos.payoff, b: m.b, budget: m.budget, feeBps: m.feeBps, direction: dir, t: sell ? -1n : 1n, c: 0n });
  const cap = collateralCap(pos.collateral, m.feeBps, sell ? { refund: amount } : { budget: amount });
  if (cap === null) throw new MathError("ZeroBet");
  const [tLo, tHi] = bounds ?? sizeBounds(m.f, dir, sell);
  const { oracle, solver, kernel } = sizeOracle(m, dir, pos.payoff);
  const found = largestFeasibleSize(oracle, tLo, tHi, cap);
  // A belief shape's kernel is done; a range's stays for the apply and display.
  if (kernel !== solver) kernel?.release();
  if (found === null) throw new MathError("ZeroBet");
  return { t: found.t, c: found.c, solver };
}

/** Integration rules and instruction arguments of an applied trade (`shown`: figures already computed). */
function composeTradeQuote(
  m: Market,
  input: TradeDirectionInput,
  dir: DirectionVector,
  before: readonly bigint[],
  t: bigint,
  c: bigint,
  a: TradeApplied,
  shown?: RangeDisplay,
): TradeQuote {
  const n = m.f.length;
  const region = regionOf(dir, n, before);
  let d: RangeDisplay;
  if (shown !== undefined) {
    d = shown;
  } else {
    const total = regionMass(a.g, region.map(() => true));
    d = {
      pointProbabilities: a.g.map((v, i) => probability1e9(v << BigInt(trapezoidWeightShift(i, n)), total)),
      probabilityBefore: dir.kind === "range" ? rangeProbability1e9(m.f, dir.i0, dir.i1) : regionProbability1e9(m.f, region),
      probabilityAfter: dir.kind === "range" ? rangeProbability1e9(a.g, dir.i0, dir.i1) : regionProbability1e9(a.g, region),
      expectedLoss: expectedCost(m.f, a.g),
    };
  }
  // Fields written out (same order as `{ ...a }`): an object spread takes the slow generic path.
  return {
    h: a.h,
    g: a.g,
    payoff: a.payoff,
    collateralBefore: a.collateralBefore,
    collateralAfter: a.collateralAfter,
    normSq: a.normSq,
    delta: a.delta,
    fee: a.fee,
    netIn: a.netIn,
    amountIn: a.amountIn,
    amountOut: a.amountOut,
    t,
    c,
    vector: dir,
    region,
    probabilityBefore: d.probabilityBefore,
    probabilityAfter: d.probabilityAfter,
    pointProbabilities: d.pointProbabilities,
    expectedCost: a.fee + d.expectedLoss,
    args: {
      direction: input,
      t,
      c,
      maxIn: a.amountIn,
      minOut: a.amountOut,
      expectedTradeIndex: m.tradeIndex,
    },
  };
}

/**
 * Quote a trade along `direction` for `position` (null: none yet) on `market`, sized by
 * `size` (see the module doc). The quote is the program's own computation (`trade_apply`),
 * so executing `args` on the same market state moves exactly the quoted amounts.
 * `searchBounds` (tests only) replaces the interval of sizes a budget or refund searches.
 */
export function quoteTrade(
  market: TradeMarket,
  position: TradePosition | null,
  direction: TradeDirectionInput,
  size: TradeSize,
  searchBounds?: [bigint, bigint],
): TradeQuote {
  const m = checkMarket(market);
  const pos = checkPosition(position, m.f.length);
  const dir = directionVector(direction, m.grid);
  const solved = solveSize(m, dir, pos, size, searchBounds);
  const t = solved.t;
  // A size given as t: its direction checks come before computing h (the Rust order).
  if (solved.c === null) validateTrade({ f: m.f, payoff: pos.payoff, b: m.b, budget: m.budget, feeBps: m.feeBps, direction: dir, t, c: 0n });
  const c = solved.c ?? canonicalScaleOf(tradeTarget(m.f, dir, t, pos.payoff), m.b, m.budget);
  const trade = { f: m.f, payoff: pos.payoff, collateral: pos.collateral, b: m.b, budget: m.budget, feeBps: m.feeBps, direction: dir, t, c };
  const { solver } = solved;
  // A range size found on the fast kernel: apply and display from its state (same results).
  const onKernel = solver !== null && dir.kind === "range" && t !== 0n && t < 1n << 53n && -t < 1n << 53n;
  let a: TradeApplied;
  if (onKernel) {
    // No second validateTrade: solveSize validated this market, position, direction and fee
    // (at t = -+1, c = 0), and the checks that read (t, c) pass for a solved size
    // (0 < |t| < 2^53, c canonical hence below u64::MAX).
    a = applyRangeTradeFast(solver, {
      f: m.f,
      payoff: pos.payoff,
      collateral: pos.collateral,
      budget: m.budget,
      feeBps: m.feeBps,
      i0: dir.i0,
      i1: dir.i1,
      t,
      c,
    });
  } else {
    a = tradeApplyGeneral(trade);
  }
  // A new position that posts nothing has bought only rounding: no effect worth a transaction.
  if (pos.collateral === 0n && pos.payoff.every((v) => v === 0n) && a.collateralAfter === 0n) throw new MathError("ZeroBet");
  const shown = onKernel ? rangeDisplay(solver, a.g, dir.i0, dir.i1) : undefined;
  solver?.release();
  return composeTradeQuote(m, direction, dir, pos.payoff, t, c, a, shown);
}

/**
 * Quote the unwind of `fraction1e9` (in `1..=1e9`; 1e9 = all) of `position`: the trade along
 * `-P` that sells that share of the position back (`InvalidUnwindFraction`, `NothingToUnwind`).
 */
export function quoteUnwind(market: TradeMarket, position: TradePosition, fraction1e9: bigint): TradeQuote {
  if (position === null || position === undefined) throw new MathError("NothingToUnwind");
  if (typeof fraction1e9 !== "bigint" || fraction1e9 < 1n || fraction1e9 > SCALE_1E9) throw new MathError("InvalidUnwindFraction");
  return quoteTrade(market, position, { kind: "unwind" }, { t: fraction1e9 });
}
