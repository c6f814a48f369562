/**
 * Collateral of sharding-only (Registered) markets: `deposit_collateral` and
 * `withdraw_collateral` move tokens between the authority's token account and the vault of the
 * market's current shard and keep the books (market vault, shard collateral) equal to the
 * vault's balance, to the base unit.
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
  findVaultPda,
  withdrawCollateralInstruction,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ataOf, TOKEN_KINDS, tokenBalance } from "../harness/token.js";
import { Amm } from "../amm/fixture.js";
import { ok, Sharding } from "./fixture.js";

const CASES = RUNTIME_NAMES.flatMap((r) => TOKEN_KINDS.map((k) => [r, k] as const));

describe.each(CASES)("deposit_collateral / withdraw_collateral on %s, %s collateral", (runtimeName, kind) => {
  let rt: TestRuntime;
  let s: Sharding;
  let owner: Keypair;
  let key: Uint8Array;
  let shardId: number;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    s = await Sharding.create(rt, {}, true, { kind });
    owner = await fundedKeypair(rt, 100n);
    [key] = s.keysOnShard(1, 1) as [Uint8Array];
    shardId = assignShard(key, s.shardCount);
    await s.registerMarkets(owner, [key]);
  });

  const watched = (): PublicKey[] => [
    owner.publicKey,
    ataOf(owner.publicKey, rt.collateral),
    findMarketPda(key)[0],
    findShardPda(shardId)[0],
    findShardPda((shardId + 1) % 4)[0],
    findVaultPda(shardId)[0],
    findVaultPda((shardId + 1) % 4)[0],
  ];
  const snapshot = async (keys = watched()) => Promise.all(keys.map((k) => rt.getAccount(k)));

  it("deposits and withdraws to the base unit; books follow the vault", async () => {
    const vault = findVaultPda(shardId)[0];
    const ata = ataOf(owner.publicKey, rt.collateral);
    const shardRent = await rt.balance(findShardPda(shardId)[0]);
    const start = { owner: await tokenBalance(rt, ata), vault: await tokenBalance(rt, vault) };
    const deposited = await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 7_000_001n, rt.collateral)], [owner]);
    recordCu(import.meta.url, rt, "deposit_collateral", deposited, CU_BUDGET.deposit_collateral);
    const res = await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 2_000_000n, rt.collateral)], [owner]);
    recordCu(import.meta.url, rt, "withdraw_collateral", res, CU_BUDGET.withdraw_collateral);
    expect((await s.market(key)).vaultAmount).toBe(5_000_001n);
    expect((await s.shard(shardId)).collateralAmount).toBe(5_000_001n);
    expect(await tokenBalance(rt, vault)).toBe(start.vault + 5_000_001n);
    expect(await tokenBalance(rt, ata)).toBe(start.owner - 5_000_001n);
    // The Shard PDA holds only its rent: money is in the vault.
    expect(await rt.balance(findShardPda(shardId)[0])).toBe(shardRent);
    await s.expectVaultsMatchBooks([findMarketPda(key)[0]]);
    // Everything can come back out.
    ok(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 5_000_001n, rt.collateral)], [owner]));
    expect((await s.market(key)).vaultAmount).toBe(0n);
    expect(await tokenBalance(rt, vault)).toBe(start.vault);
    expect(await tokenBalance(rt, ata)).toBe(start.owner);
    await s.expectVaultsMatchBooks([findMarketPda(key)[0]]);
  });

  it("rejects a stranger, an overdraw, zero, the wrong shard and a missing signature", async () => {
    ok(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 1_000_000n, rt.collateral)], [owner]));
    const stranger = await fundedKeypair(rt, 10n);
    const before = await snapshot([...watched(), stranger.publicKey]);
    const other = (shardId + 1) % 4;
    expectError(await rt.send([withdrawCollateralInstruction(stranger.publicKey, key, shardId, 1n, rt.collateral)], [stranger]), "InvalidAuthority");
    expectError(await rt.send([depositCollateralInstruction(stranger.publicKey, key, shardId, 1n, rt.collateral)], [stranger]), "InvalidAuthority");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 1_000_001n, rt.collateral)], [owner]), "InsufficientFunds");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, shardId, 0n, rt.collateral)], [owner]), "InvalidInstructionData");
    expectError(await rt.send([depositCollateralInstruction(owner.publicKey, key, shardId, 0n, rt.collateral)], [owner]), "InvalidInstructionData");
    expectError(await rt.send([withdrawCollateralInstruction(owner.publicKey, key, other, 1n, rt.collateral)], [owner]), "AccountMismatch");
    const unsigned = withAccount(withdrawCollateralInstruction(owner.publicKey, key, shardId, 1n, rt.collateral), 0, { isSigner: false });
    expectError(await rt.send([unsigned]), "MissingSigner");
    expect(await snapshot([...watched(), stranger.publicKey])).toEqual(before);
  });

  it("refuses AMM markets (their vault is paid out by claims only)", async () => {
    rt = await createRuntime(runtimeName); // a runtime of its own: Amm.create sets up the config
    const amm = await Amm.create(rt);
    const { m } = await amm.createMarket(amm.params(11));
    const keys = [amm.authority.publicKey, ataOf(amm.authority.publicKey, rt.collateral), m.address, findShardPda(m.shardId)[0], findVaultPda(m.shardId)[0]];
    const before = await snapshot(keys);
    const deposit = depositCollateralInstruction(amm.authority.publicKey, m.key, m.shardId, 1_000n, rt.collateral);
    expectError(await rt.send([deposit], [amm.authority]), "InvalidMarketStatus");
    const withdraw = withdrawCollateralInstruction(amm.authority.publicKey, m.key, m.shardId, 1_000n, rt.collateral);
    expectError(await rt.send([withdraw], [amm.authority]), "InvalidMarketStatus");
    expect(await snapshot(keys)).toEqual(before);
  });
});
