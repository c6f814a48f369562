//! Host checks of the AMM's interface: event discriminators follow Anchor, account layouts have
//! the documented sizes, and `N_MAX` keeps a market creatable by CPI (10 KiB).

use continuum::amm::events::ALL as EVENTS;
use continuum::state::amm::{AmmMarket, Position, N_MAX};
use continuum::state::AccountLayout;
use sha2::{Digest, Sha256};

#[test]
fn amm_event_discriminators_follow_anchor() {
    for (name, disc) in EVENTS {
        let digest = Sha256::digest(format!("event:{name}").as_bytes());
        assert_eq!(&digest[..8], disc, "event {name}");
    }
    let digest = Sha256::digest(b"account:Position");
    assert_eq!(&digest[..8], &Position::DISCRIMINATOR);
}

#[test]
fn amm_layouts_and_n_max() {
    assert_eq!(AmmMarket::LEN, 384);
    assert_eq!(Position::LEN, 104);
    assert_eq!(AmmMarket::space(11), 384 + 16 * 11);
    // MAX_PERMITTED_DATA_INCREASE: an account created by CPI holds at most 10 KiB.
    assert!(AmmMarket::space(N_MAX) <= 10 * 1024);
    assert!(AmmMarket::space(N_MAX + 2) > 10 * 1024);
    assert_eq!(N_MAX % 2, 1);
    assert!(Position::space(N_MAX) <= 10 * 1024);
}
