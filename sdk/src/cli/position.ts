/** `continuum position show|claim` and `continuum lp claim`. */
import { Command } from "commander";
import { marketGrid, type AmmMarketAccount, type PositionAccount } from "../accounts/amm.js";
import { MarketStatus } from "../accounts/market.js";
import { claimInstruction, claimLpInstruction } from "../instructions/amm.js";
import { lpClaim, traderClaim } from "../math/trade.js";
import { createCollateralTokenAccountInstruction } from "../collateral.js";
import { formatTable } from "../keeper/format.js";
import { action, str, tokenBalance, units, type CliEnv } from "./command.js";
import { CliError } from "./errors.js";
import { loadMarket, loadPosition, statusName } from "./markets.js";
import { parsePublicKey } from "./options.js";

/** What a position pays: at the outcome when settled, else its range over the grid. */
export interface PositionValue {
  /** The claim when the market is Resolved (at its outcome) or Cancelled (the collateral). */
  claimable: bigint | null;
  /** Smallest and largest payout over the grid's outcomes (collateral + payoff). */
  payoutMin: bigint;
  payoutMax: bigint;
}

export function positionValue(m: AmmMarketAccount, p: PositionAccount): PositionValue {
  let min = p.payoff[0] ?? 0n;
  let max = min;
  for (const v of p.payoff) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const claimable =
    p.claimed ? 0n : m.status === MarketStatus.Resolved ? traderClaim(p.collateral, p.payoff, marketGrid(m), m.outcome) : m.status === MarketStatus.Cancelled ? p.collateral : null;
  return { claimable, payoutMin: p.collateral + min, payoutMax: p.collateral + max };
}

/** The LP's share: `b - f_T(x*) + f_0(x*)` (plus fees) when Resolved, `b` (plus fees) when Cancelled. */
export function lpValue(m: AmmMarketAccount): bigint | null {
  const fees = (m as AmmMarketAccount & { feesAccrued?: bigint }).feesAccrued ?? 0n;
  if (m.lpClaimed) return 0n;
  if (m.status === MarketStatus.Resolved) return lpClaim(m.b, m.curve, m.initialCurve, marketGrid(m), m.outcome) + fees;
  if (m.status === MarketStatus.Cancelled) return m.b + fees;
  return null;
}

export function positionCommands(env: CliEnv): Command {
  const position = new Command("position").description("a trader's position on a market");
  position
    .command("show")
    .description("collateral, payoff vector and what it pays (at the outcome once settled)")
    .argument("<market>", "market key or Market address")
    .option("--owner <pubkey>", "whose position (default: the wallet)")
    .action(
      action(env, async (ctx, [marketArg], opts) => {
        const decimals = (await ctx.config()).collateralDecimals;
        const { address, market } = await loadMarket(ctx, marketArg!);
        const owner = str(opts, "owner") !== undefined ? parsePublicKey(str(opts, "owner")!, "--owner") : ctx.payer.publicKey;
        const { address: positionAddress, position: p } = await loadPosition(ctx, address, owner);
        if (!p) throw new CliError(`no position of ${owner.toBase58()} on ${address.toBase58()} (never traded, or claimed and closed)`);
        const result = {
          market: address.toBase58(),
          marketStatus: statusName(market.status),
          owner: owner.toBase58(),
          position: positionAddress.toBase58(),
          collateral: p.collateral,
          tradeCount: p.tradeCount,
          claimed: p.claimed,
          ...positionValue(market, p),
          payoff: p.payoff,
        };
        return {
          result,
          text: (r: typeof result) =>
            formatTable(
              ["position", "value"],
              [
                ["position", r.position],
                ["market", `${r.market} (${r.marketStatus})`],
                ["owner", r.owner],
                ["collateral", units(r.collateral, decimals)],
                ["trades", r.tradeCount.toString()],
                ["payout over the grid", `${units(r.payoutMin, decimals)} .. ${units(r.payoutMax, decimals)}`],
                ["claimable", r.claimable === null ? "not settled yet" : units(r.claimable, decimals)],
              ],
              ["l", "l"],
            ),
        };
      }),
    );
  position
    .command("claim")
    .description("claim the position's payout (Resolved) or collateral (Cancelled); closes the position")
    .argument("<market>", "market key or Market address")
    .action(
      action(env, async (ctx, [marketArg]) => {
        const collateral = await ctx.collateral();
        const { address, market } = await loadMarket(ctx, marketArg!);
        const owner = ctx.payer.publicKey;
        const { position: p } = await loadPosition(ctx, address, owner);
        if (!p) throw new CliError(`no position of ${owner.toBase58()} on ${address.toBase58()}`);
        const expected = positionValue(market, p).claimable;
        const before = await tokenBalance(ctx, owner, collateral);
        const signature = await ctx.send("claim", [
          createCollateralTokenAccountInstruction(owner, owner, collateral),
          claimInstruction(owner, address, market.shardId, collateral, { programId: ctx.programId }),
        ]);
        const paid = (await tokenBalance(ctx, owner, collateral)) - before;
        const result = { market: address.toBase58(), owner: owner.toBase58(), paid, expected, signature };
        return { result, text: (r: typeof result) => `claimed ${units(r.paid, collateral.decimals)}; ${r.signature}` };
      }),
    );
  return position;
}

export function lpCommands(env: CliEnv): Command {
  const lp = new Command("lp").description("the market authority's liquidity share");
  lp.command("claim")
    .description("claim the LP share of a settled market (the market's authority)")
    .argument("<market>", "market key or Market address")
    .action(
      action(env, async (ctx, [marketArg]) => {
        const collateral = await ctx.collateral();
        const { address, market } = await loadMarket(ctx, marketArg!);
        const authority = ctx.payer.publicKey;
        const expected = lpValue(market);
        const before = await tokenBalance(ctx, authority, collateral);
        const signature = await ctx.send("claim_lp", [
          createCollateralTokenAccountInstruction(authority, authority, collateral),
          claimLpInstruction(authority, address, market.shardId, collateral, ctx.programId),
        ]);
        const paid = (await tokenBalance(ctx, authority, collateral)) - before;
        const result = { market: address.toBase58(), authority: authority.toBase58(), paid, expected, signature };
        return { result, text: (r: typeof result) => `LP claimed ${units(r.paid, collateral.decimals)}; ${r.signature}` };
      }),
    );
  return lp;
}
