import { PublicKey } from "@solana/web3.js";
import { CONFIG_SEED, PROGRAM_ID } from "./constants.js";

/** Config PDA: seeds `["config"]`. */
export function findConfigPda(programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CONFIG_SEED], programId);
}
