/**
 * Checks of the quote's inputs that the Rust signatures enforce by their types (u64 values,
 * `usize` indices): in TypeScript a number, a negative or too large bigint, or a fractional
 * or NaN index would otherwise give a TypeError or a meaningless quote.
 */
import * as K from "./constants.js";
import { MathError } from "./errors.js";

// Module-local copies (checked per value in loops; a transpiled import is a getter call).
const U64_MAX = K.U64_MAX;
const U128_MAX = K.U128_MAX;

/** `v` as a u64: a bigint in `[0, 2^64)`, else `Overflow`. */
export function checkU64(v: unknown): bigint {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX) throw new MathError("Overflow");
  return v;
}

/** `v` as a u128 (the norm budget), else `Overflow`. */
export function checkU128(v: unknown): bigint {
  if (typeof v !== "bigint" || v < 0n || v > U128_MAX) throw new MathError("Overflow");
  return v;
}

/** `i` as a grid index: a non-negative safe integer, else `InvalidRange`. */
export function checkIndex(i: unknown): number {
  if (typeof i !== "number" || !Number.isSafeInteger(i) || i < 0) throw new MathError("InvalidRange");
  return i;
}

/**
 * Frozen arrays whose every value was checked (their values cannot change): a cached shape's
 * values and the zero payoff of a new position are checked once, not at every quote.
 */
const checkedU64 = new WeakSet<object>();

/** Every value a u64 ([`checkU64`] on each, in one loop of this module). */
export function checkU64Values(values: Iterable<unknown>): void {
  if (checkedU64.has(values as object)) return;
  for (const v of values) checkU64(v);
  if (Array.isArray(values) && Object.isFrozen(values)) checkedU64.add(values);
}

/** A market curve: an array of u64 values (`Overflow` otherwise; lengths are checked later). */
export function checkCurve(f: unknown): readonly bigint[] {
  if (!Array.isArray(f)) throw new MathError("LengthMismatch");
  for (const v of f) checkU64(v);
  return f as readonly bigint[];
}
