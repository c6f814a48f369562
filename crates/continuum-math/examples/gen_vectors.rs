//! Writes `tests/vectors/*.json`: bit-exact cases for every public function, consumed by
//! the TypeScript mirror. Host-only (std), no dependencies: JSON is written by hand.
//!
//! Run: `cargo run --release -p continuum-math --example gen_vectors`
//!
//! Format per file: `{"module": m, "count": n, "cases": [{"fn": name, "in": {...},
//! "out": value}` or `"error": "MathErrorName"}]}`. Every integer is a decimal STRING;
//! arrays of integers are arrays of strings; booleans are JSON booleans.

use continuum_math::*;
use raw::verify_canonical;
use raw::{apply_scale, canonical_scale, norm_sq_budget, norm_sq_budget_from_k_sq, project};
use std::fmt::Write as _;

/// The vectors hold raw decimal integers (their unit is the field's name): these adapt the
/// crate's unit-typed projection API to them, and shadow the glob import above.
mod raw {
    use continuum_math::{BaseUnits, MathResult, NormSq, Ratio1e9};

    pub fn norm_sq_budget(k: u64, h_step: u64) -> MathResult<u128> {
        continuum_math::norm_sq_budget(k, h_step).map(NormSq::get)
    }
    pub fn norm_sq_budget_from_k_sq(k_sq: u128, h_step: u64) -> MathResult<u128> {
        continuum_math::norm_sq_budget_from_k_sq(k_sq, h_step).map(NormSq::get)
    }
    pub fn canonical_scale(h: &[u64], b: u64, budget: u128) -> MathResult<u64> {
        let (b, budget) = (BaseUnits::new(b), NormSq::new(budget));
        continuum_math::canonical_scale(h, b, budget).map(Ratio1e9::get)
    }
    pub fn verify_canonical(h: &[u64], b: u64, budget: u128, c: u64) -> MathResult<()> {
        let (b, budget, c) = (BaseUnits::new(b), NormSq::new(budget), Ratio1e9::new(c));
        continuum_math::verify_canonical(h, b, budget, c)
    }
    pub fn apply_scale(h: &[u64], b: u64, c: u64, out: &mut [u64]) -> MathResult<()> {
        continuum_math::apply_scale(h, BaseUnits::new(b), Ratio1e9::new(c), out)
    }
    pub fn project(h: &[u64], b: u64, budget: u128, out: &mut [u64]) -> MathResult<u64> {
        let (b, budget) = (BaseUnits::new(b), NormSq::new(budget));
        continuum_math::project(h, b, budget, out).map(Ratio1e9::get)
    }
}

fn err_name(e: MathError) -> &'static str {
    match e {
        MathError::Overflow => "Overflow",
        MathError::DivideByZero => "DivideByZero",
        MathError::InsufficientPoints => "InsufficientPoints",
        MathError::InvalidGrid => "InvalidGrid",
        MathError::InvalidRange => "InvalidRange",
        MathError::NormConstraintViolated => "NormConstraintViolated",
        MathError::MaxBoundExceeded => "MaxBoundExceeded",
        MathError::IntegrationFailed => "IntegrationFailed",
        MathError::InvalidShape => "InvalidShape",
        MathError::ZeroBet => "ZeroBet",
        MathError::NotCanonical => "NotCanonical",
        MathError::LengthMismatch => "LengthMismatch",
        MathError::InvalidUnwindFraction => "InvalidUnwindFraction",
        MathError::NothingToUnwind => "NothingToUnwind",
        MathError::FeeTooHigh => "FeeTooHigh",
    }
}

fn s<T: std::fmt::Display>(v: T) -> String {
    format!("\"{v}\"")
}
fn arr<T: std::fmt::Display>(v: &[T]) -> String {
    let parts: Vec<String> = v.iter().map(s).collect();
    format!("[{}]", parts.join(","))
}
fn obj(fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", parts.join(","))
}

struct File {
    module: &'static str,
    cases: Vec<String>,
}
impl File {
    fn new(module: &'static str) -> Self {
        File {
            module,
            cases: Vec::new(),
        }
    }
    fn push(&mut self, f: &str, inputs: &[(&str, String)], out: Result<String, MathError>) {
        let mut c = format!("{{\"fn\":\"{f}\",\"in\":{}", obj(inputs));
        match out {
            Ok(v) => write!(c, ",\"out\":{v}}}").unwrap(),
            Err(e) => write!(c, ",\"error\":\"{}\"}}", err_name(e)).unwrap(),
        }
        self.cases.push(c);
    }
    fn write(&self, dir: &str) -> usize {
        let body = format!(
            "{{\"module\":\"{}\",\"count\":{},\"cases\":[\n{}\n]}}\n",
            self.module,
            self.cases.len(),
            self.cases.join(",\n")
        );
        std::fs::write(format!("{dir}/{}.json", self.module), body).unwrap();
        self.cases.len()
    }
}

use continuum_math::testing::SplitMix64 as Rng;

/// u128 draws for the wide-math vectors (random bit length, like `SplitMix64::any`).
trait Any128 {
    fn any128(&mut self) -> u128;
}

impl Any128 for Rng {
    fn any128(&mut self) -> u128 {
        let v = ((self.next() as u128) << 64) | self.next() as u128;
        v >> (self.next() % 128)
    }
}

const EDGE64: [u64; 10] = [
    0,
    1,
    2,
    3,
    999_999_999,
    1_000_000_000,
    1 << 32,
    (1 << 34) - 1,
    u64::MAX - 1,
    u64::MAX,
];

