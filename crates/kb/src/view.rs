//! What `actor show` and `actor list` print, and the analyst's merge/split claims.

use serde::{Deserialize, Serialize};
use spyglass_model::Sponsorship;

use crate::graph::Edge;
use crate::resolve::{ActorRef, Conflict};
use crate::sponsor::Evidence;
use crate::{Kb, KbClaim, KbClaimKind, KbError};

/// One name of an actor, who uses it and which sources say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasView {
    pub name: String,
    pub vendor: Option<String>,
    /// `source_id: record_ref` for each source that gives the name.
    pub sources: Vec<String>,
}

/// A source record that is part of the actor, and why it was joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    /// `canonical` for the actor's own record; otherwise the evidence that joined it.
    pub joined: String,
}

/// A link to another actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    pub relation: String,
    pub other: ActorRef,
    pub likelihood: Option<String>,
    /// ICD 203 probability band of the likelihood, in percent.
    pub probability: Option<(u8, u8)>,
    pub source: String,
}

/// An analyst merge or split that involves the actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalystAction {
    /// `merge` or `split`.
    pub action: String,
    pub actor: String,
    pub other: String,
    pub analyst: Option<String>,
    pub reason: Option<String>,
    pub recorded_at: Option<String>,
    /// Whether the claim changed the actor graph (a split of separate actors does not).
    pub in_effect: bool,
}

/// Everything the knowledge base knows about one actor (`spyglass actor show`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorView {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    pub confidence: u8,
    pub basis: Vec<String>,
    pub aliases: Vec<AliasView>,
    pub members: Vec<MemberView>,
    pub links: Vec<LinkView>,
    pub evidence: Vec<Evidence>,
    pub analyst: Vec<AnalystAction>,
    pub conflicts: Vec<Conflict>,
}

/// One line of `spyglass actor list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    pub confidence: u8,
    pub aliases: usize,
}

impl Kb {
    /// The canonical actors, optionally only those with this sponsor (alpha-2, any case), sorted by
    /// name then id.
    pub fn list(&self, sponsor: Option<&str>) -> Vec<ActorSummary> {
        let want = sponsor.map(|s| s.trim().to_ascii_uppercase());
        let mut out: Vec<ActorSummary> = self
            .actors
            .values()
            .filter(|a| want.is_none() || a.sponsor.as_deref() == want.as_deref())
            .map(|a| ActorSummary {
                id: a.id.clone(),
                name: a.name.clone(),
                sponsor: a.sponsor.clone(),
                sponsorship: a.sponsorship,
                confidence: a.confidence,
                aliases: a.aliases.len(),
            })
            .collect();
        out.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        out
    }

    /// The node an analyst argument names: an actor id, or the record whose name it is.
    fn locate(&self, name_or_id: &str) -> Result<u32, KbError> {
        if let Some(&n) = self.graph.node_index.get(name_or_id.trim()) {
            return Ok(n);
        }
        let res = self.resolve(name_or_id);
        let Some(actor) = res.actor else {
            if res.conflicts.is_empty() {
                return Err(KbError::UnknownActor { name: name_or_id.to_string() });
            }
            let candidates = res.conflicts[0].actors.iter().map(|a| a.id.clone()).collect::<Vec<_>>().join(", ");
            return Err(KbError::AmbiguousActor { name: name_or_id.to_string(), candidates });
        };
        let root = self.graph.node_index.get(&actor.id).copied().ok_or_else(|| KbError::UnknownActor { name: name_or_id.to_string() })?;
        // Within the actor, the record whose own name it is (strongest tier first), else the root.
        let (hits, _) = self.graph.lookup(name_or_id);
        let best = hits
            .iter()
            .map(|&h| &self.graph.aliases[h as usize])
            .filter(|a| self.graph.root[a.node as usize] == root && a.primary)
            .map(|a| a.node)
            .min_by_key(|&n| (self.graph.nodes[n as usize].tier, self.graph.nodes[n as usize].id.clone()));
        Ok(best.unwrap_or(root))
    }

