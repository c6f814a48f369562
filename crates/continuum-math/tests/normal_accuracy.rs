//! Normal shapes against exact (f64, test-only) references.

mod common;
use common::erf::normal_mass;
use continuum_math::*;

fn normal_curve(grid: &Grid, mean: f64, sigma: f64) -> Vec<u64> {
    let mut h = vec![0u64; grid.n as usize];
    let p = NormalParams {
        mean_1e9: (mean * 1e9) as i128,
        sigma_1e9: (sigma * 1e9) as u64,
    };
    shape_values(grid, &Shape::Normal(p), &[], &mut h).unwrap();
    h
}

#[test]
fn range_probabilities_match_the_cdf() {
    let grid = Grid {
        lo: 0,
        hi: 10_000,
        n: 101,
    };
    let step = grid.step().unwrap() as f64;
    let mut worst: f64 = 0.0;
    let mut worst_trap: f64 = 0.0;
    let mut seed = 11u64;
    let mut rnd = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..400 {
        let sigma = step * (4.0 + 30.0 * rnd());
        let mean = 10_000.0 * rnd();
        let h = normal_curve(&grid, mean, sigma);
        let total = normal_mass(-mean / sigma, (10_000.0 - mean) / sigma);
        for _ in 0..10 {
            let i0 = (rnd() * 100.0) as usize;
            let i1 = i0 + (rnd() * (100 - i0) as f64) as usize;
            let got = range_probability_1e9(&h, i0, i1).unwrap() as f64 / 1e9;
            // The points [i0, i1] own the cells [x_i0 - h/2, x_i1 + h/2], clipped to the domain.
            let a = (i0 as f64 * step - step / 2.0).max(0.0);
            let b = (i1 as f64 * step + step / 2.0).min(10_000.0);
            let want = normal_mass((a - mean) / sigma, (b - mean) / sigma) / total;
            if i1 == i0 {
                worst_trap = worst_trap.max((got - want).abs());
            } else {
                worst = worst.max((got - want).abs());
            }
        }
    }
    // Trapezoid point masses are second order inside (~h^2 p'' / 24 per cell) and first order
    // in the two end half cells; docs/accuracy.md has the worst cases by sigma and mean.
    assert!(worst <= 1e-2, "worst abs error {worst}");
    assert!(worst_trap <= 1e-2, "worst single-point error {worst_trap}");
}

#[test]
fn norm_of_a_normal() {
    // ||p||^2 = 1 / (2 sigma sqrt(pi)) for the density p = f / integral f.
    let grid = Grid {
        lo: -5000,
        hi: 5000,
        n: 101,
    };
    let step = grid.step().unwrap();
    for sigma_steps in [4.0, 6.0, 10.0, 15.0] {
        let sigma = sigma_steps * step as f64;
        let h = normal_curve(&grid, 0.0, sigma);
        let ws = weighted_sum(&h).unwrap() as f64 * step as f64 / 3.0;
        let wss = weighted_sum_sq(&h).unwrap() as f64 * step as f64 / 3.0;
        let got = wss / (ws * ws);
        // Exact on the truncated domain [-L, L]: int e^{-z^2/2} = sigma sqrt(2 pi) P(|Z|<L/s),
        // int e^{-z^2} = sigma sqrt(pi) P(|Z| < sqrt2 L/s), both times the peak (1e9) powers.
        let l = 5000.0 / sigma;
        let i1 = sigma * (2.0 * std::f64::consts::PI).sqrt() * normal_mass(-l, l);
        let i2 =
            sigma * std::f64::consts::PI.sqrt() * normal_mass(-l * 2f64.sqrt(), l * 2f64.sqrt());
        let want = i2 / (i1 * i1);
        let untruncated = 1.0 / (2.0 * sigma * std::f64::consts::PI.sqrt());
        if sigma_steps <= 6.0 {
            // Truncation at >= 8 sigma is negligible: compare with 1/(2 sigma sqrt(pi)) too.
            assert!(((got - untruncated) / untruncated).abs() < 1e-6);
        }
        assert!(
            ((got - want) / want).abs() < 1e-6,
            "sigma {sigma}: {got} vs {want}"
        );
    }
}

#[test]
fn sigma_bound() {
    // b = 1e9, k^2 = b^2 * 100 * sqrt(pi): the bound is sigma >= 100.
    let b = 1_000_000_000u64;
    let k = (1e9 * (100.0 * std::f64::consts::PI.sqrt()).sqrt()) as u64;
    assert!(check_normal_sigma(101 * SCALE_1E9, k, b).is_ok());
    assert_eq!(
        check_normal_sigma(99 * SCALE_1E9, k, b),
        Err(MathError::MaxBoundExceeded)
    );
    assert_eq!(
        check_normal_sigma(SCALE_1E9, 1, 0),
        Err(MathError::MaxBoundExceeded)
    );
}

#[test]
fn presets_and_custom_are_positive_and_projectable() {
    let grid = Grid {
        lo: 0,
        hi: 1000,
        n: 101,
    };
    let step = grid.step().unwrap();
    let b = 5_000_000_000u64;
    let budget = norm_sq_budget_from_k_sq(square_wide(b) * 200, step).unwrap();
    let pts = [
        ControlPoint { x: 100, y: 0 },
        ControlPoint {
            x: 400,
            y: 2_000_000_000,
        },
        ControlPoint {
            x: 900,
            y: 500_000_000,
        },
    ];
    for shape in [
        Shape::TrimodalElection,
        Shape::SkewedLaunch,
        Shape::LeptokurticIndicator,
        Shape::Custom,
        Shape::Uniform { a: 200, b: 700 },
    ] {
        let mut h = vec![0u64; 101];
        shape_values(&grid, &shape, &pts, &mut h).unwrap();
        assert!(h.iter().any(|&v| v > 0));
        let mut g = vec![0u64; 101];
        let c = project(&h, BaseUnits::new(b), budget, &mut g).unwrap();
        verify_canonical(&h, BaseUnits::new(b), budget, c).unwrap();
        assert!(g.iter().all(|&v| v <= b));
    }
    let mut h = vec![0u64; 101];
    shape_values(&grid, &Shape::Custom, &pts, &mut h).unwrap();
    assert_eq!(h[10], 0);
    assert_eq!(h[40], 2_000_000_000);
    assert_eq!(h[90], 500_000_000);
    assert_eq!(h[25], 1_000_000_000);
}
