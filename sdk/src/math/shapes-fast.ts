/**
 * `shape_values` in doubles: the values of the bigint mirror (`shapeValuesReference` in
 * `shapes.ts`), bit for bit, without a bigint per point.
 *
 * Every per-point intermediate is an integer double below 2^53, or is split into limbs where a
 * product is wider (base 2^21 for the Q63 table products of `exp`, base 1e5 / 1e9 / 2^15
 * elsewhere). Two facts make each floor exact:
 * - `Math.floor(n / d)` is the exact floor for integers `0 <= |n| < 2^53`, `1 <= d < 2^53`: a
 *   non-integer quotient is at least `1/d` from the next integer, more than the rounding error
 *   `|n/d| 2^-53 < 1/d` of the division, so it never rounds onto that integer.
 * - Scaling by a power of two is exact, so splits at 2^k are exact.
 * The one exception is `exp`: [`expNeg1e9Fast`] floors a double estimate whose error is proven
 * below 6e-7 when it lies at least 1e-4 from an integer, and runs the exact limb computation
 * ([`expNeg1e9Exact`], four times slower) otherwise.
 *
 * Work that is O(1) per call (the run of nonzero points and the first quotient of each Normal
 * pass, mixture amplitudes, index bounds) is done in doubles where its bounds allow, else in
 * bigint. An input the per-point bounds do not cover (sigma >= 2^53, weights summing to 2^53 or
 * more, control points beyond 2^52, ...) or any invalid input makes [`shapeValuesInto`] return
 * false, and the caller runs the bigint mirror, which gives the values or the error: this file
 * never throws a `MathError` of its own.
 */
import { EXP_HI_Q63, EXP_MID_Q63, MAX_MIXTURE_COMPONENTS, MEAN_1E9_ABS_MAX, SCALE_1E9 } from "./constants.js";
import type { Grid } from "./simpson.js";
import type { ControlPoint, MixtureComponent, Shape } from "./shapes.js";

const E9 = 1e9;
const TWO15 = 2 ** 15;
const TWO21 = 2 ** 21;
const INV21 = 2 ** -21;
const INV23 = 2 ** -23;
const TWO23 = 2 ** 23;
/** 2^42 = 4398 * 1e9 + 46_511_104: the top base-2^21 limb's weight in base 1e9. */
const TWO42_Q_E9 = 4398;
const TWO42_R_E9 = 46_511_104;
/** 1e9 = 1_953_125 * 2^9. */
const E9_ODD = 1_953_125;
const EXP_ZERO_CUTOFF = 22e9;
const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER); // 2^53 - 1
const TWO52_BIG = 1n << 52n;

/** A Q63 table as three base-2^21 limbs per entry: `v = l2 2^42 + l1 2^21 + l0`. */
interface Q63Limbs {
  l0: Float64Array;
  l1: Float64Array;
  l2: Float64Array;
}

function q63Limbs(table: readonly bigint[]): Q63Limbs {
  const mask = (1n << 21n) - 1n;
  const l0 = new Float64Array(table.length);
  const l1 = new Float64Array(table.length);
  const l2 = new Float64Array(table.length);
  table.forEach((v, i) => {
    l0[i] = Number(v & mask);
    l1[i] = Number((v >> 21n) & mask);
    l2[i] = Number(v >> 42n); // <= 2^21 (EXP_MID_Q63[0] = 2^63)
  });
  return { l0, l1, l2 };
}

const MID = q63Limbs(EXP_MID_Q63);
const HI = q63Limbs(EXP_HI_Q63);

/**
 * Limbs of the last [`mulQ63`]: `floor(p m / 2^63) = q[2] 2^42 + q[1] 2^21 + q[0]` (a typed
 * array: doubles stored in module variables would be boxed, one allocation per store).
 */
const q = new Float64Array(3);

/**
 * `floor(p * m / 2^63)` for `p = p2 2^42 + p1 2^21 + p0 < 2^60` and a table entry `m <= 2^63`
 * (limbs < 2^21, `m2 <= 2^21`), result in `q`: every limb product is below 2^42 and every
 * column sum below 2^44, so the schoolbook product and its carries are exact. The result is
 * `<= p`, so `q[2] < 2^18`.
 */
