/**
 * Instruction builders of the L2 distribution AMM. Account order and argument layout follow
 * the doc comments of `programs/continuum/src/instructions/<name>.rs`.
 */
import { ComputeBudgetProgram, PublicKey, TransactionInstruction, type AccountMeta } from "@solana/web3.js";
import { ByteWriter } from "../codec.js";
import { MAX_CONTROL_POINTS, PROGRAM_ID } from "../constants.js";
import { instructionDiscriminator } from "../discriminators.js";
import { MAX_MIXTURE_COMPONENTS } from "../math/constants.js";
import { checkNormalSigma, shapeDistribution, type ControlPoint, type Distribution, type Shape } from "../math/shapes.js";
import { findConfigPda, findPositionPda, findShardPda, marketKeyBytes, type MarketKey } from "../pda.js";
import { assignShard } from "../sharding/assign.js";
import { ShapeKind } from "../accounts/amm.js";
import { collateralAccounts, type Collateral } from "../collateral.js";
import { newMarketAccounts, ro, signer, SYSTEM, w } from "./meta.js";

export const CREATE_MARKET_DISCRIMINATOR = instructionDiscriminator("create_market");
export const EDIT_DISTRIBUTION_DISCRIMINATOR = instructionDiscriminator("edit_distribution");
export const OPEN_MARKET_DISCRIMINATOR = instructionDiscriminator("open_market");
export const TRADE_DISCRIMINATOR = instructionDiscriminator("trade");
export const RESOLVE_MARKET_DISCRIMINATOR = instructionDiscriminator("resolve_market");
export const CLAIM_DISCRIMINATOR = instructionDiscriminator("claim");
export const CLAIM_LP_DISCRIMINATOR = instructionDiscriminator("claim_lp");
export const CANCEL_MARKET_DISCRIMINATOR = instructionDiscriminator("cancel_market");
export const CLOSE_MARKET_DISCRIMINATOR = instructionDiscriminator("close_market");

/** Serialized size of `ShapeParams`. */
export const SHAPE_PARAMS_LEN = 402;
/** Argument bytes of `create_market` (fixed part + ShapeParams + fee_bps). */
export const CREATE_MARKET_ARGS_LEN = 124 + SHAPE_PARAMS_LEN + 2;


/** `ShapeParams.kind` of a math `Shape`. */
export function shapeKindOf(shape: Shape): number {
  switch (shape.kind) {
    case "Normal":
      return ShapeKind.Normal;
    case "Uniform":
      return ShapeKind.Uniform;
    case "Mixture":
      return ShapeKind.Mixture;
    case "TrimodalElection":
      return ShapeKind.TrimodalElection;
    case "SkewedLaunch":
      return ShapeKind.SkewedLaunch;
    case "LeptokurticIndicator":
      return ShapeKind.LeptokurticIndicator;
    case "Custom":
      return ShapeKind.Custom;
  }
}

function i128(wr: ByteWriter, v: bigint): void {
  const u = BigInt.asUintN(128, v);
  wr.u64(u & ((1n << 64n) - 1n)).u64(u >> 64n);
}

/** borsh `ShapeParams` (402 bytes; layout in `programs/continuum/src/amm/shape.rs`). */
export function encodeShapeParams(shape: Shape, points: readonly ControlPoint[] = []): Uint8Array {
  if (points.length > MAX_CONTROL_POINTS) throw new Error(`at most ${MAX_CONTROL_POINTS} control points`);
  const wr = new ByteWriter(SHAPE_PARAMS_LEN);
  const comps =
    shape.kind === "Mixture" ? shape.comps : shape.kind === "Normal" ? [{ ...shape, weight1e9: 0n }] : [];
  if (comps.length > MAX_MIXTURE_COMPONENTS) throw new Error(`at most ${MAX_MIXTURE_COMPONENTS} components`);
  const count = shape.kind === "Mixture" ? comps.length : shape.kind === "Custom" ? points.length : 0;
  wr.u8(shapeKindOf(shape)).u8(count);
  for (let i = 0; i < MAX_MIXTURE_COMPONENTS; i++) {
    const c = comps[i];
    i128(wr, c?.mean1e9 ?? 0n);
    wr.u64(c?.sigma1e9 ?? 0n).u64(c?.weight1e9 ?? 0n);
  }
  wr.i64(shape.kind === "Uniform" ? shape.a : 0n).i64(shape.kind === "Uniform" ? shape.b : 0n);
  for (let i = 0; i < MAX_CONTROL_POINTS; i++) {
    const p = points[i];
    wr.i64(p?.x ?? 0n).u64(p?.y ?? 0n);
  }
  return wr.finish();
}

