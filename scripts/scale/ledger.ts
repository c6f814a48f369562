/**
 * Wall time, transactions and compute units per phase of the scale run, per instruction inside
 * each phase. CU are what the runtime reported for each transaction (the whole transaction: a
 * batch of 4 registrations counts once, under its instruction name, with its batch size).
 */
import type { TransactionInstruction } from "@solana/web3.js";
import { INSTRUCTION_NAMES, instructionDiscriminator } from "../../sdk/src/discriminators.js";
import { PROGRAM_ID } from "../../sdk/src/index.js";

/** CU of one instruction kind inside a phase. */
export interface InstructionStats {
  transactions: number;
  /** Program instructions of this kind (a transaction may carry several). */
  instructions: number;
  cu: number;
  maxTxCu: number;
}

export interface PhaseStats {
  name: string;
  wallSeconds: number;
  transactions: number;
  cu: number;
  byInstruction: Record<string, InstructionStats>;
}

const BY_DISCRIMINATOR = new Map(INSTRUCTION_NAMES.map((n) => [Buffer.from(instructionDiscriminator(n)).toString("hex"), n]));

/** The Continuum instruction names of a transaction (other programs' instructions are skipped). */
export function instructionNames(ixs: readonly TransactionInstruction[]): string[] {
  return ixs
    .filter((ix) => ix.programId.equals(PROGRAM_ID))
    .map((ix) => BY_DISCRIMINATOR.get(Buffer.from(ix.data.subarray(0, 8)).toString("hex")) ?? "unknown");
}

export class Ledger {
  readonly phases: PhaseStats[] = [];
  private current: PhaseStats | null = null;
  private started = 0;

  /** Starts a phase (ending the current one). */
  begin(name: string): void {
    this.end();
    this.current = { name, wallSeconds: 0, transactions: 0, cu: 0, byInstruction: {} };
    this.started = performance.now();
  }

  /** Ends the current phase, if any. */
  end(): void {
    if (!this.current) return;
    this.current.wallSeconds = (performance.now() - this.started) / 1000;
    this.phases.push(this.current);
    this.current = null;
  }

  /** Records one successful transaction of `ixs` that consumed `cu`. */
  record(ixs: readonly TransactionInstruction[], cu: number, label?: string): void {
    const phase = this.current;
    if (!phase) throw new Error("Ledger.record outside a phase");
    const names = instructionNames(ixs);
    const name = label ?? names[0] ?? "other";
    phase.transactions++;
    phase.cu += cu;
    const s = (phase.byInstruction[name] ??= { transactions: 0, instructions: 0, cu: 0, maxTxCu: 0 });
    s.transactions++;
    s.instructions += Math.max(1, names.filter((n) => n === name).length);
    s.cu += cu;
    s.maxTxCu = Math.max(s.maxTxCu, cu);
  }

  /** Every phase's figures summed per instruction. */
  totals(): Record<string, InstructionStats> {
    const out: Record<string, InstructionStats> = {};
    for (const p of this.phases) {
      for (const [name, s] of Object.entries(p.byInstruction)) {
        const t = (out[name] ??= { transactions: 0, instructions: 0, cu: 0, maxTxCu: 0 });
        t.transactions += s.transactions;
        t.instructions += s.instructions;
        t.cu += s.cu;
        t.maxTxCu = Math.max(t.maxTxCu, s.maxTxCu);
      }
    }
    return out;
  }
}
