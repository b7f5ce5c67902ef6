//! Ingest orchestration: hash, dedupe, stream-read, and commit one input as one batch.
//!
//! The reader runs on a blocking thread and streams records through a bounded channel; claims are
//! appended in chunks as they arrive (so memory stays bounded whatever the input size) and the batch
//! marker is written last. Until the marker exists none of the chunks is visible.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use serde::Serialize;
use sha2::{Digest, Sha256};
use spyglass_extract::{ActorName, Extractor};
use spyglass_ingest::{Format, IngestError, Sink, Skipped};
use spyglass_model::{IncidentRecord, Source};
use tokio::sync::mpsc;

use crate::{BatchMeta, Store, StoreError};

/// How one input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A new batch was committed.
    Committed,
    /// The same content was committed before; nothing was added.
    AlreadyIngested,
    /// `--strict` and some records were bad: nothing was committed.
    Rejected,
    /// No readable record: nothing to commit.
    Empty,
}

/// The summary printed for one input.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub path: String,
    pub format: String,
    pub status: Status,
    pub batch_id: Option<String>,
    pub content_sha256: String,
    pub records_read: u64,
    pub records_committed: u64,
    pub claims_written: u64,
    /// Bad records with place and reason (the first [`MAX_LISTED_SKIPS`]; `skipped_total` counts all).
    pub skipped: Vec<Skipped>,
    pub skipped_total: u64,
    /// Country names that map to no ISO code (regions, organisations, unknown spellings).
    pub unmapped_countries: BTreeMap<String, u64>,
    /// For `already_ingested`: when the earlier batch was committed.
    pub previous_ingested_at: Option<String>,
}

/// At most this many skipped records are listed in a report (all are counted).
pub const MAX_LISTED_SKIPS: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Options for [`ingest_path`] and [`ingest_bytes`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// `None` sniffs the format.
    pub format: Option<Format>,
    /// Any bad record fails the batch and nothing is committed.
    pub strict: bool,
    /// Skip text extraction (no `text` claims from descriptions).
    pub no_extract: bool,
}

/// Appended claims are flushed when pending records reach this many…
const CHUNK_RECORDS: usize = 100_000;
/// …or roughly this many bytes of text (4 MB: a 1.1 GB STIX bundle ingests under 256 MB peak RSS,
/// see BENCHMARKS.md; larger chunks bought no throughput).
const CHUNK_BYTES: usize = 4 << 20;
/// Records the reader thread sends to the writer in one message.
const SEND_GROUP: usize = 256;
/// Messages waiting between the reader thread and the writer: with [`SEND_GROUP`], about a
/// thousand records are in flight (64 messages of 1,024 held most of a 1 GB bundle's records).
const CHANNEL_MSGS: usize = 4;
/// Description bytes the STIX reader keeps in memory until the bundle ends (the rest goes to a
/// temporary file and is read back while records are built).
const STIX_TEXT_BUDGET: usize = 8 << 20;

enum Msg {
    Source(Source),
    Records(Vec<IncidentRecord>),
    Skip(Skipped),
    Unmapped(String),
    Progress(u64, u64),
}

/// A sink that forwards to the async writer in small groups.
struct ChannelSink {
    tx: mpsc::Sender<Msg>,
    pending: Vec<IncidentRecord>,
    closed: bool,
    extractor: Option<Arc<Extractor>>,
}

impl ChannelSink {
    fn send(&mut self, m: Msg) {
        if !self.closed && self.tx.blocking_send(m).is_err() {
            self.closed = true; // the writer stopped (an error); drain silently
        }
    }
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let recs = std::mem::take(&mut self.pending);
            self.send(Msg::Records(recs));
        }
    }
}

impl Sink for ChannelSink {
    fn source(&mut self, source: Source) {
        self.send(Msg::Source(source));
    }
    fn record(&mut self, mut record: IncidentRecord) {
        if let Some(ex) = &self.extractor {
            spyglass_ingest::enrich::enrich(&mut record, ex);
        }
        self.pending.push(record);
        if self.pending.len() >= SEND_GROUP {
            self.flush();
        }
    }
    fn skip(&mut self, skipped: Skipped) {
        self.flush();
        self.send(Msg::Skip(skipped));
    }
    fn unmapped_country(&mut self, label: String) {
        self.send(Msg::Unmapped(label));
    }
    fn progress(&mut self, done: u64, total: u64) {
        self.send(Msg::Progress(done, total));
    }
}

