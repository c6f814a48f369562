/**
 * `continuum keeper register|unregister|withdraw|propose|vote|run|status`: a keeper's stake
 * and governance by hand, and the daemon (`sdk/src/daemon`) that does it all continuously.
 */
import { PublicKey } from "@solana/web3.js";
import { Command, Option } from "commander";
import { parseAmount } from "../collateral.js";
import { KeeperDaemon } from "../daemon/daemon.js";
import { jsonLogger } from "../daemon/log.js";
import { DaemonMetrics, serveMetrics } from "../daemon/metrics.js";
import {
  registerKeeperInstruction,
  unregisterKeeperInstruction,
  voteRebalanceInstruction,
  withdrawStakeInstruction,
  type RebalancePlan,
} from "../instructions/sharding.js";
import { connectionChain } from "../keeper/connection.js";
import { Keeper } from "../keeper/keeper.js";
import { formatSol, formatTable } from "../keeper/format.js";
import { proposalPhase } from "../keeper/policy.js";
import { readSnapshot, type KeeperSnapshot } from "../keeper/snapshot.js";
import { findKeeperPda, findProposalPda } from "../pda.js";
import { parseInteger, parseIntIn, parseMarketKey } from "./args.js";
import { action, str, type CliEnv, type Opts } from "./command.js";
import { CliError, TransactionError } from "./errors.js";
import { CliContext, parsePublicKey } from "./options.js";

function lamports(text: string, what: string): bigint {
  try {
    return parseAmount(text, 9);
  } catch {
    throw new CliError(`${what} must be an amount of SOL (at most 9 decimals), got ${text}`);
  }
}

/** A keeper's account and the proposals it can act on, as `keeper status` prints them. */
function keeperStatus(snap: KeeperSnapshot, authority: PublicKey, programId: PublicKey) {
  const k = snap.keeper;
  return {
    slot: snap.slot,
    authority: authority.toBase58(),
    keeper: findKeeperPda(authority, programId)[0].toBase58(),
    registered: k !== null,
    stake: k?.stake ?? 0n,
    active: k?.active ?? false,
    index: k?.index ?? null,
    registeredSlot: k?.registeredSlot ?? null,
    unregisterSlot: k && k.unregisterSlot !== 0n ? k.unregisterSlot : null,
    voteLockUntilSlot: k?.voteLockUntilSlot ?? null,
    votesCast: k?.votesCast ?? 0n,
    proposalsMade: k?.proposalsMade ?? 0n,
    config: {
      keeperCount: snap.config.keeperCount,
      totalActiveStake: snap.config.totalActiveStake,
      minKeeperStake: snap.config.minKeeperStake,
      proposalCount: snap.config.proposalCount,
    },
    proposals: snap.proposals.map((p) => ({
      id: p.id,
      address: p.address.toBase58(),
      proposer: p.account.proposer.toBase58(),
      from: p.account.fromShard,
      to: p.account.toShard,
      markets: p.account.markets.map((m) => new PublicKey(m).toBase58()),
      yesStake: p.account.yesStake,
      noStake: p.account.noStake,
      snapshotTotalStake: p.account.snapshotTotalStake,
      votingEndSlot: p.account.votingEndSlot,
      phase: proposalPhase(p.account, snap.slot),
      voted: p.voted,
    })),
  };
}

type KeeperStatus = ReturnType<typeof keeperStatus>;

function renderKeeperStatus(r: KeeperStatus): string {
  const me = formatTable(
    ["keeper", "value"],
    [
      ["authority", r.authority],
      ["keeper account", r.keeper],
      ["registered", r.registered ? `yes (index ${r.index}, slot ${r.registeredSlot})` : "no"],
      ["stake", `${formatSol(r.stake)} SOL`],
      ["active", r.active ? "yes" : r.unregisterSlot === null ? "no" : `no (unregistered at slot ${r.unregisterSlot})`],
      ["votes cast / proposals made", `${r.votesCast} / ${r.proposalsMade}`],
      ["keepers / active stake", `${r.config.keeperCount} / ${formatSol(r.config.totalActiveStake)} SOL (min ${formatSol(r.config.minKeeperStake)})`],
    ],
    ["l", "l"],
  );
  if (r.proposals.length === 0) return `${me}\n\nno open proposals`;
  const proposals = formatTable(
    ["proposal", "from", "to", "markets", "yes (SOL)", "no (SOL)", "voting ends", "phase", "voted"],
    r.proposals.map((p) => [`#${p.id}`, p.from.toString(), p.to.toString(), p.markets.length.toString(), formatSol(p.yesStake), formatSol(p.noStake), p.votingEndSlot.toString(), p.phase, p.voted ? "yes" : "no"]),
  );
  return `${me}\n\n${proposals}`;
}

