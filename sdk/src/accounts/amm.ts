/**
 * Decoders of the L2 AMM accounts: a Market's AMM tail (after the 160-byte header) with its
 * curves `f` and `f0`, and a Position with its payoff vector. Layouts:
 * `programs/continuum/src/state/amm.rs`.
 */
import { PublicKey } from "@solana/web3.js";
import { ByteReader } from "../codec.js";
import { accountDiscriminator } from "../discriminators.js";
import type { Grid } from "../math/simpson.js";
import { decodeMarketHeader, MARKET_HEADER_LEN, type MarketHeaderAccount } from "./market.js";

/** Fixed part of an AMM market (header + tail); `f` then `f0` follow, `n_points` u64 each. */
export const AMM_MARKET_FIXED_LEN = 384;
/** Size of the AMM tail's fixed part (`AmmMarketTail` in the IDL). */
export const AMM_MARKET_TAIL_LEN = AMM_MARKET_FIXED_LEN - MARKET_HEADER_LEN;
/** Fixed part of a Position; `payoff: i64[n_points]` follows. */
export const POSITION_FIXED_LEN = 104;

/** Account size of an AMM market with `n` grid points. */
export function ammMarketSpace(n: number): number {
  return AMM_MARKET_FIXED_LEN + 16 * n;
}
/** Account size of a Position on a market with `n` grid points. */
export function positionSpace(n: number): number {
  return POSITION_FIXED_LEN + 8 * n;
}

/** Byte offsets of the AMM fields (from the start of the Market account). */
export const AMM_MARKET_OFFSETS = {
  lo: 160,
  hi: 168,
  step: 176,
  k: 184,
  b: 192,
  normSqBudget: 200,
  scale: 216,
  resolver: 224,
  tradingDeadline: 256,
  resolutionDeadline: 264,
  outcome: 272,
  totalCollateral: 280,
  paidOut: 288,
  dustNumerator: 296,
  positionCount: 312,
  tradeCount: 320,
  claimCount: 328,
  lpPaid: 336,
  nPoints: 344,
  lpClaimed: 348,
  shapeKind: 349,
  feeBps: 350,
  settledAt: 352,
  feesAccrued: 360,
  curve: 384,
} as const;

/** Byte offsets of the Position fields. */
export const POSITION_OFFSETS = {
  discriminator: 0,
  market: 8,
  owner: 40,
  collateral: 72,
  tradeCount: 80,
  claimedAmount: 88,
  nPoints: 96,
  claimed: 100,
  bump: 101,
  payoff: 104,
} as const;

/** `ShapeParams.kind` values (`SHAPE_*` in `state/amm.rs`); 255 marks a dragged curve. */
export const ShapeKind = {
  Normal: 0,
  Uniform: 1,
  Mixture: 2,
  TrimodalElection: 3,
  SkewedLaunch: 4,
  LeptokurticIndicator: 5,
  Custom: 6,
  Edited: 255,
} as const;

/** A decoded AMM market. */
export interface AmmMarketAccount extends MarketHeaderAccount {
  lo: bigint;
  hi: bigint;
  step: bigint;
  k: bigint;
  b: bigint;
  normSqBudget: bigint;
  scale: bigint;
  resolver: PublicKey;
  tradingDeadline: bigint;
  resolutionDeadline: bigint;
  outcome: bigint;
  /** Sum over positions of their current netted collateral `R`. */
  totalCollateral: bigint;
  paidOut: bigint;
  /** Sum of claim floor remainders in units of `1 / step` lamport. */
  dustNumerator: bigint;
  positionCount: bigint;
  tradeCount: bigint;
  claimCount: bigint;
  lpPaid: bigint;
  nPoints: number;
  lpClaimed: boolean;
  shapeKind: number;
  /** Fee in basis points of the collateral each trade moves (`<= MAX_FEE_BPS`). */
  feeBps: number;
  /** Fees paid by trades (the LP's at settlement). */
  feesAccrued: bigint;
  /** Unix time of resolution or cancellation (0 while unsettled): `close_market`'s grace period starts here. */
  settledAt: bigint;
  /** Current curve `f` (lamports). */
  curve: bigint[];
  /** Curve at open `f0` (lamports). */
  initialCurve: bigint[];
}

