//! Readers: one module per input format, each turning records into claims.
//!
//! A reader states what the source says; it never applies policy. Rows it cannot read are returned
//! as [`Skipped`] with their place and reason; the caller decides (`--strict` fails the batch).

pub mod atlas;
pub mod cfr;
pub mod enrich;
pub mod eurepoc;
mod json;
pub mod jsonl;
pub mod misp;
pub mod pylit;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod robustness;
mod sniff;
pub mod stix;
pub mod text;
mod util;
pub mod veris;

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
}

/// Where a reader puts what it reads, one item at a time, so inputs of any size stream through in
/// bounded memory (the store's batch writer is a sink; [`ReadOutcome`] collects everything).
pub trait Sink {
    /// A source the following records cite (may be called again for the same id).
    fn source(&mut self, source: Source);
    fn record(&mut self, record: IncidentRecord);
    fn skip(&mut self, skipped: Skipped);
    /// A country name that maps to no ISO code, labelled `name (kind)`.
    fn unmapped_country(&mut self, label: String);
    /// Bytes consumed so far of `total` (0 when unknown).
    fn progress(&mut self, _done: u64, _total: u64) {}
}

impl Sink for ReadOutcome {
    fn source(&mut self, source: Source) {
        if !self.sources.iter().any(|s| s.id == source.id) {
            self.sources.push(source);
        }
    }
    fn record(&mut self, record: IncidentRecord) {
        self.records_seen += 1;
        self.records.push(record);
    }
    fn skip(&mut self, skipped: Skipped) {
        self.records_seen += 1;
        self.skipped.push(skipped);
    }
    fn unmapped_country(&mut self, label: String) {
        *self.unmapped_countries.entry(label).or_default() += 1;
    }
}

/// Streams `input` (the content of `path`, `total` bytes if known) as `format` into `sink`.
pub fn read_into(
    path: &Path,
    input: &mut dyn std::io::Read,
    total: u64,
    format: Format,
    sink: &mut dyn Sink,
) -> Result<(), IngestError> {
    match format {
        Format::Eurepoc => eurepoc::read(path, input, total, sink),
        Format::Jsonl => jsonl::read(path, input, total, sink),
        Format::Cfr => cfr::read(path, input, total, sink),
        Format::Veris => veris::read(path, input, total, sink),
        Format::Misp => misp::read(path, input, total, sink),
        Format::Atlas => atlas::read(path, input, total, sink),
        Format::Text => text::read(path, input, total, sink),
        Format::Stix => stix::read(path, input, total, sink),
    }
}

/// Reads a whole in-memory input and collects the result.
pub fn read_bytes(path: &Path, bytes: &[u8], format: Format) -> Result<ReadOutcome, IngestError> {
    let mut out = ReadOutcome::default();
    let mut input = bytes;
    read_into(path, &mut input, bytes.len() as u64, format, &mut out)?;
    Ok(out)
}
