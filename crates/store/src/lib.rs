//! The claim store: append-only Delta Lake tables in a data directory, queried with DataFusion.
//!
//! Layout: one Delta table per claim kind under the data directory (`incident_claims/`,
//! `victim_claims/`, `attribution_claims/`, `asset_claims/`, `source_claims/`) and `batches/`.
//! A batch (one ingested file) is written claim tables first, batch marker last; the views only show
//! claims whose batch has a marker, so a batch is visible entirely or not at all, and a crash
//! mid-batch leaves the previous state as it was. Re-ingesting content already committed (same
//! SHA-256) adds nothing.

pub mod export;
pub mod kbstore;
pub mod links;
pub mod load;
pub mod maintain;
pub mod remote;
pub mod sameas;
pub mod schema;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, RecordBatch, StringArray};
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::prelude::{SessionConfig, SessionContext};
use deltalake::parquet::basic::Compression;
use deltalake::parquet::file::properties::WriterProperties;
use deltalake::protocol::SaveMode;
use deltalake::writer::{DeltaWriter, RecordBatchWriter};
use deltalake::{DeltaTable, DeltaTableError};
use spyglass_model::{IncidentRecord, Policy, Source};

pub use remote::Engine;
pub use schema::{BatchMeta, schema_of, table};
pub use views::VIEWS_DOC;

/// Store errors; the CLI maps `Query` to "bad input" and the rest to runtime errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no spyglass data at {0} (run `spyglass ingest` first, or pass --data)")]
    NoData(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("table {table}: {source}")]
    Delta {
        table: String,
        #[source]
        source: DeltaTableError,
    },
    #[error("{0}")]
    Query(DataFusionError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// A committed batch, as recorded in `batches`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchInfo {
    pub batch_id: String,
    pub path: String,
    pub ingested_at: String,
}

/// What committing a batch wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitSummary {
    pub batch_id: String,
    pub claims_written: u64,
}

/// A data directory of claim tables, queried on an [`Engine`].
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    engine: Engine,
}

