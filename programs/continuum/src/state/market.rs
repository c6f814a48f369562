//! `Market` header: the fixed prefix of every market account.
//!
//! PDA seeds: `["market", market_key]` (32-byte key), bump [`MARKET_BUMP`] = 255 (canonical). Created by
//! `register_market` (header only, status [`MarketStatus::Registered`]); the AMM's market
//! account is the same PDA with AMM fields in a tail after [`MarketHeader::LEN`] bytes, so
//! header-only code (sharding, migration) loads any market with [`super::load_prefix`].
//!
//! The header is frozen: new header fields go in `reserved`, never by moving a field.

use super::load_meter::LoadMeter;
use super::AccountLayout;
use crate::error::{ContinuumError, ContinuumResult};

/// PDA seed prefix of Market accounts.
pub const MARKET_SEED: &[u8] = b"market";

/// The only bump a Market PDA may have. Market keys are chosen by their creator, so they are
/// chosen such that bump 255 gives an off-curve address (half of all keys; the SDK's
/// `generateMarketKey` retries until it does). 255 is then the canonical bump, so there is
/// exactly one Market account per key, and creating it costs one hash and one curve check
/// (~310 CU) instead of an open-ended bump search: `register_market` stays within its
/// 5,000 CU ceiling for every key. Other keys are rejected with `InvalidPda`.
pub const MARKET_BUMP: u8 = 255;

/// A market's lifecycle status, stored as its `u8` value in [`MarketHeader::status`].
///
/// The stored field stays a byte (it is raw account data, so a value outside this enum must be
/// an error, never a transmute); processors read it through [`MarketHeader::has_status`] /
/// [`MarketHeader::status`] and write it through [`MarketHeader::set_status`].
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketStatus {
    /// Registered by the sharding layer only (no curve).
    Registered = 0,
    /// AMM: curve being edited by the authority.
    Setup = 1,
    /// AMM: trading.
    Open = 2,
    /// AMM: outcome reported.
    Resolved = 3,
    /// AMM: cancelled.
    Cancelled = 4,
}

impl TryFrom<u8> for MarketStatus {
    type Error = ContinuumError;
    /// `InvalidAccountData` for a byte no status has (the account data is not a market's).
    #[inline(always)]
    fn try_from(v: u8) -> Result<Self, ContinuumError> {
        Ok(match v {
            0 => MarketStatus::Registered,
            1 => MarketStatus::Setup,
            2 => MarketStatus::Open,
            3 => MarketStatus::Resolved,
            4 => MarketStatus::Cancelled,
            _ => return Err(ContinuumError::InvalidAccountData),
        })
    }
}

impl MarketStatus {
    /// Does a market in this status have an AMM tail (every status but `Registered`)?
    #[inline(always)]
    pub fn has_amm(self) -> bool {
        self != MarketStatus::Registered
    }

    /// Is this a status in which claims are paid (`Resolved` or `Cancelled`)?
    #[inline(always)]
    pub fn is_settled(self) -> bool {
        matches!(self, MarketStatus::Resolved | MarketStatus::Cancelled)
    }
}

/// `flags` bit: the market's shard was set by an approved rebalance, not by assignment.
pub const MARKET_FLAG_SHARD_OVERRIDDEN: u8 = 1;

/// Market header (160 bytes).
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | market_key |
/// | 40 | 32 | authority |
/// | 72 | 8 | vault_amount |
/// | 80 | 8 | created_slot |
/// | 88 | 8 | last_write_slot |
/// | 96 | 8 | write_count |
/// | 104 | 8 | migration_count |
/// | 112 | 1 | shard_id |
/// | 113 | 1 | status |
/// | 114 | 1 | bump |
/// | 115 | 1 | flags |
/// | 116 | 4 | padding |
/// | 120 | 24 | load ([`LoadMeter`]: slot, writes_in_slot, ema_milli) |
/// | 144 | 16 | reserved |
/// | 160 | .. | AMM tail (not part of the header) |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketHeader {
    /// `sha256("account:Market")[..8]`.
    pub discriminator: [u8; 8],
    /// The market's identity; PDA seed and shard-assignment input.
    pub market_key: [u8; 32],
    /// The market's creator / authority.
    pub authority: [u8; 32],
    /// Collateral this market holds in its shard's vault, base units of the collateral mint
    /// (moved between vaults by migration).
    pub vault_amount: u64,
    /// Slot the market was registered in.
    pub created_slot: u64,
    /// Slot of the market's last recorded write.
    pub last_write_slot: u64,
    /// Writes recorded on this market (`sharding::load::record_write`).
    pub write_count: u64,
    /// Times this market was migrated between shards.
    pub migration_count: u64,
    /// Shard the market currently lives on.
    pub shard_id: u8,
    /// [`MarketStatus`] as a byte: read it with [`MarketHeader::status`].
    pub status: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// `MARKET_FLAG_*` bits.
    pub flags: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 4],
    /// This market's own write load: what keepers rank a shard's hottest markets by.
    pub load: LoadMeter,
    /// Reserved for future header fields; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<MarketHeader>() == 160);
