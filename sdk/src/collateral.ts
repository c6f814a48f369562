/**
 * The collateral: the SPL Token or Token-2022 mint every market's money is held in, fixed by
 * `initialize_config` (`Config.collateralMint`, `collateralTokenProgram`, `collateralDecimals`).
 * Amounts everywhere in the SDK (`b`, bets, collateral, payouts) are base units of this mint;
 * `formatAmount` shows them with the mint's decimals.
 *
 * Every instruction that moves money takes four more accounts after its own: the signer's
 * token account (its associated token account by default, or `Collateral.tokenAccount`), the
 * shard's vault, the mint and the token program (`collateralAccounts`).
 */
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { type AccountMeta, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import type { ConfigAccount } from "./accounts/config.js";
import { PROGRAM_ID } from "./constants.js";
import { findVaultPda } from "./pda.js";
import { findProgramAddressCached } from "./pdaCache.js";

export { ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID };

/** The collateral mint and its token program (and decimals, for display). */
export interface Collateral {
  mint: PublicKey;
  /** `TOKEN_PROGRAM_ID` or `TOKEN_2022_PROGRAM_ID`. */
  tokenProgram: PublicKey;
  decimals: number;
  /**
   * The signer's token account the instruction builders pass (it must be of this mint and
   * owned by the signer); unset: the signer's associated token account. Set it per signer:
   * `{ ...collateral, tokenAccount }`.
   */
  tokenAccount?: PublicKey;
}

/** The collateral a Config names. */
export function collateralOf(config: Pick<ConfigAccount, "collateralMint" | "collateralTokenProgram" | "collateralDecimals">): Collateral {
  return { mint: config.collateralMint, tokenProgram: config.collateralTokenProgram, decimals: config.collateralDecimals };
}

/** `owner`'s associated token account of the collateral (the builders' default token account). */
export function collateralTokenAccount(owner: PublicKey, collateral: Collateral): PublicKey {
  // The ATA program's derivation (`getAssociatedTokenAddressSync` with off-curve owners
  // allowed), through the SDK's PDA memo.
  return findProgramAddressCached([owner.toBytes(), collateral.tokenProgram.toBytes(), collateral.mint.toBytes()], ASSOCIATED_TOKEN_PROGRAM_ID)[0];
}

/**
 * Creates `owner`'s associated token account of the collateral if it is missing (the ATA
 * program's `CreateIdempotent`: a no-op when it exists), `payer` paying the rent. Prepend it
 * to a first trade or a first claim.
 */
export function createCollateralTokenAccountInstruction(
  payer: PublicKey,
  owner: PublicKey,
  collateral: Collateral,
): TransactionInstruction {
  return createAssociatedTokenAccountIdempotentInstruction(
    payer,
    collateralTokenAccount(owner, collateral),
    owner,
    collateral.mint,
    collateral.tokenProgram,
  );
}

/**
 * The money accounts of an instruction: `tokenAccount` (w; `opts.tokenAccount`, else
 * `collateral.tokenAccount`, else the signer's ATA), the shard's vault (w), the mint, the
 * token program.
 */
export function collateralAccounts(
  owner: PublicKey,
  shardId: number,
  collateral: Collateral,
  opts: { tokenAccount?: PublicKey; programId?: PublicKey } = {},
): AccountMeta[] {
  const tokenAccount = opts.tokenAccount ?? collateral.tokenAccount ?? collateralTokenAccount(owner, collateral);
  return [
    { pubkey: tokenAccount, isSigner: false, isWritable: true },
    { pubkey: findVaultPda(shardId, opts.programId ?? PROGRAM_ID)[0], isSigner: false, isWritable: true },
    { pubkey: collateral.mint, isSigner: false, isWritable: false },
    { pubkey: collateral.tokenProgram, isSigner: false, isWritable: false },
  ];
}

/** `amount` base units as a decimal string with the mint's decimals (`1234567n, 6` -> `"1.234567"`). */
export function formatAmount(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString();
  const frac = decimals === 0 ? "" : `.${(abs % scale).toString().padStart(decimals, "0")}`;
  return `${negative ? "-" : ""}${whole}${frac}`;
}

/** A decimal string (`"1.5"`) as base units of a mint with `decimals` (exact; throws on excess digits). */
export function parseAmount(text: string, decimals: number): bigint {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${text}`);
  const frac = m[2] ?? "";
  if (frac.length > decimals) throw new Error(`${text}: more than ${decimals} decimals`);
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** Whether `program` is one of the two token programs the collateral may use. */
export function isTokenProgram(program: PublicKey): boolean {
  return program.equals(TOKEN_PROGRAM_ID) || program.equals(TOKEN_2022_PROGRAM_ID);
}
