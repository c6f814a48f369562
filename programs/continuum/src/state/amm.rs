//! The L2 distribution AMM's accounts: the market's AMM tail (after the frozen 160-byte
//! [`MarketHeader`]) and the per-trader [`Position`].
//!
//! Both end in a variable-length curve (`n_points` entries), so the IDL describes their fixed
//! part (`AmmMarketTail` as a type at offset 160 of a Market; `Position` as an account whose
//! fixed fields are followed by `payoff`), and the account size is `fixed + 8 * n` (Position)
//! or `AmmMarket::LEN + 16 * n` (Market: `f` then `f0`). Every u64 array starts 8-byte
//! aligned, so the program works on the account data in place (no curve on the stack).

use super::market::{MarketHeader, MarketStatus};
use super::AccountLayout;
use crate::error::{ContinuumError, ContinuumResult};
use crate::safe;
use continuum_math::NormSq;

/// PDA seed prefix of Position accounts: `["position", market, owner]`.
pub const POSITION_SEED: &[u8] = b"position";

/// Largest grid an AMM market accepts.
///
/// Chosen by measurement (see `docs/compute-units.md`): the
/// binding limit is the account size a program can create by CPI (10 KiB:
/// `AmmMarket::LEN + 16 * N <= 10,240` gives `N <= 616`, odd `N <= 615`); a trade at this
/// size costs well under the 200k default CU limit. Creating a Normal/mixture shape at this
/// size needs a raised CU limit (ComputeBudget `setComputeUnitLimit`).
pub const N_MAX: u32 = 615;

/// Most control points of a Custom shape.
pub const MAX_CONTROL_POINTS: usize = 16;

/// The market's AMM state: [`MarketHeader`] then the AMM tail (offsets from the account start).
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 160 | header ([`MarketHeader`]) |
/// | 160 | 8 | lo (i64, outcome domain) |
/// | 168 | 8 | hi (i64) |
/// | 176 | 8 | step `(hi - lo) / (n - 1)` |
/// | 184 | 8 | k (L2 norm target) |
/// | 192 | 8 | b (cap per grid value, base units; the LP's backing) |
/// | 200 | 16 | norm_sq_budget (u128 LE: `floor(3 k^2 / step)`) |
/// | 216 | 8 | scale (canonical c of the last write, 1e9) |
/// | 224 | 32 | resolver |
/// | 256 | 8 | trading_deadline (unix seconds) |
/// | 264 | 8 | resolution_deadline (unix seconds) |
/// | 272 | 8 | outcome (x*, clamped to [lo, hi]; valid once resolved) |
/// | 280 | 8 | total_collateral (sum of the positions' current netted collateral R) |
/// | 288 | 8 | paid_out (base units paid by claim and claim_lp) |
/// | 296 | 16 | dust_numerator (u128 LE: sum of claim remainders, in 1/step base units) |
/// | 312 | 8 | position_count |
/// | 320 | 8 | trade_count |
/// | 328 | 8 | claim_count (trader claims paid) |
/// | 336 | 8 | lp_paid (what claim_lp paid) |
/// | 344 | 4 | n_points |
/// | 348 | 1 | lp_claimed (0/1) |
/// | 349 | 1 | shape_kind (last shape set, `SHAPE_*`) |
/// | 350 | 2 | fee_bps (u16: fee on the collateral each trade moves, <= MAX_FEE_BPS) |
/// | 352 | 8 | settled_at (unix seconds of resolve/cancel; 0 before) |
/// | 360 | 8 | fees_accrued (fees paid by trades, the LP's at settlement) |
/// | 368 | 16 | reserved |
/// | 384 | 8 n | f (current curve, base units) |
/// | 384 + 8 n | 8 n | f0 (curve at open, for the LP claim) |
///
/// Accounting identity (tested end to end): once every position and the LP have claimed,
/// `paid_out + dust_numerator / step == b + total_collateral + fees_accrued`,
/// `dust_numerator` is a multiple of `step`, and the market's remaining `vault_amount` is
/// exactly that dust. Before settlement `vault_amount == b + total_collateral + fees_accrued`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AmmMarket {
    /// The shared, frozen header.
    pub header: MarketHeader,
    /// Lower end of the outcome domain.
    pub lo: i64,
    /// Upper end of the outcome domain.
    pub hi: i64,
    /// Grid step.
    pub step: u64,
    /// L2 norm target.
    pub k: u64,
    /// Cap on every grid value; the liquidity backing posted at creation.
    pub b: u64,
    /// `floor(3 k^2 / step)` as u128 (little-endian halves).
    pub norm_sq_budget: [u64; 2],
    /// Canonical scale of the last curve written.
    pub scale: u64,
    /// Who reports the outcome.
    pub resolver: [u8; 32],
    /// Trades are accepted while `now < trading_deadline`.
    pub trading_deadline: i64,
    /// Resolution is accepted while `trading_deadline <= now < resolution_deadline`; after
    /// it an unresolved market can be cancelled.
    pub resolution_deadline: i64,
    /// Resolved outcome (clamped).
    pub outcome: i64,
    /// Sum over positions of their current netted collateral `R` (moved by each trade's
    /// `delta`).
    pub total_collateral: u64,
    /// Base units paid out by claims.
    pub paid_out: u64,
    /// Sum of the claims' floor remainders, in units of `1 / step` base unit (u128 halves).
    pub dust_numerator: [u64; 2],
    /// Positions created.
    pub position_count: u64,
    /// Trades executed.
    pub trade_count: u64,
    /// Trader claims paid.
    pub claim_count: u64,
    /// Amount paid to the LP.
    pub lp_paid: u64,
    /// Grid points.
    pub n_points: u32,
    /// 1 once the LP claimed.
    pub lp_claimed: u8,
    /// Last shape kind set (`SHAPE_*`; `SHAPE_EDITED` after a point drag).
    pub shape_kind: u8,
    /// Fee in basis points of the collateral each trade moves (`<= MAX_FEE_BPS`).
    pub fee_bps: u16,
    /// Unix time the market was resolved or cancelled (0 while unsettled): the grace period
    /// after which `close_market` no longer waits for outstanding claims starts here.
    pub settled_at: i64,
    /// Fees paid by trades; `claim_lp` pays them to the LP.
    pub fees_accrued: u64,
    /// Reserved; zero.
    pub reserved: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<AmmMarket>() == 384);
