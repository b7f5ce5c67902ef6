//! Loaders: each turns one source format into [`KbClaim`]s, never into a graph.
//!
//! | module | reads | `source_id` |
//! |---|---|---|
//! | [`misp`] | MISP galaxy clusters (`threat-actor.json`, `microsoft-activity-group.json`, `mitre-intrusion-set.json`) | `misp-galaxy:<galaxy type>` |
//! | [`attack`] | the compact ATT&CK lookup (`groups-campaigns-lookup-*.json`) | `attack:<source file stem>` |
//! | [`stix`] | STIX 2.1 bundles (`intrusion-set` objects) | `stix:<file name>` |
//! | [`overrides`] | the user's overrides, CSV or YAML | `overrides:<file name>` |
//! | [`builtin`] | state agencies shipped with the crate (GRU, MSS, NSA, …) | `kb:agencies` |
//!
//! [`load_path`] picks the loader from the file name and content.

pub mod attack;
pub mod builtin;
pub mod misp;
pub mod overrides;
pub mod stix;

use std::path::Path;

use serde_json::Value;
use spyglass_model::Sponsorship;

use crate::text::{CueKind, cues};
use crate::{KbClaim, KbClaimKind, KbError};

/// Confidence of sponsor evidence by kind (0–100); see the crate docs for how they combine.
pub(crate) mod weight {
    pub const CFR_STATE_SPONSOR: u8 = 85;
    pub const MICROSOFT_ORIGIN: u8 = 80;
    pub const MICROSOFT_INFLUENCE: u8 = 70;
    pub const MISP_COUNTRY: u8 = 75;
    pub const MISP_MOTIVE: u8 = 80;
    pub const TEXT_SPONSOR: u8 = 70;
    pub const TEXT_ORIGIN: u8 = 55;
    pub const TEXT_MOTIVE: u8 = 60;
    pub const AGENCY: u8 = 90;
}

/// Loads any supported file: `.csv`/`.yaml`/`.yml` are overrides; JSON is sniffed (MISP galaxy,
/// ATT&CK lookup, STIX bundle).
pub fn load_path(path: &Path) -> Result<Vec<KbClaim>, KbError> {
    let text = std::fs::read_to_string(path).map_err(|source| KbError::Io { path: path.to_path_buf(), source })?;
    load_str(&text, &file_name(path))
}

/// Like [`load_path`] for text already in memory; `file_name` names it in claims and errors.
pub fn load_str(text: &str, file_name: &str) -> Result<Vec<KbClaim>, KbError> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        return overrides::from_csv_str(text, file_name);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return overrides::from_yaml_str(text, file_name);
    }
    let doc = parse_json(text, file_name)?;
    if doc.get("values").is_some() && doc.get("type").is_some() {
        misp::from_value(&doc, file_name)
    } else if doc.get("groups_campaigns").is_some() {
        attack::from_value(&doc, file_name)
    } else if doc.get("type").and_then(Value::as_str) == Some("bundle") {
        stix::from_value(&doc, file_name)
    } else {
        Err(KbError::UnknownFormat {
            file: file_name.to_string(),
            reason: "not a MISP galaxy (type + values), an ATT&CK lookup (groups_campaigns) or a STIX bundle".into(),
        })
    }
}

/// The last component of a path, used in `record_ref` so the same file loaded from another
/// directory gives the same claims.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub(crate) fn parse_json(text: &str, file: &str) -> Result<Value, KbError> {
    serde_json::from_str(text).map_err(|e| KbError::Syntax {
        file: file.to_string(),
        format: "json",
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })
}

pub(crate) fn json_err(file: &str, path: &str, reason: impl Into<String>) -> KbError {
    KbError::Json { file: file.to_string(), json_path: path.to_string(), reason: reason.into() }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A required string member.
pub(crate) fn req_str<'a>(obj: &'a Value, key: &str, file: &str, path: &str) -> Result<&'a str, KbError> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(json_err(file, &format!("{path}.{key}"), format!("expected a string, found {}", type_name(other)))),
        None => Err(json_err(file, path, format!("missing {key:?}"))),
    }
}

/// An optional string member (absent and null are `None`).
pub(crate) fn opt_str<'a>(obj: &'a Value, key: &str, file: &str, path: &str) -> Result<Option<&'a str>, KbError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(json_err(file, &format!("{path}.{key}"), format!("expected a string, found {}", type_name(other)))),
    }
}

/// An optional list of strings; a single string counts as a list of one (MISP does both).
pub(crate) fn opt_strings<'a>(obj: &'a Value, key: &str, file: &str, path: &str) -> Result<Vec<(usize, &'a str)>, KbError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![(0, s.as_str())]),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok((i, s.as_str())),
                other => Err(json_err(file, &format!("{path}.{key}[{i}]"), format!("expected a string, found {}", type_name(other)))),
            })
            .collect(),
        Some(other) => Err(json_err(file, &format!("{path}.{key}"), format!("expected a list of strings, found {}", type_name(other)))),
    }
}

/// A member path in JSON-path syntax: `.synonyms` or `["name-attribution"]`.
pub(crate) fn member(path: &str, key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

/// A sponsor-evidence claim.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sponsor_claim(
    actor: &str,
    sponsor: Option<&str>,
    sponsorship: Sponsorship,
    evidence: &str,
    confidence: u8,
    note: String,
    source_id: &str,
    record_ref: String,
) -> KbClaim {
    KbClaim {
        sponsor: sponsor.map(str::to_string),
        sponsorship: Some(sponsorship.as_str().to_string()),
        evidence: Some(evidence.to_string()),
        confidence: Some(confidence),
        note: Some(note),
        ..KbClaim::new(KbClaimKind::Sponsor, actor, source_id, record_ref)
    }
}

/// Sponsor-evidence claims from the cues in a description.
pub(crate) fn description_claims(actor: &str, description: &str, source_id: &str, record_ref: &str) -> Vec<KbClaim> {
    cues(description)
        .into_iter()
        .map(|cue| {
            let (sponsorship, evidence, conf) = match cue.kind {
                CueKind::Sponsor => (Sponsorship::State, "sponsor", weight::TEXT_SPONSOR),
                CueKind::Origin => (Sponsorship::State, "origin", weight::TEXT_ORIGIN),
                CueKind::Criminal => (Sponsorship::Criminal, "motive", weight::TEXT_MOTIVE),
                CueKind::Hacktivist => (Sponsorship::Hacktivist, "motive", weight::TEXT_MOTIVE),
            };
            sponsor_claim(
                actor,
                cue.country,
                sponsorship,
                evidence,
                conf,
                format!("description: \u{2026}{}\u{2026}", cue.quote),
                source_id,
                record_ref.to_string(),
            )
        })
        .collect()
}

/// Vendor of a name by its form (Storm-####, PANDA, …), for aliases no source attributes.
pub(crate) fn vendor_by_form(name: &str) -> Option<&'static str> {
    crate::conventions::CONVENTIONS.vendor_of(name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn unknown_json_is_rejected_with_file_name() {
        let err = load_str("{\"a\": 1}", "x.json").unwrap_err().to_string();
        assert!(err.starts_with("x.json:"), "{err}");
        let err = load_str("{", "broken.json").unwrap_err().to_string();
        assert!(err.contains("broken.json line 1"), "{err}");
    }
}
