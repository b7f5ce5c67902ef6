//! Claims → STIX objects.
//!
//! Objects of one incident (the incident, its `attributed-to`, `targets` and `uses`
//! relationships) carry its marking. Objects several incidents share (intrusion sets, locations,
//! identities, attack patterns, and the relationships between them) carry the least restrictive
//! marking among the incidents that use them — what they say is already released at that level —
//! so the ingest reader, which marks a record with the most restrictive marking of everything it
//! was built from, reads every incident back at its own level.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use spyglass_kb::ActorView;
use spyglass_model::{Sponsorship, Tlp, country};

use super::data::{Attribution, ExportData, Incident, Victim};
use super::vocab::{self, stix_id};

/// Who uses a shared object: the least restrictive marking and the ingest times.
#[derive(Debug, Clone, Copy)]
struct Usage {
    tlp: Option<Tlp>,
    first: i64,
    last: i64,
}

/// The objects of an export, keyed by id (so the output is sorted and every object is written once).
#[derive(Debug, Default)]
pub struct Objects {
    pub map: BTreeMap<String, Map<String, Value>>,
    shared: BTreeMap<String, Usage>,
    /// STIX id of each exported (canonical) incident.
    pub incident_ids: BTreeMap<String, String>,
}

fn obj(type_: &str, id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), json!(type_));
    m.insert("spec_version".into(), json!("2.1"));
    m.insert("id".into(), json!(id));
    m
}

fn set_times(m: &mut Map<String, Value>, created: i64, modified: i64) {
    m.insert("created".into(), json!(vocab::timestamp(vocab::micros(created))));
    m.insert("modified".into(), json!(vocab::timestamp(vocab::micros(modified.max(created)))));
}

fn mark(m: &mut Map<String, Value>, tlp: Option<Tlp>) {
    if let Some(t) = tlp {
        m.insert("object_marking_refs".into(), json!([vocab::tlp_marking_id(t)]));
    }
}

/// The STIX id of an incident: the original id when it came from a STIX `incident`, else v5.
pub fn incident_stix_id(incident_id: &str) -> String {
    if let Some(rest) = incident_id.strip_prefix("stix:incident--")
        && uuid::Uuid::parse_str(rest).is_ok()
    {
        return format!("incident--{rest}");
    }
    stix_id("incident", incident_id)
}

impl Objects {
    /// Adds or updates a shared object used by an incident marked `tlp`, ingested at `at`.
    fn shared(&mut self, id: &str, tlp: Option<Tlp>, at: i64, make: impl FnOnce() -> Map<String, Value>) {
        match self.shared.get_mut(id) {
            Some(u) => {
                u.tlp = u.tlp.min(tlp);
                u.first = u.first.min(at);
                u.last = u.last.max(at);
            }
            None => {
                self.shared.insert(id.to_string(), Usage { tlp, first: at, last: at });
                self.map.insert(id.to_string(), make());
            }
        }
    }

    /// Marks a shared object as changed at `at` (its `modified`), e.g. by a knowledge-base update.
    fn touch(&mut self, id: &str, at: i64) {
        if let Some(u) = self.shared.get_mut(id) {
            u.last = u.last.max(at);
        }
    }

    fn own(&mut self, mut m: Map<String, Value>, tlp: Option<Tlp>, created: i64, modified: i64) {
        set_times(&mut m, created, modified);
        mark(&mut m, tlp);
        if let Some(id) = m.get("id").and_then(Value::as_str).map(str::to_string) {
            self.map.insert(id, m);
        }
    }

    fn relationship(&mut self, kind: &str, src: &str, dst: &str, extra: &str) -> Map<String, Value> {
        let id = stix_id("relationship", &format!("{kind}|{src}|{dst}|{extra}"));
        let mut m = obj("relationship", &id);
        m.insert("relationship_type".into(), json!(kind));
        m.insert("source_ref".into(), json!(src));
        m.insert("target_ref".into(), json!(dst));
        m
    }

    /// A shared relationship between shared objects.
    fn shared_relationship(&mut self, kind: &str, src: &str, dst: &str, tlp: Option<Tlp>, at: i64) {
        let m = self.relationship(kind, src, dst, "");
        let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        self.shared(&id, tlp, at, || m);
    }