function mulQ63(p0: number, p1: number, p2: number, t: Q63Limbs, k: number): void {
  const m0 = t.l0[k]!;
  const m1 = t.l1[k]!;
  const m2 = t.l2[k]!;
  const c1 = p0 * m1 + p1 * m0 + Math.floor(p0 * m0 * INV21);
  const c2 = p0 * m2 + p1 * m1 + p2 * m0 + Math.floor(c1 * INV21);
  // Columns 0..2 are the product's low 63 bits, dropped; c2 / 2^21 carries into bit 63.
  const s3 = p1 * m2 + p2 * m1 + Math.floor(c2 * INV21);
  const k3 = Math.floor(s3 * INV21);
  const s4 = p2 * m2 + k3;
  const h = Math.floor(s4 * INV21);
  q[0] = s3 - k3 * TWO21;
  q[1] = s4 - h * TWO21;
  q[2] = h;
}

/** `EXP_C[64 a + b] = fl(EXP_MID_Q63[b] EXP_HI_Q63[a] / 2^126)` (`EXP_HI_Q63[0]` read as 2^63). */
const EXP_C = (() => {
  const c = new Float64Array(41 * 64); // a <= 40 below the cutoff (22e9 >> 29 = 40)
  for (let a = 0; a <= 40; a++) {
    const h = a === 0 ? 1n << 63n : EXP_HI_Q63[a]!;
    // Number(bigint) rounds to nearest; the power-of-two scaling is exact.
    for (let b = 0; b < 64; b++) c[64 * a + b] = Number(EXP_MID_Q63[b]! * h) * 2 ** -126;
  }
  return c;
})();

/**
 * How far from an integer [`expNeg1e9Fast`] needs its estimate: 1e-4, about 170 times the
 * estimate's proven error (below 6e-7, see there). Closer points (2 in 10^4) take the exact path.
 */
const EXP_GUARD = 1e-4;

/**
 * `exp_neg_1e9(y)` for an integer `0 <= y < 2^53`, equal to [`expNeg1e9Exact`] (and so to the
 * bigint mirror) for every input: a double estimate `t` of `X / 1e9`, `X = exp_neg_1e18(y)`,
 * whose floor is the result unless `t` is within [`EXP_GUARD`] of an integer; then the exact
 * path decides. The estimate's error, with `T = P M H / 2^126` the unfloored product
 * (`P` the Rust polynomial, `M`, `H` the table entries; `X` is in `(T - 2, T]`):
 * - the ideal Taylor terms `r^n / (n! 1e9^(n-2))` differ from the Rust floored terms by < 6 in
 *   all, their double sum `s` by < 0.05, and `p = (1e9 - r) 1e9 + s` rounds twice by <= 64:
 *   `|p - P| <= 135`;
 * - `C = fl(M H / 2^126)`, `p C` and `* 1e-9` add four relative roundings of 2^-53 on `T <= 1e18`:
 *   `<= 445`; so `|t - X / 1e9| <= (135 + 445 + 2) / 1e9 < 6e-7`.
 */
export function expNeg1e9Fast(y: number): number {
  if (y >= EXP_ZERO_CUTOFF) return 0;
  const t = expNeg1e9Estimate(y);
  const f = Math.floor(t);
  const frac = t - f; // exact: f <= t < 2^30
  return frac > EXP_GUARD && frac < 1 - EXP_GUARD ? f : expNeg1e9Exact(y);
}

/**
 * The estimate `t` of `exp_neg_1e18(y) / 1e9` that [`expNeg1e9Fast`] rounds down (`y < 22e9`);
 * exported so the tests can measure its error against the bound.
 */
export function expNeg1e9Estimate(y: number): number {
  const k = Math.floor(y * INV23); // y >> 23 = 64 a + b, the index of EXP_C
  const r = y - k * TWO23;
  const r2 = r * r;
  const s = r2 * 0.5 - r2 * r * (1 / 6e9) + r2 * r2 * (1 / 2.4e19) - r2 * r2 * r * (1 / 1.2e29) + r2 * r2 * r2 * (1 / 7.2e38);
  return ((E9 - r) * E9 + s) * EXP_C[k]! * 1e-9;
}

/**
 * `exp_neg_1e9(y)` for an integer `0 <= y < 2^53`, exactly as `expNeg1e9(BigInt(y))`, step by
 * step: the degree-6 polynomial at 1e18 with its floor divisions, `floor(p EXP_MID_Q63[b] / 2^63)`,
 * `floor(v EXP_HI_Q63[a] / 2^63)`, `floor(/ 1e9)`, each in exact integer doubles (~100 ns).
 */
