/** The example alert rules are valid Prometheus rules and fire (only) when they should. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const DIR = path.join(ROOT, "ops", "prometheus");

describe("ops/prometheus/alerts.yml", () => {
  it("promtool check rules accepts it", () => {
    const res = spawnSync("promtool", ["check", "rules", path.join(DIR, "alerts.yml")], { encoding: "utf8" });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/SUCCESS: 5 rules found/);
  });

  it("promtool test rules: contention, migration failure, norm violation and RPC-down alerts fire as specified", () => {
    const res = spawnSync("promtool", ["test", "rules", "alerts.test.yml"], { cwd: DIR, encoding: "utf8" });
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });
});
