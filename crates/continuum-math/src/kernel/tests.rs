//! Host tests of the kernels: exact products, and every pass bit-identical to the readable
//! reference ([`crate::project`], [`crate::trade_general`]) on randomized inputs.

extern crate std;
use super::fast_pass::{small_cap, C1_LIMIT, C1_X_LIMIT, SMALL_B_MAX, SMALL_CAP_B_FREE};
use super::split::{sq_fast, Split};
use super::*;
use crate::constants::SPLIT_FAST_X_LIMIT;
use crate::project::{apply_scale, canonical_scale, norm_sq_budget, verify_canonical};
use crate::shapes::{shape_values, ControlPoint, MixtureComponent, NormalParams, Shape};
use crate::simpson::Grid;
use crate::testing::SplitMix64 as Rng;
use crate::trade_general::{clamp_h, direction_delta, trade_apply, GeneralTrade};
use crate::units::{BaseUnits, NormSq, Ratio1e9};
use crate::wide::scale_floor_1e9_wide;
use std::vec;
use std::vec::Vec;

#[test]
fn split_pair_is_exact() {
    let mut rng = Rng(3);
    for _ in 0..200_000 {
        let c = match rng.below(4) {
            0 => rng.next(),
            1 => rng.below(4 * SCALE_1E9),
            2 => rng.below(1 << 40),
            _ => rng.next() >> rng.below(64),
        };
        let x = rng.next() >> rng.below(64);
        let sp = Split::new(c);
        let (v, v1) = sp.pair(x);
        assert_eq!(v, scale_floor_1e9_wide(c, x), "c={c} x={x}");
        if c < u64::MAX {
            assert_eq!(v1, scale_floor_1e9_wide(c + 1, x), "c+1={c} x={x}");
        }
    }
    for g in [
        0u64,
        1,
        0xFFFF_FFFF,
        1 << 32,
        (1 << 56) + 12345,
        (1 << 63) - 1,
    ] {
        assert_eq!(sq_fast(g), (g as u128) * (g as u128));
    }
}

/// `small_cap(b, c)`: the least `x_cap <= 2^40` with `(c + 1) x < b 1e9` for all
/// `x < x_cap` (`c < 2^30`; the small step's long form takes `2^34 <= x < 2^40`).
#[test]
fn small_cap_is_the_exact_limit() {
    let mut rng = Rng(41);
    for k in 0..200_000 {
        let c = match k % 3 {
            0 => rng.below(C1_LIMIT),
            1 => C1_LIMIT - 1 - rng.below(1000),
            _ => rng.below(2 * SCALE_1E9).min(C1_LIMIT - 1),
        };
        let b = match k % 4 {
            0 => rng.below(1 << 40),
            1 => SMALL_CAP_B_FREE - 1000 + rng.below(2000),
            2 if k % 8 == 2 => SMALL_CAP_B_FREE + rng.below(3) - 1,
            2 => rng.below(1000),
            _ if k % 8 == 3 => SMALL_B_MAX - rng.below(1000),
            _ => rng.below(1 << 35),
        };
        let cap = small_cap(b, c);
        assert!(cap <= C1_X_LIMIT);
        let lim = (b as u128) * (SCALE_1E9 as u128);
        let c1 = (c + 1) as u128;
        if cap > 0 {
            assert!(c1 * ((cap - 1) as u128) < lim, "b={b} c={c}");
        }
        if cap < C1_X_LIMIT {
            assert!(c1 * (cap as u128) >= lim, "b={b} c={c}");
        }
    }
}

#[test]
fn projection_in_place_matches_verify_and_apply() {
    let mut rng = Rng(11);
    for trial in 0..400 {
        let n = 3 + 2 * rng.below(60) as usize;
        let h: Vec<u64> = (0..n)
            .map(|_| {
                if rng.below(5) == 0 {
                    0
                } else {
                    rng.below(4_000_000_000)
                }
            })
            .collect();
        let b = 1 + rng.below(if trial % 2 == 0 { 1 << 34 } else { 1 << 56 });
        let k = 1 + rng.below(b);
        let budget = norm_sq_budget(k, 1 + rng.below(50)).unwrap();
        let b = BaseUnits::new(b);
        match canonical_scale(&h, b, budget) {
            Ok(c) => {
                verify_canonical(&h, b, budget, c).unwrap();
                let mut want = vec![0u64; n];
                apply_scale(&h, b, c, &mut want).unwrap();
                let mut got = h.clone();
                assert_eq!(
                    project_in_place_verify(&mut got, b, budget, c),
                    Ok(sum_sq(&want))
                );
                assert_eq!(got, want);
                let c = c.get();
                for bad in [c.wrapping_sub(1), c + 1, c.saturating_add(1 << 20)] {
                    if bad != c {
                        let mut g2 = h.clone();
                        let bad = Ratio1e9::new(bad);
                        assert!(project_in_place_verify(&mut g2, b, budget, bad).is_err());
                    }
                }
            }
            Err(MathError::NormConstraintViolated) => {
                let mut g2 = h.clone();
                let last = Ratio1e9::new(u64::MAX - 1);
                assert_eq!(
                    project_in_place_verify(&mut g2, b, budget, last),
                    Err(MathError::NormConstraintViolated)
                );
            }
            Err(e) => panic!("{e:?}"),
        }
    }
}

