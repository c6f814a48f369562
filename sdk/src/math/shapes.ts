/**
 * Unscaled shape curves `h_i` on a grid (height 1.0 = 1e9), and SDK helpers that project them
 * into market curves; mirrors `crates/continuum-math/src/shapes.rs`.
 */
import {
  MAX_MIXTURE_COMPONENTS,
  MEAN_1E9_ABS_MAX,
  SCALE_1E9,
  SHAPE_PEAK_1E9,
  SQRT_PI_1E9_FLOOR,
  U128_MAX,
  U64_MAX,
} from "./constants.js";
import { MathError } from "./errors.js";
import { normSqBudget, project } from "./project.js";
import { gridStep, gridX, type Grid } from "./simpson.js";
import { expNeg1e9 } from "./exp.js";
import { SCRATCH_KEEP, scratchFor, shapeValuesInto } from "./shapes-fast.js";
import { asU64, divU128ByU64, mulDivCeil, mulDivFloor } from "./wide.js";

export { MEAN_1E9_ABS_MAX } from "./constants.js";

/** Mirrors `NormalParams`. */
export interface NormalParams {
  /** Mean, outcome units x 1e9 (i128). */
  mean1e9: bigint;
  /** Standard deviation, outcome units x 1e9 (u64, > 0). */
  sigma1e9: bigint;
}

/** Mirrors `MixtureComponent`. */
export interface MixtureComponent extends NormalParams {
  /** Weight at 1e9 (u64). */
  weight1e9: bigint;
}

/** Mirrors `ControlPoint`. */
export interface ControlPoint {
  /** Outcome (i64, strictly increasing across points). */
  x: bigint;
  /** Height (u64). */
  y: bigint;
}

/**
 * Mirrors `Shape`. A Rust `Mixture { comps, len }` is `comps` of length `len` here (more than
 * `MAX_MIXTURE_COMPONENTS` or none is `InvalidShape`, as for `len` in Rust).
 */
export type Shape =
  | ({ kind: "Normal" } & NormalParams)
  | { kind: "Uniform"; a: bigint; b: bigint }
  | { kind: "Mixture"; comps: readonly MixtureComponent[] }
  | { kind: "TrimodalElection" }
  | { kind: "SkewedLaunch" }
  | { kind: "LeptokurticIndicator" }
  | { kind: "Custom" };

/** Mirrors `to_1e9`: `x * 1e9` (i128). */
export function to1e9(x: bigint): bigint {
  return x * SCALE_1E9;
}

const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/**
 * Mirrors `gaussian_1e9`: `d = |x*1e9 - mean|`; 0 if `d >= 8 sigma`;
 * `z = floor(d * 1e9 / sigma)`, `y = floor(z^2 / 2e9)`, `exp_neg_1e9(y)`.
 * `InvalidShape` (sigma 0, |mean| > 2^100), `Overflow`.
 */
export function gaussian1e9(x: bigint, p: NormalParams): bigint {
  if (p.sigma1e9 === 0n || abs(p.mean1e9) > MEAN_1E9_ABS_MAX) throw new MathError("InvalidShape");
  const d = abs(to1e9(x) - p.mean1e9);
  if (d >= p.sigma1e9 << 3n) return 0n;
  const num = d * SCALE_1E9;
  if (num > U128_MAX) throw new MathError("Overflow");
  const z = asU64(divU128ByU64(num, p.sigma1e9).q);
  const y = mulDivFloor(z, z, 2n * SCALE_1E9);
  return expNeg1e9(y);
}

/** `frac_point`: `lo*1e9 + floor(width*1e9*num/den)`. */
function fracPoint(grid: Grid, num: bigint, den: bigint): bigint {
  const width = asU64(grid.hi - grid.lo);
  const w = width * SCALE_1E9 * num;
  if (w > U128_MAX) throw new MathError("Overflow");
  const off = divU128ByU64(w, den).q;
  return BigInt.asIntN(128, to1e9(grid.lo) + BigInt.asIntN(128, off));
}

