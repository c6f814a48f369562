//! The general trade primitive on a netted position: the REFERENCE implementation.
//!
//! Written for reading, not for speed (several passes, wide arithmetic everywhere): the
//! program runs the one-pass kernel of [`crate::kernel`], which host tests check against this
//! module bit for bit, and the TypeScript mirror reproduces this module from
//! `tests/vectors/trade_general.json`.
//!
//! A trade moves the market curve `f` along a direction vector `d` (a function of a signed
//! size `t`):
//! 1. `d_i` ([`direction_delta`]), exact, rounded toward NEGATIVE infinity:
//!    - Range `[i0, i1]`: `d_i = t` on the range, 0 elsewhere (`t > 0` buys, `t < 0` sells);
//!    - Shape: `d_i = floor(t * phi_i / 1e9)` with `phi = shape_values(grid, shape)` (the
//!      unscaled shape of `create_market`: a Normal peaks at 1e9);
//!    - Unwind: `t = fraction_1e9` in `1..=1e9`, `d_i = floor(-t * P_i / 1e9)` (the
//!      position's own payoff `P`, so `fraction_1e9 = 1e9` asks for `h = f - P`).
//! 2. `h_i = max(0, f_i + d_i)` (above `u64::MAX`: `Overflow`).
//! 3. `g_i = min(b, floor(c h_i / 1e9))` for the claimed `c`, which must be the canonical
//!    scale of `h`: `S(c) <= budget < S(c + 1)` ([`crate::project::scale_passes`]), else
//!    `NotCanonical`.
//! 4. `g == f` everywhere: `ZeroBet` (the trade changes nothing).
//! 5. `P'_i = P_i + g_i - f_i` (i64, else `Overflow`), `R' = max(0, max_i(-P'_i))` (the
//!    position's worst case: its netted collateral).
//! 6. Money ([`settle`]): `delta = R' - R` (R = the collateral the position holds now),
//!    `fee = ceil(|delta| fee_bps / 10_000)`, `net_in = delta + fee`: the trader pays
//!    `net_in` when positive, else is refunded `-net_in`.
//!
//! Preconditions, the program's domain (checked here exactly as the kernel checks them, in
//! this order; the first failing one is the error):
//! grid length odd in `3..=KERNEL_N_MAX` (`InsufficientPoints` / `InvalidGrid` / `Overflow`),
//! `b <= KERNEL_B_MAX` (`Overflow`), `payoff`, `phi` (Shape) and the outputs of length N
//! (`LengthMismatch`), `fee_bps <= MAX_FEE_BPS` (`FeeTooHigh`), the direction (Range:
//! `i0 <= i1 < N`, `InvalidRange`; Unwind: `1 <= t <= 1e9`, `InvalidUnwindFraction`, then
//! `P != 0`, `NothingToUnwind`), `t != 0` (`ZeroBet`), `c < u64::MAX` (`NotCanonical`); then
//! per point `f_i <= KERNEL_F_MAX`, `h_i <= u64::MAX` and `P'_i` in i64 (all `Overflow`),
//! then canonical `c` (`NotCanonical`), then `g != f` (`ZeroBet`).

use crate::constants::{MAX_FEE_BPS, SCALE_1E9};
use crate::error::{MathError, MathResult};
use crate::kernel::{KERNEL_B_MAX, KERNEL_F_MAX, KERNEL_N_MAX};
use crate::project::{scale_passes, BumpedCurve};
use crate::simpson::{validate_points, weighted_sum_sq};
use crate::units::{BaseUnits, NormSq, Ratio1e9};
use crate::wide::{div_u128_by_u64, mul_u64_wide, scale_floor_1e9_wide};

/// Fee denominator: fees are in basis points of the collateral a trade moves.
pub const FEE_BPS_DENOMINATOR: u64 = 10_000;

/// Direction kinds, as in the instruction data (`trade`'s first argument byte).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionKind {
    /// Indicator of a grid range.
    Range = 0,
    /// A belief shape.
    Shape = 1,
    /// The position's own payoff, negated.
    Unwind = 2,
}

