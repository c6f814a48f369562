/**
 * Wide integer helpers; mirrors `crates/continuum-math/src/wide.rs`.
 *
 * The Rust code builds 128-bit products and quotients from 32-bit limbs because SBPF v0 cannot
 * lower u128 multiply/divide; every one of those helpers is exact (the Rust tests check them
 * against native u128). `bigint` is exact too, so the mirror computes the same mathematical
 * value directly and reproduces the Rust range checks (`Overflow`, `DivideByZero`) and casts
 * (`as u64` truncation, saturation) explicitly.
 */
import { SCALE_1E9, SPLIT_FAST_CI_LIMIT, SPLIT_FAST_X_LIMIT, U128_MAX, U64_MAX } from "./constants.js";
import { MathError } from "./errors.js";

/** `x as u64` (truncation to the low 64 bits). */
export const asU64 = (x: bigint): bigint => BigInt.asUintN(64, x);
/** `x as u128`. */
export const asU128 = (x: bigint): bigint => BigInt.asUintN(128, x);
/** `x as i64` (two's complement reinterpretation). */
export const asI64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Mirrors `mul_u64_wide`: exact `a * b` of two u64 as u128. */
export function mulU64Wide(a: bigint, b: bigint): bigint {
  return a * b;
}

/** Mirrors `square_wide`: `x * x` as u128. */
export function squareWide(x: bigint): bigint {
  return x * x;
}

/** Mirrors `mul_u128_u64`: checked `a * b`; `null` (Rust `None`) if it needs more than 128 bits. */
export function mulU128U64(a: bigint, b: bigint): bigint | null {
  const p = a * b;
  return p > U128_MAX ? null : p;
}

/** Quotient and remainder. */
export interface DivRem {
  /** Quotient. */
  q: bigint;
  /** Remainder. */
  r: bigint;
}

/** Mirrors `div_u128_by_u64`: `(n / d, n % d)`; `DivideByZero` if `d == 0`. */
export function divU128ByU64(n: bigint, d: bigint): DivRem {
  if (d === 0n) throw new MathError("DivideByZero");
  return { q: n / d, r: n % d };
}

/** Mirrors `div_u128`: `(n / d, n % d)` for u128 operands; `DivideByZero` if `d == 0`. */
export function divU128(n: bigint, d: bigint): DivRem {
  if (d === 0n) throw new MathError("DivideByZero");
  return { q: n / d, r: n % d };
}

/** Mirrors `mul_div_floor`: `floor(a * b / d)`; `DivideByZero`, `Overflow` above u64. */
export function mulDivFloor(a: bigint, b: bigint, d: bigint): bigint {
  if (d === 0n) throw new MathError("DivideByZero");
  const q = (a * b) / d;
  if (q > U64_MAX) throw new MathError("Overflow");
  return q;
}

/** Mirrors `mul_div_ceil`: `ceil(a * b / d)`; `DivideByZero`, `Overflow` above u64. */
export function mulDivCeil(a: bigint, b: bigint, d: bigint): bigint {
  if (d === 0n) throw new MathError("DivideByZero");
  const p = a * b;
  let q = p / d;
  if (p % d !== 0n) q += 1n;
  if (q > U64_MAX) throw new MathError("Overflow");
  return q;
}

/** Mirrors `div_ceil_u128`: `ceil(n / d)` for u128 operands; `DivideByZero`. */
export function divCeilU128(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new MathError("DivideByZero");
  const q = n / d;
  return n % d !== 0n ? q + 1n : q;
}

/** Number of significant bits of a non-negative bigint (0 for 0). */
function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Mirrors `isqrt_u128`: exact `floor(sqrt(n))`, digit by digit (2 bits per step), the same
 * shift-and-subtract loop as the Rust code.
 */
