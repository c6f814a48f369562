/**
 * Market-to-shard assignment: the program (keccak syscall) and the SDK (`assignShard`) agree on
 * every key, registration is checked, and the hash spreads markets evenly over shards.
 */
import { Keypair } from "@solana/web3.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assignShard,
  decodeMarketHeader,
  decodeMarketRegisteredEvents,
  findMarketPda,
  findShardPda,
  initShardInstruction,
  generateMarketKey,
  isUsableMarketKey,
  MARKET_HEADER_LEN,
  MarketStatus,
  PROGRAM_ID,
  registerMarketInstruction,
} from "../../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "../harness/cu.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { ok, Sharding } from "./fixture.js";

/** Keys pushed through the chain per runtime, split over these shard counts (2 runtimes: 2,000). */
const CHAIN_SHARD_COUNTS = [1, 3, 8, 16, 255];
const CHAIN_KEYS_PER_COUNT = 200;

/**
 * Deterministic pseudo-random 32-byte keys (xorshift), so failures reproduce; only keys the
 * program accepts (`isUsableMarketKey`: bump-255 Market PDA, independent of the keccak shard).
 */
function randomKeys(count: number, seed: number, usableOnly = true): Uint8Array[] {
  return randomSeeds(count, seed, (k) => !usableOnly || isUsableMarketKey(k));
}

/** Deterministic market keypairs (from xorshift seeds) whose public keys the program accepts. */
function randomMarketKeypairs(count: number, seed: number): Keypair[] {
  return randomSeeds(count, seed, (s) => isUsableMarketKey(Keypair.fromSeed(s))).map((s) => Keypair.fromSeed(s));
}

function randomSeeds(count: number, seed: number, keep: (bytes: Uint8Array) => boolean): Uint8Array[] {
  let x = seed >>> 0 || 1;
  const keys: Uint8Array[] = [];
  while (keys.length < count) {
    const k = new Uint8Array(32);
    for (let j = 0; j < 32; j++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      k[j] = x & 0xff;
    }
    if (keep(k)) keys.push(k);
  }
  return keys;
}

describe("assignShard distribution (SDK; agreement with the program is proven below)", () => {
  it.each([8, 16])("spreads 21,000 markets over %i shards within +/-10%% of the mean", (shards) => {
    const counts = new Array<number>(shards).fill(0);
    // Fixed seed: the figure is reproducible (any seed passes; see the printed deviation).
    for (const key of randomKeys(21_000, 0xc0ffee, false)) counts[assignShard(key, shards)]!++;
    const mean = 21_000 / shards;
    const worst = Math.max(...counts.map((c) => Math.abs(c - mean) / mean));
    console.log(
      `[distribution] 21,000 markets / ${shards} shards: mean ${mean.toFixed(1)}, min ${Math.min(...counts)}, ` +
        `max ${Math.max(...counts)}, worst deviation ${(worst * 100).toFixed(2)}%`,
    );
    expect(worst).toBeLessThanOrEqual(0.1);
  });
});

