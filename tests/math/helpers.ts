/** Helpers shared by the math tests. */
import * as M from "../../sdk/src/math/index.js";

/** The `MathError` name `fn` throws ("no error" / "not a MathError: ..." otherwise). */
export function mathErrorName(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof M.MathError) return e.errorName;
    return `not a MathError: ${String(e)}`;
  }
  return "no error";
}

/** Deterministic LCG in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `max(0, max_i (f_i - P_i - min(b, floor(c h_i / 1e9))))` in bigint: the netted collateral of `h` at scale `c`. */
export function nettedCost(f: readonly bigint[], payoff: readonly bigint[], h: readonly bigint[], b: bigint, c: bigint): bigint {
  const sc = new M.Scale1e9(c);
  let worst = 0n;
  for (let i = 0; i < f.length; i++) {
    const raw = sc.apply(h[i] as bigint);
    const d = (f[i] as bigint) - (payoff[i] as bigint) - (raw < b ? raw : b);
    if (d > worst) worst = d;
  }
  return worst;
}

/**
 * The size oracle of the reference searches: exact scales of each bigint `h(t)` along `dir`
 * (`canonicalScaleOf`, equal to the Rust bisection; null when no scale exists) and exact bigint
 * netted collateral, no bounds, no hints, no kernel figure.
 */
export function exactSizeOracle(m: M.TradeMarket, payoff: readonly bigint[], dir: M.DirectionVector): M.BumpOracle {
  const f = m.curve;
  const scaleOf = (t: bigint): bigint | null => {
    try {
      return M.canonicalScaleOf(M.tradeTarget(f, dir, t, payoff), m.b, m.normSqBudget);
    } catch (e) {
      if (M.isMathError(e, "NormConstraintViolated")) return null;
      throw e;
    }
  };
  const cost = (t: bigint, c: bigint): bigint => nettedCost(f, payoff, M.tradeTarget(f, dir, t, payoff), m.b, c);
  return {
    scaleOf,
    scaleBounds: (t) => {
      const c = scaleOf(t);
      return c === null ? null : { lo: c, hi: c };
    },
    collateralLowerBound: cost,
    collateralAt: cost,
  };
}
