//! `create_market`: creates an L2 distribution market (status Setup). The authority funds the
//! Market PDA's rent (SOL) and the liquidity backing `b` (collateral tokens), which goes to the
//! vault of the market's assigned SHARD and is booked with `sharding::vault::credit`.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: pays rent and `b`; becomes `Market.authority` (the LP).
//! 1. `[writable]` config: PDA `["config"]` (`market_count += 1`).
//! 2. `[writable]` shard: the assigned shard, PDA `["shard", [keccak256(market_key)[0] %
//!    shard_count]]` (`AccountMismatch` otherwise); its vault receives `b`.
//! 3. `[writable]` market: PDA `["market", market_key]` with bump 255 (`MARKET_BUMP`, as in `register_market`), must not exist yet;
//!    created with `AmmMarket::space(n_points) = 384 + 16 n_points` bytes.
//! 4. `[]` system program.
//! 5. `[signer]` market key: the keypair whose public key is `market_key` (`MissingSigner` if it
//!    did not sign, `AccountMismatch` if it is another key), so nobody can take a market key
//!    by copying it from a pending transaction.
//! 6. `[writable]` authority's token account: of the collateral mint, owned by the authority,
//!    not frozen (`checks::owner_token_account`); pays `b`.
//! 7. `[writable]` vault: the shard's vault (`InvalidVault`).
//! 8. `[]` collateral mint: the vault's mint (`InvalidMint`).
//! 9. `[]` token program: the vault's owner (`InvalidTokenProgram`).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | [u8; 32] | market_key |
//! | 32 | i64 | lo |
//! | 40 | i64 | hi (> lo) |
//! | 48 | u32 | n_points (odd, 3..=N_MAX = 615, `(hi - lo) % (n_points - 1) == 0`) |
//! | 52 | u64 | k (> 0, L2 norm target) |
//! | 60 | u64 | b (1..=2^56 base units, cap and LP backing) |
//! | 68 | i64 | trading_deadline (unix seconds, > now) |
//! | 76 | i64 | resolution_deadline (> trading_deadline, at most `Config.max_market_duration_seconds` from now: `MarketDurationTooLong`) |
//! | 84 | pubkey | resolver |
//! | 116 | u64 | scale: canonical c of the projected shape (the SDK's hint, verified in one pass) |
//! | 124 | ShapeParams | shape (402 bytes, see `amm::shape`) |
//! | 526 | u16 | fee_bps: fee on the collateral each trade moves (`<= MAX_FEE_BPS = 1,000`, else `FeeTooHigh`) |
//!
//! Effect: `f = f0 = min(b, floor(c * shape / 1e9))` with the canonical c; norm budget
//! `floor(3 k^2 / step)` stored; `vault_amount = b`. Every argument check runs before any
//! account changes, and any later failure reverts the transaction: nothing changes on error.
//!
//! Emits `MarketCreated { market, market_key, shard_id, n_points, b, k, scale }`.

use crate::amm::events::MarketCreated;
use crate::amm::shape::{write_shape, ShapeTarget, SHAPE_PARAMS_LEN};
use crate::amm::{project_curve, ProjectionTarget};
use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::sharding::{load as shard_load, registry, vault};
use crate::state::amm::{init_sized_account, split_market, AmmMarket, N_MAX};
use crate::state::market::{MarketStatus, MARKET_BUMP, MARKET_SEED};
use crate::state::{load_mut, AccountLayout, Config, Shard};
use crate::sys;
use continuum_math::{norm_sq_budget, BaseUnits, Grid, Ratio1e9, KERNEL_B_MAX, MAX_FEE_BPS};
use pinocchio::{AccountView, Address};

/// Byte length of the fixed arguments before `shape`.
pub const FIXED_ARGS_LEN: usize = 124;
/// Byte length of the arguments after `shape`: `fee_bps`.
pub const TRAILING_ARGS_LEN: usize = 2;
/// Total argument length.
pub const ARGS_LEN: usize = FIXED_ARGS_LEN + SHAPE_PARAMS_LEN + TRAILING_ARGS_LEN;

/// Decoded fixed arguments.
struct Args {
    market_key: [u8; 32],
    lo: i64,
    hi: i64,
    n: u32,
    k: u64,
    b: u64,
    trading_deadline: i64,
    resolution_deadline: i64,
    resolver: [u8; 32],
    scale: u64,
    fee_bps: u16,
}

fn parse(data: &[u8]) -> ContinuumResult<Args> {
    if data.len() != ARGS_LEN {
        return Err(ContinuumError::InvalidInstructionData.into());
    }
    let mut r = ArgReader::new(&data[..FIXED_ARGS_LEN]);
    let a = Args {
        market_key: r.address()?,
        lo: r.i64()?,
        hi: r.i64()?,
        n: r.u32()?,
        k: r.u64()?,
        b: r.u64()?,
        trading_deadline: r.i64()?,
        resolution_deadline: r.i64()?,
        resolver: r.address()?,
        scale: r.u64()?,
        fee_bps: 0,
    };
    r.finish()?;
    let mut trailing = ArgReader::new(&data[FIXED_ARGS_LEN + SHAPE_PARAMS_LEN..]);
    let a = Args {
        fee_bps: trailing.u16()?,
        ..a
    };
    trailing.finish()?;
    Ok(a)
}

