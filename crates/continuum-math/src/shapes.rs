//! Unscaled shape curves `h_i` on a grid; the market curve is then `project(h)`.
//!
//! All shapes are emitted at a common scale where height 1.0 is `1e9`
//! ([`crate::constants::SHAPE_PEAK_1E9`]), so `h_i <= 4e9 < 2^34` and the projection's fast
//! split product applies. Parameters are fixed point: means `mean_1e9` (i128, outcome units
//! times 1e9) and `sigma_1e9` (u64, outcome units times 1e9); weights `weight_1e9`.

use crate::constants::{MAX_MIXTURE_COMPONENTS, SCALE_1E9, SHAPE_PEAK_1E9, SQRT_PI_1E9_FLOOR};
use crate::error::{MathError, MathResult};
use crate::exp::exp_neg_1e9;
use crate::simpson::Grid;
use crate::wide::{
    div_u128_by_u64, mul_div_ceil, mul_div_floor, mul_u128_u64, mul_u64_wide, square_wide,
};

/// Bound on `|mean_1e9|` (keeps every i128 difference exact): 2^100.
pub const MEAN_1E9_ABS_MAX: u128 = 1 << 100;

/// A Normal density, peak-normalised to `1e9`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalParams {
    /// Mean, outcome units x 1e9.
    pub mean_1e9: i128,
    /// Standard deviation, outcome units x 1e9 (> 0).
    pub sigma_1e9: u64,
}

/// One component of a mixture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MixtureComponent {
    /// Mean, outcome units x 1e9.
    pub mean_1e9: i128,
    /// Standard deviation, outcome units x 1e9 (> 0).
    pub sigma_1e9: u64,
    /// Mixture weight at 1e9 (any positive scale: only ratios matter after projection).
    pub weight_1e9: u64,
}

/// A control point of a custom piecewise-linear shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ControlPoint {
    /// Outcome (strictly increasing across points).
    pub x: i64,
    /// Height (any consistent scale; `1e9` = 1.0 recommended).
    pub y: u64,
}

/// A shape family. Custom shapes take their control points as a separate slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Single Normal.
    Normal(NormalParams),
    /// `1e9` on `[a, b]` (inclusive, outcome units), 0 elsewhere.
    Uniform {
        /// Left end.
        a: i64,
        /// Right end (`>= a`).
        b: i64,
    },
    /// Mixture of `len` (1..=4) Normals; Bimodal is `len == 2`.
    Mixture {
        /// Components (only the first `len` are used).
        comps: [MixtureComponent; MAX_MIXTURE_COMPONENTS],
        /// Number of components used.
        len: u8,
    },
    /// Elections: modes at 1/4, 1/2, 3/4 of the domain, sigma = width/12, weights .3/.4/.3.
    TrimodalElection,
    /// Launches: modes at 3/10 (sigma W/16, w .55), 9/20 (W/8, .30), 7/10 (W/4, .15).
    SkewedLaunch,
    /// Indicators: same mean 1/2, sigma W/24 (w .6) and W/6 (w .4).
    LeptokurticIndicator,
    /// Piecewise-linear through the control points, 0 outside `[x_0, x_last]`.
    Custom,
}

/// `x * 1e9` as i128 (exact, through the wide product).
pub fn to_1e9(x: i64) -> i128 {
    let m = mul_u64_wide(x.unsigned_abs(), SCALE_1E9) as i128;
    if x < 0 {
        -m
    } else {
        m
    }
}

/// Peak-normalised Gaussian at `x`: `exp_neg_1e9(y)` with, step by step,
/// `d = |x*1e9 - mean_1e9|` (u128); if `d >= 8 * sigma_1e9` -> 0;
/// `z = floor(d * 1e9 / sigma_1e9)`; `y = floor(z * z / 2e9)`.
pub fn gaussian_1e9(x: i64, p: &NormalParams) -> MathResult<u64> {
    if p.sigma_1e9 == 0 || p.mean_1e9.unsigned_abs() > MEAN_1E9_ABS_MAX {
        return Err(MathError::InvalidShape);
    }
    let diff = to_1e9(x) - p.mean_1e9;
    let d = diff.unsigned_abs();
    if d >= (p.sigma_1e9 as u128) << 3 {
        return Ok(0);
    }
    let num = mul_u128_u64(d, SCALE_1E9).ok_or(MathError::Overflow)?;
    // z < 8e9 because d < 8 sigma.
    let z = div_u128_by_u64(num, p.sigma_1e9)?.0 as u64;
    // floor(z^2 / 2e9) = floor(floor(z^2 / 2^10) / 1_953_125) (2e9 = 2^10 * 1_953_125);
    // z^2 < 2^66, so z^2 >> 10 fits in u64 and the division is native.
    let y = ((square_wide(z) >> 10) as u64) / 1_953_125;
    Ok(exp_neg_1e9(y))
}

