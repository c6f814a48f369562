/**
 * The `continuum` command line: `buildProgram` assembles the command tree (one module per
 * group), `main` runs one command line and returns the exit code. Every command takes the
 * global options (`--url`, `--keypair`, `--program-id`, `--json`) and `--help`.
 */
import { Command, CommanderError, Option } from "commander";
import { PROGRAM_ID } from "../constants.js";
import type { CliEnv } from "./command.js";
import { describeError, formatError } from "./errors.js";
import { keeperCommands } from "./keeper.js";
import { localnetCommands } from "./localnet.js";
import { marketCommands } from "./market.js";
import { processIo, toJson, type Io } from "./output.js";
import { DEFAULT_KEYPAIR } from "./options.js";
import { lpCommands, positionCommands } from "./position.js";
import { shardCommands } from "./shard.js";

export const CLI_VERSION = "0.1.0";

/** The whole command tree; output goes to `env.io`. */
export function buildProgram(env: CliEnv): Command {
  const program = new Command("continuum")
    .description("Continuum: sharded continuous-outcome prediction markets on Solana")
    .version(CLI_VERSION)
    .option("-u, --url <url>", "RPC URL or moniker: localhost, devnet, testnet, mainnet-beta (default: the running localnet, else localhost)")
    .option("-k, --keypair <file>", `wallet keypair: fee payer and signer (default: ${DEFAULT_KEYPAIR})`)
    .option("--program-id <pubkey>", `program id (default: ${PROGRAM_ID.toBase58()})`)
    .option("--json", "print one JSON object on stdout (errors too), nothing else")
    .option("--ledger <dir>", "local network directory (default: ~/.continuum/localnet)")
    .addOption(new Option("--rpc <url>", "old spelling of --url").hideHelp())
    .showHelpAfterError(false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  for (const group of [marketCommands, positionCommands, lpCommands, shardCommands, keeperCommands, localnetCommands]) program.addCommand(group(env));
  // Usage errors and --help/--version go through `main`'s catch (no process.exit inside).
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => env.io.out(s.trimEnd()), writeErr: (s) => env.io.err(s.trimEnd()), outputError: () => {} });
    cmd.configureHelp({ showGlobalOptions: true });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Whether argv asks for JSON (also before commander has parsed it: for usage errors). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json");
}

/** Runs one command line (`argv` without node and the script); returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo, inject?: CliEnv["inject"]): Promise<number> {
  const env: CliEnv = { io, exitCode: 0, ...(inject ? { inject } : {}) };
  const program = buildProgram(env);
  try {
    if (argv.length === 0) {
      io.out(program.helpInformation().trimEnd());
      return 0;
    }
    await program.parseAsync([...argv], { from: "user" });
    return env.exitCode;
  } catch (e) {
    if (e instanceof CommanderError && (e.code === "commander.helpDisplayed" || e.code === "commander.version")) return 0;
    // A group without its subcommand (`continuum market`): commander has printed its help as an
    // error (`commander.help`, exit code 1): a usage error, as in the Solana CLI.
    if (e instanceof CommanderError && e.code === "commander.help") return e.exitCode;
    const report = describeError(e);
    io.err(formatError(report));
    if (wantsJson(argv)) io.out(toJson({ error: report }));
    return 1;
  }
}
