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
    /// `TradeExecuted` (see [`super::TradeExecuted`]).
    pub const TRADE_EXECUTED: [u8; 8] = [41, 110, 64, 129, 60, 79, 179, 80];
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
    ("TradeExecuted", discriminator::TRADE_EXECUTED),
    ("MarketResolved", discriminator::MARKET_RESOLVED),
    ("PositionClaimed", discriminator::POSITION_CLAIMED),
    ("LpClaimed", discriminator::LP_CLAIMED),
    ("MarketCancelled", discriminator::MARKET_CANCELLED),
    ("MarketClosed", discriminator::MARKET_CLOSED),
];

/// `TradeExecuted`: every trade's receipt (borsh, fields in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeExecuted {
    /// The market account.
    pub market: [u8; 32],
    /// The trader.
    pub trader: [u8; 32],
    /// Direction kind (`DirectionKind`: 0 Range, 1 Shape, 2 Unwind).
    pub kind: u8,
    /// Signed size (an unwind's fraction at 1e9).
    pub t: i64,
    /// Canonical scale of the new curve.
    pub c: u64,
    /// The position's netted collateral before the trade (R).
    pub collateral_before: u64,
    /// After the trade (R').
    pub collateral_after: u64,
    /// Fee paid to the pool.
    pub fee: u64,
    /// Tokens the trader paid (0 on a refund).
    pub amount_in: u64,
    /// Tokens refunded to the trader (0 on a payment).
    pub amount_out: u64,
    /// The market's `trade_count` after this trade.
    pub trade_index: u64,
}

impl TradeExecuted {
    /// Borsh size of the payload (after the 8-byte discriminator).
    pub const DATA_LEN: usize = 32 + 32 + 1 + 8 * 8;

    /// Byte offsets of each field in the payload (checked against the IDL by a host test).
    /// Host-only: a table of `&str` would put pointers in SBPF read-only data.
    #[cfg(not(target_arch = "bpf"))]
    pub const OFFSETS: [(&'static str, usize); 11] = [
        ("market", 0),
        ("trader", 32),
        ("kind", 64),
        ("t", 65),
        ("c", 73),
        ("collateral_before", 81),
        ("collateral_after", 89),
        ("fee", 97),
        ("amount_in", 105),
        ("amount_out", 113),
        ("trade_index", 121),
    ];

    /// Discriminator + payload.
    #[inline(always)]
    pub fn encode(&self) -> [u8; 8 + Self::DATA_LEN] {
        let mut buf = [0u8; 8 + Self::DATA_LEN];
        buf[..8].copy_from_slice(&discriminator::TRADE_EXECUTED);
        buf[8..40].copy_from_slice(&self.market);
        buf[40..72].copy_from_slice(&self.trader);
        buf[72] = self.kind;
        let words = [
            self.t as u64,
            self.c,
            self.collateral_before,
            self.collateral_after,
            self.fee,
            self.amount_in,
            self.amount_out,
            self.trade_index,
        ];
        for (k, w) in words.iter().enumerate() {
            let at = 73 + 8 * k;
            buf[at..at + 8].copy_from_slice(&w.to_le_bytes());
        }
        buf
    }

    /// Logs the event (`sol_log_data`).
    #[inline(always)]
    pub fn emit(&self) {
        crate::sys::emit(&self.encode());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field lands at its documented offset, little endian.
    #[test]
    fn trade_executed_fields_at_their_offsets() {
        let e = TradeExecuted {
            market: [1; 32],
            trader: [2; 32],
            kind: 3,
            t: -4,
            c: 5,
            collateral_before: 6,
            collateral_after: 7,
            fee: 8,
            amount_in: 9,
            amount_out: 10,
            trade_index: 11,
        };
        let b = e.encode();
        assert_eq!(b.len(), 8 + TradeExecuted::DATA_LEN);
        assert_eq!(&b[..8], &discriminator::TRADE_EXECUTED);
        let p = &b[8..];
        let at = |name: &str| {
            TradeExecuted::OFFSETS
                .iter()
                .find(|o| o.0 == name)
                .unwrap()
                .1
        };
        assert_eq!(&p[at("market")..at("market") + 32], &[1u8; 32]);
        assert_eq!(&p[at("trader")..at("trader") + 32], &[2u8; 32]);
        assert_eq!(p[at("kind")], 3);
        let word = |name: &str| u64::from_le_bytes(p[at(name)..at(name) + 8].try_into().unwrap());
        assert_eq!(word("t") as i64, -4);
        for (name, v) in [
            ("c", 5),
            ("collateral_before", 6),
            ("collateral_after", 7),
            ("fee", 8),
            ("amount_in", 9),
            ("amount_out", 10),
            ("trade_index", 11),
        ] {
            assert_eq!(word(name), v, "{name}");
        }
        assert_eq!(at("trade_index") + 8, TradeExecuted::DATA_LEN);
    }
}
