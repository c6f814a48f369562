/**
 * Deploying the program through the upgradeable BPF loader (loader v3) with web3.js alone, and
 * initializing its config as the upgrade authority. Used by `migrations/deploy.ts`; written
 * against the keeper's `Chain` so the same sequence runs on a real RPC node
 * (`connectionChain`) and on the embedded test runtimes.
 *
 * The sequence is the one `solana program deploy` runs: create a buffer account and
 * `InitializeBuffer` it, `Write` the ELF into it in chunks that fit a transaction, then create
 * the program account and `DeployWithMaxDataLen` in one transaction, which moves the ELF into
 * the ProgramData account `PDA([programId], loader)` with the deployer as upgrade authority.
 * Loader instructions are bincode: a u32 LE variant tag, then the fields (u32 / u64 LE, a
 * `Vec<u8>` as u64 LE length + bytes).
 */
import {
  Keypair,
  PublicKey,
  SystemProgram,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  TransactionInstruction,
} from "@solana/web3.js";
import type { Collateral } from "./collateral.js";
import { decodeConfig } from "./accounts/config.js";
import { BPF_LOADER_UPGRADEABLE_ID, PROGRAM_ID } from "./constants.js";
import { DEFAULT_CONFIG_ARGS, initializeConfigInstruction, type InitializeConfigArgs } from "./instructions/initializeConfig.js";
import { safeSend, type Chain, type ChainReader } from "./keeper/chain.js";
import { findConfigPda, findProgramDataAddress } from "./pda.js";

/** Loader v3 instruction tags (`UpgradeableLoaderInstruction`). */
const IX_INITIALIZE_BUFFER = 0;
const IX_WRITE = 1;
const IX_DEPLOY_WITH_MAX_DATA_LEN = 2;

/** Loader v3 account state tags (`UpgradeableLoaderState`). */
const STATE_UNINITIALIZED = 0;
const STATE_BUFFER = 1;
const STATE_PROGRAM = 2;
const STATE_PROGRAM_DATA = 3;

/** `Buffer { authority_address: Option<Pubkey> }`: tag + option tag + 32 bytes. */
export const BUFFER_METADATA_LEN = 37;
/** `Program { programdata_address }`. */
export const PROGRAM_ACCOUNT_LEN = 36;
/** `ProgramData { slot, upgrade_authority_address }`: tag + u64 + option tag + 32 bytes. */
export const PROGRAM_DATA_METADATA_LEN = 45;

/**
 * Bytes of ELF per `Write`: a transaction is at most 1,232 bytes, and a Write signed by a
 * separate fee payer and authority (2 signatures, 4 account keys, 16 bytes of header fields)
 * leaves 916; the rest is margin.
 */
export const DEFAULT_WRITE_CHUNK = 900;

/** A failure the deployer must not paper over (wrong authority, foreign config, bad state). */
export class DeployError extends Error {
  override readonly name = "DeployError";
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u64(n: bigint | number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** `InitializeBuffer`: accounts buffer (w), authority (the buffer's write authority). */
export function initializeBufferInstruction(buffer: PublicKey, authority: PublicKey): TransactionInstruction {
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: buffer, isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: false, isWritable: false },
    ],
    data: u32(IX_INITIALIZE_BUFFER),
  });
}

/** `Write { offset: u32, bytes: Vec<u8> }`: accounts buffer (w), authority (signer). */
export function writeInstruction(buffer: PublicKey, authority: PublicKey, offset: number, bytes: Uint8Array): TransactionInstruction {
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: buffer, isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: true, isWritable: false },
    ],
    data: Buffer.concat([u32(IX_WRITE), u32(offset), u64(bytes.length), Buffer.from(bytes)]),
  });
}

