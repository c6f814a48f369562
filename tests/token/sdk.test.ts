/** The SDK's collateral helpers: amounts with decimals, the money accounts and their order. */
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import {
  collateralAccounts,
  collateralOf,
  collateralTokenAccount,
  createCollateralTokenAccountInstruction,
  executeRebalanceInstruction,
  findVaultPda,
  formatAmount,
  parseAmount,
  PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  type Collateral,
} from "../../sdk/src/index.js";

const collateral: Collateral = { mint: Keypair.generate().publicKey, tokenProgram: TOKEN_2022_PROGRAM_ID, decimals: 6 };

describe("collateral helpers", () => {
  it("formats and parses base units with the mint's decimals, exactly", () => {
    expect(formatAmount(1_234_567n, 6)).toBe("1.234567");
    expect(formatAmount(5n, 6)).toBe("0.000005");
    expect(formatAmount(-10_000_000n, 6)).toBe("-10.000000");
    expect(formatAmount(42n, 0)).toBe("42");
    expect(parseAmount("1.5", 6)).toBe(1_500_000n);
    expect(parseAmount("7", 9)).toBe(7_000_000_000n);
    expect(() => parseAmount("0.0000001", 6)).toThrow(/decimals/);
    for (const v of [0n, 1n, 999_999n, 10n ** 15n + 3n]) expect(parseAmount(formatAmount(v, 6), 6)).toBe(v);
  });

  it("builds the money accounts: the owner's ATA, the shard's vault, the mint, the token program", () => {
    const owner = Keypair.generate().publicKey;
    const ata = getAssociatedTokenAddressSync(collateral.mint, owner, true, TOKEN_2022_PROGRAM_ID);
    expect(collateralTokenAccount(owner, collateral).equals(ata)).toBe(true);
    const metas = collateralAccounts(owner, 3, collateral);
    expect(metas.map((m) => [m.pubkey.toBase58(), m.isWritable, m.isSigner])).toEqual([
      [ata.toBase58(), true, false],
      [findVaultPda(3)[0].toBase58(), true, false],
      [collateral.mint.toBase58(), false, false],
      [TOKEN_2022_PROGRAM_ID.toBase58(), false, false],
    ]);
    expect(findVaultPda(3)[0].equals(PublicKey.findProgramAddressSync([Buffer.from("vault"), Buffer.from([3])], PROGRAM_ID)[0])).toBe(true);
    // The idempotent ATA creation (CreateIdempotent = instruction 1 of the ATA program).
    const create = createCollateralTokenAccountInstruction(owner, owner, collateral);
    expect([...create.data]).toEqual([1]);
    expect(create.keys[1]!.pubkey.equals(ata)).toBe(true);
  });

  it("passes both vaults to execute_rebalance; collateralOf reads a Config", () => {
    const ix = executeRebalanceInstruction(7n, { from: 1, to: 2, markets: [Keypair.generate().publicKey] }, collateral);
    expect(ix.keys[3]!.pubkey.equals(findVaultPda(1)[0])).toBe(true);
    expect(ix.keys[4]!.pubkey.equals(findVaultPda(2)[0])).toBe(true);
    expect(ix.keys[5]!.pubkey.equals(collateral.mint)).toBe(true);
    expect(collateralOf({ collateralMint: collateral.mint, collateralTokenProgram: TOKEN_2022_PROGRAM_ID, collateralDecimals: 6 })).toEqual(collateral);
  });
});
