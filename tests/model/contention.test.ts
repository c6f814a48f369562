/**
 * The contention model (scripts/model/contention.ts): deterministic, conserves every trade,
 * never lets a shard account exceed its per-block CU cap, and with the SDK's keeper policy as
 * the rebalancer drains a shard that holds too many hot markets.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS, MAX_WRITABLE_ACCOUNT_UNITS, runModel, TRADE_WRITE_LOCKS, type ModelParams } from "../../scripts/model/contention.js";

/** 200 markets with steep popularity on 2 shards: one shard ends up over its account cap. */
const SKEWED: ModelParams = {
  ...DEFAULTS,
  seed: 3,
  markets: 200,
  zipf: 1.5,
  shards: 2,
  tradesPerSlot: 2_000,
  tradeCu: 8_064,
  slots: 300,
  blockShare: 1,
  burstChance: 0,
  traceEvery: 50,
};

describe("contention model", () => {
  it("is deterministic for a seed and conserves every trade", () => {
    const a = runModel(SKEWED);
    const b = runModel(SKEWED);
    expect(b).toEqual(a);
    expect(a.arrived).toBeGreaterThan(500_000);
    expect(a.included + a.queued).toBe(a.arrived);
    expect(runModel({ ...SKEWED, seed: 4 }).arrived).not.toBe(a.arrived);
  });

  it("keeps every shard account within its per-block CU cap", () => {
    const r = runModel(SKEWED);
    expect(r.accountCap).toBe(Math.floor(MAX_WRITABLE_ACCOUNT_UNITS / (8_064 + 720 + TRADE_WRITE_LOCKS * 300)));
    expect(r.maxShardTrades).toBe(r.accountCap); // the hot shard is at its cap
    expect(r.maxShardUnits).toBeLessThanOrEqual(MAX_WRITABLE_ACCOUNT_UNITS);
    for (const t of r.trace) for (const n of t.perShard) expect(n).toBeLessThanOrEqual(r.accountCap);
  });

  it("the SDK keeper policy moves hot markets off the overloaded shard and the queue drains", () => {
    const without = runModel(SKEWED);
    const withKeeper = runModel({ ...SKEWED, rebalance: true });
    expect(without.migrations).toBe(0);
    expect(without.queued).toBeGreaterThan(10_000); // the hot shard never catches up
    expect(withKeeper.migrations).toBeGreaterThan(0);
    expect(withKeeper.queued).toBe(0);
    expect(withKeeper.p99).toBeLessThan(without.p99);
  });

  it("per-market vaults have no shared shard account: the same load never queues at this rate", () => {
    const r = runModel({ ...SKEWED, sharded: false });
    expect(r.queued).toBe(0);
    expect(r.p99).toBe(0);
  });
});
