//! Test-only f64 reference: erf/erfc and the Normal CDF (floats are allowed here only).
#![allow(dead_code)]

/// erf(x): Maclaurin series for |x| < 3 (relative error ~1e-13), continued fraction for
/// erfc beyond.
pub fn erf(x: f64) -> f64 {
    if x < 0.0 {
        return -erf(-x);
    }
    if x < 3.0 {
        let mut sum = 0.0;
        let mut term = x; // x^(2n+1) (-1)^n / n!
        let mut n = 0.0;
        loop {
            let add = term / (2.0 * n + 1.0);
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
            n += 1.0;
            term *= -x * x / n;
        }
        2.0 / std::f64::consts::PI.sqrt() * sum
    } else {
        1.0 - erfc_cf(x)
    }
}

/// erfc(x) for x >= 3 by the Laplace continued fraction (backward, 80 terms).
pub fn erfc_cf(x: f64) -> f64 {
    let mut k = x;
    for n in (1..=80).rev() {
        k = x + (n as f64 / 2.0) / k;
    }
    (-x * x).exp() / (std::f64::consts::PI.sqrt() * k)
}

/// Standard Normal CDF difference P(a < Z < b) for z-scores.
pub fn normal_mass(za: f64, zb: f64) -> f64 {
    0.5 * (erf(zb / std::f64::consts::SQRT_2) - erf(za / std::f64::consts::SQRT_2))
}
