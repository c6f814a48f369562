/** Plain-text rendering for terminals: aligned tables, the sharding status, a quote. */
import type { PublicKey } from "@solana/web3.js";
import { formatAmount } from "../collateral.js";
import type { AmmMarketAccount } from "../accounts/amm.js";
import { BPS_SCALE } from "../constants.js";
import type { RangeBetQuote } from "../math/quote.js";
import { loadEmaAt, LOAD_MILLI } from "../sharding/load.js";
import { latencyMeanUs, latencyWindowOf, recentHotStake } from "../sharding/latency.js";
import { isFreshEntry, isShardOverThreshold } from "../sharding/rebalance.js";
import { proposalPhase } from "./policy.js";
import type { KeeperSnapshot } from "./snapshot.js";

/** Column alignment: left or right. */
export type Align = "l" | "r";

/**
 * An aligned table: a header row, a dashed rule, then the rows. Columns are separated by two
 * spaces; `align` defaults to left for the first column and right for the others.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, c) => {
        const cell = cells[c] ?? "";
        return (align[c] ?? (c === 0 ? "l" : "r")) === "l" ? cell.padEnd(w) : cell.padStart(w);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A fixed-point value `v / 10^decimals` with all decimals (`1500000000n, 9` -> "1.500000000"). */
export function formatFixed(v: bigint, decimals: number): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const scale = 10n ** BigInt(decimals);
  const frac = decimals > 0 ? `.${(a % scale).toString().padStart(decimals, "0")}` : "";
  return `${neg ? "-" : ""}${a / scale}${frac}`;
}

/** Lamports as SOL with 9 decimals. */
export function formatSol(lamports: bigint): string {
  return formatFixed(lamports, 9);
}

/** A 1e9 fixed-point probability as a percentage with 4 decimals. */
export function formatProbability1e9(p: bigint): string {
  return `${formatFixed(p / 1_000n, 4)}%`;
}

/** Config summary, shards table and the proposals still on chain. */
export function renderStatus(snap: KeeperSnapshot): string {
  const c = snap.config;
  const config = formatTable(
    ["config", "value"],
    [
      ["slot", snap.slot.toString()],
      ["admin", c.admin.toBase58()],
      ["shards", c.shardCount.toString()],
      ["markets", c.marketCount.toString()],
      ["proposals made", c.proposalCount.toString()],
      ["contention threshold", `${c.contentionThresholdUs} us`],
      ["load threshold", `${formatFixed(c.loadThresholdMilliWrites, 3)} writes/slot`],
      ["vote threshold", `${formatFixed(BigInt(c.voteThresholdBps), 2)}%`],
      ["voting window", `${c.votingWindowSlots} slots`],
      ["execution window", `${c.executionWindowSlots} slots`],
      ["latency quorum", `${formatFixed(BigInt(c.latencyQuorumBps), 2)}% of active stake`],
      ["proposal cooldown", `${c.proposalCooldownSlots} slots (per keeper)`],
      ["keepers registered", c.keeperCount.toString()],
      ["min keeper stake", `${formatSol(c.minKeeperStake)} SOL`],
      ["active keeper stake", `${formatSol(c.totalActiveStake)} SOL`],
      ["collateral mint", `${c.collateralMint.toBase58()} (${c.collateralDecimals} decimals)`],
    ],
    ["l", "l"],
  );
  const shards = formatTable(
    ["shard", "markets", "collateral (tokens)", "load EMA (w/slot)", "latency mean (us)", "hot stake (SOL)", "latency peak (us)", "hot markets", "over threshold"],
    snap.shards.map((s) => [
      s.shardId.toString(),
      s.marketCount.toString(),
      formatAmount(s.collateralAmount, c.collateralDecimals),
      formatFixed(loadEmaAt(s.load, snap.slot), LOAD_MILLI.toString().length - 1),
      latencyMeanUs(s.latencyCurrent).toString(),
      formatSol(recentHotStake(s, latencyWindowOf(snap.slot, c))),
      s.latencyPeakUs.toString(),
      s.hotMarkets.filter((h) => isFreshEntry(h, c, snap.slot)).length.toString(),
      isShardOverThreshold(s, c, snap.slot) ? "YES" : "no",
    ]),
  );
  const parts = [config, shards];
  if (snap.proposals.length > 0) {
    parts.push(
      formatTable(
        ["proposal", "from", "to", "markets", "yes (SOL)", "no (SOL)", "yes share", "voting ends", "phase"],
        snap.proposals.map((p) => {
          const a = p.account;
          const share = a.snapshotTotalStake === 0n ? 0n : (a.yesStake * BPS_SCALE * 100n) / a.snapshotTotalStake;
          return [
            `#${p.id}`,
            a.fromShard.toString(),
            a.toShard.toString(),
            a.markets.length.toString(),
            formatSol(a.yesStake),
            formatSol(a.noStake),
            `${formatFixed(share, 4)}%`,
            a.votingEndSlot.toString(),
            proposalPhase(a, snap.slot),
          ];
        }),
      ),
    );
  }
  return parts.join("\n\n");
}

/**
 * A quote as a two-column table. Amounts are base units of the collateral mint, shown with
 * its `decimals` too.
 */
export function renderQuote(
  address: PublicKey,
  market: AmmMarketAccount,
  amount: bigint,
  range: { i0: number; i1: number },
  q: RangeBetQuote,
  decimals: number,
): string {
  const outcome = (i: number): string => (market.lo + market.step * BigInt(i)).toString();
  const units = (v: bigint): string => `${v} base units (${formatAmount(v, decimals)} tokens)`;
  return formatTable(
    ["quote", "value"],
    [
      ["market", address.toBase58()],
      ["shard", market.shardId.toString()],
      ["range", `[${outcome(range.i0)}, ${outcome(range.i1)}] (grid ${range.i0}..=${range.i1} of ${market.nPoints})`],
      ["amount", units(amount)],
      ["collateral", units(q.collateral)],
      ["payoff if in range (min)", units(q.payoffInRange)],
      ["payoff if out of range (max)", units(q.payoffOutOfRange)],
      ["probability before", formatProbability1e9(q.probabilityBefore)],
      ["probability after", formatProbability1e9(q.probabilityAfter)],
      ["expected cost", units(q.expectedCost)],
      ["t (bump)", q.t.toString()],
      ["c (canonical scale)", q.c.toString()],
    ],
    ["l", "l"],
  );
}
