/**
 * The trading loop, one slot at a time: traders' trades arrive (Zipf market popularity, plus a
 * burst on a few markets of one shard in the hot phase), each shard admits at most
 * `capPerShard` of them per slot in arrival order (the rest wait: the run's scaled stand-in for
 * Solana's 12M CU per writable account and block), keepers measure and report latency, and
 * every keeper runs its policy tick (propose / vote / execute / close) after the slot's trades.
 *
 * What a keeper measures here: the time its own write to a shard would wait in this slot,
 * behind the writes queued for that shard, at `capPerShard` writes per 400 ms slot
 * (`400,000 us * (queued + 1) / capPerShard`, clamped to the program's 1..=400,000 us). On
 * Solana a write's latency is exactly this kind of wait (slots of queueing behind the account's
 * CU limit), not the 1.5 ms "write time" of the seed design.
 */
import type { Keypair } from "@solana/web3.js";
import { loadEmaAt, marketKeyBytes, PROGRAM_ID, type ShardAccount } from "../../sdk/src/index.js";
import { hottestMarketOn, scanMarkets, type MarketScan } from "../../sdk/src/daemon/markets.js";
import { actionOk, describeAction, Keeper, toHex, type KeeperAction } from "../../sdk/src/keeper/index.js";
import { MAX_LATENCY_SAMPLE_US, latencyWindowOf } from "../../sdk/src/sharding/latency.js";
import type { Connection, PublicKey } from "@solana/web3.js";
import type { AmmMarket } from "./markets.js";
import { placeTrade } from "./trade.js";
import { World } from "./world.js";
import type { Zipf } from "./zipf.js";

export interface TradingParams {
  baseTradesPerSlot: number;
  capPerShard: number;
  /** Extra trades per slot of each bursting market (`startBurst`). */
  burstTradesPerMarket: number;
  /** Slot offset inside a latency window at which keepers report (samples collected before). */
  reportOffset: number;
}

/** One executed rebalance. */
export interface Migration {
  proposalId: string;
  from: number;
  to: number;
  markets: string[];
  proposedSlot: number;
  executedSlot: number;
  yesVotes: number;
  noVotes: number;
}

interface Pending {
  market: number;
  arrival: number;
}

/** Per slot, per shard: arrivals (demand) and admitted trades (writes). */
export interface SlotRecord {
  slot: number;
  phase: string;
  demand: number[];
  writes: number[];
  /** On-chain load EMA of each shard after the slot (writes per slot). */
  ema: number[];
}

export class TradingLoop {
  readonly slots: SlotRecord[] = [];
  readonly migrations: Migration[] = [];
  readonly delays = new Map<string, number[]>();
  readonly keeperFailures: string[] = [];
  readonly positions = new Set<string>();
  trades = 0;
  /** Trades by kind, and quotes the SDK refused (by error name: nothing sent). */
  readonly kinds: Record<string, number> = {};
  readonly refused: Record<string, number> = {};
  private pending: Pending[] = [];
  private readonly window = new Map<number, { window: bigint; sum: number; count: number }[]>();
  private readonly reported = new Set<string>();
  private readonly proposedAt = new Map<string, number>();
  private readonly votes = new Map<string, { yes: number; no: number }>();
  private scan: { window: bigint; scan: MarketScan } | null = null;
  private burst: number[] = [];

  constructor(
    readonly w: World,
    readonly markets: AmmMarket[],
    readonly byRank: number[],
    readonly zipf: Zipf,
    readonly keepers: Keeper[],
    readonly allMarketAddresses: PublicKey[],
    readonly p: TradingParams,
    readonly rand: () => number,
  ) {}

  /** Starts the burst on these markets (indices into `markets`). */
  startBurst(markets: number[]): void {
    this.burst = markets;
  }

  /** Runs one slot in `phase`. */
  async slot(slot: number, phase: string): Promise<void> {
    const w = this.w;
    await World.yieldToEventLoop();
    await w.setSlot(BigInt(slot));
    for (let i = 0; i < this.p.baseTradesPerSlot; i++) this.pending.push({ market: this.byRank[this.zipf.sample(this.rand())]!, arrival: slot });
    for (const m of this.burst) for (let i = 0; i < this.p.burstTradesPerMarket; i++) this.pending.push({ market: m, arrival: slot });

    const S = w.shardCount;
    const demand = new Array<number>(S).fill(0);
    for (const t of this.pending) demand[this.markets[t.market]!.shardId]!++;
    this.observe(slot, demand);

    const writes = new Array<number>(S).fill(0);
    const waiting: Pending[] = [];
    const delays = this.delays.get(phase) ?? [];
    this.delays.set(phase, delays);
    for (const t of this.pending) {
      const m = this.markets[t.market]!;
      if (writes[m.shardId]! >= this.p.capPerShard) {
        waiting.push(t);
        continue;
      }
      const traderIndex = Math.floor(this.rand() * w.traders.length);
      const out = await placeTrade(w, m, w.traders[traderIndex]!, this.rand);
      if (typeof out === "string") {
        this.refused[out] = (this.refused[out] ?? 0) + 1;
        continue;
      }
      this.kinds[out.kind] = (this.kinds[out.kind] ?? 0) + 1;
      if (out.shardId !== m.shardId) throw new Error(`market ${m.keyHex} traded on shard ${out.shardId}, run books it on ${m.shardId}`);
      m.paidIn += out.amountIn;
      m.refunded += out.amountOut;
      m.fees += out.fee;
      writes[m.shardId]!++;
      delays.push(slot - t.arrival);
      this.positions.add(`${traderIndex}:${t.market}`);
      this.trades++;
    }
    this.pending = waiting;

    await this.report(slot);
    for (const k of this.keepers) this.record(slot, await k.tick());
    const shards = await this.shards();
    this.slots.push({ slot, phase, demand, writes, ema: shards.map((s) => Number(loadEmaAt(s.load, w.absolute(slot))) / 1000) });
  }

