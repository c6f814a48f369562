#!/usr/bin/env node
/**
 * The `continuum` executable (`npx tsx sdk/src/cli.ts <command>`, or the `continuum` bin of
 * the built package). The commands live in `cli/`, one module per command group.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { main } from "./cli/index.js";

export { buildProgram, main } from "./cli/index.js";
/** A solana-keygen keypair file (kept for scripts that import it from here). */
export { readKeypair as loadKeypair } from "./cli/options.js";

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
// the command is done. Wait for stdout to drain first: piped output is asynchronous.
if (isEntry()) {
  const code = await main(process.argv.slice(2));
  process.stdout.write("", () => process.exit(code));
}
