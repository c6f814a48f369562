/**
 * Migration: an approved proposal moves every market's collateral (tokens, between the two
 * shard vaults) and books atomically, in batches, with state hashes in the events; a market write racing the migration lands before
 * or after it, never lost and never twice.
 */
import { keccak_256 } from "@noble/hashes/sha3";
import type { Keypair } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  checkRebalanceNeeded,
  decodeMarketMigratedEvents,
  decodeRebalanceExecutedEvents,
  depositCollateralInstruction,
  executeRebalanceInstruction,
  findShardPda,
  loadEmaAt,
  MARKET_FLAG_SHARD_OVERRIDDEN,
  proposeRebalanceInstruction,
  voteRebalanceInstruction,
  type RebalancePlan,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance } from "../harness/token.js";
import { ok, Sharding } from "./fixture.js";

const STAKE = 5_000_000n;

describe.each(RUNTIME_NAMES)("execute_rebalance on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;
  let keeper: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt, 100n);
    keeper = await s.keeperWithStake(STAKE);
  });

  /**
   * Proposes `plan` after heating its source (real writes by `user`, who owns the markets, and
   * the only keeper's latency report) and approves it with that keeper's stake.
   */
  async function approve(plan: RebalancePlan, id = 0n): Promise<void> {
    await s.makeHot(user, plan.markets as Uint8Array[], [keeper]);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, id)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, id, true)], [keeper]));
  }

  /** Totals over shards `ids`: vault token balances (`tokens`), books, market counts, writes. */
  async function books(ids: number[]): Promise<{ tokens: bigint; collateral: bigint; markets: bigint; writes: bigint }> {
    let tokens = 0n;
    let collateral = 0n;
    let markets = 0n;
    let writes = 0n;
    for (const id of ids) {
      tokens += await s.vaultBalance(id);
      const shard = await s.shard(id);
      collateral += shard.collateralAmount;
      markets += shard.marketCount;
      writes += shard.totalWrites;
    }
    return { tokens, collateral, markets, writes };
  }

  it.each([1, 4, 8])("moves a batch of %i market(s) atomically, conserving every base unit", async (n) => {
    const keys = s.keysOnShard(1, n);
    await s.registerMarkets(user, keys);
    // Collateral through the real deposit path, a different amount per market.
    for (const [i, key] of keys.entries()) {
      ok(await rt.send([depositCollateralInstruction(user.publicKey, key, 1, 1_000_000n * BigInt(i + 1) + 7n, rt.collateral)], [user]));
    }
    const plan = { from: 1, to: 2, markets: keys };
    await approve(plan);
    const rentFrom = await rt.balance(findShardPda(1)[0]);
    const marketPdas = keys.map((k) => s.marketPda(k));
    await s.expectVaultsMatchBooks(marketPdas);
    const before = await books([1, 2]);
    const vaults = await Promise.all(keys.map(async (k) => (await s.market(k)).vaultAmount));
    const dataBefore = await Promise.all(keys.map(async (k) => (await rt.getAccount(s.marketPda(k)))!.data));
    const from0 = await s.shard(1);
    const to0 = await s.shard(2);

    const res = await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]);
    recordCu(
      import.meta.url,
      rt,
      "execute_rebalance",
      res,
      { ceiling: CU_BUDGET.execute_rebalance.ceiling * n, goal: CU_BUDGET.execute_rebalance.goal * n },
      n === 1 ? "1 market" : `${n} markets`,
    );
    const total = vaults.reduce((a, b) => a + b, 0n);
    expect(await books([1, 2])).toEqual(before); // conserved to the base unit
    expect(await rt.balance(findShardPda(1)[0])).toBe(rentFrom); // the Shard PDA's SOL is only its rent
    await s.expectVaultsMatchBooks(marketPdas);
    expect(await s.vaultBalance(2)).toBe(to0.collateralAmount + total);
    const from1 = await s.shard(1);
    const to1 = await s.shard(2);
    expect(from1.collateralAmount).toBe(from0.collateralAmount - total);
    expect(to1.collateralAmount).toBe(to0.collateralAmount + total);
    expect(from1.marketCount).toBe(from0.marketCount - BigInt(n));
    expect(to1.marketCount).toBe(to0.marketCount + BigInt(n));
    expect([from1.migratedOut, to1.migratedIn]).toEqual([BigInt(n), BigInt(n)]);
    expect(from1.hotMarkets.some((h) => h.window !== 0 && Buffer.from(h.marketKey).equals(Buffer.from(keys[0]!)))).toBe(false);

    const events = decodeMarketMigratedEvents(res.logs);
    expect(events).toHaveLength(n);
    for (const [i, key] of keys.entries()) {
      const m = await s.market(key);
      expect(m).toMatchObject({ shardId: 2, migrationCount: 1n, vaultAmount: vaults[i], flags: MARKET_FLAG_SHARD_OVERRIDDEN });
      const after = (await rt.getAccount(s.marketPda(key)))!.data;
      expect(Buffer.from(events[i]!.marketKey).equals(Buffer.from(key))).toBe(true);
      expect(events[i]!.vaultAmount).toBe(vaults[i]);
      expect(Buffer.from(events[i]!.stateHashBefore)).toEqual(Buffer.from(keccak_256(dataBefore[i]!)));
      expect(Buffer.from(events[i]!.stateHashAfter)).toEqual(Buffer.from(keccak_256(after)));
    }
    expect(decodeRebalanceExecutedEvents(res.logs)[0]).toMatchObject({ proposalId: 0n, marketCount: n, amountMoved: total });
    expect((await s.proposal(0n)).status).toBe(1);
  });

  it("rejects markets out of order, missing, or no longer on the source shard, changing nothing", async () => {
    const keys = s.keysOnShard(1, 2);
    await s.registerMarkets(user, keys);
    const plan = { from: 1, to: 2, markets: keys };
    await approve(plan);
    const state = async () => [await books([1, 2]), await s.proposal(0n), ...(await Promise.all(keys.map((k) => s.market(k))))];
    const before = await state();
    expectError(await rt.send([executeRebalanceInstruction(0n, { ...plan, markets: [keys[1]!, keys[0]!] }, rt.collateral)]), "AccountMismatch");
    expectError(await rt.send([executeRebalanceInstruction(0n, { ...plan, markets: [keys[0]!] }, rt.collateral)]), "NotEnoughAccounts");
    expectError(await rt.send([executeRebalanceInstruction(0n, { ...plan, from: 3 }, rt.collateral)]), "AccountMismatch");
    expect(await state()).toEqual(before);
  });

  it.each(["before", "after"] as const)("a deposit racing the migration in the same slot lands %s it", async (order) => {
    const [key] = s.keysOnShard(1, 1);
    await s.registerMarkets(user, [key!]);
    const deposited = await rt.send([depositCollateralInstruction(user.publicKey, key!, 1, 2_000_000n, rt.collateral)], [user]);
    recordCu(import.meta.url, rt, "deposit_collateral", deposited, CU_BUDGET.deposit_collateral);
    const plan = { from: 1, to: 2, markets: [key!] };
    await approve(plan);
    const slot = await rt.slot();
    const before = await books([1, 2]);
    const market0 = await s.market(key!);
    const deposit = 300_000n;
    const userBefore = await tokenBalance(rt, ataOf(user.publicKey, rt.collateral));

    if (order === "before") {
      // Both in one transaction, deposit first (a trade sequenced ahead of the migration).
      ok(await rt.send([depositCollateralInstruction(user.publicKey, key!, 1, deposit, rt.collateral), executeRebalanceInstruction(0n, plan, rt.collateral)], [user]));
    } else {
      ok(await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]));
      // The trader's transaction was built against the old shard: rejected, nothing applied.
      const mid = [await books([1, 2]), await s.market(key!)];
      expectError(await rt.send([depositCollateralInstruction(user.publicKey, key!, 1, deposit, rt.collateral)], [user]), "AccountMismatch");
      expect([await books([1, 2]), await s.market(key!)]).toEqual(mid);
      // Re-sent against the market's current shard: lands after the migration.
      ok(await rt.send([depositCollateralInstruction(user.publicKey, key!, (await s.market(key!)).shardId, deposit, rt.collateral)], [user]));
    }
    expect(await rt.slot()).toBe(slot);
    const market = await s.market(key!);
    expect(market).toMatchObject({ shardId: 2, vaultAmount: market0.vaultAmount + deposit, writeCount: market0.writeCount + 1n });
    const after = await books([1, 2]);
    expect(after).toEqual({ ...before, tokens: before.tokens + deposit, collateral: before.collateral + deposit, writes: before.writes + 1n });
    expect((await s.shard(2)).collateralAmount).toBe(market.vaultAmount);
    await s.expectVaultsMatchBooks([s.marketPda(key!)]);
    expect(userBefore - (await tokenBalance(rt, ataOf(user.publicKey, rt.collateral)))).toBe(deposit);
  });

  it("on-chain load (writes per slot EMA, SDK mirror) is necessary: reports alone don't make a shard proposable", async () => {
    const keys = s.keysOnShard(1, 2);
    const plan = { from: 1, to: 0, markets: [keys[0]!] };
    await s.registerMarkets(user, keys);
    await s.reportLatency([keeper], keys[0]!, 9_000);
    await s.advance(1n);
    expectError(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]), "ShardNotOverThreshold");
    const slot = await s.heatLoad(user, keys);
    const shard = await s.shard(1);
    expect(loadEmaAt(shard.load, slot)).toBeGreaterThan((await s.config()).loadThresholdMilliWrites);
    // The market's own meter counts its share of the same writes.
    expect(loadEmaAt((await s.market(keys[0]!)).load, slot)).toBe(loadEmaAt(shard.load, slot) / 2n);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
  });

  it("checkRebalanceNeeded recommends a proposal the program accepts: the source's hottest markets by their own load", async () => {
    const hotKeys = s.keysOnShard(3, 3);
    await s.registerMarkets(user, hotKeys);
    // Writes 1 : 2 : 3 over the three markets, so their loads rank them 2, 1, 0; 6 writes per
    // slot for 9 slots put the shard at 4.2 writes per slot, and the two hottest (5/6 of it)
    // fit under the destination's threshold.
    const spread = [hotKeys[0]!, hotKeys[1]!, hotKeys[1]!, hotKeys[2]!, hotKeys[2]!, hotKeys[2]!];
    for (const key of hotKeys) {
      await s.advance(100n); // one report per keeper, shard and window
      await s.heatLoad(user, spread, 9, 6);
      await s.reportLatency([keeper], key);
    }
    const shards = await Promise.all([0, 1, 2, 3].map((id) => s.shard(id)));
    const config = await s.config();
    const slot = await rt.slot();
    const rec = checkRebalanceNeeded(shards, config, { slot, maxMarkets: 2 });
    expect(rec).not.toBeNull();
    expect(rec!.from).toBe(3);
    expect(rec!.markets.map((m) => Buffer.from(m).toString("hex"))).toEqual(
      [hotKeys[2]!, hotKeys[1]!].map((m) => Buffer.from(m).toString("hex")),
    );
    expect(loadEmaAt((await s.shard(rec!.to)).load, slot)).toBe(0n);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, rec!, 0n)], [keeper]));
    // Without the latency quorum the same shards recommend nothing.
    const quiet = shards.map((sh) => ({ ...sh, latencyCurrent: { ...sh.latencyCurrent, hotStake: 0n }, latencyPrevious: { ...sh.latencyPrevious, hotStake: 0n } }));
    expect(checkRebalanceNeeded(quiet, config, { slot })).toBeNull();
  });
});

describe.each(RUNTIME_NAMES)("execute_rebalance on a Token-2022 mint on %s", (runtimeName) => {
  it("moves one market's tokens between the vaults (CU row for Token-2022)", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, {}, true, { kind: "token-2022" });
    const user = await fundedKeypair(rt, 100n);
    const keeper = await s.keeperWithStake(STAKE);
    const keys = s.keysOnShard(1, 1);
    await s.registerMarkets(user, keys);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, keys[0]!, 1, 1_234_567n, rt.collateral)], [user]));
    const plan = { from: 1, to: 2, markets: keys };
    await s.makeHot(user, keys, [keeper]);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, 0n, true)], [keeper]));
    const markets = keys.map((k) => s.marketPda(k));
    await s.expectVaultsMatchBooks(markets);
    const vault = (await s.market(keys[0]!)).vaultAmount;
    const res = await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]);
    recordCu(import.meta.url, rt, "execute_rebalance", res, CU_BUDGET.execute_rebalance, "1 market");
    await s.expectVaultsMatchBooks(markets);
    expect(await s.vaultBalance(2)).toBe(vault);
  });
});
