//! Account checks shared by every instruction. Each returns a named error and touches nothing.

use crate::error::{ContinuumError, ContinuumResult};
use crate::sys;
use pinocchio::cpi::{Seed, Signer};
use pinocchio::{AccountView, Address, Resize};

/// The System Program's address (all zeros).
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);

/// The upgradeable BPF loader (`BPFLoaderUpgradeab1e11111111111111111111111`, loader v3).
pub const BPF_LOADER_UPGRADEABLE_ID: Address = Address::new_from_array([
    2, 168, 246, 145, 78, 136, 161, 176, 226, 16, 21, 62, 247, 99, 174, 43, 0, 194, 185, 61, 22,
    193, 36, 210, 192, 83, 122, 16, 4, 128, 0, 0,
]);

/// SPL Token (`TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`).
pub const TOKEN_PROGRAM_ID: Address = Address::new_from_array([
    6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172, 28, 180, 133, 237,
    95, 91, 55, 145, 58, 140, 245, 133, 126, 255, 0, 169,
]);

/// Token-2022 (`TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`).
pub const TOKEN_2022_PROGRAM_ID: Address = Address::new_from_array([
    6, 221, 246, 225, 238, 117, 143, 222, 24, 66, 93, 188, 228, 108, 205, 218, 182, 26, 252, 77,
    131, 185, 13, 39, 254, 189, 249, 40, 216, 161, 139, 252,
]);

/// Loader v3 account states are bincode enums: a u32 LE variant tag first.
const LOADER_STATE_PROGRAM: [u8; 4] = 2u32.to_le_bytes();
const LOADER_STATE_PROGRAM_DATA: [u8; 4] = 3u32.to_le_bytes();
/// `Program { programdata_address }`: tag + address.
const PROGRAM_STATE_LEN: usize = 4 + 32;
/// `ProgramData { slot, upgrade_authority_address: Option<Pubkey> }`: tag + u64 + 1-byte option
/// tag + address (the address bytes are present, zeroed, when the option is None), then the ELF.
const PROGRAM_DATA_METADATA_LEN: usize = 4 + 8 + 1 + 32;
const PROGRAM_DATA_AUTHORITY_TAG: usize = 4 + 8;

/// `a == b` for two 32-byte keys, as four u64 compares. `==` on `[u8; 32]` (and so on
/// `Address`, and `AccountView::owned_by`) lowers to a call of `memcmp`, i.e. the
/// `sol_memcmp_` syscall: 10 CU plus the call's setup, against 4 loads and a branch per word
/// here. The hot path (every `trade`) compares a dozen keys.
#[inline(always)]
pub fn keys_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let (a, b) = (a.as_ptr() as *const u64, b.as_ptr() as *const u64);
    // SAFETY: both pointers come from references to 32 readable bytes, so words 0..4 are in
    // bounds; `read_unaligned` has no alignment requirement and any bits are a valid u64.
    unsafe {
        a.read_unaligned() == b.read_unaligned()
            && a.add(1).read_unaligned() == b.add(1).read_unaligned()
            && a.add(2).read_unaligned() == b.add(2).read_unaligned()
            && a.add(3).read_unaligned() == b.add(3).read_unaligned()
    }
}

/// `account` is owned by `program`: [`AccountView::owned_by`] through [`keys_eq`].
#[inline(always)]
pub fn owned_by(account: &AccountView, program: &Address) -> bool {
    // SAFETY: an `AccountView` points to a valid runtime account record for the whole
    // instruction (the entrypoint's contract); the owner is read, not kept.
    let owner = unsafe { &(*account.account_ptr()).owner };
    keys_eq(owner.as_array(), program.as_array())
}

/// Splits off the first `N` accounts, or fails with `NotEnoughAccounts`; fails with
/// `DuplicateAccount` if any account (fixed or remaining) is passed twice. Every processor
/// starts here, so no instruction sees one account in two roles.
#[inline(always)]
pub fn take_accounts<const N: usize>(
    accounts: &mut [AccountView],
) -> ContinuumResult<(&mut [AccountView; N], &mut [AccountView])> {
    if accounts.len() < N {
        return Err(ContinuumError::NotEnoughAccounts.into());
    }
    let (head, rest) = accounts.split_at_mut(N);
    let head: &mut [AccountView; N] = head
        .try_into()
        .map_err(|_| ContinuumError::NotEnoughAccounts)?;
    distinct_accounts(head, rest)?;
    Ok((head, rest))
}