async function statusOf(ctx: CliContext, authority: PublicKey): Promise<KeeperStatus> {
  return keeperStatus(await readSnapshot(ctx.reader, { programId: ctx.programId, keeper: authority }), authority, ctx.programId);
}

/** Sends a keeper instruction and returns the keeper's status after it. */
async function keeperTx(ctx: CliContext, what: string, ix: Parameters<CliContext["send"]>[1]) {
  const signature = await ctx.send(what, ix);
  const result = { signature, ...(await statusOf(ctx, ctx.payer.publicKey)) };
  return { result, text: (r: typeof result) => `${what}: ${r.signature}\n\n${renderKeeperStatus(r)}` };
}

async function proposeCommand(ctx: CliContext, opts: Opts) {
  const keeper = new Keeper(ctx.chain, ctx.payer, { programId: ctx.programId, maxMarkets: parseIntIn(str(opts, "maxMarkets") ?? "1", "--max-markets", 1, 8) });
  const snap = await keeper.snapshot();
  let plan: RebalancePlan;
  const given = ["from", "to", "markets"].filter((k) => str(opts, k) !== undefined);
  if (given.length === 3) {
    plan = {
      from: parseIntIn(str(opts, "from")!, "--from", 0, 254),
      to: parseIntIn(str(opts, "to")!, "--to", 0, 254),
      markets: str(opts, "markets")!.split(",").map((m) => parseMarketKey(m.trim())),
    };
  } else if (given.length === 0) {
    const rec = await keeper.plan(snap);
    if (!rec) throw new CliError("no rebalance needed: no shard is over threshold with fresh hot markets (or pass --from --to --markets)");
    plan = { from: rec.from, to: rec.to, markets: rec.markets };
  } else {
    throw new CliError("give all of --from, --to and --markets, or none (the policy's recommendation)");
  }
  const proposalId = snap.config.proposalCount;
  const a = await keeper.propose(plan, proposalId);
  if (a.kind !== "propose") throw new CliError("unexpected keeper action");
  if (!a.result.ok) throw new TransactionError("propose_rebalance", a.result);
  const result = {
    signature: a.result.signature ?? "",
    proposalId,
    proposal: findProposalPda(proposalId, ctx.programId)[0].toBase58(),
    from: plan.from,
    to: plan.to,
    markets: plan.markets.map((m) => new PublicKey(m).toBase58()),
  };
  return { result, text: (r: typeof result) => `proposal #${r.proposalId} (${r.proposal}): shard ${r.from} -> ${r.to}, ${r.markets.length} market(s); ${r.signature}` };
}

/**
 * `keeper run`: the daemon until SIGINT/SIGTERM, JSON logs on stdout, Prometheus metrics on
 * `--metrics-port` (0 picks a free port; the port is logged).
 */