fn approx_bytes(r: &IncidentRecord) -> usize {
    256 + r.incident.description.as_ref().map_or(0, String::len)
        + 128 * (r.victims.len() + r.attributions.len() + r.assets.len() + r.techniques.len())
}

/// The text extractor with the knowledge base's actor names as its dictionary.
pub async fn text_extractor(store: &Store) -> Result<Extractor, StoreError> {
    let kb = if store.exists() { store.kb().await? } else { spyglass_kb::Kb::from_claims(spyglass_kb::load::builtin::agencies()) };
    let names = kb
        .alias_dictionary()
        .into_iter()
        .map(|(name, actor_id, actor_name, sponsor)| ActorName { name, actor_id, actor_name, sponsor })
        .collect();
    Extractor::new(names).map_err(|e| StoreError::Internal(format!("building the text extractor: {e}")))
}

/// SHA-256 of a file, streamed.
fn hash_file(path: &Path) -> Result<(String, u64), IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex::encode(h.finalize()), total))
}

fn sniff_file(path: &Path) -> Result<Format, IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(64 * 1024);
    f.take(64 * 1024).read_to_end(&mut head).map_err(io)?;
    spyglass_ingest::sniff(path, &head)
}

/// Streams the file at `path` into one batch unless the same content was committed before.
pub async fn ingest_path(
    store: &Store,
    path: &Path,
    opts: LoadOptions,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<IngestReport, LoadError> {
    let p = path.to_path_buf();
    let (sha, total) = tokio::task::spawn_blocking(move || hash_file(&p))
        .await
        .map_err(|e| StoreError::Internal(format!("hashing thread: {e}")))??;
    let format = match opts.format {
        Some(f) => f,
        None => sniff_file(path)?,
    };
    let open_path: PathBuf = path.to_path_buf();
    let opener = move || -> Result<Box<dyn Read + Send>, IngestError> {
        let f = std::fs::File::open(&open_path).map_err(|source| IngestError::Io { path: open_path.clone(), source })?;
        Ok(Box::new(f))
    };
    ingest_stream(store, path, sha, total, format, opts, opener, progress).await
}

/// Ingests an in-memory input (the quick start's corpus, an uploaded file).
pub async fn ingest_bytes(
    store: &Store,
    path: &Path,
    bytes: &[u8],
    opts: LoadOptions,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<IngestReport, LoadError> {
    let sha = hex::encode(Sha256::digest(bytes));
    let format = match opts.format {
        Some(f) => f,
        None => spyglass_ingest::sniff(path, &bytes[..bytes.len().min(64 * 1024)])?,
    };
    let owned = bytes.to_vec();
    let opener = move || -> Result<Box<dyn Read + Send>, IngestError> { Ok(Box::new(std::io::Cursor::new(owned))) };
    ingest_stream(store, path, sha, bytes.len() as u64, format, opts, opener, progress).await
}

#[allow(clippy::too_many_arguments)]
async fn ingest_stream<F>(
    store: &Store,
    path: &Path,
    sha: String,
    total: u64,
    format: Format,
    opts: LoadOptions,
    opener: F,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<IngestReport, LoadError>
where
    F: FnOnce() -> Result<Box<dyn Read + Send>, IngestError> + Send + 'static,
{
    let mut report = IngestReport {
        path: path.display().to_string(),
        format: format.as_str().to_string(),
        status: Status::Empty,
        batch_id: None,
        content_sha256: sha.clone(),
        records_read: 0,
        records_committed: 0,
        claims_written: 0,
        skipped: Vec::new(),
        skipped_total: 0,
        unmapped_countries: BTreeMap::new(),
        previous_ingested_at: None,
    };
    if let Some(prev) = store.find_batch(&sha).await? {
        report.status = Status::AlreadyIngested;
        report.batch_id = Some(prev.batch_id);
        report.previous_ingested_at = Some(prev.ingested_at);
        return Ok(report);
    }

    let meta = BatchMeta {
        batch_id: crate::new_batch_id(),
        content_sha256: sha,
        path: report.path.clone(),
        format: report.format.clone(),
        records_read: 0,
        records_skipped: 0,
        ingested_at: Utc::now(),
    };
    let strict = opts.strict;
    let extractor = if opts.no_extract { None } else { Some(Arc::new(text_extractor(store).await?)) };
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL_MSGS);
    let read_path = path.to_path_buf();
    let reader = tokio::task::spawn_blocking(move || -> Result<(), IngestError> {
        let mut input = opener()?;
        let mut sink = ChannelSink { tx, pending: Vec::new(), closed: false, extractor };
        let r = match format {
            Format::Stix => {
                let opts = spyglass_ingest::stix::StixOptions { text_budget: STIX_TEXT_BUDGET };
                spyglass_ingest::stix::read_with(&read_path, &mut input, total, &mut sink, opts).map(|_| ())
            }
            _ => spyglass_ingest::read_into(&read_path, &mut input, total, format, &mut sink),
        };
        sink.flush();
        r
    });

    let mut sources: Vec<Source> = Vec::new();
    let mut tables = crate::Appender::default();
    let mut pending: Vec<IncidentRecord> = Vec::new();
    let mut pending_bytes = 0usize;
    let mut write_error: Option<StoreError> = None;
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Source(s) => {
                if !sources.iter().any(|x| x.id == s.id) {
                    sources.push(s);
                }
            }
            Msg::Records(recs) => {
                report.records_read += recs.len() as u64;
                if write_error.is_some() || (strict && report.skipped_total > 0) {
                    continue;
                }
                for r in recs {
                    pending_bytes += approx_bytes(&r);
                    pending.push(r);
                }
                if pending.len() >= CHUNK_RECORDS || pending_bytes >= CHUNK_BYTES {
                    let chunk = std::mem::take(&mut pending);
                    pending_bytes = 0;
                    let n_records = chunk.len() as u64;
                    match store.append_chunk(&mut tables, &meta, chunk).await {
                        Ok(n) => {
                            report.claims_written += n;
                            report.records_committed += n_records;
                        }
                        Err(e) => {
                            write_error = Some(e);
                            drop(rx); // stop the reader
                            break;
                        }
                    }
                }
            }
            Msg::Skip(s) => {
                report.records_read += 1;
                report.skipped_total += 1;
                if report.skipped.len() < MAX_LISTED_SKIPS {
                    report.skipped.push(s);
                }
            }
            Msg::Unmapped(label) => *report.unmapped_countries.entry(label).or_default() += 1,
            Msg::Progress(done, total) => progress(done, total),
        }
    }
    let read_result = reader.await.map_err(|e| StoreError::Internal(format!("reader thread: {e}")))?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    read_result?;
    if strict && report.skipped_total > 0 {
        report.status = Status::Rejected;
        report.records_committed = 0;
        report.claims_written = 0;
        return Ok(report);
    }
    if !pending.is_empty() {
        let n_records = pending.len() as u64;
        report.claims_written += store.append_chunk(&mut tables, &meta, pending).await?;
        report.records_committed += n_records;
    }
    if report.records_committed == 0 {
        return Ok(report);
    }
    let meta = BatchMeta { records_read: report.records_read, records_skipped: report.skipped_total, ..meta };
    store.finish_batch(&mut tables, &meta, &sources, report.claims_written).await?;
    report.status = Status::Committed;
    report.batch_id = Some(meta.batch_id.clone());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table;
    use spyglass_model::Policy;
    use arrow::array::Array;

    fn jsonl(prefix: &str, n: usize) -> Vec<u8> {
        let mut out = String::new();
        for i in 0..n {
            out.push_str(&format!(
                "{{\"id\": \"{prefix}:{i}\", \"title\": \"incident {i}\", \"source\": \"appender test\", \
                 \"start_date\": \"2020-01-01\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\", \
                 \"verticals\": [\"software\"]}}\n"
            ));
        }
        out.into_bytes()
    }

    /// The files in `dir` whose names end with `suffix`.
    fn files_ending(dir: &Path, suffix: &str) -> usize {
        std::fs::read_dir(dir)
            .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(suffix)).count())
            .unwrap_or(0)
    }

    fn commits(data: &Path, name: &str) -> usize {
        files_ending(&data.join(name).join("_delta_log"), ".json")
    }

    async fn incidents(store: &Store) -> i64 {
        let batches = store.sql(&Policy::default(), "SELECT count(*) AS n FROM incidents").await.unwrap();
        let col = batches[0].column(0).as_any().downcast_ref::<arrow::array::Int64Array>().map(|a| a.value(0));
        col.unwrap_or(-1)
    }

    /// A batch of many chunks into existing tables adds one commit to each table (the chunks are
    /// staged as files and committed together), not one per chunk, and loses no record.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_of_many_chunks_adds_one_commit_per_table() {
        let dir = std::env::temp_dir().join(format!("spyglass-appender-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.join("data");
        let store = Store::new(&data);
        let opts = LoadOptions { no_extract: true, ..LoadOptions::default() };
        let first = ingest_bytes(&store, Path::new("small.jsonl"), &jsonl("small", 10), opts, &mut |_, _| {}).await.unwrap();
        assert_eq!(first.records_committed, 10);
        let tables = [table::INCIDENTS, table::ATTRIBUTIONS, table::VICTIMS];
        let before: Vec<usize> = tables.iter().map(|t| commits(&data, t)).collect();
        assert!(before.iter().all(|&c| c >= 1), "{before:?}");

        // ~512 approximate bytes a record: 30,000 records are about four 4 MB chunks.
        let n = 30_000;
        let big = ingest_bytes(&store, Path::new("big.jsonl"), &jsonl("big", n), opts, &mut |_, _| {}).await.unwrap();
        assert_eq!(big.records_committed, n as u64);
        let after: Vec<usize> = tables.iter().map(|t| commits(&data, t)).collect();
        for ((t, b), a) in tables.iter().zip(&before).zip(&after) {
            assert_eq!(a - b, 1, "{t}: {b} commits before the batch, {a} after");
        }
        assert_eq!(incidents(&store).await, 10 + n as i64);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Small batches leave a file each in a table; `compact_fragmented` rewrites a table only once
    /// it holds the given number of small files, in one commit, with the same rows; a store with
    /// nothing fragmented is left alone (no commit).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn compact_fragmented_rewrites_only_tables_with_many_small_files() {
        use crate::maintain::DEFAULT_TARGET_BYTES;
        let dir = std::env::temp_dir().join(format!("spyglass-autocompact-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.join("data");
        let store = Store::new(&data);
        let opts = LoadOptions { no_extract: true, ..LoadOptions::default() };
        for b in 0..5 {
            let bytes = jsonl(&format!("b{b}"), 3);
            ingest_bytes(&store, Path::new(&format!("b{b}.jsonl")), &bytes, opts, &mut |_, _| {}).await.unwrap();
        }
        // No file was ever removed yet: every Parquet file on disk is an active one.
        assert_eq!(files_ending(&data.join(table::INCIDENTS), ".parquet"), 5);
        // Under the threshold: nothing is touched.
        let before = commits(&data, table::INCIDENTS);
        assert!(store.compact_fragmented(6, DEFAULT_TARGET_BYTES).await.unwrap().is_empty());
        assert_eq!(commits(&data, table::INCIDENTS), before);

        // At the threshold: one commit per table that has five small files, one file after it.
        let done = store.compact_fragmented(5, DEFAULT_TARGET_BYTES).await.unwrap();
        let inc = done.iter().find(|c| c.table == table::INCIDENTS).expect("incidents compacted");
        assert_eq!((inc.files_before, inc.files_after, inc.files_removed, inc.files_added), (5, 1, 5, 1), "{done:?}");
        assert_eq!(commits(&data, table::INCIDENTS), before + 1);
        assert_eq!(incidents(&store).await, 15);
        // And again: now nothing is fragmented.
        assert!(store.compact_fragmented(5, DEFAULT_TARGET_BYTES).await.unwrap().is_empty());
        assert_eq!(commits(&data, table::INCIDENTS), before + 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
