/**
 * Deploys target/deploy/continuum.so through the upgradeable loader with web3.js alone (no
 * Solana CLI), with the wallet as payer and upgrade authority, then initializes the config with
 * the wallet as admin (`sdk/src/deploy.ts`, tested on both test runtimes by tests/deploy.test.ts):
 *
 *   npx tsx migrations/deploy.ts [--url http://127.0.0.1:8899] [--keypair ~/.config/solana/id.json]
 *     [--program-keypair keys/continuum-program-keypair.json] [--so target/deploy/continuum.so]
 *     [--max-len BYTES] [--concurrency N] --mint MINT
 *
 * `--mint` is the collateral mint (SPL Token or Token-2022) every market's money is held in;
 * its token program is read from the mint account's owner.
 * `RPC_URL` and `WALLET` are read when the flags are absent. Exits non-zero, without claiming
 * success, when the program is deployed under another upgrade authority or its config already
 * exists with an admin other than the wallet.
 */
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import os from "node:os";
import { connectionChain, DeployError, deployAndInitialize, isTokenProgram } from "../sdk/src/index.js";

const USAGE =
  "usage: deploy.ts [--url URL] [--keypair PATH] [--program-keypair PATH] [--so PATH] [--max-len BYTES] [--concurrency N] --mint MINT";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value\n${USAGE}`);
  return value;
}

function positiveInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new Error(`${name} must be a positive integer, got ${text}`);
  return Number(text);
}

function readKeypair(path: string): Keypair {
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path.replace(/^~(?=\/|$)/, os.homedir()), "utf8")) as number[]));
}

async function main(argv: string[]): Promise<void> {
  const url = option(argv, "--url") ?? process.env.RPC_URL ?? "http://127.0.0.1:8899";
  const wallet = readKeypair(option(argv, "--keypair") ?? process.env.WALLET ?? "~/.config/solana/id.json");
  const programKeypair = readKeypair(option(argv, "--program-keypair") ?? "keys/continuum-program-keypair.json");
  const elf = Uint8Array.from(readFileSync(option(argv, "--so") ?? "target/deploy/continuum.so"));
  const maxLen = positiveInteger(option(argv, "--max-len"), "--max-len");
  const concurrency = positiveInteger(option(argv, "--concurrency"), "--concurrency") ?? 8;

  const mintText = option(argv, "--mint");
  if (!mintText) throw new Error(`--mint is required\n${USAGE}`);
  const mint = new PublicKey(mintText);
  const connection = new Connection(url, "confirmed");
  const mintAccount = await connection.getAccountInfo(mint);
  if (!mintAccount || !isTokenProgram(mintAccount.owner)) throw new Error(`${mint.toBase58()} is not a mint of SPL Token or Token-2022`);
  console.log(`deploying ${elf.length} bytes as ${programKeypair.publicKey.toBase58()} to ${url}; authority ${wallet.publicKey.toBase58()}`);
  const { deploy, config } = await deployAndInitialize(connectionChain(connection, wallet), {
    elf,
    programKeypair,
    authority: wallet,
    concurrency,
    collateral: { mint, tokenProgram: mintAccount.owner },
    ...(maxLen === undefined ? {} : { maxDataLen: maxLen }),
    log: (m) => console.log(`  ${m}`),
  });
  console.log(
    `program ${deploy.programId.toBase58()} ${deploy.deployed ? "deployed" : "already deployed"}; ` +
      `config ${config.config.toBase58()} ${config.initialized ? "initialized" : "already initialized"} with admin ${wallet.publicKey.toBase58()}`,
  );
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof DeployError ? `deploy refused: ${e.message}` : e);
  process.exit(1);
});
