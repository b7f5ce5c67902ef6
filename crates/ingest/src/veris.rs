//! VERIS 1.3 incident JSON (the VERIS Community Database's format): one incident per file, a JSON
//! array of incidents (streamed element by element), concatenated objects, or JSON lines
//! (`.jsonl`/`.ndjson`, read line by line so one bad line loses only itself).
//!
//! Mapping, per incident:
//! - **id** `veris:<incident_id>`; **description** `summary`; **start date** `timeline.incident`
//!   year/month/day (a missing month or day is the first); **data theft** from
//!   `attribute.confidentiality.data_disclosure` (`Yes` → true, `No` → false, else unknown).
//! - **types_raw** keeps the source's labels as `<action>: <variety>` (`hacking: Use of stolen
//!   creds`), `data: <variety>` for `attribute.confidentiality.data[].variety` (`data: Secrets`) and
//!   `motive: <motive>`. **types**: malware `Ransomware` → ransomware, hacking `DoS` → disruption,
//!   integrity `Defacement` → defacement, availability `Destruction` → destruction, motive
//!   `Espionage` → espionage, disclosed data → data theft.
//! - **attributions**: one claim per actor country × variety for `actor.external` and
//!   `actor.partner`, one per variety for `actor.internal`. Sponsor = the actor's country (VERIS
//!   writes ISO alpha-2; `Unknown` is no country). Sponsorship from the external variety:
//!   `State-affiliated` → state-affiliated, `Nation-state` → state, `Organized crime` → criminal,
//!   `Activist` → hacktivist, anything else (and internal/partner actors) → unknown;
//!   `sponsorship_raw` is `external: State-affiliated`. Actor names (`actor.*.name`, VERIS 1.3.4+)
//!   go to `actor_raw` (GUIDs, which VCDB writes there, go to `basis` instead); motives to `basis`.
//! - **victims**: one claim per `victim.country`, named by `victim_id`; `category` is
//!   `NAICS <code>` and the vertical comes from [`naics`].

pub mod naics;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use spyglass_model::{
    AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, IncidentType, Source, SourceKind, Sponsorship,
    VictimClaim,
};

use crate::json::{Node, for_each_record, json_error};
use crate::util::{country_code, non_empty};
use crate::{IngestError, Sink, Skipped};

/// Per-file state: ids seen (duplicates are skipped) and sources announced.
struct State {
    seen: HashMap<String, String>,
    sources: BTreeSet<String>,
    values: u64,
}

/// Streams the incidents of one file (see the module docs for the shapes accepted).
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let mut state = State { seen: HashMap::new(), sources: BTreeSet::new(), values: 0 };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if matches!(ext.as_str(), "jsonl" | "ndjson") {
        read_lines(path, input, &mut state, sink)?;
    } else {
        let res = for_each_record(input, None, &mut |place, v| state.handle(place, &v, sink));
        if let Err(e) = res {
            json_error(path, e, state.values, sink)?;
        }
    }
    sink.progress(total, total);
    Ok(())
}

fn read_lines(path: &Path, input: &mut dyn Read, state: &mut State, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let input = crate::json::without_bom(input).map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&buf) {
            Ok(v) => state.handle(format!("line {line}"), &v, sink),
            Err(e) => {
                state.values += 1;
                sink.skip(Skipped { place: format!("line {line}, column {}", e.column()), reason: format!("invalid JSON: {e}") });
            }
        }
    }
}

impl State {
    fn handle(&mut self, place: String, v: &Value, sink: &mut dyn Sink) {
        self.values += 1;
        let root = Node::new(v, place);
        match to_record(&root, sink) {
            Ok((rec, source)) => {
                if let Some(first) = self.seen.get(&rec.incident.id) {
                    sink.skip(root.skip(format!("duplicate incident_id (first at {first})")));
                    return;
                }
                self.seen.insert(rec.incident.id.clone(), root.path.clone());
                if self.sources.insert(source.id.clone()) {
                    sink.source(source);
                }
                sink.record(rec);
            }
            Err(s) => sink.skip(s),
        }
    }
}

