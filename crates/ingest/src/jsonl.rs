//! spyglass JSONL: one incident object per line, so users can bring any data and tests can build
//! datasets with known answers. Only `id` is required; the README documents every field.
//!
//! A sponsor in this format counts as a state sponsor (under the default policy) when
//! `sponsorship` is `state` or `state-affiliated`.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use spyglass_model::{
    AiAsset, AssetClaim, AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, IncidentType, Reliability,
    Source, SourceKind, Sponsorship, TechniqueClaim, Tlp, Vertical, VictimClaim,
};

use crate::util::{country_code, parse_date};
use crate::{IngestError, Sink, Skipped};
#[cfg(test)]
use crate::ReadOutcome;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
    #[serde(default)]
    sponsors: Vec<String>,
    #[serde(default)]
    sponsorship: Option<Sponsorship>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    attributed_by: Option<String>,
    #[serde(default)]
    confidence: Option<u8>,
    #[serde(default)]
    verticals: Vec<Vertical>,
    #[serde(default)]
    victims: Vec<VictimLine>,
    #[serde(default)]
    assets: Vec<AiAsset>,
    #[serde(default)]
    techniques: Vec<String>,
    #[serde(default)]
    types: Vec<IncidentType>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    source_kind: Option<String>,
    #[serde(default)]
    reliability: Option<Reliability>,
    #[serde(default)]
    tlp: Option<Tlp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimLine {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    vertical: Option<Vertical>,
}

/// Streams every line; blank lines are ignored, bad lines are skipped with their line number.
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let default_source = path.file_stem().and_then(|s| s.to_str()).unwrap_or("jsonl").to_string();
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut buf = Vec::with_capacity(4096);
    let mut offset = 0u64;
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line_start = offset;
        offset += n as u64;
        if line_no % 8192 == 0 {
            sink.progress(offset, total);
        }
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if line_no == 1 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let skip = |reason: String| Skipped { place: format!("line {line_no}"), reason };
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                sink.skip(skip(format!(
                    "invalid UTF-8 at byte offset {} of the file",
                    line_start + e.valid_up_to() as u64
                )));
                continue;
            }
        };
        let parsed: Line = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                let reason = if e.is_eof() {
                    format!("incomplete JSON object (truncated line?): {e}")
                } else {
                    format!("{e}")
                };
                sink.skip(skip(reason));
                continue;
            }
        };
        match to_record(parsed, line_no, &default_source, &mut sources, sink) {
            Ok(rec) => {
                if let Some(first) = seen.get(&rec.incident.id) {
                    sink.skip(skip(format!("duplicate id {:?} (first on line {first})", rec.incident.id)));
                    continue;
                }
                seen.insert(rec.incident.id.clone(), line_no);
                sink.record(rec);
            }
            Err(reason) => sink.skip(skip(reason)),
        }
    }
    sink.progress(total, total);
    Ok(())
}

fn to_record(
    l: Line,
    line_no: u64,
    default_source: &str,
    sources: &mut BTreeMap<String, Source>,
    out: &mut dyn Sink,
) -> Result<IncidentRecord, String> {
    let id = match &l.id {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err("field `id` must be a non-empty string".into()),
    };
    if let Some(c) = l.confidence {
        if c > 100 {
            return Err(format!("field `confidence` must be 0-100, got {c}"));
        }
    }
    let source_name = l.source.clone().unwrap_or_else(|| default_source.to_string());
    let source_id = format!("jsonl:{}", slug(&source_name));
    let kind = match &l.source_kind {
        Some(k) => k.parse::<SourceKind>().map_err(|e| format!("field `source_kind`: {e}"))?,
        None => SourceKind::Dataset,
    };
    if !sources.contains_key(&source_id) {
        let source = Source { id: source_id.clone(), kind, name: source_name, reliability: l.reliability };
        out.source(source.clone());
        sources.insert(source_id.clone(), source);
    }
    let start_date = parse_date(l.start_date.as_deref().unwrap_or("")).map_err(|e| format!("field `start_date`: {e}"))?;
    let end_date = parse_date(l.end_date.as_deref().unwrap_or("")).map_err(|e| format!("field `end_date`: {e}"))?;
    let incident = IncidentClaim {
        id,
        title: l.title,
        description: l.description,
        start_date,
        end_date,
        types_raw: l.types.iter().map(|t| t.as_str().to_string()).collect(),
        data_theft: if l.types.contains(&IncidentType::DataTheft) { Some(true) } else { None },
        types: l.types,
        tlp: l.tlp,
    };
    let mut rec = IncidentRecord::new(source_id, format!("line {line_no}"), incident);

    for s in &l.sponsors {
        let Some(code) = country_code(s, out) else {
            return Err(format!("field `sponsors`: {s:?} is not an ISO 3166-1 code or a known country name"));
        };
        rec.attributions.push(AttributionClaim {
            sponsor: Some(code),
            sponsor_raw: Some(s.clone()),
            sponsorship: Some(l.sponsorship.unwrap_or(Sponsorship::Unknown)),
            attributed_by: l.attributed_by.clone(),
            confidence: l.confidence,
            method: Some(ClaimMethod::Structured),
            ..AttributionClaim::default()
        });
    }
    for a in &l.actors {
        rec.attributions.push(AttributionClaim {
            actor_raw: Some(a.clone()),
            sponsorship: l.sponsorship,
            attributed_by: l.attributed_by.clone(),
            confidence: l.confidence,
            method: Some(ClaimMethod::Structured),
            ..AttributionClaim::default()
        });
    }
    if l.sponsors.is_empty() && l.actors.is_empty() && l.sponsorship.is_some() {
        rec.attributions.push(AttributionClaim {
            sponsorship: l.sponsorship,
            attributed_by: l.attributed_by.clone(),
            confidence: l.confidence,
            method: Some(ClaimMethod::Structured),
            ..AttributionClaim::default()
        });
    }
    for v in l.verticals {
        rec.victims.push(VictimClaim { vertical: Some(v), method: Some(ClaimMethod::Structured), ..VictimClaim::default() });
    }
    for v in l.victims {
        let country = match &v.country {
            Some(c) => Some(country_code(c, out).ok_or_else(|| format!("victim country {c:?} is not a known country"))?),
            None => None,
        };
        rec.victims.push(VictimClaim {
            name: v.name,
            country,
            country_raw: v.country,
            vertical: v.vertical,
            method: Some(ClaimMethod::Structured),
            ..VictimClaim::default()
        });
    }
    for a in l.assets {
        rec.assets.push(AssetClaim { category: a, evidence: Some("field `assets`".into()), method: ClaimMethod::Structured });
    }
    for t in l.techniques {
        let id = t.trim().to_string();
        if !TechniqueClaim::is_technique_id(&id) {
            return Err(format!("field `techniques`: {t:?} is not an ATT&CK (T1566.001) or ATLAS (AML.T0024.002) technique id"));
        }
        if !rec.techniques.iter().any(|x| x.id == id) {
            rec.techniques.push(TechniqueClaim { id, name: None, evidence: Some("field `techniques`".into()), method: ClaimMethod::Structured });
        }
    }
    Ok(rec)
}

