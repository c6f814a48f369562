/** Account-meta shorthands and account lists shared by the instruction builders. */
import { PublicKey, SystemProgram, type AccountMeta } from "@solana/web3.js";
import { findConfigPda, findMarketPda, findShardPda } from "../pda.js";

/** The System Program, read-only. */
export const SYSTEM: AccountMeta = { pubkey: SystemProgram.programId, isSigner: false, isWritable: false };
/** A writable, non-signing account. */
export const w = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: true });
/** A read-only, non-signing account. */
export const ro = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: false });
/** A signer (writable unless stated: it usually pays). */
export const signer = (pubkey: PublicKey, isWritable = true): AccountMeta => ({ pubkey, isSigner: true, isWritable });

/**
 * Accounts of the instructions that create a Market (`register_market`, `create_market`):
 * authority (signer, w), config (w), the assigned shard (w), the market PDA (w), system program,
 * the market key (signer: the transaction must be signed by the market keypair).
 */
export function newMarketAccounts(
  authority: PublicKey,
  marketKey: Uint8Array,
  shardId: number,
  programId: PublicKey,
): AccountMeta[] {
  return [
    signer(authority),
    w(findConfigPda(programId)[0]),
    w(findShardPda(shardId, programId)[0]),
    w(findMarketPda(marketKey, programId)[0]),
    SYSTEM,
    signer(new PublicKey(marketKey), false),
  ];
}