fn wide_cases(rng: &mut Rng) -> File {
    let mut f = File::new("wide");
    let ok = |v: String| -> Result<String, MathError> { Ok(v) };
    for &a in &EDGE64 {
        for &b in &EDGE64 {
            f.push(
                "mul_u64_wide",
                &[("a", s(a)), ("b", s(b))],
                ok(s(mul_u64_wide(a, b))),
            );
            f.push(
                "mul_div_floor",
                &[("a", s(a)), ("b", s(b)), ("d", s(b / 2 + 1))],
                mul_div_floor(a, b, b / 2 + 1).map(s),
            );
            f.push(
                "scale_floor_1e9",
                &[("c", s(a)), ("x", s(b))],
                ok(s(scale_floor_1e9(a, b))),
            );
        }
    }
    for _ in 0..800 {
        let (a, b) = (rng.any(), rng.any());
        f.push(
            "mul_u64_wide",
            &[("a", s(a)), ("b", s(b))],
            ok(s(mul_u64_wide(a, b))),
        );
    }
    for i in 0..900 {
        let n = if i < 20 {
            [0u128, 1, u128::MAX, 1 << 64, (1 << 64) - 1][i % 5]
        } else {
            rng.any128()
        };
        let d = if i < 20 {
            [0u64, 1, u64::MAX, 3][i / 5]
        } else {
            rng.any()
        };
        f.push(
            "div_u128_by_u64",
            &[("n", s(n)), ("d", s(d))],
            div_u128_by_u64(n, d).map(|(q, r)| obj(&[("q", s(q)), ("r", s(r))])),
        );
        let d2 = if i % 3 == 0 { d as u128 } else { rng.any128() };
        f.push(
            "div_u128",
            &[("n", s(n)), ("d", s(d2))],
            div_u128(n, d2).map(|(q, r)| obj(&[("q", s(q)), ("r", s(r))])),
        );
    }
    for _ in 0..800 {
        let (a, b, d) = (rng.any(), rng.any(), rng.any());
        let ins = [("a", s(a)), ("b", s(b)), ("d", s(d))];
        f.push("mul_div_floor", &ins, mul_div_floor(a, b, d).map(s));
        f.push("mul_div_ceil", &ins, mul_div_ceil(a, b, d).map(s));
    }
    let mut sq64: Vec<u64> = vec![0, 1, 2, 3, 4, 5, 8, 9, 10, u64::MAX, u64::MAX - 1, 1 << 63];
    let mut sq128: Vec<u128> = vec![
        0,
        1,
        2,
        3,
        u128::MAX,
        u128::MAX - 1,
        1 << 127,
        u64::MAX as u128,
    ];
    for _ in 0..300 {
        let r = rng.any() >> 32;
        sq64.extend([r * r, (r * r).saturating_sub(1), r * r + 1, rng.any()]);
        let r = rng.any() as u128;
        sq128.extend([r * r, (r * r).saturating_sub(1), r * r + 1, rng.any128()]);
    }
    for n in sq64 {
        f.push("isqrt_u64", &[("n", s(n))], ok(s(isqrt_u64(n))));
    }
    for n in sq128 {
        f.push("isqrt_u128", &[("n", s(n))], ok(s(isqrt_u128(n))));
    }
    for _ in 0..800 {
        let c = if rng.below(2) == 0 {
            rng.any()
        } else {
            rng.below(1 << 40)
        };
        let x = if rng.below(2) == 0 {
            rng.any()
        } else {
            rng.below(1 << 34)
        };
        f.push(
            "scale_floor_1e9",
            &[("c", s(c)), ("x", s(x))],
            ok(s(scale_floor_1e9(c, x))),
        );
        if c < u64::MAX {
            let (v, v1) = Scale1e9::new(c).apply_pair(x);
            f.push(
                "scale_pair_1e9",
                &[("c", s(c)), ("x", s(x))],
                ok(arr(&[v, v1])),
            );
        }
    }
    for _ in 0..200 {
        let (a, b) = (rng.any(), rng.any());
        f.push("add_u64", &[("a", s(a)), ("b", s(b))], add_u64(a, b).map(s));
        f.push("sub_u64", &[("a", s(a)), ("b", s(b))], sub_u64(a, b).map(s));
    }
    f
}

fn rand_curve(rng: &mut Rng, n: usize, max: u64) -> Vec<u64> {
    (0..n).map(|_| rng.below(max + 1)).collect()
}

fn simpson_cases(rng: &mut Rng) -> File {
    let mut f = File::new("simpson");
    for v in [
        vec![],
        vec![1],
        vec![1, 2],
        vec![1, 2, 3, 4],
        vec![u64::MAX; 3],
        vec![0; 3],
    ] {
        f.push("weighted_sum", &[("f", arr(&v))], weighted_sum(&v).map(s));
        f.push(
            "weighted_sum_sq",
            &[("f", arr(&v))],
            weighted_sum_sq(&v).map(s),
        );
        f.push(
            "range_probability_1e9",
            &[("f", arr(&v)), ("i0", s(0)), ("i1", s(2))],
            range_probability_1e9(&v, 0, 2).map(s),
        );
        f.push("trapezoid_sum", &[("f", arr(&v))], trapezoid_sum(&v).map(s));
    }
    for _ in 0..320 {
        let n = 3 + 2 * rng.below(30) as usize;
        let max = [1u64, 1000, 1_000_000_000, 1 << 40, u64::MAX][rng.below(5) as usize];
        let v = rand_curve(rng, n, max);
        f.push("weighted_sum", &[("f", arr(&v))], weighted_sum(&v).map(s));
        f.push(
            "weighted_sum_sq",
            &[("f", arr(&v))],
            weighted_sum_sq(&v).map(s),
        );
        let h = 1 + rng.below(1000);
        if let Ok(ws) = weighted_sum(&v) {
            f.push(
                "integral_floor",
                &[("ws", s(ws)), ("h_step", s(h))],
                integral_floor(ws, h).map(s),
            );
            f.push(
                "integral_ceil",
                &[("ws", s(ws)), ("h_step", s(h))],
                integral_ceil(ws, h).map(s),
            );
        }
        for j in 0..3 {
            let i0 = rng.below(n as u64 + (j == 2) as u64) as usize;
            let i1 = if j == 2 {
                i0 + rng.below(n as u64) as usize
            } else {
                i0 + rng.below((n - i0) as u64) as usize
            };
            let ins = [("f", arr(&v)), ("i0", s(i0)), ("i1", s(i1))];
            f.push("range_mass", &ins, range_mass(&v, i0, i1).map(s));
            f.push(
                "range_probability_1e9",
                &ins,
                range_probability_1e9(&v, i0, i1).map(s),
            );
        }
        f.push("trapezoid_sum", &[("f", arr(&v))], trapezoid_sum(&v).map(s));
        let w2 = rand_curve(rng, n, max);
        f.push(
            "weighted_dot",
            &[("a", arr(&v)), ("b", arr(&w2))],
            weighted_dot(&v, &w2).map(s),
        );
    }
    for _ in 0..200 {
        let t = rng.any128() >> rng.below(40);
        let m = t >> rng.below(10);
        f.push(
            "probability_1e9",
            &[("mass", s(m)), ("total", s(t))],
            probability_1e9(m, t).map(s),
        );
    }
    for (lo, hi, n) in [
        (0i64, 10i64, 11u32),
        (-10, 10, 5),
        (-10, 10, 7),
        (5, 5, 3),
        (0, 10, 4),
        (0, 10, 1),
        (i64::MIN, i64::MAX, 3),
        (-1000, 1000, 101),
    ] {
        let g = Grid { lo, hi, n };
        f.push(
            "grid_step",
            &[("lo", s(lo)), ("hi", s(hi)), ("n", s(n))],
            g.step().map(s),
        );
    }
    f
}