/// No account appears twice in `accounts`.
///
/// Without this, one account in two roles (the same account as market and position, as source
/// and destination shard, a remaining account equal to a fixed one) reaches the processor as
/// two views of the same data: a second mutable borrow fails with the runtime's unnamed
/// `AccountBorrowFailed`, and a check written for two distinct accounts (tokens moved from one
/// to the other, a counter kept on each) silently means something else.
///
/// Why increasing pointers are exactly "no duplicates": the loader serializes the
/// instruction's accounts in order into one input region, each first occurrence as a full
/// record placed after the previous one, and each later occurrence as a back-reference to the
/// first; the entrypoint turns a back-reference into a view of that EARLIER record. So the
/// record pointers strictly increase along the list unless an account repeats, and one compare
/// per account (n - 1 in all) finds every duplicate, where comparing all pairs would cost n^2/2
/// (36 compares for a 9-account trade). No instruction of this program takes an account twice.
///
/// The `N` fixed accounts are walked as an array, so the walk is unrolled at each call site: a
/// load and a branch per account instead of a loop's five instructions (the 9 of a trade: about
/// 35 CU). The remaining accounts, if any, follow in a loop.
#[inline(always)]
fn distinct_accounts<const N: usize>(
    head: &[AccountView; N],
    rest: &[AccountView],
) -> ContinuumResult {
    let mut previous = core::ptr::null();
    for account in head {
        let ptr = account.account_ptr();
        if ptr <= previous {
            return Err(ContinuumError::DuplicateAccount.into());
        }
        previous = ptr;
    }
    for account in rest {
        let ptr = account.account_ptr();
        if ptr <= previous {
            return Err(ContinuumError::DuplicateAccount.into());
        }
        previous = ptr;
    }
    Ok(())
}

/// The account signed the transaction.
#[inline(always)]
pub fn signer(account: &AccountView) -> ContinuumResult {
    if account.is_signer() {
        Ok(())
    } else {
        Err(ContinuumError::MissingSigner.into())
    }
}

/// The account is writable.
#[inline(always)]
pub fn writable(account: &AccountView) -> ContinuumResult {
    if account.is_writable() {
        Ok(())
    } else {
        Err(ContinuumError::AccountNotWritable.into())
    }
}

/// The account is a writable signer (fee payers, funders).
#[inline(always)]
pub fn writable_signer(account: &AccountView) -> ContinuumResult {
    signer(account)?;
    writable(account)
}

/// The account is the System Program.
#[inline(always)]
pub fn system_program(account: &AccountView) -> ContinuumResult {
    if keys_eq(account.address().as_array(), SYSTEM_PROGRAM_ID.as_array()) {
        Ok(())
    } else {
        Err(ContinuumError::InvalidSystemProgram.into())
    }
}

/// The current upgrade authority of the running program, read through the loader v3 accounts:
/// `program` must be the program itself (address `program_id`, owned by the upgradeable loader,
/// state `Program`) and `program_data` the ProgramData account it points to (owned by the
/// loader, state `ProgramData`). Anything else is `InvalidProgramData`; an immutable program
/// (no upgrade authority left) is `NotUpgradeAuthority`, since nobody can prove the right.
///
/// The address comes from the program account rather than from deriving
/// `PDA([program_id], loader)`, which would cost a 1,500 CU syscall: only the loader can write
/// an account at `program_id`, so its pointer is as trustworthy as the derivation.
#[inline(never)]
pub fn upgrade_authority(
    program: &AccountView,
    program_data: &AccountView,
    program_id: &Address,
) -> ContinuumResult<[u8; 32]> {
    if program.address() != program_id
        || !program.owned_by(&BPF_LOADER_UPGRADEABLE_ID)
        || !program_data.owned_by(&BPF_LOADER_UPGRADEABLE_ID)
    {
        return Err(ContinuumError::InvalidProgramData.into());
    }
    let state = program.try_borrow()?;
    let pointer = state
        .get(..PROGRAM_STATE_LEN)
        .ok_or(ContinuumError::InvalidProgramData)?;
    if pointer[..4] != LOADER_STATE_PROGRAM || &pointer[4..] != program_data.address().as_array() {
        return Err(ContinuumError::InvalidProgramData.into());
    }
    let data = program_data.try_borrow()?;
    let meta = data
        .get(..PROGRAM_DATA_METADATA_LEN)
        .ok_or(ContinuumError::InvalidProgramData)?;
    if meta[..4] != LOADER_STATE_PROGRAM_DATA {
        return Err(ContinuumError::InvalidProgramData.into());
    }
    match meta[PROGRAM_DATA_AUTHORITY_TAG] {
        0 => Err(ContinuumError::NotUpgradeAuthority.into()),
        1 => {
            let mut authority = [0u8; 32];
            authority.copy_from_slice(&meta[PROGRAM_DATA_AUTHORITY_TAG + 1..]);
            Ok(authority)
        }
        _ => Err(ContinuumError::InvalidProgramData.into()),
    }
}

