//! Sharding events: `sol_log_data(sha256("event:<Name>")[..8] ++ borsh payload)`, one typed
//! struct per event ([`typed_event!`]), its fields in payload order.

use crate::event_codec::typed_event;
#[cfg(not(target_arch = "bpf"))]
use crate::event_codec::EventLayout;

/// `sha256("event:<Name>")[..8]` of every event (checked by a host test, listed in the IDL).
pub mod discriminator {
    /// [`super::MarketRegistered`].
    pub const MARKET_REGISTERED: [u8; 8] = [242, 192, 131, 54, 137, 236, 116, 90];
    /// [`super::CollateralDeposited`].
    pub const COLLATERAL_DEPOSITED: [u8; 8] = [244, 62, 77, 11, 135, 112, 61, 96];
    /// [`super::KeeperRegistered`].
    pub const KEEPER_REGISTERED: [u8; 8] = [92, 176, 91, 165, 217, 103, 54, 208];
    /// [`super::RebalanceProposed`].
    pub const REBALANCE_PROPOSED: [u8; 8] = [68, 109, 191, 92, 88, 209, 142, 88];
    /// [`super::RebalanceVoted`].
    pub const REBALANCE_VOTED: [u8; 8] = [74, 100, 103, 129, 228, 116, 42, 255];
    /// [`super::MarketMigrated`].
    pub const MARKET_MIGRATED: [u8; 8] = [196, 0, 143, 107, 73, 246, 52, 158];
    /// [`super::RebalanceExecuted`].
    pub const REBALANCE_EXECUTED: [u8; 8] = [194, 41, 129, 249, 215, 226, 122, 248];
    /// [`super::CollateralWithdrawn`].
    pub const COLLATERAL_WITHDRAWN: [u8; 8] = [51, 224, 133, 106, 74, 173, 72, 82];
}

/// Every sharding event as `(name, discriminator)` (host-only: no `&str` tables on SBPF).
#[cfg(not(target_arch = "bpf"))]
pub const ALL: &[(&str, [u8; 8])] = &[
    ("MarketRegistered", discriminator::MARKET_REGISTERED),
    ("CollateralDeposited", discriminator::COLLATERAL_DEPOSITED),
    ("KeeperRegistered", discriminator::KEEPER_REGISTERED),
    ("RebalanceProposed", discriminator::REBALANCE_PROPOSED),
    ("RebalanceVoted", discriminator::REBALANCE_VOTED),
    ("MarketMigrated", discriminator::MARKET_MIGRATED),
    ("RebalanceExecuted", discriminator::REBALANCE_EXECUTED),
    ("CollateralWithdrawn", discriminator::COLLATERAL_WITHDRAWN),
];

/// Every sharding event's layout, in [`ALL`]'s order (host-only).
#[cfg(not(target_arch = "bpf"))]
pub const LAYOUTS: &[EventLayout] = &[
    MarketRegistered::LAYOUT,
    CollateralDeposited::LAYOUT,
    KeeperRegistered::LAYOUT,
    RebalanceProposed::LAYOUT,
    RebalanceVoted::LAYOUT,
    MarketMigrated::LAYOUT,
    RebalanceExecuted::LAYOUT,
    CollateralWithdrawn::LAYOUT,
];

typed_event! {
    /// `MarketRegistered`: a market key got its Market PDA on its assigned shard.
    MarketRegistered = discriminator::MARKET_REGISTERED {
        /// The market's key (PDA seed).
        market_key: [u8; 32],
        /// The Market account.
        market: [u8; 32],
        /// The shard it was assigned to.
        shard_id: u8,
        /// The shard's market count after the registration.
        shard_market_count: u64,
    }
}

typed_event! {
    /// `CollateralDeposited`: tokens moved into a sharding-only market's shard vault.
    CollateralDeposited = discriminator::COLLATERAL_DEPOSITED {
        /// The market's key.
        market_key: [u8; 32],
        /// The market's shard.
        shard_id: u8,
        /// Tokens deposited, base units.
        amount: u64,
        /// The market's vault balance after the deposit.
        vault_amount: u64,
    }
}

