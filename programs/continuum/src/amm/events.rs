//! AMM events (`sol_log_data` of `sha256("event:<Name>")[..8]` + borsh payload): one typed
//! struct per event ([`typed_event!`]), its fields in payload order.

use crate::event_codec::typed_event;
#[cfg(not(target_arch = "bpf"))]
use crate::event_codec::EventLayout;

/// `sha256("event:<Name>")[..8]` of every AMM event (checked by a host test, listed in the IDL).
pub mod discriminator {
    /// [`super::MarketCreated`].
    pub const MARKET_CREATED: [u8; 8] = [88, 184, 130, 231, 226, 84, 6, 58];
    /// [`super::DistributionEdited`].
    pub const DISTRIBUTION_EDITED: [u8; 8] = [211, 113, 233, 158, 96, 135, 172, 130];
    /// [`super::MarketOpened`].
    pub const MARKET_OPENED: [u8; 8] = [98, 146, 98, 81, 117, 211, 121, 211];
    /// [`super::TradeExecuted`].
    pub const TRADE_EXECUTED: [u8; 8] = [41, 110, 64, 129, 60, 79, 179, 80];
    /// [`super::MarketResolved`].
    pub const MARKET_RESOLVED: [u8; 8] = [89, 67, 230, 95, 143, 106, 199, 202];
    /// [`super::PositionClaimed`].
    pub const POSITION_CLAIMED: [u8; 8] = [149, 250, 141, 45, 210, 198, 94, 148];
    /// [`super::LpClaimed`].
    pub const LP_CLAIMED: [u8; 8] = [10, 0, 30, 33, 125, 180, 171, 129];
    /// [`super::MarketCancelled`].
    pub const MARKET_CANCELLED: [u8; 8] = [139, 163, 33, 168, 19, 180, 81, 170];
    /// [`super::MarketClosed`].
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

/// Every AMM event's layout, in [`ALL`]'s order (host-only).
#[cfg(not(target_arch = "bpf"))]
pub const LAYOUTS: &[EventLayout] = &[
    MarketCreated::LAYOUT,
    DistributionEdited::LAYOUT,
    MarketOpened::LAYOUT,
    TradeExecuted::LAYOUT,
    MarketResolved::LAYOUT,
    PositionClaimed::LAYOUT,
    LpClaimed::LAYOUT,
    MarketCancelled::LAYOUT,
    MarketClosed::LAYOUT,
];

typed_event! {
    /// `MarketCreated`: a market was created (status Setup) and funded with `b`.
    MarketCreated = discriminator::MARKET_CREATED {
        /// The market account.
        market: [u8; 32],
        /// The market's key (PDA seed).
        market_key: [u8; 32],
        /// The shard it was assigned to.
        shard_id: u8,
        /// Grid points.
        n_points: u32,
        /// Cap on every grid value: the liquidity the authority posted, base units.
        b: u64,
        /// The curve's L2 norm target.
        k: u64,
        /// Canonical scale of the initial curve.
        scale: u64,
    }
}

typed_event! {
    /// `DistributionEdited`: the authority replaced or dragged the Setup curve.
    DistributionEdited = discriminator::DISTRIBUTION_EDITED {
        /// The market account.
        market: [u8; 32],
        /// Canonical scale of the new curve.
        scale: u64,
        /// The market's recorded `shape_kind` (`SHAPE_EDITED` after a point drag).
        shape_kind: u8,
    }
}

typed_event! {
    /// `MarketOpened`: trading started.
    MarketOpened = discriminator::MARKET_OPENED {
        /// The market account.
        market: [u8; 32],
    }
}

typed_event! {
    /// `TradeExecuted`: every trade's receipt.
    TradeExecuted = discriminator::TRADE_EXECUTED {
        /// The market account.
        market: [u8; 32],
        /// The trader.
        trader: [u8; 32],
        /// Direction kind (`DirectionKind`: 0 Range, 1 Shape, 2 Unwind).
        kind: u8,
        /// Signed size (an unwind's fraction at 1e9).
        t: i64,
        /// Canonical scale of the new curve.
        c: u64,
        /// The position's netted collateral before the trade (R).
        collateral_before: u64,
        /// After the trade (R').
        collateral_after: u64,
        /// Fee paid to the pool.
        fee: u64,
        /// Tokens the trader paid (0 on a refund).
        amount_in: u64,
        /// Tokens refunded to the trader (0 on a payment).
        amount_out: u64,
        /// The market's `trade_count` after this trade.
        trade_index: u64,
    }
}

typed_event! {
    /// `MarketResolved`: the resolver reported the outcome.
    MarketResolved = discriminator::MARKET_RESOLVED {
        /// The market account.
        market: [u8; 32],
        /// The outcome, clamped to `[lo, hi]`.
        outcome: i64,
    }
}

typed_event! {
    /// `PositionClaimed`: a trader's payout (its position is closed).
    PositionClaimed = discriminator::POSITION_CLAIMED {
        /// The market account.
        market: [u8; 32],
        /// The position's owner, who was paid.
        owner: [u8; 32],
        /// Tokens paid.
        amount: u64,
        /// Floor remainder of the interpolated claim, in `1 / step` base units.
        remainder: u64,
    }
}

typed_event! {
    /// `LpClaimed`: the LP's payout (curve share plus fees).
    LpClaimed = discriminator::LP_CLAIMED {
        /// The market account.
        market: [u8; 32],
        /// The market authority, who was paid.
        authority: [u8; 32],
        /// Tokens paid.
        amount: u64,
        /// Floor remainder of the interpolated claim, in `1 / step` base units.
        remainder: u64,
    }
}

typed_event! {
    /// `MarketCancelled`: the market was cancelled (claims refund collateral).
    MarketCancelled = discriminator::MARKET_CANCELLED {
        /// The market account.
        market: [u8; 32],
    }
}

typed_event! {
    /// `MarketClosed`: the authority closed a settled (or a sharding-only) market.
    MarketClosed = discriminator::MARKET_CLOSED {
        /// The market account.
        market: [u8; 32],
        /// The market authority, who received the vault balance and the rent.
        authority: [u8; 32],
        /// Tokens of the market's vault balance paid off the shard to the authority.
        vault: u64,
        /// Lamports of the market account's rent paid to the authority.
        rent: u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_codec::assert_fields;

    /// The receipt's offsets as documented before the struct was derived by `typed_event!`
    /// (the SDK's `decodeTradeExecutedEvents` reads these).
    #[test]
    fn trade_executed_keeps_its_documented_offsets() {
        let documented = [
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
        assert_eq!(TradeExecuted::LAYOUT.fields, documented);
        assert_eq!(TradeExecuted::DATA_LEN, 129);
    }

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
        assert_fields(
            &e.encode(),
            &TradeExecuted::LAYOUT,
            &[
                ("market", &[1; 32]),
                ("trader", &[2; 32]),
                ("kind", &[3]),
                ("t", &(-4i64).to_le_bytes()),
                ("c", &5u64.to_le_bytes()),
                ("collateral_before", &6u64.to_le_bytes()),
                ("collateral_after", &7u64.to_le_bytes()),
                ("fee", &8u64.to_le_bytes()),
                ("amount_in", &9u64.to_le_bytes()),
                ("amount_out", &10u64.to_le_bytes()),
                ("trade_index", &11u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn market_created_fields_at_their_offsets() {
        let e = MarketCreated {
            market: [1; 32],
            market_key: [2; 32],
            shard_id: 3,
            n_points: 0x0405_0607,
            b: 8,
            k: 9,
            scale: u64::MAX - 10,
        };
        assert_fields(
            &e.encode(),
            &MarketCreated::LAYOUT,
            &[
                ("market", &[1; 32]),
                ("market_key", &[2; 32]),
                ("shard_id", &[3]),
                ("n_points", &[7, 6, 5, 4]),
                ("b", &8u64.to_le_bytes()),
                ("k", &9u64.to_le_bytes()),
                ("scale", &(u64::MAX - 10).to_le_bytes()),
            ],
        );
    }

    #[test]
    fn distribution_edited_fields_at_their_offsets() {
        let e = DistributionEdited {
            market: [1; 32],
            scale: 2,
            shape_kind: 255,
        };
        assert_fields(
            &e.encode(),
            &DistributionEdited::LAYOUT,
            &[
                ("market", &[1; 32]),
                ("scale", &2u64.to_le_bytes()),
                ("shape_kind", &[255]),
            ],
        );
    }

    #[test]
    fn market_only_events_carry_the_market() {
        let opened = MarketOpened { market: [7; 32] };
        assert_fields(
            &opened.encode(),
            &MarketOpened::LAYOUT,
            &[("market", &[7; 32])],
        );
        let cancelled = MarketCancelled { market: [8; 32] };
        assert_fields(
            &cancelled.encode(),
            &MarketCancelled::LAYOUT,
            &[("market", &[8; 32])],
        );
    }

    #[test]
    fn market_resolved_fields_at_their_offsets() {
        let e = MarketResolved {
            market: [1; 32],
            outcome: -2,
        };
        assert_fields(
            &e.encode(),
            &MarketResolved::LAYOUT,
            &[("market", &[1; 32]), ("outcome", &(-2i64).to_le_bytes())],
        );
    }

    #[test]
    fn claim_events_fields_at_their_offsets() {
        let position = PositionClaimed {
            market: [1; 32],
            owner: [2; 32],
            amount: 3,
            remainder: 4,
        };
        assert_fields(
            &position.encode(),
            &PositionClaimed::LAYOUT,
            &[
                ("market", &[1; 32]),
                ("owner", &[2; 32]),
                ("amount", &3u64.to_le_bytes()),
                ("remainder", &4u64.to_le_bytes()),
            ],
        );
        let lp = LpClaimed {
            market: [5; 32],
            authority: [6; 32],
            amount: 7,
            remainder: 8,
        };
        assert_fields(
            &lp.encode(),
            &LpClaimed::LAYOUT,
            &[
                ("market", &[5; 32]),
                ("authority", &[6; 32]),
                ("amount", &7u64.to_le_bytes()),
                ("remainder", &8u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn market_closed_fields_at_their_offsets() {
        let e = MarketClosed {
            market: [1; 32],
            authority: [2; 32],
            vault: 3,
            rent: 4,
        };
        assert_fields(
            &e.encode(),
            &MarketClosed::LAYOUT,
            &[
                ("market", &[1; 32]),
                ("authority", &[2; 32]),
                ("vault", &3u64.to_le_bytes()),
                ("rent", &4u64.to_le_bytes()),
            ],
        );
    }

    /// One layout per event, in the same order and with the same discriminators as [`ALL`].
    #[test]
    fn layouts_list_every_event() {
        assert_eq!(LAYOUTS.len(), ALL.len());
        for (layout, (name, disc)) in LAYOUTS.iter().zip(ALL) {
            assert_eq!((layout.name, layout.discriminator), (*name, *disc));
        }
    }
}