/// The account is still a blank system account: no data, System-owned.
#[inline(always)]
pub fn uninitialized(account: &AccountView) -> ContinuumResult {
    if account.data_len() == 0 && account.owned_by(&SYSTEM_PROGRAM_ID) {
        Ok(())
    } else {
        Err(ContinuumError::AccountAlreadyInitialized.into())
    }
}

/// `sha256(prefix ++ seeds ++ [bump] ++ program_id ++ "ProgramDerivedAddress")`: the PDA
/// candidate for `bump`, before the off-curve test. One `sol_sha256` (~150 CU). At most 2 seeds
/// after the prefix.
///
/// Why the constant prefix travels apart from the other seeds: a seed list literal holding a
/// constant (`&[b"market", &key]`) may be materialized by copying a constant template from
/// read-only data, and this toolchain leaves pointers inside read-only data unrelocated (the
/// runtime then faults reading address 0x46). A `&'static` argument is loaded by the code
/// itself, and `black_box` keeps it from being folded back into such a template.
#[inline(never)]
fn pda_candidate(
    seeds: &PdaSeeds,
    bump: &[u8; 1],
    program_id: &Address,
) -> ContinuumResult<[u8; 32]> {
    const MARKER: &[u8] = b"ProgramDerivedAddress";
    let mut parts: [&[u8]; sys::MAX_HASH_PARTS] = [&[]; sys::MAX_HASH_PARTS];
    let prefix = [core::hint::black_box(seeds.prefix)];
    let tail = [
        bump.as_slice(),
        program_id.as_array().as_slice(),
        core::hint::black_box(MARKER),
    ];
    let count = seeds.rest.len() + prefix.len() + tail.len();
    if count > sys::MAX_HASH_PARTS {
        return Err(ContinuumError::InvalidPda.into());
    }
    let all = prefix.iter().chain(seeds.rest).chain(tail.iter());
    for (slot, part) in parts.iter_mut().zip(all) {
        *slot = part;
    }
    Ok(sys::sha256v(
        parts.get(..count).ok_or(ContinuumError::InvalidPda)?,
    ))
}

/// The canonical bump of `seeds` for an account about to be CREATED with it, at ~310 CU per
/// bump tried instead of 1,500: from bump 255 down, hash the candidate; if it is `account`,
/// that is the bump (its off-curve property is enforced by the creating CPI's signer check);
/// otherwise the candidate must be on the curve (`sol_curve_validate_point`), i.e. no valid PDA,
/// or `account` is not the canonical PDA (`InvalidPda`).
#[inline(never)]
fn canonical_pda_for_creation(
    account: &AccountView,
    seeds: &PdaSeeds,
    program_id: &Address,
) -> ContinuumResult<u8> {
    let target = account.address().as_array();
    let mut bump: u8 = 255;
    loop {
        let candidate = pda_candidate(seeds, &[bump], program_id)?;
        let on_curve = |c: &[u8; 32]| sys::is_on_curve(c);
        if &candidate == target {
            // With the full search, the creating CPI's signer check rejects an on-curve match;
            // a search limited to bump 255 checks it here to return a named error instead.
            if seeds.min_bump == 255 && on_curve(&candidate) {
                return Err(ContinuumError::InvalidPda.into());
            }
            return Ok(bump);
        }
        if bump <= seeds.min_bump || !on_curve(&candidate) {
            return Err(ContinuumError::InvalidPda.into());
        }
        bump -= 1;
    }
}

