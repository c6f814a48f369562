/**
 * How the localnet suite runs the CLI matters for SIGTERM: `tsx` (the wrapper) forwards a signal
 * to its child and, when the child's event loop has not acknowledged it within 30 ms, kills the
 * child and exits 143. A busy daemon then never runs its own shutdown. Run as one process
 * (`node --import tsx`, as the package's `continuum` bin runs under plain node) it always does.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliCommand, ROOT } from "../localnet/helpers.js";

const BUSY = path.join(ROOT, "tests", "fixtures", "busy-on-sigterm.ts");

/** Starts `argv`, sends SIGTERM once it printed "ready", and resolves to its exit code and stdout. */
function termWhenReady(argv: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      const first = stdout === "";
      stdout += d.toString();
      if (first) setTimeout(() => child.kill("SIGTERM"), 100); // inside a busy stretch
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

describe("SIGTERM to a busy CLI process", () => {
  it("under the tsx wrapper the child is killed before its handler runs (exit 143)", async () => {
    const res = await termWhenReady([path.join(ROOT, "node_modules", ".bin", "tsx"), BUSY]);
    expect(res).toEqual({ code: 143, stdout: "ready\n" });
  });

  it("as one process (node --import tsx, how the localnet suite runs the CLI) its handler runs and it exits 0", async () => {
    const res = await termWhenReady([...cliCommand().slice(0, -1), BUSY]); // the CLI's node and loader flags
    expect(res).toEqual({ code: 0, stdout: "ready\nstopped\n" });
  });
});