fn exp_cases(rng: &mut Rng) -> File {
    let mut f = File::new("exp");
    let mut ys: Vec<u64> = vec![
        0,
        1,
        2,
        693_147_180,
        693_147_181,
        1_000_000_000,
        20_723_265_836,
        21_999_999_999,
        22_000_000_000,
        (1 << 23) - 1,
        1 << 23,
        (1 << 29) - 1,
        1 << 29,
        (1 << 35) - 1,
        1 << 35,
        41_999_999_999,
        42_000_000_000,
        u64::MAX,
    ];
    for _ in 0..800 {
        ys.push(rng.below(23_000_000_000));
    }
    for _ in 0..200 {
        ys.push(rng.below(44_000_000_000));
    }
    // Every table boundary: the last remainder before it and the first after.
    for j in 1..(44_000_000_000u64 >> 23) {
        if j % 16 == 0 {
            ys.push((j << 23) - 1);
            ys.push(j << 23);
        }
    }
    for y in ys {
        f.push("exp_neg_1e18", &[("y_1e9", s(y))], Ok(s(exp_neg_1e18(y))));
        f.push("exp_neg_1e9", &[("y_1e9", s(y))], Ok(s(exp_neg_1e9(y))));
    }
    f
}

fn shape_json(shape: &Shape) -> String {
    match shape {
        Shape::Normal(p) => obj(&[
            ("kind", "\"Normal\"".into()),
            ("mean_1e9", s(p.mean_1e9)),
            ("sigma_1e9", s(p.sigma_1e9)),
        ]),
        Shape::Uniform { a, b } => obj(&[("kind", "\"Uniform\"".into()), ("a", s(a)), ("b", s(b))]),
        Shape::Mixture { comps, len } => {
            let cs: Vec<String> = comps[..*len as usize]
                .iter()
                .map(|c| {
                    obj(&[
                        ("mean_1e9", s(c.mean_1e9)),
                        ("sigma_1e9", s(c.sigma_1e9)),
                        ("weight_1e9", s(c.weight_1e9)),
                    ])
                })
                .collect();
            obj(&[
                ("kind", "\"Mixture\"".into()),
                ("comps", format!("[{}]", cs.join(","))),
            ])
        }
        Shape::TrimodalElection => obj(&[("kind", "\"TrimodalElection\"".into())]),
        Shape::SkewedLaunch => obj(&[("kind", "\"SkewedLaunch\"".into())]),
        Shape::LeptokurticIndicator => obj(&[("kind", "\"LeptokurticIndicator\"".into())]),
        Shape::Custom => obj(&[("kind", "\"Custom\"".into())]),
    }
}

fn shapes_cases(rng: &mut Rng) -> File {
    let mut f = File::new("shapes");
    let zero = MixtureComponent {
        mean_1e9: 0,
        sigma_1e9: 1,
        weight_1e9: 0,
    };
    for it in 0..160 {
        let n = 3 + 2 * rng.below(50) as u32;
        let step = 1 + rng.below(100);
        let lo = rng.below(20_001) as i64 - 10_000;
        let hi = lo + (step * (n as u64 - 1)) as i64;
        let grid = Grid { lo, hi, n };
        let width = (hi - lo) as u64;
        let pick_mean = |r: &mut Rng| {
            (lo as i128 + r.below(width + 1) as i128) * 1_000_000_000
                + r.below(1_000_000_000) as i128
        };
        let mut pts = vec![];
        let shape = match it % 7 {
            0 => Shape::Normal(NormalParams {
                mean_1e9: pick_mean(rng),
                sigma_1e9: 1 + rng.below(width * 1_000_000_000),
            }),
            1 => Shape::Uniform {
                a: lo + rng.below(width) as i64,
                b: lo + rng.below(width + 1) as i64,
            },
            2 => {
                let mut comps = [zero; 4];
                let len = 1 + rng.below(4) as u8;
                for c in comps.iter_mut().take(len as usize) {
                    *c = MixtureComponent {
                        mean_1e9: pick_mean(rng),
                        sigma_1e9: step * 1_000_000_000 + rng.below(width * 1_000_000_000),
                        weight_1e9: rng.below(1_000_000_001),
                    };
                }
                Shape::Mixture { comps, len }
            }
            3 => Shape::TrimodalElection,
            4 => Shape::SkewedLaunch,
            5 => Shape::LeptokurticIndicator,
            _ => {
                let m = 1 + rng.below(6);
                let mut x = lo - 5 + rng.below(10) as i64;
                for _ in 0..m {
                    pts.push(ControlPoint {
                        x,
                        y: rng.below(2_000_000_000),
                    });
                    x += 1 + rng.below(width / 2 + 1) as i64;
                }
                Shape::Custom
            }
        };
        let mut out = vec![0u64; n as usize];
        let res = shape_values(&grid, &shape, &pts, &mut out).map(|_| arr(&out));
        let pj: Vec<String> = pts
            .iter()
            .map(|p| obj(&[("x", s(p.x)), ("y", s(p.y))]))
            .collect();
        f.push(
            "shape_values",
            &[
                ("lo", s(lo)),
                ("hi", s(hi)),
                ("n", s(n)),
                ("shape", shape_json(&shape)),
                ("points", format!("[{}]", pj.join(","))),
            ],
            res,
        );
    }
    // Invalid shapes.
    let grid = Grid {
        lo: 0,
        hi: 10,
        n: 11,
    };
    for shape in [
        Shape::Normal(NormalParams {
            mean_1e9: 0,
            sigma_1e9: 0,
        }),
        Shape::Uniform { a: 5, b: 4 },
        Shape::Mixture {
            comps: [zero; 4],
            len: 0,
        },
        Shape::Mixture {
            comps: [zero; 4],
            len: 2,
        },
        Shape::Custom,
    ] {
        let mut out = vec![0u64; 11];
        f.push(
            "shape_values",
            &[
                ("lo", s(0)),
                ("hi", s(10)),
                ("n", s(11)),
                ("shape", shape_json(&shape)),
                ("points", "[]".into()),
            ],
            shape_values(&grid, &shape, &[], &mut out).map(|_| arr(&out)),
        );
    }
    for _ in 0..300 {
        let x = rng.below(2001) as i64 - 1000;
        let p = NormalParams {
            mean_1e9: (rng.below(2_000_000_000_000) as i128) - 1_000_000_000_000,
            sigma_1e9: 1 + rng.any() % 500_000_000_000,
        };
        f.push(
            "gaussian_1e9",
            &[
                ("x", s(x)),
                ("mean_1e9", s(p.mean_1e9)),
                ("sigma_1e9", s(p.sigma_1e9)),
            ],
            gaussian_1e9(x, &p).map(s),
        );
    }
    for _ in 0..200 {
        let (sig, k, b) = (rng.any(), rng.any(), rng.any());
        f.push(
            "check_normal_sigma",
            &[("sigma_1e9", s(sig)), ("k", s(k)), ("b", s(b))],
            check_normal_sigma(sig, k, b).map(|_| "true".into()),
        );
        let k = rng.below(1 << 40);
        let b = 1 + rng.below(1 << 40);
        let sig = rng.below(1 << 50);
        f.push(
            "check_normal_sigma",
            &[("sigma_1e9", s(sig)), ("k", s(k)), ("b", s(b))],
            check_normal_sigma(sig, k, b).map(|_| "true".into()),
        );
    }
    f
}