    /// Everything about the actor a name or id resolves to, or `None`.
    pub fn show(&self, name_or_id: &str) -> Option<ActorView> {
        let node = self.locate(name_or_id).ok()?;
        let root = self.graph.root[node as usize];
        let info = self.actors.get(&root)?;
        let g = &self.graph;
        let members = g.members.get(&root).cloned().unwrap_or_else(|| vec![root]);
        let mut aliases: Vec<AliasView> = Vec::new();
        for &m in &members {
            for &ai in &g.node_aliases[m as usize] {
                let a = &g.aliases[ai as usize];
                let src = format!("{}: {}", a.source_id, a.record_ref);
                match aliases.iter_mut().find(|v| crate::normalize(&v.name) == crate::normalize(&a.name) && v.vendor == a.vendor) {
                    Some(v) => {
                        if !v.sources.contains(&src) {
                            v.sources.push(src);
                        }
                    }
                    None => aliases.push(AliasView { name: a.name.clone(), vendor: a.vendor.clone(), sources: vec![src] }),
                }
            }
        }
        aliases.sort_by(|a, b| (a.name.to_lowercase(), &a.vendor).cmp(&(b.name.to_lowercase(), &b.vendor)));
        let member_views = members
            .iter()
            .map(|&m| {
                let n = &g.nodes[m as usize];
                let joined = match &g.parent[m as usize] {
                    None => "canonical".to_string(),
                    Some((p, Edge::Source { score, why })) => format!("joined {} (score {score}): {why}", g.nodes[*p as usize].id),
                    Some((p, Edge::Analyst { claim })) => {
                        let c = &g.claims[*claim];
                        format!(
                            "merged into {} by {} ({})",
                            g.nodes[*p as usize].id,
                            c.analyst.as_deref().unwrap_or("an analyst"),
                            c.note.as_deref().unwrap_or("no reason given")
                        )
                    }
                };
                MemberView { id: n.id.clone(), name: n.name.clone(), joined }
            })
            .collect();
        let mut links = Vec::new();
        for l in &g.links {
            let (mine, other) = if g.root[l.a as usize] == root {
                (l.a, l.b)
            } else if g.root[l.b as usize] == root {
                (l.b, l.a)
            } else {
                continue;
            };
            let other_root = g.root[other as usize];
            if other_root == root || !g.nodes[mine as usize].declared {
                continue;
            }
            let Some(oi) = self.actors.get(&other_root) else { continue };
            let c = &g.claims[l.claim];
            let view = LinkView {
                relation: l.kind.as_str().to_string(),
                other: ActorRef { id: oi.id.clone(), name: oi.name.clone() },
                likelihood: l.likelihood.map(|x| x.as_str().to_string()),
                probability: l.likelihood.map(|x| x.band()),
                source: format!("{}: {}", c.source_id, c.record_ref),
            };
            if !links.contains(&view) {
                links.push(view);
            }
        }
        let ids: Vec<&str> = members.iter().map(|&m| g.nodes[m as usize].id.as_str()).collect();
        let analyst = g
            .analyst
            .iter()
            .filter(|(ci, _)| {
                let c = &g.claims[*ci];
                ids.contains(&c.actor.as_str()) || c.target.as_deref().is_some_and(|t| ids.contains(&t))
            })
            .map(|(ci, effect)| {
                let c = &g.claims[*ci];
                AnalystAction {
                    action: c.kind.as_str().to_string(),
                    actor: c.actor.clone(),
                    other: c.target.clone().unwrap_or_default(),
                    analyst: c.analyst.clone(),
                    reason: c.note.clone(),
                    recorded_at: c.recorded_at.clone(),
                    in_effect: *effect,
                }
            })
            .collect();
        Some(ActorView {
            id: info.id.clone(),
            name: info.name.clone(),
            sponsor: info.sponsor.clone(),
            sponsorship: info.sponsorship,
            confidence: info.confidence,
            basis: info.basis.clone(),
            aliases,
            members: member_views,
            links,
            evidence: info.evidence.clone(),
            analyst,
            conflicts: info.conflicts.clone(),
        })
    }

    fn analyst_claim(
        &self,
        kind: KbClaimKind,
        a: &str,
        b: &str,
        reason: &str,
        analyst: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<KbClaim, KbError> {
        let na = self.locate(a)?;
        let nb = self.locate(b)?;
        let same = self.graph.root[na as usize] == self.graph.root[nb as usize];
        match (kind, same) {
            (KbClaimKind::Merge, true) => return Err(KbError::NoEffect { reason: format!("{a:?} and {b:?} are already one actor") }),
            (KbClaimKind::Split, false) => return Err(KbError::NoEffect { reason: format!("{a:?} and {b:?} are already separate actors") }),
            _ => {}
        }
        Ok(KbClaim {
            target: Some(self.graph.nodes[nb as usize].id.clone()),
            analyst: Some(analyst.to_string()),
            note: Some(reason.to_string()),
            recorded_at: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            ..KbClaim::new(kind, self.graph.nodes[na as usize].id.clone(), "analyst", format!("{} by {analyst}", kind.as_str()))
        })
    }

    /// An analyst's claim that `a` and `b` (names or ids) are one actor; `a` stays canonical.
    /// Build a new [`Kb`] with the claim appended ([`Kb::with_claims`]) to apply it.
    pub fn merge(&self, a: &str, b: &str, reason: &str, analyst: &str) -> Result<KbClaim, KbError> {
        self.merge_at(a, b, reason, analyst, chrono::Utc::now())
    }

    /// [`Kb::merge`] at a given time (tests, replays).
    pub fn merge_at(&self, a: &str, b: &str, reason: &str, analyst: &str, at: chrono::DateTime<chrono::Utc>) -> Result<KbClaim, KbError> {
        self.analyst_claim(KbClaimKind::Merge, a, b, reason, analyst, at)
    }

    /// An analyst's claim that `a` and `b` are different actors: undoes a merge between them, or
    /// cuts the source link that joined them.
    pub fn split(&self, a: &str, b: &str, reason: &str, analyst: &str) -> Result<KbClaim, KbError> {
        self.split_at(a, b, reason, analyst, chrono::Utc::now())
    }

    /// [`Kb::split`] at a given time.
    pub fn split_at(&self, a: &str, b: &str, reason: &str, analyst: &str, at: chrono::DateTime<chrono::Utc>) -> Result<KbClaim, KbError> {
        self.analyst_claim(KbClaimKind::Split, a, b, reason, analyst, at)
    }
}
