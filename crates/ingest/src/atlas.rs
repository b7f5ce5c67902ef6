//! MITRE ATLAS YAML (`ATLAS.yaml` from mitre-atlas/atlas-data, or one case-study file): each case
//! study is an incident. The STIX form (`stix-atlas.json`) holds techniques, not case studies; it is
//! read by the STIX reader.
//!
//! Mapping, per case study:
//! - **id** `atlas:<id>` (`atlas:AML.CS0000`); **title** `name`; **description** `summary`;
//!   **start date** `incident-date` (with `incident-date-granularity` YEAR the date is 1 January of
//!   that year, MONTH the first of the month — the granularity goes to `types_raw` as
//!   `date-granularity: YEAR`).
//! - **types_raw** starts with `case-study-type` verbatim: `incident` or `exercise`. Exercises are
//!   red-team or research demonstrations, not intrusions; the default policy excludes them from
//!   findings, the reader only states which is which.
//! - **victim**: `target` as the victim's name. **attribution**: `actor` as `actor_raw`, attributed
//!   by `reporter` when given (else "MITRE ATLAS"), basis `ATLAS case study <id>`; no sponsor (ATLAS
//!   names none).
//! - **procedure**: every step's technique id (`AML.T0024.002`) becomes a technique claim (name from
//!   the file's `matrices[].techniques[]` when present, the step as evidence: `procedure step 4:
//!   <description>`); techniques that name an AI asset (the extraction crate's ATLAS table, exact
//!   id or its parent technique) also become asset claims with the step as evidence.
//!
//! The whole file is parsed at once (ATLAS.yaml is under 1 MB); a YAML syntax error is a file error
//! with its line and column, a malformed case study is skipped with its path.

use std::collections::{BTreeSet, HashSet};
use std::io::Read;
use std::path::Path;

use serde_json::Value;
use spyglass_extract::rules::asset::ATLAS_ASSETS;
use spyglass_model::{
    AiAsset, AssetClaim, AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, Source, SourceKind,
    TechniqueClaim, VictimClaim,
};

use crate::json::Node;
use crate::util::{non_empty, parse_date};
use crate::{IngestError, Sink, Skipped};

/// The source id of every ATLAS claim.
pub const SOURCE_ID: &str = "mitre-atlas";

/// Reads every case study of the file.
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let invalid = |place: String, reason: String| IngestError::Invalid { path: path.to_path_buf(), place, reason };
    let root: Value = serde_yaml::from_reader(input).map_err(|e| {
        let place = e.location().map_or_else(|| "start".to_string(), |l| format!("line {}, column {}", l.line(), l.column()));
        invalid(place, format!("not valid YAML: {e}"))
    })?;
    let root = Node::new(&root, "$");
    if !root.value.is_object() {
        return Err(invalid("$".into(), format!("expected a YAML mapping, found {}", crate::json::kind(root.value))));
    }
    let version = root.str_at("version").ok().flatten();
    let studies: Vec<Node<'_>> = if root.get("case-studies").map_err(|s| invalid(s.place, s.reason))?.is_some() {
        root.items("case-studies").map_err(|s| invalid(s.place, s.reason))?
    } else if root.str_at("object-type").ok().flatten() == Some("case-study") {
        vec![root.clone()]
    } else if root.get("matrices").ok().flatten().is_some() {
        Vec::new()
    } else {
        return Err(invalid("$".into(), "not MITRE ATLAS data: no case-studies, matrices or object-type case-study".into()));
    };
    sink.source(Source {
        id: SOURCE_ID.into(),
        kind: SourceKind::Dataset,
        name: match version {
            Some(v) => format!("MITRE ATLAS {v}"),
            None => "MITRE ATLAS".into(),
        },
        reliability: None,
    });
    let names = technique_names(&root);
    let mut seen: HashSet<String> = HashSet::new();
    for cs in &studies {
        match case_study(cs, &names) {
            Ok(rec) => {
                if !seen.insert(rec.incident.id.clone()) {
                    sink.skip(cs.skip(format!("duplicate case study {}", rec.incident.id)));
                    continue;
                }
                sink.record(rec);
            }
            Err(s) => sink.skip(s),
        }
    }
    sink.progress(total, total);
    Ok(())
}

