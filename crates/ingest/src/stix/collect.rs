//! Per-object handling while the bundle streams: validate, count, and keep a small summary of the
//! objects records are built from (see the memory bound in the module docs of `stix`).

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, NaiveDate, Utc};
use spyglass_model::{Reliability, Sponsorship, Tlp};

use super::id::{Key, Kind};
use super::object::Obj;
use super::spill::{TextRef, TextStore};
use super::split::SyntaxError;
use super::stream::{Handler, Place};
use super::{StixStats, vocab};
use crate::{Sink, Skipped};

/// Relationship types the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelKind {
    AttributedTo,
    Targets,
    Uses,
    OriginatesFrom,
    LocatedAt,
}

/// An interned list of marking references (most objects of a bundle share one).
pub(crate) type Marks = u32;

#[derive(Debug)]
pub(crate) struct IdentitySum {
    pub modified: i64,
    pub id: Box<str>,
    pub name: Box<str>,
    pub class: Option<Box<str>>,
    pub sectors: Box<[Box<str>]>,
    pub reliability: Option<Reliability>,
    pub marks: Marks,
}

#[derive(Debug)]
pub(crate) struct LocationSum {
    pub modified: i64,
    pub country: Option<Box<str>>,
    pub region: Option<Box<str>>,
    pub name: Option<Box<str>>,
    pub marks: Marks,
}

#[derive(Debug)]
pub(crate) struct ActorSum {
    pub modified: i64,
    pub name: Box<str>,
    pub types: Box<[Box<str>]>,
    pub resource_level: Option<Box<str>>,
    /// `x_spyglass_sponsorship` (spyglass's export): wins over `threat_actor_types`.
    pub sponsorship: Option<Sponsorship>,
    /// `x_spyglass_unnamed` (spyglass's export): the attribution names no actor.
    pub unnamed: bool,
    pub marks: Marks,
    pub revoked: bool,
}

#[derive(Debug)]
pub(crate) struct PatternSum {
    pub modified: i64,
    /// ATT&CK (`T1566.001`) or ATLAS (`AML.T0024.002`) id.
    pub external_id: Box<str>,
    pub name: Option<Box<str>>,
}

/// An incident, campaign, report or sighting: what a record is built from.
#[derive(Debug)]
pub(crate) struct IncidentSum {
    pub key: Key,
    pub id: Box<str>,
    pub place: Place,
    pub modified: i64,
    pub name: Option<Box<str>>,
    pub description: Option<TextRef>,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub created_by: Option<Key>,
    pub marks: Marks,
    pub confidence: Option<u8>,
    pub reliability: Option<Reliability>,
    pub revoked: bool,
    pub labels: Box<[Box<str>]>,
    /// Reports: `object_refs` (filtered); sightings: `where_sighted_refs`.
    pub refs: Box<[Key]>,
    /// Sightings: `sighting_of_ref`.
    pub sighting_of: Option<Key>,
    /// `x_spyglass_ai_assets` (spyglass's export).
    pub ai_assets: Box<[Box<str>]>,
}

/// A kept relationship: about 96 bytes (versions are resolved at the end by sorting on `id`).
#[derive(Debug)]
pub(crate) struct RelSum {
    pub id: u128,
    pub src: Key,
    pub dst: Key,
    pub modified: i64,
    pub created: Option<NaiveDate>,
    /// Index into [`Collector::authors`] plus one; 0 when the relationship names no creator.
    pub created_by: u32,
    pub marks: Marks,
    pub kind: RelKind,
    pub confidence: Option<u8>,
    pub revoked: bool,
}

/// Everything kept while streaming.
pub(crate) struct Collector<'s> {
    pub sink: &'s mut dyn Sink,
    pub stats: StixStats,
    pub current: Place,
    pub total: u64,
    pub consumed: Rc<Cell<u64>>,
    pub marks: HashMap<Key, Tlp>,
    pub identities: HashMap<Key, IdentitySum>,
    pub locations: HashMap<Key, LocationSum>,
    pub actors: HashMap<Key, ActorSum>,
    pub patterns: HashMap<Key, PatternSum>,
    pub incidents: Vec<IncidentSum>,
    pub incident_at: HashMap<Key, usize>,
    pub rels: Vec<RelSum>,
    /// Creators of relationships, interned.
    pub authors: Vec<Key>,
    author_at: HashMap<Key, u32>,
    /// Marking lists, interned; index 0 is the empty list.
    pub mark_sets: Vec<Box<[Key]>>,
    mark_set_at: HashMap<Box<[Key]>, Marks>,
    pub texts: TextStore,
    /// The first I/O error of the spill file (reported once the stream ends).
    pub io_error: Option<std::io::Error>,
}

