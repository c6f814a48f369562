/**
 * The AMM through `@coral-xyz/anchor`: the IDL's instruction coder produces exactly the SDK's
 * bytes for every AMM instruction and every shape, and a market created, traded and resolved with
 * instructions built by `Program.methods` decodes with the IDL's account and event coders.
 */
import { BN, BorshCoder, EventParser, Program, type Idl } from "@coral-xyz/anchor";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  MARKET_HEADER_LEN,
  decodeAmmMarket,
  encodeCreateMarket,
  encodeEditDistribution,
  encodeShapeParams,
  encodeTrade,
  ANY_TRADE_INDEX,
  decodeTradeExecutedEvents,
  findMarketPda,
  findPositionPda,
  findShardPda,
  findVaultPda,
  generateMarketKey,
  marketKeyBytes,
  marketDistribution,
  PROGRAM_ID,
  quoteMarketBet,
  SCALE_1E9,
  shapeKindOf,
  type ControlPoint,
  type CreateMarketParams,
  type Shape,
} from "../../sdk/src/index.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime } from "../harness/runtime.js";
import { ataOf } from "../harness/token.js";
import { Amm, ok, RESOLUTION_DEADLINE, TRADING_DEADLINE } from "./fixture.js";

const idl = JSON.parse(readFileSync(fileURLToPath(new URL("../../idl/continuum.json", import.meta.url)), "utf8")) as Idl;
const coder = new BorshCoder(idl);

const CUSTOM_POINTS: ControlPoint[] = [
  { x: -500n, y: 100_000_000n },
  { x: 0n, y: 900_000_000n },
  { x: 500n, y: 0n },
];
const SHAPES: [Shape, ControlPoint[]][] = [
  [{ kind: "Normal", mean1e9: -30n * SCALE_1E9, sigma1e9: 120n * SCALE_1E9 }, []],
  [{ kind: "Uniform", a: -200n, b: 250n }, []],
  [
    {
      kind: "Mixture",
      comps: [
        { mean1e9: -200n * SCALE_1E9, sigma1e9: 80n * SCALE_1E9, weight1e9: 600_000_000n },
        { mean1e9: 180n * SCALE_1E9, sigma1e9: 100n * SCALE_1E9, weight1e9: 400_000_000n },
      ],
    },
    [],
  ],
  [{ kind: "TrimodalElection" }, []],
  [{ kind: "SkewedLaunch" }, []],
  [{ kind: "LeptokurticIndicator" }, []],
  [{ kind: "Custom" }, CUSTOM_POINTS],
];

const bn = (v: bigint): BN => new BN(v.toString());

/**
 * `Program` camel-cases the IDL (`mean_1e9` -> `mean1E9`, `uniform_a` -> `uniformA`); the raw
 * `BorshCoder` keeps its snake_case names. Converts an argument object for `Program.methods`.
 */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== "object" || value instanceof BN || value instanceof PublicKey) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/_1e9$/, "1E9").replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), camel(v)]),
  );
}

/** `ShapeParams` as the Anchor coder takes it (snake_case, every array at full length). */
function anchorShape(shape: Shape, points: readonly ControlPoint[]): Record<string, unknown> {
  const comps = shape.kind === "Mixture" ? shape.comps : shape.kind === "Normal" ? [{ ...shape, weight1e9: 0n }] : [];
  return {
    kind: shapeKindOf(shape),
    count: shape.kind === "Mixture" ? comps.length : shape.kind === "Custom" ? points.length : 0,
    components: Array.from({ length: 4 }, (_, i) => ({
      mean_1e9: bn(comps[i]?.mean1e9 ?? 0n),
      sigma_1e9: bn(comps[i]?.sigma1e9 ?? 0n),
      weight_1e9: bn(comps[i]?.weight1e9 ?? 0n),
    })),
    uniform_a: bn(shape.kind === "Uniform" ? shape.a : 0n),
    uniform_b: bn(shape.kind === "Uniform" ? shape.b : 0n),
    points: Array.from({ length: 16 }, (_, i) => ({ x: bn(points[i]?.x ?? 0n), y: bn(points[i]?.y ?? 0n) })),
  };
}

