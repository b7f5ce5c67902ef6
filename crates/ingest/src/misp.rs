//! MISP event JSON: `{"Event": {…}}`, a bare event object, a `{"response": [{"Event": …}, …]}`
//! search result or an array of events (arrays are streamed event by event).
//!
//! Mapping, per event:
//! - **id** `misp:<event uuid>`; **title** `info`; **start date** `date`; **description** the
//!   event-level `text` and `comment` attributes and any `EventReport` content (Markdown reduced to
//!   text), in order.
//! - **TLP** from `tlp:*` tags (the most restrictive when several).
//! - **types_raw**: `threat-level: high|medium|low|undefined` from `threat_level_id`, then the event's
//!   taxonomy tags verbatim (`circl:incident-classification="malware"`), leaving out `tlp:`,
//!   `workflow:`, `osint:` and galaxy tags. **types**: a tag mentioning ransomware → ransomware,
//!   espionage → espionage, ddos/denial-of-service → disruption, defacement → defacement.
//! - **attributions**: each cluster of a threat-actor, intrusion-set or Microsoft activity-group
//!   galaxy (`Galaxy[].GalaxyCluster[]`) is one claim per `meta.country` (the sponsor; sponsorship
//!   stays unset — the knowledge base and policy decide) or, when the cluster carries
//!   `meta.cfr-suspected-state-sponsor`, that country with sponsorship `state`. ATT&CK suffixes
//!   (`APT1 - G0006`) are cut from the name. `misp-galaxy:threat-actor="…"` tags whose cluster is not
//!   embedded add claims without a sponsor. `attributed_by` is the creating organisation (`Orgc`).
//! - **victims**: sector galaxy clusters and `misp-galaxy:sector="…"` tags, mapped by [`sector`].
//! - **IOCs** (attributes and objects) have no claim type: the reader counts them in `record_ref`
//!   (`… 9 attributes, 49 objects`) and leaves them to extraction.

pub mod sector;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use serde_json::Value;
use spyglass_extract::markdown_to_text;
use spyglass_model::{
    AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, IncidentType, Source, SourceKind, Sponsorship, TechniqueClaim, Tlp,
    VictimClaim,
};

use crate::json::{Node, for_each_record, json_error};
use crate::util::{country_code, parse_date};
use crate::{IngestError, Sink, Skipped};

/// Streams the events of one file.
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut values = 0u64;
    let res = for_each_record(input, Some("response"), &mut |place, v| {
        values += 1;
        let root = Node::new(&v, place);
        match event_record(&root, sink) {
            Ok((rec, source)) => {
                if let Some(first) = seen.get(&rec.incident.id) {
                    sink.skip(root.skip(format!("duplicate event uuid (first at {first})")));
                    return;
                }
                seen.insert(rec.incident.id.clone(), root.path.clone());
                if sources.insert(source.id.clone()) {
                    sink.source(source);
                }
                sink.record(rec);
            }
            Err(s) => sink.skip(s),
        }
    });
    if let Err(e) = res {
        json_error(path, e, values, sink)?;
    }
    sink.progress(total, total);
    Ok(())
}

/// A galaxy type whose clusters name threat actors.
fn is_actor_galaxy(t: &str) -> bool {
    t.contains("threat-actor") || t.contains("intrusion-set") || t == "microsoft-activity-group"
}

/// `APT1 - G0006` → `APT1`.
fn strip_attack_id(v: &str) -> &str {
    match v.rsplit_once(" - ") {
        Some((name, id)) if id.len() == 5 && id.starts_with('G') && id[1..].bytes().all(|b| b.is_ascii_digit()) => {
            name.trim()
        }
        _ => v.trim(),
    }
}

/// A MITRE ATT&CK/ATLAS attack-pattern cluster value (`Spearphishing Attachment - T1566.001`,
/// `… - AML.T0024`) → (id, name).
fn technique_of(gtype: &str, value: &str) -> Option<(String, String)> {
    if !gtype.contains("attack-pattern") {
        return None;
    }
    let (name, id) = value.rsplit_once(" - ")?;
    let id = id.trim();
    TechniqueClaim::is_technique_id(id).then(|| (id.to_string(), name.trim().to_string()))
}

