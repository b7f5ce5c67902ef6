//! Shared loading for the integration tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
#![allow(dead_code)]

use spyglass_kb::{Kb, KbClaim, load};

/// Claims from the three MISP galaxies and the ATT&CK lookup, or `None` when the shared data is absent.
pub fn misp_and_attack_claims() -> Option<Vec<KbClaim>> {
    let mut claims = Vec::new();
    for f in ["misp-galaxy/threat-actor.json", "misp-galaxy/microsoft-activity-group.json", "misp-galaxy/mitre-intrusion-set.json", "attack/groups-campaigns-lookup-v18.1.json"] {
        let path = spyglass_testkit::shared_data(f)?;
        claims.extend(load::load_path(&path).unwrap());
    }
    Some(claims)
}

pub fn kb() -> Option<Kb> {
    misp_and_attack_claims().map(Kb::from_claims)
}
