//! Thin wrappers over the runtime syscalls the program uses.
//!
//! The sysvar getters use the original per-sysvar syscalls (`sol_get_clock_sysvar`,
//! `sol_get_rent_sysvar`) because solana-bankrun embeds the 1.18 runtime, which predates
//! `sol_get_sysvar`; LiteSVM's 4.x runtime still serves both. Host builds (clippy, layout
//! tests) get inert fallbacks: all behaviour is tested on the SBF build in both runtimes.

use crate::error::{ContinuumError, ContinuumResult};

#[cfg(target_arch = "bpf")]
#[allow(deprecated)]
use solana_define_syscall::definitions as syscalls;

/// Bytes stored per account beyond its data, as the runtime counts them for rent.
pub const ACCOUNT_STORAGE_OVERHEAD_BYTES: u64 = 128;

/// The subset of the Clock sysvar the program reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClockNow {
    /// Current slot.
    pub slot: u64,
    /// Current unix timestamp (seconds).
    pub unix_timestamp: i64,
}

/// Reads the Clock sysvar. Inlined: a call returning the struct through memory costs more than
/// the few instructions around the syscall.
#[inline(always)]
pub fn clock() -> ContinuumResult<ClockNow> {
    // Clock layout: slot u64, epoch_start_timestamp i64, epoch u64, leader_schedule_epoch u64,
    // unix_timestamp i64 (40 bytes).
    let mut raw = [0u64; 5];
    #[cfg(target_arch = "bpf")]
    {
        #[allow(deprecated)]
        let rc = unsafe { syscalls::sol_get_clock_sysvar(raw.as_mut_ptr() as *mut u8) };
        if rc != 0 {
            return Err(pinocchio::error::ProgramError::UnsupportedSysvar);
        }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        raw[0] = 0;
    }
    Ok(ClockNow {
        slot: raw[0],
        unix_timestamp: raw[4] as i64,
    })
}

/// Lamports an account of `data_len` bytes needs to be rent exempt.
///
/// The legacy Rent sysvar is `lamports_per_byte_year: u64`, `exemption_threshold: f64`,
/// `burn_percent: u8`. Floats can't be used on this target, so the threshold is read from its
/// IEEE-754 bits and rounded UP to a whole number of years: the result is never below what the
/// runtime requires (both runtimes use exactly 2.0, so it is exact in practice).
#[inline(never)]
pub fn rent_exempt_minimum(data_len: u64) -> ContinuumResult<u64> {
    let mut raw = [0u64; 3];
    #[cfg(target_arch = "bpf")]
    {
        #[allow(deprecated)]
        let rc = unsafe { syscalls::sol_get_rent_sysvar(raw.as_mut_ptr() as *mut u8) };
        if rc != 0 {
            return Err(pinocchio::error::ProgramError::UnsupportedSysvar);
        }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        raw[0] = 3_480;
        raw[1] = 0x4000_0000_0000_0000; // 2.0
    }
    let years = ceil_f64_bits(raw[1]).ok_or(ContinuumError::Overflow)?;
    let bytes = data_len
        .checked_add(ACCOUNT_STORAGE_OVERHEAD_BYTES)
        .ok_or(ContinuumError::Overflow)?;
    let per_year = mul_small(bytes, raw[0]).ok_or(ContinuumError::Overflow)?;
    Ok(mul_small(per_year, years).ok_or(ContinuumError::Overflow)?)
}

/// `ceil(x)` of a non-negative f64 given by its bits, when it fits in a u64 below 2^52.
fn ceil_f64_bits(bits: u64) -> Option<u64> {
    if bits >> 63 != 0 {
        return None; // negative
    }
    let biased_exp = (bits >> 52) & 0x7ff;
    let fraction = bits & ((1u64 << 52) - 1);
    if biased_exp == 0 {
        return Some(if fraction == 0 { 0 } else { 1 }); // zero or subnormal
    }
    if biased_exp < 1023 {
        return Some(1); // 0 < x < 1
    }
    let exp = biased_exp - 1023;
    if exp >= 52 {
        return None;
    }
    let mantissa = fraction | (1u64 << 52);
    let shift = 52 - exp;
    let whole = mantissa >> shift;
    let has_fraction = mantissa & ((1u64 << shift) - 1) != 0;
    Some(whole + has_fraction as u64)
}

/// `a * b` when both are below 2^32 or the product provably fits; `None` otherwise.
///
/// `u64::checked_mul` lowers to `__multi3` on SBPF v0 (no 128-bit multiply), so overflow is
/// ruled out by magnitude instead.
#[inline]
pub fn mul_small(a: u64, b: u64) -> Option<u64> {
    if a == 0 || b == 0 {
        return Some(0);
    }
    let bits = (64 - a.leading_zeros()) + (64 - b.leading_zeros());
    if bits <= 64 {
        Some(a.wrapping_mul(b))
    } else {
        None
    }
}