impl TryFrom<u8> for DirectionKind {
    type Error = ();
    fn try_from(v: u8) -> Result<Self, ()> {
        match v {
            0 => Ok(DirectionKind::Range),
            1 => Ok(DirectionKind::Shape),
            2 => Ok(DirectionKind::Unwind),
            _ => Err(()),
        }
    }
}

/// The direction `phi` of a trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction<'a> {
    /// `phi = 1[i0, i1]` (grid indices, inclusive), `d_i = t` on the range.
    Range {
        /// First index (inclusive).
        i0: usize,
        /// Last index (inclusive).
        i1: usize,
    },
    /// `phi = shape_values(grid, shape)` (computed by the caller), `d_i = floor(t phi_i / 1e9)`.
    Shape {
        /// The unscaled shape on the grid.
        phi: &'a [u64],
    },
    /// `phi = -P` (the position's payoff), `t = fraction_1e9`.
    Unwind,
}

impl Direction<'_> {
    /// The instruction's direction kind.
    pub fn kind(&self) -> DirectionKind {
        match self {
            Direction::Range { .. } => DirectionKind::Range,
            Direction::Shape { .. } => DirectionKind::Shape,
            Direction::Unwind => DirectionKind::Unwind,
        }
    }
}

/// Everything a trade reads (one struct keeps calls under SBPF's 5 arguments).
#[derive(Clone, Copy, Debug)]
pub struct GeneralTrade<'a> {
    /// The market curve `f` (N values).
    pub f: &'a [u64],
    /// The position's payoff `P` before the trade (zeros for a new position).
    pub payoff: &'a [i64],
    /// The collateral the position holds before the trade, `R` (`Position.collateral`).
    pub collateral: BaseUnits,
    /// Cap `b`.
    pub b: BaseUnits,
    /// Norm budget `floor(3 k^2 / step)`.
    pub budget: NormSq,
    /// Market fee in basis points (`<= MAX_FEE_BPS`).
    pub fee_bps: u16,
    /// The direction.
    pub direction: Direction<'a>,
    /// Signed size (Unwind: `fraction_1e9`).
    pub t: i64,
    /// The claimed canonical scale of `h`.
    pub c: Ratio1e9,
}

/// The money side of a trade (see [`settle`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// `R' - R` (base units, signed).
    pub delta: i128,
    /// `ceil(|delta| fee_bps / 10_000)`.
    pub fee: BaseUnits,
    /// `delta + fee` (base units, signed): paid by the trader if positive, refunded
    /// (negated) otherwise.
    pub net_in: i128,
    /// `max(0, net_in)`.
    pub amount_in: BaseUnits,
    /// `max(0, -net_in)`.
    pub amount_out: BaseUnits,
}

/// Result of [`trade_apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneralTradeOutcome {
    /// `S(c) = sum w_i g_i^2` (`<= budget`).
    pub norm_sq: NormSq,
    /// `R`, as given.
    pub collateral_before: BaseUnits,
    /// `R' = max(0, max_i(-P'_i))`.
    pub collateral_after: BaseUnits,
    /// Money.
    pub settlement: Settlement,
}

/// `floor(s * a / 1e9)` for a sign `s` (`negative`) and magnitude `a * m` (exact 128-bit
/// product; floor toward negative infinity).
fn signed_scaled_floor(negative: bool, a: u64, m: u64) -> i128 {
    let p = mul_u64_wide(a, m);
    // Dividing by the constant 1e9 never fails.
    let (q, r) = div_u128_by_u64(p, SCALE_1E9).unwrap_or((0, 0));
    // q < 2^128 / 1e9 < 2^98: exact in i128.
    let q = q as i128;
    if negative {
        if r != 0 {
            -q - 1
        } else {
            -q
        }
    } else {
        q
    }
}

