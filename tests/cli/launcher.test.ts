/**
 * `startLauncher` against stand-in launchers (small Node scripts whose name contains
 * "continuum-localnet", as `isLauncherAlive` requires): a start killed by a signal before its RPC
 * answers is retried and logged, a start that exits with a code fails at once with that code and
 * the log's tail, and a launcher that keeps crashing fails after the last attempt.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LauncherExitedError, rpcHealthy, startLauncher, stopLauncher, waitForRpc, type ExitStatus, type LaunchedProcess } from "../../sdk/src/localnet/launcher.js";
import { localnetPaths, readState } from "../../sdk/src/localnet/paths.js";
import { freePortPair } from "../localnet/helpers.js";

/**
 * A stand-in: counts its starts in `starts` next to the ledger; the first `crashes` starts kill
 * themselves with SIGKILL (what a crash or the OOM killer looks like: nothing in the log); with
 * `exitCode` it prints a message and exits with it; otherwise it answers `getHealth` on
 * `--rpc-port` until SIGTERM.
 */
const STAND_IN = `#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const dir = path.dirname(arg("--db"));
const behaviour = JSON.parse(readFileSync(path.join(dir, "behaviour.json"), "utf8"));
const counter = path.join(dir, "starts");
const starts = (existsSync(counter) ? Number(readFileSync(counter, "utf8")) : 0) + 1;
writeFileSync(counter, String(starts));
if (starts <= behaviour.crashes) process.kill(process.pid, "SIGKILL");
if (behaviour.exitCode !== undefined) {
  console.error("continuum-localnet: address already in use");
  process.exit(behaviour.exitCode);
}
const server = http.createServer((_req, res) => res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "ok" })));
server.listen(Number(arg("--rpc-port")), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

describe("startLauncher", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function setup(behaviour: { crashes: number; exitCode?: number }) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "continuum-launcher-test-"));
    dirs.push(dir);
    const bin = path.join(dir, "continuum-localnet-stand-in.mjs");
    writeFileSync(bin, STAND_IN);
    chmodSync(bin, 0o755);
    const p = localnetPaths(path.join(dir, "ledger"));
    const rpcPort = await freePortPair();
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(path.join(p.dir, "behaviour.json"), JSON.stringify(behaviour));
    const starts = () => Number(readFileSync(path.join(p.dir, "starts"), "utf8"));
    return { bin, p, opts: { rpcPort, wsPort: rpcPort + 1, slotTimeMs: 400 }, starts };
  }

  it("starts again a launcher a signal killed before its RPC answered, logging each crash", async () => {
    const { bin, p, opts, starts } = await setup({ crashes: 2 });
    const logs: string[] = [];
    const state = await startLauncher(bin, p, opts, (m) => logs.push(m));
    try {
      expect(starts()).toBe(3);
      expect(logs).toEqual([
        "the launcher was killed by SIGKILL before its RPC answered (attempt 1 of 3); starting it again",
        "the launcher was killed by SIGKILL before its RPC answered (attempt 2 of 3); starting it again",
      ]);
      expect(await rpcHealthy(state.rpcUrl)).toBe(true);
      expect(readState(p)).toEqual(state);
    } finally {
      expect(await stopLauncher(state.pid)).toBe("stopped");
    }
  });

  it("gives up after the last attempt, saying how the launcher ended; no state is left", async () => {
    const { bin, p, opts, starts } = await setup({ crashes: 99 });
    const logs: string[] = [];
    const err = await startLauncher(bin, p, opts, (m) => logs.push(m)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LauncherExitedError);
    expect((err as LauncherExitedError).exit).toEqual({ code: null, signal: "SIGKILL" });
    expect((err as Error).message).toMatch(/^the launcher was killed by SIGKILL before its RPC answered; log /);
    expect(starts()).toBe(3);
    expect(logs).toHaveLength(2);
    expect(existsSync(p.state)).toBe(false);
  });

  it("fails at once when the launcher exits with a code, with the code and the log's tail", async () => {
    const { bin, p, opts, starts } = await setup({ crashes: 0, exitCode: 1 });
    const logs: string[] = [];
    const err = await startLauncher(bin, p, opts, (m) => logs.push(m)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LauncherExitedError);
    expect((err as Error).message).toContain("the launcher exited with code 1 before its RPC answered");
    expect((err as Error).message).toContain("continuum-localnet: address already in use");
    expect(starts()).toBe(1);
    expect(logs).toEqual([]);
    expect(existsSync(p.state)).toBe(false);
  });

  it("waits for an exit event that trails the process's death, so a late-reaped crash is still a crash", async () => {
    const { p, opts } = await setup({ crashes: 0 });
    // A pid that is gone (its process has exited and been reaped) stands for a launcher seen dead
    // before Node delivered its exit event; the event comes 500 ms later, as under a loaded CI.
    const gone = spawnSync("true").pid;
    const crash: ExitStatus = { code: null, signal: "SIGKILL" };
    const launched: LaunchedProcess = { pid: gone, exit: null, exited: new Promise((r) => setTimeout(() => r(crash), 500)) };
    const err = await waitForRpc(`http://127.0.0.1:${opts.rpcPort}`, launched, p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LauncherExitedError);
    expect((err as LauncherExitedError).exit).toEqual(crash);
  });
});
