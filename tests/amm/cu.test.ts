/**
 * Compute units of every AMM instruction on both runtimes, by grid size: N = 11, 51, 101 and
 * the largest supported N (615). Ceilings (asserted) and goals (reported) from DESIGN §6 for
 * N = 101; the other grids are recorded against ceilings scaled from their measured cost.
 */
import { Keypair, type PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import {
  AMM_N_MAX,
  cancelMarketInstruction,
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  findPositionPda,
  editDistributionInstruction,
  editedDistribution,
  findMarketPda,
  generateMarketKey,
  isUsableMarketKey,
  openMarketInstruction,
  priceDistributionBet,
  PROGRAM_ID,
  registerMarketInstruction,
  resolveMarketInstruction,
  SCALE_1E9,
  computeUnitLimit,
  type Shape,
  type TradeDirection,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES } from "../harness/runtime.js";
import { fundTokens, type TokenKind } from "../harness/token.js";
import { Amm, ok, planTrade, plannedInstruction, RESOLUTION_DEADLINE, TRADING_DEADLINE } from "./fixture.js";

const FILE = import.meta.url;

/** A 4-component mixture whose every component covers the whole grid (`lo = -500`, step 10). */
function WORST_MIXTURE(n: number): Shape {
  const width = BigInt(n - 1) * 10n;
  const comp = (at: bigint) => ({ mean1e9: (-500n + (width * at) / 4n) * SCALE_1E9, sigma1e9: width * SCALE_1E9, weight1e9: 250_000_000n });
  return { kind: "Mixture", comps: [comp(0n), comp(1n), comp(3n), comp(4n)] };
}
const GRIDS = [11, 51, 101, AMM_N_MAX];
/** The ComputeBudget instruction in front of create_market costs this much of the total. */
const CREATE_CU_LIMIT = 1_400_000;

/** close_market: plain account updates, the rent's lamport move and the token payout (its CPI allowance is added per runtime). */
const CLOSE_MARKET_BUDGET = { ceiling: 5_000, goal: 2_000 };

/**
 * The first usable market key derived from fixed seeds after `tag`: the market's address, hence
 * the owners' Position bumps below, is the same on every run, so the first-trade rows are too.
 */
function seededMarketKey(tag: number): Keypair {
  for (let i = 0; ; i++) {
    const key = seededKeypair(tag, i);
    if (isUsableMarketKey(key.publicKey)) return key;
  }
}

/** The keypair whose 32-byte seed starts with `words` (little-endian u32s), zeros after. */
function seededKeypair(...words: number[]): Keypair {
  const seed = new Uint8Array(32);
  const view = new DataView(seed.buffer);
  words.forEach((w, k) => view.setUint32(4 * k, w, true));
  return Keypair.fromSeed(seed);
}

/**
 * Of `count` owners derived from fixed seeds (reproducible owners on a seeded market), the one
 * whose Position PDA on `market` has the lowest canonical bump.
 */
function lowestPositionBump(market: PublicKey, count: number): { owner: Keypair; bump: number } {
  let best = { owner: Keypair.generate(), bump: 256 };
  for (let i = 0; i < count; i++) {
    const owner = seededKeypair(i);
    const [, bump] = findPositionPda(market, owner.publicKey);
    if (bump < best.bump) best = { owner, bump };
  }
  return best;
}

/**
 * Ranges whose ends cut the pass into segments of every kind: the whole interior (one
 * segment), ends one step in (an even start), and three segments (a narrow and a wide middle).
 */
function worstCaseRanges(n: number): { i0: number; i1: number }[] {
  return [
    { i0: 1, i1: n - 2 },
    { i0: 2, i1: n - 3 },
    { i0: Math.floor(n / 10), i1: n - 1 - Math.floor(n / 10) },
    { i0: Math.floor(n / 3), i1: Math.floor((2 * n) / 3) },
  ];
}

/** One-time cost of creating a Position in a trader's first trade (PDA check + create CPI). */
const FIRST_TRADE_CREATION_CU = 8_000;

/** DESIGN ceilings apply at N = 101; smaller grids share them, the largest gets 200k (default). */
function budget(name: keyof typeof CU_BUDGET, n: number): { ceiling: number; goal: number } {
  const b = CU_BUDGET[name];
  if (n <= 101 || name === "create_market") return b;
  return { ceiling: Math.max(b.ceiling, 200_000), goal: b.goal };
}

/** Every grid on an SPL Token mint; N = 101 on Token-2022 too (its CPIs cost more). */
const RUNS: [number, TokenKind][] = [...GRIDS.map((n): [number, TokenKind] => [n, "token"]), [101, "token-2022"]];

describe.each(RUNTIME_NAMES)("AMM compute units on %s", (runtimeName) => {
  it.each(RUNS)("N = %i on %s: create, edit, open, trade (new and existing position), resolve, claim, claim_lp", async (n, kind) => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt, { kind });
    const variant = `N = ${n}`;
    const params = amm.params(n, undefined, { marketKey: seededMarketKey(n), lo: -500n, hi: -500n + BigInt(n - 1) * 10n });
    const created = await amm.createMarket(params, CREATE_CU_LIMIT);
    recordCu(FILE, rt, "create_market", created.res, budget("create_market", n), `${variant}, Normal`);
    const m = created.m;

    let market = await amm.market(m);
    const drag = { kind: "drag" as const, index: (n - 1) >> 1, value: market.curve[(n - 1) >> 1]! / 2n };
    const proj = editedDistribution(market, drag);
    const edit = await rt.send([editDistributionInstruction(amm.authority.publicKey, m.address, m.shardId, drag, proj.c)], [amm.authority]);
    recordCu(FILE, rt, "edit_distribution", edit, budget("edit_distribution", n), `${variant}, drag one point`);
    expect((await amm.market(m)).curve).toEqual(proj.curve);

    recordCu(FILE, rt, "open_market", await rt.send([openMarketInstruction(amm.authority.publicKey, m.address, m.shardId)], [amm.authority]), CU_BUDGET.open_market, variant);

    // The worst first trade: the owner (of 512 candidates) whose Position PDA has the lowest
    // canonical bump (the longest bump search), at an address someone pre-funded.
    const { owner: trader, bump } = lowestPositionBump(m.address, 512);
    await rt.airdrop(trader.publicKey, 100n * 1_000_000_000n);
    await fundTokens(rt, rt.collateral, trader.publicKey, 100n * 1_000_000_000n);
    await rt.airdrop(findPositionPda(m.address, trader.publicKey)[0], 1_000n);
    const range = { i0: Math.floor(n / 3), i1: Math.floor(n / 2) };
    market = await amm.market(m);
    const first = priceDistributionBet(market, m.address, trader.publicKey, 100_000_000n, range, rt.collateral);
    const r1 = await rt.send([first.instruction], [trader]);
    // The first trade also creates the trader's Position (canonical-bump check, ~310 CU per
    // bump tried, plus the System Program CPI): its ceiling adds that one-time cost.
    recordCu(FILE, rt, "trade", r1, { ceiling: budget("trade", n).ceiling + FIRST_TRADE_CREATION_CU, goal: CU_BUDGET.trade.goal }, `range buy, ${variant}, first trade (creates Position: lowest bump of 512 owners, pre-funded)`);
    expect(bump).toBeLessThan(255);
    market = await amm.market(m);
    expect(market.curve).toEqual(first.quote.curve);
    // Range buys on ranges of every segment shape: the cost depends on where the range's ends
    // fall (each segment of the pass ends in a slow step and a fold; an even start takes one
    // more), so the row is the worst of them.
    let r2 = { cu: 0 } as Awaited<ReturnType<typeof rt.send>>;
    for (const range of worstCaseRanges(n)) {
      market = await amm.market(m);
      const second = priceDistributionBet(market, m.address, trader.publicKey, 50_000_000n, range, rt.collateral);
      const res = await rt.send([second.instruction], [trader]);
      recordCu(FILE, rt, "trade", res, budget("trade", n), `range buy, ${variant}`);
      expect((await amm.market(m)).curve).toEqual(second.quote.curve);
      if (res.cu > r2.cu) r2 = res;
    }

    // Every other direction on the existing position, each checked against tradeApply. The
    // refunds (sell, unwind) take the costlier branch: the vault pays with the Shard PDA signing.
    const run = async (direction: TradeDirection, t: bigint, key: "trade" | "trade_unwind" | "trade_normal" | "trade_mixture", label: string): Promise<number> => {
      const mk = await amm.market(m);
      const plan = planTrade(mk, await amm.position(m, trader.publicKey), direction, t);
      const ix = plannedInstruction(plan, trader.publicKey, m, mk, rt.collateral);
      // The largest grid's shape trades need more than the 200k default (one exp per point).
      const big = n === AMM_N_MAX && direction.kind === "shape";
      const res = await rt.send(big ? [computeUnitLimit(CREATE_CU_LIMIT), ix] : [ix], [trader]);
      const b = big ? { ceiling: CREATE_CU_LIMIT, goal: CU_BUDGET[key].goal } : budget(key, n);
      recordCu(FILE, rt, "trade", res, b, `${label}, ${variant}${big ? " (with a ComputeBudget limit)" : ""}`);
      expect((await amm.market(m)).curve).toEqual(plan.expect.g);
      return res.cu;
    };
    for (const range of worstCaseRanges(n)) {
      const sell = await run({ kind: "range", ...range }, -5_000_000n, "trade", "range sell (refund)");
      expect(sell).toBeGreaterThan(0);
    }
    await run({ kind: "shape", shape: { kind: "Normal", mean1e9: -500n * SCALE_1E9 + BigInt(n - 1) * 5n * SCALE_1E9, sigma1e9: BigInt(n) * 3n * SCALE_1E9 } }, 200_000_000n, "trade_normal", "Normal belief (wide: every point in its support)");
    await run({ kind: "shape", shape: WORST_MIXTURE(n) }, 200_000_000n, "trade_mixture", "mixture belief (4 wide components)");
    await run({ kind: "unwind" }, 700_000_000n, "trade_unwind", "unwind 70% (refund)");

    await amm.setTime(TRADING_DEADLINE + 5n);
    const res = await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, params.lo + 3n)], [amm.authority]);
    recordCu(FILE, rt, "resolve_market", res, CU_BUDGET.resolve_market, variant);
    const positionRent = await rt.balance(findPositionPda(m.address, trader.publicKey)[0]);
    recordCu(FILE, rt, "claim", await rt.send([claimInstruction(trader.publicKey, m.address, m.shardId, rt.collateral)], [trader]), CU_BUDGET.claim, `${variant} (closes the Position)`);
    recordCu(FILE, rt, "claim_lp", await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]), CU_BUDGET.claim_lp, variant);
    const marketRent = await rt.balance(m.address);
    const close = await rt.send([closeMarketInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]);
    recordCu(FILE, rt, "close_market", close, CLOSE_MARKET_BUDGET, variant);
    console.log(`[cu] ${rt.name} ${kind} N = ${n}: trade ${r2.cu}, first trade ${r1.cu}`);
    console.log(`[rent] ${rt.name} N = ${n}: position ${positionRent} lamports, market ${marketRent} lamports returned`);
  });

  // The rows above use a 10-SOL-sized cap, where every curve value is below 2^34 (the small
  // fast loop's short product form). Larger caps take other loops: values up to 2^40 the
  // small loop's long form, larger ones the native loop with the wide products.
  it.each([
    [40, "2^40"],
    [56, "2^56 (the largest cap)"],
  ])("range trades at N = 101 with a cap b = 2^%i: the large-value loops", async (bits, label) => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const n = 101;
    const b = 1n << BigInt(bits);
    await fundTokens(rt, rt.collateral, amm.authority.publicKey, 2n * b);
    const params = amm.params(n, undefined, { lo: -500n, hi: -500n + BigInt(n - 1) * 10n, b, k: 4n * b });
    const { m } = await amm.createMarket(params, CREATE_CU_LIMIT);
    await amm.open(m);
    let market = await amm.market(m);
    // Most of the curve is above 2^34 (the point of these rows).
    expect(market.curve.filter((v) => v >= 1n << 34n).length).toBeGreaterThan(n / 2);
    const trader = await fundedKeypair(rt, 100n);
    await fundTokens(rt, rt.collateral, trader.publicKey, b);
    const first = priceDistributionBet(market, m.address, trader.publicKey, b / 100n, { i0: Math.floor(n / 3), i1: Math.floor(n / 2) }, rt.collateral);
    ok(await rt.send([first.instruction], [trader]));
    market = await amm.market(m);
    const buy = priceDistributionBet(market, m.address, trader.publicKey, b / 200n, { i0: 1, i1: n - 2 }, rt.collateral);
    const rb = await rt.send([buy.instruction], [trader]);
    recordCu(FILE, rt, "trade", rb, CU_BUDGET.trade_large_cap, `range buy, N = ${n}, b = ${label}`);
    expect((await amm.market(m)).curve).toEqual(buy.quote.curve);
    const mk = await amm.market(m);
    const plan = planTrade(mk, await amm.position(m, trader.publicKey), { kind: "range", i0: 1, i1: n - 2 }, -(b / 500n));
    const rs = await rt.send([plannedInstruction(plan, trader.publicKey, m, mk, rt.collateral)], [trader]);
    recordCu(FILE, rt, "trade", rs, CU_BUDGET.trade_large_cap, `range sell (refund), N = ${n}, b = ${label}`);
    expect((await amm.market(m)).curve).toEqual(plan.expect.g);
    // A sell of most of what the position holds: the curve's scale c goes above 2^30 (1.07 at
    // 1e9), where the small loop's long form doesn't apply.
    const mk2 = await amm.market(m);
    const big = planTrade(mk2, await amm.position(m, trader.publicKey), { kind: "range", i0: 1, i1: n - 2 }, -(b / 40n));
    console.log(`[cu] large cap ${label}: big sell c = ${big.c}`);
    const rbig = await rt.send([plannedInstruction(big, trader.publicKey, m, mk2, rt.collateral)], [trader]);
    recordCu(FILE, rt, "trade", rbig, CU_BUDGET.trade_large_cap, `range sell (refund), N = ${n}, b = ${label}, scale c >= 2^30`);
    expect((await amm.market(m)).curve).toEqual(big.expect.g);
  });

  it("create_market at the largest N with a Normal wide enough that every point costs an exp", async () => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const n = AMM_N_MAX;
    const params = amm.params(n, { kind: "Normal", mean1e9: 0n, sigma1e9: 800n * SCALE_1E9 }, { lo: -3070n, hi: 3070n });
    const { res } = await amm.createMarket(params, CREATE_CU_LIMIT);
    recordCu(FILE, rt, "create_market", res, CU_BUDGET.create_market, `N = ${n}, Normal (every point nonzero)`);
    expect((await amm.market(amm.handle(params))).curve.every((v) => v > 0n)).toBe(true);
  });

  it("cancel_market (N = 101)", async () => {
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(101));
    ok(await rt.send([openMarketInstruction(amm.authority.publicKey, m.address, m.shardId)], [amm.authority]));
    await amm.setTime(RESOLUTION_DEADLINE);
    const caller = Keypair.generate();
    await rt.airdrop(caller.publicKey, 1_000_000_000n);
    recordCu(FILE, rt, "cancel_market", await rt.send([cancelMarketInstruction(caller.publicKey, m.address, m.shardId)], [caller]), CU_BUDGET.cancel_market, "N = 101");
  });

  it("register_market and create_market on a pre-funded Market address (the worst case)", async () => {
    // Anyone may send lamports to a Market PDA before it exists, so that a plain CreateAccount
    // would fail; creation then tops up, assigns and sizes the account instead. One lamport is
    // the costliest case: it also needs the top-up transfer.
    const rt = await createRuntime(runtimeName);
    const amm = await Amm.create(rt);
    const user = await fundedKeypair(rt, 10n);
    const key = generateMarketKey();
    await rt.airdrop(findMarketPda(key)[0], 1n);
    const registered = await rt.send([registerMarketInstruction(user.publicKey, key, amm.shardCount)], [user, key]);
    recordCu(FILE, rt, "register_market", registered, CU_BUDGET.register_market, "pre-funded address");
    const header = (await rt.getAccount(findMarketPda(key)[0]))!;
    expect(header.data.length).toBe(160);
    expect(header.owner.equals(PROGRAM_ID)).toBe(true);

    const params = amm.params(101);
    await rt.airdrop(amm.handle(params).address, 1n);
    const { res } = await amm.createMarket(params, CREATE_CU_LIMIT);
    recordCu(FILE, rt, "create_market", res, CU_BUDGET.create_market, "N = 101, Normal, pre-funded address");
  });
});
