//! The findings cube: the policy views folded once into counts per combination of slice keys, so
//! that `share`, `claim-check`, `compare` and `--sensitivity` answer from a few thousand rows
//! instead of re-running the view chain over every claim.
//!
//! One cube row is one combination of (start year, incident types, state sponsors, sponsorships,
//! victim verticals, AI assets, source) with the number `n` of incidents that have exactly that
//! combination. Each list is the incident's *set* of keys, so "incidents with key k" is the sum of
//! `n` over rows whose list holds k — the same per-incident, multi-label count the views give.
//!
//! The cube is exact only when every scoped incident has one row in `scoped_incidents` (one
//! source per incident id — true of every reader's ids); when that does not hold, or for the
//! actor dimension (too many keys to fold usefully), the findings run on the views as before.
//!
//! Cubes are keyed by the policy, the store's [`Store::fingerprint`] (the latest Delta version of
//! every table) and the running binary, cached in memory and under `<data>/_cache/`, and rebuilt
//! on the first question after any commit. A data directory that cannot be written keeps the cube
//! in memory only. `SPYGLASS_NO_CUBE=1` turns the cube off (the equivalence tests compare both).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use arrow::array::{Array, Date32Array, Int32Array, Int64Array, StringArray};
use arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spyglass_model::Policy;
use spyglass_store::Store;

use crate::engine::{Counts, run};
use crate::filter::AssetFilter;
use crate::period::{Period, Series};
use crate::{AnalysisError, Dimension, Filters};

/// Bumped whenever the cube's meaning or layout changes.
const FORMAT: u32 = 1;

// List columns of a cube row, in order.
const TYPES: usize = 0;
const SPONSORS: usize = 1;
const SPONSORSHIPS: usize = 2;
const VERTICALS: usize = 3;
const ASSETS: usize = 4;

/// One combination of keys and its incident count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Row {
    year: Option<i32>,
    /// 1–4, with `year`.
    quarter: Option<u8>,
    /// The latest start date of the row's incidents (days since 1970-01-01).
    latest: Option<i32>,
    n: u64,
    /// Index into `sources`.
    source: u32,
    /// Per list column, sorted indices into that column's dictionary.
    lists: [Vec<u32>; 5],
}

/// The cube of one policy over one state of the store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cube {
    format: u32,
    key: String,
    /// Lowercased (source id, source name) pairs.
    sources: Vec<(String, String)>,
    /// Per list column, its keys.
    dicts: [Vec<String>; 5],
    rows: Vec<Row>,
}

/// Whether findings may use the cube (`SPYGLASS_NO_CUBE=1` says no).
pub fn enabled() -> bool {
    !std::env::var("SPYGLASS_NO_CUBE").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Whether a dimension is folded into the cube.
pub fn covers(dim: Dimension) -> bool {
    dim != Dimension::Actor
}

/// Identity of the running binary: its size and modification time, so a rebuilt spyglass never
/// trusts a cube an older build wrote.
fn binary_identity() -> String {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        match meta {
            Ok(m) => {
                let mtime = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos());
                format!("{}:{}:{:?}", env!("CARGO_PKG_VERSION"), m.len(), mtime)
            }
            Err(_) => env!("CARGO_PKG_VERSION").to_string(),
        }
    })
    .clone()
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `(state, key)`: a hash of the store's state and binary, and the cube's key under it.
fn cube_key(store: &Store, policy: &Policy) -> Result<(String, String), AnalysisError> {
    let policy = serde_json::to_vec(policy).map_err(|e| AnalysisError::Internal(e.to_string()))?;
    let state = short_hash(&[&FORMAT.to_le_bytes(), store.fingerprint()?.as_bytes(), binary_identity().as_bytes()]);
    let key = format!("{state}-{}", short_hash(&[&policy]));
    Ok((state, key))
}

/// A cached answer: the cube, or "the cube does not apply to this store".
type Cached = Option<Arc<Cube>>;

fn memory() -> &'static Mutex<HashMap<String, Cached>> {
    static M: OnceLock<Mutex<HashMap<String, Cached>>> = OnceLock::new();
    M.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The lock that serialises builds of one cube.
