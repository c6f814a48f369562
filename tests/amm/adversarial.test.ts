/**
 * Adversarial matrix on both runtimes: every rejected action fails with its named error and
 * changes nothing (market, shard, positions and balances are snapshotted before and after).
 * Also the cancel path: refunds of every trader's collateral and of `b`, zero dust.
 */
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelMarketInstruction,
  claimInstruction,
  claimLpInstruction,
  createMarketInstruction,
  editDistributionInstruction,
  editedDistribution,
  encodeTrade,
  findPositionPda,
  findVaultPda,
  findShardPda,
  openMarketInstruction,
  priceDistributionBet,
  resolveMarketInstruction,
  SCALE_1E9,
  type ContinuumErrorName,
  type PricedBet,
} from "../../sdk/src/index.js";
import { expectError, fundedKeypair, withAccount, withData } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance } from "../harness/token.js";
import { Amm, ok, RESOLUTION_DEADLINE, TRADING_DEADLINE, type MarketHandle } from "./fixture.js";

const N = 11;

describe.each(RUNTIME_NAMES)("AMM adversarial on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;
  let m: MarketHandle;
  let alice: Keypair;
  let bob: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
    ({ m } = await amm.createMarket(amm.params(N)));
    await amm.open(m);
    alice = await fundedKeypair(rt, 100n);
    bob = await fundedKeypair(rt, 100n);
    ok(await rt.send([(await price(alice, 50_000_000n, 2, 4)).instruction], [alice]));
  });

  const tokensOf = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));
  const vaultTokens = (): Promise<bigint> => tokenBalance(rt, findVaultPda(m.shardId)[0]);

  async function price(trader: Keypair, amount: bigint, i0: number, i1: number): Promise<PricedBet> {
    return priceDistributionBet(await amm.market(m), m.address, trader.publicKey, amount, { i0, i1 }, rt.collateral);
  }

  function watched(extra: PublicKey[] = []): PublicKey[] {
    return [
      m.address,
      amm.shardPda(m),
      findPositionPda(m.address, alice.publicKey)[0],
      findPositionPda(m.address, bob.publicKey)[0],
      alice.publicKey,
      bob.publicKey,
      amm.authority.publicKey,
      // Money: the shard's vault and everyone's token accounts.
      findVaultPda(m.shardId)[0],
      ataOf(alice.publicKey, rt.collateral),
      ataOf(bob.publicKey, rt.collateral),
      ataOf(amm.authority.publicKey, rt.collateral),
      ...extra,
    ];
  }

  /** Sends, expects the named error, and checks every watched account is unchanged. */
  async function rejects(ixs: TransactionInstruction[], signers: Keypair[], error: ContinuumErrorName, extra: PublicKey[] = []): Promise<void> {
    const keys = watched(extra);
    const before = await amm.snapshot(keys);
    expectError(await rt.send(ixs, signers), error);
    expect(await amm.snapshot(keys)).toEqual(before);
  }

  function withArgs(p: PricedBet, change: Partial<{ i0: number; i1: number; t: bigint; c: bigint; maxCollateral: bigint }>): TransactionInstruction {
    const a = { i0: p.range.i0, i1: p.range.i1, t: p.quote.t, c: p.quote.c, maxCollateral: p.quote.collateral, ...change };
    return withData(p.instruction, encodeTrade({ direction: { kind: "range", i0: a.i0, i1: a.i1 }, t: a.t, c: a.c, maxIn: a.maxCollateral, minOut: 0n }));
  }

  it("c one ulp above or below canonical, and a c that breaks the norm cap: NotCanonical", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    await rejects([withArgs(p, { c: p.quote.c + 1n })], [bob], "NotCanonical");
    await rejects([withArgs(p, { c: p.quote.c - 1n })], [bob], "NotCanonical");
    await rejects([withArgs(p, { c: p.quote.c + SCALE_1E9 / 10n, maxCollateral: 1n << 62n })], [bob], "NotCanonical");
    await rejects([withArgs(p, { t: p.quote.t + 1_000n })], [bob], "NotCanonical");
    ok(await rt.send([p.instruction], [bob]));
  });

  it("range outside the grid or inverted: InvalidRange", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    await rejects([withArgs(p, { i1: N })], [bob], "InvalidRange");
    await rejects([withArgs(p, { i0: 7, i1: 5 })], [bob], "InvalidRange");
  });

  it("zero-effect bet (t = 0): ZeroEffectBet", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    await rejects([withArgs(p, { t: 0n })], [bob], "ZeroEffectBet");
  });

  it("collateral above max_collateral: SlippageExceeded", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    await rejects([withArgs(p, { maxCollateral: p.quote.collateral - 1n })], [bob], "SlippageExceeded");
  });

  it("a quote made stale by another trade fails instead of filling at another price", async () => {
    const stale = await price(bob, 80_000_000n, 5, 7);
    ok(await rt.send([(await price(alice, 60_000_000n, 6, 9)).instruction], [alice]));
    const before = await amm.snapshot(watched());
    const res = await rt.send([stale.instruction], [bob]);
    expect(res.ok).toBe(false);
    expect(["NotCanonical", "SlippageExceeded"]).toContain(res.errorCode === undefined ? "" : (await import("../../sdk/src/index.js")).errorName(res.errorCode));
    expect(await amm.snapshot(watched())).toEqual(before);
  });

  it("trade after the trading deadline: TradingClosed; after resolution: InvalidMarketStatus", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    await amm.setTime(TRADING_DEADLINE);
    await rejects([p.instruction], [bob], "TradingClosed");
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    await rejects([p.instruction], [bob], "InvalidMarketStatus");
  });

  it("edit after open: InvalidMarketStatus; edit by a non-authority: InvalidAuthority", async () => {
    const market = await amm.market(m);
    const drag = { kind: "drag" as const, index: 4, value: 1n };
    const c = editedDistribution(market, drag).c;
    await rejects([editDistributionInstruction(amm.authority.publicKey, m.address, m.shardId, drag, c)], [amm.authority], "InvalidMarketStatus");
    // A market still in Setup, edited by someone else.
    const { m: setup } = await amm.createMarket(amm.params(N));
    const sm = await amm.market(setup);
    const c2 = editedDistribution(sm, drag).c;
    const before = await amm.snapshot([setup.address]);
    expectError(await rt.send([editDistributionInstruction(bob.publicKey, setup.address, setup.shardId, drag, c2)], [bob]), "InvalidAuthority");
    expectError(await rt.send([editDistributionInstruction(amm.authority.publicKey, setup.address, setup.shardId, drag, c2 + 1n)], [amm.authority]), "NotCanonical");
    expect(await amm.snapshot([setup.address])).toEqual(before);
    ok(await rt.send([editDistributionInstruction(amm.authority.publicKey, setup.address, setup.shardId, drag, c2)], [amm.authority]));
  });

  it("resolve: too early, by a non-resolver, twice, after the resolution deadline", async () => {
    const resolve = (who: Keypair): TransactionInstruction => resolveMarketInstruction(who.publicKey, m.address, m.shardId, 7n);
    await rejects([resolve(amm.authority)], [amm.authority], "TradingNotClosed");
    await amm.setTime(TRADING_DEADLINE);
    await rejects([resolve(bob)], [bob], "InvalidAuthority");
    await amm.setTime(RESOLUTION_DEADLINE);
    await rejects([resolve(amm.authority)], [amm.authority], "ResolutionWindowClosed");
    await amm.setTime(RESOLUTION_DEADLINE - 1n);
    ok(await rt.send([resolve(amm.authority)], [amm.authority]));
    await rejects([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 9n)], [amm.authority], "AlreadyResolved");
  });

  it("claim: before settlement, twice, someone else's position, LP by a non-authority, LP twice", async () => {
    await rejects([claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral)], [alice], "InvalidMarketStatus");
    await amm.setTime(TRADING_DEADLINE);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, -123n)], [amm.authority]));
    const alicePos = findPositionPda(m.address, alice.publicKey)[0];
    await rejects([claimInstruction(bob.publicKey, m.address, m.shardId, rt.collateral, { position: alicePos })], [bob], "InvalidAuthority");
    ok(await rt.send([claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral)], [alice]));
    // The claim closed the position: there is nothing left to claim.
    expect(await rt.getAccount(alicePos)).toBeNull();
    await rejects([claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral)], [alice], "InvalidAccountOwner");
    await rejects([claimLpInstruction(bob.publicKey, m.address, m.shardId, rt.collateral)], [bob], "InvalidAuthority");
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
    await rejects([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority], "AlreadyClaimed");
  });

  it("wrong shard PDA: AccountMismatch (trade, resolve, claim)", async () => {
    const other = (m.shardId + 1) % amm.shardCount;
    const p = await price(bob, 80_000_000n, 5, 7);
    const wrong = findShardPda(other)[0];
    await rejects([withAccount(p.instruction, 2, { pubkey: wrong })], [bob], "AccountMismatch", [wrong]);
    await amm.setTime(TRADING_DEADLINE);
    await rejects([resolveMarketInstruction(amm.authority.publicKey, m.address, other, 0n)], [amm.authority], "AccountMismatch", [wrong]);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    await rejects([claimInstruction(alice.publicKey, m.address, other, rt.collateral)], [alice], "AccountMismatch", [wrong]);
  });

  it("a position of another market: AccountMismatch (trade and claim)", async () => {
    const { m: m2 } = await amm.createMarket(amm.params(N));
    await amm.open(m2);
    const m2Market = await amm.market(m2);
    ok(await rt.send([priceDistributionBet(m2Market, m2.address, alice.publicKey, 40_000_000n, { i0: 1, i1: 3 }, rt.collateral).instruction], [alice]));
    const foreign = findPositionPda(m2.address, alice.publicKey)[0];
    const p = await price(alice, 80_000_000n, 5, 7);
    await rejects([withAccount(p.instruction, 3, { pubkey: foreign })], [alice], "AccountMismatch", [foreign]);
    await amm.setTime(TRADING_DEADLINE);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    await rejects([claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral, { position: foreign })], [alice], "AccountMismatch", [foreign]);
  });

  it("a position address that is not the PDA: InvalidPda", async () => {
    const p = await price(bob, 80_000_000n, 5, 7);
    const fake = Keypair.generate().publicKey;
    await rejects([withAccount(p.instruction, 3, { pubkey: fake })], [bob], "InvalidPda", [fake]);
  });

  it("create_market rejects a too-narrow Normal, a bad grid, bad deadlines and bad parameters", async () => {
    const cases: [Partial<Parameters<Amm["params"]>[2]>, ContinuumErrorName, Parameters<Amm["params"]>[1]?][] = [
      [{ scale: 1n }, "MaxBoundExceeded", { kind: "Normal", mean1e9: 0n, sigma1e9: 1n * SCALE_1E9 }],
      [{ nPoints: 10, scale: 1n }, "InvalidGrid"],
      [{ nPoints: 617, scale: 1n }, "InvalidGrid"],
      [{ hi: 499n, scale: 1n }, "InvalidGrid"],
      [{ tradingDeadline: 0n, scale: 1n }, "InvalidDeadlines"],
      [{ resolutionDeadline: TRADING_DEADLINE, scale: 1n }, "InvalidDeadlines"],
      [{ b: 0n, scale: 1n }, "InvalidMarketParams"],
      [{ k: 0n, scale: 1n }, "InvalidMarketParams"],
      [{ scale: 1n }, "NotCanonical"],
    ];
    for (const [over, error, shape] of cases) {
      const params = amm.params(N, shape, over);
      const ix = createMarketInstruction(amm.authority.publicKey, params, amm.shardCount, rt.collateral);
      const keys = [ix.keys[1]!.pubkey, ix.keys[2]!.pubkey, ix.keys[3]!.pubkey, amm.authority.publicKey];
      const before = await amm.snapshot(keys);
      expectError(await rt.send([ix], amm.createSigners(params)), error);
      expect(await amm.snapshot(keys)).toEqual(before);
    }
  });

  it("cancel path: unresolved past the deadline -> cancelled -> every trader refunded, LP refunded b, zero dust", async () => {
    const traders = [alice, bob, await fundedKeypair(rt, 100n)];
    ok(await rt.send([(await price(bob, 70_000_000n, 6, 9)).instruction], [bob]));
    ok(await rt.send([(await price(traders[2]!, 90_000_000n, 0, 3)).instruction], [traders[2]!]));
    ok(await rt.send([(await price(alice, 30_000_000n, 8, 10)).instruction], [alice]));
    const stranger = await fundedKeypair(rt, 1n);
    const cancel = cancelMarketInstruction(stranger.publicKey, m.address, m.shardId);
    await rejects([cancel], [stranger], "ResolutionDeadlineNotReached", [stranger.publicKey]);
    await amm.setTime(RESOLUTION_DEADLINE);
    ok(await rt.send([cancel], [stranger]));
    await rejects([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority], "InvalidMarketStatus");
    let market = await amm.market(m);
    expect(market.status).toBe(4);
    const vault = market.vaultAmount;
    const shardBefore = await vaultTokens();
    let paid = 0n;
    for (const t of traders) {
      const pos = (await amm.position(m, t.publicKey))!;
      const rent = await rt.balance(findPositionPda(m.address, t.publicKey)[0]);
      const before = await rt.balance(t.publicKey);
      const tokensBefore = await tokensOf(t.publicKey);
      ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t]));
      expect((await tokensOf(t.publicKey)) - tokensBefore).toBe(pos.collateral);
      expect((await rt.balance(t.publicKey)) - before).toBe(rent);
      paid += pos.collateral;
    }
    const lpBefore = await tokensOf(amm.authority.publicKey);
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
    expect((await tokensOf(amm.authority.publicKey)) - lpBefore).toBe(market.b);
    paid += market.b;
    market = await amm.market(m);
    expect(paid).toBe(vault);
    expect(market.vaultAmount).toBe(0n);
    expect(market.dustNumerator).toBe(0n);
    expect(market.paidOut).toBe(vault);
    expect(shardBefore - (await vaultTokens())).toBe(vault);
    await amm.s.expectVaultsMatchBooks([m.address]);
  });

  it("open_market: by a non-authority, on the wrong shard, twice", async () => {
    const { m: setup } = await amm.createMarket(amm.params(N));
    const before = await amm.snapshot([setup.address, amm.shardPda(setup)]);
    const open = (signer: Keypair, shardId = setup.shardId): TransactionInstruction =>
      openMarketInstruction(signer.publicKey, setup.address, shardId);
    expectError(await rt.send([open(bob)], [bob]), "InvalidAuthority");
    expectError(await rt.send([open(amm.authority, (setup.shardId + 1) % amm.shardCount)], [amm.authority]), "AccountMismatch");
    const unsigned = withAccount(open(amm.authority), 0, { isSigner: false });
    expectError(await rt.send([unsigned]), "MissingSigner");
    expect(await amm.snapshot([setup.address, amm.shardPda(setup)])).toEqual(before);
    ok(await rt.send([open(amm.authority)], [amm.authority]));
    const opened = await amm.snapshot([setup.address]);
    expectError(await rt.send([open(amm.authority)], [amm.authority]), "InvalidMarketStatus");
    expect(await amm.snapshot([setup.address])).toEqual(opened);
  });

  it("the authority may cancel a market still in Setup (refund of b)", async () => {
    const { m: setup } = await amm.createMarket(amm.params(N));
    expectError(await rt.send([cancelMarketInstruction(bob.publicKey, setup.address, setup.shardId)], [bob]), "ResolutionDeadlineNotReached");
    ok(await rt.send([cancelMarketInstruction(amm.authority.publicKey, setup.address, setup.shardId)], [amm.authority]));
    const before = await tokensOf(amm.authority.publicKey);
    ok(await rt.send([claimLpInstruction(amm.authority.publicKey, setup.address, setup.shardId, rt.collateral)], [amm.authority]));
    expect((await tokensOf(amm.authority.publicKey)) - before).toBe(10_000_000_000n);
    expect((await amm.market(setup)).vaultAmount).toBe(0n);
  });
});
