/**
 * The options every command shares, after the Solana CLI: `--url` (a moniker or an http(s)
 * URL; default: the local network when it runs, else localhost), `--keypair` (default
 * ~/.config/solana/id.json), `--program-id`, `--json`; and what they resolve to (`CliContext`:
 * the connection, the wallet, `connectionChain` for every transaction, the program's config).
 */
import { Connection, Keypair, PublicKey, SYSVAR_CLOCK_PUBKEY, type TransactionInstruction } from "@solana/web3.js";
import { existsSync, readFileSync } from "node:fs";
import { decodeConfig, type ConfigAccount } from "../accounts/config.js";
import { collateralOf, type Collateral } from "../collateral.js";
import { PROGRAM_ID } from "../constants.js";
import { safeSend, type Chain, type ChainReader } from "../keeper/chain.js";
import { connectionChain, connectionReader } from "../keeper/connection.js";
import { isLauncherAlive } from "../localnet/launcher.js";
import { expandHome, localnetPaths, readState } from "../localnet/paths.js";
import { findConfigPda } from "../pda.js";
import { CliError, TransactionError } from "./errors.js";
import type { Io } from "./output.js";

/** Cluster monikers of the Solana CLI (and their one-letter forms). */
export const URL_MONIKERS: Readonly<Record<string, string>> = {
  localhost: "http://127.0.0.1:8899",
  l: "http://127.0.0.1:8899",
  devnet: "https://api.devnet.solana.com",
  d: "https://api.devnet.solana.com",
  testnet: "https://api.testnet.solana.com",
  t: "https://api.testnet.solana.com",
  "mainnet-beta": "https://api.mainnet-beta.solana.com",
  m: "https://api.mainnet-beta.solana.com",
};

export const DEFAULT_KEYPAIR = "~/.config/solana/id.json";

/** The URL of the local network recorded under `ledger` (default ledger) when its launcher is alive. */
export function runningLocalnetUrl(ledger?: string): string | null {
  const state = readState(localnetPaths(ledger));
  return state && isLauncherAlive(state.pid) ? state.rpcUrl : null;
}

/**
 * `--url`: a moniker, an http(s) URL, or (absent) the running local network's URL, else
 * localhost.
 */
export function resolveUrl(url: string | undefined, ledger?: string): string {
  if (url === undefined) return runningLocalnetUrl(ledger) ?? URL_MONIKERS.localhost!;
  const moniker = URL_MONIKERS[url];
  if (moniker) return moniker;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--url must be localhost, devnet, testnet, mainnet-beta or an http(s) URL, got ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(`--url must be an http(s) URL, got ${url}`);
  return url;
}

/** A keypair file (solana-keygen JSON: 64 bytes). */
export function readKeypair(file: string): Keypair {
  const p = expandHome(file);
  if (!existsSync(p)) throw new CliError(`no keypair at ${file}: pass --keypair <file> (solana-keygen JSON)`);
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(p, "utf8"));
  } catch {
    throw new CliError(`${file} is not a keypair file (JSON array of 64 bytes)`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
    throw new CliError(`${file} is not a keypair file (JSON array of 64 bytes)`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}

/** A base58 public key argument. */
export function parsePublicKey(text: string, what: string): PublicKey {
  try {
    return new PublicKey(text);
  } catch {
    throw new CliError(`${what} must be a base58 public key, got ${text}`);
  }
}

/** The global options as commander hands them over. */
export interface GlobalOptions {
  url?: string;
  /** Old spelling of `--url` (kept for scripts). */
  rpc?: string;
  keypair?: string;
  programId?: string;
  json?: boolean;
  ledger?: string;
}

/** What a chain command works with. */
export class CliContext {
  readonly url: string;
  readonly programId: PublicKey;
  readonly json: boolean;
  readonly keypairPath: string;
  private conn: Connection | null = null;
  private wallet: Keypair | null = null;
  private configCache: ConfigAccount | null = null;

  /**
   * `inject` replaces the RPC chain and the wallet (embedded tests drive the commands on a
   * test runtime); without it every read and transaction goes through `--url`.
   */
  constructor(
    opts: GlobalOptions,
    readonly io: Io,
    private readonly inject?: { chain: Chain; payer: Keypair },
  ) {
    this.url = resolveUrl(opts.url ?? opts.rpc, opts.ledger);
    this.programId = opts.programId ? parsePublicKey(opts.programId, "--program-id") : PROGRAM_ID;
    this.json = opts.json ?? false;
    this.keypairPath = opts.keypair ?? DEFAULT_KEYPAIR;
  }

  get connection(): Connection {
    this.conn ??= new Connection(this.url, "confirmed");
    return this.conn;
  }

  get reader(): ChainReader {
    return this.inject?.chain ?? connectionReader(this.connection);
  }

  /** Whether a wallet is available (the keypair file exists, or one was injected). */
  hasWallet(): boolean {
    return this.inject !== undefined || existsSync(expandHome(this.keypairPath));
  }

  /** The wallet (`--keypair`): fee payer and signer of every transaction. */
  get payer(): Keypair {
    this.wallet ??= this.inject?.payer ?? readKeypair(this.keypairPath);
    return this.wallet;
  }

  /** `connectionChain` over the connection, the wallet paying. */
  get chain(): Chain {
    return this.inject?.chain ?? connectionChain(this.connection, this.payer);
  }

  /** The program's Config (read once per command). */
  async config(): Promise<ConfigAccount> {
    if (this.configCache) return this.configCache;
    const account = await this.reader.getAccount(findConfigPda(this.programId)[0]).catch((e: unknown) => {
      throw new CliError(`cannot reach ${this.url}: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (!account) throw new CliError(`no Continuum config at ${this.url} for program ${this.programId.toBase58()}: is the program deployed and initialized?`);
    this.configCache = decodeConfig(account.data);
    return this.configCache;
  }

  async collateral(): Promise<Collateral> {
    return collateralOf(await this.config());
  }

  /** The chain's unix time (the Clock sysvar's `unix_timestamp`, what the program compares deadlines with). */
  async chainTime(): Promise<bigint> {
    const clock = await this.reader.getAccount(SYSVAR_CLOCK_PUBKEY);
    if (!clock) throw new CliError("no Clock sysvar");
    return Buffer.from(clock.data).readBigInt64LE(32);
  }

  /** Sends one transaction through `connectionChain`; a refusal throws `TransactionError`. */
  async send(what: string, instructions: TransactionInstruction[], signers: Keypair[] = []): Promise<string> {
    // connectionChain signs with its payer; an injected chain has its own fee payer, so the
    // wallet signs as one of the signers.
    const result = await safeSend(this.chain, instructions, this.inject ? [this.inject.payer, ...signers] : signers);
    if (!result.ok) throw new TransactionError(what, result);
    return result.signature ?? "";
  }

  /** A progress line on stderr (never on stdout, which carries the result). */
  note(text: string): void {
    this.io.err(text);
  }
}
