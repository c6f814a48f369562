/** The CLI's argument parsers, `--url` resolution and shape flags (no chain). */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseDeadline,
  parseDuration,
  parseFixed1e9,
  parseFraction1e9,
  parseMarketKey,
  parseMixture,
  parseNormal,
  parseRange,
  parseTokens,
} from "../../sdk/src/cli/args.js";
import { CliError } from "../../sdk/src/cli/errors.js";
import { readKeypair, resolveUrl } from "../../sdk/src/cli/options.js";
import { shapeFromFlags } from "../../sdk/src/cli/shapeOptions.js";
import { generateMarketKey } from "../../sdk/src/index.js";

describe("argument parsers", () => {
  it("decimals become exact 1e9 fixed point and token base units", () => {
    expect(parseFixed1e9("-1.5", "x")).toBe(-1_500_000_000n);
    expect(parseFixed1e9("120", "x")).toBe(120_000_000_000n);
    expect(parseFixed1e9("0.000000001", "x")).toBe(1n);
    expect(() => parseFixed1e9("0.0000000001", "--normal mu")).toThrow(/--normal mu must be a decimal number/);
    expect(() => parseFixed1e9("1e3", "x")).toThrow(CliError);
    expect(parseTokens("10000", 6, "--b")).toBe(10_000_000_000n);
    expect(parseTokens("0.5", 6, "--amount")).toBe(500_000n);
    expect(() => parseTokens("0.1234567", 6, "--amount")).toThrow(/--amount: .*more than 6 decimals/);
    expect(() => parseTokens("-1", 6, "--amount")).toThrow(/--amount/);
  });

  it("ranges, Normal beliefs, mixtures, fractions", () => {
    expect(parseRange("-100:100")).toEqual({ from: -100n, to: 100n });
    expect(parseRange(" 5 : 5 ")).toEqual({ from: 5n, to: 5n });
    expect(() => parseRange("10:5")).toThrow(/10 > 5/);
    expect(() => parseRange("1.5:2")).toThrow(/a:b/);
    expect(parseNormal("-2.5,0.75")).toEqual({ mean1e9: -2_500_000_000n, sigma1e9: 750_000_000n });
    expect(() => parseNormal("1,0")).toThrow(/sigma must be positive/);
    expect(() => parseNormal("1")).toThrow(/mu,sigma/);
    expect(parseMixture("-200,80,0.5;200,80,0.5")).toEqual([
      { mean1e9: -200_000_000_000n, sigma1e9: 80_000_000_000n, weight1e9: 500_000_000n },
      { mean1e9: 200_000_000_000n, sigma1e9: 80_000_000_000n, weight1e9: 500_000_000n },
    ]);
    expect(() => parseMixture("1,2")).toThrow(/component 1 must be mu,sigma,weight/);
    expect(parseFraction1e9("0.25")).toBe(250_000_000n);
    expect(parseFraction1e9("1")).toBe(1_000_000_000n);
    expect(() => parseFraction1e9("0")).toThrow(/\(0, 1\]/);
    expect(() => parseFraction1e9("1.01")).toThrow(/\(0, 1\]/);
  });

  it("durations and deadlines", () => {
    expect(parseDuration("90s", "d")).toBe(90n);
    expect(parseDuration("30m", "d")).toBe(1_800n);
    expect(parseDuration("7d", "d")).toBe(604_800n);
    expect(parseDuration("45", "d")).toBe(45n);
    expect(() => parseDuration("0s", "--trading-duration")).toThrow(/positive/);
    expect(() => parseDuration("1y", "--trading-duration")).toThrow(/--trading-duration must be a duration/);
    expect(parseDeadline("1800000000", "t")).toBe(1_800_000_000n);
    expect(parseDeadline("2027-01-15T00:00:00Z", "t")).toBe(1_799_971_200n);
    expect(() => parseDeadline("next week", "--trading-deadline")).toThrow(/unix seconds or an ISO date/);
  });

  it("market keys: base58, hex, 0x-hex; anything else is named", () => {
    const key = generateMarketKey().publicKey;
    const hex = Buffer.from(key.toBytes()).toString("hex");
    expect(parseMarketKey(key.toBase58())).toEqual(key.toBytes());
    expect(parseMarketKey(hex)).toEqual(key.toBytes());
    expect(parseMarketKey(`0X${hex.toUpperCase()}`)).toEqual(key.toBytes());
    expect(() => parseMarketKey("zz")).toThrow(/not a market key or address/);
  });
});

