/**
 * The collateral mint, chosen at `initialize_config`: SPL Token and Token-2022 mints are
 * accepted (plain, or with a metadata-only or display-only extension: MetadataPointer,
 * InterestBearingConfig), and Token-2022 mints whose extensions change amounts or can block,
 * redirect or take the program's tokens are refused with
 * `UnsupportedMintExtension`, the config not created. Each refused extension is tested; the
 * mints are created with `@solana/spl-token` instructions on the runtime (a runtime whose
 * Token-2022 predates an extension gets the same TLV layout written directly).
 */
import {
  AccountState,
  createInitializeDefaultAccountStateInstruction,
  createInitializeInterestBearingMintInstruction,
  createInitializeMetadataPointerInstruction,
  createInitializeMintCloseAuthorityInstruction,
  createInitializeNonTransferableMintInstruction,
  createInitializePausableConfigInstruction,
  createInitializePermanentDelegateInstruction,
  createInitializeTransferFeeConfigInstruction,
  createInitializeTransferHookInstruction,
  ExtensionType,
  getMintLen,
  MINT_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  decodeConfig,
  DEFAULT_CONFIG_ARGS,
  findConfigPda,
  findShardPda,
  findVaultPda,
  initializeConfigInstruction,
  initShardInstruction,
  type Collateral,
} from "../../sdk/src/index.js";
import { expectError } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { createTestMint, rentExempt, tokenBalance } from "../harness/token.js";

/** One refused extension: its spl-token-2022 type number and how to initialize it. */
interface Refused {
  name: string;
  type: ExtensionType;
  init?: (mint: PublicKey, authority: PublicKey) => TransactionInstruction;
}

const REFUSED: Refused[] = [
  { name: "TransferFeeConfig", type: ExtensionType.TransferFeeConfig, init: (m, a) => createInitializeTransferFeeConfigInstruction(m, a, a, 50, 1_000n, TOKEN_2022_PROGRAM_ID) },
  { name: "MintCloseAuthority", type: ExtensionType.MintCloseAuthority, init: (m, a) => createInitializeMintCloseAuthorityInstruction(m, a, TOKEN_2022_PROGRAM_ID) },
  // No initializer in @solana/spl-token 0.4 for the confidential extensions: written directly.
  { name: "ConfidentialTransferMint", type: ExtensionType.ConfidentialTransferMint },
  { name: "DefaultAccountState (Frozen)", type: ExtensionType.DefaultAccountState, init: (m) => createInitializeDefaultAccountStateInstruction(m, AccountState.Frozen, TOKEN_2022_PROGRAM_ID) },
  { name: "NonTransferable", type: ExtensionType.NonTransferable, init: (m) => createInitializeNonTransferableMintInstruction(m, TOKEN_2022_PROGRAM_ID) },
  { name: "PermanentDelegate", type: ExtensionType.PermanentDelegate, init: (m, a) => createInitializePermanentDelegateInstruction(m, a, TOKEN_2022_PROGRAM_ID) },
  { name: "TransferHook", type: ExtensionType.TransferHook, init: (m, a) => createInitializeTransferHookInstruction(m, a, Keypair.generate().publicKey, TOKEN_2022_PROGRAM_ID) },
  // 16 and 24 have no ExtensionType member in @solana/spl-token 0.4: the spl-token-2022 numbers.
  { name: "ConfidentialTransferFeeConfig", type: 16 as ExtensionType },
  { name: "ConfidentialMintBurn", type: 24 as ExtensionType },
  { name: "Pausable", type: ExtensionType.PausableConfig, init: (m, a) => createInitializePausableConfigInstruction(m, a, TOKEN_2022_PROGRAM_ID) },
];

/** Sizes of the extension values this file writes directly (spl-token-2022 layouts). */
const RAW_LEN: Partial<Record<number, number>> = { 4: 65, 16: 129, 24: 64 };

/**
 * A Token-2022 mint account with the given TLV entries written directly: base mint (6
 * decimals, initialized), zero padding to 165, `AccountType::Mint`, then `type | len | value`.
 */
function rawMint2022(entries: { type: number; len: number }[]): Uint8Array {
  const size = 166 + entries.reduce((a, e) => a + 4 + e.len, 0);
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  view.setUint32(0, 1, true); // mint authority: Some
  data.set(Keypair.generate().publicKey.toBytes(), 4);
  data[44] = 6;
  data[45] = 1;
  data[165] = 1;
  let at = 166;
  for (const e of entries) {
    view.setUint16(at, e.type, true);
    view.setUint16(at + 2, e.len, true);
    at += 4 + e.len;
  }
  return data;
}

