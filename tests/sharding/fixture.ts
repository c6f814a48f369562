/** Shared setup of the sharding tests: config + shards + markets + keepers on one runtime. */
import { type Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "vitest";
import {
  DEFAULT_CONFIG_ARGS,
  decodeConfig,
  decodeKeeper,
  decodeMarketHeader,
  decodeRebalanceProposal,
  decodeShard,
  findConfigPda,
  findKeeperPda,
  findMarketPda,
  findProposalPda,
  findShardPda,
  findVaultPda,
  initializeConfigInstruction,
  initShardInstruction,
  depositCollateralInstruction,
  registerKeeperInstruction,
  reportContentionInstruction,
  registerMarketInstruction,
  assignShard,
  generateMarketKey,
  SHARD_OFFSETS,
  MARKET_OFFSETS,
  type ConfigAccount,
  type InitializeConfigArgs,
  type KeeperAccount,
  type MarketHeaderAccount,
  type RebalanceProposalAccount,
  type ShardAccount,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import type { TestRuntime, TxResult } from "../harness/runtime.js";
import { createTestMint, mintTo, tokenBalance, type MintOptions, type TestCollateral } from "../harness/token.js";

export const SHARDING_CONFIG: InitializeConfigArgs = {
  ...DEFAULT_CONFIG_ARGS,
  shardCount: 4,
  votingWindowSlots: 100n,
  proposalCooldownSlots: 50n,
  unstakeCooldownSlots: 200n,
  minKeeperStake: 1_000_000n,
  contentionThresholdUs: 1_500,
  loadThresholdMilliWrites: 4_000n,
};

export function ok(res: TxResult): TxResult {
  expect(res.ok, `${res.error}\n${res.logs.join("\n")}`).toBe(true);
  return res;
}

export class Sharding {
  /** Deposits made by `heatLoad` (each deposits one more lamport than the last). */
  private deposits = 0n;
  /** Market keypairs of the keys `keysOnShard` handed out, by hex key: they sign the registration. */
  private readonly marketSigners = new Map<string, Keypair>();

  constructor(
    readonly rt: TestRuntime,
    readonly admin: Keypair,
    readonly args: InitializeConfigArgs,
  ) {}

  /**
   * Config + every shard (and its vault), on a fresh collateral mint (default: SPL Token, 6
   * decimals; `mint` picks another), which becomes `rt.collateral`.
   */
  static async create(
    rt: TestRuntime,
    args: Partial<InitializeConfigArgs> = {},
    initShards = true,
    mint: MintOptions = {},
  ): Promise<Sharding> {
    // Only the program's upgrade authority may initialize the config.
    const admin = rt.upgradeAuthority;
    const full = { ...SHARDING_CONFIG, ...args };
    const collateral = await createTestMint(rt, mint);
    rt.collateral = collateral;
    const s = new Sharding(rt, admin, full);
    ok(await rt.send([initializeConfigInstruction(admin.publicKey, collateral, full)], [admin]));
    if (initShards) {
      // Each init_shard creates two accounts (shard, vault) and runs two CPIs: 4 per transaction.
      for (let id = 0; id < full.shardCount; id += 4) {
        const ixs = [];
        for (let j = id; j < Math.min(full.shardCount, id + 4); j++) ixs.push(initShardInstruction(admin.publicKey, j, collateral));
        ok(await rt.send(ixs, [admin]));
      }
    }
    return s;
  }

  get collateral(): TestCollateral {
    return this.rt.collateral;
  }

  /** Token balance of shard `id`'s vault. */
  async vaultBalance(id: number): Promise<bigint> {
    return tokenBalance(this.rt, findVaultPda(id)[0]);
  }

  /**
   * The conservation invariant, per shard: its vault's balance equals `collateralAmount`, the
   * sum of its markets' books (`markets`: the Market accounts to add up; each is counted on
   * the shard it records).
   */
  async expectVaultsMatchBooks(markets: PublicKey[] = []): Promise<void> {
    const sums = new Map<number, bigint>();
    for (const m of markets) {
      const acc = await this.rt.getAccount(m);
      if (!acc || acc.data.length === 0) continue;
      const h = decodeMarketHeader(acc.data.subarray(0, 160));
      sums.set(h.shardId, (sums.get(h.shardId) ?? 0n) + h.vaultAmount);
    }
    for (let id = 0; id < this.shardCount; id++) {
      const shard = await this.shard(id);
      expect(await this.vaultBalance(id), `shard ${id} vault vs books`).toBe(shard.collateralAmount);
      if (markets.length > 0) expect(shard.collateralAmount, `shard ${id} books vs its markets`).toBe(sums.get(id) ?? 0n);
    }
  }

  get shardCount(): number {
    return this.args.shardCount;
  }

  async config(): Promise<ConfigAccount> {
    return decodeConfig((await this.rt.getAccount(findConfigPda()[0]))!.data);
  }
  async shard(id: number): Promise<ShardAccount> {
    return decodeShard((await this.rt.getAccount(findShardPda(id)[0]))!.data);
  }
  marketPda(key: Uint8Array): PublicKey {
    return findMarketPda(key)[0];
  }
  async market(key: Uint8Array): Promise<MarketHeaderAccount> {
    return decodeMarketHeader((await this.rt.getAccount(findMarketPda(key)[0]))!.data);
  }
  async keeper(authority: PublicKey): Promise<KeeperAccount> {
    return decodeKeeper((await this.rt.getAccount(findKeeperPda(authority)[0]))!.data);
  }
  async proposal(id: bigint): Promise<RebalanceProposalAccount> {
    return decodeRebalanceProposal((await this.rt.getAccount(findProposalPda(id)[0]))!.data);
  }

  /**
   * Registers `keys` (batched `perTx` per transaction) with `authority` as market authority.
   * Each key is a market keypair or a key from `keysOnShard` (whose keypair signs). At most 4
   * per transaction: each registration adds a signature and two addresses (1,232-byte limit).
   */
  async registerMarkets(authority: Keypair, keys: (Uint8Array | Keypair)[], perTx = 4): Promise<void> {
    perTx = Math.min(perTx, 4);
    for (let i = 0; i < keys.length; i += perTx) {
      const batch = keys.slice(i, i + perTx).map((k) => this.marketSigner(k));
      const ixs = batch.map((k) => registerMarketInstruction(authority.publicKey, k, this.shardCount));
      ok(await this.rt.send(ixs, [authority, ...batch]));
    }
  }

  /** The keypair of a market key handed out by `keysOnShard` (or the keypair itself). */
  marketSigner(key: Uint8Array | Keypair): Keypair {
    if (!(key instanceof Uint8Array)) return key;
    const kp = this.marketSigners.get(Buffer.from(key).toString("hex"));
    if (!kp) throw new Error("not a market key from keysOnShard: its keypair is unknown");
    return kp;
  }

  /** A fresh funded keeper with `stake` lamports registered. */
  async keeperWithStake(stake: bigint): Promise<Keypair> {
    const kp = await fundedKeypair(this.rt, 100n);
    ok(await this.rt.send([registerKeeperInstruction(kp.publicKey, stake)], [kp]));
    return kp;
  }

  /**
   * Random market keys assigned to `shardId` (the public keys' bytes; `registerMarkets` signs
   * with the keypairs, which this fixture keeps).
   */
  keysOnShard(shardId: number, count: number): Uint8Array[] {
    const keys: Uint8Array[] = [];
    while (keys.length < count) {
      const kp = generateMarketKey();
      if (assignShard(kp, this.shardCount) !== shardId) continue;
      const k = kp.publicKey.toBytes();
      this.marketSigners.set(Buffer.from(k).toString("hex"), kp);
      keys.push(k);
    }
    return keys;
  }

  /**
   * Drives on-chain write load with real writes: in each of `slots` consecutive slots,
   * `writesPerSlot` 1-lamport-ish deposits spread over `keys` (Registered markets of
   * `authority`, each counted on its own current shard). With alpha 1/8 and the tests'
   * threshold of 4 writes per slot, 8 writes for 8 slots on one shard gives an EMA of 4.6
   * writes per slot as stored and 5.3 once the last slot is folded in (the next slot, which
   * this returns).
   */
  async heatLoad(authority: Keypair, keys: Uint8Array[], slots = 8, writesPerSlot = 8): Promise<bigint> {
    const shards = await Promise.all(keys.map(async (k) => (await this.market(k)).shardId));
    for (let i = 0; i < slots; i++) {
      await this.advance(1n);
      // A different amount per deposit keeps every transaction's message unique.
      const ixs = Array.from({ length: writesPerSlot }, (_, j) =>
        depositCollateralInstruction(authority.publicKey, keys[j % keys.length]!, shards[j % keys.length]!, ++this.deposits, this.collateral),
      );
      ok(await this.rt.send(ixs, [authority]));
    }
    return this.advance(1n);
  }

  /** Each keeper reports `us` of write latency for `key` on its shard (one report per window). */
  async reportLatency(keepers: Keypair[], key: Uint8Array, us = 6_000): Promise<void> {
    const shardId = (await this.market(key)).shardId;
    for (const k of keepers) ok(await this.rt.send([reportContentionInstruction(k.publicKey, shardId, us, key)], [k]));
  }

  /**
   * Makes the shard of `keys` a valid rebalance source: real writes push its load over the
   * threshold, then `reporters` (holding the latency quorum of stake) report it hot.
   */
  async makeHot(authority: Keypair, keys: Uint8Array[], reporters: Keypair[]): Promise<bigint> {
    const slot = await this.heatLoad(authority, keys);
    await this.reportLatency(reporters, keys[0]!);
    return slot;
  }

  /** Advances the Clock sysvar (slot and timestamp) by `slots`. */
  async advance(slots: bigint): Promise<bigint> {
    const next = (await this.rt.slot()) + slots;
    await this.rt.setClock(next, 1_700_000_000n + next);
    return next;
  }

  /**
   * Test setup of collateral without a deposit: sets a market's `vault_amount`, mints the
   * difference into its shard's vault and adds it to `collateral_amount` (consistent books).
   */
  async setVault(key: Uint8Array, amount: bigint): Promise<void> {
    const marketPda = findMarketPda(key)[0];
    const market = (await this.rt.getAccount(marketPda))!;
    const header = decodeMarketHeader(market.data);
    const data = Uint8Array.from(market.data);
    const delta = amount - header.vaultAmount;
    if (delta < 0n) throw new Error("setVault only adds collateral");
    new DataView(data.buffer).setBigUint64(MARKET_OFFSETS.vaultAmount, amount, true);
    await this.rt.setAccount(marketPda, { ...market, data });
    const shardPda = findShardPda(header.shardId)[0];
    const shard = (await this.rt.getAccount(shardPda))!;
    const sdata = Uint8Array.from(shard.data);
    const view = new DataView(sdata.buffer);
    view.setBigUint64(SHARD_OFFSETS.collateralAmount, view.getBigUint64(SHARD_OFFSETS.collateralAmount, true) + delta, true);
    await this.rt.setAccount(shardPda, { ...shard, data: sdata });
    if (delta > 0n) await mintTo(this.rt, this.collateral, findVaultPda(header.shardId)[0], delta);
  }
}
