/**
 * `connectionChain` over a stub `Connection`: reads batch by 100 through
 * `getMultipleAccountsInfo`, a preflight failure comes back as a named error with its logs,
 * a confirmed transaction as ok with its signature.
 */
import { Connection, Keypair, PublicKey, SendTransactionError, SystemProgram, Transaction, type AccountInfo } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { errorCode, PROGRAM_ID } from "../../sdk/src/index.js";
import { connectionChain } from "../../sdk/src/keeper/index.js";

function stub(overrides: Partial<Record<keyof Connection, unknown>>): Connection {
  return overrides as unknown as Connection;
}

describe("connectionChain", () => {
  it("reads accounts in batches of 100, in order, absent ones as null", async () => {
    const calls: number[] = [];
    const conn = stub({
      getMultipleAccountsInfo: async (keys: PublicKey[]) => {
        calls.push(keys.length);
        return keys.map((k, i): AccountInfo<Buffer> | null =>
          i % 2 ? null : { lamports: k.toBytes()[0]!, owner: PROGRAM_ID, data: Buffer.from(k.toBytes()), executable: false },
        );
      },
      getSlot: async () => 42,
    });
    const chain = connectionChain(conn, Keypair.generate());
    const keys = Array.from({ length: 250 }, () => Keypair.generate().publicKey);
    const accounts = await chain.getMultipleAccounts!(keys);
    expect(calls).toEqual([100, 100, 50]);
    expect(accounts).toHaveLength(250);
    expect(accounts[0]).toEqual({ lamports: BigInt(keys[0]!.toBytes()[0]!), owner: PROGRAM_ID, data: Uint8Array.from(keys[0]!.toBytes()) });
    expect(accounts[1]).toBeNull();
    expect(await chain.getSlot()).toBe(42n);
  });

  it("reports a failed send with the program error's name and the logs; a confirmed one as ok", async () => {
    const payer = Keypair.generate();
    const logs = [`Program ${PROGRAM_ID.toBase58()} failed: custom program error: 0x${errorCode("VotingClosed").toString(16)}`];
    let fail = true;
    const conn = stub({
      sendRawTransaction: async () => {
        if (fail) {
          throw new SendTransactionError({ action: "send", signature: "", transactionMessage: "simulation failed", logs });
        }
        return "sig111";
      },
      confirmTransaction: async () => ({ context: { slot: 1 }, value: { err: null } }),
      getLatestBlockhash: async () => ({ blockhash: "11111111111111111111111111111111", lastValidBlockHeight: 1 }),
    });
    const chain = connectionChain(conn, payer);
    const ix = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 });
    const failed = await chain.send([ix], []);
    expect(failed).toMatchObject({ ok: false, errorCode: errorCode("VotingClosed"), logs });
    expect(failed.error).toMatch(/^VotingClosed/);
    fail = false;
    expect(await chain.send([ix], [])).toEqual({ ok: true, signature: "sig111", logs: [] });
  });

  it("resends, over a fresh blockhash, a transaction refused in preflight for an unknown blockhash; gives up after 4 tries", async () => {
    const payer = Keypair.generate();
    const hashes = [Keypair.generate(), Keypair.generate(), Keypair.generate(), Keypair.generate()].map((k) => k.publicKey.toBase58());
    let fetched = 0;
    let refusals = 2;
    const signedOver: string[] = [];
    const conn = stub({
      getLatestBlockhash: async () => ({ blockhash: hashes[fetched++ % hashes.length]!, lastValidBlockHeight: 10 }),
      sendRawTransaction: async (raw: Buffer) => {
        signedOver.push(Transaction.from(raw).recentBlockhash!);
        if (refusals-- > 0) throw new SendTransactionError({ action: "simulate", signature: "", transactionMessage: "Transaction simulation failed: Blockhash not found", logs: [] });
        return "sig222";
      },
      confirmTransaction: async () => ({ context: { slot: 1 }, value: { err: null } }),
    });
    const chain = connectionChain(conn, payer);
    const ix = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 });
    expect(await chain.send([ix], [])).toEqual({ ok: true, signature: "sig222", logs: [] });
    // Three sends, each signed over the blockhash fetched for it.
    expect(signedOver).toEqual(hashes.slice(0, 3));
    refusals = 10;
    const failed = await chain.send([ix], []);
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/Blockhash not found/);
    expect(signedOver).toHaveLength(3 + 4);
  });
});