fn market(rng: &mut Rng, n: usize) -> (Vec<u64>, u64, u128) {
    let grid = Grid {
        lo: 0,
        hi: (n as i64 - 1) * 10,
        n: n as u32,
    };
    let mut h = vec![0u64; n];
    let sigma = (10 + rng.below(10 * n as u64)) * 1_000_000_000;
    let mean = rng.below(10 * n as u64) as i128 * 1_000_000_000;
    shape_values(
        &grid,
        &Shape::Normal(NormalParams {
            mean_1e9: mean,
            sigma_1e9: sigma,
        }),
        &[],
        &mut h,
    )
    .unwrap();
    let b = 1_000_000_000 + rng.below(20_000_000_000);
    // k^2 = b^2 * width / m, m in 2..=13: the cap binds for some curves, never all.
    let width = 10 * (n as u64 - 1);
    let k_sq = mul_u64_wide(b, b) * width as u128 / (2 + rng.below(12)) as u128;
    let budget = norm_sq_budget_from_k_sq(k_sq, 10).unwrap();
    let mut f = vec![0u64; n];
    match project(&h, b, budget, &mut f) {
        Ok(_) => (f, b, budget),
        Err(_) => (h, b, budget),
    }
}

fn project_cases(rng: &mut Rng) -> File {
    let mut f = File::new("project");
    for _ in 0..200 {
        let (k, hs) = (rng.any(), rng.any());
        f.push(
            "norm_sq_budget",
            &[("k", s(k)), ("h_step", s(hs))],
            norm_sq_budget(k, hs).map(s),
        );
    }
    f.push(
        "norm_sq_budget_from_k_sq",
        &[("k_sq", s(u128::MAX)), ("h_step", s(1))],
        norm_sq_budget_from_k_sq(u128::MAX, 1).map(s),
    );
    for it in 0..260 {
        let n = 3 + 2 * rng.below(25) as usize;
        let max = [1000u64, 1_000_000_000, 4_000_000_000, 1 << 40][rng.below(4) as usize];
        let mut h = rand_curve(rng, n, max);
        if it % 13 == 0 {
            h = vec![0; n];
            h[n / 2] = 5;
        }
        let b = 1 + rng.below(50_000_000_000);
        let k = rng.below(200_000_000_000);
        let budget = norm_sq_budget(k, 1 + rng.below(50)).unwrap();
        let ins = [("h", arr(&h)), ("b", s(b)), ("budget", s(budget))];
        let c = canonical_scale(&h, b, budget);
        f.push("canonical_scale", &ins, c.map(s));
        let cc = c.unwrap_or(rng.any());
        for cand in [cc, cc.wrapping_add(1), cc.wrapping_sub(1)] {
            f.push(
                "verify_canonical",
                &[
                    ("h", arr(&h)),
                    ("b", s(b)),
                    ("budget", s(budget)),
                    ("c", s(cand)),
                ],
                verify_canonical(&h, b, budget, cand).map(|_| "true".into()),
            );
            let mut g = h.clone();
            f.push(
                "project_in_place_verify",
                &[
                    ("h", arr(&h)),
                    ("b", s(b)),
                    ("budget", s(budget)),
                    ("c", s(cand)),
                ],
                project_in_place_verify(
                    &mut g,
                    BaseUnits::new(b),
                    NormSq::new(budget),
                    Ratio1e9::new(cand),
                )
                .map(|sq| obj(&[("norm_sq", s(sq.get())), ("g", arr(&g))])),
            );
        }
        let mut out = vec![0u64; n];
        f.push(
            "apply_scale",
            &[("h", arr(&h)), ("b", s(b)), ("c", s(cc))],
            apply_scale(&h, b, cc, &mut out).map(|_| arr(&out)),
        );
        let curve = BumpedCurve::plain(&h);
        f.push(
            "scale_passes",
            &[
                ("h", arr(&h)),
                ("b", s(b)),
                ("budget", s(budget)),
                ("c", s(cc)),
            ],
            Ok(if scale_passes(&curve, b, budget, cc) {
                "true"
            } else {
                "false"
            }
            .into()),
        );
    }
    for v in [vec![1u64, 2], vec![1, 2, 3, 4]] {
        f.push(
            "canonical_scale",
            &[("h", arr(&v)), ("b", s(10)), ("budget", s(100))],
            canonical_scale(&v, 10, 100).map(s),
        );
    }
    f
}