/// The asset an ATLAS technique names, from its id or its parent technique's.
pub fn technique_asset(id: &str) -> Option<AiAsset> {
    let exact = ATLAS_ASSETS.iter().find(|(t, _)| *t == id).map(|(_, a)| *a);
    exact.or_else(|| {
        let parent = id.rsplit_once('.').filter(|(p, _)| p.matches('.').count() == 1)?.0;
        ATLAS_ASSETS.iter().find(|(t, _)| *t == parent).map(|(_, a)| *a)
    })
}

/// `technique id → name` from `matrices[].techniques[]` (absent in a single case-study file).
fn technique_names(root: &Node<'_>) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for m in root.value.get("matrices").and_then(Value::as_array).into_iter().flatten() {
        for t in m.get("techniques").and_then(Value::as_array).into_iter().flatten() {
            if let (Some(id), Some(name)) = (t.get("id").and_then(Value::as_str), t.get("name").and_then(Value::as_str)) {
                out.insert(id.to_string(), name.to_string());
            }
        }
    }
    out
}

fn case_study(cs: &Node<'_>, names: &std::collections::HashMap<String, String>) -> Result<IncidentRecord, Skipped> {
    if !cs.value.is_object() {
        return Err(cs.wrong("a case study mapping"));
    }
    let id = cs.str_at("id")?.ok_or_else(|| Skipped { place: format!("{}.id", cs.path), reason: "missing".into() })?;
    let start_date = match cs.get("incident-date")? {
        None => None,
        Some(n) => match n.value {
            Value::String(s) => parse_date(s).map_err(|e| n.skip(e))?,
            _ => return Err(n.wrong("a date")),
        },
    };
    let mut types_raw = Vec::new();
    if let Some(t) = cs.str_at("case-study-type")? {
        types_raw.push(t.to_string());
    }
    if let Some(g) = cs.str_at("incident-date-granularity")? {
        types_raw.push(format!("date-granularity: {g}"));
    }
    let incident = IncidentClaim {
        id: format!("atlas:{id}"),
        title: cs.str_at("name")?.map(str::to_string),
        description: cs.str_at("summary")?.map(str::to_string),
        start_date,
        types_raw,
        ..IncidentClaim::default()
    };
    let mut rec = IncidentRecord::new(SOURCE_ID, format!("{} ({id})", cs.path), incident);
    if let Some(target) = cs.str_at("target")?.and_then(non_empty) {
        rec.victims.push(VictimClaim { name: Some(target), method: Some(ClaimMethod::Structured), ..VictimClaim::default() });
    }
    if let Some(actor) = cs.str_at("actor")?.and_then(non_empty) {
        rec.attributions.push(AttributionClaim {
            actor_raw: Some(actor),
            attributed_by: Some(cs.str_at("reporter")?.unwrap_or("MITRE ATLAS").to_string()),
            basis: Some(format!("ATLAS case study {id}")),
            method: Some(ClaimMethod::Structured),
            ..AttributionClaim::default()
        });
    }
    let mut seen: BTreeSet<(AiAsset, String)> = BTreeSet::new();
    for (i, step) in cs.items("procedure")?.iter().enumerate() {
        let Some(tech) = step.str_at("technique")? else { continue };
        if !rec.techniques.iter().any(|t| t.id == tech) {
            let what = step.str_at("description")?.map(|d| d.chars().take(300).collect::<String>());
            rec.techniques.push(TechniqueClaim {
                id: tech.to_string(),
                name: names.get(tech).cloned(),
                evidence: Some(match what {
                    Some(d) => format!("procedure step {}: {d}", i + 1),
                    None => format!("procedure step {}", i + 1),
                }),
                method: ClaimMethod::Structured,
            });
        }
        if let Some(asset) = technique_asset(tech)
            && seen.insert((asset, tech.to_string()))
        {
            rec.assets.push(AssetClaim {
                category: asset,
                evidence: Some(format!("procedure step {}: {tech}", i + 1)),
                method: ClaimMethod::Structured,
            });
        }
    }
    Ok(rec)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests;
