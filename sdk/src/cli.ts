/**
 * `continuum` command line (`npx tsx sdk/src/cli.ts <command>`, or `npm run cli -w sdk -- <command>`).
 *
 *   assign-shard <marketKey> <shardCount>       shard of a market key (keccak256(key)[0] % count)
 *   market-key                                  a fresh market key usable by register_market
 *   status --rpc <url>                          config, shards and open proposals
 *   quote --rpc <url> <market> <amount> <from> <to> [--index]
 *                                               quote a range bet (outcomes, or grid indices)
 *   keeper [run] --rpc <url> --keypair <path> [--interval-ms N] [--once] [--metrics-port N]
 *          [--metrics-host H] [--probe] [--register-stake LAMPORTS] [--max-markets N]
 *                                               run the keeper daemon (JSON logs, /metrics)
 *   localnet start|stop|status|reset [--ledger DIR] [--rpc-port N] [--keypair PATH]
 *          [--slot-time-ms N] [--config JSON] [--json]
 *                                               a local Surfpool network with the program
 *
 * Market keys are base58 or hex (64 digits, optional 0x). Every command is an exported
 * function returning its output, so tests call them directly; `main` only parses argv.
 */
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { decodeAmmMarket } from "./accounts/amm.js";
import { decodeConfig } from "./accounts/config.js";
import { quoteMarketBet, rangeIndices, type BetRange } from "./amm/price.js";
import { PROGRAM_ID } from "./constants.js";
import { describeAction } from "./keeper/actions.js";
import type { Chain, ChainReader } from "./keeper/chain.js";
import { connectionChain, connectionReader } from "./keeper/connection.js";
import { formatTable, renderQuote, renderStatus } from "./keeper/format.js";
import { Keeper } from "./keeper/keeper.js";
import { readSnapshot } from "./keeper/snapshot.js";
import { findConfigPda, findMarketPda, generateMarketKey, isUsableMarketKey, MARKET_BUMP } from "./pda.js";
import { assignShard } from "./sharding/assign.js";
import { KeeperDaemon } from "./daemon/daemon.js";
import { jsonLogger } from "./daemon/log.js";
import { DaemonMetrics, serveMetrics } from "./daemon/metrics.js";
import { localnetReset, localnetStart, localnetStatus, localnetStop, type LocalnetOptions } from "./localnet/commands.js";

const USAGE = `usage: continuum <command>
  assign-shard <marketKey> <shardCount>
  market-key
  status --rpc <url>
  quote --rpc <url> <market> <amount-base-units> <from> <to> [--index]
  keeper [run] --rpc <url> --keypair <path> [--interval-ms N] [--once] [--metrics-port N]
         [--metrics-host 127.0.0.1] [--probe] [--probe-interval-ms N] [--probe-shards 0,1]
         [--register-stake LAMPORTS] [--max-markets N]
  localnet start|stop|status|reset [--ledger DIR] [--rpc-port 8899] [--keypair PATH]
         [--slot-time-ms 400] [--config JSON] [--json]
options: --program <id> (default ${PROGRAM_ID.toBase58()})`;

/** A market key from base58 or hex (64 hex digits, optional `0x`). */
export function parseMarketKey(text: string): Uint8Array {
  const hex = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return Uint8Array.from(Buffer.from(hex, "hex"));
  try {
    return new PublicKey(text).toBytes();
  } catch {
    throw new Error(`not a market key (base58 or 64 hex digits): ${text}`);
  }
}

/** A non-negative integer argument. */
export function parseInteger(text: string, what: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new Error(`${what} must be an integer, got ${text}`);
  return BigInt(text);
}

/** `assign-shard`: the shard id, exactly `assignShard(key, shardCount)`. */
export function assignShardCommand(marketKey: string, shardCount: string): string {
  return assignShard(parseMarketKey(marketKey), Number(parseInteger(shardCount, "shardCount"))).toString();
}

/**
 * `market-key`: a fresh market keypair whose Market PDA has bump 255 (what `register_market`
 * needs). The keypair (a Solana keypair file's JSON) must sign the market's creation: keep it.
 */
export function marketKeyCommand(programId: PublicKey = PROGRAM_ID): string {
  const keypair = generateMarketKey(programId);
  const key = keypair.publicKey.toBytes();
  const [pda, bump] = findMarketPda(key, programId);
  return formatTable(
    ["market key", "value"],
    [
      ["base58", keypair.publicKey.toBase58()],
      ["hex", Buffer.from(key).toString("hex")],
      ["market PDA", pda.toBase58()],
      ["bump", `${bump}${bump === MARKET_BUMP && isUsableMarketKey(key, programId) ? " (usable)" : ""}`],
      ["keypair", JSON.stringify([...keypair.secretKey])],
    ],
    ["l", "l"],
  );
}

