/**
 * Every money account a caller passes is checked before anything moves, each with its named
 * error, and a rejected transaction changes nothing (accounts, token balances): the wrong mint,
 * the wrong token program, a token account of someone else or of another mint or not a token
 * account at all, another token account in place of the shard's vault, a frozen account, and a
 * migration towards a vault that is not the destination shard's.
 */
import { TOKEN_2022_PROGRAM_ID } from "@solana/spl-token";
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  depositCollateralInstruction,
  executeRebalanceInstruction,
  findConfigPda,
  findPositionPda,
  findShardPda,
  findVaultPda,
  initShardInstruction,
  priceDistributionBet,
  proposeRebalanceInstruction,
  resolveMarketInstruction,
  voteRebalanceInstruction,
  withdrawCollateralInstruction,
  type ContinuumErrorName,
} from "../../sdk/src/index.js";
import { Amm, ok, TRADING_DEADLINE, type MarketHandle } from "../amm/fixture.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, createTestMint, freeze, fundTokens, tokenBalance, type TestCollateral } from "../harness/token.js";
import { Sharding } from "../sharding/fixture.js";

/** Trade accounts: trader, market, shard, position, system, trader tokens, vault, mint, token program. */
const TRADE = { tokens: 5, vault: 6, mint: 7, program: 8 } as const;
/** Claim / claim_lp / withdraw / deposit: the money accounts start at these indices. */
const CLAIM = { tokens: 4, vault: 5, mint: 6, program: 7 } as const;
const CLAIM_LP = { tokens: 3, vault: 4, mint: 5, program: 6 } as const;
const MONEY3 = { tokens: 3, vault: 4, mint: 5, program: 6 } as const;

