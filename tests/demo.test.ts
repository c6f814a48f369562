/**
 * Keeps the README's `npm run demo` true: runs scripts/demo.ts (after the build `npm test` did)
 * and checks that it completed every stage. The demo itself fails on any book that doesn't add
 * up (curve != quote, migration balances, vault != books, paid + dust != vault).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

describe("npm run demo", () => {
  it("runs the whole flow on the embedded runtime", () => {
    const out = execFileSync("npx", ["tsx", "scripts/demo.ts"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    expect(out).toContain("curve == SDK projection");
    expect(out).toMatch(/migrated ".*" to shard \d: .* both shard balances exact/);
    expect(out.match(/\(base units, exact\)/g)).toHaveLength(3);
    for (const ix of ["create_market", "trade", "vote_rebalance", "execute_rebalance", "claim_lp"]) {
      expect(out).toMatch(new RegExp(`^\\s+${ix}\\s+\\d+\\s+[\\d,]+\\s+[\\d,]+$`, "m"));
    }
  });
});
