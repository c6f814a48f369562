//! `trade`'s accounts, in order (the 9 accounts of the former `trade_range_bet`):
//!
//! 0. `[signer, writable]` trader: pays (or is refunded) from its token account, and the
//!    Position's rent, in SOL, on its first trade in this market.
//! 1. `[writable]` market: AMM Market in status Open (`InvalidMarketStatus`), before its
//!    trading deadline (`TradingClosed`).
//! 2. `[writable]` shard: the market's CURRENT shard (`AccountMismatch` otherwise); its vault
//!    holds the collateral, its PDA signs refunds.
//! 3. `[writable]` position: PDA `["position", market, trader]`; created on the first trade
//!    (`InvalidPda` if the address is wrong; an unwind never creates one: `NothingToUnwind`),
//!    else it must be this market's and this trader's position (`AccountMismatch`).
//! 4. `[]` system program.
//! 5. `[writable]` trader's token account: of the collateral mint (`TokenAccountMintMismatch`),
//!    owned by the trader (`TokenAccountOwnerMismatch`), of the token program
//!    (`InvalidTokenAccount`), not frozen (`TokenAccountFrozen`).
//! 6. `[writable]` vault: the shard's vault (`Shard.vault`, `InvalidVault` otherwise).
//! 7. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 8. `[]` token program: the vault's owner (`InvalidTokenProgram`).

use crate::amm::owned_writable;
use crate::checks;
use crate::error::ContinuumResult;
use pinocchio::{AccountView, Address};

/// The accounts, destructured in the documented order, with the checks that need no state.
pub struct TradeAccounts<'a> {
    /// 0.
    pub trader: &'a mut AccountView,
    /// 1.
    pub market: &'a mut AccountView,
    /// 2.
    pub shard: &'a mut AccountView,
    /// 3.
    pub position: &'a mut AccountView,
    /// 5.
    pub trader_tokens: &'a mut AccountView,
    /// 6.
    pub vault: &'a mut AccountView,
    /// 7.
    pub mint: &'a mut AccountView,
    /// 8.
    pub token_program: &'a mut AccountView,
}

impl<'a> TradeAccounts<'a> {
    /// Takes the 9 accounts (`NotEnoughAccounts`, `DuplicateAccount`) and checks the trader
    /// signs and is writable, the position is writable, the system program, and that the
    /// market is the program's and writable.
    #[inline(always)]
    pub fn take(program_id: &Address, accounts: &'a mut [AccountView]) -> ContinuumResult<Self> {
        let (
            [trader, market, shard, position, system_program, trader_tokens, vault, mint, token_program],
            _,
        ) = checks::take_accounts::<9>(accounts)?;
        checks::writable_signer(trader)?;
        checks::writable(position)?;
        checks::system_program(system_program)?;
        owned_writable(market, program_id)?;
        Ok(TradeAccounts {
            trader,
            market,
            shard,
            position,
            trader_tokens,
            vault,
            mint,
            token_program,
        })
    }
}