fn to_record(root: &Node<'_>, sink: &mut dyn Sink) -> Result<(IncidentRecord, Source), Skipped> {
    if !root.value.is_object() {
        return Err(root.wrong("a VERIS incident object"));
    }
    let incident_id = root
        .str_at("incident_id")?
        .ok_or_else(|| Skipped { place: format!("{}.incident_id", root.path), reason: "missing".into() })?;
    let source_id = root.str_at("source_id")?.unwrap_or("veris");
    let source = Source {
        id: format!("veris:{source_id}"),
        kind: SourceKind::Dataset,
        name: if source_id == "vcdb" { "VERIS Community Database".into() } else { format!("VERIS ({source_id})") },
        reliability: None,
    };

    let mut types_raw = Vec::new();
    let mut types = BTreeSet::new();
    if let Some(actions) = root.get("action")? {
        let Value::Object(map) = actions.value else { return Err(actions.wrong("an object")) };
        for (category, _) in map {
            let Some(node) = actions.get(category)? else { continue };
            let varieties = node.str_list("variety")?;
            if varieties.is_empty() {
                types_raw.push(category.clone());
            }
            for v in varieties {
                types_raw.push(format!("{category}: {v}"));
                match (category.as_str(), v) {
                    ("malware", "Ransomware") => types.insert(IncidentType::Ransomware),
                    ("hacking", "DoS") => types.insert(IncidentType::Disruption),
                    _ => false,
                };
            }
        }
    }
    let mut data_theft = None;
    if let Some(conf) = root.at(&["attribute", "confidentiality"])? {
        for d in conf.items("data")? {
            if let Some(v) = d.str_at("variety")? {
                types_raw.push(format!("data: {v}"));
            }
        }
        data_theft = match conf.str_at("data_disclosure")? {
            Some("Yes") => Some(true),
            Some("No") => Some(false),
            _ => None,
        };
    }
    if data_theft == Some(true) {
        types.insert(IncidentType::DataTheft);
    }
    if let Some(n) = root.at(&["attribute", "integrity"])?
        && n.str_list("variety")?.contains(&"Defacement")
    {
        types.insert(IncidentType::Defacement);
    }
    if let Some(n) = root.at(&["attribute", "availability"])?
        && n.str_list("variety")?.contains(&"Destruction")
    {
        types.insert(IncidentType::Destruction);
    }

    let attributions = actors(root, &source.name, &mut types_raw, &mut types, sink)?;
    let incident = IncidentClaim {
        id: format!("veris:{incident_id}"),
        title: None,
        description: root.str_at("summary")?.map(str::to_string),
        start_date: start_date(root)?,
        end_date: None,
        types: types.into_iter().collect(),
        types_raw,
        tlp: None,
        data_theft,
    };
    let mut rec = IncidentRecord::new(source.id.clone(), format!("{} (incident_id {incident_id})", root.path), incident);
    rec.attributions = attributions;
    rec.victims = victims(root, sink)?;
    Ok((rec, source))
}

fn start_date(root: &Node<'_>) -> Result<Option<NaiveDate>, Skipped> {
    let Some(t) = root.at(&["timeline", "incident"])? else { return Ok(None) };
    let Some(year) = t.int_at("year")? else { return Ok(None) };
    let month = t.int_at("month")?.unwrap_or(1);
    let day = t.int_at("day")?.unwrap_or(1);
    let date = i32::try_from(year)
        .ok()
        .zip(u32::try_from(month).ok())
        .zip(u32::try_from(day).ok())
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d));
    date.map(Some).ok_or_else(|| t.skip(format!("no such date: year {year}, month {month}, day {day}")))
}

/// VERIS external actor variety → sponsorship.
pub fn map_variety(variety: &str) -> Sponsorship {
    match variety.trim() {
        "State-affiliated" => Sponsorship::StateAffiliated,
        "Nation-state" => Sponsorship::State,
        "Organized crime" => Sponsorship::Criminal,
        "Activist" => Sponsorship::Hacktivist,
        _ => Sponsorship::Unknown,
    }
}

