/** `Chain` adapters over the test runtimes, and chains that misbehave on purpose. */
import type { Chain, ChainReader, SendResult } from "../../sdk/src/keeper/index.js";
import type { TestRuntime } from "../harness/runtime.js";

/** The keeper's `Chain` over a test runtime (the runtime's fee payer pays). */
export function runtimeChain(rt: TestRuntime): Chain {
  return {
    getAccount: (pubkey) => rt.getAccount(pubkey),
    getSlot: () => rt.slot(),
    async send(instructions, signers): Promise<SendResult> {
      const r = await rt.send(instructions, signers);
      return {
        ok: r.ok,
        logs: r.logs,
        ...(r.error === undefined ? {} : { error: r.error }),
        ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
      };
    },
  };
}

/** `chain` with its reader's slot replaced (an RPC node lagging behind the leader). */
export function laggingChain(chain: Chain, slot: bigint): Chain {
  return { ...chain, getSlot: async () => slot };
}

/** `chain` whose every send throws (a dead RPC endpoint). */
export function throwingWriter(chain: Chain, message: string): Chain {
  return {
    ...chain,
    send: async () => {
      throw new Error(message);
    },
  };
}

/** A reader whose every read throws. */
export function throwingReader(chain: Chain, message: string): Chain {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  const reader: ChainReader = { getAccount: fail, getSlot: fail };
  return { ...reader, send: chain.send };
}
