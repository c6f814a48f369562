/** Finding a market (by market key or account address) and a position, decoded by the SDK. */
import { PublicKey } from "@solana/web3.js";
import { decodeAmmMarket, decodePosition, type AmmMarketAccount, type PositionAccount } from "../accounts/amm.js";
import { MarketStatus } from "../accounts/market.js";
import { findMarketPda, findPositionPda } from "../pda.js";
import { parseMarketKey } from "./args.js";
import { CliError } from "./errors.js";
import type { CliContext } from "./options.js";

/** A market as the commands see it. */
export interface LoadedMarket {
  address: PublicKey;
  market: AmmMarketAccount;
}

/** `MarketStatus` names by value. */
export const STATUS_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(MarketStatus).map(([name, value]) => [value, name]),
);

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `Unknown(${status})`;
}

/**
 * The AMM market named by `text`: a market key (its Market PDA) or the Market account's
 * address.
 */
export async function loadMarket(ctx: CliContext, text: string): Promise<LoadedMarket> {
  const key = parseMarketKey(text);
  const byKey = findMarketPda(key, ctx.programId)[0];
  let address = byKey;
  let account = await ctx.reader.getAccount(byKey);
  if (!account) {
    address = new PublicKey(key);
    account = await ctx.reader.getAccount(address);
  }
  if (!account) throw new CliError(`no market for key or address ${text} at ${ctx.url}`);
  if (!account.owner.equals(ctx.programId)) throw new CliError(`${address.toBase58()} is not owned by the program ${ctx.programId.toBase58()}`);
  try {
    return { address, market: decodeAmmMarket(account.data) };
  } catch (e) {
    throw new CliError(`${address.toBase58()} is not an AMM market: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `owner`'s position on the market (null when it has none, or it was claimed and closed). */
export async function loadPosition(ctx: CliContext, market: PublicKey, owner: PublicKey): Promise<{ address: PublicKey; position: PositionAccount | null }> {
  const [address] = findPositionPda(market, owner, ctx.programId);
  const account = await ctx.reader.getAccount(address);
  return { address, position: account ? decodePosition(account.data) : null };
}

/** The outcome at grid index `i`. */
export function outcomeAt(m: Pick<AmmMarketAccount, "lo" | "step">, i: number): bigint {
  return m.lo + m.step * BigInt(i);
}