/// Processes `create_market`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let a = parse(data)?;
    let shape_data = &data[FIXED_ARGS_LEN..FIXED_ARGS_LEN + SHAPE_PARAMS_LEN];
    let (
        [authority, config, shard, market, system_program, key_signer, authority_tokens, vault, mint, token_program],
        _,
    ) = checks::take_accounts::<10>(accounts)?;
    checks::writable_signer(authority)?;
    checks::writable(market)?;
    checks::system_program(system_program)?;
    checks::signer(key_signer)?;
    if key_signer.address().as_array() != &a.market_key {
        return Err(ContinuumError::AccountMismatch.into());
    }

    // Argument checks (nothing touched yet).
    if a.n > N_MAX {
        return Err(ContinuumError::InvalidGrid.into());
    }
    let grid = Grid {
        lo: a.lo,
        hi: a.hi,
        n: a.n,
    };
    let step = grid.step().map_err(math_error)?;
    if a.k == 0 || a.b == 0 || a.b > KERNEL_B_MAX {
        return Err(ContinuumError::InvalidMarketParams.into());
    }
    if a.fee_bps as u64 > MAX_FEE_BPS {
        return Err(ContinuumError::FeeTooHigh.into());
    }
    let now = sys::clock()?;
    if a.trading_deadline <= now.unix_timestamp || a.resolution_deadline <= a.trading_deadline {
        return Err(ContinuumError::InvalidDeadlines.into());
    }
    let budget = norm_sq_budget(a.k, step).map_err(math_error)?;

    let (shard_id, money) = {
        let mut config = load_mut::<Config>(config, program_id)?;
        // Cancellation (everyone's refund) opens at the resolution deadline, so a far deadline
        // with a resolver who never acts would lock the traders' collateral: bound it.
        let life = a.resolution_deadline.saturating_sub(now.unix_timestamp) as u64;
        if life > config.max_market_duration_seconds {
            return Err(ContinuumError::MarketDurationTooLong.into());
        }
        let shard_handle = shard.clone();
        let mut shard_state = load_mut::<Shard>(shard, program_id)?;
        let shard_id = registry::assign_market(&mut config, &mut shard_state, &a.market_key)?;
        let money = checks::collateral(&shard_state, &shard_handle, vault, mint, token_program)?;
        checks::owner_token_account(authority_tokens, &money, authority.address())?;
        (shard_id, money)
    };

    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: authority,
            account: market,
            seeds: &[&a.market_key],
            space: AmmMarket::space(a.n) as u64,
            extra_lamports: 0,
            min_bump: MARKET_BUMP,
        },
        MARKET_SEED,
        program_id,
    )?;

    let market_address = market.address().to_bytes();
    let scale = {
        let mut mdata = market.try_borrow_mut()?;
        {
            let header = registry::init_header_bytes(&mut mdata)?;
            registry::init_header(
                header,
                &registry::NewMarket {
                    market_key: &a.market_key,
                    authority: authority.address().as_array(),
                    shard_id,
                    bump,
                    status: MarketStatus::Setup,
                    slot: now.slot,
                },
            );
        }
        init_sized_account(
            &mut mdata,
            &AmmMarket::DISCRIMINATOR,
            AmmMarket::N_POINTS_OFFSET,
            a.n,
        )?;
        let (m, f, f0) = split_market(&mut mdata)?;
        m.lo = a.lo;
        m.hi = a.hi;
        m.step = step;
        m.k = a.k;
        m.b = a.b;
        m.set_budget(budget);
        m.resolver = a.resolver;
        m.trading_deadline = a.trading_deadline;
        m.resolution_deadline = a.resolution_deadline;
        m.outcome = a.lo;
        m.fee_bps = a.fee_bps;
        let target = ShapeTarget {
            grid: &grid,
            k: a.k,
            b: a.b,
        };
        m.shape_kind = write_shape(shape_data, &target, f)?;
        m.scale = project_curve(
            f,
            &ProjectionTarget {
                b: BaseUnits::new(a.b),
                budget,
                scale: Ratio1e9::new(a.scale),
            },
        )?;
        f0.copy_from_slice(f);
        m.scale
    };

    vault::pay_in(&money, authority_tokens, authority, a.b)?;
    {
        let mut shard = load_mut::<Shard>(shard, program_id)?;
        let mut mdata = market.try_borrow_mut()?;
        let (m, _, _) = split_market(&mut mdata)?;
        vault::credit(&mut shard, &mut m.header, a.b)?;
        shard_load::record_write(&mut shard, &mut m.header, now.slot);
    }

    MarketCreated {
        market: market_address,
        market_key: a.market_key,
        shard_id,
        n_points: a.n,
        b: a.b,
        k: a.k,
        scale,
    }
    .emit();
    Ok(())
}
