/**
 * Every CLI command against a real Surfpool localnet, as a user runs it (`tsx sdk/src/cli.ts`
 * in a child process, `--json`): a whole market life (create, list, show, quote, trade, plot,
 * resolve, position claim, lp claim), a cancelled market refunding its trader, shard
 * status/assign, keeper register/status/unregister/withdraw/propose/run, and the named errors
 * (exit code 1, no stack trace). Every figure is checked against the SDK's own decoders and
 * quotes of the accounts the commands wrote.
 */
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignShard,
  decodeAmmMarket,
  findMarketPda,
  decodePosition,
  findPositionPda,
  marketDistribution,
  quoteTrade,
  quoteUnwind,
  rangeIndices,
  rangeProbability1e9,
  SCALE_1E9,
  type AmmMarketAccount,
  type PositionAccount,
} from "../../sdk/src/index.js";
import type { StartResult } from "../../sdk/src/localnet/commands.js";
import { cli, freePortPair, ROOT, waitFor } from "./helpers.js";

const SHARDS = 4;
const DECIMALS = 6;
const TOKENS = 10n ** BigInt(DECIMALS);

/** One command's outcome: exit code, the one JSON object on stdout, stderr. */
interface Run<T> {
  code: number | null;
  json: T;
  stderr: string;
}

type Json = Record<string, unknown>;

