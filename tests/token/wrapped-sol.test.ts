/**
 * Wrapped SOL is just another collateral mint: a config on SPL Token's native mint (9
 * decimals), traders and the LP wrapping SOL into their ATAs (the SDK's idempotent
 * `createCollateralTokenAccountInstruction`, a transfer, `SyncNative`), then create, trades,
 * resolution, every claim, the LP claim and close_market, on both runtimes. Every payment and
 * payout equals the program's event and the SDK's prediction, the shard vault's balance equals
 * the books after every step, `paid + dust == vault` exactly, and the vault's lamports are its
 * rent plus exactly its token balance (a native account holds its tokens as lamports).
 */
import { createSyncNativeInstruction, NATIVE_MINT, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type Keypair, SystemProgram } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import {
  claimInstruction,
  claimLpInstruction,
  closeMarketInstruction,
  collateralTokenAccount,
  computeUnitLimit,
  createCollateralTokenAccountInstruction,
  createMarketInstruction,
  decodeAmmMarket,
  decodeClaimEvents,
  decodeConfig,
  decodePosition,
  decodeTradeExecutedEvents,
  findConfigPda,
  findMarketPda,
  findPositionPda,
  findVaultPda,
  generateMarketKey,
  initializeConfigInstruction,
  initShardInstruction,
  lpClaim,
  marketKeyBytes,
  assignShard,
  openMarketInstruction,
  priceDistributionBet,
  resolveMarketInstruction,
  traderClaim,
  type Collateral,
  type CreateMarketParams,
} from "../../sdk/src/index.js";
import { B, K, NORMAL, RESOLUTION_DEADLINE, T0, TRADING_DEADLINE } from "../amm/fixture.js";
import { fundedKeypair } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { rentExempt, tokenBalance } from "../harness/token.js";
import { ok, Sharding, SHARDING_CONFIG } from "../sharding/fixture.js";

const WSOL: Collateral = { mint: NATIVE_MINT, tokenProgram: TOKEN_PROGRAM_ID, decimals: 9 };

/**
 * The native mint as it is on mainnet (no mint or freeze authority, 9 decimals, initialized),
 * installed where the runtime's genesis lacks it. Its supply field is not read by transfers.
 */
async function ensureNativeMint(rt: TestRuntime): Promise<string> {
  if (await rt.getAccount(NATIVE_MINT)) return "genesis";
  const data = new Uint8Array(82);
  data[44] = 9;
  data[45] = 1;
  await rt.setAccount(NATIVE_MINT, { lamports: rentExempt(82), owner: TOKEN_PROGRAM_ID, data });
  return "installed";
}

/** Wraps `lamports` of `owner`'s SOL into its wSOL ATA (created if missing: idempotent). */
async function wrap(rt: TestRuntime, owner: Keypair, lamports: bigint): Promise<void> {
  const ata = collateralTokenAccount(owner.publicKey, WSOL);
  ok(
    await rt.send(
      [
        createCollateralTokenAccountInstruction(owner.publicKey, owner.publicKey, WSOL),
        SystemProgram.transfer({ fromPubkey: owner.publicKey, toPubkey: ata, lamports }),
        createSyncNativeInstruction(ata, TOKEN_PROGRAM_ID),
      ],
      [owner],
    ),
  );
}

