/**
 * The keeper daemon's Prometheus metrics (prom-client), in a registry of their own so two
 * daemons in one process (tests) never share counters.
 *
 * Latencies are the daemon's own send-to-confirm times of transactions that write a shard
 * (microseconds, as the program's `report_contention` takes them); bucket edges straddle the
 * default contention threshold (1,500 us) and reach the largest sample the program accepts
 * (one 400 ms slot).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

const LATENCY_BUCKETS_US = [250, 500, 1_000, 1_500, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 200_000, 400_000];
const MIGRATION_BUCKETS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

/** Every metric the daemon exports. */
export class DaemonMetrics {
  readonly registry = new Registry();

  readonly contentionUs = new Histogram({
    name: "continuum_shard_contention_us",
    help: "Send-to-confirm time of this keeper's own transactions that write the shard, microseconds",
    labelNames: ["shard"],
    buckets: LATENCY_BUCKETS_US,
    registers: [this.registry],
  });
  readonly ownLatencyUs = new Gauge({
    name: "continuum_shard_own_latency_us",
    help: "This keeper's latency estimate of the shard (EMA of its measurements, what its votes use), microseconds",
    labelNames: ["shard"],
    registers: [this.registry],
  });
  readonly reports = new Counter({
    name: "continuum_contention_reports_total",
    help: "report_contention transactions sent, by shard and result",
    labelNames: ["shard", "result"],
    registers: [this.registry],
  });
  readonly proposals = new Counter({
    name: "continuum_rebalance_proposals_total",
    help: "propose_rebalance transactions sent, by result",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly votes = new Counter({
    name: "continuum_rebalance_votes_total",
    help: "vote_rebalance transactions sent, by vote and result",
    labelNames: ["vote", "result"],
    registers: [this.registry],
  });
  readonly migrations = new Counter({
    name: "continuum_migrations_total",
    help: "execute_rebalance transactions sent (a migration of markets between shards), by result",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly migrationDurationMs = new Histogram({
    name: "continuum_migration_duration_ms",
    help: "Send-to-confirm time of successful execute_rebalance transactions, milliseconds",
    buckets: MIGRATION_BUCKETS_MS,
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: "continuum_proposal_closes_total",
    help: "close_proposal transactions sent, by result",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly hotMarkets = new Gauge({
    name: "continuum_hot_markets",
    help: "Fresh entries (this latency window or the last) in the shard's hottest-markets table",
    labelNames: ["shard"],
    registers: [this.registry],
  });
  readonly shardLoad = new Gauge({
    name: "continuum_shard_load_milli_writes",
    help: "The shard's on-chain write-load EMA (writes per slot x 1,000) at the last snapshot",
    labelNames: ["shard"],
    registers: [this.registry],
  });
  readonly shardOverThreshold = new Gauge({
    name: "continuum_shard_over_threshold",
    help: "1 when the program counts the shard as over threshold (load AND latency quorum), else 0",
    labelNames: ["shard"],
    registers: [this.registry],
  });
  readonly rpcErrors = new Counter({
    name: "continuum_rpc_errors_total",
    help: "Failed RPC calls (reads, sends, confirmations), counting every retry",
    labelNames: ["op"],
    registers: [this.registry],
  });
  readonly rpcUp = new Gauge({
    name: "continuum_rpc_up",
    help: "1 when the last snapshot read succeeded, else 0",
    registers: [this.registry],
  });
  readonly stake = new Gauge({
    name: "continuum_keeper_stake_lamports",
    help: "This keeper's staked lamports (0 when unregistered)",
    registers: [this.registry],
  });
  readonly keeperActive = new Gauge({
    name: "continuum_keeper_active",
    help: "1 when this keeper is registered and active, else 0",
    registers: [this.registry],
  });
  readonly ticks = new Counter({
    name: "continuum_keeper_ticks_total",
    help: "Daemon iterations, by outcome (ok: snapshot read and policy run; error: RPC unavailable)",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly lastTick = new Gauge({
    name: "continuum_keeper_last_tick_timestamp_seconds",
    help: "Unix time of the last successful iteration",
    registers: [this.registry],
  });
  readonly slot = new Gauge({
    name: "continuum_chain_slot",
    help: "Slot of the last snapshot",
    registers: [this.registry],
  });
  readonly normViolations = new Counter({
    name: "continuum_norm_violations_total",
    help: "AMM market reads whose curve fails the invariant ||f||^2 <= k^2 or 0 <= f_i <= b",
    registers: [this.registry],
  });
  readonly normChecks = new Counter({
    name: "continuum_norm_checks_total",
    help: "AMM market reads checked against the invariant",
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    // Process metrics (CPU, memory, event loop lag) help tell a stuck keeper from a slow RPC.
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Export the counters at 0 from the start, so rate() and alerts see them before any event.
    for (const result of ["ok", "failed"]) {
      this.proposals.inc({ result }, 0);
      this.migrations.inc({ result }, 0);
      this.closes.inc({ result }, 0);
    }
    for (const op of ["read", "send", "socket"]) this.rpcErrors.inc({ op }, 0);
    this.normViolations.inc(0);
    this.normChecks.inc(0);
  }
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Serves `registry` at `GET /metrics` (and `GET /healthz`) on `host:port`. */
export async function serveMetrics(registry: Registry, port: number, host = "127.0.0.1"): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/metrics") {
      registry.metrics().then(
        (body) => res.writeHead(200, { "Content-Type": registry.contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    } else if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok\n");
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // scrapers' keep-alive sockets would hold close() open
      }),
  };
}
