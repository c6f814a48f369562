/**
 * Parity of the TypeScript math mirror (`sdk/src/math`) with the Rust crate
 * `crates/continuum-math`, bit for bit, over every case of `tests/vectors/*.json`.
 */
import { describe, expect, it } from "vitest";
import { expected, FAST_RUNNERS, loadVectorFiles, RUNNERS, runCase } from "./vectors.js";

const files = loadVectorFiles();

describe("continuum-math vectors", () => {
  it("cover every module with at least 10,000 cases, all with a TypeScript runner", () => {
    expect(files.map((f) => f.module).sort()).toEqual(
      ["exp", "project", "shapes", "simpson", "trade", "trade_general", "wide"],
    );
    let total = 0;
    for (const f of files) {
      expect(f.cases.length).toBe(f.count);
      total += f.cases.length;
      for (const c of f.cases) {
        // Fails on any function name the mirror does not handle: nothing is skipped.
        expect(RUNNERS, `vector function ${c.fn}`).toHaveProperty([c.fn]);
        expect(c.out === undefined).not.toBe(c.error === undefined);
      }
    }
    expect(total).toBeGreaterThanOrEqual(10_000);
  });

  for (const file of files) {
    it(`${file.module}.json: ${file.count} cases match exactly`, () => {
      const failures: string[] = [];
      file.cases.forEach((c, idx) => {
        let got;
        try {
          got = runCase(c);
        } catch (e) {
          failures.push(`#${idx} ${c.fn}: threw ${String(e)}`);
          return;
        }
        const want = expected(c);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          failures.push(
            `#${idx} ${c.fn}(${JSON.stringify(c.in).slice(0, 300)}): got ${JSON.stringify(got).slice(0, 300)}, want ${JSON.stringify(want).slice(0, 300)}`,
          );
        }
      });
      expect(failures.slice(0, 10), `${failures.length} failing cases`).toEqual([]);
    });
  }

  it("the fast kernels (quote path) match the trade vectors too", () => {
    const trade = files.find((f) => f.module === "trade");
    expect(trade).toBeDefined();
    const failures: string[] = [];
    let checked = 0;
    for (const c of trade?.cases ?? []) {
      if (FAST_RUNNERS[c.fn] === undefined) continue;
      checked++;
      const got = runCase(c, FAST_RUNNERS);
      if (JSON.stringify(got) !== JSON.stringify(expected(c))) {
        failures.push(`${c.fn}(${JSON.stringify(c.in).slice(0, 200)}): got ${JSON.stringify(got).slice(0, 200)}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(1000);
    expect(failures.slice(0, 10), `${failures.length} failing cases`).toEqual([]);
  });
});
