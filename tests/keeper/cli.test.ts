/**
 * The CLI's chain commands in-process (`main(argv, io, inject)`) on both embedded runtimes:
 * `shard status` shows the hot shard the keeper reported, `shard assign` is `assignShard`,
 * `market quote` / `market show` print the SDK's quote and probabilities of a live market, by
 * key or address, and a failed transaction names its program error.
 */
import { PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { main } from "../../sdk/src/cli.js";
import type { Io } from "../../sdk/src/cli/output.js";
import {
  assignShard,
  decodeAmmMarket,
  generateMarketKey,
  quoteMarketBet,
  rangeProbability1e9,
  registerMarketInstruction,
} from "../../sdk/src/index.js";
import { actionOk, Keeper } from "../../sdk/src/keeper/index.js";
import { Amm } from "../amm/fixture.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ok, Sharding } from "../sharding/fixture.js";
import { runtimeChain } from "./chain.js";

/** Runs `continuum <argv> --json` on `rt` (the runtime's payer signing); returns code and output. */
async function run(rt: TestRuntime | null, argv: string[]): Promise<{ code: number; out: string[]; err: string[]; json: Record<string, unknown> }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const inject = rt ? { chain: runtimeChain(rt), payer: await fundedKeypair(rt) } : undefined;
  const code = await main([...argv, "--json"], io, inject);
  expect(out, `stdout of ${argv.join(" ")}; stderr ${err.join("\n")}`).toHaveLength(1);
  return { code, out, err, json: JSON.parse(out[0]!) as Record<string, unknown> };
}

describe("shard assign without a chain", () => {
  it("is exactly assignShard, for base58, hex and 0x-hex keys", async () => {
    for (let i = 0; i < 8; i++) {
      const key = crypto.getRandomValues(new Uint8Array(32));
      const hex = Buffer.from(key).toString("hex");
      for (const count of [1, 7, 255]) {
        for (const text of [new PublicKey(key).toBase58(), hex, `0x${hex.toUpperCase()}`]) {
          const r = await run(null, ["shard", "assign", text, "--shard-count", String(count)]);
          expect(r.code).toBe(0);
          expect(r.json.shard).toBe(assignShard(key, count));
        }
      }
    }
    expect((await run(null, ["shard", "assign", "not-a-key", "--shard-count", "4"])).code).toBe(1);
    expect((await run(null, ["shard", "assign", generateMarketKey().publicKey.toBase58(), "--shard-count", "0"])).json).toEqual({
      error: { name: "Error", message: "--shard-count must be in 1..=255, got 0" },
    });
  });
});

describe.each(RUNTIME_NAMES)("chain commands on %s", (runtimeName) => {
  it("shard status shows the shards and the hot one a keeper reported", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const marketKey = generateMarketKey();
    ok(await rt.send([registerMarketInstruction(user.publicKey, marketKey, s.shardCount)], [user, marketKey]));
    const key = marketKey.publicKey.toBytes();
    const shardId = assignShard(key, s.shardCount);
    const keeper = new Keeper(runtimeChain(rt), await s.keeperWithStake(2_000_000n));
    await s.heatLoad(user, [key]);
    expect(actionOk(await keeper.reportContention(shardId, 7_000, key))).toBe(true);

    const { code, json } = await run(rt, ["shard", "status"]);
    expect(code).toBe(0);
    const shards = json.shards as Record<string, unknown>[];
    expect(json.shardCount).toBe(4);
    expect(shards).toHaveLength(4);
    for (const sh of shards) {
      const hot = sh.shard === shardId;
      expect(sh.markets).toBe(hot ? "1" : "0");
      expect(sh.latencyMeanUs).toBe(hot ? "7000" : "0");
      expect(sh.overThreshold).toBe(hot);
      expect((sh.hottest as unknown[]).length).toBe(hot ? 1 : 0);
    }
    const hot = shards.find((sh) => sh.shard === shardId)!;
    expect((hot.hottest as Record<string, unknown>[])[0]!.marketKey).toBe(marketKey.publicKey.toBase58());
    // shard assign reads the config's shard count when none is given.
    expect((await run(rt, ["shard", "assign", marketKey.publicKey.toBase58()])).json.shard).toBe(shardId);
  });

  it("market quote and show print the SDK's quote and probabilities, by key or by address", async () => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(101));
    await amm.open(m);
    const market = decodeAmmMarket((await rt.getAccount(m.address))!.data);
    // 1,000 tokens of the 6-decimal collateral.
    const want = quoteMarketBet(market, 1_000_000_000n, { from: -100n, to: 100n });
    const byKey = await run(rt, ["market", "quote", Buffer.from(m.key).toString("hex"), "--range=-100:100", "--amount", "1000"]);
    expect(byKey.code).toBe(0);
    expect(byKey.json).toMatchObject({
      market: m.address.toBase58(),
      kind: "range",
      pay: want.collateral.toString(),
      t: want.t.toString(),
      c: want.c.toString(),
      range: { i0: 40, i1: 60, from: "-100", to: "100" },
      probabilityBefore: want.probabilityBefore.toString(),
      expectedCost: want.expectedCost.toString(),
    });
    const byAddress = await run(rt, ["market", "quote", m.address.toBase58(), "--range=-100:100", "--amount", "1000"]);
    expect({ ...byAddress.json, owner: null }).toEqual({ ...byKey.json, owner: null });

    const show = await run(rt, ["market", "show", m.address.toBase58(), "--range=-100:100"]);
    expect(show.json).toMatchObject({ status: "Open", nPoints: 101, lo: "-500", hi: "500", step: "10" });
    expect((show.json.ranges as Record<string, unknown>[])[0]!.probability1e9).toBe(rangeProbability1e9(market.curve, 40, 60).toString());

    const missing = await run(rt, ["market", "show", generateMarketKey().publicKey.toBase58()]);
    expect(missing.code).toBe(1);
    expect((missing.json.error as Record<string, string>).message).toMatch(/no market for key or address/);
  });

  it("a refused transaction names the program error: a resolve by someone who is not the resolver", async () => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(11));
    await amm.open(m);
    // The CLI's wallet here is a fresh keypair, not the market's resolver.
    const r = await run(rt, ["market", "resolve", m.address.toBase58(), "--outcome", "0"]);
    expect(r.code).toBe(1);
    const error = r.json.error as { code: number; name: string; message: string; operation: string };
    expect(error.operation, JSON.stringify(error)).toBe("resolve_market");
    expect(error).toMatchObject({ code: 6038, name: "InvalidAuthority" });
    expect(r.err[0]).toBe(`${error.code} ${error.name}: ${error.message}`);
  });
});