/// Small curve values and large scales: the small fast loop with `c >= 2^30` (two
/// products) and with `c < 2^30` (one product; the other tests cover it more).
#[test]
fn projection_in_place_small_loop_both_scale_forms() {
    let mut rng = Rng(29);
    let (mut wide_c, mut narrow_c) = (0, 0);
    for _ in 0..400 {
        let n = 17 + 2 * rng.below(60) as usize;
        let bits = 4 + rng.below(30);
        let top = 1 + rng.below(1 << bits);
        let h: Vec<u64> = (0..n)
            .map(|_| if rng.below(6) == 0 { 0 } else { rng.below(top) })
            .collect();
        let b = 1 + rng.below(SMALL_B_MAX);
        let k = 1 + rng.below(b);
        let budget = norm_sq_budget(k, 1 + rng.below(50)).unwrap();
        let b = BaseUnits::new(b);
        let Ok(c) = canonical_scale(&h, b, budget) else {
            continue;
        };
        let c = c.get();
        if c / SCALE_1E9 >= SPLIT_FAST_CI_LIMIT {
            continue;
        }
        if c < C1_LIMIT {
            narrow_c += 1;
        } else {
            wide_c += 1;
        }
        let mut want = vec![0u64; n];
        apply_scale(&h, b, Ratio1e9::new(c), &mut want).unwrap();
        let mut got = h.clone();
        let norm = project_in_place_verify(&mut got, b, budget, Ratio1e9::new(c));
        assert_eq!(norm, Ok(sum_sq(&want)));
        assert_eq!(got, want);
        for bad in [c - 1, c + 1] {
            let mut g2 = h.clone();
            let bad = Ratio1e9::new(bad);
            assert!(project_in_place_verify(&mut g2, b, budget, bad).is_err());
        }
    }
    assert!(wide_c > 50 && narrow_c > 0, "{wide_c} {narrow_c}");
}

/// Runs one trade through the reference and the kernel and checks they agree bit for bit
/// (result or error, curve, payoff), at the canonical `c` of `h` when there is one and at
/// `c - 1`, `c + 1`. Returns the kernel's state after the canonical trade, if it succeeded.
fn check_trade(
    f: &[u64],
    payoff: &[i64],
    b: u64,
    budget: u128,
    direction: Direction,
    t: i64,
) -> Option<(Vec<u64>, Vec<i64>, u64)> {
    let n = f.len();
    let h: Option<Vec<u64>> = (0..n)
        .map(|i| clamp_h(f[i], direction_delta(&direction, t, payoff, i)).ok())
        .collect();
    let (b, budget) = (BaseUnits::new(b), NormSq::new(budget));
    let canonical = h.and_then(|h| canonical_scale(&h, b, budget).ok().map(Ratio1e9::get));
    let cands: Vec<u64> = match canonical {
        Some(c) => vec![c, c.wrapping_sub(1), c + 1],
        None => vec![SCALE_1E9, u64::MAX],
    };
    let mut first = None;
    for (k, &c) in cands.iter().enumerate() {
        let r = GeneralTrade {
            f,
            payoff,
            collateral: BaseUnits::ZERO,
            b,
            budget,
            fee_bps: 0,
            direction,
            t,
            c: Ratio1e9::new(c),
        };
        let (mut rh, mut rg, mut rp) = (vec![0u64; n], vec![0u64; n], vec![0i64; n]);
        let want = trade_apply(&r, &mut rh, &mut rg, &mut rp);
        // The kernel twice: told nothing of the payoff, and told its true bound (below 2^62
        // the fast loop drops its overflow test): the same result either way.
        let true_bound = payoff.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
        let run = |payoff_bound: u64| {
            let (mut kf, mut kp) = (f.to_vec(), payoff.to_vec());
            let kt = KernelTrade {
                b,
                budget,
                c: Ratio1e9::new(c),
                t,
                direction,
                payoff_bound: BaseUnits::new(payoff_bound),
            };
            let got = trade_in_place(&mut kf, &mut kp, &kt);
            (got, kf, kp)
        };
        let (got, kf, kp) = run(true_bound);
        let unknown = run(u64::MAX);
        match (&got, &unknown.0) {
            (Ok(_), Ok(_)) => assert_eq!((&got, &kf, &kp), (&unknown.0, &unknown.1, &unknown.2)),
            _ => assert_eq!(got, unknown.0, "{direction:?} t={t} c={c}"),
        }
        match (want, got) {
            (Ok(w), Ok(g)) => {
                assert_eq!(g.norm_sq, w.norm_sq, "{direction:?} t={t} c={c}");
                assert_eq!(g.collateral_after, w.collateral_after);
                assert_eq!(kf, rg);
                assert_eq!(kp, rp);
                if k == 0 {
                    first = Some((kf, kp, g.collateral_after.get()));
                }
            }
            (Err(w), Err(g)) => assert_eq!(g, w, "{direction:?} t={t} c={c}"),
            (w, g) => panic!("reference {w:?} kernel {g:?} ({direction:?} t={t} c={c})"),
        }
    }
    first
}

