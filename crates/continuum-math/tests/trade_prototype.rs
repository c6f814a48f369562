//! docs/design.md §4 prototype check: 200 random range bets on N = 101.

use continuum_math::testing::SplitMix64 as Rng;
use continuum_math::*;

#[test]
fn two_hundred_range_bets_conserve_the_vault() {
    let n = 101usize;
    let grid = Grid {
        lo: -500,
        hi: 500,
        n: n as u32,
    };
    let step = grid.step().unwrap();
    let b: u64 = 10_000_000_000; // 10 SOL cap
                                 // Initial market: a Normal(0, 120) shape projected at norm k.
    let mut h = vec![0u64; n];
    shape_values(
        &grid,
        &Shape::Normal(NormalParams {
            mean_1e9: 0,
            sigma_1e9: 120 * SCALE_1E9,
        }),
        &[],
        &mut h,
    )
    .unwrap();
    let k: u64 = 40_000_000_000; // lamports * sqrt(outcome unit)
    let budget = norm_sq_budget(k, step).unwrap();
    let mut f0 = vec![0u64; n];
    project(&h, BaseUnits::new(b), budget, &mut f0).unwrap();
    // The range-bet API (trade.rs) takes raw integers.
    let budget = budget.get();
    let mut f = f0.clone();

    let mut rng = Rng(42);
    let mut positions: Vec<(u64, Vec<i64>)> = Vec::new();
    let mut g = vec![0u64; n];
    while positions.len() < 200 {
        let a = rng.below(n as u64) as usize;
        let len = rng.below(30) as usize;
        let (i0, i1) = (a, (a + len).min(n - 1));
        let amount = 1 + rng.below(200_000_000);
        let q = RangeBetQuery { b, budget, i0, i1 };
        let sol = match solve_range_bet(&f, &q, amount) {
            Ok(s) => s,
            Err(MathError::ZeroBet) => continue,
            Err(e) => panic!("{e:?}"),
        };
        assert!(sol.collateral <= amount);
        let p = RangeBetParams {
            b,
            budget,
            i0,
            i1,
            t: sol.t,
            c: sol.c,
        };
        let out = range_bet_apply(&f, &p, &mut g).unwrap();
        assert_eq!(out.collateral, sol.collateral);
        assert!(out.norm_sq <= budget);
        assert!(g.iter().all(|&v| v <= b));
        // Wrong c is rejected.
        let bad = RangeBetParams { c: sol.c + 1, ..p };
        assert_eq!(
            range_bet_apply(&f, &bad, &mut vec![0; n]),
            Err(MathError::NotCanonical)
        );
        let mut pay = vec![0i64; n];
        payoff_vector(&f, &g, &mut pay).unwrap();
        for &pv in &pay {
            assert!(out.collateral as i64 + pv >= 0, "payoff must be >= 0");
        }
        positions.push((out.collateral, pay));
        f.copy_from_slice(&g);
    }
    let vault: u64 = b + positions.iter().map(|p| p.0).sum::<u64>();
    // Grid outcomes: exact conservation.
    // The vault's total in base units: the LP's claim plus every trader's.
    let total_at = |x: i64| {
        let mut total = lp_claim(BaseUnits::new(b), &f, &f0, &grid, x).unwrap();
        for (c, pay) in &positions {
            let claim = trader_claim(BaseUnits::new(*c), pay, &grid, x).unwrap();
            total = total.checked_add(claim).unwrap();
        }
        total.get()
    };
    for i in 0..n {
        let x = grid.x(i, step);
        let total = total_at(x);
        assert_eq!(total, vault, "grid outcome {x}");
    }
    // Between grid points: never more than the vault, at most 1 lamport dust per claim.
    for _ in 0..500 {
        let x = grid.lo + rng.below((grid.hi - grid.lo) as u64 + 1) as i64;
        let total = total_at(x);
        assert!(total <= vault);
        assert!(
            vault - total <= positions.len() as u64 + 1,
            "dust {}",
            vault - total
        );
    }
}
