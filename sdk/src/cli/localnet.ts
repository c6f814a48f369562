/** `continuum localnet start|stop|status|reset`: a local Surfpool network with the program. */
import { Command } from "commander";
import { formatTable } from "../keeper/format.js";
import { localnetReset, localnetStart, localnetStatus, localnetStop, type LocalnetOptions } from "../localnet/commands.js";
import { parseIntIn } from "./args.js";
import { action, str, type CliEnv, type Opts } from "./command.js";
import type { GlobalOptions } from "./options.js";

function table(result: object): string {
  return formatTable(["field", "value"], Object.entries(result).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]), ["l", "l"]);
}

function localnetOptions(opts: Opts, log: (m: string) => void): LocalnetOptions {
  const out: LocalnetOptions = { log };
  const global = opts as GlobalOptions;
  const port = (name: string, flag: string): number | undefined => (str(opts, name) === undefined ? undefined : parseIntIn(str(opts, name)!, flag, 1, 65_535));
  if (global.ledger !== undefined) out.ledger = global.ledger;
  if (global.keypair !== undefined) out.keypair = global.keypair;
  const rpcPort = port("rpcPort", "--rpc-port");
  if (rpcPort !== undefined) out.rpcPort = rpcPort;
  const wsPort = port("wsPort", "--ws-port");
  if (wsPort !== undefined) out.wsPort = wsPort;
  if (str(opts, "slotTimeMs") !== undefined) out.slotTimeMs = parseIntIn(str(opts, "slotTimeMs")!, "--slot-time-ms", 1, 60_000);
  if (str(opts, "programKeypair") !== undefined) out.programKeypair = str(opts, "programKeypair")!;
  if (str(opts, "so") !== undefined) out.so = str(opts, "so")!;
  if (str(opts, "config") !== undefined) out.config = str(opts, "config")!;
  return out;
}

export function localnetCommands(env: CliEnv): Command {
  const localnet = new Command("localnet").description("a local Surfpool network with the program deployed (state under --ledger)");
  const starter = (name: "start" | "reset", description: string) =>
    localnet
      .command(name)
      .description(description)
      .option("--rpc-port <port>", "RPC port (websocket on the next one)", "8899")
      .option("--ws-port <port>", "websocket port")
      .option("--slot-time-ms <ms>", "slot duration", "400")
      .option("--program-keypair <file>", "program keypair (default keys/continuum-program-keypair.json)")
      .option("--so <file>", "program ELF (default target/deploy/continuum.so)")
      .option("--config <json>", 'initialize_config overrides, e.g. \'{"shardCount":4}\'')
      .action(
        action(env, async (_ctx, _a, opts) => {
          const o = localnetOptions(opts, (m) => env.io.err(`[localnet] ${m}`));
          const result = name === "start" ? await localnetStart(o) : await localnetReset(o);
          return { result, text: table };
        }),
      );
  starter("start", "build the launcher if needed, start the network, deploy, initialize config and shards, fund the wallet");
  starter("reset", "stop, wipe the ledger, start afresh");
  localnet
    .command("stop")
    .description("SIGTERM the validator (the ledger is kept: start resumes it)")
    .action(action(env, async (_ctx, _a, opts) => ({ result: await localnetStop(localnetOptions(opts, () => {})), text: table })));
  localnet
    .command("status")
    .description("running? url, slot, program deployed, upgrade authority (exit code 3 when not running)")
    .action(
      action(env, async (_ctx, _a, opts) => {
        const result = await localnetStatus(localnetOptions(opts, () => {}));
        return { result, text: table, exitCode: result.running ? 0 : 3 };
      }),
    );
  return localnet;
}