/// `d_i` of the direction at grid point `i` (see the module doc). The caller has validated
/// the direction (index in range, `phi`/`payoff` of length N).
pub fn direction_delta(direction: &Direction, t: i64, payoff: &[i64], i: usize) -> i128 {
    match direction {
        Direction::Range { i0, i1 } => {
            if i >= *i0 && i <= *i1 {
                t as i128
            } else {
                0
            }
        }
        Direction::Shape { phi } => {
            let v = phi.get(i).copied().unwrap_or(0);
            signed_scaled_floor(t < 0, t.unsigned_abs(), v)
        }
        Direction::Unwind => {
            // d = floor(-t P_i / 1e9), t > 0: negative exactly when P_i > 0.
            let p = payoff.get(i).copied().unwrap_or(0);
            signed_scaled_floor(p > 0, t.unsigned_abs(), p.unsigned_abs())
        }
    }
}

/// `h_i = max(0, f_i + d_i)`; `Overflow` above u64::MAX.
pub fn clamp_h(f_i: u64, d: i128) -> MathResult<u64> {
    let h = f_i as i128 + d;
    if h <= 0 {
        Ok(0)
    } else if h > u64::MAX as i128 {
        Err(MathError::Overflow)
    } else {
        Ok(h as u64)
    }
}

/// `ceil(|delta| fee_bps / 10_000)`, `delta` and the amounts (see [`Settlement`]).
/// `FeeTooHigh` for `fee_bps > MAX_FEE_BPS`; `Overflow` when the payment exceeds u64.
pub fn settle(
    collateral_before: BaseUnits,
    collateral_after: BaseUnits,
    fee_bps: u16,
) -> MathResult<Settlement> {
    if fee_bps as u64 > MAX_FEE_BPS {
        return Err(MathError::FeeTooHigh);
    }
    let delta = collateral_after.get() as i128 - collateral_before.get() as i128;
    let moved = delta.unsigned_abs() as u64; // |delta| < 2^64
    let num = mul_u64_wide(moved, fee_bps as u64);
    let (q, r) = div_u128_by_u64(num, FEE_BPS_DENOMINATOR)?;
    // q <= |delta| / 10 < 2^64.
    let fee = q as u64 + (r != 0) as u64;
    let net_in = delta + fee as i128;
    // A payment is one u64 transfer (R' near 2^64 with a fee on top would not be).
    if net_in > u64::MAX as i128 {
        return Err(MathError::Overflow);
    }
    let (amount_in, amount_out) = if net_in > 0 {
        (net_in as u64, 0)
    } else {
        (0, net_in.unsigned_abs() as u64)
    };
    Ok(Settlement {
        delta,
        fee: BaseUnits::new(fee),
        net_in,
        amount_in: BaseUnits::new(amount_in),
        amount_out: BaseUnits::new(amount_out),
    })
}

/// Checks the preconditions that don't depend on a grid point (module doc, in order).
pub fn validate_trade(p: &GeneralTrade) -> MathResult<()> {
    let n = p.f.len();
    validate_points(n)?;
    if n > KERNEL_N_MAX || p.b.get() > KERNEL_B_MAX {
        return Err(MathError::Overflow);
    }
    if p.payoff.len() != n {
        return Err(MathError::LengthMismatch);
    }
    if let Direction::Shape { phi } = p.direction {
        if phi.len() != n {
            return Err(MathError::LengthMismatch);
        }
    }
    if p.fee_bps as u64 > MAX_FEE_BPS {
        return Err(MathError::FeeTooHigh);
    }
    match p.direction {
        Direction::Range { i0, i1 } => {
            if i0 > i1 || i1 >= n {
                return Err(MathError::InvalidRange);
            }
        }
        Direction::Shape { .. } => {}
        Direction::Unwind => {
            if p.t < 1 || p.t as u64 > SCALE_1E9 {
                return Err(MathError::InvalidUnwindFraction);
            }
            if p.payoff.iter().all(|&v| v == 0) {
                return Err(MathError::NothingToUnwind);
            }
        }
    }
    if p.t == 0 {
        return Err(MathError::ZeroBet);
    }
    if p.c == Ratio1e9::MAX {
        return Err(MathError::NotCanonical);
    }
    Ok(())
}

