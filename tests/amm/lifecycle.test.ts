/**
 * Account lifecycle on both runtimes: who may create a market key, how long a market may run,
 * and how every account's rent comes back (claim closes the position, close_market closes the
 * market). Every refused action is a named error that changes nothing.
 */
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createMarketInstruction,
  findConfigPda,
  findMarketPda,
  findShardPda,
  generateMarketKey,
  registerMarketInstruction,
} from "../../sdk/src/index.js";
import { expectError, fundedKeypair, withAccount } from "../harness/fixtures.js";
import { createRuntime, RUNTIME_NAMES, type TestRuntime } from "../harness/runtime.js";
import { Amm, ok } from "./fixture.js";

/** Index of the market-key signer in register_market / create_market. */
const MARKET_KEY_SIGNER = 5;

describe.each(RUNTIME_NAMES)("market lifecycle on %s", (runtimeName) => {
  let rt: TestRuntime;
  let amm: Amm;

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    amm = await Amm.create(rt);
  });

  /** Sends, expects the named error, and checks every watched account is unchanged. */
  async function rejects(ixs: TransactionInstruction[], signers: Keypair[], error: Parameters<typeof expectError>[1], watched: PublicKey[]): Promise<void> {
    const before = await amm.snapshot(watched);
    expectError(await rt.send(ixs, signers), error);
    expect(await amm.snapshot(watched)).toEqual(before);
  }

  describe("market keys sign their creation (no front-running a key)", () => {
    it("register_market: an attacker who copies the key but cannot sign is refused; the creator then succeeds", async () => {
      const creator = await fundedKeypair(rt, 10n);
      const attacker = await fundedKeypair(rt, 10n);
      const key = generateMarketKey();
      const shardId = amm.handle(amm.params(11, undefined, { marketKey: key })).shardId;
      const watched = [findMarketPda(key)[0], findShardPda(shardId)[0], findConfigPda()[0], attacker.publicKey];
      // The attacker saw the key in the creator's pending transaction: it has the public key only.
      const copied = registerMarketInstruction(attacker.publicKey, key.publicKey, amm.shardCount);
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { isSigner: false })], [attacker], "MissingSigner", watched);
      // Signing with its own key in the market key's place does not help.
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { pubkey: attacker.publicKey })], [attacker], "AccountMismatch", watched);
      expect(await rt.getAccount(findMarketPda(key)[0])).toBeNull();

      ok(await rt.send([registerMarketInstruction(creator.publicKey, key, amm.shardCount)], [creator, key]));
      const market = await amm.s.market(key.publicKey.toBytes());
      expect(market.authority.equals(creator.publicKey)).toBe(true);
    });

    it("create_market: the same for an AMM market", async () => {
      const params = amm.params(11);
      const m = amm.handle(params);
      const attacker = await fundedKeypair(rt, 100n);
      const watched = [m.address, findShardPda(m.shardId)[0], findConfigPda()[0], attacker.publicKey];
      const copied = createMarketInstruction(attacker.publicKey, { ...params, marketKey: new PublicKey(m.key) }, amm.shardCount);
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { isSigner: false })], [attacker], "MissingSigner", watched);
      await rejects([withAccount(copied, MARKET_KEY_SIGNER, { pubkey: attacker.publicKey })], [attacker], "AccountMismatch", watched);
      expect(await rt.getAccount(m.address)).toBeNull();

      const { m: created } = await amm.createMarket(params);
      expect((await amm.market(created)).authority.equals(amm.authority.publicKey)).toBe(true);
    });
  });
});
