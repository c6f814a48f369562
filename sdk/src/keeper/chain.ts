/**
 * The keeper's view of a chain: a reader (accounts, slot) and a writer (send a transaction).
 * Small on purpose, so the same `Keeper` runs against a real `Connection`
 * (`connectionChain`) and against the embedded test runtimes.
 */
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { customErrorFromLogs, errorName } from "../errors.js";

/** An account as the keeper sees it. */
export interface ChainAccount {
  lamports: bigint;
  owner: PublicKey;
  data: Uint8Array;
}

/** Outcome of one transaction. A failure is a value, never an exception. */
export interface SendResult {
  ok: boolean;
  /** Why it failed (program error name when known, else the runtime's or RPC's text). */
  error?: string;
  /** Custom program error code, when the program returned one. */
  errorCode?: number;
  /** Transaction logs (may be empty when the RPC does not return them). */
  logs: string[];
  /** Transaction signature (base58), when the chain reports one. */
  signature?: string;
}

/** Read access: accounts and the current slot. */
export interface ChainReader {
  /** The account at `pubkey`, or null when it does not exist. */
  getAccount(pubkey: PublicKey): Promise<ChainAccount | null>;
  /** Several accounts at once, in order (optional; `getAccounts` falls back to `getAccount`). */
  getMultipleAccounts?(pubkeys: PublicKey[]): Promise<(ChainAccount | null)[]>;
  /** The slot the chain is at (the Clock sysvar's slot for the next transaction). */
  getSlot(): Promise<bigint>;
}

/** Write access: one transaction of `instructions`, signed by the fee payer and `signers`. */
export interface ChainWriter {
  send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<SendResult>;
}

/** A chain the keeper can read and write. */
export interface Chain extends ChainReader, ChainWriter {}

/** Reads `pubkeys` through `getMultipleAccounts` when the reader has it, else one by one. */
export async function getAccounts(reader: ChainReader, pubkeys: PublicKey[]): Promise<(ChainAccount | null)[]> {
  if (pubkeys.length === 0) return [];
  if (reader.getMultipleAccounts) return reader.getMultipleAccounts(pubkeys);
  return Promise.all(pubkeys.map((k) => reader.getAccount(k)));
}

/** A readable error text: the Continuum error name and code when the logs carry one. */
export function describeFailure(logs: readonly string[], fallback: string, code?: number): { error: string; errorCode?: number } {
  const errorCode = code ?? customErrorFromLogs(logs);
  const name = errorCode === undefined ? undefined : errorName(errorCode);
  return name ? { error: `${name} (${errorCode})`, errorCode } : { error: fallback, ...(errorCode === undefined ? {} : { errorCode }) };
}

/**
 * Sends through `writer`, turning a thrown exception into a failed `SendResult` and naming
 * the Continuum error of a failure when there is one.
 */
export async function safeSend(writer: ChainWriter, instructions: TransactionInstruction[], signers: Keypair[]): Promise<SendResult> {
  try {
    const result = await writer.send(instructions, signers);
    return result.ok ? result : { ...result, ...describeFailure(result.logs, result.error ?? "transaction failed", result.errorCode) };
  } catch (e) {
    const logs = logsOf(e);
    return { ok: false, logs, ...describeFailure(logs, messageOf(e)) };
  }
}

/** The message of a thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Logs attached to a thrown value (web3.js `SendTransactionError.logs`), if any. */
export function logsOf(e: unknown): string[] {
  if (e && typeof e === "object" && "logs" in e && Array.isArray(e.logs)) {
    return e.logs.filter((l): l is string => typeof l === "string");
  }
  return [];
}
