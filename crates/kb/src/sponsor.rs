//! Who is behind an actor: one decision per canonical actor from all the evidence of its records.
//!
//! Evidence classes (from [`KbClaim::evidence`] and naming conventions of the actor's aliases):
//! *sponsor* (a source names a state sponsor: `cfr-suspected-state-sponsor`, Microsoft's origin of a
//! nation-state group, "X state-sponsored" in a description, a nation convention such as `… PANDA`),
//! *origin* (a country of origin only: MISP `country`, "China-based"), *motive* (criminal,
//! hacktivist, private-sector offensive actor). The decision, in order:
//!
//! 1. an analyst override (the latest) decides;
//! 2. *sponsor* evidence that outweighs the criminal evidence → state (state-affiliated when
//!    hacktivist evidence is also present), the country chosen by vote over sponsor and origin
//!    evidence. Weights: each source counts once with its strongest item, and naming conventions
//!    count once per vendor — so WIZARD SPIDER (named criminal by CrowdStrike, Microsoft, Mandiant
//!    and Secureworks) stays criminal although the CFR names Russia, while APT41 (PANDA, Typhoon,
//!    BRONZE, a CFR sponsor against one SPIDER name) stays Chinese;
//! 3. else criminal or hacktivist evidence → that sponsorship, **no sponsor** (the country of a
//!    criminal group is where it operates, not who sponsors it);
//! 4. else a private-sector-offensive-actor note → unknown;
//! 5. else origin evidence → state with that country (MISP lists a country for state groups);
//! 6. else unknown — and then, if the actor is linked (`similar`/`overlaps`, likely or better) to
//!    actors that all agree on a sponsor, that sponsor with 20 points less confidence.
//!
//! The vote: each source counts once per country with its strongest evidence; the largest total
//! wins; a tie gives no sponsor. Confidence: the strongest agreeing evidence, +5 per further
//! agreeing source (at most +10), capped at 95; −20 when sources name another country.

use std::collections::{BTreeMap, HashSet};

use spyglass_model::Sponsorship;

use crate::conventions::CONVENTIONS;
use crate::graph::Graph;
use crate::normalize::normalize;
use crate::resolve::{AliasName, Conflict, ConflictActor, ConflictKind};
use crate::KbClaimKind;

/// The source id naming-convention evidence is counted under.
pub const CONVENTION_SOURCE: &str = "naming conventions";
const CONVENTION_WEIGHT: u8 = 65;
const OVERRIDE_DEFAULT: u8 = 95;

/// Evidence class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvidenceClass {
    Override,
    Sponsor,
    Origin,
    Motive,
}

/// One piece of sponsor evidence, as shown in `actor show`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    /// `override`, `sponsor`, `origin` or `motive`.
    pub class: String,
    pub confidence: u8,
    pub source_id: String,
    pub record_ref: String,
    pub note: String,
}

/// The conclusions about one canonical actor, computed once when the knowledge base is built.
#[derive(Debug, Clone)]
pub(crate) struct ActorInfo {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    pub confidence: u8,
    pub basis: Vec<String>,
    pub aliases: Vec<AliasName>,
    pub conflicts: Vec<Conflict>,
    pub evidence: Vec<Evidence>,
}

struct Item {
    class: EvidenceClass,
    ev: Evidence,
    claim: usize,
}

fn class_name(c: EvidenceClass) -> &'static str {
    match c {
        EvidenceClass::Override => "override",
        EvidenceClass::Sponsor => "sponsor",
        EvidenceClass::Origin => "origin",
        EvidenceClass::Motive => "motive",
    }
}

