/**
 * Account lifecycle on both runtimes: who may create a market key, how long a market may run,
 * and how every account's rent comes back (claim closes the position, close_market closes the
 * market). Every refused action is a named error that changes nothing.
 */
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelMarketInstruction,
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  createMarketInstruction,
  decodeClaimEvents,
  decodeMarketClosedEvents,
  depositCollateralInstruction,
  findConfigPda,
  findMarketPda,
  findPositionPda,
  findVaultPda,
  findShardPda,
  generateMarketKey,
  priceDistributionBet,
  PROGRAM_ID,
  registerMarketInstruction,
  resolveMarketInstruction,
  withdrawCollateralInstruction,
} from "../../sdk/src/index.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, tokenBalance } from "../harness/token.js";
import { Amm, ok, T0, TRADING_DEADLINE, type MarketHandle } from "./fixture.js";

/** Rent-exempt minimum of an account with no data: what a tombstoned market keeps. */
const EMPTY_ACCOUNT_RENT = 890_880n;

/** Index of the market-key signer in register_market / create_market. */
const MARKET_KEY_SIGNER = 5;

describe.each(RUNTIME_NAMES)("market lifecycle on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
  });

  /** Token balance of `owner`'s collateral account; of a market's shard vault. */
  const tokensOf = (owner: PublicKey): Promise<bigint> => tokenBalance(rt, ataOf(owner, rt.collateral));
  const vaultOf = (m: MarketHandle): Promise<bigint> => tokenBalance(rt, findVaultPda(m.shardId)[0]);

  /** Sends, expects the named error, and checks every watched account is unchanged. */
  async function rejects(ixs: TransactionInstruction[], signers: Keypair[], error: Parameters<typeof expectError>[1], watched: PublicKey[]): Promise<void> {
    const before = await amm.snapshot(watched);
    expectError(await rt.send(ixs, signers), error);
    expect(await amm.snapshot(watched)).toEqual(before);
  }

  describe("market keys sign their creation (no front-running a key)", () => {
    it("register_market: an attacker who copies the key but cannot sign is refused; the creator then succeeds", async () => {
      const creator = await fundedKeypair(rt, 10n);
      const attacker = await fundedKeypair(rt, 10n);
      const key = generateMarketKey();
      const shardId = amm.handle(amm.params(11, undefined, { marketKey: key })).shardId;
      const watched = [findMarketPda(key)[0], findShardPda(shardId)[0], findConfigPda()[0], attacker.publicKey];
      // The attacker saw the key in the creator's pending transaction: it has the public key only.
      const copied = registerMarketInstruction(attacker.publicKey, key.publicKey, amm.shardCount);
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { isSigner: false })], [attacker], "MissingSigner", watched);
      // Signing with another key of its own in the market key's place does not help.
      const impostor = Keypair.generate();
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { pubkey: impostor.publicKey })], [attacker, impostor], "AccountMismatch", watched);
      expect(await rt.getAccount(findMarketPda(key)[0])).toBeNull();

      ok(await rt.send([registerMarketInstruction(creator.publicKey, key, amm.shardCount)], [creator, key]));
      const market = await amm.s.market(key.publicKey.toBytes());
      expect(market.authority.equals(creator.publicKey)).toBe(true);
    });

    it("create_market: the same for an AMM market", async () => {
      const params = amm.params(11);
      const m = amm.handle(params);
      const attacker = await fundedKeypair(rt, 100n);
      const watched = [m.address, findShardPda(m.shardId)[0], findConfigPda()[0], attacker.publicKey];
      const copied = createMarketInstruction(attacker.publicKey, { ...params, marketKey: new PublicKey(m.key) }, amm.shardCount, rt.collateral);
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { isSigner: false })], [attacker], "MissingSigner", watched);
      const impostor = Keypair.generate();
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { pubkey: impostor.publicKey })], [attacker, impostor], "AccountMismatch", watched);
      expect(await rt.getAccount(m.address)).toBeNull();

      const { m: created } = await amm.createMarket(params);
      expect((await amm.market(created)).authority.equals(amm.authority.publicKey)).toBe(true);
    });
  });

  /** An open market with `traders` funded traders who each placed one bet. */
  async function openMarketWithBets(n: number, traders: number, over: Parameters<Amm["params"]>[2] = {}): Promise<{ m: MarketHandle; traders: Keypair[] }> {
    const { m } = await amm.createMarket(amm.params(n, undefined, over));
    await amm.open(m);
    const out: Keypair[] = [];
    for (let i = 0; i < traders; i++) {
      const t = await fundedKeypair(rt, 100n);
      const i0 = 1 + ((2 * i) % (n - 3));
      const bet = priceDistributionBet(await amm.market(m), m.address, t.publicKey, 40_000_000n + BigInt(i) * 7_000_000n, { i0, i1: i0 + 1 }, rt.collateral);
      ok(await rt.send([bet.instruction], [t]));
      out.push(t);
    }
    return { m, traders: out };
  }

  const resolve = async (m: MarketHandle, outcome = 17n): Promise<void> => {
    await amm.setTime(TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, outcome)], [amm.authority]));
  };
  const close = (m: MarketHandle, who: Keypair = amm.authority): TransactionInstruction => closeMarketInstruction(who.publicKey, m.address, m.shardId, rt.collateral);

  describe("rent comes back", () => {
    it("claim closes the position: the owner gets the payout and the position's rent; a second claim finds nothing", async () => {
      const { m, traders } = await openMarketWithBets(21, 1);
      const [t] = traders as [Keypair];
      const positionPda = findPositionPda(m.address, t.publicKey)[0];
      const rent = await rt.balance(positionPda);
      expect(rent).toBeGreaterThan(0n);
      await resolve(m);
      const before = await rt.balance(t.publicKey);
      const tokensBefore = await tokensOf(t.publicKey);
      const res = ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t]));
      const [event] = decodeClaimEvents(res.logs);
      expect((await tokensOf(t.publicKey)) - tokensBefore).toBe(event!.amount);
      expect((await rt.balance(t.publicKey)) - before).toBe(rent);
      expect(await rt.getAccount(positionPda)).toBeNull();
      expect((await amm.market(m)).claimCount).toBe(1n);
      await rejects([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t], "InvalidAccountOwner", [m.address, amm.shardPda(m), t.publicKey]);
    });

    it("close_market: refused unsettled, to others, with claims outstanding; once all claimed the dust and rent go to the authority", async () => {
      const { m, traders } = await openMarketWithBets(21, 2);
      const stranger = await fundedKeypair(rt, 1n);
      const watched = [m.address, amm.shardPda(m), amm.authority.publicKey, stranger.publicKey];
      await rejects([close(m)], [amm.authority], "MarketNotClosable", watched);
      await resolve(m);
      await rejects([close(m, stranger)], [stranger], "InvalidAuthority", watched);
      await rejects([close(m)], [amm.authority], "MarketNotClosable", watched);
      ok(await rt.send([claimInstruction(traders[0]!.publicKey, m.address, m.shardId, rt.collateral)], [traders[0]!]));
      ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
      await rejects([close(m)], [amm.authority], "MarketNotClosable", watched); // one position left
      ok(await rt.send([claimInstruction(traders[1]!.publicKey, m.address, m.shardId, rt.collateral)], [traders[1]!]));
      await rejects([withAccount(close(m), 3, { pubkey: findShardPda((m.shardId + 1) % amm.shardCount)[0] })], [amm.authority], "AccountMismatch", watched);

      const market = await amm.market(m);
      const dust = market.dustNumerator / market.step;
      expect(market.vaultAmount).toBe(dust);
      const rent = await rt.balance(m.address);
      const shardBefore = { tokens: await vaultOf(m), books: await amm.s.shard(m.shardId) };
      const authorityBefore = await rt.balance(amm.authority.publicKey);
      const authorityTokens = await tokensOf(amm.authority.publicKey);
      const res = ok(await rt.send([close(m)], [amm.authority]));
      expect((await rt.balance(amm.authority.publicKey)) - authorityBefore).toBe(rent);
      expect((await tokensOf(amm.authority.publicKey)) - authorityTokens).toBe(dust);
      expect(decodeMarketClosedEvents(res.logs)[0]).toMatchObject({ vault: dust, rent });
      expect(decodeMarketClosedEvents(res.logs)[0]!.authority.equals(amm.authority.publicKey)).toBe(true);
      expect(await rt.getAccount(m.address)).toBeNull();
      expect(shardBefore.tokens - (await vaultOf(m))).toBe(dust);
      await amm.s.expectVaultsMatchBooks();
      const books = await amm.s.shard(m.shardId);
      expect(books.collateralAmount).toBe(shardBefore.books.collateralAmount - dust);
      expect(books.marketCount).toBe(shardBefore.books.marketCount - 1n);
    });

    it("after the grace period the authority closes with claims outstanding; the holder still takes back its position's rent", async () => {
      const { m, traders } = await openMarketWithBets(21, 2);
      const [early, late] = traders as [Keypair, Keypair];
      await resolve(m);
      ok(await rt.send([claimInstruction(early.publicKey, m.address, m.shardId, rt.collateral)], [early]));
      const grace = (await amm.s.config()).settlementGraceSeconds;
      const settledAt = (await amm.market(m)).settledAt;
      expect(settledAt).toBe(TRADING_DEADLINE + 1n);
      const watched = [m.address, amm.shardPda(m), amm.authority.publicKey];
      await amm.setTime(settledAt + grace - 1n);
      await rejects([close(m)], [amm.authority], "MarketNotClosable", watched);

      await amm.setTime(settledAt + grace);
      const market = await amm.market(m);
      const vault = market.vaultAmount; // the late trader's payout, the LP's share and the dust
      const marketLamports = await rt.balance(m.address);
      const shardBefore = await vaultOf(m);
      const authorityBefore = await rt.balance(amm.authority.publicKey);
      const authorityTokens = await tokensOf(amm.authority.publicKey);
      const res = ok(await rt.send([close(m)], [amm.authority]));
      const rent = marketLamports - EMPTY_ACCOUNT_RENT;
      expect(decodeMarketClosedEvents(res.logs)[0]).toMatchObject({ vault, rent });
      expect((await rt.balance(amm.authority.publicKey)) - authorityBefore).toBe(rent);
      expect((await tokensOf(amm.authority.publicKey)) - authorityTokens).toBe(vault);
      expect(shardBefore - (await vaultOf(m))).toBe(vault);
      await amm.s.expectVaultsMatchBooks();
      expect((await amm.s.shard(m.shardId)).collateralAmount).toBe(0n);
      // A tombstone: program-owned, no data, the empty-account minimum. The key can't hold a
      // market again while positions still name this address.
      const tomb = (await rt.getAccount(m.address))!;
      expect(tomb).toMatchObject({ lamports: EMPTY_ACCOUNT_RENT, data: new Uint8Array(0) });
      expect(tomb.owner.equals(PROGRAM_ID)).toBe(true);
      const again = await rt.send([registerMarketInstruction(amm.authority.publicKey, m.params.marketKey, amm.shardCount)], amm.createSigners(m.params));
      expectError(again, "AccountAlreadyInitialized");

      // The late holder's claim pays nothing but closes the position: its rent comes back.
      const positionPda = findPositionPda(m.address, late.publicKey)[0];
      const positionRent = await rt.balance(positionPda);
      const before = await rt.balance(late.publicKey);
      const claimed = ok(await rt.send([claimInstruction(late.publicKey, m.address, m.shardId, rt.collateral)], [late]));
      expect(decodeClaimEvents(claimed.logs)[0]!.amount).toBe(0n);
      expect((await rt.balance(late.publicKey)) - before).toBe(positionRent);
      expect(await rt.getAccount(positionPda)).toBeNull();
      expect(await rt.balance(m.address)).toBe(EMPTY_ACCOUNT_RENT);
    });

    it("a position of a fully closed (system-owned) market still returns its rent through claim", async () => {
      // claim only needs the market to be gone (no data), whoever owns the address: besides
      // the tombstone close_market leaves, check an address emptied entirely (system-owned,
      // no lamports), as a full close leaves it.
      const { m, traders } = await openMarketWithBets(11, 1);
      const [t] = traders as [Keypair];
      await amm.setTime(T0 + 20_000n);
      ok(await rt.send([cancelMarketInstruction(t.publicKey, m.address, m.shardId)], [t]));
      ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
      await amm.setTime(T0 + 20_000n + (await amm.s.config()).settlementGraceSeconds);
      ok(await rt.send([close(m)], [amm.authority]));
      await rt.setAccount(m.address, { lamports: 0n, owner: PublicKey.default, data: new Uint8Array(0) });
      const positionPda = findPositionPda(m.address, t.publicKey)[0];
      const positionRent = await rt.balance(positionPda);
      const before = await rt.balance(t.publicKey);
      ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t]));
      expect((await rt.balance(t.publicKey)) - before).toBe(positionRent);
      expect(await rt.getAccount(positionPda)).toBeNull();
    });

    it("a registered (sharding-only) market closes once its vault is empty", async () => {
      const owner = await fundedKeypair(rt, 10n);
      const stranger = await fundedKeypair(rt, 1n);
      const key = generateMarketKey();
      ok(await rt.send([registerMarketInstruction(owner.publicKey, key, amm.shardCount)], [owner, key]));
      const market = findMarketPda(key)[0];
      const shardId = (await amm.s.market(key.publicKey.toBytes())).shardId;
      const ix = (who: Keypair): TransactionInstruction => closeMarketInstruction(who.publicKey, market, shardId, rt.collateral);
      const watched = [market, findShardPda(shardId)[0], owner.publicKey, stranger.publicKey];
      ok(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 5_000n, rt.collateral)], [owner]));
      await rejects([ix(owner)], [owner], "MarketNotClosable", watched);
      await rejects([ix(stranger)], [stranger], "InvalidAuthority", watched);
      ok(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 5_000n, rt.collateral)], [owner]));
      const rent = await rt.balance(market);
      const count = (await amm.s.shard(shardId)).marketCount;
      const before = await rt.balance(owner.publicKey);
      ok(await rt.send([ix(owner)], [owner]));
      expect((await rt.balance(owner.publicKey)) - before).toBe(rent);
      expect(await rt.getAccount(market)).toBeNull();
      expect((await amm.s.shard(shardId)).marketCount).toBe(count - 1n);
    });
  });

  describe("market duration is bounded", () => {
    it("create_market refuses a resolution deadline beyond Config.max_market_duration_seconds", async () => {
      const max = (await amm.s.config()).maxMarketDurationSeconds;
      for (const resolutionDeadline of [T0 + max + 1n, (1n << 63n) - 1n]) {
        const params = amm.params(11, undefined, { resolutionDeadline });
        const ix = createMarketInstruction(amm.authority.publicKey, params, amm.shardCount, rt.collateral);
        const watched = [ix.keys[1]!.pubkey, ix.keys[2]!.pubkey, ix.keys[3]!.pubkey, amm.authority.publicKey];
        await rejects([ix], amm.createSigners(params), "MarketDurationTooLong", watched);
        expect(await rt.getAccount(ix.keys[3]!.pubkey)).toBeNull();
      }
      const { m } = await amm.createMarket(amm.params(11, undefined, { resolutionDeadline: T0 + max }));
      expect((await amm.market(m)).resolutionDeadline).toBe(T0 + max);
    });

    it("a market whose resolver never acts is cancellable at its (bounded) deadline and refunds everyone", async () => {
      const max = (await amm.s.config()).maxMarketDurationSeconds;
      const silent = Keypair.generate().publicKey;
      const { m, traders } = await openMarketWithBets(11, 3, { resolutionDeadline: T0 + max, resolver: silent });
      const stranger = await fundedKeypair(rt, 1n);
      await amm.setTime(T0 + max - 1n);
      await rejects([cancelMarketInstruction(stranger.publicKey, m.address, m.shardId)], [stranger], "ResolutionDeadlineNotReached", [m.address]);
      await amm.setTime(T0 + max);
      ok(await rt.send([cancelMarketInstruction(stranger.publicKey, m.address, m.shardId)], [stranger]));
      const shardBefore = await vaultOf(m);
      const vault = (await amm.market(m)).vaultAmount;
      let refunded = 0n;
      for (const t of traders) {
        const pos = (await amm.position(m, t.publicKey))!;
        const rent = await rt.balance(findPositionPda(m.address, t.publicKey)[0]);
        const before = await rt.balance(t.publicKey);
        const tokensBefore = await tokensOf(t.publicKey);
        ok(await rt.send([claimInstruction(t.publicKey, m.address, m.shardId, rt.collateral)], [t]));
        expect((await tokensOf(t.publicKey)) - tokensBefore).toBe(pos.collateral);
        expect((await rt.balance(t.publicKey)) - before).toBe(rent);
        refunded += pos.collateral;
        await amm.s.expectVaultsMatchBooks();
      }
      const lpBefore = await tokensOf(amm.authority.publicKey);
      ok(await rt.send([claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral)], [amm.authority]));
      refunded += (await tokensOf(amm.authority.publicKey)) - lpBefore;
      expect(refunded).toBe(vault);
      expect(shardBefore - (await vaultOf(m))).toBe(vault);
      ok(await rt.send([close(m)], [amm.authority]));
      expect(await rt.getAccount(m.address)).toBeNull();
    });
  });
});
