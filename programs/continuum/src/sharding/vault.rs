//! Collateral: a market's `vault_amount` is its share of its shard's vault (a token account of
//! the collateral mint whose authority is the Shard PDA), and `Shard.collateral_amount` is the
//! sum over the shard's markets, equal to the vault's balance. [`credit`] and [`debit`] keep
//! the books; [`pay_in`] and [`pay_out`] move the tokens, always with the token program's
//! `TransferChecked` (mint and decimals named, so a wrong mint or a mint whose decimals
//! changed fails in the token program too).

use crate::checks::Collateral;
use crate::error::{ContinuumError, ContinuumResult};
use crate::safe;
use crate::state::shard::SHARD_SEED;
use crate::state::{MarketHeader, Shard};
use core::mem::MaybeUninit;
use pinocchio::cpi::{invoke_signed_unchecked, CpiAccount, Seed, Signer};
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::AccountView;

/// Books `amount` base units that were just moved INTO the shard's vault as the market's
/// collateral.
#[inline(always)]
pub fn credit(shard: &mut Shard, market: &mut MarketHeader, amount: u64) -> ContinuumResult {
    let vault = safe::add(market.vault_amount, amount)?;
    let total = safe::add(shard.collateral_amount, amount)?;
    market.vault_amount = vault;
    shard.collateral_amount = total;
    Ok(())
}

/// Books `amount` base units leaving the market's collateral (the caller then pays them out
/// of the vault with [`pay_out`]).
#[inline(always)]
pub fn debit(shard: &mut Shard, market: &mut MarketHeader, amount: u64) -> ContinuumResult {
    if market.vault_amount < amount || shard.collateral_amount < amount {
        return Err(ContinuumError::InsufficientFunds.into());
    }
    market.vault_amount -= amount;
    shard.collateral_amount -= amount;
    Ok(())
}

/// Moves `amount` tokens from `from` (a token account checked with
/// `checks::owner_token_account`) into the shard's vault; `authority` (its owner) signed the
/// transaction. The caller books them with [`credit`].
#[inline(never)]
pub fn pay_in(
    collateral: &Collateral,
    from: &AccountView,
    authority: &AccountView,
    amount: u64,
) -> ContinuumResult {
    if amount == 0 {
        return Ok(());
    }
    let accounts = [from, &collateral.mint, &collateral.vault, authority];
    transfer_checked(collateral, &accounts, amount, &[])
}

/// Moves `amount` tokens out of the shard's vault to `to` (a checked token account, or another
/// shard's vault), the Shard PDA signing. The caller has booked them with [`debit`].
#[inline(never)]
pub fn pay_out(collateral: &Collateral, to: &AccountView, amount: u64) -> ContinuumResult {
    if amount == 0 {
        return Ok(());
    }
    // The prefix is loaded through `black_box` so the seed list is built on the stack, never
    // copied from a template in read-only data (whose pointers this toolchain can't relocate).
    let seeds = [
        Seed::from(core::hint::black_box(SHARD_SEED)),
        Seed::from(&collateral.shard_id),
        Seed::from(&collateral.shard_bump),
    ];
    let signer = [Signer::from(&seeds)];
    let accounts = [&collateral.vault, &collateral.mint, to, &collateral.shard];
    transfer_checked(collateral, &accounts, amount, &signer)
}

/// The token program's `TransferChecked` (instruction 12: `amount: u64`, `decimals: u8`) over
/// `[source (w), mint, destination (w), authority (signer)]`.
#[inline(always)]
fn transfer_checked(
    collateral: &Collateral,
    accounts: &[&AccountView; 4],
    amount: u64,
    signers: &[Signer],
) -> ContinuumResult {
    const TRANSFER_CHECKED: u8 = 12;
    let [source, mint, destination, authority] = *accounts;
    let metas = [
        InstructionAccount::writable(source.address()),
        InstructionAccount::readonly(mint.address()),
        InstructionAccount::writable(destination.address()),
        InstructionAccount::readonly_signer(authority.address()),
    ];
    let mut data = [0u8; 10];
    data[0] = TRANSFER_CHECKED;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    data[9] = collateral.decimals;
    let instruction = InstructionView {
        program_id: collateral.token_program.address(),
        accounts: &metas,
        data: &data,
    };
    if source.is_borrowed()
        | mint.is_borrowed()
        | destination.is_borrowed()
        | authority.is_borrowed()
    {
        return Err(pinocchio::error::ProgramError::AccountBorrowFailed);
    }
    let mut cpi = [const { MaybeUninit::<CpiAccount>::uninit() }; 4];
    for (slot, account) in cpi.iter_mut().zip(accounts.iter()) {
        CpiAccount::init_from_account_view(account, slot);
    }
    // SAFETY: every `CpiAccount` was initialized above from an account none of whose data is
    // borrowed (checked just before), and they are in the instruction's account order.
    unsafe {
        invoke_signed_unchecked(
            &instruction,
            core::slice::from_raw_parts(cpi.as_ptr() as *const CpiAccount, 4),
            signers,
        )
    };
    Ok(())
}

/// Moves lamports from a program-owned account to any writable account, directly (no CPI):
/// rent only (a closing market's rent to its authority); money moves in tokens.
#[inline(always)]
pub fn move_lamports(from: &mut AccountView, to: &mut AccountView, amount: u64) -> ContinuumResult {
    let left = from
        .lamports()
        .checked_sub(amount)
        .ok_or(ContinuumError::InsufficientFunds)?;
    let right = safe::add(to.lamports(), amount)?;
    from.set_lamports(left);
    to.set_lamports(right);
    Ok(())
}
