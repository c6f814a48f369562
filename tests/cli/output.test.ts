/** The CLI's output and errors: JSON encoding, named errors, help on every command, charts, SVG. */
import { PublicKey } from "@solana/web3.js";
import { CommanderError, type Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, main } from "../../sdk/src/cli.js";
import { terminalChart } from "../../sdk/src/cli/chart.js";
import { CliError, describeError, formatError, TransactionError } from "../../sdk/src/cli/errors.js";
import { toJson, type Io } from "../../sdk/src/cli/output.js";
import { escapeXml, svgDocument, ticks } from "../../sdk/src/cli/svg.js";
import { errorCode, MathError } from "../../sdk/src/index.js";

function capture(): Io & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (t) => void outs.push(t), err: (t) => void errs.push(t) };
}

describe("output", () => {
  it("JSON: bigints as decimal strings, keys as base58, bytes as hex", () => {
    const key = new PublicKey("CtasKDpj248MTjoHmkNGUcGcfLj5Rt7nJZwvURG1gFL5");
    expect(toJson({ a: 2n ** 70n, k: key, b: Uint8Array.from([0, 255]), n: [1n, -2n], s: "x" })).toBe(
      `{"a":"1180591620717411303424","k":"CtasKDpj248MTjoHmkNGUcGcfLj5Rt7nJZwvURG1gFL5","b":"00ff","n":["1","-2"],"s":"x"}`,
    );
  });

  it("errors: program errors by code and name, math errors by name, never a stack trace", () => {
    const code = errorCode("SlippageExceeded");
    const tx = new TransactionError("trade", { ok: false, errorCode: code, error: "SlippageExceeded", logs: ["Program log: x"], signature: "sig" });
    const r = describeError(tx);
    expect(r).toMatchObject({ code, name: "SlippageExceeded", operation: "trade", signature: "sig", logs: ["Program log: x"] });
    expect(formatError(r)).toBe(`${code} SlippageExceeded: The payment exceeds max_in, or the refund is below min_out (trade)`);
    expect(formatError(describeError(new MathError("ZeroBet")))).toMatch(/^ZeroBet: /);
    expect(formatError(describeError(new CliError("bad input")))).toBe("error: bad input");
    const foreign = describeError(new TransactionError("claim", { ok: false, errorCode: 1, error: "custom program error: 0x1", logs: [] }));
    expect(foreign).toMatchObject({ code: 1, name: "TransactionFailed" });
    expect(formatError(foreign)).toBe("error: claim: custom program error: 0x1");
    expect(describeError(new CommanderError(1, "commander.unknownCommand", "error: unknown command 'x'"))).toEqual({ name: "UsageError", message: "unknown command 'x'" });
  });

  it("main: usage errors exit 1 with one JSON error on stdout; --help and --version exit 0", async () => {
    let io = capture();
    expect(await main(["frobnicate", "--json"], io)).toBe(1);
    expect(io.outs).toEqual([JSON.stringify({ error: { name: "UsageError", message: "unknown command 'frobnicate'" } })]);
    expect(io.errs).toEqual(["error: unknown command 'frobnicate'"]);
    io = capture();
    expect(await main(["market", "quote", "--json"], io)).toBe(1);
    expect(JSON.parse(io.outs[0]!)).toEqual({ error: { name: "UsageError", message: "missing required argument 'market'" } });
    io = capture();
    expect(await main(["market", "show", "x", "--buckets"], io)).toBe(1);
    expect(io.errs[0]).toMatch(/option '--buckets <n>' argument missing/);
    io = capture();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.outs).toEqual(["0.1.0"]);
    io = capture();
    expect(await main([], io)).toBe(0);
    expect(io.outs[0]).toMatch(/^Usage: continuum/);
  });

  it("--help works on every command and shows the global options", async () => {
    const walk = (cmd: Command, prefix: string[]): string[][] => cmd.commands.filter((c) => c.name() !== "help").flatMap((c) => [[...prefix, c.name()], ...walk(c, [...prefix, c.name()])]);
    const paths = walk(buildProgram({ io: capture(), exitCode: 0 }), []);
    expect(paths.map((p) => p.join(" "))).toEqual(
      expect.arrayContaining([
        "market create", "market list", "market show", "market quote", "market trade", "market sell", "market resolve", "market cancel", "market plot",
        "position show", "position claim", "lp claim", "shard status", "shard assign",
        "keeper register", "keeper unregister", "keeper withdraw", "keeper propose", "keeper vote", "keeper run", "keeper status",
        "localnet start", "localnet stop", "localnet status", "localnet reset",
      ]),
    );
    for (const p of paths) {
      const io = capture();
      expect(await main([...p, "--help"], io), p.join(" ")).toBe(0);
      const text = io.outs.join("\n");
      expect(text).toContain(`Usage: continuum ${p.join(" ")}`);
      if (p.length === 2) for (const flag of ["--url", "--keypair", "--program-id", "--json"]) expect(text, `${p.join(" ")} --help`).toContain(flag);
    }
  });
});

describe("terminal chart and SVG", () => {
  it("the chart scales to the maximum and keeps small positive values visible", () => {
    const chart = terminalChart([0n, 1n, 4n, 8n, 4n, 1n, 0n], { height: 2, yMaxLabel: "8", xLabels: ["-3", "3"] });
    expect(chart.split("\n")).toEqual(["8 │   █   ", "  │ ▂███▂ ", "  └───────", "   -3    3"]);
    expect(terminalChart([0n, 0n], { height: 1 }).split("\n")[0]).toBe("0 │  ");
  });

  it("SVG: one polyline per series, escaped labels, round ticks", () => {
    const svg = svgDocument([
      { title: "a < b", xs: [0, 1, 2], xLabel: "x", yLabel: "y", series: [{ label: "f & g", values: [0, 2, 1], color: "#000" }, { label: "h", values: [1, 1, 1], color: "#f00", dashed: true }] },
      { title: "payoff", xs: [0, 1, 2], xLabel: "x", yLabel: "y", series: [{ label: "p", values: [-1, 0, 1], color: "#00f" }], zeroLine: true },
    ]);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="720" height="600"/);
    expect(svg.match(/<polyline class="series"/g)).toHaveLength(3);
    expect(svg).toContain("a &lt; b");
    expect(svg).toContain('data-label="f &amp; g"');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(escapeXml(`"<&>"`)).toBe("&quot;&lt;&amp;&gt;&quot;");
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(-500, 500)).toEqual([-400, -200, 0, 200, 400]);
  });
});
