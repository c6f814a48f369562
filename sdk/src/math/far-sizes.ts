/**
 * Belief buys whose answer lies past 2^53 (markets near the 2^56 cap), on a kernel from a
 * shifted origin. With `T0 = tH 1e9`, `floor((T0 + s) phi / 1e9) = tH phi + floor(s phi / 1e9)`
 * exactly, so a kernel on `f' = f + tH phi` with the payoff `P' = P + tH phi` (the collateral's
 * per-point `f' - P' = f - P`) along the same `phi >= 0` has, at size `s`, the `h`, canonical
 * scale, `g` and netted collateral of size `T0 + s`. The search near a far answer then gets what
 * Number sizes get on the kernel: plateau-end hints, probes next to a pass, remembered passes.
 */
import { MathError } from "./errors.js";
import { FastRangeBet, plateauHints } from "./fast.js";
import { SCALE_1E9 } from "./constants.js";

/** Sizes a shifted kernel takes: `1 <= s < 2^53`. */
const REL_MAX = 1n << 53n;
/** How far into its sizes the shifted kernel puts the float estimate of the answer (room on both sides). */
const CENTER = 1n << 51n;
/**
 * Estimates from here on are served from a shifted origin. Below, the kernel's own Number sizes
 * reach the answer and the probes around it (within 2^-10 of the estimate), and staying on one
 * kernel is cheaper (same-process timing of the 2^56 draws of `scripts/bench-quote.ts`: a
 * shifted kernel for answers in [2^52, 2^53) made those quotes about a third slower).
 */
export const FAR_ESTIMATE_MIN = 2 ** 53 - 2 ** 44;

/** The market and trade a [`FarSizes`] shifts. */
export interface FarTrade {
  f: readonly bigint[];
  b: bigint;
  budget: bigint;
  payoff: readonly bigint[];
  /** The belief's values on the grid, every one `>= 0`. */
  phi: readonly bigint[];
  /** `phi` is an array its owner never changes (its kernel figures are shared). */
  sharedPhi: boolean;
}

export class FarSizes {
  private kernel: FastRangeBet | null = null;
  private origin = 0n;

  constructor(
    /** The quote's kernel along `phi` (the shifted one is built from its limbs). */
    private readonly main: FastRangeBet,
    private readonly trade: FarTrade,
    /** The quote's exact scales by absolute size (shared with the main oracle). */
    private readonly scales: Map<bigint, bigint | null>,
  ) {}

  /**
   * Puts the origin `T0` (a multiple of 1e9, at most `estimate - 2^51`) under a float estimate of
   * the answer; false (no shifted kernel) when `f'` leaves the kernel's domain (past 2^57).
   */
  centerOn(estimate: number): boolean {
    const e = BigInt(Math.floor(estimate));
    const tH = (e - CENTER) / SCALE_1E9;
    if (tH <= 0n) return false;
    const { f, b, budget, payoff, phi, sharedPhi } = this.trade;
    this.release();
    const origin = tH * SCALE_1E9;
    this.kernel = this.main.shiftedBy(origin, f, { b, budget, i0: 0, i1: f.length - 1 }, payoff, phi, sharedPhi);
    this.origin = origin;
    return this.kernel !== null;
  }

  /** The shifted kernel set at size `t` (absolute), or null when `t` is not among its sizes or domain. */
  private at(t: bigint): FastRangeBet | null {
    const k = this.kernel;
    if (k === null) return null;
    const s = t - this.origin;
    if (s < 1n || s >= REL_MAX) return null;
    k.setBump(Number(s));
    return k.inDomain ? k : null;
  }

  /** Exact canonical scale of size `t` (`null`: no scale keeps the norm), or undefined if not served here. */
  scaleOf(t: bigint): bigint | null | undefined {
    const k = this.at(t);
    if (k === null) return undefined;
    let c: bigint | null;
    try {
      c = k.exactScale(Number(t - this.origin));
    } catch (e) {
      if (!(e instanceof MathError && e.errorName === "NormConstraintViolated")) throw e;
      c = null;
    }
    this.scales.set(t, c);
    return c;
  }

  /** Certified bounds on the scale of size `t` (tightened by the plateau ends found), or undefined. */
  scaleBounds(t: bigint): { lo: number; hi: number } | null | undefined {
    const k = this.at(t);
    return k === null ? undefined : k.scaleBounds(Number(t - this.origin));
  }

  /** A lower bound of the netted collateral at `(t, c)` (exact below 2^53), or NaN if not served here. */
  collateralLowerBound(t: bigint, c: bigint): number {
    const k = this.at(t);
    if (k === null) return NaN;
    const s = Number(t - this.origin);
    const v = c < 1n << 52n ? k.buyLowerBound(s, Number(c)) : NaN;
    return v === v ? v : k.collateralLowerBound(s, c);
  }

  /** Exact netted collateral at `(t, c)` (below 2^53), or NaN if not served here. */
  collateralAt(t: bigint, c: bigint): number {
    const k = this.at(t);
    return k === null ? NaN : k.collateralAtBump(Number(t - this.origin), c);
  }

  /**
   * [`plateauHints`] around the answer on the shifted kernel, as absolute sizes (their exact
   * scales into `scales`), from the float estimate the origin was centered on (an estimate costs
   * about a third of a quote: not made twice).
   */
  hints(tLo: bigint, tHi: bigint, cap: bigint, estimate: number): bigint[] {
    const k = this.kernel;
    if (k === null) return [];
    const lo = tLo - this.origin > 1n ? tLo - this.origin : 1n;
    const hi = tHi - this.origin < REL_MAX ? tHi - this.origin : REL_MAX - 1n;
    if (hi <= lo) return [];
    const rel = new Map<bigint, bigint | null>();
    const cuts = plateauHints(k, rel, lo, hi, cap, true, estimate - Number(this.origin));
    for (const [s, c] of rel) this.scales.set(s + this.origin, c);
    return cuts.map((s) => s + this.origin);
  }

  /** Hands the shifted kernel's arrays back (see `FastRangeBet.release`). */
  release(): void {
    this.kernel?.release();
    this.kernel = null;
  }
}
