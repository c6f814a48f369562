/**
 * The keeper daemon: `Keeper` (policy untouched) run as a long-lived service.
 *
 * Each iteration:
 * 1. reads a snapshot (retried; an unreachable RPC node backs the loop off exponentially, capped,
 *    and the daemon keeps going when the node returns);
 * 2. updates gauges (stake, per-shard load, hot markets, over-threshold);
 * 3. once per latency window (at most every `marketScanMs`) scans the program's markets: the
 *    hottest market per shard (what reports name) and the AMM norm check;
 * 4. with probes on, writes 1 lamport into its probe market of each shard;
 * 5. reports, once per shard and latency window, the mean of this window's measurements of the
 *    shard (send-to-confirm of its own shard-writing transactions), for the shard's hottest
 *    market;
 * 6. runs `Keeper.tick` (vote / propose / execute / close) and counts what it did.
 *
 * Every measurement is fed to `Keeper.observeLatency`, so votes use the keeper's own latency.
 */
import type { Connection, Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { decodeConfig } from "../accounts/config.js";
import { collateralOf } from "../collateral.js";
import { PROGRAM_ID } from "../constants.js";
import { EXECUTE_REBALANCE_DISCRIMINATOR, registerKeeperInstruction } from "../instructions/sharding.js";
import type { KeeperAction } from "../keeper/actions.js";
import { describeAction } from "../keeper/actions.js";
import { messageOf, safeSend, type Chain } from "../keeper/chain.js";
import { Keeper } from "../keeper/keeper.js";
import type { KeeperSnapshot } from "../keeper/snapshot.js";
import { toHex } from "../keeper/snapshot.js";
import { findConfigPda, marketKeyBytes } from "../pda.js";
import { latencyWindowOf, MAX_LATENCY_SAMPLE_US } from "../sharding/latency.js";
import { loadEmaAt } from "../sharding/load.js";
import { isFreshEntry, isShardOverThreshold } from "../sharding/rebalance.js";
import { Backoff, retry, sleep } from "./backoff.js";
import { jsonLogger, type Logger } from "./log.js";
import { hottestMarketOn, scanMarkets, type MarketScan } from "./markets.js";
import { DaemonMetrics } from "./metrics.js";
import { normViolation } from "./norm.js";
import { ensureProbeMarkets, probeWrite, type ProbeMarket } from "./probes.js";
import { timedChain } from "./timedChain.js";

/** Options of a `KeeperDaemon`. */
export interface DaemonOptions {
  /** The chain to act on (`connectionChain`; the daemon wraps it with timing and retries). */
  chain: Chain;
  authority: Keypair;
  /** For program-wide market scans (hottest market per shard, norm check); without it the
   *  daemon names markets from the shards' hot tables and its probe markets only. */
  connection?: Connection;
  programId?: PublicKey;
  /** Pause between iterations (default 2,000 ms). */
  intervalMs?: number;
  /** One iteration, then stop. */
  once?: boolean;
  metrics?: DaemonMetrics;
  log?: Logger;
  signal?: AbortSignal;
  /** Write into a probe market per shard (see probes.ts; default off)... */
  probe?: boolean;
  /** ...at most once per this many ms (default: every iteration). Probes are real load. */
  probeIntervalMs?: number;
  /** Shards to probe (default: all). A shard never measured is one the policy has no own
   *  latency for: it then relies on the chain's figures alone (see policy.ts). */
  probeShards?: number[];
  /** Register this keeper with this stake (lamports) when it is not registered (default: never). */
  registerStake?: bigint;
  /** Backoff after a failed iteration: base (default 500 ms) doubling up to the cap (default 30 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Least time between two market scans (default 30 s; a new latency window scans anyway). */
  marketScanMs?: number;
  /** Markets one proposal may move (`KeeperOptions.maxMarkets`). */
  maxMarkets?: number;
  /** See `TimedChainOptions`. */
  sendTimeoutMs?: number;
  readAttempts?: number;
}

/** Measurements of one shard in one latency window. */
interface WindowSamples {
  window: bigint;
  sumUs: number;
  count: number;
}

export class KeeperDaemon {
  readonly metrics: DaemonMetrics;
  readonly programId: PublicKey;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private keeper: Keeper | null = null;
  private readonly samples = new Map<number, WindowSamples>();
  /** Shards reported by this daemon, by latency window (the chain's bitmap covers restarts). */
  private readonly reported = new Map<number, bigint>();
  private currentWindow = 0n;
  private scan: MarketScan | null = null;
  private scanWindow = -1n;
  private scanAt = 0;
  private probes = new Map<number, ProbeMarket>();
  private probesWindow = -1n;
  /** Latency window of the last registration attempt (at most one per window). */
  private registerWindow = -1n;
  private probedAt = 0;
  /** Iterations completed (successful or not). */
  iterations = 0;

  constructor(readonly opts: DaemonOptions) {
    this.metrics = opts.metrics ?? new DaemonMetrics();
    this.programId = opts.programId ?? PROGRAM_ID;
    this.log = opts.log ?? jsonLogger();
    this.backoff = new Backoff(opts.backoffBaseMs ?? 500, opts.backoffCapMs ?? 30_000);
  }

  /** Runs until `signal` aborts (or one iteration with `once`). */
  async run(): Promise<void> {
    const { signal } = this.opts;
    const interval = this.opts.intervalMs ?? 2_000;
    this.log("info", "keeper_started", { authority: this.opts.authority.publicKey, program: this.programId, probe: this.opts.probe ?? false });
    while (!signal?.aborted) {
      const ok = await this.iterate();
      this.iterations++;
      if (this.opts.once) return;
      await sleep(ok ? interval : this.backoff.fail(), signal);
    }
    this.log("info", "keeper_stopped", { iterations: this.iterations });
  }

  /** One iteration; false when the chain could not be read (the caller backs off). */
  async iterate(): Promise<boolean> {
    let snap: KeeperSnapshot;
    try {
      const keeper = await this.ensureKeeper();
      snap = await keeper.snapshot();
    } catch (e) {
      this.metrics.ticks.inc({ outcome: "error" });
      this.metrics.rpcUp.set(0);
      this.log("warn", "chain_unavailable", { error: messageOf(e), consecutiveFailures: this.backoff.consecutiveFailures + 1 });
      return false;
    }
    this.backoff.reset();
    this.metrics.rpcUp.set(1);
    const keeper = this.keeper!;
    this.currentWindow = latencyWindowOf(snap.slot, snap.config);
    this.observeSnapshot(snap);

    if (!snap.keeper && this.opts.registerStake !== undefined && this.registerWindow !== this.currentWindow) {
      this.registerWindow = this.currentWindow;
      const res = await safeSend(keeper.chain, [registerKeeperInstruction(this.opts.authority.publicKey, this.opts.registerStake, this.programId)], [this.opts.authority]);
      this.log(res.ok ? "info" : "error", "keeper_registered", { stake: this.opts.registerStake, ok: res.ok, error: res.error });
      // The reports below need the keeper account the registration just created.
      if (res.ok) {
        snap = await keeper.snapshot().catch(() => snap);
        this.observeSnapshot(snap);
      }
    }

    await this.maybeScan(snap);
    if (this.opts.probe && Date.now() - this.probedAt >= (this.opts.probeIntervalMs ?? 0)) {
      this.probedAt = Date.now();
      await this.runProbes(snap);
    }
    await this.report(snap);

    const actions = await keeper.tick();
    for (const a of actions) this.record(a);
    this.metrics.ticks.inc({ outcome: "ok" });
    this.metrics.lastTick.set(Date.now() / 1_000);
    if (actions.length === 0) this.log("debug", "idle", { slot: snap.slot });
    return true;
  }

  /** The Keeper over a timed chain; needs the config (shard count) first. */
  private async ensureKeeper(): Promise<Keeper> {
    if (this.keeper) return this.keeper;
    const onRpcError = (op: "read" | "send", error: string): void => {
      this.metrics.rpcErrors.inc({ op });
      this.log("warn", "rpc_error", { op, error });
    };
    const account = await retry(() => this.opts.chain.getAccount(findConfigPda(this.programId)[0]), {
      attempts: this.opts.readAttempts ?? 3,
      baseMs: 200,
      capMs: 2_000,
      onError: (e) => onRpcError("read", messageOf(e)),
    });
    if (!account) throw new Error("Config account not found: is the program deployed and initialized?");
    const config = decodeConfig(account.data);
    const chain = timedChain(this.opts.chain, {
      programId: this.programId,
      shardCount: config.shardCount,
      ...(this.opts.sendTimeoutMs === undefined ? {} : { sendTimeoutMs: this.opts.sendTimeoutMs }),
      ...(this.opts.readAttempts === undefined ? {} : { readAttempts: this.opts.readAttempts }),
      hooks: { onRpcError, onShardWrite: (shards, us, ixs) => this.observeWrite(shards, us, ixs) },
    });
    this.keeper = new Keeper(chain, this.opts.authority, {
      programId: this.programId,
      ...(this.opts.maxMarkets === undefined ? {} : { maxMarkets: this.opts.maxMarkets }),
    });
    return this.keeper;
  }

  /** A confirmed transaction of ours wrote `shards` in `us` microseconds. */
  private observeWrite(shards: number[], us: number, instructions: TransactionInstruction[]): void {
    // An execute_rebalance's own send-to-confirm time: how long the markets were in flight.
    const isExecute = instructions.some((ix) => ix.programId.equals(this.programId) && ix.data.subarray(0, 8).equals(Buffer.from(EXECUTE_REBALANCE_DISCRIMINATOR)));
    if (isExecute) this.metrics.migrationDurationMs.observe(us / 1_000);
    const sample = Math.min(MAX_LATENCY_SAMPLE_US, Math.max(1, us));
    for (const shard of shards) {
      this.metrics.contentionUs.observe({ shard: String(shard) }, sample);
      this.keeper?.observeLatency(shard, sample);
      const own = this.keeper?.ownLatencyUs.get(shard);
      if (own !== undefined) this.metrics.ownLatencyUs.set({ shard: String(shard) }, own);
      const s = this.samples.get(shard);
      if (!s || s.window !== this.currentWindow) this.samples.set(shard, { window: this.currentWindow, sumUs: sample, count: 1 });
      else (s.sumUs += sample), s.count++;
    }
  }

  private observeSnapshot(snap: KeeperSnapshot): void {
    const m = this.metrics;
    m.slot.set(Number(snap.slot));
    m.stake.set(snap.keeper ? Number(snap.keeper.stake) : 0);
    m.keeperActive.set(snap.keeper?.active ? 1 : 0);
    for (const s of snap.shards) {
      const shard = String(s.shardId);
      m.hotMarkets.set({ shard }, s.hotMarkets.filter((h) => isFreshEntry(h, snap.config, snap.slot)).length);
      m.shardLoad.set({ shard }, Number(loadEmaAt(s.load, snap.slot)));
      m.shardOverThreshold.set({ shard }, isShardOverThreshold(s, snap.config, snap.slot) ? 1 : 0);
    }
  }

  /** Market scan + norm check, once per latency window or `marketScanMs`. */
  private async maybeScan(snap: KeeperSnapshot): Promise<void> {
    const connection = this.opts.connection;
    if (!connection) return;
    const due = this.scanWindow !== this.currentWindow || Date.now() - this.scanAt >= (this.opts.marketScanMs ?? 30_000);
    if (!due) return;
    try {
      this.scan = await scanMarkets(connection, this.programId);
    } catch (e) {
      this.metrics.rpcErrors.inc({ op: "read" });
      this.log("warn", "rpc_error", { op: "scan", error: messageOf(e) });
      return;
    }
    this.scanWindow = this.currentWindow;
    this.scanAt = Date.now();
    for (const [key, market] of this.scan.amm) {
      this.metrics.normChecks.inc();
      const why = normViolation(market);
      if (why) {
        this.metrics.normViolations.inc();
        this.log("error", "norm_violation", { market: key, reason: why, slot: snap.slot });
      }
    }
  }

  /** Probe writes (and probe registration once per window). */
  private async runProbes(snap: KeeperSnapshot): Promise<void> {
    const keeper = this.keeper!;
    if (this.probesWindow !== this.currentWindow || this.probes.size < (this.opts.probeShards?.length ?? snap.config.shardCount)) {
      try {
        const { probes, registered } = await ensureProbeMarkets(keeper.chain, this.opts.authority, snap.config.shardCount, this.programId, this.opts.probeShards);
        this.probes = probes;
        this.probesWindow = this.currentWindow;
        for (const r of registered) this.log(r.ok ? "info" : "warn", "probe_market_registered", { ok: r.ok, error: r.error, signature: r.signature });
      } catch (e) {
        this.log("warn", "probe_setup_failed", { error: messageOf(e) });
        return;
      }
    }
    for (const probe of this.probes.values()) {
      if (this.opts.probeShards && !this.opts.probeShards.includes(probe.shardId)) continue;
      const res = await probeWrite(keeper.chain, this.opts.authority, probe, collateralOf(snap.config), this.programId);
      if (!res.ok) {
        this.log("warn", "probe_failed", { shard: probe.shardId, error: res.error });
        // A rebalance may have moved it: find it again next iteration.
        if (res.error?.includes("AccountMismatch")) this.probesWindow = -1n;
      }
    }
  }

  /** The market a report on `shardId` names: the hottest on chain, else from the hot table or a probe. */
  private reportMarket(snap: KeeperSnapshot, shardId: number): Uint8Array | null {
    const scanned = this.scan ? hottestMarketOn(this.scan, shardId, snap.slot) : null;
    if (scanned) return scanned;
    const shard = snap.shards.find((s) => s.shardId === shardId);
    for (const h of shard?.hotMarkets ?? []) {
      if (!isFreshEntry(h, snap.config, snap.slot)) continue;
      const m = snap.markets.get(toHex(h.marketKey));
      if (m && m.shardId === shardId) return h.marketKey;
    }
    return this.probes.get(shardId)?.keypair.publicKey.toBytes() ?? null;
  }

  /** One report per shard and latency window, when this window has measurements of it. */
  private async report(snap: KeeperSnapshot): Promise<void> {
    const k = snap.keeper;
    if (!k || !k.active || k.stake < snap.config.minKeeperStake) return;
    const window = this.currentWindow;
    for (const [shardId, s] of this.samples) {
      if (s.window !== window || s.count === 0 || this.reported.get(shardId) === window) continue;
      const onChain = k.reportWindow === window + 1n && ((k.reportedShards[shardId >> 3] ?? 0) & (1 << (shardId & 7))) !== 0;
      if (onChain) {
        this.reported.set(shardId, window);
        continue;
      }
      const market = this.reportMarket(snap, shardId);
      if (!market) continue;
      const us = Math.min(MAX_LATENCY_SAMPLE_US, Math.max(1, Math.round(s.sumUs / s.count)));
      const action = await this.keeper!.reportContention(shardId, us, market);
      // A transport failure is retried next iteration; a program refusal is final for the window.
      const transport = !action.result.ok && action.result.signature === undefined && action.result.logs.length === 0;
      if (!transport) this.reported.set(shardId, window);
      this.record(action);
    }
  }

  /** Metrics and a log line for one keeper action. */
  private record(a: KeeperAction): void {
    const m = this.metrics;
    const result = a.kind === "read-error" ? "failed" : a.result.ok ? "ok" : "failed";
    switch (a.kind) {
      case "report":
        m.reports.inc({ shard: String(a.shardId), result });
        break;
      case "propose":
        m.proposals.inc({ result });
        break;
      case "vote":
        m.votes.inc({ vote: a.approve ? "yes" : "no", result });
        break;
      case "execute":
        m.migrations.inc({ result });
        break;
      case "close":
        m.closes.inc({ result });
        break;
      case "read-error":
        m.rpcErrors.inc({ op: "read" });
        break;
    }
    const fields: Record<string, unknown> = { action: a.kind, ok: result === "ok", text: describeAction(a) };
    if (a.kind !== "read-error") {
      if (a.result.signature) fields.signature = a.result.signature;
      if (!a.result.ok) fields.error = a.result.error;
    }
    if ("proposalId" in a) fields.proposalId = a.proposalId;
    if (a.kind === "vote") fields.approve = a.approve;
    if (a.kind === "report") Object.assign(fields, { shard: a.shardId, writeTimeUs: a.writeTimeUs, market: a.marketKey });
    if (a.kind === "propose" || a.kind === "execute") Object.assign(fields, { from: a.plan.from, to: a.plan.to, markets: a.plan.markets.map((k) => toHex(marketKeyBytes(k))) });
    this.log(result === "ok" ? "info" : "warn", "keeper_action", fields);
  }
}
