/**
 * Collateral of sharding-only (Registered) markets: `deposit_collateral` and
 * `withdraw_collateral` move lamports between the authority and the market's current shard PDA
 * and keep the books (market vault, shard collateral) equal to the lamports, to the lamport.
 * Every rejection is a named error that changes nothing. AMM markets refuse both (their vault
 * is `b + sum C`, paid out only by claims).
 */
import type { Keypair, PublicKey } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  assignShard,
  depositCollateralInstruction,
  findMarketPda,
  findShardPda,
  withdrawCollateralInstruction,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { Amm } from "../amm/fixture.js";
import { ok, Sharding } from "./fixture.js";

describe.each(RUNTIME_NAMES)("deposit_collateral / withdraw_collateral on %s", (runtimeName) => {
  let rt: TestRuntime;
  let s: Sharding;
  let owner: Keypair;
  let key: Uint8Array;
  let shardId: number;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt);
    owner = await fundedKeypair(rt, 100n);
    [key] = s.keysOnShard(1, 1) as [Uint8Array];
    shardId = assignShard(key, s.shardCount);
    await s.registerMarkets(owner, [key]);
  });

  const watched = (): PublicKey[] => [owner.publicKey, findMarketPda(key)[0], findShardPda(shardId)[0], findShardPda((shardId + 1) % 4)[0]];
  const snapshot = async (keys = watched()) => Promise.all(keys.map((k) => rt.getAccount(k)));

  it("deposits and withdraws to the lamport; books follow the lamports", async () => {
    const shardPda = findShardPda(shardId)[0];
    const start = { owner: await rt.balance(owner.publicKey), shard: await rt.balance(shardPda) };
    ok(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 7_000_001n)], [owner]));
    const res = await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 2_000_000n)], [owner]);
    recordCu(import.meta.url, rt.name, "withdraw_collateral", res, CU_BUDGET.withdraw_collateral);
    expect((await s.market(key)).vaultLamports).toBe(5_000_001n);
    expect((await s.shard(shardId)).collateralLamports).toBe(5_000_001n);
    expect(await rt.balance(shardPda)).toBe(start.shard + 5_000_001n);
    expect(await rt.balance(owner.publicKey)).toBe(start.owner - 5_000_001n);
    // Everything can come back out.
    ok(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 5_000_001n)], [owner]));
    expect((await s.market(key)).vaultLamports).toBe(0n);
    expect(await rt.balance(shardPda)).toBe(start.shard);
    expect(await rt.balance(owner.publicKey)).toBe(start.owner);
  });

  it("rejects a stranger, an overdraw, zero, the wrong shard and a missing signature", async () => {
    ok(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 1_000_000n)], [owner]));
    const stranger = await fundedKeypair(rt, 10n);
    const before = await snapshot([...watched(), stranger.publicKey]);
    const other = (shardId + 1) % 4;
    expectError(await rt.send([withdrawCollateralInstruction(stranger.publicKey, key, shardId, 1n)], [stranger]), "InvalidAuthority");
    expectError(await rt.send([depositCollateralInstruction(stranger.publicKey, key, shardId, 1n)], [stranger]), "InvalidAuthority");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 1_000_001n)], [owner]), "InsufficientFunds");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 0n)], [owner]), "InvalidInstructionData");
    expectError(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 0n)], [owner]), "InvalidInstructionData");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, other, 1n)], [owner]), "AccountMismatch");
    const unsigned = withAccount(withdrawCollateralInstruction(owner.publicKey, key, shardId, 1n), 0, { isSigner: false });
    expectError(await rt.send([unsigned]), "MissingSigner");
    expect(await snapshot([...watched(), stranger.publicKey])).toEqual(before);
  });

  it("refuses AMM markets (their vault is paid out by claims only)", async () => {
    rt = await createRuntime(runtimeName); // a runtime of its own: Amm.create sets up the config
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(11));
    const keys = [amm.authority.publicKey, m.address, findShardPda(m.shardId)[0]];
    const before = await snapshot(keys);
    const deposit = depositCollateralInstruction(amm.authority.publicKey, m.key, m.shardId, 1_000n);
    expectError(await rt.send([deposit], [amm.authority]), "InvalidMarketStatus");
    const withdraw = withdrawCollateralInstruction(amm.authority.publicKey, m.key, m.shardId, 1_000n);
    expectError(await rt.send([withdraw], [amm.authority]), "InvalidMarketStatus");
    expect(await snapshot(keys)).toEqual(before);
  });
});
