//! One module per instruction. Each documents its accounts (in order, with signer/writable
//! flags and PDA seeds), its borsh arguments with byte offsets, its checks and its effect.

pub mod initialize_config;

/// Length of an Anchor instruction discriminator.
pub const DISCRIMINATOR_LEN: usize = 8;

/// `sha256("global:<snake_name>")[..8]` of every instruction (checked by a host test).
pub mod discriminator {
    /// `initialize_config`.
    pub const INITIALIZE_CONFIG: [u8; 8] = [208, 127, 21, 1, 194, 190, 196, 70];
}

/// Every instruction as `(snake_case name, discriminator)`, for interface tests and the IDL check.
///
/// Host-only: a table of `&str` would put pointers in SBPF read-only data, which this toolchain
/// can't relocate.
#[cfg(not(target_arch = "bpf"))]
pub const ALL: &[(&str, [u8; 8])] = &[("initialize_config", discriminator::INITIALIZE_CONFIG)];
