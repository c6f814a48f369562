/**
 * Keepers, latency reports, proposals and stake-weighted votes: every rejection is a named
 * error that changes nothing (the relevant accounts are compared before and after).
 */
import { createHash } from "node:crypto";
import { Keypair, PublicKey } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  closeProposalInstruction,
  decodeRebalanceVotedEvents,
  executeRebalanceInstruction,
  findConfigPda,
  findKeeperPda,
  findProposalPda,
  findShardPda,
  hasVoted,
  isApproved,
  latencyMeanUs,
  MAX_LATENCY_SAMPLE_US,
  CONFIG_OFFSETS,
  MAX_OPEN_VOTES,
  PROGRAM_ID,
  PROPOSAL_LEN,
  PROPOSAL_SEED,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  reportContentionInstruction,
  unregisterKeeperInstruction,
  voteRebalanceInstruction,
  withdrawStakeInstruction,
  type RebalancePlan,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair, withAccount, withData } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type AccountState, type TestRuntime } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

const UNIT = 1_000_000n;

/** A bump whose `["proposal", id]` candidate is ON the ed25519 curve (no valid PDA). */
function onCurveProposalAddress(id: bigint): { address: PublicKey; bump: number } {
  const le = new Uint8Array(8);
  new DataView(le.buffer).setBigUint64(0, id, true);
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash("sha256")
      .update(PROPOSAL_SEED)
      .update(le)
      .update(Uint8Array.of(bump))
      .update(PROGRAM_ID.toBytes())
      .update("ProgramDerivedAddress")
      .digest();
    if (PublicKey.isOnCurve(hash)) return { address: new PublicKey(hash), bump };
  }
  throw new Error("no on-curve bump");
}

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

  /**
   * A keeper with less than the minimum stake. Registration refuses one, so it can only be a
   * keeper registered before the minimum was raised: as if `Config.min_keeper_stake` had been
   * raised to `UNIT + 1` after it registered with `UNIT` (the proposing and reporting checks
   * still hold it to the minimum).
   */
  async function keeperBelowMinimum(): Promise<Keypair> {
    const kp = await s.keeperWithStake(UNIT);
    const [configPda] = findConfigPda();
    const acc = (await rt.getAccount(configPda))!;
    const data = Uint8Array.from(acc.data);
    new DataView(data.buffer).setBigUint64(CONFIG_OFFSETS.minKeeperStake, UNIT + 1n, true);
    await rt.setAccount(configPda, { ...acc, data });
    return kp;
  }

  /** Keepers with the given stakes; shard 1 made hot (reported by all of them); the first proposes. */
  async function proposalWith(stakes: bigint[]): Promise<Keypair[]> {
    const keepers: Keypair[] = [];
    for (const stake of stakes) keepers.push(await s.keeperWithStake(stake));
    await s.makeHot(user, keys, keepers);
    ok(await rt.send([proposeRebalanceInstruction(keepers[0]!.publicKey, plan(), 0n)], [keepers[0]!]));
    return keepers;
  }

  it("register/unregister/withdraw: stake is real lamports and adds up; keepers are numbered", async () => {
    const kp = await fundedKeypair(rt, 10n);
    const before = await rt.balance(kp.publicKey);
    const res = await rt.send([registerKeeperInstruction(kp.publicKey, 5n * UNIT)], [kp]);
    recordCu(import.meta.url, rt, "register_keeper", res, CU_BUDGET.register_keeper);
    const pda = findKeeperPda(kp.publicKey)[0];
    const locked = await rt.balance(pda);
    expect(before - (await rt.balance(kp.publicKey))).toBe(locked); // rent + stake, nothing lost
    const keeper = await s.keeper(kp.publicKey);
    expect(keeper).toMatchObject({ stake: 5n * UNIT, active: true, index: 0 });
    expect((await s.config()).totalActiveStake).toBe(5n * UNIT);
    const second = await s.keeperWithStake(UNIT);
    expect((await s.keeper(second.publicKey)).index).toBe(1);
    expect((await s.config()).keeperCount).toBe(2n);
    ok(await rt.send([unregisterKeeperInstruction(second.publicKey)], [second]));

    // A bump that doesn't derive the keeper address is refused, and nothing is created.
    const other = await fundedKeypair(rt, 10n);
    const ix = registerKeeperInstruction(other.publicKey, UNIT);
    const data = Buffer.from(ix.data);
    data[16] = (data[16]! + 1) % 256;
    expectError(await rt.send([withData(ix, data)], [other]), "InvalidPda");
    expect(await rt.getAccount(findKeeperPda(other.publicKey)[0])).toBeNull();

    expectError(await rt.send([withdrawStakeInstruction(kp.publicKey)], [kp]), "KeeperStillActive");
    const un = await rt.send([unregisterKeeperInstruction(kp.publicKey)], [kp]);
    recordCu(import.meta.url, rt, "unregister_keeper", un, CU_BUDGET.unregister_keeper);
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
    recordCu(import.meta.url, rt, "withdraw_stake", w, CU_BUDGET.withdraw_stake);
    expect(await rt.balance(pda)).toBe(0n);
    expect(await rt.balance(kp.publicKey)).toBe(before); // every lamport back (fees: fee payer)
    expectError(await rt.send([registerKeeperInstruction(kp.publicKey, 0n)], [kp]), "InsufficientStake");
    expectError(await rt.send([registerKeeperInstruction(kp.publicKey, UNIT - 1n)], [kp]), "InsufficientStake");
    expect(await rt.getAccount(pda)).toBeNull();
  });

  it("report_contention: bounded samples, minimum stake, a Market on the shard, once per window, stake-weighted", async () => {
    const k = await s.keeperWithStake(2n * UNIT);
    const j = await s.keeperWithStake(6n * UNIT);
    const small = await keeperBelowMinimum();
    const elsewhere = s.keysOnShard(3, 1);
    await s.registerMarkets(user, elsewhere);
    const state = () => snapshot([findKeeperPda(k.publicKey)[0]]);
    let before = await state();
    // The attack of a single huge sample: u32::MAX, and one above a slot, are refused.
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 0xffff_ffff, keys[0]!)], [k]), "LatencySampleOutOfRange");
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, MAX_LATENCY_SAMPLE_US + 1, keys[0]!)], [k]), "LatencySampleOutOfRange");
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 0, keys[0]!)], [k]), "LatencySampleOutOfRange");
    // A market key with no Market account, and a Market on another shard.
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 5_000, Keypair.generate().publicKey.toBytes())], [k]), "InvalidAccountOwner");
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 5_000, elsewhere[0]!)], [k]), "AccountMismatch");
    // A shard account that isn't the named shard.
    expectError(
      await rt.send([withAccount(reportContentionInstruction(k.publicKey, 2, 5_000, keys[0]!), 3, { pubkey: findShardPda(1)[0] })], [k]),
      "AccountMismatch",
    );
    // Below the minimum stake, and not a keeper at all.
    expectError(await rt.send([reportContentionInstruction(small.publicKey, 1, 5_000, keys[0]!)], [small]), "InsufficientStake");
    const stranger = await fundedKeypair(rt);
    expectError(await rt.send([reportContentionInstruction(stranger.publicKey, 1, 5_000, keys[0]!)], [stranger]), "InvalidAccountOwner");
    expect(await state()).toEqual(before);

    const res = await rt.send([reportContentionInstruction(k.publicKey, 1, MAX_LATENCY_SAMPLE_US, keys[0]!)], [k]);
    recordCu(import.meta.url, rt, "report_contention", res, CU_BUDGET.report_contention);
    ok(await rt.send([reportContentionInstruction(j.publicKey, 1, 1_000, keys[1]!)], [j]));
    before = await state();
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 3_000, keys[1]!)], [k]), "AlreadyReported");
    expect(await state()).toEqual(before);
    const shard = await s.shard(1);
    expect(shard.latencyCurrent).toEqual({
      reportedStake: 8n * UNIT,
      hotStake: 2n * UNIT,
      stakeLatencySum: 2n * UNIT * BigInt(MAX_LATENCY_SAMPLE_US) + 6n * UNIT * 1_000n,
    });
    // The stake-weighted mean: (2 x 400,000 + 6 x 1,000) / 8; no single report set it.
    expect(latencyMeanUs(shard.latencyCurrent)).toBe(100_750n);
    expect(shard.latencySamples).toBe(2n);
    // The next window accepts the keeper again and keeps this one as the previous tally.
    await s.advance(100n);
    ok(await rt.send([reportContentionInstruction(k.publicKey, 1, 3_000, keys[1]!)], [k]));
    const next = await s.shard(1);
    expect(next.latencyPrevious.hotStake).toBe(2n * UNIT);
    expect(next.latencyCurrent.reportedStake).toBe(2n * UNIT);

    ok(await rt.send([unregisterKeeperInstruction(k.publicKey)], [k]));
    before = await state();
    await s.advance(100n);
    expectError(await rt.send([reportContentionInstruction(k.publicKey, 1, 5_000, keys[0]!)], [k]), "KeeperInactive");
  });

  it("propose: needs the shard hot by on-chain load AND by a stake quorum of reports; stake, ids and markets enforced", async () => {
    const k = await s.keeperWithStake(2n * UNIT);
    const minority = await s.keeperWithStake(2n * UNIT - 1n);
    const small = await keeperBelowMinimum();
    await s.advance(1n);
    const proposal = findProposalPda(0n)[0];
    const state = () => snapshot([proposal, findKeeperPda(k.publicKey)[0]]);
    let before = await state();
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]), "ShardNotOverThreshold");
    // Reports alone (even from a quorum) are not enough without real write load.
    await s.reportLatency([k], keys[0]!);
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]), "ShardNotOverThreshold");
    // Real load, but only a minority of the stake (just under 50%) reported it hot.
    await s.heatLoad(user, keys);
    await s.advance(100n); // a new latency window: k's report is now the previous window's
    await s.advance(100n); // and now too old to count
    await s.heatLoad(user, keys);
    await s.reportLatency([minority], keys[0]!);
    expect((await s.shard(1)).latencyCurrent.hotStake * 2n).toBeLessThan((await s.config()).totalActiveStake);
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]), "ShardNotOverThreshold");
    expect(await rt.getAccount(proposal)).toBeNull();
    // Half the stake reporting it hot meets the 50% quorum.
    await s.reportLatency([k], keys[0]!);
    before = await state();
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
    before = await state();
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, { ...plan(), markets: elsewhere }, 0n)], [k]), "AccountMismatch");
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 1n)], [k]), "InvalidPda");
    // The named bump must derive the address passed, and the address must be off the curve.
    const honest = proposeRebalanceInstruction(k.publicKey, plan(), 0n);
    const wrongBump = Buffer.from(honest.data);
    wrongBump[10] = (wrongBump[10]! + 1) % 256;
    expectError(await rt.send([withData(honest, wrongBump)], [k]), "InvalidPda");
    const onCurve = onCurveProposalAddress(0n);
    const onCurveIx = withAccount(honest, 5, { pubkey: onCurve.address });
    const onCurveData = Buffer.from(honest.data);
    onCurveData[10] = onCurve.bump;
    expectError(await rt.send([withData(onCurveIx, onCurveData)], [k]), "InvalidPda");
    expect(await rt.getAccount(onCurve.address)).toBeNull();
    expect(await state()).toEqual(before);

    const res = await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 0n)], [k]);
    recordCu(import.meta.url, rt, "propose_rebalance", res, CU_BUDGET.propose_rebalance);
    const p = await s.proposal(0n);
    const slot = await rt.slot();
    expect(p).toMatchObject({
      id: 0n,
      fromShard: 1,
      toShard: 2,
      createdSlot: slot,
      votingEndSlot: slot + 100n,
      executionEndSlot: slot + 200n,
      bump: findProposalPda(0n)[1],
    });
    expect(p.snapshotTotalStake).toBe(5n * UNIT - 1n);
    expect(p.proposer.equals(k.publicKey)).toBe(true);
    expect((await rt.getAccount(proposal))!.data.length).toBe(PROPOSAL_LEN);
    expect((await s.config()).proposalCount).toBe(1n);

    // Cooldown is per proposer only: another keeper proposes for the same shard right away.
    expectError(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 1n)], [k]), "ProposalCooldown");
    ok(await rt.send([proposeRebalanceInstruction(minority.publicKey, plan(), 1n)], [minority]));
    await s.advance(50n);
    await s.heatLoad(user, keys);
    ok(await rt.send([proposeRebalanceInstruction(k.publicKey, plan(), 2n)], [k]));
  });

  it("approves at exactly the threshold; the vote is recorded in the keeper and creates nothing", async () => {
    // yes * 10_000 == snapshot * 6_670 exactly.
    const [yes, no] = await proposalWith([6_670n * UNIT, 3_330n * UNIT]);
    const p0 = await s.proposal(0n);
    expect(6_670n * UNIT * 10_000n).toBe(p0.snapshotTotalStake * 6_670n);
    const accountsBefore = await rt.balance(yes!.publicKey);
    const res = await rt.send([voteRebalanceInstruction(yes!.publicKey, 0n, true)], [yes!]);
    recordCu(import.meta.url, rt, "vote_rebalance", res, CU_BUDGET.vote_rebalance);
    expect(await rt.balance(yes!.publicKey)).toBe(accountsBefore); // no rent paid: nothing created
    const noVote = await rt.send([voteRebalanceInstruction(no!.publicKey, 0n, false)], [no!]);
    ok(noVote);
    const p = await s.proposal(0n);
    expect(p).toMatchObject({ yesStake: 6_670n * UNIT, noStake: 3_330n * UNIT, voteCount: 2 });
    // Each vote's receipt: who, which way, its weight and the tallies after it.
    expect(decodeRebalanceVotedEvents(res.logs)).toEqual([
      { proposalId: 0n, keeper: yes!.publicKey, approve: true, weight: 6_670n * UNIT, yesStake: 6_670n * UNIT, noStake: 0n },
    ]);
    expect(decodeRebalanceVotedEvents(noVote.logs)).toEqual([
      { proposalId: 0n, keeper: no!.publicKey, approve: false, weight: 3_330n * UNIT, yesStake: 6_670n * UNIT, noStake: 3_330n * UNIT },
    ]);
    expect([hasVoted(await s.keeper(yes!.publicKey), p), hasVoted(await s.keeper(no!.publicKey), p)]).toEqual([true, true]);
    expect((await s.keeper(yes!.publicKey)).openVotes).toContainEqual({ proposalId: 0n, votingEndSlot: p.votingEndSlot });
    expect(isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)).toBe(true);
    ok(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]));
    expect((await s.market(keys[0]!)).shardId).toBe(2);
  });

  it("does not approve one lamport below the threshold", async () => {
    const [yes] = await proposalWith([6_670n * UNIT - 1n, 3_330n * UNIT + 1n]);
    ok(await rt.send([voteRebalanceInstruction(yes!.publicKey, 0n, true)], [yes!]));
    const p = await s.proposal(0n);
    expect(isApproved(p.yesStake, p.snapshotTotalStake, p.voteThresholdBps)).toBe(false);
    const before = await snapshot([findProposalPda(0n)[0]]);
    expectError(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]), "ProposalNotApproved");
    expect(await snapshot([findProposalPda(0n)[0]])).toEqual(before);
    // Rejected once the window is over: closable, rent back to the proposer.
    expectError(await rt.send([closeProposalInstruction(yes!.publicKey, 0n)]), "ProposalStillActive");
    await s.advance(101n);
    const rent = await rt.balance(findProposalPda(0n)[0]);
    const proposerBefore = await rt.balance(yes!.publicKey);
    const res = await rt.send([closeProposalInstruction(yes!.publicKey, 0n)]);
    recordCu(import.meta.url, rt, "close_proposal", res, CU_BUDGET.close_proposal);
    expect(await rt.balance(yes!.publicKey)).toBe(proposerBefore + rent);
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
  });

  it("an approval expires after its execution window: execute refused, rent back to the proposer", async () => {
    const [a, b] = await proposalWith([5n * UNIT, 5n * UNIT]);
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    ok(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, true)], [b!]));
    const p = await s.proposal(0n);
    // Approved and still executable: not closable.
    await rt.setClock(p.executionEndSlot, 1_700_000_000n + p.executionEndSlot);
    expectError(await rt.send([closeProposalInstruction(a!.publicKey, 0n)]), "ProposalStillActive");
    await rt.setClock(p.executionEndSlot + 1n, 1_700_000_000n + p.executionEndSlot + 1n);
    const state = () => snapshot([findProposalPda(0n)[0], ...keys.map((k) => s.marketPda(k))]);
    const before = await state();
    expectError(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]), "ApprovalExpired");
    expect(await state()).toEqual(before);
    const rent = await rt.balance(findProposalPda(0n)[0]);
    const proposerBefore = await rt.balance(a!.publicKey);
    ok(await rt.send([closeProposalInstruction(a!.publicKey, 0n)]));
    expect(await rt.balance(a!.publicKey)).toBe(proposerBefore + rent);
    expect((await s.market(keys[0]!)).shardId).toBe(1);
  });

  it("two approved proposals for the same market: the second can't execute and is closable once expired", async () => {
    const [a, b] = await proposalWith([5n * UNIT, 5n * UNIT]);
    ok(await rt.send([proposeRebalanceInstruction(b!.publicKey, { from: 1, to: 3, markets: [keys[0]!] }, 1n)], [b!]));
    for (const id of [0n, 1n]) for (const k of [a!, b!]) ok(await rt.send([voteRebalanceInstruction(k.publicKey, id, true)], [k]));
    ok(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]));
    const state = () => snapshot([findProposalPda(1n)[0], s.marketPda(keys[0]!)]);
    const before = await state();
    expectError(await rt.send([executeRebalanceInstruction(1n, { from: 1, to: 3, markets: [keys[0]!] }, rt.collateral)]), "AccountMismatch");
    expect(await state()).toEqual(before);
    expectError(await rt.send([closeProposalInstruction(b!.publicKey, 1n)]), "ProposalStillActive");
    const end = (await s.proposal(1n)).executionEndSlot;
    await rt.setClock(end + 1n, 1_700_000_000n + end + 1n);
    ok(await rt.send([closeProposalInstruction(b!.publicKey, 1n)]));
    expect(await rt.getAccount(findProposalPda(1n)[0])).toBeNull();
  });

  it("rejects a double vote, a late vote, a non-keeper, stake registered after the snapshot, an unregistered keeper", async () => {
    const [a, b, c] = await proposalWith([3n * UNIT, 3n * UNIT, 3n * UNIT]);
    const proposal = findProposalPda(0n)[0];
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    const state = () => snapshot([proposal, findKeeperPda(a!.publicKey)[0], findKeeperPda(b!.publicKey)[0]]);
    let before = await state();
    expectError(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]), "AlreadyVoted");
    expectError(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, false)], [a!]), "AlreadyVoted");
    expect(await state()).toEqual(before);

    const stranger = await fundedKeypair(rt);
    expectError(await rt.send([voteRebalanceInstruction(stranger.publicKey, 0n, true)], [stranger]), "InvalidAccountOwner");
    const borrowed = withAccount(voteRebalanceInstruction(stranger.publicKey, 0n, true), 1, { pubkey: findKeeperPda(b!.publicKey)[0] });
    expectError(await rt.send([borrowed], [stranger]), "InvalidAuthority");
    // A shard passed as the proposal.
    expectError(await rt.send([withAccount(voteRebalanceInstruction(b!.publicKey, 0n, true), 2, { pubkey: findShardPda(1)[0] })], [b!]), "InvalidAccountData");

    const late = await s.keeperWithStake(50n * UNIT); // registered after the proposal
    expectError(await rt.send([voteRebalanceInstruction(late.publicKey, 0n, true)], [late]), "StakeAfterSnapshot");
    expect((await s.proposal(0n)).snapshotTotalStake).toBe(9n * UNIT);

    ok(await rt.send([unregisterKeeperInstruction(c!.publicKey)], [c!]));
    before = await state();
    expectError(await rt.send([voteRebalanceInstruction(c!.publicKey, 0n, true)], [c!]), "KeeperInactive");

    await s.advance((await s.proposal(0n)).votingEndSlot - (await rt.slot())); // slot == voting_end_slot: still open
    expect(await rt.slot()).toBe((await s.proposal(0n)).votingEndSlot);
    await s.advance(1n);
    expectError(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, true)], [b!]), "VotingClosed");
    expect(await state()).toEqual(before);
    expect(hasVoted(await s.keeper(b!.publicKey), await s.proposal(0n))).toBe(false);
  });

  it("the window's last slot still counts; a vote locks the stake until the window ends", async () => {
    const [a, b] = await proposalWith([5n * UNIT, 5n * UNIT]);
    await s.advance((await s.proposal(0n)).votingEndSlot - (await rt.slot()));
    ok(await rt.send([voteRebalanceInstruction(b!.publicKey, 0n, true)], [b!]));
    ok(await rt.send([voteRebalanceInstruction(a!.publicKey, 0n, true)], [a!]));
    const p = await s.proposal(0n);
    expect((await s.keeper(a!.publicKey)).voteLockUntilSlot).toBe(p.votingEndSlot);

    // Executed: twice is a named error; executed proposals close.
    ok(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]));
    const before = await snapshot([findProposalPda(0n)[0], ...keys.map((k) => s.marketPda(k))]);
    expectError(await rt.send([executeRebalanceInstruction(0n, plan(), rt.collateral)]), "ProposalAlreadyExecuted");
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
    await s.makeHot(user, [key!], [k]);
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

