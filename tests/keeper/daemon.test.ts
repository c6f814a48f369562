/**
 * The keeper daemon's parts without a network (backoff, logs, norm check, timing wrapper,
 * metrics) and one daemon iteration on each embedded runtime: it registers its keeper, its probe
 * markets, measures its own shard writes, reports them and exports the metrics.
 */
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { Backoff, retry } from "../../sdk/src/daemon/backoff.js";
import { KeeperDaemon } from "../../sdk/src/daemon/daemon.js";
import { formatRecord, type LogLevel } from "../../sdk/src/daemon/log.js";
import { base58 } from "../../sdk/src/daemon/markets.js";
import { DaemonMetrics, serveMetrics } from "../../sdk/src/daemon/metrics.js";
import { metric, parseMetrics } from "../localnet/helpers.js";
import { normViolation } from "../../sdk/src/daemon/norm.js";
import { probeCandidates } from "../../sdk/src/daemon/probes.js";
import { isTransportFailure, timedChain, writtenShards } from "../../sdk/src/daemon/timedChain.js";
import { findShardPda, PROGRAM_ID } from "../../sdk/src/index.js";
import { normSqBudget } from "../../sdk/src/math/project.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES } from "../harness/runtime.js";
import { Sharding } from "../sharding/fixture.js";
import { runtimeChain } from "./chain.js";

describe("daemon parts", () => {
  it("backoff doubles up to its cap with jitter in [0.5, 1], and resets", () => {
    const b = new Backoff(100, 1_000, () => 1);
    expect([b.fail(), b.fail(), b.fail(), b.fail(), b.fail()]).toEqual([100, 200, 400, 800, 1_000]);
    b.reset();
    expect(b.fail()).toBe(100);
    expect(new Backoff(100, 1_000, () => 0).fail()).toBe(50);
  });

  it("retry retries, reports every failure, and rethrows the last", async () => {
    let calls = 0;
    const seen: number[] = [];
    const v = await retry(async () => (++calls < 3 ? Promise.reject(new Error("down")) : "up"), { attempts: 3, baseMs: 1, capMs: 2, onError: (_e, n) => seen.push(n) });
    expect([v, calls, seen]).toEqual(["up", 3, [1, 2]]);
    await expect(retry(async () => Promise.reject(new Error("still down")), { attempts: 2, baseMs: 1, capMs: 1 })).rejects.toThrow("still down");
  });

  it("logs one JSON object per line, bigints and keys as strings", () => {
    const line = formatRecord("info", "x", { n: 5n, key: PROGRAM_ID, bytes: Uint8Array.of(1, 255) }, new Date(0));
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ ts: "1970-01-01T00:00:00.000Z", level: "info", event: "x", n: "5", key: PROGRAM_ID.toBase58(), bytes: "01ff" });
  });

  it("base58 matches PublicKey's encoding, leading zeros included", () => {
    for (const bytes of [new Uint8Array(32), Uint8Array.from({ length: 32 }, (_, i) => i), PROGRAM_ID.toBytes()]) {
      expect(base58(bytes)).toBe(new PublicKey(bytes).toBase58());
    }
  });

  it("the norm check accepts a curve on the budget and flags one over it or outside [0, b]", () => {
    const k = 1_000_000n;
    const step = 1n;
    const budget = normSqBudget(k, step); // floor(3 k^2 / h): sum w_i f_i^2 may reach it
    // Five points, Simpson weights 1 4 2 4 1: a flat curve c has sum 12 c^2.
    let c = 1n;
    while (12n * (c + 1n) ** 2n <= budget) c++;
    const flat = (v: bigint): bigint[] => Array(5).fill(v);
    expect(normViolation({ curve: flat(c), k, b: c, step })).toBeNull();
    expect(normViolation({ curve: flat(c + 1n), k, b: c + 1n, step })).toMatch(/exceeds/);
    expect(normViolation({ curve: [1n, 2n, 3n, 2n, 1n], k, b: 2n, step })).toMatch(/outside \[0, b/);
  });

  it("timedChain times confirmed shard writes, retries reads, counts transport failures only", async () => {
    const shard2 = findShardPda(2, PROGRAM_ID)[0];
    const ix = new TransactionInstruction({ programId: PROGRAM_ID, keys: [{ pubkey: shard2, isSigner: false, isWritable: true }], data: Buffer.alloc(0) });
    const ro = new TransactionInstruction({ programId: PROGRAM_ID, keys: [{ pubkey: shard2, isSigner: false, isWritable: false }], data: Buffer.alloc(0) });
    const shardIds = new Map([[shard2.toBase58(), 2]]);
    expect([writtenShards([ix], shardIds), writtenShards([ro], shardIds)]).toEqual([[2], []]);

    const writes: [number[], number][] = [];
    const errors: string[] = [];
    let reads = 0;
    let mode: "ok" | "program" | "transport" | "hang" = "ok";
    const chain = timedChain(
      {
        async getAccount() {
          if (++reads < 3) throw new Error("ECONNREFUSED");
          return null;
        },
        getSlot: async () => 1n,
        async send() {
          await new Promise((r) => setTimeout(r, 5));
          if (mode === "program") return { ok: false, signature: "s", logs: ["Program failed"], error: "custom" };
          if (mode === "transport") throw new Error("fetch failed");
          if (mode === "hang") return new Promise(() => {});
          return { ok: true, logs: [] };
        },
      },
      { programId: PROGRAM_ID, shardCount: 4, readRetryBaseMs: 1, sendTimeoutMs: 500, hooks: { onShardWrite: (s, us) => writes.push([s, us]), onRpcError: (op) => errors.push(op) } },
    );
    expect(await chain.getAccount(PROGRAM_ID)).toBeNull();
    expect(errors).toEqual(["read", "read"]);
    expect((await chain.send([ix], [])).ok).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]![0]).toEqual([2]);
    expect(writes[0]![1]).toBeGreaterThanOrEqual(4_000);
    mode = "program";
    expect(isTransportFailure(await chain.send([ix], []))).toBe(false);
    mode = "transport";
    expect(isTransportFailure(await chain.send([ix], []))).toBe(true);
    mode = "hang";
    expect((await chain.send([ix], [])).error).toMatch(/not confirmed within 500 ms/);
    expect(errors).toEqual(["read", "read", "send", "send"]);
    expect(writes).toHaveLength(1);
  });

  it("serves /metrics in the text format (404 elsewhere) and closes with scrapers connected", async () => {
    const metrics = new DaemonMetrics();
    metrics.contentionUs.observe({ shard: "3" }, 2_000);
    metrics.stake.set(7);
    const server = await serveMetrics(metrics.registry, 0);
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const m = parseMetrics(await res.text());
    expect(m.types.get("continuum_shard_contention_us")).toBe("histogram");
    expect(metric(m, "continuum_shard_contention_us_bucket", { shard: "3", le: "1500" })).toBe(0);
    expect(metric(m, "continuum_shard_contention_us_bucket", { shard: "3", le: "2500" })).toBe(1);
    expect(metric(m, "continuum_keeper_stake_lamports")).toBe(7);
    expect(metric(m, "continuum_migrations_total", { result: "failed" })).toBe(0);
    expect(m.types.get("process_cpu_user_seconds_total")).toBe("counter");
    expect((await fetch(`http://127.0.0.1:${server.port}/nope`)).status).toBe(404);
    await server.close();
  });

  it("probe keys are derived from the keeper's key: stable across restarts, usable", () => {
    const kp = Keypair.generate();
    const a = probeCandidates(kp, 6, PROGRAM_ID).map((k) => k.publicKey.toBase58());
    expect(probeCandidates(kp, 6, PROGRAM_ID).map((k) => k.publicKey.toBase58())).toEqual(a);
    expect(new Set(a).size).toBe(6);
  });
});

