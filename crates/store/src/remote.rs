//! The query engine: embedded DataFusion (the default) or an Apache DataFusion Ballista cluster.
//!
//! With `--engine ballista://HOST:PORT` (or `SPYGLASS_ENGINE`), a [`Store`]'s sessions plan
//! queries locally and run them on the Ballista scheduler at `HOST:PORT`, whose executors read the
//! same Parquet files of the same Delta tables on shared storage (a path every node sees). Each
//! Delta table is registered as a listing table of exactly the files of its current snapshot, so
//! the plan ships to executors with Ballista's own codecs, and a session sees one committed state
//! just as the embedded one does. The two tables spyglass computes in the client (actor
//! resolutions through the knowledge base, canonical incidents after same-as collapsing) are
//! written once per store state and policy as Parquet under `<data>/_cache/remote/` and read from
//! there by the executors.
//!
//! [`run_scheduler`] and [`run_executor`] embed the Ballista scheduler and executor, so a cluster
//! needs nothing but the spyglass binary.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// Where queries run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Engine {
    /// In-process DataFusion.
    #[default]
    Embedded,
    /// A Ballista scheduler at `host:port`.
    Ballista { host: String, port: u16 },
}

/// Ballista's default scheduler port.
pub const DEFAULT_SCHEDULER_PORT: u16 = 50050;

impl Engine {
    /// `embedded` (or empty) or `ballista://HOST[:PORT]` (port 50050 when omitted).
    pub fn parse(s: &str) -> Result<Engine, String> {
        let s = s.trim();
        if s.is_empty() || s == "embedded" {
            return Ok(Engine::Embedded);
        }
        let Some(rest) = s.strip_prefix("ballista://") else {
            return Err(format!("unknown engine {s:?}: expected `embedded` or `ballista://HOST:PORT`"));
        };
        let rest = rest.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => {
                let port = p.parse::<u16>().map_err(|_| format!("engine {s:?}: the port {p:?} is not a number 0-65535"))?;
                (h, port)
            }
            None => (rest, DEFAULT_SCHEDULER_PORT),
        };
        if host.is_empty() || host.contains('/') {
            return Err(format!("engine {s:?}: expected `ballista://HOST:PORT`"));
        }
        Ok(Engine::Ballista { host: host.to_string(), port })
    }

    /// `"embedded"` or `"ballista://HOST:PORT"`.
    pub fn label(&self) -> String {
        match self {
            Engine::Embedded => "embedded".to_string(),
            Engine::Ballista { host, port } => format!("ballista://{host}:{port}"),
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, Engine::Ballista { .. })
    }
}

static DEFAULT_ENGINE: OnceLock<Engine> = OnceLock::new();

/// Sets the engine every [`crate::Store::new`] of this process uses (the CLI's `--engine`). Only
/// the first call counts.
pub fn set_default_engine(engine: Engine) {
    let _ = DEFAULT_ENGINE.set(engine);
}

/// The process's engine: what [`set_default_engine`] set, else embedded.
pub fn default_engine() -> Engine {
    DEFAULT_ENGINE.get().cloned().unwrap_or_default()
}