impl<'s> Collector<'s> {
    pub fn new(sink: &'s mut dyn Sink, total: u64, consumed: Rc<Cell<u64>>, text_budget: usize) -> Self {
        Collector {
            sink,
            stats: StixStats::default(),
            current: Place::Root,
            total,
            consumed,
            marks: vocab::tlp_markings().collect(),
            identities: HashMap::new(),
            locations: HashMap::new(),
            actors: HashMap::new(),
            patterns: HashMap::new(),
            incidents: Vec::new(),
            incident_at: HashMap::new(),
            rels: Vec::new(),
            authors: Vec::new(),
            author_at: HashMap::new(),
            mark_sets: vec![Box::default()],
            mark_set_at: HashMap::new(),
            texts: TextStore::new(text_budget),
            io_error: None,
        }
    }

    fn skip(&mut self, place: String, reason: String) {
        self.stats.skipped_objects += 1;
        self.sink.skip(Skipped { place, reason });
    }
}

/// RFC 3339 timestamp → UTC.
fn timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|d| d.with_timezone(&Utc))
}

fn boxed(v: Vec<String>) -> Box<[Box<str>]> {
    v.into_iter().map(String::into_boxed_str).collect()
}

/// Whether a new version (`modified` = `new`) replaces the one kept (`old`): later or equal wins,
/// so of two copies of one version the later in the file is kept.
fn newer(new: i64, old: i64) -> bool {
    new >= old
}

