/**
 * The scale run on the embedded runtime (LiteSVM): S shards, many registered markets, a few
 * hundred AMM markets traded with Zipf popularity, keepers measuring and reporting latency, a
 * burst that drives one shard over threshold, a rebalance by keeper vote, and settlement of
 * every AMM market with conservation asserted throughout (`conservation.ts`). The figures come
 * back as a `ScaleResult`; `scripts/scale-run.ts` writes them to docs/scale.md and JSON.
 */
import type { PublicKey } from "@solana/web3.js";
import {
  assignShard,
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  decodeMarketHeader,
  decodeShard,
  findConfigPda,
  findKeeperPda,
  findMarketPda,
  findPositionPda,
  findProposalPda,
  findShardPda,
  findVaultPda,
  resolveMarketInstruction,
} from "../../sdk/src/index.js";
import { ataOf, rentExempt, tokenBalance } from "../../tests/harness/token.js";
import { rng } from "../model/contention.js";
import { checkMint, checkSettled, checkShards, checkTradingBooks } from "./conservation.js";
import type { InstructionStats, PhaseStats } from "./ledger.js";
import { createAmmMarkets, derivedKeypair, marketKeypairs, registerMarkets, TRADING_END_SLOT, type AmmMarket } from "./markets.js";
import { Progress } from "./progress.js";
import { makeKeepers, TradingLoop, type Migration, type SlotRecord } from "./trading.js";
import { unixAt, World } from "./world.js";
import { Zipf } from "./zipf.js";

export interface ScaleParams {
  seed: number;
  shards: number;
  /** Plain markets (`register_market`): what the shard balance is measured on. */
  registeredMarkets: number;
  /** AMM markets (`create_market`), the ones traded. */
  ammMarkets: number;
  nPoints: number;
  traders: number;
  keepers: number;
  zipf: number;
  baseTradesPerSlot: number;
  capPerShard: number;
  burstMarkets: number;
  burstTradesPerMarket: number;
  votingWindowSlots: number;
  warmupSlots: number;
  /** The hot phase ends once every shard stayed under the load threshold for 8 slots after a migration, or after this many slots. */
  maxHotSlots: number;
  afterSlots: number;
  quiet: boolean;
}

/** The full run's defaults (`scripts/scale-run.ts`). */
export const FULL_RUN: Omit<ScaleParams, "shards"> = {
  seed: 1,
  registeredMarkets: 21_000,
  ammMarkets: 300,
  nPoints: 101,
  traders: 64,
  keepers: 3,
  zipf: 1.1,
  baseTradesPerSlot: 20,
  capPerShard: 10,
  burstMarkets: 3,
  burstTradesPerMarket: 3,
  votingWindowSlots: 16,
  warmupSlots: 24,
  maxHotSlots: 120,
  afterSlots: 24,
  quiet: false,
};

/** One shard's figures over a stretch of slots. */
export interface ShardLoad {
  shardId: number;
  /** Trades that wanted the shard per slot (queued ones counted again each slot they wait). */
  demandPerSlot: number;
  /** Trades executed on the shard per slot. */
  writesPerSlot: number;
  /** The shard's on-chain load EMA at the stretch's last slot (writes per slot). */
  emaWritesPerSlot: number;
}

export interface DelayStats {
  trades: number;
  p50: number;
  p99: number;
  max: number;
}

export interface AccountSize {
  account: string;
  bytes: number;
  /** Lamports the account held when read ("" when it was not read: already closed). */
  lamports: string;
  rentExemptMinimum: string;
  count: number;
}

export interface ScaleResult {
  params: ScaleParams;
  wallSeconds: number;
  phases: PhaseStats[];
  totals: Record<string, InstructionStats>;
  balance: {
    /** Markets per shard right after registration and creation (hash assignment only). */
    perShard: number[];
    mean: number;
    maxDeviationPct: number;
    /** One standard deviation of a shard's count under uniform hashing, in % of the mean. */
    sigmaPct: number;
    assignmentMatchesSdk: boolean;
  };
  hotShard: number;
  burstMarkets: string[];
  loadThreshold: number;
  capPerShard: number;
  load: { warmup: ShardLoad[]; before: ShardLoad[]; after: ShardLoad[] };
  beforeSlots: [number, number];
  afterSlots: [number, number];
  delays: Record<string, DelayStats>;
  migrations: Migration[];
  /** Slots from the burst's start to the first migration executed. */
  slotsToFirstMigration: number;
  keeperFailures: string[];
  trades: { placed: number; byKind: Record<string, number>; refused: Record<string, number>; positions: number; paidIn: string; refunded: string; fees: string };
  settlement: { claims: number; lpClaims: number; paid: string; dust: string; vaultsAfter: string };
  accounts: AccountSize[];
  marketCountsAfter: number[];
}

