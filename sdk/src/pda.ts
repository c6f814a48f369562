import { Keypair, PublicKey } from "@solana/web3.js";
import { findProgramAddressCached } from "./pdaCache.js";
import { BPF_LOADER_UPGRADEABLE_ID, POSITION_SEED, CONFIG_SEED, KEEPER_SEED, MARKET_SEED, PROGRAM_ID, PROPOSAL_SEED, SHARD_SEED, VAULT_SEED } from "./constants.js";

/** Config PDA: seeds `["config"]`. */
export function findConfigPda(programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return findProgramAddressCached([CONFIG_SEED], programId);
}

/**
 * The program's ProgramData account (upgradeable loader): `PDA([programId], loader)`. Holds the
 * ELF and the upgrade authority, the only key allowed to send `initialize_config`.
 */
export function findProgramDataAddress(programId: PublicKey = PROGRAM_ID): PublicKey {
  return findProgramAddressCached([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_ID)[0];
}

/**
 * Market keys are 32 bytes: a public key, raw bytes, or the keypair itself. `register_market`
 * and `create_market` need the market key's signature, so whoever creates a market holds its
 * keypair (`generateMarketKey`); every other instruction only needs the public key.
 */
export type MarketKey = PublicKey | Uint8Array | Keypair;

/** The 32 bytes of a market key. */
export function marketKeyBytes(key: MarketKey): Uint8Array {
  const bytes = key instanceof Keypair ? key.publicKey.toBytes() : key instanceof PublicKey ? key.toBytes() : key;
  if (bytes.length !== 32) throw new Error(`market key must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

/** Shard PDA: seeds `["shard", [shardId]]`. */
export function findShardPda(shardId: number, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return findProgramAddressCached([SHARD_SEED, Uint8Array.of(shardId)], programId);
}

/**
 * A shard's vault: PDA `["vault", [shardId]]`, the token account of the collateral mint that
 * holds the shard's markets' money (token authority: the Shard PDA). Created by `init_shard`.
 */
export function findVaultPda(shardId: number, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return findProgramAddressCached([VAULT_SEED, Uint8Array.of(shardId)], programId);
}

/** Market PDA: seeds `["market", marketKey]`. */
export function findMarketPda(marketKey: MarketKey, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return findProgramAddressCached([MARKET_SEED, marketKeyBytes(marketKey)], programId);
}

/**
 * Keeper PDA: seeds `["keeper", authority]` at the canonical bump (the program accepts any
 * named bump, the SDK always uses this one, so a keeper is found by its authority).
 */
export function findKeeperPda(authority: PublicKey, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return findProgramAddressCached([KEEPER_SEED, authority.toBytes()], programId);
}

/** RebalanceProposal PDA: seeds `["proposal", id as u64 LE]` at the canonical bump (the program accepts any named bump; the SDK always uses this one, so a proposal is found by its id). */
export function findProposalPda(id: bigint, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  const seed = new Uint8Array(8);
  new DataView(seed.buffer).setBigUint64(0, id, true);
  return findProgramAddressCached([PROPOSAL_SEED, seed], programId);
}

/** The only bump a Market PDA may have (`state::market::MARKET_BUMP`). */
export const MARKET_BUMP = 255;

/**
 * Whether a market key can be registered: its Market PDA must have bump 255 (the program checks
 * the address by hashing instead of searching bumps). True for about half of all keys.
 */
export function isUsableMarketKey(marketKey: MarketKey, programId: PublicKey = PROGRAM_ID): boolean {
  return findMarketPda(marketKey, programId)[1] === MARKET_BUMP;
}

/**
 * A fresh market keypair whose public key `isUsableMarketKey` accepts (about one try in two).
 * The market key signs the market's creation (`register_market` / `create_market`), so nobody
 * who merely sees the key in a pending transaction can create the market first: keep the
 * keypair until the market exists, and pass it to the transaction's signers.
 */
export function generateMarketKey(programId: PublicKey = PROGRAM_ID): Keypair {
  for (;;) {
    const key = Keypair.generate();
    if (isUsableMarketKey(key.publicKey, programId)) return key;
  }
}

/** Position PDA: seeds `["position", market, owner]` (market = the Market account address). */
export function findPositionPda(
  market: PublicKey,
  owner: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return findProgramAddressCached([POSITION_SEED, market.toBytes(), owner.toBytes()], programId);
}
