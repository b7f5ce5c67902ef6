//! Readers: one module per input format, each turning records into claims.
//!
//! A reader states what the source says; it never applies policy. Rows it cannot read are returned
//! as [`Skipped`] with their place and reason; the caller decides (`--strict` fails the batch).

pub mod eurepoc;
pub mod jsonl;
pub mod pylit;
mod sniff;
mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use spyglass_model::{IncidentRecord, Source};

pub use sniff::{Format, sniff};

/// Errors that stop a whole file from being read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot tell the format ({reason}); pass --format")]
    UnknownFormat { path: PathBuf, reason: String },
    #[error("{path} {place}: {reason}")]
    Invalid { path: PathBuf, place: String, reason: String },
}

/// A record (row, line, object) that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// `line 412`, `line 412, column initiator_country`, `$.objects[3]`.
    pub place: String,
    pub reason: String,
}

/// What a reader got out of one input.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub sources: Vec<Source>,
    pub records: Vec<IncidentRecord>,
    pub skipped: Vec<Skipped>,
    /// Records seen (read or skipped).
    pub records_seen: u64,
    /// Country names that map to no ISO code, with how often they occurred, so they are reported
    /// rather than dropped silently. Keyed by `name (kind)`, e.g. `Asia (region) (region)`.
    pub unmapped_countries: BTreeMap<String, u64>,
    /// Other notes worth showing the user (ignored fields and such), with counts.
    pub notes: BTreeMap<String, u64>,
}

/// Progress callback: bytes consumed so far, total bytes.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Reads `bytes` (the content of `path`) as `format`.
pub fn read_bytes(path: &Path, bytes: &[u8], format: Format, progress: Progress<'_>) -> Result<ReadOutcome, IngestError> {
    match format {
        Format::Eurepoc => eurepoc::read(path, bytes, progress),
        Format::Jsonl => jsonl::read(path, bytes, progress),
    }
}
