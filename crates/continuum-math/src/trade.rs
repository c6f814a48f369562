//! Range bets: solving the bump `t`, applying a trade in one pass, collateral, payoffs and
//! claims.
//!
//! A range bet on `[i0, i1]` turns the market curve `f` into
//! `g_i = min(b, floor(c * h_i / 1e9))` with `h_i = f_i + t` on the range and `h_i = f_i`
//! elsewhere, and `c` the canonical scale of `h` (see [`crate::project`]). The trader posts
//! `collateral = max(0, max_i (f_i - g_i))` (already an integer: nothing to round) and owns
//! the payoff vector `g - f`; at outcome `x*` they claim `collateral + (g - f)(x*) >= 0`.

use crate::constants::T_SEARCH_MAX_LAMPORTS;
use crate::error::{MathError, MathResult};
use crate::project::{canonical_scale_curve, BumpedCurve};
use crate::simpson::{
    simpson_weight_shift, trapezoid_sum, trapezoid_weight_shift, validate_points, Grid,
};
use crate::units::{BaseUnits, NormSq};
use crate::wide::{div_ceil_u128, div_u128, div_u128_by_u64, mul_u64_wide, square_wide, Scale1e9};

/// Inputs of [`range_bet_apply`] (a struct keeps the call under 5 arguments on SBPF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeBetParams {
    /// Cap `b` on every grid value (lamports).
    pub b: u64,
    /// `floor(3 k^2 / h_step)` (see [`crate::project::norm_sq_budget`]).
    pub budget: u128,
    /// First index of the range (inclusive).
    pub i0: usize,
    /// Last index of the range (inclusive).
    pub i1: usize,
    /// Bump added on the range before scaling (lamports, > 0).
    pub t: u64,
    /// Claimed canonical scale (1e9 fixed point).
    pub c: u64,
}

/// Result of [`range_bet_apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeOutcome {
    /// `max(0, max_i (f_i - g_i))` in lamports.
    pub collateral: u64,
    /// `sum_i w_i g_i^2` of the new curve (`<= budget`).
    pub norm_sq: u128,
}

/// The on-chain trade kernel, ONE pass over the grid:
/// for each `i`: `h = f_i (+ t on [i0, i1])`; `(v, v1) = (floor(c h/1e9), floor((c+1) h/1e9))`
/// (one split product, see [`Scale1e9::apply_pair`]); `g = min(b, v)`, `g1 = min(b, v1)`;
/// `out_g[i] = g`; `S += w_i g^2`; `S1 += w_i g1^2`; `collateral = max(collateral, f_i - g)`.
/// Then `c` is canonical iff `S <= budget < S1` (exact: both sums are the full sums of
/// [`crate::project::scale_passes`] at `c` and `c + 1`; u128 overflow counts as "above").
///
/// Errors: grid errors; `LengthMismatch` (`out_g`); `InvalidRange` (`i0 > i1` or
/// `i1 >= N`); `ZeroBet` (`t == 0`); `Overflow` (`f_i + t`); `NotCanonical`.
/// On error `out_g` may be partially written: the caller must discard it.
pub fn range_bet_apply(
    f: &[u64],
    p: &RangeBetParams,
    out_g: &mut [u64],
) -> MathResult<TradeOutcome> {
    let n = f.len();
    validate_points(n)?;
    if out_g.len() != n {
        return Err(MathError::LengthMismatch);
    }
    if p.i0 > p.i1 || p.i1 >= n {
        return Err(MathError::InvalidRange);
    }
    if p.t == 0 {
        return Err(MathError::ZeroBet);
    }
    if p.c == u64::MAX {
        return Err(MathError::NotCanonical);
    }
    let sc = Scale1e9::new(p.c);
    let b = p.b;
    let mut s0: u128 = 0;
    let mut s1: u128 = 0;
    let mut s0_over = false;
    let mut s1_over = false;
    let mut collateral: u64 = 0;
    for i in 0..n {
        let fi = f[i];
        let h = if i >= p.i0 && i <= p.i1 {
            match fi.checked_add(p.t) {
                Some(v) => v,
                None => return Err(MathError::Overflow),
            }
        } else {
            fi
        };
        let (v, v1) = sc.apply_pair(h);
        let g = if v < b { v } else { b };
        let g1 = if v1 < b { v1 } else { b };
        out_g[i] = g;
        if fi > g && fi - g > collateral {
            collateral = fi - g;
        }
        let s = simpson_weight_shift(i, n);
        let sq = square_wide(g);
        let sq1 = if g1 == g { sq } else { square_wide(g1) };
        if s != 0 && sq >> (128 - s) != 0 {
            s0_over = true;
        } else {
            match s0.checked_add(sq << s) {
                Some(v) => s0 = v,
                None => s0_over = true,
            }
        }
        if s != 0 && sq1 >> (128 - s) != 0 {
            s1_over = true;
        } else {
            match s1.checked_add(sq1 << s) {
                Some(v) => s1 = v,
                None => s1_over = true,
            }
        }
    }
    if s0_over || s0 > p.budget || (!s1_over && s1 <= p.budget) {
        return Err(MathError::NotCanonical);
    }
    Ok(TradeOutcome {
        collateral,
        norm_sq: s0,
    })
}