export function expNeg1e9Exact(y: number): number {
  if (y >= EXP_ZERO_CUTOFF) return 0;
  const k = Math.floor(y * INV23); // y >> 23
  const r = y - k * TWO23; // y & (2^23 - 1)
  const a = Math.floor(k / 64); // y >> 29, <= 40 below the cutoff
  const b = k - a * 64; // (y >> 23) & 63
  // exp_poly_1e18(r) = 1e18 - r 1e9 + s, s = t2 + t4 + t6 - t3 - t5 (0 <= s < 2^45).
  const r2 = r * r; // < 2^46
  const t2 = Math.floor(r2 / 2);
  // t3 = floor(floor(r2 / 1000) r / 6e6), the product < 2^60: with u = u1 6e6 + u0,
  // floor(u r / 6e6) = u1 r + floor(u0 r / 6e6).
  const u = Math.floor(r2 / 1000);
  const u1 = Math.floor(u / 6e6);
  const t3 = u1 * r + Math.floor(((u - u1 * 6e6) * r) / 6e6);
  // t4 = floor(q^2 / 2.4e9), q < 2^30: 2.4e9 = 2^10 * 2_343_750 and, with q = qh 2^10 + ql,
  // floor(q^2 / 2^10) = qh^2 2^10 + 2 qh ql + floor(ql^2 / 2^10) < 2^49.
  const qr = Math.floor(r2 / 100_000);
  const qh = Math.floor(qr / 1024);
  const ql = qr - qh * 1024;
  const t4 = Math.floor((qh * qh * 1024 + 2 * qh * ql + Math.floor((ql * ql) / 1024)) / 2_343_750);
  const t5 = Math.floor((t4 * r) / 5e9); // t4 r < 2^51
  const t6 = Math.floor((t5 * r) / 6e9);
  const s = t2 + t4 + t6 - t3 - t5;
  // p = (1e9 - r) 1e9 + s = w 2^9 + s with w = (1e9 - r) 1_953_125 < 2^51; w = wh 2^12 + wl.
  const w = (E9 - r) * E9_ODD;
  const wh = Math.floor(w / 4096);
  const low = (w - wh * 4096) * 512 + s; // < 2^46
  const cl = Math.floor(low * INV21);
  const hi = wh + cl; // p >> 21, < 2^39
  const p2 = Math.floor(hi * INV21);
  mulQ63(low - cl * TWO21, hi - p2 * TWO21, p2, MID, b);
  if (a !== 0) mulQ63(q[0]!, q[1]!, q[2]!, HI, a);
  // floor(v / 1e9) for v = v2 2^42 + v1 2^21 + v0: v2 2^42 = v2 4398 1e9 + v2 46_511_104.
  const v2 = q[2]!;
  return v2 * TWO42_Q_E9 + Math.floor((v2 * TWO42_R_E9 + q[1]! * TWO21 + q[0]!) / E9);
}

/**
 * The last pass setup: `[i0, i1, Q, R, Q_s, sigma - R_s]` (the nonzero run `i0..=i1`, the
 * first point's `D 1e9 = Q sigma + R`, the step's `step 1e18 = Q_s sigma + R_s`).
 */
const pass = new Float64Array(6);

const floorDiv = (a: bigint, d: bigint): bigint => {
  const q = a / d;
  return a < 0n && q * d !== a ? q - 1n : q;
};
const ceilDiv = (a: bigint, d: bigint): bigint => -floorDiv(-a, d);

/** Normal parameters the double pass covers: bigint, `0 < sigma < 2^53`, `|mean| <= 2^100`. */
function normalCovered(mean: unknown, sigma: unknown): boolean {
  if (typeof mean !== "bigint" || typeof sigma !== "bigint") return false;
  if (sigma <= 0n || sigma > SAFE_BIG) return false;
  return mean <= MEAN_1E9_ABS_MAX && mean >= -MEAN_1E9_ABS_MAX;
}

/**
 * `floor(x 1e9 / sg)` into `pass[at]`, the remainder into `pass[at + 1]`, for integers
 * `0 <= x < sg < 9e12`: three base-1000 long-division digits, each `r 1000 < 2^53`.
 */
