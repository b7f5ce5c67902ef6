//! Actor knowledge base: resolve any vendor's group name to one actor and its state sponsor.
//!
//! ```text
//! files ──► load::* ──► Vec<KbClaim> ──► Kb::from_claims ──► kb.resolve("Brass Typhoon")
//!                        (stored as rows)                     kb.resolve_field("BRONZE STARLIGHT / DEV-0401")
//! ```
//!
//! * Loaders ([`load`]) turn MISP galaxies, ATT&CK, STIX bundles and the user's overrides into flat
//!   [`KbClaim`]s with `source_id` and `record_ref`; the store keeps them as one table.
//! * [`Kb::from_claims`] dedupes the claims and builds the alias graph ([`graph`] docs: how records of
//!   different catalogues join into one actor without chaining), the per-actor sponsor decision
//!   ([`sponsor`] docs) and the name index.
//! * [`Kb::resolve`] is a hash look-up of the normalised name ([`normalize`]), then the naming
//!   conventions ([`conventions`]). Names claimed by several actors come back with a `shared-name`
//!   conflict; an actor is chosen only on evidence (an override; the name being one actor's own
//!   name; more sources), never on file order.
//! * Analysts merge and split with claims ([`Kb::merge`], [`Kb::split`]), applied in claim order.

pub mod claim;
pub mod conventions;
pub mod error;
pub mod geo;
pub mod graph;
pub mod likelihood;
pub mod load;
pub mod normalize;
pub mod resolve;
pub mod sponsor;
pub mod text;
pub mod vendors;
pub mod view;

use std::collections::HashMap;

pub use claim::{KbClaim, KbClaimKind};
pub use error::KbError;
pub use likelihood::Likelihood;
pub use normalize::normalize;
pub use resolve::{ActorRef, AliasName, Conflict, ConflictActor, ConflictKind, Resolution};
pub use sponsor::Evidence;
pub use view::{ActorSummary, ActorView, AliasView, AnalystAction, LinkView, MemberView};

use graph::Graph;
use sponsor::ActorInfo;

/// The resolver built from claims. Cheap to query; rebuild it to add claims.
#[derive(Debug, Clone)]
pub struct Kb {
    graph: Graph,
    actors: HashMap<u32, ActorInfo>,
}

impl Kb {
    /// Builds the knowledge base. Identical claims count once (loading a file twice changes
    /// nothing); claims that fail [`KbClaim::validate`] are set aside ([`Kb::rejected`]).
    pub fn from_claims(claims: impl IntoIterator<Item = KbClaim>) -> Kb {
        let graph = Graph::build(claims);
        let mut actors = HashMap::new();
        for &root in graph.members.keys() {
            actors.insert(root, sponsor::decide(&graph, root));
        }
        sponsor::infer_from_links(&graph, &mut actors);
        Kb { graph, actors }
    }

    /// A new knowledge base with `extra` claims after the current ones (e.g. a merge claim).
    pub fn with_claims(&self, extra: impl IntoIterator<Item = KbClaim>) -> Kb {
        Kb::from_claims(self.graph.claims.iter().cloned().chain(extra))
    }

    /// The claims in use, deduplicated, in the order given.
    pub fn claims(&self) -> &[KbClaim] {
        &self.graph.claims
    }