/// Bound on `z = floor(d * 1e9 / sigma)` for a nonzero Gaussian: `z < 8e9` iff `d < 8 sigma`.
const Z_MAX_1E9: u128 = 8 * SCALE_1E9 as u128;

/// `gaussian_1e9(grid.x(i, step), p)` for every grid point `i`, bit for bit, calling
/// `f(&mut out[i], value)` for the points where `d < 8 sigma` (the others are 0 and skipped).
/// Instead of one wide division per point it keeps `D_i * 1e9 = Q_i sigma + R_i`
/// (`D_i = x_i*1e9 - mean`, floor division, `0 <= R_i < sigma`) and steps it by the constant
/// `step * 1e18 = Q_s sigma + R_s`; `z_i = Q_i` if `Q_i >= 0`, else `-Q_i` (`R_i = 0`) or
/// `-Q_i - 1`. `D_i` increases with `i`, so the nonzero points are one contiguous run.
#[inline(always)]
fn gaussian_pass<F: FnMut(&mut u64, u64) -> MathResult<()>>(
    grid: &Grid,
    step: u64,
    p: &NormalParams,
    out: &mut [u64],
    mut f: F,
) -> MathResult<()> {
    let sigma = p.sigma_1e9;
    if sigma == 0 || p.mean_1e9.unsigned_abs() > MEAN_1E9_ABS_MAX {
        return Err(MathError::InvalidShape);
    }
    let s = mul_u64_wide(step, SCALE_1E9);
    let inc = mul_u128_u64(s, SCALE_1E9).ok_or(MathError::Overflow)?;
    let (qs, rs) = div_u128_by_u64(inc, sigma)?;
    let (qs, s) = (qs as i128, s as i128);
    let lim = (sigma as u128) << 3;
    let mut dd = to_1e9(grid.lo) - p.mean_1e9;
    let mut state: Option<(i128, u64)> = None;
    for o in out.iter_mut() {
        let (q, r) = match state {
            Some((q, r)) => {
                if r >= sigma - rs {
                    (q + qs + 1, r - (sigma - rs))
                } else {
                    (q + qs, r + rs)
                }
            }
            None => {
                let d = dd.unsigned_abs();
                if d >= lim {
                    dd += s;
                    continue;
                }
                let num = mul_u128_u64(d, SCALE_1E9).ok_or(MathError::Overflow)?;
                let (qa, ra) = div_u128_by_u64(num, sigma)?;
                let qa = qa as i128;
                if dd >= 0 {
                    (qa, ra)
                } else if ra == 0 {
                    (-qa, 0)
                } else {
                    (-qa - 1, sigma - ra)
                }
            }
        };
        state = Some((q, r));
        let z = if q >= 0 {
            q as u128
        } else if r == 0 {
            (-q) as u128
        } else {
            (-q - 1) as u128
        };
        if z >= Z_MAX_1E9 {
            // D >= 8 sigma > 0 here, and D only grows: every later point is 0.
            break;
        }
        let y = ((square_wide(z as u64) >> 10) as u64) / 1_953_125;
        f(o, exp_neg_1e9(y))?;
    }
    Ok(())
}

/// `mean = lo*1e9 + floor(width*1e9*num/den)` for presets.
fn frac_point(grid: &Grid, num: u64, den: u64) -> MathResult<i128> {
    let width = (grid.hi as u64).wrapping_sub(grid.lo as u64);
    let w = mul_u128_u64(mul_u64_wide(width, SCALE_1E9), num).ok_or(MathError::Overflow)?;
    let off = div_u128_by_u64(w, den)?.0;
    Ok(to_1e9(grid.lo) + off as i128)
}