/** `frac_sigma`: `floor(width * 1e9 / den)`. */
function fracSigma(grid: Grid, den: bigint): bigint {
  return mulDivFloor(asU64(grid.hi - grid.lo), SCALE_1E9, den);
}

type PresetRow = readonly [bigint, bigint, bigint, bigint];

function preset(grid: Grid, rows: readonly PresetRow[]): Shape {
  const comps: MixtureComponent[] = [];
  for (const [mn, md, sd, w] of rows) {
    comps.push({ mean1e9: fracPoint(grid, mn, md), sigma1e9: fracSigma(grid, sd), weight1e9: w });
  }
  return { kind: "Mixture", comps };
}

/** Preset tables (mean num, mean den, sigma den, weight_1e9), as in `resolve_preset`. */
export const PRESET_ROWS = {
  TrimodalElection: [
    [1n, 4n, 12n, 300_000_000n],
    [1n, 2n, 12n, 400_000_000n],
    [3n, 4n, 12n, 300_000_000n],
  ],
  SkewedLaunch: [
    [3n, 10n, 16n, 550_000_000n],
    [9n, 20n, 8n, 300_000_000n],
    [7n, 10n, 4n, 150_000_000n],
  ],
  LeptokurticIndicator: [
    [1n, 2n, 24n, 600_000_000n],
    [1n, 2n, 6n, 400_000_000n],
  ],
} as const satisfies Record<string, readonly PresetRow[]>;

/** Mirrors `resolve_preset`: expand a preset into its mixture; other shapes unchanged. */
export function resolvePreset(grid: Grid, shape: Shape): Shape {
  switch (shape.kind) {
    case "TrimodalElection":
    case "SkewedLaunch":
    case "LeptokurticIndicator":
      return preset(grid, PRESET_ROWS[shape.kind]);
    default:
      return shape;
  }
}

/** Reused output of the double path (every call overwrites what it reads). */
let exactDoubles: Float64Array = new Float64Array(0);

/**
 * Mirrors `shape_values`: the unscaled shape at `x_i = lo + i*step` (see the Rust doc for each
 * family). Writes into `out` when given (`LengthMismatch` if its length is not `grid.n`),
 * else into a new array; returns it. Computed in exact integer doubles (`shapes-fast.ts`) when
 * the inputs are within its bounds, else (and for every error) by [`shapeValuesReference`]:
 * the same values and errors either way.
 */
export function shapeValues(
  grid: Grid,
  shape: Shape,
  points: readonly ControlPoint[] = [],
  out?: bigint[],
): bigint[] {
  const step = gridStep(grid);
  if (out !== undefined && out.length !== grid.n) throw new MathError("LengthMismatch");
  const s = resolvePreset(grid, shape);
  const f = scratchFor(exactDoubles, grid.n);
  if (grid.n <= SCRATCH_KEEP) exactDoubles = f;
  if (!shapeValuesInto(grid, step, s, points, f)) return shapeValuesReference(grid, shape, points, out);
  if (out !== undefined) {
    for (let i = 0; i < grid.n; i++) out[i] = exactToBig(f[i]!);
    return out;
  }
  const o: bigint[] = []; // pushed: a packed array, as `fill` makes one
  for (let i = 0; i < grid.n; i++) o.push(exactToBig(f[i]!));
  return o;
}

/**
 * [`shapeValues`] as a new `Float64Array` of exact integers (no bigint at all on the double
 * path), for callers that compute in doubles; null when a value is 2^53 or more (huge weights or
 * control points: use [`shapeValues`]). The same errors as [`shapeValues`].
 */
export function shapeValuesDoubles(
  grid: Grid,
  shape: Shape,
  points: readonly ControlPoint[] = [],
): Float64Array | null {
  const step = gridStep(grid);
  const f = new Float64Array(grid.n);
  if (shapeValuesInto(grid, step, resolvePreset(grid, shape), points, f)) return f;
  const h = shapeValuesReference(grid, shape, points);
  for (let i = 0; i < h.length; i++) {
    const v = h[i]!;
    if (v > MAX_EXACT_DOUBLE) return null;
    f[i] = Number(v);
  }
  return f;
}