    fn location(&mut self, cc: &str, tlp: Option<Tlp>, at: i64) -> String {
        let id = stix_id("location", cc);
        self.shared(&id, tlp, at, || {
            let mut m = obj("location", &id);
            m.insert("name".into(), json!(country::common_name(cc).unwrap_or(cc)));
            m.insert("country".into(), json!(cc));
            m
        });
        id
    }

    fn organization(&mut self, name: &str, description: Option<String>, tlp: Option<Tlp>, at: i64) -> String {
        let id = stix_id("identity", &format!("organization|{name}"));
        self.shared(&id, tlp, at, || {
            let mut m = obj("identity", &id);
            m.insert("name".into(), json!(name));
            m.insert("identity_class".into(), json!("organization"));
            if let Some(d) = description {
                m.insert("description".into(), json!(d));
            }
            m
        });
        id
    }

    /// Sets the times and markings of shared objects from their use.
    pub fn finish_shared(&mut self) {
        for (id, u) in &self.shared {
            if let Some(m) = self.map.get_mut(id) {
                set_times(m, u.first, u.last);
                mark(m, u.tlp);
            }
        }
    }
}

/// The incident objects, with their sources as identities.
pub fn incidents(o: &mut Objects, d: &ExportData) {
    for (iid, inc) in &d.incidents {
        let id = incident_stix_id(iid);
        o.incident_ids.insert(iid.clone(), id.clone());
        let mut m = obj("incident", &id);
        m.insert("name".into(), json!(inc.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| iid.clone())));
        if let Some(desc) = &inc.description {
            m.insert("description".into(), json!(desc));
        }
        if let Some(t) = inc.start_date.as_deref().and_then(vocab::date_start) {
            m.insert("first_seen".into(), json!(vocab::timestamp(t)));
        }
        if let Some(t) = inc.end_date.as_deref().and_then(vocab::date_start) {
            m.insert("last_seen".into(), json!(vocab::timestamp(t)));
        }
        let mut types: BTreeSet<&str> = inc.types.iter().map(String::as_str).collect();
        if inc.exercise {
            types.insert("exercise");
        }
        if !types.is_empty() {
            m.insert("incident_types".into(), json!(types));
        }
        if let Some(assets) = d.assets.get(iid) {
            let codes: Vec<&str> = assets.iter().map(|a| a.as_str()).collect();
            m.insert("x_spyglass_ai_assets".into(), json!(codes));
        }
        // Where each row came from: the source and its own incident id.
        let refs: Vec<Value> = inc
            .rows
            .iter()
            .map(|(src, own)| {
                let name = d.sources.get(src).map_or(src.as_str(), |s| s.name.as_str());
                json!({"source_name": name, "external_id": own, "description": format!("spyglass source {src}")})
            })
            .collect();
        m.insert("external_references".into(), json!(refs));
        if let Some((src, _)) = inc.rows.iter().next() {
            let (name, desc) = match d.sources.get(src) {
                Some(s) => (
                    s.name.clone(),
                    Some(format!(
                        "spyglass source {src} ({}{})",
                        s.kind,
                        s.reliability.as_deref().map(|r| format!(", reliability {r}")).unwrap_or_default()
                    )),
                ),
                None => (src.clone(), None),
            };
            let creator = o.organization(&name, desc, inc.tlp, inc.first_ingested);
            m.insert("created_by_ref".into(), json!(creator));
        }
        m.insert("extensions".into(), vocab::extension_ref());
        o.own(m, inc.tlp, inc.first_ingested, inc.last_ingested);
    }
}

fn unnamed_label(a: &Attribution) -> String {
    let kind = match a.sponsorship {
        Some(Sponsorship::State) => "state ",
        Some(Sponsorship::StateAffiliated) => "state-affiliated ",
        Some(Sponsorship::Criminal) => "criminal ",
        Some(Sponsorship::Hacktivist) => "hacktivist ",
        Some(Sponsorship::Unknown) | None => "",
    };
    let from = a.sponsor.as_deref().map(|cc| format!(" ({})", country::common_name(cc).unwrap_or(cc))).unwrap_or_default();
    format!("Unidentified {kind}actor{from}")
}