fn technique_claim(gtype: &str, value: &str, basis: String) -> Option<TechniqueClaim> {
    let (id, name) = technique_of(gtype, value)?;
    Some(TechniqueClaim { id, name: Some(name), evidence: Some(basis), method: ClaimMethod::Structured })
}

/// `misp-galaxy:threat-actor="Sofacy"` → (`threat-actor`, `Sofacy`).
fn galaxy_tag(tag: &str) -> Option<(&str, &str)> {
    let rest = tag.strip_prefix("misp-galaxy:")?;
    let (t, v) = rest.split_once('=')?;
    Some((t.trim(), v.trim().trim_matches('"')))
}

fn event_record(root: &Node<'_>, sink: &mut dyn Sink) -> Result<(IncidentRecord, Source), Skipped> {
    let ev = match root.get("Event")? {
        Some(e) => e,
        None if root.value.get("info").is_some() || root.value.get("uuid").is_some() => root.clone(),
        None => return Err(root.skip("expected a MISP event ({\"Event\": …} or an object with info and uuid)")),
    };
    if !ev.value.is_object() {
        return Err(ev.wrong("an object"));
    }
    let uuid = ev.str_at("uuid")?.ok_or_else(|| Skipped { place: format!("{}.uuid", ev.path), reason: "missing".into() })?;
    let start_date = match ev.get("date")? {
        None => None,
        Some(n) => parse_date(n.as_str()?).map_err(|e| n.skip(e))?,
    };
    let orgc = ev.get("Orgc")?;
    let org_name = match &orgc {
        Some(o) => o.str_at("name")?,
        None => None,
    };
    let org_uuid = match &orgc {
        Some(o) => o.str_at("uuid")?,
        None => None,
    };
    let source = Source {
        id: match (org_uuid, org_name) {
            (Some(u), _) => format!("misp:{u}"),
            (None, Some(n)) => format!("misp:{}", crate::cfr::slug(n)),
            (None, None) => "misp".into(),
        },
        kind: SourceKind::Feed,
        name: format!("MISP: {}", org_name.unwrap_or("unknown organisation")),
        reliability: None,
    };

    let mut tags: Vec<&str> = Vec::new();
    for t in ev.items("Tag")? {
        if let Some(name) = t.str_at("name")? {
            tags.push(name);
        }
    }
    for t in ev.items("EventTag")? {
        if let Some(inner) = t.get("Tag")?
            && let Some(name) = inner.str_at("name")?
        {
            tags.push(name);
        }
    }

    let mut tlp: Option<Tlp> = None;
    let mut types_raw = Vec::new();
    let mut types = BTreeSet::new();
    if let Some(level) = ev.int_at("threat_level_id")? {
        let label = match level {
            1 => "high",
            2 => "medium",
            3 => "low",
            _ => "undefined",
        };
        types_raw.push(format!("threat-level: {label}"));
    }
    for tag in &tags {
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("tlp:") {
            if let Ok(t) = lower.parse::<Tlp>() {
                tlp = tlp.max(Some(t));
            }
            continue;
        }
        if lower.starts_with("workflow:") || lower.starts_with("osint:") || lower.starts_with("misp-galaxy:") {
            continue;
        }
        types_raw.push(tag.to_string());
        if lower.contains("ransomware") {
            types.insert(IncidentType::Ransomware);
        }
        if lower.contains("espionage") {
            types.insert(IncidentType::Espionage);
        }
        if lower.contains("ddos") || lower.contains("denial-of-service") {
            types.insert(IncidentType::Disruption);
        }
        if lower.contains("defacement") {
            types.insert(IncidentType::Defacement);
        }
    }

    let mut attributions = Vec::new();
    let mut victims = Vec::new();
    let mut covered_tags: BTreeSet<String> = BTreeSet::new();
    let mut techniques: Vec<TechniqueClaim> = Vec::new();
    for g in ev.items("Galaxy")? {
        let gtype = g.str_at("type")?.unwrap_or_default();
        for c in g.items("GalaxyCluster")? {
            let Some(value) = c.str_at("value")? else { continue };
            if let Some(tag) = c.str_at("tag_name")? {
                covered_tags.insert(tag.to_string());
            }
            covered_tags.insert(format!("misp-galaxy:{gtype}=\"{value}\""));
            if is_actor_galaxy(gtype) {
                attributions.extend(cluster_claims(&c, gtype, value, org_name, sink)?);
            } else if gtype == "sector" {
                victims.push(sector_victim(value));
            } else if let Some(t) = technique_claim(gtype, value, format!("MISP galaxy {gtype} cluster \"{value}\"")) {
                techniques.push(t);
            }
        }
    }
    for tag in &tags {
        if covered_tags.contains(*tag) {
            continue;
        }
        let Some((gtype, value)) = galaxy_tag(tag) else { continue };
        if is_actor_galaxy(gtype) {
            attributions.push(AttributionClaim {
                actor_raw: Some(strip_attack_id(value).to_string()),
                attributed_by: org_name.map(str::to_string),
                basis: Some(format!("MISP tag {tag}")),
                method: Some(ClaimMethod::Structured),
                ..AttributionClaim::default()
            });
        } else if gtype == "sector" {
            victims.push(sector_victim(value));
        } else if let Some(t) = technique_claim(gtype, value, format!("MISP tag {tag}")) {
            techniques.push(t);
        }
    }
    let mut seen_ids = BTreeSet::new();
    techniques.retain(|t| seen_ids.insert(t.id.clone()));

    let mut text_parts: Vec<String> = Vec::new();
    let attributes = ev.items("Attribute")?;
    for a in &attributes {
        if matches!(a.str_at("type")?, Some("text" | "comment"))
            && let Some(v) = a.str_at("value")?
        {
            text_parts.push(v.to_string());
        }
    }
    for r in ev.items("EventReport")? {
        if let Some(content) = r.str_at("content")? {
            text_parts.push(markdown_to_text(content));
        }
    }
    let objects = ev.items("Object")?;
    let event_id = ev.str_at("id")?.map(|s| s.to_string()).or_else(|| ev.value.get("id").map(Value::to_string));
    let record_ref = format!(
        "{} (event {}, uuid {uuid}; {} attributes, {} objects)",
        ev.path,
        event_id.as_deref().unwrap_or("?"),
        attributes.len(),
        objects.len()
    );
    let incident = IncidentClaim {
        id: format!("misp:{uuid}"),
        title: ev.str_at("info")?.map(str::to_string),
        description: if text_parts.is_empty() { None } else { Some(text_parts.join("\n\n")) },
        start_date,
        end_date: None,
        types: types.into_iter().collect(),
        types_raw,
        tlp,
        data_theft: None,
    };
    let mut rec = IncidentRecord::new(source.id.clone(), record_ref, incident);
    rec.attributions = attributions;
    rec.victims = victims;
    rec.techniques = techniques;
    Ok((rec, source))
}

