/**
 * The IDL (`idl/continuum.json`) against the program's real interface, exported by the Rust
 * host test `programs/continuum/tests/interface.rs` to `target/idl-check/program.json`
 * (run `cargo test -p continuum` first; `npm test` does).
 */
import { BN, BorshCoder, Program, type Idl } from "@coral-xyz/anchor";
import { Connection } from "@solana/web3.js";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  accountDiscriminator,
  CONFIG_LEN,
  CONTINUUM_ERRORS,
  decodeConfig,
  DEFAULT_CONFIG_ARGS,
  ERROR_CODE_OFFSET,
  EVENT_NAMES,
  eventDiscriminator,
  findConfigPda,
  instructionDiscriminator,
  INSTRUCTION_NAMES,
  PROGRAM_ID,
} from "../sdk/src/index.js";
import { createRuntime, RUNTIME_NAMES } from "./harness/runtime.js";
import { createTestMint } from "./harness/token.js";

const idl = JSON.parse(readFileSync(fileURLToPath(new URL("../idl/continuum.json", import.meta.url)), "utf8")) as Idl;
const exportPath = fileURLToPath(new URL("../target/idl-check/program.json", import.meta.url));

interface ProgramInterface {
  instructions: { name: string; discriminator: number[] }[];
  events: { name: string; discriminator: number[] }[];
  accounts: { name: string; discriminator: number[]; size: number }[];
  errors: { code: number; name: string }[];
  event_layouts: { name: string; size: number; fields: [string, number][] }[];
}

function programInterface(): ProgramInterface {
  if (!existsSync(exportPath)) throw new Error(`${exportPath} missing: run 'cargo test -p continuum' first`);
  return JSON.parse(readFileSync(exportPath, "utf8")) as ProgramInterface;
}

type IdlType = Idl["types"] extends (infer T)[] | undefined ? T : never;

/** Borsh size of a fixed-size IDL type. */
function borshSize(type: unknown): number {
  const primitive: Record<string, number> = { bool: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, u128: 16, i128: 16, pubkey: 32 };
  if (typeof type === "string") {
    const size = primitive[type];
    if (size === undefined) throw new Error(`not fixed-size: ${type}`);
    return size;
  }
  const t = type as { array?: [unknown, number]; defined?: { name: string } };
  if (t.array) return borshSize(t.array[0]) * t.array[1];
  if (t.defined) {
    const def = (idl.types ?? []).find((d: IdlType) => d.name === t.defined!.name);
    if (!def || def.type.kind !== "struct") throw new Error(`unknown struct ${t.defined.name}`);
    return (def.type.fields as { type: unknown }[]).reduce((n, f) => n + borshSize(f.type), 0);
  }
  throw new Error(`unsupported type ${JSON.stringify(type)}`);
}

describe("IDL matches the program", () => {
  it("lists exactly the program's instructions with Anchor discriminators", () => {
    const program = programInterface();
    const fromIdl = idl.instructions.map((ix) => [ix.name, [...ix.discriminator]]);
    expect(fromIdl).toEqual(program.instructions.map((ix) => [ix.name, ix.discriminator]));
    for (const ix of idl.instructions) {
      expect([...ix.discriminator]).toEqual([...instructionDiscriminator(ix.name)]);
    }
    expect([...INSTRUCTION_NAMES]).toEqual(program.instructions.map((ix) => ix.name));
  });

  it("lists exactly the program's accounts, with matching discriminators and sizes", () => {
    const program = programInterface();
    expect((idl.accounts ?? []).map((a) => a.name)).toEqual(program.accounts.map((a) => a.name));
    for (const account of program.accounts) {
      const entry = (idl.accounts ?? []).find((a) => a.name === account.name)!;
      expect([...entry.discriminator]).toEqual(account.discriminator);
      expect([...entry.discriminator]).toEqual([...accountDiscriminator(account.name)]);
      expect(8 + borshSize({ defined: { name: account.name } }), account.name).toBe(account.size);
    }
    expect(program.accounts.find((a) => a.name === "Config")!.size).toBe(CONFIG_LEN);
  });

  it("lists exactly the program's events with Anchor discriminators, and the SDK agrees", () => {
    const program = programInterface();
    expect((idl.events ?? []).map((e) => [e.name, [...e.discriminator]])).toEqual(program.events.map((e) => [e.name, e.discriminator]));
    expect(program.events.map((e) => e.name)).toEqual([...EVENT_NAMES]);
    for (const e of program.events) expect(e.discriminator).toEqual([...eventDiscriminator(e.name)]);
  });

  it("typed events: every event's fields at the IDL's borsh offsets, and the payload size", () => {
    const program = programInterface();
    expect(program.event_layouts.map((l) => l.name)).toEqual(program.events.map((e) => e.name));
    for (const layout of program.event_layouts) {
      const def = (idl.types ?? []).find((d: IdlType) => d.name === layout.name);
      if (!def || def.type.kind !== "struct") throw new Error(`IDL has no struct ${layout.name}`);
      let at = 0;
      const offsets: [string, number][] = [];
      for (const f of def.type.fields as { name: string; type: unknown }[]) {
        offsets.push([f.name, at]);
        at += borshSize(f.type);
      }
      expect(offsets, layout.name).toEqual(layout.fields);
      expect(at, layout.name).toBe(layout.size);
    }
  });

  it("lists exactly the program's errors, and the SDK agrees", () => {
    const program = programInterface();
    expect((idl.errors ?? []).map((e) => [e.code, e.name])).toEqual(program.errors.map((e) => [e.code, e.name]));
    expect(CONTINUUM_ERRORS.map(([name], i) => [ERROR_CODE_OFFSET + i, name])).toEqual(
      program.errors.map((e) => [e.code, e.name]),
    );
    expect(CONTINUUM_ERRORS.map(([, msg]) => msg)).toEqual((idl.errors ?? []).map((e) => e.msg));
  });

  it("carries the program id", () => {
    expect(idl.address).toBe(PROGRAM_ID.toBase58());
  });
});