function params(shape: Shape, points: ControlPoint[], resolver: PublicKey): CreateMarketParams {
  return {
    marketKey: generateMarketKey(),
    lo: -500n,
    hi: 500n,
    nPoints: 21,
    k: 40_000_000_000n,
    b: 10_000_000_000n,
    tradingDeadline: TRADING_DEADLINE,
    resolutionDeadline: RESOLUTION_DEADLINE,
    resolver,
    shape,
    points,
  };
}

function createArgs(p: CreateMarketParams): Record<string, unknown> {
  return {
    market_key: [...marketKeyBytes(p.marketKey)],
    lo: bn(p.lo),
    hi: bn(p.hi),
    n_points: p.nPoints,
    k: bn(p.k),
    b: bn(p.b),
    trading_deadline: bn(p.tradingDeadline),
    resolution_deadline: bn(p.resolutionDeadline),
    resolver: p.resolver,
    scale: bn(marketDistribution(p).c),
    shape: anchorShape(p.shape, p.points ?? []),
    fee_bps: p.feeBps ?? 0,
  };
}

describe("IDL instruction coder == SDK encoders (AMM)", () => {
  const resolver = Keypair.generate().publicKey;

  it.each(SHAPES.map(([s, p]) => [s.kind, s, p] as const))("create_market with a %s shape", (_kind, shape, points) => {
    const p = params(shape, points, resolver);
    expect(coder.instruction.encode("create_market", createArgs(p))).toEqual(encodeCreateMarket(p));
    expect(coder.types.encode("ShapeParams", anchorShape(shape, points))).toEqual(Buffer.from(encodeShapeParams(shape, points)));
  });

  it("edit_distribution (drag, and a new shape), trade (every direction)", () => {
    const drag = coder.instruction.encode("edit_distribution", { index: 7, value: bn(123_456_789n), scale: bn(987n), shape: null });
    expect(drag).toEqual(encodeEditDistribution({ kind: "drag", index: 7, value: 123_456_789n }, 987n));
    const [shape, points] = SHAPES[6]!;
    const reshape = coder.instruction.encode("edit_distribution", {
      index: 0,
      value: bn(0n),
      scale: bn(55n),
      shape: anchorShape(shape, points),
    });
    expect(reshape).toEqual(encodeEditDistribution({ kind: "shape", shape, points }, 55n));
    const tail = { t: -1_000n, c: 999_999_999n, maxIn: 5_000n, minOut: 7n, expectedTradeIndex: 12n };
    const anchorTail = (t: typeof tail) => [bn(t.t), bn(t.c), bn(t.maxIn), bn(t.minOut), bn(t.expectedTradeIndex)];
    const encode = (direction: unknown, t: typeof tail): Buffer => {
      const [tt, c, maxIn, minOut, idx] = anchorTail(t);
      return coder.instruction.encode("trade", { direction, t: tt, c, max_in: maxIn, min_out: minOut, expected_trade_index: idx });
    };
    expect(encode({ Range: { i0: 3, i1: 9 } }, tail)).toEqual(encodeTrade({ direction: { kind: "range", i0: 3, i1: 9 }, ...tail }));
    expect(encode({ Shape: { shape: anchorShape(shape, points) } }, tail)).toEqual(
      encodeTrade({ direction: { kind: "shape", shape, points }, ...tail }),
    );
    const unwind = { ...tail, t: 500_000_000n, expectedTradeIndex: ANY_TRADE_INDEX };
    expect(encode({ Unwind: {} }, unwind)).toEqual(encodeTrade({ direction: { kind: "unwind" }, ...unwind, expectedTradeIndex: undefined }));
  });
});

