/**
 * The keeper service end to end on both runtimes: real writes and keepers' reports heat a
 * shard, one keeper's tick proposes, the others' ticks vote, a tick executes (the market and
 * its tokens move between the shard vaults), a later tick closes; idle keepers do nothing; failures are reported,
 * never thrown.
 */
import { LAMPORTS_PER_SOL, type Keypair } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  decodeMarketMigratedEvents,
  findProposalPda,
  isShardOverThreshold,
  proposeRebalanceInstruction,
} from "../../sdk/src/index.js";
import { actionOk, describeAction, Keeper, type KeeperAction } from "../../sdk/src/keeper/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { Sharding } from "../sharding/fixture.js";
import { laggingChain, runtimeChain, throwingReader, throwingWriter } from "./chain.js";

const UNIT = 1_000_000n;
const VAULT = 3n * BigInt(LAMPORTS_PER_SOL);

/** The kinds of a tick's actions, after asserting each succeeded. */
function kinds(actions: KeeperAction[]): string[] {
  for (const a of actions) expect(actionOk(a), describeAction(a)).toBe(true);
  return actions.map((a) => a.kind);
}

describe.each(RUNTIME_NAMES)("keeper service on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let keys: Uint8Array[];
  let user: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt);
    keys = s.keysOnShard(1, 2);
    await s.registerMarkets(user, keys);
    await s.setVault(keys[0]!, VAULT);
  });

  /**
   * Real writes on both markets heat shard 1 (each market then carries half its load, so moving
   * one leaves the destination under the threshold); every keeper reports `keys[0]` at `us`.
   */
  async function heat(reporters: Keeper[], us = 6_000): Promise<void> {
    await s.heatLoad(user, keys);
    for (const k of reporters) {
      const report = await k.reportContention(1, us, keys[0]!);
      expect(actionOk(report), describeAction(report)).toBe(true);
    }
  }

  /** Registered keepers with the given stakes, as `Keeper`s over the runtime. */
  async function keepers(stakes: bigint[]): Promise<Keeper[]> {
    const out: Keeper[] = [];
    for (const stake of stakes) out.push(new Keeper(runtimeChain(rt), await s.keeperWithStake(stake)));
    return out;
  }

  it("full loop: report, propose, vote, execute (market and its tokens move), close", async () => {
    const [a, b, c] = await keepers([2n * UNIT, 3n * UNIT, 3n * UNIT]);
    for (const k of [a!, b!, c!]) expect(await k.tick()).toEqual([]); // nothing hot yet

    await heat([a!, b!, c!]);
    const plan = (await a!.plan())!;
    expect(plan).toMatchObject({ from: 1, markets: [keys[0]!] });
    expect(plan.to).not.toBe(1);

    const proposed = await a!.tick();
    expect(kinds(proposed)).toEqual(["propose"]);
    expect(proposed[0]).toMatchObject({ proposalId: 0n, plan: { from: 1, to: plan.to } });
    const p0 = await s.proposal(0n);
    expect(p0).toMatchObject({ fromShard: 1, toShard: plan.to, snapshotTotalStake: 8n * UNIT });

    // A keeper registered after the proposal can't vote, and can't propose a duplicate.
    const [late] = await keepers([5n * UNIT]);
    expect(await late!.tick()).toEqual([]);

    expect(kinds(await b!.tick())).toEqual(["vote"]);
    expect(kinds(await b!.tick())).toEqual([]); // voted already: waits
    const votedC = await c!.tick();
    expect(kinds(votedC)).toEqual(["vote"]);
    expect(votedC[0]).toMatchObject({ approve: true, reason: "supported" });
    expect(await s.proposal(0n)).toMatchObject({ yesStake: 6n * UNIT, voteCount: 2 });

    const fromBefore = await s.vaultBalance(1);
    const toBefore = await s.vaultBalance(plan.to);
    const vault = (await s.market(keys[0]!)).vaultAmount; // VAULT + the heating deposits
    const stays = (await s.market(keys[1]!)).vaultAmount;
    const executed = await a!.tick(); // approved (6/8 >= 66.7%): executed before A votes
    expect(kinds(executed)).toEqual(["execute"]);
    const migrated = decodeMarketMigratedEvents(executed[0]!.kind === "execute" ? executed[0]!.result.logs : []);
    expect(migrated).toHaveLength(1);
    expect(migrated[0]).toMatchObject({ fromShard: 1, toShard: plan.to, vaultAmount: vault });
    expect((await s.market(keys[0]!)).shardId).toBe(plan.to);
    expect((await s.market(keys[1]!)).shardId).toBe(1);
    expect(await s.vaultBalance(1)).toBe(fromBefore - vault);
    expect(await s.vaultBalance(plan.to)).toBe(toBefore + vault);
    await s.expectVaultsMatchBooks(keys.map((k) => s.marketPda(k)));
    expect(await s.shard(1)).toMatchObject({ marketCount: 1n, collateralAmount: stays });
    expect(await s.shard(plan.to)).toMatchObject({ marketCount: 1n, collateralAmount: vault });
    expect((await s.proposal(0n)).status).toBe(1);

    const rent = await rt.balance(findProposalPda(0n)[0]);
    const proposerBefore = await rt.balance(a!.authority.publicKey);
    expect(kinds(await b!.tick())).toEqual(["close"]);
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
    expect(await rt.balance(a!.authority.publicKey)).toBe(proposerBefore + rent);

    // The migrated market left the hot table: nothing more to do for anyone.
    for (const k of [a!, b!, c!]) expect(await k.tick()).toEqual([]);
    expect((await s.config()).proposalCount).toBe(1n);
  });

  it("never sends an execute that must fail: a proposal whose market already moved waits, then is closed once expired", async () => {
    const [a, b, c] = await keepers([2n * UNIT, 3n * UNIT, 3n * UNIT]);
    await heat([a!, b!, c!]);
    expect(kinds(await a!.tick())).toEqual(["propose"]);
    const first = await s.proposal(0n);
    // A second keeper proposes the same move directly (the SDK keeper wouldn't duplicate it).
    const dup = await rt.send(
      [proposeRebalanceInstruction(b!.authority.publicKey, { from: 1, to: first.toShard, markets: [keys[0]!] }, 1n)],
      [b!.authority],
    );
    expect(dup.ok, dup.logs.join("\n")).toBe(true);
    expect(kinds(await b!.tick())).toEqual(["vote", "vote"]);
    expect(kinds(await c!.tick())).toEqual(["vote", "vote"]);
    // Both approved; one tick executes #0 and leaves #1 alone (its market just moved).
    expect(kinds(await a!.tick())).toEqual(["execute"]);
    expect((await s.market(keys[0]!)).shardId).toBe(first.toShard);
    // Later ticks close the executed one and wait on #1 (approved, not executable) ...
    expect(kinds(await a!.tick())).toEqual(["close"]);
    expect(await a!.tick()).toEqual([]);
    // ... until its approval expires: then it is closed, rent back to its proposer.
    const end = (await s.proposal(1n)).executionEndSlot + 1n;
    await rt.setClock(end, 1_700_000_000n + end);
    expect(kinds(await c!.tick())).toEqual(["close"]);
    expect(await rt.getAccount(findProposalPda(1n)[0])).toBeNull();
  });

  it("a keeper whose shard isn't hot does nothing", async () => {
    const [a, b] = await keepers([2n * UNIT, 2n * UNIT]);
    await heat([a!, b!], 1_000); // real load, but both measure 1,000 us: below the 1,500 us threshold
    const snap = await a!.snapshot();
    expect(snap.shards.some((sh) => isShardOverThreshold(sh, snap.config, snap.slot))).toBe(false);
    expect(await a!.plan()).toBeNull();
    expect(await a!.tick()).toEqual([]);
    expect(await b!.tick()).toEqual([]);
    expect((await s.config()).proposalCount).toBe(0n);
  });

  it("votes no once the source shard has cooled; a rejected proposal is closed after its window", async () => {
    const [a, b, c] = await keepers([2n * UNIT, 3n * UNIT, 3n * UNIT]);
    await heat([a!, b!, c!]);
    expect(kinds(await a!.tick())).toEqual(["propose"]);
    await s.advance(65n); // no more writes: the load EMA decays to zero
    const snap = await b!.snapshot();
    expect(isShardOverThreshold(snap.shards[1]!, snap.config, snap.slot)).toBe(false);
    const voted = await b!.tick();
    expect(kinds(voted)).toEqual(["vote"]);
    expect(voted[0]).toMatchObject({ approve: false, reason: "source shard is not over threshold on chain" });
    await s.advance(36n); // window over without approval
    expect(kinds(await c!.tick())).toEqual(["close"]);
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
    expect((await s.market(keys[0]!)).shardId).toBe(1);
  });

  it("a failed transaction or read is reported, not thrown", async () => {
    const [a, b] = await keepers([2n * UNIT, 3n * UNIT]);
    // A program error: reports need a registered keeper.
    const stranger = new Keeper(runtimeChain(rt), await fundedKeypair(rt));
    const refused = await stranger.reportContention(1, 6_000, keys[0]!);
    expect(refused.result).toMatchObject({ ok: false, errorCode: expect.any(Number) });
    expect(refused.result.error).toMatch(/InvalidAccountOwner/);

    await heat([a!, b!]);

    // The writer throws (dead endpoint): the propose attempt is reported as failed.
    const dead = new Keeper(throwingWriter(runtimeChain(rt), "endpoint down"), a!.authority);
    const failed = await dead.tick();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ kind: "propose", result: { ok: false, error: "endpoint down" } });
    expect((await s.config()).proposalCount).toBe(0n);

    // Reads fail: a read-error action, nothing sent.
    expect(await new Keeper(throwingReader(runtimeChain(rt), "rpc timeout"), a!.authority).tick()).toEqual([
      { kind: "read-error", error: "rpc timeout" },
    ]);

    // A lagging RPC node: B believes the window is still open, the program says VotingClosed.
    expect(kinds(await a!.tick())).toEqual(["propose"]);
    const created = (await s.proposal(0n)).createdSlot;
    await s.advance(101n);
    const lagging = new Keeper(laggingChain(runtimeChain(rt), created + 1n), b!.authority);
    const late = await lagging.tick();
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ kind: "vote", approve: true, result: { ok: false } });
    expect(late[0]!.kind === "vote" && late[0]!.result.error).toMatch(/VotingClosed/);
    expect(describeAction(late[0]!)).toMatch(/^vote yes on #0 \(supported\): FAILED: VotingClosed/);
  });
});
