/**
 * Every money account a caller passes is checked before anything moves, each with its named
 * error, and a rejected transaction changes nothing (accounts, token balances): the wrong mint,
 * the wrong token program, a token account of someone else or of another mint or not a token
 * account at all, another token account in place of the shard's vault, a frozen account, and a
 * migration towards a vault that is not the destination shard's. Every case runs on both
 * runtimes and on both token programs, for every instruction that moves money. A token
 * account of the signer's other than its ATA (`Collateral.tokenAccount`) pays and is paid.
 */
import { createInitializeAccount3Instruction } from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  decodeClaimEvents,
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
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  voteRebalanceInstruction,
  withdrawCollateralInstruction,
  type Collateral,
  type ContinuumErrorName,
} from "../../sdk/src/index.js";
import { Amm, ok, TRADING_DEADLINE, type MarketHandle } from "../amm/fixture.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, createTestMint, freeze, fundTokens, mintTo, rentExempt, thaw, tokenBalance, TOKEN_KINDS, type TestCollateral, type TokenKind } from "../harness/token.js";
import { Sharding, SHARDING_CONFIG } from "../sharding/fixture.js";

/** Where an instruction's money accounts are (signer's token account, vault, mint, token program). */
interface MoneyAt {
  tokens: number;
  vault: number;
  mint: number;
  program: number;
}
/** Trade: trader, market, shard, position, system, then the money accounts. */
const TRADE: MoneyAt = { tokens: 5, vault: 6, mint: 7, program: 8 };
/** create_market: authority, config, shard, market, system, market key, then the money accounts. */
const CREATE: MoneyAt = { tokens: 6, vault: 7, mint: 8, program: 9 };
/** claim: owner, market, shard, position; close_market: authority, config, market, shard. */
const CLAIM: MoneyAt = { tokens: 4, vault: 5, mint: 6, program: 7 };
const CLOSE = CLAIM;
/** claim_lp, deposit_collateral, withdraw_collateral: signer, market, shard. */
const MONEY3: MoneyAt = { tokens: 3, vault: 4, mint: 5, program: 6 };

const CASES = RUNTIME_NAMES.flatMap((r) => TOKEN_KINDS.map((k) => [r, k] as const));

/** The token program that is not `kind`'s. */
const otherTokenProgram = (kind: TokenKind): PublicKey => (kind === "token" ? TOKEN_2022_PROGRAM_ID : TOKEN_PROGRAM_ID);

/** Raw state (lamports, owner, data: token amounts included) of `keys`. */
async function snapshot(rt: TestRuntime, keys: PublicKey[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const k of keys) {
    const a = await rt.getAccount(k);
    out.push(a ? { key: k.toBase58(), lamports: a.lamports, owner: a.owner.toBase58(), data: Buffer.from(a.data).toString("hex") } : null);
  }
  return out;
}

/** Sends `ix`, expects `error`, and checks every account of `keys` is byte-identical after. */
async function rejects(rt: TestRuntime, ix: TransactionInstruction, signers: Keypair[], error: ContinuumErrorName, keys: PublicKey[]): Promise<void> {
  const before = await snapshot(rt, keys);
  expectError(await rt.send([ix], signers), error);
  expect(await snapshot(rt, keys)).toEqual(before);
}

/** What the bad-account cases substitute: another mint of the same program, and a third party. */
interface Substitutes {
  /** Another mint of the collateral's token program; every owner below holds an account of it. */
  other: TestCollateral;
  /** Someone else holding a collateral token account. */
  stranger: PublicKey;
}

/** One instruction that moves money: who signs, whose token account pays or is paid, where its money accounts are. */
interface MoneyInstruction {
  ix: TransactionInstruction;
  signers: Keypair[];
  owner: PublicKey;
  at: MoneyAt;
  shardId: number;
}

