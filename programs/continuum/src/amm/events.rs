//! AMM events (`sol_log_data` of `sha256("event:<Name>")[..8]` + borsh payload), built with
//! the sharding layer's [`Event`](crate::sharding::events::Event) writer.

/// `sha256("event:<Name>")[..8]` of every AMM event (checked by a host test, listed in the IDL).
pub mod discriminator {
    /// `MarketCreated { market, market_key, shard_id: u8, n_points: u32, b, k, scale }`.
    pub const MARKET_CREATED: [u8; 8] = [88, 184, 130, 231, 226, 84, 6, 58];
    /// `DistributionEdited { market, scale, shape_kind: u8 }`.
    pub const DISTRIBUTION_EDITED: [u8; 8] = [211, 113, 233, 158, 96, 135, 172, 130];
    /// `MarketOpened { market }`.
    pub const MARKET_OPENED: [u8; 8] = [98, 146, 98, 81, 117, 211, 121, 211];
    /// `TradeEvent { market, trader, i0: u32, i1: u32, t, c, collateral, trade_index }`.
    pub const TRADE_EVENT: [u8; 8] = [189, 219, 127, 211, 78, 230, 97, 238];
    /// `MarketResolved { market, outcome: i64 }`.
    pub const MARKET_RESOLVED: [u8; 8] = [89, 67, 230, 95, 143, 106, 199, 202];
    /// `PositionClaimed { market, owner, amount, remainder }`.
    pub const POSITION_CLAIMED: [u8; 8] = [149, 250, 141, 45, 210, 198, 94, 148];
    /// `LpClaimed { market, authority, amount, remainder }`.
    pub const LP_CLAIMED: [u8; 8] = [10, 0, 30, 33, 125, 180, 171, 129];
    /// `MarketCancelled { market }`.
    pub const MARKET_CANCELLED: [u8; 8] = [139, 163, 33, 168, 19, 180, 81, 170];
    /// `MarketClosed { market, authority, vault, rent }`.
    pub const MARKET_CLOSED: [u8; 8] = [86, 91, 119, 43, 94, 0, 217, 113];
}

/// Every AMM event as `(name, discriminator)` (host-only: no `&str` tables on SBPF).
#[cfg(not(target_arch = "bpf"))]
pub const ALL: &[(&str, [u8; 8])] = &[
    ("MarketCreated", discriminator::MARKET_CREATED),
    ("DistributionEdited", discriminator::DISTRIBUTION_EDITED),
    ("MarketOpened", discriminator::MARKET_OPENED),
    ("TradeEvent", discriminator::TRADE_EVENT),
    ("MarketResolved", discriminator::MARKET_RESOLVED),
    ("PositionClaimed", discriminator::POSITION_CLAIMED),
    ("LpClaimed", discriminator::LP_CLAIMED),
    ("MarketCancelled", discriminator::MARKET_CANCELLED),
    ("MarketClosed", discriminator::MARKET_CLOSED),
];
