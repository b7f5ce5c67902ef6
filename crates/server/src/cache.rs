//! Response cache for the read endpoints, keyed by (store version, caller's clearance, path,
//! canonical query), with one computation per key at a time; and the knowledge base and text
//! extractor, rebuilt when the store changes.
//!
//! The store version is the modification time of every table's `_delta_log` directory: every
//! commit (an ingest batch, a KB load, an analyst's merge or same-as decision) adds a log file and so
//! changes it. A new version makes every older entry unreachable, so the first request that sees a
//! new version drops them (a server under steady ingest would otherwise hold up to
//! [`MAX_ENTRIES`] answers of versions nobody can ask for any more).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use axum::body::Bytes;
use spyglass_extract::Extractor;
use spyglass_kb::Kb;
use tokio::sync::{OnceCell, Semaphore};

use crate::error::ApiError;

/// Entries kept before the cache is emptied.
const MAX_ENTRIES: usize = 4096;
/// Findings computed at once: one per core, at least two (each runs DataFusion on every core,
/// so more at once only adds to the memory in flight, not to the throughput).
fn max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8)
}

/// A fingerprint of the store's committed state.
pub fn store_version(data: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(data) {
        for e in entries.flatten() {
            let log = e.path().join("_delta_log");
            if let Ok(m) = std::fs::metadata(&log).and_then(|m| m.modified()) {
                let ns = m.duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
                parts.push(format!("{}:{ns}", e.file_name().to_string_lossy()));
            }
        }
    }
    parts.sort();
    parts.join(",")
}

type Cell = Arc<OnceCell<Bytes>>;

#[derive(Debug, Default)]
struct Entries {
    /// The store version the entries belong to.
    version: String,
    map: HashMap<String, Cell>,
}

#[derive(Debug)]
pub struct Cache {
    entries: Mutex<Entries>,
    permits: Semaphore,
    kb: tokio::sync::Mutex<Option<(String, Arc<Kb>)>>,
    extractor: tokio::sync::Mutex<Option<(String, Arc<Extractor>)>>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            entries: Mutex::new(Entries::default()),
            permits: Semaphore::new(max_concurrent()),
            kb: tokio::sync::Mutex::new(None),
            extractor: tokio::sync::Mutex::new(None),
        }
    }
}

/// Whether a response came from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Hit,
    Miss,
}

impl Cache {
    /// The cached body for `key` at store `version`, or the result of `compute` (stored when it
    /// succeeds). A version other than the entries' empties the cache first.
    pub async fn get_or_compute<F>(&self, version: &str, key: String, compute: F) -> Result<(Bytes, Hit), ApiError>
    where
        F: AsyncFnOnce() -> Result<Bytes, ApiError>,
    {
        let cell = {
            let mut entries = self.entries.lock().map_err(|_| ApiError::internal("cache lock poisoned"))?;
            if entries.version != version {
                entries.map = HashMap::new();
                entries.version = version.to_string();
            }
            let map = &mut entries.map;
            if let Some(c) = map.get(&key) {
                if let Some(b) = c.get() {
                    return Ok((b.clone(), Hit::Hit));
                }
                c.clone()
            } else {
                if map.len() >= MAX_ENTRIES {
                    *map = HashMap::new();
                }
                let c: Cell = Arc::new(OnceCell::new());
                map.insert(key, c.clone());
                c
            }
        };
        let mut computed = false;
        let flag = &mut computed;
        let body = cell
            .get_or_try_init(|| async move {
                *flag = true;
                let _permit = self.permits.acquire().await.map_err(|_| ApiError::internal("server shutting down"))?;
                compute().await
            })
            .await?;
        Ok((body.clone(), if computed { Hit::Miss } else { Hit::Hit }))
    }

    /// The knowledge base of the store at `version`.
    pub async fn kb(&self, store: &spyglass_store::Store, version: &str) -> Result<Arc<Kb>, ApiError> {
        let mut slot = self.kb.lock().await;
        if let Some((v, kb)) = slot.as_ref()
            && v == version
        {
            return Ok(kb.clone());
        }
        let kb = if store.exists() {
            store.kb().await?
        } else {
            Kb::from_claims(spyglass_kb::load::builtin::agencies())
        };
        let kb = Arc::new(kb);
        *slot = Some((version.to_string(), kb.clone()));
        Ok(kb)
    }

    /// The text extractor (with the knowledge base's names) of the store at `version`.
    pub async fn extractor(&self, store: &spyglass_store::Store, version: &str) -> Result<Arc<Extractor>, ApiError> {
        let mut slot = self.extractor.lock().await;
        if let Some((v, ex)) = slot.as_ref()
            && v == version
        {
            return Ok(ex.clone());
        }
        let ex = Arc::new(spyglass_store::load::text_extractor(store).await?);
        *slot = Some((version.to_string(), ex.clone()));
        Ok(ex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ask(cache: &Cache, version: &str, key: &str, body: &'static str) -> Hit {
        let (b, hit) = cache
            .get_or_compute(version, key.to_string(), async || Ok(Bytes::from_static(body.as_bytes())))
            .await
            .unwrap_or_else(|e| panic!("cache: {e:?}"));
        assert!(!b.is_empty());
        hit
    }

    fn len(cache: &Cache) -> usize {
        cache.entries.lock().map(|e| e.map.len()).unwrap_or(usize::MAX)
    }

    #[tokio::test]
    async fn a_new_store_version_drops_the_older_versions_answers() {
        let cache = Cache::default();
        assert_eq!(ask(&cache, "v1", "a", "1").await, Hit::Miss);
        assert_eq!(ask(&cache, "v1", "a", "1").await, Hit::Hit);
        assert_eq!(ask(&cache, "v1", "b", "2").await, Hit::Miss);
        assert_eq!(len(&cache), 2);
        assert_eq!(ask(&cache, "v2", "a", "3").await, Hit::Miss);
        assert_eq!(len(&cache), 1, "v1's answers are gone once v2 is seen");
        assert_eq!(ask(&cache, "v2", "a", "3").await, Hit::Hit);
        assert_eq!(ask(&cache, "v1", "b", "2").await, Hit::Miss);
    }
}