/// The reference trade: writes `h` into `out_h`, `g` into `out_g` and `P'` into
/// `out_payoff`, and returns `S(c)`, `R`, `R'` and the money (module doc). On error the
/// outputs may be partially written.
pub fn trade_apply(
    p: &GeneralTrade,
    out_h: &mut [u64],
    out_g: &mut [u64],
    out_payoff: &mut [i64],
) -> MathResult<GeneralTradeOutcome> {
    validate_trade(p)?;
    let n = p.f.len();
    if out_h.len() != n || out_g.len() != n || out_payoff.len() != n {
        return Err(MathError::LengthMismatch);
    }
    // Per point: h, then g and P' (all overflow checks before the canonical check).
    for i in 0..n {
        let fi = p.f[i];
        if fi > KERNEL_F_MAX {
            return Err(MathError::Overflow);
        }
        let d = direction_delta(&p.direction, p.t, p.payoff, i);
        out_h[i] = clamp_h(fi, d)?;
    }
    let (b, budget, c) = (p.b.get(), p.budget.get(), p.c.get());
    for i in 0..n {
        let g = scale_floor_1e9_wide(c, out_h[i]).min(b);
        out_g[i] = g;
        // |g - f| <= 2^62: exact in i64.
        let step = g as i64 - p.f[i] as i64;
        out_payoff[i] = p.payoff[i].checked_add(step).ok_or(MathError::Overflow)?;
    }
    let curve = BumpedCurve::plain(out_h);
    if !scale_passes(&curve, b, budget, c) || scale_passes(&curve, b, budget, c + 1) {
        return Err(MathError::NotCanonical);
    }
    if out_g == p.f {
        return Err(MathError::ZeroBet);
    }
    let worst = netted_collateral(out_payoff);
    let settlement = settle(p.collateral, worst, p.fee_bps)?;
    Ok(GeneralTradeOutcome {
        norm_sq: NormSq::new(weighted_sum_sq(out_g)?),
        collateral_before: p.collateral,
        collateral_after: worst,
        settlement,
    })
}

