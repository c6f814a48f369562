/**
 * SDK throughput: `assignShard`, quotes (`quoteRangeBet`, `priceDistributionBet`) at N = 11,
 * 101, 615, account decoding (Market header, AMM Market, Shard, Position), and the keeper's
 * reads over 21,000 markets on the embedded runtime (LiteSVM): its tick snapshot and the
 * daemon's program-wide market scan.
 *
 *   npx tsx scripts/bench-sdk.ts [--markets 21000]
 *
 * Writes the `bench-sdk` section of docs/scale.md and docs/bench-sdk.json. A benchmark, not a
 * test: nothing here asserts a time.
 */
import { sha256 } from "@noble/hashes/sha2";
import { PublicKey, type Connection } from "@solana/web3.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  assignShard,
  decodeAmmMarket,
  decodeMarketHeader,
  decodePosition,
  decodeShard,
  editedDistribution,
  findMarketPda,
  findPositionPda,
  findShardPda,
  isShardOverThreshold,
  MARKET_OFFSETS,
  PROGRAM_ID,
  priceDistributionBet,
  quoteRangeBet,
  registerMarketInstruction,
  type AmmMarketAccount,
} from "../sdk/src/index.js";
import { hottestMarketOn, scanMarkets } from "../sdk/src/daemon/markets.js";
import { Keeper, planRebalance, readSnapshot, toHex, type KeeperSnapshot } from "../sdk/src/keeper/index.js";
import { project } from "../sdk/src/math/project.js";
import { latencyWindowOf } from "../sdk/src/sharding/latency.js";
import { timeAsync, timeBatches, type Timing } from "./bench/timing.js";
import { createAmmMarkets, derivedKeypair, marketKeypairs } from "./scale/markets.js";
import { renderClaims, renderContention } from "./scale/claims.js";
import { machineLine, spliceSection } from "./scale/report.js";
import { World } from "./scale/world.js";

const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));
const i = process.argv.indexOf("--markets");
const MARKETS = i > 0 ? Number(process.argv[i + 1]) : 21_000;
const SHARDS = 8;

interface Row {
  what: string;
  timing: Timing;
  /** Calls per second at the median. */
  perSecond: number;
  note?: string;
}
const rows: Row[] = [];
function add(what: string, timing: Timing, note?: string): void {
  rows.push({ what, timing, perSecond: 1e6 / timing.medianUs, ...(note ? { note } : {}) });
  process.stderr.write(`${what}: median ${timing.medianUs.toFixed(2)} us, best ${timing.bestUs.toFixed(2)} us\n`);
}

const w = await World.create({ shards: SHARDS, capPerShard: 10, votingWindowSlots: 16n, keepers: 1, traders: 1, keypair: (l, n) => derivedKeypair(7, l, n) });
w.ledger.begin("bench");

// assignShard over 10,000 distinct keys (keccak256 + modulo, as the program does).
const keys = Array.from({ length: 10_000 }, (_, n) => sha256(new TextEncoder().encode(`key ${n}`)));
let k = 0;
add("assignShard (keccak256 of a 32-byte key, % 8)", timeBatches(() => assignShard(keys[k++ % keys.length]!, SHARDS), 10_000, 41, 20_000));

// Quotes on real on-chain markets (created through the program, decoded from the runtime).
const amm = new Map<number, AmmMarketAccount>();
let slot = 1n;
for (const n of [11, 101, 615]) {
  const { markets, slot: s } = await createAmmMarkets(w, marketKeypairs(7, `amm${n}`, 1), n, () => 0.5, slot, true);
  slot = s;
  amm.set(n, decodeAmmMarket((await w.rt.getAccount(markets[0]!.address))!.data));
}
const trader = w.traders[0]!;
for (const [n, m] of amm) {
  const i0 = Math.floor(n * 0.55);
  const i1 = Math.max(i0 + 1, Math.floor(n * 0.65));
  const amount = m.b / 100n;
  const address = findMarketPda(m.marketKey)[0];
  add(`quoteRangeBet, N = ${n} (bet b/100 on 10% of the grid)`, timeBatches(() => quoteRangeBet(m.curve, { b: m.b, budget: m.normSqBudget, i0, i1, amount }), 50, 41, 200));
  add(
    `priceDistributionBet, N = ${n} (quote + trade instruction)`,
    timeBatches(() => priceDistributionBet(m, address, trader.publicKey, amount, { i0, i1 }, w.rt.collateral), 50, 41, 200),
  );
}