/// External references of a knowledge-base actor: its ATT&CK group id and MISP galaxy clusters.
fn kb_references(view: &ActorView) -> Vec<Value> {
    let mut out = BTreeSet::new();
    for m in &view.members {
        if let Some(g) = m.id.strip_prefix("attack:") {
            out.insert(("mitre-attack", g.to_string(), Some(format!("https://attack.mitre.org/groups/{g}/"))));
        } else if let Some(u) = m.id.strip_prefix("misp:") {
            out.insert(("misp-galaxy", u.to_string(), None));
        }
    }
    out.into_iter()
        .map(|(s, id, url)| match url {
            Some(u) => json!({"source_name": s, "external_id": id, "url": u}),
            None => json!({"source_name": s, "external_id": id}),
        })
        .collect()
}

/// Intrusion sets (one per attribution stance: actor name, sponsor, sponsorship), their sponsor
/// locations and the `attributed-to` relationships, with the knowledge base's aliases.
pub fn attributions(o: &mut Objects, d: &ExportData, kb: &BTreeMap<String, ActorView>) {
    for a in &d.attributions {
        let (Some(inc), Some(inc_id)) = (d.incidents.get(&a.incident), o.incident_ids.get(&a.incident).cloned()) else {
            continue;
        };
        let key = format!(
            "{}|{}|{}",
            a.actor_raw.as_deref().unwrap_or("\u{0}unnamed"),
            a.sponsor.as_deref().unwrap_or(""),
            a.sponsorship.map_or("", |s| s.as_str())
        );
        let set_id = stix_id("intrusion-set", &key);
        let resolved = a.actor_raw.as_ref().and_then(|r| d.resolutions.get(r));
        let view = resolved.and_then(|r| kb.get(&r.actor_id));
        o.shared(&set_id, inc.tlp, a.ingested, || intrusion_set(&set_id, a, resolved, view));
        if view.is_some() {
            o.touch(&set_id, d.kb_changed);
        }
        if let Some(cc) = &a.sponsor {
            let loc = o.location(cc, inc.tlp, a.ingested);
            o.shared_relationship("originates-from", &set_id, &loc, inc.tlp, a.ingested);
        }
        let extra = format!(
            "{}|{}|{}|{}",
            a.attributed_by.as_deref().unwrap_or(""),
            a.attributed_on.as_deref().unwrap_or(""),
            a.confidence.map(|c| c.to_string()).unwrap_or_default(),
            a.basis.as_deref().unwrap_or("")
        );
        let mut m = o.relationship("attributed-to", &inc_id, &set_id, &extra);
        if let Some(c) = a.confidence {
            m.insert("confidence".into(), json!(c));
        }
        if let Some(b) = &a.basis {
            m.insert("description".into(), json!(b));
        }
        if let Some(by) = &a.attributed_by {
            let who = o.organization(by, None, inc.tlp, a.ingested);
            m.insert("created_by_ref".into(), json!(who));
        }
        let created = a
            .attributed_on
            .as_deref()
            .and_then(vocab::date_start)
            .map_or(a.ingested, |t| t.timestamp_micros().min(a.ingested));
        o.own(m, inc.tlp, created, a.ingested);
    }
}

fn intrusion_set(
    id: &str,
    a: &Attribution,
    resolved: Option<&super::data::Resolved>,
    view: Option<&ActorView>,
) -> Map<String, Value> {
    let mut m = obj("intrusion-set", id);
    let name = a.actor_raw.clone().unwrap_or_else(|| unnamed_label(a));
    let mut desc = match &a.actor_raw {
        Some(n) => format!("{n} as the source attributes it"),
        None => "An attribution that names no actor".to_string(),
    };
    if let Some(cc) = &a.sponsor {
        desc.push_str(&format!(", sponsor {cc}"));
    }
    if let Some(s) = a.sponsorship {
        desc.push_str(&format!(" (sponsorship: {})", s.as_str()));
    }
    desc.push('.');
    if let Some(r) = resolved {
        desc.push_str(&format!(" The knowledge base resolves the name to {} ({})", r.actor_name, r.actor_id));
        if let Some(s) = &r.sponsor {
            desc.push_str(&format!(", sponsor {s}"));
        }
        desc.push('.');
        let mut kb = Map::new();
        kb.insert("id".into(), json!(r.actor_id));
        kb.insert("name".into(), json!(r.actor_name));
        for (k, v) in [("sponsor", &r.sponsor), ("sponsorship", &r.sponsorship)] {
            if let Some(v) = v {
                kb.insert(k.into(), json!(v));
            }
        }
        if let Some(c) = r.confidence.as_deref().and_then(|c| c.parse::<u8>().ok()) {
            kb.insert("confidence".into(), json!(c));
        }
        m.insert("x_spyglass_kb_actor".into(), Value::Object(kb));
    }
    m.insert("name".into(), json!(name));
    m.insert("description".into(), json!(desc));
    if let Some(v) = view {
        let aliases: BTreeSet<&str> = v.aliases.iter().map(|x| x.name.as_str()).filter(|n| *n != name).collect();
        if !aliases.is_empty() {
            m.insert("aliases".into(), json!(aliases));
        }
        let vendors: BTreeSet<(&str, &str)> =
            v.aliases.iter().filter_map(|x| x.vendor.as_deref().map(|vd| (x.name.as_str(), vd))).collect();
        if !vendors.is_empty() {
            let list: Vec<Value> = vendors.into_iter().map(|(n, vd)| json!({"name": n, "vendor": vd})).collect();
            m.insert("x_spyglass_vendor_names".into(), json!(list));
        }
        let refs = kb_references(v);
        if !refs.is_empty() {
            m.insert("external_references".into(), json!(refs));
        }
    }
    if let Some(s) = a.sponsorship {
        m.insert("x_spyglass_sponsorship".into(), json!(s.as_str()));
    }
    if a.actor_raw.is_none() {
        m.insert("x_spyglass_unnamed".into(), json!(true));
    }
    m.insert("extensions".into(), vocab::extension_ref());
    m
}

