/**
 * Deploys target/deploy/continuum.so to a real cluster with the Solana CLI, then initializes the
 * config. The CLI isn't installable on the build machines (see README), so this runs where it is:
 *
 *   RPC_URL=https://api.devnet.solana.com WALLET=~/.config/solana/id.json npx tsx migrations/deploy.ts
 */
import { Connection, Keypair, sendAndConfirmTransaction, Transaction } from "@solana/web3.js";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { findConfigPda, initializeConfigInstruction, PROGRAM_ID } from "../sdk/src/index.js";

const rpc = process.env.RPC_URL ?? "http://127.0.0.1:8899";
const walletPath = (process.env.WALLET ?? "~/.config/solana/id.json").replace(/^~/, os.homedir());

async function main(): Promise<void> {
  execFileSync(
    "solana",
    ["program", "deploy", "target/deploy/continuum.so", "--program-id", "keys/continuum-program-keypair.json", "--url", rpc, "--keypair", walletPath],
    { stdio: "inherit" },
  );
  const connection = new Connection(rpc, "confirmed");
  const admin = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(walletPath, "utf8")) as number[]));
  const [config] = findConfigPda();
  if (await connection.getAccountInfo(config)) {
    console.log(`config ${config.toBase58()} already initialized`);
    return;
  }
  const sig = await sendAndConfirmTransaction(connection, new Transaction().add(initializeConfigInstruction(admin.publicKey)), [admin]);
  console.log(`program ${PROGRAM_ID.toBase58()} deployed; config initialized in ${sig}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
