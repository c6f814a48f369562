/**
 * One test-runtime interface over solana-bankrun (Agave 1.18) and LiteSVM (Agave 4.x), so every
 * program test runs the same scenario on both. Transactions are built once with web3.js 1.x;
 * LiteSVM speaks @solana/kit, so its adapter re-decodes the serialized bytes with kit's decoder.
 *
 * The program is installed as a real mainnet deployment is: through the upgradeable loader
 * (an executable program account owned by `BPFLoaderUpgradeab1e11111111111111111111111`
 * pointing at its ProgramData account, which holds the upgrade authority and the ELF), because
 * `initialize_config` reads the upgrade authority from there.
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
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Clock as BankrunClock, start, type ProgramTestContext } from "solana-bankrun";
import type { TestCollateral } from "./token.js";
import {
  BPF_LOADER_UPGRADEABLE_ID,
  customErrorFromLogs,
  findProgramDataAddress,
  PROGRAM_ID,
} from "../../sdk/src/index.js";

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
  /** Program accounts only (default false). */
  executable?: boolean;
}

export interface TestRuntime {
  readonly name: RuntimeName;
  /** Funded keypair that pays fees and signs as the default authority. */
  readonly payer: Keypair;
  /**
   * The program's upgrade authority (funded): the only key `initialize_config` accepts, so the
   * admin of every test config. (With `program: "immutable"` it is funded but holds no right.)
   */
  readonly upgradeAuthority: Keypair;
  /**
   * The collateral of the config on this runtime (set by the fixture that initializes it):
   * `fundedKeypair` also gives its keypairs tokens of it. Throws while unset.
   */
  collateral: TestCollateral;
  /** Whether `collateral` is set. */
  readonly hasCollateral: boolean;
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
  /** Advances the bank to `slot` (programs deployed by a transaction run from the next slot). */
  warpToSlot(slot: bigint): Promise<void>;
}

/** Options of `createRuntime`. */
export interface RuntimeOptions {
  /**
   * How continuum.so is installed: "upgradeable" (default) with `upgradeAuthority` as upgrade
   * authority, "immutable" (upgradeable loader, authority None, as after
   * `solana program set-upgrade-authority --final`), or "none" (deploy it yourself).
   */
  program?: "upgradeable" | "immutable" | "none";
}

/** Loader v3 account states (bincode: u32 LE variant tag, then the fields). */
const PROGRAM_STATE = 2;
const PROGRAM_DATA_STATE = 3;

/** The loader v3 `Program` state: tag + ProgramData address (36 bytes). */
export function programAccountData(programData: PublicKey): Uint8Array {
  const data = new Uint8Array(36);
  new DataView(data.buffer).setUint32(0, PROGRAM_STATE, true);
  data.set(programData.toBytes(), 4);
  return data;
}

/**
 * The loader v3 `ProgramData` state: tag, deployment slot, `Option<Pubkey>` upgrade authority
 * (1-byte tag + 32 bytes, zeroed for None), then the ELF.
 */
export function programDataAccountData(authority: PublicKey | null, elf: Uint8Array, slot = 0n): Uint8Array {
  const data = new Uint8Array(45 + elf.length);
  const view = new DataView(data.buffer);
  view.setUint32(0, PROGRAM_DATA_STATE, true);
  view.setBigUint64(4, slot, true);
  if (authority) {
    data[12] = 1;
    data.set(authority.toBytes(), 13);
  }
  data.set(elf, 45);
  return data;
}

/**
 * The two accounts of an upgradeable deployment of `elf` at `programId`: ProgramData first
 * (LiteSVM compiles the program when the executable account is written, so its ProgramData
 * must already be there), then the program account.
 */
export function upgradeableProgramAccounts(
  programId: PublicKey,
  authority: PublicKey | null,
  elf: Uint8Array,
): { address: PublicKey; account: AccountState }[] {
  const programData = findProgramDataAddress(programId);
  // Rent-exempt minimum at the default rent (3,480 lamports per byte-year, 2 years, 128 bytes
  // of account overhead); both runtimes use that default.
  const rentExempt = (len: number): bigint => BigInt((len + 128) * 6_960);
  const pdData = programDataAccountData(authority, elf);
  const progData = programAccountData(programData);
  return [
    { address: programData, account: { lamports: rentExempt(pdData.length), owner: BPF_LOADER_UPGRADEABLE_ID, data: pdData } },
    {
      address: programId,
      account: { lamports: rentExempt(progData.length), owner: BPF_LOADER_UPGRADEABLE_ID, data: progData, executable: true },
    },
  ];
}