/** Parameters of a new market. */
export interface CreateMarketParams {
  /**
   * The market keypair (`generateMarketKey`): it must sign the transaction. A bare public key
   * builds the instruction for a transaction the key holder signs elsewhere.
   */
  marketKey: MarketKey;
  lo: bigint;
  hi: bigint;
  nPoints: number;
  /** L2 norm target. */
  k: bigint;
  /** Cap per grid value and LP backing (base units of the collateral mint). */
  b: bigint;
  tradingDeadline: bigint;
  resolutionDeadline: bigint;
  resolver: PublicKey;
  shape: Shape;
  /** Control points of a Custom shape. */
  points?: readonly ControlPoint[];
  /** Canonical scale hint; computed with the math mirror when omitted. */
  scale?: bigint;
  /** Fee in basis points of the collateral each trade moves (`<= MAX_FEE_BPS`; default 0). */
  feeBps?: number;
}

/** The curve `create_market` will write (the SDK's projection; `scale` is its `c`). */
export function marketDistribution(p: CreateMarketParams): Distribution {
  if (p.shape.kind === "Normal") checkNormalSigma(p.shape.sigma1e9, p.k, p.b);
  return shapeDistribution({ lo: p.lo, hi: p.hi, n: p.nPoints }, p.shape, { b: p.b, k: p.k }, p.points ?? []);
}

/** Serializes `create_market` instruction data. */
export function encodeCreateMarket(p: CreateMarketParams): Buffer {
  const scale = p.scale ?? marketDistribution(p).c;
  return new ByteWriter(8 + CREATE_MARKET_ARGS_LEN)
    .raw(CREATE_MARKET_DISCRIMINATOR)
    .raw(marketKeyBytes(p.marketKey))
    .i64(p.lo)
    .i64(p.hi)
    .u32(p.nPoints)
    .u64(p.k)
    .u64(p.b)
    .i64(p.tradingDeadline)
    .i64(p.resolutionDeadline)
    .raw(p.resolver.toBytes())
    .u64(scale)
    .raw(encodeShapeParams(p.shape, p.points ?? []))
    .u16(p.feeBps ?? 0)
    .finish();
}

/**
 * `create_market`: authority (signer, w), config (w), assigned shard (w), market PDA (w),
 * system program, market key (signer: sign with the `params.marketKey` keypair), then the
 * money accounts (`collateralAccounts`: the authority's token account pays `b`). The shard is
 * `assignShard(marketKey, shardCount)` unless `shardId` is given.
 * Creating a Normal/mixture shape costs an `exp` per grid point: add
 * [`computeUnitLimit`] for large grids (see `docs/compute-units.md`).
 */
export function createMarketInstruction(
  authority: PublicKey,
  params: CreateMarketParams,
  shardCount: number,
  collateral: Collateral,
  opts: { shardId?: number; programId?: PublicKey } = {},
): TransactionInstruction {
  const programId = opts.programId ?? PROGRAM_ID;
  const key = marketKeyBytes(params.marketKey);
  const shardId = opts.shardId ?? assignShard(key, shardCount);
  return new TransactionInstruction({
    programId,
    keys: [...newMarketAccounts(authority, key, shardId, programId), ...collateralAccounts(authority, shardId, collateral, { programId })],
    data: encodeCreateMarket(params),
  });
}

/** ComputeBudget `setComputeUnitLimit` (prepend to transactions above the 200k default). */
export function computeUnitLimit(units: number): TransactionInstruction {
  return ComputeBudgetProgram.setComputeUnitLimit({ units });
}

/** What `edit_distribution` does: drag one point, or replace the curve by a shape. */
export type DistributionEdit =
  | { kind: "drag"; index: number; value: bigint }
  | { kind: "shape"; shape: Shape; points?: readonly ControlPoint[] };

