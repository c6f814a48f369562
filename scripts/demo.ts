/**
 * End-to-end demo on the embedded runtime (LiteSVM by default, `--runtime bankrun` for the
 * other): deploys target/deploy/continuum.so and runs the product's main flow through the SDK:
 *
 *   config + shards -> three distribution markets (Normal, trimodal election, skewed launch)
 *   -> range bets priced off-chain and executed on-chain (the chain's curve is checked against
 *   the quote, bit for bit) -> keepers stake, report contention, propose, vote and execute a
 *   rebalance that migrates a market and its collateral to another shard -> more trading on the
 *   new shard -> resolution -> every claim, with the books checked against the shard vaults
 *   to the base unit -> the compute units of every instruction, as the runtime reported them.
 *
 * Money is an SPL token: a fresh 6-decimal SPL Token mint (`--token-2022`: a Token-2022 mint)
 * is the config's collateral; each shard holds its markets' tokens in its vault. Rent, fees and
 * keeper stake stay in SOL.
 *
 *   npm run demo                                   # builds first, then runs this file
 *   npx tsx scripts/demo.ts --runtime bankrun [--token-2022]
 */
import { Keypair, LAMPORTS_PER_SOL, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import {
  assignShard,
  checkRebalanceNeeded,
  loadEmaAt,
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  computeUnitLimit,
  createMarketInstruction,
  decodeAmmMarket,
  decodeConfig,
  decodeShard,
  DEFAULT_CONFIG_ARGS,
  executeRebalanceInstruction,
  findConfigPda,
  findMarketPda,
  findPositionPda,
  findShardPda,
  findVaultPda,
  formatAmount,
  generateMarketKey,
  initializeConfigInstruction,
  initShardInstruction,
  isMathError,
  marketDistribution,
  openMarketInstruction,
  priceDistributionBet,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  reportContentionInstruction,
  resolveMarketInstruction,
  SCALE_1E9,
  voteRebalanceInstruction,
  type AmmMarketAccount,
  type CreateMarketParams,
  type Shape,
} from "../sdk/src/index.js";
import { createRuntime, type RuntimeName, type TestRuntime } from "../tests/harness/runtime.js";
import { ataOf, createTestMint, fundTokens, tokenBalance } from "../tests/harness/token.js";

const runtimeName: RuntimeName = process.argv.includes("bankrun") ? "bankrun" : "litesvm";
const tokenKind = process.argv.includes("--token-2022") ? "token-2022" : "token";
const DECIMALS = 6;
const SOL = BigInt(LAMPORTS_PER_SOL);
const SHARDS = 4;
const T0 = 1_800_000_000n;
const TRADING_DEADLINE = T0 + 3_600n;
const RESOLUTION_DEADLINE = T0 + 7_200n;
const N = 51;

/** CU per instruction name, every sample the runtime reported. */
const cuSamples = new Map<string, number[]>();

function fail(message: string): never {
  throw new Error(message);
}

async function send(rt: TestRuntime, name: string, ixs: TransactionInstruction[], signers: Keypair[]): Promise<string[]> {
  const res = await rt.send(ixs, signers);
  if (!res.ok) fail(`${name} failed: ${res.error}\n${res.logs.join("\n")}`);
  const samples = cuSamples.get(name) ?? [];
  samples.push(res.cu);
  cuSamples.set(name, samples);
  return res.logs;
}

async function account(rt: TestRuntime, key: PublicKey): Promise<Uint8Array> {
  return (await rt.getAccount(key))?.data ?? fail(`missing account ${key.toBase58()}`);
}

const sol = (lamports: bigint): string => `${(Number(lamports) / 1e9).toFixed(4)} SOL`;
/** Base units of the collateral, shown with its decimals. */
const tok = (units: bigint): string => `${formatAmount(units, DECIMALS)} tokens`;
const pct = (p1e9: bigint): string => `${(Number(p1e9) / 1e7).toFixed(2)}%`;

interface DemoMarket {
  name: string;
  key: Uint8Array;
  address: PublicKey;
  params: CreateMarketParams;
}

async function main(): Promise<void> {
  console.log(`Continuum demo on ${runtimeName} (program target/deploy/continuum.so)\n`);
  const rt = await createRuntime(runtimeName);
  await rt.setClock(await rt.slot(), T0);
  // The collateral: a fresh mint; `funded` gives SOL (rent, stake) and as many base units.
  const collateral = await createTestMint(rt, { kind: tokenKind, decimals: DECIMALS });
  rt.collateral = collateral;
  const funded = async (lamports: bigint): Promise<Keypair> => {
    const kp = Keypair.generate();
    await rt.airdrop(kp.publicKey, lamports);
    await fundTokens(rt, collateral, kp.publicKey, lamports);
    return kp;
  };
  const tokensOf = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, collateral));
  const vaultOf = (shardId: number): Promise<bigint> => tokenBalance(rt, findVaultPda(shardId)[0]);
  // The runtime installs the program through the upgradeable loader; its upgrade authority is
  // the only key initialize_config accepts.
  const admin = rt.upgradeAuthority;
  await fundTokens(rt, collateral, admin.publicKey, 1_000n * SOL);

  // 1. Configuration and shards ------------------------------------------------------------
  console.log("1. Config and shards");
  // A load threshold of 2 writes per slot, so a few demo trades per slot make a shard hot.
  const configArgs = { ...DEFAULT_CONFIG_ARGS, shardCount: SHARDS, minKeeperStake: SOL, loadThresholdMilliWrites: 2_000n };
  await send(rt, "initialize_config", [initializeConfigInstruction(admin.publicKey, collateral, configArgs)], [admin]);
  for (let id = 0; id < SHARDS; id++) await send(rt, "init_shard", [initShardInstruction(admin.publicKey, id, collateral)], [admin]);
  console.log(`   collateral: ${tokenKind === "token" ? "SPL Token" : "Token-2022"} mint ${collateral.mint.toBase58()} (${DECIMALS} decimals), one vault per shard`);
  console.log(`   ${SHARDS} shards; rebalance needs ${configArgs.voteThresholdBps / 100}% of keeper stake within ${configArgs.votingWindowSlots} slots`);

  // 2. Markets: two on shard 0 (so it gets hot), one elsewhere ------------------------------
  console.log(`\n2. Distribution markets (N = 51 grid points, cap b = ${tok(10n * SOL)} per point)`);
  const keyOnShard = (want: (s: number) => boolean): Keypair => {
    for (;;) {
      const k = generateMarketKey();
      if (want(assignShard(k, SHARDS))) return k;
    }
  };
  const specs: [string, Shape, Keypair][] = [
    ["CPI print (bps)", { kind: "Normal", mean1e9: 30n * SCALE_1E9, sigma1e9: 120n * SCALE_1E9 }, keyOnShard((s) => s === 0)],
    ["Election margin", { kind: "TrimodalElection" }, keyOnShard((s) => s === 0)],
    ["Launch date (days)", { kind: "SkewedLaunch" }, keyOnShard((s) => s !== 0)],
  ];
  const markets: DemoMarket[] = [];
  for (const [name, shape, marketKey] of specs) {
    const key = marketKey.publicKey.toBytes();
    const params: CreateMarketParams = {
      marketKey,
      lo: -500n,
      hi: 500n,
      nPoints: N,
      k: 40n * SOL,
      b: 10n * SOL,
      tradingDeadline: TRADING_DEADLINE,
      resolutionDeadline: RESOLUTION_DEADLINE,
      resolver: admin.publicKey,
      shape,
    };
    await send(rt, "create_market", [computeUnitLimit(1_400_000), createMarketInstruction(admin.publicKey, params, SHARDS, collateral)], [admin, marketKey]);
    const address = findMarketPda(key)[0];
    const onChain = decodeAmmMarket(await account(rt, address));
    const expected = marketDistribution(params);
    if (onChain.curve.some((v, i) => v !== expected.curve[i])) fail(`${name}: on-chain curve differs from the SDK's`);
    await send(rt, "open_market", [openMarketInstruction(admin.publicKey, address, onChain.shardId)], [admin]);
    markets.push({ name, key, address, params });
    console.log(`   ${name.padEnd(19)} ${shape.kind.padEnd(16)} shard ${onChain.shardId}, c = ${onChain.scale}, curve == SDK projection`);
  }

  // 3. Trading --------------------------------------------------------------------------------
  console.log("\n3. Range bets (quoted off-chain, executed on-chain; the chain's curve == the quote)");
  const traders = await Promise.all(Array.from({ length: 4 }, () => funded(100n * SOL)));
  const marketState = async (m: DemoMarket): Promise<AmmMarketAccount> => decodeAmmMarket(await account(rt, m.address));
  const bet = async (m: DemoMarket, trader: Keypair, amount: bigint, from: bigint, to: bigint): Promise<void> => {
    const market = await marketState(m);
    let priced;
    try {
      priced = priceDistributionBet(market, m.address, trader.publicKey, amount, { from, to }, collateral);
    } catch (e) {
      if (isMathError(e, "ZeroBet")) return;
      throw e;
    }
    await send(rt, "trade", [priced.instruction], [trader]);
    const after = await marketState(m);
    if (after.curve.some((v, i) => v !== priced.quote.curve[i])) fail("on-chain curve differs from the quote");
    const q = priced.quote;
    console.log(
      `   ${m.name.padEnd(19)} [${String(from).padStart(4)}, ${String(to).padStart(4)}] ` +
        `collateral ${tok(q.collateral)}  P ${pct(q.probabilityBefore)} -> ${pct(q.probabilityAfter)}  ` +
        `expected cost ${tok(q.expectedCost)}  (shard ${after.shardId})`,
    );
  };
  const ranges: [bigint, bigint][] = [[0n, 100n], [-300n, -150n], [150n, 260n], [-40n, 40n]];
  for (let round = 0; round < 2; round++) {
    for (const [i, m] of markets.entries()) {
      const [from, to] = ranges[(round + i) % ranges.length]!;
      await bet(m, traders[(round * 3 + i) % traders.length]!, (1n + BigInt(i + round)) * SOL / 4n, from, to);
    }
  }

  // 4. Keepers and a rebalance ------------------------------------------------------------------
  console.log("\n4. Traffic heats shard 0; keepers measure it, report, and vote a rebalance");
  const stakes = [5n * SOL, 3n * SOL, 2n * SOL];
  const keepers = await Promise.all(stakes.map(() => funded(50n * SOL)));
  for (const [i, k] of keepers.entries()) await send(rt, "register_keeper", [registerKeeperInstruction(k.publicKey, stakes[i]!)], [k]);
  // Two small trades per slot on each shard-0 market for 8 slots: real writes, the only way
  // to raise a shard's on-chain load.
  const [hot, busy] = [markets[0]!, markets[1]!];
  for (let slot = 0; slot < 8; slot++) {
    await rt.setClock((await rt.slot()) + 1n, T0 + 10n + BigInt(slot));
    for (const m of [hot, busy]) {
      for (const trader of traders.slice(0, 2)) {
        const priced = priceDistributionBet(await marketState(m), m.address, trader.publicKey, SOL / 100n, { from: -60n, to: 60n }, collateral);
        await send(rt, "trade", [priced.instruction], [trader]);
      }
    }
  }
  await rt.setClock((await rt.slot()) + 1n, T0 + 20n);
  for (const k of keepers) {
    await send(rt, "report_contention", [reportContentionInstruction(k.publicKey, 0, 2_400, hot.key)], [k]);
  }
  const config = decodeConfig(await account(rt, findConfigPda()[0]));
  const shards = await Promise.all(Array.from({ length: SHARDS }, async (_, id) => decodeShard(await account(rt, findShardPda(id)[0]))));
  const plan = checkRebalanceNeeded(shards, config, { slot: await rt.slot() }) ?? fail("no rebalance recommended");
  const slotNow = await rt.slot();
  console.log(
    `   shard 0 load ${(Number(loadEmaAt(shards[0]!.load, slotNow)) / 1000).toFixed(2)} writes/slot > ${Number(config.loadThresholdMilliWrites) / 1000}, ` +
      `reported hot by ${sol(shards[0]!.latencyCurrent.hotStake)} of ${sol(config.totalActiveStake)} staked: ` +
      `move ${plan.markets.length} market(s) ${plan.from} -> ${plan.to}`,
  );
  const proposalId = config.proposalCount;
  await send(rt, "propose_rebalance", [proposeRebalanceInstruction(keepers[0]!.publicKey, plan, proposalId)], [keepers[0]!]);
  for (const k of keepers.slice(0, 2)) await send(rt, "vote_rebalance", [voteRebalanceInstruction(k.publicKey, proposalId, true)], [k]);
  await send(rt, "vote_rebalance", [voteRebalanceInstruction(keepers[2]!.publicKey, proposalId, false)], [keepers[2]!]);
  console.log(`   votes: yes ${sol(stakes[0]! + stakes[1]!)}, no ${sol(stakes[2]!)} of ${sol(config.totalActiveStake)} staked (80% >= 66.7%)`);
  const [fromBefore, toBefore] = [await vaultOf(plan.from), await vaultOf(plan.to)];
  const vault = (await marketState(hot)).vaultAmount;
  await send(rt, "execute_rebalance", [executeRebalanceInstruction(proposalId, plan, collateral)], []);
  const moved = await marketState(hot);
  const [fromAfter, toAfter] = [await vaultOf(plan.from), await vaultOf(plan.to)];
  if (moved.shardId !== plan.to || fromBefore - fromAfter !== vault || toAfter - toBefore !== vault) fail("migration books don't add up");
  for (const id of [plan.from, plan.to]) {
    const books = decodeShard(await account(rt, findShardPda(id)[0])).collateralAmount;
    if ((await vaultOf(id)) !== books) fail(`shard ${id}: vault balance != books`);
  }
  console.log(`   migrated "${hot.name}" to shard ${moved.shardId}: ${tok(vault)} moved vault to vault, both shard balances exact`);
  await bet(hot, traders[3]!, SOL / 2n, 200n, 320n);

  // 5. Resolution, claims and closing -----------------------------------------------------------
  console.log("\n5. Resolution, claims (each closes its position: rent back) and close_market");
  await rt.setClock((await rt.slot()) + 1n, TRADING_DEADLINE + 1n);
  const outcomes = [57n, -212n, 133n];
  for (const [i, m] of markets.entries()) {
    const market = await marketState(m);
    await send(rt, "resolve_market", [resolveMarketInstruction(admin.publicKey, m.address, market.shardId, outcomes[i]!)], [admin]);
    const vaultAtResolve = market.vaultAmount;
    let paid = 0n;
    let rentBack = 0n;
    for (const t of traders) {
      const position = await rt.getAccount(findPositionPda(m.address, t.publicKey)[0]);
      if (!position) continue;
      const before = await tokensOf(t.publicKey);
      await send(rt, "claim", [claimInstruction(t.publicKey, m.address, market.shardId, collateral)], [t]);
      paid += (await tokensOf(t.publicKey)) - before;
      rentBack += position.lamports;
    }
    const lpBefore = await tokensOf(admin.publicKey);
    await send(rt, "claim_lp", [claimLpInstruction(admin.publicKey, m.address, market.shardId, collateral)], [admin]);
    paid += (await tokensOf(admin.publicKey)) - lpBefore;
    const settled = await marketState(m);
    const dust = settled.dustNumerator / settled.step;
    if (paid + dust !== vaultAtResolve || settled.vaultAmount !== dust) fail(`${m.name}: paid + dust != vault`);
    const marketRent = await rt.balance(m.address);
    const adminBefore = await rt.balance(admin.publicKey);
    const adminTokens = await tokensOf(admin.publicKey);
    await send(rt, "close_market", [closeMarketInstruction(admin.publicKey, m.address, settled.shardId, collateral)], [admin]);
    if ((await rt.balance(admin.publicKey)) - adminBefore !== marketRent || (await tokensOf(admin.publicKey)) - adminTokens !== dust) fail(`${m.name}: close_market`);
    if (await rt.getAccount(m.address)) fail(`${m.name}: close_market left the account`);
    const books = decodeShard(await account(rt, findShardPda(settled.shardId)[0])).collateralAmount;
    if ((await vaultOf(settled.shardId)) !== books) fail(`shard ${settled.shardId}: vault balance != books`);
    console.log(`   ${m.name.padEnd(19)} x* = ${String(outcomes[i]).padStart(4)}: vault ${vaultAtResolve} = paid ${paid} + dust ${dust} (base units, exact)`);
    console.log(`   ${"".padEnd(19)} rent back: positions ${sol(rentBack)}, market ${sol(marketRent)} (closed)`);
  }

  // 6. Compute units ----------------------------------------------------------------------------
  console.log(`\n6. Compute units on ${runtimeName} (as reported by the runtime)`);
  console.log(`   ${"instruction".padEnd(20)} ${"calls".padStart(5)} ${"min".padStart(9)} ${"max".padStart(9)}`);
  for (const [name, samples] of cuSamples) {
    const fmt = (v: number): string => v.toLocaleString("en-US").padStart(9);
    console.log(`   ${name.padEnd(20)} ${String(samples.length).padStart(5)} ${fmt(Math.min(...samples))} ${fmt(Math.max(...samples))}`);
  }
  console.log("\n   create_market computes the shape on chain (one exp per point and mixture component), so it");
  console.log("   is sent with a ComputeBudget limit; trades verify the canonical scale in one pass over the grid.");
  console.log("   Full table for both runtimes and every N: docs/compute-units.md (regenerated by npm test).");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