fn gather(g: &Graph, members: &[u32]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut claim_ids: Vec<usize> = members.iter().flat_map(|&m| g.node_claims[m as usize].iter().copied()).collect();
    claim_ids.sort_unstable();
    for ci in claim_ids {
        let c = &g.claims[ci];
        let sponsorship = c.sponsorship.as_deref().and_then(|s| s.parse().ok());
        let class = match (c.kind, c.evidence.as_deref()) {
            (KbClaimKind::Override, _) => {
                if c.sponsor.is_none() && sponsorship.is_none() {
                    continue;
                }
                EvidenceClass::Override
            }
            (_, Some("origin")) => EvidenceClass::Origin,
            (_, Some("motive")) => EvidenceClass::Motive,
            _ => EvidenceClass::Sponsor,
        };
        let sponsorship = sponsorship.unwrap_or(if c.sponsor.is_some() { Sponsorship::State } else { Sponsorship::Unknown });
        let default_conf = if class == EvidenceClass::Override { OVERRIDE_DEFAULT } else { 50 };
        items.push(Item {
            class,
            claim: ci,
            ev: Evidence {
                sponsor: c.sponsor.clone(),
                sponsorship,
                class: class_name(class).to_string(),
                confidence: c.confidence.unwrap_or(default_conf).min(100),
                source_id: c.source_id.clone(),
                record_ref: c.record_ref.clone(),
                note: c.note.clone().unwrap_or_default(),
            },
        });
    }
    // Naming conventions of the actor's aliases; an alias whose conventions disagree says nothing.
    let mut seen = HashSet::new();
    for a in member_aliases(g, members) {
        if !seen.insert(normalize(&a.name)) {
            continue;
        }
        let found: Vec<_> = CONVENTIONS.matches(&a.name).into_iter().filter(|c| c.is_informative()).collect();
        let Some(first) = found.first() else { continue };
        if found.iter().any(|c| (c.sponsor.as_ref(), c.sponsorship) != (first.sponsor.as_ref(), first.sponsorship)) {
            continue;
        }
        let class = if first.sponsor.is_some() { EvidenceClass::Sponsor } else { EvidenceClass::Motive };
        items.push(Item {
            class,
            claim: usize::MAX,
            ev: Evidence {
                sponsor: first.sponsor.clone(),
                sponsorship: first.sponsorship,
                class: class_name(class).to_string(),
                confidence: CONVENTION_WEIGHT,
                source_id: format!("{CONVENTION_SOURCE}: {}", first.vendor),
                record_ref: format!("alias {:?}", a.name),
                note: format!("naming convention: {:?} follows {}", a.name, first.describe()),
            },
        });
    }
    items
}

fn member_aliases<'a>(g: &'a Graph, members: &'a [u32]) -> impl Iterator<Item = &'a crate::graph::AliasRec> {
    members.iter().flat_map(move |&m| g.node_aliases[m as usize].iter().map(move |&i| &g.aliases[i as usize]))
}

fn line(e: &Evidence) -> String {
    format!("{} [{}: {}]", e.note, e.source_id, e.record_ref)
}

/// (winner, votes per country, tie)
fn vote<'a>(items: impl Iterator<Item = &'a Item>) -> (Option<String>, BTreeMap<String, u32>, bool) {
    let mut per_source: BTreeMap<(String, String), u8> = BTreeMap::new();
    for it in items {
        if let Some(s) = &it.ev.sponsor {
            let e = per_source.entry((s.clone(), it.ev.source_id.clone())).or_insert(0);
            *e = (*e).max(it.ev.confidence);
        }
    }
    let mut totals: BTreeMap<String, u32> = BTreeMap::new();
    for ((country, _), w) in per_source {
        *totals.entry(country).or_insert(0) += u32::from(w);
    }
    let best = totals.values().copied().max().unwrap_or(0);
    let winners: Vec<&String> = totals.iter().filter(|(_, v)| **v == best).map(|(k, _)| k).collect();
    match winners.as_slice() {
        [one] => (Some((*one).clone()), totals.clone(), false),
        [] => (None, totals, false),
        _ => (None, totals, true),
    }
}

fn corroborated<'a>(agreeing: impl Iterator<Item = &'a Item>) -> (u8, Vec<&'a Item>) {
    let mut list: Vec<&Item> = agreeing.collect();
    list.sort_by(|a, b| b.ev.confidence.cmp(&a.ev.confidence).then(a.ev.source_id.cmp(&b.ev.source_id)));
    let sources: HashSet<&str> = list.iter().map(|i| i.ev.source_id.as_str()).collect();
    let base = list.first().map_or(0, |i| i.ev.confidence);
    let bonus = 5 * (sources.len().saturating_sub(1).min(2)) as u8;
    (base.saturating_add(bonus).min(95), list)
}

/// The actor's aliases for output: one entry per (name, vendor); names without a vendor are
/// dropped when the same name has one. The actor's own name comes first.
fn alias_list(g: &Graph, members: &[u32], root_name: &str) -> Vec<AliasName> {
    let mut by_key: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for a in member_aliases(g, members) {
        let e = by_key.entry(normalize(&a.name)).or_insert_with(|| (a.name.clone(), Vec::new()));
        if a.primary && a.node == members[0] {
            e.0 = a.name.clone();
        }
        if let Some(v) = &a.vendor
            && !e.1.contains(v)
        {
            e.1.push(v.clone());
        }
    }
    let root_key = normalize(root_name);
    let mut out = Vec::new();
    let mut keys: Vec<&String> = by_key.keys().collect();
    keys.sort_by_key(|k| (**k != root_key, by_key[*k].0.to_lowercase()));
    for k in keys {
        let (name, vendors) = &by_key[k];
        if vendors.is_empty() {
            out.push(AliasName { name: name.clone(), vendor: None });
        }
        let mut vs = vendors.clone();
        vs.sort();
        for v in vs {
            out.push(AliasName { name: name.clone(), vendor: Some(v) });
        }
    }
    out
}

