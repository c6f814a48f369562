/**
 * Loads `tests/vectors/*.json` (written by `crates/continuum-math/examples/gen_vectors.rs`) and
 * dispatches each case by Rust function name to the TypeScript mirror.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as M from "../../sdk/src/math/index.js";

export interface VectorCase {
  fn: string;
  in: Record<string, unknown>;
  out?: unknown;
  error?: string;
}

export interface VectorFile {
  module: string;
  count: number;
  cases: VectorCase[];
}

export const VECTOR_DIR = fileURLToPath(new URL("../vectors/", import.meta.url));

export function loadVectorFiles(): VectorFile[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(VECTOR_DIR, f), "utf8")) as VectorFile);
}

const big = (v: unknown): bigint => {
  if (typeof v !== "string") throw new Error(`expected decimal string, got ${JSON.stringify(v)}`);
  return BigInt(v);
};
const num = (v: unknown): number => {
  const b = big(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`index too large: ${b}`);
  return Number(b);
};
const bigs = (v: unknown): bigint[] => {
  if (!Array.isArray(v)) throw new Error(`expected array, got ${JSON.stringify(v)}`);
  return v.map(big);
};
const s = (v: bigint): string => v.toString();
const ss = (v: readonly bigint[]): string[] => v.map(s);

function grid(i: Record<string, unknown>): M.Grid {
  return { lo: big(i.lo), hi: big(i.hi), n: num(i.n) };
}

function shape(v: unknown): M.Shape {
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case "Normal":
      return { kind: "Normal", mean1e9: big(o.mean_1e9), sigma1e9: big(o.sigma_1e9) };
    case "Uniform":
      return { kind: "Uniform", a: big(o.a), b: big(o.b) };
    case "Mixture":
      return {
        kind: "Mixture",
        comps: (o.comps as Record<string, unknown>[]).map((c) => ({
          mean1e9: big(c.mean_1e9),
          sigma1e9: big(c.sigma_1e9),
          weight1e9: big(c.weight_1e9),
        })),
      };
    case "TrimodalElection":
    case "SkewedLaunch":
    case "LeptokurticIndicator":
    case "Custom":
      return { kind: o.kind };
    default:
      throw new Error(`unknown shape kind ${String(o.kind)}`);
  }
}

function points(v: unknown): M.ControlPoint[] {
  return (v as Record<string, unknown>[]).map((p) => ({ x: big(p.x), y: big(p.y) }));
}

const query = (i: Record<string, unknown>): M.RangeBetQuery => ({
  b: big(i.b),
  budget: big(i.budget),
  i0: num(i.i0),
  i1: num(i.i1),
});

/**
 * A `trade_apply` direction. A Shape carries its grid, shape and the Rust `shape_values`: the
 * mirror recomputes `phi` from the shape (`directionVector`) and must find the same values.
 */
function direction(v: unknown): M.DirectionVector {
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case "Range":
      return { kind: "range", i0: num(o.i0), i1: num(o.i1) };
    case "Unwind":
      return { kind: "unwind" };
    case "Shape": {
      const dir = M.directionVector({ kind: "shape", shape: shape(o.shape), points: points(o.points) }, grid(o));
      if (dir.kind !== "shape" || JSON.stringify(ss(dir.phi)) !== JSON.stringify(o.phi)) {
        throw new Error("shape_values of the direction differ from the Rust phi");
      }
      return dir;
    }
    default:
      throw new Error(`unknown direction kind ${String(o.kind)}`);
  }
}

/** Runs one case; returns the JSON-shaped output (decimal strings, booleans, objects). */
export type Runner = (i: Record<string, unknown>) => unknown;

