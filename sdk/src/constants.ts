import { PublicKey } from "@solana/web3.js";

/** The Continuum program id (see `keys/continuum-program-keypair.json`, `Anchor.toml`). */
export const PROGRAM_ID = new PublicKey("CtasKDpj248MTjoHmkNGUcGcfLj5Rt7nJZwvURG1gFL5");

/** The upgradeable BPF loader (loader v3): owns the program and its ProgramData account. */
export const BPF_LOADER_UPGRADEABLE_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

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
/** Default approval execution window after the voting window, slots. */
export const DEFAULT_EXECUTION_WINDOW_SLOTS = 100n;
/** Default share of active stake that must report a shard hot in one latency window, bps. */
export const DEFAULT_LATENCY_QUORUM_BPS = 5_000;
/** Default longest market life (creation to resolution deadline): 365 days, seconds. */
export const DEFAULT_MAX_MARKET_DURATION_SECONDS = 365n * 24n * 3_600n;
/** Default grace period before a settled market with outstanding claims may be closed: 90 days. */
export const DEFAULT_SETTLEMENT_GRACE_SECONDS = 90n * 24n * 3_600n;

/** PDA seed prefix of Shard accounts: `["shard", [shard_id]]`. */
export const SHARD_SEED = new TextEncoder().encode("shard");
/** PDA seed prefix of shard vaults (collateral token accounts): `["vault", [shard_id]]`. */
export const VAULT_SEED = new TextEncoder().encode("vault");
/** PDA seed prefix of Market accounts: `["market", market_key]`. */
export const MARKET_SEED = new TextEncoder().encode("market");
/** PDA seed prefix of Keeper accounts: `["keeper", authority]`. */
export const KEEPER_SEED = new TextEncoder().encode("keeper");
/** PDA seed prefix of RebalanceProposal accounts: `["proposal", id as u64 LE]`. */
export const PROPOSAL_SEED = new TextEncoder().encode("proposal");

/** Most markets one rebalance proposal moves. */
export const MAX_PROPOSAL_MARKETS = 8;
/** Entries in a shard's hottest-markets table. */
export const HOT_MARKETS = 4;
/** Basis points in one whole. */
export const BPS_SCALE = 10_000n;

/** PDA seed prefix of Position accounts: `["position", market, owner]`. */
export const POSITION_SEED = new TextEncoder().encode("position");
/** Largest grid an AMM market accepts (`state::amm::N_MAX`). */
export const AMM_N_MAX = 615;
/** Largest cap `b` an AMM market accepts (`continuum_math::KERNEL_B_MAX`, 2^56 base units). */
export const AMM_B_MAX = 1n << 56n;
/** Most control points of a Custom shape. */
export const MAX_CONTROL_POINTS = 16;
