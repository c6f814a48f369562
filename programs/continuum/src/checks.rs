//! Account checks shared by every instruction. Each returns a named error and touches nothing.

use crate::error::{ContinuumError, ContinuumResult};
use crate::sys;
use pinocchio::cpi::{Seed, Signer};
use pinocchio::{AccountView, Address};

/// The System Program's address (all zeros).
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);

/// Splits off the first `N` accounts, or fails with `NotEnoughAccounts`.
#[inline(always)]
pub fn take_accounts<const N: usize>(
    accounts: &mut [AccountView],
) -> ContinuumResult<(&mut [AccountView; N], &mut [AccountView])> {
    if accounts.len() < N {
        return Err(ContinuumError::NotEnoughAccounts.into());
    }
    let (head, rest) = accounts.split_at_mut(N);
    let head: &mut [AccountView; N] = head
        .try_into()
        .map_err(|_| ContinuumError::NotEnoughAccounts)?;
    Ok((head, rest))
}

/// The account signed the transaction.
#[inline(always)]
pub fn signer(account: &AccountView) -> ContinuumResult {
    if account.is_signer() {
        Ok(())
    } else {
        Err(ContinuumError::MissingSigner.into())
    }
}

/// The account is writable.
#[inline(always)]
pub fn writable(account: &AccountView) -> ContinuumResult {
    if account.is_writable() {
        Ok(())
    } else {
        Err(ContinuumError::AccountNotWritable.into())
    }
}

/// The account is a writable signer (fee payers, funders).
#[inline(always)]
pub fn writable_signer(account: &AccountView) -> ContinuumResult {
    signer(account)?;
    writable(account)
}

/// The account is the System Program.
#[inline(always)]
pub fn system_program(account: &AccountView) -> ContinuumResult {
    if account.address() == &SYSTEM_PROGRAM_ID {
        Ok(())
    } else {
        Err(ContinuumError::InvalidSystemProgram.into())
    }
}

/// The account is still a blank system account: no data, System-owned.
#[inline(always)]
pub fn uninitialized(account: &AccountView) -> ContinuumResult {
    if account.data_len() == 0 && account.owned_by(&SYSTEM_PROGRAM_ID) {
        Ok(())
    } else {
        Err(ContinuumError::AccountAlreadyInitialized.into())
    }
}

/// Finds the canonical bump of `seeds` and checks that `account` is that address.
///
/// Canonical bumps matter for accounts whose uniqueness is the point (one config, one vote
/// record per keeper and proposal): a non-canonical bump would be a second valid address.
#[inline(never)]
pub fn canonical_pda(
    account: &AccountView,
    seeds: &[&[u8]],
    program_id: &Address,
) -> ContinuumResult<u8> {
    let found = find_pda(seeds, program_id).ok_or(ContinuumError::InvalidPda)?;
    if &found.0 != account.address() {
        return Err(ContinuumError::InvalidPda.into());
    }
    Ok(found.1)
}

/// `sha256(seeds ++ [bump] ++ program_id ++ "ProgramDerivedAddress")`: the PDA candidate for
/// `bump`, before the off-curve test. One `sol_sha256` (~150 CU). At most 3 seeds.
#[inline(never)]
fn pda_candidate(
    seeds: &[&[u8]],
    bump: &[u8; 1],
    program_id: &Address,
) -> ContinuumResult<[u8; 32]> {
    const MARKER: &[u8] = b"ProgramDerivedAddress";
    let mut parts: [&[u8]; sys::MAX_HASH_PARTS] = [&[]; sys::MAX_HASH_PARTS];
    let n = seeds.len();
    if n + 3 > sys::MAX_HASH_PARTS {
        return Err(ContinuumError::InvalidPda.into());
    }
    for (slot, seed) in parts.iter_mut().zip(seeds) {
        *slot = seed;
    }
    parts[n] = bump;
    parts[n + 1] = program_id.as_array();
    parts[n + 2] = MARKER;
    Ok(sys::sha256v(&parts[..n + 3]))
}

/// Checks that `account` is the PDA candidate of `seeds ++ [bump]` (a hash, ~150 CU, instead
/// of the 1,500 CU derivation syscall) WITHOUT the off-curve test. Only for an account about to
/// be created by a CPI signed with these same seeds: the runtime rejects that signer unless the
/// address is off-curve, so a match here plus a successful creation proves the PDA.
#[inline(never)]
pub fn pda_address_matches(
    account: &AccountView,
    seeds: &[&[u8]],
    bump: &[u8; 1],
    program_id: &Address,
) -> ContinuumResult {
    if &pda_candidate(seeds, bump, program_id)? != account.address().as_array() {
        return Err(ContinuumError::InvalidPda.into());
    }
    Ok(())
}