fn build_gate(key: &str) -> Arc<tokio::sync::Mutex<()>> {
    static GATES: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut gates = GATES.get_or_init(|| Mutex::new(HashMap::new())).lock().unwrap_or_else(|e| e.into_inner());
    if gates.len() >= 256 {
        // Drop the gates nobody holds or waits on.
        gates.retain(|_, g| Arc::strong_count(g) > 1);
    }
    gates.entry(key.to_string()).or_default().clone()
}

fn remember(key: &str, value: Cached) {
    let mut m = memory().lock().unwrap_or_else(|e| e.into_inner());
    if m.len() >= 64 {
        m.clear();
    }
    m.insert(key.to_string(), value);
}

fn cache_dir(store: &Store) -> PathBuf {
    store.root().join("_cache")
}

fn cache_file(store: &Store, key: &str) -> PathBuf {
    cache_dir(store).join(format!("cube-{key}.json"))
}

/// Removes the cubes of other store states (they can never be read again).
fn remove_stale(store: &Store, state: &str) {
    let Ok(entries) = std::fs::read_dir(cache_dir(store)) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("cube-") && !name.starts_with(&format!("cube-{state}-")) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The on-disk form: the cube, or a note that it does not apply.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    key: String,
    cube: Option<Cube>,
}

fn read_cached(path: &Path, key: &str) -> Option<Cached> {
    let bytes = std::fs::read(path).ok()?;
    let disk: OnDisk = serde_json::from_slice(&bytes).ok()?;
    if disk.key != key || disk.cube.as_ref().is_some_and(|c| c.format != FORMAT || c.key != key) {
        return None;
    }
    Some(disk.cube.map(Arc::new))
}

/// Writes the cache file atomically (temp file, then rename); failures only cost the cache.
fn write_cached(store: &Store, key: &str, cube: &Cached) {
    let dir = cache_dir(store);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let disk = OnDisk { key: key.to_string(), cube: cube.as_deref().cloned() };
    let Ok(bytes) = serde_json::to_vec(&disk) else { return };
    let tmp = dir.join(format!(".cube-{key}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, cache_file(store, key)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The cube of `policy` over the store's current state: from memory, from `<data>/_cache/`, or
/// built (on a session of the views) and cached. `Ok(None)` when the cube does not apply.
pub async fn cube_for(store: &Store, policy: &Policy) -> Result<Cached, AnalysisError> {
    let (state, key) = cube_key(store, policy)?;
    if let Some(c) = memory().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(c.clone());
    }
    // One build per key at a time: concurrent questions (the API under load right after an
    // ingest) wait for the first builder and share its cube instead of each building one.
    let gate = build_gate(&key);
    let _building = gate.lock().await;
    if let Some(c) = memory().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(c.clone());
    }
    if let Some(c) = read_cached(&cache_file(store, &key), &key) {
        remember(&key, c.clone());
        return Ok(c);
    }
    let ctx = store.session(policy).await?;
    let cube = Cube::build(&ctx, &key).await?.map(Arc::new);
    remember(&key, cube.clone());
    remove_stale(store, &state);
    write_cached(store, &key, &cube);
    Ok(cube)
}

fn strings(b: &arrow::array::RecordBatch, i: usize) -> Result<StringArray, AnalysisError> {
    let c = arrow::compute::cast(b.column(i), &DataType::Utf8).map_err(|e| AnalysisError::Internal(e.to_string()))?;
    c.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| AnalysisError::Internal("expected strings".into()))
}

/// Separator of list keys inside the build query's strings (keys are codes without it).
const SEP: &str = "\u{1f}";

fn list_sql(view: &str, col: &str) -> String {
    format!(
        "SELECT incident_id, array_to_string(array_sort(array_agg(DISTINCT CAST({col} AS VARCHAR))), '{SEP}') AS v \
         FROM {view} WHERE {col} IS NOT NULL GROUP BY incident_id"
    )
}