/// A PDA's seeds without the bump: a constant prefix, then run-time seeds. (A struct because
/// SBPF v0 passes at most 5 argument registers and each slice takes two.)
struct PdaSeeds<'a, 'b> {
    prefix: &'a [u8],
    rest: &'a [&'b [u8]],
    /// Lowest bump the search may reach (see [`NewPda::min_bump`]).
    min_bump: u8,
}

/// Most seeds any PDA of this program has: the constant prefix, two more, the bump.
pub const MAX_PDA_SEEDS: usize = 4;

/// A program-owned account to create at the canonical PDA of `prefix ++ seeds`.
pub struct NewPda<'a, 'b> {
    /// Funds rent (and `extra_lamports`); writable signer.
    pub payer: &'a AccountView,
    /// The PDA to create; writable, must be blank.
    pub account: &'a AccountView,
    /// Run-time seeds after the constant prefix, WITHOUT the bump (at most 2; the canonical
    /// bump is found and appended).
    pub seeds: &'a [&'b [u8]],
    /// Data size in bytes.
    pub space: u64,
    /// Lamports moved in above the rent-exempt minimum (a keeper's stake); usually 0.
    pub extra_lamports: u64,
    /// Lowest bump the canonical search may reach: 0 (the full search, [`ANY_BUMP`]) for
    /// every account but markets, whose keys are chosen so that bump 255 is canonical
    /// ([`crate::state::market::MARKET_BUMP`]): one hash and one curve check, a fixed cost.
    pub min_bump: u8,
}

/// [`NewPda::min_bump`] of the full canonical-bump search.
pub const ANY_BUMP: u8 = 0;

/// Creates a rent-exempt program-owned account at the canonical PDA of
/// `prefix ++ new.seeds` and returns its bump. The one way this program creates accounts.
///
/// The bump comes from [`canonical_pda_for_creation`] (~310 CU per bump tried instead of the
/// 1,500 CU derivation syscall), so every key works and no second address exists for the same
/// seeds. Works even if someone pre-funded the address (a known griefing vector against a plain
/// `CreateAccount`): then it tops up, allocates and assigns instead.
///
/// Inlined so that `black_box` runs at each call site: otherwise fat LTO may merge the calls of
/// the different instructions and turn their constant prefixes into a lookup table of pointers
/// in read-only data, which this toolchain leaves unrelocated (a fault at run time).
#[inline(always)]
pub fn create_canonical_pda(
    new: &NewPda,
    prefix: &'static [u8],
    program_id: &Address,
) -> ContinuumResult<u8> {
    create_canonical_pda_opaque(new, core::hint::black_box(prefix), program_id, program_id)
}

/// [`create_canonical_pda`] for an account another program will own (`owner`): a shard's
/// vault, created here and handed to the token program, which initializes it. Same bump
/// search and pre-funded handling; the PDA is still this program's (its seeds sign).
#[inline(always)]
pub fn create_canonical_pda_owned_by(
    new: &NewPda,
    prefix: &'static [u8],
    program_id: &Address,
    owner: &Address,
) -> ContinuumResult<u8> {
    create_canonical_pda_opaque(new, core::hint::black_box(prefix), program_id, owner)
}

#[inline(never)]
fn create_canonical_pda_opaque(
    new: &NewPda,
    prefix: &[u8],
    program_id: &Address,
    owner: &Address,
) -> ContinuumResult<u8> {
    uninitialized(new.account)?;
    let seeds = PdaSeeds {
        prefix,
        rest: new.seeds,
        min_bump: new.min_bump,
    };
    let bump = canonical_pda_for_creation(new.account, &seeds, program_id)?;
    create_signed(new, prefix, bump, program_id, owner)?;
    Ok(bump)
}

