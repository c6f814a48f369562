/**
 * Helpers of the localnet suite: the CLI as a child process (exactly what a user runs), a
 * parser of the Prometheus text format, free ports, and waiting on conditions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = path.join(ROOT, "sdk", "src", "cli.ts");

/**
 * `continuum` from source as one process: node with tsx's loader. Not the `tsx` wrapper, which
 * kills a child that is slow to acknowledge SIGTERM (exit 143) before the daemon's own shutdown
 * runs (tests/cli/signals.test.ts).
 */
export function cliCommand(): string[] {
  return [process.execPath, "--import", "tsx", CLI];
}

/** Runs `continuum <args>` to completion. */
export function cli(args: string[], timeoutMs = 600_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [node, ...cliArgs] = cliCommand();
    const child = spawn(node!, [...cliArgs, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `continuum <args> --json` and parses its stdout; throws with stderr on failure. */
export async function cliJson<T>(args: string[], okCodes = [0]): Promise<T> {
  const res = await cli([...args, "--json"]);
  if (!okCodes.includes(res.code ?? -1)) throw new Error(`continuum ${args.join(" ")} exited ${res.code}:\n${res.stderr}\n${res.stdout}`);
  return JSON.parse(res.stdout.trim().split("\n").pop()!) as T;
}

/** A long-running `continuum keeper run` with its JSON log lines collected. */
export class DaemonProcess {
  readonly child: ChildProcess;
  readonly records: Record<string, unknown>[] = [];
  stderr = "";
  exitCode: number | null | undefined = undefined;

  constructor(args: string[]) {
    const [node, ...cliArgs] = cliCommand();
    this.child = spawn(node!, [...cliArgs, "keeper", "run", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    this.child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          this.records.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.records.push({ event: "unparsed", line });
        }
      }
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.child.on("exit", (code) => (this.exitCode = code));
  }

  events(name: string): Record<string, unknown>[] {
    return this.records.filter((r) => r.event === name);
  }

  /** The metrics port it logged. */
  async metricsPort(): Promise<number> {
    await waitFor(() => this.events("metrics_listening").length > 0, 60_000, () => `no metrics_listening; stderr:\n${this.stderr}`);
    return this.events("metrics_listening")[0]!.port as number;
  }

  /** A scrape of its `/metrics` (one retry: a pooled keep-alive socket may have been closed). */
  async metrics(): Promise<Metrics> {
    const url = `http://127.0.0.1:${await this.metricsPort()}/metrics`;
    for (let attempt = 1; ; attempt++) {
      try {
        return parseMetrics(await (await fetch(url)).text());
      } catch (e) {
        if (attempt >= 2 || this.exitCode !== undefined) throw new Error(`scrape failed (${String(e)}); ${this.describe()}`);
      }
    }
  }

  /** Exit status and the end of its stderr, for failure messages. */
  describe(): string {
    return `daemon exit ${String(this.exitCode)}; stderr tail:\n${this.stderr.split("\n").filter((l) => !l.startsWith("ws error")).slice(-15).join("\n")}`;
  }

  /** SIGTERM and wait for exit. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once("exit", (c) => r(c)));
    this.child.kill("SIGTERM");
    return exited;
  }
}

/** One sample of the text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parsed `/metrics`: samples, and the `# TYPE` of each metric family. */
export interface Metrics {
  samples: Sample[];
  types: Map<string, string>;
}

/** Parses Prometheus' text format (what prom-client's `registry.metrics()` writes). */
export function parseMetrics(text: string): Metrics {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      types.set(name!, type!);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** Sum of the samples of `name` whose labels include `labels`. */
export function metric(m: Metrics, name: string, labels: Record<string, string> = {}): number {
  return m.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

/** Polls `cond` every 250 ms until true; throws `what()` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string = () => "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A port `p` with `p` and `p + 1` free on 127.0.0.1 (RPC and websocket). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = 20_000 + 2 * Math.floor(Math.random() * 5_000);
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error("no free port pair");
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}