typed_event! {
    /// `KeeperRegistered`: a keeper staked and joined.
    KeeperRegistered = discriminator::KEEPER_REGISTERED {
        /// The keeper's authority.
        authority: [u8; 32],
        /// Its stake, lamports.
        stake: u64,
        /// Every active keeper's stake after it joined.
        total_active_stake: u64,
    }
}

typed_event! {
    /// `RebalanceProposed`: a keeper proposed moving markets between shards.
    RebalanceProposed = discriminator::REBALANCE_PROPOSED {
        /// The proposal's id.
        proposal_id: u64,
        /// The proposing keeper's authority.
        proposer: [u8; 32],
        /// Shard the markets leave.
        from_shard: u8,
        /// Shard they go to.
        to_shard: u8,
        /// Markets in the proposal.
        market_count: u8,
        /// Total active stake when voting opened (the approval threshold's base).
        snapshot_total_stake: u64,
        /// Last slot of the voting window.
        voting_end_slot: u64,
    }
}

typed_event! {
    /// `RebalanceVoted`: a keeper voted on a proposal.
    RebalanceVoted = discriminator::REBALANCE_VOTED {
        /// The proposal's id.
        proposal_id: u64,
        /// The voting keeper's authority.
        keeper: [u8; 32],
        /// For (`true`) or against.
        approve: bool,
        /// The vote's weight (the keeper's stake).
        weight: u64,
        /// Stake for the proposal after this vote.
        yes_stake: u64,
        /// Stake against it after this vote.
        no_stake: u64,
    }
}

typed_event! {
    /// `MarketMigrated`: one market of an executed proposal moved shards.
    MarketMigrated = discriminator::MARKET_MIGRATED {
        /// The proposal's id.
        proposal_id: u64,
        /// The market's key.
        market_key: [u8; 32],
        /// Shard it left.
        from_shard: u8,
        /// Shard it joined.
        to_shard: u8,
        /// Its vault balance, moved with it.
        vault_amount: u64,
        /// `keccak256` of the market account's data before the move.
        state_hash_before: [u8; 32],
        /// And after.
        state_hash_after: [u8; 32],
    }
}

typed_event! {
    /// `RebalanceExecuted`: an approved proposal was carried out.
    RebalanceExecuted = discriminator::REBALANCE_EXECUTED {
        /// The proposal's id.
        proposal_id: u64,
        /// Shard the markets left.
        from_shard: u8,
        /// Shard they joined.
        to_shard: u8,
        /// Markets moved.
        market_count: u8,
        /// Tokens moved between the two shard vaults.
        amount_moved: u64,
    }
}

