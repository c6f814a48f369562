/** `continuum shard status|assign`. */
import { PublicKey } from "@solana/web3.js";
import { Command } from "commander";
import { formatAmount } from "../collateral.js";
import { formatFixed, formatSol, formatTable } from "../keeper/format.js";
import { readSnapshot } from "../keeper/snapshot.js";
import { findMarketPda, findShardPda } from "../pda.js";
import { assignShard } from "../sharding/assign.js";
import { latencyMeanUs, latencyWindowOf, recentHotStake } from "../sharding/latency.js";
import { loadEmaAt } from "../sharding/load.js";
import { isFreshEntry, isLoadOverThreshold, isShardOverThreshold } from "../sharding/rebalance.js";
import { parseIntIn, parseMarketKey } from "./args.js";
import { action, str, type CliEnv } from "./command.js";
import { CliError } from "./errors.js";

/** One shard as `shard status` shows it. */
export interface ShardView {
  shard: number;
  address: string;
  vault: string;
  markets: bigint;
  collateral: bigint;
  /** Write load EMA at the slot read (writes per slot x 1,000), and its peak (writes in one slot). */
  loadEmaMilli: bigint;
  peakWritesPerSlot: bigint;
  totalWrites: bigint;
  loadOverThreshold: boolean;
  /** Stake-weighted mean of the keepers' latency reports, this window and the previous (us). */
  latencyMeanUs: bigint;
  latencyPreviousMeanUs: bigint;
  latencyPeakUs: bigint;
  latencySamples: bigint;
  /** Stake that reported the shard hot in this or the previous window (lamports). */
  hotStake: bigint;
  /** The program's rule for a rebalance source: load over threshold AND the latency quorum. */
  overThreshold: boolean;
  migratedIn: bigint;
  migratedOut: bigint;
  /** Reported hottest markets still fresh, hottest (by on-chain load) first. */
  hottest: { marketKey: string; market: string; loadEmaMilli: bigint; latencyUs: number }[];
}

export function shardCommands(env: CliEnv): Command {
  const shard = new Command("shard").description("shards: write load, keeper latency, hottest markets; market assignment");
  shard
    .command("status")
    .description("every shard (or one): markets, collateral, load EMA and peak, latency, hottest markets")
    .option("--shard <id>", "only this shard")
    .action(
      action(env, async (ctx, _a, opts) => {
        const snap = await readSnapshot(ctx.reader, { programId: ctx.programId });
        const c = snap.config;
        const only = str(opts, "shard") === undefined ? undefined : parseIntIn(str(opts, "shard")!, "--shard", 0, c.shardCount - 1);
        const window = latencyWindowOf(snap.slot, c);
        const shards: ShardView[] = snap.shards
          .filter((s) => only === undefined || s.shardId === only)
          .map((s) => ({
            shard: s.shardId,
            address: findShardPda(s.shardId, ctx.programId)[0].toBase58(),
            vault: s.vault.toBase58(),
            markets: s.marketCount,
            collateral: s.collateralAmount,
            loadEmaMilli: loadEmaAt(s.load, snap.slot),
            peakWritesPerSlot: s.peakWritesPerSlot,
            totalWrites: s.totalWrites,
            loadOverThreshold: isLoadOverThreshold(s, c, snap.slot),
            latencyMeanUs: latencyMeanUs(s.latencyCurrent),
            latencyPreviousMeanUs: latencyMeanUs(s.latencyPrevious),
            latencyPeakUs: s.latencyPeakUs,
            latencySamples: s.latencySamples,
            hotStake: recentHotStake(s, window),
            overThreshold: isShardOverThreshold(s, c, snap.slot),
            migratedIn: s.migratedIn,
            migratedOut: s.migratedOut,
            hottest: s.hotMarkets
              .filter((h) => isFreshEntry(h, c, snap.slot))
              .sort((a, b) => (b.loadEmaMilli > a.loadEmaMilli ? 1 : b.loadEmaMilli < a.loadEmaMilli ? -1 : 0))
              .map((h) => ({ marketKey: new PublicKey(h.marketKey).toBase58(), market: findMarketPda(h.marketKey, ctx.programId)[0].toBase58(), loadEmaMilli: h.loadEmaMilli, latencyUs: h.latencyUs })),
          }));
        if (only !== undefined && shards.length === 0) throw new CliError(`shard ${only} is not initialized`);
        const result = { slot: snap.slot, shardCount: c.shardCount, loadThresholdMilliWrites: c.loadThresholdMilliWrites, contentionThresholdUs: c.contentionThresholdUs, shards };
        return {
          result,
          text: (r: typeof result) => {
            const table = formatTable(
              ["shard", "markets", "collateral", "load EMA (w/slot)", "peak (w/slot)", "latency mean (us)", "latency peak (us)", "hot stake (SOL)", "over threshold", "hottest markets"],
              r.shards.map((s) => [
                s.shard.toString(),
                s.markets.toString(),
                formatAmount(s.collateral, c.collateralDecimals),
                formatFixed(s.loadEmaMilli, 3),
                s.peakWritesPerSlot.toString(),
                s.latencyMeanUs.toString(),
                s.latencyPeakUs.toString(),
                formatSol(s.hotStake),
                s.overThreshold ? "YES" : "no",
                s.hottest.map((h) => `${h.marketKey.slice(0, 8)}… (${formatFixed(h.loadEmaMilli, 3)})`).join(", ") || "-",
              ]),
            );
            return `slot ${r.slot}; load threshold ${formatFixed(r.loadThresholdMilliWrites, 3)} writes/slot; contention threshold ${r.contentionThresholdUs} us\n\n${table}`;
          },
        };
      }),
    );
  shard
    .command("assign")
    .description("the shard a market key is assigned to: keccak256(key)[0] % shard count")
    .argument("<key>", "market key (base58 or 64 hex digits)")
    .option("--shard-count <n>", "shard count (default: the config's, read from --url)")
    .action(
      action(env, async (ctx, [keyArg], opts) => {
        const key = parseMarketKey(keyArg!);
        const shardCount = str(opts, "shardCount") !== undefined ? parseIntIn(str(opts, "shardCount")!, "--shard-count", 1, 255) : (await ctx.config()).shardCount;
        const result = { marketKey: new PublicKey(key).toBase58(), shardCount, shard: assignShard(key, shardCount), market: findMarketPda(key, ctx.programId)[0].toBase58() };
        return { result, text: (r: typeof result) => r.shard.toString() };
      }),
    );
  return shard;
}
