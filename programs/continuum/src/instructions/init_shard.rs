//! `init_shard`: creates the Shard PDA of one shard id. Admin only, once per id.
//!
//! Accounts:
//! 0. `[signer, writable]` admin: `Config.admin`, pays rent.
//! 1. `[]` config: PDA `["config"]`.
//! 2. `[writable]` shard: PDA `["shard", [shard_id]]` (canonical bump), must not exist yet.
//! 3. `[]` system program.
//!
//! Arguments (borsh, after the 8-byte discriminator):
//! | offset | type | field |
//! | --- | --- | --- |
//! | 0 | u8 | shard_id (< `Config.shard_count`) |

use crate::args::ArgReader;
use crate::checks::{self, NewPda};
use crate::error::{ContinuumError, ContinuumResult};
use crate::state::shard::SHARD_SEED;
use crate::state::{init_view_mut, load, AccountLayout, Config, Shard};
use crate::sys;
use pinocchio::{AccountView, Address};

/// Processes `init_shard`.
pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ContinuumResult {
    let mut r = ArgReader::new(data);
    let shard_id = r.u8()?;
    r.finish()?;
    let ([admin, config, shard, system_program], _) = checks::take_accounts::<4>(accounts)?;
    checks::writable_signer(admin)?;
    checks::writable(shard)?;
    checks::system_program(system_program)?;
    {
        let config = load::<Config>(config, program_id)?;
        if &config.admin != admin.address().as_array() {
            return Err(ContinuumError::Unauthorized.into());
        }
        if shard_id >= config.shard_count {
            return Err(ContinuumError::InvalidShardId.into());
        }
    }
    checks::uninitialized(shard)?;
    let id_seed = [shard_id];
    let slot = sys::clock()?.slot;
    let bump = checks::create_canonical_pda(
        &NewPda {
            payer: admin,
            account: shard,
            seeds: &[&id_seed],
            space: Shard::LEN as u64,
            extra_lamports: 0,
            min_bump: checks::ANY_BUMP,
        },
        SHARD_SEED,
        program_id,
    )?;
    let mut data = shard.try_borrow_mut()?;
    let state = init_view_mut::<Shard>(&mut data)?;
    state.shard_id = shard_id;
    state.bump = bump;
    state.load.slot = slot;
    Ok(())
}