/** Accounts of `DeployWithMaxDataLen`. */
export interface DeployAccounts {
  /** Pays the ProgramData rent (writable signer); receives the buffer's lamports. */
  payer: PublicKey;
  /** The new program account (created just before, owned by the loader, 36 bytes). */
  program: PublicKey;
  /** The buffer holding the ELF; its authority must sign as `authority`. */
  buffer: PublicKey;
  /** Becomes the upgrade authority (signer). */
  authority: PublicKey;
}

/**
 * `DeployWithMaxDataLen { max_data_len: u64 }`: accounts payer (ws), ProgramData (w),
 * program (w), buffer (w), Rent sysvar, Clock sysvar, System Program, authority (signer).
 */
export function deployWithMaxDataLenInstruction(accounts: DeployAccounts, maxDataLen: number): TransactionInstruction {
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: accounts.payer, isSigner: true, isWritable: true },
      { pubkey: findProgramDataAddress(accounts.program), isSigner: false, isWritable: true },
      { pubkey: accounts.program, isSigner: false, isWritable: true },
      { pubkey: accounts.buffer, isSigner: false, isWritable: true },
      { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
      { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
      { pubkey: accounts.authority, isSigner: true, isWritable: false },
    ],
    data: Buffer.concat([u32(IX_DEPLOY_WITH_MAX_DATA_LEN), u64(maxDataLen)]),
  });
}

/** A decoded loader v3 account. */
export type UpgradeableLoaderState =
  | { kind: "Uninitialized" }
  | { kind: "Buffer"; authority: PublicKey | null }
  | { kind: "Program"; programData: PublicKey }
  | { kind: "ProgramData"; slot: bigint; authority: PublicKey | null };

function optionalKey(data: Uint8Array, at: number): PublicKey | null {
  if (data[at] === 0) return null;
  if (data[at] !== 1) throw new DeployError(`bad Option tag ${data[at]} in a loader account`);
  return new PublicKey(data.subarray(at + 1, at + 33));
}

/** Decodes the state of a loader v3 account (the bincode prefix of its data). */
export function decodeUpgradeableLoaderState(data: Uint8Array): UpgradeableLoaderState {
  if (data.length < 4) throw new DeployError("loader account data too short");
  const tag = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
  switch (tag) {
    case STATE_UNINITIALIZED:
      return { kind: "Uninitialized" };
    case STATE_BUFFER:
      if (data.length < BUFFER_METADATA_LEN) break;
      return { kind: "Buffer", authority: optionalKey(data, 4) };
    case STATE_PROGRAM:
      if (data.length < PROGRAM_ACCOUNT_LEN) break;
      return { kind: "Program", programData: new PublicKey(data.subarray(4, 36)) };
    case STATE_PROGRAM_DATA:
      if (data.length < PROGRAM_DATA_METADATA_LEN) break;
      return {
        kind: "ProgramData",
        slot: new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(4, true),
        authority: optionalKey(data, 12),
      };
    default:
      throw new DeployError(`unknown loader account state ${tag}`);
  }
  throw new DeployError(`loader account state ${tag} truncated (${data.length} bytes)`);
}

/** Rent-exempt minimum for `dataLen` bytes, from the Rent sysvar (as the runtime computes it). */
export async function rentExemptMinimum(reader: ChainReader, dataLen: number): Promise<bigint> {
  const rent = await reader.getAccount(SYSVAR_RENT_PUBKEY);
  if (!rent || rent.data.length < 17) throw new DeployError("cannot read the Rent sysvar");
  const view = new DataView(rent.data.buffer, rent.data.byteOffset, rent.data.byteLength);
  const lamportsPerByteYear = view.getBigUint64(0, true);
  const exemptionThreshold = view.getFloat64(8, true);
  // Agave: ((128 + len) * lamports_per_byte_year) as f64 * exemption_threshold, truncated.
  return BigInt(Math.floor(Number((128n + BigInt(dataLen)) * lamportsPerByteYear) * exemptionThreshold));
}

