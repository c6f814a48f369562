/**
 * `continuum market create|list|show|quote|trade|sell|resolve|cancel|plot`.
 */
import { PublicKey } from "@solana/web3.js";
import { Command, Option } from "commander";
import { writeFileSync } from "node:fs";
import type { AmmMarketAccount } from "../accounts/amm.js";
import { MarketStatus } from "../accounts/market.js";
import { rangeIndices } from "../amm/price.js";
import { formatAmount } from "../collateral.js";
import { scanMarkets } from "../daemon/markets.js";
import {
  cancelMarketInstruction,
  computeUnitLimit,
  createMarketInstruction,
  marketDistribution,
  openMarketInstruction,
  resolveMarketInstruction,
  type CreateMarketParams,
} from "../instructions/amm.js";
import { rangeProbability1e9 } from "../math/simpson.js";
import { formatProbability1e9, formatTable } from "../keeper/format.js";
import { findMarketPda, generateMarketKey } from "../pda.js";
import { assignShard } from "../sharding/assign.js";
import { loadEmaAt } from "../sharding/load.js";
import {
  parseDeadline,
  parseDuration,
  parseFraction1e9,
  parseInteger,
  parseIntIn,
  parseNormal,
  parseRange,
  parseTokens,
} from "./args.js";
import { terminalChart } from "./chart.js";
import { action, str, tokenBalance, units, type CliEnv, type Opts } from "./command.js";
import { CliError } from "./errors.js";
import { loadMarket, loadPosition, outcomeAt, statusName, type LoadedMarket } from "./markets.js";
import { parsePublicKey, readKeypair, type CliContext } from "./options.js";
import { describeShape, shapeFromFlags } from "./shapeOptions.js";
import { svgDocument, type LineChart } from "./svg.js";
import { quoteIntent, tradeInstructions, withTradingFee, type TradeIntent, type TradeQuoteView } from "./trading.js";

/** Compute budget of `create_market` (a Normal or mixture costs an `exp` per grid point). */
const CREATE_CU = 1_400_000;

/** A market's state as `show`, `create` and `list` print it. */
export interface MarketView {
  address: string;
  marketKey: string;
  authority: string;
  resolver: string;
  shard: number;
  status: string;
  lo: bigint;
  hi: bigint;
  step: bigint;
  nPoints: number;
  k: bigint;
  b: bigint;
  scale: bigint;
  tradingDeadline: bigint;
  resolutionDeadline: bigint;
  /** The resolved outcome (null unless Resolved). */
  outcome: bigint | null;
  vaultAmount: bigint;
  totalCollateral: bigint;
  paidOut: bigint;
  positionCount: bigint;
  tradeCount: bigint;
  claimCount: bigint;
  lpClaimed: boolean;
  /** Write load EMA (writes per slot x 1,000) at the slot read. */
  loadEmaMilli: bigint;
  curve: bigint[];
}

export function marketView(address: PublicKey, m: AmmMarketAccount, slot: bigint): MarketView {
  return {
    address: address.toBase58(),
    marketKey: new PublicKey(m.marketKey).toBase58(),
    authority: m.authority.toBase58(),
    resolver: m.resolver.toBase58(),
    shard: m.shardId,
    status: statusName(m.status),
    lo: m.lo,
    hi: m.hi,
    step: m.step,
    nPoints: m.nPoints,
    k: m.k,
    b: m.b,
    scale: m.scale,
    tradingDeadline: m.tradingDeadline,
    resolutionDeadline: m.resolutionDeadline,
    outcome: m.status === MarketStatus.Resolved ? m.outcome : null,
    vaultAmount: m.vaultAmount,
    totalCollateral: m.totalCollateral,
    paidOut: m.paidOut,
    positionCount: m.positionCount,
    tradeCount: m.tradeCount,
    claimCount: m.claimCount,
    lpClaimed: m.lpClaimed,
    loadEmaMilli: loadEmaAt(m.load, slot),
    curve: m.curve,
  };
}

/** Probability of one outcome range under the curve. */
export interface RangeProbability {
  from: bigint;
  to: bigint;
  i0: number;
  i1: number;
  probability1e9: bigint;
}

