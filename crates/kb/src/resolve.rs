//! Resolution of a name (or a raw incident-data field) to an actor and its sponsor.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use spyglass_model::Sponsorship;

use crate::conventions::CONVENTIONS;
use crate::graph::MatchStep;
use crate::sponsor::ActorInfo;
use crate::{Kb, load::vendor_by_form};

/// An actor's id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
}

/// A name of an actor and who uses it (`null` when no source says).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AliasName {
    pub name: String,
    pub vendor: Option<String>,
}

/// What kind of disagreement a [`Conflict`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// The name is claimed by several actors.
    SharedName,
    /// Sources disagree on an actor's sponsor.
    SponsorDisagreement,
    /// The name follows naming conventions that say different things.
    ConventionDisagreement,
}

/// One actor involved in a conflict, with the sponsor the knowledge base gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictActor {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
}

/// A disagreement the resolution did not hide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub detail: String,
    pub actors: Vec<ConflictActor>,
    /// The sponsors in play (ISO alpha-2).
    pub sponsors: Vec<String>,
}

/// The answer to "who is NAME?" — the CLI's `actor resolve --json` element.
///
/// `resolved` is true when the name matched an actor of the knowledge base (`actor` set) or gave a
/// sponsorship through a naming convention or agreeing actors. `confidence` (0–100) is the
/// confidence in the sponsor/sponsorship statement; 0 when it is `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub query: String,
    pub resolved: bool,
    pub actor: Option<ActorRef>,
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    pub confidence: u8,
    pub basis: Vec<String>,
    pub aliases: Vec<AliasName>,
    pub conflicts: Vec<Conflict>,
}