const MAX_EXACT_DOUBLE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact integer double as a bigint: an int32 converts about twice as fast as a double. */
const exactToBig = (v: number): bigint => (v < 2 ** 31 ? BigInt(v | 0) : BigInt(v));

/**
 * The bigint mirror of `shape_values`, step by step (a bigint per intermediate): the oracle
 * [`shapeValues`] is tested against, and its fallback.
 */
export function shapeValuesReference(
  grid: Grid,
  shape: Shape,
  points: readonly ControlPoint[] = [],
  out?: bigint[],
): bigint[] {
  const step = gridStep(grid);
  const o = out ?? new Array<bigint>(grid.n).fill(0n);
  if (o.length !== grid.n) throw new MathError("LengthMismatch");
  const s = resolvePreset(grid, shape);
  switch (s.kind) {
    case "Normal":
      for (let i = 0; i < o.length; i++) o[i] = gaussian1e9(gridX(grid, i, step), s);
      break;
    case "Uniform":
      if (s.a > s.b) throw new MathError("InvalidShape");
      for (let i = 0; i < o.length; i++) {
        const x = gridX(grid, i, step);
        o[i] = x >= s.a && x <= s.b ? SHAPE_PEAK_1E9 : 0n;
      }
      break;
    case "Mixture":
      mixtureValues(grid, step, s.comps, o);
      break;
    case "Custom":
      customValues(grid, step, points, o);
      break;
    default:
      throw new MathError("InvalidShape");
  }
  return o;
}

function mixtureValues(grid: Grid, step: bigint, comps: readonly MixtureComponent[], out: bigint[]): void {
  const len = comps.length;
  if (len === 0 || len > MAX_MIXTURE_COMPONENTS) throw new MathError("InvalidShape");
  let sMin = U64_MAX;
  let wTotal = 0n;
  for (const c of comps) {
    if (c.sigma1e9 === 0n) throw new MathError("InvalidShape");
    if (c.sigma1e9 < sMin) sMin = c.sigma1e9;
    wTotal += c.weight1e9;
    if (wTotal > U64_MAX) throw new MathError("Overflow");
  }
  if (wTotal === 0n) throw new MathError("InvalidShape");
  for (let i = 0; i < out.length; i++) {
    const x = gridX(grid, i, step);
    let acc = 0n;
    for (const c of comps) {
      const amp = mulDivFloor(c.weight1e9, sMin, c.sigma1e9);
      const e = gaussian1e9(x, c);
      acc += mulDivFloor(amp, e, SCALE_1E9);
      if (acc > U64_MAX) throw new MathError("Overflow");
    }
    out[i] = acc;
  }
}

function customValues(grid: Grid, step: bigint, pts: readonly ControlPoint[], out: bigint[]): void {
  if (pts.length < 2) throw new MathError("InvalidShape");
  for (let j = 1; j < pts.length; j++) {
    if ((pts[j] as ControlPoint).x <= (pts[j - 1] as ControlPoint).x) throw new MathError("InvalidShape");
  }
  const first = pts[0] as ControlPoint;
  const last = pts[pts.length - 1] as ControlPoint;
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    const x = gridX(grid, i, step);
    if (x < first.x || x > last.x) {
      out[i] = 0n;
      continue;
    }
    if (x === last.x) {
      out[i] = last.y;
      continue;
    }
    while (j + 1 < pts.length && (pts[j + 1] as ControlPoint).x <= x) j++;
    const p0 = pts[j];
    const p1 = pts[j + 1];
    if (p0 === undefined || p1 === undefined) throw new MathError("InvalidShape");
    const dx = asU64(p1.x - p0.x);
    const r = asU64(x - p0.x);
    const num = p0.y * (dx - r) + p1.y * r;
    if (num > U128_MAX) throw new MathError("Overflow");
    out[i] = asU64(divU128ByU64(num, dx).q);
  }
}

