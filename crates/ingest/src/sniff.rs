//! Format detection from the file name and the first bytes.
//!
//! Content decides; the extension only breaks ties (a `.md` whose first line has a comma but no known
//! CSV header is text) and must agree with the content: a `.csv` holding JSON, or a `.json` holding CSV, is an error
//! that says what the content looks like. `.txt` is the exception (JSON lines are often saved as .txt).

use std::path::Path;
use std::str::FromStr;

use crate::IngestError;

/// Input formats spyglass reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// EuRepoC global database CSV (one row per incident).
    Eurepoc,
    /// spyglass JSONL: one incident object per line.
    Jsonl,
    /// CFR Cyber Operations Tracker CSV.
    Cfr,
    /// VERIS 1.3 incident JSON (one object, an array, or JSON lines).
    Veris,
    /// MISP event JSON (`{"Event": …}`, a bare event, or a `{"response": […]}` search result).
    Misp,
    /// MITRE ATLAS YAML (`ATLAS.yaml` with `case-studies`, or one case study).
    Atlas,
    /// STIX 2.1 bundle (or one STIX object, or a JSON array of objects).
    Stix,
    /// A text report: plain text, Markdown or HTML.
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Eurepoc => "eurepoc",
            Format::Jsonl => "jsonl",
            Format::Cfr => "cfr",
            Format::Veris => "veris",
            Format::Misp => "misp",
            Format::Atlas => "atlas",
            Format::Stix => "stix",
            Format::Text => "text",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "eurepoc" => Ok(Format::Eurepoc),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "cfr" => Ok(Format::Cfr),
            "veris" | "vcdb" => Ok(Format::Veris),
            "misp" => Ok(Format::Misp),
            "atlas" => Ok(Format::Atlas),
            "stix" | "stix2" | "stix21" | "stix-2.1" => Ok(Format::Stix),
            "text" | "txt" | "md" | "markdown" | "html" => Ok(Format::Text),
            other => Err(format!(
                "unknown format {other:?} (expected auto, eurepoc, jsonl, cfr, veris, misp, atlas, stix, text)"
            )),
        }
    }
}

/// Columns whose presence in a CSV header identifies EuRepoC's global database.
const EUREPOC_COLUMNS: &[&str] = &["initiator_country", "initiator_category", "receiver_name"];
/// Columns whose presence identifies the CFR tracker.
const CFR_COLUMNS: &[&str] = &["Title", "Affiliations", "Victims", "Sponsor"];
/// Extensions of text reports.
const TEXT_EXTS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm"];

/// Tells the format of `path` from its name and its first bytes.
pub fn sniff(path: &Path, head: &[u8]) -> Result<Format, IngestError> {
    let unknown = |reason: &str| IngestError::UnknownFormat { path: path.to_path_buf(), reason: reason.to_string() };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let body = text.trim_start();
    let first_line = text.split('\n').next().unwrap_or_default();
    if body.is_empty() {
        if matches!(ext.as_str(), "jsonl" | "ndjson") {
            return Ok(Format::Jsonl);
        }
        return Err(unknown("the file is empty"));
    }
    if head.starts_with(b"%PDF") {
        return Err(unknown("a PDF document; convert it to text (e.g. pdftotext) and ingest the text"));
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\x1f\x8b") {
        return Err(unknown("a compressed archive; unpack it first"));
    }
    let mismatch = |ext: &str, content: &str| {
        unknown(&format!("the extension says .{ext} but the content is {content}; rename it or pass --format"))
    };

    if body.starts_with('{') || body.starts_with('[') {
        let flavour = json_flavour(body).map_err(|r| unknown(&r))?;
        let what = flavour.map_or("JSON", describe);
        if matches!(ext.as_str(), "csv" | "yaml" | "yml" | "html" | "htm" | "md" | "markdown") {
            return Err(mismatch(&ext, what));
        }
        if matches!(ext.as_str(), "jsonl" | "ndjson") && flavour != Some(Format::Veris) {
            return Ok(Format::Jsonl);
        }
        return match flavour {
            Some(f) => Ok(f),
            None if first_line.trim_start().starts_with('{') => Ok(Format::Jsonl),
            None => Err(unknown("JSON that is none of: STIX bundle, MISP event, VERIS incident, spyglass JSONL")),
        };
    }
    if looks_like_atlas(&text) {
        if matches!(ext.as_str(), "csv" | "json" | "html" | "htm") {
            return Err(mismatch(&ext, "MITRE ATLAS YAML"));
        }
        return Ok(Format::Atlas);
    }
    if matches!(ext.as_str(), "yaml" | "yml") {
        return Err(unknown("YAML without ATLAS's top-level `matrices` or `case-studies` keys"));
    }
    if looks_like_html(body) {
        if matches!(ext.as_str(), "csv" | "json" | "jsonl" | "yaml" | "yml") {
            return Err(mismatch(&ext, "HTML"));
        }
        return Ok(Format::Text);
    }
    if first_line.contains(',') {
        let cols: Vec<&str> = first_line.split(',').map(|c| c.trim().trim_matches('"')).collect();
        let csv = if EUREPOC_COLUMNS.iter().all(|c| cols.contains(c)) {
            Some(Format::Eurepoc)
        } else if CFR_COLUMNS.iter().all(|c| cols.contains(c)) {
            Some(Format::Cfr)
        } else {
            None
        };
        if matches!(ext.as_str(), "json" | "jsonl" | "ndjson") {
            return Err(mismatch(&ext, csv.map_or("CSV", describe)));
        }
        match csv {
            Some(f) => return Ok(f),
            // A report's first line may well have a comma.
            None if TEXT_EXTS.contains(&ext.as_str()) => return Ok(Format::Text),
            None => return Err(unknown("a CSV whose header matches no known dataset")),
        }
    }
    if TEXT_EXTS.contains(&ext.as_str()) {
        return Ok(Format::Text);
    }
    if ext == "csv" {
        return Err(mismatch("csv", "not comma-separated (no comma in the first line)"));
    }
    if ext == "json" {
        return Err(mismatch("json", "not JSON (it does not start with { or [)"));
    }
    Err(unknown("neither a known CSV header, JSON, ATLAS YAML nor a text report (.txt, .md, .html)"))
}

