/**
 * One account in two roles: every instruction rejects it with DuplicateAccount (checked once,
 * in `checks::take_accounts`) and changes nothing. Without the check these failed with the
 * runtime's unnamed AccountBorrowFailed (a second mutable borrow) or an unrelated error.
 */
import { Keypair, PublicKey, TransactionInstruction, type AccountMeta } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  createMarketInstruction,
  depositCollateralInstruction,
  executeRebalanceInstruction,
  findConfigPda,
  findMarketPda,
  findProposalPda,
  initializeConfigInstruction,
  initShardInstruction,
  registerMarketInstruction,
  priceDistributionBet,
  proposeRebalanceInstruction,
  resolveMarketInstruction,
  hasVoted,
  voteRebalanceInstruction,
  type RebalancePlan,
} from "../sdk/src/index.js";
import { Amm, ok, TRADING_DEADLINE, type MarketHandle } from "./amm/fixture.js";
import { expectError, fundedKeypair, withAccount } from "./harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "./harness/runtime.js";
import { createTestMint } from "./harness/token.js";
import { Sharding } from "./sharding/fixture.js";

/** A copy of `ix` with `meta` appended as a remaining account. */
function withExtra(ix: TransactionInstruction, meta: AccountMeta): TransactionInstruction {
  return new TransactionInstruction({ programId: ix.programId, keys: [...ix.keys, meta], data: ix.data });
}

/** `ix` with account `index` replaced by account `source`'s key (same account, two roles). */
function aliased(ix: TransactionInstruction, index: number, source: number): TransactionInstruction {
  return withAccount(ix, index, { pubkey: ix.keys[source]!.pubkey });
}

/** Raw state of accounts, for "nothing changed". */
async function snapshot(rt: TestRuntime, keys: PublicKey[]): Promise<unknown[]> {
  return Promise.all(
    keys.map(async (k) => {
      const a = await rt.getAccount(k);
      return a ? { lamports: a.lamports, owner: a.owner.toBase58(), data: Buffer.from(a.data).toString("hex") } : null;
    }),
  );
}

/** Sends `ix`, expects DuplicateAccount, and checks every account it names is unchanged. */
async function rejectsDuplicate(rt: TestRuntime, ix: TransactionInstruction, signers: Keypair[]): Promise<void> {
  const keys = [...new Map(ix.keys.map((k) => [k.pubkey.toBase58(), k.pubkey])).values()];
  const before = await snapshot(rt, keys);
  expectError(await rt.send([ix], signers), "DuplicateAccount");
  expect(await snapshot(rt, keys)).toEqual(before);
}

describe.each(RUNTIME_NAMES)("duplicate accounts in the AMM instructions on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;
  let m: MarketHandle;
  let alice: Keypair;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
    ({ m } = await amm.createMarket(amm.params(11)));
    await amm.open(m);
    alice = await fundedKeypair(rt, 100n);
    ok(await rt.send([priceDistributionBet(await amm.market(m), m.address, alice.publicKey, 50_000_000n, { i0: 2, i1: 4 }, rt.collateral).instruction], [alice]));
  });

  it("create_market with the shard equal to the market: DuplicateAccount, no market created", async () => {
    const params = amm.params(11);
    const ix = createMarketInstruction(amm.authority.publicKey, params, amm.shardCount, rt.collateral);
    // keys: authority, config, shard, market, system program, market key (signer)
    const key = params.marketKey as Keypair;
    await rejectsDuplicate(rt, aliased(ix, 2, 3), [amm.authority, key]);
    await rejectsDuplicate(rt, aliased(ix, 1, 2), [amm.authority, key]);
    expect(await rt.getAccount(findMarketPda(key)[0])).toBeNull();
  });

  it("trade with the shard or the position equal to the market: DuplicateAccount", async () => {
    const bet = priceDistributionBet(await amm.market(m), m.address, alice.publicKey, 30_000_000n, { i0: 5, i1: 7 }, rt.collateral).instruction;
    // keys: trader, market, shard, position, system program
    await rejectsDuplicate(rt, aliased(bet, 2, 1), [alice]);
    await rejectsDuplicate(rt, aliased(bet, 3, 1), [alice]);
    await rejectsDuplicate(rt, aliased(bet, 3, 2), [alice]);
    // A remaining account repeating a fixed one, even one the instruction would ignore.
    await rejectsDuplicate(rt, withExtra(bet, { pubkey: m.address, isSigner: false, isWritable: true }), [alice]);
    await rejectsDuplicate(rt, withExtra(bet, { pubkey: alice.publicKey, isSigner: true, isWritable: true }), [alice]);
  });

  it("claim with the market as position (or as shard), claim_lp with the shard as market: DuplicateAccount", async () => {
    await amm.setTime(TRADING_DEADLINE);
    ok(await rt.send([resolveMarketInstruction(amm.authority.publicKey, m.address, m.shardId, 0n)], [amm.authority]));
    const claim = claimInstruction(alice.publicKey, m.address, m.shardId, rt.collateral);
    // keys: owner, market, shard, position
    await rejectsDuplicate(rt, aliased(claim, 3, 1), [alice]);
    await rejectsDuplicate(rt, aliased(claim, 2, 1), [alice]);
    await rejectsDuplicate(rt, aliased(claim, 3, 2), [alice]);
    const lp = claimLpInstruction(amm.authority.publicKey, m.address, m.shardId, rt.collateral);
    await rejectsDuplicate(rt, aliased(lp, 2, 1), [amm.authority]);
    // The honest claim still pays (and closes the position).
    ok(await rt.send([claim], [alice]));
    expect(await amm.position(m, alice.publicKey)).toBeNull();
  });
});

