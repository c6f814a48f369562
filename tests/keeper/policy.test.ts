/**
 * The keeper's vote rule on synthetic snapshots (pure functions, no chain): which markets a
 * proposal may list, and that the recommender and the voter agree.
 */
import { PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { MAX_OPEN_VOTES, type ConfigAccount, type KeeperAccount, type MarketHeaderAccount, type RebalanceProposalAccount, type ShardAccount } from "../../sdk/src/index.js";
import { assessProposal, canVote, planRebalance, toHex, voteFits, type KeeperSnapshot, type ProposalView } from "../../sdk/src/keeper/index.js";

const SLOT = 1_000n;
const meter = (emaMilli: bigint) => ({ slot: SLOT, writesInSlot: 0n, emaMilli });
const key = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? n : 0));

function shard(id: number, loadMilli: bigint, hot: [number, bigint][]): ShardAccount {
  const tally = { reportedStake: 100n, hotStake: 100n, stakeLatencySum: 0n };
  return {
    shardId: id, bump: 0, vault: PublicKey.default, marketCount: 0n, collateralAmount: 0n, load: meter(loadMilli),
    peakWritesPerSlot: 0n, totalWrites: 0n, latencyWindow: SLOT / 100n, latencyCurrent: tally, latencyPrevious: tally,
    latencyPeakUs: 0n, latencySamples: 0n, migratedIn: 0n, migratedOut: 0n,
    hotMarkets: hot.map(([n, load]) => ({ marketKey: key(n), loadEmaMilli: load, window: Number(SLOT / 100n) + 1, latencyUs: 0 })),
  };
}

function market(n: number, shardId: number, loadMilli: bigint): MarketHeaderAccount {
  return {
    marketKey: key(n), authority: PublicKey.default, vaultAmount: 0n, createdSlot: 0n, lastWriteSlot: SLOT,
    writeCount: 0n, migrationCount: 0n, shardId, status: 0, bump: 255, flags: 0, load: meter(loadMilli),
  };
}

/** Source shard 0 (5 writes/slot) with markets A = 3, B = 1, C = 0.5 writes/slot; shard 1 at 2. */
function snapshot(): KeeperSnapshot {
  const loads: [number, bigint][] = [[1, 3_000n], [2, 1_000n], [3, 500n]];
  const config = {
    loadThresholdMilliWrites: 4_000n, votingWindowSlots: 100n, totalActiveStake: 100n, latencyQuorumBps: 5_000,
    contentionThresholdUs: 1_500, minKeeperStake: 1n, voteThresholdBps: 6_670,
  } as ConfigAccount;
  return {
    slot: SLOT,
    config,
    shards: [shard(0, 5_000n, loads), shard(1, 2_000n, [])],
    proposals: [],
    keeper: null,
    markets: new Map(loads.map(([n, load]) => [toHex(key(n)), market(n, 0, load)])),
    ownLatencyUs: new Map(),
  };
}

function proposal(markets: number[]): ProposalView {
  const account = { fromShard: 0, toShard: 1, markets: markets.map(key) } as unknown as RebalanceProposalAccount;
  return { id: 0n, address: PublicKey.default, account, voted: false };
}

describe("keeper vote rule", () => {
  it("a market too hot for the destination may be left off; a cooler one that fits may not", () => {
    const snap = snapshot();
    // A (3) can't go: 2 + 3 > 4. Listing B instead is what an honest keeper would do.
    expect(assessProposal(snap, proposal([2]))).toBeNull();
    // Listing only C while B would have fit in its place: refused.
    expect(assessProposal(snap, proposal([3]))).toBe("a hotter market of the source is not listed");
    // Listing A: the destination would be over its threshold.
    expect(assessProposal(snap, proposal([1]))).toBe("destination would be over the load threshold");
    // The keeper's own measurement of the source says it is cool: refused whatever the chain says.
    snap.ownLatencyUs.set(0, 900);
    expect(assessProposal(snap, proposal([2]))).toBe("own latency of source 900 us is not over threshold");
  });

  it("the recommender skips the too-hot market, and the voter approves what it recommends", () => {
    const snap = snapshot();
    const rec = planRebalance(snap, 8)!;
    expect(rec).toMatchObject({ from: 0, to: 1, movedLoadMilli: 1_500n });
    expect(rec.markets.map((m) => m[0])).toEqual([2, 3]);
    expect(assessProposal(snap, proposal([2, 3]))).toBeNull();
  });

  it("votes only with a free vote entry, and keeps the last one for an approval", () => {
    const snap = snapshot();
    const p = proposal([2]);
    p.account.createdSlot = SLOT - 1n;
    const held = (n: number) =>
      Array.from({ length: MAX_OPEN_VOTES }, (_, i) => ({ proposalId: BigInt(100 + i), votingEndSlot: i < n ? SLOT : SLOT - 1n }));
    const keeper = (n: number) => ({ active: true, registeredSlot: SLOT - 2n, openVotes: held(n) }) as unknown as KeeperAccount;
    // An entry whose window ends at the current slot is still held; one that ended before is free.
    expect(canVote({ ...snap, keeper: keeper(MAX_OPEN_VOTES - 1) }, p)).toBe(true);
    expect(canVote({ ...snap, keeper: keeper(MAX_OPEN_VOTES) }, p)).toBe(false);
    expect(canVote({ ...snap, keeper: keeper(0) }, { ...p, voted: true })).toBe(false);
    expect([voteFits(true, 1), voteFits(false, 1), voteFits(false, 2), voteFits(true, 0)]).toEqual([true, false, true, false]);
  });
});