/// A random market curve: `h` projected under a random norm target.
fn random_market(rng: &mut Rng, n: usize, b: u64, h_max: u64) -> Option<(Vec<u64>, u128)> {
    let h: Vec<u64> = (0..n)
        .map(|_| {
            if rng.below(5) == 0 {
                0
            } else {
                rng.below(h_max)
            }
        })
        .collect();
    let k = 1 + rng.below(b);
    let budget = norm_sq_budget(k, 1 + rng.below(20)).ok()?;
    let mut f = vec![0u64; n];
    crate::project::project(&h, BaseUnits::new(b), budget, &mut f).ok()?;
    Some((f, budget.get()))
}

/// A random `phi`: a real shape on the grid, or random values (some beyond 2^32, so the wide
/// product runs).
fn random_phi(rng: &mut Rng, n: usize) -> Vec<u64> {
    let grid = Grid {
        lo: 0,
        hi: 10 * (n as i64 - 1),
        n: n as u32,
    };
    let width = 10 * (n as u64 - 1);
    let mut phi = vec![0u64; n];
    let zero = MixtureComponent {
        mean_1e9: 0,
        sigma_1e9: 1,
        weight_1e9: 0,
    };
    let shape = match rng.below(5) {
        0 => Shape::Normal(NormalParams {
            mean_1e9: rng.below(width + 1) as i128 * SCALE_1E9 as i128,
            sigma_1e9: (10 + rng.below(width)) * SCALE_1E9,
        }),
        1 => Shape::Uniform {
            a: rng.below(width / 2) as i64,
            b: (width / 2 + rng.below(width / 2)) as i64,
        },
        2 => {
            let mut comps = [zero; 4];
            for c in comps.iter_mut().take(2) {
                *c = MixtureComponent {
                    mean_1e9: rng.below(width + 1) as i128 * SCALE_1E9 as i128,
                    sigma_1e9: (10 + rng.below(width)) * SCALE_1E9,
                    weight_1e9: 1 + rng.below(SCALE_1E9),
                };
            }
            Shape::Mixture { comps, len: 2 }
        }
        3 => Shape::TrimodalElection,
        _ => {
            for v in phi.iter_mut() {
                *v = rng.next() >> rng.below(64);
            }
            return phi;
        }
    };
    let pts: [ControlPoint; 0] = [];
    shape_values(&grid, &shape, &pts, &mut phi).unwrap();
    phi
}