export const RUNNERS: Record<string, Runner> = {
  // wide
  mul_u64_wide: (i) => s(M.mulU64Wide(big(i.a), big(i.b))),
  mul_div_floor: (i) => s(M.mulDivFloor(big(i.a), big(i.b), big(i.d))),
  mul_div_ceil: (i) => s(M.mulDivCeil(big(i.a), big(i.b), big(i.d))),
  scale_floor_1e9: (i) => s(M.scaleFloor1e9(big(i.c), big(i.x))),
  scale_pair_1e9: (i) => ss(new M.Scale1e9(big(i.c)).applyPair(big(i.x))),
  div_u128_by_u64: (i) => {
    const { q, r } = M.divU128ByU64(big(i.n), big(i.d));
    return { q: s(q), r: s(r) };
  },
  div_u128: (i) => {
    const { q, r } = M.divU128(big(i.n), big(i.d));
    return { q: s(q), r: s(r) };
  },
  isqrt_u64: (i) => s(M.isqrtU64(big(i.n))),
  isqrt_u128: (i) => s(M.isqrtU128(big(i.n))),
  add_u64: (i) => s(M.addU64(big(i.a), big(i.b))),
  sub_u64: (i) => s(M.subU64(big(i.a), big(i.b))),
  // simpson
  weighted_sum: (i) => s(M.weightedSum(bigs(i.f))),
  weighted_sum_sq: (i) => s(M.weightedSumSq(bigs(i.f))),
  integral_floor: (i) => s(M.integralFloor(big(i.ws), big(i.h_step))),
  integral_ceil: (i) => s(M.integralCeil(big(i.ws), big(i.h_step))),
  range_mass: (i) => s(M.rangeMass(bigs(i.f), num(i.i0), num(i.i1))),
  trapezoid_sum: (i) => s(M.trapezoidSum(bigs(i.f))),
  range_probability_1e9: (i) => s(M.rangeProbability1e9(bigs(i.f), num(i.i0), num(i.i1))),
  probability_1e9: (i) => s(M.probability1e9(big(i.mass), big(i.total))),
  weighted_dot: (i) => s(M.weightedDot(bigs(i.a), bigs(i.b))),
  grid_step: (i) => s(M.gridStep(grid(i))),
  // exp
  exp_neg_1e18: (i) => s(M.expNeg1e18(big(i.y_1e9))),
  exp_neg_1e9: (i) => s(M.expNeg1e9(big(i.y_1e9))),
  // shapes
  shape_values: (i) => ss(M.shapeValues(grid(i), shape(i.shape), points(i.points))),
  gaussian_1e9: (i) => s(M.gaussian1e9(big(i.x), { mean1e9: big(i.mean_1e9), sigma1e9: big(i.sigma_1e9) })),
  check_normal_sigma: (i) => {
    M.checkNormalSigma(big(i.sigma_1e9), big(i.k), big(i.b));
    return true;
  },
  // project
  norm_sq_budget: (i) => s(M.normSqBudget(big(i.k), big(i.h_step))),
  norm_sq_budget_from_k_sq: (i) => s(M.normSqBudgetFromKSq(big(i.k_sq), big(i.h_step))),
  canonical_scale: (i) => s(M.canonicalScale(bigs(i.h), big(i.b), big(i.budget))),
  verify_canonical: (i) => {
    M.verifyCanonical(bigs(i.h), big(i.b), big(i.budget), big(i.c));
    return true;
  },
  apply_scale: (i) => ss(M.applyScale(bigs(i.h), big(i.b), big(i.c))),
  scale_passes: (i) => M.scalePasses(M.plainCurve(bigs(i.h)), big(i.b), big(i.budget), big(i.c)),
  // trade
  solve_range_bet: (i) => {
    const r = M.solveRangeBet(bigs(i.f), query(i), big(i.amount));
    return { t: s(r.t), c: s(r.c), collateral: s(r.collateral) };
  },
  collateral_for_bump: (i) => {
    const r = M.collateralForBump(bigs(i.f), query(i), big(i.t));
    return { c: s(r.c), collateral: s(r.collateral) };
  },
  range_bet_apply: (i) => {
    const r = M.rangeBetApply(bigs(i.f), { ...query(i), t: big(i.t), c: big(i.c) });
    return { collateral: s(r.collateral), norm_sq: s(r.normSq), g: ss(r.g) };
  },
  collateral: (i) => s(M.collateral(bigs(i.f), bigs(i.g))),
  expected_cost: (i) => s(M.expectedCost(bigs(i.f), bigs(i.g))),
  payoff_vector: (i) => ss(M.payoffVector(bigs(i.f), bigs(i.g))),
  trader_claim: (i) => s(M.traderClaim(big(i.collateral), bigs(i.payoff), grid(i), big(i.x))),
  lp_claim: (i) => s(M.lpClaim(big(i.b), bigs(i.f_final), bigs(i.f_initial), grid(i), big(i.x))),
  interp_floor: (i) => s(M.interpFloor(bigs(i.v), grid(i), big(i.x))),
  trader_claim_rem: (i) => {
    const r = M.traderClaimRem(big(i.collateral), bigs(i.payoff), grid(i), big(i.x));
    return { amount: s(r.amount), rem: s(r.rem) };
  },
  lp_claim_rem: (i) => {
    const r = M.lpClaimRem(big(i.b), bigs(i.f_final), bigs(i.f_initial), grid(i), big(i.x));
    return { amount: s(r.amount), rem: s(r.rem) };
  },
  range_bet_apply_in_place: (i) => {
    const r = M.rangeBetApplyInPlace(bigs(i.f), bigs(i.payoff), { ...query(i), t: big(i.t), c: big(i.c) });
    return { collateral: s(r.collateral), norm_sq: s(r.normSq), f: ss(r.f), payoff: ss(r.payoff) };
  },
  project_in_place_verify: (i) => {
    const r = M.projectInPlaceVerify(bigs(i.h), big(i.b), big(i.budget), big(i.c));
    return { norm_sq: s(r.normSq), g: ss(r.g) };
  },
  // trade_general
  trade_apply: (i) => {
    const r = M.tradeApplyGeneral({
      f: bigs(i.f),
      payoff: bigs(i.payoff),
      collateral: big(i.collateral),
      b: big(i.b),
      budget: big(i.budget),
      feeBps: big(i.fee_bps),
      direction: direction(i.direction),
      t: big(i.t),
      c: big(i.c),
    });
    return {
      h: ss(r.h),
      g: ss(r.g),
      payoff: ss(r.payoff),
      norm_sq: s(r.normSq),
      collateral_before: s(r.collateralBefore),
      collateral_after: s(r.collateralAfter),
      delta: s(r.delta),
      fee: s(r.fee),
      net_in: s(r.netIn),
      amount_in: s(r.amountIn),
      amount_out: s(r.amountOut),
    };
  },
  settle: (i) => {
    const r = M.settle(big(i.collateral_before), big(i.collateral_after), big(i.fee_bps));
    return { delta: s(r.delta), fee: s(r.fee), net_in: s(r.netIn), amount_in: s(r.amountIn), amount_out: s(r.amountOut) };
  },
  locate: (i) => {
    const p = M.locate(grid(i), big(i.x));
    return { j: String(p.j), r: s(p.r), step: s(p.step) };
  },
};