/**
 * Mirrors `check_normal_sigma`: `r = ceil(k * 1e9 / b)` (`Overflow` -> reject), accept iff
 * `sigma_1e9 * SQRT_PI_1E9_FLOOR >= r^2`; `MaxBoundExceeded` otherwise or if `b == 0`.
 */
export function checkNormalSigma(sigma1e9: bigint, k: bigint, b: bigint): void {
  if (b === 0n) throw new MathError("MaxBoundExceeded");
  let r: bigint;
  try {
    r = mulDivCeil(k, SCALE_1E9, b);
  } catch {
    throw new MathError("MaxBoundExceeded");
  }
  if (sigma1e9 * SQRT_PI_1E9_FLOOR < r * r) throw new MathError("MaxBoundExceeded");
}

// ---------------------------------------------------------------------------------------
// SDK helpers (no Rust counterpart of their own: shape_values + norm_sq_budget + project).

/** Market constants that a projection needs: cap `b` and L2 norm `k` (lamports). */
export interface MarketNorm {
  /** Cap on every grid value (lamports, u64). */
  b: bigint;
  /** L2 norm target (lamports, u64). */
  k: bigint;
}

/** A market curve built from a shape. */
export interface Distribution {
  /** Unscaled shape `h` (height 1.0 = 1e9). */
  shape: bigint[];
  /** `floor(3 k^2 / step)`. */
  budget: bigint;
  /** Canonical scale. */
  c: bigint;
  /** Market curve `f_i = min(b, floor(c h_i / 1e9))`. */
  curve: bigint[];
}

/**
 * `shape_values`, then `norm_sq_budget(k, step)`, then `project`: the curve the program writes
 * for this shape. Errors of all three propagate (e.g. `NormConstraintViolated`).
 */
export function shapeDistribution(
  grid: Grid,
  shape: Shape,
  market: MarketNorm,
  points: readonly ControlPoint[] = [],
): Distribution {
  const h = shapeValues(grid, shape, points);
  const budget = normSqBudget(market.k, gridStep(grid));
  const { c, curve } = project(h, market.b, budget);
  return { shape: h, budget, c, curve };
}

/** Normal market curve; rejects `sigma` below the DESIGN §4 bound (`check_normal_sigma`). */
export function normalDistribution(grid: Grid, p: NormalParams, market: MarketNorm): Distribution {
  checkNormalSigma(p.sigma1e9, market.k, market.b);
  return shapeDistribution(grid, { kind: "Normal", ...p }, market);
}

/** Uniform market curve on `[a, b]` (outcome units). */
export function uniformDistribution(grid: Grid, a: bigint, b: bigint, market: MarketNorm): Distribution {
  return shapeDistribution(grid, { kind: "Uniform", a, b }, market);
}

/** Mixture (1..=4 Normals) market curve. */
export function mixtureDistribution(
  grid: Grid,
  comps: readonly MixtureComponent[],
  market: MarketNorm,
): Distribution {
  return shapeDistribution(grid, { kind: "Mixture", comps }, market);
}

/** Bimodal market curve (a two-component mixture). */
export function bimodalDistribution(
  grid: Grid,
  a: MixtureComponent,
  b: MixtureComponent,
  market: MarketNorm,
): Distribution {
  return mixtureDistribution(grid, [a, b], market);
}

/** Custom piecewise-linear market curve through `points`. */
export function customDistribution(
  grid: Grid,
  points: readonly ControlPoint[],
  market: MarketNorm,
): Distribution {
  return shapeDistribution(grid, { kind: "Custom" }, market, points);
}

/** Preset market curves (elections, launches, economic indicators). */
export function presetDistribution(
  grid: Grid,
  preset: "TrimodalElection" | "SkewedLaunch" | "LeptokurticIndicator",
  market: MarketNorm,
): Distribution {
  return shapeDistribution(grid, { kind: preset }, market);
}
