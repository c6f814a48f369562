/**
 * Benchmark of `shapeValues` (exact integer doubles, `sdk/src/math/shapes-fast.ts`) against the
 * bigint mirror `shapeValuesReference`, at N = 11, 101, 615 for a Normal, a 3-component preset
 * (TrimodalElection) and a Custom shape of 9 control points. Prints a table; writes nothing.
 * Run: `npx tsx scripts/bench-shapes.ts`.
 *
 * Market grid as in scripts/bench-quote.ts: `[0, 10 (N - 1)]`, Normal mean at the middle and
 * sigma 20% of the width. Each row: warm-up, then `SAMPLES` batches timed; the median per call.
 * The "doubles only" column times `shapeValuesInto` alone (no conversion to bigint). Every row
 * first checks that both functions return the same values.
 */
import os from "node:os";
import {
  gridStep,
  resolvePreset,
  shapeValues,
  shapeValuesReference,
  type ControlPoint,
  type Grid,
  type Shape,
} from "../sdk/src/math/index.js";
import { shapeValuesInto } from "../sdk/src/math/shapes-fast.js";

const E9 = 1_000_000_000n;
const SAMPLES = 41;

function medianUs(fn: () => unknown, batch: number): number {
  for (let i = 0; i < batch * 3; i++) fn();
  const per: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  per.sort((a, b) => a - b);
  return per[SAMPLES >> 1]!;
}

function cases(n: number): { label: string; grid: Grid; shape: Shape; points: ControlPoint[] }[] {
  const width = BigInt(10 * (n - 1));
  const grid = { lo: 0n, hi: width, n };
  const points: ControlPoint[] = [];
  for (let j = 0; j <= 8; j++) {
    points.push({ x: (width * BigInt(j)) / 8n, y: BigInt([0, 3, 7, 9, 10, 6, 4, 2, 0][j]!) * 100_000_000n + 12_345n });
  }
  return [
    { label: "Normal", grid, shape: { kind: "Normal", mean1e9: (width / 2n) * E9, sigma1e9: (width / 5n) * E9 }, points: [] },
    { label: "TrimodalElection", grid, shape: { kind: "TrimodalElection" }, points: [] },
    { label: "Custom (9 points)", grid, shape: { kind: "Custom" }, points },
  ];
}

const rows: string[] = [];
for (const n of [11, 101, 615]) {
  for (const c of cases(n)) {
    const want = shapeValuesReference(c.grid, c.shape, c.points);
    const got = shapeValues(c.grid, c.shape, c.points);
    if (got.some((v, i) => v !== want[i])) throw new Error(`${c.label} N=${n}: values differ`);
    const batch = Math.max(20, Math.floor(20_000 / n));
    const ref = medianUs(() => shapeValuesReference(c.grid, c.shape, c.points), Math.max(4, batch >> 4));
    const fast = medianUs(() => shapeValues(c.grid, c.shape, c.points), batch);
    const step = gridStep(c.grid);
    const buf = new Float64Array(n);
    const dbl = medianUs(() => shapeValuesInto(c.grid, step, resolvePreset(c.grid, c.shape), c.points, buf), batch);
    rows.push(
      `| ${c.label} | ${n} | ${ref.toFixed(1)} | ${fast.toFixed(1)} | ${dbl.toFixed(1)} | ${(ref / fast).toFixed(0)}x |`,
    );
  }
}
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg()[0]!.toFixed(2)}`);
console.log("| shape | N | reference (us) | shapeValues (us) | doubles only (us) | speed-up |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(r);
