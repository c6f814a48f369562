//! Settlement bookkeeping shared by `claim` and `claim_lp`.

use crate::error::ContinuumResult;
use crate::safe;
use crate::sharding::{load as shard_load, vault};
use crate::state::amm::AmmMarket;
use crate::state::Shard;

/// A payout computed by a claim: base units of the collateral to pay (rounded down) and the
/// dropped fraction (`remainder / step` base unit), which stays in the vault as recorded dust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout {
    /// Base units paid.
    pub amount: u64,
    /// Rounding remainder, in units of `1 / step` base unit.
    pub remainder: u64,
}

/// Books `payout` against the market and its shard: `paid_out`, the dust numerator, the market
/// vault and the shard's collateral (`vault::debit`), and the write on the shard's load. The
/// caller then pays `payout.amount` out of the shard's vault (`vault::pay_out`).
#[inline(always)]
pub fn book_payout(
    shard: &mut Shard,
    m: &mut AmmMarket,
    payout: Payout,
    slot: u64,
) -> ContinuumResult {
    m.paid_out = safe::add(m.paid_out, payout.amount)?;
    m.add_dust(payout.remainder);
    vault::debit(shard, &mut m.header, payout.amount)?;
    shard_load::record_write(shard, &mut m.header, slot);
    Ok(())
}
