/**
 * What `continuum localnet start` does once the RPC answers: fund the wallet, create a test
 * collateral mint (SPL Token, 6 decimals, the wallet its mint authority) and mint the wallet
 * 1,000,000 tokens, deploy the program through the upgradeable loader with the wallet as
 * upgrade authority, initialize the config on that mint (the upgrade authority is its admin)
 * and every shard with its vault. Each step is idempotent, so a restart over a kept ledger
 * sends nothing.
 */
import { Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createMint, getOrCreateAssociatedTokenAccount, mintTo } from "@solana/spl-token";
import { decodeConfig } from "../accounts/config.js";
import { collateralOf, TOKEN_PROGRAM_ID } from "../collateral.js";
import { deployAndInitialize, DeployError } from "../deploy.js";
import { DEFAULT_CONFIG_ARGS, type InitializeConfigArgs } from "../instructions/initializeConfig.js";
import { initShardInstruction } from "../instructions/sharding.js";
import { getAccounts, safeSend, type Chain } from "../keeper/chain.js";
import { connectionChain } from "../keeper/connection.js";
import { findConfigPda, findShardPda } from "../pda.js";
import { expandHome } from "./paths.js";

/** A keypair file (solana-keygen JSON), generated (mode 0600) when missing. */
export function loadOrCreateKeypair(file: string): { keypair: Keypair; created: boolean } {
  const p = expandHome(file);
  if (existsSync(p)) {
    return { keypair: Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(p, "utf8")) as number[])), created: false };
  }
  const keypair = Keypair.generate();
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify([...keypair.secretKey]), { mode: 0o600 });
  chmodSync(p, 0o600);
  return { keypair, created: true };
}

/** Airdrops until `wallet` holds at least `minLamports` (one airdrop of `amount`). */
export async function fundWallet(connection: Connection, wallet: PublicKey, minLamports: number, amount: number): Promise<number> {
  const before = await connection.getBalance(wallet, "confirmed");
  if (before >= minLamports) return before;
  const signature = await connection.requestAirdrop(wallet, amount);
  const latest = await connection.getLatestBlockhash("confirmed");
  await connection.confirmTransaction({ signature, ...latest }, "confirmed");
  return connection.getBalance(wallet, "confirmed");
}

/** Initializes every shard `0..shardCount` not yet on chain; returns the ids it created. */
export async function initShards(chain: Chain, admin: Keypair, programId: PublicKey): Promise<number[]> {
  const config = await chain.getAccount(findConfigPda(programId)[0]);
  if (!config) throw new DeployError("config missing: initialize it before the shards");
  const { shardCount } = decodeConfig(config.data);
  const ids = Array.from({ length: shardCount }, (_, i) => i);
  const existing = await getAccounts(chain, ids.map((id) => findShardPda(id, programId)[0]));
  const missing = ids.filter((id) => !existing[id]);
  const collateral = collateralOf(decodeConfig(config.data));
  for (const id of missing) {
    const res = await safeSend(chain, [initShardInstruction(admin.publicKey, id, collateral, programId)], [admin]);
    if (!res.ok) throw new DeployError(`init_shard ${id} failed: ${res.error ?? "unknown error"}`);
  }
  return missing;
}

