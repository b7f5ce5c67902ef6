//! The user's overrides file, CSV or YAML: what the analyst knows better than the sources.
//!
//! Columns (CSV header, or keys of each YAML mapping; only `name` is required):
//!
//! | column | meaning |
//! |---|---|
//! | `name` | the actor name as written in the data ("Volt Typhoon", "BRONZE STARLIGHT / DEV-0401" parts) |
//! | `actor` | the actor it denotes: an id (`misp:<uuid>`, `attack:G0096`, `kb:<slug>`); empty = `kb:<slug of name>`, which joins the one existing actor of that name if there is exactly one |
//! | `sponsor` | ISO alpha-2 (or a country name) of the state sponsor; empty = no change |
//! | `sponsorship` | state, state-affiliated, criminal, hacktivist, unknown; empty = state when a sponsor is given |
//! | `vendor` | who uses the name (CrowdStrike, Microsoft, …) |
//! | `confidence` | 0–100 for the sponsor statement (default 95) |
//! | `note` | why |
//!
//! YAML is a list of such mappings, or a mapping with the list under `overrides:`.
//! Each row becomes one `Override` claim; overrides win over every source (the latest override of an
//! actor wins over earlier ones) and the override's name resolves to its actor even when sources
//! share the name.

use serde::Deserialize;
use spyglass_model::Sponsorship;

use crate::geo::sponsor_code;
use crate::{KbClaim, KbClaimKind, KbError};

/// One overrides row as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideRow {
    pub name: Option<String>,
    pub actor: Option<String>,
    pub sponsor: Option<String>,
    pub sponsorship: Option<String>,
    pub vendor: Option<String>,
    pub confidence: Option<serde_yaml::Value>,
    pub note: Option<String>,
}

/// `kb:` id for a name: lowercase ASCII letters and digits joined by hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Turns one row into a claim; `place` names the row in errors ("overrides.csv line 4").
fn row_claim(row: &OverrideRow, file: &str, place: &str, source_id: &str) -> Result<KbClaim, String> {
    let name = nonempty(&row.name).ok_or("name is empty")?;
    let actor = match nonempty(&row.actor) {
        Some(a) if a.contains(':') => a.to_string(),
        Some(a) => format!("kb:{}", slug(a)),
        None => format!("kb:{}", slug(name)),
    };
    if actor == "kb:" {
        return Err(format!("name {name:?} has no letters or digits to make an actor id from"));
    }
    let sponsor = match nonempty(&row.sponsor) {
        Some(s) => Some(sponsor_code(s).ok_or_else(|| format!("sponsor {s:?} is not an ISO country code or name"))?),
        None => None,
    };
    let sponsorship = match nonempty(&row.sponsorship) {
        Some(s) => Some(s.parse::<Sponsorship>().map_err(|e| e.to_string())?),
        None => sponsor.as_ref().map(|_| Sponsorship::State),
    };
    if sponsor.is_some() && sponsorship.is_some_and(|s| !s.is_state_backed()) {
        return Err(format!("a {} actor cannot have a state sponsor", sponsorship.map_or("", |s| s.as_str())));
    }
    let confidence = match &row.confidence {
        None | Some(serde_yaml::Value::Null) => None,
        Some(v) => {
            let text = match v {
                serde_yaml::Value::String(s) => s.trim().to_string(),
                serde_yaml::Value::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            };
            if text.is_empty() {
                None
            } else {
                Some(text.parse::<u8>().ok().filter(|c| *c <= 100).ok_or_else(|| format!("confidence {text:?} is not 0–100"))?)
            }
        }
    };
    Ok(KbClaim {
        name: Some(name.to_string()),
        vendor: nonempty(&row.vendor).map(str::to_string),
        sponsor,
        sponsorship: sponsorship.map(|s| s.as_str().to_string()),
        confidence,
        note: nonempty(&row.note).map(str::to_string),
        ..KbClaim::new(KbClaimKind::Override, actor, source_id, format!("{file} {place}"))
    })
}