const _: () = assert!(core::mem::offset_of!(AmmMarket, settled_at) == 352);
const _: () = assert!(core::mem::offset_of!(AmmMarket, lo) == 160);
const _: () = assert!(core::mem::offset_of!(AmmMarket, resolver) == 224);
const _: () = assert!(core::mem::offset_of!(AmmMarket, n_points) == 344);
const _: () = assert!(core::mem::offset_of!(AmmMarket, fee_bps) == 350);
const _: () = assert!(core::mem::offset_of!(AmmMarket, fees_accrued) == 360);

unsafe impl AccountLayout for AmmMarket {
    const DISCRIMINATOR: [u8; 8] = MarketHeader::DISCRIMINATOR;
}

/// Shape kinds (`ShapeParams.kind`), as stored in `shape_kind`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeKind {
    /// Single Normal.
    Normal = 0,
    /// Uniform on `[uniform_a, uniform_b]`.
    Uniform = 1,
    /// Mixture of `count` Normals.
    Mixture = 2,
    /// Trimodal election preset.
    Trimodal = 3,
    /// Skewed fat-tailed launch preset.
    Skewed = 4,
    /// Leptokurtic indicator preset.
    Leptokurtic = 5,
    /// Piecewise-linear control points.
    Custom = 6,
}

impl TryFrom<u8> for ShapeKind {
    type Error = ContinuumError;
    /// `InvalidShape` for an unknown kind.
    fn try_from(v: u8) -> Result<Self, ContinuumError> {
        Ok(match v {
            0 => ShapeKind::Normal,
            1 => ShapeKind::Uniform,
            2 => ShapeKind::Mixture,
            3 => ShapeKind::Trimodal,
            4 => ShapeKind::Skewed,
            5 => ShapeKind::Leptokurtic,
            6 => ShapeKind::Custom,
            _ => return Err(ContinuumError::InvalidShape),
        })
    }
}