/// Creates `new.account` signing with `prefix ++ new.seeds ++ [bump]`.
#[inline(always)]
fn create_signed(
    new: &NewPda,
    prefix: &[u8],
    bump: u8,
    program_id: &Address,
    owner: &Address,
) -> ContinuumResult {
    let bump_seed = [bump];
    let n = new.seeds.len();
    let signer_seeds: [Seed; MAX_PDA_SEEDS] = core::array::from_fn(|i| match i {
        0 => Seed::from(prefix),
        _ => match new.seeds.get(i - 1) {
            Some(seed) => Seed::from(*seed),
            None => Seed::from(&bump_seed),
        },
    });
    let signer_seeds = signer_seeds
        .get(..n + 2)
        .ok_or(ContinuumError::InvalidPda)?;
    create_pda_account(new, signer_seeds, &Owners { program_id, owner })
}

/// This program and the new account's owner (one pointer: SBPF passes at most 5 registers).
struct Owners<'a> {
    program_id: &'a Address,
    owner: &'a Address,
}

/// Creates a program-owned account at the PDA of `prefix ++ new.seeds ++ [new.min_bump]`: the
/// bump the caller names, not searched: one hash to check the address and one curve check
/// (`InvalidPda` for an on-curve address, which the creating CPI's signer check would refuse
/// with an unnamed error). A fixed cost, for accounts whose seeds are never reused at another
/// bump or for which a second address gives nothing (keepers: see `state::keeper`; proposals:
/// see `state::proposal`).
#[inline(always)]
pub fn create_pda_at_bump(
    new: &NewPda,
    prefix: &'static [u8],
    program_id: &Address,
) -> ContinuumResult {
    create_pda_at_bump_opaque(new, core::hint::black_box(prefix), program_id)
}

#[inline(never)]
fn create_pda_at_bump_opaque(new: &NewPda, prefix: &[u8], program_id: &Address) -> ContinuumResult {
    uninitialized(new.account)?;
    let bump = new.min_bump;
    let seeds = PdaSeeds {
        prefix,
        rest: new.seeds,
        min_bump: bump,
    };
    let candidate = pda_candidate(&seeds, &[bump], program_id)?;
    if &candidate != new.account.address().as_array() || sys::is_on_curve(&candidate) {
        return Err(ContinuumError::InvalidPda.into());
    }
    create_signed(new, prefix, bump, program_id, program_id)
}

#[inline(never)]
fn create_pda_account(new: &NewPda, signer_seeds: &[Seed], owners: &Owners) -> ContinuumResult {
    let Owners { program_id, owner } = *owners;
    let rent = sys::rent_exempt_minimum(new.space)?
        .checked_add(new.extra_lamports)
        .ok_or(ContinuumError::Overflow)?;
    let signer = [Signer::from(signer_seeds)];
    let existing = new.account.lamports();
    if existing == 0 {
        pinocchio_system::instructions::CreateAccount {
            from: new.payer,
            to: new.account,
            lamports: rent,
            space: new.space,
            owner,
        }
        .invoke_signed(&signer)
    } else {
        // A pre-funded address (anyone can send lamports to it first, to make `CreateAccount`
        // fail): top up, assign, then size the data in place. Two CPIs instead of three
        // (Transfer + Allocate + Assign): once the account is ours, the program may grow its
        // data itself (by up to `MAX_PERMITTED_DATA_INCREASE` = 10 KiB, more than any account
        // this program creates); `resize` zero-fills the new bytes. (The System Program's
        // Transfer/Assign already go through pinocchio's unchecked invoke after a borrow check,
        // so only dropping a CPI saves real compute.)
        if existing < rent {
            pinocchio_system::instructions::Transfer {
                from: new.payer,
                to: new.account,
                lamports: rent - existing,
            }
            .invoke()?;
        }
        if owner != program_id {
            // Another program's account: only the System Program may size it before it is
            // handed over.
            pinocchio_system::instructions::Allocate {
                account: new.account,
                space: new.space,
            }
            .invoke_signed(&signer)?;
            return pinocchio_system::instructions::Assign {
                account: new.account,
                owner,
            }
            .invoke_signed(&signer);
        }
        pinocchio_system::instructions::Assign {
            account: new.account,
            owner: program_id,
        }
        .invoke_signed(&signer)?;
        // `AccountView` is a handle to the runtime's account record: resizing a clone resizes
        // the account itself. `resize` checks the data is not borrowed and the growth limit.
        let mut account = new.account.clone();
        account.resize(new.space as usize)?;
        Ok(())
    }
}

