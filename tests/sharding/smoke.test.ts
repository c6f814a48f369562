import { Keypair } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { assignShard, reportContentionInstruction, proposeRebalanceInstruction, voteRebalanceInstruction, executeRebalanceInstruction, depositCollateralInstruction } from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

describe.each(RUNTIME_NAMES)("smoke on %s", (name) => {
  it("full flow", async () => {
    const rt = await createRuntime(name);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const keys = s.keysOnShard(1, 2);
    const r = await rt.send([], []).catch(() => null);
    void r;
    await s.registerMarkets(user, keys);
    const m = await s.market(keys[0]!);
    expect(m.shardId).toBe(assignShard(keys[0]!, 4));
    console.log(name, "shard1", await s.shard(1));
    ok(await rt.send([depositCollateralInstruction(user.publicKey, keys[0]!, 1, 5_000n)], [user]));
    const k1 = await s.keeperWithStake(2_000_000n);
    const k2 = await s.keeperWithStake(2_000_000n);
    await s.advance(2n);
    const rep = ok(await rt.send([reportContentionInstruction(k1.publicKey, 1, 3000, keys[0]!)], [k1]));
    console.log("report cu", rep.cu);
    const plan = { from: 1, to: 2, markets: keys };
    const p = ok(await rt.send([proposeRebalanceInstruction(k1.publicKey, plan, 0n)], [k1]));
    console.log("propose cu", p.cu);
    const v1 = ok(await rt.send([voteRebalanceInstruction(k1.publicKey, 0n, true)], [k1]));
    const v2 = ok(await rt.send([voteRebalanceInstruction(k2.publicKey, 0n, true)], [k2]));
    console.log("vote cu", v1.cu, v2.cu);
    const e = ok(await rt.send([executeRebalanceInstruction(0n, plan)]));
    console.log("exec cu", e.cu, e.logs.filter((l) => l.includes("data")));
    console.log(await s.market(keys[0]!), await s.shard(2));
    void Keypair;
  });
});
