/**
 * The double implementation of `shape_values` (`sdk/src/math/shapes-fast.ts`, used by
 * `shapeValues`) equals the bigint mirror (`shapeValuesReference`, `expNeg1e9`) bit for bit:
 * on the Rust vectors, on dense `exp` inputs (table edges, the zero cutoff, the points where
 * the fast estimate must defer to the exact path, random ones) and on seeded random grids and
 * shapes, errors included (same `MathError` name).
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { expNeg1e9Estimate, expNeg1e9Exact, expNeg1e9Fast, shapeValuesInto } from "../../sdk/src/math/shapes-fast.js";
import { mathErrorName, rng } from "./helpers.js";
import { loadVectorFiles, runCase, expected } from "./vectors.js";

const E9 = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const CUTOFF = 22_000_000_000;

/** Both double `exp` paths against the bigint mirror at `y`; a message on a mismatch. */
function expMismatch(y: number): string | null {
  const want = M.expNeg1e9(BigInt(y));
  const fast = BigInt(expNeg1e9Fast(y));
  const exact = BigInt(expNeg1e9Exact(y));
  return fast === want && exact === want ? null : `y=${y}: fast ${fast} exact ${exact} want ${want}`;
}

/** A uniform integer in `[0, 2^bits)` from two or more draws of `r`. */
function bits(r: () => number, n: number): bigint {
  let v = 0n;
  for (let left = n; left > 0; left -= 26) {
    const take = Math.min(26, left);
    v = (v << BigInt(take)) | BigInt(Math.floor(r() * 2 ** take));
  }
  return v;
}

