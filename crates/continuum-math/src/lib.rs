//! Integer-only math for Continuum's L2 distribution markets.
//!
//! `no_std`, no dependencies, no floats, and none of the operations that upstream LLVM 22
//! cannot lower for SBPF v0 (no `u128` multiply/divide, no `u64` `checked_mul`, no signed
//! division by a variable, no `core::fmt`, no panics on reachable paths). Every function is
//! deterministic and documented step by step so that the TypeScript `bigint` mirror can
//! reproduce it bit for bit; the vectors in `tests/vectors/*.json` pin that down.
//!
//! Regenerate the vectors and the accuracy report with:
//!
//! ```text
//! cargo run --release -p continuum-math --example gen_vectors   # writes tests/vectors/*.json
//! cargo run --release -p continuum-math --example accuracy      # writes docs/accuracy.md
//! ```
//!
//! Modules, one job each:
//! - [`constants`]: fixed-point scales and limits.
//! - [`error`]: [`MathError`] with stable discriminants.
//! - [`wide`]: 64x64->128 products, 128/64 and 128/128 division, mul-div, exact square roots.
//! - [`simpson`]: grid validation, Simpson weights, weighted sums, range masses/probabilities.
//! - [`exp`]: `exp(-y)` in integer arithmetic.
//! - [`shapes`]: unscaled shape curves (Normal, Uniform, mixtures, presets, custom).
//! - [`project`]: the canonical scale `c` (projection onto `||g|| <= k, 0 <= g <= b`).
//! - [`trade`]: range bets, collateral, payoffs, claims.
//! - [`trade_general`]: the general trade (range, shape, unwind) on a netted position, the
//!   readable reference of the program's kernel.
//! - [`kernel`]: the program's in-place one-pass trade and projection kernels.
//! - [`units`]: unit-carrying newtypes of the public API (base units, 1e9 ratios, norms).
//! - `testing` (hidden): the deterministic generator of the tests and vectors.
#![no_std]
#![deny(missing_docs)]
// Index loops `for i in 0..s.len()` are deliberate: the bound check elides and the SBPF
// codegen stays simple (no iterator adaptors with hidden state).
#![allow(clippy::needless_range_loop)]

pub mod constants;
pub mod error;
pub mod exp;
pub mod kernel;
pub mod project;
pub mod shapes;
pub mod simpson;
#[doc(hidden)]
pub mod testing;
pub mod trade;
pub mod trade_general;
pub mod units;
pub mod wide;

pub use constants::*;
pub use error::{MathError, MathResult};
pub use exp::*;
pub use kernel::*;
pub use project::*;
pub use shapes::*;
pub use simpson::*;
pub use trade::*;
pub use trade_general::*;
pub use units::{BaseUnits, NormSq, Ratio1e9};
pub use wide::*;