function mulE9DivRem(x: number, sg: number, at: number): void {
  const x1 = x * 1000;
  const a1 = Math.floor(x1 / sg);
  const x2 = (x1 - a1 * sg) * 1000;
  const a2 = Math.floor(x2 / sg);
  const x3 = (x2 - a2 * sg) * 1000;
  const a3 = Math.floor(x3 / sg);
  pass[at] = (a1 * 1000 + a2) * 1000 + a3;
  pass[at + 1] = x3 - a3 * sg;
}

/**
 * [`gaussianPass`]'s setup in doubles, when `|lo| <= 4.5e6`, `step <= 4.5e6` (so `lo 1e9` and
 * `step 1e9` are below 2^52), `|mean| <= 2^51` and `sigma < 9e12` (for [`mulE9DivRem`]): then
 * `d0 = lo 1e9 - mean`, `d0 -+ 8 sigma` and every `d` of the run are below 2^53 and the window
 * floors are exact. False (nothing written) otherwise.
 */
function passSetupDouble(grid: Grid, step: bigint, mean: bigint, sigma: bigint): boolean {
  const lo = Number(grid.lo);
  const st = Number(step);
  const m = Number(mean); // |m| <= 2^51 only if mean is that small (rounding is monotone)
  const sg = Number(sigma);
  if (!(Math.abs(lo) <= 4.5e6 && st <= 4.5e6 && Math.abs(m) <= 2 ** 51 && sg < 9e12)) return false;
  const d0 = lo * E9 - m;
  const s = st * E9;
  const lim = 8 * sg;
  // -8 sigma < d0 + i s < 8 sigma, i in 0..n.
  const i0 = Math.max(0, Math.floor((-lim - d0) / s) + 1);
  const i1 = Math.min(grid.n - 1, -Math.floor((d0 - lim) / s) - 1);
  pass[0] = i0;
  pass[1] = i1;
  if (i0 > i1) return true;
  // d 1e9 = (dq sigma + dr) 1e9 = (dq 1e9 + floor(dr 1e9 / sigma)) sigma + rem.
  const d = d0 + i0 * s;
  const dq = Math.floor(d / sg);
  mulE9DivRem(d - dq * sg, sg, 2);
  pass[2] = pass[2]! + dq * E9;
  if (i1 > i0) {
    const sq = Math.floor(s / sg); // s < 16 sigma: two points are within 8 sigma
    mulE9DivRem(s - sq * sg, sg, 4);
    pass[4] = pass[4]! + sq * E9;
    pass[5] = sg - pass[5]!;
  }
  return true;
}

/** [`gaussianPass`]'s setup in bigint (any covered input); the results are below 2^53. */
function passSetupBig(grid: Grid, step: bigint, mean: bigint, sigma: bigint): void {
  const d0 = grid.lo * SCALE_1E9 - mean;
  const s = step * SCALE_1E9;
  const lim = sigma << 3n;
  const first = floorDiv(-lim - d0, s) + 1n;
  const last = ceilDiv(lim - d0, s) - 1n;
  const n = BigInt(grid.n);
  const i0 = first < 0n ? 0n : first;
  const i1 = last >= n ? n - 1n : last;
  pass[0] = Number(i0);
  pass[1] = Number(i1);
  if (i0 > i1) return;
  const num = (d0 + i0 * s) * SCALE_1E9;
  const q = floorDiv(num, sigma);
  pass[2] = Number(q);
  pass[3] = Number(num - q * sigma);
  if (i1 > i0) {
    const inc = s * SCALE_1E9;
    pass[4] = Number(inc / sigma);
    pass[5] = Number(sigma - (inc % sigma));
  }
}

/**
 * `gaussian_1e9(x_i)` into `e[i]` for the grid points with `d_i = |x_i 1e9 - mean| < 8 sigma`
 * (one contiguous run, left in `pass[0]..=pass[1]`; `e` is not written elsewhere). As the
 * Rust `gaussian_pass`: `D_i 1e9 = Q_i sigma + R_i` (floor division, `0 <= R_i < sigma`)
 * steps by the constant `step 1e18 = Q_s sigma + R_s`; `z_i = Q_i` if `Q_i >= 0`, else
 * `-Q_i` (`R_i = 0`) or `-Q_i - 1`. The run's bounds and its first `(Q, R)` come from the
 * setup; inside the run `|Q| <= 8e9`, `R, R_s < sigma < 2^53` and (two points within 8 sigma)
 * `Q_s < 1.6e10`, so every step is exact.
 */