/** Runs the scale scenario; throws if any conservation check fails. */
export async function runScale(p: ScaleParams): Promise<ScaleResult> {
  const started = performance.now();
  const rand = rng(p.seed);
  const w = await World.create({
    shards: p.shards,
    capPerShard: p.capPerShard,
    votingWindowSlots: BigInt(p.votingWindowSlots),
    keepers: p.keepers,
    traders: p.traders,
    keypair: (label, i) => derivedKeypair(p.seed, label, i),
  });
  const S = p.shards;

  w.ledger.begin("market keys");
  const registeredKeys = marketKeypairs(p.seed, "registered", p.registeredMarkets);
  const ammKeys = marketKeypairs(p.seed, "amm", p.ammMarkets);
  const registeredAddresses = registeredKeys.map((k) => findMarketPda(k.publicKey.toBytes())[0]);

  w.ledger.begin(`register ${p.registeredMarkets} markets`);
  let slot = await registerMarkets(w, registeredKeys, 0n, p.quiet);
  w.ledger.begin(`create + open ${p.ammMarkets} AMM markets`);
  const created = await createAmmMarkets(w, ammKeys, p.nPoints, rand, slot, p.quiet);
  const markets = created.markets;
  slot = created.slot;
  const allAddresses = [...registeredAddresses, ...markets.map((m) => m.address)];

  w.ledger.begin("check assignment");
  const balance = await checkBalance(w, [...registeredKeys.map((k) => k.publicKey.toBytes()), ...markets.map((m) => m.key)]);

  // Popularity: a seeded random order of the AMM markets; rank 0 is the most traded.
  const byRank = markets.map((_, i) => i);
  for (let i = byRank.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [byRank[i], byRank[j]] = [byRank[j]!, byRank[i]!];
  }
  byRank.forEach((m, r) => (markets[m]!.rank = r));
  const hotShard = shardWithMostAmmMarkets(markets, S);
  const burst = markets
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.shardId === hotShard)
    .sort((a, b) => a.m.rank - b.m.rank)
    .slice(0, p.burstMarkets)
    .map(({ i }) => i);

  // Registration and creation were writes: let every load meter decay to zero first.
  slot += 70n;
  const zipf = new Zipf(markets.length, p.zipf);
  const keepers = makeKeepers(w, w.keeperKeys);
  const loop = new TradingLoop(w, markets, byRank, zipf, keepers, allAddresses, {
    baseTradesPerSlot: p.baseTradesPerSlot,
    capPerShard: p.capPerShard,
    burstTradesPerMarket: p.burstTradesPerMarket,
    reportOffset: 4,
  }, rand);
  const threshold = Number(w.config.loadThresholdMilliWrites) / 1000;
  // Start on a latency window boundary (windows count runtime slots).
  let s = Number(slot) + 1;
  while (w.absolute(s) % BigInt(p.votingWindowSlots) !== 0n) s++;
  let proposalBytes = 0;

  const runSlots = async (phase: string, count: number, stop?: () => boolean): Promise<void> => {
    w.ledger.begin(phase);
    const bar = new Progress(phase, count, p.quiet);
    for (let i = 0; i < count; i++) {
      await loop.slot(s++, phase);
      if (proposalBytes === 0) proposalBytes = (await w.rt.getAccount(findProposalPda(0n)[0]))?.data.length ?? 0;
      bar.tick();
      if (stop?.()) break;
    }
    bar.finish();
  };

  await runSlots("trade: warm-up (Zipf)", p.warmupSlots);
  const burstStart = s;
  loop.startBurst(burst);
  await runSlots("trade: hot shard (burst) + keepers", p.maxHotSlots, () => {
    if (loop.migrations.length === 0) return false;
    const last = loop.slots.slice(-8);
    return last.length === 8 && last.every((r) => r.slot > loop.migrations.at(-1)!.executedSlot && r.ema.every((e) => e <= threshold));
  });
  const afterStart = s;
  await runSlots("trade: after rebalancing", p.afterSlots);
  if (loop.migrations.length === 0) throw new Error(`no rebalance executed: keeper failures ${loop.keeperFailures.join("; ") || "none"}`);

  w.ledger.begin("conservation check (trading)");
  await checkShards(w, allAddresses);
  await checkTradingBooks(w, markets);
  const accounts = await accountSizes(w, registeredAddresses[0]!, markets, loop.positions, proposalBytes, p);
  const marketCountsAfter = await shardCounts(w);

  w.ledger.begin("settle: resolve, claim, claim_lp, close");
  const settlement = await settle(w, markets, loop.positions, rand, BigInt(s), p.quiet);
  w.ledger.begin("conservation check (settled)");
  await checkShards(w, allAddresses);
  await checkMint(w, w.minted);
  let vaultsAfter = 0n;
  for (let id = 0; id < S; id++) vaultsAfter += await tokenBalance(w.rt, findVaultPda(id)[0]);
  if (vaultsAfter !== 0n) throw new Error(`shard vaults hold ${vaultsAfter} after every market closed`);
  settlement.vaultsAfter = String(vaultsAfter);
  w.ledger.end();

  const firstExec = loop.migrations[0]!.executedSlot;
  const beforeFrom = Math.max(burstStart, firstExec - 8);
  const stretch = (from: number, to: number): ShardLoad[] => shardLoads(loop.slots.filter((r) => r.slot >= from && r.slot < to), S);
  const delays: Record<string, DelayStats> = {};
  for (const [phase, d] of loop.delays) delays[phase] = delayStats(d);

  return {
    params: p,
    wallSeconds: (performance.now() - started) / 1000,
    phases: w.ledger.phases,
    totals: w.ledger.totals(),
    balance,
    hotShard,
    burstMarkets: burst.map((i) => markets[i]!.keyHex),
    loadThreshold: threshold,
    capPerShard: p.capPerShard,
    load: {
      warmup: stretch(burstStart - p.warmupSlots, burstStart),
      before: stretch(beforeFrom, firstExec),
      after: stretch(afterStart, s),
    },
    beforeSlots: [beforeFrom, firstExec],
    afterSlots: [afterStart, s],
    delays,
    migrations: loop.migrations,
    slotsToFirstMigration: firstExec - burstStart,
    keeperFailures: loop.keeperFailures,
    trades: {
      placed: loop.trades,
      byKind: loop.kinds,
      refused: loop.refused,
      positions: loop.positions.size,
      paidIn: String(markets.reduce((a, m) => a + m.paidIn, 0n)),
      refunded: String(markets.reduce((a, m) => a + m.refunded, 0n)),
      fees: String(markets.reduce((a, m) => a + m.fees, 0n)),
    },
    settlement,
    accounts,
    marketCountsAfter,
  };
}

