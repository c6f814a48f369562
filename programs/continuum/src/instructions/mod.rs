//! One module per instruction. Each documents its accounts (in order, with signer/writable
//! flags and PDA seeds), its borsh arguments with byte offsets, its checks and its effect.

pub mod cancel_market;
pub mod claim;
pub mod claim_lp;
pub mod close_market;
pub mod close_proposal;
pub mod create_market;
pub mod deposit_collateral;
pub mod edit_distribution;
pub mod execute_rebalance;
pub mod init_shard;
pub mod initialize_config;
pub mod open_market;
pub mod propose_rebalance;
pub mod register_keeper;
pub mod register_market;
pub mod report_contention;
pub mod resolve_market;
pub mod trade;
pub mod unregister_keeper;
pub mod vote_rebalance;
pub mod withdraw_collateral;
pub mod withdraw_stake;

/// Length of an Anchor instruction discriminator.
pub const DISCRIMINATOR_LEN: usize = 8;

/// `sha256("global:<snake_name>")[..8]` of every instruction (checked by a host test).
pub mod discriminator {
    /// `initialize_config`.
    pub const INITIALIZE_CONFIG: [u8; 8] = [208, 127, 21, 1, 194, 190, 196, 70];
    /// `init_shard`.
    pub const INIT_SHARD: [u8; 8] = [52, 43, 132, 208, 128, 105, 135, 39];
    /// `register_market`.
    pub const REGISTER_MARKET: [u8; 8] = [24, 163, 183, 185, 145, 243, 36, 146];
    /// `deposit_collateral`.
    pub const DEPOSIT_COLLATERAL: [u8; 8] = [156, 131, 142, 116, 146, 247, 162, 120];
    /// `register_keeper`.
    pub const REGISTER_KEEPER: [u8; 8] = [175, 126, 140, 213, 21, 174, 234, 239];
    /// `unregister_keeper`.
    pub const UNREGISTER_KEEPER: [u8; 8] = [37, 244, 5, 7, 116, 34, 79, 75];
    /// `withdraw_stake`.
    pub const WITHDRAW_STAKE: [u8; 8] = [153, 8, 22, 138, 105, 176, 87, 66];
    /// `report_contention`.
    pub const REPORT_CONTENTION: [u8; 8] = [234, 47, 146, 96, 207, 117, 97, 211];
    /// `propose_rebalance`.
    pub const PROPOSE_REBALANCE: [u8; 8] = [11, 89, 222, 191, 238, 93, 94, 177];
    /// `vote_rebalance`.
    pub const VOTE_REBALANCE: [u8; 8] = [205, 40, 179, 90, 206, 47, 147, 186];
    /// `execute_rebalance`.
    pub const EXECUTE_REBALANCE: [u8; 8] = [36, 232, 110, 192, 96, 226, 100, 120];
    /// `close_proposal`.
    pub const CLOSE_PROPOSAL: [u8; 8] = [213, 178, 139, 19, 50, 191, 82, 245];
    /// `withdraw_collateral`.
    pub const WITHDRAW_COLLATERAL: [u8; 8] = [115, 135, 168, 106, 139, 214, 138, 150];
    /// `create_market`.
    pub const CREATE_MARKET: [u8; 8] = [103, 226, 97, 235, 200, 188, 251, 254];
    /// `edit_distribution`.
    pub const EDIT_DISTRIBUTION: [u8; 8] = [142, 142, 235, 173, 185, 187, 4, 225];
    /// `open_market`.
    pub const OPEN_MARKET: [u8; 8] = [116, 19, 123, 75, 217, 244, 69, 44];
    /// `trade`.
    pub const TRADE: [u8; 8] = [178, 144, 26, 216, 241, 187, 206, 130];
    /// `resolve_market`.
    pub const RESOLVE_MARKET: [u8; 8] = [155, 23, 80, 173, 46, 74, 23, 239];
    /// `claim`.
    pub const CLAIM: [u8; 8] = [62, 198, 214, 193, 213, 159, 108, 210];
    /// `claim_lp`.
    pub const CLAIM_LP: [u8; 8] = [4, 196, 142, 10, 43, 200, 164, 3];
    /// `cancel_market`.
    pub const CANCEL_MARKET: [u8; 8] = [205, 121, 84, 210, 222, 71, 150, 11];
    /// `close_market`.
    pub const CLOSE_MARKET: [u8; 8] = [88, 154, 248, 186, 48, 14, 123, 244];
}

/// Every instruction as `(snake_case name, discriminator)`, for interface tests and the IDL check.
///
/// Host-only: a table of `&str` would put pointers in SBPF read-only data, which this toolchain
/// can't relocate.
#[cfg(not(target_arch = "bpf"))]
pub const ALL: &[(&str, [u8; 8])] = &[
    ("initialize_config", discriminator::INITIALIZE_CONFIG),
    ("init_shard", discriminator::INIT_SHARD),
    ("register_market", discriminator::REGISTER_MARKET),
    ("deposit_collateral", discriminator::DEPOSIT_COLLATERAL),
    ("register_keeper", discriminator::REGISTER_KEEPER),
    ("unregister_keeper", discriminator::UNREGISTER_KEEPER),
    ("withdraw_stake", discriminator::WITHDRAW_STAKE),
    ("report_contention", discriminator::REPORT_CONTENTION),
    ("propose_rebalance", discriminator::PROPOSE_REBALANCE),
    ("vote_rebalance", discriminator::VOTE_REBALANCE),
    ("execute_rebalance", discriminator::EXECUTE_REBALANCE),
    ("close_proposal", discriminator::CLOSE_PROPOSAL),
    ("withdraw_collateral", discriminator::WITHDRAW_COLLATERAL),
    ("create_market", discriminator::CREATE_MARKET),
    ("edit_distribution", discriminator::EDIT_DISTRIBUTION),
    ("open_market", discriminator::OPEN_MARKET),
    ("trade", discriminator::TRADE),
    ("resolve_market", discriminator::RESOLVE_MARKET),
    ("claim", discriminator::CLAIM),
    ("claim_lp", discriminator::CLAIM_LP),
    ("cancel_market", discriminator::CANCEL_MARKET),
    ("close_market", discriminator::CLOSE_MARKET),
];