/// Market parameters of a range-bet search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeBetQuery {
    /// Cap `b` (lamports).
    pub b: u64,
    /// Norm budget `floor(3 k^2 / h_step)`.
    pub budget: u128,
    /// First index of the range (inclusive).
    pub i0: usize,
    /// Last index of the range (inclusive).
    pub i1: usize,
}

/// A solved range bet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeBetSolution {
    /// Bump on the range (lamports).
    pub t: u64,
    /// Canonical scale for `f + t 1[i0,i1]`.
    pub c: u64,
    /// Collateral of the trade (lamports, `<= amount`).
    pub collateral: u64,
}

/// Collateral of bump `t` at scale `c`: `max(0, max_i (f_i - min(b, floor(c h_i / 1e9))))`
/// with `h = f + t 1[i0,i1]` (wrapping add: callers keep `f_i + t` in u64).
/// Non-increasing in `c` and in `t` (every `g_i` is non-decreasing in both).
pub fn collateral_at(f: &[u64], q: &RangeBetQuery, t: u64, c: u64) -> u64 {
    let curve = BumpedCurve {
        h: f,
        i0: q.i0,
        i1: q.i1,
        t,
    };
    let sc = Scale1e9::new(c);
    let mut coll = 0u64;
    for i in 0..f.len() {
        let raw = sc.apply(curve.at(i, f[i]));
        let g = if raw < q.b { raw } else { q.b };
        if f[i] > g && f[i] - g > coll {
            coll = f[i] - g;
        }
    }
    coll
}

/// `(c, collateral)` for bump `t`: `c = canonical_scale_curve(f + t 1[i0,i1])`, then
/// [`collateral_at`]`(t, c)`.
pub fn collateral_for_bump(f: &[u64], q: &RangeBetQuery, t: u64) -> MathResult<(u64, u64)> {
    let curve = BumpedCurve {
        h: f,
        i0: q.i0,
        i1: q.i1,
        t,
    };
    let c = canonical_scale_curve(&curve, BaseUnits::new(q.b), NormSq::new(q.budget))?.get();
    Ok((c, collateral_at(f, q, t, c)))
}

/// `t_hi = min(T_SEARCH_MAX_LAMPORTS, u64::MAX - max_{i0<=i<=i1} f_i)`: the largest bump
/// searched (`f_i + t` stays in u64).
pub fn range_bet_t_hi(f: &[u64], i0: usize, i1: usize) -> u64 {
    let mut max_in = 0u64;
    for i in i0..=i1 {
        if let Some(&v) = f.get(i) {
            if v > max_in {
                max_in = v;
            }
        }
    }
    let room = u64::MAX - max_in;
    if room < T_SEARCH_MAX_LAMPORTS {
        room
    } else {
        T_SEARCH_MAX_LAMPORTS
    }
}