/** `buckets` consecutive groups of grid points covering the grid (their probabilities sum to 1). */
export function bucketRanges(m: AmmMarketAccount, buckets: number): RangeProbability[] {
  const n = m.nPoints;
  const count = Math.max(1, Math.min(buckets, n));
  const out: RangeProbability[] = [];
  for (let k = 0; k < count; k++) {
    const i0 = Math.floor((k * n) / count);
    const i1 = Math.floor(((k + 1) * n) / count) - 1;
    out.push({ from: outcomeAt(m, i0), to: outcomeAt(m, i1), i0, i1, probability1e9: rangeProbability1e9(m.curve, i0, i1) });
  }
  return out;
}

function rangeProbability(m: AmmMarketAccount, text: string): RangeProbability {
  const r = rangeIndices(m, parseRange(text));
  return { from: outcomeAt(m, r.i0), to: outcomeAt(m, r.i1), ...r, probability1e9: rangeProbability1e9(m.curve, r.i0, r.i1) };
}

/** The curve as a terminal chart with the domain and cap underneath. */
export function curveChart(m: Pick<AmmMarketAccount, "lo" | "hi" | "curve">, decimals: number): string {
  const max = m.curve.reduce((a, v) => (v > a ? v : a), 0n);
  return terminalChart(m.curve, { yMaxLabel: formatAmount(max, decimals), xLabels: [m.lo.toString(), m.hi.toString()] });
}

function renderMarket(v: MarketView, decimals: number, extra: [string, string][] = []): string {
  const rows: [string, string][] = [
    ["market", v.address],
    ["market key", v.marketKey],
    ["status", v.status],
    ["shard", v.shard.toString()],
    ["authority", v.authority],
    ["resolver", v.resolver],
    ["domain", `[${v.lo}, ${v.hi}], ${v.nPoints} points, step ${v.step}`],
    ["k (L2 norm)", formatAmount(v.k, decimals)],
    ["b (cap, LP backing)", units(v.b, decimals)],
    ["trading deadline", deadline(v.tradingDeadline)],
    ["resolution deadline", deadline(v.resolutionDeadline)],
    ...(v.outcome === null ? [] : ([["outcome", v.outcome.toString()]] as [string, string][])),
    ["vault", units(v.vaultAmount, decimals)],
    ["traders' collateral", units(v.totalCollateral, decimals)],
    ["positions / trades / claims", `${v.positionCount} / ${v.tradeCount} / ${v.claimCount}`],
    ["load EMA", `${formatAmount(v.loadEmaMilli, 3)} writes/slot`],
    ...extra,
  ];
  return formatTable(["field", "value"], rows, ["l", "l"]);
}

function deadline(unix: bigint): string {
  const ms = Number(unix) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? `${unix} (${new Date(ms).toISOString()})` : unix.toString();
}

function renderRanges(ranges: RangeProbability[]): string {
  return formatTable(
    ["range", "grid", "probability"],
    ranges.map((r) => [`[${r.from}, ${r.to}]`, `${r.i0}..=${r.i1}`, formatProbability1e9(r.probability1e9)]),
  );
}

