//! Text reports (plain text, Markdown, HTML): one file in, one report-incident out. A folder of
//! reports is the caller's loop.
//!
//! - **id** `text:<first 16 hex of sha256(file bytes)>`: the same report ingested twice, under any
//!   name, is the same incident.
//! - **description**: the text with the markup reduced (`spyglass_extract::html_to_text` /
//!   `markdown_to_text`: tags, scripts and styles dropped, entities decoded, emphasis and link syntax
//!   removed). Markup is chosen by extension (`.html`/`.htm`, `.md`/`.markdown`), else HTML when the
//!   content starts like an HTML document, else plain text.
//! - **title**: HTML `<title>`, else the first Markdown `# ` heading, else the first non-empty line
//!   (at most 200 characters).
//! - No attributions, victims or assets: the pipeline adds them from extraction over the description.
//!
//! Invalid UTF-8 is replaced (U+FFFD) and said in `record_ref`; a file over 64 MiB is refused.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use spyglass_extract::{TextInput, html_to_text};
use spyglass_model::{IncidentClaim, IncidentRecord, Source, SourceKind};

use crate::{IngestError, Sink, Skipped};

/// The source id of text reports.
pub const SOURCE_ID: &str = "text";
/// Largest report read, in bytes.
pub const MAX_BYTES: u64 = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Plain,
    Markdown,
    Html,
}

/// Reads one report.
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(IngestError::Invalid {
            path: path.to_path_buf(),
            place: format!("byte {MAX_BYTES}"),
            reason: "larger than 64 MiB; a text report is one document".into(),
        });
    }
    let id = format!("text:{}", &hex::encode(Sha256::digest(&bytes))[..16]);
    let (text, invalid_at) = match std::str::from_utf8(&bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), None),
        Err(e) => (String::from_utf8_lossy(&bytes), Some(e.valid_up_to())),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let markup = markup(path, text);
    let reduced = match markup {
        Markup::Plain => TextInput::Plain(text),
        Markup::Markdown => TextInput::Markdown(text),
        Markup::Html => TextInput::Html(text),
    }
    .reduce();
    let reduced = reduced.trim();
    sink.source(Source {
        id: SOURCE_ID.into(),
        kind: SourceKind::VendorReport,
        name: "Text reports".into(),
        reliability: None,
    });
    sink.progress(total, total);
    if reduced.is_empty() {
        sink.skip(Skipped { place: "whole file".into(), reason: "no text left after removing the markup".into() });
        return Ok(());
    }
    let kind = match markup {
        Markup::Plain => "plain text",
        Markup::Markdown => "Markdown",
        Markup::Html => "HTML",
    };
    let record_ref = match invalid_at {
        None => format!("whole file ({} bytes, {kind})", bytes.len()),
        Some(at) => format!("whole file ({} bytes, {kind}; invalid UTF-8 from byte {at} replaced)", bytes.len()),
    };
    let incident = IncidentClaim {
        id,
        title: title(markup, text, reduced),
        description: Some(reduced.to_string()),
        ..IncidentClaim::default()
    };
    sink.record(IncidentRecord::new(SOURCE_ID, record_ref, incident));
    Ok(())
}

fn markup(path: &Path, text: &str) -> Markup {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Markup::Html,
        "md" | "markdown" => Markup::Markdown,
        _ => {
            let start: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
            if start.starts_with("<!doctype html") || start.starts_with("<html") {
                Markup::Html
            } else {
                Markup::Plain
            }
        }
    }
}

const TITLE_CHARS: usize = 200;

fn clip(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() { None } else { Some(s.chars().take(TITLE_CHARS).collect()) }
}

fn title(markup: Markup, raw: &str, reduced: &str) -> Option<String> {
    if markup == Markup::Html {
        let lower = raw.to_ascii_lowercase();
        if let Some(open) = lower.find("<title")
            && let Some(gt) = lower[open..].find('>')
            && let Some(close) = lower[open + gt..].find("</title")
        {
            let inner = &raw[open + gt + 1..open + gt + close];
            if let Some(t) = clip(&html_to_text(inner)) {
                return Some(t);
            }
        }
    }
    if markup == Markup::Markdown
        && let Some(h) = raw.lines().find_map(|l| l.trim_start().strip_prefix("# "))
        && let Some(t) = clip(h.trim_end_matches('#'))
    {
        return Some(t);
    }
    reduced.lines().find_map(clip)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::{Format, read_bytes};

    fn one(name: &str, body: &[u8]) -> IncidentRecord {
        let out = read_bytes(Path::new(name), body, Format::Text).unwrap();
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        out.records.into_iter().next().unwrap()
    }

    #[test]
    fn html_is_reduced_and_titled() {
        let rec = one(
            "r.html",
            b"<html><head><title>APT41 &amp; friends</title><style>p{}</style></head><body><p>Stole <b>model weights</b>.</p><script>x()</script></body></html>",
        );
        assert_eq!(rec.incident.title.as_deref(), Some("APT41 & friends"));
        let d = rec.incident.description.as_deref().unwrap();
        assert!(d.contains("Stole model weights") && !d.contains('<') && !d.contains("x()"), "{d}");
        assert!(rec.incident.id.starts_with("text:") && rec.incident.id.len() == 21);
        assert!(rec.attributions.is_empty() && rec.victims.is_empty());
        assert!(rec.record_ref.contains("HTML"));
    }

    #[test]
    fn markdown_and_plain() {
        let rec = one("r.md", b"Intro line\n\n# Operation Cloud Hopper\n\n**MSPs** were [hit](http://x).\n");
        assert_eq!(rec.incident.title.as_deref(), Some("Operation Cloud Hopper"));
        assert!(!rec.incident.description.as_deref().unwrap().contains("**"));
        let rec = one("r.txt", b"\n\n  First line of the report  \nsecond");
        assert_eq!(rec.incident.title.as_deref(), Some("First line of the report"));
    }

    #[test]
    fn same_bytes_same_id_and_bad_utf8_is_noted() {
        let a = one("a.txt", b"same");
        let b = one("b.txt", b"same");
        assert_eq!(a.incident.id, b.incident.id);
        let rec = one("c.txt", b"caf\xe9 report");
        assert!(rec.record_ref.contains("invalid UTF-8 from byte 3"), "{}", rec.record_ref);
        let out = read_bytes(Path::new("e.html"), b"<html><script>x</script></html>", Format::Text).unwrap();
        assert!(out.records.is_empty() && out.skipped.len() == 1);
    }
}