/// [`canonical_pda`] for an account about to be CREATED with the returned bump, at ~310 CU per
/// bump tried instead of 1,500: from bump 255 down, hash the candidate; if it is `account`,
/// that is the bump (its off-curve property is enforced by the creating CPI's signer check);
/// otherwise the candidate must be on the curve (`sol_curve_validate_point`), i.e. no valid PDA,
/// or `account` is not the canonical PDA (`InvalidPda`).
#[inline(never)]
pub fn canonical_pda_for_creation(
    account: &AccountView,
    seeds: &[&[u8]],
    program_id: &Address,
) -> ContinuumResult<u8> {
    let target = account.address().as_array();
    let mut bump: u8 = 255;
    loop {
        let candidate = pda_candidate(seeds, &[bump], program_id)?;
        if &candidate == target {
            return Ok(bump);
        }
        if !sys::is_on_curve(&candidate) || bump == 0 {
            return Err(ContinuumError::InvalidPda.into());
        }
        bump -= 1;
    }
}

/// Most seeds any PDA of this program has (without the bump).
pub const MAX_PDA_SEEDS: usize = 4;

#[cfg(target_arch = "bpf")]
#[inline(always)]
fn find_pda(seeds: &[&[u8]], program_id: &Address) -> Option<(Address, u8)> {
    // The syscall reads the seed list as an 8-byte aligned array of (ptr, len). A constant seed
    // list like `&[b"config"]` is promoted to read-only data, which this linker packs without
    // alignment, so the list is always rebuilt on the stack first.
    if seeds.len() > MAX_PDA_SEEDS {
        return None;
    }
    let mut local: [&[u8]; MAX_PDA_SEEDS] = [&[]; MAX_PDA_SEEDS];
    for (slot, seed) in local.iter_mut().zip(seeds) {
        *slot = core::hint::black_box(*seed);
    }
    Address::try_find_program_address(&local[..seeds.len()], program_id)
}

#[cfg(not(target_arch = "bpf"))]
#[inline(always)]
fn find_pda(_seeds: &[&[u8]], _program_id: &Address) -> Option<(Address, u8)> {
    None // PDA derivation needs the runtime; host builds only run layout tests.
}

/// What [`create_pda_account`] creates.
pub struct NewPda<'a, 'b> {
    /// Funds rent; writable signer.
    pub payer: &'a AccountView,
    /// The PDA to create; writable, must be blank.
    pub account: &'a AccountView,
    /// Seeds including the bump as the last element.
    pub signer_seeds: &'a [Seed<'b>],
    /// Data size in bytes.
    pub space: u64,
}

/// Creates a rent-exempt program-owned account at a PDA.
///
/// Works even if someone pre-funded the address (a known griefing vector against a plain
/// `CreateAccount`): in that case it tops up, allocates and assigns instead.
#[inline(never)]
pub fn create_pda_account(new: &NewPda, program_id: &Address) -> ContinuumResult {
    create_funded_pda_account(new, 0, program_id)
}

/// [`create_pda_account`] that also moves `extra` lamports (above rent) from the payer into the
/// new account, in the same CPI (keeper stake).
#[inline(never)]
pub fn create_funded_pda_account(
    new: &NewPda,
    extra: u64,
    program_id: &Address,
) -> ContinuumResult {
    uninitialized(new.account)?;
    let rent = sys::rent_exempt_minimum(new.space)?
        .checked_add(extra)
        .ok_or(ContinuumError::Overflow)?;
    let signer = [Signer::from(new.signer_seeds)];
    let existing = new.account.lamports();
    if existing == 0 {
        pinocchio_system::instructions::CreateAccount {
            from: new.payer,
            to: new.account,
            lamports: rent,
            space: new.space,
            owner: program_id,
        }
        .invoke_signed(&signer)
    } else {
        if existing < rent {
            pinocchio_system::instructions::Transfer {
                from: new.payer,
                to: new.account,
                lamports: rent - existing,
            }
            .invoke()?;
        }
        pinocchio_system::instructions::Allocate {
            account: new.account,
            space: new.space,
        }
        .invoke_signed(&signer)?;
        pinocchio_system::instructions::Assign {
            account: new.account,
            owner: program_id,
        }
        .invoke_signed(&signer)
    }
}

/// Closes a program-owned account: moves all its lamports to `destination`, then shrinks its
/// data to zero and hands it back to the System Program.
#[inline(never)]
pub fn close_account(account: &mut AccountView, destination: &mut AccountView) -> ContinuumResult {
    let lamports = account.lamports();
    let total = destination
        .lamports()
        .checked_add(lamports)
        .ok_or(ContinuumError::Overflow)?;
    destination.set_lamports(total);
    account.set_lamports(0);
    account.close()
}
