/**
 * One test-runtime interface over solana-bankrun (Agave 1.18) and LiteSVM (Agave 4.x), so every
 * program test runs the same scenario on both. Transactions are built once with web3.js 1.x;
 * LiteSVM speaks @solana/kit, so its adapter re-decodes the serialized bytes with kit's decoder.
 */
import { getTransactionDecoder, address as kitAddress, lamports as kitLamports } from "@solana/kit";
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { Clock as LiteClock, LiteSVM } from "litesvm";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Clock as BankrunClock, start, type ProgramTestContext } from "solana-bankrun";
import { customErrorFromLogs, PROGRAM_ID } from "../../sdk/src/index.js";

export const RUNTIME_NAMES = ["bankrun", "litesvm"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** Outcome of one transaction. */
export interface TxResult {
  ok: boolean;
  /** Compute units consumed, as the runtime reports them. */
  cu: number;
  logs: string[];
  /** Custom program error code, when the program returned one. */
  errorCode?: number;
  /** The runtime's error text, when the transaction failed. */
  error?: string;
}

export interface AccountState {
  lamports: bigint;
  owner: PublicKey;
  data: Uint8Array;
}

export interface TestRuntime {
  readonly name: RuntimeName;
  /** Funded keypair that pays fees and signs as the default authority. */
  readonly payer: Keypair;
  send(ixs: TransactionInstruction[], signers?: Keypair[]): Promise<TxResult>;
  getAccount(key: PublicKey): Promise<AccountState | null>;
  /** Lamports of an account (0 if it does not exist). */
  balance(key: PublicKey): Promise<bigint>;
  airdrop(key: PublicKey, lamports: bigint): Promise<void>;
  /** Sets the Clock sysvar (slot and unix timestamp). */
  setClock(slot: bigint, unixTimestamp?: bigint): Promise<void>;
  slot(): Promise<bigint>;
  /** Writes an arbitrary account (test setup only). */
  setAccount(key: PublicKey, account: AccountState): Promise<void>;
}

export const PROGRAM_SO = fileURLToPath(new URL("../../target/deploy/continuum.so", import.meta.url));
const FEE_PAYERS = 8;

/** Starts a runtime with the Continuum program deployed. */
export async function createRuntime(name: RuntimeName): Promise<TestRuntime> {
  return name === "bankrun" ? BankrunRuntime.create() : LiteSvmRuntime.create();
}

/**
 * Identical transactions in one blockhash are rejected as duplicates before the program runs.
 * Tests legitimately resend identical instructions (e.g. re-initialization must fail with the
 * program's own error), so a repeated message is re-sent with the next fee payer, which changes
 * the message without touching the clock or the instructions.
 */
abstract class BaseRuntime {
  abstract readonly name: RuntimeName;
  readonly feePayers: Keypair[] = Array.from({ length: FEE_PAYERS }, () => Keypair.generate());
  private readonly sent = new Set<string>();

  get payer(): Keypair {
    return this.feePayers[0]!;
  }

  protected abstract blockhash(): Promise<string>;
  protected abstract submit(tx: Transaction): Promise<TxResult>;

  async send(ixs: TransactionInstruction[], signers: Keypair[] = []): Promise<TxResult> {
    const blockhash = await this.blockhash();
    for (const feePayer of this.feePayers) {
      const tx = new Transaction({ feePayer: feePayer.publicKey, recentBlockhash: blockhash }).add(...ixs);
      const key = blockhash + tx.serializeMessage().toString("base64");
      if (this.sent.has(key)) continue;
      this.sent.add(key);
      const all = [feePayer, ...signers.filter((s) => !s.publicKey.equals(feePayer.publicKey))];
      tx.sign(...all);
      return this.submit(tx);
    }
    throw new Error("same transaction sent more times than there are fee payers");
  }
}

class BankrunRuntime extends BaseRuntime implements TestRuntime {
  readonly name = "bankrun" as const;
  private constructor(private readonly ctx: ProgramTestContext) {
    super();
  }

  static async create(): Promise<BankrunRuntime> {
    process.env.BPF_OUT_DIR = path.dirname(PROGRAM_SO);
    process.env.RUST_LOG ??= "error"; // bankrun logs every instruction at DEBUG otherwise
    const ctx = await start([{ name: "continuum", programId: PROGRAM_ID }], []);
    const rt = new BankrunRuntime(ctx);
    for (const kp of rt.feePayers) await rt.airdrop(kp.publicKey, 1_000n * BigInt(LAMPORTS_PER_SOL));
    return rt;
  }

  protected async blockhash(): Promise<string> {
    return this.ctx.lastBlockhash;
  }

  protected async submit(tx: Transaction): Promise<TxResult> {
    const res = await this.ctx.banksClient.tryProcessTransaction(tx);
    const logs = res.meta?.logMessages ?? [];
    const cu = Number(res.meta?.computeUnitsConsumed ?? 0n);
    if (res.result === null) return { ok: true, cu, logs };
    return { ok: false, cu, logs, error: res.result, errorCode: customErrorFromLogs([...logs, res.result]) };
  }

  async getAccount(key: PublicKey): Promise<AccountState | null> {
    const acc = await this.ctx.banksClient.getAccount(key);
    if (!acc) return null;
    return { lamports: BigInt(acc.lamports), owner: acc.owner, data: Uint8Array.from(acc.data) };
  }

  async balance(key: PublicKey): Promise<bigint> {
    return (await this.getAccount(key))?.lamports ?? 0n;
  }

  async airdrop(key: PublicKey, lamports: bigint): Promise<void> {
    const existing = await this.getAccount(key);
    this.ctx.setAccount(key, {
      lamports: Number((existing?.lamports ?? 0n) + lamports),
      data: existing?.data ?? new Uint8Array(0),
      owner: existing?.owner ?? PublicKey.default,
      executable: false,
    });
  }

  async setAccount(key: PublicKey, account: AccountState): Promise<void> {
    this.ctx.setAccount(key, {
      lamports: Number(account.lamports),
      data: account.data,
      owner: account.owner,
      executable: false,
    });
  }

  async setClock(slot: bigint, unixTimestamp?: bigint): Promise<void> {
    const now = await this.ctx.banksClient.getClock();
    this.ctx.setClock(
      new BankrunClock(slot, now.epochStartTimestamp, now.epoch, now.leaderScheduleEpoch, unixTimestamp ?? now.unixTimestamp),
    );
  }

  async slot(): Promise<bigint> {
    return (await this.ctx.banksClient.getClock()).slot;
  }
}

class LiteSvmRuntime extends BaseRuntime implements TestRuntime {
  readonly name = "litesvm" as const;
  private readonly decoder = getTransactionDecoder();
  private constructor(private readonly svm: LiteSVM) {
    super();
  }

  static async create(): Promise<LiteSvmRuntime> {
    const svm = new LiteSVM();
    svm.addProgramFromFile(kitAddress(PROGRAM_ID.toBase58()), PROGRAM_SO);
    const rt = new LiteSvmRuntime(svm);
    for (const kp of rt.feePayers) await rt.airdrop(kp.publicKey, 1_000n * BigInt(LAMPORTS_PER_SOL));
    return rt;
  }

  protected async blockhash(): Promise<string> {
    return this.svm.latestBlockhash();
  }

  protected async submit(tx: Transaction): Promise<TxResult> {
    const kitTx = this.decoder.decode(tx.serialize());
    const res = this.svm.sendTransaction(kitTx);
    if ("err" in res && typeof res.err === "function") {
      const meta = res.meta();
      const logs = meta.logs();
      const err = res.err();
      let errorCode: number | undefined;
      if (err && typeof err === "object" && "err" in err && typeof err.err === "function") {
        const inner = err.err();
        if (inner && typeof inner === "object" && "code" in inner) errorCode = Number(inner.code);
      }
      errorCode ??= customErrorFromLogs(logs);
      return { ok: false, cu: Number(meta.computeUnitsConsumed()), logs, error: String(err), errorCode };
    }
    const meta = res as { logs(): string[]; computeUnitsConsumed(): bigint };
    return { ok: true, cu: Number(meta.computeUnitsConsumed()), logs: meta.logs() };
  }

  async getAccount(key: PublicKey): Promise<AccountState | null> {
    const acc = this.svm.getAccount(kitAddress(key.toBase58()));
    if (!acc.exists) return null;
    return { lamports: BigInt(acc.lamports), owner: new PublicKey(acc.programAddress), data: Uint8Array.from(acc.data) };
  }

  async balance(key: PublicKey): Promise<bigint> {
    return (await this.getAccount(key))?.lamports ?? 0n;
  }

  async airdrop(key: PublicKey, lamports: bigint): Promise<void> {
    const existing = await this.getAccount(key);
    await this.setAccount(key, {
      lamports: (existing?.lamports ?? 0n) + lamports,
      owner: existing?.owner ?? PublicKey.default,
      data: existing?.data ?? new Uint8Array(0),
    });
  }

  async setAccount(key: PublicKey, account: AccountState): Promise<void> {
    this.svm.setAccount({
      address: kitAddress(key.toBase58()),
      lamports: kitLamports(account.lamports),
      programAddress: kitAddress(account.owner.toBase58()),
      data: account.data,
      executable: false,
      space: BigInt(account.data.length),
    });
  }

  async setClock(slot: bigint, unixTimestamp?: bigint): Promise<void> {
    const now = this.svm.getClock();
    this.svm.setClock(
      new LiteClock(slot, now.epochStartTimestamp, now.epoch, now.leaderScheduleEpoch, unixTimestamp ?? now.unixTimestamp),
    );
  }

  async slot(): Promise<bigint> {
    return this.svm.getClock().slot;
  }
}
