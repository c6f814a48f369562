//! `LoadMeter`: on-chain write load (writes per slot, as an EMA) embedded in every Shard and
//! every Market header. Only instructions that really write the account advance it, so the
//! figure can't be raised without paying for real writes. Arithmetic in `sharding::load`.

/// Writes per slot and their EMA.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | slot |
/// | 8 | 8 | writes_in_slot |
/// | 16 | 8 | ema_milli |
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadMeter {
    /// Slot of the last recorded write (the slot `writes_in_slot` counts).
    pub slot: u64,
    /// Writes recorded in `slot`.
    pub writes_in_slot: u64,
    /// EMA (alpha 1/8) of writes per slot x 1,000, folded up to `slot` (exclusive).
    pub ema_milli: u64,
}

const _: () = assert!(core::mem::size_of::<LoadMeter>() == 24);