  /** The shards as stored now. */
  async shards(): Promise<ShardAccount[]> {
    const snap = await this.keepers[0]!.snapshot();
    return snap.shards;
  }

  /** Every keeper measures every shard this slot (see the module doc). */
  private observe(slot: number, demand: number[]): void {
    const window = latencyWindowOf(this.w.absolute(slot), { votingWindowSlots: this.w.config.votingWindowSlots });
    for (const [ki, k] of this.keepers.entries()) {
      const acc = this.window.get(ki) ?? [];
      this.window.set(ki, acc);
      demand.forEach((queued, shard) => {
        const us = Math.min(MAX_LATENCY_SAMPLE_US, Math.max(1, Math.round((400_000 * (queued + 1)) / this.p.capPerShard)));
        k.observeLatency(shard, us);
        const a = acc[shard];
        if (!a || a.window !== window) acc[shard] = { window, sum: us, count: 1 };
        else (a.sum += us), a.count++;
      });
    }
  }

  /**
   * Once per latency window, at `reportOffset`, every keeper reports the mean of its samples
   * of each shard, naming the shard's hottest market by on-chain load (the daemon's rule; one
   * market scan per window, shared by the keepers).
   */
  private async report(slot: number): Promise<void> {
    const abs = this.w.absolute(slot);
    const windowSlots = this.w.config.votingWindowSlots;
    if (abs % windowSlots !== BigInt(this.p.reportOffset)) return;
    const window = latencyWindowOf(abs, { votingWindowSlots: windowSlots });
    if (!this.scan || this.scan.window !== window) this.scan = { window, scan: await this.scanMarkets() };
    for (const [ki, k] of this.keepers.entries()) {
      for (const [shard, a] of (this.window.get(ki) ?? []).entries()) {
        if (!a || a.window !== window || this.reported.has(`${ki}:${shard}:${window}`)) continue;
        const market = hottestMarketOn(this.scan.scan, shard, abs);
        if (!market) continue;
        this.reported.add(`${ki}:${shard}:${window}`);
        this.record(slot, [await k.reportContention(shard, Math.round(a.sum / a.count), market)]);
      }
    }
  }

  /** The daemon's program-wide scan, over the embedded runtime's accounts. */
  private async scanMarkets(): Promise<MarketScan> {
    const rt = this.w.rt;
    const connection = {
      getProgramAccounts: async () => {
        const out = [];
        for (const pubkey of this.allMarketAddresses) {
          const a = await rt.getAccount(pubkey);
          if (a) out.push({ pubkey, account: { data: Buffer.from(a.data), owner: a.owner, lamports: Number(a.lamports), executable: false } });
        }
        return out;
      },
    } as unknown as Connection;
    return scanMarkets(connection, PROGRAM_ID);
  }

  private record(slot: number, actions: KeeperAction[]): void {
    for (const a of actions) {
      if (!actionOk(a)) {
        this.keeperFailures.push(`slot ${slot}: ${describeAction(a)}`);
        continue;
      }
      if (a.kind === "propose") this.proposedAt.set(String(a.proposalId), slot);
      if (a.kind === "vote") {
        const v = this.votes.get(String(a.proposalId)) ?? { yes: 0, no: 0 };
        if (a.approve) v.yes++;
        else v.no++;
        this.votes.set(String(a.proposalId), v);
      }
      if (a.kind === "execute") {
        const keys = a.plan.markets.map((m) => toHex(marketKeyBytes(m)));
        for (const m of this.markets) if (keys.includes(m.keyHex)) m.shardId = a.plan.to;
        const id = String(a.proposalId);
        this.migrations.push({
          proposalId: id,
          from: a.plan.from,
          to: a.plan.to,
          markets: keys,
          proposedSlot: this.proposedAt.get(id) ?? -1,
          executedSlot: slot,
          yesVotes: this.votes.get(id)?.yes ?? 0,
          noVotes: this.votes.get(id)?.no ?? 0,
        });
      }
    }
  }
}

/** `Keeper`s over the world's chain, moving up to 8 markets per proposal. */
export function makeKeepers(w: World, keys: Keypair[]): Keeper[] {
  return keys.map((k) => new Keeper(w.chain(), k, { maxMarkets: 8 }));
}