impl Store {
    /// A handle on `root` queried on the process's engine ([`remote::default_engine`]); nothing is
    /// created until the first commit.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into(), engine: remote::default_engine() }
    }

    /// The same store queried on `engine`.
    pub fn with_engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Where this store's queries run.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether any batch was ever written here.
    pub fn exists(&self) -> bool {
        self.root.join(table::BATCHES).join("_delta_log").is_dir()
    }

    fn table_url(&self, name: &str) -> Result<url::Url, StoreError> {
        let path = self.root.join(name);
        std::fs::create_dir_all(&path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
        let path = path.canonicalize().map_err(|source| StoreError::Io { path: path.clone(), source })?;
        url::Url::from_directory_path(&path)
            .map_err(|_| StoreError::Internal(format!("cannot make a URL of {}", path.display())))
    }

    /// Opens a table for reading; `None` when it was never written.
    async fn open_table(&self, name: &str) -> Result<Option<DeltaTable>, StoreError> {
        if !self.root.join(name).join("_delta_log").is_dir() {
            return Ok(None);
        }
        let url = self.table_url(name)?;
        match deltalake::open_table(url).await {
            Ok(t) => Ok(Some(t)),
            Err(DeltaTableError::NotATable(_)) => Ok(None),
            Err(source) => Err(StoreError::Delta { table: name.into(), source }),
        }
    }

    /// A DataFusion session with every table and view registered under `policy`. On a Ballista
    /// engine its queries run on the cluster (see [`remote`]).
    pub async fn session(&self, policy: &Policy) -> Result<SessionContext, StoreError> {
        if !self.exists() {
            return Err(StoreError::NoData(self.root.clone()));
        }
        match &self.engine {
            Engine::Embedded => self.embedded_session(policy).await,
            Engine::Ballista { host, port } => self.ballista_session(policy, host, *port).await,
        }
    }

    async fn embedded_session(&self, policy: &Policy) -> Result<SessionContext, StoreError> {
        let config = SessionConfig::new().with_information_schema(true);
        let ctx = SessionContext::new_with_config(config);
        for &name in table::ALL {
            match self.open_table(name).await? {
                Some(t) => {
                    t.update_datafusion_session(&ctx.state())
                        .map_err(|source| StoreError::Delta { table: name.into(), source })?;
                    let provider = t.table_provider().await.map_err(StoreError::Query)?;
                    ctx.register_table(name, provider).map_err(StoreError::Query)?;
                }
                None => {
                    let empty = MemTable::try_new(schema_of(name), vec![vec![]]).map_err(StoreError::Query)?;
                    ctx.register_table(name, Arc::new(empty)).map_err(StoreError::Query)?;
                }
            }
        }
        register_views(&ctx, views::base_views(policy.tlp_clearance)).await?;
        let resolutions = self.actor_resolutions(&ctx).await?;
        ctx.register_table("actor_resolutions", Arc::new(resolutions)).map_err(StoreError::Query)?;
        register_views(
            &ctx,
            vec![("same_as", sameas::SAME_AS_VIEW.to_string()), ("company_links", links::COMPANY_LINKS_VIEW.to_string())],
        )
        .await?;
        let canon = sameas::incident_canon(&ctx, policy).await?;
        ctx.register_table("incident_canon", Arc::new(canon)).map_err(StoreError::Query)?;
        register_views(&ctx, views::policy_views(policy)).await?;
        Ok(ctx)
    }

    /// The session on a Ballista cluster: every Delta table as a listing table of its snapshot's
    /// Parquet files; the two client-computed tables written as Parquet once per state and policy.
    async fn ballista_session(&self, policy: &Policy, host: &str, port: u16) -> Result<SessionContext, StoreError> {
        let ctx = remote::ballista_context(host, port).await?;
        let before = self.fingerprint()?;
        for &name in table::ALL {
            let (files, schema) = match self.open_table(name).await? {
                Some(t) => {
                    let files: Vec<String> =
                        t.get_file_uris().map_err(|source| StoreError::Delta { table: name.into(), source })?.collect();
                    let provider = t.table_provider().await.map_err(StoreError::Query)?;
                    (files, datafusion::catalog::TableProvider::schema(provider.as_ref()))
                }
                None => (Vec::new(), schema_of(name)),
            };
            let files = if files.is_empty() {
                let dir = remote::materialized_dir(&self.root, "empty", "")?;
                let path = match remote::materialized(&dir, name) {
                    Some(p) => p,
                    None => remote::write_parquet(&dir, name, schema.clone(), &[])?,
                };
                vec![remote::file_uri(&path)?]
            } else {
                files
            };
            remote::register_files(&ctx, name, &files, schema)?;
        }
        // A commit between the two readings: the tables derived here belong to no one state.
        let state = if self.fingerprint()? == before { before } else { format!("{before}:{}", uuid::Uuid::new_v4()) };
        let dir = remote::materialized_dir(&self.root, &state, &format!("{policy:?}"))?;
        register_remote_views(&ctx, views::base_views(policy.tlp_clearance)).await?;
        let resolutions = match remote::materialized(&dir, "actor_resolutions") {
            Some(p) => p,
            None => remote::materialize(&dir, "actor_resolutions", self.actor_resolutions(&ctx).await?).await?,
        };
        register_parquet(&ctx, "actor_resolutions", &resolutions).await?;
        register_remote_views(
            &ctx,
            vec![("same_as", sameas::SAME_AS_VIEW.to_string()), ("company_links", links::COMPANY_LINKS_VIEW.to_string())],
        )
        .await?;
        let canon = match remote::materialized(&dir, "incident_canon") {
            Some(p) => p,
            None => remote::materialize(&dir, "incident_canon", sameas::incident_canon(&ctx, policy).await?).await?,
        };
        register_parquet(&ctx, "incident_canon", &canon).await?;
        register_remote_views(&ctx, views::policy_views(policy)).await?;
        Ok(ctx)
    }

    /// A cheap identity of the store's committed state: the latest Delta log version of every
    /// table, read from the `_delta_log` listings (no table is opened). Any commit to any table
    /// changes it, so derived caches (the findings cube) keyed by it are never stale.
    pub fn fingerprint(&self) -> Result<String, StoreError> {
        let mut out = String::new();
        for &name in table::ALL {
            let log = self.root.join(name).join("_delta_log");
            let mut latest: Option<u64> = None;
            match std::fs::read_dir(&log) {
                Ok(entries) => {
                    for e in entries {
                        let e = e.map_err(|source| StoreError::Io { path: log.clone(), source })?;
                        let file = e.file_name();
                        let Some(file) = file.to_str() else { continue };
                        if let Some(v) = file.strip_suffix(".json").and_then(|v| v.parse::<u64>().ok()) {
                            latest = latest.max(Some(v));
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(StoreError::Io { path: log, source }),
            }
            match latest {
                Some(v) => out.push_str(&format!("{name}={v};")),
                None => out.push_str(&format!("{name}=-;")),
            }
        }
        Ok(out)
    }

    /// Runs one SQL statement and collects its rows.
    pub async fn sql(&self, policy: &Policy, query: &str) -> Result<Vec<RecordBatch>, StoreError> {
        let ctx = self.session(policy).await?;
        let df = ctx.sql(query).await.map_err(StoreError::Query)?;
        df.collect().await.map_err(StoreError::Query)
    }

    /// The committed batch with this content hash, if any.
    pub async fn find_batch(&self, content_sha256: &str) -> Result<Option<BatchInfo>, StoreError> {
        if !self.exists() {
            return Ok(None);
        }
        let hex_only: String = content_sha256.chars().filter(char::is_ascii_hexdigit).collect();
        let batches = self
            .sql(
                &Policy::default(),
                &format!(
                    "SELECT batch_id, path, CAST(ingested_at AS VARCHAR) AS at FROM batches \
                     WHERE content_sha256 = '{hex_only}' ORDER BY batch_id LIMIT 1"
                ),
            )
            .await?;
        for b in &batches {
            if b.num_rows() == 0 {
                continue;
            }
            let col = |i: usize| -> String {
                let c = arrow::compute::cast(b.column(i), &arrow::datatypes::DataType::Utf8).ok();
                c.and_then(|c| c.as_any().downcast_ref::<StringArray>().map(|s| s.value(0).to_string()))
                    .unwrap_or_default()
            };
            return Ok(Some(BatchInfo { batch_id: col(0), path: col(1), ingested_at: col(2) }));
        }
        Ok(None)
    }

    /// Appends one batch in one go: claim tables first, the batch marker last (the commit point).
    pub async fn commit(
        &self,
        meta: &BatchMeta,
        sources: &[Source],
        records: &[IncidentRecord],
    ) -> Result<CommitSummary, StoreError> {
        let claims_written = self.append_records(meta, records).await?;
        self.finish_batch(&mut Appender::default(), meta, sources, claims_written).await?;
        Ok(CommitSummary { batch_id: meta.batch_id.clone(), claims_written })
    }

    /// Appends the claims of `records` under `meta.batch_id`; invisible until [`Store::finish_batch`].
    /// Returns the number of claim rows written.
    pub async fn append_records(&self, meta: &BatchMeta, records: &[IncidentRecord]) -> Result<u64, StoreError> {
        std::fs::create_dir_all(&self.root).map_err(|source| StoreError::Io { path: self.root.clone(), source })?;
        let mut claims_written = 0u64;
        for (name, batch) in schema::claim_batches(&[], records, meta)? {
            claims_written += batch.num_rows() as u64;
            self.append(name, batch).await?;
        }
        Ok(claims_written)
    }

    /// [`Store::append_records`] for records the caller is done with: they become claim batches and
    /// are dropped before any Parquet file is written, and each table's batch is dropped once it is
    /// written, so a chunk's records, its batches and the writer's buffers are never all held at once.
    ///
    /// `tables` keeps each table open between the chunks of one batch (see [`Appender`]).
    pub async fn append_chunk(
        &self,
        tables: &mut Appender,
        meta: &BatchMeta,
        records: Vec<IncidentRecord>,
    ) -> Result<u64, StoreError> {
        std::fs::create_dir_all(&self.root).map_err(|source| StoreError::Io { path: self.root.clone(), source })?;
        let batches = schema::claim_batches(&[], &records, meta)?;
        drop(records);
        let mut claims_written = 0u64;
        for (name, batch) in batches {
            claims_written += batch.num_rows() as u64;
            self.stage(tables, name, batch).await?;
        }
        Ok(claims_written)
    }

    /// Writes the batch's sources, then its marker: the batch becomes visible atomically.
    pub async fn finish_batch(
        &self,
        tables: &mut Appender,
        meta: &BatchMeta,
        sources: &[Source],
        claims_written: u64,
    ) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.root).map_err(|source| StoreError::Io { path: self.root.clone(), source })?;
        self.commit_staged(tables).await?;
        for (name, batch) in schema::claim_batches(sources, &[], meta)? {
            self.append_open(tables, name, batch).await?;
        }
        fail_point("before-marker");
        let marker = schema::batch_marker(meta, claims_written)?;
        self.append_open(tables, table::BATCHES, marker).await
    }

    async fn append(&self, name: &'static str, batch: RecordBatch) -> Result<(), StoreError> {
        self.append_open(&mut Appender::default(), name, batch).await
    }

    /// Commits `batch` to table `name` through the handle `tables` holds for it (opened, i.e. its
    /// log replayed, only the first time; then the handle the commit returns). Files staged for
    /// the table are committed by [`Store::commit_staged`], before.
    async fn append_open(&self, tables: &mut Appender, name: &'static str, batch: RecordBatch) -> Result<(), StoreError> {
        let delta = |source| StoreError::Delta { table: name.into(), source };
        let table = self.writable_table(tables, name).await?;
        let table = table.write(vec![batch]).with_save_mode(SaveMode::Append).await.map_err(delta)?;
        tables.open.insert(name, table);
        Ok(())
    }

    /// Writes `batch` to new Parquet files of table `name` without committing them: the files
    /// join the log with the table's commit at the end of the batch ([`Store::finish_batch`]). A
    /// table that does not exist yet is created by committing its first chunk (no incident is
    /// visible before the batch's marker either way).
    async fn stage(&self, tables: &mut Appender, name: &'static str, batch: RecordBatch) -> Result<(), StoreError> {
        let delta = |source| StoreError::Delta { table: name.into(), source };
        if !tables.writers.contains_key(name) {
            let table = self.writable_table(tables, name).await?;
            if table.version().is_none() {
                tables.open.insert(name, table);
                return self.append_open(tables, name, batch).await;
            }
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(STAGED_ROW_GROUP_ROWS))
                .build();
            let writer = RecordBatchWriter::for_table(&table)
                .map_err(delta)?
                .with_writer_properties(props)
                .with_target_file_size(STAGED_FILE_BYTES);
            tables.open.insert(name, table);
            tables.writers.insert(name, writer);
        }
        let writer = tables.writers.get_mut(name).ok_or_else(|| StoreError::Internal(format!("no writer for {name}")))?;
        writer.write(batch).await.map_err(delta)
    }

    async fn writable_table(&self, tables: &mut Appender, name: &'static str) -> Result<DeltaTable, StoreError> {
        match tables.open.remove(name) {
            Some(t) => Ok(t),
            None => DeltaTable::try_from_url(self.table_url(name)?)
                .await
                .map_err(|source| StoreError::Delta { table: name.into(), source }),
        }
    }

    /// Commits the files staged for each table, one commit per table.
    async fn commit_staged(&self, tables: &mut Appender) -> Result<(), StoreError> {
        let mut names: Vec<&'static str> = tables.writers.keys().copied().collect();
        names.sort_unstable();
        for name in names {
            let delta = |source| StoreError::Delta { table: name.into(), source };
            let mut table = self.writable_table(tables, name).await?;
            if let Some(mut writer) = tables.writers.remove(name) {
                writer.flush_and_commit(&mut table).await.map_err(delta)?;
            }
            tables.open.insert(name, table);
        }
        Ok(())
    }
}

