//! Dispatch by 8-byte Anchor discriminator.

use crate::error::{ContinuumError, ContinuumResult};
use crate::instructions::{self, discriminator, DISCRIMINATOR_LEN};
use pinocchio::{AccountView, Address, ProgramResult};

/// Program entry: routes the instruction to its processor.
#[inline(always)]
pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    if data.len() < DISCRIMINATOR_LEN {
        return Err(ContinuumError::UnknownInstruction.into());
    }
    let (tag, args) = data.split_at(DISCRIMINATOR_LEN);
    let tag: [u8; 8] = tag
        .try_into()
        .map_err(|_| ContinuumError::UnknownInstruction)?;
    dispatch(tag, program_id, accounts, args)
}

#[inline(always)]
fn dispatch(
    tag: [u8; 8],
    program_id: &Address,
    accounts: &mut [AccountView],
    args: &[u8],
) -> ContinuumResult {
    match tag {
        discriminator::INITIALIZE_CONFIG => {
            instructions::initialize_config::process(program_id, accounts, args)
        }
        _ => Err(ContinuumError::UnknownInstruction.into()),
    }
}