/// Closes a program-owned account: moves all its lamports to `destination`, then shrinks its
/// data to zero and hands it back to the System Program.
#[inline(never)]
pub fn close_account(account: &mut AccountView, destination: &mut AccountView) -> ContinuumResult {
    let lamports = account.lamports();
    let total = destination
        .lamports()
        .checked_add(lamports)
        .ok_or(ContinuumError::Overflow)?;
    destination.set_lamports(total);
    account.set_lamports(0);
    account.close()
}

// ---- Collateral: mint, token program, token accounts ---------------------------------------

/// Size of a mint's base state (`spl_token::state::Mint`, also Token-2022's base).
pub const MINT_LEN: usize = 82;
/// Offset of `Mint.decimals`.
const MINT_DECIMALS: usize = 44;
/// Offset of `Mint.is_initialized`.
const MINT_INITIALIZED: usize = 45;
/// Size of a token account's base state (`spl_token::state::Account`); also where a
/// Token-2022 account or mint with extensions keeps its account-type byte.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
/// Offsets in a token account: mint, owner, state.
const ACCOUNT_MINT: usize = 0;
const ACCOUNT_OWNER: usize = 32;
const ACCOUNT_STATE: usize = 108;
/// `AccountState` values.
const ACCOUNT_STATE_INITIALIZED: u8 = 1;
const ACCOUNT_STATE_FROZEN: u8 = 2;
/// Token-2022 `AccountType` of a mint with extensions (byte 165).
const ACCOUNT_TYPE_MINT: u8 = 1;
/// Token-2022 TLV entry header: `type: u16`, `length: u16`.
const TLV_HEADER_LEN: usize = 4;

/// Token-2022 mint extensions the collateral mint must not carry (`ExtensionType` numbers of
/// spl-token-2022), each because it changes what a transfer moves or lets someone other than
/// the Shard PDA block, redirect or take the vault's tokens:
/// - 1 `TransferFeeConfig`: the recipient gets less than was sent, so books and balances
///   drift apart;
/// - 3 `MintCloseAuthority`: once the supply is zero the mint can be closed and re-created at
///   the same address with any of these extensions;
/// - 4 `ConfidentialTransferMint`, 16 `ConfidentialTransferFeeConfig`, 24
///   `ConfidentialMintBurn`: balances move outside the public amounts the books mirror;
/// - 6 `DefaultAccountState`: its authority can make new accounts (a new shard's vault)
///   start frozen;
/// - 9 `NonTransferable`: nothing could leave a vault;
/// - 12 `PermanentDelegate`: a third party can move or burn the vault's tokens;
/// - 14 `TransferHook`: every transfer runs a program of the mint's choosing (and needs its
///   extra accounts);
/// - 26 `Pausable`: its authority can stop every transfer, payouts included.
///
/// Everything else is accepted: metadata (`MetadataPointer` 18, `TokenMetadata` 19), groups,
/// and display-only scaling (`InterestBearingConfig` 10, `ScaledUiAmount` 25: raw amounts,
/// which are what the books hold, are unchanged).
#[inline(always)]
pub fn refused_mint_extension(extension_type: u16) -> bool {
    matches!(extension_type, 1 | 3 | 4 | 6 | 9 | 12 | 14 | 16 | 24 | 26)
}

/// The account is SPL Token or Token-2022 (`InvalidTokenProgram`).
#[inline(always)]
pub fn token_program(account: &AccountView) -> ContinuumResult {
    let id = account.address().as_array();
    if keys_eq(id, TOKEN_PROGRAM_ID.as_array()) || keys_eq(id, TOKEN_2022_PROGRAM_ID.as_array()) {
        Ok(())
    } else {
        Err(ContinuumError::InvalidTokenProgram.into())
    }
}