/// Shape kinds as bytes (`ShapeKind as u8`).
pub const SHAPE_NORMAL: u8 = ShapeKind::Normal as u8;
/// Uniform on `[uniform_a, uniform_b]`.
pub const SHAPE_UNIFORM: u8 = ShapeKind::Uniform as u8;
/// Mixture of `count` Normals (2 = bimodal).
pub const SHAPE_MIXTURE: u8 = ShapeKind::Mixture as u8;
/// Trimodal election preset.
pub const SHAPE_TRIMODAL: u8 = ShapeKind::Trimodal as u8;
/// Skewed fat-tailed launch preset.
pub const SHAPE_SKEWED: u8 = ShapeKind::Skewed as u8;
/// Leptokurtic indicator preset.
pub const SHAPE_LEPTOKURTIC: u8 = ShapeKind::Leptokurtic as u8;
/// Piecewise-linear control points.
pub const SHAPE_CUSTOM: u8 = ShapeKind::Custom as u8;
/// Recorded in `shape_kind` after an `edit_distribution` point drag.
pub const SHAPE_EDITED: u8 = 255;

impl AmmMarket {
    /// Byte offset of `n_points`: written first on creation, since it sizes the curves.
    pub const N_POINTS_OFFSET: usize = core::mem::offset_of!(AmmMarket, n_points);

    /// The market's outcome grid (`n_points` points on `[lo, hi]`).
    #[inline(always)]
    pub fn grid(&self) -> continuum_math::Grid {
        continuum_math::Grid {
            lo: self.lo,
            hi: self.hi,
            n: self.n_points,
        }
    }

    /// Account size of a market with `n` grid points.
    #[inline(always)]
    pub const fn space(n: u32) -> usize {
        Self::LEN + 16 * n as usize
    }

    /// The norm budget (stored as two u64 limbs: the account layout has no u128 alignment).
    #[inline(always)]
    pub fn budget(&self) -> NormSq {
        NormSq::new((self.norm_sq_budget[1] as u128) << 64 | self.norm_sq_budget[0] as u128)
    }

    /// Stores the norm budget.
    #[inline(always)]
    pub fn set_budget(&mut self, budget: NormSq) {
        let v = budget.get();
        self.norm_sq_budget = [v as u64, (v >> 64) as u64];
    }

    /// Settles the market (`Resolved` or `Cancelled`) at `now`.
    #[inline(always)]
    pub fn settle(&mut self, status: MarketStatus, now: i64) {
        self.header.set_status(status);
        self.settled_at = now;
    }

    /// When the market settled. Markets settled before `settled_at` was recorded read 0
    /// there: their grace period counts from the resolution deadline instead (resolutions
    /// happen before it, cancellations of Open markets at or after it).
    #[inline(always)]
    pub fn settlement_time(&self) -> i64 {
        if self.settled_at != 0 {
            self.settled_at
        } else {
            self.resolution_deadline
        }
    }

    /// Has every trader and the LP claimed? (Each claim closes its position, so then no
    /// account refers to this market any more.)
    #[inline(always)]
    pub fn all_claimed(&self) -> bool {
        self.claim_count == self.position_count && self.lp_claimed != 0
    }

    /// May the authority close the settled market at `now`: once every claim is in, or once
    /// `grace` seconds have passed since settlement, claims or not.
    #[inline(always)]
    pub fn closable(&self, now: i64, grace: u64) -> bool {
        if !self.header.is_settled() {
            return false;
        }
        if self.all_claimed() {
            return true;
        }
        let grace = i64::try_from(grace).unwrap_or(i64::MAX);
        now >= self.settlement_time().saturating_add(grace)
    }