describe.each(RUNTIME_NAMES)("vote records on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let user: Keypair;
  let key: Uint8Array;
  const plan = (): RebalancePlan => ({ from: 1, to: 2, markets: [key] });

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt, { unstakeCooldownSlots: 5n });
    user = await fundedKeypair(rt);
    [key] = s.keysOnShard(1, 1) as [Uint8Array];
    await s.registerMarkets(user, [key]);
  });

  it("a keeper that re-registers, or registers again at another bump, can't vote again on an open proposal", async () => {
    const [a, c] = [await s.keeperWithStake(5n * UNIT), await s.keeperWithStake(5n * UNIT)];
    await s.makeHot(user, [key], [a, c]);
    ok(await rt.send([proposeRebalanceInstruction(a.publicKey, plan(), 0n)], [a]));
    ok(await rt.send([voteRebalanceInstruction(a.publicKey, 0n, false)], [a]));

    // A second Keeper of the same authority at a non-canonical bump is a new registration.
    const [canonical, canonicalBump] = findKeeperPda(a.publicKey);
    let second: { address: PublicKey; bump: number } | null = null;
    for (let bump = canonicalBump - 1; bump >= 0 && !second; bump--) {
      try {
        const le = [new TextEncoder().encode("keeper"), a.publicKey.toBytes(), Uint8Array.of(bump)];
        second = { address: PublicKey.createProgramAddressSync(le, PROGRAM_ID), bump };
      } catch {
        // on the curve: not a PDA, try the next bump
      }
    }
    const reg = registerKeeperInstruction(a.publicKey, 5n * UNIT);
    const regData = Buffer.from(reg.data);
    regData[16] = second!.bump;
    ok(await rt.send([withData(withAccount(reg, 1, { pubkey: second!.address }), regData)], [a]));
    const viaSecond = withAccount(voteRebalanceInstruction(a.publicKey, 0n, true), 1, { pubkey: second!.address });
    const before = await rt.getAccount(findProposalPda(0n)[0]);
    expectError(await rt.send([viaSecond], [a]), "StakeAfterSnapshot");
    expect(await rt.getAccount(canonical)).not.toBeNull();

    // c unregisters without voting, withdraws after the 5-slot cooldown, registers again.
    ok(await rt.send([unregisterKeeperInstruction(c.publicKey)], [c]));
    await s.advance(5n);
    ok(await rt.send([withdrawStakeInstruction(c.publicKey)], [c]));
    ok(await rt.send([registerKeeperInstruction(c.publicKey, 5n * UNIT)], [c]));
    expect(await rt.slot()).toBeLessThanOrEqual((await s.proposal(0n)).votingEndSlot);
    expectError(await rt.send([voteRebalanceInstruction(c.publicKey, 0n, true)], [c]), "StakeAfterSnapshot");
    expect(await rt.getAccount(findProposalPda(0n)[0])).toEqual(before);
    expect((await s.proposal(0n))).toMatchObject({ yesStake: 0n, noStake: 5n * UNIT, voteCount: 1 });
  });

  it(`at most ${MAX_OPEN_VOTES} votes on open proposals; an entry is reused once its window ends`, async () => {
    const keepers: Keypair[] = [];
    for (let i = 0; i <= MAX_OPEN_VOTES + 1; i++) keepers.push(await s.keeperWithStake(5n * UNIT));
    const [voter, ...proposers] = keepers as [Keypair, ...Keypair[]];
    await s.makeHot(user, [key], keepers);
    for (let id = 0; id <= MAX_OPEN_VOTES; id++) {
      ok(await rt.send([proposeRebalanceInstruction(proposers[id]!.publicKey, plan(), BigInt(id))], [proposers[id]!]));
    }
    for (let id = 0; id < MAX_OPEN_VOTES; id++) ok(await rt.send([voteRebalanceInstruction(voter.publicKey, BigInt(id), false)], [voter]));
    const full = BigInt(MAX_OPEN_VOTES);
    const state = () => Promise.all([findKeeperPda(voter.publicKey)[0], findProposalPda(full)[0]].map((k) => rt.getAccount(k)));
    const before = await state();
    expectError(await rt.send([voteRebalanceInstruction(voter.publicKey, full, false)], [voter]), "TooManyOpenVotes");
    expect(await state()).toEqual(before);

    // Past the windows, a later proposal takes a reused entry; a second vote on it is refused.
    const end = (await s.proposal(0n)).votingEndSlot;
    await s.advance(end + 1n - (await rt.slot()));
    await s.makeHot(user, [key], keepers);
    const late = full + 1n;
    ok(await rt.send([proposeRebalanceInstruction(proposers[0]!.publicKey, plan(), late)], [proposers[0]!]));
    ok(await rt.send([voteRebalanceInstruction(voter.publicKey, late, true)], [voter]));
    expectError(await rt.send([voteRebalanceInstruction(voter.publicKey, late, true)], [voter]), "AlreadyVoted");
    const record = (await s.keeper(voter.publicKey)).openVotes;
    expect(record.filter((v) => v.votingEndSlot > end)).toEqual([{ proposalId: late, votingEndSlot: (await s.proposal(late)).votingEndSlot }]);
    expect((await s.proposal(late)).yesStake).toBe(5n * UNIT);
  });

  it("a proposal at a non-canonical bump is one proposal: its id is spent, the next id is the next proposal", async () => {
    const [a, b] = [await s.keeperWithStake(5n * UNIT), await s.keeperWithStake(5n * UNIT)];
    await s.makeHot(user, [key], [a, b]);
    const [, canonicalBump] = findProposalPda(0n);
    let other: { address: PublicKey; bump: number } | null = null;
    const le = new Uint8Array(8);
    for (let bump = canonicalBump - 1; bump >= 0 && !other; bump--) {
      try {
        other = { address: PublicKey.createProgramAddressSync([PROPOSAL_SEED, le, Uint8Array.of(bump)], PROGRAM_ID), bump };
      } catch {
        // on the curve: not a PDA, try the next bump
      }
    }
    const ix = proposeRebalanceInstruction(a.publicKey, plan(), 0n);
    const data = Buffer.from(ix.data);
    data[10] = other!.bump;
    ok(await rt.send([withData(withAccount(ix, 5, { pubkey: other!.address }), data)], [a]));
    expect((await s.config()).proposalCount).toBe(1n);
    // Id 0 can't be created again at its canonical address: the counter has moved on.
    expectError(await rt.send([proposeRebalanceInstruction(b.publicKey, plan(), 0n)], [b]), "InvalidPda");
    expect(await rt.getAccount(findProposalPda(0n)[0])).toBeNull();
    ok(await rt.send([proposeRebalanceInstruction(b.publicKey, plan(), 1n)], [b]));
    expect((await s.proposal(1n)).id).toBe(1n);
  });
});