/// `floor(width * 1e9 / den)` as u64 for presets.
fn frac_sigma(grid: &Grid, den: u64) -> MathResult<u64> {
    let width = (grid.hi as u64).wrapping_sub(grid.lo as u64);
    mul_div_floor(width, SCALE_1E9, den)
}

/// Build a preset mixture. Table rows: (mean num, mean den, sigma den, weight_1e9).
fn preset(grid: &Grid, rows: &[[u64; 4]]) -> MathResult<Shape> {
    let zero = MixtureComponent {
        mean_1e9: 0,
        sigma_1e9: 1,
        weight_1e9: 0,
    };
    let mut comps = [zero; MAX_MIXTURE_COMPONENTS];
    let mut len = 0u8;
    for (slot, row) in comps.iter_mut().zip(rows.iter()) {
        *slot = MixtureComponent {
            mean_1e9: frac_point(grid, row[0], row[1])?,
            sigma_1e9: frac_sigma(grid, row[2])?,
            weight_1e9: row[3],
        };
        len += 1;
    }
    Ok(Shape::Mixture { comps, len })
}

/// Expand a preset into its mixture (other shapes are returned unchanged).
pub fn resolve_preset(grid: &Grid, shape: &Shape) -> MathResult<Shape> {
    match shape {
        Shape::TrimodalElection => preset(
            grid,
            &[
                [1, 4, 12, 300_000_000],
                [1, 2, 12, 400_000_000],
                [3, 4, 12, 300_000_000],
            ],
        ),
        Shape::SkewedLaunch => preset(
            grid,
            &[
                [3, 10, 16, 550_000_000],
                [9, 20, 8, 300_000_000],
                [7, 10, 4, 150_000_000],
            ],
        ),
        Shape::LeptokurticIndicator => {
            preset(grid, &[[1, 2, 24, 600_000_000], [1, 2, 6, 400_000_000]])
        }
        other => Ok(*other),
    }
}

/// Write the unscaled shape into `out` (length `grid.n`), at `x_i = lo + i*step`:
/// - Normal: `gaussian_1e9(x_i)`.
/// - Uniform: `1e9` if `a <= x_i <= b` else 0 (`a > b` -> `InvalidShape`).
/// - Mixture (1..=4 comps, each sigma > 0, total weight > 0): with `s_min` the smallest
///   sigma, amplitude `a_j = floor(w_j * s_min / s_j)`, then
///   `h_i = sum_j floor(a_j * gaussian_1e9(x_i; j) / 1e9)` (so a narrower component is
///   taller, as for densities).
/// - Presets: [`resolve_preset`], then Mixture.
/// - Custom: `points` (>= 2, strictly increasing x, else `InvalidShape`); 0 outside
///   `[x_0, x_last]`; inside, the segment `j` with `x_j <= x_i < x_{j+1}` (the last point
///   itself gives `y_last`): `floor((y_j (dx - r) + y_{j+1} r) / dx)`, `dx = x_{j+1} - x_j`,
///   `r = x_i - x_j`.
pub fn shape_values(
    grid: &Grid,
    shape: &Shape,
    points: &[ControlPoint],
    out: &mut [u64],
) -> MathResult<()> {
    let step = grid.step()?;
    if out.len() != grid.n as usize {
        return Err(MathError::LengthMismatch);
    }
    let shape = resolve_preset(grid, shape)?;
    match shape {
        Shape::Normal(p) => {
            out.fill(0);
            gaussian_pass(grid, step, &p, out, |o, e| {
                *o = e;
                Ok(())
            })?;
        }
        Shape::Uniform { a, b } => {
            if a > b {
                return Err(MathError::InvalidShape);
            }
            for (i, o) in out.iter_mut().enumerate() {
                let x = grid.x(i, step);
                *o = if x >= a && x <= b { SHAPE_PEAK_1E9 } else { 0 };
            }
        }
        Shape::Mixture { comps, len } => mixture_values(grid, step, &comps, len, out)?,
        Shape::Custom => custom_values(grid, step, points, out)?,
        _ => return Err(MathError::InvalidShape),
    }
    Ok(())
}

