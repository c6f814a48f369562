//! Host tests of the sharding domain logic (pure functions; the instructions themselves are
//! tested on both runtimes by `tests/sharding/*.test.ts`).

use continuum::sharding::latency::Report;
use continuum::sharding::{latency, load, migrate, vault, voting};
use continuum::state::market::MARKET_FLAG_SHARD_OVERRIDDEN;
use continuum::state::proposal::PROPOSAL_STATUS_EXECUTED;
use continuum::state::shard::LatencyTally;
use continuum::state::{AccountLayout, Keeper, MarketHeader, RebalanceProposal, Shard};

fn zeroed<T: AccountLayout + Copy>() -> T {
    // SAFETY: AccountLayout types are plain integer/byte structs: all-zero is valid.
    unsafe { core::mem::zeroed() }
}

#[test]
fn approval_is_exact_at_the_threshold() {
    // yes * 10_000 == snapshot * 6_670 exactly: approved; one lamport less: not.
    let snapshot = 10_000u64 * 1_000_003;
    let yes = 6_670u64 * 1_000_003;
    assert!(voting::reaches_bps(yes, snapshot, 6_670));
    assert!(!voting::reaches_bps(yes - 1, snapshot, 6_670));
    assert!(!voting::reaches_bps(0, 0, 6_670));
    // Products above 2^64 compare exactly.
    assert!(voting::reaches_bps(u64::MAX, u64::MAX, 10_000));
    assert!(!voting::reaches_bps(u64::MAX - 1, u64::MAX, 10_000));
}

#[test]
fn proposals_finish_when_executed_rejected_or_expired() {
    let mut p: RebalanceProposal = zeroed();
    p.voting_end_slot = 100;
    p.execution_end_slot = 200;
    p.snapshot_total_stake = 10;
    p.vote_threshold_bps = 6_670;
    assert!(!voting::proposal_finished(&p, 100)); // voting
    assert!(voting::proposal_finished(&p, 101)); // rejected
    p.yes_stake = 7;
    assert!(!voting::proposal_finished(&p, 200)); // approved, executable
    assert!(voting::proposal_finished(&p, 201)); // approval expired
    p.status = PROPOSAL_STATUS_EXECUTED;
    assert!(voting::proposal_finished(&p, 0));
}

#[test]
fn load_ema_folds_slots_and_decays_idle_gaps_on_shard_and_market() {
    let mut shard: Shard = zeroed();
    let mut market: MarketHeader = zeroed();
    shard.load.slot = 10;
    market.load.slot = 10;
    for _ in 0..8 {
        load::record_write(&mut shard, &mut market, 10);
    }
    assert_eq!(
        (shard.load.writes_in_slot, shard.peak_writes_per_slot),
        (8, 8)
    );
    for meter in [&shard.load, &market.load] {
        assert_eq!(load::load_ema_at(meter, 10), 0);
        assert_eq!(load::load_ema_at(meter, 11), 1_000); // (0*7 + 8000) / 8
        assert_eq!(load::load_ema_at(meter, 12), 875); // one idle slot
        assert_eq!(load::load_ema_at(meter, 11 + 64), 0); // bounded decay
    }
    load::record_write(&mut shard, &mut market, 11);
    assert_eq!(
        (
            shard.load.ema_milli,
            shard.load.writes_in_slot,
            shard.total_writes
        ),
        (1_000, 1, 9)
    );
    assert_eq!(shard.load, market.load);
    assert_eq!((market.write_count, market.last_write_slot), (9, 11));
}

fn market_with_load(key: u8, ema_milli: u64) -> MarketHeader {
    let mut m: MarketHeader = zeroed();
    m.market_key = [key; 32];
    m.load.slot = 1_000;
    m.load.ema_milli = ema_milli;
    m
}

fn report(shard: &mut Shard, stake: u64, sample_us: u32, market: &MarketHeader, window: u64) {
    latency::fold_report(
        shard,
        &Report {
            stake,
            sample_us,
            hot: sample_us > 1_500,
            market,
            slot: 1_000,
            window,
        },
    );
}

