//! Format detection from the file name and the first bytes.

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
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Eurepoc => "eurepoc",
            Format::Jsonl => "jsonl",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "eurepoc" => Ok(Format::Eurepoc),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            other => Err(format!("unknown format {other:?} (expected auto, eurepoc, jsonl)")),
        }
    }
}

/// Columns whose presence in a CSV header identifies EuRepoC's global database.
const EUREPOC_COLUMNS: &[&str] = &["initiator_country", "initiator_category", "receiver_name"];

/// Tells the format of `path` from its name and its first bytes.
pub fn sniff(path: &Path, head: &[u8]) -> Result<Format, IngestError> {
    let unknown = |reason: &str| IngestError::UnknownFormat { path: path.to_path_buf(), reason: reason.to_string() };
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    let trimmed = first_line.trim_start();
    if trimmed.starts_with('{') {
        return Ok(Format::Jsonl);
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if matches!(ext.as_str(), "jsonl" | "ndjson") {
        return Ok(Format::Jsonl);
    }
    if first_line.contains(',') {
        let cols: Vec<&str> = first_line.split(',').map(|c| c.trim().trim_matches('"')).collect();
        if EUREPOC_COLUMNS.iter().all(|c| cols.contains(c)) {
            return Ok(Format::Eurepoc);
        }
        return Err(unknown("a CSV whose header matches no known dataset"));
    }
    if head.is_empty() {
        return Err(unknown("the file is empty"));
    }
    Err(unknown("neither a known CSV header nor JSON lines"))
}

#[cfg(test)]
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
        assert!(sniff(p, b"a,b,c\n").unwrap_err().to_string().contains("pass --format"));
        assert!(sniff(p, b"").is_err());
        assert_eq!(sniff(Path::new("x.jsonl"), b"").unwrap(), Format::Jsonl);
    }
}