describe.each(RUNTIME_NAMES)("money accounts on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;
  let m: MarketHandle;
  let alice: Keypair;
  let bob: Keypair;
  /** Another mint of the same token program, with alice holding an account of it. */
  let other: TestCollateral;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
    ({ m } = await amm.createMarket(amm.params(11)));
    await amm.open(m);
    alice = await fundedKeypair(rt, 10n);
    bob = await fundedKeypair(rt, 10n);
    const col = rt.collateral;
    other = await createTestMint(rt, { kind: col.kind });
    await fundTokens(rt, other, alice.publicKey, 1_000_000_000n);
    rt.collateral = col;
  });

  /** Accounts (with token balances) a rejected transaction must leave untouched. */
  function watched(extra: PublicKey[] = []): PublicKey[] {
    return [
      m.address,
      amm.shardPda(m),
      findVaultPda(m.shardId)[0],
      findPositionPda(m.address, alice.publicKey)[0],
      alice.publicKey,
      ataOf(alice.publicKey, rt.collateral),
      ataOf(bob.publicKey, rt.collateral),
      ataOf(alice.publicKey, other),
      amm.authority.publicKey,
      ataOf(amm.authority.publicKey, rt.collateral),
      ...extra,
    ];
  }

  async function rejects(ix: TransactionInstruction, signers: Keypair[], error: ContinuumErrorName, extra: PublicKey[] = []): Promise<void> {
    const keys = watched(extra);
    const before = await amm.snapshot(keys);
    expectError(await rt.send([ix], signers), error);
    expect(await amm.snapshot(keys)).toEqual(before);
  }

  async function bet(trader: Keypair): Promise<TransactionInstruction> {
    return priceDistributionBet(await amm.market(m), m.address, trader.publicKey, 40_000_000n, { i0: 3, i1: 5 }, rt.collateral).instruction;
  }

  /** The bad-account cases of one instruction's money accounts (`at`: their indices). */
  async function badMoneyAccounts(ix: TransactionInstruction, signer: Keypair, at: { tokens: number; vault: number; mint: number; program: number }): Promise<void> {
    const someoneElses = ataOf(signer === bob ? alice.publicKey : bob.publicKey, rt.collateral);
    await rejects(withAccount(ix, at.mint, { pubkey: other.mint }), [signer], "InvalidMint");
    const wrongProgram = rt.collateral.kind === "token" ? TOKEN_2022_PROGRAM_ID : other.tokenProgram.equals(rt.collateral.tokenProgram) ? findShardPda(0)[0] : other.tokenProgram;
    await rejects(withAccount(ix, at.program, { pubkey: wrongProgram }), [signer], "InvalidTokenProgram");
    await rejects(withAccount(ix, at.tokens, { pubkey: someoneElses }), [signer], "TokenAccountOwnerMismatch");
    if (signer === alice) await rejects(withAccount(ix, at.tokens, { pubkey: ataOf(alice.publicKey, other) }), [signer], "TokenAccountMintMismatch");
    // Not a token account at all (a program-owned account of this program).
    await rejects(withAccount(ix, at.tokens, { pubkey: findConfigPda()[0] }), [signer], "InvalidTokenAccount");
    // Another token account of the right mint in the vault's place: another shard's vault, or the signer's own.
    const otherVault = findVaultPda((m.shardId + 1) % amm.shardCount)[0];
    await rejects(withAccount(ix, at.vault, { pubkey: otherVault }), [signer], "InvalidVault", [otherVault]);
    await rejects(withAccount(ix, at.vault, { pubkey: someoneElses }), [signer], "InvalidVault");
  }

  it("trade: wrong mint, token program, token account, vault; frozen accounts", async () => {
    const ix = await bet(alice);
    await badMoneyAccounts(ix, alice, TRADE);
    // A frozen trader account, then a frozen vault (the mint's freeze authority can do both).
    await freeze(rt, rt.collateral, ataOf(alice.publicKey, rt.collateral));
    await rejects(ix, [alice], "TokenAccountFrozen");
    await freeze(rt, rt.collateral, findVaultPda(m.shardId)[0]);
    await rejects(await bet(bob), [bob], "TokenAccountFrozen");
  });

  it("create_market, claim, claim_lp: the payer and the payee are checked the same way", async () => {
    const params = amm.params(11);
    const create = amm.createIx(params)[0]!;
    const signers = amm.createSigners(params);
    const created = amm.handle(params);
    const keys = watched([created.address, findVaultPda(created.shardId)[0]]);
    const before = await amm.snapshot(keys);
    expectError(await rt.send([withAccount(create, 6, { pubkey: ataOf(alice.publicKey, rt.collateral) })], signers), "TokenAccountOwnerMismatch");
    expectError(await rt.send([withAccount(create, 7, { pubkey: ataOf(alice.publicKey, rt.collateral) })], signers), "InvalidVault");
    expectError(await rt.send([withAccount(create, 8, { pubkey: other.mint })], signers), "InvalidMint");
    expect(await amm.snapshot(keys)).toEqual(before);

    ok(await rt.send([await bet(alice)], [alice]));
    await amm.setTime(TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    // A payout can't be sent to someone else's account, nor taken from another vault.
    await badMoneyAccounts(claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral), alice, CLAIM);
    await badMoneyAccounts(claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral), amm.authority, CLAIM_LP);
    await freeze(rt, rt.collateral, ataOf(alice.publicKey, rt.collateral));
    await rejects(claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral), [alice], "TokenAccountFrozen");
  });
});