/// Canonical scale of bump `t`, `None` when even `c = u64::MAX` stays within the norm
/// (`NormConstraintViolated`: that set of `t` is a prefix, see [`solve_range_bet`]).
fn scale_of_bump(f: &[u64], q: &RangeBetQuery, t: u64) -> MathResult<Option<u64>> {
    let curve = BumpedCurve {
        h: f,
        i0: q.i0,
        i1: q.i1,
        t,
    };
    match canonical_scale_curve(&curve, BaseUnits::new(q.b), NormSq::new(q.budget)) {
        Ok(c) => Ok(Some(c.get())),
        Err(MathError::NormConstraintViolated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A pending interval `[a, b]` of bumps with the canonical scales of its ends.
#[derive(Clone, Copy)]
struct BumpInterval {
    a: u64,
    ca: Option<u64>,
    b: u64,
    cb: Option<u64>,
}

/// Depth bound of the search: every split halves an interval of at most 2^64 bumps.
const SEARCH_STACK: usize = 66;

/// The best size for the budget: the LARGEST bump `t` in `[1, t_hi]` whose canonical scale
/// exists and whose collateral is `<= amount` (`t_hi` from [`range_bet_t_hi`]).
///
/// Why not a bisection: `C(t) = collateral_at(t, c(t))` is a sawtooth. `c(t)` is
/// non-increasing (h grows pointwise), and `collateral_at` is non-increasing in `c` and in
/// `t`, so on a plateau of `c` the collateral FALLS with `t` and jumps up where `c` steps
/// down. Hence:
/// - on a plateau (`c(a) == c(b)`), the largest feasible `t` in `[a, b]` is `b` or none;
/// - on any `[a, b]`, `C(t) >= collateral_at(b, c(a))` (as `c(t) <= c(a)`, `t <= b`): if that
///   bound exceeds `amount`, no `t` in `[a, b]` is feasible.
///
/// The search is a depth-first branch and bound over `[1, t_hi]`, right half first, that
/// returns the first feasible `t` it proves; it is therefore the largest one. `c(t)` fails
/// (`NormConstraintViolated`) exactly on a prefix of `t` (the sum at `c = u64::MAX` grows
/// with `t`); such `t` are infeasible, and `c(a) = u64::MAX` bounds the scale from above.
///
/// Errors: `ZeroBet` for `amount == 0`; grid errors; `InvalidRange`; `NormConstraintViolated`
/// when no `t <= t_hi` has a canonical scale; `ZeroBet` when no `t` is feasible or the
/// largest feasible one has collateral 0 (the program rejects a bet that posts nothing).
pub fn solve_range_bet(f: &[u64], q: &RangeBetQuery, amount: u64) -> MathResult<RangeBetSolution> {
    if amount == 0 {
        return Err(MathError::ZeroBet);
    }
    validate_points(f.len())?;
    if q.i0 > q.i1 || q.i1 >= f.len() {
        return Err(MathError::InvalidRange);
    }
    let t_hi = range_bet_t_hi(f, q.i0, q.i1);
    if t_hi == 0 {
        return Err(MathError::ZeroBet);
    }
    let c_hi = scale_of_bump(f, q, t_hi)?;
    if c_hi.is_none() {
        return Err(MathError::NormConstraintViolated);
    }
    let first = BumpInterval {
        a: 1,
        ca: scale_of_bump(f, q, 1)?,
        b: t_hi,
        cb: c_hi,
    };
    let mut stack = [first; SEARCH_STACK];
    let mut len = 1usize;
    while len > 0 {
        len -= 1;
        let iv = stack[len];
        match solve_interval(f, q, amount, &iv)? {
            Step::Found(sol) => {
                if sol.collateral == 0 {
                    return Err(MathError::ZeroBet);
                }
                return Ok(sol);
            }
            Step::Pruned => {}
            Step::Split(mid, cm) => {
                if len + 2 > SEARCH_STACK {
                    // Unreachable: the depth is at most log2(t_hi) + 1.
                    return Err(MathError::Overflow);
                }
                stack[len] = BumpInterval {
                    a: iv.a,
                    ca: iv.ca,
                    b: mid,
                    cb: cm,
                };
                stack[len + 1] = BumpInterval {
                    a: mid,
                    ca: cm,
                    b: iv.b,
                    cb: iv.cb,
                };
                len += 2;
            }
        }
    }
    Err(MathError::ZeroBet)
}

/// Where [`solve_range_bet`] splits `[a, b]` (`b - a >= 2`): at `2^((log2 a + log2 b) / 2)`
/// (bit lengths, no multiply) while `b > 4a`, so the octave of the answer is found in
/// `O(log log t_hi)` splits instead of `O(log t_hi)`; else at the midpoint.
pub fn split_point(a: u64, b: u64) -> u64 {
    let mid = a + (b - a) / 2;
    if b / 4 <= a {
        return mid;
    }
    let bits = (128 - a.leading_zeros() - b.leading_zeros()) / 2;
    if bits >= 64 {
        return mid;
    }
    let geo = 1u64 << bits;
    if geo > a && geo < b {
        geo
    } else {
        mid
    }
}

/// Outcome of examining one interval of [`solve_range_bet`].
enum Step {
    /// The largest feasible bump of the interval.
    Found(RangeBetSolution),
    /// No feasible bump in the interval.
    Pruned,
    /// Split at `mid` (with its scale): search `[mid, b]`, then `[a, mid]`.
    Split(u64, Option<u64>),
}

/// One node of the branch and bound: bound, plateau, two points, or split.
fn solve_interval(
    f: &[u64],
    q: &RangeBetQuery,
    amount: u64,
    iv: &BumpInterval,
) -> MathResult<Step> {
    let feasible = |t: u64, c: Option<u64>| -> Option<RangeBetSolution> {
        let c = c?;
        let collateral = collateral_at(f, q, t, c);
        if collateral <= amount {
            Some(RangeBetSolution { t, c, collateral })
        } else {
            None
        }
    };
    // C(t) >= collateral_at(b, c(a)) on [a, b] (c(t) <= c(a), t <= b).
    let c_up = iv.ca.unwrap_or(u64::MAX);
    if collateral_at(f, q, iv.b, c_up) > amount {
        return Ok(Step::Pruned);
    }
    if iv.ca.is_some() && iv.ca == iv.cb {
        // One plateau: C falls with t, so b is the best point.
        return Ok(match feasible(iv.b, iv.cb) {
            Some(sol) => Step::Found(sol),
            None => Step::Pruned,
        });
    }
    if iv.b - iv.a <= 1 {
        if let Some(sol) = feasible(iv.b, iv.cb) {
            return Ok(Step::Found(sol));
        }
        if iv.a != iv.b {
            if let Some(sol) = feasible(iv.a, iv.ca) {
                return Ok(Step::Found(sol));
            }
        }
        return Ok(Step::Pruned);
    }
    let mid = split_point(iv.a, iv.b);
    Ok(Step::Split(mid, scale_of_bump(f, q, mid)?))
}

/// `max(0, max_i (f_i - g_i))`. `LengthMismatch` if lengths differ.
pub fn collateral(f: &[u64], g: &[u64]) -> MathResult<u64> {
    if f.len() != g.len() {
        return Err(MathError::LengthMismatch);
    }
    let mut m = 0u64;
    for i in 0..f.len() {
        if f[i] > g[i] && f[i] - g[i] > m {
            m = f[i] - g[i];
        }
    }
    Ok(m)
}

/// `out_i = g_i - f_i` as i64. `Overflow` if a difference does not fit i64.
pub fn payoff_vector(f: &[u64], g: &[u64], out: &mut [i64]) -> MathResult<()> {
    if f.len() != g.len() || out.len() != f.len() {
        return Err(MathError::LengthMismatch);
    }
    for i in 0..f.len() {
        out[i] = if g[i] >= f[i] {
            let d = g[i] - f[i];
            if d > i64::MAX as u64 {
                return Err(MathError::Overflow);
            }
            d as i64
        } else {
            let d = f[i] - g[i];
            if d > i64::MAX as u64 {
                return Err(MathError::Overflow);
            }
            -(d as i64)
        };
    }
    Ok(())
}

/// Expected cost of a trade `f -> g` to the trader: the expected loss under the market's own
/// belief `P_i` ([`crate::simpson::range_probability_1e9`], trapezoid weights
/// `w = 1, 2, ..., 2, 1`), i.e. `-sum_i P_i (g_i - f_i) = sum w f (f - g) / sum w f` lamports,
/// which is `(||g - f||^2 + ||f||^2 - ||g||^2) / (2 integral f)` with the same rule. Exact,
/// rounded up (a quote never understates cost); negative when the trade gains in expectation
/// under that belief (the norm budget uses Simpson weights, the belief does not).
/// Errors: grid errors, `LengthMismatch`, `IntegrationFailed` (`sum w f == 0`), `Overflow`
/// (a sum past u128 or a result past i64).
pub fn expected_cost(f: &[u64], g: &[u64]) -> MathResult<i64> {
    let n = f.len();
    validate_points(n)?;
    if g.len() != n {
        return Err(MathError::LengthMismatch);
    }
    // sum w f (f - g) = sum w f^2 - sum w f g, both exact u128 sums.
    let mut ff: u128 = 0;
    let mut fg: u128 = 0;
    for i in 0..n {
        let s = trapezoid_weight_shift(i, n);
        let a = square_wide(f[i]);
        let p = mul_u64_wide(f[i], g[i]);
        if s != 0 && (a >> 127 != 0 || p >> 127 != 0) {
            return Err(MathError::Overflow);
        }
        ff = ff.checked_add(a << s).ok_or(MathError::Overflow)?;
        fg = fg.checked_add(p << s).ok_or(MathError::Overflow)?;
    }
    let den = trapezoid_sum(f)?;
    if den == 0 {
        return Err(MathError::IntegrationFailed);
    }
    if ff >= fg {
        let q = div_ceil_u128(ff - fg, den)?;
        if q > i64::MAX as u128 {
            return Err(MathError::Overflow);
        }
        Ok(q as i64)
    } else {
        // ceil(-x / d) = -floor(x / d).
        let (q, _) = div_u128(fg - ff, den)?;
        if q > i64::MAX as u128 {
            return Err(MathError::Overflow);
        }
        Ok(-(q as i64))
    }
}

/// Where an outcome falls on the grid: `x = lo + j*step + r`, `0 <= r < step`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridPosition {
    /// Index of the grid point at or left of `x` (`N - 1` when `x == hi`).
    pub j: usize,
    /// Offset from `x_j` (`0` on a grid point).
    pub r: u64,
    /// Grid step.
    pub step: u64,
}

/// Clamp `x` to `[lo, hi]`, then `off = x - lo` (as u64), `j = off / step`,
/// `r = off - j*step`; if `j >= N - 1` then `j = N - 1, r = 0`.
pub fn locate(grid: &Grid, x: i64) -> MathResult<GridPosition> {
    let step = grid.step()?;
    if step == 0 {
        // Unreachable (step() guarantees step >= 1); removes a panic path.
        return Err(MathError::InvalidGrid);
    }
    let x = if x < grid.lo {
        grid.lo
    } else if x > grid.hi {
        grid.hi
    } else {
        x
    };
    let off = (x as u64).wrapping_sub(grid.lo as u64);
    let j = off / step;
    let last = (grid.n - 1) as u64;
    if j >= last {
        return Ok(GridPosition {
            j: last as usize,
            r: 0,
            step,
        });
    }
    Ok(GridPosition {
        j: j as usize,
        r: off - j * step,
        step,
    })
}

/// `floor((v0 * (step - r) + v1 * r) / step)`: linear interpolation rounded down
/// (`v0` when `r == 0`).
pub fn interp_pair_floor(v0: u64, v1: u64, pos: &GridPosition) -> MathResult<u64> {
    Ok(interp_pair_floor_rem(v0, v1, pos)?.0)
}

/// [`interp_pair_floor`] with its remainder: `(q, rem)` with
/// `v0 * (step - r) + v1 * r = q * step + rem`, `0 <= rem < step` (`(v0, 0)` when `r == 0`).
/// `rem / step` is the fraction of a lamport the floor dropped (the claim's dust).
/// `Overflow` if `q` does not fit in u64.
pub fn interp_pair_floor_rem(v0: u64, v1: u64, pos: &GridPosition) -> MathResult<(u64, u64)> {
    if pos.r == 0 {
        return Ok((v0, 0));
    }
    let num = mul_u64_wide(v0, pos.step - pos.r)
        .checked_add(mul_u64_wide(v1, pos.r))
        .ok_or(MathError::Overflow)?;
    let (q, rem) = div_u128_by_u64(num, pos.step)?;
    if q >> 64 != 0 {
        return Err(MathError::Overflow);
    }
    Ok((q as u64, rem))
}

/// Value of a grid curve at outcome `x` (clamped), linear interpolation rounded down.
pub fn interp_floor(v: &[u64], grid: &Grid, x: i64) -> MathResult<u64> {
    if v.len() != grid.n as usize {
        return Err(MathError::LengthMismatch);
    }
    let pos = locate(grid, x)?;
    let v0 = *v.get(pos.j).ok_or(MathError::InvalidRange)?;
    let v1 = if pos.r == 0 {
        v0
    } else {
        *v.get(pos.j + 1).ok_or(MathError::InvalidRange)?
    };
    interp_pair_floor(v0, v1, &pos)
}

/// `collateral + p` as u64; `Overflow` if negative or too large.
fn claim_point(collateral: u64, p: i64) -> MathResult<u64> {
    if p >= 0 {
        collateral.checked_add(p as u64).ok_or(MathError::Overflow)
    } else {
        collateral
            .checked_sub(p.unsigned_abs())
            .ok_or(MathError::Overflow)
    }
}

/// Trader claim at outcome `x` (clamped): grid values `collateral + payoff_i` (each must be
/// `>= 0`, else `Overflow`), interpolated and rounded down ([`interp_pair_floor`]).
pub fn trader_claim(
    collateral: BaseUnits,
    payoff: &[i64],
    grid: &Grid,
    x: i64,
) -> MathResult<BaseUnits> {
    Ok(trader_claim_rem(collateral, payoff, grid, x)?.0)
}

/// [`trader_claim`] with the floor's remainder (see [`interp_pair_floor_rem`]: the dropped
/// fraction of a base unit is `rem / step`, so `rem` stays a raw integer).
#[inline(always)]
pub fn trader_claim_rem(
    collateral: BaseUnits,
    payoff: &[i64],
    grid: &Grid,
    x: i64,
) -> MathResult<(BaseUnits, u64)> {
    let (q, rem) = trader_claim_rem_raw(collateral.get(), payoff, grid, x)?;
    Ok((BaseUnits::new(q), rem))
}

/// [`trader_claim_rem`] on raw integers (the program's code stays that of the untyped API).
#[inline(always)]
fn trader_claim_rem_raw(
    collateral: u64,
    payoff: &[i64],
    grid: &Grid,
    x: i64,
) -> MathResult<(u64, u64)> {
    if payoff.len() != grid.n as usize {
        return Err(MathError::LengthMismatch);
    }
    let pos = locate(grid, x)?;
    let v0 = claim_point(
        collateral,
        *payoff.get(pos.j).ok_or(MathError::InvalidRange)?,
    )?;
    let v1 = if pos.r == 0 {
        v0
    } else {
        claim_point(
            collateral,
            *payoff.get(pos.j + 1).ok_or(MathError::InvalidRange)?,
        )?
    };
    interp_pair_floor_rem(v0, v1, &pos)
}

/// Liquidity-provider claim at outcome `x` (clamped): grid values `b - f_final_i + f_initial_i`
/// (`Overflow` if `f_final_i > b` or the sum overflows), interpolated and rounded down.
pub fn lp_claim(
    b: BaseUnits,
    f_final: &[u64],
    f_initial: &[u64],
    grid: &Grid,
    x: i64,
) -> MathResult<BaseUnits> {
    Ok(lp_claim_rem(b, f_final, f_initial, grid, x)?.0)
}

/// [`lp_claim`] with the floor's remainder (raw, as in [`trader_claim_rem`]).
#[inline(always)]
pub fn lp_claim_rem(
    b: BaseUnits,
    f_final: &[u64],
    f_initial: &[u64],
    grid: &Grid,
    x: i64,
) -> MathResult<(BaseUnits, u64)> {
    let (q, rem) = lp_claim_rem_raw(b.get(), f_final, f_initial, grid, x)?;
    Ok((BaseUnits::new(q), rem))
}

/// [`lp_claim_rem`] on raw integers.
#[inline(always)]
fn lp_claim_rem_raw(
    b: u64,
    f_final: &[u64],
    f_initial: &[u64],
    grid: &Grid,
    x: i64,
) -> MathResult<(u64, u64)> {
    let n = grid.n as usize;
    if f_final.len() != n || f_initial.len() != n {
        return Err(MathError::LengthMismatch);
    }
    let pos = locate(grid, x)?;
    let at = |i: usize| -> MathResult<u64> {
        let ft = *f_final.get(i).ok_or(MathError::InvalidRange)?;
        let f0 = *f_initial.get(i).ok_or(MathError::InvalidRange)?;
        (b.checked_sub(ft).ok_or(MathError::Overflow)?)
            .checked_add(f0)
            .ok_or(MathError::Overflow)
    };
    let v0 = at(pos.j)?;
    let v1 = if pos.r == 0 { v0 } else { at(pos.j + 1)? };
    interp_pair_floor_rem(v0, v1, &pos)
}