describe.each(RUNTIME_NAMES)("register_market on %s", (runtimeName) => {
  it.each(CHAIN_SHARD_COUNTS)("program and SDK agree on %i shards", async (shardCount) => {
    const rt = await createRuntime(runtimeName);
    const s = await Sharding.create(rt, { shardCount });
    const user = await fundedKeypair(rt, 1_000n);
    const keypairs = randomMarketKeypairs(CHAIN_KEYS_PER_COUNT, shardCount * 7919 + (runtimeName === "bankrun" ? 1 : 2));
    await s.registerMarkets(user, keypairs);
    const keys = keypairs.map((k) => k.publicKey.toBytes());
    const perShard = new Array<bigint>(shardCount).fill(0n);
    for (const key of keys) {
      const market = await s.market(key);
      expect(market.shardId).toBe(assignShard(key, shardCount));
      perShard[market.shardId]!++;
    }
    for (let id = 0; id < shardCount; id++) expect((await s.shard(id)).marketCount).toBe(perShard[id]);
    expect((await s.config()).marketCount).toBe(BigInt(keys.length));
  });

  describe("checks", () => {
    let rt: TestRuntime;
    let s: Sharding;
    let user: Keypair;
    beforeAll(async () => {
      rt = await createRuntime(runtimeName);
      s = await Sharding.create(rt, { shardCount: 4 }, false);
      user = await fundedKeypair(rt, 100n);
    });

    it("init_shard: admin only, ids below shard_count, once", async () => {
      const other = await fundedKeypair(rt);
      expectError(await rt.send([initShardInstruction(other.publicKey, 0, rt.collateral)], [other]), "Unauthorized");
      expectError(await rt.send([initShardInstruction(s.admin.publicKey, 4, rt.collateral)], [s.admin]), "InvalidShardId");
      const wrongPda = withAccount(initShardInstruction(s.admin.publicKey, 0, rt.collateral), 2, { pubkey: findShardPda(1)[0] });
      expectError(await rt.send([wrongPda], [s.admin]), "InvalidPda");
      expect(await rt.getAccount(findShardPda(0)[0])).toBeNull();
      for (let id = 0; id < 4; id++) {
        const res = await rt.send([initShardInstruction(s.admin.publicKey, id, rt.collateral)], [s.admin]);
        recordCu(import.meta.url, rt, "init_shard", res, CU_BUDGET.init_shard);
      }
      const shard = await s.shard(3);
      expect(shard.shardId).toBe(3);
      expect(shard.bump).toBe(findShardPda(3)[1]);
      expectError(await rt.send([initShardInstruction(s.admin.publicKey, 3, rt.collateral)], [s.admin]), "AccountAlreadyInitialized");
    });

    it("creates the Market header on the assigned shard and records the write", async () => {
      const key = generateMarketKey();
      const shardId = assignShard(key, 4);
      const before = await s.shard(shardId);
      const res = await rt.send([registerMarketInstruction(user.publicKey, key, 4)], [user, key]);
      recordCu(import.meta.url, rt, "register_market", res, CU_BUDGET.register_market);
      const account = (await rt.getAccount(findMarketPda(key)[0]))!;
      expect(account.owner.equals(PROGRAM_ID)).toBe(true);
      expect(account.data.length).toBe(MARKET_HEADER_LEN);
      const m = decodeMarketHeader(account.data);
      expect(Buffer.from(m.marketKey).equals(key.publicKey.toBuffer())).toBe(true);
      expect(m.authority.equals(user.publicKey)).toBe(true);
      expect(m).toMatchObject({ shardId, status: MarketStatus.Registered, flags: 0, vaultAmount: 0n, writeCount: 1n });
      expect(m.bump).toBe(findMarketPda(key)[1]);
      const after = await s.shard(shardId);
      expect(after.marketCount).toBe(before.marketCount + 1n);
      expect(after.totalWrites).toBe(before.totalWrites + 1n);
      const [event] = decodeMarketRegisteredEvents(res.logs);
      expect(event).toMatchObject({ shardId, shardMarketCount: after.marketCount });
      expect(event!.market.equals(findMarketPda(key)[0])).toBe(true);
    });

    it("rejects the wrong shard, a second registration and a non-canonical market address", async () => {
      const key = generateMarketKey();
      const right = assignShard(key, 4);
      const wrong = (right + 1) % 4;
      const snapshot = async () => [
        await rt.getAccount(findShardPda(right)[0]),
        await rt.getAccount(findShardPda(wrong)[0]),
        await s.config(),
        await rt.getAccount(findMarketPda(key)[0]),
      ];
      const before = await snapshot();
      expectError(
        await rt.send([registerMarketInstruction(user.publicKey, key, 4, { shardId: wrong })], [user, key]),
        "AccountMismatch",
      );
      const impostor = withAccount(registerMarketInstruction(user.publicKey, key, 4), 3, {
        pubkey: Keypair.generate().publicKey,
      });
      expectError(await rt.send([impostor], [user, key]), "InvalidPda");
      // A key whose bump-255 address is on the curve: its real PDA (a lower bump) is refused.
      let unusable = Keypair.generate();
      while (isUsableMarketKey(unusable)) unusable = Keypair.generate();
      const unusableIx = registerMarketInstruction(user.publicKey, unusable, 4);
      expectError(await rt.send([unusableIx], [user, unusable]), "InvalidPda");
      expect(await rt.getAccount(findMarketPda(unusable)[0])).toBeNull();
      const unsigned = withAccount(registerMarketInstruction(user.publicKey, key, 4), 0, { isSigner: false });
      expectError(await rt.send([unsigned], [key]), "MissingSigner");
      expect(await snapshot()).toEqual(before);

      ok(await rt.send([registerMarketInstruction(user.publicKey, key, 4)], [user, key]));
      const registered = await snapshot();
      expectError(await rt.send([registerMarketInstruction(user.publicKey, key, 4)], [user, key]), "AccountAlreadyInitialized");
      expect(await snapshot()).toEqual(registered);
    });
  });
});
