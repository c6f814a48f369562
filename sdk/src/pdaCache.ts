/**
 * `PublicKey.findProgramAddressSync` with a memo. A PDA search tries bumps from 255 down, each a
 * sha256 and an off-curve test in JavaScript (~0.3-1 ms per address here), and the SDK derives
 * the same few addresses (shards, vaults, a trader's position and token account) for every
 * instruction it builds. The result is a pure function of the seeds and the program, so it is
 * remembered; the memo is bounded (it is dropped whole when full, so memory stays flat under any
 * key churn, e.g. a keeper scanning 21,000 markets).
 */
import { PublicKey } from "@solana/web3.js";

/** Entries kept before the memo is dropped. */
const MAX_ENTRIES = 16_384;

const memo = new Map<string, [PublicKey, number]>();

function keyOf(seeds: readonly Uint8Array[], programId: PublicKey): string {
  let key = programId.toBase58();
  for (const seed of seeds) key += ":" + Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString("hex");
  return key;
}

/** `findProgramAddressSync(seeds, programId)`, remembered: `[address, bump]` (a fresh tuple). */
export function findProgramAddressCached(seeds: readonly Uint8Array[], programId: PublicKey): [PublicKey, number] {
  const key = keyOf(seeds, programId);
  let hit = memo.get(key);
  if (hit === undefined) {
    hit = PublicKey.findProgramAddressSync(seeds as Uint8Array[], programId);
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, hit);
  }
  return [hit[0], hit[1]];
}
