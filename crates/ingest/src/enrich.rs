//! Text labels: runs extraction over an incident's title and description and adds what it finds
//! as claims with method `text` and the words that justify them.
//!
//! Where the evidence goes: asset and technique claims carry it in `evidence`; text victims carry the matched words
//! in `category`; text attributions carry them in `basis` (`text: "…"`). Structured fields win over
//! text when both exist — that is the policy views' job (see the store's `incident_verticals`,
//! `incident_assets` and the `text_sponsors` policy), not the reader's.

use std::collections::BTreeSet;

use spyglass_extract::Extractor;
use spyglass_model::{AssetClaim, AttributionClaim, ClaimMethod, IncidentRecord, Sponsorship, TechniqueClaim, VictimClaim};

/// Text labels come from the first this-many bytes of title + description: a report's substance is
/// at its start, and a hostile 100 MB description must not turn one record into millions of matches.
pub const MAX_EXTRACT_BYTES: usize = 1 << 20;

/// Adds text-derived claims to `rec` from its title and description.
pub fn enrich(rec: &mut IncidentRecord, ex: &Extractor) {
    let mut text = match (&rec.incident.title, &rec.incident.description) {
        (Some(t), Some(d)) => format!("{t}. {d}"),
        (None, Some(d)) => d.clone(),
        (Some(t), None) => t.clone(),
        (None, None) => return,
    };
    if text.len() > MAX_EXTRACT_BYTES {
        let mut cut = MAX_EXTRACT_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let mut e = ex.extract(&text);
    // Actor fields written as prose ("Believed to be the work of APT 10.") name actors the knowledge
    // base cannot resolve as a whole: scan them for actor names too.
    for raw in rec.attributions.iter().filter_map(|a| a.actor_raw.as_deref()) {
        if raw.split_whitespace().count() > 3 {
            e.actors.extend(ex.extract(raw).actors);
        }
    }

    let mut seen = BTreeSet::new();
    for a in &e.ai_assets {
        if seen.insert(a.category) {
            rec.assets.push(AssetClaim { category: a.category, evidence: Some(a.evidence.clone()), method: ClaimMethod::Text });
        }
    }
    let mut seen = BTreeSet::new();
    for v in &e.verticals {
        if seen.insert(v.code) {
            rec.victims.push(VictimClaim {
                vertical: Some(v.code),
                category: Some(v.evidence.clone()),
                method: Some(ClaimMethod::Text),
                ..VictimClaim::default()
            });
        }
    }
    for t in &e.techniques {
        // A technique the source's structured fields already give is not repeated from its text.
        if !rec.techniques.iter().any(|x| x.id == t.id) {
            rec.techniques.push(TechniqueClaim {
                id: t.id.clone(),
                name: None,
                evidence: Some(t.evidence.clone()),
                method: ClaimMethod::Text,
            });
        }
    }
    let sponsorship = e.sponsorship.unwrap_or(Sponsorship::Unknown);
    let mut seen = BTreeSet::new();
    for s in &e.sponsors {
        if seen.insert(s.country.clone()) {
            rec.attributions.push(AttributionClaim {
                sponsor: Some(s.country.clone()),
                sponsor_raw: Some(s.evidence.clone()),
                sponsorship: Some(sponsorship),
                basis: Some(format!("text: {:?}", s.evidence)),
                method: Some(ClaimMethod::Text),
                ..AttributionClaim::default()
            });
        }
    }
    let mut seen = BTreeSet::new();
    for a in &e.actors {
        if seen.insert(a.actor_id.clone()) {
            rec.attributions.push(AttributionClaim {
                actor_raw: Some(a.name.clone()),
                sponsor: a.sponsor.clone(),
                // The knowledge base gives sponsors to state actors only (never to criminal groups).
                sponsorship: Some(if a.sponsor.is_some() { Sponsorship::State } else { Sponsorship::Unknown }),
                basis: Some(format!("text: {:?} (knowledge-base actor {})", a.name, a.actor)),
                method: Some(ClaimMethod::Text),
                ..AttributionClaim::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spyglass_model::{AiAsset, IncidentClaim, Vertical};

    #[test]
    fn adds_text_claims_with_evidence() {
        let ex = Extractor::new(Vec::new()).unwrap();
        let mut rec = IncidentRecord::new(
            "s",
            "line 1",
            IncidentClaim {
                id: "x:1".into(),
                description: Some(
                    "A Chinese state-sponsored group exfiltrated model weights from an AI start-up's GPU cluster.".into(),
                ),
                ..IncidentClaim::default()
            },
        );
        enrich(&mut rec, &ex);
        assert!(rec.assets.iter().any(|a| a.category == AiAsset::ModelWeights && a.method == ClaimMethod::Text), "{:?}", rec.assets);
        let t = rec.attributions.iter().find(|a| a.sponsor.as_deref() == Some("CN")).expect("a text sponsor");
        assert_eq!(t.method, Some(ClaimMethod::Text));
        assert_eq!(t.sponsorship, Some(Sponsorship::State));
        assert!(rec.victims.iter().any(|v| v.vertical == Some(Vertical::AiResearch)), "{:?}", rec.victims);
        assert!(rec.victims.iter().all(|v| v.category.is_some()));
    }

    #[test]
    fn only_the_first_mebibyte_is_extracted() {
        let ex = Extractor::new(Vec::new()).unwrap();
        let mut d = "é".repeat(MAX_EXTRACT_BYTES / 2 + 3);
        d.push_str(" A Chinese state-sponsored group stole model weights.");
        let mut rec = IncidentRecord::new("s", "line 1", IncidentClaim { id: "x:3".into(), description: Some(d), ..IncidentClaim::default() });
        enrich(&mut rec, &ex);
        assert!(rec.assets.is_empty() && rec.attributions.is_empty(), "words past the cap are not read");
    }

    #[test]
    fn technique_ids_in_text_become_technique_claims_once() {
        let ex = Extractor::new(Vec::new()).unwrap();
        let mut rec = IncidentRecord::new(
            "s",
            "line 1",
            IncidentClaim {
                id: "x:2".into(),
                description: Some("Spearphishing (T1566.001) led to model theft via AML.T0024.002.".into()),
                ..IncidentClaim::default()
            },
        );
        rec.techniques.push(TechniqueClaim { id: "T1566.001".into(), name: None, evidence: None, method: ClaimMethod::Structured });
        enrich(&mut rec, &ex);
        let ids: Vec<(&str, ClaimMethod)> = rec.techniques.iter().map(|t| (t.id.as_str(), t.method)).collect();
        assert_eq!(ids, vec![("T1566.001", ClaimMethod::Structured), ("AML.T0024.002", ClaimMethod::Text)]);
    }
}
