//! Building records once the bundle has been read: relationships may point forward, so records are
//! made only when every summary is known. One record at a time goes to the sink.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use spyglass_model::{
    AiAsset, AssetClaim, AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, Source, SourceKind, TechniqueClaim, Tlp,
    VictimClaim,
};

use super::collect::{Collector, IdentitySum, IncidentSum, LocationSum, Marks, RelKind, RelSum};
use super::id::{Key, Kind};
use super::{StixStats, vocab};
use crate::atlas::technique_asset;
use crate::util::country_code;

/// How deep `attributed-to` chains are followed (incident → campaign → intrusion set → threat actor).
const MAX_CHAIN: usize = 3;

/// An actor reached from an incident, and why.
struct Reached {
    actor: Key,
    basis: String,
    rel: Option<usize>,
    /// Report whose co-reference made the attribution, when that is how.
    report: Option<usize>,
}

/// The live relationships (latest version of each id, not revoked), sorted by source so the
/// relationships of an object are one binary search away. Costs 4 bytes per relationship.
pub(crate) struct RelIndex {
    by_src: Vec<u32>,
}

impl RelIndex {
    fn build(rels: &[RelSum], stats: &mut StixStats) -> RelIndex {
        let n = u32::try_from(rels.len()).unwrap_or(u32::MAX);
        let key = |i: u32| rels.get(i as usize).map(|r| (r.id, r.modified));
        let mut by_id: Vec<u32> = (0..n).collect();
        by_id.sort_by_key(|&i| (key(i), i));
        let mut live = vec![false; rels.len()];
        for (pos, &i) in by_id.iter().enumerate() {
            let same_next = by_id.get(pos + 1).is_some_and(|&j| key(j).map(|k| k.0) == key(i).map(|k| k.0));
            if same_next {
                stats.versions_replaced += 1;
            } else if let (Some(slot), Some(r)) = (live.get_mut(i as usize), rels.get(i as usize)) {
                *slot = !r.revoked;
            }
        }
        drop(by_id);
        let mut by_src: Vec<u32> = (0..n).filter(|&i| live.get(i as usize).copied().unwrap_or(false)).collect();
        by_src.sort_by_key(|&i| rels.get(i as usize).map(|r| r.src));
        RelIndex { by_src }
    }

    /// Indices of the live relationships of `kind` whose source is `k`.
    fn of(&self, rels: &[RelSum], k: &Key, kind: RelKind) -> Vec<usize> {
        let src = |i: &u32| rels.get(*i as usize).map(|r| r.src);
        let lo = self.by_src.partition_point(|i| src(i) < Some(*k));
        let hi = self.by_src.partition_point(|i| src(i) <= Some(*k));
        self.by_src
            .get(lo..hi)
            .unwrap_or_default()
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| rels.get(i).is_some_and(|r| r.kind == kind))
            .collect()
    }
}

pub(crate) fn emit(c: &mut Collector<'_>, path: &Path) {
    let by_src = RelIndex::build(&c.rels, &mut c.stats);
    // Reports about incidents/campaigns in this bundle, and sightings of them, add to those records.
    let mut reports_into: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut sightings_into: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut absorbed: HashSet<usize> = HashSet::new();
    for (i, s) in c.incidents.iter().enumerate() {
        if s.revoked {
            continue;
        }
        let live = |k: &Key| c.incident_at.get(k).copied().filter(|&j| c.incidents.get(j).is_some_and(|t| !t.revoked));
        match s.key.kind {
            Kind::Report => {
                let targets: Vec<usize> = s
                    .refs
                    .iter()
                    .filter(|k| matches!(k.kind, Kind::Incident | Kind::Campaign))
                    .filter_map(live)
                    .collect();
                if !targets.is_empty() {
                    absorbed.insert(i);
                    for t in targets {
                        reports_into.entry(t).or_default().push(i);
                    }
                }
            }
            Kind::Sighting => match s.sighting_of {
                Some(of) if matches!(of.kind, Kind::Incident | Kind::Campaign) => {
                    absorbed.insert(i);
                    if let Some(t) = live(&of) {
                        sightings_into.entry(t).or_default().push(i);
                    }
                }
                Some(of) if of.kind.is_actor() => {}
                _ => {
                    absorbed.insert(i);
                }
            },
            _ => {}
        }
    }
    let file_source = Source {
        id: format!("stix:{}", crate::cfr::slug(&path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default())),
        kind: SourceKind::Feed,
        name: path.file_name().map_or_else(|| "STIX bundle".to_string(), |n| n.to_string_lossy().into_owned()),
        reliability: None,
    };
    let mut announced: HashSet<String> = HashSet::new();
    for i in 0..c.incidents.len() {
        let Some(x) = c.incidents.get(i) else { continue };
        if x.revoked || absorbed.contains(&i) {
            continue;
        }
        let reports = reports_into.get(&i).map(Vec::as_slice).unwrap_or_default();
        let sightings = sightings_into.get(&i).map(Vec::as_slice).unwrap_or_default();
        let Some((rec, source)) = build(c, &by_src, i, reports, sightings, &file_source) else { continue };
        if announced.insert(source.id.clone()) {
            c.sink.source(source);
        }
        c.stats.records += 1;
        c.sink.record(rec);
    }
}

