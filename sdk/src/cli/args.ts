/**
 * Parsers of command arguments: each turns text into the SDK's units (outcomes i64, 1e9 fixed
 * point, base units, unix seconds) or throws a `CliError` that names the argument.
 */
import { PublicKey } from "@solana/web3.js";
import { parseAmount } from "../collateral.js";
import { SCALE_1E9 } from "../math/constants.js";
import type { MixtureComponent, NormalParams } from "../math/shapes.js";
import { CliError } from "./errors.js";

/** A market key from base58 or hex (64 hex digits, optional `0x`). */
export function parseMarketKey(text: string): Uint8Array {
  const hex = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return Uint8Array.from(Buffer.from(hex, "hex"));
  try {
    return new PublicKey(text).toBytes();
  } catch {
    throw new CliError(`not a market key or address (base58 or 64 hex digits): ${text}`);
  }
}

/** A (signed) integer. */
export function parseInteger(text: string, what: string): bigint {
  if (!/^-?\d+$/.test(text.trim())) throw new CliError(`${what} must be an integer, got ${text}`);
  return BigInt(text.trim());
}

/** An integer in `[min, max]`, as a number. */
export function parseIntIn(text: string, what: string, min: number, max: number): number {
  const v = parseInteger(text, what);
  if (v < BigInt(min) || v > BigInt(max)) throw new CliError(`${what} must be in ${min}..=${max}, got ${text}`);
  return Number(v);
}

/** A signed decimal as 1e9 fixed point (`"-1.5"` -> -1_500_000_000n), exact to 9 decimals. */
export function parseFixed1e9(text: string, what: string): bigint {
  const t = text.trim();
  const negative = t.startsWith("-");
  try {
    const v = parseAmount(negative ? t.slice(1) : t, 9);
    return negative ? -v : v;
  } catch {
    throw new CliError(`${what} must be a decimal number (at most 9 decimals), got ${text}`);
  }
}

/** A token amount (decimals allowed) as base units of a mint with `decimals`. */
export function parseTokens(text: string, decimals: number, what: string): bigint {
  try {
    return parseAmount(text, decimals);
  } catch (e) {
    throw new CliError(`${what}: ${e instanceof Error ? e.message : String(e)} (an amount of tokens, at most ${decimals} decimals)`);
  }
}

/** `a:b` (outcome values, integers, a <= b). */
export function parseRange(text: string, what = "--range"): { from: bigint; to: bigint } {
  const m = /^\s*(-?\d+)\s*:\s*(-?\d+)\s*$/.exec(text);
  if (!m) throw new CliError(`${what} must be a:b (two integer outcomes), got ${text}`);
  const from = BigInt(m[1]!);
  const to = BigInt(m[2]!);
  if (from > to) throw new CliError(`${what}: ${from} > ${to}`);
  return { from, to };
}

/** `mu,sigma` (outcome units, decimals allowed) as `NormalParams` (1e9 fixed point). */
export function parseNormal(text: string, what = "--normal"): NormalParams {
  const parts = text.split(",");
  if (parts.length !== 2) throw new CliError(`${what} must be mu,sigma, got ${text}`);
  const mean1e9 = parseFixed1e9(parts[0]!, `${what} mu`);
  const sigma1e9 = parseFixed1e9(parts[1]!, `${what} sigma`);
  if (sigma1e9 <= 0n) throw new CliError(`${what} sigma must be positive, got ${parts[1]}`);
  return { mean1e9, sigma1e9 };
}

/** `mu,sigma,weight;mu,sigma,weight...` (weights are shares, e.g. 0.3) as mixture components. */
export function parseMixture(text: string): MixtureComponent[] {
  const comps = text.split(";").filter((s) => s.trim() !== "");
  if (comps.length === 0) throw new CliError("--mixture needs at least one mu,sigma,weight component");
  return comps.map((c, i) => {
    const parts = c.split(",");
    if (parts.length !== 3) throw new CliError(`--mixture component ${i + 1} must be mu,sigma,weight, got ${c}`);
    const { mean1e9, sigma1e9 } = parseNormal(`${parts[0]},${parts[1]}`, `--mixture component ${i + 1}`);
    const weight1e9 = parseFixed1e9(parts[2]!, `--mixture component ${i + 1} weight`);
    if (weight1e9 <= 0n) throw new CliError(`--mixture component ${i + 1} weight must be positive`);
    return { mean1e9, sigma1e9, weight1e9 };
  });
}

/** A fraction in (0, 1] as 1e9 fixed point (`"0.25"` -> 250_000_000n). */
export function parseFraction1e9(text: string, what = "--fraction"): bigint {
  const v = parseFixed1e9(text, what);
  if (v <= 0n || v > SCALE_1E9) throw new CliError(`${what} must be in (0, 1], got ${text}`);
  return v;
}

const UNIT_SECONDS: Readonly<Record<string, bigint>> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/** A duration `90s`, `30m`, `12h`, `7d`, `2w` (or plain seconds) in seconds. */
export function parseDuration(text: string, what: string): bigint {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/.exec(text);
  if (!m) throw new CliError(`${what} must be a duration like 90s, 30m, 12h, 7d, got ${text}`);
  const v = BigInt(m[1]!) * UNIT_SECONDS[m[2] || "s"]!;
  if (v <= 0n) throw new CliError(`${what} must be positive`);
  return v;
}

/** A deadline: unix seconds, or an ISO-8601 date (`2026-11-03T00:00:00Z`). */
export function parseDeadline(text: string, what: string): bigint {
  if (/^\d+$/.test(text.trim())) return BigInt(text.trim());
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new CliError(`${what} must be unix seconds or an ISO date, got ${text}`);
  return BigInt(Math.floor(ms / 1000));
}
