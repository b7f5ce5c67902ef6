//! State agencies shipped with the crate (`data/agencies.csv`): incident data often names the
//! agency instead of a group ("NSA/Equation Group", "GRU", "MSS"). Each is an actor `kb:agency-*`
//! with a state sponsor. Loaded on request, like any other source.

use spyglass_model::Sponsorship;

use super::{sponsor_claim, weight};
use crate::geo::sponsor_code;
use crate::KbClaim;

const TABLE: &str = include_str!("../../data/agencies.csv");

/// The `source_id` of the built-in agencies.
pub const SOURCE_ID: &str = "kb:agencies";

/// Claims for the built-in agencies table.
pub fn agencies() -> Vec<KbClaim> {
    let mut out = Vec::new();
    let mut reader = csv::Reader::from_reader(TABLE.as_bytes());
    for (i, rec) in reader.records().flatten().enumerate() {
        let get = |k: usize| rec.get(k).unwrap_or("").trim();
        let (id, name) = (get(0), get(1));
        let r = format!("agencies.csv line {}", i + 2);
        out.push(KbClaim::actor(id, name, SOURCE_ID, &r));
        out.push(KbClaim::alias(id, name, None, SOURCE_ID, &r));
        for alias in get(2).split('|').map(str::trim).filter(|a| !a.is_empty()) {
            out.push(KbClaim::alias(id, alias, None, SOURCE_ID, &r));
        }
        if let Some(code) = sponsor_code(get(3)) {
            let note = format!("state agency: {}", get(4));
            out.push(sponsor_claim(id, Some(&code), Sponsorship::State, "sponsor", weight::AGENCY, note, SOURCE_ID, r.clone()));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::KbClaimKind;

    #[test]
    fn every_agency_has_a_sponsor() {
        let claims = agencies();
        let actors = claims.iter().filter(|c| c.kind == KbClaimKind::Actor).count();
        let sponsors = claims.iter().filter(|c| c.kind == KbClaimKind::Sponsor).count();
        assert!(actors >= 15);
        assert_eq!(actors, sponsors, "an agency row with an unknown country code");
    }
}