    /// Claims set aside as invalid, with the reason.
    /// Every name of every canonical actor — `(name, actor id, actor name, sponsor)` — sorted; the
    /// dictionary text extraction matches against.
    pub fn alias_dictionary(&self) -> Vec<(String, String, String, Option<String>)> {
        let mut out = Vec::new();
        for info in self.actors.values() {
            out.push((info.name.clone(), info.id.clone(), info.name.clone(), info.sponsor.clone()));
            for a in &info.aliases {
                out.push((a.name.clone(), info.id.clone(), info.name.clone(), info.sponsor.clone()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn rejected(&self) -> &[(KbClaim, String)] {
        &self.graph.rejected
    }

    /// Number of canonical actors.
    pub fn actor_count(&self) -> usize {
        self.actors.len()
    }

    /// Number of source records (nodes), canonical or joined.
    pub fn record_count(&self) -> usize {
        self.graph.nodes.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use proptest::prelude::*;
    use spyglass_model::Sponsorship;

    const TA: &str = "misp-galaxy:threat-actor";

    fn sponsor(actor: &str, code: Option<&str>, sp: &str, evidence: &str, conf: u8) -> KbClaim {
        KbClaim {
            sponsor: code.map(str::to_string),
            sponsorship: Some(sp.into()),
            evidence: Some(evidence.into()),
            confidence: Some(conf),
            note: Some(format!("{evidence} test")),
            ..KbClaim::new(KbClaimKind::Sponsor, actor, TA, "t.json $.values[0]")
        }
    }

    fn small() -> Vec<KbClaim> {
        vec![
            KbClaim::actor("misp:a", "APT35", TA, "t.json $.values[0].value"),
            KbClaim::alias("misp:a", "Mint Sandstorm", Some("Microsoft"), TA, "t.json $.values[0].meta.synonyms[0]"),
            sponsor("misp:a", Some("IR"), "state", "origin", 75),
            KbClaim::actor("misp:b", "Charming Kitten", TA, "t.json $.values[1].value"),
            KbClaim::alias("misp:b", "Mint Sandstorm", None, TA, "t.json $.values[1].meta.synonyms[0]"),
            sponsor("misp:b", Some("IR"), "state", "origin", 75),
            KbClaim::actor("misp:c", "WIZARD SPIDER", TA, "t.json $.values[2].value"),
            sponsor("misp:c", Some("RU"), "state", "origin", 75),
            KbClaim::actor("misp:d", "Quiet Group", TA, "t.json $.values[3].value"),
            KbClaim {
                target: Some("misp:a".into()),
                relation: Some("similar".into()),
                likelihood: Some("likely".into()),
                ..KbClaim::new(KbClaimKind::Link, "misp:d", TA, "t.json $.values[3].related[0]")
            },
        ]
    }

    #[test]
    fn shared_names_are_conflicts_and_agreeing_sponsors_survive() {
        let kb = Kb::from_claims(small());
        let r = kb.resolve("mint-sandstorm");
        assert_eq!(r.actor.unwrap().id, "misp:a", "a vendor attributes the name to APT35 only");
        assert_eq!(r.conflicts[0].kind, ConflictKind::SharedName);
        assert_eq!(r.conflicts[0].actors.len(), 2);
        // Without that attribution nothing prefers one cluster: no actor, but the agreeing sponsor.
        let claims = small().into_iter().map(|mut c| {
            c.vendor = None;
            c
        });
        let r = Kb::from_claims(claims).resolve("mint-sandstorm");
        assert_eq!(r.actor, None);
        assert_eq!(r.sponsor.as_deref(), Some("IR"), "both clusters agree");
        assert!(r.resolved);
        assert_eq!(r.conflicts[0].kind, ConflictKind::SharedName);
    }

    #[test]
    fn criminal_convention_beats_a_country_of_origin() {
        let kb = Kb::from_claims(small());
        let r = kb.resolve("Wizard Spider");
        assert_eq!((r.sponsor, r.sponsorship), (None, Sponsorship::Criminal));
    }

    #[test]
    fn unknown_actor_takes_its_linked_actors_sponsor() {
        let kb = Kb::from_claims(small());
        let r = kb.resolve("Quiet Group");
        assert_eq!(r.sponsor.as_deref(), Some("IR"));
        assert!(r.basis.iter().any(|b| b.contains("linked actors agree")), "{:?}", r.basis);
    }

    #[test]
    fn conventions_for_unseen_names() {
        let kb = Kb::from_claims(small());
        let r = kb.resolve("Lunar Typhoon");
        assert!(r.resolved && r.actor.is_none());
        assert_eq!(r.sponsor.as_deref(), Some("CN"));
        assert_eq!(r.confidence, resolve::CONVENTION_CONFIDENCE);
        assert!(r.basis.iter().any(|b| b.starts_with("naming convention")));
        let r = kb.resolve("IRON PANDA");
        assert_eq!(r.sponsor, None, "IRON (RU) and PANDA (CN) disagree");
        assert_eq!(r.conflicts[0].kind, ConflictKind::ConventionDisagreement);
        assert!(!kb.resolve("Storm-9999").resolved);
    }

    #[test]
    fn merge_then_split_restores() {
        let kb = Kb::from_claims(small());
        let before: Vec<_> = ["APT35", "Charming Kitten", "Mint Sandstorm"].iter().map(|n| kb.resolve(n)).collect();
        let m = kb.merge("APT35", "Charming Kitten", "same group", "ana").unwrap();
        let merged = kb.with_claims([m]);
        assert_eq!(merged.resolve("Mint Sandstorm").actor.unwrap().id, "misp:a");
        let s = merged.split("APT35", "Charming Kitten", "not the same", "ana").unwrap();
        let after_kb = merged.with_claims([s]);
        let after: Vec<_> = ["APT35", "Charming Kitten", "Mint Sandstorm"].iter().map(|n| after_kb.resolve(n)).collect();
        assert_eq!(before, after);
    }

    proptest! {
        #[test]
        fn resolve_never_panics_and_is_separator_blind(s in "[A-Za-z0-9 ._/()-]{0,30}") {
            let kb = Kb::from_claims(small());
            let r = kb.resolve(&s);
            prop_assert!(r.confidence <= 100);
            prop_assert!(r.sponsor.is_none() || r.sponsorship.is_state_backed());
            let _ = kb.resolve_field(&s);
        }

        #[test]
        fn spelling_variants_resolve_alike(upper in any::<bool>(), sep in "[ _.-]{0,2}") {
            let kb = Kb::from_claims(small());
            let name = format!("Mint{sep}Sandstorm");
            let name = if upper { name.to_uppercase() } else { name };
            let (a, b) = (kb.resolve(&name), kb.resolve("Mint Sandstorm"));
            prop_assert_eq!((a.actor, a.sponsor, a.conflicts.len()), (b.actor, b.sponsor, b.conflicts.len()));
        }
    }
}
