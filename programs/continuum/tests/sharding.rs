//! Host tests of the sharding domain logic (pure functions; the instructions themselves are
//! tested on both runtimes by `tests/sharding/*.test.ts`).

use continuum::sharding::{latency, load, migrate, vault, voting};
use continuum::state::market::MARKET_FLAG_SHARD_OVERRIDDEN;
use continuum::state::{AccountLayout, MarketHeader, Shard};

fn zeroed<T: AccountLayout + Copy>() -> T {
    // SAFETY: AccountLayout types are plain integer/byte structs: all-zero is valid.
    unsafe { core::mem::zeroed() }
}

#[test]
fn approval_is_exact_at_the_threshold() {
    // yes * 10_000 == snapshot * 6_670 exactly: approved; one lamport less: not.
    let snapshot = 10_000u64 * 1_000_003;
    let yes = 6_670u64 * 1_000_003;
    assert!(voting::approved(yes, snapshot, 6_670));
    assert!(!voting::approved(yes - 1, snapshot, 6_670));
    assert!(!voting::approved(0, 0, 6_670));
    // Products above 2^64 compare exactly.
    assert!(voting::approved(u64::MAX, u64::MAX, 10_000));
    assert!(!voting::approved(u64::MAX - 1, u64::MAX, 10_000));
}

#[test]
fn load_ema_folds_slots_and_decays_idle_gaps() {
    let mut shard: Shard = zeroed();
    let mut market: MarketHeader = zeroed();
    shard.load_slot = 10;
    for _ in 0..8 {
        load::record_write(&mut shard, &mut market, 10);
    }
    assert_eq!((shard.writes_in_slot, shard.peak_writes_per_slot), (8, 8));
    assert_eq!(load::load_ema_at(&shard, 10), 0);
    assert_eq!(load::load_ema_at(&shard, 11), 1_000); // (0*7 + 8000) / 8
    assert_eq!(load::load_ema_at(&shard, 12), 875); // one idle slot
    assert_eq!(load::load_ema_at(&shard, 11 + 64), 0); // bounded decay
    load::record_write(&mut shard, &mut market, 11);
    assert_eq!(
        (
            shard.load_ema_milli,
            shard.writes_in_slot,
            shard.total_writes
        ),
        (1_000, 1, 9)
    );
    assert_eq!((market.write_count, market.last_write_slot), (9, 11));
}

#[test]
fn latency_table_keeps_the_hottest_markets() {
    let mut shard: Shard = zeroed();
    for (i, us) in [100u32, 200, 300, 400].iter().enumerate() {
        latency::report(&mut shard, &[i as u8 + 1; 32], *us);
    }
    assert_eq!(shard.latency_ema_us, 168); // 100, then (7*ema + x) / 8 steps
    assert_eq!(shard.latency_peak_us, 400);
    latency::report(&mut shard, &[9; 32], 50); // cooler than every entry: not inserted
    assert!(shard.hot_markets.iter().all(|h| h.market_key != [9; 32]));
    latency::report(&mut shard, &[9; 32], 5_000); // replaces the coolest (100 us)
    assert!(shard.hot_markets.iter().any(|h| h.market_key == [9; 32]));
    assert!(shard.hot_markets.iter().all(|h| h.market_key != [1; 32]));
    latency::report(&mut shard, &[9; 32], 1_000);
    let e = shard
        .hot_markets
        .iter()
        .find(|h| h.market_key == [9; 32])
        .unwrap();
    assert_eq!(
        (e.latency_ema_us, e.latency_peak_us, e.samples),
        (4_500, 5_000, 2)
    );
    latency::forget(&mut shard, &[9; 32]);
    assert!(shard.hot_markets.iter().all(|h| h.market_key != [9; 32]));
}

#[test]
fn migration_books_conserve_collateral_and_counts() {
    let mut from: Shard = zeroed();
    let mut to: Shard = zeroed();
    from.shard_id = 1;
    to.shard_id = 2;
    let mut m: MarketHeader = zeroed();
    m.shard_id = 1;
    from.market_count = 1;
    vault::credit(&mut from, &mut m, 777).unwrap();
    assert_eq!(
        migrate::move_market(&mut from, &mut to, &mut m).unwrap(),
        777
    );
    assert_eq!((from.collateral_lamports, to.collateral_lamports), (0, 777));
    assert_eq!((from.market_count, to.market_count), (0, 1));
    assert_eq!((from.migrated_out, to.migrated_in), (1, 1));
    assert_eq!(
        (m.shard_id, m.flags, m.migration_count),
        (2, MARKET_FLAG_SHARD_OVERRIDDEN, 1)
    );
    // Not on `from` any more: a second move fails.
    assert!(migrate::move_market(&mut from, &mut to, &mut m).is_err());
}
