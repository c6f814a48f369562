//! `trade`'s arguments (borsh, after the 8-byte discriminator):
//!
//! | field | type | meaning |
//! | --- | --- | --- |
//! | kind | u8 | 0 Range, 1 Shape, 2 Unwind (`DirectionKind`; else `InvalidDirection`) |
//! | payload | | Range: `i0 u32, i1 u32`; Shape: `ShapeParams` (402 bytes, the create_market encoding); Unwind: nothing |
//! | t | i64 | signed size; Unwind: `fraction_1e9` in `1..=1e9` |
//! | c | u64 | canonical scale of `h` (1e9), from the SDK's quote |
//! | max_in | u64 | largest payment accepted (base units, fee included) |
//! | min_out | u64 | smallest refund accepted (base units, after the fee) |
//! | expected_trade_index | u64 | `Market.trade_count` the quote saw; `u64::MAX`: don't check |
//!
//! Wrong lengths are `InvalidInstructionData`; the range's bounds are checked against the grid
//! by the kernel (`InvalidRange`), the shape by `amm::shape::write_shape`.

use crate::amm::shape::SHAPE_PARAMS_LEN;
use crate::args::ArgReader;
use crate::error::{ContinuumError, ContinuumResult};
use continuum_math::DirectionKind;

/// Bytes after the direction's payload: `t, c, max_in, min_out, expected_trade_index`.
pub const TAIL_LEN: usize = 40;

/// The direction as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionArg<'a> {
    /// Grid indices `[i0, i1]`.
    Range {
        /// First index (inclusive).
        i0: u32,
        /// Last index (inclusive).
        i1: u32,
    },
    /// The `ShapeParams` bytes (decoded and checked by `write_shape`).
    Shape(&'a [u8]),
    /// The position's own payoff.
    Unwind,
}

/// Decoded arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeArgs<'a> {
    /// Direction.
    pub direction: DirectionArg<'a>,
    /// Signed size.
    pub t: i64,
    /// Claimed canonical scale.
    pub c: u64,
    /// Largest payment accepted.
    pub max_in: u64,
    /// Smallest refund accepted.
    pub min_out: u64,
    /// `Market.trade_count` the quote saw (`u64::MAX`: any).
    pub expected_trade_index: u64,
}

impl<'a> TradeArgs<'a> {
    /// Decodes `data` (see the module doc).
    #[inline(always)]
    pub fn parse(data: &'a [u8]) -> ContinuumResult<Self> {
        let (&kind, rest) = data
            .split_first()
            .ok_or(ContinuumError::InvalidInstructionData)?;
        let kind = DirectionKind::try_from(kind).map_err(|_| ContinuumError::InvalidDirection)?;
        let payload_len = match kind {
            DirectionKind::Range => 8,
            DirectionKind::Shape => SHAPE_PARAMS_LEN,
            DirectionKind::Unwind => 0,
        };
        if rest.len() != payload_len + TAIL_LEN {
            return Err(ContinuumError::InvalidInstructionData.into());
        }
        let (payload, tail) = rest.split_at(payload_len);
        let direction = match kind {
            DirectionKind::Range => {
                let mut r = ArgReader::new(payload);
                let d = DirectionArg::Range {
                    i0: r.u32()?,
                    i1: r.u32()?,
                };
                r.finish()?;
                d
            }
            DirectionKind::Shape => DirectionArg::Shape(payload),
            DirectionKind::Unwind => DirectionArg::Unwind,
        };
        let mut r = ArgReader::new(tail);
        let args = TradeArgs {
            direction,
            t: r.i64()?,
            c: r.u64()?,
            max_in: r.u64()?,
            min_out: r.u64()?,
            expected_trade_index: r.u64()?,
        };
        r.finish()?;
        Ok(args)
    }

    /// The direction's kind byte.
    #[inline(always)]
    pub fn kind(&self) -> DirectionKind {
        match self.direction {
            DirectionArg::Range { .. } => DirectionKind::Range,
            DirectionArg::Shape(_) => DirectionKind::Shape,
            DirectionArg::Unwind => DirectionKind::Unwind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinocchio::error::ProgramError;

    fn tail() -> [u8; TAIL_LEN] {
        let mut t = [0u8; TAIL_LEN];
        t[..8].copy_from_slice(&(-5i64).to_le_bytes());
        t[8..16].copy_from_slice(&7u64.to_le_bytes());
        t[32..40].copy_from_slice(&u64::MAX.to_le_bytes());
        t
    }

    #[test]
    fn parses_every_kind_and_names_bad_input() {
        let mut range = std::vec![0u8, 1, 0, 0, 0, 2, 0, 0, 0];
        range.extend_from_slice(&tail());
        let a = TradeArgs::parse(&range).unwrap();
        assert_eq!(a.direction, DirectionArg::Range { i0: 1, i1: 2 });
        assert_eq!((a.t, a.c, a.expected_trade_index), (-5, 7, u64::MAX));
        let mut unwind = std::vec![2u8];
        unwind.extend_from_slice(&tail());
        assert_eq!(
            TradeArgs::parse(&unwind).unwrap().direction,
            DirectionArg::Unwind
        );
        let mut shape = std::vec![1u8];
        shape.extend_from_slice(&[0u8; SHAPE_PARAMS_LEN]);
        shape.extend_from_slice(&tail());
        assert_eq!(
            TradeArgs::parse(&shape).unwrap().kind(),
            DirectionKind::Shape
        );
        let invalid_direction: ProgramError = ContinuumError::InvalidDirection.into();
        let mut bad = std::vec![3u8];
        bad.extend_from_slice(&tail());
        assert_eq!(TradeArgs::parse(&bad), Err(invalid_direction));
        let invalid: ProgramError = ContinuumError::InvalidInstructionData.into();
        assert_eq!(TradeArgs::parse(&unwind[..TAIL_LEN]), Err(invalid.clone()));
        assert_eq!(TradeArgs::parse(&[]), Err(invalid.clone()));
        range.push(0);
        assert_eq!(TradeArgs::parse(&range), Err(invalid));
    }
}
