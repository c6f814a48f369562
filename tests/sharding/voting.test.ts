/**
 * Keepers, proposals and stake-weighted votes: every rejection is a named error that changes
 * nothing (the relevant accounts are compared before and after).
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  closeProposalInstruction,
  closeVoteRecordInstruction,
  decodeVoteRecord,
  executeRebalanceInstruction,
  findConfigPda,
  findKeeperPda,
  findProposalPda,
  findShardPda,
  findVoteRecordPda,
  isApproved,
  latencyEmaNext,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  reportContentionInstruction,
  unregisterKeeperInstruction,
  voteRebalanceInstruction,
  withdrawStakeInstruction,
  type RebalancePlan,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type AccountState, type TestRuntime } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

const UNIT = 1_000_000n;

describe.each(RUNTIME_NAMES)("keepers and votes on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;
  let keys: Uint8Array[];
  const plan = (): RebalancePlan => ({ from: 1, to: 2, markets: [keys[0]!] });

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    user = await fundedKeypair(rt);
    keys = s.keysOnShard(1, 2);
    await s.registerMarkets(user, keys);
  });

  async function snapshot(extra: PublicKey[] = []): Promise<(AccountState | null)[]> {
    const keysToRead = [findConfigPda()[0], findShardPda(1)[0], findShardPda(2)[0], ...extra];
    return Promise.all(keysToRead.map((k) => rt.getAccount(k)));
  }

  /** Makes shard 1 hot (keeper-reported latency over the threshold). */
  async function heat(reporter: Keypair): Promise<void> {
    ok(await rt.send([reportContentionInstruction(reporter.publicKey, 1, 6_000, keys[0]!)], [reporter]));
  }

  /** Keepers with the given stakes, one slot before the proposal; the first proposes. */
  async function proposalWith(stakes: bigint[]): Promise<Keypair[]> {
    const keepers: Keypair[] = [];
    for (const stake of stakes) keepers.push(await s.keeperWithStake(stake));
    await heat(keepers[0]!);
    await s.advance(1n);
    ok(await rt.send([proposeRebalanceInstruction(keepers[0]!.publicKey, plan(), 0n)], [keepers[0]!]));
    return keepers;
  }

  it("register/unregister/withdraw: stake is real lamports and adds up", async () => {
    const kp = await fundedKeypair(rt, 10n);
    const before = await rt.balance(kp.publicKey);
    const res = await rt.send([registerKeeperInstruction(kp.publicKey, 5n * UNIT)], [kp]);
    recordCu(import.meta.url, rt.name, "register_keeper", res, CU_BUDGET.register_keeper);
    const pda = findKeeperPda(kp.publicKey)[0];
    const locked = await rt.balance(pda);
    expect(before - (await rt.balance(kp.publicKey))).toBe(locked); // rent + stake, nothing lost
    const keeper = await s.keeper(kp.publicKey);
    expect(keeper).toMatchObject({ stake: 5n * UNIT, active: true });
    expect((await s.config()).totalActiveStake).toBe(5n * UNIT);

    expectError(await rt.send([withdrawStakeInstruction(kp.publicKey)], [kp]), "KeeperStillActive");
    const un = await rt.send([unregisterKeeperInstruction(kp.publicKey)], [kp]);
    recordCu(import.meta.url, rt.name, "unregister_keeper", un, CU_BUDGET.unregister_keeper);
    expect((await s.config()).totalActiveStake).toBe(0n);
    expectError(await rt.send([unregisterKeeperInstruction(kp.publicKey)], [kp]), "KeeperInactive");

    const locks = [await rt.getAccount(pda), await rt.balance(kp.publicKey)];
    expectError(await rt.send([withdrawStakeInstruction(kp.publicKey)], [kp]), "StakeLocked");
    await s.advance(199n); // cooldown is 200 slots
    expectError(await rt.send([withdrawStakeInstruction(kp.publicKey)], [kp]), "StakeLocked");
    expect([await rt.getAccount(pda), await rt.balance(kp.publicKey)]).toEqual(locks);
    await s.advance(1n);
    const thief = await fundedKeypair(rt);
    expectError(
      await rt.send([withAccount(withdrawStakeInstruction(thief.publicKey), 1, { pubkey: pda })], [thief]),
      "InvalidAuthority",
    );
    const w = await rt.send([withdrawStakeInstruction(kp.publicKey)], [kp]);
    recordCu(import.meta.url, rt.name, "withdraw_stake", w, CU_BUDGET.withdraw_stake);
    expect(await rt.balance(pda)).toBe(0n);
    expect(await rt.balance(kp.publicKey)).toBe(before); // every lamport back (fees: fee payer)
    expectError(await rt.send([registerKeeperInstruction(kp.publicKey, 0n)], [kp]), "InsufficientStake");
  });

  it("report_contention folds latency into the shard (SDK mirror) and needs an active keeper", async () => {
    const k = await s.keeperWithStake(2n * UNIT);
    let ema = 0n;
    let samples = 0n;
    for (const us of [3_000, 1_000, 9_000]) {
      const res = await rt.send([reportContentionInstruction(k.publicKey, 1, us, keys[0]!)], [k]);
      recordCu(import.meta.url, rt.name, "report_contention", res, CU_BUDGET.report_contention);
      ema = latencyEmaNext(ema, samples, BigInt(us));
      samples++;
    }
    const shard = await s.shard(1);
    expect(shard).toMatchObject({ latencyEmaUs: ema, latencyPeakUs: 9_000n, latencySamples: 3n });
    expect(shard.hotMarkets[0]!).toMatchObject({ samples: 3, latencyPeakUs: 9_000 });

    const before = await snapshot();
    const stranger = await fundedKeypair(rt);
    expectError(await rt.send([reportContentionInstruction(stranger.publicKey, 1, 5_000, keys[0]!)], [stranger]), "InvalidAccountOwner");
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 2, 5_000, keys[0]!)].map((ix) => withAccount(ix, 2, { pubkey: findShardPda(1)[0] })), [k]), "AccountMismatch");
    ok(await rt.send([unregisterKeeperInstruction(k.publicKey)], [k]));
    const afterUnregister = await snapshot();
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 5_000, keys[0]!)], [k]), "KeeperInactive");
    expect(await snapshot()).toEqual(afterUnregister);
    expect(before[1]).toEqual(afterUnregister[1]); // shard untouched by the rejected reports
  });

  it("propose: threshold, stake minimum, shard ids, markets and cooldown are enforced", async () => {
    const k = await s.keeperWithStake(2n * UNIT);
    const small = await s.keeperWithStake(UNIT - 1n);
    await s.advance(1n);
    const proposal = findProposalPda(0n)[0];
    let before = await snapshot([proposal, findKeeperPda(k.publicKey)[0]]);
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]), "ShardNotOverThreshold");
    await heat(k);
    before = await snapshot([proposal, findKeeperPda(k.publicKey)[0]]);
    expectError(await rt.send([proposeRebalanceInstruction(small.publicKey, plan(), 0n)], [small]), "InsufficientStake");
    // from == to: the builder passes shard 1 as both from_shard and to_shard, one account in
    // two roles; with another shard's account in the to_shard slot the arguments still say
    // the same shard.
    const same = proposeRebalanceInstruction(k.publicKey, { ...plan(), to: 1 }, 0n);
    expectError(await rt.send([same], [k]), "DuplicateAccount");
    expectError(await rt.send([withAccount(same, 4, { pubkey: findShardPda(2)[0] })], [k]), "SameShard");
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, { ...plan(), to: 4 }, 0n)], [k]), "InvalidShardId");
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, { ...plan(), markets: [] }, 0n)], [k]), "InvalidProposalMarkets");
    expectError(
      await rt.send([proposeRebalanceInstruction(k.publicKey, { ...plan(), markets: [keys[0]!, keys[0]!] }, 0n)], [k]),
      "DuplicateAccount",
    );
    const elsewhere = s.keysOnShard(3, 1);
    await s.registerMarkets(user, elsewhere);
    before = await snapshot([proposal, findKeeperPda(k.publicKey)[0]]);
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, { ...plan(), markets: elsewhere }, 0n)], [k]), "AccountMismatch");
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 1n)], [k]), "InvalidPda");
    expect(await snapshot([proposal, findKeeperPda(k.publicKey)[0]])).toEqual(before);

    const res = await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]);
    recordCu(import.meta.url, rt.name, "propose_rebalance", res, CU_BUDGET.propose_rebalance);
    const p = await s.proposal(0n);
    const slot = await rt.slot();
    expect(p).toMatchObject({ id: 0n, fromShard: 1, toShard: 2, createdSlot: slot, votingEndSlot: slot + 100n });
    expect(p.snapshotTotalStake).toBe(3n * UNIT - 1n);
    expect(p.proposer.equals(k.publicKey)).toBe(true);
    expect((await s.config()).proposalCount).toBe(1n);

    // Cooldown: per keeper and per source shard (50 slots).
    const other = await s.keeperWithStake(2n * UNIT);
    await s.advance(49n);
    before = await snapshot([findProposalPda(1n)[0]]);
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 1n)], [k]), "ProposalCooldown");
    expectError(await rt.send([proposeRebalanceInstruction(other.publicKey, plan(), 1n)], [other]), "ProposalCooldown");
    expect(await snapshot([findProposalPda(1n)[0]])).toEqual(before);
    await s.advance(1n);
    ok(await rt.send([proposeRebalanceInstruction(other.publicKey, plan(), 1n)], [other]));
  });

  it("approves at exactly the threshold", async () => {
    // yes * 10_000 == snapshot * 6_670 exactly.
    const [yes, no] = await proposalWith([6_670n * UNIT, 3_330n * UNIT]);
    const p0 = await s.proposal(0n);
    expect(p0.yesStake * 10_000n).toBe(0n);
    expect(6_670n * UNIT * 10_000n).toBe(p0.snapshotTotalStake * 6_670n);
    const res = await rt.send([voteRebalanceInstruction(yes!.publicKey, 0n, true)], [yes!]);
    recordCu(import.meta.url, rt.name, "vote_rebalance", res, CU_BUDGET.vote_rebalance);
    ok(await rt.send([voteRebalanceInstruction(no!.publicKey, 0n, false)], [no!]));
    const p = await s.proposal(0n);
    expect(p).toMatchObject({ yesStake: 6_670n * UNIT, noStake: 3_330n * UNIT, voteCount: 2 });
    expect(isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)).toBe(true);
    const record = decodeVoteRecord((await rt.getAccount(findVoteRecordPda(findProposalPda(0n)[0], yes!.publicKey)[0]))!.data);
    expect(record).toMatchObject({ weight: 6_670n * UNIT, approve: true });
    ok(await rt.send([executeRebalanceInstruction(0n, plan())]));
    expect((await s.market(keys[0]!)).shardId).toBe(2);
  });

  it("does not approve one lamport below the threshold", async () => {
    const [yes] = await proposalWith([6_670n * UNIT - 1n, 3_330n * UNIT + 1n]);
    ok(await rt.send([voteRebalanceInstruction(yes!.publicKey, 0n, true)], [yes!]));
    const p = await s.proposal(0n);
    expect(isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)).toBe(false);
    const before = await snapshot([findProposalPda(0n)[0]]);
    expectError(await rt.send([executeRebalanceInstruction(0n, plan())]), "ProposalNotApproved");
    expect(await snapshot([findProposalPda(0n)[0]])).toEqual(before);
    // Rejected once the window is over: closable, rent back to the proposer.
    expectError(await rt.send([closeProposalInstruction(yes!.publicKey, 0n)]), "ProposalStillActive");
    await s.advance(101n);
    const rent = await rt.balance(findProposalPda(0n)[0]);
    const proposerBefore = await rt.balance(yes!.publicKey);
    const res = await rt.send([closeProposalInstruction(yes!.publicKey, 0n)]);
    recordCu(import.meta.url, rt.name, "close_proposal", res, CU_BUDGET.close_proposal);
    expect(await rt.balance(yes!.publicKey)).toBe(proposerBefore + rent);
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
  });

  it("a vote record's rent comes back after the window (or once the proposal is closed), only to its keeper", async () => {
    const [a, b] = await proposalWith([3n * UNIT, 3n * UNIT]);
    const proposal = findProposalPda(0n)[0];
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, false)], [a!]));
    ok(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, false)], [b!]));
    const recordA = findVoteRecordPda(proposal, a!.publicKey)[0];
    const recordB = findVoteRecordPda(proposal, b!.publicKey)[0];
    const state = () => snapshot([proposal, recordA, recordB]);
    let before = await state();
    // Window still open: the record still guards against a second vote.
    expectError(await rt.send([closeVoteRecordInstruction(a!.publicKey, 0n)], [a!]), "ProposalStillActive");
    await s.advance(101n);
    // Someone else's record, or a record of another proposal.
    const thief = withAccount(closeVoteRecordInstruction(b!.publicKey, 0n), 2, { pubkey: recordA });
    expectError(await rt.send([thief], [b!]), "Unauthorized");
    const wrongProposal = withAccount(closeVoteRecordInstruction(a!.publicKey, 0n), 1, { pubkey: findShardPda(1)[0] });
    expectError(await rt.send([wrongProposal], [a!]), "AccountMismatch");
    expect(await state()).toEqual(before);

    const rent = await rt.balance(recordA);
    const keeperBefore = await rt.balance(a!.publicKey);
    const res = await rt.send([closeVoteRecordInstruction(a!.publicKey, 0n)], [a!]);
    recordCu(import.meta.url, rt.name, "close_vote_record", res, CU_BUDGET.close_vote_record);
    expect(await rt.balance(a!.publicKey)).toBe(keeperBefore + rent);
    expect(await rt.getAccount(recordA)).toBeNull();
    // After the proposal itself is closed, the remaining record can still be closed.
    ok(await rt.send([closeProposalInstruction(a!.publicKey, 0n)]));
    ok(await rt.send([closeVoteRecordInstruction(b!.publicKey, 0n)], [b!]));
    expect(await rt.getAccount(recordB)).toBeNull();
    before = await state();
    expectError(await rt.send([closeVoteRecordInstruction(b!.publicKey, 0n)], [b!]), "InvalidAccountOwner");
    expect(await state()).toEqual(before);
  });

  it("rejects a double vote, a late vote, a non-keeper, stake registered after the snapshot, an unregistered keeper", async () => {
    const [a, b, c] = await proposalWith([3n * UNIT, 3n * UNIT, 3n * UNIT]);
    const proposal = findProposalPda(0n)[0];
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    const state = () => snapshot([proposal, findKeeperPda(a!.publicKey)[0], findKeeperPda(b!.publicKey)[0]]);
    let before = await state();
    expectError(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]), "AlreadyVoted");
    expectError(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, false)], [a!]), "AlreadyVoted");

    const stranger = await fundedKeypair(rt);
    expectError(await rt.send([voteRebalanceInstruction(stranger.publicKey, 0n, true)], [stranger]), "InvalidAccountOwner");
    const borrowed = withAccount(voteRebalanceInstruction(stranger.publicKey, 0n, true), 1, { pubkey: findKeeperPda(b!.publicKey)[0] });
    expectError(await rt.send([borrowed], [stranger]), "InvalidAuthority");

    const late = await s.keeperWithStake(50n * UNIT); // registered after the proposal's slot
    expectError(await rt.send([voteRebalanceInstruction(late.publicKey, 0n, true)], [late]), "StakeAfterSnapshot");
    expect((await s.proposal(0n)).snapshotTotalStake).toBe(9n * UNIT);

    ok(await rt.send([unregisterKeeperInstruction(c!.publicKey)], [c!]));
    before = await state();
    expectError(await rt.send([voteRebalanceInstruction(c!.publicKey, 0n, true)], [c!]), "KeeperInactive");

    await s.advance(100n); // slot == voting_end_slot: still open
    expect(await rt.slot()).toBe((await s.proposal(0n)).votingEndSlot);
    await s.advance(1n);
    expectError(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, true)], [b!]), "VotingClosed");
    expect(await state()).toEqual(before);
    expect(await rt.getAccount(findVoteRecordPda(proposal, b!.publicKey)[0])).toBeNull();
  });

  it("the window's last slot still counts; a vote locks the stake until the window ends", async () => {
    const [a, b] = await proposalWith([5n * UNIT, 5n * UNIT]);
    await s.advance(100n);
    ok(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, true)], [b!]));
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    const p = await s.proposal(0n);
    expect((await s.keeper(a!.publicKey)).voteLockUntilSlot).toBe(p.votingEndSlot);

    // Executed: twice is a named error; executed proposals close.
    ok(await rt.send([executeRebalanceInstruction(0n, plan())]));
    const before = await snapshot([findProposalPda(0n)[0], ...keys.map((k) => s.marketPda(k))]);
    expectError(await rt.send([executeRebalanceInstruction(0n, plan())]), "ProposalAlreadyExecuted");
    expectError(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]), "VotingClosed");
    expect(await snapshot([findProposalPda(0n)[0], ...keys.map((k) => s.marketPda(k))])).toEqual(before);
    ok(await rt.send([closeProposalInstruction(a!.publicKey, 0n)]));
  });

  it("withdraws at exactly unregister_slot + cooldown once the vote's window is over", async () => {
    const [a] = await proposalWith([5n * UNIT]);
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    ok(await rt.send([unregisterKeeperInstruction(a!.publicKey)], [a!]));
    const cfg = await s.config();
    const end = (await s.proposal(0n)).votingEndSlot;
    const unlock = (await s.keeper(a!.publicKey)).unregisterSlot + cfg.unstakeCooldownSlots;
    expect(unlock).toBeGreaterThan(end);
    await rt.setClock(unlock - 1n, 1_700_000_000n + unlock - 1n);
    expectError(await rt.send([withdrawStakeInstruction(a!.publicKey)], [a!]), "StakeLocked");
    await rt.setClock(unlock, 1_700_000_000n + unlock);
    ok(await rt.send([withdrawStakeInstruction(a!.publicKey)], [a!]));
  });
});