impl Handler for Collector<'_> {
    fn begin(&mut self, place: Place) {
        self.current = place;
        if self.stats.objects.is_multiple_of(4096) {
            self.sink.progress(self.consumed.get(), self.total);
        }
    }

    fn invalid(&mut self, place: Place, error: SyntaxError) {
        self.stats.objects += 1;
        self.skip(error.at(place), format!("invalid JSON: {}", error.msg));
    }

    fn object(&mut self, place: Place, mut obj: Obj) {
        self.stats.objects += 1;
        self.stats.custom_properties += u64::from(obj.custom_properties);
        if let Some(t) = obj.type_.as_deref() {
            match self.stats.by_type.get_mut(t) {
                Some(n) => *n += 1,
                None => {
                    self.stats.by_type.insert(t.to_string(), 1);
                }
            }
        }
        if let Some((field, found)) = obj.problems.first() {
            let more = if obj.problems.len() > 1 { format!(" (and {} more)", obj.problems.len() - 1) } else { String::new() };
            let at = if field.is_empty() { place.to_string() } else { format!("{place}.{field}") };
            let reason = if field.is_empty() { found.clone() } else { format!("wrong type: found {found}{more}") };
            return self.skip(at, reason);
        }
        let Some(type_) = obj.type_.as_deref() else { return self.skip(format!("{place}.type"), "missing".into()) };
        let Some(id) = obj.id.as_deref() else { return self.skip(format!("{place}.id"), "missing".into()) };
        let key = match Key::parse(id) {
            Some(k) if super::id::split_type(id).is_some_and(|(t, _)| t == type_) => k,
            _ => return self.skip(format!("{place}.id"), format!("{id:?} is not a {type_}--<uuid> identifier")),
        };
        if key.kind == Kind::Other {
            return;
        }
        // Timestamps of the objects kept must parse; others are not read.
        let mut times: [Option<DateTime<Utc>>; 5] = [None; 5];
        for (i, (name, v)) in [
            ("created", &obj.created),
            ("modified", &obj.modified),
            ("first_seen", &obj.first_seen),
            ("last_seen", &obj.last_seen),
            ("published", &obj.published),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(s) = v {
                match timestamp(s) {
                    Some(t) => times[i] = Some(t),
                    None => {
                        return self.skip(
                            format!("{place}.{name}"),
                            format!("invalid timestamp {s:?} (expected RFC 3339, e.g. 2016-05-12T08:17:27.000Z)"),
                        );
                    }
                }
            }
        }
        let [created, modified, first_seen, last_seen, published] = times;
        let modified = modified.or(created).map_or(i64::MIN, |t| t.timestamp_millis());
        let revoked = obj.revoked == Some(true);
        if revoked {
            self.stats.revoked += 1;
        }
        let marks = self.intern_marks(std::mem::take(&mut obj.object_marking_refs));
        let confidence = obj.confidence.and_then(|c| u8::try_from(c.clamp(0, 100)).ok());
        match key.kind {
            Kind::MarkingDefinition => {
                if let Some(t) =
                    vocab::marking_tlp(obj.definition_tlp.as_deref(), obj.extension_tlp.as_deref(), obj.name.as_deref())
                {
                    self.marks.insert(key, t);
                }
            }
            Kind::Identity => {
                let sum = IdentitySum {
                    modified,
                    id: id.into(),
                    name: obj.name.unwrap_or_default().into_boxed_str(),
                    class: obj.identity_class.map(String::into_boxed_str),
                    sectors: boxed(obj.sectors),
                    reliability: obj.x_opencti_reliability.as_deref().and_then(vocab::reliability),
                    marks,
                };
                self.keep_latest(key, sum, |c| &mut c.identities, |s| s.modified);
            }
            Kind::Location => {
                let sum = LocationSum {
                    modified,
                    country: obj.country.map(String::into_boxed_str),
                    region: obj.region.map(String::into_boxed_str),
                    name: obj.name.map(String::into_boxed_str),
                    marks,
                };
                self.keep_latest(key, sum, |c| &mut c.locations, |s| s.modified);
            }
            Kind::IntrusionSet | Kind::ThreatActor => {
                let sum = ActorSum {
                    modified,
                    name: obj.name.unwrap_or_default().into_boxed_str(),
                    types: boxed(obj.threat_actor_types),
                    resource_level: obj.resource_level.map(String::into_boxed_str),
                    sponsorship: obj.x_spyglass_sponsorship.as_deref().and_then(|s| s.parse::<Sponsorship>().ok()),
                    unnamed: obj.x_spyglass_unnamed == Some(true),
                    marks,
                    revoked,
                };
                self.keep_latest(key, sum, |c| &mut c.actors, |s| s.modified);
            }
            Kind::AttackPattern => {
                let ext = obj.x_mitre_id.or_else(|| {
                    obj.external_ids
                        .into_iter()
                        .find(|(src, eid)| src.starts_with("mitre") || eid.starts_with("AML.T") || eid.starts_with('T'))
                        .map(|(_, e)| e)
                });
                if let Some(ext) = ext {
                    let sum = PatternSum { modified, external_id: ext.into_boxed_str(), name: obj.name.map(String::into_boxed_str) };
                    self.keep_latest(key, sum, |c| &mut c.patterns, |s| s.modified);
                }
            }
            Kind::Relationship => self.relationship(place, key, &obj, modified, marks, confidence, created, revoked),
            Kind::Incident | Kind::Campaign | Kind::Report | Kind::Sighting => {
                if key.kind == Kind::Sighting && obj.sighting_of_ref.is_none() {
                    return self.skip(format!("{place}.sighting_of_ref"), "missing".into());
                }
                // A finding spyglass exported (a share with its interval) is derived from incidents,
                // not an account of one: reading it back must not add or change an incident.
                if key.kind == Kind::Report && obj.x_spyglass_finding {
                    return;
                }
                let description = match obj.description.as_deref().filter(|d| !d.trim().is_empty()) {
                    None => None,
                    Some(d) => match self.texts.push(d) {
                        Ok(r) => Some(r),
                        Err(e) => {
                            self.io_error.get_or_insert(e);
                            None
                        }
                    },
                };
                let labels = match key.kind {
                    Kind::Report => boxed(obj.report_types),
                    Kind::Incident => boxed(obj.incident_types),
                    _ => Box::default(),
                };
                let refs = match key.kind {
                    Kind::Report => obj.object_refs.into_boxed_slice(),
                    Kind::Sighting => obj.where_sighted_refs.into_boxed_slice(),
                    _ => Box::default(),
                };
                let sum = IncidentSum {
                    key,
                    id: id.into(),
                    place,
                    modified,
                    name: obj.name.map(String::into_boxed_str),
                    description,
                    first_seen: first_seen.map(|t| t.date_naive()),
                    last_seen: last_seen.map(|t| t.date_naive()),
                    published: published.map(|t| t.date_naive()),
                    created_by: obj.created_by_ref,
                    marks,
                    confidence,
                    reliability: obj.x_opencti_reliability.as_deref().and_then(vocab::reliability),
                    revoked,
                    labels,
                    refs,
                    sighting_of: obj.sighting_of_ref,
                    ai_assets: boxed(obj.x_spyglass_ai_assets),
                };
                match self.incident_at.get(&key) {
                    Some(&i) => {
                        self.stats.versions_replaced += 1;
                        if self.incidents.get(i).is_some_and(|old| newer(sum.modified, old.modified))
                            && let Some(slot) = self.incidents.get_mut(i)
                        {
                            *slot = sum;
                        }
                    }
                    None => {
                        self.incident_at.insert(key, self.incidents.len());
                        self.incidents.push(sum);
                    }
                }
            }
            Kind::Other => {}
        }
    }
}

