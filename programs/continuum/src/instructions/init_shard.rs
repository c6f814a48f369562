//! `init_shard`: creates the Shard PDA of one shard id and its vault. Admin only, once per id.
//!
//! Accounts:
//! 0. `[signer, writable]` admin: `Config.admin`, pays rent (the shard's and the vault's).
//! 1. `[]` config: PDA `["config"]`.
//! 2. `[writable]` shard: PDA `["shard", [shard_id]]` (canonical bump), must not exist yet.
//! 3. `[]` system program.
//! 4. `[writable]` vault: PDA `["vault", [shard_id]]` (canonical bump), must not exist yet;
//!    created as a token account of the collateral mint whose owner (token authority) is the
//!    Shard PDA, and recorded in `Shard.vault`.
//! 5. `[]` collateral mint: `Config.collateral_mint` (`InvalidMint`).
//! 6. `[]` token program: `Config.collateral_token_program` (`InvalidTokenProgram`).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | shard_id (< `Config.shard_count`) |
//!
//! The vault is 165 bytes (a plain token account): the collateral mint carries no extension
//! that requires an account extension (those mints are refused by `initialize_config`).

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::shard::{SHARD_SEED, VAULT_SEED};
use crate::state::{init_view_mut, load, AccountLayout, Config, Shard};
use crate::sys;
use core::mem::MaybeUninit;
use pinocchio::cpi::{invoke_signed_unchecked, CpiAccount};
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{AccountView, Address};

/// Processes `init_shard`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let shard_id = r.u8()?;
    r.finish()?;
    let ([admin, config, shard, system_program, vault, mint, token_program], _) =
        checks::take_accounts::<7>(accounts)?;
    // 1. Roles.
    checks::writable_signer(admin)?;
    checks::writable(shard)?;
    checks::writable(vault)?;
    checks::system_program(system_program)?;
    // 2. Admin, shard id and the collateral of the config.
    {
        let config = load::<Config>(config, program_id)?;
        if &config.admin != admin.address().as_array() {
            return Err(ContinuumError::Unauthorized.into());
        }
        if shard_id >= config.shard_count {
            return Err(ContinuumError::InvalidShardId.into());
        }
        if mint.address().as_array() != &config.collateral_mint {
            return Err(ContinuumError::InvalidMint.into());
        }
        if token_program.address().as_array() != &config.collateral_token_program {
            return Err(ContinuumError::InvalidTokenProgram.into());
        }
    }
    checks::uninitialized(shard)?;
    checks::uninitialized(vault)?;
    // 3. The Shard PDA.
    let id_seed = [shard_id];
    let slot = sys::clock()?.slot;
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: admin,
            account: shard,
            seeds: &[&id_seed],
            space: Shard::LEN as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        SHARD_SEED,
        program_id,
    )?;
    // 4. Its vault: created for the token program, then initialized with the shard as owner.
    checks::create_canonical_pda_owned_by(
        &NewPda {
            payer: admin,
            account: vault,
            seeds: &[&id_seed],
            space: checks::TOKEN_ACCOUNT_LEN as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        VAULT_SEED,
        program_id,
        token_program.address(),
    )?;
    initialize_account3(vault, mint, token_program, shard.address())?;
    let mut data = shard.try_borrow_mut()?;
    let state = init_view_mut::<Shard>(&mut data)?;
    state.shard_id = shard_id;
    state.bump = bump;
    state.load.slot = slot;
    state.vault = vault.address().to_bytes();
    Ok(())
}

/// The token program's `InitializeAccount3` (instruction 18: `owner: Pubkey`) over
/// `[account (w), mint]`: no rent sysvar account needed.
#[inline(never)]
fn initialize_account3(
    vault: &AccountView,
    mint: &AccountView,
    token_program: &AccountView,
    owner: &Address,
) -> ContinuumResult {
    const INITIALIZE_ACCOUNT3: u8 = 18;
    let metas = [
        InstructionAccount::writable(vault.address()),
        InstructionAccount::readonly(mint.address()),
    ];
    let mut data = [0u8; 33];
    data[0] = INITIALIZE_ACCOUNT3;
    data[1..].copy_from_slice(owner.as_array());
    let instruction = InstructionView {
        program_id: token_program.address(),
        accounts: &metas,
        data: &data,
    };
    if vault.is_borrowed() | mint.is_borrowed() {
        return Err(pinocchio::error::ProgramError::AccountBorrowFailed);
    }
    let mut cpi = [const { MaybeUninit::<CpiAccount>::uninit() }; 2];
    CpiAccount::init_from_account_view(vault, &mut cpi[0]);
    CpiAccount::init_from_account_view(mint, &mut cpi[1]);
    // SAFETY: both `CpiAccount`s were initialized above, from accounts whose data is not
    // borrowed (checked just before), in the instruction's account order.
    unsafe {
        invoke_signed_unchecked(
            &instruction,
            core::slice::from_raw_parts(cpi.as_ptr() as *const CpiAccount, 2),
            &[],
        )
    };
    Ok(())
}
