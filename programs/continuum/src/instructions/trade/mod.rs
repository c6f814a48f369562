//! `trade`: the general trade primitive. The market curve moves along a direction (a grid
//! range, a belief shape, or the trader's own position) by a signed size `t`:
//! `h = max(0, f + d(t))`, `g = min(b, floor(c h / 1e9))` with `c` verified canonical; the
//! position's payoff becomes `P' = P + g - f` and its collateral the netted worst case
//! `R' = max(0, max_i(-P'_i))`. The trader pays `R' - R` plus the fee, or is refunded
//! `R - R'` less the fee (`continuum_math::trade_general`, the reference of the kernel).
//!
//! Accounts: [`accounts`]. Arguments: [`args`].
//!
//! Checks, in order (any failure reverts the transaction: nothing changes):
//! 1. Arguments: lengths (`InvalidInstructionData`), direction kind (`InvalidDirection`).
//! 2. Accounts without state ([`accounts::TradeAccounts::take`]).
//! 3. Market: Open (`InvalidMarketStatus`), `now < trading_deadline` (`TradingClosed`),
//!    `expected_trade_index` is `u64::MAX` or `Market.trade_count` (`StaleQuote`).
//! 4. Position: created on the first trade, except by an unwind (`NothingToUnwind`); else
//!    the program's (`InvalidAccountOwner`), this market's and trader's (`AccountMismatch`).
//! 5. Shard and money accounts: the market's current shard, its vault, mint, token program,
//!    the trader's token account (`checks::collateral`, `checks::owner_token_account`).
//! 6. Direction and curve, in ONE pass (`continuum_math::trade_in_place`): a shape is
//!    evaluated into a heap scratch first (`write_shape`: `InvalidShape`, the Normal sigma
//!    bound `MaxBoundExceeded`); then `InvalidRange`, `InvalidUnwindFraction`,
//!    `NothingToUnwind`, `ZeroEffectBet` (`t == 0`, or `g == f`), `Overflow`, `NotCanonical`.
//! 7. Money (`settle`): `delta = R' - R`, `fee = ceil(|delta| fee_bps / 10,000)`,
//!    `net_in = delta + fee`. Payment (`net_in > 0`): `net_in <= max_in` and `min_out == 0`;
//!    refund: `-net_in >= min_out`; else `SlippageExceeded`.
//! 8. Books: position (`R'`, trade count), market (`total_collateral += delta`,
//!    `fees_accrued += fee`, `scale = c`, counters), vault (`credit` / `debit`), load meter.
//! 9. Tokens: `TransferChecked` trader -> vault, or vault -> trader with the Shard PDA signing.
//!
//! Emits [`crate::amm::events::TradeExecuted`].

pub mod accounts;
pub mod args;

use crate::amm::events::TradeExecuted;
use crate::amm::shape::{write_shape, ShapeTarget};
use crate::checks::{self, NewPda};
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::sharding::{load as shard_load, registry, vault};
use crate::state::amm::{
    init_sized_account, split_market, split_position, AmmMarket, Position, TradeBooking,
    POSITION_SEED,
};
use crate::state::market::MarketStatus;
use crate::state::{load_mut, AccountLayout, Shard};
use crate::sys;
use accounts::TradeAccounts;
use args::{DirectionArg, TradeArgs};
use continuum_math::{
    settle, trade_in_place, BaseUnits, Direction, KernelTrade, Ratio1e9, Settlement,
};
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

/// Check group 3: the market takes trades now, at the quoted state.
#[inline(always)]
fn check_market(m: &AmmMarket, now: i64, expected_trade_index: u64) -> ContinuumResult {
    if !m.header.has_status(MarketStatus::Open) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    if now >= m.trading_deadline {
        return Err(ContinuumError::TradingClosed.into());
    }
    if expected_trade_index != u64::MAX && expected_trade_index != m.trade_count {
        return Err(ContinuumError::StaleQuote.into());
    }
    Ok(())
}

/// Check group 7: the trader's bounds on what moves.
#[inline(always)]
fn check_slippage(st: &Settlement, args: &TradeArgs) -> ContinuumResult {
    let ok = if st.amount_in > BaseUnits::ZERO {
        st.amount_in <= BaseUnits::new(args.max_in) && args.min_out == 0
    } else {
        st.amount_out >= BaseUnits::new(args.min_out)
    };
    if ok {
        Ok(())
    } else {
        Err(ContinuumError::SlippageExceeded.into())
    }
}