fn mixture_values(
    grid: &Grid,
    step: u64,
    comps: &[MixtureComponent; MAX_MIXTURE_COMPONENTS],
    len: u8,
    out: &mut [u64],
) -> MathResult<()> {
    let len = len as usize;
    if len == 0 || len > MAX_MIXTURE_COMPONENTS {
        return Err(MathError::InvalidShape);
    }
    let used = comps.get(..len).ok_or(MathError::InvalidShape)?;
    let mut s_min = u64::MAX;
    let mut w_total = 0u64;
    for c in used {
        if c.sigma_1e9 == 0 {
            return Err(MathError::InvalidShape);
        }
        if c.sigma_1e9 < s_min {
            s_min = c.sigma_1e9;
        }
        w_total = w_total
            .checked_add(c.weight_1e9)
            .ok_or(MathError::Overflow)?;
    }
    if w_total == 0 {
        return Err(MathError::InvalidShape);
    }
    for c in used {
        if c.mean_1e9.unsigned_abs() > MEAN_1E9_ABS_MAX {
            return Err(MathError::InvalidShape);
        }
    }
    // Component by component (the sums are the same in any order and cannot overflow:
    // each term is <= a_j <= w_j and the weights' total fits in u64).
    out.fill(0);
    for c in used {
        let amp = mul_div_floor(c.weight_1e9, s_min, c.sigma_1e9)?;
        let np = NormalParams {
            mean_1e9: c.mean_1e9,
            sigma_1e9: c.sigma_1e9,
        };
        gaussian_pass(grid, step, &np, out, |o, e| {
            // e <= 1e9 < 2^30: below 2^34 the product fits in u64 (same floor as wide).
            let term = if amp < (1 << 34) {
                amp * e / SCALE_1E9
            } else {
                mul_div_floor(amp, e, SCALE_1E9)?
            };
            *o = o.checked_add(term).ok_or(MathError::Overflow)?;
            Ok(())
        })?;
    }
    Ok(())
}

fn custom_values(grid: &Grid, step: u64, pts: &[ControlPoint], out: &mut [u64]) -> MathResult<()> {
    if pts.len() < 2 {
        return Err(MathError::InvalidShape);
    }
    for j in 1..pts.len() {
        if pts[j].x <= pts[j - 1].x {
            return Err(MathError::InvalidShape);
        }
    }
    let first = pts[0];
    let last = pts[pts.len() - 1];
    let mut j = 0usize;
    for (i, o) in out.iter_mut().enumerate() {
        let x = grid.x(i, step);
        if x < first.x || x > last.x {
            *o = 0;
            continue;
        }
        if x == last.x {
            *o = last.y;
            continue;
        }
        while j + 1 < pts.len() && pts[j + 1].x <= x {
            j += 1;
        }
        let (p0, p1) = match (pts.get(j), pts.get(j + 1)) {
            (Some(a), Some(b)) => (*a, *b),
            _ => return Err(MathError::InvalidShape),
        };
        let dx = (p1.x as u64).wrapping_sub(p0.x as u64);
        let r = (x as u64).wrapping_sub(p0.x as u64);
        let num = mul_u64_wide(p0.y, dx - r)
            .checked_add(mul_u64_wide(p1.y, r))
            .ok_or(MathError::Overflow)?;
        *o = div_u128_by_u64(num, dx)?.0 as u64;
    }
    Ok(())
}

/// DESIGN §4: a Normal of L2 norm `k` has peak `k / sqrt(sigma sqrt(pi))`, so `max f <= b`
/// needs `sigma >= k^2 / (b^2 sqrt(pi))`. Integer check (conservative):
/// `r = ceil(k * 1e9 / b)` (k/b at 1e9, rounded up; `Overflow` -> reject) and accept iff
/// `sigma_1e9 * SQRT_PI_1E9_FLOOR >= r^2` (both sides at 1e18, exact u128).
/// `b == 0` or a failed check -> `MaxBoundExceeded`.
pub fn check_normal_sigma(sigma_1e9: u64, k: u64, b: u64) -> MathResult<()> {
    if b == 0 {
        return Err(MathError::MaxBoundExceeded);
    }
    let r = mul_div_ceil(k, SCALE_1E9, b).map_err(|_| MathError::MaxBoundExceeded)?;
    if mul_u64_wide(sigma_1e9, SQRT_PI_1E9_FLOOR) >= square_wide(r) {
        Ok(())
    } else {
        Err(MathError::MaxBoundExceeded)
    }
}