/** What `bootstrap` needs. */
export interface BootstrapOptions {
  rpcUrl: string;
  wallet: Keypair;
  programKeypair: Keypair;
  /** Keypair of the test collateral mint (created when its account doesn't exist). */
  mintKeypair: Keypair;
  elf: Uint8Array;
  configArgs?: InitializeConfigArgs;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Outcome of `bootstrap`. */
export interface BootstrapResult {
  programId: string;
  deployed: boolean;
  configInitialized: boolean;
  shardsCreated: number[];
  walletLamports: number;
  /** The collateral mint (base58) and the wallet's token balance in base units. */
  collateralMint: string;
  walletTokens: string;
}

/** Tokens (base units, 6 decimals) the wallet is topped up to: 1,000,000. */
const WALLET_TOKENS = 1_000_000_000_000n;

/** Creates the test collateral mint if missing and tops the wallet's token account up. */
export async function ensureCollateral(connection: Connection, wallet: Keypair, mint: Keypair): Promise<bigint> {
  if (!(await connection.getAccountInfo(mint.publicKey, "confirmed"))) {
    await createMint(connection, wallet, wallet.publicKey, wallet.publicKey, 6, mint, { commitment: "confirmed" }, TOKEN_PROGRAM_ID);
  }
  const ata = await getOrCreateAssociatedTokenAccount(connection, wallet, mint.publicKey, wallet.publicKey, false, "confirmed");
  if (ata.amount < WALLET_TOKENS / 2n) {
    await mintTo(connection, wallet, mint.publicKey, ata.address, wallet, WALLET_TOKENS - ata.amount, [], { commitment: "confirmed" });
  }
  return (await getOrCreateAssociatedTokenAccount(connection, wallet, mint.publicKey, wallet.publicKey, false, "confirmed")).amount;
}

export async function bootstrap(opts: BootstrapOptions): Promise<BootstrapResult> {
  const log = opts.log ?? (() => {});
  const connection = new Connection(opts.rpcUrl, "confirmed");
  // Enough for the program's buffer and ProgramData rent (twice the ELF) with room for tests.
  const walletLamports = await fundWallet(connection, opts.wallet.publicKey, 50 * LAMPORTS_PER_SOL, 500 * LAMPORTS_PER_SOL);
  log(`wallet ${opts.wallet.publicKey.toBase58()} holds ${walletLamports / LAMPORTS_PER_SOL} SOL`);
  const walletTokens = await ensureCollateral(connection, opts.wallet, opts.mintKeypair);
  log(`collateral mint ${opts.mintKeypair.publicKey.toBase58()}; wallet holds ${walletTokens} base units`);
  const chain = connectionChain(connection, opts.wallet);
  const { deploy, config } = await deployAndInitialize(chain, {
    collateral: { mint: opts.mintKeypair.publicKey, tokenProgram: TOKEN_PROGRAM_ID },
    elf: opts.elf,
    programKeypair: opts.programKeypair,
    authority: opts.wallet,
    concurrency: 16,
    configArgs: opts.configArgs ?? DEFAULT_CONFIG_ARGS,
    log,
  });
  const shardsCreated = await initShards(chain, opts.wallet, deploy.programId);
  if (shardsCreated.length > 0) log(`shards ${shardsCreated.join(", ")} initialized`);
  return {
    programId: deploy.programId.toBase58(),
    deployed: deploy.deployed,
    configInitialized: config.initialized,
    shardsCreated,
    walletLamports: await connection.getBalance(opts.wallet.publicKey, "confirmed"),
    collateralMint: opts.mintKeypair.publicKey.toBase58(),
    walletTokens: walletTokens.toString(),
  };
}

/**
 * `initialize_config` arguments from JSON overrides of `DEFAULT_CONFIG_ARGS` (numbers or
 * strings; the u64 fields become bigints), e.g. `{"shardCount": 4, "loadThresholdMilliWrites": "500"}`.
 */
export function configArgsFromJson(json: string | undefined): InitializeConfigArgs {
  if (!json) return DEFAULT_CONFIG_ARGS;
  const overrides = JSON.parse(json) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG_ARGS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_CONFIG_ARGS)) throw new Error(`unknown config field ${key}`);
    const current = (DEFAULT_CONFIG_ARGS as unknown as Record<string, unknown>)[key];
    if (typeof value !== "number" && typeof value !== "string") throw new Error(`config field ${key} must be a number or a string`);
    out[key] = typeof current === "bigint" ? BigInt(value) : Number(value);
  }
  return out as unknown as InitializeConfigArgs;
}