/// The decision for the actor rooted at `root`.
pub(crate) fn decide(g: &Graph, root: u32) -> ActorInfo {
    let members = g.members.get(&root).cloned().unwrap_or_else(|| vec![root]);
    let node = &g.nodes[root as usize];
    let items = gather(g, &members);
    let mut info = ActorInfo {
        id: node.id.clone(),
        name: node.name.clone(),
        sponsor: None,
        sponsorship: Sponsorship::Unknown,
        confidence: 0,
        basis: Vec::new(),
        aliases: alias_list(g, &members, &node.name),
        conflicts: Vec::new(),
        evidence: items.iter().map(|i| i.ev.clone()).collect(),
    };
    let of = |c: EvidenceClass| items.iter().filter(move |i| i.class == c);
    let motive = |s: Sponsorship| items.iter().filter(move |i| i.class == EvidenceClass::Motive && i.ev.sponsorship == s);

    if let Some(ov) = of(EvidenceClass::Override).max_by_key(|i| i.claim) {
        info.sponsor = ov.ev.sponsor.clone();
        info.sponsorship = ov.ev.sponsorship;
        info.confidence = ov.ev.confidence;
        info.basis.push(format!("analyst override: {} [{}: {}]", describe(&ov.ev), ov.ev.source_id, ov.ev.record_ref));
        return info;
    }
    let explicit: Vec<&Item> = of(EvidenceClass::Sponsor).filter(|i| i.ev.sponsor.is_some()).collect();
    let state_score = class_score(explicit.iter().copied());
    let criminal_score = class_score(motive(Sponsorship::Criminal));
    let hacktivist_score = class_score(motive(Sponsorship::Hacktivist));
    let criminal_max = (criminal_score > 0).then_some(criminal_score);
    let hacktivist_max = (hacktivist_score > 0).then_some(hacktivist_score);
    let state_wins = !explicit.is_empty() && state_score > criminal_score;
    let nothing_else = criminal_max.is_none() && hacktivist_max.is_none() && motive(Sponsorship::Unknown).next().is_none();

    if state_wins || nothing_else {
        let candidates = items.iter().filter(|i| matches!(i.class, EvidenceClass::Sponsor | EvidenceClass::Origin) && i.ev.sponsor.is_some());
        let (winner, totals, tie) = vote(candidates);
        if tie {
            info.basis.push(format!("sources disagree on the sponsor with equal weight: {}", fmt_totals(&totals)));
            info.conflicts.push(Conflict {
                kind: ConflictKind::SponsorDisagreement,
                detail: format!("sources name different sponsors for {} with equal weight: {}", info.name, fmt_totals(&totals)),
                actors: vec![ConflictActor { id: info.id.clone(), name: info.name.clone(), sponsor: None }],
                sponsors: totals.keys().cloned().collect(),
            });
            return info;
        }
        let Some(country) = winner else { return info };
        let (mut conf, support) = corroborated(items.iter().filter(|i| {
            matches!(i.class, EvidenceClass::Sponsor | EvidenceClass::Origin) && i.ev.sponsor.as_deref() == Some(&country)
        }));
        let affiliated = hacktivist_max.is_some() && !explicit.is_empty()
            || explicit.iter().all(|i| i.ev.sponsorship == Sponsorship::StateAffiliated) && !explicit.is_empty();
        info.sponsorship = if affiliated { Sponsorship::StateAffiliated } else { Sponsorship::State };

        for it in support.iter().take(4) {
            info.basis.push(format!("sponsor {country}: {}", line(&it.ev)));
        }
        if explicit.is_empty() {
            info.basis.push("only a country of origin is known; read as a state actor (no criminal or hacktivist evidence)".into());
        }
        if criminal_max.is_some() {
            info.basis.push(format!("criminal evidence (weight {criminal_score}) is outweighed by state evidence (weight {state_score})"));
        }
        if totals.len() > 1 {
            conf = conf.saturating_sub(20);
            let others: Vec<String> = totals.keys().filter(|k| **k != country).cloned().collect();
            for it in items.iter().filter(|i| i.ev.sponsor.as_ref().is_some_and(|s| others.contains(s))).take(3) {
                info.basis.push(format!("outvoted: {} says {}: {}", it.ev.source_id, it.ev.sponsor.as_deref().unwrap_or("?"), line(&it.ev)));
            }
            info.conflicts.push(Conflict {
                kind: ConflictKind::SponsorDisagreement,
                detail: format!("sources disagree on the sponsor of {}: {}", info.name, fmt_totals(&totals)),
                actors: vec![ConflictActor { id: info.id.clone(), name: info.name.clone(), sponsor: Some(country.clone()) }],
                sponsors: totals.keys().cloned().collect(),
            });
        }
        info.sponsor = Some(country);
        info.confidence = conf;
        return info;
    }
    let kind = match (criminal_max, hacktivist_max) {
        (Some(c), Some(h)) if h > c => Some(Sponsorship::Hacktivist),
        (Some(_), _) => Some(Sponsorship::Criminal),
        (None, Some(_)) => Some(Sponsorship::Hacktivist),
        (None, None) => None,
    };
    match kind {
        Some(k) => {
            let (conf, support) = corroborated(motive(k));
            info.sponsorship = k;
            info.confidence = conf;
            for it in support.iter().take(4) {
                info.basis.push(format!("{k}: {}", line(&it.ev)));
            }
            if !explicit.is_empty() {
                info.basis.push(format!("state evidence (weight {state_score}) is outweighed by {k} evidence (weight {})", criminal_score.max(hacktivist_score)));
            }
            let origins: Vec<&str> = of(EvidenceClass::Origin).filter_map(|i| i.ev.sponsor.as_deref()).collect();
            if !origins.is_empty() {
                info.basis.push(format!("country of origin {} is not a state sponsor of a {k} group", dedup_join(&origins)));
            }
        }
        None => {
            if let Some(it) = motive(Sponsorship::Unknown).next() {
                info.basis.push(format!("no state sponsor: {}", line(&it.ev)));
            }
        }
    }
    info
}