// One real trade for a Position account, one real registration for a plain Market account.
const m101 = amm.get(101)!;
const m101Address = findMarketPda(m101.marketKey)[0];
// The quote is the collateral; the 30 bps fee comes on top, so allow for it in max_in.
const priced = priceDistributionBet(m101, m101Address, trader.publicKey, m101.b / 100n, { i0: 50, i1: 60 }, w.rt.collateral, { maxCollateral: m101.b / 50n });
await w.send([priced.instruction], [trader]);
const [registered] = marketKeypairs(7, "registered", 1);
await w.send([registerMarketInstruction(w.authority.publicKey, registered!, SHARDS)], [w.authority, registered!]);
const registeredData = (await w.rt.getAccount(findMarketPda(registered!.publicKey.toBytes())[0]))!.data;
const data = {
  market: registeredData,
  amm11: (await w.rt.getAccount(findMarketPda(amm.get(11)!.marketKey)[0]))!.data,
  amm101: (await w.rt.getAccount(m101Address))!.data,
  amm615: (await w.rt.getAccount(findMarketPda(amm.get(615)!.marketKey)[0]))!.data,
  shard: (await w.rt.getAccount(findShardPda(0)[0]))!.data,
  position: (await w.rt.getAccount(findPositionPda(m101Address, trader.publicKey)[0]))!.data,
};
add(`decodeMarketHeader (registered Market, ${data.market.length} bytes)`, timeBatches(() => decodeMarketHeader(data.market), 2_000, 41, 5_000));
add(`decodeAmmMarket, N = 11 (${data.amm11.length} bytes)`, timeBatches(() => decodeAmmMarket(data.amm11), 500, 41, 2_000));
add(`decodeAmmMarket, N = 101 (${data.amm101.length} bytes)`, timeBatches(() => decodeAmmMarket(data.amm101), 200, 41, 1_000));
add(`decodeAmmMarket, N = 615 (${data.amm615.length} bytes)`, timeBatches(() => decodeAmmMarket(data.amm615), 50, 41, 200));
add(`decodeShard (${data.shard.length} bytes)`, timeBatches(() => decodeShard(data.shard), 2_000, 41, 5_000));
add(`decodePosition, N = 101 (${data.position.length} bytes)`, timeBatches(() => decodePosition(data.position), 500, 41, 2_000));

// 21,000 Market accounts on the runtime: copies of the real registered market's bytes with
// their own key, assigned shard and load meter (writing them directly takes a second; 21,000
// register_market transactions take minutes: docs/scale.md's scale run does that).
const addresses: PublicKey[] = [];
for (let n = 0; n < MARKETS; n++) {
  const key = sha256(new TextEncoder().encode(`bench market ${n}`));
  const bytes = Uint8Array.from(registeredData);
  const view = new DataView(bytes.buffer);
  bytes.set(key, MARKET_OFFSETS.marketKey);
  bytes[MARKET_OFFSETS.shardId] = assignShard(key, SHARDS);
  view.setBigUint64(MARKET_OFFSETS.load, w.absolute(slot), true);
  view.setBigUint64(MARKET_OFFSETS.load + 8, BigInt(n % 7), true);
  view.setBigUint64(MARKET_OFFSETS.load + 16, BigInt((n * 7919) % 10_000), true);
  const address = new PublicKey(sha256(key));
  await w.rt.setAccount(address, { lamports: 1_000_000_000n, owner: PROGRAM_ID, data: bytes });
  addresses.push(address);
}
const total = addresses.length + 3;
for (const m of amm.values()) addresses.push(findMarketPda(m.marketKey)[0]);
const accountsFromRuntime = async (): Promise<{ pubkey: PublicKey; account: { data: Buffer } }[]> => {
  const out = [];
  for (const pubkey of addresses) out.push({ pubkey, account: { data: Buffer.from((await w.rt.getAccount(pubkey))!.data) } });
  return out;
};
const prefetched = await accountsFromRuntime();
const runtimeConnection = { getProgramAccounts: accountsFromRuntime } as unknown as Connection;
const memoryConnection = { getProgramAccounts: async () => prefetched } as unknown as Connection;
const chain = w.chain();
add(`keeper tick snapshot (readSnapshot: config, ${SHARDS} shards, proposals, hot markets) with ${total} markets on chain`, await timeAsync(() => readSnapshot(chain), 41, 5), "O(shards): independent of the market count");
add(`daemon market scan of ${total} markets: runtime reads + decode`, await timeAsync(() => scanMarkets(runtimeConnection, PROGRAM_ID), 7, 1), "stands in for getProgramAccounts (LiteSVM has no RPC)");
const scan = await scanMarkets(memoryConnection, PROGRAM_ID);
if (scan.headers.size !== total || scan.undecodable !== 0) throw new Error(`scan decoded ${scan.headers.size} of ${total} markets`);
add(`daemon market scan of ${total} markets: decode only (accounts in memory)`, await timeAsync(() => scanMarkets(memoryConnection, PROGRAM_ID), 11, 2));
add(`hottest market of each of ${SHARDS} shards over the scan`, timeBatches(() => { for (let s = 0; s < SHARDS; s++) hottestMarketOn(scan, s, w.absolute(slot)); }, 1, 21, 3));

