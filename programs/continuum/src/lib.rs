//! Continuum: sharded L2 distribution markets on Solana.
//!
//! The program is written with pinocchio (no_std) and built for SBPF v0 with upstream Rust +
//! LLVM 22 + sbpf-linker (see `README.md`). It speaks Anchor's wire format without depending on
//! Anchor: 8-byte `sha256("global:<name>")` instruction discriminators followed by borsh
//! arguments, 8-byte `sha256("account:<Name>")` account discriminators followed by a fixed
//! little-endian layout, and `Custom(6000 + n)` errors, all described by `idl/continuum.json`.
#![no_std]

// Host builds (clippy, unit tests) link std for its panic handler and allocator.
#[cfg(not(target_arch = "bpf"))]
extern crate std;

#[cfg(target_arch = "bpf")]
mod entrypoint;

pub mod amm;
pub mod args;
pub mod checks;
pub mod error;
pub mod event_codec;
pub mod instructions;
pub mod processor;
pub mod safe;
pub mod sharding;
pub mod state;
pub mod sys;

pub use processor::process_instruction;

/// The program id (base58 `CtasKDpj248MTjoHmkNGUcGcfLj5Rt7nJZwvURG1gFL5`).
///
/// Kept in sync with `Anchor.toml`, `idl/continuum.json` and the SDK by a host test.
pub const ID: pinocchio::Address = pinocchio::Address::new_from_array(PROGRAM_ID_BYTES);

/// Raw bytes of [`ID`].
pub const PROGRAM_ID_BYTES: [u8; 32] = [
    176, 167, 120, 182, 226, 106, 97, 209, 64, 184, 156, 90, 118, 51, 150, 217, 234, 100, 222, 85,
    192, 220, 156, 237, 227, 31, 131, 171, 128, 236, 23, 66,
];
