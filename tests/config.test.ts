import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import {
  CONFIG_LEN,
  decodeConfig,
  DEFAULT_CONFIG_ARGS,
  encodeInitializeConfig,
  findConfigPda,
  findProgramDataAddress,
  initializeConfigInstruction,
  PROGRAM_ID,
  type InitializeConfigArgs,
} from "../sdk/src/index.js";
import { CU_BUDGET, recordCu } from "./harness/cu.js";
import { expectError, fundedKeypair, withAccount, withData } from "./harness/fixtures.js";
import {
  createRuntime,
  PROGRAM_SO,
  programAccountData,
  programDataAccountData,
  RUNTIME_NAMES,
  upgradeableProgramAccounts,
  type AccountState,
  type TestRuntime,
} from "./harness/runtime.js";
import { createTestMint } from "./harness/token.js";

describe.each(RUNTIME_NAMES)("initialize_config on %s", (runtimeName) => {
  let rt: TestRuntime;
  let admin: Keypair;
  const [configPda] = findConfigPda();

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    admin = rt.upgradeAuthority;
    rt.collateral = await createTestMint(rt);
  });

  /** Nothing changed: no config account, admin balance intact. */
  async function expectUnchanged(adminBalance: bigint): Promise<void> {
    expect(await rt.getAccount(configPda)).toBeNull();
    expect(await rt.balance(admin.publicKey)).toBe(adminBalance);
  }

  it("creates the Config PDA with the given parameters", async () => {
    const before = await rt.balance(admin.publicKey);
    const args: InitializeConfigArgs = { ...DEFAULT_CONFIG_ARGS, shardCount: 16, minKeeperStake: 5n };
    const res = await rt.send([initializeConfigInstruction(admin.publicKey, rt.collateral, args)], [admin]);
    recordCu(import.meta.url, rt, "initialize_config", res, CU_BUDGET.initialize_config);

    const account = await rt.getAccount(configPda);
    expect(account).not.toBeNull();
    expect(account!.owner.equals(PROGRAM_ID)).toBe(true);
    expect(account!.data.length).toBe(CONFIG_LEN);
    const config = decodeConfig(account!.data);
    expect(config.admin.equals(admin.publicKey)).toBe(true);
    expect(config.shardCount).toBe(16);
    expect(config.voteThresholdBps).toBe(args.voteThresholdBps);
    expect(config.contentionThresholdUs).toBe(args.contentionThresholdUs);
    expect(config.votingWindowSlots).toBe(args.votingWindowSlots);
    expect(config.proposalCooldownSlots).toBe(args.proposalCooldownSlots);
    expect(config.executionWindowSlots).toBe(args.executionWindowSlots);
    expect(config.maxMarketDurationSeconds).toBe(args.maxMarketDurationSeconds);
    expect(config.settlementGraceSeconds).toBe(args.settlementGraceSeconds);
    expect(config.latencyQuorumBps).toBe(args.latencyQuorumBps);
    expect(config.keeperCount).toBe(0n);
    expect(config.unstakeCooldownSlots).toBe(args.unstakeCooldownSlots);
    expect(config.minKeeperStake).toBe(5n);
    expect(config.loadThresholdMilliWrites).toBe(args.loadThresholdMilliWrites);
    expect(config.totalActiveStake).toBe(0n);
    expect(config.marketCount).toBe(0n);
    expect(config.bump).toBe(findConfigPda()[1]);
    // The admin paid exactly the rent of the new account (fees are paid by the fee payer).
    expect(before - (await rt.balance(admin.publicKey))).toBe(account!.lamports);
  });

  it("works when the PDA address was pre-funded (griefing)", async () => {
    await rt.airdrop(configPda, 1_000n);
    const res = await rt.send([initializeConfigInstruction(admin.publicKey, rt.collateral)], [admin]);
    expect(res.ok, res.logs.join("\n")).toBe(true);
    expect(decodeConfig((await rt.getAccount(configPda))!.data).shardCount).toBe(DEFAULT_CONFIG_ARGS.shardCount);
  });

  it("rejects re-initialization and keeps the first config", async () => {
    const first = await rt.send([initializeConfigInstruction(admin.publicKey, rt.collateral)], [admin]);
    expect(first.ok).toBe(true);
    const snapshot = await rt.getAccount(configPda);
    const balance = await rt.balance(admin.publicKey);
    const again = await rt.send(
      [initializeConfigInstruction(admin.publicKey, rt.collateral, { ...DEFAULT_CONFIG_ARGS, shardCount: 3 })],
      [admin],
    );
    expectError(again, "AccountAlreadyInitialized");
    expect(await rt.getAccount(configPda)).toEqual(snapshot);
    expect(await rt.balance(admin.publicKey)).toBe(balance);
  });

  it("rejects an unknown discriminator", async () => {
    const balance = await rt.balance(admin.publicKey);
    const ix = initializeConfigInstruction(admin.publicKey, rt.collateral);
    const data = Buffer.from(ix.data);
    data[0] = data[0]! ^ 0xff;
    expectError(await rt.send([withData(ix, data)], [admin]), "UnknownInstruction");
    expectError(await rt.send([withData(ix, data.subarray(0, 5))], [admin]), "UnknownInstruction");
    await expectUnchanged(balance);
  });

  it("rejects short and over-long argument data", async () => {
    const balance = await rt.balance(admin.publicKey);
    const ix = initializeConfigInstruction(admin.publicKey, rt.collateral);
    expectError(await rt.send([withData(ix, ix.data.subarray(0, ix.data.length - 1))], [admin]), "InvalidInstructionData");
    expectError(await rt.send([withData(ix, Buffer.concat([ix.data, Buffer.from([0])]))], [admin]), "InvalidInstructionData");
    await expectUnchanged(balance);
  });

  it("rejects a missing admin signature", async () => {
    const balance = await rt.balance(admin.publicKey);
    const ix = withAccount(initializeConfigInstruction(admin.publicKey, rt.collateral), 0, { isSigner: false });
    expectError(await rt.send([ix]), "MissingSigner");
    await expectUnchanged(balance);
  });

  it("rejects a config account that is not the canonical PDA", async () => {
    const balance = await rt.balance(admin.publicKey);
    const impostor = Keypair.generate();
    const ix = withAccount(initializeConfigInstruction(admin.publicKey, rt.collateral), 1, { pubkey: impostor.publicKey });
    expectError(await rt.send([ix], [admin]), "InvalidPda");
    expect(await rt.getAccount(impostor.publicKey)).toBeNull();
    await expectUnchanged(balance);
  });

  it("rejects a wrong system program and too few accounts", async () => {
    const balance = await rt.balance(admin.publicKey);
    const ix = initializeConfigInstruction(admin.publicKey, rt.collateral);
    expectError(await rt.send([withAccount(ix, 4, { pubkey: Keypair.generate().publicKey })], [admin]), "InvalidSystemProgram");
    const short = withAccount(ix, 0, {});
    short.keys.pop();
    expectError(await rt.send([short], [admin]), "NotEnoughAccounts");
    await expectUnchanged(balance);
  });

  it.each<[string, Partial<InitializeConfigArgs>, "InvalidShardCount" | "InvalidThreshold" | "InvalidWindow"]>([
    ["shard_count 0", { shardCount: 0 }, "InvalidShardCount"],
    ["vote threshold 0 bps", { voteThresholdBps: 0 }, "InvalidThreshold"],
    ["vote threshold 10,001 bps", { voteThresholdBps: 10_001 }, "InvalidThreshold"],
    ["contention threshold 0", { contentionThresholdUs: 0 }, "InvalidThreshold"],
    ["load threshold 0", { loadThresholdMilliWrites: 0n }, "InvalidThreshold"],
    // With no minimum, keeper accounts cost only their (refundable) rent: sybils for free.
    ["minimum keeper stake 0", { minKeeperStake: 0n }, "InvalidThreshold"],
    ["voting window 0", { votingWindowSlots: 0n }, "InvalidWindow"],
    ["unstake cooldown 0", { unstakeCooldownSlots: 0n }, "InvalidWindow"],
    ["execution window 0", { executionWindowSlots: 0n }, "InvalidWindow"],
    ["settlement grace 0", { settlementGraceSeconds: 0n }, "InvalidWindow"],
    ["max market duration 0", { maxMarketDurationSeconds: 0n }, "InvalidWindow"],
    ["max market duration above i64::MAX", { maxMarketDurationSeconds: 2n ** 63n }, "InvalidWindow"],
    ["latency quorum 0 bps", { latencyQuorumBps: 0 }, "InvalidThreshold"],
    ["latency quorum 10,001 bps", { latencyQuorumBps: 10_001 }, "InvalidThreshold"],
  ])("rejects %s", async (_label, change, error) => {
    const balance = await rt.balance(admin.publicKey);
    const ix = initializeConfigInstruction(admin.publicKey, rt.collateral);
    const bad = withData(ix, encodeInitializeConfig({ ...DEFAULT_CONFIG_ARGS, ...change }));
    expectError(await rt.send([bad], [admin]), error);
    await expectUnchanged(balance);
  });

  it("accepts the boundary values shard_count 255 and 10,000 bps", async () => {
    const args = { ...DEFAULT_CONFIG_ARGS, shardCount: 255, voteThresholdBps: 10_000 };
    const res = await rt.send([initializeConfigInstruction(admin.publicKey, rt.collateral, args)], [admin]);
    expect(res.ok, res.logs.join("\n")).toBe(true);
    const config = decodeConfig((await rt.getAccount(configPda))!.data);
    expect(config.shardCount).toBe(255);
    expect(config.voteThresholdBps).toBe(10_000);
  });
});