// The seed's "contention check" (a rolling-average update) and "rebalance proposal" (hot-market
// analysis): the keeper's own-latency EMA update, the program's over-threshold rule, and the
// keeper's whole proposal plan on a snapshot in which shard 0 is hot (its load, latency tally
// and 4 fresh hot-table entries set in the decoded snapshot).
const keeper = new Keeper(chain, w.keeperKeys[0]!);
let us = 0;
add("Keeper.observeLatency (own-latency EMA update)", timeBatches(() => keeper.observeLatency(us++ % SHARDS, 1_000 + (us % 5_000)), 10_000, 41, 20_000));
const snap = await readSnapshot(chain, { keeper: w.keeperKeys[0]!.publicKey });
const window = latencyWindowOf(snap.slot, snap.config);
const onZero = [...scan.headers.values()].filter((h) => h.shardId === 0).slice(0, 4);
const hotSnap: KeeperSnapshot = {
  ...snap,
  markets: new Map(onZero.map((h) => [toHex(h.marketKey), h])),
  shards: snap.shards.map((sh) =>
    sh.shardId !== 0
      ? sh
      : {
          ...sh,
          load: { slot: snap.slot, writesInSlot: 0n, emaMilli: snap.config.loadThresholdMilliWrites * 3n },
          latencyWindow: window,
          latencyCurrent: { ...sh.latencyCurrent, hotStake: snap.config.totalActiveStake, reportedStake: snap.config.totalActiveStake },
          hotMarkets: onZero.map((h, j) => ({ marketKey: h.marketKey, loadEmaMilli: 1_000n + BigInt(j), window: Number(window) + 1, latencyUs: 6_000 })),
        },
  ),
};
const hot = hotSnap.shards[0]!;
add("isShardOverThreshold (the program's source rule: load AND latency quorum)", timeBatches(() => isShardOverThreshold(hot, hotSnap.config, hotSnap.slot), 10_000, 41, 20_000));
if (!planRebalance(hotSnap, 8)) throw new Error("the hot snapshot gives no plan");
add(`planRebalance (hot-market analysis over ${SHARDS} shards, up to 8 markets)`, timeBatches(() => planRebalance(hotSnap, 8), 1_000, 41, 2_000));

// The seed's "norm enforcement" and "distribution edit": the canonical projection of a bumped
// curve (the exact c with ||g||^2 <= k^2 < ||g(c+1)||^2), and the SDK's preview of a drag.
for (const [n, m] of amm) {
  const h = m.curve.map((v, j) => (j >= Math.floor(n * 0.55) && j <= Math.floor(n * 0.65) ? v + m.b / 100n : v));
  add(`project (canonical scale of a bumped curve), N = ${n}`, timeBatches(() => project(h, m.b, m.normSqBudget), 20, 41, 50));
  const drag = { kind: "drag" as const, index: Math.floor(n / 3), value: m.curve[Math.floor(n / 2)]! };
  add(`editedDistribution (drag one point), N = ${n}`, timeBatches(() => editedDistribution(m, drag), 20, 41, 50));
}

const fmt = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} us`);
const md = [
  "Generated by `npx tsx scripts/bench-sdk.ts`; do not edit by hand. Data: docs/bench-sdk.json.",
  "",
  machineLine(),
  "Per call: the median and mean of the timed batches, and the fastest batch (least disturbed by the other jobs on the machine); calls per second at the median.",
  "",
  "| operation | median | mean | best batch | calls per second | calls timed | note |",
  "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows.map((r) => `| ${r.what} | ${fmt(r.timing.medianUs)} | ${fmt(r.timing.meanUs)} | ${fmt(r.timing.bestUs)} | ${r.perSecond < 10 ? r.perSecond.toFixed(2) : Math.round(r.perSecond).toLocaleString("en-US")} | ${r.timing.calls.toLocaleString("en-US")} | ${r.note ?? ""} |`),
];
const path = `${DOCS}scale.md`;
const doc = existsSync(path) ? readFileSync(path, "utf8") : "# Scale\n";
writeFileSync(`${DOCS}bench-sdk.json`, `${JSON.stringify(rows, null, 1)}\n`);
writeFileSync(path, spliceSection(spliceSection(spliceSection(doc, "bench-sdk", md.join("\n")), "claims", renderClaims()), "contention", renderContention()));
console.log(md.join("\n"));