fn describe(f: Format) -> &'static str {
    match f {
        Format::Eurepoc => "the EuRepoC CSV",
        Format::Jsonl => "spyglass JSON lines",
        Format::Cfr => "the CFR tracker CSV",
        Format::Veris => "VERIS JSON",
        Format::Misp => "a MISP event",
        Format::Atlas => "MITRE ATLAS YAML",
        Format::Stix => "a STIX bundle",
        Format::Text => "a text report",
    }
}

/// Which JSON format the head is, from the keys it shows; an error for JSON that is no data.
fn json_flavour(head: &str) -> Result<Option<Format>, String> {
    if has_key(head, "$schema") && has_key(head, "$id") {
        return Err("a JSON Schema, not data".into());
    }
    if has_key_value(head, "type", "bundle") {
        return Ok(Some(Format::Stix));
    }
    // A bare event exported with sorted keys starts with its `Attribute` list (`to_ids`, `event_id`).
    let bare_event = (has_key(head, "threat_level_id") && has_key(head, "info"))
        || (has_key(head, "Attribute") && (has_key(head, "to_ids") || has_key(head, "event_id")));
    if has_key(head, "Event") || bare_event {
        return Ok(Some(Format::Misp));
    }
    if has_key(head, "schema_version") && (has_key(head, "actor") || has_key(head, "action")) {
        return Ok(Some(Format::Veris));
    }
    if has_key_value(head, "spec_version", "2.1") || has_key_value(head, "spec_version", "2.0") {
        return Ok(Some(Format::Stix));
    }
    Ok(None)
}

/// `"key"` followed by a colon somewhere in `s`.
fn has_key(s: &str, key: &str) -> bool {
    key_positions(s, key).next().is_some()
}

/// `"key": "value"` somewhere in `s`.
fn has_key_value(s: &str, key: &str, value: &str) -> bool {
    key_positions(s, key).any(|after| {
        let rest = after.trim_start();
        rest.strip_prefix('"').and_then(|r| r.strip_prefix(value)).is_some_and(|r| r.starts_with('"'))
    })
}

/// The text after `"key":` for each occurrence.
fn key_positions<'a>(s: &'a str, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let quoted = format!("\"{key}\"");
    let starts: Vec<usize> = s.match_indices(&quoted).map(|(i, _)| i + quoted.len()).collect();
    starts.into_iter().filter_map(move |i| s[i..].trim_start().strip_prefix(':'))
}

fn looks_like_atlas(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end();
        l == "case-studies:" || l == "matrices:" || l == "object-type: case-study"
    })
}

