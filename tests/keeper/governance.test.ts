/**
 * Rebalancing governance against cheap attackers, on both runtimes: two honest SDK keepers
 * (`Keeper.tick`) holding 99.8% of the stake and two attacking keepers holding 0.1% each.
 *
 * The attacks, each as the attacker would run it:
 * 1. fake contention: one `report_contention` of u32::MAX us, or for a market key that doesn't
 *    exist, then a proposal moving 8 markets off that cold shard to a shard of its choice;
 * 2. a proposal on a shard that IS hot, listing its cold markets, or sending the hot market
 *    to a shard that is itself hot, hoping honest keepers approve because the source is hot;
 * 3. cooldown griefing: a junk proposal on the hot shard in the same slot as the honest one.
 * Required outcome: no market moves except the one the honest stake majority wants.
 */
import { Keypair } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import { findProposalPda, loadEmaAt, MAX_LATENCY_SAMPLE_US, proposeRebalanceInstruction } from "../../sdk/src/index.js";
import { actionOk, describeAction, Keeper, type KeeperAction } from "../../sdk/src/keeper/index.js";
import { expectError, fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { Sharding } from "../sharding/fixture.js";
import { runtimeChain } from "./chain.js";

const UNIT = 1_000_000n;

describe.each(RUNTIME_NAMES)("governance against 0.1%-stake attackers on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;
  let honest: Keeper[];
  let attacker: Keeper;
  let accomplice: Keeper;
  /**
   * Markets on shard 1 (`hot[0]` and `hot[2]` share its traffic, `hot[1]` gets a trickle) and
   * on shard 2 (cold).
   */
  let hot: Uint8Array[];
  let cold: Uint8Array[];

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt, 100n);
    hot = s.keysOnShard(1, 3);
    cold = s.keysOnShard(2, 8);
    await s.registerMarkets(user, [...hot, ...cold]);
    honest = [];
    for (const stake of [4_995n * UNIT, 4_995n * UNIT]) honest.push(new Keeper(runtimeChain(rt), await s.keeperWithStake(stake)));
    attacker = new Keeper(runtimeChain(rt), await s.keeperWithStake(10n * UNIT), { maxMarkets: 8 });
    accomplice = new Keeper(runtimeChain(rt), await s.keeperWithStake(10n * UNIT));
    await s.advance(1n);
  });

  /**
   * Real traffic on shard 1: per slot 4 writes on hot[0], 4 on hot[2], 1 on hot[1] (shard load
   * about 5.9 writes per slot, each of the two hot markets about 2.6), plus one write per slot
   * on each `busy` market; the honest keepers measure it (6 ms) and report one hot market each,
   * the attacker reports the trickle market.
   */
  async function heatShardOne(busy: Uint8Array[] = []): Promise<void> {
    const spread = [hot[0]!, hot[2]!, hot[0]!, hot[2]!, hot[0]!, hot[2]!, hot[0]!, hot[2]!, hot[1]!, ...busy];
    await s.heatLoad(user, spread, 8, spread.length);
    expect(actionOk(await honest[0]!.reportContention(1, 6_000, hot[0]!))).toBe(true);
    expect(actionOk(await honest[1]!.reportContention(1, 6_000, hot[2]!))).toBe(true);
    expect(actionOk(await attacker.reportContention(1, MAX_LATENCY_SAMPLE_US, hot[1]!))).toBe(true);
  }

  async function shardsOf(keys: Uint8Array[]): Promise<number[]> {
    return Promise.all(keys.map(async (k) => (await s.market(k)).shardId));
  }

  function ok(actions: KeeperAction[]): KeeperAction[] {
    for (const a of actions) expect(actionOk(a), describeAction(a)).toBe(true);
    return actions;
  }

  it("fake contention on a cold shard: every report is bounded or refused, the proposal is refused, nothing moves", async () => {
    const before = await shardsOf([...hot, ...cold]);
    const huge = await attacker.reportContention(2, 0xffff_ffff, cold[0]!);
    expect(huge.result.error).toMatch(/LatencySampleOutOfRange/);
    const ghost = await attacker.reportContention(2, MAX_LATENCY_SAMPLE_US, Keypair.generate().publicKey.toBytes());
    expect(ghost.result.error).toMatch(/InvalidAccountOwner/);
    // The largest sample the program accepts, on a real market: counted with 0.1% of the stake.
    expect(actionOk(await attacker.reportContention(2, MAX_LATENCY_SAMPLE_US, cold[0]!))).toBe(true);
    const shard = await s.shard(2);
    expect(shard.latencyCurrent.hotStake).toBe(10n * UNIT);
    expect((await s.config()).totalActiveStake).toBe(10_010n * UNIT);
    // The attacker's proposal: 8 markets off the cold shard to a shard of its choice.
    const res = await rt.send(
      [proposeRebalanceInstruction(attacker.authority.publicKey, { from: 2, to: 3, markets: cold }, 0n)],
      [attacker.authority],
    );
    expectError(res, "ShardNotOverThreshold");
    expect(await attacker.plan()).toBeNull();
    for (const k of honest) expect(ok(await k.tick())).toEqual([]);
    expect(await shardsOf([...hot, ...cold])).toEqual(before);
    expect((await s.config()).proposalCount).toBe(0n);
  });

  it("on a really hot shard, junk proposals get honest no votes; the honest plan moves one hot market to a cool shard", async () => {
    // Traffic on shard 0 too (not over threshold, but busy: a bad destination).
    const zero = s.keysOnShard(0, 1);
    await s.registerMarkets(user, zero);
    await heatShardOne([zero[0]!, zero[0]!, zero[0]!, zero[0]!]);
    expect(loadEmaAt((await s.shard(1)).load, await rt.slot())).toBeGreaterThan(4_000n);

    // Junk 1: the source's trickle market. Junk 2: a hot market, to the busy shard 0.
    const junk = [
      { keeper: attacker, plan: { from: 1, to: 3, markets: [hot[1]!] } },
      { keeper: accomplice, plan: { from: 1, to: 0, markets: [hot[0]!] } },
    ];
    for (const [i, { keeper, plan }] of junk.entries()) {
      const sent = await rt.send([proposeRebalanceInstruction(keeper.authority.publicKey, plan, BigInt(i))], [keeper.authority]);
      expect(sent.ok, sent.logs.join("\n")).toBe(true);
    }

    // Honest keepers: H0 votes no on both, and on its next tick (same slot) proposes the real
    // fix (the pending junk doesn't hold it back); H1 votes no, no, yes.
    const [h0, h1] = honest;
    const t0 = ok(await h0!.tick());
    expect(t0.map((a) => a.kind === "vote" && [a.approve, a.reason])).toEqual([
      [false, "a hotter market of the source is not listed"],
      [false, "destination would be over the load threshold"],
    ]);
    const slot = await rt.slot();
    const t0b = ok(await h0!.tick());
    expect(t0b.map((a) => a.kind)).toEqual(["propose"]);
    expect((await s.proposal(2n)).createdSlot).toBe(slot);
    const proposal = t0b[0]!;
    expect(proposal).toMatchObject({ kind: "propose", plan: { from: 1 } });
    const plan = proposal.kind === "propose" ? proposal.plan : { to: -1, markets: [] };
    expect([0, 1]).not.toContain(plan.to);
    expect(plan.markets).toHaveLength(1);
    const moving = Buffer.from(plan.markets[0] as Uint8Array).equals(Buffer.from(hot[0]!)) ? 0 : 2;
    expect(Buffer.from(plan.markets[0] as Uint8Array)).toEqual(Buffer.from(hot[moving]!));
    const t1 = ok(await h1!.tick());
    expect(t1.map((a) => a.kind === "vote" && a.approve)).toEqual([false, false, true]);
    // The proposer votes on its own proposal on its next tick: approved by 99.8% of the stake,
    // executed on the tick after.
    expect(ok(await h0!.tick()).map((a) => a.kind === "vote" && a.approve)).toEqual([true]);
    expect(ok(await h1!.tick()).map((a) => a.kind)).toEqual(["execute"]);
    const staying = moving === 0 ? 2 : 0;
    expect(await shardsOf([hot[moving]!, hot[staying]!, hot[1]!, zero[0]!])).toEqual([plan.to, 1, 1, 0]);

    // The junk never reaches the threshold, is rejected after its window, and is closed.
    for (const i of [0n, 1n]) expect((await s.proposal(i)).yesStake).toBe(0n);
    const end = (await s.proposal(1n)).votingEndSlot + 1n;
    await rt.setClock(end, 1_700_000_000n + end);
    const closed = ok(await h1!.tick());
    expect(closed.map((a) => a.kind)).toEqual(["close", "close", "close"]);
    for (const i of [0n, 1n, 2n]) expect(await rt.getAccount(findProposalPda(i)[0])).toBeNull();
    expect(await shardsOf([hot[moving]!, hot[staying]!, hot[1]!, zero[0]!])).toEqual([plan.to, 1, 1, 0]);
  });

  it("a minimum-stake junk proposal in the same slot doesn't delay the honest one", async () => {
    await heatShardOne();
    const slot = await rt.slot();
    const junk = await rt.send(
      [proposeRebalanceInstruction(attacker.authority.publicKey, { from: 1, to: 3, markets: [hot[1]!] }, 0n)],
      [attacker.authority],
    );
    expect(junk.ok, junk.logs.join("\n")).toBe(true);
    // Same slot: the honest keeper votes no, then still proposes (the program has no per-shard
    // cooldown, and the keeper is not held back by a proposal it would not approve).
    expect(ok(await honest[0]!.tick()).map((a) => a.kind === "vote" && a.approve)).toEqual([false]);
    expect(ok(await honest[0]!.tick()).map((a) => a.kind)).toEqual(["propose"]);
    expect(await rt.slot()).toBe(slot);
    expect((await s.proposal(1n)).createdSlot).toBe(slot);
    expect(ok(await honest[1]!.tick()).map((a) => a.kind === "vote" && a.approve)).toEqual([false, true]);
    expect(ok(await honest[0]!.tick()).map((a) => a.kind === "vote" && a.approve)).toEqual([true]);
    expect(ok(await honest[1]!.tick()).map((a) => a.kind)).toEqual(["execute"]);
    expect((await s.market(hot[1]!)).shardId).toBe(1);
    expect([(await s.market(hot[0]!)).shardId, (await s.market(hot[2]!)).shardId].filter((id) => id !== 1)).toHaveLength(1);
  });
});