/** Metric samples of a registry as `name{labels}` -> value. */
async function samples(metrics: DaemonMetrics): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    for (const v of m.values) {
      const labels = Object.entries(v.labels).map(([k, l]) => `${k}="${l}"`).join(",");
      out.set(`${"metricName" in v && v.metricName ? v.metricName : m.name}${labels ? `{${labels}}` : ""}`, v.value);
    }
  }
  return out;
}

describe.each(RUNTIME_NAMES)("keeper daemon on %s", (runtimeName) => {
  it("one iteration registers, probes every shard, reports what it measured, exports metrics", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, { shardCount: 4 });
    const authority = await fundedKeypair(rt, 100n);
    const records: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];
    const metrics = new DaemonMetrics({ defaultMetrics: false });
    const daemon = new KeeperDaemon({
      chain: runtimeChain(rt),
      authority,
      metrics,
      probe: true,
      registerStake: 2_000_000_000n,
      once: true,
      log: (level, event, fields = {}) => records.push({ level, event, fields }),
    });
    await daemon.run();
    const keeper = await s.keeper(authority.publicKey);
    expect(keeper.stake).toBe(2_000_000_000n);
    const m = await samples(metrics);
    for (let shard = 0; shard < 4; shard++) {
      expect(m.get(`continuum_shard_contention_us_count{shard="${shard}"}`)).toBeGreaterThanOrEqual(1);
      expect(m.get(`continuum_contention_reports_total{shard="${shard}",result="ok"}`)).toBe(1);
      expect((await s.shard(shard)).latencyCurrent.reportedStake).toBe(2_000_000_000n);
    }
    expect(m.get("continuum_rpc_up")).toBe(1);
    expect(m.get('continuum_keeper_ticks_total{outcome="ok"}')).toBe(1);
    expect(records.some((r) => r.event === "keeper_action" && r.fields.action === "report")).toBe(true);
  });
});

describe("localnet command line without a network", () => {
  it("status of a ledger with nothing running says so (exit 3, JSON); bad subcommands are usage errors", async () => {
    const { main } = await import("../../sdk/src/cli.js");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(os.tmpdir(), "continuum-status-"));
    const out: string[] = [];
    const errors: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void errors.push(t) };
    try {
      expect(await main(["localnet", "status", "--ledger", dir, "--json"], io)).toBe(3);
      expect(await main(["localnet"], io)).toBe(1);
      expect(await main(["localnet", "frobnicate"], io)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(errors.join("\n")).toMatch(/frobnicate/);
    expect(JSON.parse(out[0]!)).toMatchObject({ running: false, healthy: false, pid: null, programDeployed: false });
  });
});