describe.each(RUNTIME_NAMES)("wrapped SOL as the collateral on %s", (runtimeName) => {
  it("a market's whole life on the native mint, exact to the lamport", async () => {
    const rt = await createRuntime(runtimeName);
    console.log(`[wsol] ${runtimeName}: native mint ${await ensureNativeMint(rt)}`);
    const admin = rt.upgradeAuthority;
    ok(await rt.send([initializeConfigInstruction(admin.publicKey, WSOL, SHARDING_CONFIG)], [admin]));
    const config = decodeConfig((await rt.getAccount(findConfigPda()[0]))!.data);
    expect(config.collateralMint.equals(NATIVE_MINT)).toBe(true);
    expect(config.collateralDecimals).toBe(9);
    for (let id = 0; id < SHARDING_CONFIG.shardCount; id++) ok(await rt.send([initShardInstruction(admin.publicKey, id, WSOL)], [admin]));
    const s = new Sharding(rt, admin, SHARDING_CONFIG);
    await rt.setClock(await rt.slot(), T0);
    const tokens = (owner: Keypair): Promise<bigint> => tokenBalance(rt, collateralTokenAccount(owner.publicKey, WSOL));

    // The LP wraps b, the traders 5 SOL each (one of them in two steps: the ATA helper is idempotent).
    const lp = await fundedKeypair(rt, 100n);
    await wrap(rt, lp, B);
    const traders = [await fundedKeypair(rt, 20n), await fundedKeypair(rt, 20n), await fundedKeypair(rt, 20n)];
    for (const t of traders) await wrap(rt, t, 3_000_000_000n);
    await wrap(rt, traders[0]!, 2_000_000_000n);
    expect(await tokens(traders[0]!)).toBe(5_000_000_000n);

    const params: CreateMarketParams = {
      marketKey: generateMarketKey(),
      lo: -500n,
      hi: 500n,
      nPoints: 11,
      k: K,
      b: B,
      tradingDeadline: TRADING_DEADLINE,
      resolutionDeadline: RESOLUTION_DEADLINE,
      resolver: lp.publicKey,
      shape: NORMAL,
    };
    const key = marketKeyBytes(params.marketKey);
    const shardId = assignShard(key, SHARDING_CONFIG.shardCount);
    const market = findMarketPda(key)[0];
    const vault = findVaultPda(shardId)[0];
    const conserved = async (): Promise<void> => {
      await s.expectVaultsMatchBooks([market]);
      const v = (await rt.getAccount(vault))!;
      expect(v.lamports - rentExempt(165), "native vault: lamports = rent + tokens").toBe(await tokenBalance(rt, vault));
    };
    ok(await rt.send([computeUnitLimit(1_400_000), createMarketInstruction(lp.publicKey, params, SHARDING_CONFIG.shardCount, WSOL)], [lp, params.marketKey as Keypair]));
    expect(await tokens(lp)).toBe(0n);
    expect(await tokenBalance(rt, vault)).toBe(B);
    await conserved();
    ok(await rt.send([openMarketInstruction(lp.publicKey, market, shardId)], [lp]));

    let fees = 0n;
    for (const [i, t] of traders.entries()) {
      const m = decodeAmmMarket((await rt.getAccount(market))!.data);
      const bet = priceDistributionBet(m, market, t.publicKey, 400_000_000n + 100_000_000n * BigInt(i), { i0: 2 + 2 * i, i1: 4 + 2 * i }, WSOL);
      const before = await tokens(t);
      const res = ok(await rt.send([bet.instruction], [t]));
      const [ev] = decodeTradeExecutedEvents(res.logs);
      expect(before - (await tokens(t))).toBe(ev!.amountIn);
      expect(ev!.amountIn).toBeLessThanOrEqual(bet.quote.collateral);
      fees += ev!.fee;
      await conserved();
    }

    await rt.setClock(await rt.slot(), TRADING_DEADLINE + 1n);
    ok(await rt.send([resolveMarketInstruction(lp.publicKey, market, shardId, 40n)], [lp]));
    const settled = decodeAmmMarket((await rt.getAccount(market))!.data);
    const vaultAtResolve = settled.vaultAmount;
    expect(await tokenBalance(rt, vault)).toBe(vaultAtResolve);
    const grid = { lo: settled.lo, hi: settled.hi, n: settled.nPoints };
    let paid = 0n;
    for (const t of traders) {
      const position = decodePosition((await rt.getAccount(findPositionPda(market, t.publicKey)[0]))!.data);
      const predicted = traderClaim(position.collateral, position.payoff, grid, settled.outcome);
      const before = await tokens(t);
      const res = ok(await rt.send([claimInstruction(t.publicKey, market, shardId, WSOL)], [t]));
      const got = (await tokens(t)) - before;
      expect(got).toBe(predicted);
      expect(decodeClaimEvents(res.logs)[0]!.amount).toBe(got);
      paid += got;
      await conserved();
    }
    const lpPredicted = lpClaim(settled.b, settled.curve, settled.initialCurve, grid, settled.outcome) + fees;
    ok(await rt.send([claimLpInstruction(lp.publicKey, market, shardId, WSOL)], [lp]));
    const lpGot = await tokens(lp);
    expect(lpGot).toBe(lpPredicted);
    paid += lpGot;
    await conserved();

    const after = decodeAmmMarket((await rt.getAccount(market))!.data);
    const dust = after.dustNumerator / after.step;
    expect(paid + dust).toBe(vaultAtResolve);
    expect(after.vaultAmount).toBe(dust);
    ok(await rt.send([closeMarketInstruction(lp.publicKey, market, shardId, WSOL)], [lp]));
    expect(await tokens(lp)).toBe(lpGot + dust);
    expect(await tokenBalance(rt, vault)).toBe(0n);
    await conserved();
    console.log(`[wsol] ${runtimeName}: vault ${vaultAtResolve} = paid ${paid} + dust ${dust} (lamports of wSOL)`);
  });
});
