//! `trade_range_bet`: a range bet `f -> g = min(b, floor(c (f + t 1[i0, i1]) / 1e9))`.
//!
//! Accounts:
//! 0. `[signer, writable]` trader: pays the collateral from its token account (and the
//!    Position's rent, in SOL, on its first trade in this market).
//! 1. `[writable]` market: AMM Market in status Open (`InvalidMarketStatus`), before its
//!    trading deadline (`TradingClosed`).
//! 2. `[writable]` shard: the market's CURRENT shard (`AccountMismatch` otherwise); its vault
//!    receives the collateral.
//! 3. `[writable]` position: PDA `["position", market, trader]`; created on the first trade
//!    (`InvalidPda` if the address is wrong), else it must be this market's and this trader's
//!    position (`AccountMismatch`).
//! 4. `[]` system program.
//! 5. `[writable]` trader's token account: of the collateral mint (`TokenAccountMintMismatch`),
//!    owned by the trader (`TokenAccountOwnerMismatch`), of the token program
//!    (`InvalidTokenAccount`), not frozen (`TokenAccountFrozen`); pays `C`.
//! 6. `[writable]` vault: the shard's vault (`Shard.vault`, `InvalidVault` otherwise).
//! 7. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 8. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u32 | i0 (first grid index of the range, inclusive) |
//! | 4 | u32 | i1 (last, inclusive; `i0 <= i1 < n`, else `InvalidRange`) |
//! | 8 | u64 | t (bump in base units, > 0, else `ZeroEffectBet`) |
//! | 16 | u64 | c (canonical scale of `f + t 1[i0,i1]`, from the SDK's quote) |
//! | 24 | u64 | max_collateral (slippage bound, base units) |
//!
//! The program recomputes everything in ONE pass over the grid
//! (`continuum_math::range_bet_apply_in_place`): `g`, `S(c)` and `S(c + 1)` (so `c` is verified
//! canonical: `||g|| <= k` and `c + 1` would break it, else `NotCanonical`), the collateral
//! `C = max_i (f_i - g_i)` (an integer: nothing to round), `payoff += g - f` on the position
//! and `f := g` on the market. Then `C == 0` is `ZeroEffectBet` and `C > max_collateral` is
//! `SlippageExceeded`. `C` tokens move from the trader's token account to the shard's vault
//! (`TransferChecked`) and are booked with `vault::credit`. Any error reverts the whole transaction.
//!
//! Emits `TradeEvent { market, trader, i0, i1, t, c, collateral, trade_index }`.

use crate::amm::events::discriminator as ev;
use crate::amm::owned_writable;
use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::sharding::events::Event;
use crate::sharding::{load as shard_load, registry, vault};
use crate::state::amm::{
    init_sized_account, is_open, split_market, split_position, Position, POSITION_SEED,
};
use crate::state::{load_mut, AccountLayout, Shard};
use crate::sys;
use continuum_math::{range_bet_apply_in_place, RangeBetParams};
use pinocchio::{AccountView, Address};

/// Creates the trader's Position PDA for a market with `n` grid points (zeroed payoff).
#[inline(always)]
fn create_position(
    program_id: &Address,
    trader: &AccountView,
    position: &mut AccountView,
    market_address: &[u8; 32],
    n: u32,
) -> ContinuumResult {
    let trader_address = trader.address().to_bytes();
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: trader,
            account: position,
            seeds: &[market_address, &trader_address],
            space: Position::space(n) as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        POSITION_SEED,
        program_id,
    )?;
    let mut data = position.try_borrow_mut()?;
    init_sized_account(
        &mut data,
        &Position::DISCRIMINATOR,
        Position::N_POINTS_OFFSET,
        n,
    )?;
    let (pos, _) = split_position(&mut data)?;
    pos.market = *market_address;
    pos.owner = trader_address;
    pos.bump = bump;
    Ok(())
}

/// Processes `trade_range_bet`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let i0 = r.u32()? as usize;
    let i1 = r.u32()? as usize;
    let t = r.u64()?;
    let c = r.u64()?;
    let max_collateral = r.u64()?;
    r.finish()?;
    let (
        [trader, market, shard_account, position, system_program, trader_tokens, vault, mint, token_program],
        _,
    ) = checks::take_accounts::<9>(accounts)?;
    checks::writable_signer(trader)?;
    checks::writable(position)?;
    checks::system_program(system_program)?;
    owned_writable(market, program_id)?;
    let now = sys::clock()?;
    let market_address = market.address().to_bytes();

    // Market state checks before anything is created. The market stays borrowed (and split)
    // until the bookkeeping is done: the Position's creation CPI doesn't involve it.
    let mut mdata = market.try_borrow_mut()?;
    let (m, f, _) = split_market(&mut mdata)?;
    if !is_open(m.header.status) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    if now.unix_timestamp >= m.trading_deadline {
        return Err(ContinuumError::TradingClosed.into());
    }
    let n = m.n_points;

    let new_position = position.data_len() == 0;
    if new_position {
        create_position(program_id, trader, position, &market_address, n)?;
    } else if !position.owned_by(program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }

    let (collateral, trade_index, money) = {
        let shard_handle = shard_account.clone();
        let mut shard = load_mut::<Shard>(shard_account, program_id)?;
        registry::check_market_shard(&m.header, &shard)?;
        let money = checks::collateral(&shard, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(trader_tokens, &money, trader.address())?;
        let mut pdata = position.try_borrow_mut()?;
        let (pos, payoff) = split_position(&mut pdata)?;
        if pos.market != market_address || &pos.owner != trader.address().as_array() {
            return Err(ContinuumError::AccountMismatch.into());
        }
        let out = range_bet_apply_in_place(
            f,
            payoff,
            &RangeBetParams {
                b: m.b,
                budget: m.budget(),
                i0,
                i1,
                t,
                c,
            },
        )
        .map_err(math_error)?;
        let coll = out.collateral;
        if coll == 0 {
            return Err(ContinuumError::ZeroEffectBet.into());
        }
        if coll > max_collateral {
            return Err(ContinuumError::SlippageExceeded.into());
        }
        pos.collateral = pos
            .collateral
            .checked_add(coll)
            .ok_or(ContinuumError::Overflow)?;
        pos.trade_count += 1;
        m.total_collateral = m
            .total_collateral
            .checked_add(coll)
            .ok_or(ContinuumError::Overflow)?;
        m.trade_count += 1;
        if new_position {
            m.position_count += 1;
        }
        m.scale = c;
        vault::credit(&mut shard, &mut m.header, coll)?;
        shard_load::record_write(&mut shard, &mut m.header, now.slot);
        (coll, m.trade_count, money)
    };
    drop(mdata);
    vault::pay_in(&money, trader_tokens, trader, collateral)?;

    Event::new(&ev::TRADE_EVENT)
        .bytes(&market_address)
        .bytes(trader.address().as_array())
        .bytes(&(i0 as u32).to_le_bytes())
        .bytes(&(i1 as u32).to_le_bytes())
        .u64(t)
        .u64(c)
        .u64(collateral)
        .u64(trade_index)
        .emit();
    Ok(())
}