/// A mint that can be the collateral: an initialized mint owned by `token_program` (one of
/// the two token programs), without a refused Token-2022 extension
/// (`UnsupportedMintExtension`, see [`refused_mint_extension`]). Returns its decimals.
#[inline(never)]
pub fn collateral_mint(mint: &AccountView, token_program: &AccountView) -> ContinuumResult<u8> {
    self::token_program(token_program)?;
    if !mint.owned_by(token_program.address()) {
        return Err(ContinuumError::InvalidMint.into());
    }
    let data = mint.try_borrow()?;
    let base = data.get(..MINT_LEN).ok_or(ContinuumError::InvalidMint)?;
    if base[MINT_INITIALIZED] != 1 {
        return Err(ContinuumError::InvalidMint.into());
    }
    if data.len() > MINT_LEN {
        // Only Token-2022 mints have extensions: `AccountType::Mint` at byte 165, then TLV
        // entries up to the end (a zero type is unused space).
        if data.get(TOKEN_ACCOUNT_LEN) != Some(&ACCOUNT_TYPE_MINT) {
            return Err(ContinuumError::InvalidMint.into());
        }
        let mut at = TOKEN_ACCOUNT_LEN + 1;
        while let Some(header) = data.get(at..at + TLV_HEADER_LEN) {
            let kind = u16::from_le_bytes([header[0], header[1]]);
            let len = u16::from_le_bytes([header[2], header[3]]) as usize;
            if kind == 0 {
                break;
            }
            if refused_mint_extension(kind) {
                return Err(ContinuumError::UnsupportedMintExtension.into());
            }
            at += TLV_HEADER_LEN + len;
        }
    }
    Ok(base[MINT_DECIMALS])
}

/// A shard's money accounts, checked: its vault, the collateral mint, the token program, and
/// the Shard PDA that signs for the vault (with its seeds). The views are handles (a pointer
/// each) to the runtime's account records, so holding them doesn't borrow the processor's
/// views, which stay free for the bookkeeping.
pub struct Collateral {
    /// The shard's vault (`Shard.vault`).
    pub vault: AccountView,
    /// The collateral mint (the vault's mint).
    pub mint: AccountView,
    /// The token program owning the vault.
    pub token_program: AccountView,
    /// The Shard PDA: the vault's token authority.
    pub shard: AccountView,
    /// The mint's decimals (`transfer_checked` names them).
    pub decimals: u8,
    /// The shard's id and bump: its signer seeds after the `"shard"` prefix.
    pub shard_id: [u8; 1],
    /// See `shard_id`.
    pub shard_bump: [u8; 1],
}

/// The money accounts of `shard_state` (the loaded state of `shard`): `vault` must be its vault
/// (`InvalidVault`), not frozen (`TokenAccountFrozen`); `token_program` the vault's owner
/// program (`InvalidTokenProgram`); `mint` the vault's mint (`InvalidMint`).
///
/// The vault's address was fixed by `init_shard`, which created it as a token account of the
/// collateral mint: so its owner program and mint field are the collateral's, and checking
/// the other two accounts against them needs no Config.
///
/// Inlined: five arguments plus the returned struct would exceed SBPF's five registers.
#[inline(always)]
pub fn collateral(
    shard_state: &crate::state::Shard,
    shard: &AccountView,
    vault: &AccountView,
    mint: &AccountView,
    token_program: &AccountView,
) -> ContinuumResult<Collateral> {
    // `shard_vault`'s checks, with the vault's data borrowed once for them and the mint.
    shard_vault_address(shard_state, vault)?;
    let data = vault.try_borrow()?;
    vault_not_frozen(&data)?;
    if !owned_by(vault, token_program.address()) {
        return Err(ContinuumError::InvalidTokenProgram.into());
    }
    let vault_mint = key_at(&data, ACCOUNT_MINT).ok_or(ContinuumError::InvalidVault)?;
    if !keys_eq(vault_mint, mint.address().as_array()) {
        return Err(ContinuumError::InvalidMint.into());
    }
    drop(data);
    let decimals = {
        let data = mint.try_borrow()?;
        *data.get(MINT_DECIMALS).ok_or(ContinuumError::InvalidMint)?
    };
    Ok(Collateral {
        vault: vault.clone(),
        mint: mint.clone(),
        token_program: token_program.clone(),
        shard: shard.clone(),
        decimals,
        shard_id: [shard_state.shard_id],
        shard_bump: [shard_state.bump],
    })
}