/** Per-shard market counts (on chain) vs the SDK's assignment of every key. */
async function checkBalance(w: World, keys: Uint8Array[]): Promise<ScaleResult["balance"]> {
  const S = w.shardCount;
  const expected = new Array<number>(S).fill(0);
  let matches = true;
  for (const key of keys) {
    const shard = assignShard(key, S);
    expected[shard]!++;
    const acc = await w.rt.getAccount(findMarketPda(key)[0]);
    if (!acc || decodeMarketHeader(acc.data).shardId !== shard) matches = false;
  }
  const perShard = await shardCounts(w);
  if (perShard.some((c, i) => c !== expected[i])) matches = false;
  const mean = keys.length / S;
  const maxDeviationPct = Math.max(...perShard.map((c) => Math.abs(c - mean))) / mean * 100;
  const sigmaPct = (Math.sqrt(keys.length * (1 / S) * (1 - 1 / S)) / mean) * 100;
  return { perShard, mean, maxDeviationPct, sigmaPct, assignmentMatchesSdk: matches };
}

async function shardCounts(w: World): Promise<number[]> {
  const out: number[] = [];
  for (let id = 0; id < w.shardCount; id++) out.push(Number(decodeShard((await w.rt.getAccount(findShardPda(id)[0]))!.data).marketCount));
  return out;
}

/** The shard holding the most AMM markets (lowest id on ties): where the burst happens. */
function shardWithMostAmmMarkets(markets: AmmMarket[], S: number): number {
  const n = new Array<number>(S).fill(0);
  for (const m of markets) n[m.shardId]!++;
  return n.indexOf(Math.max(...n));
}

function shardLoads(rows: SlotRecord[], S: number): ShardLoad[] {
  const last = rows.at(-1);
  return Array.from({ length: S }, (_, id) => ({
    shardId: id,
    demandPerSlot: rows.length === 0 ? 0 : rows.reduce((a, r) => a + r.demand[id]!, 0) / rows.length,
    writesPerSlot: rows.length === 0 ? 0 : rows.reduce((a, r) => a + r.writes[id]!, 0) / rows.length,
    emaWritesPerSlot: last ? last.ema[id]! : 0,
  }));
}

