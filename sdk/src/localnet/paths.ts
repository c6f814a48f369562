/**
 * Where a local network keeps its files: one directory (default `~/.continuum/localnet`, or
 * `--ledger DIR`) holding the launcher's pid, its log, the simnet's SQLite ledger (so a stop and
 * start keep the deployed program and every account) and `state.json` (how to reach it).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is sdk/src/localnet/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The files of one local network. */
export interface LocalnetPaths {
  dir: string;
  pid: string;
  log: string;
  state: string;
  db: string;
  /** Keypair of the test collateral mint `start` creates (kept across resets). */
  mint: string;
}

/** Paths under `ledger` (default `~/.continuum/localnet`); `~` is expanded. */
export function localnetPaths(ledger?: string): LocalnetPaths {
  const dir = path.resolve(expandHome(ledger ?? path.join(os.homedir(), ".continuum", "localnet")));
  return {
    dir,
    pid: path.join(dir, "localnet.pid"),
    log: path.join(dir, "localnet.log"),
    state: path.join(dir, "state.json"),
    db: path.join(dir, "ledger.sqlite"),
    mint: path.join(dir, "collateral-mint.json"),
  };
}

export function expandHome(p: string): string {
  return p.replace(/^~(?=\/|$)/, os.homedir());
}

/** What `state.json` records about a running network. */
export interface LocalnetState {
  pid: number;
  rpcUrl: string;
  wsUrl: string;
  rpcPort: number;
  wsPort: number;
  slotTimeMs: number;
  startedAt: string;
}

export function readState(p: LocalnetPaths): LocalnetState | null {
  if (!existsSync(p.state)) return null;
  try {
    return JSON.parse(readFileSync(p.state, "utf8")) as LocalnetState;
  } catch {
    return null;
  }
}

export function writeState(p: LocalnetPaths, state: LocalnetState): void {
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.state, `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(p.pid, `${state.pid}\n`);
}

export function clearRunState(p: LocalnetPaths): void {
  rmSync(p.pid, { force: true });
  rmSync(p.state, { force: true });
}

/**
 * Removes the network's files (ledger with SQLite's -wal/-shm companions, log, state), never
 * anything else in the directory: `--ledger` may name a directory that holds other files.
 */
export function wipe(p: LocalnetPaths): void {
  for (const f of [p.db, `${p.db}-wal`, `${p.db}-shm`, `${p.db}-journal`, p.log, p.state, p.pid]) rmSync(f, { force: true });
}