/** Serializes `edit_distribution(index, value, scale, Option<ShapeParams>)`. */
export function encodeEditDistribution(edit: DistributionEdit, scale: bigint): Buffer {
  if (edit.kind === "drag") {
    return new ByteWriter(8 + 21)
      .raw(EDIT_DISTRIBUTION_DISCRIMINATOR)
      .u32(edit.index)
      .u64(edit.value)
      .u64(scale)
      .u8(0)
      .finish();
  }
  return new ByteWriter(8 + 21 + SHAPE_PARAMS_LEN)
    .raw(EDIT_DISTRIBUTION_DISCRIMINATOR)
    .u32(0)
    .u64(0n)
    .u64(scale)
    .u8(1)
    .raw(encodeShapeParams(edit.shape, edit.points ?? []))
    .finish();
}

/** `edit_distribution`: authority (signer), market (w), its current shard (w). */
export function editDistributionInstruction(
  authority: PublicKey,
  market: PublicKey,
  shardId: number,
  edit: DistributionEdit,
  scale: bigint,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [signer(authority, false), w(market), w(findShardPda(shardId, programId)[0])],
    data: encodeEditDistribution(edit, scale),
  });
}

function simple(
  disc: Uint8Array,
  first: AccountMeta,
  market: PublicKey,
  shardId: number,
  programId: PublicKey,
  extra: AccountMeta[] = [],
  args: Uint8Array = new Uint8Array(0),
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [first, w(market), w(findShardPda(shardId, programId)[0]), ...extra],
    data: Buffer.concat([disc, args]),
  });
}

/** `open_market`: authority (signer), market (w), its current shard (w). */
export function openMarketInstruction(
  authority: PublicKey,
  market: PublicKey,
  shardId: number,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return simple(OPEN_MARKET_DISCRIMINATOR, signer(authority, false), market, shardId, programId);
}

/** `trade`'s direction kinds (the first argument byte; `DirectionKind` in the math crate). */
export const TradeDirectionKind = { Range: 0, Shape: 1, Unwind: 2 } as const;

/**
 * A trade's direction: a grid range `[i0, i1]` (`t > 0` buys it, `t < 0` sells it), a belief
 * shape (the create_market shapes; `t > 0` moves the market toward it), or the position's
 * own payoff (`t` = the fraction to unwind at 1e9, in `1..=1e9`).
 */
export type TradeDirection =
  | { kind: "range"; i0: number; i1: number }
  | { kind: "shape"; shape: Shape; points?: readonly ControlPoint[] }
  | { kind: "unwind" };

/** Arguments of `trade`. */
export interface TradeArgs {
  direction: TradeDirection;
  /** Signed size (base units on the range / at the shape's 1e9 peak; an unwind's fraction at 1e9). */
  t: bigint;
  /** Canonical scale of `h = max(0, f + d(t))` (from the quote). */
  c: bigint;
  /** Largest payment accepted (base units, fee included). */
  maxIn: bigint;
  /** Smallest refund accepted (base units, after the fee); must be 0 for a payment. */
  minOut: bigint;
  /** `Market.tradeCount` the quote saw; omitted: not checked (`u64::MAX`). */
  expectedTradeIndex?: bigint;
}

/** Accounts of `trade`. */
export interface TradeAccounts {
  trader: PublicKey;
  market: PublicKey;
  /** The market's current shard. */
  shardId: number;
  collateral: Collateral;
  programId?: PublicKey;
}

/** `u64::MAX`: `expected_trade_index` not checked. */
export const ANY_TRADE_INDEX = (1n << 64n) - 1n;

/** Serializes `trade(direction, t, c, max_in, min_out, expected_trade_index)`. */
export function encodeTrade(a: TradeArgs): Buffer {
  const d = a.direction;
  const payload =
    d.kind === "range"
      ? new ByteWriter(8).u32(d.i0).u32(d.i1).finish()
      : d.kind === "shape"
        ? encodeShapeParams(d.shape, d.points ?? [])
        : new Uint8Array(0);
  const kind = d.kind === "range" ? TradeDirectionKind.Range : d.kind === "shape" ? TradeDirectionKind.Shape : TradeDirectionKind.Unwind;
  return new ByteWriter(8 + 1 + payload.length + 40)
    .raw(TRADE_DISCRIMINATOR)
    .u8(kind)
    .raw(payload)
    .i64(a.t)
    .u64(a.c)
    .u64(a.maxIn)
    .u64(a.minOut)
    .u64(a.expectedTradeIndex ?? ANY_TRADE_INDEX)
    .finish();
}

