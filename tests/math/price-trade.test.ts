/**
 * `priceTrade` / `priceUnwind` (`sdk/src/amm/price.ts`): the `trade` instruction carries exactly
 * the quote — direction, t, c, max_in, min_out and the expected trade index — decoded back from
 * the instruction data with the SDK's own codec (`ByteReader`), for range buys and sells, belief
 * buys and unwinds, and goes to the trader's position PDA.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { describe, expect, it } from "vitest";
import { ByteReader } from "../../sdk/src/codec.js";
import type { AmmMarketAccount } from "../../sdk/src/accounts/amm.js";
import { priceTrade, priceUnwind, type TradeParty } from "../../sdk/src/amm/price.js";
import { encodeShapeParams, TRADE_DISCRIMINATOR, TradeDirectionKind, type TradeDirection } from "../../sdk/src/instructions/amm.js";
import { findPositionPda } from "../../sdk/src/pda.js";
import * as M from "../../sdk/src/math/index.js";

const E9 = 1_000_000_000n;

/** A projected Normal market with the fields `priceTrade` reads (the quote's inputs and the shard). */
function marketAccount(n: number, b: bigint, tradeCount: bigint): AmmMarketAccount {
  const width = BigInt(10 * (n - 1));
  const grid = { lo: 0n, hi: width, n };
  const h = M.shapeValues(grid, { kind: "Normal", mean1e9: (width / 2n) * E9, sigma1e9: (width / 5n) * E9 });
  const budget = M.normSqBudgetFromKSq((b * b * width) / 6n, 10n);
  const p = M.project(h, b, budget);
  const fields: Partial<AmmMarketAccount> = {
    lo: 0n,
    hi: width,
    step: 10n,
    b,
    normSqBudget: budget,
    scale: p.c,
    nPoints: n,
    feeBps: 30,
    tradeCount,
    shardId: 2,
    curve: p.curve,
    initialCurve: p.curve,
  };
  return fields as AmmMarketAccount;
}

/** The `trade` instruction data decoded with the SDK codec (layout of the trade spec). */
function decodeTrade(data: Uint8Array): { kind: number; payload: Uint8Array; t: bigint; c: bigint; maxIn: bigint; minOut: bigint; index: bigint } {
  const r = new ByteReader(data);
  expect(Buffer.from(r.bytes(0, 8))).toEqual(Buffer.from(TRADE_DISCRIMINATOR));
  const kind = r.u8(8);
  const payloadLen = kind === TradeDirectionKind.Range ? 8 : kind === TradeDirectionKind.Shape ? 402 : 0;
  const at = 9 + payloadLen;
  expect(data.length).toBe(at + 40);
  return { kind, payload: r.bytes(9, payloadLen), t: r.i64(at), c: r.u64(at + 8), maxIn: r.u64(at + 16), minOut: r.u64(at + 24), index: r.u64(at + 32) };
}

describe("priceTrade: the instruction is the quote", () => {
  const trader = Keypair.generate().publicKey;
  const party: TradeParty = {
    marketAddress: Keypair.generate().publicKey,
    trader,
    collateral: { mint: Keypair.generate().publicKey, tokenProgram: TOKEN_PROGRAM_ID, decimals: 9 },
  };
  const [position] = findPositionPda(party.marketAddress, trader);

  const check = (priced: ReturnType<typeof priceTrade>, kind: number, payload: Uint8Array, tradeCount: bigint): void => {
    const { quote, instruction } = priced;
    const d = decodeTrade(instruction.data);
    expect(d.kind).toBe(kind);
    expect(Buffer.from(d.payload)).toEqual(Buffer.from(payload));
    expect([d.t, d.c, d.maxIn, d.minOut, d.index]).toEqual([quote.t, quote.c, quote.amountIn, quote.amountOut, tradeCount]);
    // Exactly one side moves money, and it is the quoted one.
    expect([d.maxIn, d.minOut]).toEqual(quote.netIn > 0n ? [quote.netIn, 0n] : [0n, -quote.netIn]);
    expect(instruction.keys[0]!.pubkey.equals(trader) && instruction.keys[0]!.isSigner).toBe(true);
    expect(instruction.keys[3]!.pubkey.equals(position)).toBe(true);
    expect(instruction.keys[1]!.pubkey.equals(party.marketAddress)).toBe(true);
  };

  it("range buy and sell, belief buy, unwind, at N = 11 and 101 and caps up to 2^56", () => {
    let cases = 0;
    for (const [n, b] of [
      [11, 10n ** 10n],
      [101, 1n << 40n],
      [101, 1n << 56n],
    ] as const) {
      const m = marketAccount(n, b, 7n);
      const range: TradeDirection = { kind: "range", i0: Math.floor(n * 0.55), i1: Math.floor(n * 0.65) };
      const u32 = (v: number): number[] => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24];
      const rangePayload = Uint8Array.from([...u32(range.i0), ...u32(range.i1)]);
      const buy = priceTrade(m, null, range, { budget: b / 100n }, party);
      check(buy, TradeDirectionKind.Range, rangePayload, 7n);
      expect(buy.quote.netIn).toBeGreaterThan(0n);
      const shape = { kind: "Normal" as const, mean1e9: (BigInt(7 * (n - 1))) * E9, sigma1e9: BigInt(n - 1) * E9 };
      const belief = priceTrade(m, null, { kind: "shape", shape }, { budget: b / 100n }, party);
      check(belief, TradeDirectionKind.Shape, encodeShapeParams(shape), 7n);
      // The market after the buy, and the trader's position.
      const after = { ...m, curve: buy.quote.g, tradeCount: 8n };
      const pos: M.TradePosition = { payoff: buy.quote.payoff, collateral: buy.quote.collateralAfter };
      const sell = priceTrade(after, pos, range, { refund: pos.collateral / 2n }, party);
      check(sell, TradeDirectionKind.Range, rangePayload, 8n);
      expect(sell.quote.netIn).toBeLessThan(0n);
      const more = priceTrade(after, pos, range, { budget: b / 300n }, party);
      check(more, TradeDirectionKind.Range, rangePayload, 8n);
      const unwind = priceUnwind(after, pos, 250_000_000n, party);
      check(unwind, TradeDirectionKind.Unwind, new Uint8Array(0), 8n);
      expect(unwind.quote.t).toBe(250_000_000n);
      cases += 5;
    }
    expect(cases).toBe(15);
  });

  it("a market without a trade count checks no index (u64::MAX)", () => {
    const m = { ...marketAccount(11, 10n ** 10n, 0n), tradeCount: undefined as unknown as bigint };
    const priced = priceTrade(m, null, { kind: "range", i0: 5, i1: 6 }, { budget: 10n ** 8n }, party);
    expect(decodeTrade(priced.instruction.data).index).toBe(M.U64_MAX);
    expect(PublicKey.isOnCurve(priced.instruction.keys[3]!.pubkey.toBytes())).toBe(false);
  });
});