describe("@coral-xyz/anchor drives the AMM (litesvm)", () => {
  it("create, open, trade with Program.methods; the IDL coders decode the market and the trade event", async () => {
    const rt = await createRuntime("litesvm");
    const amm = await Amm.create(rt);
    const program = new Program(idl, { connection: new Connection("http://127.0.0.1:8899") });
    const methods = program.methods as Record<string, (...args: unknown[]) => { accountsPartial(a: object): { instruction(): Promise<import("@solana/web3.js").TransactionInstruction> } }>;
    const p = params(SHAPES[0]![0], [], amm.authority.publicKey);
    const key = marketKeyBytes(p.marketKey);
    const shardId = amm.handle(p).shardId;
    const market = findMarketPda(key)[0];
    const shard = findShardPda(shardId)[0];
    const a = createArgs(p);
    // The money accounts, named as the IDL names them (`<who>TokenAccount`, vault, mint, tokenProgram).
    const money = (owner: PublicKey, who: string): Record<string, PublicKey> => ({
      [`${who}TokenAccount`]: ataOf(owner, rt.collateral),
      vault: findVaultPda(shardId)[0],
      mint: rt.collateral.mint,
      tokenProgram: rt.collateral.tokenProgram,
    });
    const createIx = await methods.createMarket!(
      a.market_key, a.lo, a.hi, a.n_points, a.k, a.b, a.trading_deadline, a.resolution_deadline, a.resolver, a.scale, camel(a.shape), a.fee_bps,
    )
      .accountsPartial({ authority: amm.authority.publicKey, shard, market, marketKeySigner: new PublicKey(key), ...money(amm.authority.publicKey, "authority") })
      .instruction();
    expect(createIx.data).toEqual(encodeCreateMarket(p));
    ok(await rt.send([createIx], amm.createSigners(p)));
    const openIx = await methods.openMarket!().accountsPartial({ authority: amm.authority.publicKey, market, shard }).instruction();
    ok(await rt.send([openIx], [amm.authority]));

    const trader = await fundedKeypair(rt, 10n);
    const before = decodeAmmMarket((await rt.getAccount(market))!.data);
    const quote = quoteMarketBet(before, 200_000_000n, { i0: 5, i1: 9 });
    const tradeIx = await methods.trade!({ range: { i0: 5, i1: 9 } }, bn(quote.t), bn(quote.c), bn(quote.collateral), bn(0n), bn(before.tradeCount))
      .accountsPartial({ trader: trader.publicKey, market, shard, position: findPositionPda(market, trader.publicKey)[0], ...money(trader.publicKey, "trader") })
      .instruction();
    const res = ok(await rt.send([tradeIx], [trader]));

    const data = Buffer.from((await rt.getAccount(market))!.data);
    const header = coder.accounts.decode("Market", data);
    expect(header.shard_id).toBe(shardId);
    const tail = coder.types.decode("AmmMarketTail", data.subarray(MARKET_HEADER_LEN));
    const sdk = decodeAmmMarket(data);
    expect(BigInt(tail.total_collateral.toString())).toBe(quote.collateral);
    expect(BigInt(tail.total_collateral.toString())).toBe(sdk.totalCollateral);
    expect(sdk.curve).toEqual(quote.curve);
    const events = [...new EventParser(PROGRAM_ID, coder).parseLogs(res.logs)];
    const trade = events.find((e) => e.name === "TradeExecuted");
    expect(trade, JSON.stringify(events.map((e) => e.name))).toBeDefined();
    expect(BigInt(trade!.data.collateral_after.toString())).toBe(quote.collateral);
    expect(BigInt(trade!.data.amount_in.toString())).toBe(quote.collateral);
    // The IDL's borsh layout and the SDK decoder read the same receipt.
    const viaSdk = decodeTradeExecutedEvents(res.logs)[0]!;
    expect(BigInt(trade!.data.t.toString())).toBe(viaSdk.t);
    expect(BigInt(trade!.data.trade_index.toString())).toBe(viaSdk.tradeIndex);
    expect(trade!.data.kind).toBe(viaSdk.kind);
    expect([viaSdk.collateralBefore, viaSdk.fee, viaSdk.amountOut]).toEqual([0n, 0n, 0n]);
  });
});
