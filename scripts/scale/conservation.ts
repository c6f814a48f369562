/**
 * Conservation checks of the scale run. Each throws (the run fails) on the first violation:
 * - every shard: its vault's token balance == `Shard.collateral_amount` == the sum of
 *   `vault_amount` over the markets recorded on it (all of them: registered and AMM);
 * - every AMM market while trading: `vault_amount == b + total_collateral + fees_accrued`,
 *   `total_collateral + fees_accrued` == what the run's trades paid in minus what they were
 *   refunded, and `fees_accrued` == the fees the SDK's plans said;
 * - every AMM market once settled (all claims in): `paid_out + dust_numerator / step ==
 *   b + total_collateral + fees_accrued` exactly, the dust a whole number of base units;
 * - the mint: every token ever minted is in a known account (traders, authority, vaults).
 */
import type { PublicKey } from "@solana/web3.js";
import { decodeAmmMarket, decodeMarketHeader, decodeShard, findShardPda, findVaultPda } from "../../sdk/src/index.js";
import { ataOf, tokenBalance } from "../../tests/harness/token.js";
import type { AmmMarket } from "./markets.js";
import type { World } from "./world.js";

export class ConservationError extends Error {}

function check(ok: boolean, what: string): void {
  if (!ok) throw new ConservationError(`conservation violated: ${what}`);
}

/** Vault == books == sum of markets, per shard; returns the number of markets read. */
export async function checkShards(w: World, marketAddresses: PublicKey[]): Promise<number> {
  const sums = new Array<bigint>(w.shardCount).fill(0n);
  let read = 0;
  for (const a of marketAddresses) {
    const acc = await w.rt.getAccount(a);
    if (!acc) continue;
    const h = decodeMarketHeader(acc.data);
    sums[h.shardId]! += h.vaultAmount;
    read++;
  }
  for (let id = 0; id < w.shardCount; id++) {
    const shard = decodeShard((await w.rt.getAccount(findShardPda(id)[0]))!.data);
    const vault = await tokenBalance(w.rt, findVaultPda(id)[0]);
    check(vault === shard.collateralAmount, `shard ${id}: vault ${vault} != books ${shard.collateralAmount}`);
    check(shard.collateralAmount === sums[id], `shard ${id}: books ${shard.collateralAmount} != its markets ${sums[id]}`);
  }
  return read;
}

/** Every AMM market's vault equals its LP backing plus its traders' collateral, as booked. */
export async function checkTradingBooks(w: World, markets: AmmMarket[]): Promise<void> {
  for (const m of markets) {
    const a = decodeAmmMarket((await w.rt.getAccount(m.address))!.data);
    check(a.shardId === m.shardId, `market ${m.keyHex}: on shard ${a.shardId}, run booked ${m.shardId}`);
    check(a.feesAccrued === m.fees, `market ${m.keyHex}: fees_accrued ${a.feesAccrued} != booked ${m.fees}`);
    check(a.totalCollateral + a.feesAccrued === m.paidIn - m.refunded, `market ${m.keyHex}: total_collateral + fees ${a.totalCollateral + a.feesAccrued} != paid in - refunded ${m.paidIn - m.refunded}`);
    check(a.vaultAmount === a.b + a.totalCollateral + a.feesAccrued, `market ${m.keyHex}: vault_amount ${a.vaultAmount} != b + total_collateral + fees`);
  }
}

/** After every claim: payouts + dust == everything that went in, exactly. */
export async function checkSettled(w: World, m: AmmMarket, paid: bigint): Promise<bigint> {
  const a = decodeAmmMarket((await w.rt.getAccount(m.address))!.data);
  check(a.dustNumerator % a.step === 0n, `market ${m.keyHex}: dust ${a.dustNumerator} not a whole number of base units`);
  const dust = a.dustNumerator / a.step;
  check(a.paidOut === paid, `market ${m.keyHex}: paid_out ${a.paidOut} != tokens received ${paid}`);
  const inflow = a.b + a.totalCollateral + a.feesAccrued;
  check(paid + dust === inflow, `market ${m.keyHex}: paid ${paid} + dust ${dust} != b + collateral + fees ${inflow}`);
  check(a.vaultAmount === dust, `market ${m.keyHex}: vault_amount ${a.vaultAmount} != dust ${dust}`);
  return dust;
}

/** Every minted token is in a trader's, the authority's or a shard vault's account. */
export async function checkMint(w: World, minted: bigint): Promise<void> {
  let held = await tokenBalance(w.rt, ataOf(w.authority.publicKey, w.rt.collateral));
  for (const t of w.traders) held += await tokenBalance(w.rt, ataOf(t.publicKey, w.rt.collateral));
  for (let id = 0; id < w.shardCount; id++) held += await tokenBalance(w.rt, findVaultPda(id)[0]);
  check(held === minted, `tokens held ${held} != minted ${minted}`);
}