/** A uniform integer in `[0, m)` (m > 0) with 30 spare bits of precision. */
function below(r: () => number, m: bigint): bigint {
  return bits(r, m.toString(2).length + 30) % m;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

describe("exp_neg_1e9 in doubles", () => {
  it("matches the Rust exp vectors", () => {
    const file = loadVectorFiles().find((f) => f.module === "exp");
    expect(file).toBeDefined();
    let checked = 0;
    for (const c of file?.cases ?? []) {
      if (c.fn !== "exp_neg_1e9") continue;
      const y = BigInt(c.in.y_1e9 as string);
      if (y >= 1n << 53n) continue; // the double paths take y < 2^53 (shapes give y < 3.2e10)
      expect(String(expNeg1e9Fast(Number(y))), `y=${y}`).toBe(c.out);
      expect(String(expNeg1e9Exact(Number(y))), `y=${y}`).toBe(c.out);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("matches at every table boundary (bits 23 and 29, +-1) and around the zero cutoff", () => {
    const bad: string[] = [];
    for (let k = 0; k * 2 ** 23 < CUTOFF + 2 ** 23; k++) {
      const base = k * 2 ** 23;
      const near = base % 2 ** 29 === 0 ? [-3, -2, -1, 0, 1, 2, 3] : [-1, 0, 1];
      for (const d of near) {
        const y = base + d;
        if (y < 0) continue;
        const m = expMismatch(y);
        if (m !== null) bad.push(m);
      }
    }
    for (let y = CUTOFF - 2000; y <= CUTOFF + 2000; y++) {
      const m = expMismatch(y);
      if (m !== null) bad.push(m);
    }
    expect(expNeg1e9Fast(CUTOFF - 1)).toBeGreaterThanOrEqual(0);
    expect(expNeg1e9Fast(CUTOFF)).toBe(0);
    expect(expNeg1e9Fast(0)).toBe(1_000_000_000);
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("matches on 250k random y in [0, 22e9), and the estimate stays inside its proven bound", () => {
    const r = rng(0x5eed_e4a1);
    const bad: string[] = [];
    let worst = 0;
    for (let i = 0; i < 250_000; i++) {
      const y = Number(below(r, BigInt(CUTOFF)));
      const m = expMismatch(y);
      if (m !== null) bad.push(m);
      // |t - X / 1e9| with X = exp_neg_1e18(y): (t - q) is exact, rem / 1e9 within 1e-16.
      const x = M.expNeg1e18(BigInt(y));
      const err = Math.abs(expNeg1e9Estimate(y) - Number(x / E9) - Number(x % E9) / 1e9);
      if (err > worst) worst = err;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(6e-7);
  });

  it("matches where the estimate is too close to an integer and the exact path decides", () => {
    // Inputs where floor(estimate) alone is one too high (X / 1e9 lies just below an integer):
    // every one of them in the table cells y >> 23 = 65..88 and 130..140, scanned exhaustively.
    const near: number[] = [
      550_854_341, 551_961_322, 552_460_002, 557_900_432, 562_801_207, 569_281_496, 585_821_858,
      590_681_674, 600_535_812, 602_909_146, 659_162_575, 738_325_362, 1_181_238_029,
    ];
    // y < 2^23 with a = b = 0: X = (1e9 - y) 1e9 + s(y), s(y) ~ y^2 / 2 = X mod 1e9 is tiny.
    for (let y = 0; y <= 5000; y++) near.push(y);
    // Around X = k 1e9 (exp(-y) = k 1e-9) X moves by ~k per unit of y: X mod 1e9 takes every
    // small value, 0 included.
    for (let k = 1; k <= 30; k++) {
      const mid = Math.round(-Math.log(k * 1e-9) * 1e9);
      for (let y = mid - 1500; y <= mid + 1500; y++) near.push(y);
    }
    // And random y whose exp_neg_1e18(y) lies within 2e5 of a multiple of 1e9 (the guard is 1e5).
    const r = rng(77);
    for (let found = 0, i = 0; found < 100 && i < 3_000_000; i++) {
      const y = Number(below(r, BigInt(CUTOFF)));
      const rem = M.expNeg1e18(BigInt(y)) % E9;
      if (rem < 200_000n || rem > E9 - 200_000n) {
        near.push(y);
        found++;
      }
    }
    let estimateWrong = 0;
    const bad: string[] = [];
    for (const y of near) {
      const m = expMismatch(y);
      if (m !== null) bad.push(m);
      if (BigInt(Math.floor(expNeg1e9Estimate(y))) !== M.expNeg1e9(BigInt(y))) estimateWrong++;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // The estimate alone rounds to the wrong integer at each of the scanned inputs.
    expect(estimateWrong).toBeGreaterThanOrEqual(13);
  });
});

type Case = { grid: M.Grid; shape: M.Shape; points: M.ControlPoint[]; out?: bigint[] };

/** A grid: odd n (sometimes invalid), lo of any magnitude, width a multiple of n - 1 within i64. */
function randomGrid(r: () => number): M.Grid {
  const u = r();
  const n = u < 0.02 ? pick(r, [1, 2, 4, 100]) : 2 * Math.floor(1 + r() * (u < 0.8 ? 60 : 307)) + 1; // 3..615
  const intervals = BigInt(Math.max(1, n - 1));
  const mag = pick(r, [1n, 10n, 1_000n, 1_000_000n, 4_500_000n, 1n << 32n, 1n << 52n, 1n << 62n]);
  let step = 1n + below(r, mag);
  if (step * intervals > U64_MAX) step = U64_MAX / intervals;
  const width = step * intervals;
  const loMag = pick(r, [0n, 100n, 10_000n, 4_500_000n, 1n << 40n, 1n << 53n, I64_MAX]);
  let lo = loMag === 0n ? 0n : below(r, 2n * loMag + 1n) - loMag;
  if (lo + width > I64_MAX) lo = I64_MAX - width;
  if (lo < I64_MIN) lo = I64_MIN;
  // Sometimes an uneven step or hi <= lo (grid errors come first).
  const hi = r() < 0.02 ? lo + width + 1n : r() < 0.01 ? lo : lo + width;
  return { lo, hi, n };
}

/** A grid point's x (clamped into the grid) or a point nearby / outside. */
function someX(r: () => number, g: M.Grid): bigint {
  const width = g.hi - g.lo;
  const u = r();
  if (u < 0.4 && g.n > 1) return g.lo + (width * BigInt(Math.floor(r() * g.n))) / BigInt(g.n - 1);
  if (u < 0.8) return g.lo + below(r, width + 1n);
  const off = below(r, width + 2n) - 1n;
  return r() < 0.5 ? g.lo - off : g.hi + off;
}

function randomSigma(r: () => number, g: M.Grid): bigint {
  const stepE9 = ((g.hi - g.lo) / BigInt(Math.max(1, g.n - 1))) * E9;
  switch (Math.floor(r() * 7)) {
    case 0:
      return 1n + below(r, 1000n); // tiny: only the nearest points are nonzero
    case 1:
      return 1n + below(r, stepE9 * 3n + 1n);
    case 2:
      return 1n + below(r, stepE9 * BigInt(g.n) + 1n); // ~ the width
    case 3:
      return pick(r, [9n * 10n ** 12n - 1n, 9n * 10n ** 12n, (1n << 53n) - 1n, 1n << 53n, U64_MAX]);
    case 4: {
      // d exactly 8 sigma (+-1) at some grid point: sigma = m step 1e9 / 8 (1e9 is a multiple of 8).
      const s = (BigInt(1 + Math.floor(r() * 5)) * stepE9) / 8n;
      return s + BigInt(pick(r, [-1, 0, 0, 1]));
    }
    case 5:
      return r() < 0.3 ? 0n : 1n + below(r, U64_MAX);
    default:
      return 1n + bits(r, 1 + Math.floor(r() * 64));
  }
}

function randomMean(r: () => number, g: M.Grid, sigma: bigint): bigint {
  const u = r();
  if (u < 0.3) return someX(r, g) * E9; // on a grid point: d = 8 sigma exactly is possible
  if (u < 0.6) return someX(r, g) * E9 + below(r, E9) - E9 / 2n;
  if (u < 0.8) return g.lo * E9 + pick(r, [-1n, 1n]) * sigma * BigInt(Math.floor(r() * 10)); // near/outside the ends
  if (u < 0.9) return pick(r, [1n << 100n, -(1n << 100n), (1n << 100n) + 1n, -(1n << 100n) - 1n, 1n << 51n, -(1n << 51n)]);
  return below(r, 1n << 90n) - (1n << 89n);
}

function randomWeight(r: () => number): bigint {
  return pick(r, [0n, 1n, 300_000_000n, E9, below(r, 1n << 40n), (1n << 53n) - 1n, 1n << 62n, U64_MAX, below(r, E9)]);
}

function randomPoints(r: () => number, g: M.Grid): M.ControlPoint[] {
  const m = r() < 0.03 ? pick(r, [0, 1]) : 2 + Math.floor(r() * 11);
  const xs: bigint[] = [];
  for (let j = 0; j < m; j++) xs.push(someX(r, g));
  xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (r() > 0.05) for (let j = 1; j < xs.length; j++) if (xs[j]! <= xs[j - 1]!) xs[j] = xs[j - 1]! + 1n; // else maybe not increasing
  const yMax = pick(r, [E9 * 4n, 1n << 40n, 1n << 53n, U64_MAX]);
  return xs.map((x) => ({ x, y: r() < 0.15 ? pick(r, [0n, yMax - 1n, (1n << 53n) - 1n]) : below(r, yMax) }));
}

function randomCase(r: () => number): Case {
  const grid = randomGrid(r);
  const u = r();
  let shape: M.Shape;
  let points: M.ControlPoint[] = [];
  if (u < 0.35) {
    const sigma1e9 = randomSigma(r, grid);
    shape = { kind: "Normal", mean1e9: randomMean(r, grid, sigma1e9), sigma1e9 };
  } else if (u < 0.6) {
    const len = r() < 0.03 ? pick(r, [0, 5]) : 1 + Math.floor(r() * 4);
    const comps: M.MixtureComponent[] = [];
    for (let j = 0; j < len; j++) {
      const sigma1e9 = randomSigma(r, grid);
      comps.push({ mean1e9: randomMean(r, grid, sigma1e9), sigma1e9, weight1e9: randomWeight(r) });
    }
    shape = { kind: "Mixture", comps };
  } else if (u < 0.7) {
    shape = { kind: pick(r, ["TrimodalElection", "SkewedLaunch", "LeptokurticIndicator"] as const) };
  } else if (u < 0.8) {
    const [x, y] = [someX(r, grid), someX(r, grid)];
    const v = r();
    // Ordered ends, a single point, or (InvalidShape) reversed ends.
    shape = v < 0.85 ? { kind: "Uniform", a: x < y ? x : y, b: x < y ? y : x } : v < 0.95 ? { kind: "Uniform", a: x, b: x } : { kind: "Uniform", a: x, b: y };
  } else {
    shape = { kind: "Custom" };
    points = randomPoints(r, grid);
  }
  const c: Case = { grid, shape, points };
  if (r() < 0.05) c.out = new Array<bigint>(r() < 0.5 ? grid.n : Math.max(0, grid.n - 1)).fill(7n);
  return c;
}

/** Whether some grid point lies exactly 8 sigma from the mean (the first zero of the Gaussian). */
function atEightSigma(g: M.Grid, mean: bigint, sigma: bigint): boolean {
  const stepE9 = ((g.hi - g.lo) / BigInt(g.n - 1)) * E9;
  return [mean - 8n * sigma, mean + 8n * sigma].some((x) => {
    const off = x - g.lo * E9;
    return off >= 0n && off % stepE9 === 0n && off / stepE9 < BigInt(g.n);
  });
}

/** Values or the error name. */
function outcome(fn: () => bigint[]): string {
  const name = mathErrorName(() => fn());
  if (name !== "no error") return `error ${name}`;
  return fn().join(",");
}

describe("shapeValues in doubles equals the bigint mirror", () => {
  it("on the Rust shape vectors", () => {
    const file = loadVectorFiles().find((f) => f.module === "shapes");
    const cases = (file?.cases ?? []).filter((c) => c.fn === "shape_values");
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) expect(JSON.stringify(runCase(c))).toBe(JSON.stringify(expected(c)));
  });

  it("on 4000 seeded random grids and shapes, errors included", () => {
    const r = rng(0xc0ffee);
    const bad: string[] = [];
    let fast = 0;
    let valid = 0;
    let eightSigma = 0;
    const kinds = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const c = randomCase(r);
      const got = outcome(() => M.shapeValues(c.grid, c.shape, c.points, c.out ? [...c.out] : undefined));
      const want = outcome(() => M.shapeValuesReference(c.grid, c.shape, c.points, c.out ? [...c.out] : undefined));
      if (got !== want) {
        bad.push(`#${i} ${JSON.stringify(c, (_, v) => (typeof v === "bigint" ? `${v}` : v)).slice(0, 400)}: got ${got.slice(0, 120)} want ${want.slice(0, 120)}`);
      }
      if (!want.startsWith("error")) {
        valid++;
        // The double path itself (not its fallback) wrote exactly these values.
        const f = new Float64Array(c.grid.n);
        const s = M.resolvePreset(c.grid, c.shape);
        const dbl = M.shapeValuesDoubles(c.grid, c.shape, c.points);
        const fitsDoubles = want.split(",").every((v) => BigInt(v) <= BigInt(Number.MAX_SAFE_INTEGER));
        if ((dbl === null) === fitsDoubles || (dbl !== null && Array.from(dbl, (v) => BigInt(v)).join(",") !== want)) {
          bad.push(`#${i}: shapeValuesDoubles differs`);
        }
        if (shapeValuesInto(c.grid, M.gridStep(c.grid), s, c.points, f)) {
          fast++;
          const normals = s.kind === "Normal" ? [s] : s.kind === "Mixture" ? s.comps : [];
          if (normals.some((p) => atEightSigma(c.grid, p.mean1e9, p.sigma1e9))) eightSigma++;
          kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
          if (Array.from(f, (v) => BigInt(v)).join(",") !== want) bad.push(`#${i}: shapeValuesInto differs`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // The double path covers most valid cases, of every family (the rest fell back).
    expect(fast).toBeGreaterThan(valid * 0.5);
    for (const k of ["Normal", "Mixture", "Uniform", "Custom"]) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(50);
    expect(eightSigma).toBeGreaterThan(20);
  });

  it("on grids past the kept scratch size, and small grids after them", () => {
    const n = 70_001; // > SCRATCH_KEEP (2^16): per-call arrays
    const grid = { lo: -35_000n, hi: 35_000n, n };
    const cases: [M.Grid, M.Shape, M.ControlPoint[]][] = [
      [grid, { kind: "Normal", mean1e9: 123n * E9 + 456n, sigma1e9: 40n * E9 }, []],
      [grid, { kind: "Mixture", comps: [{ mean1e9: -E9, sigma1e9: 9n * E9, weight1e9: E9 }, { mean1e9: 9n * E9, sigma1e9: 3n * E9, weight1e9: 5n }] }, []],
      [grid, { kind: "Custom" }, Array.from({ length: 70_000 }, (_, j) => ({ x: BigInt(j - 34_990), y: BigInt((j * 7919) % 1_000_003) }))],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Normal", mean1e9: 5n * E9, sigma1e9: 2n * E9 }, []],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Custom" }, [{ x: 2n, y: 10n }, { x: 9n, y: 3n }]],
    ];
    for (const [g, shape, pts] of cases) {
      const want = M.shapeValuesReference(g, shape, pts);
      expect(M.shapeValues(g, shape, pts)).toEqual(want);
      expect(Array.from(M.shapeValuesDoubles(g, shape, pts) ?? [], (v) => BigInt(v))).toEqual(want);
    }
  });

  it("writes into a given out array and returns it", () => {
    const grid = { lo: -50n, hi: 50n, n: 101 };
    const shapes: [M.Shape, M.ControlPoint[]][] = [
      [{ kind: "Normal", mean1e9: 3n * E9 + 7n, sigma1e9: 12n * E9 }, []],
      [{ kind: "SkewedLaunch" }, []],
      [{ kind: "Uniform", a: -10n, b: 10n }, []],
      [{ kind: "Custom" }, [{ x: -20n, y: 5n }, { x: 0n, y: E9 }, { x: 30n, y: 0n }]],
    ];
    for (const [shape, pts] of shapes) {
      const out = new Array<bigint>(101).fill(99n);
      expect(M.shapeValues(grid, shape, pts, out)).toBe(out);
      expect(out).toEqual(M.shapeValuesReference(grid, shape, pts));
    }
  });

  it("keeps the error precedence: grid, then LengthMismatch, then the shape", () => {
    const bad: M.Shape = { kind: "Normal", mean1e9: 0n, sigma1e9: 0n };
    const cases: [M.Grid, M.Shape, M.ControlPoint[], bigint[] | undefined, string][] = [
      [{ lo: 0n, hi: 10n, n: 2 }, bad, [], [0n], "InsufficientPoints"],
      [{ lo: 0n, hi: 10n, n: 4 }, bad, [], [0n], "InvalidGrid"],
      [{ lo: 0n, hi: 11n, n: 11 }, bad, [], [0n], "InvalidGrid"],
      [{ lo: 0n, hi: 10n, n: 11 }, bad, [], [0n], "LengthMismatch"],
      [{ lo: 0n, hi: 10n, n: 11 }, bad, [], undefined, "InvalidShape"],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Normal", mean1e9: (1n << 100n) + 1n, sigma1e9: 1n }, [], undefined, "InvalidShape"],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Mixture", comps: [] }, [], undefined, "InvalidShape"],
      [
        { lo: 0n, hi: 10n, n: 11 },
        { kind: "Mixture", comps: [{ mean1e9: 0n, sigma1e9: 1n, weight1e9: U64_MAX }, { mean1e9: 0n, sigma1e9: 1n, weight1e9: 1n }] },
        [],
        undefined,
        "Overflow",
      ],
      [
        { lo: 0n, hi: 10n, n: 11 },
        { kind: "Mixture", comps: [{ mean1e9: 0n, sigma1e9: 1n, weight1e9: U64_MAX }, { mean1e9: 0n, sigma1e9: 0n, weight1e9: 1n }] },
        [],
        undefined,
        "InvalidShape",
      ],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Mixture", comps: [{ mean1e9: 0n, sigma1e9: 1n, weight1e9: 0n }] }, [], undefined, "InvalidShape"],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Uniform", a: 3n, b: 2n }, [], undefined, "InvalidShape"],
      [{ lo: 0n, hi: 10n, n: 11 }, { kind: "Custom" }, [{ x: 1n, y: 1n }, { x: 1n, y: 2n }], undefined, "InvalidShape"],
      // Presets on a grid so wide that width * 1e9 / den leaves u64.
      [{ lo: I64_MIN, hi: I64_MIN + (1n << 62n), n: 3 }, { kind: "TrimodalElection" }, [], undefined, "Overflow"],
    ];
    for (const [grid, shape, pts, out, name] of cases) {
      expect(mathErrorName(() => M.shapeValues(grid, shape, pts, out)), `${name}`).toBe(name);
      if (out === undefined) expect(mathErrorName(() => M.shapeValuesDoubles(grid, shape, pts))).toBe(name);
      expect(mathErrorName(() => M.shapeValuesReference(grid, shape, pts, out))).toBe(name);
    }
  });
});
