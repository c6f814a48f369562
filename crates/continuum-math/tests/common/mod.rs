//! Shared test-only helpers.
pub mod erf;
