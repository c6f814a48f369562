/**
 * Worst-case compute units of the account-creating sharding instructions, on both runtimes:
 * the inputs are chosen to hit the most expensive branch, so `docs/compute-units.md` shows
 * what a user can be made to pay, not what a lucky key pays.
 *
 * - a PDA whose address someone pre-funded (with less than its rent) takes the Transfer +
 *   Assign (+ Allocate for a token vault) path instead of one CreateAccount;
 * - a canonical-bump search costs one hash and one curve check per bump tried, so the
 *   proposal id and the shard id with the LOWEST canonical bump in range are the worst.
 * - a proposal checks each listed Market (owner, discriminator, shard, distinct): the most
 *   markets a proposal may list (8) is the worst.
 * Keeper registration and votes no longer depend on the key (a named bump; a voter map bit).
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
  MAX_PROPOSAL_MARKETS,
  PROGRAM_ID,
  PROPOSAL_SEED,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  SHARD_SEED,
  voteRebalanceInstruction,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { TOKEN_KINDS } from "../harness/token.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
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

const proposalSeed = (id: number): Uint8Array[] => {
  const le = new Uint8Array(8);
  new DataView(le.buffer).setBigUint64(0, BigInt(id), true);
  return [PROPOSAL_SEED, le];
};

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

  it("propose_rebalance at the proposal id with the lowest bump of 2,048, pre-funded, 8 markets; then a vote", async () => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const keys = s.keysOnShard(1, MAX_PROPOSAL_MARKETS);
    await s.registerMarkets(user, keys);
    const keeper = await s.keeperWithStake(5_000_000n);
    const worst = lowestBump(2_048, proposalSeed);
    // Test setup: the config as if `worst.index` proposals had been made before.
    const [configPda] = findConfigPda();
    const config = (await rt.getAccount(configPda))!;
    const data = Uint8Array.from(config.data);
    new DataView(data.buffer).setBigUint64(CONFIG_OFFSETS.proposalCount, BigInt(worst.index), true);
    await rt.setAccount(configPda, { ...config, data });
    await preFund(rt, findProposalPda(BigInt(worst.index))[0]);
    await s.makeHot(user, keys, [keeper]);
    const plan = { from: 1, to: 2, markets: keys };
    const res = await rt.send([proposeRebalanceInstruction(keeper.publicKey, plan, BigInt(worst.index))], [keeper]);
    recordCu(
      import.meta.url,
      rt,
      "propose_rebalance",
      res,
      CU_BUDGET.propose_rebalance,
      `worst of 2,048 ids (bump ${worst.bump}), pre-funded, ${MAX_PROPOSAL_MARKETS} markets`,
    );
    const vote = ok(await rt.send([voteRebalanceInstruction(keeper.publicKey, BigInt(worst.index), true)], [keeper]));
    recordCu(import.meta.url, rt, "vote_rebalance", vote, CU_BUDGET.vote_rebalance, "any keeper (fixed cost)");
  });
});