/** The trade functions again, through the fast exact kernels of `sdk/src/math/fast.ts`. */
export const FAST_RUNNERS: Record<string, Runner> = {
  solve_range_bet: (i) => {
    const r = M.solveRangeBetFast(bigs(i.f), query(i), big(i.amount));
    return { t: s(r.t), c: s(r.c), collateral: s(r.collateral) };
  },
  collateral_for_bump: (i) => {
    const r = M.collateralForBumpFast(bigs(i.f), query(i), big(i.t));
    return { c: s(r.c), collateral: s(r.collateral) };
  },
  range_bet_apply: (i) => {
    const r = M.rangeBetApplyFast(bigs(i.f), { ...query(i), t: big(i.t), c: big(i.c) });
    return { collateral: s(r.collateral), norm_sq: s(r.normSq), g: ss(r.g) };
  },
};

/** Outcome of running a case: the output, or the MathError name. */
export type Outcome = { out: unknown } | { error: string };

export function runCase(c: VectorCase, runners: Record<string, Runner> = RUNNERS): Outcome {
  const run = runners[c.fn];
  if (run === undefined) throw new Error(`no TypeScript runner for vector function '${c.fn}'`);
  try {
    return { out: run(c.in) };
  } catch (e) {
    if (e instanceof M.MathError) return { error: e.errorName };
    throw e;
  }
}

export function expected(c: VectorCase): Outcome {
  return c.error !== undefined ? { error: c.error } : { out: c.out };
}