fn actors(
    root: &Node<'_>,
    attributed_by: &str,
    types_raw: &mut Vec<String>,
    types: &mut BTreeSet<IncidentType>,
    sink: &mut dyn Sink,
) -> Result<Vec<AttributionClaim>, Skipped> {
    let mut out = Vec::new();
    let Some(actor) = root.get("actor")? else { return Ok(out) };
    for kind in ["external", "internal", "partner"] {
        let Some(a) = actor.get(kind)? else { continue };
        let varieties = a.str_list("variety")?;
        let countries = a.str_list("country")?;
        let motives = a.str_list("motive")?;
        // VCDB writes actor GUIDs in `name`; those are ids, not names the knowledge base can resolve.
        let (ids, names): (Vec<&str>, Vec<&str>) = a.str_list("name")?.into_iter().partition(|n| is_guid(n));
        for m in &motives {
            types_raw.push(format!("motive: {m}"));
            if *m == "Espionage" {
                types.insert(IncidentType::Espionage);
            }
        }
        let actor_raw = if names.is_empty() { None } else { Some(names.join("; ")) };
        let mut basis_parts = Vec::new();
        if !motives.is_empty() {
            basis_parts.push(format!("motive: {}", motives.join(", ")));
        }
        if !ids.is_empty() {
            basis_parts.push(format!("actor id: {}", ids.join(", ")));
        }
        let basis = if basis_parts.is_empty() { None } else { Some(basis_parts.join("; ")) };
        let varieties: Vec<Option<&str>> =
            if varieties.is_empty() { vec![None] } else { varieties.into_iter().map(Some).collect() };
        let countries: Vec<Option<&str>> =
            if countries.is_empty() { vec![None] } else { countries.into_iter().map(Some).collect() };
        for c in &countries {
            let sponsor = c.and_then(|c| country_code(c, sink));
            for v in &varieties {
                let sponsorship = match (kind, v) {
                    ("external", Some(v)) => Some(map_variety(v)),
                    (_, Some(_)) => Some(Sponsorship::Unknown),
                    (_, None) => None,
                };
                out.push(AttributionClaim {
                    actor_raw: actor_raw.clone(),
                    actor: None,
                    sponsor: sponsor.clone(),
                    sponsor_raw: c.and_then(non_empty),
                    sponsorship,
                    sponsorship_raw: v.map(|v| format!("{kind}: {v}")),
                    attributed_by: Some(attributed_by.to_string()),
                    basis: basis.clone(),
                    attributed_on: None,
                    confidence: None,
                    method: Some(ClaimMethod::Structured),
                });
            }
        }
    }
    Ok(out)
}

/// `6A323CB8-6DC7-433C-A0F7-3D4850194425`.
fn is_guid(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

fn victims(root: &Node<'_>, sink: &mut dyn Sink) -> Result<Vec<VictimClaim>, Skipped> {
    let mut out = Vec::new();
    for v in root.items("victim")? {
        let name = v.str_at("victim_id")?.and_then(non_empty);
        let industry = match v.get("industry")? {
            None => None,
            Some(n) => match n.value {
                Value::String(s) => non_empty(s),
                Value::Number(x) => Some(x.to_string()),
                _ => return Err(n.wrong("a NAICS code")),
            },
        };
        let base = VictimClaim {
            name,
            category: industry.as_ref().map(|i| format!("NAICS {i}")),
            vertical: industry.as_deref().and_then(naics::vertical),
            method: Some(ClaimMethod::Structured),
            ..VictimClaim::default()
        };
        let countries = v.str_list("country")?;
        if countries.is_empty() {
            out.push(base.clone());
        }
        for c in countries {
            out.push(VictimClaim { country: country_code(c, sink), country_raw: non_empty(c), ..base.clone() });
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests;
