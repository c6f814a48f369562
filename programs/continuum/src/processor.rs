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
    // `trade` is the hot instruction: one 8-byte compare routes it, ahead of the `match` (which
    // LLVM lowers to a search on the first byte, then a compare per remaining byte).
    if tag == discriminator::TRADE {
        return instructions::trade::process(program_id, accounts, args);
    }
    match tag {
        discriminator::INITIALIZE_CONFIG => {
            instructions::initialize_config::process(program_id, accounts, args)
        }
        discriminator::INIT_SHARD => instructions::init_shard::process(program_id, accounts, args),
        discriminator::REGISTER_MARKET => {
            instructions::register_market::process(program_id, accounts, args)
        }
        discriminator::DEPOSIT_COLLATERAL => {
            instructions::deposit_collateral::process(program_id, accounts, args)
        }
        discriminator::REGISTER_KEEPER => {
            instructions::register_keeper::process(program_id, accounts, args)
        }
        discriminator::UNREGISTER_KEEPER => {
            instructions::unregister_keeper::process(program_id, accounts, args)
        }
        discriminator::WITHDRAW_STAKE => {
            instructions::withdraw_stake::process(program_id, accounts, args)
        }
        discriminator::REPORT_CONTENTION => {
            instructions::report_contention::process(program_id, accounts, args)
        }
        discriminator::PROPOSE_REBALANCE => {
            instructions::propose_rebalance::process(program_id, accounts, args)
        }
        discriminator::VOTE_REBALANCE => {
            instructions::vote_rebalance::process(program_id, accounts, args)
        }
        discriminator::EXECUTE_REBALANCE => {
            instructions::execute_rebalance::process(program_id, accounts, args)
        }
        discriminator::CLOSE_PROPOSAL => {
            instructions::close_proposal::process(program_id, accounts, args)
        }
        discriminator::WITHDRAW_COLLATERAL => {
            instructions::withdraw_collateral::process(program_id, accounts, args)
        }
        discriminator::CREATE_MARKET => {
            instructions::create_market::process(program_id, accounts, args)
        }
        discriminator::EDIT_DISTRIBUTION => {
            instructions::edit_distribution::process(program_id, accounts, args)
        }
        discriminator::OPEN_MARKET => {
            instructions::open_market::process(program_id, accounts, args)
        }
        discriminator::RESOLVE_MARKET => {
            instructions::resolve_market::process(program_id, accounts, args)
        }
        discriminator::CLAIM => instructions::claim::process(program_id, accounts, args),
        discriminator::CLAIM_LP => instructions::claim_lp::process(program_id, accounts, args),
        discriminator::CANCEL_MARKET => {
            instructions::cancel_market::process(program_id, accounts, args)
        }
        discriminator::CLOSE_MARKET => {
            instructions::close_market::process(program_id, accounts, args)
        }
        _ => Err(ContinuumError::UnknownInstruction.into()),
    }
}