/// A random direction and size for the position `payoff` on `f`.
fn random_trade(rng: &mut Rng, f: &[u64], b: u64, phi: &mut Vec<u64>) -> (u8, usize, usize, i64) {
    let n = f.len();
    let i0 = rng.below(n as u64) as usize;
    let i1 = (i0 + rng.below(n as u64) as usize).min(n - 1);
    let size = match rng.below(4) {
        0 => 1 + rng.below(1000),
        1 => 1 + rng.below(b / 4 + 1),
        2 => 1 + rng.below(b.saturating_mul(3) + 1),
        _ => 1 + (rng.next() >> (1 + rng.below(63))),
    } as i64;
    match rng.below(6) {
        0 | 1 => (0, i0, i1, size),
        2 => (0, i0, i1, -size),
        3 | 4 => {
            *phi = random_phi(rng, n);
            let t = if rng.below(2) == 0 { size } else { -size };
            (1, 0, 0, t)
        }
        _ => {
            let frac = match rng.below(3) {
                0 => SCALE_1E9,
                _ => 1 + rng.below(SCALE_1E9),
            };
            (2, 0, 0, frac as i64)
        }
    }
}

fn direction_of(kind: u8, i0: usize, i1: usize, phi: &[u64]) -> Direction<'_> {
    match kind {
        0 => Direction::Range { i0, i1 },
        1 => Direction::Shape { phi },
        _ => Direction::Unwind,
    }
}

/// Random trade sequences (every direction, positions that accumulate), small and large
/// values: the kernel equals the reference after every trade.
#[test]
fn trade_in_place_matches_the_reference() {
    let mut rng = Rng(5);
    let (mut ok, mut kinds) = (0, [0usize; 4]);
    let mut markets = 0;
    while markets < 160 {
        let n = 3 + 2 * rng.below(if markets % 4 == 0 { 300 } else { 40 }) as usize;
        let b = match markets % 3 {
            0 => 1 + rng.below(1 << 34),
            1 => 1 + rng.below(1 << 40),
            _ => KERNEL_B_MAX - rng.below(1 << 40),
        };
        let h_max = [4_000_000_000u64, 1 << 40, b][rng.below(3) as usize].max(2);
        let Some((mut f, budget)) = random_market(&mut rng, n, b, h_max) else {
            continue;
        };
        markets += 1;
        let mut payoff: Vec<i64> = if rng.below(2) == 0 {
            vec![0; n]
        } else {
            (0..n).map(|_| rng.below(2001) as i64 - 1000).collect()
        };
        let mut phi = vec![];
        for _ in 0..12 {
            let (kind, i0, i1, t) = random_trade(&mut rng, &f, b, &mut phi);
            let dir = direction_of(kind, i0, i1, &phi);
            if let Some((nf, np, _)) = check_trade(&f, &payoff, b, budget, dir, t) {
                ok += 1;
                kinds[if kind == 0 && t < 0 { 3 } else { kind as usize }] += 1;
                f = nf;
                payoff = np;
            }
        }
    }
    // Every kind succeeded many times (range buy, shape, unwind, range sell).
    assert!(ok > 600 && kinds.iter().all(|&k| k > 60), "{ok} {kinds:?}");
}

/// The fast pass's zero skip: points outside the range with `f_i = 0` still count their
/// (unchanged) payoff toward the worst case.
#[test]
fn skipped_zero_points_count_their_payoff() {
    let n = 41;
    let mut f = vec![0u64; n];
    for (i, v) in f.iter_mut().enumerate().take(30).skip(10) {
        *v = 1_000_000 + 1000 * i as u64;
    }
    let b = 1 << 30;
    let budget = crate::simpson::weighted_sum_sq(&f).unwrap();
    let mut payoff = vec![0i64; n];
    payoff[3] = -777_777; // a zero point, outside the bet
    let got = check_trade(
        &f,
        &payoff,
        b,
        budget,
        Direction::Range { i0: 15, i1: 18 },
        5_000,
    );
    let (_, p, r) = got.expect("trade");
    assert_eq!(p[3], -777_777);
    assert!(r >= 777_777);
}