impl Resolution {
    fn unresolved(query: &str) -> Resolution {
        Resolution {
            query: query.to_string(),
            resolved: false,
            actor: None,
            sponsor: None,
            sponsorship: Sponsorship::Unknown,
            confidence: 0,
            basis: Vec::new(),
            aliases: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    fn from_actor(query: &str, info: &ActorInfo) -> Resolution {
        Resolution {
            query: query.to_string(),
            resolved: true,
            actor: Some(ActorRef { id: info.id.clone(), name: info.name.clone() }),
            sponsor: info.sponsor.clone(),
            sponsorship: info.sponsorship,
            confidence: info.confidence,
            basis: Vec::new(),
            aliases: info.aliases.clone(),
            conflicts: info.conflicts.clone(),
        }
    }
}

/// Penalties (confidence points) for a weaker path to the answer.
const FALLBACK_MATCH_PENALTY: u8 = 5;
const SHARED_NAME_AGREE_PENALTY: u8 = 10;
const SHARED_NAME_DISAGREE_PENALTY: u8 = 20;
const NO_ACTOR_AGREE_PENALTY: u8 = 15;
/// Confidence of a sponsorship read from a naming convention alone.
pub const CONVENTION_CONFIDENCE: u8 = 50;

struct Candidate<'a> {
    root: u32,
    info: &'a ActorInfo,
    hits: Vec<u32>,
    override_claim: Option<usize>,
    primary: bool,
    sources: usize,
    vendors: usize,
}

impl Kb {
    /// Resolves one actor name: a hash look-up of the normalised name (then of the name without
    /// generic words such as "Group"), then the naming conventions. Never a scan.
    pub fn resolve(&self, name: &str) -> Resolution {
        let query = name.trim();
        let (hits, step) = self.graph.lookup(query);
        if hits.is_empty() {
            return self.resolve_by_convention(query);
        }
        let mut cands: Vec<Candidate> = Vec::new();
        for h in hits {
            let a = &self.graph.aliases[h as usize];
            let root = self.graph.root[a.node as usize];
            let pos = match cands.iter().position(|c| c.root == root) {
                Some(p) => p,
                None => {
                    let Some(info) = self.actors.get(&root) else { continue };
                    cands.push(Candidate { root, info, hits: Vec::new(), override_claim: None, primary: false, sources: 0, vendors: 0 });
                    cands.len() - 1
                }
            };
            let c = &mut cands[pos];
            c.hits.push(h);
            c.override_claim = c.override_claim.max(a.override_claim);
            c.primary |= a.primary;
        }
        for c in &mut cands {
            let recs = c.hits.iter().map(|&h| &self.graph.aliases[h as usize]);
            c.sources = recs.clone().map(|a| a.source_id.as_str()).collect::<HashSet<_>>().len();
            c.vendors = recs.filter_map(|a| a.vendor.as_deref()).collect::<HashSet<_>>().len();
        }
        cands.sort_by(|a, b| a.info.id.cmp(&b.info.id));

        let (chosen, why) = choose(&cands);
        let mut res = match chosen {
            Some(i) => Resolution::from_actor(query, cands[i].info),
            None => Resolution::unresolved(query),
        };
        let matched = match &step {
            MatchStep::Exact => String::new(),
            MatchStep::QueryStripped(s) | MatchStep::BothStripped(s) => format!(" after dropping generic words (as {s:?})"),
            MatchStep::AliasStripped => " after dropping generic words from the alias".to_string(),
            MatchStep::None => String::new(),
        };
        let shown: Vec<&Candidate> = match chosen {
            Some(i) => vec![&cands[i]],
            None => cands.iter().collect(),
        };
        for c in shown {
            let mut said: HashSet<(&str, &str)> = HashSet::new();
            let distinct = c.hits.iter().filter(|&&h| {
                let a = &self.graph.aliases[h as usize];
                said.insert((a.name.as_str(), a.source_id.as_str()))
            });
            for &h in distinct.take(3) {
                let a = &self.graph.aliases[h as usize];
                let vendor = a.vendor.as_deref().map(|v| format!(", used by {v}")).unwrap_or_default();
                res.basis.push(format!(
                    "{query:?} matched{matched} alias {:?} of {} ({}){vendor} [{}: {}]",
                    a.name, c.info.id, c.info.name, a.source_id, a.record_ref
                ));
            }
        }
        if cands.len() > 1 {
            res.conflicts.insert(0, shared_name_conflict(query, &cands));
            res.basis.push(why);
        }
        match chosen {
            Some(i) => {
                let me = cands[i].info;
                res.basis.extend(me.basis.iter().cloned());
                let others: Vec<&ActorInfo> = cands.iter().filter(|c| c.info.id != me.id && c.info.sponsorship != Sponsorship::Unknown).map(|c| c.info).collect();
                if me.sponsorship == Sponsorship::Unknown
                    && let Some(o) = others.first()
                    && others.iter().all(|x| (x.sponsor.as_ref(), x.sponsorship) == (o.sponsor.as_ref(), o.sponsorship))
                {
                    res.sponsor = o.sponsor.clone();
                    res.sponsorship = o.sponsorship;
                    res.confidence = others.iter().map(|x| x.confidence).min().unwrap_or(0).saturating_sub(SHARED_NAME_DISAGREE_PENALTY);
                    let what = o.sponsor.clone().unwrap_or_else(|| o.sponsorship.to_string());
                    res.basis.push(format!("{} has no sponsor evidence; the other actors with this name agree on {what}", me.name));
                    return self.finish(res, &step);
                }
                if cands.len() > 1 {
                    let disagree = cands.iter().any(|c| (c.info.sponsor.as_ref(), c.info.sponsorship) != (me.sponsor.as_ref(), me.sponsorship));
                    let penalty = if disagree { SHARED_NAME_DISAGREE_PENALTY } else { SHARED_NAME_AGREE_PENALTY };
                    res.confidence = res.confidence.saturating_sub(penalty);
                }
            }
            None => self.sponsor_without_actor(&mut res, &cands),
        }
        self.finish(res, &step)
    }

    fn finish(&self, mut res: Resolution, step: &MatchStep) -> Resolution {
        if *step != MatchStep::Exact && res.confidence > 0 {
            res.confidence = res.confidence.saturating_sub(FALLBACK_MATCH_PENALTY);
        }
        res
    }

    fn sponsor_without_actor(&self, res: &mut Resolution, cands: &[Candidate]) {
        res.aliases.clear();
        let first = cands[0].info;
        let agree = cands.iter().all(|c| (c.info.sponsor.as_ref(), c.info.sponsorship) == (first.sponsor.as_ref(), first.sponsorship));
        if agree && first.sponsorship != Sponsorship::Unknown {
            res.resolved = true;
            res.sponsor = first.sponsor.clone();
            res.sponsorship = first.sponsorship;
            res.confidence = cands.iter().map(|c| c.info.confidence).min().unwrap_or(0).saturating_sub(NO_ACTOR_AGREE_PENALTY);
            let what = first.sponsor.clone().unwrap_or_else(|| first.sponsorship.to_string());
            res.basis.push(format!("all {} actors claiming the name agree: {what}", cands.len()));
        } else {
            let views: Vec<String> = cands
                .iter()
                .map(|c| format!("{} ({}): {}", c.info.name, c.info.id, c.info.sponsor.clone().unwrap_or_else(|| c.info.sponsorship.to_string())))
                .collect();
            res.basis.push(format!("the actors claiming the name disagree, so no sponsor is given: {}", views.join("; ")));
        }
    }