/// Partitions per stage of a distributed query: `SPYGLASS_BALLISTA_PARTITIONS`, else the client's
/// core count. Ballista's own default is 16; every partition is a task, and a task costs a
/// scheduling round trip, so on a small cluster 16 mostly adds latency (measured: a finding over
/// EuRepoC + CFR on a 2-core, 2-executor cluster took 15–49 s with 16 and far less with 2). Set it
/// to about the cluster's total cores.
pub fn partitions() -> usize {
    std::env::var("SPYGLASS_BALLISTA_PARTITIONS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
}

/// How executors get tasks: `SPYGLASS_BALLISTA_SCHEDULING=pull` (executors poll the scheduler)
/// or `push` (the default: the scheduler launches tasks on executors as soon as a stage is ready,
/// and executors report back at once). Scheduler and executors must agree.
pub fn scheduling_policy() -> ballista_core::config::TaskSchedulingPolicy {
    use ballista_core::config::TaskSchedulingPolicy;
    match std::env::var("SPYGLASS_BALLISTA_SCHEDULING").ok().as_deref().map(str::trim) {
        Some("pull") => TaskSchedulingPolicy::PullStaged,
        _ => TaskSchedulingPolicy::PushStaged,
    }
}

/// Session settings for distributed queries: spyglass's defaults, then `SPYGLASS_BALLISTA_CONFIG`
/// (`key=value` pairs separated by commas, any DataFusion or `ballista.*` option).
fn session_settings() -> Result<Vec<(String, String)>, StoreError> {
    let mut out: Vec<(String, String)> = DEFAULT_SETTINGS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    if let Ok(extra) = std::env::var("SPYGLASS_BALLISTA_CONFIG") {
        for pair in extra.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(StoreError::Internal(format!("SPYGLASS_BALLISTA_CONFIG: {pair:?} is not key=value")));
            };
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(out)
}

/// Ballista settings spyglass changes from Ballista's defaults, and why.
///
/// - Adaptive query execution off: in Ballista 55 a join one of whose inputs is empty (a `NOT IN`
///   or `LEFT JOIN … IS NULL` against an empty subquery, which spyglass's label views have when a
///   store holds no structured claims of a kind) never completes under AQE; the job hangs with
///   idle executors. The static planner runs the same plans correctly (checked against the
///   embedded engine by `crates/cli/tests/ballista.rs`).
const DEFAULT_SETTINGS: &[(&str, &str)] = &[("ballista.planner.adaptive.enabled", "false")];

/// A session whose queries run on the Ballista scheduler at `host:port`.
pub(crate) async fn ballista_context(host: &str, port: u16) -> Result<SessionContext, StoreError> {
    use ballista::prelude::SessionContextExt;
    use ballista_core::extension::SessionConfigExt;
    let mut config = SessionConfig::new_with_ballista().with_information_schema(true).with_target_partitions(partitions());
    for (key, value) in session_settings()? {
        config.options_mut().set(&key, &value).map_err(StoreError::Query)?;
    }
    let state = SessionStateBuilder::new().with_config(config).with_default_features().build();
    SessionContext::remote_with_state(&format!("df://{host}:{port}"), state).await.map_err(StoreError::Query)
}

/// Registers `name` as a listing table of exactly `files` (Parquet URIs) with `schema`.
pub(crate) fn register_files(
    ctx: &SessionContext,
    name: &str,
    files: &[String],
    schema: SchemaRef,
) -> Result<(), StoreError> {
    let paths = files.iter().map(ListingTableUrl::parse).collect::<Result<Vec<_>, _>>().map_err(StoreError::Query)?;
    let options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    let config = ListingTableConfig::new_with_multi_paths(paths).with_listing_options(options).with_schema(schema);
    let table = ListingTable::try_new(config).map_err(StoreError::Query)?;
    ctx.register_table(name, Arc::new(table)).map_err(StoreError::Query)?;
    Ok(())
}

/// The folder for the client-computed tables of one store state and policy.
pub(crate) fn materialized_dir(root: &Path, fingerprint: &str, policy: &str) -> Result<PathBuf, StoreError> {
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    h.update([0]);
    h.update(policy.as_bytes());
    h.update([0]);
    h.update(exe_identity().as_bytes());
    let key = hex::encode(&h.finalize()[..12]);
    let dir = root.join("_cache").join("remote").join(key);
    std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io { path: dir.clone(), source })?;
    dir.canonicalize().map_err(|source| StoreError::Io { path: dir, source })
}

/// The running binary's size and modification time: a rebuilt spyglass recomputes its tables.
fn exe_identity() -> String {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                format!("{}:{}", m.len(), t.map(|d| d.as_nanos()).unwrap_or(0))
            })
            .unwrap_or_default()
    })
    .clone()
}

/// The Parquet file of table `name` in `dir`, when an earlier session wrote it.
pub(crate) fn materialized(dir: &Path, name: &str) -> Option<PathBuf> {
    let p = dir.join(format!("{name}.parquet"));
    p.is_file().then_some(p)
}

/// Writes `table` (an in-memory table) to `dir/name.parquet` atomically and returns the path.
pub(crate) async fn materialize(dir: &Path, name: &str, table: MemTable) -> Result<PathBuf, StoreError> {
    use datafusion::catalog::TableProvider;
    let schema = table.schema();
    let batches = SessionContext::new()
        .read_table(Arc::new(table))
        .map_err(StoreError::Query)?
        .collect()
        .await
        .map_err(StoreError::Query)?;
    write_parquet(dir, name, schema, &batches)
}

