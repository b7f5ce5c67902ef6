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
