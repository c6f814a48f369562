/**
 * The CLI's commands, called as functions: the pure ones (`assign-shard`, `market-key`,
 * argument parsing) and the chain-reading ones (`status`, `quote`) on both runtimes.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  assignShardCommand,
  keeperCommand,
  main,
  marketKeyCommand,
  parseArgs,
  parseMarketKey,
  quoteCommand,
  statusCommand,
} from "../../sdk/src/cli.js";
import {
  assignShard,
  decodeAmmMarket,
  findMarketPda,
  generateMarketKey,
  isUsableMarketKey,
  quoteMarketBet,
  registerMarketInstruction,
  formatAmount,
} from "../../sdk/src/index.js";
import { actionOk, formatTable, Keeper } from "../../sdk/src/keeper/index.js";
import { Amm } from "../amm/fixture.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES } from "../harness/runtime.js";
import { ok, Sharding } from "../sharding/fixture.js";
import { runtimeChain } from "./chain.js";

/** The value column of a two-column `formatTable` output, by row label. */
function field(table: string, label: string): string {
  const line = table.split("\n").find((l) => l.startsWith(`${label} `));
  if (!line) throw new Error(`no row ${label} in\n${table}`);
  return line.slice(label.length).trim();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("pure commands", () => {
  it("assign-shard prints exactly assignShard, for base58, hex and 0x-hex keys", () => {
    for (let i = 0; i < 50; i++) {
      const key = crypto.getRandomValues(new Uint8Array(32));
      const hex = Buffer.from(key).toString("hex");
      for (const count of [1, 2, 4, 7, 64, 255]) {
        const want = assignShard(key, count).toString();
        expect(assignShardCommand(new PublicKey(key).toBase58(), count.toString())).toBe(want);
        expect(assignShardCommand(hex, count.toString())).toBe(want);
        expect(assignShardCommand(`0x${hex.toUpperCase()}`, count.toString())).toBe(want);
      }
    }
    expect(() => assignShardCommand("not-a-key", "4")).toThrow(/not a market key/);
    expect(() => assignShardCommand(generateMarketKey().publicKey.toBase58(), "0")).toThrow(/shardCount/);
    expect(() => assignShardCommand(generateMarketKey().publicKey.toBase58(), "four")).toThrow(/integer/);
  });

  it("market-key prints a fresh usable key (base58 and hex agree, Market PDA bump 255)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const out = marketKeyCommand();
      const key = parseMarketKey(field(out, "base58"));
      expect(parseMarketKey(field(out, "hex"))).toEqual(key);
      expect(isUsableMarketKey(key)).toBe(true);
      expect(field(out, "market PDA")).toBe(findMarketPda(key)[0].toBase58());
      expect(field(out, "bump")).toBe("255 (usable)");
      const keypair = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(field(out, "keypair")) as number[]));
      expect(keypair.publicKey.toBytes()).toEqual(key);
      seen.add(field(out, "hex"));
    }
    expect(seen.size).toBe(10);
  });

  it("parses argv by hand: positionals, --flag value, --flag=value, boolean flags", () => {
    const a = parseArgs(["keeper", "--rpc", "http://x", "--interval-ms=250", "--once", "--keypair", "k.json"]);
    expect(a.positional).toEqual(["keeper"]);
    expect(Object.fromEntries(a.flags)).toEqual({ rpc: "http://x", "interval-ms": "250", once: true, keypair: "k.json" });
    expect(() => parseArgs(["status", "--rpc"])).toThrow(/--rpc needs a value/);
  });

  it("main prints a command's output and returns exit codes", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const key = generateMarketKey();
    expect(await main(["assign-shard", key.publicKey.toBase58(), "16"])).toBe(0);
    expect(log).toHaveBeenLastCalledWith(assignShard(key, 16).toString());
    expect(await main(["assign-shard", "only-one-arg"])).toBe(1);
    expect(err).toHaveBeenLastCalledWith(expect.stringMatching(/^error: usage: assign-shard/));
    expect(await main(["status"])).toBe(1);
    expect(err).toHaveBeenLastCalledWith("error: --rpc <value> is required");
    expect(await main(["frobnicate"])).toBe(1);
    expect(err).toHaveBeenLastCalledWith(expect.stringMatching(/^usage: continuum/));
  });

  it("formats aligned tables", () => {
    expect(formatTable(["a", "bb"], [["xyz", "1"], ["w", "22"]])).toBe("a    bb\n---  --\nxyz   1\nw    22");
  });
});