/// Victims as identities (named organisations, or classes by sector) located at their country,
/// or as the country alone, and the `targets` relationships.
pub fn victims(o: &mut Objects, d: &ExportData) {
    for v in &d.victims {
        let (Some(inc), Some(inc_id)) = (d.incidents.get(&v.incident), o.incident_ids.get(&v.incident).cloned()) else {
            continue;
        };
        let target = victim_target(o, v, inc);
        if target.is_empty() {
            continue;
        }
        let m = o.relationship("targets", &inc_id, &target, "");
        o.own(m, inc.tlp, v.ingested, v.ingested.max(inc.last_ingested));
    }
}

fn victim_target(o: &mut Objects, v: &Victim, inc: &Incident) -> String {
    let (tlp, at) = (inc.tlp, v.ingested);
    let class_name = v.category.clone().or_else(|| v.vertical.map(|x| x.as_str().replace('_', " ")));
    let (class, name) = match (&v.name, class_name) {
        (Some(n), _) => ("organization", n.clone()),
        (None, Some(c)) => ("class", c),
        (None, None) => {
            // Only a country: the victim is the country itself.
            return v.country.as_deref().map_or_else(String::new, |cc| o.location(cc, tlp, at));
        }
    };
    let key = format!(
        "victim|{class}|{name}|{}|{}",
        v.vertical.map_or("", |x| x.as_str()),
        v.country.as_deref().unwrap_or("")
    );
    let id = stix_id("identity", &key);
    let category = v.category.clone();
    let vertical = v.vertical;
    o.shared(&id, tlp, at, || {
        let mut m = obj("identity", &id);
        m.insert("name".into(), json!(name));
        m.insert("identity_class".into(), json!(class));
        if let Some(x) = vertical {
            m.insert("sectors".into(), json!(vocab::sectors(x)));
        }
        if class == "organization"
            && let Some(c) = category
        {
            m.insert("description".into(), json!(format!("Category: {c}")));
        }
        m
    });
    if let Some(cc) = &v.country {
        let loc = o.location(cc, tlp, at);
        o.shared_relationship("located-at", &id, &loc, tlp, at);
    }
    id
}

/// Attack patterns with their ATT&CK/ATLAS ids, and the `uses` relationships.
pub fn techniques(o: &mut Objects, d: &ExportData) {
    for t in &d.techniques {
        let (Some(inc), Some(inc_id)) = (d.incidents.get(&t.incident), o.incident_ids.get(&t.incident).cloned()) else {
            continue;
        };
        let id = stix_id("attack-pattern", &t.id);
        let name = t.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| t.id.clone());
        let ext = t.id.clone();
        o.shared(&id, inc.tlp, t.ingested, || {
            let mut m = obj("attack-pattern", &id);
            m.insert("name".into(), json!(name));
            m.insert("external_references".into(), json!([vocab::technique_reference(&ext)]));
            m
        });
        let m = o.relationship("uses", &inc_id, &id, "");
        o.own(m, inc.tlp, t.ingested, t.ingested.max(inc.last_ingested));
    }
}
