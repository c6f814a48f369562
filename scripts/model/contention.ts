/**
 * A deterministic contention model of Continuum's trades under Solana's block scheduling rules.
 *
 * Scheduling rules modelled (agave `cost-model/src/block_cost_limits.rs`):
 * - a block (one 400 ms slot) holds at most `blockUnits` CU: 48M historically, 50M after
 *   SIMD-0207, 60M after SIMD-0256 (the default here); only `blockShare` of it is assumed to be
 *   available to this program's trades (the rest of the chain is busy too);
 * - every writable account is limited to `MAX_WRITABLE_ACCOUNT_UNITS` = 12M CU per block:
 *   transactions writing the same account serialize into it, and what doesn't fit waits;
 * - a transaction's cost is its compute units plus 720 CU per signature and 300 CU per write
 *   lock (`SIGNATURE_COST`, `WRITE_LOCK_UNITS`); the program's CU come from
 *   docs/compute-units.json (the scheduler reserves the requested limit, so clients are
 *   assumed to request the measured CU).
 *
 * A trade writes its market, its shard and the shard's token vault (which holds the market's
 * collateral), the trader, the trader's token account and position, so every trade of a shard
 * counts against the shard's (and its vault's) 12M; the model compares that with per-market
 * vaults (no shared account: only the market's own cap).
 *
 * Load: `markets` markets with Zipf(`zipf`) popularity over a seeded random order, `tradesPerSlot`
 * trades per slot in total (Poisson), and bursts (a popular market trading `burstFactor` times
 * its rate for `burstSlots`). Within a slot, a shard admits trades in arrival order (oldest first)
 * up to its account cap and each market's own cap; if the block share is exceeded, every shard's
 * admission is cut in proportion. A trade's delay is the number of slots it waited.
 *
 * Rebalancing: every `keeperEverySlots` slots the SDK's own keeper policy
 * (`checkRebalanceNeeded`) looks at the shards as the program would store them (load meters with
 * the program's EMA, a hot-markets table of each shard's 4 most loaded markets, latency
 * reported hot by the whole honest stake when the keepers' own trades waited a slot), and the
 * recommended markets move `migrationDelaySlots` later (proposal, votes, execution); their
 * queued trades follow them.
 */
import { PublicKey } from "@solana/web3.js";
import type { ConfigAccount } from "../../sdk/src/accounts/config.js";
import type { HotMarketEntry, ShardAccount } from "../../sdk/src/accounts/shard.js";
import { checkRebalanceNeeded } from "../../sdk/src/sharding/rebalance.js";

/** Agave's per-writable-account limit, CU per block. */
export const MAX_WRITABLE_ACCOUNT_UNITS = 12_000_000;
/** Agave's block limits, CU per block (before SIMD-0207, after it, after SIMD-0256). */
export const BLOCK_UNITS = { legacy: 48_000_000, simd0207: 50_000_000, simd0256: 60_000_000 } as const;
/** Cost model: CU per signature and per write lock. */
export const SIGNATURE_COST = 720;
export const WRITE_LOCK_UNITS = 300;
/** Write locks of a trade: trader, market, shard, position, trader's token account, vault. */
export const TRADE_WRITE_LOCKS = 6;

export interface ModelParams {
  seed: number;
  markets: number;
  shards: number;
  slots: number;
  /** Mean trades per slot over all markets. */
  tradesPerSlot: number;
  zipf: number;
  /** CU of one trade instruction (from docs/compute-units.json). */
  tradeCu: number;
  blockUnits: number;
  blockShare: number;
  /** Per slot, the chance that one of the `burstPool` most popular markets starts a burst. */
  burstChance: number;
  burstPool: number;
  burstFactor: number;
  burstSlots: number;
  /** false: every market has its own vault (no shard account is written). */
  sharded: boolean;
  rebalance: boolean;
  keeperEverySlots: number;
  migrationDelaySlots: number;
  /**
   * Keeper load threshold, writes per slot (the Config's `load_threshold_milli_writes` / 1000);
   * 0: 80% of what one shard account can take per block (`accountCap`).
   */
  loadThreshold: number;
  maxMarketsPerMove: number;
  /** Record per-shard loads every `traceEvery` slots (0: no trace). */
  traceEvery: number;
}