describe.each(RUNTIME_NAMES)("duplicate accounts in the sharding instructions on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;
  let keeper: Keypair;
  let keys: Uint8Array[];
  let plan: RebalancePlan;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt, 100n);
    keeper = await s.keeperWithStake(5_000_000n);
    keys = s.keysOnShard(1, 3);
    plan = { from: 1, to: 2, markets: keys };
    await s.registerMarkets(user, keys);
    ok(await rt.send([depositCollateralInstruction(user.publicKey, keys[0]!, 1, 1_000_000n, rt.collateral)], [user]));
    await s.makeHot(user, keys, [keeper]);
  });

  it("propose_rebalance with a market repeated, or a market slot holding the proposal: DuplicateAccount", async () => {
    const ix = proposeRebalanceInstruction(keeper.publicKey, plan, 0n);
    const marketMeta = ix.keys[7]!;
    // keys: proposer, keeper, config, from_shard, to_shard, proposal, system program, markets...
    await rejectsDuplicate(rt, withExtra(ix, marketMeta), [keeper]);
    await rejectsDuplicate(rt, aliased(ix, 8, 7), [keeper]);
    await rejectsDuplicate(rt, aliased(ix, 9, 5), [keeper]); // the proposal PDA as a market
    await rejectsDuplicate(rt, aliased(ix, 9, 3), [keeper]); // the source shard as a market
    await rejectsDuplicate(rt, aliased(ix, 4, 3), [keeper]); // from_shard == to_shard
    await rejectsDuplicate(rt, aliased(ix, 1, 2), [keeper]); // keeper == config
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
    // The honest proposal goes through afterwards.
    ok(await rt.send([ix], [keeper]));
  });

  it("execute_rebalance with from_shard == to_shard, or a market equal to a shard or repeated: DuplicateAccount", async () => {
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, 0n, true)], [keeper]));
    const ix = executeRebalanceInstruction(0n, plan, rt.collateral);
    // keys: proposal, from_shard, to_shard, markets...
    await rejectsDuplicate(rt, aliased(ix, 2, 1), []);
    await rejectsDuplicate(rt, aliased(ix, 1, 2), []);
    await rejectsDuplicate(rt, aliased(ix, 3, 1), []);
    await rejectsDuplicate(rt, aliased(ix, 4, 3), []);
    await rejectsDuplicate(rt, aliased(ix, 5, 0), []);
    // The honest execution still moves every market.
    ok(await rt.send([ix]));
    for (const key of keys) expect((await s.market(key)).shardId).toBe(2);
  });

  it("vote_rebalance with the keeper as the proposal: DuplicateAccount", async () => {
    ok(await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, 0n)], [keeper]));
    const vote = voteRebalanceInstruction(keeper.publicKey, 0n, true);
    // keys: authority, keeper, proposal
    await rejectsDuplicate(rt, aliased(vote, 2, 1), [keeper]);
    await rejectsDuplicate(rt, aliased(vote, 1, 0), [keeper]);
    expect(hasVoted(await s.keeper(keeper.publicKey), await s.proposal(0n))).toBe(false);
    ok(await rt.send([vote], [keeper]));
    expect(hasVoted(await s.keeper(keeper.publicKey), await s.proposal(0n))).toBe(true);
  });

  it("deposit_collateral with the shard as market: DuplicateAccount", async () => {
    const ix = depositCollateralInstruction(user.publicKey, keys[1]!, 1, 5n, rt.collateral);
    // keys: authority, market, shard, system program
    await rejectsDuplicate(rt, aliased(ix, 2, 1), [user]);
  });
});

describe.each(RUNTIME_NAMES)("duplicate accounts in initialize_config on %s", (runtimeName) => {
  it("config or program_data repeating another account: DuplicateAccount, no config", async () => {
    const rt = await createRuntime(runtimeName);
    const admin = rt.upgradeAuthority;
    rt.collateral = await createTestMint(rt);
    const ix = initializeConfigInstruction(admin.publicKey, rt.collateral);
    // keys: admin, config, program, program_data, system program
    await rejectsDuplicate(rt, aliased(ix, 1, 0), [admin]);
    await rejectsDuplicate(rt, aliased(ix, 3, 2), [admin]);
    await rejectsDuplicate(rt, withExtra(ix, ix.keys[1]!), [admin]);
    expect(await rt.getAccount(findConfigPda()[0])).toBeNull();
    ok(await rt.send([ix], [admin]));
  });

  it("a transaction's instructions may still share accounts (one role each per instruction)", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, {}, false);
    const user = await fundedKeypair(rt, 10n);
    const [key] = s.keysOnShard(0, 1);
    // init_shard then register_market then a deposit: admin, config, shard repeat ACROSS
    // instructions, never inside one.
    ok(
      await rt.send(
        [
          initShardInstruction(s.admin.publicKey, 0, rt.collateral),
          registerMarketInstruction(user.publicKey, s.marketSigner(key!), s.shardCount),
          depositCollateralInstruction(user.publicKey, key!, 0, 10n, rt.collateral),
        ],
        [s.admin, user, s.marketSigner(key!)],
      ),
    );
    expect((await s.market(key!)).vaultAmount).toBe(10n);
  });
});
