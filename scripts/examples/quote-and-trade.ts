// Quote and buy a range on a live market (the README's dApp example; checked by tsc).
//   npx tsx scripts/examples/quote-and-trade.ts <market-address> [rpc-url] [keypair.json]
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import { collateralOf, connectionChain, createCollateralTokenAccountInstruction, decodeAmmMarket, decodeConfig, decodePosition, findConfigPda, findPositionPda, priceTrade, rangeIndices } from "@continuum/sdk";

const [address = "", url = "http://127.0.0.1:8899", wallet = `${process.env.HOME}/.config/solana/id.json`] = process.argv.slice(2);
const connection = new Connection(url, "confirmed");
const trader = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(wallet, "utf8")) as number[]));
const marketAddress = new PublicKey(address);
const collateral = collateralOf(decodeConfig((await connection.getAccountInfo(findConfigPda()[0]))!.data));
const market = decodeAmmMarket((await connection.getAccountInfo(marketAddress))!.data);
const held = await connection.getAccountInfo(findPositionPda(marketAddress, trader.publicKey)[0]);
// Spend at most 50 tokens (6 decimals, fee included) on outcomes in [0, 100], netted against the
// trader's position: the quote is bit-exact with the program.
const direction = { kind: "range" as const, ...rangeIndices(market, { from: 0n, to: 100n }) };
const { quote, instruction } = priceTrade(market, held ? decodePosition(held.data) : null, direction, { budget: 50_000_000n }, { marketAddress, trader: trader.publicKey, collateral });
console.log(`pay ${quote.amountIn}; P([0, 100]) ${quote.probabilityBefore} -> ${quote.probabilityAfter} (1e9)`);
const sent = await connectionChain(connection, trader).send([createCollateralTokenAccountInstruction(trader.publicKey, trader.publicKey, collateral), instruction], []);
console.log(sent.ok ? `traded: ${sent.signature}` : `refused: ${sent.error}`);
process.exit(sent.ok ? 0 : 1);
