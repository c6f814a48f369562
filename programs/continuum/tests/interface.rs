//! Checks the program's public interface (discriminators, account sizes, error codes) against
//! Anchor's derivation rules, and exports it to `target/idl-check/program.json` so the
//! TypeScript IDL test can compare `idl/continuum.json` with what the program really uses.

use continuum::error::{ContinuumError, ERROR_CODE_OFFSET};
use continuum::{instructions, state};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::PathBuf;

fn anchor_discriminator(namespace: &str, name: &str) -> [u8; 8] {
    let digest = Sha256::digest(format!("{namespace}:{name}").as_bytes());
    digest[..8].try_into().unwrap()
}

#[test]
fn instruction_discriminators_follow_anchor() {
    for (name, disc) in instructions::ALL {
        assert_eq!(
            *disc,
            anchor_discriminator("global", name),
            "instruction {name}"
        );
    }
    let mut seen: Vec<[u8; 8]> = instructions::ALL.iter().map(|(_, d)| *d).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        instructions::ALL.len(),
        "duplicate discriminator"
    );
}

#[test]
fn account_discriminators_follow_anchor() {
    for (name, disc, len) in state::ALL {
        assert_eq!(
            *disc,
            anchor_discriminator("account", name),
            "account {name}"
        );
        assert_eq!(len % 8, 0, "account {name} size is not a multiple of 8");
    }
}

/// Every event the program emits, sharding then AMM.
fn all_events() -> Vec<(&'static str, [u8; 8])> {
    continuum::sharding::events::ALL
        .iter()
        .chain(continuum::amm::events::ALL)
        .copied()
        .collect()
}

/// Every event's typed layout, in [`all_events`]'s order.
fn all_layouts() -> Vec<continuum::event_codec::EventLayout> {
    continuum::sharding::events::LAYOUTS
        .iter()
        .chain(continuum::amm::events::LAYOUTS)
        .copied()
        .collect()
}

#[test]
fn every_event_is_typed() {
    let typed: Vec<(&str, [u8; 8])> = all_layouts()
        .iter()
        .map(|l| (l.name, l.discriminator))
        .collect();
    assert_eq!(typed, all_events());
}

#[test]
fn event_discriminators_follow_anchor() {
    for (name, disc) in all_events() {
        assert_eq!(disc, anchor_discriminator("event", name), "event {name}");
    }
}

#[test]
fn error_codes_are_dense_and_ordered() {
    for (i, e) in ContinuumError::ALL.iter().enumerate() {
        assert_eq!(e.code(), ERROR_CODE_OFFSET + i as u32, "{e:?}");
    }
}

#[test]
fn export_interface_for_the_idl_check() {
    let mut json = String::from("{\n  \"instructions\": [\n");
    let items: Vec<String> = instructions::ALL
        .iter()
        .map(|(name, d)| format!("    {{\"name\": \"{name}\", \"discriminator\": {d:?}}}"))
        .collect();
    json += &items.join(",\n");
    json += "\n  ],\n  \"accounts\": [\n";
    let items: Vec<String> = state::ALL
        .iter()
        .map(|(name, d, len)| {
            format!("    {{\"name\": \"{name}\", \"discriminator\": {d:?}, \"size\": {len}}}")
        })
        .collect();
    json += &items.join(",\n");
    json += "\n  ],\n  \"events\": [\n";
    let items: Vec<String> = all_events()
        .iter()
        .map(|(name, d)| format!("    {{\"name\": \"{name}\", \"discriminator\": {d:?}}}"))
        .collect();
    json += &items.join(",\n");
    json += "\n  ],\n  \"event_layouts\": [\n";
    // Typed events: byte offset of every payload field (the IDL's borsh layout must match).
    let items: Vec<String> = all_layouts()
        .iter()
        .map(|l| {
            let fields: Vec<String> = l
                .fields
                .iter()
                .map(|(name, at)| format!("[\"{name}\", {at}]"))
                .collect();
            format!(
                "    {{\"name\": \"{}\", \"size\": {}, \"fields\": [{}]}}",
                l.name,
                l.size,
                fields.join(", ")
            )
        })
        .collect();
    json += &items.join(",\n");
    json += "\n  ],\n  \"errors\": [\n";
    let items: Vec<String> = ContinuumError::ALL
        .iter()
        .map(|e| format!("    {{\"code\": {}, \"name\": \"{e:?}\"}}", e.code()))
        .collect();
    json += &items.join(",\n");
    writeln!(json, "\n  ]\n}}").unwrap();

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/idl-check");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("program.json"), json).unwrap();
}