#[test]
fn latency_counts_hot_stake_per_window_not_samples() {
    let mut shard: Shard = zeroed();
    let m = market_with_load(1, 0);
    // A 0.1% keeper reporting the largest sample: far from a 50% quorum of 1,000,000.
    report(&mut shard, 1_000, 400_000, &m, 7);
    assert!(!latency::latency_quorum_met(&shard, 7, 1_000_000, 5_000));
    // Honest keepers holding 49.9% report cool: still not hot.
    report(&mut shard, 499_000, 900, &m, 7);
    assert!(!latency::latency_quorum_met(&shard, 7, 1_000_000, 5_000));
    assert_eq!(shard.latency_current.reported_stake, 500_000);
    assert_eq!(shard.latency_current.hot_stake, 1_000);
    // Exactly half of the stake hot: the quorum is met, in this window and the next one only.
    report(&mut shard, 499_000, 2_000, &m, 7);
    assert!(latency::latency_quorum_met(&shard, 7, 1_000_000, 5_000));
    assert!(latency::latency_quorum_met(&shard, 8, 1_000_000, 5_000));
    assert!(!latency::latency_quorum_met(&shard, 9, 1_000_000, 5_000));
    // Rolling into window 8 keeps window 7 as the previous tally; window 10 drops both.
    report(&mut shard, 1, 100, &m, 8);
    assert_eq!(shard.latency_previous.hot_stake, 500_000);
    assert!(latency::latency_quorum_met(&shard, 8, 1_000_000, 5_000));
    report(&mut shard, 1, 100, &m, 10);
    assert_eq!(shard.latency_previous, LatencyTally::default());
    assert!(!latency::latency_quorum_met(&shard, 10, 1_000_000, 5_000));
    assert_eq!(shard.latency_peak_us, 400_000);
}

#[test]
fn one_report_per_keeper_shard_and_window() {
    let mut keeper: Keeper = zeroed();
    assert!(latency::claim_report(&mut keeper, 3, 0));
    assert!(!latency::claim_report(&mut keeper, 3, 0));
    assert!(latency::claim_report(&mut keeper, 255, 0));
    assert!(latency::claim_report(&mut keeper, 3, 1)); // a new window clears the map
    assert!(latency::claim_report(&mut keeper, 255, 1));
    assert!(!latency::claim_report(&mut keeper, 255, 1));
}

#[test]
fn hot_table_ranks_markets_by_their_on_chain_load() {
    let mut shard: Shard = zeroed();
    for (key, load) in [(1u8, 4_000u64), (2, 3_000), (3, 2_000), (4, 1_000)] {
        report(&mut shard, 10, 100, &market_with_load(key, load), 5);
    }
    // However high the reported latency, a market cooler than every entry stays out.
    report(&mut shard, 10, 400_000, &market_with_load(9, 500), 5);
    assert!(shard.hot_markets.iter().all(|h| h.market_key != [9; 32]));
    // A hotter market replaces the coolest entry (market 4).
    report(&mut shard, 10, 100, &market_with_load(9, 5_000), 5);
    assert!(shard.hot_markets.iter().any(|h| h.market_key == [9; 32]));
    assert!(shard.hot_markets.iter().all(|h| h.market_key != [4; 32]));
    // A report on a listed market refreshes its load in place.
    report(&mut shard, 10, 100, &market_with_load(9, 6_000), 5);
    let e = shard
        .hot_markets
        .iter()
        .find(|h| h.market_key == [9; 32])
        .unwrap();
    assert_eq!((e.load_ema_milli, e.window), (6_000, 6));
    // Two windows later every entry is stale: even a cool market gets in.
    report(&mut shard, 10, 100, &market_with_load(8, 1), 7);
    assert!(shard.hot_markets.iter().any(|h| h.market_key == [8; 32]));
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
    assert_eq!((from.collateral_amount, to.collateral_amount), (0, 777));
    assert_eq!((from.market_count, to.market_count), (0, 1));
    assert_eq!((from.migrated_out, to.migrated_in), (1, 1));
    assert_eq!(
        (m.shard_id, m.flags, m.migration_count),
        (2, MARKET_FLAG_SHARD_OVERRIDDEN, 1)
    );
    // Not on `from` any more: a second move fails.
    assert!(migrate::move_market(&mut from, &mut to, &mut m).is_err());
}
