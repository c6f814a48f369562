//! Account layouts.
//!
//! Every account is `discriminator (8 bytes) ++ fixed little-endian fields`, declared as a
//! `#[repr(C)]` struct whose fields are ordered so the compiler inserts no padding (explicit
//! `_padding` fields where needed). Hence the struct, the bytes on chain and the IDL's borsh view
//! are the same thing, and `@coral-xyz/anchor` decodes them. Each layout has a compile-time size
//! assertion next to it.

pub mod amm;
pub mod config;
pub mod keeper;
pub mod load_meter;
pub mod market;
pub mod proposal;
pub mod shard;

pub use amm::{AmmMarket, Position};
pub use config::Config;
pub use keeper::Keeper;
pub use market::MarketHeader;
pub use proposal::RebalanceProposal;
pub use shard::Shard;

/// Every account type as `(PascalCase name, discriminator, size)`, for interface tests and the
/// IDL check. Host-only (no `&str` tables on SBPF).
#[cfg(not(target_arch = "bpf"))]
pub const ALL: &[(&str, [u8; 8], usize)] = &[
    ("Config", Config::DISCRIMINATOR, Config::LEN),
    ("Shard", Shard::DISCRIMINATOR, Shard::LEN),
    ("Market", MarketHeader::DISCRIMINATOR, MarketHeader::LEN),
    ("Keeper", Keeper::DISCRIMINATOR, Keeper::LEN),
    // Fixed part; the voter map follows (see `state::proposal`).
    (
        "RebalanceProposal",
        RebalanceProposal::DISCRIMINATOR,
        RebalanceProposal::LEN,
    ),
    // Fixed part; `payoff: [i64; n_points]` follows (see `state::amm`).
    ("Position", Position::DISCRIMINATOR, Position::LEN),
];

use crate::error::{ContinuumError, ContinuumResult};
use pinocchio::{AccountView, Address};

/// A fixed-size account layout with an Anchor discriminator.
///
/// # Safety
/// Implementors must be `#[repr(C)]`, contain only integer/byte-array fields (every bit pattern
/// valid), have no implicit padding, and start with the 8-byte discriminator.
pub unsafe trait AccountLayout: Sized {
    /// `sha256("account:<Name>")[..8]`.
    const DISCRIMINATOR: [u8; 8];
    /// Size of the account data in bytes.
    const LEN: usize = core::mem::size_of::<Self>();
}

/// How an account's data length must relate to its layout's size.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Exactly `T::LEN` bytes.
    Exact,
    /// At least `T::LEN` bytes: `T` is a fixed prefix of a longer account (the
    /// [`MarketHeader`] of an AMM market with its tail).
    Prefix,
}

