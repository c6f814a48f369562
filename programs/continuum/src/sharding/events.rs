//! Anchor events: `sol_log_data(sha256("event:<Name>")[..8] ++ borsh payload)`.
//!
//! Payloads are built in a fixed stack buffer (no allocation, no formatting).

use crate::sys;

/// `sha256("event:<Name>")[..8]` of every event (checked by a host test, listed in the IDL).
pub mod discriminator {
    /// `MarketRegistered { market_key: [u8; 32], market: pubkey, shard_id: u8 }`.
    pub const MARKET_REGISTERED: [u8; 8] = [242, 192, 131, 54, 137, 236, 116, 90];
    /// `CollateralDeposited { market_key, shard_id: u8, amount: u64, vault_amount: u64 }`.
    pub const COLLATERAL_DEPOSITED: [u8; 8] = [244, 62, 77, 11, 135, 112, 61, 96];
    /// `KeeperRegistered { authority: pubkey, stake: u64, total_active_stake: u64 }`.
    pub const KEEPER_REGISTERED: [u8; 8] = [92, 176, 91, 165, 217, 103, 54, 208];
    /// `RebalanceProposed { proposal_id, proposer, from_shard, to_shard, market_count,
    /// snapshot_total_stake, voting_end_slot }`.
    pub const REBALANCE_PROPOSED: [u8; 8] = [68, 109, 191, 92, 88, 209, 142, 88];
    /// `RebalanceVoted { proposal_id, keeper, approve, weight, yes_stake, no_stake }`.
    pub const REBALANCE_VOTED: [u8; 8] = [74, 100, 103, 129, 228, 116, 42, 255];
    /// `MarketMigrated { proposal_id, market_key, from_shard, to_shard, vault_amount,
    /// state_hash_before, state_hash_after }`.
    pub const MARKET_MIGRATED: [u8; 8] = [196, 0, 143, 107, 73, 246, 52, 158];
    /// `RebalanceExecuted { proposal_id, from_shard, to_shard, market_count, amount_moved }`.
    pub const REBALANCE_EXECUTED: [u8; 8] = [194, 41, 129, 249, 215, 226, 122, 248];
    /// `CollateralWithdrawn { market_key, shard_id: u8, amount: u64, vault_amount: u64 }`.
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

/// Largest event payload (MarketMigrated: 8 + 8 + 32 + 1 + 1 + 8 + 32 + 32 = 122).
pub const MAX_EVENT_LEN: usize = 128;

/// A borsh event payload under construction.
pub struct Event {
    buf: [u8; MAX_EVENT_LEN],
    len: usize,
}

impl Event {
    /// Starts an event with its discriminator.
    #[inline(always)]
    pub fn new(discriminator: &[u8; 8]) -> Self {
        let mut e = Self {
            buf: [0; MAX_EVENT_LEN],
            len: 0,
        };
        e.bytes(discriminator);
        e
    }

    /// Appends raw bytes (fixed arrays, pubkeys); ignored past the buffer end.
    #[inline(always)]
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        let end = self.len + b.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(b);
            self.len = end;
        }
        self
    }

    /// Appends a borsh `u8` / `bool`.
    #[inline(always)]
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes(&[v])
    }

    /// Appends a borsh `u64`.
    #[inline(always)]
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Logs the event with `sol_log_data`.
    #[inline(always)]
    pub fn emit(&self) {
        sys::emit(&self.buf[..self.len]);
    }
}
