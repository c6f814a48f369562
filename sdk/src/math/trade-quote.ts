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
import { DIRECTION_T_MAX, fastPathApplies, FastRangeBet, memoExactScale, plateauHints } from "./fast.js";
import { FAR_ESTIMATE_MIN, FarSizes } from "./far-sizes.js";
import { checkU128, checkU64, checkU64Values } from "./inputs.js";
import { rangeProbability1e9, probability1e9, trapezoidWeightShift, validatePoints, type Grid } from "./simpson.js";
import { expectedCost, largestFeasibleSize, type BumpOracle } from "./trade.js";
import {
  canonicalScaleOf,
  checkI64,
  deltaAt,
  checkPayoff,
  zeroPayoff,
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
import { applyRangeTradeFast, rangeDisplay, regionDisplay, type RangeDisplay } from "./trade-fast.js";

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
  checkU64Values(m.curve);
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
  if (p === null || p === undefined) return { payoff: zeroPayoff(n), collateral: 0n };
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

let boundsScratch = new Float64Array(0);

/** Sizes searched for a buy (`[1, tHi]`) or a sell (`[tLo, -1]`) along a range or a shape. */
function sizeBounds(f: readonly bigint[], dir: DirectionVector, sell: boolean, kernel: FastRangeBet | null): [bigint, bigint] {
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
  } else if (dir.kind === "shape") {
    // Sell: past |t| = ceil(f 1e9 / phi) the point is at 0; buy: h <= u64::MAX. The extreme
    // point is picked in doubles and every point within 2^-30 of it is taken exactly (the
    // float quotients are within a few parts in 2^53 of the exact ones).
    const zeroAt = (i: number): bigint => ((f[i] as bigint) * SCALE_1E9 + (dir.phi[i] as bigint) - 1n) / (dir.phi[i] as bigint);
    const upTo = (i: number): bigint => ((U64_MAX - (f[i] as bigint)) * SCALE_1E9) / (dir.phi[i] as bigint);
    if (boundsScratch.length < 2 * n) boundsScratch = new Float64Array(2 * n);
    // Scratch shared by every quote (typed arrays are costly to allocate; written before read).
    const zd = boundsScratch.subarray(0, n);
    const ud = boundsScratch.subarray(n, 2 * n);
    let zMax = -1;
    let uMin = Infinity;
    // The doubles of f and phi / 1e9 from the kernel along this direction when there is one
    // (two more roundings: still far inside 2^-30), else from the bigints.
    const wd = kernel?.directionWeights() ?? undefined;
    const fd = wd !== undefined ? kernel?.f : undefined;
    for (let i = 0; i < n; i++) {
      const phi = wd !== undefined ? wd[i]! : Number(dir.phi[i] as bigint) / 1e9;
      if (phi === 0) continue;
      const fi = fd !== undefined ? fd[i]! : Number(f[i] as bigint);
      zd[i] = fi / phi;
      ud[i] = (2 ** 64 - fi) / phi;
      if (zd[i]! > zMax) zMax = zd[i]!;
      if (ud[i]! < uMin) uMin = ud[i]!;
    }
    for (let i = 0; i < n; i++) {
      if (wd !== undefined ? wd[i] === 0 : (dir.phi[i] as bigint) === 0n) continue;
      if (sell && zd[i]! >= zMax * (1 - 2 ** -30)) {
        const zero = zeroAt(i);
        if (zero > reach) reach = zero;
      }
      if (!sell && ud[i]! <= uMin * (1 + 2 ** -30)) {
        const up = upTo(i);
        if (up < room) room = up;
      }
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
 * A kernel on the whole grid moving along a shape's `phi` or an unwind's `-P`, or null when the
 * market or the direction is outside its domain (`fastPathApplies`, `|phi| < 2^57`).
 */
function directionKernel(m: Market, dir: DirectionVector, payoff: readonly bigint[]): FastRangeBet | null {
  if (dir.kind === "range" || !fastPathApplies(m.f, m.b)) return null;
  const kernel = new FastRangeBet(m.f, { b: m.b, budget: m.budget, i0: 0, i1: m.f.length - 1 }, payoff);
  // A cached shape's values are a frozen array (`trade-general.ts`): its figures are kept per array.
  if (dir.kind === "shape" ? kernel.setDirection(dir.phi, Object.isFrozen(dir.phi)) : kernel.setDirection(payoff.map((p) => -p))) return kernel;
  kernel.release();
  return null;
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
): { oracle: BumpOracle; solver: FastRangeBet | null; kernel: FastRangeBet | null; release: () => void } {
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
    const kernel = directionKernel(m, dir, payoff);
    if (kernel !== null) return { ...directionOracle(m, kernel, dir, payoff, target, scales, generic), solver: kernel, kernel };
  }
  if (dir.kind !== "range" || !fastPathApplies(f, b)) return { oracle: generic, solver: null, kernel: null, release: () => {} };
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
    // A sell's sizes may reach past the kernel's 2^53 (a value of f there): hints inside it.
    hints: (tLo, tHi, cap) => (fast(tHi) ? plateauHints(solver, scales, fast(tLo) ? tLo : -FAST_T_MAX, tHi, cap) : []),
  };
  return { oracle, solver, kernel: solver, release: () => {} };
}

/**
 * The size oracle of a belief shape on ONE kernel along its direction for the whole quote
 * ([`FastRangeBet.setDirection`]): `h(t)` in exact limbs (no bigint target), certified float
 * bounds on `c(t)` and exact scales and netted collateral from the kernel, as for a range.
 * Every i64 size has exact limbs there ([`FastRangeBet.setSize`]); sizes whose `h` leaves the
 * kernel's domain (a value past 2^57, e.g. the search's upper end) get float bounds (a buy's
 * from its float `h`, others from the doubles of the bigint target), a collateral lower bound
 * on the point the float model says binds (one bigint term), and `generic` otherwise.
 */
function directionOracle(
  m: Market,
  kernel: FastRangeBet,
  dir: DirectionVector,
  payoff: readonly bigint[],
  target: (t: bigint) => bigint[],
  scales: Map<bigint, bigint | null>,
  generic: BumpOracle,
): { oracle: BumpOracle; release: () => void } {
  // Belief buys past 2^53 also get a kernel from a shifted origin, once the hints' estimate is there.
  const far = dir.kind === "shape" && kernel.directionNonNegative ? new FarSizes(kernel, { f: m.f, b: m.b, budget: m.budget, payoff, phi: dir.phi, sharedPhi: Object.isFrozen(dir.phi) }, scales) : null;
  // Every i64 size has exact limbs along the direction (`setSize`); in the domain when its h
  // stays within 2^57.
  const inKernel = (t: bigint): boolean => {
    if (t === 0n) return false;
    kernel.setSize(t);
    return kernel.inDomain;
  };
  const kernelScale = memoExactScale(kernel, scales);
  // Kernel costs are exact below 2^53 (limbs of f - P); larger ones are recomputed exactly.
  const exactIfLarge = (v: number, t: bigint, c: bigint): bigint => (v < 2 ** 53 ? BigInt(v) : generic.collateralAt(t, c));
  const oracle: BumpOracle = {
    scaleOf(t) {
      const c = scales.get(t);
      if (c !== undefined) return c;
      const farC = far?.scaleOf(t);
      if (farC !== undefined) return farC;
      return inKernel(t) ? kernelScale(t) : generic.scaleOf(t);
    },
    scaleBounds(t) {
      const c = scales.get(t);
      if (c !== undefined) return c === null ? null : { lo: c, hi: c };
      const farBd = far?.scaleBounds(t);
      if (farBd) return { lo: BigInt(farBd.lo), hi: BigInt(farBd.hi) };
      // Past the domain a buy's float h still certifies (see `directionBump`); else the doubles
      // of the bigint target.
      let bd = inKernel(t) || t > 0n ? kernel.scaleBoundsOfSize(t) : null;
      if (bd === null && !kernel.inDomain) bd = kernel.scaleBoundsOf(target(t));
      if (bd !== null) return { lo: BigInt(bd.lo), hi: BigInt(bd.hi) };
      return generic.scaleBounds(t);
    },
    collateralLowerBound(t, c) {
      // A buy along the shape: one loop, the kernel stays where it is (most bounds are asked at
      // cuts the search never visits otherwise).
      let v = t > 0n && t < DIRECTION_T_MAX_BIG && c < TWO52 ? kernel.buyLowerBound(Number(t), Number(c)) : NaN;
      if (v !== v && far !== null) v = far.collateralLowerBound(t, c);
      if (v === v) return exactIfLarge(v, t, c);
      return inKernel(t) ? exactIfLarge(kernel.collateralLowerBoundOfSize(t, c), t, c) : bindingPointCost(m, kernel, dir, payoff, t, c);
    },
    collateralAt(t, c) {
      const v = far === null ? NaN : far.collateralAt(t, c);
      if (v === v) return exactIfLarge(v, t, c);
      return inKernel(t) ? exactIfLarge(kernel.collateralAtSize(t, c), t, c) : generic.collateralAt(t, c);
    },
    // The norm-ratio bound (FastRangeBet.normRatioLowerBound), then, far right of the answer (an
    // end at least twice the start, where `c(t) t` barely moves), the rescaled one and the bound
    // on all sizes past the start (the part up to the search's end is one such interval).
    intervalLowerBound(a, b, ca, cb, cap) {
      const capN = Number(cap);
      const byNorm = kernel.normRatioLowerBound(a, b, Number(ca.hi), Number(cb.lo));
      if (byNorm > capN || !(Number(b) >= 2 * Number(a))) return BigInt(byNorm);
      const byRescale = kernel.rescaledLowerBound(a, b, Number(ca.hi), Number(cb.hi));
      if (byRescale > capN) return BigInt(byRescale);
      const byTail = kernel.tailLowerBound(a, Number(ca.hi));
      return BigInt(Math.max(byNorm, byRescale, byTail));
    },
    hints(tLo, tHi, cap) {
      // Plateau ends are exact passes: sizes inside the kernel's domain only (probes past it stop them).
      const hi = tHi < DIRECTION_T_MAX_BIG ? tHi : DIRECTION_T_MAX_BIG - 1n;
      if (!(hi > tLo)) return [];
      let e = tLo >= 1n && cap < DIRECTION_T_MAX_BIG ? kernel.estimateSize(Number(tLo), Number(hi), Number(cap)) : NaN;
      // Estimated at the end of the kernel's own sizes: where past it (a second estimate, over
      // the whole bracket), the plateau ends on the shifted kernel around it.
      if (far !== null && e >= FAR_ESTIMATE_MIN && tHi > hi) {
        const whole = kernel.estimateSize(Number(tLo), Number(tHi), Number(cap));
        if (whole >= FAR_ESTIMATE_MIN && far.centerOn(whole)) return far.hints(tLo, tHi, cap, whole);
        if (whole === whole) e = whole;
      }
      return plateauHints(kernel, scales, tLo, hi, cap, true, e === e ? e : undefined);
    },
  };
  return { oracle, release: () => far?.release() };
}

const DIRECTION_T_MAX_BIG = BigInt(DIRECTION_T_MAX);
const TWO52 = 1n << 52n;
/** Largest range size on the kernel (`|t| < 2^53`). */
const FAST_T_MAX = (1n << 53n) - 1n;

/**
 * A lower bound of the netted collateral `max(0, max_i (f_i - P_i - min(b, floor(c h_i / 1e9))))`
 * of size `t` along a shape: the exact term (bigint) of the point where the float model's term is
 * largest (one point of the maximum: never above it, whatever the float model's error).
 */
function bindingPointCost(m: Market, kernel: FastRangeBet, dir: DirectionVector, payoff: readonly bigint[], t: bigint, c: bigint): bigint {
  const i = kernel.bindingPoint(Number(t), Number(c));
  if (i < 0) return 0n;
  const fi = m.f[i] as bigint;
  const v = fi + deltaAt(dir, t, payoff, i);
  const raw = new Scale1e9(c).apply(v < 0n ? 0n : v);
  const term = fi - (payoff[i] as bigint) - (raw < m.b ? raw : m.b);
  return term > 0n ? term : 0n;
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

/** The half-maximum bands of cached shapes' values (see [`regionOf`]). */
const shapeBands = new WeakMap<readonly bigint[], boolean[]>();

function regionOf(dir: DirectionVector, n: number, payoff: readonly bigint[]): boolean[] {
  switch (dir.kind) {
    case "range": {
      const region = new Array<boolean>(n);
      for (let i = 0; i < n; i++) region[i] = i >= dir.i0 && i <= dir.i1;
      return region;
    }
    case "shape": {
      // A cached shape's values are frozen (`trade-general.ts`): its band is kept per array.
      const known = shapeBands.get(dir.phi);
      if (known !== undefined) return known.slice();
      const max = dir.phi.reduce((a, v) => (v > a ? v : a), 0n);
      const band = dir.phi.map((v) => max > 0n && 2n * v >= max);
      if (Object.isFrozen(dir.phi)) shapeBands.set(dir.phi, band.slice());
      return band;
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
  const { oracle, solver, kernel, release } = sizeOracle(m, dir, pos.payoff);
  let found: ReturnType<typeof largestFeasibleSize>;
  try {
    const [tLo, tHi] = bounds ?? sizeBounds(m.f, dir, sell, kernel);
    found = largestFeasibleSize(oracle, tLo, tHi, cap);
  } catch (e) {
    kernel?.release();
    throw e;
  } finally {
    release();
  }
  if (kernel !== solver) kernel?.release();
  if (found === null) {
    solver?.release();
    throw new MathError("ZeroBet");
  }
  // The kernel stays for the apply and display.
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
  regionShown?: boolean[],
): TradeQuote {
  const n = m.f.length;
  const region = regionShown ?? regionOf(dir, n, before);
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
  let solver = solved.solver;
  let c: bigint;
  try {
    if (solved.c === null) {
      // A size given as t: its direction checks come before computing h (the Rust order).
      validateTrade({ f: m.f, payoff: pos.payoff, b: m.b, budget: m.budget, feeBps: m.feeBps, direction: dir, t, c: 0n });
      // Along a shape or an unwind: the kernel's exact scale when h(t) is in its domain.
      solver = givenSizeKernel(m, dir, pos.payoff, t);
      c = solver !== null ? solver.exactScaleOfSize(t) : canonicalScaleOf(tradeTarget(m.f, dir, t, pos.payoff), m.b, m.budget);
    } else {
      c = solved.c;
    }
    return applyAndCompose(m, direction, dir, pos, t, c, solver);
  } finally {
    solver?.release();
  }
}

/**
 * The kernel of a trade of given size `t` along a shape or an unwind (`validateTrade` passed), set
 * at `t`, or null when `h(t)` is outside its domain (then the bigint mirror computes the trade).
 */
function givenSizeKernel(m: Market, dir: DirectionVector, payoff: readonly bigint[], t: bigint): FastRangeBet | null {
  if (t === 0n) return null;
  const kernel = directionKernel(m, dir, payoff);
  if (kernel === null) return null;
  kernel.setSize(t);
  if (kernel.inDomain) return kernel;
  kernel.release();
  return null;
}

/** The trade `(t, c)` applied (on `solver` when it holds the trade's direction), then the quote. */
function applyAndCompose(
  m: Market,
  direction: TradeDirectionInput,
  dir: DirectionVector,
  pos: { payoff: readonly bigint[]; collateral: bigint },
  t: bigint,
  c: bigint,
  solver: FastRangeBet | null,
): TradeQuote {
  const trade = { f: m.f, payoff: pos.payoff, collateral: pos.collateral, b: m.b, budget: m.budget, feeBps: m.feeBps, direction: dir, t, c };
  // A range size found on the fast kernel, or a size along the kernel's direction inside its
  // domain: apply and display from its state (same results).
  const onRange = solver !== null && dir.kind === "range" && t !== 0n && t < 1n << 53n && -t < 1n << 53n;
  let onDirection = false;
  if (solver !== null && dir.kind !== "range" && t !== 0n) {
    solver.setSize(t);
    onDirection = solver.inDomain;
  }
  let a: TradeApplied;
  if (onDirection) {
    a = applyRangeTradeFast(solver!, { f: m.f, payoff: pos.payoff, collateral: pos.collateral, budget: m.budget, feeBps: m.feeBps, t, c });
  } else if (onRange && dir.kind === "range") {
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
  let shown: RangeDisplay | undefined;
  let region: boolean[] | undefined;
  if (onRange && dir.kind === "range") {
    shown = rangeDisplay(solver!, a.g, dir.i0, dir.i1);
  } else if (onDirection) {
    region = regionOf(dir, m.f.length, pos.payoff);
    shown = regionDisplay(solver!, a.g, region);
  }
  return composeTradeQuote(m, direction, dir, pos.payoff, t, c, a, shown, region);
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