#[test]
fn trade_in_place_argument_errors() {
    let p = KernelTrade {
        b: BaseUnits::new(10),
        budget: NormSq::new(100),
        c: Ratio1e9::new(1),
        t: 1,
        direction: Direction::Range { i0: 0, i1: 1 },
        payoff_bound: BaseUnits::MAX,
    };
    // Fresh curves per call: a failed pass may have rewritten them.
    let go = |p: KernelTrade, len: usize| trade_in_place(&mut [1, 2, 3], &mut [0; 3][..len], &p);
    assert_eq!(go(KernelTrade { t: 0, ..p }, 3), Err(MathError::ZeroBet));
    for (i0, i1) in [(2, 1), (0, 3)] {
        let d = Direction::Range { i0, i1 };
        assert_eq!(
            go(KernelTrade { direction: d, ..p }, 3),
            Err(MathError::InvalidRange)
        );
    }
    assert_eq!(go(p, 2), Err(MathError::LengthMismatch));
    assert_eq!(
        go(
            KernelTrade {
                b: BaseUnits::new(KERNEL_B_MAX + 1),
                ..p
            },
            3
        ),
        Err(MathError::Overflow)
    );
    for t in [0, -1, 1_000_000_001] {
        let u = KernelTrade {
            t,
            direction: Direction::Unwind,
            ..p
        };
        assert_eq!(go(u, 3), Err(MathError::InvalidUnwindFraction));
    }
    for c in [Ratio1e9::new(1), Ratio1e9::MAX] {
        let u = KernelTrade {
            t: 5,
            c,
            direction: Direction::Unwind,
            ..p
        };
        assert_eq!(go(u, 3), Err(MathError::NothingToUnwind));
    }
    let phi = [1u64, 2];
    let s = KernelTrade {
        direction: Direction::Shape { phi: &phi },
        ..p
    };
    assert_eq!(go(s, 3), Err(MathError::LengthMismatch));
    assert_eq!(
        go(
            KernelTrade {
                c: Ratio1e9::MAX,
                ..p
            },
            3
        ),
        Err(MathError::NotCanonical)
    );
}

/// Range sells, buys and unwinds at the fast pass's edges: `c` just below and above
/// `C1_LIMIT` and the split's `ci` limit, caps from tiny to `KERNEL_B_MAX`, curve values and
/// payoffs around the small step's `2^34` bounds (and past them) and around its `x_cap`,
/// payoffs of both signs (up to the ends of i64). The
/// budget is `S(c)` of the trade's own `h`, so `c` is (almost always) the canonical scale and
/// the success path is compared value by value.
#[test]
fn trade_in_place_at_the_scale_limits() {
    let mut rng = Rng(77);
    let cs = [
        C1_LIMIT - 1,
        C1_LIMIT,
        C1_LIMIT - 2,
        SCALE_1E9,
        SCALE_1E9 - 1,
        SPLIT_FAST_CI_LIMIT * SCALE_1E9 - 1,
        SPLIT_FAST_CI_LIMIT * SCALE_1E9,
        1,
        SCALE_1E9 / 3,
        1 << 34,
        SCALE_1E9 + SCALE_1E9 / 5,
    ];
    let (mut ok, mut kinds) = (0, [0usize; 3]);
    for trial in 0..6_000 {
        let n = 3 + 2 * rng.below(if trial % 8 == 0 { 140 } else { 25 }) as usize;
        let b = match trial % 5 {
            0 => 1 + rng.below(1 << 20),
            1 => SMALL_CAP_B_FREE - 5 + rng.below(10),
            2 => SMALL_B_MAX - rng.below(3),
            3 => KERNEL_B_MAX - rng.below(3),
            // Values between the small step's two product forms (2^34 <= x < 2^40).
            _ if trial % 10 == 9 => (1 << 34) + rng.below(SMALL_B_MAX - (1 << 34)),
            _ => 1 + rng.below(1 << 36),
        };
        let around = |rng: &mut Rng, at: u64| at.saturating_sub(3) + rng.below(7);
        let c = cs[rng.below(cs.len() as u64) as usize];
        // The small loop's bound on `x` (outside the range and in an unwind with `P_i = 0`,
        // `x = f_i`).
        let cap = if c < C1_LIMIT {
            small_cap(b, c)
        } else {
            SPLIT_FAST_X_LIMIT
        };
        let f: Vec<u64> = (0..n)
            .map(|_| match rng.below(7) {
                0 => 0,
                6 => around(&mut rng, cap),
                1 => around(&mut rng, SPLIT_FAST_X_LIMIT),
                2 => rng.below(SPLIT_FAST_X_LIMIT),
                3 if trial % 2 == 0 => around(&mut rng, C1_X_LIMIT),
                3 => rng.below(b.min(KERNEL_F_MAX) + 1),
                4 => rng.next() >> rng.below(64),
                _ => rng.below(1 << 20),
            })
            .collect();
        // Every fourth market: payoffs at the ends of i64 (P' may overflow).
        let huge = trial % 4 == 3;
        let payoff: Vec<i64> = (0..n)
            .map(|_| {
                let m = match rng.below(if huge { 6 } else { 5 }) {
                    5 => i64::MAX as u64 - rng.below(1 << 42),
                    0 => 0,
                    1 => around(&mut rng, SPLIT_FAST_X_LIMIT),
                    2 => rng.below(SPLIT_FAST_X_LIMIT),
                    3 => rng.next() >> (1 + rng.below(63)),
                    _ => rng.below(1 << 24),
                } as i64;
                if rng.below(2) == 0 {
                    m
                } else {
                    -m
                }
            })
            .collect();
        let i0 = rng.below(n as u64) as usize;
        let i1 = (i0 + rng.below(n as u64) as usize).min(n - 1);
        let size = (1 + match rng.below(3) {
            0 => rng.below(1000),
            1 => rng.below(b),
            _ => rng.next() >> (1 + rng.below(63)),
        }) as i64;
        let kind = rng.below(3) as usize;
        let (direction, t) = match kind {
            0 => (Direction::Range { i0, i1 }, -size),
            1 => (Direction::Range { i0, i1 }, size),
            _ => (Direction::Unwind, 1 + rng.below(SCALE_1E9) as i64),
        };
        let h: Option<Vec<u64>> = (0..n)
            .map(|i| clamp_h(f[i], direction_delta(&direction, t, &payoff, i)).ok())
            .collect();
        let Some(h) = h else {
            // Overflow: the kernel must say so too.
            check_trade(&f, &payoff, b, 1, direction, t);
            continue;
        };
        let g: Vec<u64> = h
            .iter()
            .map(|&x| scale_floor_1e9_wide(c, x).min(b))
            .collect();
        let budget = crate::simpson::weighted_sum_sq(&g).unwrap();
        if check_trade(&f, &payoff, b, budget, direction, t).is_some() {
            ok += 1;
            kinds[kind] += 1;
        }
    }
    assert!(
        ok > 1_500 && kinds.iter().all(|&k| k > 300),
        "{ok} {kinds:?}"
    );
}

