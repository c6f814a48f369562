//! Host checks of the AMM's interface: account layouts have the documented sizes, and `N_MAX` keeps a market creatable by CPI (10 KiB).

use continuum::state::amm::{AmmMarket, Position, N_MAX};
use continuum::state::AccountLayout;

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