fn author(ids: &HashMap<Key, IdentitySum>, k: Option<Key>) -> Option<String> {
    k.and_then(|k| ids.get(&k)).map(|i| i.name.to_string()).filter(|n| !n.is_empty())
}



fn build(
    c: &mut Collector<'_>,
    by_src: &RelIndex,
    i: usize,
    reports: &[usize],
    sightings: &[usize],
    file_source: &Source,
) -> Option<(IncidentRecord, Source)> {
    let x = c.incidents.get(i)?;
    let mut marks: Vec<Marks> = vec![x.marks];
    let rels_of = |k: &Key, kind: RelKind| by_src.of(&c.rels, k, kind);

    // Attributions: attributed-to chains, a report's referenced actors, a sighting of an actor.
    let mut reached: Vec<Reached> = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    let mut frontier: Vec<(Key, String)> = vec![(x.key, String::new())];
    for _ in 0..MAX_CHAIN {
        let mut next = Vec::new();
        for (from, via) in &frontier {
            for r in rels_of(from, RelKind::AttributedTo) {
                let dst = c.rels[r].dst;
                if !seen.insert(dst) {
                    continue;
                }
                let step = match c.actors.get(&dst) {
                    Some(a) => format!("attributed-to {}", a.name),
                    None => "attributed-to".to_string(),
                };
                let basis = if via.is_empty() { format!("STIX {step}") } else { format!("{via} → {step}") };
                if dst.kind.is_actor() {
                    reached.push(Reached { actor: dst, basis: basis.clone(), rel: Some(r), report: None });
                }
                next.push((dst, basis));
            }
        }
        frontier = next;
    }
    let report_actor = |reached: &mut Vec<Reached>, seen: &mut HashSet<Key>, rep: &IncidentSum, ri: usize, basis: String| {
        for k in rep.refs.iter().filter(|k| k.kind.is_actor()) {
            if seen.insert(*k) {
                reached.push(Reached { actor: *k, basis: basis.clone(), rel: None, report: Some(ri) });
            }
        }
    };
    if x.key.kind == Kind::Report {
        report_actor(&mut reached, &mut seen, x, i, "STIX report object_refs".to_string());
    }
    for &ri in reports {
        if let Some(rep) = c.incidents.get(ri) {
            marks.push(rep.marks);
            let name = rep.name.as_deref().unwrap_or(&rep.id);
            report_actor(&mut reached, &mut seen, rep, ri, format!("referenced with it in STIX report {name:?}"));
        }
    }
    if x.key.kind == Kind::Sighting
        && let Some(of) = x.sighting_of
        && seen.insert(of)
    {
        reached.push(Reached { actor: of, basis: "STIX sighting".into(), rel: None, report: None });
    }

    let mut attributions = Vec::new();
    for r in &reached {
        let Some(a) = c.actors.get(&r.actor) else { continue };
        if a.revoked {
            continue;
        }
        marks.push(a.marks);
        let rel: Option<&RelSum> = r.rel.and_then(|k| c.rels.get(k));
        if let Some(rel) = rel {
            marks.push(rel.marks);
        }
        let report = r.report.and_then(|k| c.incidents.get(k));
        let attributed_by = rel
            .and_then(|rel| author(&c.identities, c.author_of(rel)))
            .or_else(|| report.and_then(|rep| author(&c.identities, rep.created_by)))
            .or_else(|| author(&c.identities, x.created_by));
        let attributed_on = rel.and_then(|rel| rel.created).or_else(|| report.and_then(|rep| rep.published));
        let confidence = rel.and_then(|rel| rel.confidence).or_else(|| report.and_then(|rep| rep.confidence)).or(x.confidence);
        let mut origins: Vec<(Option<String>, String)> = Vec::new();
        for o in rels_of(&r.actor, RelKind::OriginatesFrom) {
            if let Some(loc) = c.locations.get(&c.rels[o].dst) {
                marks.push(c.rels[o].marks);
                if let Some(cc) = loc.country.as_deref() {
                    origins.push((country_code(cc, c.sink), cc.to_string()));
                }
            }
        }
        let sponsorship = a.sponsorship.or_else(|| vocab::actor_sponsorship(&a.types));
        let sponsorship_raw = if a.types.is_empty() {
            a.resource_level.as_deref().map(|l| format!("resource_level: {l}"))
        } else {
            Some(a.types.join(", "))
        };
        let base = AttributionClaim {
            actor_raw: Some(a.name.to_string()).filter(|n| !n.is_empty() && !a.unnamed),
            sponsorship,
            sponsorship_raw,
            attributed_by,
            basis: Some(r.basis.clone()),
            attributed_on,
            confidence,
            method: Some(ClaimMethod::Structured),
            ..AttributionClaim::default()
        };
        for (code, raw) in &origins {
            attributions.push(AttributionClaim { sponsor: code.clone(), sponsor_raw: Some(raw.clone()), ..base.clone() });
        }
        if origins.is_empty() {
            attributions.push(base);
        }
    }

    // Victims: `targets` from the incident (for a report, from it or anything it references, to
    // something it references), and where a sighting of it was made.
    let mut victim_keys: Vec<Key> = Vec::new();
    let mut sources_of_targets: Vec<Key> = vec![x.key];
    if x.key.kind == Kind::Report {
        sources_of_targets.extend(x.refs.iter().copied().filter(|k| k.kind.is_actor() || k.kind == Kind::Campaign));
    }
    let report_refs: HashSet<Key> = x.refs.iter().copied().collect();
    for s in &sources_of_targets {
        for r in rels_of(s, RelKind::Targets) {
            let rel = &c.rels[r];
            if x.key.kind == Kind::Report && *s != x.key && !report_refs.contains(&rel.dst) {
                continue;
            }
            marks.push(rel.marks);
            victim_keys.push(rel.dst);
        }
    }
    if x.key.kind == Kind::Sighting {
        victim_keys.extend(x.refs.iter().copied());
    }
    for &si in sightings {
        if let Some(s) = c.incidents.get(si) {
            marks.push(s.marks);
            victim_keys.extend(s.refs.iter().copied());
        }
    }
    let mut victims = Vec::new();
    let mut done: HashSet<Key> = HashSet::new();
    for k in victim_keys {
        if !done.insert(k) {
            continue;
        }
        let located = |k: &Key| rels_of(k, RelKind::LocatedAt);
        if let Some(v) = victim(&c.identities, &c.locations, &c.rels, &located, &mut *c.sink, k, &mut marks) {
            victims.push(v);
        }
    }

    // Techniques: `uses` attack patterns, and those a report references, as technique claims; ATLAS
    // ids naming an AI asset also become asset claims.
    let mut pattern_keys: Vec<Key> = rels_of(&x.key, RelKind::Uses).into_iter().map(|r| c.rels[r].dst).collect();
    if x.key.kind == Kind::Report {
        pattern_keys.extend(x.refs.iter().copied().filter(|k| k.kind == Kind::AttackPattern));
    }
    for &ri in reports {
        if let Some(rep) = c.incidents.get(ri) {
            pattern_keys.extend(rep.refs.iter().copied().filter(|k| k.kind == Kind::AttackPattern));
        }
    }
    let mut assets = Vec::new();
    let mut techniques: Vec<TechniqueClaim> = Vec::new();
    let mut asset_seen: BTreeSet<(AiAsset, String)> = BTreeSet::new();
    for k in pattern_keys {
        let Some(p) = c.patterns.get(&k) else { continue };
        if !techniques.iter().any(|t| *t.id == *p.external_id) {
            techniques.push(TechniqueClaim {
                id: p.external_id.to_string(),
                name: p.name.as_deref().map(str::to_string),
                evidence: Some(format!("uses attack-pattern {}", p.external_id)),
                method: ClaimMethod::Structured,
            });
        }
        if let Some(a) = technique_asset(&p.external_id)
            && asset_seen.insert((a, p.external_id.to_string()))
        {
            assets.push(AssetClaim {
                category: a,
                evidence: Some(format!("uses attack-pattern {}", p.external_id)),
                method: ClaimMethod::Structured,
            });
        }
    }

    // AI assets spyglass exported without a technique that names them.
    for code in &x.ai_assets {
        if let Ok(a) = code.parse::<AiAsset>()
            && !assets.iter().any(|c: &AssetClaim| c.category == a)
        {
            assets.push(AssetClaim {
                category: a,
                evidence: Some("x_spyglass_ai_assets".to_string()),
                method: ClaimMethod::Structured,
            });
        }
    }

    let tlp: Option<Tlp> = marks.iter().flat_map(|m| c.marks_of(*m)).filter_map(|k| c.marks.get(k).copied()).max();
    let (start_date, types_raw): (_, Vec<String>) = match x.key.kind {
        Kind::Report => (x.published, x.labels.iter().map(|s| s.to_string()).collect()),
        Kind::Sighting => (x.first_seen, vec!["sighting".to_string()]),
        _ => (x.first_seen, x.labels.iter().map(|s| s.to_string()).collect()),
    };
    let types: Vec<_> = types_raw.iter().filter_map(|t| vocab::incident_type(t)).collect::<BTreeSet<_>>().into_iter().collect();
    let description = match x.description {
        Some(r) => match c.texts.get(r) {
            Ok(d) => Some(d),
            Err(e) => {
                c.io_error.get_or_insert(e);
                None
            }
        },
        None => None,
    };
    let source = match x.created_by.and_then(|k| c.identities.get(&k)) {
        Some(id) => {
            let slug = crate::cfr::slug(&id.name);
            Source {
                id: if slug == "untitled" { format!("stix:{}", id.id) } else { format!("stix:{slug}") },
                kind: SourceKind::VendorReport,
                name: if id.name.is_empty() { id.id.to_string() } else { id.name.to_string() },
                reliability: id.reliability.or(x.reliability),
            }
        }
        None => Source { reliability: x.reliability, ..file_source.clone() },
    };
    let incident = IncidentClaim {
        id: format!("stix:{}", x.id),
        title: x.name.as_deref().map(str::to_string),
        description,
        start_date,
        end_date: x.last_seen,
        types,
        types_raw,
        tlp,
        data_theft: None,
    };
    let mut rec = IncidentRecord::new(source.id.clone(), format!("{} ({})", x.place, x.id), incident);
    rec.attributions = attributions;
    rec.victims = victims;
    rec.assets = assets;
    rec.techniques = techniques;
    Some((rec, source))
}

