//! The full MISP threat-actor dictionary: it compiles, its aliases are found in prose, and the case
//! rules hold on real names.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use spyglass_extract::Extractor;

#[test]
fn misp_aliases_compile_and_are_found() {
    let path = spyglass_testkit::require_shared!("misp-galaxy/threat-actor.json");
    let actors = common::load_misp_actors(&path);
    assert!(actors.len() > 2000, "{} aliases", actors.len());
    let ex = Extractor::new(actors.clone()).unwrap();
    let (mut found, mut tried) = (0, 0);
    for a in &actors {
        if ex.skipped_names().contains(&a.name) {
            continue;
        }
        tried += 1;
        let text = format!("Researchers said the group {} hacked the network.", a.name.trim());
        if ex.extract(&text).actors.iter().any(|m| m.name == a.name.trim()) {
            found += 1;
        }
    }
    let recall = f64::from(found) / f64::from(tried);
    println!("alias self-recall: {found}/{tried} = {recall:.3}");
    // Misses are the aliases that need context (UPS, GOP …) or whose longest form shadows them.
    assert!(recall > 0.97, "{recall}");
}

#[test]
fn real_names_and_sponsors() {
    let path = spyglass_testkit::require_shared!("misp-galaxy/threat-actor.json");
    let ex = Extractor::new(common::load_misp_actors(&path)).unwrap();
    let e = ex.extract("APT10 is not APT1; Sandworm and Lazarus hit banks while zinc prices rose.");
    let names: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"APT10") && names.contains(&"APT1"), "{names:?}");
    assert!(names.contains(&"Sandworm") && names.contains(&"Lazarus"), "{names:?}");
    assert!(!names.contains(&"zinc"), "{names:?}");
    let lazarus = e.actors.iter().find(|a| a.name == "Lazarus").unwrap();
    assert_eq!(lazarus.sponsor.as_deref(), Some("KP"));
}