describe.each(RUNTIME_NAMES)("@coral-xyz/anchor drives the program on %s", (runtimeName) => {
  it("sends initialize_config built by Program.methods and decodes Config with the IDL coder", async () => {
    const rt = await createRuntime(runtimeName);
    const admin = rt.upgradeAuthority;
    const collateral = await createTestMint(rt, { kind: "token-2022", decimals: 9 });
    // Only instruction building is needed from Anchor; the runtime adapter sends it.
    const program = new Program(idl, { connection: new Connection("http://127.0.0.1:8899") });
    const a = DEFAULT_CONFIG_ARGS;
    const initializeConfig = program.methods.initializeConfig;
    if (!initializeConfig) throw new Error("IDL has no initialize_config");
    const ix = await initializeConfig(
        a.shardCount,
        a.voteThresholdBps,
        a.contentionThresholdUs,
        new BN(a.votingWindowSlots.toString()),
        new BN(a.proposalCooldownSlots.toString()),
        new BN(a.unstakeCooldownSlots.toString()),
      new BN(a.minKeeperStake.toString()),
      new BN(a.loadThresholdMilliWrites.toString()),
      new BN(a.executionWindowSlots.toString()),
      new BN(a.maxMarketDurationSeconds.toString()),
      new BN(a.settlementGraceSeconds.toString()),
      a.latencyQuorumBps,
    )
      .accounts({ admin: admin.publicKey, mint: collateral.mint, tokenProgram: collateral.tokenProgram })
      .instruction();
    const res = await rt.send([ix], [admin]);
    expect(res.ok, res.logs.join("\n")).toBe(true);

    const account = await rt.getAccount(findConfigPda()[0]);
    const viaAnchor = new BorshCoder(idl).accounts.decode("Config", Buffer.from(account!.data));
    const viaSdk = decodeConfig(account!.data);
    expect(viaAnchor.admin.toBase58()).toBe(admin.publicKey.toBase58());
    expect(viaAnchor.shard_count).toBe(viaSdk.shardCount);
    expect(viaAnchor.vote_threshold_bps).toBe(viaSdk.voteThresholdBps);
    expect(BigInt(viaAnchor.voting_window_slots.toString())).toBe(viaSdk.votingWindowSlots);
    expect(BigInt(viaAnchor.load_threshold_milli_writes.toString())).toBe(viaSdk.loadThresholdMilliWrites);
    expect(BigInt(viaAnchor.execution_window_slots.toString())).toBe(viaSdk.executionWindowSlots);
    expect(viaAnchor.latency_quorum_bps).toBe(viaSdk.latencyQuorumBps);
    expect(viaAnchor.bump).toBe(viaSdk.bump);
    expect(viaAnchor.collateral_mint.toBase58()).toBe(collateral.mint.toBase58());
    expect(viaSdk.collateralMint.equals(collateral.mint)).toBe(true);
    expect(viaSdk.collateralTokenProgram.equals(collateral.tokenProgram)).toBe(true);
    expect([viaAnchor.collateral_decimals, viaSdk.collateralDecimals]).toEqual([9, 9]);
  });
});