/// `R = max(0, max_i(-P_i))` of a payoff vector (the netted collateral it needs).
pub fn netted_collateral(payoff: &[i64]) -> BaseUnits {
    let mut worst = 0u64;
    for &v in payoff {
        if v < 0 && v.unsigned_abs() > worst {
            worst = v.unsigned_abs();
        }
    }
    BaseUnits::new(worst)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::project::{canonical_scale, norm_sq_budget, project};
    use crate::shapes::{shape_values, NormalParams, Shape};
    use crate::simpson::Grid;
    use std::vec;
    use std::vec::Vec;

    /// A Normal market on N = 21 points and its budget.
    fn market() -> (Vec<u64>, BaseUnits, NormSq, Grid) {
        let grid = Grid {
            lo: 0,
            hi: 200,
            n: 21,
        };
        let mut h = vec![0u64; 21];
        let normal = Shape::Normal(NormalParams {
            mean_1e9: 100 * SCALE_1E9 as i128,
            sigma_1e9: 40 * SCALE_1E9,
        });
        shape_values(&grid, &normal, &[], &mut h).unwrap();
        let b = BaseUnits::new(5_000_000_000);
        let budget = norm_sq_budget(20_000_000_000, 10).unwrap();
        let mut f = vec![0u64; 21];
        project(&h, b, budget, &mut f).unwrap();
        (f, b, budget, grid)
    }

    /// Runs a trade with the canonical c of its own h (computed by the reference's steps).
    fn run(
        f: &[u64],
        payoff: &[i64],
        collateral: BaseUnits,
        direction: Direction,
        t: i64,
        fee_bps: u16,
    ) -> MathResult<(GeneralTradeOutcome, Vec<u64>, Vec<i64>)> {
        let (_, b, budget, _) = market();
        let n = f.len();
        let mut h = vec![0u64; n];
        for i in 0..n {
            h[i] = clamp_h(f[i], direction_delta(&direction, t, payoff, i))?;
        }
        let c = canonical_scale(&h, b, budget)?;
        let p = GeneralTrade {
            f,
            payoff,
            collateral,
            b,
            budget,
            fee_bps,
            direction,
            t,
            c,
        };
        let (mut oh, mut og, mut op) = (vec![0u64; n], vec![0u64; n], vec![0i64; n]);
        let out = trade_apply(&p, &mut oh, &mut og, &mut op)?;
        assert_eq!(oh, h);
        Ok((out, og, op))
    }

    #[test]
    fn directions_floor_toward_negative_infinity() {
        let phi = [1_000_000_000u64, 500_000_001, 3];
        let shape = Direction::Shape { phi: &phi };
        assert_eq!(direction_delta(&shape, 7, &[], 0), 7);
        assert_eq!(direction_delta(&shape, 2, &[], 1), 1);
        assert_eq!(direction_delta(&shape, -2, &[], 1), -2);
        assert_eq!(direction_delta(&shape, -1, &[], 2), -1);
        assert_eq!(direction_delta(&shape, 1, &[], 2), 0);
        let pay = [10i64, -10, 3];
        // d = floor(-t P / 1e9) at t = 0.5: -5, +5, floor(-1.5) = -2.
        for (i, want) in [(0usize, -5i128), (1, 5), (2, -2)] {
            assert_eq!(
                direction_delta(&Direction::Unwind, 500_000_000, &pay, i),
                want
            );
        }
        let range = Direction::Range { i0: 1, i1: 1 };
        assert_eq!(direction_delta(&range, -4, &[], 1), -4);
        assert_eq!(direction_delta(&range, -4, &[], 0), 0);
        assert_eq!(clamp_h(3, -4), Ok(0));
        assert_eq!(clamp_h(u64::MAX, 1), Err(MathError::Overflow));
    }

    #[test]
    fn fees_round_toward_the_pool() {
        let u = BaseUnits::new;
        let raw = |s: Settlement| {
            let (fee, amount_in, amount_out) = (s.fee.get(), s.amount_in.get(), s.amount_out.get());
            (s.delta, fee, s.net_in, amount_in, amount_out)
        };
        let s = settle(u(0), u(10_001), 30).unwrap();
        assert_eq!(raw(s), (10_001, 31, 10_032, 10_032, 0));
        let s = settle(u(10_001), u(0), 30).unwrap();
        assert_eq!(raw(s), (-10_001, 31, -9_970, 0, 9_970));
        let s = settle(u(5), u(5), 1_000).unwrap();
        assert_eq!(raw(s), (0, 0, 0, 0, 0));
        assert_eq!(settle(u(0), u(1), 1_001), Err(MathError::FeeTooHigh));
        let s = settle(u(u64::MAX), u(0), 1_000).unwrap();
        assert_eq!(s.fee, u(u64::MAX / 10 + 1));
        assert_eq!(settle(u(0), u(u64::MAX), 1_000), Err(MathError::Overflow));
    }

    /// Buy a range, then unwind it all: every point is back at or above f (the canonical c
    /// of h = f0 is >= 1e9), so R' = 0 and the trader gets R back less the fee, exactly.
    #[test]
    fn round_trip_returns_the_collateral_less_fees() {
        let (f0, b, _, _) = market();
        let n = f0.len();
        let zero = vec![0i64; n];
        let (buy, f1, p1) = run(
            &f0,
            &zero,
            BaseUnits::ZERO,
            Direction::Range { i0: 8, i1: 11 },
            700_000_000,
            25,
        )
        .unwrap();
        assert!(buy.collateral_after > BaseUnits::ZERO);
        assert_eq!(buy.settlement.delta, buy.collateral_after.get() as i128);
        let (sell, f2, p2) = run(
            &f1,
            &p1,
            buy.collateral_after,
            Direction::Unwind,
            1_000_000_000,
            25,
        )
        .unwrap();
        assert_eq!(sell.collateral_after, BaseUnits::ZERO);
        assert_eq!(sell.settlement.delta, -(buy.collateral_after.get() as i128));
        let paid = buy.settlement.amount_in;
        let back = sell.settlement.amount_out;
        let fees = buy.settlement.fee.checked_add(sell.settlement.fee);
        assert_eq!(paid.checked_sub(back), fees);
        for i in 0..n {
            assert!(f2[i] >= f0[i] && f2[i] <= b.get());
            assert_eq!(p2[i], f2[i] as i64 - f0[i] as i64);
        }
    }

    /// Two disjoint range bets net: the second one's collateral is what the combined worst
    /// case adds, and R = max(0, max(-P)).
    #[test]
    fn disjoint_bets_net() {
        let (f0, _, _, _) = market();
        let n = f0.len();
        let zero = vec![0i64; n];
        let (a, f1, p1) = run(
            &f0,
            &zero,
            BaseUnits::ZERO,
            Direction::Range { i0: 2, i1: 5 },
            900_000_000,
            0,
        )
        .unwrap();
        let (bb, _, p2) = run(
            &f1,
            &p1,
            a.collateral_after,
            Direction::Range { i0: 14, i1: 17 },
            900_000_000,
            0,
        )
        .unwrap();
        assert_eq!(bb.collateral_after, netted_collateral(&p2));
        assert_eq!(
            bb.settlement.delta,
            bb.collateral_after.get() as i128 - a.collateral_after.get() as i128
        );
    }

    #[test]
    fn sells_clamp_at_zero_and_shapes_trade() {
        let (f0, _, _, grid) = market();
        let n = f0.len();
        let zero = vec![0i64; n];
        // Selling far more than the curve holds clamps h at 0 on the range.
        let (out, g, pay) = run(
            &f0,
            &zero,
            BaseUnits::ZERO,
            Direction::Range { i0: 0, i1: 3 },
            -50_000_000_000,
            10,
        )
        .unwrap();
        assert!(g[..4].iter().all(|&v| v == 0));
        assert_eq!(out.collateral_after, netted_collateral(&pay));
        let mut phi = vec![0u64; n];
        let belief = Shape::Normal(NormalParams {
            mean_1e9: 150 * SCALE_1E9 as i128,
            sigma_1e9: 20 * SCALE_1E9,
        });
        shape_values(&grid, &belief, &[], &mut phi).unwrap();
        let (out, g, _) = run(
            &f0,
            &zero,
            BaseUnits::ZERO,
            Direction::Shape { phi: &phi },
            400_000_000,
            0,
        )
        .unwrap();
        assert!(out.collateral_after > BaseUnits::ZERO);
        assert!(g[15] > f0[15]);
    }

    #[test]
    fn bad_inputs_are_named() {
        let (f0, b, budget, _) = market();
        let n = f0.len();
        let zero = vec![0i64; n];
        let base = GeneralTrade {
            f: &f0,
            payoff: &zero,
            collateral: BaseUnits::ZERO,
            b,
            budget,
            fee_bps: 0,
            direction: Direction::Range { i0: 0, i1: 1 },
            t: 5,
            c: Ratio1e9::new(1),
        };
        let (mut h, mut g, mut p) = (vec![0u64; n], vec![0u64; n], vec![0i64; n]);
        let mut go = |t: GeneralTrade| trade_apply(&t, &mut h, &mut g, &mut p).map(|_| ());
        assert_eq!(go(GeneralTrade { t: 0, ..base }), Err(MathError::ZeroBet));
        assert_eq!(
            go(GeneralTrade {
                direction: Direction::Range { i0: 2, i1: 1 },
                ..base
            }),
            Err(MathError::InvalidRange)
        );
        for t in [0, -1, 1_000_000_001] {
            assert_eq!(
                go(GeneralTrade {
                    direction: Direction::Unwind,
                    t,
                    ..base
                }),
                Err(MathError::InvalidUnwindFraction)
            );
        }
        assert_eq!(
            go(GeneralTrade {
                direction: Direction::Unwind,
                t: 1,
                ..base
            }),
            Err(MathError::NothingToUnwind)
        );
        assert_eq!(
            go(GeneralTrade {
                fee_bps: 1_001,
                ..base
            }),
            Err(MathError::FeeTooHigh)
        );
        assert_eq!(go(base), Err(MathError::NotCanonical));
        assert_eq!(
            go(GeneralTrade {
                c: Ratio1e9::MAX,
                ..base
            }),
            Err(MathError::NotCanonical)
        );
        assert_eq!(
            go(GeneralTrade {
                direction: Direction::Shape { phi: &[1, 2] },
                ..base
            }),
            Err(MathError::LengthMismatch)
        );
        assert_eq!(DirectionKind::try_from(2), Ok(DirectionKind::Unwind));
        assert_eq!(DirectionKind::try_from(3), Err(()));
    }
}
