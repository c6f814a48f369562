//! Sharding domain logic: market-to-shard assignment, per-shard load and latency tracking,
//! stake-weighted approval, collateral bookkeeping and migration.
//!
//! # Public interface for the AMM (stable; the AMM's instructions call exactly these)
//!
//! - The market account is the PDA `["market", market_key]` whose first
//!   [`MarketHeader::HEADER_LEN`](crate::state::MarketHeader::HEADER_LEN) = 160 bytes are the
//!   [`MarketHeader`](crate::state::MarketHeader) (`state/market.rs`); AMM fields go in a tail
//!   after it. Load the header of any market with
//!   [`state::load_prefix`](crate::state::load_prefix) /
//!   [`state::load_prefix_mut`](crate::state::load_prefix_mut) (size `>= 160` accepted).
//! - Its address has bump 255 (`state::market::MARKET_BUMP`): market keys are chosen so that
//!   `["market", key, [255]]` is off-curve (SDK `generateMarketKey`). Create it with
//!   `checks::create_canonical_pda` and `min_bump: MARKET_BUMP` (a fixed ~310 CU check).
//! - `create_market` calls [`registry::assign_market`] (config + the assigned shard: checks
//!   the passed shard is `keccak256(market_key)[0] % shard_count`, bumps both market counts,
//!   returns the shard id), then [`registry::init_header`] on its new account, then
//!   [`load::record_write`].
//! - Every market write (trade, edit, resolve, claim) passes the market's CURRENT shard
//!   (`header.shard_id`, which a rebalance may have changed), checks it with
//!   [`registry::check_market_shard`], and calls [`load::record_write`] (O(1)).
//! - Collateral lives in the shard's vault, a token account of the collateral mint whose
//!   authority is the Shard PDA (`checks::collateral` checks the vault, mint and token
//!   program). After [`vault::pay_in`] call [`vault::credit`]; to pay out, call
//!   [`vault::debit`], then [`vault::pay_out`]. Migration moves `vault_amount` between the two
//!   shards' vaults.

pub mod events;
pub mod latency;
pub mod load;
pub mod migrate;
pub mod registry;
pub mod vault;
pub mod voting;
