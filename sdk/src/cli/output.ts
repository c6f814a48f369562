/**
 * A command's result: one JSON object on stdout with `--json` (bigints as decimal strings,
 * keys as base58, bytes as hex), else the command's text rendering. Progress and warnings go
 * to stderr, so stdout carries only the result.
 */
import { PublicKey } from "@solana/web3.js";

/** JSON of a command result: bigint -> decimal string, PublicKey -> base58, bytes -> hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof PublicKey) return v.toBase58();
    if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  });
}

/** Where a command writes (stdout/stderr by default; tests pass their own). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(`${t}\n`),
  err: (t) => void process.stderr.write(`${t}\n`),
};

/** Prints `result`: `toJson(result)` with `json`, else `text(result)`. */
export function emit<T>(io: Io, json: boolean, result: T, text: (r: T) => string): void {
  io.out(json ? toJson(result) : text(result));
}