describe.each(RUNTIME_NAMES)("chain commands on %s", (runtimeName) => {
  it("a generated market key registers; status shows the shards and the hot one", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const generated = marketKeyCommand();
    const key = parseMarketKey(field(generated, "hex"));
    const keypair = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(field(generated, "keypair")) as number[]));
    ok(await rt.send([registerMarketInstruction(user.publicKey, keypair, s.shardCount)], [user, keypair]));
    const shardId = assignShard(key, s.shardCount);
    expect((await s.market(key)).shardId).toBe(shardId);

    const keeper = new Keeper(runtimeChain(rt), await s.keeperWithStake(2_000_000n));
    await s.heatLoad(user, [key]);
    expect(actionOk(await keeper.reportContention(shardId, 7_000, key))).toBe(true);
    const out = await statusCommand(runtimeChain(rt));
    expect(field(out, "shards")).toBe("4");
    expect(field(out, "contention threshold")).toBe("1500 us");
    const rows = out.split("\n").filter((l) => /^\d+\s/.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const cells = row.trim().split(/\s+/);
      const hot = Number(cells[0]) === shardId;
      expect(cells[1]).toBe(hot ? "1" : "0"); // markets
      expect(cells[4]).toBe(hot ? "7000" : "0"); // stake-weighted latency mean of the window
      expect(cells.at(-1)).toBe(hot ? "YES" : "no");
    }
  });

  it("keeper --once runs one tick and logs each action", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const [key, other] = s.keysOnShard(2, 2);
    const user = await fundedKeypair(rt);
    await s.registerMarkets(user, [key!, other!]);
    const authority = await s.keeperWithStake(2_000_000n);
    const lines: string[] = [];
    const log = (l: string): void => void lines.push(l);
    await keeperCommand(runtimeChain(rt), authority, { once: true, log });
    expect(lines).toEqual([`keeper ${authority.publicKey.toBase58()} started`, expect.stringMatching(/ idle$/)]);
    await s.heatLoad(user, [key!, other!]);
    expect(actionOk(await new Keeper(runtimeChain(rt), authority).reportContention(2, 9_000, key!))).toBe(true);
    lines.length = 0;
    await keeperCommand(runtimeChain(rt), authority, { once: true, log });
    expect(lines[1]).toMatch(/ propose #0 shard 2 -> 0 \[[0-9a-f]{8}\]: ok$/);
  });

  it("quote prints the SDK's quote for a live market, by key or address, by outcome or index", async () => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(101));
    await amm.open(m);
    const market = decodeAmmMarket((await rt.getAccount(m.address))!.data);
    const want = quoteMarketBet(market, 1_000_000_000n, { from: -100n, to: 100n });
    const byKey = await quoteCommand(runtimeChain(rt), Buffer.from(m.key).toString("hex"), "1000000000", "-100", "100");
    expect(field(byKey, "market")).toBe(m.address.toBase58());
    expect(field(byKey, "collateral")).toBe(`${want.collateral} base units (${formatAmount(want.collateral, rt.collateral.decimals)} tokens)`);
    expect(field(byKey, "t (bump)")).toBe(want.t.toString());
    expect(field(byKey, "c (canonical scale)")).toBe(want.c.toString());
    expect(field(byKey, "range")).toBe("[-100, 100] (grid 40..=60 of 101)");
    const byAddress = await quoteCommand(runtimeChain(rt), m.address.toBase58(), "1000000000", "40", "60", { byIndex: true });
    expect(byAddress).toBe(byKey);
    await expect(quoteCommand(runtimeChain(rt), generateMarketKey().publicKey.toBase58(), "1", "0", "1")).rejects.toThrow(/no market/);
  });
});