/// `solve_range_bet` where its answer is hard to get right: caps up to 2^56 (the program's
/// limit), ranges around the mode and amounts near one step of the collateral sawtooth
/// (`~f / 1e9` per unit of `c`), plus the N = 11 case a bisection got wrong.
fn solve_cases_wide_caps(rng: &mut Rng, f: &mut File) {
    let push =
        |f: &mut File, mk: &[u64], b: u64, budget: u128, i0: usize, i1: usize, amount: u64| {
            let q = RangeBetQuery { b, budget, i0, i1 };
            let ins = [
                ("f", arr(mk)),
                ("b", s(b)),
                ("budget", s(budget)),
                ("i0", s(i0)),
                ("i1", s(i1)),
                ("amount", s(amount)),
            ];
            let sol = solve_range_bet(mk, &q, amount);
            f.push(
                "solve_range_bet",
                &ins,
                sol.map(|r| {
                    obj(&[
                        ("t", s(r.t)),
                        ("c", s(r.c)),
                        ("collateral", s(r.collateral)),
                    ])
                }),
            );
            if let Ok(r) = sol {
                let mut g = vec![0u64; mk.len()];
                let p = RangeBetParams {
                    b,
                    budget,
                    i0,
                    i1,
                    t: r.t,
                    c: r.c,
                };
                if range_bet_apply(mk, &p, &mut g).is_ok() {
                    f.push(
                        "expected_cost",
                        &[("f", arr(mk)), ("g", arr(&g))],
                        expected_cost(mk, &g).map(s),
                    );
                    for (a, z) in [(i0, i1), (0, mk.len() - 1)] {
                        f.push(
                            "range_probability_1e9",
                            &[("f", arr(&g)), ("i0", s(a)), ("i1", s(z))],
                            range_probability_1e9(&g, a, z).map(s),
                        );
                    }
                }
            }
        };
    let sawtooth_grid = Grid {
        lo: 0,
        hi: 10,
        n: 11,
    };
    let mut h = vec![0u64; 11];
    let normal = Shape::Normal(NormalParams {
        mean_1e9: 5 * SCALE_1E9 as i128,
        sigma_1e9: 3 * SCALE_1E9,
    });
    shape_values(&sawtooth_grid, &normal, &[], &mut h).unwrap();
    let (b, budget) = (
        1u64 << 50,
        norm_sq_budget(1_780_204_061_497_044, 1).unwrap(),
    );
    let mut mk = vec![0u64; 11];
    project(&h, b, budget, &mut mk).unwrap();
    push(f, &mk, b, budget, 0, 10, 1_000_000);
    for it in 0..160 {
        let n = [3usize, 5, 11, 21, 41][rng.below(5) as usize];
        let width = 10 * (n as u64 - 1);
        let grid = Grid {
            lo: 0,
            hi: width as i64,
            n: n as u32,
        };
        let bits = 30 + rng.below(27);
        let b = (1u64 << bits) + rng.below(1 << bits);
        let b = b.min(1 << 56);
        let mid = n / 2;
        let shape = Shape::Normal(NormalParams {
            mean_1e9: (if it % 2 == 0 {
                width / 2
            } else {
                rng.below(width + 1)
            } * SCALE_1E9) as i128,
            sigma_1e9: (5 + rng.below(width)) * SCALE_1E9,
        });
        let mut h = vec![0u64; n];
        shape_values(&grid, &shape, &[], &mut h).unwrap();
        let k_sq = mul_u64_wide(b, b) / 8 * width as u128 / (2 + rng.below(12)) as u128 * 8;
        let Ok(budget) = norm_sq_budget_from_k_sq(k_sq, 10) else {
            continue;
        };
        let mut mk = vec![0u64; n];
        if project(&h, b, budget, &mut mk).is_err() {
            continue;
        }
        let (i0, i1) = if it % 3 == 0 {
            (0, n - 1)
        } else if it % 3 == 1 {
            (
                mid - rng.below(mid as u64) as usize,
                mid + rng.below(mid as u64) as usize,
            )
        } else {
            let i0 = rng.below(n as u64) as usize;
            (i0, (i0 + rng.below(n as u64 / 2 + 1) as usize).min(n - 1))
        };
        // One sawtooth step of the collateral is about max f / 1e9 lamports.
        let step = (b >> 30).max(1);
        let steps = 1 + rng.below(200);
        let amount = 1 + rng.below(step * steps);
        push(f, &mk, b, budget, i0, i1, amount);
    }
}

/// The `range_bet_apply_in_place` cases of `trade.json` (the TS mirror's entry point of that
/// name): `range_bet_apply`, then `f := g` and `payoff += g - f` (`Overflow` past i64). The
/// program's kernel is now `trade_in_place`, checked against `trade_general::trade_apply`.
fn range_bet_then_payoff(
    f: &mut [u64],
    payoff: &mut [i64],
    p: &RangeBetParams,
) -> Result<TradeOutcome, MathError> {
    let mut g = vec![0u64; f.len()];
    let out = range_bet_apply(f, p, &mut g)?;
    for i in 0..f.len() {
        payoff[i] = payoff[i]
            .checked_add(g[i] as i64 - f[i] as i64)
            .ok_or(MathError::Overflow)?;
    }
    f.copy_from_slice(&g);
    Ok(out)
}

