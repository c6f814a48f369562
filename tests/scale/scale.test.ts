/**
 * The scale run (scripts/scale/run.ts) at a small size on LiteSVM: 2,000 registered + 30 AMM
 * markets on 8 shards. Conservation of every market and vault is asserted inside the run (it
 * throws on a violation: see scripts/scale/conservation.ts); this test asserts the rest of the
 * scenario's invariants on what it reports: the SDK's assignment is the program's, a burst
 * drives one shard over the load threshold, keepers rebalance it by vote, the hot shard's write
 * load is lower afterwards and within the threshold, and every market was settled to the unit.
 * The full-size run is `npx tsx scripts/scale-run.ts` (docs/scale.md).
 */
import { describe, expect, it } from "vitest";
import { FULL_RUN, runScale, type ScaleResult } from "../../scripts/scale/run.js";

describe("scale run (small) on litesvm", () => {
  let r: ScaleResult;

  it("runs end to end with conservation held at every check", async () => {
    r = await runScale({
      ...FULL_RUN,
      shards: 8,
      registeredMarkets: 2_000,
      ammMarkets: 30,
      nPoints: 51,
      traders: 16,
      baseTradesPerSlot: 12,
      warmupSlots: 8,
      maxHotSlots: 64,
      afterSlots: 8,
      quiet: true,
    });
    expect(r.settlement.vaultsAfter).toBe("0");
  }, 300_000);

  it("assigns every market where the SDK says, and the counts add up", () => {
    expect(r.balance.assignmentMatchesSdk).toBe(true);
    expect(r.balance.perShard.reduce((a, c) => a + c, 0)).toBe(2_030);
    // 2,030 markets on 8 shards: 1 sigma is 3.3%, so 5 sigma bounds any honest hash.
    expect(r.balance.maxDeviationPct).toBeLessThan(5 * r.balance.sigmaPct);
  });

  it("drives the hot shard over the load threshold, rebalances it by keeper vote, and cools it", () => {
    const before = r.load.before[r.hotShard]!;
    const after = r.load.after[r.hotShard]!;
    expect(r.load.warmup[r.hotShard]!.emaWritesPerSlot).toBeLessThan(r.loadThreshold);
    expect(before.emaWritesPerSlot).toBeGreaterThan(r.loadThreshold);
    expect(r.migrations.length).toBeGreaterThan(0);
    for (const m of r.migrations) {
      expect(m.from).toBe(r.hotShard);
      // Three equal stakes: two are 66.67% < the 66.7% threshold, so approval took all three.
      expect(m.yesVotes).toBe(3);
      expect(m.noVotes).toBe(0);
      expect(m.executedSlot).toBeGreaterThan(m.proposedSlot);
    }
    expect(after.writesPerSlot).toBeLessThan(before.writesPerSlot);
    expect(after.emaWritesPerSlot).toBeLessThanOrEqual(r.loadThreshold);
    for (const l of r.load.after) expect(l.emaWritesPerSlot).toBeLessThanOrEqual(r.loadThreshold);
    expect(r.keeperFailures).toEqual([]);
  });

  it("moved markets and their collateral: counts follow the migrations", () => {
    const moved = r.migrations.reduce((a, m) => a + m.markets.length, 0);
    expect(r.marketCountsAfter[r.hotShard]).toBe(r.balance.perShard[r.hotShard]! - moved);
    expect(r.marketCountsAfter.reduce((a, c) => a + c, 0)).toBe(2_030);
  });

  it("books CU and wall time for every phase, and settles every market", () => {
    expect(r.trades.placed).toBeGreaterThan(500);
    expect(r.settlement.lpClaims).toBe(30);
    expect(r.settlement.claims).toBe(r.trades.positions);
    expect(r.totals.register_market!.instructions).toBe(2_000);
    expect(r.totals.trade!.transactions).toBe(r.trades.placed);
    // The mix: buys, sells and unwinds all happened, and fees were charged.
    expect(r.trades.byKind.buy).toBeGreaterThan(0);
    expect(r.trades.byKind.sell).toBeGreaterThan(0);
    expect(r.trades.byKind.unwind).toBeGreaterThan(0);
    expect(BigInt(r.trades.refunded)).toBeGreaterThan(0n);
    expect(BigInt(r.trades.fees)).toBeGreaterThan(0n);
    expect(r.totals.execute_rebalance!.transactions).toBe(r.migrations.length);
    for (const p of r.phases) expect(p.wallSeconds).toBeGreaterThanOrEqual(0);
  });
});