/// Weight of a class of evidence: each source counts once, with its strongest item.
fn class_score<'a>(items: impl Iterator<Item = &'a Item>) -> u32 {
    let mut per_source: BTreeMap<&str, u8> = BTreeMap::new();
    for it in items {
        let e = per_source.entry(it.ev.source_id.as_str()).or_insert(0);
        *e = (*e).max(it.ev.confidence);
    }
    per_source.values().map(|&c| u32::from(c)).sum()
}

fn describe(e: &Evidence) -> String {
    match &e.sponsor {
        Some(s) => format!("sponsor {s} ({})", e.sponsorship),
        None => format!("{}", e.sponsorship),
    }
}

fn fmt_totals(t: &BTreeMap<String, u32>) -> String {
    t.iter().map(|(k, v)| format!("{k} (weight {v})")).collect::<Vec<_>>().join(", ")
}

fn dedup_join(v: &[&str]) -> String {
    let mut v: Vec<&str> = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v.join(", ")
}

/// Actors with no evidence of their own take the sponsor their linked actors agree on.
pub(crate) fn infer_from_links(g: &Graph, actors: &mut std::collections::HashMap<u32, ActorInfo>) {
    use crate::likelihood::Likelihood;
    let mut updates: Vec<(u32, Option<String>, Sponsorship, u8, String)> = Vec::new();
    for (&root, info) in actors.iter() {
        if info.sponsorship != Sponsorship::Unknown || !info.evidence.is_empty() {
            continue;
        }
        let mut seen: Vec<(u32, &ActorInfo, String)> = Vec::new();
        for l in &g.links {
            let (ra, rb) = (g.root[l.a as usize], g.root[l.b as usize]);
            let other = if ra == root && rb != root { rb } else if rb == root && ra != root { ra } else { continue };
            if l.kind == crate::graph::LinkKind::SameAs || l.likelihood.is_some_and(|x| x < Likelihood::Likely) {
                continue;
            }
            let Some(oi) = actors.get(&other) else { continue };
            if oi.sponsorship == Sponsorship::Unknown || seen.iter().any(|(r, _, _)| *r == other) {
                continue;
            }
            let c = &g.claims[l.claim];
            let lk = l.likelihood.map_or(String::new(), |x| format!(", {}", x.as_str()));
            seen.push((other, oi, format!("{}{lk} [{}: {}]", l.kind.as_str(), c.source_id, c.record_ref)));
        }
        let Some((_, first, _)) = seen.first() else { continue };
        if seen.iter().all(|(_, o, _)| (o.sponsor.as_ref(), o.sponsorship) == (first.sponsor.as_ref(), first.sponsorship)) {
            let conf = seen.iter().map(|(_, o, _)| o.confidence).min().unwrap_or(0).saturating_sub(20);
            let why = seen
                .iter()
                .map(|(_, o, how)| format!("{} ({}) via {how}", o.name, o.id))
                .collect::<Vec<_>>()
                .join("; ");
            let what = first.sponsor.clone().unwrap_or_else(|| first.sponsorship.to_string());
            updates.push((root, first.sponsor.clone(), first.sponsorship, conf, format!("no evidence of its own; linked actors agree on {what}: {why}")));
        }
    }
    for (root, sponsor, sponsorship, conf, basis) in updates {
        if let Some(info) = actors.get_mut(&root) {
            info.sponsor = sponsor;
            info.sponsorship = sponsorship;
            info.confidence = conf;
            info.basis.push(basis);
        }
    }
}