impl Cube {
    /// Folds the policy views of `ctx` into a cube; `None` when an incident id has more than one
    /// scoped row (several sources under one id), where the fold would not be exact.
    pub async fn build(ctx: &SessionContext, key: &str) -> Result<Option<Cube>, AnalysisError> {
        let shape = run(ctx, "SELECT count(*), count(DISTINCT incident_id) FROM scoped_incidents").await?;
        let (mut rows_n, mut ids_n) = (0i64, 0i64);
        for b in &shape {
            if b.num_rows() > 0 {
                let c = |i| arrow::compute::cast(b.column(i), &DataType::Int64).map_err(|e| AnalysisError::Internal(e.to_string()));
                let (a, d) = (c(0)?, c(1)?);
                let a = a.as_any().downcast_ref::<Int64Array>().map(|x| x.value(0)).unwrap_or(0);
                let d = d.as_any().downcast_ref::<Int64Array>().map(|x| x.value(0)).unwrap_or(0);
                (rows_n, ids_n) = (a, d);
            }
        }
        if rows_n != ids_n {
            return Ok(None);
        }
        let sql = format!(
            "WITH sp AS ({sp}), ss AS ({ss}), ve AS ({ve}), sa AS ({sa}) \
             SELECT CAST(date_part('year', i.start_date) AS INT) AS year, \
                    lower(i.source_id) AS sid, lower(coalesce(src.name, '')) AS sname, \
                    array_to_string(array_sort(array_distinct(coalesce(i.types, make_array()))), '{SEP}') AS types, \
                    sp.v AS sponsors, ss.v AS sponsorships, ve.v AS verticals, sa.v AS assets, \
                    CAST(date_part('quarter', i.start_date) AS INT) AS quarter, \
                    count(*) AS n, CAST(max(i.start_date) AS DATE) AS latest \
             FROM scoped_incidents i \
             LEFT JOIN sources src ON i.source_id = src.source_id \
             LEFT JOIN sp ON i.incident_id = sp.incident_id \
             LEFT JOIN ss ON i.incident_id = ss.incident_id \
             LEFT JOIN ve ON i.incident_id = ve.incident_id \
             LEFT JOIN sa ON i.incident_id = sa.incident_id \
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
            sp = list_sql("incident_sponsors", "sponsor"),
            ss = list_sql("attributions", "sponsorship"),
            ve = list_sql("incident_verticals", "vertical"),
            sa = list_sql("incident_assets", "asset"),
        );
        let mut cube = Cube { format: FORMAT, key: key.to_string(), sources: Vec::new(), dicts: Default::default(), rows: Vec::new() };
        let mut source_ix: HashMap<(String, String), u32> = HashMap::new();
        let mut dict_ix: [HashMap<String, u32>; 5] = Default::default();
        for b in &run(ctx, &sql).await? {
            let year = arrow::compute::cast(b.column(0), &DataType::Int32).map_err(|e| AnalysisError::Internal(e.to_string()))?;
            let year = year.as_any().downcast_ref::<Int32Array>().ok_or_else(|| AnalysisError::Internal("year".into()))?;
            let (sid, sname) = (strings(b, 1)?, strings(b, 2)?);
            let lists: Vec<StringArray> = (3..8).map(|i| strings(b, i)).collect::<Result<_, _>>()?;
            let quarter = arrow::compute::cast(b.column(8), &DataType::Int32).map_err(|e| AnalysisError::Internal(e.to_string()))?;
            let quarter = quarter.as_any().downcast_ref::<Int32Array>().ok_or_else(|| AnalysisError::Internal("quarter".into()))?;
            let n = arrow::compute::cast(b.column(9), &DataType::Int64).map_err(|e| AnalysisError::Internal(e.to_string()))?;
            let n = n.as_any().downcast_ref::<Int64Array>().ok_or_else(|| AnalysisError::Internal("n".into()))?;
            let latest = arrow::compute::cast(b.column(10), &DataType::Date32).map_err(|e| AnalysisError::Internal(e.to_string()))?;
            let latest = latest.as_any().downcast_ref::<Date32Array>().ok_or_else(|| AnalysisError::Internal("latest".into()))?;
            for r in 0..b.num_rows() {
                let src = (
                    if sid.is_null(r) { String::new() } else { sid.value(r).to_string() },
                    if sname.is_null(r) { String::new() } else { sname.value(r).to_string() },
                );
                let next = cube.sources.len() as u32;
                let source = *source_ix.entry(src.clone()).or_insert_with(|| {
                    cube.sources.push(src);
                    next
                });
                let mut row_lists: [Vec<u32>; 5] = Default::default();
                for (c, arr) in lists.iter().enumerate() {
                    if arr.is_null(r) || arr.value(r).is_empty() {
                        continue;
                    }
                    for k in arr.value(r).split(SEP) {
                        let next = cube.dicts[c].len() as u32;
                        let ix = *dict_ix[c].entry(k.to_string()).or_insert_with(|| {
                            cube.dicts[c].push(k.to_string());
                            next
                        });
                        row_lists[c].push(ix);
                    }
                    row_lists[c].sort_unstable();
                    row_lists[c].dedup();
                }
                let y = if year.is_null(r) { None } else { Some(year.value(r)) };
                let q = if quarter.is_null(r) { None } else { u8::try_from(quarter.value(r)).ok() };
                let l = if latest.is_null(r) { None } else { Some(latest.value(r)) };
                cube.rows.push(Row { year: y, quarter: q, latest: l, n: u64::try_from(n.value(r)).unwrap_or(0), source, lists: row_lists });
            }
        }
        Ok(Some(cube))
    }

