/**
 * Probe markets: one Registered market per shard owned by the keeper, into which the daemon
 * deposits 1 lamport per probe round. Each deposit locks the shard account writable, so its
 * send-to-confirm time is a measurement of the write latency on that shard by the keeper's own
 * transaction, at a known cost (a fee and a lamport, which stays withdrawable in the market).
 *
 * The probe keys are derived from the keeper's secret key (sha256 of it and a counter), so a
 * restarted daemon finds the markets it registered before without any state file; a probe
 * market that a rebalance moved is simply counted for its new shard, and the shard it left gets
 * the next unused derived key.
 *
 * Probes are real writes: they add to the shard's and their market's on-chain load (by one
 * write per round), which is why they are opt-in.
 */
import { Keypair, type PublicKey } from "@solana/web3.js";
import { sha256 } from "@noble/hashes/sha2";
import { decodeMarketHeader } from "../accounts/market.js";
import type { Collateral } from "../collateral.js";
import { depositCollateralInstruction, registerMarketInstruction } from "../instructions/sharding.js";
import { getAccounts, safeSend, type Chain, type SendResult } from "../keeper/chain.js";
import { findMarketPda, isUsableMarketKey } from "../pda.js";
import { assignShard } from "../sharding/assign.js";

/**
 * Derived probe keys per shard the daemon looks at. A key lands on a given one of `n` shards
 * with probability 1/n, so with 16n candidates a shard gets none with probability
 * (1 - 1/n)^(16n) < e^-16 (4 per shard left one of four shards without a probe ~8% of the time).
 */
const CANDIDATES_PER_SHARD = 16;

/** A probe market key derived from `authority`: the `n`-th usable one. */
export function probeCandidates(authority: Keypair, count: number, programId: PublicKey): Keypair[] {
  const out: Keypair[] = [];
  for (let n = 0; out.length < count && n < count * 8; n++) {
    const seed = new Uint8Array(authority.secretKey.length + 20);
    seed.set(authority.secretKey);
    seed.set(new TextEncoder().encode("continuum-probe:"), authority.secretKey.length);
    new DataView(seed.buffer).setUint32(authority.secretKey.length + 16, n, true);
    const kp = Keypair.fromSeed(sha256(seed));
    if (isUsableMarketKey(kp.publicKey.toBytes(), programId)) out.push(kp);
  }
  return out;
}

/** One probe market and the shard it is on now. */
export interface ProbeMarket {
  keypair: Keypair;
  shardId: number;
}

/**
 * The keeper's probe markets, one per shard (registering what is missing). Returns the probe
 * of each shard it has one for, and the outcome of each registration it sent.
 */
export async function ensureProbeMarkets(
  chain: Chain,
  authority: Keypair,
  shardCount: number,
  programId: PublicKey,
  /** Shards that need a probe (default: all). */
  shards: number[] = Array.from({ length: shardCount }, (_, i) => i),
): Promise<{ probes: Map<number, ProbeMarket>; registered: SendResult[] }> {
  const candidates = probeCandidates(authority, shardCount * CANDIDATES_PER_SHARD, programId);
  const accounts = await getAccounts(chain, candidates.map((kp) => findMarketPda(kp.publicKey.toBytes(), programId)[0]));
  const probes = new Map<number, ProbeMarket>();
  const unused: Keypair[] = [];
  candidates.forEach((kp, i) => {
    const a = accounts[i];
    if (!a) return void unused.push(kp);
    const h = decodeMarketHeader(a.data);
    if (h.authority.equals(authority.publicKey) && !probes.has(h.shardId)) probes.set(h.shardId, { keypair: kp, shardId: h.shardId });
  });
  const registered: SendResult[] = [];
  for (const shard of shards) {
    if (probes.has(shard)) continue;
    const kp = unused.find((k) => assignShard(k.publicKey.toBytes(), shardCount) === shard);
    if (!kp) continue;
    unused.splice(unused.indexOf(kp), 1);
    const res = await safeSend(chain, [registerMarketInstruction(authority.publicKey, kp, shardCount, { programId })], [authority, kp]);
    registered.push(res);
    if (res.ok) probes.set(shard, { keypair: kp, shardId: shard });
  }
  return { probes, registered };
}

/**
 * One probe write: a deposit of 1 base unit of the collateral into the probe market (locks its
 * shard and vault writable). The keeper's collateral token account pays it (it needs a few
 * base units; they stay withdrawable from the probe market).
 */
export function probeWrite(
  chain: Chain,
  authority: Keypair,
  probe: ProbeMarket,
  collateral: Collateral,
  programId: PublicKey,
): Promise<SendResult> {
  const ix = depositCollateralInstruction(authority.publicKey, probe.keypair.publicKey.toBytes(), probe.shardId, 1n, collateral, programId);
  return safeSend(chain, [ix], [authority]);
}