fn sector_victim(value: &str) -> VictimClaim {
    VictimClaim {
        category: Some(value.to_string()),
        vertical: sector::vertical(value),
        method: Some(ClaimMethod::Structured),
        ..VictimClaim::default()
    }
}

/// One claim per sponsor country of an actor cluster (one without a sponsor when it has none).
fn cluster_claims(
    c: &Node<'_>,
    gtype: &str,
    value: &str,
    org: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<Vec<AttributionClaim>, Skipped> {
    let meta = c.get("meta")?;
    let (countries, cfr, confidence) = match &meta {
        Some(m) => {
            let confidence = match m.str_list("attribution-confidence")?.first() {
                Some(s) => s.trim().parse::<u8>().ok().filter(|c| *c <= 100),
                None => None,
            };
            (m.str_list("country")?, m.str_list("cfr-suspected-state-sponsor")?, confidence)
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let (raws, sponsorship) =
        if cfr.is_empty() { (countries, None) } else { (cfr, Some(Sponsorship::State)) };
    let base = AttributionClaim {
        actor_raw: Some(strip_attack_id(value).to_string()),
        attributed_by: org.map(str::to_string),
        basis: Some(format!("MISP galaxy {gtype} cluster \"{value}\"")),
        confidence,
        method: Some(ClaimMethod::Structured),
        ..AttributionClaim::default()
    };
    if raws.is_empty() {
        return Ok(vec![base]);
    }
    Ok(raws
        .into_iter()
        .map(|raw| AttributionClaim {
            sponsor: country_code(raw, sink),
            sponsor_raw: Some(raw.to_string()),
            sponsorship,
            sponsorship_raw: sponsorship.map(|_| "cfr-suspected-state-sponsor".to_string()),
            ..base.clone()
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests;
