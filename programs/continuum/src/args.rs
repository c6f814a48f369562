//! Borsh argument decoding without allocation.
//!
//! Instruction arguments are fixed-size borsh, so each instruction reads them in order with an
//! [`ArgReader`] and calls [`ArgReader::finish`]: short data and trailing bytes are both
//! `InvalidInstructionData`.

use crate::error::{ContinuumError, ContinuumResult};

/// Sequential little-endian reader over instruction arguments.
pub struct ArgReader<'a> {
    data: &'a [u8],
}

impl<'a> ArgReader<'a> {
    /// Starts reading `data` (the bytes after the discriminator).
    #[inline(always)]
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// Takes the next `N` bytes.
    #[inline(always)]
    pub fn bytes<const N: usize>(&mut self) -> ContinuumResult<[u8; N]> {
        if self.data.len() < N {
            return Err(ContinuumError::InvalidInstructionData.into());
        }
        let (head, rest) = self.data.split_at(N);
        self.data = rest;
        head.try_into()
            .map_err(|_| ContinuumError::InvalidInstructionData.into())
    }

    /// borsh `u8`.
    #[inline(always)]
    pub fn u8(&mut self) -> ContinuumResult<u8> {
        Ok(self.bytes::<1>()?[0])
    }

    /// borsh `bool` (0 or 1; anything else is invalid).
    #[inline(always)]
    pub fn bool(&mut self) -> ContinuumResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ContinuumError::InvalidInstructionData.into()),
        }
    }

    /// borsh `u16`.
    #[inline(always)]
    pub fn u16(&mut self) -> ContinuumResult<u16> {
        Ok(u16::from_le_bytes(self.bytes()?))
    }

    /// borsh `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> ContinuumResult<u32> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }

    /// borsh `u64`.
    #[inline(always)]
    pub fn u64(&mut self) -> ContinuumResult<u64> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    /// borsh `i64`.
    #[inline(always)]
    pub fn i64(&mut self) -> ContinuumResult<i64> {
        Ok(i64::from_le_bytes(self.bytes()?))
    }

    /// borsh `pubkey` (32 bytes).
    #[inline(always)]
    pub fn address(&mut self) -> ContinuumResult<[u8; 32]> {
        self.bytes::<32>()
    }

    /// Fails unless every byte was consumed.
    #[inline(always)]
    pub fn finish(self) -> ContinuumResult {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(ContinuumError::InvalidInstructionData.into())
        }
    }
}
