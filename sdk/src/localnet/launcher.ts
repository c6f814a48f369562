/**
 * The `continuum-localnet` launcher process (an offline Surfpool simnet, crate `localnet/`):
 * built on demand by `scripts/localnet-setup.sh`, started detached with its output in the
 * network's log, stopped with SIGTERM (it flushes its ledger and closes its ports), SIGKILL
 * only if it does not exit in time. A start that a signal kills before the RPC answers is
 * retried: a crash prints nothing, so the error says how the process ended.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { clearRunState, REPO_ROOT, writeState, type LocalnetPaths, type LocalnetState } from "./paths.js";

/** The launcher binary: `CONTINUUM_LOCALNET_BIN`, else the profile `scripts/localnet-setup.sh` builds. */
export function launcherBinary(): string {
  const explicit = process.env.CONTINUUM_LOCALNET_BIN;
  if (explicit) return explicit;
  const profile = process.env.CONTINUUM_LOCALNET_PROFILE ?? "debug";
  return path.join(REPO_ROOT, "localnet", "target", profile, "continuum-localnet");
}

/**
 * Runs `scripts/localnet-setup.sh` (promtool, launcher build; both skipped when present), its
 * output on stderr so `--json` stdout stays clean. Skipped with `CONTINUUM_LOCALNET_BIN`.
 */
export function ensureLauncher(): string {
  const bin = launcherBinary();
  if (!process.env.CONTINUUM_LOCALNET_BIN) {
    const res = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "localnet-setup.sh")], { stdio: ["ignore", 2, 2] });
    if (res.status !== 0) throw new Error(`scripts/localnet-setup.sh failed (exit ${res.status ?? res.signal})`);
  }
  if (!existsSync(bin)) throw new Error(`launcher ${bin} missing: run scripts/localnet-setup.sh`);
  return bin;
}

/** Whether `pid` is a live launcher (not a recycled pid of another program). */
export function isLauncherAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.includes("continuum-localnet")) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Options of `spawnLauncher`. */
export interface SpawnOptions {
  rpcPort: number;
  wsPort: number;
  slotTimeMs: number;
  host?: string;
}

/** How a process ended: its exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A launcher this process started: its pid, and how it exited once it has. */
export interface LaunchedProcess {
  pid: number;
  /** Set when the process exits while this process still runs. */
  exit: ExitStatus | null;
  /** Resolves with `exit` once Node has reaped the process. */
  exited: Promise<ExitStatus>;
}

/**
 * How long to wait for Node's exit event once the process is seen dead: the process leaves
 * `/proc` (or turns zombie) before Node reaps it, and under load the event trails by far more
 * than a tick. Without the status a crash would look like an exit and not be retried.
 */
const EXIT_EVENT_WAIT_MS = 5_000;

/** Starts the launcher detached (it outlives this process). */
export function spawnLauncher(bin: string, p: LocalnetPaths, opts: SpawnOptions): LaunchedProcess {
  mkdirSync(p.dir, { recursive: true });
  const out = openSync(p.log, "a");
  try {
    const child = spawn(
      bin,
      ["--host", opts.host ?? "127.0.0.1", "--rpc-port", String(opts.rpcPort), "--ws-port", String(opts.wsPort), "--slot-time-ms", String(opts.slotTimeMs), "--db", p.db],
      { detached: true, stdio: ["ignore", out, out] },
    );
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    // A crash prints nothing to the log (a signal kills it): keep the status for the error message.
    let settle: (exit: ExitStatus) => void = () => {};
    const exited = new Promise<ExitStatus>((resolve) => (settle = resolve));
    const launched: LaunchedProcess = { pid: child.pid, exit: null, exited };
    child.once("exit", (code, signal) => {
      launched.exit = { code, signal };
      settle(launched.exit);
    });
    child.unref();
    return launched;
  } finally {
    closeSync(out);
  }
}

