/**
 * Structured logs: one JSON object per line (`ts`, `level`, `event`, then fields), so log
 * shippers parse them without a grammar. Bigints and public keys are written as strings.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Writes one log record; `fields` are merged into the object after `ts`, `level`, `event`. */
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value && typeof value === "object" && "toBase58" in value && typeof value.toBase58 === "function") {
    return (value as { toBase58(): string }).toBase58();
  }
  return value;
}

/** One JSON line for a record (exported for tests). */
export function formatRecord(level: LogLevel, event: string, fields: Record<string, unknown> = {}, now = new Date()): string {
  return JSON.stringify({ ts: now.toISOString(), level, event, ...fields }, replacer);
}

/** A logger writing JSON lines to `write` (default: stdout). */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  return (level, event, fields) => write(formatRecord(level, event, fields));
}