/** `status`: config, shards table and proposals still on chain. */
export async function statusCommand(reader: ChainReader, programId: PublicKey = PROGRAM_ID): Promise<string> {
  return renderStatus(await readSnapshot(reader, { programId }));
}

/**
 * `quote`: quotes a range bet of `amount` base units (of the collateral mint) on a market given by market key (its
 * Market PDA) or by account address. `from`/`to` are outcome values, or grid indices with
 * `byIndex`.
 */
export async function quoteCommand(
  reader: ChainReader,
  market: string,
  amount: string,
  from: string,
  to: string,
  opts: { byIndex?: boolean; programId?: PublicKey } = {},
): Promise<string> {
  const key = parseMarketKey(market);
  const byKey = findMarketPda(key, opts.programId ?? PROGRAM_ID)[0];
  let address = byKey;
  let account = await reader.getAccount(byKey);
  if (!account) {
    address = new PublicKey(key);
    account = await reader.getAccount(address);
  }
  if (!account) throw new Error(`no market for key or address ${market}`);
  const m = decodeAmmMarket(account.data);
  const configAccount = await reader.getAccount(findConfigPda(opts.programId ?? PROGRAM_ID)[0]);
  if (!configAccount) throw new Error("Config account not found: is the program initialized?");
  const { collateralDecimals } = decodeConfig(configAccount.data);
  const units = parseInteger(amount, "amount");
  const a = parseInteger(from, "from");
  const b = parseInteger(to, "to");
  const range: BetRange = opts.byIndex ? { i0: Number(a), i1: Number(b) } : { from: a, to: b };
  const indices = rangeIndices(m, range);
  return renderQuote(address, m, units, indices, quoteMarketBet(m, units, indices), collateralDecimals);
}

/** Options of `keeperCommand`. */
export interface KeeperLoopOptions {
  intervalMs?: number;
  /** One tick, then return. */
  once?: boolean;
  programId?: PublicKey;
  /** Where lines go (default: console.log). */
  log?: (line: string) => void;
  /** Stops the loop when aborted. */
  signal?: AbortSignal;
}

/** `keeper`: `Keeper.tick` every `intervalMs` (default 2,000), logging each action. */
export async function keeperCommand(chain: Chain, authority: Keypair, opts: KeeperLoopOptions = {}): Promise<void> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const keeper = new Keeper(chain, authority, opts.programId ? { programId: opts.programId } : {});
  const interval = opts.intervalMs ?? 2_000;
  log(`keeper ${authority.publicKey.toBase58()} started`);
  while (!opts.signal?.aborted) {
    const actions = await keeper.tick();
    const stamp = new Date().toISOString();
    if (actions.length === 0) log(`${stamp} idle`);
    for (const a of actions) log(`${stamp} ${describeAction(a)}`);
    if (opts.once) return;
    await sleep(interval, opts.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Parsed argv: positionals and `--flag [value]` options. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(["once", "index", "help", "json", "probe"]);

/** Splits argv into positionals and flags (`--name value`, `--name=value`, boolean flags). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, value);
    }
  }
  return { positional, flags };
}

function flag(args: ParsedArgs, name: string): string {
  const v = args.flags.get(name);
  if (typeof v !== "string") throw new Error(`--${name} <value> is required`);
  return v;
}

function positionals(args: ParsedArgs, count: number, usage: string): string[] {
  if (args.positional.length !== count + 1) throw new Error(`usage: ${usage}`);
  return args.positional.slice(1);
}

/** A keypair from a solana-keygen JSON file (an array of 64 bytes). */
export function loadKeypair(path: string): Keypair {
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path, "utf8")) as number[]));
}

/** Runs one command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const command = args.positional[0];
    const programId = args.flags.has("program") ? new PublicKey(flag(args, "program")) : PROGRAM_ID;
    const rpc = (): Connection => new Connection(flag(args, "rpc"), "confirmed");
    switch (command) {
      case "assign-shard": {
        const [key, count] = positionals(args, 2, "assign-shard <marketKey> <shardCount>");
        console.log(assignShardCommand(key!, count!));
        return 0;
      }
      case "market-key":
        positionals(args, 0, "market-key");
        console.log(marketKeyCommand(programId));
        return 0;
      case "status":
        positionals(args, 0, "status --rpc <url>");
        console.log(await statusCommand(connectionReader(rpc()), programId));
        return 0;
      case "quote": {
        const [market, amount, from, to] = positionals(args, 4, "quote --rpc <url> <market> <amount> <from> <to> [--index]");
        const reader = connectionReader(rpc());
        console.log(await quoteCommand(reader, market!, amount!, from!, to!, { byIndex: args.flags.has("index"), programId }));
        return 0;
      }
      case "keeper": {
        if (args.positional[1] === "run") args.positional.splice(1, 1);
        positionals(args, 0, "keeper [run] --rpc <url> --keypair <path> [--interval-ms N] [--once] [--metrics-port N]");
        return await keeperDaemonCommand(args, programId, rpc);
      }
      case "localnet":
        return await localnetCommand(args);
      default:
        console.error(USAGE);
        return command === undefined || args.flags.has("help") ? 0 : 1;
    }
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function optionalInteger(args: ParsedArgs, name: string): number | undefined {
  return args.flags.has(name) ? Number(parseInteger(flag(args, name), `--${name}`)) : undefined;
}

/**
 * `keeper [run]`: the daemon (sdk/src/daemon) until SIGINT/SIGTERM, JSON logs on stdout, and
 * Prometheus metrics on `--metrics-port` (0 picks a free port; the port is logged).
 */