    fn resolve_by_convention(&self, query: &str) -> Resolution {
        let mut res = Resolution::unresolved(query);
        let all = CONVENTIONS.matches(query);
        let informative: Vec<_> = all.iter().filter(|c| c.is_informative()).collect();
        if let Some(v) = vendor_by_form(query) {
            res.aliases.push(AliasName { name: query.to_string(), vendor: Some(v.to_string()) });
        }
        let Some(first) = informative.first() else {
            if let Some(c) = all.first() {
                res.basis.push(format!("naming convention: {}", c.describe()));
            }
            return res;
        };
        let agree = informative.iter().all(|c| (c.sponsor.as_ref(), c.sponsorship) == (first.sponsor.as_ref(), first.sponsorship));
        if agree {
            res.resolved = true;
            res.sponsor = first.sponsor.clone();
            res.sponsorship = first.sponsorship;
            res.confidence = CONVENTION_CONFIDENCE;
            res.basis.push(format!("{query:?} is not in the knowledge base"));
            for c in &informative {
                res.basis.push(format!("naming convention: {}", c.describe()));
            }
        } else {
            res.aliases.clear();
            let sponsors: BTreeSet<String> = informative.iter().filter_map(|c| c.sponsor.clone()).collect();
            res.basis.push(format!("{query:?} is not in the knowledge base and follows conventions that disagree"));
            res.conflicts.push(crate::resolve::Conflict {
                kind: ConflictKind::ConventionDisagreement,
                detail: informative.iter().map(|c| c.describe()).collect::<Vec<_>>().join(" vs "),
                actors: Vec::new(),
                sponsors: sponsors.into_iter().collect(),
            });
        }
        res
    }

    /// Resolves a raw incident-data field that may hold several names: "BRONZE STARLIGHT /
    /// DEV-0401", "APT1/Comment Crew/… (PLA, Unit 61398)", "NSA/Equation Group".
    ///
    /// The whole field is tried first; then it is split on `/ ; , | < >` and " and " / " & ", and
    /// each part that resolves is kept (one result per actor, in field order). Parenthetical
    /// remarks are affiliations ("(PLA, Unit 61398)"): they are used only when no part outside
    /// them resolves. When nothing resolves, the result is the resolution of the whole field.
    pub fn resolve_field(&self, field: &str) -> Vec<Resolution> {
        let clean = field.replace('\u{a0}', " ");
        let clean = clean.trim().trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']')).trim();
        let whole = self.resolve(clean);
        if whole.actor.is_some() || clean.is_empty() {
            return vec![whole];
        }
        let (main, parens) = split_parentheticals(clean);
        let mut out: Vec<Resolution> = Vec::new();
        self.resolve_parts(&main, &mut out);
        if out.is_empty() {
            for p in &parens {
                let r = self.resolve(p);
                if r.resolved {
                    push_unique(&mut out, r);
                    continue;
                }
                let joined = p.replace([',', ';'], " ");
                let r = self.resolve(&joined);
                if r.resolved {
                    push_unique(&mut out, r);
                } else {
                    self.resolve_parts(p, &mut out);
                }
            }
        }
        if out.is_empty() { vec![whole] } else { out }
    }

    fn resolve_parts(&self, text: &str, out: &mut Vec<Resolution>) {
        for part in split_names(text) {
            let r = self.resolve(&part);
            if r.resolved {
                push_unique(out, r);
            }
        }
    }
}