export function isqrtU128(n: bigint): bigint {
  if (n === 0n) return 0n;
  let bit = 1n << BigInt((bitLength(n) - 1) & ~1);
  let op = n;
  let res = 0n;
  while (bit !== 0n) {
    if (op >= res + bit) {
      op -= res + bit;
      res = (res >> 1n) + bit;
    } else {
      res >>= 1n;
    }
    bit >>= 2n;
  }
  return res;
}

/** Mirrors `isqrt_u64`: exact `floor(sqrt(n))` for a u64 (same algorithm). */
export function isqrtU64(n: bigint): bigint {
  return isqrtU128(n);
}

/** Mirrors `add_u64`: checked add, `Overflow` on wrap. */
export function addU64(a: bigint, b: bigint): bigint {
  const s = a + b;
  if (s > U64_MAX) throw new MathError("Overflow");
  return s;
}

/** Mirrors `sub_u64`: checked sub, `Overflow` on underflow. */
export function subU64(a: bigint, b: bigint): bigint {
  if (b > a) throw new MathError("Overflow");
  return a - b;
}

/** Mirrors `add_u128`: checked add, `Overflow` on wrap. */
export function addU128(a: bigint, b: bigint): bigint {
  const s = a + b;
  if (s > U128_MAX) throw new MathError("Overflow");
  return s;
}

/** Mirrors `sub_u128`: checked sub, `Overflow` on underflow. */
export function subU128(a: bigint, b: bigint): bigint {
  if (b > a) throw new MathError("Overflow");
  return a - b;
}

/**
 * Mirrors `Scale1e9`: a 1e9 fixed-point scale split as `c = ci * 1e9 + cf`. Both Rust paths
 * (split and wide) compute `min(u64::MAX, floor(c * x / 1e9))` exactly; so does this class.
 */
export class Scale1e9 {
  /** The scale `c`. */
  readonly c: bigint;
  /** `c / 1e9`. */
  readonly ci: bigint;
  /** `c % 1e9`. */
  readonly cf: bigint;

  /** Mirrors `Scale1e9::new`. */
  constructor(c: bigint) {
    this.c = c;
    this.ci = c / SCALE_1E9;
    this.cf = c % SCALE_1E9;
  }

  /** Mirrors `Scale1e9::apply`: `min(u64::MAX, floor(c * x / 1e9))`. */
  apply(x: bigint): bigint {
    if (x < SPLIT_FAST_X_LIMIT && this.ci < SPLIT_FAST_CI_LIMIT) {
      return this.ci * x + (this.cf * x) / SCALE_1E9;
    }
    return scaleFloor1e9Wide(this.c, x);
  }

  /**
   * Mirrors `Scale1e9::apply_pair`: `(floor(c x / 1e9), floor((c + 1) x / 1e9))`, both
   * saturated at u64::MAX (the second uses `c.saturating_add(1)` on the wide path).
   */
  applyPair(x: bigint): [bigint, bigint] {
    if (x < SPLIT_FAST_X_LIMIT && this.ci < SPLIT_FAST_CI_LIMIT) {
      const p = this.cf * x;
      const q = p / SCALE_1E9;
      const r = p - q * SCALE_1E9;
      const v = this.ci * x + q;
      let v1 = v + (r + x) / SCALE_1E9;
      if (v1 > U64_MAX) v1 = U64_MAX;
      return [v, v1];
    }
    const c1 = this.c < U64_MAX ? this.c + 1n : U64_MAX;
    return [scaleFloor1e9Wide(this.c, x), scaleFloor1e9Wide(c1, x)];
  }
}

/** Mirrors `scale_floor_1e9_wide`: `min(u64::MAX, floor(c * x / 1e9))`. */
export function scaleFloor1e9Wide(c: bigint, x: bigint): bigint {
  const q = (c * x) / SCALE_1E9;
  return q > U64_MAX ? U64_MAX : q;
}

/** Mirrors `scale_floor_1e9`: `min(u64::MAX, floor(c * x / 1e9))`. */
export function scaleFloor1e9(c: bigint, x: bigint): bigint {
  return new Scale1e9(c).apply(x);
}