describe.each(RUNTIME_NAMES)("the collateral mint on %s", (runtimeName) => {
  let rt: TestRuntime;
  const admin = (): Keypair => rt.upgradeAuthority;
  const [configPda] = findConfigPda();

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
  });

  /** A Token-2022 mint with one refused extension: by instruction when the runtime knows it. */
  async function mintWith(ext: Refused): Promise<{ collateral: Pick<Collateral, "mint" | "tokenProgram">; how: string }> {
    if (ext.init) {
      const authority = Keypair.generate().publicKey;
      try {
        const c = await createTestMint(rt, {
          kind: "token-2022",
          space: getMintLen([ext.type]),
          extensions: (mint) => [ext.init!(mint, authority)],
        });
        return { collateral: c, how: "instructions" };
      } catch {
        // This runtime's Token-2022 predates the extension: same bytes, written directly.
      }
    }
    const mint = Keypair.generate().publicKey;
    const data = rawMint2022([{ type: ext.type, len: RAW_LEN[ext.type] ?? 0 }]);
    await rt.setAccount(mint, { lamports: rentExempt(data.length), owner: TOKEN_2022_PROGRAM_ID, data });
    return { collateral: { mint, tokenProgram: TOKEN_2022_PROGRAM_ID }, how: "written" };
  }

  it.each(REFUSED)("refuses a Token-2022 mint with $name (UnsupportedMintExtension)", async (ext) => {
    const { collateral, how } = await mintWith(ext);
    console.log(`[mint] ${runtimeName} ${ext.name} (type ${ext.type}): ${how}`);
    const mintData = (await rt.getAccount(collateral.mint))!.data;
    // The extension is really there, at the type number the program refuses.
    expect(new DataView(mintData.buffer, mintData.byteOffset).getUint16(166, true), how).toBe(ext.type);
    const before = await rt.balance(admin().publicKey);
    expectError(await rt.send([initializeConfigInstruction(admin().publicKey, collateral)], [admin()]), "UnsupportedMintExtension");
    expect(await rt.getAccount(configPda)).toBeNull();
    expect(await rt.balance(admin().publicKey)).toBeLessThanOrEqual(before);
  });

  it("refuses a refused extension behind an accepted one, and a mint that is not one", async () => {
    const data = rawMint2022([
      { type: ExtensionType.MetadataPointer, len: 64 },
      { type: ExtensionType.PermanentDelegate, len: 32 },
    ]);
    const hidden = Keypair.generate().publicKey;
    await rt.setAccount(hidden, { lamports: rentExempt(data.length), owner: TOKEN_2022_PROGRAM_ID, data });
    expectError(await rt.send([initializeConfigInstruction(admin().publicKey, { mint: hidden, tokenProgram: TOKEN_2022_PROGRAM_ID })], [admin()]), "UnsupportedMintExtension");
    // Mint of SPL Token passed with Token-2022: not owned by that program.
    const token = await createTestMint(rt, { kind: "token" });
    expectError(await rt.send([initializeConfigInstruction(admin().publicKey, { mint: token.mint, tokenProgram: TOKEN_2022_PROGRAM_ID })], [admin()]), "InvalidMint");
    // Not a token program at all.
    expectError(await rt.send([initializeConfigInstruction(admin().publicKey, { mint: token.mint, tokenProgram: findShardPda(0)[0] })], [admin()]), "InvalidTokenProgram");
    // An uninitialized mint-sized account of SPL Token.
    const blank = Keypair.generate().publicKey;
    await rt.setAccount(blank, { lamports: rentExempt(MINT_SIZE), owner: TOKEN_PROGRAM_ID, data: new Uint8Array(MINT_SIZE) });
    expectError(await rt.send([initializeConfigInstruction(admin().publicKey, { mint: blank, tokenProgram: TOKEN_PROGRAM_ID })], [admin()]), "InvalidMint");
    expect(await rt.getAccount(configPda)).toBeNull();
  });

  /** Accepted mints: kind, and the Token-2022 extensions with their initializers. */
  const ACCEPTED: [string, "token" | "token-2022", ExtensionType[], ((mint: PublicKey) => TransactionInstruction[])?][] = [
    ["an SPL Token mint (6 decimals)", "token", []],
    ["a plain Token-2022 mint", "token-2022", []],
    ["a Token-2022 mint with MetadataPointer", "token-2022", [ExtensionType.MetadataPointer], (mint) => [createInitializeMetadataPointerInstruction(mint, null, mint, TOKEN_2022_PROGRAM_ID)]],
    // Display-only: raw amounts, which the books hold, are unchanged.
    ["a Token-2022 mint with InterestBearingConfig", "token-2022", [ExtensionType.InterestBearingConfig], (mint) => [createInitializeInterestBearingMintInstruction(mint, Keypair.generate().publicKey, 500, TOKEN_2022_PROGRAM_ID)]],
  ];

  it.each(ACCEPTED)("accepts %s, records it, and init_shard creates a vault of it", async (_name, kind, exts, init) => {
    const c = await createTestMint(rt, { kind, decimals: 6, ...(init ? { space: getMintLen(exts), extensions: init } : {}) });
    if (exts.length > 0) {
      const data = (await rt.getAccount(c.mint))!.data;
      expect(new DataView(data.buffer, data.byteOffset).getUint16(166, true)).toBe(exts[0]);
    }
    const res = await rt.send([initializeConfigInstruction(admin().publicKey, c, DEFAULT_CONFIG_ARGS)], [admin()]);
    expect(res.ok, res.logs.join("\n")).toBe(true);
    const config = decodeConfig((await rt.getAccount(configPda))!.data);
    expect(config.collateralMint.equals(c.mint)).toBe(true);
    expect(config.collateralTokenProgram.equals(c.tokenProgram)).toBe(true);
    expect(config.collateralDecimals).toBe(6);
    const shard = await rt.send([initShardInstruction(admin().publicKey, 0, c)], [admin()]);
    expect(shard.ok, shard.logs.join("\n")).toBe(true);
    const vault = (await rt.getAccount(findVaultPda(0)[0]))!;
    expect(vault.owner.equals(c.tokenProgram)).toBe(true);
    // A token account of the mint whose owner is the Shard PDA.
    expect(new PublicKey(vault.data.subarray(0, 32)).equals(c.mint)).toBe(true);
    expect(new PublicKey(vault.data.subarray(32, 64)).equals(findShardPda(0)[0])).toBe(true);
    expect(await tokenBalance(rt, findVaultPda(0)[0])).toBe(0n);
  });
});