/** The trade a quote/trade/sell/plot command describes. */
async function intentOf(ctx: CliContext, m: AmmMarketAccount, opts: Opts, side: "buy" | "sell"): Promise<TradeIntent> {
  const decimals = (await ctx.config()).collateralDecimals;
  const amount = (): bigint => {
    const a = str(opts, "amount");
    if (a === undefined) throw new CliError("--amount <tokens> is required with --range and --normal");
    const v = parseTokens(a, decimals, "--amount");
    if (v === 0n) throw new CliError("--amount must be positive");
    return v;
  };
  const kinds = [opts.unwind === true, str(opts, "normal") !== undefined, str(opts, "range") !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new CliError("choose one of --range a:b --amount X, --normal mu,sigma --amount X, --unwind [--fraction F]");
  if (opts.unwind === true) return { kind: "unwind", fraction1e9: parseFraction1e9(str(opts, "fraction") ?? "1") };
  if (str(opts, "fraction") !== undefined) throw new CliError("--fraction goes with --unwind");
  if (str(opts, "normal") !== undefined) {
    if (side === "sell") throw new CliError("a Normal belief is bought (market trade --normal); sell with --range or --unwind");
    return { kind: "normal", belief: parseNormal(str(opts, "normal")!), amount: amount() };
  }
  rangeIndices(m, parseRange(str(opts, "range")!)); // named InvalidRange before any quote
  return { kind: "range", side, range: parseRange(str(opts, "range")!), amount: amount() };
}

/** The quoting trader: `--owner`, else the wallet when there is one (null: no position). */
function quoter(ctx: CliContext, opts: Opts): PublicKey | null {
  const owner = str(opts, "owner");
  if (owner !== undefined) return parsePublicKey(owner, "--owner");
  return ctx.hasWallet() ? ctx.payer.publicKey : null;
}

function renderQuote(q: TradeQuoteView, decimals: number): string {
  const u = (v: bigint): string => units(v, decimals);
  const rows: [string, string][] = [
    ["kind", `${q.kind} (${q.side})`],
    ...(q.range ? ([["range", `[${q.range.from}, ${q.range.to}] (grid ${q.range.i0}..=${q.range.i1})`]] as [string, string][]) : []),
    ["pay", u(q.pay)],
    ["refund", u(q.refund)],
    ["fee", u(q.fee)],
    ["collateral before", u(q.collateralBefore)],
    ["collateral after", u(q.collateralAfter)],
    ...(q.probabilityBefore === null ? [] : ([["probability before", formatProbability1e9(q.probabilityBefore)]] as [string, string][])),
    ...(q.probabilityAfter === null ? [] : ([["probability after", formatProbability1e9(q.probabilityAfter)]] as [string, string][])),
    ...(q.payoffInRange === null ? [] : ([["payout if in range (min)", u(q.payoffInRange)]] as [string, string][])),
    ...(q.payoffOutOfRange === null ? [] : ([["payout if out of range (max)", u(q.payoffOutOfRange)]] as [string, string][])),
    ["expected cost", u(q.expectedCost)],
    ["t", q.t.toString()],
    ["c (canonical scale)", q.c.toString()],
    ["trade index", q.tradeIndex.toString()],
  ];
  return formatTable(["quote", "value"], rows, ["l", "l"]);
}

/** The quote JSON: the view without the (long) curves unless asked for. */
function quoteJson(q: TradeQuoteView): Omit<TradeQuoteView, "curveBefore" | "curveAfter"> & { curveAfter: bigint[] } {
  const { curveBefore: _b, ...rest } = q;
  return rest;
}

async function createCommand(ctx: CliContext, opts: Opts) {
  const config = await ctx.config();
  const collateral = await ctx.collateral();
  const decimals = config.collateralDecimals;
  const { shape, points } = shapeFromFlags({
    normal: str(opts, "normal"),
    uniform: str(opts, "uniform"),
    mixture: str(opts, "mixture"),
    preset: str(opts, "preset"),
    shapeFile: str(opts, "shapeFile"),
  });
  const need = (name: string, flag: string): string => {
    const v = str(opts, name);
    if (v === undefined) throw new CliError(`${flag} is required`);
    return v;
  };
  const lo = parseInteger(need("lo", "--lo"), "--lo");
  const hi = parseInteger(need("hi", "--hi"), "--hi");
  const nPoints = parseIntIn(str(opts, "points") ?? "101", "--points", 3, 615);
  const k = parseTokens(need("k", "--k"), decimals, "--k");
  const b = parseTokens(need("b", "--b"), decimals, "--b");
  const feeBps = parseIntIn(str(opts, "feeBps") ?? "0", "--fee-bps", 0, 10_000);
  if (str(opts, "tradingDeadline") !== undefined && str(opts, "tradingDuration") !== undefined) throw new CliError("give --trading-deadline or --trading-duration, not both");
  if (str(opts, "resolutionDeadline") !== undefined && str(opts, "resolutionDuration") !== undefined) throw new CliError("give --resolution-deadline or --resolution-duration, not both");
  const now = await ctx.chainTime();
  const tradingDeadline =
    str(opts, "tradingDeadline") !== undefined ? parseDeadline(str(opts, "tradingDeadline")!, "--trading-deadline") : now + parseDuration(str(opts, "tradingDuration") ?? "7d", "--trading-duration");
  const resolutionDeadline =
    str(opts, "resolutionDeadline") !== undefined
      ? parseDeadline(str(opts, "resolutionDeadline")!, "--resolution-deadline")
      : tradingDeadline + parseDuration(str(opts, "resolutionDuration") ?? "1d", "--resolution-duration");
  const marketKey = str(opts, "marketKeypair") !== undefined ? readKeypair(str(opts, "marketKeypair")!) : generateMarketKey(ctx.programId);
  const authority = ctx.payer;
  const resolver = str(opts, "resolver") !== undefined ? parsePublicKey(str(opts, "resolver")!, "--resolver") : authority.publicKey;
  const params = withTradingFee(
    { marketKey, lo, hi, nPoints, k, b, tradingDeadline, resolutionDeadline, resolver, shape, points },
    feeBps,
  ) satisfies CreateMarketParams;
  // The SDK's projection first: a shape the program would refuse fails here, named, unsent.
  const distribution = marketDistribution(params);
  const shardId = assignShard(marketKey.publicKey.toBytes(), config.shardCount);
  const create = await ctx.send(
    "create_market",
    [computeUnitLimit(CREATE_CU), createMarketInstruction(authority.publicKey, { ...params, scale: distribution.c }, config.shardCount, collateral, { programId: ctx.programId })],
    [marketKey],
  );
  const [address] = findMarketPda(marketKey.publicKey, ctx.programId);
  let open: string | null = null;
  if (opts.open !== false) open = await ctx.send("open_market", [openMarketInstruction(authority.publicKey, address, shardId, ctx.programId)]);
  const { market } = await loadMarket(ctx, address.toBase58());
  const result = {
    ...marketView(address, market, await ctx.reader.getSlot()),
    shape: describeShape(shape),
    feeBps,
    signatures: { create, open },
  };
  return {
    result,
    text: (r: typeof result) => `${renderMarket(r, decimals, [["shape", r.shape], ["scale c", r.scale.toString()]])}\n\n${curveChart(market, decimals)}`,
  };
}

async function listCommand(ctx: CliContext, opts: Opts) {
  const decimals = (await ctx.config()).collateralDecimals;
  const scan = await scanMarkets(ctx.connection, ctx.programId);
  const slot = await ctx.reader.getSlot();
  const status = str(opts, "status");
  const shard = str(opts, "shard") === undefined ? undefined : parseIntIn(str(opts, "shard")!, "--shard", 0, 254);
  const markets = [...scan.amm.values()]
    .filter((m) => (status === undefined || statusName(m.status).toLowerCase() === status.toLowerCase()) && (shard === undefined || m.shardId === shard))
    .map((m) => {
      const { curve: _c, ...v } = marketView(findMarketPda(m.marketKey, ctx.programId)[0], m, slot);
      return v;
    })
    .sort((a, b) => (a.address < b.address ? -1 : 1));
  const result = { markets, count: markets.length };
  return {
    result,
    text: (r: typeof result) =>
      r.markets.length === 0
        ? "no markets"
        : formatTable(
            ["market", "status", "shard", "domain", "points", "b (tokens)", "collateral (tokens)", "trades"],
            r.markets.map((m) => [m.address, m.status, m.shard.toString(), `[${m.lo}, ${m.hi}]`, m.nPoints.toString(), formatAmount(m.b, decimals), formatAmount(m.totalCollateral, decimals), m.tradeCount.toString()]),
          ),
  };
}

async function showCommand(ctx: CliContext, marketArg: string, opts: Opts) {
  const decimals = (await ctx.config()).collateralDecimals;
  const { address, market } = await loadMarket(ctx, marketArg);
  const ranges = ((opts.range as string[] | undefined) ?? []).map((r) => rangeProbability(market, r));
  const buckets = bucketRanges(market, parseIntIn(str(opts, "buckets") ?? "4", "--buckets", 1, 615));
  const result = { ...marketView(address, market, await ctx.reader.getSlot()), ranges, buckets };
  return {
    result,
    text: (r: typeof result) =>
      [renderMarket(r, decimals), ...(r.ranges.length ? [renderRanges(r.ranges)] : []), renderRanges(r.buckets), curveChart(market, decimals)].join("\n\n"),
  };
}

async function quoteCommand(ctx: CliContext, marketArg: string, opts: Opts) {
  const decimals = (await ctx.config()).collateralDecimals;
  const { address, market } = await loadMarket(ctx, marketArg);
  const owner = quoter(ctx, opts);
  const position = owner ? (await loadPosition(ctx, address, owner)).position : null;
  const q = quoteIntent(market, position, await intentOf(ctx, market, opts, opts.sell === true ? "sell" : "buy"));
  const result = { market: address.toBase58(), owner: owner?.toBase58() ?? null, ...quoteJson(q) };
  return { result, text: () => renderQuote(q, decimals) };
}

async function tradeCommand(ctx: CliContext, marketArg: string, opts: Opts, side: "buy" | "sell") {
  const config = await ctx.config();
  const collateral = await ctx.collateral();
  const { address, market } = await loadMarket(ctx, marketArg);
  const trader = ctx.payer;
  const { position } = await loadPosition(ctx, address, trader.publicKey);
  const intent = await intentOf(ctx, market, opts, side);
  const bounds = {
    ...(str(opts, "maxIn") === undefined ? {} : { maxIn: parseTokens(str(opts, "maxIn")!, config.collateralDecimals, "--max-in") }),
    ...(str(opts, "minOut") === undefined ? {} : { minOut: parseTokens(str(opts, "minOut")!, config.collateralDecimals, "--min-out") }),
  };
  const { quote, instructions } = tradeInstructions(market, address, trader.publicKey, intent, collateral, ctx.programId, position, bounds);
  const before = await tokenBalance(ctx, trader.publicKey, collateral);
  const signature = await ctx.send(side === "buy" ? "trade" : "sell", instructions);
  const after = await tokenBalance(ctx, trader.publicKey, collateral);
  const positionAfter = (await loadPosition(ctx, address, trader.publicKey)).position;
  const result = {
    market: address.toBase58(),
    trader: trader.publicKey.toBase58(),
    signature,
    quote: quoteJson(quote),
    /** Token balance change of the trader (negative: paid). */
    balanceChange: after - before,
    position: positionAfter ? { collateral: positionAfter.collateral, tradeCount: positionAfter.tradeCount, payoff: positionAfter.payoff } : null,
  };
  return {
    result,
    text: (r: typeof result) => `${renderQuote(quote, config.collateralDecimals)}\n\nsent ${r.signature}; balance change ${units(r.balanceChange, config.collateralDecimals)}`,
  };
}

async function resolveCommand(ctx: CliContext, marketArg: string, opts: Opts) {
  const { address, market } = await loadMarket(ctx, marketArg);
  const outcome = parseInteger(str(opts, "outcome") ?? "", "--outcome");
  const signature = await ctx.send("resolve_market", [resolveMarketInstruction(ctx.payer.publicKey, address, market.shardId, outcome, ctx.programId)]);
  const after = (await loadMarket(ctx, address.toBase58())).market;
  const result = { market: address.toBase58(), outcome, status: statusName(after.status), signature };
  return { result, text: (r: typeof result) => `market ${r.market} resolved at ${r.outcome} (${r.status}); ${r.signature}` };
}

async function cancelCommand(ctx: CliContext, marketArg: string) {
  const { address, market } = await loadMarket(ctx, marketArg);
  const signature = await ctx.send("cancel_market", [cancelMarketInstruction(ctx.payer.publicKey, address, market.shardId, ctx.programId)]);
  const after = (await loadMarket(ctx, address.toBase58())).market;
  const result = { market: address.toBase58(), status: statusName(after.status), signature };
  return { result, text: (r: typeof result) => `market ${r.market} ${r.status}; ${r.signature}` };
}

/** The charts of `market plot`: the curve (and after a quoted trade), and the payoff profile. */
export function plotCharts(m: LoadedMarket, decimals: number, position: { collateral: bigint; payoff: bigint[] } | null, quote: TradeQuoteView | null): LineChart[] {
  const { market } = m;
  const xs = Array.from({ length: market.nPoints }, (_, i) => Number(outcomeAt(market, i)));
  const tokens = (v: bigint): number => Number(v) / 10 ** decimals;
  const curve: LineChart = {
    title: `Market ${m.address.toBase58().slice(0, 8)}…: curve f${quote ? " before and after the quoted trade" : ""}`,
    xs,
    xLabel: "outcome",
    yLabel: "tokens",
    series: [
      { label: quote ? "before" : "f (now)", values: market.curve.map(tokens), color: "#1f77b4", dashed: quote !== null },
      ...(quote ? [{ label: "after", values: quote.curveAfter.map(tokens), color: "#d62728" }] : []),
      ...(quote ? [] : [{ label: "f0 (at open)", values: market.initialCurve.map(tokens), color: "#999999", dashed: true }]),
    ],
  };
  const payout = (coll: bigint, p: readonly bigint[]): number[] => p.map((v) => tokens(coll + v));
  const series = [
    ...(position ? [{ label: "position now", values: payout(position.collateral, position.payoff), color: "#1f77b4", dashed: quote !== null }] : []),
    ...(quote ? [{ label: "after the trade", values: payout(quote.collateralAfter, quote.payoffAfter), color: "#d62728" }] : []),
  ];
  const charts = [curve];
  if (series.length > 0) {
    charts.push({ title: "Payoff profile: payout if the outcome is x (collateral + payoff)", xs, xLabel: "outcome", yLabel: "tokens", series, zeroLine: true });
  }
  return charts;
}

async function plotCommand(ctx: CliContext, marketArg: string, opts: Opts) {
  const decimals = (await ctx.config()).collateralDecimals;
  const out = str(opts, "out");
  if (!out) throw new CliError("--out <file.svg> is required");
  const loaded = await loadMarket(ctx, marketArg);
  const owner = quoter(ctx, opts);
  const position = owner ? (await loadPosition(ctx, loaded.address, owner)).position : null;
  const wantsQuote = opts.unwind === true || str(opts, "range") !== undefined || str(opts, "normal") !== undefined;
  const quote = wantsQuote ? quoteIntent(loaded.market, position, await intentOf(ctx, loaded.market, opts, opts.sell === true ? "sell" : "buy")) : null;
  const charts = plotCharts(loaded, decimals, position, quote);
  const svg = svgDocument(charts);
  writeFileSync(out, svg);
  const result = { market: loaded.address.toBase58(), out, bytes: Buffer.byteLength(svg), panels: charts.map((c) => c.title), series: charts.flatMap((c) => c.series.map((s) => s.label)), quote: quote ? quoteJson(quote) : null };
  return { result, text: (r: typeof result) => `wrote ${r.out} (${r.bytes} bytes): ${r.panels.join("; ")}` };
}

/** Options of the commands that describe a trade. */
function tradeOptions(cmd: Command, sell: boolean): Command {
  cmd
    .option("--range <a:b>", `outcome range to ${sell ? "sell" : "buy"} (integers, inclusive)`)
    .option("--amount <tokens>", sell ? "refund to receive (tokens, after the fee): the smallest sale that reaches it" : "budget (tokens, fee included): the largest trade whose payment fits")
    .option("--unwind", "close (part of) the position: its own payoff vector, reversed")
    .option("--fraction <f>", "share of the position to unwind, in (0, 1] (default 1)");
  if (!sell) cmd.option("--normal <mu,sigma>", "move the market toward a Normal belief");
  return cmd;
}

export function marketCommands(env: CliEnv): Command {
  const market = new Command("market").description("create, inspect, quote, trade and settle distribution markets");

  market
    .command("create")
    .description("create a market (and open it for trading): a shape on an outcome grid, the cap b and the L2 norm k")
    .option("--normal <mu,sigma>", "Normal shape (outcome units, decimals allowed)")
    .option("--uniform <a:b>", "Uniform shape on [a, b]")
    .option("--mixture <components>", 'mixture of Normals: "mu,sigma,weight;mu,sigma,weight" (1 to 4)')
    .addOption(new Option("--preset <name>", "preset shape").choices(["trimodal-election", "election", "skewed-launch", "launch", "leptokurtic-indicator", "indicator"]))
    .option("--shape-file <file>", "shape as JSON (see the README)")
    .option("--lo <x>", "lowest outcome (integer)")
    .option("--hi <x>", "highest outcome (integer; hi - lo divisible by points - 1)")
    .option("--points <n>", "grid points (odd, 3..=615)", "101")
    .option("--k <tokens>", "L2 norm of the curve (tokens)")
    .option("--b <tokens>", "cap of every grid value and the LP's backing (tokens; the authority pays it)")
    .option("--fee-bps <bps>", "trading fee (basis points, at most 1000)", "0")
    .option("--trading-deadline <time>", "end of trading: unix seconds or ISO date")
    .option("--trading-duration <dur>", "end of trading from now (chain time): 90s, 30m, 12h, 7d (default 7d)")
    .option("--resolution-deadline <time>", "end of the resolution window: unix seconds or ISO date")
    .option("--resolution-duration <dur>", "end of the resolution window after the trading deadline (default 1d)")
    .option("--resolver <pubkey>", "who reports the outcome (default: the wallet)")
    .option("--market-keypair <file>", "the market key (default: a fresh one whose Market PDA has bump 255)")
    .option("--no-open", "leave the market in Setup (the authority can still edit the curve)")
    .action(action(env, (ctx, _a, opts) => createCommand(ctx, opts)));

  market
    .command("list")
    .description("every market of the program (getProgramAccounts)")
    .option("--status <status>", "only markets in this status (Setup, Open, Resolved, Cancelled)")
    .option("--shard <id>", "only markets on this shard")
    .action(action(env, (ctx, _a, opts) => listCommand(ctx, opts)));

  market
    .command("show")
    .description("a market's state, the probability of outcome ranges and a chart of its curve")
    .argument("<market>", "market key or Market address")
    .option("--range <a:b>", "probability of this outcome range (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--buckets <n>", "split the domain into n ranges", "4")
    .action(action(env, (ctx, [m], opts) => showCommand(ctx, m!, opts)));

  tradeOptions(
    market
      .command("quote")
      .description("quote a trade without sending it: pay or refund, fee, collateral, probabilities, expected cost")
      .argument("<market>", "market key or Market address")
      .option("--sell", "quote selling the range instead of buying it")
      .option("--owner <pubkey>", "whose position the quote nets against (default: the wallet)"),
    false,
  ).action(action(env, (ctx, [m], opts) => quoteCommand(ctx, m!, opts)));

  tradeOptions(
    market
      .command("trade")
      .description("buy a range or a Normal belief (or unwind with --unwind) at the quoted price")
      .argument("<market>", "market key or Market address")
      .option("--max-in <tokens>", "largest payment accepted (default: exactly the quote)"),
    false,
  ).action(action(env, (ctx, [m], opts) => tradeCommand(ctx, m!, opts, "buy")));

  tradeOptions(
    market
      .command("sell")
      .description("sell a range, or unwind (part of) the position, for a refund")
      .argument("<market>", "market key or Market address")
      .option("--min-out <tokens>", "smallest refund accepted (default: exactly the quote)"),
    true,
  ).action(action(env, (ctx, [m], opts) => tradeCommand(ctx, m!, opts, "sell")));

  market
    .command("resolve")
    .description("report the outcome (the resolver, between the trading and the resolution deadline)")
    .argument("<market>", "market key or Market address")
    .requiredOption("--outcome <x>", "the outcome (integer, inside the domain)")
    .action(action(env, (ctx, [m], opts) => resolveCommand(ctx, m!, opts)));

  market
    .command("cancel")
    .description("cancel an unresolved market after its resolution deadline (everyone gets their collateral back)")
    .argument("<market>", "market key or Market address")
    .action(action(env, (ctx, [m]) => cancelCommand(ctx, m!)));

  tradeOptions(
    market
      .command("plot")
      .description("SVG of the curve (before and after a quoted trade) and of the payoff profile")
      .argument("<market>", "market key or Market address")
      .requiredOption("--out <file.svg>", "where to write the SVG")
      .option("--sell", "plot selling the range")
      .option("--owner <pubkey>", "whose position to plot (default: the wallet)"),
    false,
  ).action(action(env, (ctx, [m], opts) => plotCommand(ctx, m!, opts)));

  return market;
}
