//! `shape_values` (incremental Gaussian pass) against the per-point definition
//! `gaussian_1e9(x_i)`, bit for bit, on random grids and parameters.

use continuum_math::*;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_grid(rng: &mut Rng) -> Grid {
    let n = 3 + 2 * rng.below(350) as u32;
    let step = match rng.below(4) {
        0 => 1 + rng.below(3),
        1 => 1 + rng.below(1_000),
        2 => 1 + rng.below(1 << 30),
        _ => 1 + rng.below((1u64 << 52) / n as u64),
    };
    let span = step * (n as u64 - 1);
    let lo = (rng.below(1 << 40) as i64) - (1 << 39) - (span / 2) as i64;
    Grid {
        lo,
        hi: lo + span as i64,
        n,
    }
}

fn random_normal(rng: &mut Rng, g: &Grid) -> NormalParams {
    let width = (g.hi - g.lo) as u64;
    let sigma_1e9 = match rng.below(5) {
        0 => 1 + rng.below(1 << 20),
        1 => 1 + rng.below(width.saturating_mul(20_000_000).max(2)),
        2 => 1 + rng.below(width.saturating_mul(1_000_000_000).max(2)),
        3 => u64::MAX - rng.below(1 << 20),
        _ => 1 + rng.below(u64::MAX / 2),
    };
    let mid = (g.lo as i128 + g.hi as i128) / 2 * 1_000_000_000;
    let off =
        (rng.next() as i128 % (width as i128 * 1_500_000_000 + 1)) - width as i128 * 750_000_000;
    let mean_1e9 = match rng.below(6) {
        0 => {
            g.lo as i128 * 1_000_000_000
                + (rng.below(g.n as u64) * (width / (g.n as u64 - 1))) as i128 * 1_000_000_000
        }
        1 => (1i128 << 100) - rng.below(1000) as i128,
        _ => mid + off,
    };
    NormalParams {
        mean_1e9,
        sigma_1e9,
    }
}

#[test]
fn normal_pass_equals_pointwise_gaussian() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut nonzero = 0u64;
    for _ in 0..3_000 {
        let g = random_grid(&mut rng);
        let p = random_normal(&mut rng, &g);
        let step = g.step().unwrap();
        let mut h = vec![7u64; g.n as usize];
        shape_values(&g, &Shape::Normal(p), &[], &mut h).unwrap();
        for (i, v) in h.iter().enumerate() {
            let want = gaussian_1e9(g.x(i, step), &p).unwrap();
            assert_eq!(*v, want, "{g:?} {p:?} i={i}");
            nonzero += (*v > 0) as u64;
        }
    }
    assert!(nonzero > 100_000, "{nonzero}");
}

#[test]
fn mixture_pass_equals_pointwise_sum() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..1_000 {
        let g = random_grid(&mut rng);
        let step = g.step().unwrap();
        let len = 1 + rng.below(4) as usize;
        let zero = MixtureComponent {
            mean_1e9: 0,
            sigma_1e9: 1,
            weight_1e9: 0,
        };
        let mut comps = [zero; 4];
        for c in comps.iter_mut().take(len) {
            let p = random_normal(&mut rng, &g);
            let weight_1e9 = match rng.below(3) {
                0 => 1 + rng.below(1_000_000_000),
                1 => 1 + rng.below(1 << 40),
                _ => 1 + rng.below(u64::MAX / 8),
            };
            *c = MixtureComponent {
                mean_1e9: p.mean_1e9,
                sigma_1e9: p.sigma_1e9,
                weight_1e9,
            };
        }
        let shape = Shape::Mixture {
            comps,
            len: len as u8,
        };
        let mut h = vec![3u64; g.n as usize];
        let got = shape_values(&g, &shape, &[], &mut h);
        let s_min = comps[..len].iter().map(|c| c.sigma_1e9).min().unwrap();
        let total: u128 = comps[..len].iter().map(|c| c.weight_1e9 as u128).sum();
        if total > u64::MAX as u128 {
            assert_eq!(got, Err(MathError::Overflow));
            continue;
        }
        got.unwrap();
        for (i, v) in h.iter().enumerate() {
            let x = g.x(i, step);
            let mut want = 0u64;
            for c in &comps[..len] {
                let amp = mul_div_floor(c.weight_1e9, s_min, c.sigma_1e9).unwrap();
                let p = NormalParams {
                    mean_1e9: c.mean_1e9,
                    sigma_1e9: c.sigma_1e9,
                };
                let e = gaussian_1e9(x, &p).unwrap();
                want += mul_div_floor(amp, e, 1_000_000_000).unwrap();
            }
            assert_eq!(*v, want, "{g:?} {comps:?} i={i}");
        }
    }
}