export const DEFAULTS: Omit<ModelParams, "shards" | "tradesPerSlot" | "tradeCu"> = {
  seed: 1,
  markets: 21_000,
  slots: 1_500,
  zipf: 1.1,
  blockUnits: BLOCK_UNITS.simd0256,
  blockShare: 0.25,
  burstChance: 1 / 60,
  burstPool: 200,
  burstFactor: 20,
  burstSlots: 150,
  sharded: true,
  rebalance: false,
  keeperEverySlots: 10,
  migrationDelaySlots: 5,
  loadThreshold: 0,
  maxMarketsPerMove: 8,
  traceEvery: 0,
};

export interface ModelResult {
  params: ModelParams;
  arrived: number;
  included: number;
  /** Trades still queued at the end. */
  queued: number;
  /** Delay percentiles in slots (over included trades). */
  p50: number;
  p99: number;
  maxDelay: number;
  /** Highest CU written to one shard account in one block, and the cap it must respect. */
  maxShardUnits: number;
  /** Most trades included in one slot on one shard. */
  maxShardTrades: number;
  /** Trades one account can take per block, and the block share, at this trade cost. */
  accountCap: number;
  blockCap: number;
  migrations: number;
  marketsMoved: number;
  /** Per traced slot: trades included per shard. */
  trace: { slot: number; perShard: number[] }[];
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw (Knuth for small means, normal approximation above 30). */
function poisson(mean: number, rand: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** The program's load EMA in numbers (alpha 1/8, x 1000 per write, folded per slot). */
class Meter {
  slot = 0;
  writes = 0;
  ema = 0;
  count(slot: number, n: number): void {
    if (slot > this.slot) {
      this.ema = this.at(slot);
      this.slot = slot;
      this.writes = 0;
    }
    this.writes += n;
  }
  at(slot: number): number {
    if (slot <= this.slot) return this.ema;
    let ema = Math.floor((this.ema * 7 + this.writes * 1000) / 8);
    const idle = slot - this.slot - 1;
    if (idle >= 64) return 0;
    for (let i = 0; i < idle && ema !== 0; i++) ema = Math.floor((ema * 7) / 8);
    return ema;
  }
}

interface Bucket {
  market: number;
  arrival: number;
  count: number;
}

/** Trades admitted from one queued bucket (`index` into the shard's queue). */
interface Take {
  index: number;
  count: number;
}

/** Runs the model. Deterministic for given params. */
export function runModel(params: ModelParams): ModelResult {
  const p = params;
  const rand = rng(p.seed);
  // Markets: a shard each (uniform, as keccak assignment is), popularity by a random rank.
  const shardOf = new Int32Array(p.markets);
  for (let m = 0; m < p.markets; m++) shardOf[m] = Math.floor(rand() * p.shards);
  const order = Array.from({ length: p.markets }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weight = new Float64Array(p.markets);
  let total = 0;
  order.forEach((m, rank) => {
    weight[m] = 1 / Math.pow(rank + 1, p.zipf);
    total += weight[m]!;
  });
  const rate = Float64Array.from(weight, (w) => (w / total) * p.tradesPerSlot);
  const popular = order.slice(0, p.burstPool);

  const txUnits = p.tradeCu + SIGNATURE_COST + TRADE_WRITE_LOCKS * WRITE_LOCK_UNITS;
  const accountCap = Math.floor(MAX_WRITABLE_ACCOUNT_UNITS / txUnits);
  const blockCap = Math.floor((p.blockUnits * p.blockShare) / txUnits);
  const threshold = p.loadThreshold > 0 ? p.loadThreshold : Math.floor(0.8 * accountCap);
  const queues: Bucket[][] = Array.from({ length: p.shards }, () => []);
  const shardMeters = Array.from({ length: p.shards }, () => new Meter());
  const marketMeters = new Map<number, Meter>();
  const burstUntil = new Map<number, number>();
  const shardWaited = new Float64Array(p.shards);
  const pending: { at: number; markets: number[]; to: number }[] = [];
  const delayCounts = new Float64Array(p.slots + 1);
  const result: ModelResult = {
    params,
    arrived: 0,
    included: 0,
    queued: 0,
    p50: 0,
    p99: 0,
    maxDelay: 0,
    maxShardUnits: 0,
    maxShardTrades: 0,
    accountCap,
    blockCap,
    migrations: 0,
    marketsMoved: 0,
    trace: [],
  };

  for (let slot = 1; slot <= p.slots; slot++) {
    // 1. Arrivals (base rates, plus bursts of popular markets).
    if (rand() < p.burstChance) burstUntil.set(popular[Math.floor(rand() * popular.length)]!, slot + p.burstSlots);
    for (let m = 0; m < p.markets; m++) {
      let mean = rate[m]!;
      const until = burstUntil.get(m);
      if (until !== undefined) {
        if (until < slot) burstUntil.delete(m);
        else mean *= p.burstFactor;
      }
      const n = mean < 1e-4 ? (rand() < mean ? 1 : 0) : poisson(mean, rand);
      if (n === 0) continue;
      result.arrived += n;
      queues[shardOf[m]!]!.push({ market: m, arrival: slot, count: n });
    }
    // 2. Admission per shard: oldest first, within the shard account's and markets' caps.
    const admitted: Take[][] = [];
    let demand = 0;
    for (let s = 0; s < p.shards; s++) {
      const q = queues[s]!;
      const take: Take[] = [];
      const perMarket = new Map<number, number>();
      let room = p.sharded ? accountCap : Number.POSITIVE_INFINITY;
      for (let index = 0; index < q.length && room > 0; index++) {
        const b = q[index]!;
        const used = perMarket.get(b.market) ?? 0;
        const n = Math.min(b.count, accountCap - used, room);
        if (n <= 0) continue;
        perMarket.set(b.market, used + n);
        take.push({ index, count: n });
        room -= n;
        demand += n;
      }
      admitted.push(take);
    }
    // 3. The block's share: cut every shard's admission in proportion (oldest kept).
    const scale = demand > blockCap ? blockCap / demand : 1;
    const wanted = admitted.map((take) => take.reduce((a, b) => a + b.count, 0));
    const quota = wanted.map((w) => Math.floor(w * scale));
    // Largest remainders first, so the block's share is used whole however many shards.
    let spare = Math.min(blockCap, demand) - quota.reduce((a, b) => a + b, 0);
    const byRemainder = wanted.map((w, s) => [w * scale - quota[s]!, s] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, s] of byRemainder) {
      if (spare <= 0) break;
      if (quota[s]! < wanted[s]!) {
        quota[s]!++;
        spare--;
      }
    }
    const perShard: number[] = [];
    for (let s = 0; s < p.shards; s++) {
      let allowed = quota[s]!;
      const q = queues[s]!;
      let done = 0;
      let waited = 0;
      for (const t of admitted[s]!) {
        const n = Math.min(t.count, allowed);
        if (n <= 0) break;
        const b = q[t.index]!;
        allowed -= n;
        done += n;
        b.count -= n;
        delayCounts[Math.min(p.slots, slot - b.arrival)]! += n;
        waited = Math.max(waited, slot - b.arrival);
        let meter = marketMeters.get(b.market);
        if (!meter) marketMeters.set(b.market, (meter = new Meter()));
        meter.count(slot, n);
      }
      queues[s] = q.filter((b) => b.count > 0);
      shardMeters[s]!.count(slot, done);
      result.included += done;
      result.maxShardTrades = Math.max(result.maxShardTrades, done);
      result.maxShardUnits = Math.max(result.maxShardUnits, p.sharded ? done * txUnits : 0);
      // A keeper's own trade on this shard waits as long as the oldest queued trade.
      shardWaited[s] = queues[s]!.length > 0 ? slot - queues[s]![0]!.arrival + 1 : waited;
      perShard.push(done);
    }
    if (p.traceEvery > 0 && slot % p.traceEvery === 0) result.trace.push({ slot, perShard });

    // 4. Rebalancing: migrations due now, then the keeper policy.
    for (const mv of pending.filter((x) => x.at === slot)) {
      for (const m of mv.markets) {
        const from = shardOf[m]!;
        if (from === mv.to) continue;
        shardOf[m] = mv.to;
        const moving = queues[from]!.filter((b) => b.market === m);
        queues[from] = queues[from]!.filter((b) => b.market !== m);
        queues[mv.to]!.push(...moving);
        queues[mv.to]!.sort((a, b) => a.arrival - b.arrival);
        result.marketsMoved++;
      }
      result.migrations++;
    }
    if (p.rebalance && p.sharded && slot % p.keeperEverySlots === 0 && !pending.some((x) => x.at > slot)) {
      const rec = checkRebalanceNeeded(shardViews(p, slot, shardMeters, marketMeters, shardOf, shardWaited), keeperConfig(threshold), {
        slot: BigInt(slot),
        maxMarkets: p.maxMarketsPerMove,
      });
      if (rec) {
        const markets = rec.markets.map((k) => new DataView(k.buffer, k.byteOffset).getUint32(0, true));
        pending.push({ at: slot + p.migrationDelaySlots, markets, to: rec.to });
      }
    }
  }
  result.queued = queues.reduce((a, q) => a + q.reduce((b, x) => b + x.count, 0), 0);
  let seen = 0;
  for (let d = 0; d <= p.slots; d++) {
    const c = delayCounts[d]!;
    if (c === 0) continue;
    if (seen < result.included * 0.5 && seen + c >= result.included * 0.5) result.p50 = d;
    if (seen < result.included * 0.99 && seen + c >= result.included * 0.99) result.p99 = d;
    seen += c;
    result.maxDelay = d;
  }
  return result;
}

/** The keeper's view of the config: thresholds in the program's units, all stake honest. */
function keeperConfig(loadThreshold: number): ConfigAccount {
  return {
    loadThresholdMilliWrites: BigInt(Math.round(loadThreshold * 1000)),
    votingWindowSlots: 100n,
    totalActiveStake: 1_000n,
    latencyQuorumBps: 5_000,
    contentionThresholdUs: 1_500,
  } as ConfigAccount;
}

/** Market ids travel in the first 4 bytes of a 32-byte key. */
function keyOf(market: number): Uint8Array {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setUint32(0, market, true);
  return key;
}

/** Shards as the program would store them at `slot`, for `checkRebalanceNeeded`. */
function shardViews(
  p: ModelParams,
  slot: number,
  shardMeters: Meter[],
  marketMeters: Map<number, Meter>,
  shardOf: Int32Array,
  waited: Float64Array,
): ShardAccount[] {
  const window = BigInt(Math.floor(slot / 100));
  const hottest: [number, number][][] = Array.from({ length: p.shards }, () => []);
  for (const [m, meter] of marketMeters) {
    const load = meter.at(slot);
    if (load === 0) continue;
    const list = hottest[shardOf[m]!]!;
    list.push([m, load]);
    if (list.length > 16) {
      list.sort((a, b) => b[1] - a[1]);
      list.length = 4;
    }
  }
  return shardMeters.map((meter, s) => {
    const top = hottest[s]!.sort((a, b) => b[1] - a[1]).slice(0, 4);
    const hotMarkets: HotMarketEntry[] = top.map(([m, load]) => ({
      marketKey: keyOf(m),
      loadEmaMilli: BigInt(load),
      window: Number(window) + 1,
      latencyUs: 0,
    }));
    // Honest keepers report the shard hot (1.5 ms threshold) once their own trades waited.
    const hotStake = waited[s]! >= 1 ? 1_000n : 0n;
    const tally = { reportedStake: 1_000n, hotStake, stakeLatencySum: 0n };
    return {
      shardId: s,
      bump: 0,
      vault: PublicKey.default,
      marketCount: 0n,
      collateralAmount: 0n,
      load: { slot: BigInt(meter.slot), writesInSlot: BigInt(meter.writes), emaMilli: BigInt(meter.ema) },
      peakWritesPerSlot: 0n,
      totalWrites: 0n,
      latencyWindow: window,
      latencyCurrent: tally,
      latencyPrevious: tally,
      latencyPeakUs: 0n,
      latencySamples: 0n,
      migratedIn: 0n,
      migratedOut: 0n,
      hotMarkets,
    };
  });
}
