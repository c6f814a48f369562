/**
 * `Chain` over a web3.js `Connection`: accounts through `getMultipleAccountsInfo` (batches of
 * 100), transactions through `sendTransaction` + confirmation, with the fee payer signing.
 */
import { Connection, Transaction, type AccountInfo, type Commitment, type Keypair, type PublicKey } from "@solana/web3.js";
import { describeFailure, logsOf, messageOf, type Chain, type ChainAccount, type ChainReader, type SendResult } from "./chain.js";

/** Most accounts one `getMultipleAccountsInfo` call may ask for. */
const MAX_MULTIPLE_ACCOUNTS = 100;

/** Sends of one transaction refused in preflight for an unknown blockhash before giving up. */
const BLOCKHASH_ATTEMPTS = 4;
/** Wait before the n-th resend, times n (ms). */
const BLOCKHASH_RETRY_MS = 250;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True for a preflight refusal naming an unknown blockhash. */
function isBlockhashNotFound(e: unknown): boolean {
  return /blockhash not found/i.test(messageOf(e));
}

/** Options of `connectionChain`. */
export interface ConnectionChainOptions {
  /** Commitment of reads and confirmations (default "confirmed"). */
  commitment?: Commitment;
  /** Fetch the logs of successful transactions (one extra `getTransaction`; default false). */
  fetchLogs?: boolean;
}

function toChainAccount(info: AccountInfo<Buffer> | null): ChainAccount | null {
  if (!info) return null;
  return { lamports: BigInt(info.lamports), owner: info.owner, data: Uint8Array.from(info.data) };
}

/** A read-only `ChainReader` over `connection` (for `status` and `quote`). */
export function connectionReader(connection: Connection, opts: ConnectionChainOptions = {}): ChainReader {
  const commitment = opts.commitment ?? "confirmed";
  return {
    async getAccount(pubkey) {
      return toChainAccount(await connection.getAccountInfo(pubkey, commitment));
    },
    async getMultipleAccounts(pubkeys: PublicKey[]) {
      const out: (ChainAccount | null)[] = [];
      for (let i = 0; i < pubkeys.length; i += MAX_MULTIPLE_ACCOUNTS) {
        const infos = await connection.getMultipleAccountsInfo(pubkeys.slice(i, i + MAX_MULTIPLE_ACCOUNTS), commitment);
        out.push(...infos.map(toChainAccount));
      }
      return out;
    },
    async getSlot() {
      return BigInt(await connection.getSlot(commitment));
    },
  };
}

/** A `Chain` over `connection`; `payer` pays every fee and signs every transaction. */
export function connectionChain(connection: Connection, payer: Keypair, opts: ConnectionChainOptions = {}): Chain {
  const commitment = opts.commitment ?? "confirmed";

  async function transactionLogs(signature: string): Promise<string[]> {
    const tx = await connection.getTransaction(signature, {
      commitment: commitment === "processed" ? "confirmed" : (commitment as "confirmed" | "finalized"),
      maxSupportedTransactionVersion: 0,
    });
    return tx?.meta?.logMessages ?? [];
  }

  return {
    ...connectionReader(connection, opts),
    async send(instructions, signers): Promise<SendResult> {
      let signature: string | undefined;
      try {
        const all = [payer, ...signers.filter((s) => !s.publicKey.equals(payer.publicKey))];
        for (let attempt = 1; ; attempt++) {
          // Each attempt signs over a blockhash fetched at `commitment`: a node that has just
          // restarted (or a cached hash from before it did) can refuse an older one in preflight.
          const latest = await connection.getLatestBlockhash(commitment);
          const tx = new Transaction({ feePayer: payer.publicKey, ...latest }).add(...instructions);
          tx.sign(...all);
          try {
            signature = await connection.sendRawTransaction(tx.serialize(), { preflightCommitment: commitment });
          } catch (e) {
            // A preflight refusal means the transaction was never forwarded, so a resend can't
            // land it twice.
            if (attempt < BLOCKHASH_ATTEMPTS && isBlockhashNotFound(e)) {
              await sleep(BLOCKHASH_RETRY_MS * attempt);
              continue;
            }
            throw e;
          }
          const confirmation = await connection.confirmTransaction({ signature, ...latest }, commitment);
          if (confirmation.value.err) {
            const logs = await transactionLogs(signature).catch(() => []);
            return { ok: false, signature, logs, ...describeFailure(logs, JSON.stringify(confirmation.value.err)) };
          }
          const logs = opts.fetchLogs ? await transactionLogs(signature).catch(() => []) : [];
          return { ok: true, signature, logs };
        }
      } catch (e) {
        const logs = logsOf(e);
        return { ok: false, logs, ...(signature ? { signature } : {}), ...describeFailure(logs, messageOf(e)) };
      }
    },
  };
}
