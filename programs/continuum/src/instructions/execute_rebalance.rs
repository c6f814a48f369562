//! `execute_rebalance`: permissionless. Migrates EVERY market of an approved proposal from its
//! source to its destination shard, atomically, in this one instruction.
//!
//! Approved means `yes_stake * 10_000 >= snapshot_total_stake * vote_threshold_bps` (exact
//! 128-bit comparison, `sharding::voting`), with yes-stake > 0. Execution is allowed as soon as
//! that holds (inside the window) and until `execution_end_slot` (`ApprovalExpired` after it:
//! a stale approval must not move markets long after its voters measured anything); once only.
//!
//! Per market, in proposal order: the Market account must carry the proposal's key and be on
//! the source shard (`AccountMismatch`); its `vault_amount` moves from the source shard's vault
//! to the destination shard's vault (one `TransferChecked` for the whole batch, the source
//! Shard PDA signing, after every market is booked); both shards' market counts, collateral and
//! migrated counters update; the market gets `shard_id = to`, the override flag and
//! `migration_count += 1`; a `MarketMigrated` event carries `keccak256` of the market account's
//! data before and after.
//!
//! Accounts:
//! 0. `[writable]` proposal: a RebalanceProposal.
//! 1. `[writable]` from_shard: the Shard with id `proposal.from_shard`.
//! 2. `[writable]` to_shard: the Shard with id `proposal.to_shard`.
//! 3. `[writable]` from_vault: `from_shard`'s vault (`InvalidVault`; frozen: `TokenAccountFrozen`).
//! 4. `[writable]` to_vault: `to_shard`'s vault (`InvalidVault`, so the balance can only land
//!    where the books put it; frozen: `TokenAccountFrozen`).
//! 5. `[]` collateral mint: the vaults' mint (`InvalidMint`).
//! 6. `[]` token program: the vaults' owner (`InvalidTokenProgram`).
//! 7. `[writable]` markets (7..): exactly `proposal.market_count` Market accounts, in proposal order.
//!
//! Arguments: none.
//!
//! Emits `MarketMigrated` per market and `RebalanceExecuted`.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::events::{MarketMigrated, RebalanceExecuted};
use crate::sharding::{migrate, vault, voting};
use crate::state::proposal::{
    MAX_PROPOSAL_MARKETS, PROPOSAL_STATUS_EXECUTED, PROPOSAL_STATUS_VOTING,
};
use crate::state::{load_mut, view_prefix_mut, MarketHeader, RebalanceProposal, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `execute_rebalance`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    ArgReader::new(data).finish()?;
    let ([proposal, from_shard, to_shard, from_vault, to_vault, mint, token_program], markets) =
        checks::take_accounts::<7>(accounts)?;
    let slot = sys::clock()?.slot;
    let mut p = load_mut::<RebalanceProposal>(proposal, program_id)?;
    if p.status == PROPOSAL_STATUS_EXECUTED {
        return Err(ContinuumError::ProposalAlreadyExecuted.into());
    }
    if p.status != PROPOSAL_STATUS_VOTING || !voting::proposal_approved(&p) {
        return Err(ContinuumError::ProposalNotApproved.into());
    }
    if slot > p.execution_end_slot {
        return Err(ContinuumError::ApprovalExpired.into());
    }
    let count = p.market_count as usize;
    if count > MAX_PROPOSAL_MARKETS {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    if markets.len() != count {
        return Err(ContinuumError::NotEnoughAccounts.into());
    }
    let mut moved: u64 = 0;
    let from_handle = from_shard.clone();
    let money = {
        let mut from = load_mut::<Shard>(from_shard, program_id)?;
        let mut to = load_mut::<Shard>(to_shard, program_id)?;
        if from.shard_id != p.from_shard || to.shard_id != p.to_shard {
            return Err(ContinuumError::AccountMismatch.into());
        }
        let money = checks::collateral(&from, &from_handle, from_vault, mint, token_program)?;
        checks::shard_vault(&to, to_vault)?;
        let mut i = 0;
        while i < count {
            let market = &mut markets[i];
            if !market.owned_by(program_id) {
                return Err(ContinuumError::InvalidAccountOwner.into());
            }
            checks::writable(market)?;
            let mut data = market.try_borrow_mut()?;
            let before = sys::keccak256(&data);
            let header = view_prefix_mut::<MarketHeader>(&mut data)?;
            if header.market_key != p.markets[i] {
                return Err(ContinuumError::AccountMismatch.into());
            }
            let amount = migrate::move_market(&mut from, &mut to, header)?;
            let vault_amount = header.vault_amount;
            moved = moved.checked_add(amount).ok_or(ContinuumError::Overflow)?;
            let after = sys::keccak256(&data);
            MarketMigrated {
                proposal_id: p.id,
                market_key: p.markets[i],
                from_shard: p.from_shard,
                to_shard: p.to_shard,
                vault_amount,
                state_hash_before: before,
                state_hash_after: after,
            }
            .emit();
            i += 1;
        }
        money
    };
    vault::pay_out(&money, to_vault, moved)?;
    p.status = PROPOSAL_STATUS_EXECUTED;
    p.executed_slot = slot;
    RebalanceExecuted {
        proposal_id: p.id,
        from_shard: p.from_shard,
        to_shard: p.to_shard,
        market_count: p.market_count,
        amount_moved: moved,
    }
    .emit();
    Ok(())
}
