//! Error type. Discriminants are stable: the program maps them to `Custom` codes and the
//! TypeScript mirror throws the same names. Never renumber, only append.

/// Every failure of the math crate.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit its integer type.
    Overflow = 0,
    /// Division by zero.
    DivideByZero = 1,
    /// Fewer than 3 grid points.
    InsufficientPoints = 2,
    /// Grid has an even number of points, a length mismatch, `hi <= lo`, or a step that
    /// does not divide the domain.
    InvalidGrid = 3,
    /// Index range outside the grid or reversed; outcome/control points out of order.
    InvalidRange = 4,
    /// No canonical scale exists: even the largest scale keeps `||g||^2 <= k^2`.
    NormConstraintViolated = 5,
    /// A shape cannot satisfy `max f <= b` at norm `k` (Normal sigma too small).
    MaxBoundExceeded = 6,
    /// Integration failed (zero total mass where a probability is required).
    IntegrationFailed = 7,
    /// Shape parameters are invalid (zero sigma, zero weights, too many components...).
    InvalidShape = 8,
    /// The range bet has no effect (best bump `t` is 0, or amount 0).
    ZeroBet = 9,
    /// A claimed scale `c` is not canonical (`c` fails or `c + 1` passes).
    NotCanonical = 10,
    /// A slice does not have the grid's length.
    LengthMismatch = 11,
    /// An unwind fraction outside `1..=1e9`.
    InvalidUnwindFraction = 12,
    /// An unwind of a position whose payoff is all zero.
    NothingToUnwind = 13,
    /// A market fee above `MAX_FEE_BPS`.
    FeeTooHigh = 14,
}

/// Result alias used across the crate.
pub type MathResult<T> = Result<T, MathError>;
