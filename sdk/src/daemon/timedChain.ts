/**
 * A `Chain` wrapper that measures and hardens what the keeper sends and reads:
 *
 * - every successful transaction that locks a shard account writable is timed from send to
 *   confirmation, and the time is reported for each shard it wrote (the write latency of the
 *   keeper's own transactions: what it reports as contention);
 * - reads are retried with capped exponential backoff, every failure counted;
 * - a send that never confirms (the node went away mid-flight) fails after `sendTimeoutMs`
 *   instead of holding the loop.
 */
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { messageOf, type Chain, type SendResult } from "../keeper/chain.js";
import { findShardPda } from "../pda.js";
import { retry } from "./backoff.js";

/** What the wrapper tells its owner. */
export interface TimedChainHooks {
  /** A confirmed transaction that wrote `shards` took `micros` from send to confirmation. */
  onShardWrite?(shards: number[], micros: number, instructions: TransactionInstruction[]): void;
  /** An RPC call failed (`op`: "read" or "send"); reads are retried after this. */
  onRpcError?(op: "read" | "send", error: string): void;
}

/** Options of `timedChain`. */
export interface TimedChainOptions {
  programId: PublicKey;
  /** Shard ids to recognise (`Config.shard_count`). */
  shardCount: number;
  hooks?: TimedChainHooks;
  /** Attempts per read (default 3), backoff between them from `readRetryBaseMs` (default 200) up to 2 s. */
  readAttempts?: number;
  readRetryBaseMs?: number;
  /** A send not confirmed after this long fails (default 30 s). */
  sendTimeoutMs?: number;
}

/**
 * Whether a failed send never reached the chain: no signature, no logs and no program error.
 * A transaction the program rejected is not an RPC error.
 */
export function isTransportFailure(res: SendResult): boolean {
  return !res.ok && res.signature === undefined && res.logs.length === 0 && res.errorCode === undefined;
}

/** Shard ids whose account `instructions` lock writable. */
export function writtenShards(instructions: TransactionInstruction[], shardIds: Map<string, number>): number[] {
  const out = new Set<number>();
  for (const ix of instructions) {
    for (const k of ix.keys) {
      if (!k.isWritable) continue;
      const id = shardIds.get(k.pubkey.toBase58());
      if (id !== undefined) out.add(id);
    }
  }
  return [...out].sort((a, b) => a - b);
}

export function timedChain(inner: Chain, opts: TimedChainOptions): Chain {
  const shardIds = new Map<string, number>();
  for (let id = 0; id < opts.shardCount; id++) shardIds.set(findShardPda(id, opts.programId)[0].toBase58(), id);
  const hooks = opts.hooks ?? {};
  const readRetry = {
    attempts: opts.readAttempts ?? 3,
    baseMs: opts.readRetryBaseMs ?? 200,
    capMs: 2_000,
    onError: (e: unknown) => hooks.onRpcError?.("read", messageOf(e)),
  };
  const timeoutMs = opts.sendTimeoutMs ?? 30_000;

  async function send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<SendResult> {
    const started = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `not confirmed within ${timeoutMs} ms`, logs: [] }), timeoutMs);
    });
    let res: SendResult;
    try {
      res = await Promise.race([inner.send(instructions, signers), timeout]);
    } catch (e) {
      res = { ok: false, error: messageOf(e), logs: [] };
    } finally {
      clearTimeout(timer);
    }
    if (res.ok) {
      const shards = writtenShards(instructions, shardIds);
      const micros = Number((process.hrtime.bigint() - started) / 1_000n);
      if (shards.length > 0) hooks.onShardWrite?.(shards, micros, instructions);
    } else if (isTransportFailure(res)) {
      hooks.onRpcError?.("send", res.error ?? "send failed");
    }
    return res;
  }

  return {
    getAccount: (pubkey) => retry(() => inner.getAccount(pubkey), readRetry),
    ...(inner.getMultipleAccounts
      ? { getMultipleAccounts: (pubkeys: PublicKey[]) => retry(() => inner.getMultipleAccounts!(pubkeys), readRetry) }
      : {}),
    getSlot: () => retry(() => inner.getSlot(), readRetry),
    send,
  };
}