/// Logs a fixed message (no formatting on this target).
#[inline]
pub fn log(message: &str) {
    #[cfg(target_arch = "bpf")]
    unsafe {
        syscalls::sol_log_(message.as_ptr(), message.len() as u64)
    };
    #[cfg(not(target_arch = "bpf"))]
    let _ = message;
}

/// Emits an Anchor-style event: `sol_log_data([payload])`, where the payload starts with the
/// event's 8-byte discriminator.
#[inline]
pub fn emit(payload: &[u8]) {
    #[cfg(target_arch = "bpf")]
    {
        let fields: [&[u8]; 1] = [payload];
        unsafe { syscalls::sol_log_data(fields.as_ptr() as *const u8, 1) };
    }
    #[cfg(not(target_arch = "bpf"))]
    let _ = payload;
}

/// `keccak256(data)` through the runtime syscall.
#[inline]
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    #[allow(unused_mut)]
    let mut out = [0u8; 32];
    #[cfg(target_arch = "bpf")]
    {
        let fields: [&[u8]; 1] = [data];
        unsafe { syscalls::sol_keccak256(fields.as_ptr() as *const u8, 1, out.as_mut_ptr()) };
    }
    // Host builds exist for clippy and layout tests only; hashing is exercised in the runtimes
    // (and mirrored by the SDK's `assignShard`, checked against the chain in tests).
    #[cfg(not(target_arch = "bpf"))]
    let _ = data;
    out
}

/// Most byte slices [`sha256v`] hashes at once.
pub const MAX_HASH_PARTS: usize = 6;

/// `sha256(parts[0] ++ parts[1] ++ ...)` through the runtime syscall (at most
/// [`MAX_HASH_PARTS`] parts).
#[inline(never)]
pub fn sha256v(parts: &[&[u8]]) -> [u8; 32] {
    #[allow(unused_mut)]
    let mut out = [0u8; 32];
    #[cfg(target_arch = "bpf")]
    {
        // As for PDA seeds: rebuild the list on the stack so it never comes from read-only
        // data (whose pointers this toolchain leaves unrelocated).
        let mut local: [&[u8]; MAX_HASH_PARTS] = [&[]; MAX_HASH_PARTS];
        let n = if parts.len() < MAX_HASH_PARTS {
            parts.len()
        } else {
            MAX_HASH_PARTS
        };
        for (slot, part) in local.iter_mut().zip(parts) {
            *slot = core::hint::black_box(*part);
        }
        unsafe { syscalls::sol_sha256(local.as_ptr() as *const u8, n as u64, out.as_mut_ptr()) };
    }
    #[cfg(not(target_arch = "bpf"))]
    let _ = parts;
    out
}

/// Whether 32 bytes are a point on the ed25519 curve (`sol_curve_validate_point`, 159 CU):
/// exactly the test that makes an address ineligible as a PDA.
#[inline(never)]
pub fn is_on_curve(bytes: &[u8; 32]) -> bool {
    #[cfg(target_arch = "bpf")]
    {
        let mut result = 0u8;
        // curve id 0 = CURVE25519_EDWARDS; returns 0 when the point is valid (on the curve).
        let rc = unsafe {
            syscalls::sol_curve_validate_point(0, bytes.as_ptr(), &mut result as *mut u8)
        };
        rc == 0
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = bytes;
        false
    }
}

/// Bytes of heap the runtime maps for every instruction (the default 32 KiB: the program asks
/// for no more).
pub const HEAP_LEN: usize = 32 * 1024;

/// A scratch buffer of `n` u64 in the instruction's heap (the trade's `phi` for a shape
/// direction: up to `N_MAX = 615` values, 4,920 bytes, which the 4 KiB SBPF stack can't hold).
/// `InvalidInstructionData` if `8 n > HEAP_LEN`. Call at most once per instruction: the
/// slice is the heap's only user (the program has no allocator).
#[cfg(target_arch = "bpf")]
#[inline(always)]
pub fn heap_scratch_u64(n: usize) -> crate::error::ContinuumResult<&'static mut [u64]> {
    if n > HEAP_LEN / 8 {
        return Err(crate::error::ContinuumError::InvalidInstructionData.into());
    }
    // SAFETY: the runtime maps HEAP_LEN writable, zero-initialised bytes at
    // HEAP_START_ADDRESS (8-byte aligned) for the whole instruction; `no_allocator!` means
    // nothing else hands out that memory, and each instruction takes this slice at most once,
    // so it is the only reference to it. Any bit pattern is a valid u64.
    Ok(unsafe {
        core::slice::from_raw_parts_mut(
            pinocchio::entrypoint::HEAP_START_ADDRESS as usize as *mut u64,
            n,
        )
    })
}

/// Host builds (unit tests): a leaked heap vector stands in for the SBPF heap.
#[cfg(not(target_arch = "bpf"))]
pub fn heap_scratch_u64(n: usize) -> crate::error::ContinuumResult<&'static mut [u64]> {
    if n > HEAP_LEN / 8 {
        return Err(crate::error::ContinuumError::InvalidInstructionData.into());
    }
    Ok(std::vec![0u64; n].leak())
}