/** The bad-account cases of one instruction's money accounts, each a named error with `keys` unchanged. */
async function badMoneyAccounts(rt: TestRuntime, sub: Substitutes, target: MoneyInstruction, keys: PublicKey[]): Promise<void> {
  const { ix, signers, owner, at } = target;
  const col = rt.collateral;
  const otherVault = findVaultPda((target.shardId + 1) % SHARDING_CONFIG.shardCount)[0];
  const otherShard = findShardPda((target.shardId + 1) % SHARDING_CONFIG.shardCount)[0];
  const watched = [...keys, otherVault, otherShard, ataOf(owner, sub.other), ataOf(sub.stranger, col)];
  await rejects(rt, withAccount(ix, at.mint, { pubkey: sub.other.mint }), signers, "InvalidMint", watched);
  await rejects(rt, withAccount(ix, at.program, { pubkey: otherTokenProgram(col.kind) }), signers, "InvalidTokenProgram", watched);
  // A program that is not a token program (the ATA program).
  await rejects(rt, withAccount(ix, at.program, { pubkey: ASSOCIATED_TOKEN_PROGRAM_ID }), signers, "InvalidTokenProgram", watched);
  await rejects(rt, withAccount(ix, at.tokens, { pubkey: ataOf(sub.stranger, col) }), signers, "TokenAccountOwnerMismatch", watched);
  await rejects(rt, withAccount(ix, at.tokens, { pubkey: ataOf(owner, sub.other) }), signers, "TokenAccountMintMismatch", watched);
  // Not a token account at all (an account of this program: another shard's Shard PDA).
  await rejects(rt, withAccount(ix, at.tokens, { pubkey: otherShard }), signers, "InvalidTokenAccount", watched);
  // Another token account of the right mint in the vault's place: another shard's vault, or someone's own.
  await rejects(rt, withAccount(ix, at.vault, { pubkey: otherVault }), signers, "InvalidVault", watched);
  await rejects(rt, withAccount(ix, at.vault, { pubkey: ataOf(sub.stranger, col) }), signers, "InvalidVault", watched);
}

describe.each(CASES)("money accounts on %s, %s collateral", (runtimeName, kind) => {
  let rt: TestRuntime;
  let amm: Amm;
  let m: MarketHandle;
  let alice: Keypair;
  let bob: Keypair;
  let sub: Substitutes;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt, { kind });
    ({ m } = await amm.createMarket(amm.params(11)));
    await amm.open(m);
    alice = await fundedKeypair(rt, 10n);
    bob = await fundedKeypair(rt, 10n);
    const other = await createTestMint(rt, { kind });
    for (const owner of [alice.publicKey, bob.publicKey, amm.authority.publicKey]) await fundTokens(rt, other, owner, 1_000_000_000n);
    sub = { other, stranger: bob.publicKey };
  });

  /** Accounts (with token balances) a rejected transaction must leave untouched. */
  function watched(extra: PublicKey[] = []): PublicKey[] {
    return [
      m.address,
      amm.shardPda(m),
      findVaultPda(m.shardId)[0],
      findConfigPda()[0],
      findPositionPda(m.address, alice.publicKey)[0],
      alice.publicKey,
      ataOf(alice.publicKey, rt.collateral),
      ataOf(bob.publicKey, rt.collateral),
      amm.authority.publicKey,
      ataOf(amm.authority.publicKey, rt.collateral),
      ...extra,
    ];
  }

  async function bet(trader: Keypair, collateral: Collateral = rt.collateral): Promise<TransactionInstruction> {
    return priceDistributionBet(await amm.market(m), m.address, trader.publicKey, 40_000_000n, { i0: 3, i1: 5 }, collateral).instruction;
  }

  it("trade: wrong mint, token program, token account, vault; frozen accounts", async () => {
    const ix = await bet(alice);
    await badMoneyAccounts(rt, sub, { ix, signers: [alice], owner: alice.publicKey, at: TRADE, shardId: m.shardId }, watched());
    // A frozen trader account, then a frozen vault (the mint's freeze authority can do both).
    await freeze(rt, rt.collateral, ataOf(alice.publicKey, rt.collateral));
    await rejects(rt, ix, [alice], "TokenAccountFrozen", watched());
    await freeze(rt, rt.collateral, findVaultPda(m.shardId)[0]);
    await rejects(rt, await bet(bob), [bob], "TokenAccountFrozen", watched());
  });

  it("create_market: the LP's token account, the vault, the mint and the token program", async () => {
    const params = amm.params(11);
    const created = amm.handle(params);
    const keys = watched([created.address, findVaultPda(created.shardId)[0], findShardPda(created.shardId)[0]]);
    const ix = amm.createIx(params)[0]!;
    await badMoneyAccounts(rt, sub, { ix, signers: amm.createSigners(params), owner: amm.authority.publicKey, at: CREATE, shardId: created.shardId }, keys);
    await freeze(rt, rt.collateral, ataOf(amm.authority.publicKey, rt.collateral));
    await rejects(rt, ix, amm.createSigners(params), "TokenAccountFrozen", keys);
    expect(await rt.getAccount(created.address)).toBeNull();
  });

  it("claim, claim_lp, close_market: a payout goes only to the signer's own unfrozen account of the mint, from its shard's vault", async () => {
    ok(await rt.send([await bet(alice)], [alice]));
    await amm.setTime(TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    const claim = claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral);
    await badMoneyAccounts(rt, sub, { ix: claim, signers: [alice], owner: alice.publicKey, at: CLAIM, shardId: m.shardId }, watched());
    const aliceAta = ataOf(alice.publicKey, rt.collateral);
    await freeze(rt, rt.collateral, aliceAta);
    await rejects(rt, claim, [alice], "TokenAccountFrozen", watched());
    await thaw(rt, rt.collateral, aliceAta);
    ok(await rt.send([claim], [alice]));

    const claimLp = claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral);
    await badMoneyAccounts(rt, sub, { ix: claimLp, signers: [amm.authority], owner: amm.authority.publicKey, at: MONEY3, shardId: m.shardId }, watched());
    ok(await rt.send([claimLp], [amm.authority]));

    // Every claim is in: close_market pays the dust (checks run even when it is 0).
    const close = closeMarketInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral);
    await badMoneyAccounts(rt, sub, { ix: close, signers: [amm.authority], owner: amm.authority.publicKey, at: CLOSE, shardId: m.shardId }, watched());
    await freeze(rt, rt.collateral, ataOf(amm.authority.publicKey, rt.collateral));
    await rejects(rt, close, [amm.authority], "TokenAccountFrozen", watched());
    expect(await rt.getAccount(m.address)).not.toBeNull();
  });

  it("a token account of the trader's other than its ATA pays the trade and receives the claim (Collateral.tokenAccount)", async () => {
    // A plain (non-associated) token account at a fresh keypair address, owned by alice.
    const account = Keypair.generate();
    const col = rt.collateral;
    const res = await rt.send(
      [
        SystemProgram.createAccount({ fromPubkey: rt.payer.publicKey, newAccountPubkey: account.publicKey, lamports: Number(rentExempt(165)), space: 165, programId: col.tokenProgram }),
        createInitializeAccount3Instruction(account.publicKey, col.mint, alice.publicKey, col.tokenProgram),
      ],
      [account],
    );
    ok(res);
    await mintTo(rt, col, account.publicKey, 100_000_000n);
    const mine: Collateral = { ...col, tokenAccount: account.publicKey };
    const ata = ataOf(alice.publicKey, col);
    const ataBefore = await tokenBalance(rt, ata);
    const vault = findVaultPda(m.shardId)[0];
    const vaultBefore = await tokenBalance(rt, vault);
    const ix = await bet(alice, mine);
    expect(ix.keys[TRADE.tokens]!.pubkey.equals(account.publicKey)).toBe(true);
    ok(await rt.send([ix], [alice]));
    const paid = 100_000_000n - (await tokenBalance(rt, account.publicKey));
    expect(paid).toBeGreaterThan(0n);
    expect((await tokenBalance(rt, vault)) - vaultBefore).toBe(paid);
    expect(await tokenBalance(rt, ata)).toBe(ataBefore);
    await amm.s.expectVaultsMatchBooks([m.address]);

    await amm.setTime(TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    const before = await tokenBalance(rt, account.publicKey);
    const claimed = ok(await rt.send([claimInstruction(alice.publicKey, m.address, m.shardId, mine)], [alice]));
    const amount = decodeClaimEvents(claimed.logs)[0]!.amount;
    expect((await tokenBalance(rt, account.publicKey)) - before).toBe(amount);
    expect(await tokenBalance(rt, ata)).toBe(ataBefore);
    await amm.s.expectVaultsMatchBooks([m.address]);
  });
});

