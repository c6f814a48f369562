/**
 * The scale run's world on one embedded runtime: the config (S shards), its collateral mint,
 * the market authority (LP of every AMM market), traders and keepers, and a `send` that fails
 * loudly and books every transaction's CU in the ledger. No vitest import: the scale run is a
 * script, and `tests/scale` drives the same code.
 */
import { Keypair, LAMPORTS_PER_SOL, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import {
  computeUnitLimit,
  DEFAULT_CONFIG_ARGS,
  initializeConfigInstruction,
  initShardInstruction,
  registerKeeperInstruction,
  type InitializeConfigArgs,
} from "../../sdk/src/index.js";
import type { Chain, SendResult } from "../../sdk/src/keeper/index.js";
import { createRuntime, type TestRuntime, type TxResult } from "../../tests/harness/runtime.js";
import { createTestMint, fundTokens } from "../../tests/harness/token.js";
import { Ledger } from "./ledger.js";

const SOL = BigInt(LAMPORTS_PER_SOL);
/** Unix time of the run's slot 0; a slot is 400 ms. */
export const T0 = 1_800_000_000n;
/** Unix time of the run's slot `slot` (slots count from `World.base`). */
export const unixAt = (slot: bigint): bigint => T0 + (slot * 2n) / 5n;

/** Thresholds of the run's config, scaled to its trade rate (see docs/scale.md). */
export interface WorldOptions {
  shards: number;
  /** Writes per slot one shard takes in this run (the stand-in for the 12M CU account cap). */
  capPerShard: number;
  votingWindowSlots: bigint;
  keepers: number;
  traders: number;
  /** Deterministic keys (so a run's PDAs, and their bump searches, repeat). */
  keypair(label: string, i: number): Keypair;
}

export class World {
  readonly ledger = new Ledger();
  /** Unique deposit amounts etc. need a counter: LiteSVM's blockhash never changes. */
  private nonce = 0n;
  /** Every token base unit minted so far (to the authority and the traders). */
  minted = 0n;

  private constructor(
    readonly rt: TestRuntime,
    /** The runtime's slot at the start (LiteSVM starts far from 0): the run's slot 0. */
    readonly base: bigint,
    readonly config: InitializeConfigArgs,
    readonly authority: Keypair,
    readonly traders: Keypair[],
    readonly keeperKeys: Keypair[],
  ) {}

  /**
   * Config with load threshold 80% of `capPerShard` and contention threshold 80% of a slot
   * (the same 80% as the contention model's keeper threshold), shards and vaults, a funded
   * market authority, traders (SOL for rent and fees, tokens to bet) and registered keepers of
   * equal stake.
   */
  static async create(o: WorldOptions): Promise<World> {
    const rt = await createRuntime("litesvm");
    const config: InitializeConfigArgs = {
      ...DEFAULT_CONFIG_ARGS,
      shardCount: o.shards,
      votingWindowSlots: o.votingWindowSlots,
      proposalCooldownSlots: 8n,
      executionWindowSlots: o.votingWindowSlots,
      minKeeperStake: SOL,
      loadThresholdMilliWrites: BigInt(Math.round(o.capPerShard * 800)),
      contentionThresholdUs: 320_000,
    };
    const keepers = Array.from({ length: o.keepers }, (_, i) => o.keypair("keeper", i));
    const traders = Array.from({ length: o.traders }, (_, i) => o.keypair("trader", i));
    const w = new World(rt, (await rt.slot()) + 1n, config, o.keypair("authority", 0), traders, keepers);
    w.ledger.begin("setup");
    rt.collateral = await createTestMint(rt);
    const admin = rt.upgradeAuthority;
    await w.send([initializeConfigInstruction(admin.publicKey, rt.collateral, config)], [admin]);
    for (let id = 0; id < o.shards; id += 4) {
      const ixs = [];
      for (let j = id; j < Math.min(o.shards, id + 4); j++) ixs.push(initShardInstruction(admin.publicKey, j, rt.collateral));
      await w.send(ixs, [admin]);
    }
    await w.fund(w.authority.publicKey, 10_000n * SOL, 1n << 60n);
    for (const t of traders) await w.fund(t.publicKey, 1_000n * SOL, 1n << 50n);
    for (const k of keepers) {
      await w.fund(k.publicKey, 100n * SOL, 0n);
      await w.send([registerKeeperInstruction(k.publicKey, 2n * SOL)], [k]);
    }
    return w;
  }

  get shardCount(): number {
    return this.config.shardCount;
  }

  /** SOL for fees and rent, and `tokens` base units of the collateral. */
  async fund(owner: PublicKey, lamports: bigint, tokens: bigint): Promise<void> {
    await this.rt.airdrop(owner, lamports);
    if (tokens === 0n) return;
    await fundTokens(this.rt, this.rt.collateral, owner, tokens);
    this.minted += tokens;
  }

  /** Sends one transaction; a failure throws with its logs. CU go to the ledger. */
  async send(ixs: TransactionInstruction[], signers: Keypair[], label?: string): Promise<TxResult> {
    const res = await this.rt.send(ixs, signers);
    if (!res.ok) throw new Error(`transaction failed: ${res.error}\n${res.logs.slice(-12).join("\n")}`);
    this.ledger.record(ixs, res.cu, label);
    return res;
  }

  /** Moves the Clock to the run's slot `slot` (unix time follows at 400 ms a slot). */
  async setSlot(slot: bigint): Promise<void> {
    await this.rt.setClock(this.absolute(slot), unixAt(slot));
  }

  /**
   * Lets timers and I/O run: the embedded runtime answers synchronously, so a long run would
   * otherwise never give the event loop back (vitest's worker heartbeat times out).
   */
  static yieldToEventLoop(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** The runtime's slot of the run's slot `slot`. */
  absolute(slot: bigint | number): bigint {
    return this.base + BigInt(slot);
  }

  /** A number never returned before (unique amounts keep messages unique). */
  nextNonce(): bigint {
    return ++this.nonce;
  }

  /**
   * Sends `ixs`; if the very same message was already sent as often as the runtime has fee
   * payers (a keeper reporting the same figure for the same market in several windows), a
   * compute-unit limit instruction with a never-used value makes it a new message.
   */
  private async sendUnique(ixs: TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    try {
      return await this.rt.send(ixs, signers);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes("more times than there are fee payers")) throw e;
      return this.rt.send([computeUnitLimit(1_400_000 - Number(this.nextNonce())), ...ixs], signers);
    }
  }

  /** The keepers' `Chain`: the runtime, with every successful transaction booked in the ledger. */
  chain(): Chain {
    return {
      getAccount: (key) => this.rt.getAccount(key),
      getSlot: () => this.rt.slot(),
      send: async (ixs, signers): Promise<SendResult> => {
        const r = await this.sendUnique(ixs, signers);
        if (r.ok) this.ledger.record(ixs, r.cu);
        return {
          ok: r.ok,
          logs: r.logs,
          ...(r.error === undefined ? {} : { error: r.error }),
          ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
        };
      },
    };
  }
}
