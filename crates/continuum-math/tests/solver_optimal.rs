//! `solve_range_bet` returns the largest bump whose collateral fits the amount: the sawtooth
//! case that a bisection got wrong, and an exhaustive search over every bump on small markets.

use continuum_math::testing::SplitMix64 as Rng;
use continuum_math::*;

fn projected(grid: &Grid, shape: &Shape, b: u64, budget: NormSq) -> Option<Vec<u64>> {
    let n = grid.n as usize;
    let mut h = vec![0u64; n];
    shape_values(grid, shape, &[], &mut h).ok()?;
    let mut f = vec![0u64; n];
    project(&h, BaseUnits::new(b), budget, &mut f).ok()?;
    Some(f)
}

#[test]
fn sawtooth_case_takes_the_largest_feasible_bump() {
    let grid = Grid {
        lo: 0,
        hi: 10,
        n: 11,
    };
    let b = 1u64 << 50;
    let budget = norm_sq_budget(1_780_204_061_497_044, 1).unwrap();
    let shape = Shape::Normal(NormalParams {
        mean_1e9: 5 * SCALE_1E9 as i128,
        sigma_1e9: 3 * SCALE_1E9,
    });
    let f = projected(&grid, &shape, b, budget).unwrap();
    let q = RangeBetQuery {
        b,
        budget: budget.get(),
        i0: 0,
        i1: 10,
    };
    let amount = 1_000_000;
    assert_eq!(collateral_for_bump(&f, &q, 2_977_878).unwrap().1, 918_394);
    let sol = solve_range_bet(&f, &q, amount).unwrap();
    assert!(sol.t >= 2_977_878, "t = {}", sol.t);
    assert_eq!(
        collateral_for_bump(&f, &q, sol.t).unwrap(),
        (sol.c, sol.collateral)
    );
    assert!(sol.collateral <= amount);
}

/// Out-of-range collateral at bump `t` (non-decreasing in `t`: `c(t)` falls).
fn collateral_out(f: &[u64], q: &RangeBetQuery, t: u64) -> Option<u64> {
    let (c, _) = collateral_for_bump(f, q, t).ok()?;
    let mut m = 0;
    for (i, &fi) in f.iter().enumerate() {
        if i >= q.i0 && i <= q.i1 {
            continue;
        }
        let g = scale_floor_1e9(c, fi).min(q.b);
        m = m.max(fi.saturating_sub(g));
    }
    Some(m)
}

#[test]
fn equals_an_exhaustive_search_on_small_markets() {
    // Exhaustive is possible when the out-of-range collateral exceeds the amount from some
    // small T on: every t >= T is then infeasible, and [1, T) is scanned bump by bump.
    let mut rng = Rng(99);
    let (mut proven, mut sawtooth, mut zero) = (0, 0, 0);
    let mut it = 0;
    while proven < 200 && it < 20_000 {
        it += 1;
        let n = [3u32, 5, 7, 11, 21][rng.below(5) as usize];
        let step = 1 + rng.below(10);
        let grid = Grid {
            lo: 0,
            hi: (step * (n as u64 - 1)) as i64,
            n,
        };
        let width = step * (n as u64 - 1);
        let bits = if it % 2 == 0 {
            36 + rng.below(8)
        } else {
            10 + rng.below(40)
        };
        let b = 1 + rng.below(1 << bits);
        let shape = Shape::Normal(NormalParams {
            mean_1e9: (if it % 2 == 0 {
                width / 2
            } else {
                rng.below(width + 1)
            } * SCALE_1E9) as i128,
            sigma_1e9: SCALE_1E9 / 2 + rng.below(width * SCALE_1E9),
        });
        let k_sq = (b as u128) * (b as u128) * width as u128 / (2 + rng.below(12)) as u128;
        let Ok(budget) = norm_sq_budget_from_k_sq(k_sq, step) else {
            continue;
        };
        let Some(f) = projected(&grid, &shape, b, budget) else {
            continue;
        };
        // Half the draws put the range around the mode with a large cap: the in-range
        // collateral then dominates and the sawtooth shows (a c step costs ~f / 1e9).
        let (i0, i1) = if it % 2 == 0 {
            let mid = n as usize / 2;
            (
                mid - rng.below(mid as u64) as usize,
                mid + rng.below(mid as u64) as usize,
            )
        } else {
            let i0 = rng.below(n as u64) as usize;
            (
                i0,
                (i0 + rng.below(n as u64 - 1) as usize).min(n as usize - 1),
            )
        };
        if i0 == 0 && i1 == n as usize - 1 {
            continue;
        }
        let q = RangeBetQuery {
            b,
            budget: budget.get(),
            i0,
            i1,
        };
        let a_max = 1 + rng.below(if it % 2 == 0 { 50_000 } else { 5000 });
        let amount = 1 + rng.below(a_max);
        let mut t_end = 1u64;
        while t_end <= 1 << 15 && collateral_out(&f, &q, t_end).is_some_and(|m| m <= amount) {
            t_end *= 2;
        }
        if t_end > 1 << 15 || collateral_out(&f, &q, t_end).is_none() {
            continue;
        }
        let mut best: Option<(u64, u64, u64)> = None;
        for t in 1..t_end {
            if let Ok((c, coll)) = collateral_for_bump(&f, &q, t) {
                if coll <= amount {
                    if let Some((bt, _, _)) = best {
                        if bt + 1 != t {
                            sawtooth += 1;
                        }
                    }
                    best = Some((t, c, coll));
                }
            }
        }
        let got = solve_range_bet(&f, &q, amount);
        match best {
            Some((t, c, coll)) if coll > 0 => {
                assert_eq!(
                    got,
                    Ok(RangeBetSolution {
                        t,
                        c,
                        collateral: coll
                    }),
                    "f={f:?} b={b} budget={} i0={i0} i1={i1} amount={amount}",
                    q.budget
                );
                proven += 1;
            }
            _ => {
                assert_eq!(got, Err(MathError::ZeroBet), "f={f:?} i0={i0} i1={i1}");
                zero += 1;
            }
        }
    }
    assert!(proven >= 200, "only {proven} cases proven in {it} draws");
    assert!(sawtooth > 0, "no sawtooth case drawn");
    println!("proven {proven}, sawtooth gaps {sawtooth}, ZeroBet {zero}, draws {it}");
}