async function keeperDaemonCommand(args: ParsedArgs, programId: PublicKey, rpc: () => Connection): Promise<number> {
  const authority = loadKeypair(flag(args, "keypair"));
  const connection = rpc();
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
    log("error", "fatal", { kind, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  };
  process.on("unhandledRejection", onStray("unhandledRejection"));
  process.on("uncaughtException", onStray("uncaughtException"));
  const metricsPort = optionalInteger(args, "metrics-port");
  const server = metricsPort === undefined ? null : await serveMetrics(metrics.registry, metricsPort, args.flags.has("metrics-host") ? flag(args, "metrics-host") : "127.0.0.1");
  if (server) log("info", "metrics_listening", { port: server.port });
  const intervalMs = optionalInteger(args, "interval-ms");
  const maxMarkets = optionalInteger(args, "max-markets");
  const daemon = new KeeperDaemon({
    chain: connectionChain(connection, authority),
    connection,
    authority,
    programId,
    metrics,
    log,
    signal: controller.signal,
    once: args.flags.has("once"),
    probe: args.flags.has("probe"),
    ...(args.flags.has("probe-shards") ? { probeShards: flag(args, "probe-shards").split(",").map((x) => Number(parseInteger(x.trim(), "--probe-shards"))) } : {}),
    ...(optionalInteger(args, "probe-interval-ms") === undefined ? {} : { probeIntervalMs: optionalInteger(args, "probe-interval-ms")! }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(maxMarkets === undefined ? {} : { maxMarkets }),
    ...(args.flags.has("register-stake") ? { registerStake: parseInteger(flag(args, "register-stake"), "--register-stake") } : {}),
  });
  try {
    await daemon.run();
  } finally {
    await server?.close();
  }
  return 0;
}

/** `localnet start|stop|status|reset`: text by default, one JSON object with `--json`. */
async function localnetCommand(args: ParsedArgs): Promise<number> {
  const sub = args.positional[1];
  if (args.positional.length !== 2 || !["start", "stop", "status", "reset"].includes(sub ?? "")) {
    throw new Error("usage: localnet start|stop|status|reset [--ledger DIR] [--rpc-port N] [--json]");
  }
  const json = args.flags.has("json");
  const text = (name: string): string | undefined => (args.flags.has(name) ? flag(args, name) : undefined);
  const opts: LocalnetOptions = {
    // Progress goes to stderr, so stdout carries only the result.
    log: (m) => console.error(`[localnet] ${m}`),
  };
  const set = <K extends keyof LocalnetOptions>(key: K, value: LocalnetOptions[K] | undefined): void => {
    if (value !== undefined) opts[key] = value;
  };
  set("ledger", text("ledger"));
  set("rpcPort", optionalInteger(args, "rpc-port"));
  set("wsPort", optionalInteger(args, "ws-port"));
  set("slotTimeMs", optionalInteger(args, "slot-time-ms"));
  set("keypair", text("keypair"));
  set("programKeypair", text("program-keypair"));
  set("so", text("so"));
  set("config", text("config"));
  const result =
    sub === "start" ? await localnetStart(opts) : sub === "reset" ? await localnetReset(opts) : sub === "stop" ? await localnetStop(opts) : await localnetStatus(opts);
  console.log(json ? JSON.stringify(result) : formatTable(["field", "value"], Object.entries(result).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]), ["l", "l"]));
  return sub === "status" && !(result as { running: boolean }).running ? 3 : 0;
}

/** Whether this module is the process's entry script. */
function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

// Exit explicitly: a web3.js Connection keeps its websocket (and so the event loop) open after
// the command is done. stdout/stderr writes to files and pipes are synchronous on Linux.
if (isEntry()) process.exit(await main(process.argv.slice(2)));
