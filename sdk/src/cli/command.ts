/**
 * Glue between commander and the commands: each action gets a `CliContext` built from the
 * global options, its own options and its positional arguments; its result is printed by
 * `emit` (text or `--json`).
 */
import { AccountLayout } from "@solana/spl-token";
import type { Keypair, PublicKey } from "@solana/web3.js";
import type { Command } from "commander";
import { collateralTokenAccount, formatAmount, type Collateral } from "../collateral.js";
import type { Chain } from "../keeper/chain.js";
import { emit, type Io } from "./output.js";
import { CliContext, type GlobalOptions } from "./options.js";

/** What the command tree is built with. */
export interface CliEnv {
  io: Io;
  /** A chain and wallet instead of `--url` / `--keypair` (embedded tests). */
  inject?: { chain: Chain; payer: Keypair };
  /** The process exit code a command asks for (0 unless it sets one, e.g. `localnet status`: 3). */
  exitCode: number;
}

/** Options of one command, as commander parsed them (strings and booleans). */
export type Opts = Record<string, string | boolean | string[] | undefined>;

/**
 * A commander action: `run(ctx, positionals, opts)` returns the result and its text
 * rendering; printed as JSON with `--json`.
 */
export function action<T>(env: CliEnv, run: (ctx: CliContext, args: string[], opts: Opts) => Promise<{ result: T; text: (r: T) => string; exitCode?: number }>) {
  return async (...a: unknown[]): Promise<void> => {
    const cmd = a[a.length - 1] as Command;
    // The command's own options with the global ones (`--url`, `--keypair`, `--ledger`, ...).
    const opts = cmd.optsWithGlobals<Opts>();
    const ctx = new CliContext(cmd.optsWithGlobals<GlobalOptions>(), env.io, env.inject);
    const args = a.slice(0, -2).flatMap((x) => (Array.isArray(x) ? (x as string[]) : [x as string]));
    const { result, text, exitCode } = await run(ctx, args, opts);
    emit(env.io, ctx.json, result, text);
    if (exitCode !== undefined) env.exitCode = exitCode;
  };
}

/** A string option (undefined when absent). */
export function str(opts: Opts, name: string): string | undefined {
  const v = opts[name];
  return typeof v === "string" ? v : undefined;
}

/** `owner`'s collateral token balance (base units; 0 when the account doesn't exist). */
export async function tokenBalance(ctx: CliContext, owner: PublicKey, collateral: Collateral): Promise<bigint> {
  const account = await ctx.reader.getAccount(collateralTokenAccount(owner, collateral));
  return account ? AccountLayout.decode(account.data).amount : 0n;
}

/** Base units with the mint's decimals: `1500000 (1.500000 tokens)`. */
export function units(v: bigint, decimals: number): string {
  return `${v} (${formatAmount(v, decimals)} tokens)`;
}
