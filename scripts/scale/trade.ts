/**
 * Every trade the scale run places goes through `placeTrade`: today a range BUY priced by the
 * SDK (`priceDistributionBet`: `quoteRangeBet` + the `trade_range_bet` builder). When the
 * general `trade` instruction (sells, Normal beliefs, fees) is merged, this is the one
 * function to switch (mixing buys and sells); the run's books (`TradeBooks`) already count
 * money in and out separately so conservation holds either way.
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
import { decodeAmmMarket, isMathError, priceDistributionBet, type AmmMarketAccount } from "../../sdk/src/index.js";
import type { World } from "./world.js";

/** What one trade did to the books (base units). */
export interface TradeOutcome {
  /** Paid by the trader into the market's shard vault. */
  amountIn: bigint;
  /** Refunded to the trader from the vault (0 for a buy). */
  amountOut: bigint;
  shardId: number;
  cu: number;
}

/** What the run knows about one AMM market to trade it. */
export interface TradeTarget {
  address: PublicKey;
  nPoints: number;
}

/**
 * Places one trade by `trader` on `market`, shaped by the uniform draws of `rand`: a range of
 * 1..8 grid points and a budget of up to 0.5% of the market's cap. Returns null when the
 * quote has no effect at that size (`ZeroBet`: nothing is sent). The program must produce the
 * quoted curve bit for bit, or this throws.
 */
export async function placeTrade(w: World, market: TradeTarget, trader: Keypair, rand: () => number): Promise<TradeOutcome | null> {
  const before = await readMarket(w, market.address);
  const n = market.nPoints;
  const i0 = Math.floor(rand() * n);
  const i1 = Math.min(n - 1, i0 + Math.floor(rand() * 8));
  const amount = 1n + BigInt(Math.floor(rand() * Number(before.b / 200n)));
  let priced;
  try {
    priced = priceDistributionBet(before, market.address, trader.publicKey, amount, { i0, i1 }, w.rt.collateral);
  } catch (e) {
    if (isMathError(e, "ZeroBet")) return null;
    throw e;
  }
  const res = await w.send([priced.instruction], [trader]);
  const after = await readMarket(w, market.address);
  if (after.curve.some((v, i) => v !== priced.quote.curve[i])) throw new Error(`market ${market.address.toBase58()}: curve differs from the quote`);
  return { amountIn: priced.quote.collateral, amountOut: 0n, shardId: before.shardId, cu: res.cu };
}

async function readMarket(w: World, address: PublicKey): Promise<AmmMarketAccount> {
  const acc = await w.rt.getAccount(address);
  if (!acc) throw new Error(`market ${address.toBase58()} not found`);
  return decodeAmmMarket(acc.data);
}