/** "exited with code 1", "was killed by SIGSEGV" or "exited" (status unknown). */
export function describeExit(exit: LaunchedProcess["exit"]): string {
  if (exit?.signal) return `was killed by ${exit.signal}`;
  if (exit && exit.code !== null) return `exited with code ${exit.code}`;
  return "exited";
}

/** The last `lines` lines of the log (for error messages). */
export function logTail(p: LocalnetPaths, lines = 20): string {
  if (!existsSync(p.log)) return "";
  return readFileSync(p.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** The launcher exited before its RPC answered; `exit` says how (a signal means it crashed). */
export class LauncherExitedError extends Error {
  constructor(
    readonly exit: LaunchedProcess["exit"],
    p: LocalnetPaths,
  ) {
    super(`the launcher ${describeExit(exit)} before its RPC answered; log ${p.log}:\n${logTail(p)}`);
    this.name = "LauncherExitedError";
  }
}

/**
 * Waits until the RPC answers `getHealth` with "ok"; fails early when the launcher exits
 * (port in use, bad ledger, a crash) with how it exited and the log's tail.
 */
export async function waitForRpc(url: string, launched: LaunchedProcess, p: LocalnetPaths, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (launched.exit || !isLauncherAlive(launched.pid)) {
      throw new LauncherExitedError(await exitStatus(launched), p);
    }
    if (await rpcHealthy(url)) return;
    if (Date.now() > deadline) throw new Error(`RPC ${url} not healthy after ${timeoutMs} ms; log ${p.log}:\n${logTail(p)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The launcher's exit status, waiting up to `EXIT_EVENT_WAIT_MS` for Node to reap it; null if it never does. */
async function exitStatus(launched: LaunchedProcess): Promise<ExitStatus | null> {
  if (launched.exit) return launched.exit;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), EXIT_EVENT_WAIT_MS)));
  try {
    return await Promise.race([launched.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `url` answers `getHealth` with "ok" within 2 s. */
export async function rpcHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await res.json()) as { result?: string };
    return body.result === "ok";
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopLauncher(pid: number, graceMs = 15_000): Promise<"stopped" | "killed" | "not-running"> {
  if (!isLauncherAlive(pid)) return "not-running";
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isLauncherAlive(pid)) return "stopped";
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return "stopped";
  }
  while (isLauncherAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  return "killed";
}

/** Starts of a launcher that a signal kills before its RPC answers (a crash, not a bad argument). */
const LAUNCH_ATTEMPTS = 3;

/**
 * Spawns the launcher and waits for its RPC, recording its pid in the network's state. A launcher
 * killed by a signal before it is ready is started again (up to `LAUNCH_ATTEMPTS` in all, each
 * crash logged); one that exits with a code (port in use, bad ledger) fails at once.
 */
export async function startLauncher(bin: string, p: LocalnetPaths, opts: SpawnOptions, log: (message: string) => void): Promise<LocalnetState> {
  for (let attempt = 1; ; attempt++) {
    const launched = spawnLauncher(bin, p, opts);
    const state: LocalnetState = {
      pid: launched.pid,
      rpcPort: opts.rpcPort,
      wsPort: opts.wsPort,
      slotTimeMs: opts.slotTimeMs,
      rpcUrl: `http://127.0.0.1:${opts.rpcPort}`,
      wsUrl: `ws://127.0.0.1:${opts.wsPort}`,
      startedAt: new Date().toISOString(),
    };
    writeState(p, state);
    try {
      await waitForRpc(state.rpcUrl, launched, p);
      return state;
    } catch (e) {
      await stopLauncher(launched.pid);
      clearRunState(p);
      if (!(e instanceof LauncherExitedError && e.exit?.signal) || attempt >= LAUNCH_ATTEMPTS) throw e;
      log(`the launcher ${describeExit(e.exit)} before its RPC answered (attempt ${attempt} of ${LAUNCH_ATTEMPTS}); starting it again`);
    }
  }
}
