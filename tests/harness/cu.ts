/**
 * Compute-unit ledger. Tests call `recordCu` with what the runtime reported; each test file's
 * entries go to `target/cu/<file>.json`, and the global teardown (`tests/setup/global.ts`)
 * merges them into `docs/compute-units.md`. Ceilings are asserted where they are recorded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { RuntimeName, TestRuntime, TxResult } from "./runtime.js";
import type { TokenKind } from "./token.js";

export const CU_DIR = fileURLToPath(new URL("../../target/cu/", import.meta.url));

export interface CuEntry {
  instruction: string;
  /** What varies the cost (e.g. "N = 101"), or "". */
  variant: string;
  runtime: RuntimeName;
  /** Token program of the collateral, for instructions that move money ("" for the others). */
  token: TokenKind | "";
  cu: number;
  ceiling: number;
  goal: number;
}

const entries: CuEntry[] = [];

/** Ceilings (asserted) and goals (reported) per instruction, from docs/design.md §6. */
export const CU_BUDGET = {
  initialize_config: { ceiling: 30_000, goal: 10_000 },
  // Sharding (docs/design.md §6 rows: assign shard / create market, rebalance vote, migrate one
  // market; the other ceilings are ours: account-creating instructions pay one PDA search and
  // one System CPI, ~3.5k CU; the rest are plain account updates).
  // Admin-only, once per shard; the worst shard id of 255 searches 12 bumps (~310 CU each) and
  // a pre-funded address costs two more System CPIs.
  init_shard: { ceiling: 15_000, goal: 5_000 },
  register_market: { ceiling: 5_000, goal: 1_500 },
  deposit_collateral: { ceiling: 5_000, goal: 2_500 },
  withdraw_collateral: { ceiling: 5_000, goal: 2_500 },
  register_keeper: { ceiling: 10_000, goal: 5_000 },
  unregister_keeper: { ceiling: 2_000, goal: 1_000 },
  withdraw_stake: { ceiling: 2_000, goal: 1_000 },
  report_contention: { ceiling: 2_000, goal: 1_000 },
  propose_rebalance: { ceiling: 15_000, goal: 8_000 },
  vote_rebalance: { ceiling: 10_000, goal: 2_000 },
  /** Per market moved: the ceiling and goal are multiplied by the batch size. */
  execute_rebalance: { ceiling: 20_000, goal: 8_000 },
  close_proposal: { ceiling: 2_000, goal: 1_000 },
  // L2 AMM (DESIGN §6). Trade and edit: N = 101 rows; other grids are recorded with
  // ceilings scaled in tests/amm/cu.test.ts.
  /** `trade`, range direction (buys and sells); a first trade adds the Position's creation
   *  (`FIRST_TRADE_CREATION_CU` in tests/amm/cu.test.ts). */
  trade: { ceiling: 12_000, goal: 8_000 },
  /** `trade`, range buy or sell at N = 101 on a market whose curve values exceed 2^34. */
  trade_large_cap: { ceiling: 20_000, goal: 8_000 },
  /** `trade`, unwind direction. */
  trade_unwind: { ceiling: 12_000, goal: 10_000 },
  /** `trade`, a belief shape (a Normal: one exp per point in its support). */
  trade_normal: { ceiling: 80_000, goal: 40_000 },
  /** `trade`, a 4-component mixture belief (four exps per point). */
  trade_mixture: { ceiling: 200_000, goal: 40_000 },
  edit_distribution: { ceiling: 10_000, goal: 5_000 },
  create_market: { ceiling: 1_400_000, goal: 200_000 },
  open_market: { ceiling: 10_000, goal: 5_000 },
  resolve_market: { ceiling: 5_000, goal: 2_000 },
  claim: { ceiling: 10_000, goal: 3_000 },
  claim_lp: { ceiling: 10_000, goal: 3_000 },
  cancel_market: { ceiling: 5_000, goal: 2_000 },
} as const satisfies Record<string, { ceiling: number; goal: number }>;

/**
 * Token-program CPIs each money instruction makes (`TransferChecked`; `init_shard`:
 * `InitializeAccount3` plus the vault's creation). Their cost depends on the runtime and the
 * token program far more than on this program, so ceilings add an allowance per CPI.
 */
export const TOKEN_CPIS: Record<string, number> = {
  init_shard: 1,
  create_market: 1,
  trade: 1,
  claim: 1,
  claim_lp: 1,
  close_market: 1,
  deposit_collateral: 1,
  withdraw_collateral: 1,
  // One TransferChecked per batch, whatever its size.
  execute_rebalance: 1,
};

/**
 * Allowance per token CPI (the invoke itself, account serialization, the token program's own
 * work): LiteSVM runs the p-token build of SPL Token (~105 CU per TransferChecked) and a
 * current Token-2022 (~2,000 CU); bankrun's 1.18 runtime ships the original programs
 * (~6,200 and ~7,900 CU).
 */
export const TOKEN_CPI_ALLOWANCE: Record<RuntimeName, Record<TokenKind, number>> = {
  litesvm: { token: 2_500, "token-2022": 4_500 },
  bankrun: { token: 8_000, "token-2022": 10_000 },
};

/** The ceiling of `instruction` on `rt`: its own budget plus the token CPIs it makes. */
export function ceilingOn(rt: TestRuntime, instruction: string, ceiling: number): number {
  const cpis = TOKEN_CPIS[instruction] ?? 0;
  if (cpis === 0 || !rt.hasCollateral) return ceiling;
  return ceiling + cpis * TOKEN_CPI_ALLOWANCE[rt.name][rt.collateral.kind];
}

/**
 * Records the CU of a successful transaction holding one instruction and asserts its ceiling
 * (for instructions that move money, per runtime and token program: `ceilingOn`).
 */
export function recordCu(
  file: string,
  rt: TestRuntime,
  instruction: keyof typeof CU_BUDGET | string,
  result: TxResult,
  budget: { ceiling: number; goal: number },
  variant = "",
): void {
  const runtime = rt.name;
  const token: TokenKind | "" = TOKEN_CPIS[instruction] && rt.hasCollateral ? rt.collateral.kind : "";
  const ceiling = ceilingOn(rt, instruction, budget.ceiling);
  expect(result.ok, `${instruction} failed: ${result.error}\n${result.logs.join("\n")}`).toBe(true);
  expect(result.cu).toBeGreaterThan(0);
  expect(result.cu, `${instruction} ${variant} on ${runtime} (${token || "no token CPI"})`).toBeLessThanOrEqual(ceiling);
  entries.push({ instruction, variant, runtime, token, cu: result.cu, ceiling, goal: budget.goal });
  mkdirSync(CU_DIR, { recursive: true });
  writeFileSync(path.join(CU_DIR, `${path.basename(file)}.json`), JSON.stringify(entries, null, 1));
}