describe.each(RUNTIME_NAMES)("vote lock on %s", (runtimeName) => {
  it("a live vote blocks withdrawal even after the cooldown", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, { unstakeCooldownSlots: 5n });
    const user = await fundedKeypair(rt);
    const [key] = s.keysOnShard(1, 1);
    await s.registerMarkets(user, [key!]);
    const k = await s.keeperWithStake(5n * UNIT);
    ok(await rt.send([reportContentionInstruction(k.publicKey, 1, 6_000, key!)], [k]));
    await s.advance(1n);
    ok(await rt.send([proposeRebalanceInstruction(k.publicKey, { from: 1, to: 0, markets: [key!] }, 0n)], [k]));
    ok(await rt.send([voteRebalanceInstruction(k.publicKey, 0n, true)], [k]));
    ok(await rt.send([unregisterKeeperInstruction(k.publicKey)], [k]));
    await s.advance(10n); // cooldown (5) over, window (100) still open
    const before = await rt.getAccount(findKeeperPda(k.publicKey)[0]);
    expectError(await rt.send([withdrawStakeInstruction(k.publicKey)], [k]), "StakeLocked");
    expect(await rt.getAccount(findKeeperPda(k.publicKey)[0])).toEqual(before);
    const end = (await s.proposal(0n)).votingEndSlot;
    await rt.setClock(end, 1_700_000_000n + end);
    expectError(await rt.send([withdrawStakeInstruction(k.publicKey)], [k]), "StakeLocked");
    await rt.setClock(end + 1n, 1_700_000_000n + end + 1n);
    ok(await rt.send([withdrawStakeInstruction(k.publicKey)], [k]));
    expect(await rt.getAccount(findKeeperPda(k.publicKey)[0])).toBeNull();
  });
});
