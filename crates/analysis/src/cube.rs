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
//! every table) and the running binary, cached in memory and under `<data>/_cache/`, and built
//! on the first question after any commit (`spyglass ingest` builds the default policy's right
//! after its commit). The build streams each view once and joins them in memory by incident id,
//! so it costs about what running the views does, growing linearly with the incidents. A data
//! directory that cannot be written keeps the cube in memory only. `SPYGLASS_NO_CUBE=1` turns the
//! cube off (the equivalence tests compare both).

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use arrow::array::{Array, Date32Array, ListArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field};
use chrono::Datelike;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spyglass_model::Policy;
use spyglass_store::{Store, StoreError};

use crate::engine::Counts;
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

fn internal(e: impl std::fmt::Display) -> AnalysisError {
    AnalysisError::Internal(e.to_string())
}

/// Column `i` of `b` as plain strings (views may give dictionary or view-encoded strings).
fn strings(b: &RecordBatch, i: usize) -> Result<StringArray, AnalysisError> {
    let c = arrow::compute::cast(b.column(i), &DataType::Utf8).map_err(internal)?;
    c.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| internal("expected strings"))
}

/// Runs `sql` and hands its record batches to `each` one at a time, as the plan produces them
/// (nothing is collected: the build's memory is the plan's, not the result's), until `each`
/// returns `Break`.
async fn for_each_batch(
    ctx: &SessionContext,
    sql: &str,
    mut each: impl FnMut(&RecordBatch) -> Result<ControlFlow<()>, AnalysisError>,
) -> Result<(), AnalysisError> {
    let df = ctx.sql(sql).await.map_err(StoreError::Query)?;
    let mut stream = df.execute_stream().await.map_err(StoreError::Query)?;
    while let Some(batch) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        if each(&batch.map_err(StoreError::Query)?)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Incident ids interned to dense indices, compactly: a map from a keyed 64-bit hash of the id to
/// its index, the ids themselves in one buffer (every hit is confirmed against it) and a side map
/// for ids whose hash collides with an earlier one's. About 30 bytes an id instead of the ~90 of
/// a `HashMap<String, u32>`.
struct Ids<S = RandomState> {
    hasher: S,
    by_hash: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    text: Vec<u8>,
    ends: Vec<usize>,
    collided: HashMap<String, u32>,
}

impl<S: BuildHasher> Ids<S> {
    fn with_hasher(hasher: S) -> Self {
        Ids { hasher, by_hash: HashMap::default(), text: Vec::new(), ends: Vec::new(), collided: HashMap::new() }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn text_of(&self, ix: u32) -> &[u8] {
        let i = ix as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn get(&self, id: &str) -> Option<u32> {
        match self.by_hash.get(&self.hasher.hash_one(id)) {
            Some(&ix) if self.text_of(ix) == id.as_bytes() => Some(ix),
            Some(_) => self.collided.get(id).copied(),
            None => None,
        }
    }

    /// Adds `id`; `None` when it is already there or there are too many ids to index.
    fn insert(&mut self, id: &str) -> Option<u32> {
        let ix = u32::try_from(self.len()).ok()?;
        let h = self.hasher.hash_one(id);
        match self.by_hash.get(&h) {
            None => {
                self.by_hash.insert(h, ix);
            }
            Some(&other) if self.text_of(other) == id.as_bytes() => return None,
            Some(_) => {
                if self.collided.contains_key(id) {
                    return None;
                }
                self.collided.insert(id.to_string(), ix);
            }
        }
        self.text.extend_from_slice(id.as_bytes());
        self.ends.push(self.text.len());
        Some(ix)
    }
}

/// The key dictionary of one list column and the distinct key sets seen in it: each incident
/// holds one set id per column (set 0 is the empty set), so a label row costs a lookup, not an
/// allocation.
#[derive(Default)]
struct Sets {
    keys: Vec<String>,
    key_ix: HashMap<String, u32>,
    sets: Vec<Vec<u32>>,
    set_ix: HashMap<Vec<u32>, u32>,
    /// (set, key) → the set with that key added.
    step: HashMap<(u32, u32), u32>,
}

impl Sets {
    fn new() -> Self {
        let mut s = Sets::default();
        s.intern(&[]);
        s
    }

    fn key(&mut self, k: &str) -> u32 {
        if let Some(&i) = self.key_ix.get(k) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(k.to_string());
        self.key_ix.insert(k.to_string(), i);
        i
    }

    /// The id of a sorted, deduplicated key list.
    fn intern(&mut self, list: &[u32]) -> u32 {
        if let Some(&i) = self.set_ix.get(list) {
            return i;
        }
        let i = self.sets.len() as u32;
        self.sets.push(list.to_vec());
        self.set_ix.insert(list.to_vec(), i);
        i
    }

    /// The set `set` with key `k` added.
    fn add(&mut self, set: u32, k: u32) -> u32 {
        if let Some(&s) = self.step.get(&(set, k)) {
            return s;
        }
        let mut list = self.sets[set as usize].clone();
        if let Err(pos) = list.binary_search(&k) {
            list.insert(pos, k);
        }
        let s = self.intern(&list);
        self.step.insert((set, k), s);
        s
    }
}

/// Year and quarter of a Date32 value (as `date_part` gives them).
fn year_quarter(days: i32) -> Option<(i32, u8)> {
    let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(days)))?;
    Some((d.year(), u8::try_from(d.month0() / 3 + 1).ok()?))
}

/// The per-incident label views folded into the cube: (list column, view, key column).
const LABELS: [(usize, &str, &str); 4] = [
    (SPONSORS, "incident_sponsors", "sponsor"),
    (SPONSORSHIPS, "attributions", "sponsorship"),
    (VERTICALS, "incident_verticals", "vertical"),
    (ASSETS, "incident_assets", "asset"),
];

impl Cube {
    /// Folds the policy views of `ctx` into a cube; `None` when an incident id has more than one
    /// scoped row (several sources under one id) or a source id more than one `sources` row, where
    /// the fold would not be exact.
    ///
    /// Each view is read once, streamed: `scoped_incidents` indexes the incidents (id, start date,
    /// source, types), then every label view adds its keys to the incidents' key sets, and the
    /// incidents are grouped into rows at the end. Time and memory grow linearly with the
    /// incidents (under 100 bytes each here, besides what the views' plans hold).
    pub async fn build(ctx: &SessionContext, key: &str) -> Result<Option<Cube>, AnalysisError> {
        // Sources: lowercased (id, name) per source id.
        let mut source_of: HashMap<String, (String, String)> = HashMap::new();
        let mut ambiguous = false;
        for_each_batch(ctx, "SELECT source_id, name FROM sources", |b| {
            let (sid, name) = (strings(b, 0)?, strings(b, 1)?);
            for r in 0..b.num_rows() {
                if sid.is_null(r) {
                    continue;
                }
                let lname = if name.is_null(r) { String::new() } else { name.value(r).to_lowercase() };
                let v = (sid.value(r).to_lowercase(), lname);
                ambiguous |= source_of.insert(sid.value(r).to_string(), v).is_some();
            }
            Ok(ControlFlow::Continue(()))
        })
        .await?;
        if ambiguous {
            return Ok(None);
        }

        let mut ids = Ids::with_hasher(RandomState::new());
        let mut dates: Vec<Option<i32>> = Vec::new();
        let mut sources: Vec<u32> = Vec::new();
        let mut source_list: Vec<(String, String)> = Vec::new();
        let mut source_ix: HashMap<(String, String), u32> = HashMap::new();
        // Source id as stored → index into `source_list`.
        let mut by_raw: HashMap<String, u32> = HashMap::new();
        let mut sets: [Sets; 5] = std::array::from_fn(|_| Sets::new());
        let mut types: Vec<u32> = Vec::new();
        let mut list: Vec<u32> = Vec::new();
        let mut exact = true;
        let sql = "SELECT incident_id, CAST(start_date AS DATE) AS start_date, source_id, types FROM scoped_incidents";
        for_each_batch(ctx, sql, |b| {
            let id = strings(b, 0)?;
            let date = arrow::compute::cast(b.column(1), &DataType::Date32).map_err(internal)?;
            let date = date.as_any().downcast_ref::<Date32Array>().ok_or_else(|| internal("start_date"))?;
            let sid = strings(b, 2)?;
            let tl =
                arrow::compute::cast(b.column(3), &DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))).map_err(internal)?;
            let tl = tl.as_any().downcast_ref::<ListArray>().ok_or_else(|| internal("types"))?;
            let tv = tl.values().as_any().downcast_ref::<StringArray>().ok_or_else(|| internal("types"))?;
            let offsets = tl.value_offsets();
            for r in 0..b.num_rows() {
                // A null id, or an id seen before: several rows under one id.
                if id.is_null(r) || ids.insert(id.value(r)).is_none() {
                    exact = false;
                    return Ok(ControlFlow::Break(()));
                }
                dates.push((!date.is_null(r)).then(|| date.value(r)));
                let raw = if sid.is_null(r) { None } else { Some(sid.value(r)) };
                let s = match raw.and_then(|x| by_raw.get(x)) {
                    Some(&s) => s,
                    None => {
                        let pair = match raw {
                            None => (String::new(), String::new()),
                            Some(x) => source_of.get(x).cloned().unwrap_or_else(|| (x.to_lowercase(), String::new())),
                        };
                        let next = source_list.len() as u32;
                        let s = *source_ix.entry(pair).or_insert_with_key(|k| {
                            source_list.push(k.clone());
                            next
                        });
                        if let Some(x) = raw {
                            by_raw.insert(x.to_string(), s);
                        }
                        s
                    }
                };
                sources.push(s);
                list.clear();
                if !tl.is_null(r) {
                    let (lo, hi) = (offsets[r] as usize, offsets[r + 1] as usize);
                    for j in lo..hi {
                        if !tv.is_null(j) {
                            list.push(sets[TYPES].key(tv.value(j)));
                        }
                    }
                }
                list.sort_unstable();
                list.dedup();
                types.push(sets[TYPES].intern(&list));
            }
            Ok(ControlFlow::Continue(()))
        })
        .await?;
        if !exact {
            return Ok(None);
        }

        // Every label view adds its keys to the key sets of the scoped incidents it names.
        let n = ids.len();
        let mut labels: [Vec<u32>; 4] = std::array::from_fn(|_| vec![0u32; n]);
        for (slot, &(col, view, column)) in LABELS.iter().enumerate() {
            let sql = format!("SELECT incident_id, CAST({column} AS VARCHAR) FROM {view} WHERE {column} IS NOT NULL");
            let (of, set) = (&mut labels[slot], &mut sets[col]);
            for_each_batch(ctx, &sql, |b| {
                let (id, k) = (strings(b, 0)?, strings(b, 1)?);
                for r in 0..b.num_rows() {
                    if id.is_null(r) || k.is_null(r) {
                        continue;
                    }
                    if let Some(ix) = ids.get(id.value(r)) {
                        let key = set.key(k.value(r));
                        let cur = &mut of[ix as usize];
                        *cur = set.add(*cur, key);
                    }
                }
                Ok(ControlFlow::Continue(()))
            })
            .await?;
        }
        drop(ids);

        // Group the incidents into rows.
        type Group = (Option<(i32, u8)>, u32, [u32; 5]);
        let mut groups: HashMap<Group, (u64, Option<i32>)> = HashMap::new();
        for i in 0..n {
            let yq = dates[i].and_then(year_quarter);
            let lists = [types[i], labels[0][i], labels[1][i], labels[2][i], labels[3][i]];
            let g = groups.entry((yq, sources[i], lists)).or_insert((0, None));
            g.0 += 1;
            g.1 = g.1.max(if yq.is_some() { dates[i] } else { None });
        }
        let mut rows: Vec<Row> = groups
            .into_iter()
            .map(|((yq, source, lists), (n, latest))| Row {
                year: yq.map(|(y, _)| y),
                quarter: yq.map(|(_, q)| q),
                latest,
                n,
                source,
                lists: std::array::from_fn(|c| sets[c].sets[lists[c] as usize].clone()),
            })
            .collect();
        rows.sort_by(|a, b| (a.year, a.quarter, a.source, &a.lists).cmp(&(b.year, b.quarter, b.source, &b.lists)).then(b.n.cmp(&a.n)));
        let dicts = sets.map(|s| s.keys);
        Ok(Some(Cube { format: FORMAT, key: key.to_string(), sources: source_list, dicts, rows }))
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
        let mut out: Vec<u32> = wanted.into_iter().filter_map(|w| self.dicts[c].iter().position(|k| *k == w).map(|i| i as u32)).collect();
        out.sort_unstable();
        out
    }

    /// A predicate for the rows of the slice `filters` describes (the same conditions as
    /// [`Filters::slice_sql`]).
    fn slice<'a>(&'a self, f: &Filters) -> impl Fn(&Row) -> bool + 'a {
        let any = |list: &[u32], wanted: &[u32]| list.iter().any(|x| wanted.binary_search(x).is_ok());
        let sponsors = (!f.sponsors.is_empty()).then(|| self.ids(SPONSORS, f.sponsors.iter().cloned()));
        let sponsorship = (!f.sponsorship.is_empty()).then(|| self.ids(SPONSORSHIPS, f.sponsorship.iter().map(|s| s.as_str().to_string())));
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
        let latest =
            latest.and_then(|d| chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(d))));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    /// Every id hashes alike: every insert after the first collides.
    #[derive(Default)]
    struct Constant;

    impl Hasher for Constant {
        fn finish(&self) -> u64 {
            42
        }
        fn write(&mut self, _: &[u8]) {}
    }

    fn check_ids<S: BuildHasher>(mut ids: Ids<S>) {
        let names: Vec<String> = (0..500).map(|i| format!("src:{i}")).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ids.insert(n), Some(i as u32), "{n}");
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ids.get(n), Some(i as u32), "{n}");
            assert_eq!(ids.insert(n), None, "{n} is already there");
        }
        assert_eq!(ids.get("src:500"), None);
        assert_eq!(ids.get(""), None);
        assert_eq!(ids.insert(""), Some(500));
        assert_eq!(ids.get(""), Some(500));
        assert_eq!(ids.len(), 501);
    }

    #[test]
    fn ids_are_exact_with_and_without_hash_collisions() {
        check_ids(Ids::with_hasher(RandomState::new()));
        let colliding = Ids::with_hasher(BuildHasherDefault::<Constant>::default());
        check_ids(colliding);
    }

    #[test]
    fn key_sets_do_not_depend_on_order_or_repeats() {
        let mut s = Sets::new();
        let (a, b, c) = (s.key("RU"), s.key("CN"), s.key("IR"));
        assert_eq!(s.key("CN"), b);
        let one = [c, a, b, a].iter().fold(0, |set, &k| s.add(set, k));
        let two = [b, c, a].iter().fold(0, |set, &k| s.add(set, k));
        assert_eq!(one, two);
        assert_ne!(one, 0);
        assert_eq!(s.sets[one as usize], vec![a, b, c]);
        assert!(s.sets[0].is_empty());
        assert_eq!(s.add(0, b), s.intern(&[b]));
    }

    #[test]
    fn year_and_quarter_of_dates() {
        let days = |y, m, d| {
            (chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap() - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32
        };
        assert_eq!(year_quarter(0), Some((1970, 1)));
        assert_eq!(year_quarter(days(2021, 3, 31)), Some((2021, 1)));
        assert_eq!(year_quarter(days(2021, 4, 1)), Some((2021, 2)));
        assert_eq!(year_quarter(days(2020, 12, 31)), Some((2020, 4)));
        assert_eq!(year_quarter(-1), Some((1969, 4)));
    }
}
