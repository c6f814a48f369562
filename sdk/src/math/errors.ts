/**
 * Errors of the math mirror; mirrors `crates/continuum-math/src/error.rs` (`MathError`).
 * Discriminants are stable and equal to the Rust `#[repr(u32)]` values; `InvalidDirection` (last) is
 * TypeScript only: a direction object of unknown kind, which Rust's enum cannot express.
 */

/** Rust `MathError` variant names, indexed by discriminant. */
export const MATH_ERROR_NAMES = [
  "Overflow",
  "DivideByZero",
  "InsufficientPoints",
  "InvalidGrid",
  "InvalidRange",
  "NormConstraintViolated",
  "MaxBoundExceeded",
  "IntegrationFailed",
  "InvalidShape",
  "ZeroBet",
  "NotCanonical",
  "LengthMismatch",
  "InvalidUnwindFraction",
  "NothingToUnwind",
  "FeeTooHigh",
  "InvalidDirection",
] as const;

/** A Rust `MathError` variant name. */
export type MathErrorName = (typeof MATH_ERROR_NAMES)[number];

/** Discriminants of `MathError` (`MathErrorCode.Overflow === 0`, ...). */
export const MathErrorCode = {
  Overflow: 0,
  DivideByZero: 1,
  InsufficientPoints: 2,
  InvalidGrid: 3,
  InvalidRange: 4,
  NormConstraintViolated: 5,
  MaxBoundExceeded: 6,
  IntegrationFailed: 7,
  InvalidShape: 8,
  ZeroBet: 9,
  NotCanonical: 10,
  LengthMismatch: 11,
  InvalidUnwindFraction: 12,
  NothingToUnwind: 13,
  FeeTooHigh: 14,
  /** TypeScript only (no Rust variant): a direction object of unknown kind. */
  InvalidDirection: 15,
} as const satisfies Record<MathErrorName, number>;

const MESSAGES: Record<MathErrorName, string> = {
  Overflow: "A result does not fit its integer type",
  DivideByZero: "Division by zero",
  InsufficientPoints: "Fewer than 3 grid points",
  InvalidGrid: "Invalid grid (even point count, length mismatch, hi <= lo or uneven step)",
  InvalidRange: "Index range outside the grid or reversed",
  NormConstraintViolated: "No canonical scale exists: even the largest scale stays within the norm",
  MaxBoundExceeded: "The shape cannot satisfy max f <= b at norm k",
  IntegrationFailed: "Zero total mass where a probability is required",
  InvalidShape: "Invalid shape parameters",
  ZeroBet: "The range bet has no effect",
  NotCanonical: "The claimed scale is not canonical",
  LengthMismatch: "A slice does not have the grid's length",
  InvalidUnwindFraction: "An unwind fraction must be in 1..=1e9",
  NothingToUnwind: "The position's payoff is zero everywhere: nothing to unwind",
  FeeTooHigh: "fee_bps above MAX_FEE_BPS (1000)",
  InvalidDirection: "Unknown trade direction kind, or a size request that does not fit the direction",
};

/**
 * A failure of the math mirror, thrown where the Rust function returns `Err(MathError::X)`.
 * `errorName` (and `name`) is the Rust variant name, `code` its discriminant; test with
 * `instanceof MathError` or [`isMathError`].
 */
export class MathError extends Error {
  /** The Rust discriminant. */
  readonly code: number;
  /** The Rust variant name, e.g. `"NormConstraintViolated"`. */
  readonly errorName: MathErrorName;
  /** Same as `errorName` (so `String(e)` reads `"NormConstraintViolated: ..."`). */
  override readonly name: MathErrorName;

  constructor(errorName: MathErrorName) {
    super(MESSAGES[errorName]);
    this.name = errorName;
    this.errorName = errorName;
    this.code = MathErrorCode[errorName];
  }

  /** The error for a discriminant (throws `RangeError` on an unknown code). */
  static fromCode(code: number): MathError {
    const n = MATH_ERROR_NAMES[code];
    if (n === undefined) throw new RangeError(`unknown MathError code ${code}`);
    return new MathError(n);
  }
}

/** `true` if `e` is a `MathError`, optionally of the given variant. */
export function isMathError(e: unknown, name?: MathErrorName): e is MathError {
  return e instanceof MathError && (name === undefined || e.errorName === name);
}
