/**
 * A real migration on a real localnet, driven by two keeper daemons holding almost all the
 * stake, against one adversarial keeper holding the minimum: real write load on shard 0
 * (deposits into two markets, one twice as busy), the daemons' own latency measurements
 * (probes) reported per window until the latency quorum holds, then one daemon proposes moving
 * the busiest market, both vote yes, one executes. Meanwhile the attacker reports the largest
 * latency it may (400,000 us) naming the CALM market and keeps proposing to move that one
 * (the move that would leave the shard hot): the daemons vote it down and it never executes.
 *
 * The numbers (400 ms slots, load threshold 1,800 milli-writes): market A ~1.4 writes/slot and
 * B ~0.7 put shard 0 at ~2.1 (plus the probes'), over the threshold; moving A leaves the idle
 * destination at ~1.4, under it, so the honest policy approves exactly that move.
 *
 * The daemons probe shard 0 only. Send-to-confirm on a validator is about a slot on every
 * shard, far above the 1.5 ms contention threshold, so a keeper that measured the destination
 * would (rightly, by its policy) refuse to move load onto it: here only the source is measured.
 */
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, Transaction } from "@solana/web3.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOrCreateAssociatedTokenAccount, mintTo } from "@solana/spl-token";
import {
  assignShard,
  collateralOf,
  decodeConfig,
  decodeMarketHeader,
  decodeRebalanceVotedEvents,
  depositCollateralInstruction,
  findConfigPda,
  findMarketPda,
  generateMarketKey,
  proposeRebalanceInstruction,
  registerKeeperInstruction,
  registerMarketInstruction,
  reportContentionInstruction,
} from "../../sdk/src/index.js";
import { loadKeypair } from "../../sdk/src/cli.js";
import type { StartResult, StopResult } from "../../sdk/src/localnet/commands.js";
import { cliJson, DaemonProcess, freePortPair, metric, waitFor } from "./helpers.js";

const SHARDS = 4;

