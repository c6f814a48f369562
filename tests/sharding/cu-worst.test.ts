/**
 * Worst-case compute units of the account-creating sharding instructions, on both runtimes:
 * the inputs are chosen to hit the most expensive branch, so `docs/compute-units.md` shows
 * what a user can be made to pay, not what a lucky key pays.
 *
 * - a PDA whose address someone pre-funded (with less than its rent) takes the Transfer +
 *   Assign (+ Allocate for a token vault) path instead of one CreateAccount;
 * - a canonical-bump search costs one hash and one curve check per bump tried, so the shard
 *   id with the LOWEST canonical bump in range is the worst;
 * - a proposal checks each listed Market (owner, discriminator, shard, distinct): the most
 *   markets a proposal may list (8) is the worst.
 * Keeper registration and proposals check the bump the caller names (one hash, one curve
 * check), so their cost doesn't depend on the key or the id: the test shows a proposal id
 * with a low canonical bump costs what one with bump 255 does. A vote scans all of the
 * keeper's vote entries: its cost depends only on how many are held (~1 CU each).
 */
import { LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import {
  CONFIG_OFFSETS,
  findConfigPda,
  findKeeperPda,
  findProposalPda,
  findShardPda,
  initShardInstruction,
  KEEPER_OFFSETS,
  MAX_OPEN_VOTES,
  MAX_PROPOSAL_MARKETS,
  PROGRAM_ID,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  SHARD_SEED,
  voteRebalanceInstruction,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { TOKEN_KINDS } from "../harness/token.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime, type TxResult } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

/** The seed in `[0, count)` whose PDA has the lowest canonical bump (the longest search). */
function lowestBump(count: number, seedOf: (i: number) => Uint8Array[]): { index: number; bump: number } {
  let best = { index: 0, bump: 256 };
  for (let i = 0; i < count; i++) {
    const [, bump] = PublicKey.findProgramAddressSync(seedOf(i), PROGRAM_ID);
    if (bump < best.bump) best = { index: i, bump };
  }
  return best;
}

/** Sends lamports to an address before its account exists (the pre-funding griefer). */
async function preFund(rt: TestRuntime, address: PublicKey): Promise<void> {
  await rt.airdrop(address, 1_000n);
}

describe.each(RUNTIME_NAMES)("worst-case CU of account creation on %s", (runtimeName) => {
  it.each(TOKEN_KINDS)("init_shard at the shard id with the lowest bump of 255, pre-funded (%s collateral)", async (kind) => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, { shardCount: 255 }, false, { kind });
    const worst = lowestBump(255, (id) => [SHARD_SEED, Uint8Array.of(id)]);
    expect(worst.bump).toBeLessThan(255);
    await preFund(rt, findShardPda(worst.index)[0]);
    const res = await rt.send([initShardInstruction(s.admin.publicKey, worst.index, rt.collateral)], [s.admin]);
    recordCu(import.meta.url, rt, "init_shard", res, CU_BUDGET.init_shard, `worst of 255 ids (bump ${worst.bump}), pre-funded`);
  });

  it("register_keeper on a pre-funded keeper address; vote at the same cost for every keeper", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const kp = await fundedKeypair(rt, 10n);
    await preFund(rt, findKeeperPda(kp.publicKey)[0]);
    const res = await rt.send([registerKeeperInstruction(kp.publicKey, BigInt(LAMPORTS_PER_SOL))], [kp]);
    recordCu(import.meta.url, rt, "register_keeper", res, CU_BUDGET.register_keeper, "pre-funded address");
    expect((await s.keeper(kp.publicKey)).stake).toBe(BigInt(LAMPORTS_PER_SOL));
  });

  /**
   * One pre-funded proposal with 8 markets at `id` (the config set as if `id` proposals had
   * been made before); returns its CU. Then a vote by a keeper holding 7 of its 8 vote
   * entries, and another by a keeper holding none.
   */
  async function proposeAt(id: number): Promise<{ rt: TestRuntime; propose: TxResult; votes: TxResult[] }> {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const keys = s.keysOnShard(1, MAX_PROPOSAL_MARKETS);
    await s.registerMarkets(user, keys);
    const keeper = await s.keeperWithStake(5_000_000n);
    const fresh = await s.keeperWithStake(5_000_000n);
    // Test setup: the config as if `id` proposals had been made before.
    const [configPda] = findConfigPda();
    const config = (await rt.getAccount(configPda))!;
    const data = Uint8Array.from(config.data);
    new DataView(data.buffer).setBigUint64(CONFIG_OFFSETS.proposalCount, BigInt(id), true);
    await rt.setAccount(configPda, { ...config, data });
    await preFund(rt, findProposalPda(BigInt(id))[0]);
    await s.makeHot(user, keys, [keeper]);
    const plan = { from: 1, to: 2, markets: keys };
    const propose = await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, BigInt(id))], [keeper]);
    ok(propose);
    // Test setup: `keeper` as if it had voted on 7 other proposals whose windows are open.
    const [keeperPda] = findKeeperPda(keeper.publicKey);
    const acc = (await rt.getAccount(keeperPda))!;
    const kdata = Uint8Array.from(acc.data);
    const view = new DataView(kdata.buffer);
    for (let i = 0; i < MAX_OPEN_VOTES - 1; i++) {
      view.setBigUint64(KEEPER_OFFSETS.openVotes + 16 * i, BigInt(id + 1 + i), true);
      view.setBigUint64(KEEPER_OFFSETS.openVotes + 16 * i + 8, (await rt.slot()) + 1_000n, true);
    }
    await rt.setAccount(keeperPda, { ...acc, data: kdata });
    const votes = [];
    for (const k of [keeper, fresh]) votes.push(ok(await rt.send([voteRebalanceInstruction(k.publicKey, BigInt(id), true)], [k])));
    return { rt, propose, votes };
  }

  it("propose_rebalance costs the same at an id with a low canonical bump as at bump 255 (pre-funded, 8 markets); votes with 7 of 8 entries held and with none", async () => {
    // An id whose canonical bump is 237: a canonical-bump search would try 19 bumps here.
    const low = { id: 46_958, bump: 237 };
    expect(findProposalPda(BigInt(low.id))[1]).toBe(low.bump);
    const highId = [0, 1, 2, 3, 4, 5, 6, 7].find((id) => findProposalPda(BigInt(id))[1] === 255)!;
    const worst = await proposeAt(low.id);
    const best = await proposeAt(highId);
    expect(worst.propose.cu).toBe(best.propose.cu);
    recordCu(
      import.meta.url,
      worst.rt,
      "propose_rebalance",
      worst.propose,
      CU_BUDGET.propose_rebalance,
      `any id (id ${low.id} at bump ${low.bump} = id ${highId} at bump 255), pre-funded, ${MAX_PROPOSAL_MARKETS} markets`,
    );
    // The vote scans all 8 entries either way; a held entry skips the "free" branch's jump
    // differently, about 1 CU each, so 7 held (the most a keeper that can still vote holds)
    // is the worst, and never depends on the key or the proposal id.
    const [held, none] = worst.votes.map((v) => v.cu) as [number, number];
    expect(held).toBeGreaterThanOrEqual(none);
    expect(held - none).toBeLessThanOrEqual(MAX_OPEN_VOTES);
    expect(best.votes.map((v) => v.cu)).toEqual([held, none]);
    recordCu(import.meta.url, worst.rt, "vote_rebalance", worst.votes[0]!, CU_BUDGET.vote_rebalance, "7 of 8 vote entries held (any key, any id)");
  });
});
