/**
 * The `continuum-localnet` launcher process (an offline Surfpool simnet, crate `localnet/`):
 * built on demand by `scripts/localnet-setup.sh`, started detached with its output in the
 * network's log, stopped with SIGTERM (it flushes its ledger and closes its ports), SIGKILL
 * only if it does not exit in time.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, type LocalnetPaths } from "./paths.js";

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

/** Starts the launcher detached (it outlives this process); returns its pid. */
export function spawnLauncher(bin: string, p: LocalnetPaths, opts: SpawnOptions): number {
  mkdirSync(p.dir, { recursive: true });
  const out = openSync(p.log, "a");
  try {
    const child = spawn(
      bin,
      ["--host", opts.host ?? "127.0.0.1", "--rpc-port", String(opts.rpcPort), "--ws-port", String(opts.wsPort), "--slot-time-ms", String(opts.slotTimeMs), "--db", p.db],
      { detached: true, stdio: ["ignore", out, out] },
    );
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** The last `lines` lines of the log (for error messages). */
export function logTail(p: LocalnetPaths, lines = 20): string {
  if (!existsSync(p.log)) return "";
  return readFileSync(p.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Waits until the RPC answers `getHealth` with "ok"; fails early when the launcher exits
 * (port in use, bad ledger) with the log's tail.
 */
export async function waitForRpc(url: string, pid: number, p: LocalnetPaths, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isLauncherAlive(pid)) throw new Error(`the launcher exited before its RPC answered; log ${p.log}:\n${logTail(p)}`);
    if (await rpcHealthy(url)) return;
    if (Date.now() > deadline) throw new Error(`RPC ${url} not healthy after ${timeoutMs} ms; log ${p.log}:\n${logTail(p)}`);
    await new Promise((r) => setTimeout(r, 100));
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