function gaussianPass(grid: Grid, step: bigint, mean: bigint, sigma: bigint, e: Float64Array): void {
  if (!passSetupDouble(grid, step, mean, sigma)) passSetupBig(grid, step, mean, sigma);
  const end = pass[1]!;
  let qv = pass[2]!;
  let rv = pass[3]!;
  const qs = pass[4]!;
  const rsGap = pass[5]!;
  const sg = Number(sigma);
  for (let i = pass[0]!; i <= end; i++) {
    const z = qv >= 0 ? qv : rv === 0 ? -qv : -qv - 1; // < 8e9
    // floor(z^2 / 2e9) with z = zq 1e5 + zr: z^2 = zq^2 1e10 + 2 zq zr 1e5 + zr^2, 1e10 = 5 * 2e9,
    // and the rest is below 1.7e15.
    const zq = Math.floor(z / 100_000);
    const zr = z - zq * 100_000;
    e[i] = expNeg1e9Fast(5 * zq * zq + Math.floor((2e5 * zq * zr + zr * zr) / 2e9));
    if (rv >= rsGap) {
      rv -= rsGap;
      qv += qs + 1;
    } else {
      rv += sg - rsGap;
      qv += qs;
    }
  }
}

function normalValues(grid: Grid, step: bigint, mean: unknown, sigma: unknown, out: Float64Array): boolean {
  if (!normalCovered(mean, sigma)) return false;
  out.fill(0, 0, grid.n);
  gaussianPass(grid, step, mean as bigint, sigma as bigint, out);
  return true;
}

/** Largest scratch array kept between calls (2^16 doubles, 512 KiB); larger ones are per call. */
export const SCRATCH_KEEP = 1 << 16;

/** `buf` if it holds `n` doubles, else a new array of `n` (keep it only if `n <= SCRATCH_KEEP`). */
export function scratchFor(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(n);
}

/** Scratch for one mixture component's Gaussian. */
let scratch: Float64Array = new Float64Array(0);

/**
 * Mixture: `h_i = sum_j floor(a_j e_ij / 1e9)`, `a_j = floor(w_j s_min / s_j)` (bigint, once).
 * Covered when every component passes [`normalCovered`], weights are non-negative bigints and
 * their total is in `(0, 2^53)`: then each term is `<= a_j <= w_j` and every sum is exact.
 * `floor(a e / 1e9)` with `a = aH 1e9 + aL`, `aL = a1 2^15 + a0`, `a1 e = u = uq 1e9 + ur`:
 * `aH e + uq 2^15 + floor((ur 2^15 + a0 e) / 1e9)`, every piece below 2^53.
 */
function mixtureValues(grid: Grid, step: bigint, comps: unknown, out: Float64Array): boolean {
  if (!Array.isArray(comps) || comps.length === 0 || comps.length > MAX_MIXTURE_COMPONENTS) return false;
  let sMin = 0n;
  let wTotal = 0n;
  for (const c of comps as readonly MixtureComponent[]) {
    if (typeof c !== "object" || c === null) return false;
    if (!normalCovered(c.mean1e9, c.sigma1e9) || typeof c.weight1e9 !== "bigint" || c.weight1e9 < 0n) return false;
    if (sMin === 0n || c.sigma1e9 < sMin) sMin = c.sigma1e9;
    wTotal += c.weight1e9;
  }
  if (wTotal === 0n || wTotal > SAFE_BIG) return false;
  const e = scratchFor(scratch, grid.n);
  if (grid.n <= SCRATCH_KEEP) scratch = e;
  out.fill(0, 0, grid.n);
  for (const c of comps as readonly MixtureComponent[]) {
    const amp = Number((c.weight1e9 * sMin) / c.sigma1e9);
    if (amp === 0) continue; // every term is 0
    gaussianPass(grid, step, c.mean1e9, c.sigma1e9, e);
    const aH = Math.floor(amp / E9);
    const aL = amp - aH * E9;
    const a1 = Math.floor(aL / TWO15);
    const a0 = aL - a1 * TWO15;
    for (let i = pass[0]!, end = pass[1]!; i <= end; i++) {
      const ev = e[i]!;
      const u = a1 * ev;
      const uq = Math.floor(u / E9);
      out[i] = out[i]! + aH * ev + uq * TWO15 + Math.floor(((u - uq * E9) * TWO15 + a0 * ev) / E9);
    }
  }
  return true;
}

