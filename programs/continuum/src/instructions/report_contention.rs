//! `report_contention`: an active keeper with at least `Config.min_keeper_stake` reports one
//! observed write latency for a Market on a shard. At most one report per keeper, shard and
//! latency window; the sample is bounded and folded in with the keeper's stake as weight
//! (`sharding::latency`), and the market is ranked in the shard's hottest-markets table by its
//! own on-chain write load.
//!
//! Accounts:
//! 0. `[signer]` authority: an active keeper's authority.
//! 1. `[writable]` keeper: the authority's Keeper account (records the report).
//! 2. `[]` config: PDA `["config"]`.
//! 3. `[writable]` shard: the Shard with id `shard_id`.
//! 4. `[]` market: a Market currently on that shard (`AccountMismatch` otherwise).
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | shard_id |
//! | 1 | u32 | write_time_us (1..=`MAX_LATENCY_SAMPLE_US` = 400,000) |
//!
//! Errors: `LatencySampleOutOfRange`, `InsufficientStake` (below the minimum stake),
//! `AlreadyReported` (this keeper reported this shard in this window), plus the usual account
//! checks. Nothing changes on error.

use crate::args::ArgReader;
use crate::checks;
use crate::error::{ContinuumError, ContinuumResult};
use crate::sharding::latency::{self, Report, MAX_LATENCY_SAMPLE_US};
use crate::state::{load, load_mut, load_prefix, Config, Keeper, MarketHeader, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `report_contention`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let shard_id = r.u8()?;
    let write_time_us = r.u32()?;
    r.finish()?;
    if write_time_us == 0 || write_time_us > MAX_LATENCY_SAMPLE_US {
        return Err(ContinuumError::LatencySampleOutOfRange.into());
    }
    let ([authority, keeper, config, shard, market], _) = checks::take_accounts::<5>(accounts)?;
    checks::signer(authority)?;

    // 1. The reporter: an active keeper with the minimum stake.
    let config = load::<Config>(config, program_id)?;
    let mut keeper = load_mut::<Keeper>(keeper, program_id)?;
    keeper.check_staked(authority.address().as_array(), config.min_keeper_stake)?;

    // 2. The shard and a Market on it.
    let mut shard = load_mut::<Shard>(shard, program_id)?;
    let market = load_prefix::<MarketHeader>(market, program_id)?;
    if shard.shard_id != shard_id || market.shard_id != shard_id {
        return Err(ContinuumError::AccountMismatch.into());
    }

    // 3. Once per keeper, shard and window.
    let slot = sys::clock()?.slot;
    let window = latency::window_of(slot, config.voting_window_slots);
    if !latency::claim_report(&mut keeper, shard_id, window) {
        return Err(ContinuumError::AlreadyReported.into());
    }

    latency::fold_report(
        &mut shard,
        &Report {
            stake: keeper.stake,
            sample_us: write_time_us,
            hot: write_time_us > config.contention_threshold_us,
            market: &market,
            slot,
            window,
        },
    );
    Ok(())
}