fn trade_cases(rng: &mut Rng) -> File {
    let mut f = File::new("trade");
    solve_cases_wide_caps(rng, &mut f);
    for it in 0..220 {
        let n = [3usize, 5, 11, 21, 41][rng.below(5) as usize];
        let (mk, b, budget) = market(rng, n);
        let i0 = rng.below(n as u64) as usize;
        let i1 = (i0 + rng.below(n as u64 / 2 + 1) as usize).min(n - 1);
        let amount = if it % 17 == 0 {
            0
        } else {
            1 + rng.below(2_000_000_000)
        };
        let q = RangeBetQuery { b, budget, i0, i1 };
        let ins = [
            ("f", arr(&mk)),
            ("b", s(b)),
            ("budget", s(budget)),
            ("i0", s(i0)),
            ("i1", s(i1)),
            ("amount", s(amount)),
        ];
        let sol = solve_range_bet(&mk, &q, amount);
        f.push(
            "solve_range_bet",
            &ins,
            sol.map(|r| {
                obj(&[
                    ("t", s(r.t)),
                    ("c", s(r.c)),
                    ("collateral", s(r.collateral)),
                ])
            }),
        );
        let t = match sol {
            Ok(r) => r.t,
            Err(_) => 1 + rng.below(1_000_000_000),
        };
        if let Ok((c, coll)) = collateral_for_bump(&mk, &q, t) {
            f.push(
                "collateral_for_bump",
                &[
                    ("f", arr(&mk)),
                    ("b", s(b)),
                    ("budget", s(budget)),
                    ("i0", s(i0)),
                    ("i1", s(i1)),
                    ("t", s(t)),
                ],
                Ok(obj(&[("c", s(c)), ("collateral", s(coll))])),
            );
            for cand in [c, c + 1, c.saturating_sub(1)] {
                let p = RangeBetParams {
                    b,
                    budget,
                    i0,
                    i1,
                    t,
                    c: cand,
                };
                let pay0: Vec<i64> = (0..n).map(|_| rng.below(2001) as i64 - 1000).collect();
                let mut f_ip = mk.clone();
                let mut pay_ip = pay0.clone();
                let r_ip = range_bet_then_payoff(&mut f_ip, &mut pay_ip, &p);
                f.push(
                    "range_bet_apply_in_place",
                    &[
                        ("f", arr(&mk)),
                        ("payoff", arr(&pay0)),
                        ("b", s(b)),
                        ("budget", s(budget)),
                        ("i0", s(i0)),
                        ("i1", s(i1)),
                        ("t", s(t)),
                        ("c", s(cand)),
                    ],
                    r_ip.map(|o| {
                        obj(&[
                            ("collateral", s(o.collateral)),
                            ("norm_sq", s(o.norm_sq)),
                            ("f", arr(&f_ip)),
                            ("payoff", arr(&pay_ip)),
                        ])
                    }),
                );
                let mut g = vec![0u64; n];
                let r = range_bet_apply(&mk, &p, &mut g);
                f.push(
                    "range_bet_apply",
                    &[
                        ("f", arr(&mk)),
                        ("b", s(b)),
                        ("budget", s(budget)),
                        ("i0", s(i0)),
                        ("i1", s(i1)),
                        ("t", s(t)),
                        ("c", s(cand)),
                    ],
                    r.map(|o| {
                        obj(&[
                            ("collateral", s(o.collateral)),
                            ("norm_sq", s(o.norm_sq)),
                            ("g", arr(&g)),
                        ])
                    }),
                );
                if cand == c {
                    if let Ok(_o) = r {
                        f.push(
                            "collateral",
                            &[("f", arr(&mk)), ("g", arr(&g))],
                            collateral(&mk, &g).map(s),
                        );
                        f.push(
                            "expected_cost",
                            &[("f", arr(&mk)), ("g", arr(&g))],
                            expected_cost(&mk, &g).map(s),
                        );
                        let mut pay = vec![0i64; n];
                        payoff_vector(&mk, &g, &mut pay).unwrap();
                        f.push(
                            "payoff_vector",
                            &[("f", arr(&mk)), ("g", arr(&g))],
                            Ok(arr(&pay)),
                        );
                        let lo = -(rng.below(1000) as i64);
                        let grid = Grid {
                            lo,
                            hi: lo + 10 * (n as i64 - 1),
                            n: n as u32,
                        };
                        for _ in 0..3 {
                            let x = lo - 20 + rng.below(10 * n as u64 + 40) as i64;
                            let gi = [("lo", s(grid.lo)), ("hi", s(grid.hi)), ("n", s(n))];
                            let mut ins = gi.to_vec();
                            ins.extend([
                                ("collateral", s(_o.collateral)),
                                ("payoff", arr(&pay)),
                                ("x", s(x)),
                            ]);
                            f.push(
                                "trader_claim",
                                &ins,
                                trader_claim(BaseUnits::new(_o.collateral), &pay, &grid, x)
                                    .map(|q| s(q.get())),
                            );
                            f.push(
                                "trader_claim_rem",
                                &ins,
                                trader_claim_rem(BaseUnits::new(_o.collateral), &pay, &grid, x)
                                    .map(|(q, r)| obj(&[("amount", s(q.get())), ("rem", s(r))])),
                            );
                            let mut ins = gi.to_vec();
                            ins.extend([
                                ("b", s(b)),
                                ("f_final", arr(&g)),
                                ("f_initial", arr(&mk)),
                                ("x", s(x)),
                            ]);
                            let bu = BaseUnits::new(b);
                            let lp = lp_claim(bu, &g, &mk, &grid, x).map(|q| s(q.get()));
                            f.push("lp_claim", &ins, lp);
                            f.push(
                                "lp_claim_rem",
                                &ins,
                                lp_claim_rem(bu, &g, &mk, &grid, x)
                                    .map(|(q, r)| obj(&[("amount", s(q.get())), ("rem", s(r))])),
                            );
                            let mut ins = gi.to_vec();
                            ins.extend([("v", arr(&g)), ("x", s(x))]);
                            f.push("interp_floor", &ins, interp_floor(&g, &grid, x).map(s));
                            f.push(
                                "locate",
                                &[
                                    ("lo", s(grid.lo)),
                                    ("hi", s(grid.hi)),
                                    ("n", s(n)),
                                    ("x", s(x)),
                                ],
                                locate(&grid, x).map(|p| {
                                    obj(&[("j", s(p.j)), ("r", s(p.r)), ("step", s(p.step))])
                                }),
                            );
                        }
                    }
                }
            }
        }
    }
    // Error paths of the kernel.
    let fz = vec![5u64; 5];
    for (i0, i1, t, c) in [
        (0usize, 5usize, 1u64, 1u64),
        (3, 2, 1, 1),
        (0, 1, 0, 1),
        (0, 1, 1, u64::MAX),
        (0, 1, u64::MAX, 1),
    ] {
        let p = RangeBetParams {
            b: 10,
            budget: 100,
            i0,
            i1,
            t,
            c,
        };
        let mut g = vec![0u64; 5];
        f.push(
            "range_bet_apply",
            &[
                ("f", arr(&fz)),
                ("b", s(10)),
                ("budget", s(100)),
                ("i0", s(i0)),
                ("i1", s(i1)),
                ("t", s(t)),
                ("c", s(c)),
            ],
            range_bet_apply(&fz, &p, &mut g).map(|o| {
                obj(&[
                    ("collateral", s(o.collateral)),
                    ("norm_sq", s(o.norm_sq)),
                    ("g", arr(&g)),
                ])
            }),
        );
    }
    f
}

/// A trade direction as vector JSON (`kind` Range / Shape / Unwind; a Shape carries its grid,
/// its parameters and the `phi` = `shape_values` it evaluates to).
struct VecDirection {
    json: String,
    phi: Vec<u64>,
    range: Option<(usize, usize)>,
}

