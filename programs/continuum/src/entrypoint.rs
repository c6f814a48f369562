//! SBPF entrypoint, panic handler, allocator and the `mem*` symbols.
//!
//! Only compiled for `target_arch = "bpf"`. With fat LTO and no std, nothing else defines
//! `memcpy`/`memmove`/`memset`/`memcmp`, yet LLVM emits calls to them for struct copies and
//! zero-filled arrays, so they are defined here over the runtime's `sol_mem*_` syscalls.

use pinocchio::{no_allocator, nostd_panic_handler, program_entrypoint};
use solana_define_syscall::definitions::{sol_memcmp_, sol_memcpy_, sol_memmove_, sol_memset_};

// The widest instruction (batch migration) takes well under 32 accounts; a smaller bound keeps
// the entrypoint's account array (and its stack frame) small.
program_entrypoint!(crate::processor::process_instruction, 32);
no_allocator!();
nostd_panic_handler!();

/// # Safety
/// Same contract as C `memcpy`: `n` bytes readable at `src`, writable at `dst`, no overlap.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memcpy_(dst, src, n as u64);
    dst
}

/// # Safety
/// Same contract as C `memmove`.
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memmove_(dst, src, n as u64);
    dst
}

/// # Safety
/// Same contract as C `memset`.
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    sol_memset_(dst, c as u8, n as u64);
    dst
}

/// # Safety
/// Same contract as C `memcmp`.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result: i32 = 0;
    sol_memcmp_(a, b, n as u64, &mut result as *mut i32);
    result
}
