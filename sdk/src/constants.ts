import { PublicKey } from "@solana/web3.js";

/** The Continuum program id (see `keys/continuum-program-keypair.json`, `Anchor.toml`). */
export const PROGRAM_ID = new PublicKey("CtasKDpj248MTjoHmkNGUcGcfLj5Rt7nJZwvURG1gFL5");

/** PDA seed of the Config account: `["config"]`. */
export const CONFIG_SEED = new TextEncoder().encode("config");

/** Offset of the first custom program error (Anchor convention). */
export const ERROR_CODE_OFFSET = 6000;

/** Default keeper-reported contention threshold, microseconds. */
export const DEFAULT_CONTENTION_THRESHOLD_US = 1_500;
/** Default approval threshold: 66.70% of snapshot stake, basis points. */
export const DEFAULT_VOTE_THRESHOLD_BPS = 6_670;
/** Default voting window, slots. */
export const DEFAULT_VOTING_WINDOW_SLOTS = 100n;