/** A decoded Position. */
export interface PositionAccount {
  market: PublicKey;
  owner: PublicKey;
  /**
   * `R`: the netted collateral the position holds, `max(0, max_i(-payoff_i))` after its last
   * trade (a claim pays `R + payoff(x*)`).
   */
  collateral: bigint;
  tradeCount: bigint;
  claimedAmount: bigint;
  nPoints: number;
  claimed: boolean;
  bump: number;
  /** `sum (g - f)` over the owner's trades, per grid point (i64). */
  payoff: bigint[];
}

export const POSITION_DISCRIMINATOR = accountDiscriminator("Position");

function u128(r: ByteReader, off: number): bigint {
  return r.u64(off) | (r.u64(off + 8) << 64n);
}

/** Decodes an AMM Market account (header, tail, `f`, `f0`); throws on a header-only market. */
export function decodeAmmMarket(data: Uint8Array): AmmMarketAccount {
  const header = decodeMarketHeader(data);
  if (data.length < AMM_MARKET_FIXED_LEN) throw new Error("Market: not an AMM market (no tail)");
  const r = new ByteReader(data);
  const o = AMM_MARKET_OFFSETS;
  const n = r.u32(o.nPoints);
  if (data.length !== ammMarketSpace(n)) {
    throw new Error(`Market: expected ${ammMarketSpace(n)} bytes for ${n} points, got ${data.length}`);
  }
  const curve: bigint[] = [];
  const initialCurve: bigint[] = [];
  for (let i = 0; i < n; i++) {
    curve.push(r.u64(o.curve + 8 * i));
    initialCurve.push(r.u64(o.curve + 8 * (n + i)));
  }
  return {
    ...header,
    lo: r.i64(o.lo),
    hi: r.i64(o.hi),
    step: r.u64(o.step),
    k: r.u64(o.k),
    b: r.u64(o.b),
    normSqBudget: u128(r, o.normSqBudget),
    scale: r.u64(o.scale),
    resolver: new PublicKey(r.bytes(o.resolver, 32)),
    tradingDeadline: r.i64(o.tradingDeadline),
    resolutionDeadline: r.i64(o.resolutionDeadline),
    outcome: r.i64(o.outcome),
    totalCollateral: r.u64(o.totalCollateral),
    paidOut: r.u64(o.paidOut),
    dustNumerator: u128(r, o.dustNumerator),
    positionCount: r.u64(o.positionCount),
    tradeCount: r.u64(o.tradeCount),
    claimCount: r.u64(o.claimCount),
    lpPaid: r.u64(o.lpPaid),
    nPoints: n,
    lpClaimed: r.u8(o.lpClaimed) !== 0,
    shapeKind: r.u8(o.shapeKind),
    feeBps: r.u16(o.feeBps),
    settledAt: r.i64(o.settledAt),
    feesAccrued: r.u64(o.feesAccrued),
    curve,
    initialCurve,
  };
}

/** The market's outcome grid. */
export function marketGrid(m: Pick<AmmMarketAccount, "lo" | "hi" | "nPoints">): Grid {
  return { lo: m.lo, hi: m.hi, n: m.nPoints };
}

/** Decodes a Position account (fixed part and payoff vector). */
export function decodePosition(data: Uint8Array): PositionAccount {
  if (data.length < POSITION_FIXED_LEN) throw new Error("Position: too short");
  for (let i = 0; i < 8; i++) {
    if (data[i] !== POSITION_DISCRIMINATOR[i]) throw new Error("Position: discriminator mismatch");
  }
  const r = new ByteReader(data);
  const o = POSITION_OFFSETS;
  const n = r.u32(o.nPoints);
  if (data.length !== positionSpace(n)) throw new Error(`Position: expected ${positionSpace(n)} bytes`);
  const payoff: bigint[] = [];
  for (let i = 0; i < n; i++) payoff.push(r.i64(o.payoff + 8 * i));
  return {
    market: new PublicKey(r.bytes(o.market, 32)),
    owner: new PublicKey(r.bytes(o.owner, 32)),
    collateral: r.u64(o.collateral),
    tradeCount: r.u64(o.tradeCount),
    claimedAmount: r.u64(o.claimedAmount),
    nPoints: n,
    claimed: r.u8(o.claimed) !== 0,
    bump: r.u8(o.bump),
    payoff,
  };
}