/**
 * `trade`: trader (signer, w), market (w), its current shard (w), position PDA
 * `["position", market, trader]` (w), system program, then the money accounts (the trader's
 * token account pays, or receives the refund; create it first with
 * `createCollateralTokenAccountInstruction` if needed).
 */
export function tradeInstruction(accounts: TradeAccounts, args: TradeArgs): TransactionInstruction {
  const programId = accounts.programId ?? PROGRAM_ID;
  const { trader, market, shardId } = accounts;
  const [position] = findPositionPda(market, trader, programId);
  return new TransactionInstruction({
    programId,
    keys: [
      signer(trader),
      w(market),
      w(findShardPda(shardId, programId)[0]),
      w(position),
      SYSTEM,
      ...collateralAccounts(trader, shardId, accounts.collateral, { programId }),
    ],
    data: encodeTrade(args),
  });
}

/** `resolve_market(outcome)`: resolver (signer), market (w), its current shard (w). */
export function resolveMarketInstruction(
  resolver: PublicKey,
  market: PublicKey,
  shardId: number,
  outcome: bigint,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const args = new ByteWriter(8).i64(outcome).finish();
  return simple(RESOLVE_MARKET_DISCRIMINATOR, signer(resolver, false), market, shardId, programId, [], args);
}

/**
 * `claim`: owner (signer, w), market (w), its current shard (w), position (w), then the money
 * accounts (the owner's token account receives the payout). Pays the position and closes it:
 * the owner also gets the position's rent (SOL) back. On a market that `close_market` closed,
 * it pays nothing and only returns the rent (the shard and money accounts are not read).
 */
export function claimInstruction(
  owner: PublicKey,
  market: PublicKey,
  shardId: number,
  collateral: Collateral,
  opts: { position?: PublicKey; programId?: PublicKey } = {},
): TransactionInstruction {
  const programId = opts.programId ?? PROGRAM_ID;
  const position = opts.position ?? findPositionPda(market, owner, programId)[0];
  return simple(CLAIM_DISCRIMINATOR, signer(owner), market, shardId, programId, [
    w(position),
    ...collateralAccounts(owner, shardId, collateral, { programId }),
  ]);
}

/**
 * `claim_lp`: authority (signer, w), market (w), its current shard (w), then the money
 * accounts (the authority's token account receives the LP share).
 */
export function claimLpInstruction(
  authority: PublicKey,
  market: PublicKey,
  shardId: number,
  collateral: Collateral,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return simple(
    CLAIM_LP_DISCRIMINATOR,
    signer(authority),
    market,
    shardId,
    programId,
    collateralAccounts(authority, shardId, collateral, { programId }),
  );
}

/** `cancel_market`: caller (signer), market (w), its current shard (w). */
export function cancelMarketInstruction(
  caller: PublicKey,
  market: PublicKey,
  shardId: number,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return simple(CANCEL_MARKET_DISCRIMINATOR, signer(caller, false), market, shardId, programId);
}

/**
 * `close_market`: authority (signer, w), config, market (w), its current shard (w), then the
 * money accounts. Once every claim is in, or `Config.settlementGraceSeconds` after
 * settlement: the rest of the market's collateral goes to the authority's token account and
 * the market's rent (SOL) to the authority.
 */
export function closeMarketInstruction(
  authority: PublicKey,
  market: PublicKey,
  shardId: number,
  collateral: Collateral,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      signer(authority),
      ro(findConfigPda(programId)[0]),
      w(market),
      w(findShardPda(shardId, programId)[0]),
      ...collateralAccounts(authority, shardId, collateral, { programId }),
    ],
    data: Buffer.from(CLOSE_MARKET_DISCRIMINATOR),
  });
}