describe("migration on the localnet", () => {
  let dir: string;
  let common: string[];
  let start: StartResult;
  const daemons: DaemonProcess[] = [];
  let stopLoad = false;
  let loadDone: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "continuum-migration-"));
    common = ["--ledger", path.join(dir, "ledger")];
    start = await cliJson<StartResult>([
      "localnet", "start", ...common, "--rpc-port", String(await freePortPair()), "--keypair", path.join(dir, "wallet.json"),
      "--config", JSON.stringify({ shardCount: SHARDS, votingWindowSlots: 50, loadThresholdMilliWrites: 1_800, proposalCooldownSlots: 10 }),
    ]);
  });

  afterAll(async () => {
    stopLoad = true;
    await loadDone;
    await Promise.all(daemons.map((d) => d.stop()));
    await cliJson<StopResult>(["localnet", "stop", ...common]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it("two daemons heat, report, propose, approve and execute a rebalance of the busiest market; an adversarial keeper's move of the calm one is voted down", async () => {
    const connection = new Connection(start.rpcUrl, "confirmed");
    const wallet = loadKeypair(path.join(dir, "wallet.json"));
    const collateral = collateralOf(decodeConfig(Uint8Array.from((await connection.getAccountInfo(findConfigPda()[0]))!.data)));
    // Two markets on shard 0, owned by the wallet (deposits need the market authority).
    const markets: Keypair[] = [];
    while (markets.length < 2) {
      const k = generateMarketKey();
      if (assignShard(k.publicKey.toBytes(), SHARDS) === 0) markets.push(k);
    }
    const reg = new Transaction().add(...markets.map((m) => registerMarketInstruction(wallet.publicKey, m, SHARDS)));
    await connection.sendTransaction(reg, [wallet, ...markets]).then((sig) => connection.confirmTransaction(sig, "confirmed"));

    // The load: A twice per 570 ms (~1.4 writes per 400 ms slot), B once, fire-and-forget (varying amounts keep signatures unique).
    loadDone = (async () => {
      let n = 0;
      let blockhash = (await connection.getLatestBlockhash()).blockhash;
      let refreshed = Date.now();
      while (!stopLoad) {
        if (Date.now() - refreshed > 2_000) ((blockhash = (await connection.getLatestBlockhash()).blockhash), (refreshed = Date.now()));
        for (const m of [markets[0]!, markets[0]!, markets[1]!]) {
          const tx = new Transaction({ feePayer: wallet.publicKey, recentBlockhash: blockhash }).add(depositCollateralInstruction(wallet.publicKey, m.publicKey.toBytes(), 0, BigInt(1 + (n++ % 100_000)), collateral));
          tx.sign(wallet);
          connection.sendRawTransaction(tx.serialize(), { skipPreflight: true }).catch(() => {});
        }
        await new Promise((r) => setTimeout(r, 570));
      }
    })();
    await new Promise((r) => setTimeout(r, 6_000)); // let the load EMA climb

    const keepers: PublicKey[] = [];
    for (let i = 0; i < 2; i++) {
      const k = Keypair.generate();
      keepers.push(k.publicKey);
      const sig = await connection.requestAirdrop(k.publicKey, 20 * LAMPORTS_PER_SOL);
      await connection.confirmTransaction(sig, "confirmed");
      // Probe deposits are paid in the collateral: the wallet (its mint authority) funds them.
      const ata = await getOrCreateAssociatedTokenAccount(connection, wallet, collateral.mint, k.publicKey, false, "confirmed");
      await mintTo(connection, wallet, collateral.mint, ata.address, wallet, 1_000_000n, [], { commitment: "confirmed" });
      // Registered before any daemon runs, so both stakes are in every proposal's snapshot
      // (a keeper registering after the first proposal could not vote on it).
      const reg = new Transaction().add(registerKeeperInstruction(k.publicKey, 2_000_000_000n));
      await connection.sendTransaction(reg, [k]).then((sig) => connection.confirmTransaction(sig, "confirmed"));
      const file = path.join(dir, `keeper${i}.json`);
      writeFileSync(file, JSON.stringify([...k.secretKey]));
      daemons.push(
        new DaemonProcess([
          "--rpc", start.rpcUrl, "--keypair", file, "--interval-ms", "500", "--metrics-port", "0",
          "--probe", "--probe-shards", "0", "--probe-interval-ms", "2000", "--register-stake", "2000000000",
        ]),
      );
    }
    // The attacker: the minimum stake, registered before the daemons run (so its stake is in
    // their proposals' snapshots too); its proposal ids are the ones it created.
    const attacker = Keypair.generate();
    await connection.confirmTransaction(await connection.requestAirdrop(attacker.publicKey, 20 * LAMPORTS_PER_SOL), "confirmed");
    const config = decodeConfig(Uint8Array.from((await connection.getAccountInfo(findConfigPda()[0]))!.data));
    await connection
      .sendTransaction(new Transaction().add(registerKeeperInstruction(attacker.publicKey, config.minKeeperStake)), [attacker])
      .then((sig) => connection.confirmTransaction(sig, "confirmed"));
    const attackerProposals: bigint[] = [];
    let stopAttack = false;
    const attack = (async () => {
      while (!stopAttack) {
        // One report per window is accepted; the rest fail (AlreadyReported): fire and forget.
        const report = new Transaction().add(reportContentionInstruction(attacker.publicKey, 0, 400_000, markets[1]!.publicKey.toBytes()));
        await connection.sendTransaction(report, [attacker], { skipPreflight: true }).catch(() => {});
        // Propose moving the calm market B to shard 1 as soon as the program lets anyone propose.
        if (attackerProposals.length === 0) {
          const id = decodeConfig(Uint8Array.from((await connection.getAccountInfo(findConfigPda()[0]))!.data)).proposalCount;
          const propose = new Transaction().add(proposeRebalanceInstruction(attacker.publicKey, { from: 0, to: 1, markets: [markets[1]!.publicKey.toBytes()] }, id));
          const landed = await connection
            .sendTransaction(propose, [attacker])
            .then((sig) => connection.confirmTransaction(sig, "confirmed"))
            .then((r) => r.value.err === null)
            .catch(() => false);
          if (landed) attackerProposals.push(id);
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();

    const migrated = async (): Promise<boolean> =>
      (await Promise.all(daemons.map((d) => d.metrics()))).some((m) => metric(m, "continuum_migrations_total", { result: "ok" }) >= 1);
    await waitFor(migrated, 240_000, () => `a migration; last actions: ${JSON.stringify(daemons.map((d) => d.events("keeper_action").slice(-6).map((r) => r.text)))}`);

    // Until the attacker's proposal exists and both daemons have voted on it.
    await waitFor(async () => attackerProposals.length > 0, 120_000, () => "the attacker's proposal");
    const junkId = attackerProposals[0]!;
    const votesOnJunk = (d: DaemonProcess) => d.events("keeper_action").filter((r) => r.action === "vote" && r.proposalId === String(junkId) && typeof r.signature === "string");
    await waitFor(
      async () => daemons.every((d) => votesOnJunk(d).length > 0),
      120_000,
      () => `both daemons' votes on proposal ${junkId}; last actions: ${JSON.stringify(daemons.map((d) => d.events("keeper_action").slice(-6).map((r) => r.text)))}`,
    );
    stopAttack = true;
    await attack;
    // The verdict is the chain's: each vote's receipt (`RebalanceVoted`) in its transaction's
    // logs. A vote whose confirmation timed out may still have landed, so every signature a
    // daemon logged is looked up; one that never landed has no transaction.
    const receipts = [];
    for (const sig of daemons.flatMap((d) => votesOnJunk(d).map((r) => r.signature as string))) {
      let logs: string[] | null = null;
      await waitFor(async () => {
        const tx = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
        logs = tx === null ? null : tx.meta?.err ? [] : (tx.meta?.logMessages ?? []);
        return logs !== null;
      }, 30_000, () => `transaction ${sig}`).catch(() => {});
      receipts.push(...decodeRebalanceVotedEvents(logs ?? []));
    }
    // Both honest daemons voted no, once each; the yes stake is the attacker's at most (a
    // proposer's own vote counts only if it casts one), and the move never executed.
    expect(receipts.map((r) => [r.proposalId, r.keeper.toBase58(), r.approve]).sort()).toEqual(
      keepers.map((k) => [junkId, k.toBase58(), false]).sort(),
    );
    const last = receipts.reduce((a, b) => (b.noStake > a.noStake ? b : a));
    expect(last.noStake).toBe(4_000_000_000n);
    expect(last.yesStake).toBeLessThanOrEqual(config.minKeeperStake);
    expect(daemons.flatMap((d) => d.events("keeper_action")).some((r) => r.action === "execute" && r.proposalId === String(junkId) && r.ok)).toBe(false);

    const all = await Promise.all(daemons.map((d) => d.metrics()));
    expect(all.reduce((a, m) => a + metric(m, "continuum_rebalance_proposals_total", { result: "ok" }), 0)).toBeGreaterThanOrEqual(1);
    // Both daemons voted yes (each holds half the stake, so the approval needed both); a vote
    // whose confirmation timed out on the busy localnet still landed, so any result counts.
    expect(all.reduce((a, m) => a + metric(m, "continuum_rebalance_votes_total", { vote: "yes" }), 0)).toBeGreaterThanOrEqual(2);
    expect(all.reduce((a, m) => a + metric(m, "continuum_migration_duration_ms_count"), 0)).toBeGreaterThanOrEqual(1);
    const executed = daemons.flatMap((d) => d.events("keeper_action")).find((r) => r.action === "execute" && r.ok)!;
    expect(executed.from).toBe(0);
    // The busiest market moved off shard 0; the other one stayed.
    const [a, b] = await connection.getMultipleAccountsInfo(markets.map((m) => findMarketPda(m.publicKey.toBytes())[0]));
    expect(decodeMarketHeader(Uint8Array.from(a!.data)).shardId).toBe(executed.to);
    expect(decodeMarketHeader(Uint8Array.from(b!.data)).shardId).toBe(0);
    expect(executed.markets).toEqual([Buffer.from(markets[0]!.publicKey.toBytes()).toString("hex")]);
  });
});
