/** Small helpers shared by program tests. */
import { Keypair, LAMPORTS_PER_SOL, TransactionInstruction } from "@solana/web3.js";
import { expect } from "vitest";
import { errorCode, errorName, type ContinuumErrorName } from "../../sdk/src/index.js";
import type { TestRuntime, TxResult } from "./runtime.js";
import { fundTokens } from "./token.js";

/**
 * A fresh keypair holding `sol` SOL and, once the runtime has a collateral, the same number of
 * base units in its associated token account (`sol * 1e9`: the amounts the tests bet).
 */
export async function fundedKeypair(rt: TestRuntime, sol = 100n): Promise<Keypair> {
  const kp = Keypair.generate();
  await rt.airdrop(kp.publicKey, sol * BigInt(LAMPORTS_PER_SOL));
  if (rt.hasCollateral) await fundTokens(rt, rt.collateral, kp.publicKey, sol * BigInt(LAMPORTS_PER_SOL));
  return kp;
}

/** Asserts the transaction failed with the named Continuum error. */
export function expectError(result: TxResult, name: ContinuumErrorName): void {
  const got = result.errorCode === undefined ? result.error : errorName(result.errorCode) ?? result.errorCode;
  expect(result.ok, `expected ${name}, but the transaction succeeded`).toBe(false);
  expect(got, result.logs.join("\n")).toBe(name);
  expect(result.errorCode).toBe(errorCode(name));
}

/** Replaces the data of an instruction (for malformed-input tests). */
export function withData(ix: TransactionInstruction, data: Uint8Array): TransactionInstruction {
  return new TransactionInstruction({ programId: ix.programId, keys: ix.keys, data: Buffer.from(data) });
}

/** Returns a copy of the instruction with account `index` changed. */
export function withAccount(
  ix: TransactionInstruction,
  index: number,
  change: Partial<TransactionInstruction["keys"][number]>,
): TransactionInstruction {
  const keys = ix.keys.map((k, i) => (i === index ? { ...k, ...change } : k));
  return new TransactionInstruction({ programId: ix.programId, keys, data: ix.data });
}