describe.each(RUNTIME_NAMES)("money accounts of the sharding instructions on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt, 100n);
  });

  async function unchanged(keys: PublicKey[], run: () => Promise<void>): Promise<void> {
    const snap = async (): Promise<unknown[]> =>
      Promise.all(keys.map(async (k) => [await rt.getAccount(k), await tokenBalance(rt, k)]));
    const before = await snap();
    await run();
    expect(await snap()).toEqual(before);
  }

  it("init_shard: the config's mint and token program only", async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt, {}, false);
    const other = await createTestMint(rt, { kind: "token-2022" });
    const ix = initShardInstruction(s.admin.publicKey, 0, s.collateral);
    const keys = [findShardPda(0)[0], findVaultPda(0)[0]];
    await unchanged(keys, async () => {
      expectError(await rt.send([withAccount(ix, 5, { pubkey: other.mint })], [s.admin]), "InvalidMint");
      expectError(await rt.send([withAccount(ix, 6, { pubkey: TOKEN_2022_PROGRAM_ID })], [s.admin]), "InvalidTokenProgram");
    });
    ok(await rt.send([ix], [s.admin]));
    expect((await s.shard(0)).vault.equals(findVaultPda(0)[0])).toBe(true);
    expect(await s.vaultBalance(0)).toBe(0n);
  });

  it("deposit_collateral / withdraw_collateral: token account and vault", async () => {
    const [key] = s.keysOnShard(1, 1) as [Uint8Array];
    await s.registerMarkets(user, [key]);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, key, 1, 1_000n, s.collateral)], [user]));
    const stranger = await fundedKeypair(rt, 1n);
    const keys = [s.marketPda(key), findShardPda(1)[0], findVaultPda(1)[0], findVaultPda(2)[0], ataOf(user.publicKey, s.collateral), ataOf(stranger.publicKey, s.collateral)];
    await unchanged(keys, async () => {
      for (const ix of [
        depositCollateralInstruction(user.publicKey, key, 1, 10n, s.collateral),
        withdrawCollateralInstruction(user.publicKey, key, 1, 10n, s.collateral),
      ]) {
        expectError(await rt.send([withAccount(ix, MONEY3.tokens, { pubkey: ataOf(stranger.publicKey, s.collateral) })], [user]), "TokenAccountOwnerMismatch");
        expectError(await rt.send([withAccount(ix, MONEY3.vault, { pubkey: findVaultPda(2)[0] })], [user]), "InvalidVault");
        expectError(await rt.send([withAccount(ix, MONEY3.program, { pubkey: TOKEN_2022_PROGRAM_ID })], [user]), "InvalidTokenProgram");
      }
    });
  });

  it("execute_rebalance: the destination vault must be the destination shard's", async () => {
    const keeper = await s.keeperWithStake(5_000_000n);
    const keys = s.keysOnShard(1, 1);
    await s.registerMarkets(user, keys);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, keys[0]!, 1, 123_457n, s.collateral)], [user]));
    const plan = { from: 1, to: 2, markets: keys };
    await s.makeHot(user, keys, [keeper]);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, 0n, true)], [keeper]));
    const ix = executeRebalanceInstruction(0n, plan, s.collateral);
    const watched = [findShardPda(1)[0], findShardPda(2)[0], findVaultPda(1)[0], findVaultPda(2)[0], findVaultPda(3)[0], s.marketPda(keys[0]!)];
    await unchanged(watched, async () => {
      // Accounts: proposal, from, to, from vault, to vault, mint, token program, markets.
      expectError(await rt.send([withAccount(ix, 4, { pubkey: findVaultPda(3)[0] })]), "InvalidVault");
      expectError(await rt.send([withAccount(ix, 4, { pubkey: ataOf(user.publicKey, s.collateral) })]), "InvalidVault");
      expectError(await rt.send([withAccount(ix, 3, { pubkey: findVaultPda(3)[0] })]), "InvalidVault");
      expectError(await rt.send([withAccount(ix, 5, { pubkey: (await createTestMint(rt)).mint })]), "InvalidMint");
      expectError(await rt.send([withAccount(ix, 6, { pubkey: TOKEN_2022_PROGRAM_ID })]), "InvalidTokenProgram");
    });
    const moving = (await s.market(keys[0]!)).vaultAmount;
    const from = await s.vaultBalance(1);
    ok(await rt.send([ix]));
    await s.expectVaultsMatchBooks(keys.map((k) => s.marketPda(k)));
    expect(await s.vaultBalance(2)).toBe(moving);
    expect(await s.vaultBalance(1)).toBe(from - moving);
  });
});
