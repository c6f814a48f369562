/**
 * What a failed command prints: a program error by its code and name
 * (`6047 SlippageExceeded: The collateral exceeds ...`), a math error by its name, a usage error
 * as it is. Never a stack trace: every failure becomes one `ErrorReport`.
 */
import { CommanderError } from "commander";
import { CONTINUUM_ERRORS, errorName } from "../errors.js";
import { ERROR_CODE_OFFSET } from "../constants.js";
import { MathError } from "../math/errors.js";
import type { SendResult } from "../keeper/chain.js";

/** A failure the CLI explains itself (bad input, missing account). */
export class CliError extends Error {
  override readonly name = "CliError";
}

/** A transaction the chain refused; `code` is the program's custom error when it returned one. */
export class TransactionError extends Error {
  override readonly name = "TransactionError";
  constructor(
    readonly what: string,
    readonly result: SendResult,
  ) {
    super(`${what} failed: ${result.error ?? "transaction failed"}`);
  }
}

/** One failure as printed: text on stderr, and `{ "error": ErrorReport }` on stdout with `--json`. */
export interface ErrorReport {
  /** Program error code (6000 + n) for a program error. */
  code?: number;
  /** The program or math error's name, else the kind of failure (`UsageError`, `Error`). */
  name: string;
  message: string;
  /** What was being sent, for a refused transaction. */
  operation?: string;
  signature?: string;
  /** The last program logs of a refused transaction. */
  logs?: string[];
}

/** The program's message for a custom error code. */
export function programErrorMessage(code: number): string | undefined {
  return CONTINUUM_ERRORS[code - ERROR_CODE_OFFSET]?.[1];
}

/** The report of any thrown value. */
export function describeError(e: unknown): ErrorReport {
  if (e instanceof TransactionError) {
    const code = e.result.errorCode;
    const name = code === undefined ? undefined : errorName(code);
    const base = { operation: e.what, ...(e.result.signature ? { signature: e.result.signature } : {}), ...(e.result.logs.length ? { logs: e.result.logs.slice(-8) } : {}) };
    if (code !== undefined && name) return { code, name, message: `${programErrorMessage(code)} (${e.what})`, ...base };
    // A refusal that is not a Continuum error (a token program error, an RPC failure).
    return { ...(code === undefined ? {} : { code }), name: "TransactionFailed", message: `${e.what}: ${e.result.error ?? "transaction failed"}`, ...base };
  }
  if (e instanceof MathError) return { name: e.errorName, message: e.message };
  if (e instanceof CommanderError) return { name: "UsageError", message: e.message.replace(/^error: /, "") };
  if (e instanceof CliError) return { name: "Error", message: e.message };
  if (e instanceof Error) return { name: "Error", message: e.message };
  return { name: "Error", message: String(e) };
}

/** The one stderr line of a report: `6047 SlippageExceeded: ...`, `ZeroBet: ...`, `error: ...`. */
export function formatError(r: ErrorReport): string {
  if (r.code !== undefined && r.name !== "TransactionFailed") return `${r.code} ${r.name}: ${r.message}`;
  if (r.name === "Error" || r.name === "UsageError" || r.name === "TransactionFailed") return `error: ${r.message}`;
  return `${r.name}: ${r.message}`;
}