/** What `deployProgram` needs. */
export interface DeployProgramOptions {
  /** The program ELF (`target/deploy/continuum.so`). */
  elf: Uint8Array;
  /** The program's keypair: its public key is the program id; it signs the program account's creation. */
  programKeypair: Keypair;
  /** Pays every rent, writes the buffer and becomes the upgrade authority. */
  authority: Keypair;
  /** ProgramData capacity for future upgrades (default: the ELF's length). */
  maxDataLen?: number;
  /** ELF bytes per Write transaction (default `DEFAULT_WRITE_CHUNK`). */
  chunkSize?: number;
  /** Write transactions in flight at once (default 1). */
  concurrency?: number;
  /** The buffer account's keypair (default: a fresh one). */
  bufferKeypair?: Keypair;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Outcome of `deployProgram`. */
export interface DeployProgramResult {
  programId: PublicKey;
  programData: PublicKey;
  /** False when the program was already deployed with this upgrade authority (nothing sent). */
  deployed: boolean;
  /** ProgramData's deployment slot: the program runs from the next slot on. */
  slot: bigint;
  /** Write transactions sent. */
  writes: number;
}

async function sendOrThrow(chain: Chain, what: string, ixs: TransactionInstruction[], signers: Keypair[]): Promise<void> {
  const res = await safeSend(chain, ixs, signers);
  if (!res.ok) throw new DeployError(`${what} failed: ${res.error ?? "unknown error"}\n${res.logs.join("\n")}`);
}

/**
 * The program already at `programId`, if any: its ProgramData's slot and authority. Throws when
 * the account exists but is not an upgradeable program.
 */
export async function readUpgradeableProgram(
  reader: ChainReader,
  programId: PublicKey,
): Promise<{ programData: PublicKey; slot: bigint; authority: PublicKey | null } | null> {
  const program = await reader.getAccount(programId);
  if (!program) return null;
  if (!program.owner.equals(BPF_LOADER_UPGRADEABLE_ID)) {
    throw new DeployError(`${programId.toBase58()} exists but is owned by ${program.owner.toBase58()}, not the upgradeable loader`);
  }
  const state = decodeUpgradeableLoaderState(program.data);
  if (state.kind !== "Program") throw new DeployError(`${programId.toBase58()} is a loader ${state.kind} account, not a program`);
  const data = await reader.getAccount(state.programData);
  if (!data || !data.owner.equals(BPF_LOADER_UPGRADEABLE_ID)) {
    throw new DeployError(`ProgramData ${state.programData.toBase58()} of ${programId.toBase58()} is missing`);
  }
  const pd = decodeUpgradeableLoaderState(data.data);
  if (pd.kind !== "ProgramData") throw new DeployError(`${state.programData.toBase58()} is not a ProgramData account`);
  return { programData: state.programData, slot: pd.slot, authority: pd.authority };
}

/**
 * Deploys `elf` at `programKeypair.publicKey` through the upgradeable loader with `authority`
 * as payer and upgrade authority. If the program is already deployed, sends nothing and
 * succeeds only when its upgrade authority is `authority` (upgrading is not this function's
 * job). On failure after the buffer was created, the buffer keeps its lamports: the error
 * names it so its authority can close it.
 */
export async function deployProgram(chain: Chain, opts: DeployProgramOptions): Promise<DeployProgramResult> {
  const log = opts.log ?? (() => {});
  const { elf, authority } = opts;
  const programId = opts.programKeypair.publicKey;
  const programData = findProgramDataAddress(programId);

  // 1. Already deployed? Then only its authority matters.
  const existing = await readUpgradeableProgram(chain, programId);
  if (existing) {
    if (!existing.authority?.equals(authority.publicKey)) {
      throw new DeployError(
        `${programId.toBase58()} is already deployed with upgrade authority ${existing.authority?.toBase58() ?? "none (immutable)"}, not ${authority.publicKey.toBase58()}`,
      );
    }
    log(`program ${programId.toBase58()} already deployed (slot ${existing.slot}) with this upgrade authority`);
    return { programId, programData, deployed: false, slot: existing.slot, writes: 0 };
  }

  // 2. Buffer: created and initialized in one transaction (nobody can initialize it first).
  const buffer = opts.bufferKeypair ?? Keypair.generate();
  const bufferLen = BUFFER_METADATA_LEN + elf.length;
  await sendOrThrow(
    chain,
    "creating the buffer",
    [
      SystemProgram.createAccount({
        fromPubkey: authority.publicKey,
        newAccountPubkey: buffer.publicKey,
        lamports: Number(await rentExemptMinimum(chain, bufferLen)),
        space: bufferLen,
        programId: BPF_LOADER_UPGRADEABLE_ID,
      }),
      initializeBufferInstruction(buffer.publicKey, authority.publicKey),
    ],
    [authority, buffer],
  );
  log(`buffer ${buffer.publicKey.toBase58()} created (${bufferLen} bytes)`);

  // 3. Writes. Each is idempotent (same bytes at the same offset), so a failed one is retried.
  const chunk = opts.chunkSize ?? DEFAULT_WRITE_CHUNK;
  const offsets: number[] = [];
  for (let offset = 0; offset < elf.length; offset += chunk) offsets.push(offset);
  const writeAt = async (offset: number): Promise<void> => {
    const ix = writeInstruction(buffer.publicKey, authority.publicKey, offset, elf.subarray(offset, offset + chunk));
    for (let attempt = 1; ; attempt++) {
      const res = await safeSend(chain, [ix], [authority]);
      if (res.ok) return;
      if (attempt >= 3) {
        throw new DeployError(`write at offset ${offset} into buffer ${buffer.publicKey.toBase58()} failed: ${res.error ?? "unknown error"}`);
      }
    }
  };
  // `concurrency` writes in flight at any time (a pool, not batches: one slow confirmation
  // doesn't hold the others back).
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  let next = 0;
  let done = 0;
  let logged = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      await writeAt(offsets[next++]!);
      done++;
      if (done === offsets.length || done - logged >= Math.max(1, Math.ceil(offsets.length / 10))) {
        logged = done;
        log(`wrote ${done} of ${offsets.length} chunks (${elf.length} bytes)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, offsets.length) }, worker));
  const written = await chain.getAccount(buffer.publicKey);
  if (!written || !Buffer.from(written.data.subarray(BUFFER_METADATA_LEN)).equals(Buffer.from(elf))) {
    throw new DeployError(`buffer ${buffer.publicKey.toBase58()} does not hold the ELF after writing`);
  }

  // 4. Program account + deploy in one transaction: the program keypair signs the creation,
  //    so nobody else can claim the address.
  const maxDataLen = opts.maxDataLen ?? elf.length;
  if (maxDataLen < elf.length) throw new DeployError(`max data length ${maxDataLen} is below the ELF's ${elf.length} bytes`);
  await sendOrThrow(
    chain,
    `deploying from buffer ${buffer.publicKey.toBase58()}`,
    [
      SystemProgram.createAccount({
        fromPubkey: authority.publicKey,
        newAccountPubkey: programId,
        lamports: Number(await rentExemptMinimum(chain, PROGRAM_ACCOUNT_LEN)),
        space: PROGRAM_ACCOUNT_LEN,
        programId: BPF_LOADER_UPGRADEABLE_ID,
      }),
      deployWithMaxDataLenInstruction(
        { payer: authority.publicKey, program: programId, buffer: buffer.publicKey, authority: authority.publicKey },
        maxDataLen,
      ),
    ],
    [authority, opts.programKeypair],
  );

  // 5. Read it back: a program account pointing at ProgramData with the deployer as authority.
  const deployed = await readUpgradeableProgram(chain, programId);
  if (!deployed || !deployed.programData.equals(programData) || !deployed.authority?.equals(authority.publicKey)) {
    throw new DeployError(`deployment of ${programId.toBase58()} did not leave the expected loader accounts`);
  }
  log(`program ${programId.toBase58()} deployed at slot ${deployed.slot}; ProgramData ${programData.toBase58()}`);
  return { programId, programData, deployed: true, slot: deployed.slot, writes: offsets.length };
}

/** Outcome of `initializeConfigAsDeployer`. */
export interface InitializeConfigResult {
  config: PublicKey;
  /** False when the config already existed with the deployer as admin. */
  initialized: boolean;
}

/**
 * Initializes the config with `admin` (the upgrade authority) as admin, or accepts an existing
 * config ONLY if its admin is `admin`: a config created by anyone else (a front-run on a
 * deployment of an older program) means this deployment is not ours to run, so it throws.
 */
export async function initializeConfigAsDeployer(
  chain: Chain,
  admin: Keypair,
  collateral: Pick<Collateral, "mint" | "tokenProgram">,
  args: InitializeConfigArgs = DEFAULT_CONFIG_ARGS,
  programId: PublicKey = PROGRAM_ID,
): Promise<InitializeConfigResult> {
  const [config] = findConfigPda(programId);
  const existing = await chain.getAccount(config);
  if (!existing) {
    await sendOrThrow(chain, "initialize_config", [initializeConfigInstruction(admin.publicKey, collateral, args, programId)], [admin]);
  }
  const account = existing ?? (await chain.getAccount(config));
  if (!account) throw new DeployError(`config ${config.toBase58()} missing after initialize_config`);
  if (!account.owner.equals(programId)) {
    throw new DeployError(`config ${config.toBase58()} is owned by ${account.owner.toBase58()}, not the program`);
  }
  const current = decodeConfig(account.data).admin;
  if (!current.equals(admin.publicKey)) {
    throw new DeployError(
      `config ${config.toBase58()} already exists with admin ${current.toBase58()}, not the deployer ${admin.publicKey.toBase58()}: refusing to treat this deployment as ours`,
    );
  }
  return { config, initialized: !existing };
}

/** Waits until `reader`'s slot is past `slot` (a program deployed at `slot` runs from `slot + 1`). */
export async function waitForSlotAfter(reader: ChainReader, slot: bigint, timeoutMs = 60_000, pollMs = 400): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await reader.getSlot()) <= slot) {
    if (Date.now() > deadline) throw new DeployError(`the chain did not pass slot ${slot} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** What `deployAndInitialize` needs: the deployment, then the config's arguments. */
export interface DeployAndInitializeOptions extends DeployProgramOptions {
  /** `initialize_config` arguments (default `DEFAULT_CONFIG_ARGS`). */
  configArgs?: InitializeConfigArgs;
  /** The collateral mint (and its token program) the config fixes for every market. */
  collateral: Pick<Collateral, "mint" | "tokenProgram">;
  /**
   * Resolves once a program deployed at `slot` can run (default: poll the chain's slot until
   * it is past `slot`). Test runtimes advance their bank here instead.
   */
  waitForProgram?: (slot: bigint) => Promise<void>;
}

/**
 * The whole deployment: `deployProgram`, then `initializeConfigAsDeployer` with the upgrade
 * authority as admin. Throws `DeployError` instead of reporting success when the program or
 * its config belongs to someone else.
 */
export async function deployAndInitialize(
  chain: Chain,
  opts: DeployAndInitializeOptions,
): Promise<{ deploy: DeployProgramResult; config: InitializeConfigResult }> {
  const deploy = await deployProgram(chain, opts);
  if (deploy.deployed) await (opts.waitForProgram ?? ((slot: bigint) => waitForSlotAfter(chain, slot)))(deploy.slot);
  const config = await initializeConfigAsDeployer(chain, opts.authority, opts.collateral, opts.configArgs, deploy.programId);
  opts.log?.(
    config.initialized
      ? `config ${config.config.toBase58()} initialized; admin ${opts.authority.publicKey.toBase58()}`
      : `config ${config.config.toBase58()} already initialized with the deployer as admin`,
  );
  return { deploy, config };
}
