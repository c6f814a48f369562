/**
 * Keeps the README's `npm run demo` true: runs scripts/demo.ts (after the build `npm test` did)
 * on both runtimes, on an SPL Token mint and on a Token-2022 mint, and checks that it completed
 * every stage. The demo itself fails on any book that doesn't add up (curve != quote,
 * migration balances, vault != books, paid + dust != vault).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Runtime and collateral of each run: the default (LiteSVM, SPL Token), then the others. */
const RUNS = [
  ["litesvm", "token"],
  ["bankrun", "token"],
  ["litesvm", "token-2022"],
  ["bankrun", "token-2022"],
] as const;

describe("npm run demo", () => {
  it.each(RUNS)("runs the whole flow on %s with a %s collateral", (runtime, token) => {
    const args = ["tsx", "scripts/demo.ts", "--runtime", runtime, ...(token === "token-2022" ? ["--token-2022"] : [])];
    const out = execFileSync("npx", args, { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    expect(out).toContain(`Continuum demo on ${runtime}`);
    expect(out).toContain(`collateral: ${token === "token" ? "SPL Token" : "Token-2022"} mint`);
    expect(out).toContain("curve == SDK projection");
    expect(out).toMatch(/migrated ".*" to shard \d: .* both shard balances exact/);
    expect(out.match(/\(base units, exact\)/g)).toHaveLength(3);
    for (const ix of ["create_market", "trade", "vote_rebalance", "execute_rebalance", "claim_lp"]) {
      expect(out).toMatch(new RegExp(`^\\s+${ix}\\s+\\d+\\s+[\\d,]+\\s+[\\d,]+$`, "m"));
    }
  });
});
