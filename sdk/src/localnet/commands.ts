/**
 * `continuum localnet start|stop|status|reset`, as functions returning plain objects (the CLI
 * prints them as text or `--json`).
 */
import { Connection, Keypair } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PROGRAM_ID } from "../constants.js";
import { readUpgradeableProgram } from "../deploy.js";
import { connectionReader } from "../keeper/connection.js";
import { findConfigPda } from "../pda.js";
import { bootstrap, configArgsFromJson, loadOrCreateKeypair, type BootstrapResult } from "./bootstrap.js";
import { ensureLauncher, isLauncherAlive, rpcHealthy, startLauncher, stopLauncher } from "./launcher.js";
import { clearRunState, localnetPaths, readState, REPO_ROOT, wipe, type LocalnetState } from "./paths.js";

/** Options shared by the localnet commands. */
export interface LocalnetOptions {
  /** The network's directory (default `~/.continuum/localnet`). */
  ledger?: string;
  /** RPC port (default 8899); the websocket listens on the next one unless `wsPort` is given. */
  rpcPort?: number;
  wsPort?: number;
  /** Slot duration (default 400 ms, mainnet's). */
  slotTimeMs?: number;
  /** Wallet: payer, upgrade authority and config admin (default ~/.config/solana/id.json, generated if missing). */
  keypair?: string;
  /** Program keypair (default keys/continuum-program-keypair.json) and ELF (default target/deploy/continuum.so). */
  programKeypair?: string;
  so?: string;
  /** JSON overrides of the config arguments (see `configArgsFromJson`). */
  config?: string;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** What `start` reports. */
export interface StartResult extends BootstrapResult {
  rpcUrl: string;
  wsUrl: string;
  pid: number;
  ledger: string;
  log: string;
  wallet: string;
  walletCreated: boolean;
  /** False when a network from this ledger was already running. */
  started: boolean;
}

/** Starts (or finds running) the network, then deploys and initializes everything missing. */
export async function localnetStart(opts: LocalnetOptions = {}): Promise<StartResult> {
  const log = opts.log ?? (() => {});
  const p = localnetPaths(opts.ledger);
  let state = readState(p);
  let started = false;
  if (!state || !isLauncherAlive(state.pid)) {
    const rpcPort = opts.rpcPort ?? 8899;
    const wsPort = opts.wsPort ?? rpcPort + 1;
    const slotTimeMs = opts.slotTimeMs ?? 400;
    const bin = ensureLauncher();
    if (await rpcHealthy(`http://127.0.0.1:${rpcPort}`)) throw new Error(`something already answers RPC on port ${rpcPort}: pick another --rpc-port`);
    log(`starting ${bin} on port ${rpcPort} (ledger ${p.dir})`);
    state = await startLauncher(bin, p, { rpcPort, wsPort, slotTimeMs }, log);
    started = true;
    log(`RPC ${state.rpcUrl} healthy`);
  } else {
    log(`already running (pid ${state.pid}) at ${state.rpcUrl}`);
  }
  const { keypair: wallet, created } = loadOrCreateKeypair(opts.keypair ?? "~/.config/solana/id.json");
  if (created) log(`generated wallet ${opts.keypair ?? "~/.config/solana/id.json"}`);
  const programKeypair = readKeypairFile(opts.programKeypair ?? path.join(REPO_ROOT, "keys", "continuum-program-keypair.json"));
  const elf = Uint8Array.from(readFileSync(opts.so ?? path.join(REPO_ROOT, "target", "deploy", "continuum.so")));
  const { keypair: mintKeypair } = loadOrCreateKeypair(p.mint);
  const boot = await bootstrap({ rpcUrl: state.rpcUrl, wallet, programKeypair, mintKeypair, elf, configArgs: configArgsFromJson(opts.config), log });
  return {
    ...boot,
    rpcUrl: state.rpcUrl,
    wsUrl: state.wsUrl,
    pid: state.pid,
    ledger: p.dir,
    log: p.log,
    wallet: wallet.publicKey.toBase58(),
    walletCreated: created,
    started,
  };
}

/** What `stop` reports. */
export interface StopResult {
  /** "stopped" (SIGTERM), "killed" (SIGKILL after the grace period) or "not-running". */
  outcome: "stopped" | "killed" | "not-running";
  pid: number | null;
  ledger: string;
}

export async function localnetStop(opts: Pick<LocalnetOptions, "ledger"> = {}): Promise<StopResult> {
  const p = localnetPaths(opts.ledger);
  const state = readState(p);
  const outcome = state ? await stopLauncher(state.pid) : "not-running";
  clearRunState(p);
  return { outcome, pid: state?.pid ?? null, ledger: p.dir };
}

/** What `status` reports. */
export interface StatusResult {
  running: boolean;
  healthy: boolean;
  pid: number | null;
  rpcUrl: string | null;
  wsUrl: string | null;
  slot: number | null;
  programId: string;
  programDeployed: boolean;
  upgradeAuthority: string | null;
  configInitialized: boolean;
  ledger: string;
}

export async function localnetStatus(opts: Pick<LocalnetOptions, "ledger"> = {}): Promise<StatusResult> {
  const p = localnetPaths(opts.ledger);
  const state: LocalnetState | null = readState(p);
  const running = state !== null && isLauncherAlive(state.pid);
  const out: StatusResult = {
    running,
    healthy: false,
    pid: running ? state!.pid : null,
    rpcUrl: running ? state!.rpcUrl : null,
    wsUrl: running ? state!.wsUrl : null,
    slot: null,
    programId: PROGRAM_ID.toBase58(),
    programDeployed: false,
    upgradeAuthority: null,
    configInitialized: false,
    ledger: p.dir,
  };
  if (!running || !(await rpcHealthy(state!.rpcUrl))) return out;
  out.healthy = true;
  const connection = new Connection(state!.rpcUrl, "confirmed");
  const reader = connectionReader(connection);
  out.slot = Number(await reader.getSlot());
  const program = await readUpgradeableProgram(reader, PROGRAM_ID).catch(() => null);
  out.programDeployed = program !== null;
  out.upgradeAuthority = program?.authority?.toBase58() ?? null;
  out.configInitialized = (await reader.getAccount(findConfigPda(PROGRAM_ID)[0])) !== null;
  return out;
}

/** Stop, wipe the ledger directory, start afresh. */
export async function localnetReset(opts: LocalnetOptions = {}): Promise<StartResult> {
  await localnetStop(opts);
  wipe(localnetPaths(opts.ledger));
  return localnetStart(opts);
}

function readKeypairFile(file: string): Keypair {
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(file, "utf8")) as number[]));
}