typed_event! {
    /// `CollateralWithdrawn`: the authority took tokens out of a sharding-only market.
    CollateralWithdrawn = discriminator::COLLATERAL_WITHDRAWN {
        /// The market's key.
        market_key: [u8; 32],
        /// The market's shard.
        shard_id: u8,
        /// Tokens withdrawn, base units.
        amount: u64,
        /// The market's vault balance after the withdrawal.
        vault_amount: u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_codec::assert_fields;

    #[test]
    fn market_registered_fields_at_their_offsets() {
        let e = MarketRegistered {
            market_key: [1; 32],
            market: [2; 32],
            shard_id: 3,
            shard_market_count: 4,
        };
        assert_fields(
            &e.encode(),
            &MarketRegistered::LAYOUT,
            &[
                ("market_key", &[1; 32]),
                ("market", &[2; 32]),
                ("shard_id", &[3]),
                ("shard_market_count", &4u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn collateral_events_fields_at_their_offsets() {
        let deposited = CollateralDeposited {
            market_key: [1; 32],
            shard_id: 2,
            amount: 3,
            vault_amount: 4,
        };
        assert_fields(
            &deposited.encode(),
            &CollateralDeposited::LAYOUT,
            &[
                ("market_key", &[1; 32]),
                ("shard_id", &[2]),
                ("amount", &3u64.to_le_bytes()),
                ("vault_amount", &4u64.to_le_bytes()),
            ],
        );
        let withdrawn = CollateralWithdrawn {
            market_key: [5; 32],
            shard_id: 6,
            amount: 7,
            vault_amount: 8,
        };
        assert_fields(
            &withdrawn.encode(),
            &CollateralWithdrawn::LAYOUT,
            &[
                ("market_key", &[5; 32]),
                ("shard_id", &[6]),
                ("amount", &7u64.to_le_bytes()),
                ("vault_amount", &8u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn keeper_registered_fields_at_their_offsets() {
        let e = KeeperRegistered {
            authority: [1; 32],
            stake: 2,
            total_active_stake: 3,
        };
        assert_fields(
            &e.encode(),
            &KeeperRegistered::LAYOUT,
            &[
                ("authority", &[1; 32]),
                ("stake", &2u64.to_le_bytes()),
                ("total_active_stake", &3u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn rebalance_proposed_fields_at_their_offsets() {
        let e = RebalanceProposed {
            proposal_id: 1,
            proposer: [2; 32],
            from_shard: 3,
            to_shard: 4,
            market_count: 5,
            snapshot_total_stake: 6,
            voting_end_slot: 7,
        };
        assert_fields(
            &e.encode(),
            &RebalanceProposed::LAYOUT,
            &[
                ("proposal_id", &1u64.to_le_bytes()),
                ("proposer", &[2; 32]),
                ("from_shard", &[3]),
                ("to_shard", &[4]),
                ("market_count", &[5]),
                ("snapshot_total_stake", &6u64.to_le_bytes()),
                ("voting_end_slot", &7u64.to_le_bytes()),
            ],
        );
    }

    #[test]
    fn rebalance_voted_fields_at_their_offsets() {
        for approve in [false, true] {
            let e = RebalanceVoted {
                proposal_id: 1,
                keeper: [2; 32],
                approve,
                weight: 3,
                yes_stake: 4,
                no_stake: 5,
            };
            assert_fields(
                &e.encode(),
                &RebalanceVoted::LAYOUT,
                &[
                    ("proposal_id", &1u64.to_le_bytes()),
                    ("keeper", &[2; 32]),
                    ("approve", &[approve as u8]),
                    ("weight", &3u64.to_le_bytes()),
                    ("yes_stake", &4u64.to_le_bytes()),
                    ("no_stake", &5u64.to_le_bytes()),
                ],
            );
        }
    }

    #[test]
    fn market_migrated_fields_at_their_offsets() {
        let e = MarketMigrated {
            proposal_id: 1,
            market_key: [2; 32],
            from_shard: 3,
            to_shard: 4,
            vault_amount: 5,
            state_hash_before: [6; 32],
            state_hash_after: [7; 32],
        };
        assert_fields(
            &e.encode(),
            &MarketMigrated::LAYOUT,
            &[
                ("proposal_id", &1u64.to_le_bytes()),
                ("market_key", &[2; 32]),
                ("from_shard", &[3]),
                ("to_shard", &[4]),
                ("vault_amount", &5u64.to_le_bytes()),
                ("state_hash_before", &[6; 32]),
                ("state_hash_after", &[7; 32]),
            ],
        );
    }

    #[test]
    fn rebalance_executed_fields_at_their_offsets() {
        let e = RebalanceExecuted {
            proposal_id: 1,
            from_shard: 2,
            to_shard: 3,
            market_count: 4,
            amount_moved: 5,
        };
        assert_fields(
            &e.encode(),
            &RebalanceExecuted::LAYOUT,
            &[
                ("proposal_id", &1u64.to_le_bytes()),
                ("from_shard", &[2]),
                ("to_shard", &[3]),
                ("market_count", &[4]),
                ("amount_moved", &5u64.to_le_bytes()),
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