impl VecDirection {
    fn range(i0: usize, i1: usize) -> Self {
        VecDirection {
            json: obj(&[("kind", "\"Range\"".into()), ("i0", s(i0)), ("i1", s(i1))]),
            phi: vec![],
            range: Some((i0, i1)),
        }
    }
    fn unwind() -> Self {
        VecDirection {
            json: obj(&[("kind", "\"Unwind\"".into())]),
            phi: vec![],
            range: None,
        }
    }
    fn shape(grid: &Grid, shape: &Shape, pts: &[ControlPoint]) -> Option<Self> {
        let mut phi = vec![0u64; grid.n as usize];
        shape_values(grid, shape, pts, &mut phi).ok()?;
        let pj: Vec<String> = pts
            .iter()
            .map(|p| obj(&[("x", s(p.x)), ("y", s(p.y))]))
            .collect();
        Some(VecDirection {
            json: obj(&[
                ("kind", "\"Shape\"".into()),
                ("lo", s(grid.lo)),
                ("hi", s(grid.hi)),
                ("n", s(grid.n)),
                ("shape", shape_json(shape)),
                ("points", format!("[{}]", pj.join(","))),
                ("phi", arr(&phi)),
            ]),
            phi,
            range: None,
        })
    }
    fn direction(&self) -> Direction<'_> {
        match self.range {
            Some((i0, i1)) => Direction::Range { i0, i1 },
            None if !self.phi.is_empty() => Direction::Shape { phi: &self.phi },
            None => Direction::Unwind,
        }
    }
}

/// A market and one position on it, moved by successive trades.
struct VecBook {
    f: Vec<u64>,
    payoff: Vec<i64>,
    collateral: u64,
    b: u64,
    budget: u128,
    fee_bps: u16,
}

/// Pushes `trade_apply` for `dir` and `t` at `c` (plus `c + 1` and `c - 1` when `c` is the
/// canonical scale of h); on success with the canonical c the book moves to the result.
fn push_general(
    f: &mut File,
    book: &mut VecBook,
    dir: &VecDirection,
    t: i64,
    c_override: Option<u64>,
) {
    let n = book.f.len();
    let direction = dir.direction();
    let h: Option<Vec<u64>> = (0..n)
        .map(|i| clamp_h(book.f[i], direction_delta(&direction, t, &book.payoff, i)).ok())
        .collect();
    let canonical = h.and_then(|h| canonical_scale(&h, book.b, book.budget).ok());
    let cands: Vec<u64> = match (c_override, canonical) {
        (Some(c), _) => vec![c],
        (None, Some(c)) => vec![c, c + 1, c.saturating_sub(1)],
        (None, None) => vec![1_000_000_000],
    };
    for (k, &c) in cands.iter().enumerate() {
        let p = GeneralTrade {
            f: &book.f,
            payoff: &book.payoff,
            collateral: BaseUnits::new(book.collateral),
            b: BaseUnits::new(book.b),
            budget: NormSq::new(book.budget),
            fee_bps: book.fee_bps,
            direction,
            t,
            c: Ratio1e9::new(c),
        };
        let (mut oh, mut og, mut op) = (vec![0u64; n], vec![0u64; n], vec![0i64; n]);
        let r = trade_apply(&p, &mut oh, &mut og, &mut op);
        f.push(
            "trade_apply",
            &[
                ("f", arr(&book.f)),
                ("payoff", arr(&book.payoff)),
                ("collateral", s(book.collateral)),
                ("b", s(book.b)),
                ("budget", s(book.budget)),
                ("fee_bps", s(book.fee_bps)),
                ("direction", dir.json.clone()),
                ("t", s(t)),
                ("c", s(c)),
            ],
            r.map(|o| {
                obj(&[
                    ("h", arr(&oh)),
                    ("g", arr(&og)),
                    ("payoff", arr(&op)),
                    ("norm_sq", s(o.norm_sq.get())),
                    ("collateral_before", s(o.collateral_before.get())),
                    ("collateral_after", s(o.collateral_after.get())),
                    ("delta", s(o.settlement.delta)),
                    ("fee", s(o.settlement.fee.get())),
                    ("net_in", s(o.settlement.net_in)),
                    ("amount_in", s(o.settlement.amount_in.get())),
                    ("amount_out", s(o.settlement.amount_out.get())),
                ])
            }),
        );
        if k == 0 && c_override.is_none() {
            if let Ok(o) = r {
                book.f = og;
                book.payoff = op;
                book.collateral = o.collateral_after.get();
            }
        }
    }
}

/// A random belief shape on `grid` (every kind, presets and custom points included).
fn random_shape(rng: &mut Rng, grid: &Grid, it: u64) -> (Shape, Vec<ControlPoint>) {
    let width = (grid.hi - grid.lo) as u64;
    let step = grid.step().unwrap();
    let mean = |r: &mut Rng| (grid.lo as i128 + r.below(width + 1) as i128) * 1_000_000_000;
    let zero = MixtureComponent {
        mean_1e9: 0,
        sigma_1e9: 1,
        weight_1e9: 0,
    };
    let mut pts = vec![];
    let shape = match it % 7 {
        0 => Shape::Normal(NormalParams {
            mean_1e9: mean(rng),
            sigma_1e9: (step + rng.below(width)) * 1_000_000_000,
        }),
        1 => {
            let a = grid.lo + rng.below(width) as i64;
            Shape::Uniform {
                a,
                b: a + rng.below(width / 2 + 1) as i64,
            }
        }
        2 => {
            let mut comps = [zero; 4];
            let len = 2 + rng.below(3) as u8;
            for c in comps.iter_mut().take(len as usize) {
                *c = MixtureComponent {
                    mean_1e9: mean(rng),
                    sigma_1e9: (step + rng.below(width / 2 + 1)) * 1_000_000_000,
                    weight_1e9: 1 + rng.below(1_000_000_000),
                };
            }
            Shape::Mixture { comps, len }
        }
        3 => Shape::TrimodalElection,
        4 => Shape::SkewedLaunch,
        5 => Shape::LeptokurticIndicator,
        _ => {
            let mut x = grid.lo - 5 + rng.below(10) as i64;
            for _ in 0..2 + rng.below(5) {
                pts.push(ControlPoint {
                    x,
                    y: rng.below(2_000_000_000),
                });
                x += 1 + rng.below(width / 2 + 1) as i64;
            }
            Shape::Custom
        }
    };
    (shape, pts)
}

