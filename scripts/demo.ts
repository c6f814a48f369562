/**
 * End-to-end demo on the embedded runtime (LiteSVM by default, `--runtime bankrun` for the
 * other): deploys target/deploy/continuum.so, runs the product's main flow and prints each
 * instruction's compute units as the runtime reported them.
 *
 *   npm run demo                      # builds first, then runs this file
 *   npx tsx scripts/demo.ts --runtime bankrun
 */
import { Keypair, LAMPORTS_PER_SOL, type TransactionInstruction } from "@solana/web3.js";
import { decodeConfig, DEFAULT_CONFIG_ARGS, findConfigPda, initializeConfigInstruction } from "../sdk/src/index.js";
import { createRuntime, type RuntimeName, type TestRuntime } from "../tests/harness/runtime.js";

interface Step {
  instruction: string;
  detail: string;
  cu: number;
}

const runtimeName: RuntimeName = process.argv.includes("bankrun") ? "bankrun" : "litesvm";
const steps: Step[] = [];

async function run(rt: TestRuntime, instruction: string, detail: string, ixs: TransactionInstruction[], signers: Keypair[]): Promise<void> {
  const res = await rt.send(ixs, signers);
  if (!res.ok) {
    console.error(res.logs.join("\n"));
    throw new Error(`${instruction} failed: ${res.error}`);
  }
  steps.push({ instruction, detail, cu: res.cu });
  console.log(`  ✓ ${instruction.padEnd(20)} ${detail}`);
}

async function main(): Promise<void> {
  console.log(`Continuum demo on ${runtimeName} (program target/deploy/continuum.so)\n`);
  const rt = await createRuntime(runtimeName);
  const admin = Keypair.generate();
  await rt.airdrop(admin.publicKey, 1_000n * BigInt(LAMPORTS_PER_SOL));

  console.log("1. Configuration");
  await run(rt, "initialize_config", `${DEFAULT_CONFIG_ARGS.shardCount} shards, 66.7% vote in 100 slots`, [initializeConfigInstruction(admin.publicKey)], [admin]);
  const config = decodeConfig((await rt.getAccount(findConfigPda()[0]))!.data);
  console.log(`     config: admin ${config.admin.toBase58().slice(0, 8)}…, shard_count ${config.shardCount}, vote threshold ${config.voteThresholdBps} bps`);

  console.log("\nCompute units (as reported by the runtime)");
  console.log(`  ${"instruction".padEnd(20)} ${"CU".padStart(7)}  detail`);
  for (const s of steps) console.log(`  ${s.instruction.padEnd(20)} ${s.cu.toLocaleString("en-US").padStart(7)}  ${s.detail}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