describe("--url and --keypair", () => {
  it("monikers, URLs, and the localnet default", () => {
    expect(resolveUrl("localhost")).toBe("http://127.0.0.1:8899");
    expect(resolveUrl("devnet")).toBe("https://api.devnet.solana.com");
    expect(resolveUrl("mainnet-beta")).toBe("https://api.mainnet-beta.solana.com");
    expect(resolveUrl("testnet")).toBe("https://api.testnet.solana.com");
    expect(resolveUrl("m")).toBe("https://api.mainnet-beta.solana.com");
    expect(resolveUrl("https://rpc.example.org/abc")).toBe("https://rpc.example.org/abc");
    expect(() => resolveUrl("ftp://x")).toThrow(/http\(s\) URL/);
    expect(() => resolveUrl("devnett")).toThrow(/localhost, devnet, testnet, mainnet-beta/);
    // A ledger directory with no running network: localhost.
    const empty = mkdtempSync(path.join(os.tmpdir(), "continuum-cli-url-"));
    expect(resolveUrl(undefined, empty)).toBe("http://127.0.0.1:8899");
    // A state file whose pid is not a live launcher does not count.
    writeFileSync(path.join(empty, "state.json"), JSON.stringify({ pid: process.pid, rpcUrl: "http://127.0.0.1:1234" }));
    expect(resolveUrl(undefined, empty)).toBe("http://127.0.0.1:8899");
  });

  it("keypair files are checked", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "continuum-cli-kp-"));
    expect(() => readKeypair(path.join(dir, "missing.json"))).toThrow(/no keypair at .*missing\.json: pass --keypair/);
    writeFileSync(path.join(dir, "bad.json"), "[1,2,3]");
    expect(() => readKeypair(path.join(dir, "bad.json"))).toThrow(/not a keypair file/);
    const kp = generateMarketKey();
    writeFileSync(path.join(dir, "ok.json"), JSON.stringify([...kp.secretKey]));
    expect(readKeypair(path.join(dir, "ok.json")).publicKey.equals(kp.publicKey)).toBe(true);
  });
});

describe("market create shape flags", () => {
  it("exactly one shape, each kind to the SDK's Shape", () => {
    expect(shapeFromFlags({ normal: "0,120" }).shape).toEqual({ kind: "Normal", mean1e9: 0n, sigma1e9: 120_000_000_000n });
    expect(shapeFromFlags({ uniform: "-100:100" }).shape).toEqual({ kind: "Uniform", a: -100n, b: 100n });
    expect(shapeFromFlags({ preset: "election" }).shape).toEqual({ kind: "TrimodalElection" });
    expect(shapeFromFlags({ mixture: "0,10,1" }).shape).toEqual({ kind: "Mixture", comps: [{ mean1e9: 0n, sigma1e9: 10_000_000_000n, weight1e9: 1_000_000_000n }] });
    expect(() => shapeFromFlags({})).toThrow(/choose exactly one shape/);
    expect(() => shapeFromFlags({ normal: "0,1", uniform: "0:1" })).toThrow(/got 2/);
    expect(() => shapeFromFlags({ preset: "nope" })).toThrow(/unknown --preset nope/);
  });

  it("shape files", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "continuum-cli-shape-"));
    const file = (name: string, spec: unknown): string => {
      const p = path.join(dir, name);
      writeFileSync(p, JSON.stringify(spec));
      return p;
    };
    expect(shapeFromFlags({ shapeFile: file("n.json", { kind: "Normal", mean: -3.5, sigma: "12" }) }).shape).toEqual({ kind: "Normal", mean1e9: -3_500_000_000n, sigma1e9: 12_000_000_000n });
    const custom = shapeFromFlags({ shapeFile: file("c.json", { kind: "Custom", points: [{ x: -500, y: 1 }, { x: 0, y: 1000 }, { x: 500, y: 1 }] }) });
    expect(custom).toEqual({ shape: { kind: "Custom" }, points: [{ x: -500n, y: 1n }, { x: 0n, y: 1000n }, { x: 500n, y: 1n }] });
    expect(shapeFromFlags({ shapeFile: file("m.json", { kind: "Mixture", components: [{ mean: 1, sigma: 2, weight: 0.5 }] }) }).shape).toEqual({
      kind: "Mixture",
      comps: [{ mean1e9: 1_000_000_000n, sigma1e9: 2_000_000_000n, weight1e9: 500_000_000n }],
    });
    expect(() => shapeFromFlags({ shapeFile: file("x.json", { kind: "Cauchy" }) })).toThrow(/unknown kind Cauchy/);
    expect(() => shapeFromFlags({ shapeFile: path.join(dir, "absent.json") })).toThrow(/--shape-file/);
  });
});
