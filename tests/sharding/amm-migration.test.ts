/**
 * An AMM market with open positions migrates mid-life: `execute_rebalance` moves its whole
 * token balance (b, the positions' collateral, the fees) from the source shard's vault to the
 * destination's with its books; a trade or a claim built against the old shard is refused
 * (`AccountMismatch`, nothing changed); trading goes on on the new shard, and every claim is
 * paid from the new vault exactly as the SDK predicts, `paid + dust == vault`. Both runtimes,
 * both token programs; vaults == books before and after every step; the migration's CU.
 */
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  decodeTradeExecutedEvents,
  executeRebalanceInstruction,
  findPositionPda,
  findShardPda,
  findVaultPda,
  lpClaim,
  priceDistributionBet,
  proposeRebalanceInstruction,
  resolveMarketInstruction,
  traderClaim,
  voteRebalanceInstruction,
} from "../../sdk/src/index.js";
import { Amm, B, ok, T0, TRADING_DEADLINE } from "../amm/fixture.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance, TOKEN_KINDS } from "../harness/token.js";

/** Grid of the migrating market: the CU row's variant (the state hashes cover its whole account). */
const N = 101;
const CASES = RUNTIME_NAMES.flatMap((r) => TOKEN_KINDS.map((k) => [r, k] as const));

describe.each(CASES)("an AMM market migrating between shards on %s, %s collateral", (runtimeName, kind) => {
  it("moves its whole balance, refuses the old shard, and pays every claim from the new vault", async () => {
    const rt: TestRuntime = await createRuntime(runtimeName);
    const amm = await Amm.create(rt, { kind });
    const s = amm.s;
    const { m } = await amm.createMarket(amm.params(N, undefined, { feeBps: 30 }));
    await amm.open(m);
    const from = m.shardId;
    const to = (from + 1) % s.shardCount;
    const tokens = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));
    const watched = [m.address, findShardPda(from)[0], findShardPda(to)[0], findVaultPda(from)[0], findVaultPda(to)[0]];
    const unchangedBy = async (ix: TransactionInstruction, signer: Keypair): Promise<void> => {
      const before = await amm.snapshot([...watched, ataOf(signer.publicKey, rt.collateral), findPositionPda(m.address, signer.publicKey)[0]]);
      expectError(await rt.send([ix], [signer]), "AccountMismatch");
      expect(await amm.snapshot([...watched, ataOf(signer.publicKey, rt.collateral), findPositionPda(m.address, signer.publicKey)[0]])).toEqual(before);
    };

    /** Every market with books on the shards (the heating market joins below). */
    const booked = [m.address];
    let fees = 0n;
    // The quote prices the collateral; the 30 bps fee comes on top (max_in leaves room for it).
    const bet = async (trader: Keypair, i0: number): Promise<TransactionInstruction> =>
      priceDistributionBet(await amm.market(m), m.address, trader.publicKey, 300_000_000n, { i0, i1: i0 + 2 }, rt.collateral, { maxCollateral: 301_000_000n }).instruction;
    const trade = async (trader: Keypair, i0: number): Promise<void> => {
      const before = await tokens(trader.publicKey);
      const res = ok(await rt.send([await bet(trader, i0)], [trader]));
      const [ev] = decodeTradeExecutedEvents(res.logs);
      expect(before - (await tokens(trader.publicKey))).toBe(ev!.amountIn - ev!.amountOut);
      fees += ev!.fee;
      await s.expectVaultsMatchBooks(booked);
    };
    const traders = [await fundedKeypair(rt, 10n), await fundedKeypair(rt, 10n)];
    await trade(traders[0]!, 2);
    await trade(traders[1]!, 5);

    // Heat the source shard with a Registered market's deposits, report it, propose and approve.
    const user = await fundedKeypair(rt, 100n);
    const keeper = await s.keeperWithStake(5_000_000n);
    const heat = s.keysOnShard(from, 1);
    await s.registerMarkets(user, heat);
    booked.push(s.marketPda(heat[0]!));
    await s.makeHot(user, heat, [keeper]);
    const plan = { from, to, markets: [m.key] };
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, 0n, true)], [keeper]));
    // The sharding fixture's clock follows the slot; trading goes on before the deadline.
    await amm.setTime(T0 + 100n);

    await s.expectVaultsMatchBooks(booked);
    const moving = (await amm.market(m)).vaultAmount;
    expect(moving).toBe(B + (await amm.market(m)).totalCollateral + fees);
    const fromBefore = await s.vaultBalance(from);
    const toBefore = await s.vaultBalance(to);
    const staleTrade = await bet(traders[0]!, 3); // built while the market is on `from`
    const migrated = await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]);
    recordCu(import.meta.url, rt, "execute_rebalance", migrated, CU_BUDGET.execute_rebalance, `1 AMM market, N = ${N}`);
    await s.expectVaultsMatchBooks(booked);
    expect(await s.vaultBalance(from)).toBe(fromBefore - moving);
    expect(await s.vaultBalance(to)).toBe(toBefore + moving);
    expect((await amm.market(m)).shardId).toBe(to);
    expect((await amm.market(m)).vaultAmount).toBe(moving);

    // The old shard's accounts no longer serve it; the new shard's do.
    await unchangedBy(staleTrade, traders[0]!);
    await trade(traders[0]!, 3);

    await amm.setTime(TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, to, 20n)], [amm.authority]));
    const settled = await amm.market(m);
    const grid = { lo: settled.lo, hi: settled.hi, n: settled.nPoints };
    const vaultAtResolve = settled.vaultAmount;
    const toAtResolve = await s.vaultBalance(to);
    let paid = 0n;
    for (const t of traders) {
      await unchangedBy(claimInstruction(t.publicKey, m.address, from, rt.collateral), t);
      const position = (await amm.position(m, t.publicKey))!;
      const predicted = traderClaim(position.collateral, position.payoff, grid, settled.outcome);
      const before = await tokens(t.publicKey);
      ok(await rt.send([claimInstruction(t.publicKey, m.address, to, rt.collateral)], [t]));
      expect((await tokens(t.publicKey)) - before).toBe(predicted);
      paid += predicted;
      await s.expectVaultsMatchBooks(booked);
    }
    await unchangedBy(claimLpInstruction(amm.authority.publicKey, m.address, from, rt.collateral), amm.authority);
    const lpBefore = await tokens(amm.authority.publicKey);
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, to, rt.collateral)], [amm.authority]));
    const lpGot = (await tokens(amm.authority.publicKey)) - lpBefore;
    expect(lpGot).toBe(lpClaim(settled.b, settled.curve, settled.initialCurve, grid, settled.outcome) + fees);
    paid += lpGot;
    const after = await amm.market(m);
    const dust = after.dustNumerator / after.step;
    expect(paid + dust).toBe(vaultAtResolve);
    expect(toAtResolve - (await s.vaultBalance(to))).toBe(paid);
    ok(await rt.send([closeMarketInstruction(amm.authority.publicKey, m.address, to, rt.collateral)], [amm.authority]));
    expect(toAtResolve - (await s.vaultBalance(to))).toBe(paid + dust);
    await s.expectVaultsMatchBooks(booked);
  });
});