    /// A bound on every open position's payoff, `|P_i| <= b + total_collateral` (saturated),
    /// for the trade kernel's fast loop (`KernelTrade::payoff_bound`). Why it holds while the
    /// market trades (Open): positions start at `P = 0` when the curve is `f0` (edits happen
    /// in Setup only) and each trade adds `g - f` to one position as the curve goes from `f`
    /// to `g`, so `sum_j P_j = f - f0`, each component in `[-b, b]`; no position closes
    /// before settlement. Each position's `R_j = max(0, max_i(-P_ji))` is booked by every
    /// trade, and `total_collateral = sum_j R_j`. So `P_ji >= -R_j >= -total_collateral` and
    /// `P_ji = (f - f0)_i - sum_{k != j} P_ki <= b + total_collateral`.
    #[inline(always)]
    pub fn payoff_bound(&self) -> u64 {
        self.b.saturating_add(self.total_collateral)
    }

    /// Books a trade on the market: `total_collateral += delta` (the position's change of
    /// netted collateral), `fees_accrued += fee`, the curve's new scale, the trade and (first
    /// trade of a position) position counters. Returns the trade's index (the new
    /// `trade_count`). `Overflow` if a book leaves u64 (nothing is written then).
    #[inline(always)]
    pub fn record_trade(&mut self, trade: &TradeBooking) -> ContinuumResult<u64> {
        let total = safe::add_signed(self.total_collateral, trade.delta)?;
        let fees = safe::add(self.fees_accrued, trade.fee)?;
        let index = safe::add(self.trade_count, 1)?;
        let positions = safe::add(self.position_count, trade.new_position as u64)?;
        self.total_collateral = total;
        self.fees_accrued = fees;
        self.trade_count = index;
        self.position_count = positions;
        self.scale = trade.scale;
        Ok(index)
    }

    /// What the LP is owed besides its curve share: the fees trades paid.
    #[inline(always)]
    pub fn lp_fees(&self) -> u64 {
        self.fees_accrued
    }

    /// Adds a claim remainder to the dust numerator.
    #[inline(always)]
    pub fn add_dust(&mut self, rem: u64) {
        let d = ((self.dust_numerator[1] as u128) << 64 | self.dust_numerator[0] as u128)
            .wrapping_add(rem as u128);
        self.dust_numerator = [d as u64, (d >> 64) as u64];
    }
}

/// A trade's effect on the market's books (see [`AmmMarket::record_trade`]).
#[derive(Clone, Copy, Debug)]
pub struct TradeBooking {
    /// `R' - R` of the trading position.
    pub delta: i128,
    /// Fee paid.
    pub fee: u64,
    /// Canonical scale of the new curve.
    pub scale: u64,
    /// The trade created the position.
    pub new_position: bool,
}

/// Writes the discriminator and `n_points` of a freshly created market or position, whose other
/// fields are then set through [`split_market`] / [`split_position`] (which need `n_points` to
/// size the curves). `InvalidAccountData` if `data` is too short.
#[inline(always)]
pub fn init_sized_account(
    data: &mut [u8],
    discriminator: &[u8; 8],
    n_points_offset: usize,
    n: u32,
) -> ContinuumResult {
    let end = n_points_offset + 4;
    let (head, _) = data
        .split_at_mut_checked(end)
        .ok_or(ContinuumError::InvalidAccountData)?;
    let (disc, rest) = head
        .split_at_mut_checked(8)
        .ok_or(ContinuumError::InvalidAccountData)?;
    disc.copy_from_slice(discriminator);
    let at = n_points_offset - 8;
    let (_, n_bytes) = rest
        .split_at_mut_checked(at)
        .ok_or(ContinuumError::InvalidAccountData)?;
    n_bytes.copy_from_slice(&n.to_le_bytes());
    Ok(())
}