/// Processes `trade`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    // 1-2. Arguments, accounts.
    let args = TradeArgs::parse(data)?;
    let a = TradeAccounts::take(program_id, accounts)?;
    let now = sys::clock()?;
    let market_address = a.market.address().to_bytes();

    // 3. The market stays borrowed (and split) until the books are done: the Position's
    //    creation CPI doesn't involve it.
    let mut mdata = a.market.try_borrow_mut()?;
    let (m, f, _) = split_market(&mut mdata)?;
    check_market(m, now.unix_timestamp, args.expected_trade_index)?;

    // 4. Position.
    let new_position = a.position.data_len() == 0;
    if new_position {
        if args.direction == DirectionArg::Unwind {
            return Err(ContinuumError::NothingToUnwind.into());
        }
        create_position(
            program_id,
            a.trader,
            a.position,
            &market_address,
            m.n_points,
        )?;
    } else if !checks::owned_by(a.position, program_id) {
        return Err(ContinuumError::InvalidAccountOwner.into());
    }

    let (receipt, money, amount_in, amount_out) = {
        // 5. Shard and money accounts.
        let shard_handle = a.shard.clone();
        let mut shard = load_mut::<Shard>(a.shard, program_id)?;
        registry::check_market_shard(&m.header, &shard)?;
        let money = checks::collateral(&shard, &shard_handle, a.vault, a.mint, a.token_program)?;
        checks::owner_token_account(a.trader_tokens, &money, a.trader.address())?;
        let mut pdata = a.position.try_borrow_mut()?;
        let (pos, payoff) = split_position(&mut pdata)?;
        if !checks::keys_eq(&pos.market, &market_address)
            || !checks::keys_eq(&pos.owner, a.trader.address().as_array())
        {
            return Err(ContinuumError::AccountMismatch.into());
        }

        // 6. Direction and curve.
        let direction = match args.direction {
            DirectionArg::Range { i0, i1 } => Direction::Range {
                i0: i0 as usize,
                i1: i1 as usize,
            },
            DirectionArg::Shape(params) => {
                let phi = sys::heap_scratch_u64(f.len())?;
                let target = ShapeTarget {
                    grid: &m.grid(),
                    k: m.k,
                    b: m.b,
                };
                write_shape(params, &target, phi)?;
                Direction::Shape { phi }
            }
            DirectionArg::Unwind => Direction::Unwind,
        };
        let kernel = KernelTrade {
            b: BaseUnits::new(m.b),
            budget: m.budget(),
            c: Ratio1e9::new(args.c),
            t: args.t,
            direction,
            payoff_bound: BaseUnits::new(m.payoff_bound()),
        };
        let out = trade_in_place(f, payoff, &kernel).map_err(math_error)?;

        // 7. Money.
        let collateral_before = BaseUnits::new(pos.collateral);
        let st = settle(collateral_before, out.collateral_after, m.fee_bps).map_err(math_error)?;
        check_slippage(&st, &args)?;

        // 8. Books.
        // The books and the event keep raw u64 (their layouts are the wire format).
        pos.apply(out.collateral_after.get())?;
        let trade_index = m.record_trade(&TradeBooking {
            delta: st.delta,
            fee: st.fee.get(),
            scale: args.c,
            new_position,
        })?;
        if st.amount_in > BaseUnits::ZERO {
            vault::credit(&mut shard, &mut m.header, st.amount_in.get())?;
        } else {
            vault::debit(&mut shard, &mut m.header, st.amount_out.get())?;
        }
        shard_load::record_write(&mut shard, &mut m.header, now.slot);
        let receipt = TradeExecuted {
            market: market_address,
            trader: a.trader.address().to_bytes(),
            kind: args.kind() as u8,
            t: args.t,
            c: args.c,
            collateral_before: collateral_before.get(),
            collateral_after: out.collateral_after.get(),
            fee: st.fee.get(),
            amount_in: st.amount_in.get(),
            amount_out: st.amount_out.get(),
            trade_index,
        };
        // Encoded now, while its fields are at hand, and logged once the tokens moved: a
        // receipt in the logs means the whole trade went through.
        let receipt = receipt.encode();
        (receipt, money, st.amount_in.get(), st.amount_out.get())
    };
    drop(mdata);

    // 9. Tokens.
    if amount_in > 0 {
        vault::pay_in(&money, a.trader_tokens, a.trader, amount_in)?;
    } else {
        vault::pay_out(&money, a.trader_tokens, amount_out)?;
    }
    sys::emit(&receipt);
    Ok(())
}