/// `vault` is the shard's vault (`Shard.vault`: `InvalidVault`), writable and not frozen
/// (`TokenAccountFrozen`): a frozen vault could take no payment in or out.
#[inline(never)]
pub fn shard_vault(shard_state: &crate::state::Shard, vault: &AccountView) -> ContinuumResult {
    shard_vault_address(shard_state, vault)?;
    vault_not_frozen(&vault.try_borrow()?)
}

/// The first checks of [`shard_vault`]: the address (`InvalidVault`), writable.
#[inline(always)]
fn shard_vault_address(shard_state: &crate::state::Shard, vault: &AccountView) -> ContinuumResult {
    if !keys_eq(vault.address().as_array(), &shard_state.vault) {
        return Err(ContinuumError::InvalidVault.into());
    }
    writable(vault)
}

/// The last check of [`shard_vault`], on the vault's data: not frozen (`TokenAccountFrozen`),
/// long enough to hold a state (`InvalidVault`).
#[inline(always)]
fn vault_not_frozen(data: &[u8]) -> ContinuumResult {
    match data.get(ACCOUNT_STATE) {
        Some(&ACCOUNT_STATE_FROZEN) => Err(ContinuumError::TokenAccountFrozen.into()),
        Some(_) => Ok(()),
        None => Err(ContinuumError::InvalidVault.into()),
    }
}

/// The 32-byte key at `data[at..at + 32]`, if the data is that long.
#[inline(always)]
fn key_at(data: &[u8], at: usize) -> Option<&[u8; 32]> {
    data.get(at..)?.first_chunk::<32>()
}

/// `account` is a writable, initialized, unfrozen token account of the collateral (its token
/// program: `InvalidTokenAccount`; its mint: `TokenAccountMintMismatch`) owned by `owner`
/// (`TokenAccountOwnerMismatch`); frozen: `TokenAccountFrozen`. Checked for every account a
/// trader, LP or authority pays from or is paid to, so that a payout can't be sent to
/// someone else's account and a wrong account fails with a named error before any transfer.
#[inline(never)]
pub fn owner_token_account(
    account: &AccountView,
    collateral: &Collateral,
    owner: &Address,
) -> ContinuumResult {
    if !owned_by(account, collateral.token_program.address()) {
        return Err(ContinuumError::InvalidTokenAccount.into());
    }
    writable(account)?;
    let data = account.try_borrow()?;
    let base = data
        .get(..TOKEN_ACCOUNT_LEN)
        .ok_or(ContinuumError::InvalidTokenAccount)?;
    let (Some(mint), Some(token_owner)) = (key_at(base, ACCOUNT_MINT), key_at(base, ACCOUNT_OWNER))
    else {
        return Err(ContinuumError::InvalidTokenAccount.into());
    };
    if !keys_eq(mint, collateral.mint.address().as_array()) {
        return Err(ContinuumError::TokenAccountMintMismatch.into());
    }
    if !keys_eq(token_owner, owner.as_array()) {
        return Err(ContinuumError::TokenAccountOwnerMismatch.into());
    }
    match base[ACCOUNT_STATE] {
        ACCOUNT_STATE_INITIALIZED => Ok(()),
        ACCOUNT_STATE_FROZEN => Err(ContinuumError::TokenAccountFrozen.into()),
        _ => Err(ContinuumError::InvalidTokenAccount.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_eq_sees_every_byte() {
        let key: [u8; 32] = core::array::from_fn(|i| i as u8 * 7 + 1);
        assert!(keys_eq(&key, &key.clone()));
        // A difference in any byte (so in each of the four words) is seen.
        for i in 0..32 {
            let mut other = key;
            other[i] ^= 0x80;
            assert!(!keys_eq(&key, &other), "byte {i}");
            assert!(!keys_eq(&other, &key), "byte {i}");
        }
        // Unaligned inputs (keys inside account data and instruction data need not be aligned).
        let mut buf = [0u8; 40];
        buf[3..35].copy_from_slice(&key);
        let unaligned: &[u8; 32] = buf[3..35].try_into().unwrap();
        assert!(keys_eq(unaligned, &key));
        assert!(!keys_eq(unaligned, &[0u8; 32]));
    }
}