/// `S = sum w_i g_i^2` of a projected curve, as a norm.
fn sum_sq(g: &[u64]) -> NormSq {
    NormSq::new(crate::simpson::weighted_sum_sq(g).unwrap())
}

/// Full chunks: the lazy sums hold at most 64 (odd, even) pairs between folds, which a range's
/// segments share; here every value is near the cap of the small loop (`2^40`) or of the kernel
/// (`2^56`), on grids longer than two chunks, with ranges whose ends fall anywhere in a chunk.
#[test]
fn full_chunks_at_the_largest_values() {
    let mut rng = Rng(41);
    let mut ok = 0;
    for &(n, b) in &[
        (1023usize, SMALL_B_MAX),
        (1023, KERNEL_B_MAX),
        (259, SMALL_B_MAX),
        (257, KERNEL_B_MAX),
    ] {
        let f: Vec<u64> = (0..n).map(|_| b - 1 - rng.below(1 << 12)).collect();
        // A budget a little below the curve's own norm: canonical scales just under 1.
        let budget = sum_sq(&f).get() - (sum_sq(&f).get() >> 24);
        let payoff = vec![0i64; n];
        for i0 in [0usize, 1, 2, 63, 64, 65, 127, 128, 129, 130, 255, 256] {
            for len in [0usize, 1, 2, 126, 127, 128, 129, 300] {
                let i1 = (i0 + len).min(n - 1);
                let t = 1 + rng.below(1 << 24) as i64;
                let dir = Direction::Range { i0, i1 };
                for t in [t, -t] {
                    if check_trade(&f, &payoff, b, budget, dir, t).is_some() {
                        ok += 1;
                    }
                }
            }
        }
    }
    assert!(ok > 500, "{ok}");
}

/// Range sells of every size clamp `h = max(0, f - |t|)` exactly, up to `|t| = 2^63`
/// (`t = i64::MIN`), where the fast loop's sign-mask form is at its limit.
#[test]
fn range_sells_clamp_at_zero_for_any_size() {
    let mut rng = Rng(43);
    let mut ok = 0;
    for trial in 0..40 {
        let n = 41;
        let b = if trial % 2 == 0 { 1 << 34 } else { SMALL_B_MAX };
        let Some((f, budget)) = random_market(&mut rng, n, b, b) else {
            continue;
        };
        let top = *f.iter().max().unwrap() as i64;
        for t in [-1, -top / 2, -top, -top - 1, i64::MIN + 1, i64::MIN] {
            let i0 = rng.below(20) as usize;
            let dir = Direction::Range { i0, i1: i0 + 20 };
            if check_trade(&f, &vec![0; n], b, budget, dir, t).is_some() {
                ok += 1;
            }
        }
    }
    assert!(ok > 60, "{ok}");
}