const _: () = assert!(core::mem::align_of::<MarketHeader>() == 8);
const _: () = assert!(core::mem::offset_of!(MarketHeader, shard_id) == 112);
const _: () = assert!(core::mem::offset_of!(MarketHeader, load) == 120);

impl MarketHeader {
    /// Header size: the AMM's tail starts here.
    pub const HEADER_LEN: usize = 160;

    /// The market's status (`InvalidAccountData` if the stored byte is none).
    #[inline(always)]
    pub fn status(&self) -> ContinuumResult<MarketStatus> {
        Ok(MarketStatus::try_from(self.status)?)
    }

    /// Is the market in `status`? (A stored byte that is no status is in none.) Processors
    /// check their required status with this: it compiles to the one byte compare, where
    /// going through [`Self::status`] costs an extra branch per check (~10 CU measured).
    #[inline(always)]
    pub fn has_status(&self, status: MarketStatus) -> bool {
        self.status == status as u8
    }

    /// Is the market settled (`Resolved` or `Cancelled`: claims are paid)?
    #[inline(always)]
    pub fn is_settled(&self) -> bool {
        MarketStatus::try_from(self.status).is_ok_and(MarketStatus::is_settled)
    }

    /// Records a new status.
    #[inline(always)]
    pub fn set_status(&mut self, status: MarketStatus) {
        self.status = status as u8;
    }
}

unsafe impl AccountLayout for MarketHeader {
    const DISCRIMINATOR: [u8; 8] = [219, 190, 213, 55, 0, 227, 198, 154];
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinocchio::error::ProgramError;

    /// Every status round-trips through its byte; every other byte is `InvalidAccountData`.
    #[test]
    fn status_bytes_round_trip_and_others_are_invalid() {
        let all = [
            MarketStatus::Registered,
            MarketStatus::Setup,
            MarketStatus::Open,
            MarketStatus::Resolved,
            MarketStatus::Cancelled,
        ];
        for (byte, status) in all.iter().enumerate() {
            assert_eq!(*status as u8, byte as u8);
            assert_eq!(MarketStatus::try_from(byte as u8), Ok(*status));
        }
        for byte in all.len() as u8..=u8::MAX {
            assert_eq!(
                MarketStatus::try_from(byte),
                Err(ContinuumError::InvalidAccountData)
            );
        }
    }

    #[test]
    fn header_accessors_read_and_write_the_stored_byte() {
        // SAFETY: MarketHeader is plain old data (bytes and integers); all-zero is valid.
        let mut h: MarketHeader = unsafe { core::mem::zeroed() };
        assert_eq!(h.status(), Ok(MarketStatus::Registered));
        h.set_status(MarketStatus::Resolved);
        assert_eq!(h.status, 3);
        assert!(h.has_status(MarketStatus::Resolved));
        assert!(!h.has_status(MarketStatus::Open));
        assert!(h.is_settled());
        h.set_status(MarketStatus::Open);
        assert!(!h.is_settled());
        h.status = 5;
        let invalid: ProgramError = ContinuumError::InvalidAccountData.into();
        assert_eq!(h.status(), Err(invalid));
        assert!(!h.has_status(MarketStatus::Registered));
        assert!(!h.is_settled());
    }

    #[test]
    fn only_resolved_and_cancelled_are_settled_and_only_registered_has_no_amm() {
        use MarketStatus::*;
        for (s, settled, amm) in [
            (Registered, false, false),
            (Setup, false, true),
            (Open, false, true),
            (Resolved, true, true),
            (Cancelled, true, true),
        ] {
            assert_eq!(s.is_settled(), settled, "{s:?}");
            assert_eq!(s.has_amm(), amm, "{s:?}");
        }
    }
}