/** Uniform: `1e9` on the grid points in `[a, b]` (index bounds in bigint). */
function uniformValues(grid: Grid, step: bigint, a: unknown, b: unknown, out: Float64Array): boolean {
  if (typeof a !== "bigint" || typeof b !== "bigint" || a > b) return false;
  out.fill(0, 0, grid.n);
  const n = BigInt(grid.n);
  const first = ceilDiv(a - grid.lo, step);
  const last = floorDiv(b - grid.lo, step);
  const i0 = Number(first < 0n ? 0n : first);
  const i1 = Number(last >= n ? n - 1n : last);
  for (let i = i0; i <= i1; i++) out[i] = E9;
  return true;
}

/** Control points of a Custom shape as doubles. */
let customX: Float64Array = new Float64Array(0);
let customY: Float64Array = new Float64Array(0);

/**
 * Custom: covered when the grid ends and every `x` are within 2^52 of 0 (so every coordinate
 * and difference is an exact double) and every `y` is in `[0, 2^53)`. On segment `j`,
 * `floor((y0 (dx - r) + y1 r) / dx) = y0 + floor((y1 - y0) r / dx)`; that product is exact
 * when `|y1 - y0| dx <= 2^52`, else the point is computed in bigint (its value lies between
 * `y0` and `y1`, so it is still an exact double).
 */
function customValues(grid: Grid, step: bigint, pts: unknown, out: Float64Array): boolean {
  if (!Array.isArray(pts) || pts.length < 2) return false;
  if (grid.lo < -TWO52_BIG || grid.hi > TWO52_BIG) return false;
  const m = pts.length;
  const px = scratchFor(customX, m);
  const py = scratchFor(customY, m);
  if (m <= SCRATCH_KEEP) [customX, customY] = [px, py];
  for (let j = 0; j < m; j++) {
    const p = pts[j] as ControlPoint;
    if (typeof p !== "object" || p === null || typeof p.x !== "bigint" || typeof p.y !== "bigint") return false;
    if (p.x < -TWO52_BIG || p.x > TWO52_BIG || p.y < 0n || p.y > SAFE_BIG) return false;
    px[j] = Number(p.x);
    py[j] = Number(p.y);
    if (j > 0 && px[j]! <= px[j - 1]!) return false;
  }
  const lo = Number(grid.lo);
  const st = Number(step);
  const x0 = px[0]!;
  const xLast = px[m - 1]!;
  const yLast = py[m - 1]!;
  let j = 0;
  for (let i = 0; i < grid.n; i++) {
    const x = lo + i * st;
    if (x < x0 || x > xLast) {
      out[i] = 0;
      continue;
    }
    if (x === xLast) {
      out[i] = yLast;
      continue;
    }
    while (j + 1 < m && px[j + 1]! <= x) j++;
    const xa = px[j]!;
    const dx = px[j + 1]! - xa;
    const r = x - xa;
    const y0 = py[j]!;
    const dy = py[j + 1]! - y0;
    if (Math.abs(dy) * dx <= 2 ** 52) {
      out[i] = y0 + Math.floor((dy * r) / dx);
    } else {
      const bdx = BigInt(dx);
      const br = BigInt(r);
      out[i] = Number((BigInt(y0) * (bdx - br) + BigInt(py[j + 1]!) * br) / bdx);
    }
  }
  return true;
}

/**
 * The unscaled shape `s` (presets already resolved, `step = gridStep(grid)`) into
 * `out[0..grid.n]` (`out` may be longer) as exact integer doubles. True when written; false when the input is
 * outside the covered bounds or invalid: the caller then runs the bigint mirror (for its
 * values or its error).
 */
export function shapeValuesInto(
  grid: Grid,
  step: bigint,
  s: Shape,
  points: readonly ControlPoint[],
  out: Float64Array,
): boolean {
  switch (s?.kind) {
    case "Normal":
      return normalValues(grid, step, s.mean1e9, s.sigma1e9, out);
    case "Uniform":
      return uniformValues(grid, step, s.a, s.b, out);
    case "Mixture":
      return mixtureValues(grid, step, s.comps, out);
    case "Custom":
      return customValues(grid, step, points, out);
    default:
      return false;
  }
}