/// Reads an overrides CSV (header row required).
pub fn from_csv_str(text: &str, file: &str) -> Result<Vec<KbClaim>, KbError> {
    let source_id = format!("overrides:{file}");
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| KbError::Csv { file: file.to_string(), line: 1, reason: e.to_string() })?
        .clone();
    let known = ["name", "actor", "sponsor", "sponsorship", "vendor", "confidence", "note"];
    if let Some(h) = headers.iter().find(|h| !known.contains(&h.to_ascii_lowercase().as_str())) {
        return Err(KbError::Csv { file: file.to_string(), line: 1, reason: format!("unknown column {h:?} (expected: {})", known.join(", ")) });
    }
    if !headers.iter().any(|h| h.eq_ignore_ascii_case("name")) {
        return Err(KbError::Csv { file: file.to_string(), line: 1, reason: "no \"name\" column".into() });
    }
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| KbError::Csv {
            file: file.to_string(),
            line: e.position().map_or(0, |p| p.line()),
            reason: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |col: &str| {
            headers.iter().position(|h| h.eq_ignore_ascii_case(col)).and_then(|i| rec.get(i)).map(str::to_string)
        };
        let row = OverrideRow {
            name: field("name"),
            actor: field("actor"),
            sponsor: field("sponsor"),
            sponsorship: field("sponsorship"),
            vendor: field("vendor"),
            confidence: field("confidence").map(serde_yaml::Value::String),
            note: field("note"),
        };
        let claim = row_claim(&row, file, &format!("line {line}"), &source_id)
            .map_err(|reason| KbError::Csv { file: file.to_string(), line, reason })?;
        out.push(claim);
    }
    Ok(out)
}

/// Reads an overrides YAML file.
pub fn from_yaml_str(text: &str, file: &str) -> Result<Vec<KbClaim>, KbError> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Doc {
        List(Vec<OverrideRow>),
        Wrapped { overrides: Vec<OverrideRow> },
    }
    let doc: Doc = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        KbError::Syntax { file: file.to_string(), format: "overrides yaml", line, column, reason: e.to_string() }
    })?;
    let rows = match doc {
        Doc::List(r) | Doc::Wrapped { overrides: r } => r,
    };
    let source_id = format!("overrides:{file}");
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            row_claim(row, file, &format!("$[{i}]"), &source_id)
                .map_err(|reason| KbError::Json { file: file.to_string(), json_path: format!("$[{i}]"), reason })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn csv_rows() {
        let text = "name,actor,sponsor,sponsorship,vendor,confidence,note\n\
                    Volt Typhoon,,CN,,Microsoft,90,seen in our IR\n\
                    Gold Dust,kb:gold-dust,,criminal,,,\n";
        let claims = from_csv_str(text, "ov.csv").unwrap();
        assert_eq!(claims.len(), 2);
        assert_eq!(claims[0].actor, "kb:volt-typhoon");
        assert_eq!(claims[0].sponsorship.as_deref(), Some("state"));
        assert_eq!(claims[0].confidence, Some(90));
        assert_eq!(claims[0].record_ref, "ov.csv line 2");
        assert_eq!(claims[1].sponsorship.as_deref(), Some("criminal"));
        assert_eq!(claims[1].sponsor, None);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let err = from_csv_str("name,sponsor\nX,Atlantis\n", "ov.csv").unwrap_err().to_string();
        assert_eq!(err, "ov.csv line 2: sponsor \"Atlantis\" is not an ISO country code or name");
        let err = from_csv_str("name,sponsorship,sponsor\nX,criminal,RU\n", "ov.csv").unwrap_err().to_string();
        assert!(err.contains("cannot have a state sponsor"), "{err}");
        let err = from_csv_str("name,colour\nX,red\n", "ov.csv").unwrap_err().to_string();
        assert!(err.starts_with("ov.csv line 1: unknown column"), "{err}");
    }

    #[test]
    fn yaml_rows() {
        let text = "overrides:\n  - name: Storm-0558\n    actor: 'misp:abc'\n    sponsor: China\n    confidence: 80\n  - name: Scattered Spider\n    sponsorship: criminal\n";
        let claims = from_yaml_str(text, "ov.yaml").unwrap();
        assert_eq!(claims[0].actor, "misp:abc");
        assert_eq!(claims[0].sponsor.as_deref(), Some("CN"));
        assert_eq!(claims[0].confidence, Some(80));
        assert_eq!(claims[1].record_ref, "ov.yaml $[1]");
        let err = from_yaml_str("- name: X\n  confidence: 300\n", "ov.yaml").unwrap_err().to_string();
        assert_eq!(err, "ov.yaml $[0]: confidence \"300\" is not 0–100");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("BRONZE STARLIGHT / DEV-0401"), "bronze-starlight-dev-0401");
        assert_eq!(slug("  Volt Typhoon "), "volt-typhoon");
    }
}
