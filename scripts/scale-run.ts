/**
 * The scale run on the embedded runtime (LiteSVM), once per shard count:
 *
 *   npx tsx scripts/scale-run.ts [--markets 21000] [--shards 8,16,32] [--amm 300] [--seed 1]
 *
 * Progress on stderr; writes the generated section of docs/scale.md and docs/scale.json.
 * Fails (exit 1) if any conservation check fails. Scenario: scripts/scale/run.ts.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderClaims, renderContention } from "./scale/claims.js";
import { machineLine, renderRuns, resultsJson, spliceSection } from "./scale/report.js";
import { FULL_RUN, runScale, type ScaleResult } from "./scale/run.js";

const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const shards = (arg("shards") ?? "8,16,32").split(",").map(Number);
const registeredMarkets = Number(arg("markets") ?? FULL_RUN.registeredMarkets);
const ammMarkets = Number(arg("amm") ?? FULL_RUN.ammMarkets);
const seed = Number(arg("seed") ?? FULL_RUN.seed);
if (shards.some((s) => !Number.isInteger(s) || s < 1 || s > 255) || !(registeredMarkets >= 0) || !(ammMarkets >= 1)) {
  console.error("usage: npx tsx scripts/scale-run.ts [--markets 21000] [--shards 8,16,32] [--amm 300] [--seed 1]");
  process.exit(2);
}

const results: ScaleResult[] = [];
for (const s of shards) {
  process.stderr.write(`\n== S = ${s}: ${registeredMarkets} registered + ${ammMarkets} AMM markets ==\n`);
  const r = await runScale({ ...FULL_RUN, shards: s, registeredMarkets, ammMarkets, seed });
  process.stderr.write(`S = ${s}: ${r.wallSeconds.toFixed(1)} s, ${r.migrations.length} migration(s), conservation held\n`);
  results.push(r);
}

const argv = process.argv.slice(2).join(" ");
const command = `npx tsx scripts/scale-run.ts${argv ? ` ${argv}` : ""}`;
const md = `${DOCS}scale.md`;
const doc = existsSync(md) ? readFileSync(md, "utf8") : "# Scale\n";
writeFileSync(`${DOCS}scale.json`, resultsJson(results));
const machine = machineLine();
writeFileSync(md, spliceSection(spliceSection(spliceSection(doc, "scale-run", renderRuns(results, command, machine)), "claims", renderClaims()), "contention", renderContention()));
console.log(renderRuns(results, command, machine));