describe.each(CASES)("money accounts of the sharding instructions on %s, %s collateral", (runtimeName, kind) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt, {}, true, { kind });
    user = await fundedKeypair(rt, 100n);
  });

  it("init_shard: the config's mint and token program only", async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt, {}, false, { kind });
    const sameProgram = await createTestMint(rt, { kind });
    const otherProgram = await createTestMint(rt, { kind: kind === "token" ? "token-2022" : "token" });
    const ix = initShardInstruction(s.admin.publicKey, 0, s.collateral);
    const keys = [findShardPda(0)[0], findVaultPda(0)[0], s.admin.publicKey];
    await rejects(rt, withAccount(ix, 5, { pubkey: sameProgram.mint }), [s.admin], "InvalidMint", keys);
    await rejects(rt, withAccount(withAccount(ix, 5, { pubkey: otherProgram.mint }), 6, { pubkey: otherProgram.tokenProgram }), [s.admin], "InvalidMint", keys);
    await rejects(rt, withAccount(ix, 6, { pubkey: otherTokenProgram(kind) }), [s.admin], "InvalidTokenProgram", keys);
    ok(await rt.send([ix], [s.admin]));
    expect((await s.shard(0)).vault.equals(findVaultPda(0)[0])).toBe(true);
    expect(await s.vaultBalance(0)).toBe(0n);
  });

  it("deposit_collateral / withdraw_collateral: token account, vault, mint, token program; frozen", async () => {
    const [key] = s.keysOnShard(1, 1) as [Uint8Array];
    await s.registerMarkets(user, [key]);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, key, 1, 1_000n, s.collateral)], [user]));
    const stranger = await fundedKeypair(rt, 1n);
    const other = await createTestMint(rt, { kind });
    await fundTokens(rt, other, user.publicKey, 1_000n);
    const sub = { other, stranger: stranger.publicKey };
    const keys = [s.marketPda(key), findShardPda(1)[0], findVaultPda(1)[0], findConfigPda()[0], ataOf(user.publicKey, s.collateral)];
    const deposit = depositCollateralInstruction(user.publicKey, key, 1, 10n, s.collateral);
    const withdraw = withdrawCollateralInstruction(user.publicKey, key, 1, 10n, s.collateral);
    for (const ix of [deposit, withdraw]) await badMoneyAccounts(rt, sub, { ix, signers: [user], owner: user.publicKey, at: MONEY3, shardId: 1 }, keys);
    await freeze(rt, s.collateral, ataOf(user.publicKey, s.collateral));
    for (const ix of [deposit, withdraw]) await rejects(rt, ix, [user], "TokenAccountFrozen", keys);
    await thaw(rt, s.collateral, ataOf(user.publicKey, s.collateral));
    await freeze(rt, s.collateral, findVaultPda(1)[0]);
    for (const ix of [deposit, withdraw]) await rejects(rt, ix, [user], "TokenAccountFrozen", keys);
    await s.expectVaultsMatchBooks([s.marketPda(key)]);
  });

  /** An approved proposal moving one Registered market (holding 123,457 base units) 1 -> 2. */
  async function approvedMove(): Promise<{ ix: TransactionInstruction; key: Uint8Array }> {
    const keeper = await s.keeperWithStake(5_000_000n);
    const keys = s.keysOnShard(1, 1);
    await s.registerMarkets(user, keys);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, keys[0]!, 1, 123_457n, s.collateral)], [user]));
    const plan = { from: 1, to: 2, markets: keys };
    await s.makeHot(user, keys, [keeper]);
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, 0n, true)], [keeper]));
    return { ix: executeRebalanceInstruction(0n, plan, s.collateral), key: keys[0]! };
  }

  const migrationKeys = (key: Uint8Array): PublicKey[] => [
    findShardPda(1)[0],
    findShardPda(2)[0],
    findVaultPda(1)[0],
    findVaultPda(2)[0],
    findVaultPda(3)[0],
    s.marketPda(key),
    findConfigPda()[0],
  ];

  it("execute_rebalance: the destination vault must be the destination shard's", async () => {
    const { ix, key } = await approvedMove();
    const keys = [...migrationKeys(key), ataOf(user.publicKey, s.collateral)];
    const other = await createTestMint(rt, { kind });
    // Accounts: proposal, from, to, from vault, to vault, mint, token program, markets.
    await rejects(rt, withAccount(ix, 4, { pubkey: findVaultPda(3)[0] }), [], "InvalidVault", keys);
    await rejects(rt, withAccount(ix, 4, { pubkey: ataOf(user.publicKey, s.collateral) }), [], "InvalidVault", keys);
    // The source vault passed twice (as its own destination).
    await rejects(rt, withAccount(ix, 4, { pubkey: findVaultPda(1)[0] }), [], "DuplicateAccount", keys);
    await rejects(rt, withAccount(ix, 3, { pubkey: findVaultPda(3)[0] }), [], "InvalidVault", keys);
    await rejects(rt, withAccount(ix, 5, { pubkey: other.mint }), [], "InvalidMint", keys);
    await rejects(rt, withAccount(ix, 6, { pubkey: otherTokenProgram(kind) }), [], "InvalidTokenProgram", keys);
    const moving = (await s.market(key)).vaultAmount;
    const from = await s.vaultBalance(1);
    ok(await rt.send([ix]));
    await s.expectVaultsMatchBooks([s.marketPda(key)]);
    expect(await s.vaultBalance(2)).toBe(moving);
    expect(await s.vaultBalance(1)).toBe(from - moving);
  });

  it("execute_rebalance: a frozen source or destination vault stops the whole migration", async () => {
    const { ix, key } = await approvedMove();
    const keys = migrationKeys(key);
    await freeze(rt, s.collateral, findVaultPda(2)[0]);
    await rejects(rt, ix, [], "TokenAccountFrozen", keys);
    await thaw(rt, s.collateral, findVaultPda(2)[0]);
    await freeze(rt, s.collateral, findVaultPda(1)[0]);
    await rejects(rt, ix, [], "TokenAccountFrozen", keys);
    await thaw(rt, s.collateral, findVaultPda(1)[0]);
    ok(await rt.send([ix]));
    expect((await s.market(key)).shardId).toBe(2);
    await s.expectVaultsMatchBooks([s.marketPda(key)]);
  });
});