    /// Number of cube rows (combinations).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Incidents folded into the cube.
    pub fn incidents(&self) -> u64 {
        self.rows.iter().map(|r| r.n).sum()
    }

    /// Dictionary indices of `wanted` in list column `c` (keys the cube never saw match nothing).
    fn ids(&self, c: usize, wanted: impl IntoIterator<Item = String>) -> Vec<u32> {
        let mut out: Vec<u32> =
            wanted.into_iter().filter_map(|w| self.dicts[c].iter().position(|k| *k == w).map(|i| i as u32)).collect();
        out.sort_unstable();
        out
    }

    /// A predicate for the rows of the slice `filters` describes (the same conditions as
    /// [`Filters::slice_sql`]).
    fn slice<'a>(&'a self, f: &Filters) -> impl Fn(&Row) -> bool + 'a {
        let any = |list: &[u32], wanted: &[u32]| list.iter().any(|x| wanted.binary_search(x).is_ok());
        let sponsors = (!f.sponsors.is_empty()).then(|| self.ids(SPONSORS, f.sponsors.iter().cloned()));
        let sponsorship =
            (!f.sponsorship.is_empty()).then(|| self.ids(SPONSORSHIPS, f.sponsorship.iter().map(|s| s.as_str().to_string())));
        let verticals = (!f.verticals.is_empty()).then(|| self.ids(VERTICALS, f.verticals.iter().map(|v| v.as_str().to_string())));
        let assets = match &f.assets {
            None => None,
            Some(AssetFilter::Any) => Some(None),
            Some(AssetFilter::OneOf(l)) => Some(Some(self.ids(ASSETS, l.iter().map(|a| a.as_str().to_string())))),
        };
        let types = (!f.types.is_empty()).then(|| self.ids(TYPES, f.types.iter().map(|t| t.as_str().to_string())));
        let sources: Option<Vec<bool>> = (!f.sources.is_empty()).then(|| {
            let wanted: Vec<String> = f.sources.iter().map(|s| s.to_lowercase()).collect();
            self.sources.iter().map(|(id, name)| wanted.iter().any(|w| w == id || w == name)).collect()
        });
        let (since, until, state) = (f.since, f.until, f.state_sponsored);
        move |r: &Row| {
            if since.is_some_and(|y| r.year.is_none_or(|ry| ry < y)) || until.is_some_and(|y| r.year.is_none_or(|ry| ry > y)) {
                return false;
            }
            if sources.as_ref().is_some_and(|s| !s.get(r.source as usize).copied().unwrap_or(false)) {
                return false;
            }
            if state && r.lists[SPONSORS].is_empty() {
                return false;
            }
            if sponsors.as_ref().is_some_and(|w| !any(&r.lists[SPONSORS], w))
                || sponsorship.as_ref().is_some_and(|w| !any(&r.lists[SPONSORSHIPS], w))
                || verticals.as_ref().is_some_and(|w| !any(&r.lists[VERTICALS], w))
                || types.as_ref().is_some_and(|w| !any(&r.lists[TYPES], w))
            {
                return false;
            }
            match &assets {
                None => true,
                Some(None) => !r.lists[ASSETS].is_empty(),
                Some(Some(w)) => any(&r.lists[ASSETS], w),
            }
        }
    }

    /// The keys of `dim` of one row.
    fn keys<'a>(&'a self, r: &'a Row, dim: Dimension) -> Box<dyn Iterator<Item = String> + 'a> {
        let col = match dim {
            Dimension::Sponsor => SPONSORS,
            Dimension::Vertical => VERTICALS,
            Dimension::Asset => ASSETS,
            Dimension::Type => TYPES,
            Dimension::Year => return Box::new(r.year.map(|y| y.to_string()).into_iter()),
            Dimension::Actor => return Box::new(std::iter::empty()),
        };
        Box::new(r.lists[col].iter().map(move |&i| self.dicts[col][i as usize].clone()))
    }

    /// Incidents in the slice.
    pub fn slice_size(&self, filters: &Filters) -> u64 {
        let keep = self.slice(filters);
        self.rows.iter().filter(|r| keep(r)).map(|r| r.n).sum()
    }

    /// The same counts as [`crate::engine::count_by`] on the views.
    pub fn count_by(&self, filters: &Filters, dim: Dimension) -> Result<Counts, AnalysisError> {
        if !covers(dim) {
            return Err(AnalysisError::Internal(format!("the cube does not fold the {} dimension", dim.as_str())));
        }
        let keep = self.slice(filters);
        let (mut n, mut with_key) = (0u64, 0u64);
        let mut per: HashMap<String, u64> = HashMap::new();
        for r in self.rows.iter().filter(|r| keep(r)) {
            n += r.n;
            let mut any = false;
            for k in self.keys(r, dim) {
                any = true;
                *per.entry(k).or_default() += r.n;
            }
            if any {
                with_key += r.n;
            }
        }
        let mut keys: Vec<(String, u64)> = per.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Counts { n, keys, with_key })
    }

    /// Incidents of the slice per period of their start date (as [`crate::period::series`]).
    pub fn series(&self, filters: &Filters, period: Period) -> Series {
        let keep = self.slice(filters);
        let mut per: std::collections::BTreeMap<i64, u64> = std::collections::BTreeMap::new();
        let (mut undated, mut latest) = (0u64, None::<i32>);
        for r in self.rows.iter().filter(|r| keep(r)) {
            latest = latest.max(r.latest);
            let Some(y) = r.year else {
                undated += r.n;
                continue;
            };
            let idx = match period {
                Period::Year => i64::from(y),
                Period::Quarter => i64::from(y) * 4 + i64::from(r.quarter.unwrap_or(1)) - 1,
            };
            *per.entry(idx).or_default() += r.n;
        }
        let latest = latest.and_then(|d| chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(d))));
        let (Some(&first), Some(&last)) = (per.keys().next(), per.keys().next_back()) else {
            return Series { period, first: 0, counts: Vec::new(), latest, undated };
        };
        let mut counts = vec![0u64; usize::try_from(last - first + 1).unwrap_or(0)];
        for (i, c) in per {
            if let Ok(pos) = usize::try_from(i - first) {
                counts[pos] = c;
            }
        }
        Series { period, first, counts, latest, undated }
    }

    /// Incidents of the slice with both keys `a` and `b` of `dim`.
    pub fn count_both(&self, filters: &Filters, dim: Dimension, a: &str, b: &str) -> u64 {
        if a == b {
            return 0;
        }
        let keep = self.slice(filters);
        self.rows
            .iter()
            .filter(|r| keep(r))
            .filter(|r| {
                let (mut has_a, mut has_b) = (false, false);
                for k in self.keys(r, dim) {
                    has_a |= k == a;
                    has_b |= k == b;
                }
                has_a && has_b
            })
            .map(|r| r.n)
            .sum()
    }
}