/// `tests/vectors/trade_general.json`: `trade_apply` (inputs `f, payoff, collateral, b,
/// budget, fee_bps, direction, t, c`; outputs `h, g, payoff, norm_sq, collateral_before,
/// collateral_after, delta, fee, net_in, amount_in, amount_out`) along random trade
/// sequences (range buys and sells, clamping sells, every shape kind, unwind fractions, fees),
/// with `c + 1` / `c - 1` beside each canonical `c`; `settle` (inputs `collateral_before,
/// collateral_after, fee_bps`); and every named error.
fn trade_general_cases(rng: &mut Rng) -> File {
    let mut f = File::new("trade_general");
    let fees: [u16; 6] = [0, 1, 30, 333, 999, 1_000];
    for it in 0..60u64 {
        let n = [3usize, 5, 11, 21, 41][rng.below(5) as usize];
        let (mk, b, budget) = market(rng, n);
        let grid = Grid {
            lo: 0,
            hi: (n as i64 - 1) * 10,
            n: n as u32,
        };
        let mut book = VecBook {
            f: mk,
            payoff: vec![0; n],
            collateral: 0,
            b,
            budget,
            fee_bps: fees[it as usize % fees.len()],
        };
        for step in 0..8u64 {
            let kind = (it + step) % 6;
            let (dir, t) = match kind {
                0 | 1 => {
                    let i0 = rng.below(n as u64) as usize;
                    let i1 = (i0 + rng.below(n as u64 / 2 + 1) as usize).min(n - 1);
                    let t = 1 + rng.below(2_000_000_000) as i64;
                    (VecDirection::range(i0, i1), if kind == 1 { -t } else { t })
                }
                2 => {
                    // A sell larger than the curve: h clamps at 0 on the range.
                    let i0 = rng.below(n as u64) as usize;
                    (
                        VecDirection::range(i0, i0),
                        -(b as i64) - rng.below(1000) as i64,
                    )
                }
                3 => {
                    let (shape, pts) = random_shape(rng, &grid, it + step);
                    let Some(d) = VecDirection::shape(&grid, &shape, &pts) else {
                        continue;
                    };
                    let t = rng.below(3_000_000_000) as i64 - 1_000_000_000;
                    (d, t)
                }
                4 => {
                    let frac = [1i64, 250_000_000, 500_000_000, 999_999_999, 1_000_000_000]
                        [rng.below(5) as usize];
                    (VecDirection::unwind(), frac)
                }
                _ => {
                    let frac = 1 + rng.below(1_000_000_000) as i64;
                    (VecDirection::unwind(), frac)
                }
            };
            push_general(&mut f, &mut book, &dir, t, None);
        }
    }
    // Named errors.
    let (mk, b, budget) = market(rng, 11);
    let grid = Grid {
        lo: 0,
        hi: 100,
        n: 11,
    };
    let fresh = |fee_bps: u16| VecBook {
        f: mk.clone(),
        payoff: vec![0; 11],
        collateral: 0,
        b,
        budget,
        fee_bps,
    };
    push_general(&mut f, &mut fresh(0), &VecDirection::range(0, 2), 0, None);
    push_general(&mut f, &mut fresh(0), &VecDirection::range(3, 2), 5, None);
    push_general(&mut f, &mut fresh(0), &VecDirection::range(0, 11), 5, None);
    push_general(
        &mut f,
        &mut fresh(1_001),
        &VecDirection::range(0, 2),
        5,
        None,
    );
    push_general(
        &mut f,
        &mut fresh(0),
        &VecDirection::unwind(),
        1_000_000_000,
        None,
    );
    for frac in [0i64, -5, 1_000_000_001] {
        let mut book = fresh(0);
        book.payoff[3] = -7;
        push_general(&mut f, &mut book, &VecDirection::unwind(), frac, None);
    }
    push_general(
        &mut f,
        &mut fresh(0),
        &VecDirection::range(0, 2),
        5,
        Some(u64::MAX),
    );
    // f_i above KERNEL_F_MAX, and h above u64::MAX (a tall custom shape, the largest t).
    let mut book = fresh(0);
    book.f[4] = KERNEL_F_MAX + 1;
    push_general(
        &mut f,
        &mut book,
        &VecDirection::range(0, 2),
        5,
        Some(1_000_000_000),
    );
    let tall = [
        ControlPoint {
            x: 0,
            y: 4_000_000_000,
        },
        ControlPoint {
            x: 100,
            y: 4_000_000_000,
        },
    ];
    let d = VecDirection::shape(&grid, &Shape::Custom, &tall).unwrap();
    push_general(&mut f, &mut fresh(0), &d, i64::MAX, Some(1_000_000_000));
    // A shape that is zero on the grid changes nothing: ZeroBet (or NotCanonical off c).
    let off = VecDirection::shape(&grid, &Shape::Uniform { a: 500, b: 600 }, &[]).unwrap();
    push_general(&mut f, &mut fresh(0), &off, 1_000_000_000, None);
    // P'_i past i64: a payoff at i64::MIN and a sell.
    let mut book = fresh(0);
    book.payoff = vec![i64::MIN; 11];
    book.collateral = u64::MAX;
    push_general(
        &mut f,
        &mut book,
        &VecDirection::range(0, 10),
        -1_000_000_000,
        None,
    );
    // settle on its own: rounding, the bound, the extremes.
    for (before, after, bps) in [
        (0u64, 10_001u64, 30u16),
        (10_001, 0, 30),
        (7, 7, 1_000),
        (0, 1, 1),
        (1, 0, 1),
        (0, 1, 1_001),
        (u64::MAX, 0, 1_000),
        (0, u64::MAX, 1_000),
    ] {
        f.push(
            "settle",
            &[
                ("collateral_before", s(before)),
                ("collateral_after", s(after)),
                ("fee_bps", s(bps)),
            ],
            settle(BaseUnits::new(before), BaseUnits::new(after), bps).map(settle_json),
        );
    }
    for _ in 0..200 {
        let (before, after) = (rng.any(), rng.any());
        let bps = rng.below(1_100) as u16;
        f.push(
            "settle",
            &[
                ("collateral_before", s(before)),
                ("collateral_after", s(after)),
                ("fee_bps", s(bps)),
            ],
            settle(BaseUnits::new(before), BaseUnits::new(after), bps).map(settle_json),
        );
    }
    f
}

fn settle_json(st: Settlement) -> String {
    obj(&[
        ("delta", s(st.delta)),
        ("fee", s(st.fee.get())),
        ("net_in", s(st.net_in)),
        ("amount_in", s(st.amount_in.get())),
        ("amount_out", s(st.amount_out.get())),
    ])
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng(0xC0_17_1A_00);
    let mut total = 0;
    for file in [
        wide_cases(&mut rng),
        simpson_cases(&mut rng),
        exp_cases(&mut rng),
        shapes_cases(&mut rng),
        project_cases(&mut rng),
        trade_cases(&mut rng),
        trade_general_cases(&mut rng),
    ] {
        let n = file.write(dir);
        println!("{}.json: {n} cases", file.module);
        total += n;
    }
    println!("total: {total} cases");
}