/// The single size/alignment/discriminator check behind every view and load.
#[inline(always)]
fn check_layout<T: AccountLayout>(data: &[u8], fit: Fit) -> ContinuumResult {
    let size_ok = match fit {
        Fit::Exact => data.len() == T::LEN,
        Fit::Prefix => data.len() >= T::LEN,
    };
    // The runtime places account data 8-byte aligned; the alignment check keeps the cast sound
    // anywhere else too.
    if !size_ok
        || !(data.as_ptr() as usize).is_multiple_of(core::mem::align_of::<T>())
        || data[..8] != T::DISCRIMINATOR
    {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    Ok(())
}

/// Checks that `data` starts with a `T` (size at least `T::LEN`, aligned, discriminator), for
/// layouts followed by a variable tail (the AMM market's curves, a position's payoffs).
#[inline(always)]
pub(crate) fn check_prefix<T: AccountLayout>(data: &[u8]) -> ContinuumResult {
    check_layout::<T>(data, Fit::Prefix)
}

#[inline(always)]
fn view_as<T: AccountLayout>(data: &[u8], fit: Fit) -> ContinuumResult<&T> {
    check_layout::<T>(data, fit)?;
    // SAFETY: size, alignment and discriminator checked; every bit pattern is valid for T.
    Ok(unsafe { &*(data.as_ptr() as *const T) })
}

#[inline(always)]
fn view_mut_as<T: AccountLayout>(data: &mut [u8], fit: Fit) -> ContinuumResult<&mut T> {
    check_layout::<T>(data, fit)?;
    // SAFETY: as in `view_as`, and the borrow is unique.
    Ok(unsafe { &mut *(data.as_mut_ptr() as *mut T) })
}

/// Views `data` as `T` after checking size, alignment and discriminator.
#[inline(always)]
pub fn view<T: AccountLayout>(data: &[u8]) -> ContinuumResult<&T> {
    view_as(data, Fit::Exact)
}

/// Mutable variant of [`view`].
#[inline(always)]
pub fn view_mut<T: AccountLayout>(data: &mut [u8]) -> ContinuumResult<&mut T> {
    view_mut_as(data, Fit::Exact)
}

/// Views the first `T::LEN` bytes of `data` as `T`: like [`view`], but `data` may be longer.
#[inline(always)]
pub fn view_prefix<T: AccountLayout>(data: &[u8]) -> ContinuumResult<&T> {
    view_as(data, Fit::Prefix)
}

/// Mutable variant of [`view_prefix`].
#[inline(always)]
pub fn view_prefix_mut<T: AccountLayout>(data: &mut [u8]) -> ContinuumResult<&mut T> {
    view_mut_as(data, Fit::Prefix)
}

/// Writes the discriminator into freshly allocated (zeroed) account data and views it as `T`.
#[inline(always)]
pub fn init_view_mut<T: AccountLayout>(data: &mut [u8]) -> ContinuumResult<&mut T> {
    if data.len() != T::LEN || !(data.as_ptr() as usize).is_multiple_of(core::mem::align_of::<T>())
    {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    data[..8].copy_from_slice(&T::DISCRIMINATOR);
    // SAFETY: size and alignment checked; every bit pattern is valid for T.
    Ok(unsafe { &mut *(data.as_mut_ptr() as *mut T) })
}

#[inline(always)]
fn load_as<'a, T: AccountLayout>(
    account: &'a AccountView,
    program_id: &Address,
    fit: Fit,
) -> ContinuumResult<pinocchio::account::Ref<'a, T>> {
    if !crate::checks::owned_by(account, program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }
    let data = account.try_borrow()?;
    check_layout::<T>(&data, fit)?;
    // SAFETY: checked above; every bit pattern is valid for T.
    Ok(pinocchio::account::Ref::map(data, |d| unsafe {
        &*(d.as_ptr() as *const T)
    }))
}

#[inline(always)]
fn load_mut_as<'a, T: AccountLayout>(
    account: &'a mut AccountView,
    program_id: &Address,
    fit: Fit,
) -> ContinuumResult<pinocchio::account::RefMut<'a, T>> {
    if !crate::checks::owned_by(account, program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }
    if !account.is_writable() {
        return Err(ContinuumError::AccountNotWritable.into());
    }
    let data = account.try_borrow_mut()?;
    check_layout::<T>(&data, fit)?;
    // SAFETY: checked above; every bit pattern is valid for T; the borrow is unique.
    Ok(pinocchio::account::RefMut::map(data, |d| unsafe {
        &mut *(d.as_mut_ptr() as *mut T)
    }))
}

/// Reads a program-owned account of type `T` (owner and layout checked).
///
/// Owner + discriminator authenticate the account as one this program wrote; callers then
/// check the identifying fields (e.g. a shard's id) against the instruction's inputs.
#[inline(always)]
pub fn load<'a, T: AccountLayout>(
    account: &'a AccountView,
    program_id: &Address,
) -> ContinuumResult<pinocchio::account::Ref<'a, T>> {
    load_as(account, program_id, Fit::Exact)
}

/// Mutable variant of [`load`]; also requires the account to be writable.
#[inline(always)]
pub fn load_mut<'a, T: AccountLayout>(
    account: &'a mut AccountView,
    program_id: &Address,
) -> ContinuumResult<pinocchio::account::RefMut<'a, T>> {
    load_mut_as(account, program_id, Fit::Exact)
}

/// [`load`] for a prefix layout (owner checked, data at least `T::LEN` bytes).
#[inline(always)]
pub fn load_prefix<'a, T: AccountLayout>(
    account: &'a AccountView,
    program_id: &Address,
) -> ContinuumResult<pinocchio::account::Ref<'a, T>> {
    load_as(account, program_id, Fit::Prefix)
}

/// [`load_mut`] for a prefix layout (owner and writability checked, data at least `T::LEN`).
#[inline(always)]
pub fn load_prefix_mut<'a, T: AccountLayout>(
    account: &'a mut AccountView,
    program_id: &Address,
) -> ContinuumResult<pinocchio::account::RefMut<'a, T>> {
    load_mut_as(account, program_id, Fit::Prefix)
}
