/**
 * The PDA memo returns exactly what `findProgramAddressSync` and `getAssociatedTokenAddressSync`
 * return, for every seed shape the SDK uses, hit or miss.
 */
import { getAssociatedTokenAddressSync, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { collateralTokenAccount, findPositionPda, findShardPda, findVaultPda, PROGRAM_ID, POSITION_SEED, SHARD_SEED, VAULT_SEED } from "../sdk/src/index.js";
import { findProgramAddressCached } from "../sdk/src/pdaCache.js";

describe("PDA memo", () => {
  it("equals the uncached derivations, first call and repeated, and hands out fresh tuples", () => {
    const market = Keypair.generate().publicKey;
    for (let round = 0; round < 2; round++) {
      for (const id of [0, 7, 255]) {
        expect(findShardPda(id)).toEqual(PublicKey.findProgramAddressSync([SHARD_SEED, Uint8Array.of(id)], PROGRAM_ID));
        expect(findVaultPda(id)).toEqual(PublicKey.findProgramAddressSync([VAULT_SEED, Uint8Array.of(id)], PROGRAM_ID));
      }
      for (let i = 0; i < 20; i++) {
        const owner = Keypair.generate().publicKey;
        expect(findPositionPda(market, owner)).toEqual(PublicKey.findProgramAddressSync([POSITION_SEED, market.toBytes(), owner.toBytes()], PROGRAM_ID));
        const mint = Keypair.generate().publicKey;
        for (const tokenProgram of [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID]) {
          expect(collateralTokenAccount(owner, { mint, tokenProgram, decimals: 6 })).toEqual(getAssociatedTokenAddressSync(mint, owner, true, tokenProgram));
        }
      }
    }
    // Seeds that only differ in where one ends and the next starts are different PDAs.
    const a = findProgramAddressCached([Uint8Array.of(1, 2), Uint8Array.of(3)], PROGRAM_ID);
    const b = findProgramAddressCached([Uint8Array.of(1), Uint8Array.of(2, 3)], PROGRAM_ID);
    expect(a).toEqual(PublicKey.findProgramAddressSync([Uint8Array.of(1, 2), Uint8Array.of(3)], PROGRAM_ID));
    expect(b).toEqual(PublicKey.findProgramAddressSync([Uint8Array.of(1), Uint8Array.of(2, 3)], PROGRAM_ID));
    const t = findShardPda(3);
    t[1] = 0;
    expect(findShardPda(3)[1]).not.toBe(0);
  });
});