export const PROGRAM_SO = fileURLToPath(new URL("../../target/deploy/continuum.so", import.meta.url));
const FEE_PAYERS = 8;

/** Starts a runtime with the Continuum program deployed through the upgradeable loader. */
export async function createRuntime(name: RuntimeName, opts: RuntimeOptions = {}): Promise<TestRuntime> {
  const upgradeAuthority = Keypair.generate();
  const mode = opts.program ?? "upgradeable";
  const program =
    mode === "none"
      ? []
      : upgradeableProgramAccounts(PROGRAM_ID, mode === "immutable" ? null : upgradeAuthority.publicKey, readFileSync(PROGRAM_SO));
  const rt = name === "bankrun" ? await BankrunRuntime.create(upgradeAuthority, program) : await LiteSvmRuntime.create(upgradeAuthority, program);
  for (const kp of [...rt.feePayers, upgradeAuthority]) await rt.airdrop(kp.publicKey, 1_000n * BigInt(LAMPORTS_PER_SOL));
  return rt;
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
  private testCollateral: TestCollateral | undefined;

  constructor(readonly upgradeAuthority: Keypair) {}

  get collateral(): TestCollateral {
    if (!this.testCollateral) throw new Error("no collateral on this runtime yet: initialize the config through a fixture first");
    return this.testCollateral;
  }

  set collateral(c: TestCollateral) {
    this.testCollateral = c;
  }

  get hasCollateral(): boolean {
    return this.testCollateral !== undefined;
  }

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
  private constructor(
    private readonly ctx: ProgramTestContext,
    upgradeAuthority: Keypair,
  ) {
    super(upgradeAuthority);
  }

  /**
   * `start`'s program list would install the ELF under the non-upgradeable loader (v2), so
   * the program goes in as genesis accounts instead: ProgramData and the executable program
   * account, both owned by the upgradeable loader.
   */
  static async create(upgradeAuthority: Keypair, program: { address: PublicKey; account: AccountState }[]): Promise<BankrunRuntime> {
    process.env.RUST_LOG ??= "error"; // bankrun logs every instruction at DEBUG otherwise
    const accounts = program.map(({ address, account }) => ({
      address,
      info: {
        lamports: Number(account.lamports),
        data: account.data,
        owner: account.owner,
        executable: account.executable ?? false,
      },
    }));
    return new BankrunRuntime(await start([], accounts), upgradeAuthority);
  }

  protected async blockhash(): Promise<string> {
    // program-test runs a simulated PoH clock in real time, so the genesis blockhash
    // (`ctx.lastBlockhash`) expires during long tests on a busy machine: ask for the latest.
    const latest = await this.ctx.banksClient.getLatestBlockhash();
    return latest?.[0] ?? this.ctx.lastBlockhash;
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
    return { lamports: BigInt(acc.lamports), owner: acc.owner, data: Uint8Array.from(acc.data), executable: acc.executable };
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
      executable: existing?.executable ?? false,
    });
  }

  async setAccount(key: PublicKey, account: AccountState): Promise<void> {
    this.ctx.setAccount(key, {
      lamports: Number(account.lamports),
      data: account.data,
      owner: account.owner,
      executable: account.executable ?? false,
    });
  }

  async warpToSlot(slot: bigint): Promise<void> {
    this.ctx.warpToSlot(slot);
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
  private constructor(
    private readonly svm: LiteSVM,
    upgradeAuthority: Keypair,
  ) {
    super(upgradeAuthority);
  }

  /** `addProgramFromFile` would install the ELF under loader v2; write the loader v3 accounts. */
  static async create(upgradeAuthority: Keypair, program: { address: PublicKey; account: AccountState }[]): Promise<LiteSvmRuntime> {
    const rt = new LiteSvmRuntime(new LiteSVM(), upgradeAuthority);
    for (const { address, account } of program) await rt.setAccount(address, account);
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
    return {
      lamports: BigInt(acc.lamports),
      owner: new PublicKey(acc.programAddress),
      data: Uint8Array.from(acc.data),
      executable: acc.executable,
    };
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
      executable: existing?.executable ?? false,
    });
  }

  async setAccount(key: PublicKey, account: AccountState): Promise<void> {
    this.svm.setAccount({
      address: kitAddress(key.toBase58()),
      lamports: kitLamports(account.lamports),
      programAddress: kitAddress(account.owner.toBase58()),
      data: account.data,
      executable: account.executable ?? false,
      space: BigInt(account.data.length),
    });
  }

  async warpToSlot(slot: bigint): Promise<void> {
    this.svm.warpToSlot(slot);
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
