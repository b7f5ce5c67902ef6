//! Text labels: runs extraction over an incident's title and description and adds what it finds
//! as claims with method `text` and the words that justify them.
//!
//! Where the evidence goes: asset claims carry it in `evidence`; text victims carry the matched words
//! in `category`; text attributions carry them in `basis` (`text: "…"`). Structured fields win over
//! text when both exist — that is the policy views' job (see the store's `incident_verticals`,
//! `incident_assets` and the `text_sponsors` policy), not the reader's.

use std::collections::BTreeSet;

use spyglass_extract::Extractor;
use spyglass_model::{AssetClaim, AttributionClaim, ClaimMethod, IncidentRecord, Sponsorship, VictimClaim};

/// Adds text-derived claims to `rec` from its title and description.
pub fn enrich(rec: &mut IncidentRecord, ex: &Extractor) {
    let text = match (&rec.incident.title, &rec.incident.description) {
        (Some(t), Some(d)) => format!("{t}. {d}"),
        (None, Some(d)) => d.clone(),
        (Some(t), None) => t.clone(),
        (None, None) => return,
    };
    let e = ex.extract(&text);

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
}
