// Quote and buy a range on a live market (the README's dApp example; checked by tsc).
//   npx tsx scripts/examples/quote-and-trade.ts <market-address> [rpc-url] [keypair.json]
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import { collateralOf, connectionChain, createCollateralTokenAccountInstruction, decodeAmmMarket, decodeConfig, findConfigPda, priceDistributionBet } from "@continuum/sdk";

const [address = "", url = "http://127.0.0.1:8899", wallet = `${process.env.HOME}/.config/solana/id.json`] = process.argv.slice(2);
const connection = new Connection(url, "confirmed");
const trader = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(wallet, "utf8")) as number[]));
const collateral = collateralOf(decodeConfig((await connection.getAccountInfo(findConfigPda()[0]))!.data));
const market = decodeAmmMarket((await connection.getAccountInfo(new PublicKey(address)))!.data);
// Spend at most 50 tokens (6 decimals) on outcomes in [0, 100]: the quote is bit-exact with the program.
const { quote, instruction } = priceDistributionBet(market, new PublicKey(address), trader.publicKey, 50_000_000n, { from: 0n, to: 100n }, collateral);
console.log(`pay ${quote.collateral}; P([0, 100]) ${quote.probabilityBefore} -> ${quote.probabilityAfter} (1e9)`);
const sent = await connectionChain(connection, trader).send([createCollateralTokenAccountInstruction(trader.publicKey, trader.publicKey, collateral), instruction], []);
console.log(sent.ok ? `traded: ${sent.signature}` : `refused: ${sent.error}`);
process.exit(sent.ok ? 0 : 1);