/// The victim claim for a targeted identity (its country from `located-at`) or location.
fn victim(
    identities: &HashMap<Key, IdentitySum>,
    locations: &HashMap<Key, LocationSum>,
    rels: &[RelSum],
    located_at: &dyn Fn(&Key) -> Vec<usize>,
    sink: &mut dyn crate::Sink,
    k: Key,
    marks: &mut Vec<Marks>,
) -> Option<VictimClaim> {
    match k.kind {
        Kind::Identity => {
            let id = identities.get(&k)?;
            marks.push(id.marks);
            let mut country_raw = None;
            for r in located_at(&k) {
                if let Some(cc) = rels.get(r).and_then(|rel| locations.get(&rel.dst)).and_then(|l| l.country.as_deref()) {
                    country_raw = Some(cc.to_string());
                    break;
                }
            }
            let sectors: Vec<&str> = id.sectors.iter().map(|s| &**s).collect();
            let category = if sectors.is_empty() {
                id.class.as_deref().filter(|c| *c == "class").map(|_| id.name.to_string())
            } else {
                Some(sectors.join(", "))
            };
            let vertical = sectors.iter().find_map(|s| vocab::sector_vertical(s));
            let name = if id.class.as_deref() == Some("class") || id.name.is_empty() { None } else { Some(id.name.to_string()) };
            let country = country_raw.as_deref().and_then(|cc| country_code(cc, sink));
            Some(VictimClaim {
                name,
                country,
                country_raw,
                category,
                vertical,
                method: Some(ClaimMethod::Structured),
                ..VictimClaim::default()
            })
        }
        Kind::Location => {
            let loc = locations.get(&k)?;
            marks.push(loc.marks);
            let raw = loc.country.as_deref().or(loc.region.as_deref()).or(loc.name.as_deref())?.to_string();
            let country = loc.country.as_deref().and_then(|cc| country_code(cc, sink));
            Some(VictimClaim {
                country,
                country_raw: Some(raw),
                method: Some(ClaimMethod::Structured),
                ..VictimClaim::default()
            })
        }
        _ => None,
    }
}
