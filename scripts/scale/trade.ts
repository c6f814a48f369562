/**
 * Every trade the scale run places goes through `placeTrade`: the general `trade` instruction,
 * mixing range buys, range sells (of a range the trader holds) and partial unwinds of the
 * trader's position. Each is planned with the SDK's bit-exact mirror (`tradeTarget`,
 * `canonicalScaleOf`, `tradeApply`: what the program computes) and sent with its guards set to
 * exactly the planned amounts and the market's trade index; the chain must then hold the
 * planned curve, payoff and netted collateral, or this throws.
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
import {
  canonicalScaleOf,
  decodeAmmMarket,
  decodePosition,
  directionVector,
  findPositionPda,
  isMathError,
  marketGrid,
  tradeApply,
  tradeInstruction,
  tradeTarget,
  type AmmMarketAccount,
  type TradeDirection,
} from "../../sdk/src/index.js";
import type { World } from "./world.js";

export type TradeKind = "buy" | "sell" | "unwind";

/** What one trade did to the books (base units). */
export interface TradeOutcome {
  kind: TradeKind;
  /** Paid by the trader into the market's shard vault (fee included). */
  amountIn: bigint;
  /** Refunded to the trader from the vault (after the fee). */
  amountOut: bigint;
  fee: bigint;
  shardId: number;
  cu: number;
}

/** What the run knows about one AMM market to trade it. */
export interface TradeTarget {
  address: PublicKey;
  nPoints: number;
}

/** Share of trades that unwind part of a position / sell a held range, when there is one. */
const UNWIND_SHARE = 0.1;
const SELL_SHARE = 0.25;

/**
 * Places one trade by `trader` on `market`, shaped by the uniform draws of `rand`: with a
 * position, 10% unwind 10-100% of it and 25% sell up to 1/200 of the cap on 1-8 grid points
 * around the trader's largest payoff; otherwise a buy of up to 1/200 of the cap on 1-8 random
 * grid points. Returns the refusal's name when the mirror refuses the trade (e.g. `ZeroBet`:
 * no effect at that size); nothing is sent then.
 */
export async function placeTrade(w: World, market: TradeTarget, trader: Keypair, rand: () => number): Promise<TradeOutcome | string> {
  const m = await readMarket(w, market.address);
  const positionAddress = findPositionPda(market.address, trader.publicKey)[0];
  const posAccount = await w.rt.getAccount(positionAddress);
  const position = posAccount ? decodePosition(posAccount.data) : null;
  const n = market.nPoints;
  const payoff = position?.payoff ?? new Array<bigint>(n).fill(0n);
  const held = payoff.some((p) => p !== 0n);
  const u = rand();
  const size = 1n + BigInt(Math.floor(rand() * Number(m.b / 200n)));
  let kind: TradeKind;
  let direction: TradeDirection;
  let t: bigint;
  if (held && u < UNWIND_SHARE) {
    kind = "unwind";
    direction = { kind: "unwind" };
    t = BigInt(100_000_000 + Math.floor(rand() * 900_000_000));
  } else if (held && u < UNWIND_SHARE + SELL_SHARE) {
    kind = "sell";
    const top = payoff.reduce((best, p, i) => (p > payoff[best]! ? i : best), 0);
    const i0 = Math.max(0, top - Math.floor(rand() * 4));
    direction = { kind: "range", i0, i1: Math.min(n - 1, i0 + Math.floor(rand() * 8)) };
    t = -size;
  } else {
    kind = "buy";
    const i0 = Math.floor(rand() * n);
    direction = { kind: "range", i0, i1: Math.min(n - 1, i0 + Math.floor(rand() * 8)) };
    t = size;
  }
  let planned;
  let c: bigint;
  try {
    const dir = directionVector(direction, marketGrid(m));
    c = canonicalScaleOf(tradeTarget(m.curve, dir, t, payoff), m.b, m.normSqBudget);
    planned = tradeApply(m.curve, payoff, dir, t, c, m.b, m.normSqBudget, BigInt(m.feeBps), position?.collateral ?? 0n);
  } catch (e) {
    if (isMathError(e)) return e.errorName;
    throw e;
  }
  const ix = tradeInstruction(
    { trader: trader.publicKey, market: market.address, shardId: m.shardId, collateral: w.rt.collateral },
    { direction, t, c, maxIn: planned.amountIn, minOut: planned.amountOut, expectedTradeIndex: m.tradeCount },
  );
  const res = await w.send([ix], [trader]);
  const after = await readMarket(w, market.address);
  const pos = decodePosition((await w.rt.getAccount(positionAddress))!.data);
  const where = `market ${market.address.toBase58()} (${kind})`;
  if (after.curve.some((v, i) => v !== planned.g[i])) throw new Error(`${where}: curve differs from the plan`);
  if (pos.payoff.some((v, i) => v !== planned.payoff[i]) || pos.collateral !== planned.collateralAfter) throw new Error(`${where}: position differs from the plan`);
  return { kind, amountIn: planned.amountIn, amountOut: planned.amountOut, fee: planned.fee, shardId: m.shardId, cu: res.cu };
}

async function readMarket(w: World, address: PublicKey): Promise<AmmMarketAccount> {
  const acc = await w.rt.getAccount(address);
  if (!acc) throw new Error(`market ${address.toBase58()} not found`);
  return decodeAmmMarket(acc.data);
}
