/**
 * `@continuum/sdk` as a user gets it: `npm pack` (its `prepack` builds sdk/dist with
 * `tsc -p tsconfig.build.json`: ESM + .d.ts), the tarball installed into a fresh Node project
 * (dependencies from the npm cache first, the registry otherwise), then the `continuum` bin and
 * a plain-JavaScript import (no tsx, no TypeScript) run with node.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PublicKey } from "@solana/web3.js";
import { assignShard, normalDistribution, PROGRAM_ID, quoteRangeBet } from "../../sdk/src/index.js";

const SDK = fileURLToPath(new URL("../../sdk/", import.meta.url));
const KEY = "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi";

describe("npm package", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "continuum-pack-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sh = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 150_000 });

  it("packs, installs into a fresh project, and runs the bin and a plain-JS import", { timeout: 240_000 }, () => {
    const packed = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", dir], SDK)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const f of ["package.json", "dist/index.js", "dist/index.d.ts", "dist/cli.js", "dist/cli/index.js", "dist/math/quote.d.ts"]) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith("src/"))).toBe(false);

    const app = path.join(dir, "app");
    sh("mkdir", ["-p", app], dir);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "continuum-pack-smoke", private: true, type: "module" }));
    sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", path.join(dir, packed[0]!.filename)], app);
    const installed = path.join(app, "node_modules", "@continuum", "sdk");
    expect(JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).bin).toEqual({ continuum: "./dist/cli.js" });
    expect(existsSync(path.join(installed, "dist", "index.d.ts"))).toBe(true);

    const bin = path.join(app, "node_modules", ".bin", "continuum");
    expect(sh(bin, ["--help"], app)).toMatch(/^Usage: continuum \[options\] \[command\]/);
    const assign = JSON.parse(sh(bin, ["shard", "assign", KEY, "--shard-count", "16", "--json"], app)) as { shard: number };
    expect(assign.shard).toBe(assignShard(new PublicKey(KEY).toBytes(), 16));

    writeFileSync(
      path.join(app, "use.js"),
      [
        `import { assignShard, normalDistribution, PROGRAM_ID, quoteRangeBet } from "@continuum/sdk";`,
        `const d = normalDistribution({ lo: -500n, hi: 500n, n: 101 }, { mean1e9: 0n, sigma1e9: 120_000_000_000n }, { b: 10_000_000_000n, k: 40_000_000_000n });`,
        `const q = quoteRangeBet(d.curve, { b: 10_000_000_000n, budget: d.budget, i0: 40, i1: 60, amount: 1_000_000_000n });`,
        `console.log(JSON.stringify({ program: PROGRAM_ID.toBase58(), shard: assignShard(new Uint8Array(32), 7), t: q.t.toString(), collateral: q.collateral.toString() }));`,
      ].join("\n"),
    );
    const out = JSON.parse(sh("node", ["use.js"], app)) as { program: string; shard: number; t: string; collateral: string };
    expect(out.program).toBe(PROGRAM_ID.toBase58());
    expect(out.shard).toBe(assignShard(new Uint8Array(32), 7));
    // The packaged build quotes exactly as the source does.
    const d = normalDistribution({ lo: -500n, hi: 500n, n: 101 }, { mean1e9: 0n, sigma1e9: 120_000_000_000n }, { b: 10_000_000_000n, k: 40_000_000_000n });
    const want = quoteRangeBet(d.curve, { b: 10_000_000_000n, budget: d.budget, i0: 40, i1: 60, amount: 1_000_000_000n });
    expect(want.collateral).toBeGreaterThan(0n);
    expect(out).toMatchObject({ t: want.t.toString(), collateral: want.collateral.toString() });
  });
});
