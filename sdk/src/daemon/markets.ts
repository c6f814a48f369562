/**
 * One scan of every Market account of the program (`getProgramAccounts`): which markets are
 * on which shard with what on-chain load (a contention report names the shard's hottest), and
 * the AMM markets' curves for the norm check. Scans are per latency window, not per tick: a
 * program-wide scan is the most expensive call the daemon makes.
 */
import type { Connection, PublicKey } from "@solana/web3.js";
import { AMM_MARKET_FIXED_LEN, decodeAmmMarket, type AmmMarketAccount } from "../accounts/amm.js";
import { decodeMarketHeader, MARKET_DISCRIMINATOR, type MarketHeaderAccount } from "../accounts/market.js";
import { loadEmaAt } from "../sharding/load.js";

/** A scan's result. */
export interface MarketScan {
  /** Market headers by hex market key. */
  headers: Map<string, MarketHeaderAccount>;
  /** AMM markets (those with a curve), by hex market key. */
  amm: Map<string, AmmMarketAccount>;
  /** Accounts that carry the Market discriminator but did not decode. */
  undecodable: number;
}

/** Reads every Market account owned by `programId`. */
export async function scanMarkets(connection: Connection, programId: PublicKey): Promise<MarketScan> {
  const accounts = await connection.getProgramAccounts(programId, {
    commitment: "confirmed",
    filters: [{ memcmp: { offset: 0, bytes: base58(MARKET_DISCRIMINATOR) } }],
  });
  const headers = new Map<string, MarketHeaderAccount>();
  const amm = new Map<string, AmmMarketAccount>();
  let undecodable = 0;
  for (const { account } of accounts) {
    const data = Uint8Array.from(account.data);
    try {
      const header = decodeMarketHeader(data);
      const key = Buffer.from(header.marketKey).toString("hex");
      headers.set(key, header);
      if (data.length >= AMM_MARKET_FIXED_LEN) amm.set(key, decodeAmmMarket(data));
    } catch {
      undecodable++;
    }
  }
  return { headers, amm, undecodable };
}

/** The market on `shardId` with the highest on-chain load at `slot` (ties: lowest key), if any. */
export function hottestMarketOn(scan: MarketScan, shardId: number, slot: bigint): Uint8Array | null {
  let best: { key: string; load: bigint } | null = null;
  for (const [key, h] of scan.headers) {
    if (h.shardId !== shardId) continue;
    const load = loadEmaAt(h.load, slot);
    if (!best || load > best.load || (load === best.load && key < best.key)) best = { key, load };
  }
  return best ? Uint8Array.from(Buffer.from(best.key, "hex")) : null;
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58 of a few bytes (a memcmp filter's encoding every RPC node accepts). */
export function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