/// Lowercase ASCII slug for ids: `ACME Feed (v2)` → `acme-feed-v2`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-');
    if t.is_empty() { "unnamed".into() } else { t.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> ReadOutcome {
        crate::read_bytes(Path::new("feed.jsonl"), s.as_bytes(), crate::Format::Jsonl).unwrap()
    }

    #[test]
    fn full_line() {
        let out = read_str(r#"{"id": "x:1", "title": "t", "description": "d", "start_date": "2021-06-01", "sponsors": ["CN", "Russian Federation"], "sponsorship": "state", "verticals": ["software"], "assets": ["model_weights"], "types": ["data_theft"], "source": "ACME Feed", "confidence": 80}"#);
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        let r = &out.records[0];
        assert_eq!(r.source_id, "jsonl:acme-feed");
        assert_eq!(r.attributions.len(), 2);
        assert_eq!(r.attributions[1].sponsor.as_deref(), Some("RU"));
        assert_eq!(r.attributions[0].confidence, Some(80));
        assert_eq!(r.assets[0].category, AiAsset::ModelWeights);
        assert_eq!(out.sources[0].name, "ACME Feed");
    }

    #[test]
    fn techniques_are_checked_and_kept() {
        let out = read_str("{\"id\": \"t:1\", \"techniques\": [\"T1566.001\", \"AML.T0024.002\", \"T1566.001\"]}\n{\"id\": \"t:2\", \"techniques\": [\"phishing\"]}\n");
        let ids: Vec<&str> = out.records[0].techniques.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["T1566.001", "AML.T0024.002"]);
        assert_eq!(out.skipped.len(), 1);
        assert!(out.skipped[0].place == "line 2" && out.skipped[0].reason.contains("phishing"), "{:?}", out.skipped);
    }

    #[test]
    fn only_id_required() {
        let out = read_str("{\"id\": \"a\"}\n\n{\"id\": 7}\n");
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.records[0].source_id, "jsonl:feed");
        assert_eq!(out.records[1].incident.id, "7");
    }

    #[test]
    fn bad_lines_are_skipped_with_line_numbers() {
        let out = read_str(concat!(
            "{\"id\": \"ok\"}\n",
            "{\"id\": \"a\", \"sponsors\": [\"Atlantis\"]}\n",
            "{\"id\": \"b\", \"sponsorship\": \"spy\"}\n",
            "{\"title\": \"no id\"}\n",
            "{\"id\": \"c\", \"sponsor\": [\"CN\"]}\n",
            "{\"id\": \"d\", \"start_date\": \"2021-13-01\"}\n",
            "{\"id\": \"e\", \"descr",
        ));
        assert_eq!(out.records.len(), 1);
        let places: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
        assert_eq!(places, ["line 2", "line 3", "line 4", "line 5", "line 6", "line 7"]);
        assert!(out.skipped[0].reason.contains("Atlantis"));
        assert!(out.skipped[1].reason.contains("sponsorship"), "{}", out.skipped[1].reason);
        assert!(out.skipped[3].reason.contains("unknown field `sponsor`"), "{}", out.skipped[3].reason);
        assert!(out.skipped[5].reason.contains("truncated"), "{}", out.skipped[5].reason);
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let mut bytes = b"{\"id\": \"a\"}\n{\"id\": \"b\xff\"}\n".to_vec();
        bytes.extend_from_slice(b"{\"id\": \"c\"}\n");
        let out = crate::read_bytes(Path::new("f.jsonl"), &bytes, crate::Format::Jsonl).unwrap();
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.skipped[0].place, "line 2");
        assert!(out.skipped[0].reason.contains("byte offset 21"), "{}", out.skipped[0].reason);
    }
}