function delayStats(d: number[]): DelayStats {
  const sorted = [...d].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { trades: d.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** Sizes and rent of every account kind the run created, as the runtime holds them. */
async function accountSizes(
  w: World,
  registered: PublicKey,
  markets: AmmMarket[],
  positions: Set<string>,
  proposalBytes: number,
  p: ScaleParams,
): Promise<AccountSize[]> {
  const [firstPosition] = positions;
  const [trader, market] = firstPosition!.split(":").map(Number);
  const kinds: [string, PublicKey | null, number, number?][] = [
    ["Config", findConfigPda()[0], 1],
    ["Shard", findShardPda(0)[0], p.shards],
    ["shard vault (token account)", findVaultPda(0)[0], p.shards],
    ["Market (registered)", registered, p.registeredMarkets],
    [`Market (AMM, N = ${p.nPoints})`, markets[0]!.address, p.ammMarkets],
    [`Position (N = ${p.nPoints})`, findPositionPda(markets[market!]!.address, w.traders[trader!]!.publicKey)[0], positions.size],
    ["Keeper (with its 2 SOL stake)", findKeeperPda(w.keeperKeys[0]!.publicKey)[0], p.keepers],
    [`RebalanceProposal (${p.keepers} keepers)`, null, 1, proposalBytes],
    ["trader token account", ataOf(w.traders[0]!.publicKey, w.rt.collateral), p.traders],
  ];
  const out: AccountSize[] = [];
  for (const [name, key, count, bytes] of kinds) {
    const acc = key ? await w.rt.getAccount(key) : null;
    const len = acc ? acc.data.length : bytes ?? 0;
    if (len === 0) continue;
    out.push({
      account: name,
      bytes: len,
      // The proposal is closed by the time sizes are read: its size was seen, its lamports not.
      lamports: acc ? String(acc.lamports) : "",
      rentExemptMinimum: String(rentExempt(len)),
      count,
    });
  }
  return out;
}

/** Resolves every AMM market, claims every position and the LP share, closes the market. */
async function settle(w: World, markets: AmmMarket[], positions: Set<string>, rand: () => number, slot: bigint, quiet: boolean): Promise<ScaleResult["settlement"]> {
  const byMarket = new Map<number, number[]>();
  for (const key of positions) {
    const [t, m] = key.split(":").map(Number);
    byMarket.set(m!, [...(byMarket.get(m!) ?? []), t!]);
  }
  await w.rt.setClock(w.absolute(slot + 1n), unixAt(TRADING_END_SLOT) + 1n);
  const bar = new Progress("settle AMM markets", markets.length, quiet);
  const c = w.rt.collateral;
  let claims = 0;
  let lpClaims = 0;
  let paidTotal = 0n;
  let dustTotal = 0n;
  for (const [i, m] of markets.entries()) {
    await World.yieldToEventLoop();
    const outcome = m.lo + BigInt(Math.floor(rand() * Number(m.hi - m.lo + 1n)));
    await w.send([resolveMarketInstruction(w.authority.publicKey, m.address, m.shardId, outcome)], [w.authority]);
    let paid = 0n;
    for (const t of byMarket.get(i) ?? []) {
      const trader = w.traders[t]!;
      const ata = ataOf(trader.publicKey, c);
      const before = await tokenBalance(w.rt, ata);
      await w.send([claimInstruction(trader.publicKey, m.address, m.shardId, c)], [trader]);
      paid += (await tokenBalance(w.rt, ata)) - before;
      claims++;
    }
    const lpAta = ataOf(w.authority.publicKey, c);
    const lpBefore = await tokenBalance(w.rt, lpAta);
    await w.send([claimLpInstruction(w.authority.publicKey, m.address, m.shardId, c)], [w.authority]);
    paid += (await tokenBalance(w.rt, lpAta)) - lpBefore;
    lpClaims++;
    const dust = await checkSettled(w, m, paid);
    await w.send([closeMarketInstruction(w.authority.publicKey, m.address, m.shardId, c)], [w.authority]);
    if (await w.rt.getAccount(m.address)) throw new Error(`market ${m.keyHex} still open after close_market`);
    paidTotal += paid;
    dustTotal += dust;
    bar.tick();
  }
  bar.finish();
  return { claims, lpClaims, paid: String(paidTotal), dust: String(dustTotal), vaultsAfter: "not read yet" };
}