/// Writes `batches` to `dir/name.parquet` (through a temporary file and a rename).
pub(crate) fn write_parquet(dir: &Path, name: &str, schema: SchemaRef, batches: &[RecordBatch]) -> Result<PathBuf, StoreError> {
    let path = dir.join(format!("{name}.parquet"));
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4()));
    let io = |source| StoreError::Io { path: tmp.clone(), source };
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(file, schema, None)
        .map_err(|e| StoreError::Internal(format!("{}: {e}", tmp.display())))?;
    for b in batches {
        w.write(b).map_err(|e| StoreError::Internal(format!("{}: {e}", tmp.display())))?;
    }
    w.close().map_err(|e| StoreError::Internal(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, &path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
    Ok(path)
}

/// The URI of a local file, as listing tables take it.
pub(crate) fn file_uri(path: &Path) -> Result<String, StoreError> {
    url::Url::from_file_path(path)
        .map(|u| u.to_string())
        .map_err(|_| StoreError::Internal(format!("cannot make a URL of {}", path.display())))
}

/// Runs a Ballista scheduler on `bind` until the process ends.
pub async fn run_scheduler(bind: SocketAddr) -> Result<(), StoreError> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::SchedulerConfig;
    let mut config = SchedulerConfig::default()
        .with_hostname(bind.ip().to_string())
        .with_port(bind.port())
        .with_scheduler_policy(scheduling_policy());
    config.bind_host = bind.ip().to_string();
    let cluster = BallistaCluster::new_from_config(&config).await.map_err(|e| StoreError::Internal(format!("scheduler: {e}")))?;
    ballista_scheduler::scheduler_process::start_server(cluster, bind, Arc::new(config))
        .await
        .map_err(|e| StoreError::Internal(format!("scheduler on {bind}: {e}")))
}

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    pub scheduler_host: String,
    pub scheduler_port: u16,
    /// Address to bind (and advertise) the executor's Flight and gRPC ports on.
    pub bind_host: String,
    /// Arrow Flight port (shuffle data is fetched from here by other executors).
    pub port: u16,
    /// gRPC port.
    pub grpc_port: u16,
    /// Concurrent tasks; 0 means one per core.
    pub concurrent_tasks: usize,
    /// Folder for shuffle files; a temporary folder when `None`.
    pub work_dir: Option<PathBuf>,
}

/// The functions an executor can run: Ballista's defaults plus DataFusion's nested (array)
/// functions, which spyglass's views use (`array_has`, `unnest`, …) and a client's default session
/// plans with. Ballista's own default registry lacks the nested ones, so without this a plan that
/// uses them fails on the executor ("PhysicalExtensionCodec is not provided for scalar function").
fn function_registry() -> ballista_core::registry::BallistaFunctionRegistry {
    let mut registry = ballista_core::registry::BallistaFunctionRegistry::default();
    for f in ballista_core::extension::ballista_scalar_functions() {
        registry.scalar_functions.insert(f.name().to_string(), f);
    }
    for f in ballista_core::extension::ballista_aggregate_functions() {
        registry.aggregate_functions.insert(f.name().to_string(), f);
    }
    registry
}

/// Runs a Ballista executor until the process ends.
pub async fn run_executor(opts: ExecutorOptions) -> Result<(), StoreError> {
    use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
    let mut config = ExecutorProcessConfig {
        bind_host: opts.bind_host.clone(),
        external_host: Some(opts.bind_host.clone()),
        port: opts.port,
        grpc_port: opts.grpc_port,
        scheduler_host: opts.scheduler_host.clone(),
        scheduler_port: opts.scheduler_port,
        task_scheduling_policy: scheduling_policy(),
        work_dir: opts.work_dir.as_ref().map(|p| p.display().to_string()),
        ..Default::default()
    };
    config.override_function_registry = Some(Arc::new(function_registry()));
    if opts.concurrent_tasks > 0 {
        config.vcores = opts.concurrent_tasks;
    }
    start_executor_process(Arc::new(config)).await.map_err(|e| {
        StoreError::Internal(format!("executor (scheduler {}:{}): {e}", opts.scheduler_host, opts.scheduler_port))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executors_know_the_nested_functions_the_views_use() {
        let r = function_registry();
        for f in ["array_has", "array_length", "make_array", "array_to_string", "lower", "coalesce"] {
            assert!(r.scalar_functions.contains_key(f), "{f}");
        }
        assert!(r.aggregate_functions.contains_key("array_agg"));
    }

    #[test]
    fn parses_engines() {
        assert_eq!(Engine::parse("").unwrap(), Engine::Embedded);
        assert_eq!(Engine::parse("embedded").unwrap(), Engine::Embedded);
        assert_eq!(
            Engine::parse("ballista://127.0.0.1:50051").unwrap(),
            Engine::Ballista { host: "127.0.0.1".into(), port: 50051 }
        );
        assert_eq!(Engine::parse("ballista://sched").unwrap(), Engine::Ballista { host: "sched".into(), port: 50050 });
        assert_eq!(Engine::parse("ballista://h:1/").unwrap().label(), "ballista://h:1");
        for bad in ["duckdb://x", "ballista://", "ballista://h:99999", "ballista://h:p", "ballista://a/b:1"] {
            assert!(Engine::parse(bad).is_err(), "{bad}");
        }
    }
}
