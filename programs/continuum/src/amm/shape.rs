//! `ShapeParams` (borsh, fixed size) -> unscaled shape values written in place into a curve.
//!
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | kind (`state::amm::ShapeKind`) |
//! | 1 | u8 | count: mixture components (1..=4) or control points (2..=16) |
//! | 2 | [ShapeComponent; 4] | components: `mean_1e9: i128, sigma_1e9: u64, weight_1e9: u64` (32 bytes each) |
//! | 130 | i64 | uniform_a |
//! | 138 | i64 | uniform_b |
//! | 146 | [ControlPointArg; 16] | points: `x: i64, y: u64` (16 bytes each) |
//! | 402 | | end |
//!
//! - Normal: `components[0]` (mean, sigma); rejected with `MaxBoundExceeded` when
//!   `sigma < k^2 / (b^2 sqrt(pi))` (DESIGN §4: the projected peak would exceed `b`).
//! - Uniform: `[uniform_a, uniform_b]`.
//! - Mixture (Bimodal is `count = 2`): the first `count` components.
//! - Trimodal / skewed / leptokurtic presets: no parameters (derived from the domain).
//! - Custom: the first `count` control points (strictly increasing x).
//!
//! Unused fields are ignored (the SDK writes zeros).

use crate::args::ArgReader;
use crate::error::{math_error, ContinuumError, ContinuumResult};
use crate::state::amm::{ShapeKind, MAX_CONTROL_POINTS};
use continuum_math::{
    check_normal_sigma, shape_values, ControlPoint, Grid, MixtureComponent, NormalParams, Shape,
    MAX_MIXTURE_COMPONENTS,
};

/// Serialized size of `ShapeParams`.
pub const SHAPE_PARAMS_LEN: usize = 402;

/// Market constants a shape is checked against.
pub struct ShapeTarget<'a> {
    /// The grid.
    pub grid: &'a Grid,
    /// Norm target.
    pub k: u64,
    /// Cap.
    pub b: u64,
}

/// Reads `ShapeParams` from `data` (exactly [`SHAPE_PARAMS_LEN`] bytes) and writes the
/// unscaled shape into `out` (the market's curve, in place). Returns the kind.
/// Errors: `InvalidInstructionData` (length), `InvalidShape`, `MaxBoundExceeded`, grid errors.
#[inline(never)]
pub fn write_shape(data: &[u8], target: &ShapeTarget, out: &mut [u64]) -> ContinuumResult<u8> {
    let mut r = ArgReader::new(data);
    let kind = r.u8()?;
    let count = r.u8()? as usize;
    let zero = MixtureComponent {
        mean_1e9: 0,
        sigma_1e9: 1,
        weight_1e9: 0,
    };
    let mut comps = [zero; MAX_MIXTURE_COMPONENTS];
    for c in comps.iter_mut() {
        c.mean_1e9 = i128::from_le_bytes(r.bytes::<16>()?);
        c.sigma_1e9 = r.u64()?;
        c.weight_1e9 = r.u64()?;
    }
    let ua = r.i64()?;
    let ub = r.i64()?;
    let mut points = [ControlPoint { x: 0, y: 0 }; MAX_CONTROL_POINTS];
    for p in points.iter_mut() {
        p.x = r.i64()?;
        p.y = r.u64()?;
    }
    r.finish()?;

    let mut used_points: &[ControlPoint] = &[];
    let shape = match ShapeKind::try_from(kind)? {
        ShapeKind::Normal => {
            check_normal_sigma(comps[0].sigma_1e9, target.k, target.b).map_err(math_error)?;
            Shape::Normal(NormalParams {
                mean_1e9: comps[0].mean_1e9,
                sigma_1e9: comps[0].sigma_1e9,
            })
        }
        ShapeKind::Uniform => Shape::Uniform { a: ua, b: ub },
        ShapeKind::Mixture => {
            if count == 0 || count > MAX_MIXTURE_COMPONENTS {
                return Err(ContinuumError::InvalidShape.into());
            }
            Shape::Mixture {
                comps,
                len: count as u8,
            }
        }
        ShapeKind::Trimodal => Shape::TrimodalElection,
        ShapeKind::Skewed => Shape::SkewedLaunch,
        ShapeKind::Leptokurtic => Shape::LeptokurticIndicator,
        ShapeKind::Custom => {
            used_points = points.get(..count).ok_or(ContinuumError::InvalidShape)?;
            Shape::Custom
        }
    };
    shape_values(target.grid, &shape, used_points, out).map_err(math_error)?;
    Ok(kind)
}