impl Collector<'_> {
    fn intern_marks(&mut self, v: Vec<Key>) -> Marks {
        if v.is_empty() {
            return 0;
        }
        let v = v.into_boxed_slice();
        if let Some(&i) = self.mark_set_at.get(&v) {
            return i;
        }
        let i = u32::try_from(self.mark_sets.len()).unwrap_or(u32::MAX);
        self.mark_sets.push(v.clone());
        self.mark_set_at.insert(v, i);
        i
    }

    /// The marking references of an interned list.
    pub fn marks_of(&self, m: Marks) -> &[Key] {
        self.mark_sets.get(m as usize).map_or(&[], |b| &b[..])
    }

    /// The creator of a relationship.
    pub fn author_of(&self, r: &RelSum) -> Option<Key> {
        r.created_by.checked_sub(1).and_then(|i| self.authors.get(i as usize)).copied()
    }

    /// Keeps `sum` under `key` unless an equal-or-later version is already kept.
    fn keep_latest<T>(
        &mut self,
        key: Key,
        sum: T,
        map: impl FnOnce(&mut Self) -> &mut HashMap<Key, T>,
        modified: impl Fn(&T) -> i64,
    ) {
        let m = map(self);
        let replaced = match m.get(&key) {
            Some(old) if !newer(modified(&sum), modified(old)) => return,
            Some(_) => true,
            None => false,
        };
        m.insert(key, sum);
        if replaced {
            self.stats.versions_replaced += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn relationship(
        &mut self,
        place: Place,
        key: Key,
        obj: &Obj,
        modified: i64,
        marks: Marks,
        confidence: Option<u8>,
        created: Option<DateTime<Utc>>,
        revoked: bool,
    ) {
        let (Some(src), Some(dst)) = (obj.source_ref, obj.target_ref) else {
            let which = if obj.source_ref.is_none() { "source_ref" } else { "target_ref" };
            return self.skip(format!("{place}.{which}"), "missing".into());
        };
        let Some(rt) = obj.relationship_type.as_deref() else {
            return self.skip(format!("{place}.relationship_type"), "missing".into());
        };
        let incidentish = |k: Kind| matches!(k, Kind::Incident | Kind::Campaign | Kind::Report);
        let kind = match rt {
            "attributed-to"
                if (incidentish(src.kind) || src.kind.is_actor())
                    && (dst.kind.is_actor() || dst.kind == Kind::Campaign) =>
            {
                RelKind::AttributedTo
            }
            "targets"
                if (incidentish(src.kind) || src.kind.is_actor())
                    && matches!(dst.kind, Kind::Identity | Kind::Location) =>
            {
                RelKind::Targets
            }
            "uses" if (incidentish(src.kind) || src.kind.is_actor()) && dst.kind == Kind::AttackPattern => RelKind::Uses,
            "originates-from" if (src.kind.is_actor() || src.kind == Kind::Campaign) && dst.kind == Kind::Location => {
                RelKind::OriginatesFrom
            }
            "located-at" if src.kind == Kind::Identity && dst.kind == Kind::Location => RelKind::LocatedAt,
            _ => return,
        };
        let created_by = match obj.created_by_ref {
            None => 0,
            Some(a) => match self.author_at.get(&a) {
                Some(&i) => i,
                None => {
                    self.authors.push(a);
                    let i = u32::try_from(self.authors.len()).unwrap_or(u32::MAX);
                    self.author_at.insert(a, i);
                    i
                }
            },
        };
        self.rels.push(RelSum {
            id: key.bits(),
            src,
            dst,
            modified,
            created: created.map(|t| t.date_naive()),
            created_by,
            marks,
            kind,
            confidence,
            revoked,
        });
    }
}
