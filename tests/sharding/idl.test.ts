/**
 * The sharding part of the IDL: Anchor's coder decodes the sharding accounts and events exactly
 * like the SDK. (Discriminators of every instruction, account and event: `tests/idl.test.ts`.)
 */
import { BorshCoder, EventParser, type Idl } from "@coral-xyz/anchor";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  decodeKeeper,
  decodeMarketHeader,
  decodeRebalanceProposal,
  decodeShard,
  executeRebalanceInstruction,
  findKeeperPda,
  findProposalPda,
  findShardPda,
  PROGRAM_ID,
  proposeRebalanceInstruction,
  voteRebalanceInstruction,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

const idl = JSON.parse(readFileSync(fileURLToPath(new URL("../../idl/continuum.json", import.meta.url)), "utf8")) as Idl;

describe("sharding IDL", () => {
  it("Anchor's coder decodes sharding accounts and events like the SDK (litesvm)", async () => {
    const rt = await createRuntime("litesvm");
    const s = await Sharding.create(rt);
    const user = await fundedKeypair(rt);
    const keys = s.keysOnShard(1, 2);
    await s.registerMarkets(user, keys);
    const k = await s.keeperWithStake(3_000_000n);
    await s.makeHot(user, keys, [k]);
    const plan = { from: 1, to: 3, markets: keys };
    ok(await rt.send([proposeRebalanceInstruction(k.publicKey, plan, 0n)], [k]));
    ok(await rt.send([voteRebalanceInstruction(k.publicKey, 0n, true)], [k]));
    const res = ok(await rt.send([executeRebalanceInstruction(0n, plan, rt.collateral)]));

    const coder = new BorshCoder(idl);
    const shardData = Buffer.from((await rt.getAccount(findShardPda(3)[0]))!.data);
    const shard = coder.accounts.decode("Shard", shardData);
    const sdkShard = decodeShard(shardData);
    expect(shard.shard_id).toBe(3);
    expect(BigInt(shard.collateral_amount.toString())).toBe(sdkShard.collateralAmount);
    expect(BigInt(shard.migrated_in.toString())).toBe(2n);
    const f = coder.accounts.decode("Shard", Buffer.from((await rt.getAccount(findShardPda(1)[0]))!.data));
    expect(BigInt(f.latency_current.hot_stake.toString())).toBe(3_000_000n);
    expect(BigInt(f.load.ema_milli.toString())).toBe(decodeShard(Buffer.from((await rt.getAccount(findShardPda(1)[0]))!.data)).load.emaMilli);
    const marketData = Buffer.from((await rt.getAccount(s.marketPda(keys[0]!)))!.data);
    const market = coder.accounts.decode("Market", marketData);
    expect(market.shard_id).toBe(decodeMarketHeader(marketData).shardId);
    expect(market.market_key.toBuffer().equals(Buffer.from(keys[0]!))).toBe(true);
    const keeperData = Buffer.from((await rt.getAccount(findKeeperPda(k.publicKey)[0]))!.data);
    const keeper = coder.accounts.decode("Keeper", keeperData);
    expect(BigInt(keeper.stake.toString())).toBe(decodeKeeper(keeperData).stake);
    const votes = keeper.open_votes.map((v: { proposal_id: { toString(): string }; voting_end_slot: { toString(): string } }) => ({
      proposalId: BigInt(v.proposal_id.toString()),
      votingEndSlot: BigInt(v.voting_end_slot.toString()),
    }));
    expect(votes).toEqual(decodeKeeper(keeperData).openVotes);
    expect(votes).toContainEqual({ proposalId: 0n, votingEndSlot: (await s.proposal(0n)).votingEndSlot });
    const proposalData = Buffer.from((await rt.getAccount(findProposalPda(0n)[0]))!.data);
    const p = coder.accounts.decode("RebalanceProposal", proposalData);
    expect(BigInt(p.yes_stake.toString())).toBe(decodeRebalanceProposal(proposalData).yesStake);
    expect(p.market_count).toBe(2);

    const parsed = [...new EventParser(PROGRAM_ID, coder).parseLogs(res.logs)];
    expect(parsed.map((e) => e.name)).toEqual(["MarketMigrated", "MarketMigrated", "RebalanceExecuted"]);
    expect(parsed[0]!.data.to_shard).toBe(3);
  });
});