fn choose(cands: &[Candidate]) -> (Option<usize>, String) {
    if cands.len() == 1 {
        return (Some(0), String::new());
    }
    let names = |v: &[&Candidate]| v.iter().map(|c| format!("{} ({})", c.info.name, c.info.id)).collect::<Vec<_>>().join(", ");
    if let Some(best) = cands.iter().filter_map(|c| c.override_claim).max() {
        let i = cands.iter().position(|c| c.override_claim == Some(best)).unwrap_or(0);
        let others: Vec<&Candidate> = cands.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c).collect();
        return (Some(i), format!("the name is also claimed by {}; an analyst override chooses {}", names(&others), cands[i].info.name));
    }
    let score = |c: &Candidate| u32::from(c.primary) * 100 + c.sources as u32 * 10 + c.vendors as u32 * 5;
    let best = cands.iter().map(score).max().unwrap_or(0);
    let top: Vec<usize> = (0..cands.len()).filter(|&i| score(&cands[i]) == best).collect();
    if let [i] = top.as_slice() {
        let c = &cands[*i];
        let others: Vec<&Candidate> = cands.iter().enumerate().filter(|(j, _)| j != i).map(|(_, c)| c).collect();
        let reason = if c.primary && !others.iter().any(|o| o.primary) {
            "it is that actor's own name, a mere alias of the others".to_string()
        } else {
            format!("more sources/vendors give it that name ({} sources, {} vendors)", c.sources, c.vendors)
        };
        return (Some(*i), format!("the name is also claimed by {}; chose {} because {reason}", names(&others), c.info.name));
    }
    let all: Vec<&Candidate> = cands.iter().collect();
    (None, format!("the name is claimed by {} actors with equal evidence: {}; no actor is chosen", cands.len(), names(&all)))
}

fn shared_name_conflict(query: &str, cands: &[Candidate]) -> Conflict {
    let actors: Vec<ConflictActor> = cands
        .iter()
        .map(|c| ConflictActor { id: c.info.id.clone(), name: c.info.name.clone(), sponsor: c.info.sponsor.clone() })
        .collect();
    let sponsors: BTreeSet<String> = cands.iter().filter_map(|c| c.info.sponsor.clone()).collect();
    let _ = cands.first().map(|c| c.root);
    Conflict {
        kind: ConflictKind::SharedName,
        detail: format!("{query:?} is a name of {} different actors", cands.len()),
        actors,
        sponsors: sponsors.into_iter().collect(),
    }
}

fn push_unique(out: &mut Vec<Resolution>, r: Resolution) {
    let dup = out.iter().any(|o| match (&o.actor, &r.actor) {
        (Some(a), Some(b)) => a.id == b.id,
        (None, None) => (o.sponsor.as_ref(), o.sponsorship, crate::normalize(&o.query)) == (r.sponsor.as_ref(), r.sponsorship, crate::normalize(&r.query)),
        _ => false,
    });
    if !dup {
        out.push(r);
    }
}

/// Top-level parenthetical remarks removed from the text, and the remarks themselves.
fn split_parentheticals(text: &str) -> (String, Vec<String>) {
    let mut main = String::new();
    let mut parens = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    parens.push(std::mem::take(&mut cur).trim().to_string());
                    main.push(' ');
                } else {
                    cur.push(c);
                }
            }
            _ if depth > 0 => cur.push(c),
            _ => main.push(c),
        }
    }
    if !cur.trim().is_empty() {
        parens.push(cur.trim().to_string());
    }
    (main, parens.into_iter().filter(|p| !p.is_empty()).collect())
}

/// The name-like parts of a field, split on separators.
fn split_names(text: &str) -> Vec<String> {
    let mut s = text.to_string();
    for sep in [" and ", " AND ", " & ", " aka ", " a.k.a. ", " AKA "] {
        s = s.replace(sep, "/");
    }
    s.split(['/', ';', ',', '|', '<', '>', '\n'])
        .map(|p| p.trim().trim_matches(|c: char| c == '"' || c == '\'' || c == '.').trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn parentheticals_split() {
        let (main, p) = split_parentheticals("APT1/Comment Crew (PLA, Unit 61398)");
        assert_eq!(main.trim(), "APT1/Comment Crew");
        assert_eq!(p, ["PLA, Unit 61398"]);
        let (_, p) = split_parentheticals("X (GRU, 85th (GTsSS) Unit 26165)");
        assert_eq!(p, ["GRU, 85th (GTsSS) Unit 26165"]);
    }

    #[test]
    fn names_split() {
        assert_eq!(split_names("BRONZE STARLIGHT / DEV-0401"), ["BRONZE STARLIGHT", "DEV-0401"]);
        assert_eq!(split_names("NSA/Equation Group"), ["NSA", "Equation Group"]);
        assert_eq!(split_names("Anonymous and LulzSec; GhostSec"), ["Anonymous", "LulzSec", "GhostSec"]);
    }
}