/// Rows per Parquet row group of staged files (bounds the writer's buffer per table).
const STAGED_ROW_GROUP_ROWS: usize = 4 * 1024;
/// Staged files are rolled over at this size (the size `maintain compact` aims for).
const STAGED_FILE_BYTES: u64 = 128 << 20;

/// The Delta tables one batch writes to, each kept open from its first append to the batch's end,
/// with the Parquet files written for it and not yet committed.
///
/// Opening a table replays its log, and a commit's cost grows with the table's file count, so a
/// commit per table per chunk made a large ingest grow faster than its size (10^6 incidents: ~250
/// commits per table; at 10^7, one commit a second after 500). Chunks are now written as files as
/// they come (memory stays bounded by the chunk and a row group per table) and committed once per
/// table when the batch finishes; files a crash leaves before that are in no commit, so no query
/// ever reads them.
#[derive(Default)]
pub struct Appender {
    open: std::collections::HashMap<&'static str, DeltaTable>,
    writers: std::collections::HashMap<&'static str, RecordBatchWriter>,
}

impl std::fmt::Debug for Appender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appender")
            .field("open", &self.open.keys().collect::<Vec<_>>())
            .field("staged", &self.writers.keys().collect::<Vec<_>>())
            .finish()
    }
}

async fn register_views(ctx: &SessionContext, views: Vec<(&'static str, String)>) -> Result<(), StoreError> {
    for (name, sql) in views {
        let df = ctx.sql(&sql).await.map_err(|e| StoreError::Internal(format!("view {name}: {e}")))?;
        ctx.register_table(name, df.into_view()).map_err(StoreError::Query)?;
    }
    Ok(())
}

/// Views as [`datafusion::catalog::view::ViewTable`]s, which Ballista's codec ships to the cluster.
async fn register_remote_views(ctx: &SessionContext, views: Vec<(&'static str, String)>) -> Result<(), StoreError> {
    for (name, sql) in views {
        let df = ctx.sql(&sql).await.map_err(|e| StoreError::Internal(format!("view {name}: {e}")))?;
        let view = datafusion::catalog::view::ViewTable::new(df.logical_plan().clone(), Some(sql));
        ctx.register_table(name, Arc::new(view)).map_err(StoreError::Query)?;
    }
    Ok(())
}

/// Registers one Parquet file as table `name`, with the file's own schema.
async fn register_parquet(ctx: &SessionContext, name: &str, path: &Path) -> Result<(), StoreError> {
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    let reader = datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| StoreError::Internal(format!("{}: {e}", path.display())))?;
    let schema = reader.schema().clone();
    remote::register_files(ctx, name, &[remote::file_uri(path)?], schema)
}

/// Test hook: when `SPYGLASS_FAIL_AT` names this point, the process aborts here, as a crash would.
fn fail_point(name: &str) {
    if std::env::var("SPYGLASS_FAIL_AT").is_ok_and(|v| v == name) {
        eprintln!("spyglass: fail point {name} reached (SPYGLASS_FAIL_AT), aborting");
        std::process::abort();
    }
}

/// A new, time-ordered batch id (UUIDv7): `max(batch_id)` is the latest batch.
pub fn new_batch_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
