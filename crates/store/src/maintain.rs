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

impl Store {
    /// Compacts every table that has more than one file.
    pub async fn compact(&self, target_bytes: u64) -> Result<Vec<Compacted>, StoreError> {
        if !self.exists() {
            return Err(StoreError::NoData(self.root().to_path_buf()));
        }
        let target = NonZeroU64::new(target_bytes.max(1024 * 1024)).unwrap_or(NonZeroU64::MIN);
        let mut out = Vec::new();
        for &name in table::ALL {
            let Some(t) = self.open_table(name).await? else { continue };
            let delta = |source| StoreError::Delta { table: name.into(), source };
            let files_before = t.get_file_uris().map_err(delta)?.count() as u64;
            if files_before <= 1 {
                out.push(Compacted { table: name.into(), files_before, files_after: files_before, files_removed: 0, files_added: 0 });
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