async function runDaemon(ctx: CliContext, opts: Opts): Promise<void> {
  const authority = ctx.payer;
  const connection = ctx.connection;
  const log = jsonLogger();
  const metrics = new DaemonMetrics();
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => controller.abort());
  // A node going away mid-request can surface as an error no caller awaits (a pooled socket's
  // late reset). Those are RPC failures the loop already retries: log and count them, keep
  // running. Anything else is a bug: log it and exit non-zero.
  const transportCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
  const isTransport = (e: unknown): boolean => {
    for (let c: unknown = e; c && typeof c === "object"; c = (c as { cause?: unknown }).cause) {
      if (transportCodes.has(String((c as { code?: unknown }).code))) return true;
    }
    return false;
  };
  const onStray = (kind: string) => (e: unknown) => {
    if (isTransport(e)) {
      metrics.rpcErrors.inc({ op: "socket" });
      log("warn", "rpc_error", { op: "socket", kind, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    log("error", "fatal", { kind, error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  };
  process.on("unhandledRejection", onStray("unhandledRejection"));
  process.on("uncaughtException", onStray("uncaughtException"));
  const int = (name: string, flag: string): number | undefined => (str(opts, name) === undefined ? undefined : Number(parseInteger(str(opts, name)!, flag)));
  const metricsPort = int("metricsPort", "--metrics-port");
  const server = metricsPort === undefined ? null : await serveMetrics(metrics.registry, metricsPort, str(opts, "metricsHost") ?? "127.0.0.1");
  if (server) log("info", "metrics_listening", { port: server.port });
  const intervalMs = int("intervalMs", "--interval-ms");
  const maxMarkets = int("maxMarkets", "--max-markets");
  const probeIntervalMs = int("probeIntervalMs", "--probe-interval-ms");
  const daemon = new KeeperDaemon({
    chain: connectionChain(connection, authority),
    connection,
    authority,
    programId: ctx.programId,
    metrics,
    log,
    signal: controller.signal,
    once: opts.once === true,
    probe: opts.probe === true,
    ...(str(opts, "probeShards") === undefined ? {} : { probeShards: str(opts, "probeShards")!.split(",").map((x) => Number(parseInteger(x.trim(), "--probe-shards"))) }),
    ...(probeIntervalMs === undefined ? {} : { probeIntervalMs }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(maxMarkets === undefined ? {} : { maxMarkets }),
    ...(str(opts, "registerStake") === undefined ? {} : { registerStake: parseInteger(str(opts, "registerStake")!, "--register-stake") }),
  });
  try {
    await daemon.run();
  } finally {
    await server?.close();
  }
}

export function keeperCommands(env: CliEnv): Command {
  const keeper = new Command("keeper").description("keeper stake, rebalance governance and the keeper daemon");
  keeper
    .command("register")
    .description("lock SOL stake in a Keeper account (the wallet is its authority)")
    .requiredOption("--stake <SOL>", "stake to lock (SOL)")
    .action(action(env, (ctx, _a, opts) => keeperTx(ctx, "register_keeper", [registerKeeperInstruction(ctx.payer.publicKey, lamports(str(opts, "stake")!, "--stake"), ctx.programId)])));
  keeper
    .command("unregister")
    .description("stop voting, proposing and reporting; starts the stake's unlock cooldown")
    .action(action(env, (ctx) => keeperTx(ctx, "unregister_keeper", [unregisterKeeperInstruction(ctx.payer.publicKey, ctx.programId)])));
  keeper
    .command("withdraw")
    .description("withdraw the stake of an unregistered keeper once unlocked (closes the Keeper account)")
    .action(action(env, (ctx) => keeperTx(ctx, "withdraw_stake", [withdrawStakeInstruction(ctx.payer.publicKey, ctx.programId)])));
  keeper
    .command("propose")
    .description("propose moving hot markets between shards (default: what the keeper policy recommends)")
    .option("--from <shard>", "source shard")
    .option("--to <shard>", "destination shard")
    .option("--markets <keys>", "comma-separated market keys on the source (1 to 8)")
    .option("--max-markets <n>", "markets the recommendation may list", "1")
    .action(action(env, (ctx, _a, opts) => proposeCommand(ctx, opts)));
  keeper
    .command("vote")
    .description("vote on a rebalance proposal with the keeper's stake")
    .argument("<proposal>", "proposal id")
    .addOption(new Option("--approve", "vote yes").conflicts("reject"))
    .addOption(new Option("--reject", "vote no").conflicts("approve"))
    .action(
      action(env, async (ctx, [id], opts) => {
        if (opts.approve !== true && opts.reject !== true) throw new CliError("--approve or --reject is required");
        const proposalId = parseInteger(id!, "proposal id");
        if (proposalId < 0n) throw new CliError("proposal id must be non-negative");
        return keeperTx(ctx, "vote_rebalance", [voteRebalanceInstruction(ctx.payer.publicKey, proposalId, opts.approve === true, ctx.programId)]);
      }),
    );
  keeper
    .command("status")
    .description("a keeper's account (stake, activity) and the proposals on chain")
    .option("--authority <pubkey>", "whose keeper (default: the wallet)")
    .action(
      action(env, async (ctx, _a, opts) => {
        const authority = str(opts, "authority") !== undefined ? parsePublicKey(str(opts, "authority")!, "--authority") : ctx.payer.publicKey;
        const result = await statusOf(ctx, authority);
        return { result, text: renderKeeperStatus };
      }),
    );
  keeper
    .command("run")
    .description("the keeper daemon: policy ticks, own latency probes, contention reports, norm checks, Prometheus metrics (JSON logs on stdout)")
    .option("--interval-ms <ms>", "pause between iterations", "2000")
    .option("--once", "one iteration, then exit")
    .option("--metrics-port <port>", "serve /metrics on this port (0: a free one, logged)")
    .option("--metrics-host <host>", "address to serve /metrics on", "127.0.0.1")
    .option("--probe", "write 1 base unit per shard and iteration into probe markets (own latency)")
    .option("--probe-interval-ms <ms>", "at most one probe round per this many ms")
    .option("--probe-shards <ids>", "comma-separated shards to probe (default: all)")
    .option("--register-stake <lamports>", "register with this stake when not registered")
    .option("--max-markets <n>", "markets one proposal may move")
    .action(async (...a: unknown[]) => {
      const cmd = a[a.length - 1] as Command;
      await runDaemon(new CliContext(cmd.optsWithGlobals(), env.io, env.inject), cmd.opts());
    });
  return keeper;
}