/// Views AMM market data as `(market, f, f0)`: checks the Market discriminator, alignment,
/// an AMM status (Setup..=Cancelled: a header-only Registered market has no AMM) and that
/// the size is `AmmMarket::space(n_points)` (`InvalidAccountData` otherwise).
#[inline(always)]
pub fn split_market(data: &mut [u8]) -> ContinuumResult<(&mut AmmMarket, &mut [u64], &mut [u64])> {
    super::check_prefix::<AmmMarket>(data)?;
    let (head, curves) = data.split_at_mut(AmmMarket::LEN);
    // SAFETY: length, alignment and discriminator checked; every bit pattern is valid.
    let market = unsafe { &mut *(head.as_mut_ptr() as *mut AmmMarket) };
    let n = market.n_points as usize;
    if !MarketStatus::try_from(market.header.status).is_ok_and(MarketStatus::has_amm)
        || n < 3
        || curves.len() != 16 * n
    {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    // SAFETY: `curves` is 16 n bytes, 8-byte aligned (account data is, and LEN % 8 == 0);
    // u64 accepts any bit pattern; the two halves do not overlap.
    let (f, f0) = unsafe {
        let p = curves.as_mut_ptr() as *mut u64;
        (
            core::slice::from_raw_parts_mut(p, n),
            core::slice::from_raw_parts_mut(p.add(n), n),
        )
    };
    Ok((market, f, f0))
}

/// A trader's position in one market: PDA `["position", market, owner]`.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | discriminator |
/// | 8 | 32 | market (the Market account's address) |
/// | 40 | 32 | owner |
/// | 72 | 8 | collateral (R: the netted collateral `max(0, max_i(-payoff_i))` it holds) |
/// | 80 | 8 | trade_count |
/// | 88 | 8 | claimed_amount |
/// | 96 | 4 | n_points |
/// | 100 | 1 | claimed (0/1) |
/// | 101 | 1 | bump |
/// | 102 | 2 | padding |
/// | 104 | 8 n | payoff (i64 per grid point: sum of `g - f` over the owner's trades) |
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// `sha256("account:Position")[..8]`.
    pub discriminator: [u8; 8],
    /// The market account.
    pub market: [u8; 32],
    /// The trader.
    pub owner: [u8; 32],
    /// The collateral the position holds in the vault: its netted worst case
    /// `R = max(0, max_i(-payoff_i))` after its last trade.
    pub collateral: u64,
    /// Trades folded into this position.
    pub trade_count: u64,
    /// What `claim` paid.
    pub claimed_amount: u64,
    /// Grid points (length of `payoff`).
    pub n_points: u32,
    /// 1 once claimed.
    pub claimed: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Explicit padding; zero.
    pub padding: [u8; 2],
}

const _: () = assert!(core::mem::size_of::<Position>() == 104);

unsafe impl AccountLayout for Position {
    const DISCRIMINATOR: [u8; 8] = [170, 188, 143, 228, 122, 64, 247, 208];
}

impl Position {
    /// Byte offset of `n_points`: written first on creation, since it sizes the payoffs.
    pub const N_POINTS_OFFSET: usize = core::mem::offset_of!(Position, n_points);

    /// Account size of a position on a market with `n` grid points.
    #[inline(always)]
    pub const fn space(n: u32) -> usize {
        Self::LEN + 8 * n as usize
    }

    /// Records a trade whose payoff the kernel already folded in: the position now holds
    /// its new netted collateral `R'`.
    #[inline(always)]
    pub fn apply(&mut self, collateral_after: u64) -> ContinuumResult {
        self.trade_count = safe::add(self.trade_count, 1)?;
        self.collateral = collateral_after;
        Ok(())
    }
}

/// Views position data as `(position, payoff)` (discriminator, alignment and size
/// `Position::space(n_points)` checked; `InvalidAccountData` otherwise).
#[inline(always)]
pub fn split_position(data: &mut [u8]) -> ContinuumResult<(&mut Position, &mut [i64])> {
    super::check_prefix::<Position>(data)?;
    let (head, rest) = data.split_at_mut(Position::LEN);
    // SAFETY: as in `split_market`.
    let pos = unsafe { &mut *(head.as_mut_ptr() as *mut Position) };
    let n = pos.n_points as usize;
    if rest.len() != 8 * n {
        return Err(ContinuumError::InvalidAccountData.into());
    }
    // SAFETY: 8 n bytes, 8-byte aligned, any bit pattern is a valid i64.
    let payoff = unsafe { core::slice::from_raw_parts_mut(rest.as_mut_ptr() as *mut i64, n) };
    Ok((pos, payoff))
}