describe.each(RUNTIME_NAMES)("initialize_config is reserved to the upgrade authority on %s", (runtimeName) => {
  let rt: TestRuntime;
  let attacker: Keypair;
  const [configPda] = findConfigPda();
  const programData = findProgramDataAddress();

  beforeEach(async () => {
    rt = await createRuntime(runtimeName);
    rt.collateral = await createTestMint(rt);
    attacker = await fundedKeypair(rt);
  });

  it("installs the program through the upgradeable loader, with the harness's upgrade authority", async () => {
    const program = (await rt.getAccount(PROGRAM_ID))!;
    expect(program.owner.toBase58()).toBe("BPFLoaderUpgradeab1e11111111111111111111111");
    expect(program.executable).toBe(true);
    expect(Buffer.from(program.data).equals(Buffer.from(programAccountData(programData)))).toBe(true);
    const data = (await rt.getAccount(programData))!;
    expect(data.owner.toBase58()).toBe("BPFLoaderUpgradeab1e11111111111111111111111");
    expect(data.data[12]).toBe(1);
    expect(new PublicKey(data.data.subarray(13, 45)).equals(rt.upgradeAuthority.publicKey)).toBe(true);
  });

  /** Nothing changed: no config account, the signer's balance and the loader accounts intact. */
  async function expectUnchanged(signer: Keypair, balance: bigint, loaderAccounts: (AccountState | null)[]): Promise<void> {
    expect(await rt.getAccount(configPda)).toBeNull();
    expect(await rt.balance(signer.publicKey)).toBe(balance);
    expect([await rt.getAccount(PROGRAM_ID), await rt.getAccount(programData)]).toEqual(loaderAccounts);
  }

  async function snapshot(): Promise<(AccountState | null)[]> {
    return [await rt.getAccount(PROGRAM_ID), await rt.getAccount(programData)];
  }

  it("a front-runner signing initialize_config on a fresh deployment gets NotUpgradeAuthority", async () => {
    const before = await snapshot();
    const balance = await rt.balance(attacker.publicKey);
    const res = await rt.send([initializeConfigInstruction(attacker.publicKey, rt.collateral)], [attacker]);
    expectError(res, "NotUpgradeAuthority");
    await expectUnchanged(attacker, balance, before);
    // The real authority still can, afterwards.
    const ok = await rt.send([initializeConfigInstruction(rt.upgradeAuthority.publicKey, rt.collateral)], [rt.upgradeAuthority]);
    expect(ok.ok, ok.logs.join("\n")).toBe(true);
    expect(decodeConfig((await rt.getAccount(configPda))!.data).admin.equals(rt.upgradeAuthority.publicKey)).toBe(true);
  });

  it("rejects the accounts of the attacker's own deployment (another program) with InvalidProgramData", async () => {
    // The attacker deploys a copy of the program under their own upgrade authority.
    const otherId = Keypair.generate().publicKey;
    for (const { address, account } of upgradeableProgramAccounts(otherId, attacker.publicKey, readFileSync(PROGRAM_SO))) {
      await rt.setAccount(address, account);
    }
    const otherData = findProgramDataAddress(otherId);
    const before = await snapshot();
    const balance = await rt.balance(attacker.publicKey);
    const ix = initializeConfigInstruction(attacker.publicKey, rt.collateral);
    const cases: [PublicKey, PublicKey][] = [
      [otherId, otherData], // both of the other program
      [PROGRAM_ID, otherData], // the real program with the other's ProgramData
      [otherId, programData], // the other program with the real ProgramData
      [programData, PROGRAM_ID], // swapped
    ];
    for (const [program, data] of cases) {
      const bad = withAccount(withAccount(ix, 2, { pubkey: program }), 3, { pubkey: data });
      expectError(await rt.send([bad], [attacker]), "InvalidProgramData");
    }
    await expectUnchanged(attacker, balance, before);
  });

  it("rejects look-alike Program / ProgramData accounts not owned by the loader", async () => {
    // Same bytes as a real deployment naming the attacker as authority, but owned by the System
    // Program (or by this program): only the upgradeable loader can have written them.
    const fakeProgram = Keypair.generate().publicKey;
    const fakeData = Keypair.generate().publicKey;
    const owners = [SystemProgram.programId, PROGRAM_ID];
    const before = await snapshot();
    const balance = await rt.balance(attacker.publicKey);
    const ix = initializeConfigInstruction(attacker.publicKey, rt.collateral);
    for (const owner of owners) {
      await rt.setAccount(fakeProgram, { lamports: 1_000_000_000n, owner, data: programAccountData(fakeData) });
      await rt.setAccount(fakeData, { lamports: 1_000_000_000n, owner, data: programDataAccountData(attacker.publicKey, new Uint8Array(64)) });
      for (const [program, data] of [
        [fakeProgram, fakeData],
        [PROGRAM_ID, fakeData],
        [fakeProgram, programData],
      ] as [PublicKey, PublicKey][]) {
        const bad = withAccount(withAccount(ix, 2, { pubkey: program }), 3, { pubkey: data });
        expectError(await rt.send([bad], [attacker]), "InvalidProgramData");
      }
    }
    await expectUnchanged(attacker, balance, before);
  });

  it("refuses everyone once the program is immutable (no upgrade authority)", async () => {
    const immutable = await createRuntime(runtimeName, { program: "immutable" });
    const data = (await immutable.getAccount(programData))!;
    expect(data.data[12]).toBe(0);
    const former = immutable.upgradeAuthority;
    const collateral = await createTestMint(immutable);
    const balance = await immutable.balance(former.publicKey);
    const res = await immutable.send([initializeConfigInstruction(former.publicKey, collateral)], [former]);
    expectError(res, "NotUpgradeAuthority");
    expect(await immutable.getAccount(configPda)).toBeNull();
    expect(await immutable.balance(former.publicKey)).toBe(balance);
  });
});
