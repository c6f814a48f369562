//! `edit_distribution`: the market authority reshapes the curve while the market is in Setup.
//!
//! Accounts:
//! 0. `[signer]` authority: `Market.authority` (`InvalidAuthority` otherwise).
//! 1. `[writable]` market: an AMM Market in status Setup (`InvalidMarketStatus` otherwise).
//! 2. `[writable]` shard: the market's current shard (`AccountMismatch` otherwise).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u32 | index: grid point to drag (ignored when `shape` is Some) |
//! | 4 | u64 | value: new unscaled value of that point (base units) |
//! | 12 | u64 | scale: canonical c of the result (the SDK's hint, verified in one pass) |
//! | 20 | Option<ShapeParams> | shape: None = drag `index` to `value`; Some = replace the curve by this shape (1 + 402 bytes) |
//!
//! Effect: `h` = current `f` with `h[index] = value` (or the shape's values), then
//! `f = min(b, floor(c h / 1e9))` where `c` is the canonical scale for `h`: the projection
//! onto `{||g|| <= k, 0 <= g <= b}`. The hint is verified in ONE fused pass that writes `g` in
//! place and sums `S(c)` and `S(c + 1)` (`NotCanonical` unless `S(c) <= budget < S(c + 1)`).
//! On any error the transaction reverts: nothing changes. (`f0`, the LP claim's reference, is
//! copied from `f` by `open_market`.)
//!
//! Emits `DistributionEdited { market, scale, shape_kind }`.

use crate::amm::events::DistributionEdited;
use crate::amm::shape::{write_shape, ShapeTarget, SHAPE_PARAMS_LEN};
use crate::amm::{owned_writable, project_curve, ProjectionTarget};
use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::{load as shard_load, registry};
use crate::state::amm::{split_market, SHAPE_EDITED};
use crate::state::market::MarketStatus;
use crate::state::{load_mut, Shard};
use crate::sys;
use continuum_math::{BaseUnits, Ratio1e9};
use pinocchio::{AccountView, Address};

/// Argument length without a shape / with one.
pub const ARGS_LEN_DRAG: usize = 21;
/// Argument length with `Some(shape)`.
pub const ARGS_LEN_SHAPE: usize = 21 + SHAPE_PARAMS_LEN;

/// Processes `edit_distribution`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data.get(..ARGS_LEN_DRAG).unwrap_or(data));
    let index = r.u32()?;
    let value = r.u64()?;
    let scale = r.u64()?;
    let has_shape = r.bool()?;
    r.finish()?;
    let expected = if has_shape {
        ARGS_LEN_SHAPE
    } else {
        ARGS_LEN_DRAG
    };
    if data.len() != expected {
        return Err(ContinuumError::InvalidInstructionData.into());
    }
    let ([authority, market, shard], _) = checks::take_accounts::<3>(accounts)?;
    checks::signer(authority)?;
    owned_writable(market, program_id)?;
    let slot = sys::clock()?.slot;

    let market_address = market.address().to_bytes();
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let mut mdata = market.try_borrow_mut()?;
    // `f0` (the LP claim's reference curve) is set by `open_market`, not by each edit.
    let (m, f, _) = split_market(&mut mdata)?;
    if &m.header.authority != authority.address().as_array() {
        return Err(ContinuumError::InvalidAuthority.into());
    }
    if !m.header.has_status(MarketStatus::Setup) {
        return Err(ContinuumError::InvalidMarketStatus.into());
    }
    registry::check_market_shard(&m.header, &shard)?;

    if has_shape {
        let grid = m.grid();
        let target = ShapeTarget {
            grid: &grid,
            k: m.k,
            b: m.b,
        };
        m.shape_kind = write_shape(&data[ARGS_LEN_DRAG..], &target, f)?;
    } else {
        let slot_ref = f
            .get_mut(index as usize)
            .ok_or(ContinuumError::InvalidRange)?;
        *slot_ref = value;
        m.shape_kind = SHAPE_EDITED;
    }
    m.scale = project_curve(
        f,
        &ProjectionTarget {
            b: BaseUnits::new(m.b),
            budget: m.budget(),
            scale: Ratio1e9::new(scale),
        },
    )?;
    shard_load::record_write(&mut shard, &mut m.header, slot);

    DistributionEdited {
        market: market_address,
        scale: m.scale,
        shape_kind: m.shape_kind,
    }
    .emit();
    Ok(())
}