fn looks_like_html(body: &str) -> bool {
    let start: String = body.chars().take(2048).collect::<String>().to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<') && (start.contains("<body") || start.contains("<head")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        let p = Path::new("x.txt");
        assert_eq!(sniff(p, b"{\"id\": \"a\"}\n").unwrap(), Format::Jsonl);
        assert_eq!(sniff(p, b"\xEF\xBB\xBF{\"id\": 1}").unwrap(), Format::Jsonl);
        assert_eq!(
            sniff(p, b"ID,name,initiator_country,initiator_category,receiver_name\n").unwrap(),
            Format::Eurepoc
        );
        assert!(sniff(p, b"").is_err());
        assert_eq!(sniff(Path::new("x.jsonl"), b"").unwrap(), Format::Jsonl);
        assert!(sniff(Path::new("x.csv"), b"a,b,c\n").unwrap_err().to_string().contains("pass --format"));
    }

    #[test]
    fn sniffs_new_formats() {
        let j = Path::new("x.json");
        assert_eq!(sniff(j, b"{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--1\"").unwrap(), Format::Stix);
        assert_eq!(sniff(j, b"{\"id\":\"bundle--1\",\"objects\":[],\"type\" : \"bundle\"}").unwrap(), Format::Stix);
        assert_eq!(sniff(j, b"{\"type\":\"campaign\",\"spec_version\":\"2.1\"}").unwrap(), Format::Stix);
        assert_eq!(sniff(j, b"{\"Event\": {\"info\": \"x\"}}").unwrap(), Format::Misp);
        assert_eq!(sniff(j, b"{\"response\": [{\"Event\": {}}]}").unwrap(), Format::Misp);
        assert_eq!(sniff(j, b"{\"Attribute\": [], \"info\": \"x\", \"threat_level_id\": \"3\"}").unwrap(), Format::Misp);
        // PyMISP writes bare events with sorted keys: the head shows only the attribute list.
        assert_eq!(sniff(j, b"{\"Attribute\": [{\"category\": \"Network activity\", \"event_id\": \"9\"").unwrap(), Format::Misp);
        assert_eq!(sniff(j, b"{\"action\": {}, \"actor\": {}, \"schema_version\": \"1.3.2\"}").unwrap(), Format::Veris);
        assert_eq!(sniff(Path::new("v.jsonl"), b"{\"actor\": {}, \"schema_version\": \"1.3\"}\n").unwrap(), Format::Veris);
        assert_eq!(sniff(Path::new("a.yaml"), b"---\nid: ATLAS\nmatrices:\n- id: x\n").unwrap(), Format::Atlas);
        assert_eq!(sniff(Path::new("c.csv"), b"Title,Date,Affiliations,Description,Victims,Sponsor,Type\n").unwrap(), Format::Cfr);
        assert_eq!(sniff(Path::new("r.html"), b"<!DOCTYPE html><html><body>x</body>").unwrap(), Format::Text);
        assert_eq!(sniff(Path::new("r"), b"<html><head><title>t</title>").unwrap(), Format::Text);
        assert_eq!(sniff(Path::new("r.md"), b"# APT41, again\n\ntext").unwrap(), Format::Text);
        assert_eq!(sniff(Path::new("r.txt"), b"A report, with commas.").unwrap(), Format::Text);
    }

    #[test]
    fn mismatches_say_what_the_content_is() {
        let e = sniff(Path::new("x.csv"), b"{\"type\": \"bundle\"}").unwrap_err().to_string();
        assert!(e.contains(".csv") && e.contains("STIX"), "{e}");
        let e = sniff(Path::new("x.json"), b"Title,Date,Affiliations,Victims,Sponsor\n").unwrap_err().to_string();
        assert!(e.contains(".json") && e.contains("CFR"), "{e}");
        let e = sniff(Path::new("x.yaml"), b"foo: 1\n").unwrap_err().to_string();
        assert!(e.contains("ATLAS"), "{e}");
        let e = sniff(Path::new("x.json"), b"{\"$schema\": \"s\", \"$id\": \"i\"}").unwrap_err().to_string();
        assert!(e.contains("JSON Schema"), "{e}");
        let e = sniff(Path::new("x.json"), b"[1, 2]").unwrap_err().to_string();
        assert!(e.contains("none of"), "{e}");
        let e = sniff(Path::new("r.txt"), b"%PDF-1.7\n").unwrap_err().to_string();
        assert!(e.contains("PDF"), "{e}");
        let e = sniff(Path::new("x.csv"), b"<!doctype html><p>hi").unwrap_err().to_string();
        assert!(e.contains("HTML"), "{e}");
    }
}
