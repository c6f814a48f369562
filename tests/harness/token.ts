/**
 * Collateral mints for program tests: real SPL Token / Token-2022 mints created with
 * `@solana/spl-token` instructions on the test runtime (both runtimes ship Token, Token-2022
 * and the ATA program), token accounts, balances. No vitest import: `scripts/demo.ts` uses it too.
 */
import {
  AccountState,
  createAssociatedTokenAccountIdempotentInstruction,
  createFreezeAccountInstruction,
  createThawAccountInstruction,
  createInitializeMint2Instruction,
  createMintToCheckedInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import type { Collateral } from "../../sdk/src/index.js";
import type { TestRuntime } from "./runtime.js";

export { AccountState };

/** Which token program a test mint belongs to. */
export type TokenKind = "token" | "token-2022";
export const TOKEN_KINDS: readonly TokenKind[] = ["token", "token-2022"];

/** A test collateral: the SDK's `Collateral` plus the keys that control the mint. */
export interface TestCollateral extends Collateral {
  kind: TokenKind;
  mintAuthority: Keypair;
  freezeAuthority: Keypair;
}

export function tokenProgramOf(kind: TokenKind): PublicKey {
  return kind === "token" ? TOKEN_PROGRAM_ID : TOKEN_2022_PROGRAM_ID;
}

/** Rent-exempt minimum at the runtimes' default rent. */
export const rentExempt = (len: number): bigint => BigInt((len + 128) * 6_960);

export interface MintOptions {
  kind?: TokenKind;
  decimals?: number;
  /** Bytes of the mint account (Token-2022 extensions) and the extension init instructions, run before InitializeMint2. */
  space?: number;
  extensions?: (mint: PublicKey, program: PublicKey) => TransactionInstruction[];
}

/** Creates a mint (default: SPL Token, 6 decimals) with a mint and a freeze authority. */
export async function createTestMint(rt: TestRuntime, opts: MintOptions = {}): Promise<TestCollateral> {
  const kind = opts.kind ?? "token";
  const decimals = opts.decimals ?? 6;
  const tokenProgram = tokenProgramOf(kind);
  const mint = Keypair.generate();
  const mintAuthority = Keypair.generate();
  const freezeAuthority = Keypair.generate();
  const space = opts.space ?? MINT_SIZE;
  const res = await rt.send(
    [
      SystemProgram.createAccount({
        fromPubkey: rt.payer.publicKey,
        newAccountPubkey: mint.publicKey,
        lamports: Number(rentExempt(space)),
        space,
        programId: tokenProgram,
      }),
      ...(opts.extensions?.(mint.publicKey, tokenProgram) ?? []),
      createInitializeMint2Instruction(mint.publicKey, decimals, mintAuthority.publicKey, freezeAuthority.publicKey, tokenProgram),
    ],
    [mint],
  );
  if (!res.ok) throw new Error(`mint creation failed: ${res.error}\n${res.logs.join("\n")}`);
  return { kind, mint: mint.publicKey, tokenProgram, decimals, mintAuthority, freezeAuthority };
}

/** `owner`'s associated token account of `c`. */
export function ataOf(owner: PublicKey, c: Collateral): PublicKey {
  return getAssociatedTokenAddressSync(c.mint, owner, true, c.tokenProgram);
}

/** Creates `owner`'s ATA if missing and mints `amount` base units to it. Returns the ATA. */
export async function fundTokens(rt: TestRuntime, c: TestCollateral, owner: PublicKey, amount: bigint): Promise<PublicKey> {
  const ata = ataOf(owner, c);
  const ixs = [createAssociatedTokenAccountIdempotentInstruction(rt.payer.publicKey, ata, owner, c.mint, c.tokenProgram)];
  if (amount > 0n) ixs.push(createMintToCheckedInstruction(c.mint, ata, c.mintAuthority.publicKey, amount, c.decimals, [], c.tokenProgram));
  const res = await rt.send(ixs, [c.mintAuthority]);
  if (!res.ok) throw new Error(`funding tokens failed: ${res.error}\n${res.logs.join("\n")}`);
  return ata;
}

/** Mints `amount` base units to any token account of `c` (e.g. a donation to a vault). */
export async function mintTo(rt: TestRuntime, c: TestCollateral, account: PublicKey, amount: bigint): Promise<void> {
  const res = await rt.send([createMintToCheckedInstruction(c.mint, account, c.mintAuthority.publicKey, amount, c.decimals, [], c.tokenProgram)], [c.mintAuthority]);
  if (!res.ok) throw new Error(`mintTo failed: ${res.error}\n${res.logs.join("\n")}`);
}

/** Freezes a token account of `c` (its freeze authority signs). */
export async function freeze(rt: TestRuntime, c: TestCollateral, account: PublicKey): Promise<void> {
  const res = await rt.send([createFreezeAccountInstruction(account, c.mint, c.freezeAuthority.publicKey, [], c.tokenProgram)], [c.freezeAuthority]);
  if (!res.ok) throw new Error(`freeze failed: ${res.error}\n${res.logs.join("\n")}`);
}

/** Thaws a frozen token account of `c`. */
export async function thaw(rt: TestRuntime, c: TestCollateral, account: PublicKey): Promise<void> {
  const res = await rt.send([createThawAccountInstruction(account, c.mint, c.freezeAuthority.publicKey, [], c.tokenProgram)], [c.freezeAuthority]);
  if (!res.ok) throw new Error(`thaw failed: ${res.error}\n${res.logs.join("\n")}`);
}

/** Token balance of a token account (0 if it does not exist). */
export async function tokenBalance(rt: TestRuntime, account: PublicKey): Promise<bigint> {
  const acc = await rt.getAccount(account);
  if (!acc || acc.data.length < 72) return 0n;
  return new DataView(acc.data.buffer, acc.data.byteOffset).getBigUint64(64, true);
}