describe("continuum CLI on a localnet", () => {
  let dir: string;
  let walletPath: string;
  let start: StartResult;
  let connection: Connection;
  let global: string[];

  /** `continuum <args> --json`: asserts stdout is exactly one JSON object. */
  async function run<T = Json>(args: string[]): Promise<Run<T>> {
    const res = await cli([...args, ...global, "--json"]);
    const lines = res.stdout.trim().split("\n");
    expect(lines, `stdout of continuum ${args.join(" ")}:\n${res.stdout}\nstderr:\n${res.stderr}`).toHaveLength(1);
    // Never a stack trace, whatever happened.
    expect(res.stderr).not.toMatch(/\n\s+at /);
    return { code: res.code, json: JSON.parse(lines[0]!) as T, stderr: res.stderr };
  }

  /** `run` that must succeed. */
  async function ok<T = Json>(args: string[]): Promise<T> {
    const r = await run<T>(args);
    expect(r.code, `continuum ${args.join(" ")} failed:\n${r.stderr}`).toBe(0);
    return r.json;
  }

  /** `run` that must fail with exit code 1 and name its error. */
  async function fails(args: string[]): Promise<{ error: { code?: number; name: string; message: string } }> {
    const r = await run<{ error: { code?: number; name: string; message: string } }>(args);
    expect(r.code, `continuum ${args.join(" ")} should have failed`).toBe(1);
    expect(r.json.error.message.length).toBeGreaterThan(0);
    return r.json;
  }

  async function market(address: string): Promise<AmmMarketAccount> {
    const info = await connection.getAccountInfo(new PublicKey(address), "confirmed");
    return decodeAmmMarket(Uint8Array.from(info!.data));
  }

  async function positionOf(address: string): Promise<PositionAccount | null> {
    const info = await connection.getAccountInfo(findPositionPda(new PublicKey(address), new PublicKey(start.wallet))[0], "confirmed");
    return info ? decodePosition(Uint8Array.from(info.data)) : null;
  }

  async function chainTime(): Promise<bigint> {
    const info = await connection.getAccountInfo(new PublicKey("SysvarC1ock11111111111111111111111111111111"), "confirmed");
    return info!.data.readBigInt64LE(32);
  }

  /**
   * Waits until the chain's clock reaches `t`: the clock moves with the slots, which a loaded
   * machine produces late, so the wait allows twice the chain seconds still to go, plus a minute.
   */
  async function waitForChainTime(t: bigint): Promise<void> {
    const ahead = Number(t - (await chainTime()));
    await waitFor(async () => (await chainTime()) >= t, 60_000 + Math.max(0, ahead) * 2_000, () => `chain time ${t}`);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "continuum-cli-"));
    walletPath = path.join(dir, "wallet.json");
    const ledger = path.join(dir, "ledger");
    const port = await freePortPair();
    const t0 = Date.now();
    const res = await cli([
      "localnet", "start", "--ledger", ledger, "--rpc-port", String(port), "--keypair", walletPath, "--slot-time-ms", "200", "--json",
      "--config", JSON.stringify({ shardCount: SHARDS, unstakeCooldownSlots: 10 }),
    ]);
    if (res.code !== 0) throw new Error(`localnet start failed:\n${res.stderr}`);
    start = JSON.parse(res.stdout.trim().split("\n").pop()!) as StartResult;
    console.log(`localnet start (launch + deploy + config + shards): ${Date.now() - t0} ms`);
    connection = new Connection(start.rpcUrl, "confirmed");
    // No --url: the CLI finds the running localnet of --ledger by itself.
    global = ["--ledger", ledger, "--keypair", walletPath];
  });

  afterAll(async () => {
    await cli(["localnet", "stop", "--ledger", path.join(dir, "ledger")]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  let life: Json;
  let cancelled: Json;

  it("market create --json: the address, shard and curve the SDK computes, open for trading", async () => {
    const now = await chainTime();
    life = await ok(["market", "create", "--normal", "0,120", "--lo", "-500", "--hi", "500", "--points", "101", "--k", "40000", "--b", "10000", "--fee-bps", "30", "--trading-duration", "150s", "--resolution-duration", "10m"]);
    expect(life.status).toBe("Open");
    expect(life.feeBps).toBe(30);
    expect(life.shape).toBe("Normal(mu 0, sigma 120)");
    const key = new PublicKey(life.marketKey as string);
    expect(life.address).toBe(findMarketPda(key)[0].toBase58());
    expect(life.shard).toBe(assignShard(key.toBytes(), SHARDS));
    expect(life.b).toBe((10_000n * TOKENS).toString());
    const tradingDeadline = BigInt(life.tradingDeadline as string);
    // now + 150 s, "now" as the CLI read it: between the chain times before and after the call.
    expect(tradingDeadline - now).toBeGreaterThanOrEqual(150n);
    expect(tradingDeadline - (await chainTime())).toBeLessThanOrEqual(150n);
    expect(BigInt(life.resolutionDeadline as string) - tradingDeadline).toBe(600n);
    const want = marketDistribution({
      marketKey: key,
      lo: -500n,
      hi: 500n,
      nPoints: 101,
      k: 40_000n * TOKENS,
      b: 10_000n * TOKENS,
      tradingDeadline,
      resolutionDeadline: tradingDeadline + 600n,
      resolver: new PublicKey(start.wallet),
      shape: { kind: "Normal", mean1e9: 0n, sigma1e9: 120n * SCALE_1E9 },
    });
    expect(life.curve).toEqual(want.curve.map(String));
    expect(life.scale).toBe(want.c.toString());
    expect((await market(life.address as string)).curve).toEqual(want.curve);

    // A market to cancel (short windows), one left in Setup, one from a shape file.
    cancelled = await ok(["market", "create", "--uniform", "-100:100", "--lo", "-500", "--hi", "500", "--points", "51", "--k", "40000", "--b", "10000", "--trading-duration", "100s", "--resolution-duration", "20s"]);
    expect(cancelled.status).toBe("Open");
    // Nobody cancels a market before its resolution deadline.
    expect((await fails(["market", "cancel", cancelled.address as string])).error).toMatchObject({ code: 6043, name: "ResolutionDeadlineNotReached" });
    const setup = await ok(["market", "create", "--preset", "election", "--lo", "0", "--hi", "100", "--points", "101", "--k", "400", "--b", "100", "--no-open"]);
    expect(setup.status).toBe("Setup");
    expect(setup.shape).toBe("TrimodalElection");
  });

  it("market list and show: every market, its state, range probabilities and buckets", async () => {
    const list = await ok<{ markets: Json[]; count: number }>(["market", "list"]);
    expect(list.count).toBe(3);
    expect(list.markets.map((m) => m.address).sort()).toContain(life.address);
    expect((await ok<{ markets: Json[] }>(["market", "list", "--status", "setup"])).markets).toHaveLength(1);

    const show = await ok<Json & { ranges: Json[]; buckets: Json[] }>(["market", "show", life.address as string, "--range", "-50:50", "--range", "0:100", "--buckets", "5"]);
    const m = await market(life.address as string);
    expect(show.curve).toEqual(m.curve.map(String));
    expect(show.ranges[0]).toMatchObject({ from: "-50", to: "50", i0: 45, i1: 55, probability1e9: rangeProbability1e9(m.curve, 45, 55).toString() });
    expect(show.buckets).toHaveLength(5);
    // The buckets partition the grid, so their probabilities add up to 1 (each rounded down).
    const total = show.buckets.reduce((a, b) => a + BigInt(b.probability1e9 as string), 0n);
    expect(total).toBeLessThanOrEqual(SCALE_1E9);
    expect(total).toBeGreaterThan(SCALE_1E9 - 5n);
    // By market key too.
    expect((await ok(["market", "show", life.marketKey as string])).address).toBe(life.address);
  });

  let traded: Json & { quote: Json; balanceChange: string; position: Json };
  let cancelledTrade: Json & { quote: Json };
  let examplePay: bigint;

  /** Tokens the life market's trader paid in, less refunds (fees included). */
  let netPaid = 0n;

  it("market quote, trade, sell, Normal belief, unwind and position show: every trade fills at the SDK quote, to the base unit", async () => {
    const addr = life.address as string;
    const m = await market(addr);
    const range = { kind: "range" as const, ...rangeIndices(m, { from: 0n, to: 100n }) };
    const quote = await ok(["market", "quote", addr, "--range", "0:100", "--amount", "50"]);
    const sdk = quoteTrade(m, null, range, { budget: 50n * TOKENS });
    expect(sdk.fee).toBeGreaterThan(0n);
    expect(quote).toMatchObject({ kind: "range", side: "buy", pay: sdk.amountIn.toString(), fee: sdk.fee.toString(), t: sdk.t.toString(), c: sdk.c.toString(), probabilityBefore: sdk.probabilityBefore.toString(), probabilityAfter: sdk.probabilityAfter.toString(), tradeIndex: "0" });

    traded = await ok(["market", "trade", addr, "--range", "0:100", "--amount", "50"]);
    expect(traded.quote.pay).toBe(sdk.amountIn.toString());
    expect(traded.balanceChange).toBe((-sdk.amountIn).toString());
    netPaid += sdk.amountIn;
    expect((await market(addr)).curve).toEqual(sdk.g);
    expect((await market(addr)).tradeCount).toBe(1n);
    expect(traded.position).toMatchObject({ collateral: sdk.collateralAfter.toString(), tradeCount: "1", payoff: sdk.payoff.map(String) });

    /** Runs a trade command and checks it moved exactly `want` (the SDK's quote of the same state). */
    async function tradesAsQuoted(args: string[], want: (m: AmmMarketAccount, p: PositionAccount | null) => ReturnType<typeof quoteTrade>, kind: string): Promise<void> {
      const want0 = want(await market(addr), await positionOf(addr));
      // The same intent as a quote: `market quote ... --sell` for a sell.
      const q = await ok(["market", "quote", ...args.slice(1), ...(args[0] === "sell" ? ["--sell"] : [])]);
      expect(q).toMatchObject({ kind, pay: want0.amountIn.toString(), refund: want0.amountOut.toString(), fee: want0.fee.toString(), t: want0.t.toString(), c: want0.c.toString() });
      const res = await ok<Json & { balanceChange: string; position: Json }>(["market", ...args]);
      expect(res.balanceChange).toBe((want0.amountOut - want0.amountIn).toString());
      netPaid += want0.amountIn - want0.amountOut;
      expect((await market(addr)).curve).toEqual(want0.g);
      const pos = (await positionOf(addr))!;
      expect(pos.collateral).toBe(want0.collateralAfter);
      expect(pos.payoff).toEqual(want0.payoff);
    }
    // Sell part of the range back for a 5-token refund (after the fee).
    await tradesAsQuoted(["sell", addr, "--range", "0:100", "--amount", "5"], (mm, p) => quoteTrade(mm, p, range, { refund: 5n * TOKENS }), "range");
    // A Normal belief N(40, 100) for at most 20 tokens.
    const belief = { kind: "shape" as const, shape: { kind: "Normal" as const, mean1e9: 40n * SCALE_1E9, sigma1e9: 100n * SCALE_1E9 } };
    await tradesAsQuoted(["trade", addr, "--normal", "40,100", "--amount", "20"], (mm, p) => quoteTrade(mm, p, belief, { budget: 20n * TOKENS }), "normal");
    // Unwind a quarter of the position: a refund.
    await tradesAsQuoted(["sell", addr, "--unwind", "--fraction", "0.25"], (mm, p) => quoteUnwind(mm, p!, SCALE_1E9 / 4n), "unwind");
    expect((await market(addr)).feesAccrued).toBeGreaterThan(0n);

    const position = await ok(["position", "show", addr]);
    const held = (await positionOf(addr))!;
    expect(position).toMatchObject({ marketStatus: "Open", collateral: held.collateral.toString(), claimable: null, payoff: held.payoff.map(String) });

    const out = path.join(dir, "curve.svg");
    const plot = await ok(["market", "plot", life.address as string, "--range=-200:-100", "--amount", "20", "--out", out]);
    expect(plot.series).toEqual(["before", "after", "position now", "after the trade"]);
    const svg = readFileSync(out, "utf8");
    expect(svg.startsWith("<?xml")).toBe(true);
    expect(svg.match(/<polyline class="series"/g)).toHaveLength(4);
    expect(plot.bytes).toBe(Buffer.byteLength(svg));

    // Slippage bound below the quote: refused before anything is sent.
    const slip = await fails(["market", "trade", life.address as string, "--range", "0:100", "--amount", "50", "--max-in", "1"]);
    expect(slip.error.message).toMatch(/above --max-in/);
    expect((await market(life.address as string)).tradeCount).toBe(4n);
    // A refund floor above the quote: refused before anything is sent.
    expect((await fails(["market", "sell", life.address as string, "--range", "0:100", "--amount", "5", "--min-out", "6"])).error.message).toMatch(/below --min-out/);
    cancelledTrade = await ok(["market", "trade", cancelled.address as string, "--range", "-50:50", "--amount", "10"]);
    // The README's TypeScript example, run as written, on the same market and wallet.
    const example = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "scripts", "examples", "quote-and-trade.ts"), cancelled.address as string, start.rpcUrl, walletPath], { cwd: ROOT });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.on("close", (code) => resolve({ code, stdout }));
    });
    expect(example.code, example.stdout).toBe(0);
    expect(example.stdout).toMatch(/^pay \d+; P\(\[0, 100\]\) \d+ -> \d+ \(1e9\)\ntraded: \w+/);
    examplePay = BigInt(/^pay (\d+)/.exec(example.stdout)![1]!);
    // A bad range is a named math error.
    expect((await fails(["market", "quote", life.address as string, "--range", "600:700", "--amount", "5"])).error.name).toBe("InvalidRange");
  });

  it("shard status and shard assign", async () => {
    const status = await ok<{ shards: Json[]; shardCount: number }>(["shard", "status"]);
    expect(status.shardCount).toBe(SHARDS);
    expect(status.shards).toHaveLength(SHARDS);
    const shard = status.shards.find((s) => s.shard === life.shard)!;
    const onShard = [life, cancelled].filter((x) => x.shard === life.shard).length;
    expect(Number(shard.markets)).toBeGreaterThanOrEqual(onShard);
    // Its vault holds at least this market's b and the trade's collateral.
    expect(BigInt(shard.collateral as string)).toBeGreaterThanOrEqual(10_000n * TOKENS + netPaid);
    expect(Number(shard.peakWritesPerSlot)).toBeGreaterThanOrEqual(1);
    expect(shard.hottest).toEqual([]);
    const one = await ok<{ shards: Json[] }>(["shard", "status", "--shard", String(life.shard)]);
    expect(one.shards).toHaveLength(1);

    const assign = await ok(["shard", "assign", life.marketKey as string]);
    expect(assign).toMatchObject({ shard: life.shard, shardCount: SHARDS, market: life.address });
    // Offline with an explicit count: no RPC needed.
    const key = Keypair.generate().publicKey;
    expect((await ok(["shard", "assign", Buffer.from(key.toBytes()).toString("hex"), "--shard-count", "7"])).shard).toBe(assignShard(key.toBytes(), 7));
  });

  it("resolve, position claim and lp claim pay what the SDK predicts; the books balance", async () => {
    // Resolving before the trading deadline is a named program error.
    expect((await fails(["market", "resolve", life.address as string, "--outcome", "30"])).error).toMatchObject({ code: 6041, name: "TradingNotClosed" });
    await waitForChainTime(BigInt(life.tradingDeadline as string));
    const late = await fails(["market", "trade", life.address as string, "--range", "0:100", "--amount", "5"]);
    expect(late.error).toMatchObject({ code: 6040, name: "TradingClosed" });

    expect(await ok(["market", "resolve", life.address as string, "--outcome", "30"])).toMatchObject({ status: "Resolved", outcome: "30" });
    const position = await ok(["position", "show", life.address as string]);
    expect(position.marketStatus).toBe("Resolved");
    const claim = await ok(["position", "claim", life.address as string]);
    expect(claim.paid).toBe(position.claimable);
    expect(claim.expected).toBe(position.claimable);
    const lp = await ok(["lp", "claim", life.address as string]);
    expect(lp.paid).toBe(lp.expected);
    // Everything in the market's books went out, but the claims' rounding dust.
    const m = await market(life.address as string);
    // The LP's share includes the fees; the trader's is R + P(x*) of the netted position.
    expect(BigInt(lp.paid as string)).toBeGreaterThanOrEqual(m.feesAccrued);
    expect(BigInt(claim.paid as string) + BigInt(lp.paid as string) + m.vaultAmount).toBe(10_000n * TOKENS + netPaid);
    expect(m.vaultAmount).toBeLessThan(2n);
    // Twice: the position is closed; the LP share is claimed.
    expect((await fails(["position", "claim", life.address as string])).error.message).toMatch(/no position/);
    expect((await fails(["lp", "claim", life.address as string])).error).toMatchObject({ code: 6048, name: "AlreadyClaimed" });
  });

  it("market cancel after the resolution deadline refunds the trader's collateral", async () => {
    const address = cancelled.address as string;
    await waitForChainTime(BigInt(cancelled.resolutionDeadline as string));
    expect(await ok(["market", "cancel", address])).toMatchObject({ status: "Cancelled" });
    const claim = await ok(["position", "claim", address]);
    expect(claim.paid).toBe((BigInt(cancelledTrade.quote.pay as string) + examplePay).toString());
    expect((await ok(["lp", "claim", address])).paid).toBe((10_000n * TOKENS).toString());
  });

  it("keeper register, status, propose, run --once, unregister and withdraw", async () => {
    const reg = await ok(["keeper", "register", "--stake", "2"]);
    expect(reg).toMatchObject({ registered: true, active: true, stake: "2000000000", authority: start.wallet });
    expect((await ok(["keeper", "status"])).config).toMatchObject({ keeperCount: "1", totalActiveStake: "2000000000" });
    expect((await fails(["keeper", "withdraw"])).error).toMatchObject({ code: 6037, name: "KeeperStillActive" });
    expect((await fails(["keeper", "propose"])).error.message).toMatch(/no rebalance needed/);

    // One daemon iteration with the old `--rpc` spelling: JSON log lines, exit 0.
    const once = await cli(["keeper", "run", "--rpc", start.rpcUrl, "--keypair", walletPath, "--once"]);
    expect(once.code, once.stderr).toBe(0);
    const events = once.stdout.trim().split("\n").map((l) => (JSON.parse(l) as Json).event);
    expect(events).toContain("keeper_started");

    const unreg = await ok(["keeper", "unregister"]);
    expect(unreg).toMatchObject({ registered: true, active: false });
    const unlock = BigInt(unreg.unregisterSlot as string) + 10n;
    await waitFor(async () => BigInt(await connection.getSlot("confirmed")) > unlock, 60_000, () => `slot ${unlock}`);
    const withdrawn = await ok(["keeper", "withdraw"]);
    expect(withdrawn).toMatchObject({ registered: false, stake: "0" });
  });

  it("usage and connection errors: exit code 1, one JSON error, no stack trace", async () => {
    expect((await fails(["market", "show", "not-a-key"])).error.message).toMatch(/not a market key/);
    expect((await fails(["market", "create", "--lo", "0", "--hi", "10", "--k", "1", "--b", "1"])).error.message).toMatch(/choose exactly one shape/);
    const unreachable = await run<{ error: { message: string } }>(["market", "list", "--url", "http://127.0.0.1:9"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.json.error.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    expect(existsSync(walletPath)).toBe(true);
  });
});
