/**
 * The keeper-count governance DoS, as an attacker would run it: register/unregister/withdraw
 * cycles with a 1-lamport stake, each of which used to raise `Config.keeper_count` for good,
 * until a proposal's voter map (a bit per keeper ever registered) no longer fitted the 10 KiB
 * an account created by CPI may have and every `propose_rebalance` failed (`TooManyKeepers`).
 *
 * Required outcome: registration locks at least `Config.min_keeper_stake`, and however many
 * keepers have ever registered, a proposal is created, voted on once per keeper, and executed.
 */
import { describe, expect, it } from "vitest";
import {
  CONFIG_OFFSETS,
  executeRebalanceInstruction,
  findConfigPda,
  findProposalPda,
  PROPOSAL_LEN,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  voteRebalanceInstruction,
} from "../../sdk/src/index.js";
import { expectError, fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

/** Where the old voter map stopped fitting: `(10,240 - 400) * 8` keepers. */
const OLD_VOTER_MAP_CAP = BigInt((10_240 - 400) * 8);

describe.each(RUNTIME_NAMES)("keeper-count DoS on %s", (runtimeName) => {
  it("a stake below the minimum is refused, so each registration locks real stake", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const min = (await s.config()).minKeeperStake;

    // The cheap cycle starts with a 1-lamport (or just-below-minimum) registration: refused.
    for (const stake of [1n, min - 1n]) {
      const sybil = await fundedKeypair(rt, 1n);
      const before = await s.config();
      expectError(await rt.send([registerKeeperInstruction(sybil.publicKey, stake)], [sybil]), "InsufficientStake");
      expect(await s.config()).toEqual(before);
    }
    const atMin = await s.keeperWithStake(min);
    expect((await s.keeper(atMin.publicKey)).stake).toBe(min);
  });

  it("past the old voter-map cap of keepers, a proposal is created, voted on once per keeper and executed", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const keys = s.keysOnShard(1, 1);
    await s.registerMarkets(user, keys);
    const honest = await s.keeperWithStake(5_000_000n);
    const other = await s.keeperWithStake(1_000_000n);

    // As if more keepers than the old voter map could hold had registered (with real stake).
    const [configPda] = findConfigPda();
    const acc = (await rt.getAccount(configPda))!;
    const data = Uint8Array.from(acc.data);
    new DataView(data.buffer).setBigUint64(CONFIG_OFFSETS.keeperCount, OLD_VOTER_MAP_CAP + 1n, true);
    await rt.setAccount(configPda, { ...acc, data });

    await s.makeHot(user, keys, [honest]);
    const plan = { from: 1, to: 2, markets: keys };
    ok(await rt.send([proposeRebalanceInstruction(honest.publicKey, plan, 0n)], [honest]));
    // A fixed-size account: nothing in it grows with the keeper count.
    expect((await rt.getAccount(findProposalPda(0n)[0]))!.data.length).toBe(PROPOSAL_LEN);
    ok(await rt.send([voteRebalanceInstruction(honest.publicKey, 0n, true)], [honest]));
    expectError(await rt.send([voteRebalanceInstruction(honest.publicKey, 0n, true)], [honest]), "AlreadyVoted");
    ok(await rt.send([voteRebalanceInstruction(other.publicKey, 0n, true)], [other]));
    ok(await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]));
    expect((await s.market(keys[0]!)).shardId).toBe(2);
  });
});
