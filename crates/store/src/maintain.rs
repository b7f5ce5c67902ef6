//! Maintenance: compaction of the Delta tables.
//!
//! Every ingest batch appends a few small Parquet files to each table; after many batches a scan
//! opens thousands of files (on a cluster, thousands of tasks). `compact` rewrites each table's small
//! files into files of about `target_bytes` (Delta `OPTIMIZE`, bin-packing) in one commit per
//! table. The rows are the same, so no finding changes; the replaced files stay on disk, tombstoned
//! in the log, so earlier versions can still be read.

use std::num::NonZeroU64;

use crate::{Store, StoreError, table};

/// What compacting one table did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Compacted {
    pub table: String,
    pub files_before: u64,
    pub files_after: u64,
    pub files_removed: u64,
    pub files_added: u64,
}

/// Default target file size: 128 MiB.
pub const DEFAULT_TARGET_BYTES: u64 = 128 * 1024 * 1024;

/// Files under this size count as small when deciding whether to compact on the fly.
const SMALL_FILE_BYTES: i64 = 16 * 1024 * 1024;

/// A table is compacted after an ingest once it holds this many small files. Every session scans
/// every file and replays the log, so the cost of a query (and the memory it holds) grows with
/// the small files a stream of little batches leaves: on EuRepoC plus 80 batches of 10 incidents a
/// `share` took 1.64 s and 175 MiB instead of 0.21 s and 142 MiB, and 0.45 s and 149 MiB once
/// compacted (RELIABILITY.md, "Load").
pub const AUTO_COMPACT_SMALL_FILES: usize = 16;

impl Store {
    /// Compacts every table that has more than one file.
    pub async fn compact(&self, target_bytes: u64) -> Result<Vec<Compacted>, StoreError> {
        self.compact_where(target_bytes, |files, _small| files > 1, true).await
    }

    /// Compacts only the tables holding at least `min_small_files` files under 16 MiB, and lists
    /// only those: what an ingest runs after its commit so that a steady stream of small batches
    /// (the API under load) does not leave queries scanning ever more files. Like [`compact`],
    /// each table is one Delta commit of the same rows.
    ///
    /// [`compact`]: Store::compact
    pub async fn compact_fragmented(&self, min_small_files: usize, target_bytes: u64) -> Result<Vec<Compacted>, StoreError> {
        let min = min_small_files.max(2);
        self.compact_where(target_bytes, |_files, small| small >= min, false).await
    }

    async fn compact_where(
        &self,
        target_bytes: u64,
        wanted: impl Fn(usize, usize) -> bool,
        list_all: bool,
    ) -> Result<Vec<Compacted>, StoreError> {
        if !self.exists() {
            return Err(StoreError::NoData(self.root().to_path_buf()));
        }
        let target = NonZeroU64::new(target_bytes.max(1024 * 1024)).unwrap_or(NonZeroU64::MIN);
        let mut out = Vec::new();
        for &name in table::ALL {
            let Some(t) = self.open_table(name).await? else { continue };
            let delta = |source| StoreError::Delta { table: name.into(), source };
            let (files, small) = {
                let log = t.snapshot().map_err(delta)?.log_data();
                (log.num_files(), log.iter().filter(|f| f.size() < SMALL_FILE_BYTES).count())
            };
            let files_before = files as u64;
            if !wanted(files, small) {
                if list_all {
                    out.push(Compacted { table: name.into(), files_before, files_after: files_before, files_removed: 0, files_added: 0 });
                }
                continue;
            }
            let (t, metrics) = t.optimize().with_target_size(target).await.map_err(delta)?;
            let files_after = t.get_file_uris().map_err(delta)?.count() as u64;
            out.push(Compacted {
                table: name.into(),
                files_before,
                files_after,
                files_removed: metrics.num_files_removed,
                files_added: metrics.num_files_added,
            });
        }
        Ok(out)
    }
}
