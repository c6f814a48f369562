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
