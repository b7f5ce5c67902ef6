//! Test helpers shared by the workspace's test suites (dev-dependency only).
//!
//! Tests that read the real public data in `../shared/data` call [`shared_data`]: when the folder is
//! absent (a user's fresh clone) the test prints why it is skipped and returns early; when
//! `SPYGLASS_REQUIRE_SHARED=1` (set by `.ci/run`) a missing file fails the test instead.

use std::path::PathBuf;

/// The `shared/data` folder: `$SPYGLASS_SHARED/data` if set, else `<workspace>/../shared/data`.
///
/// The workspace is found from the `CARGO_MANIFEST_DIR` that `cargo test` sets for the running
/// test (every crate sits at `crates/<name>`), and only failing that from the path this crate was
/// compiled at: a build cache reused by a checkout at another path (CI's clean clone, a work tree
/// laid anew) keeps this crate's compiled-in path when its sources have not changed.
pub fn shared_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPYGLASS_SHARED") {
        return PathBuf::from(dir).join("data");
    }
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    crate_dir.join("../../../shared/data")
}

/// Whether missing shared data must fail tests rather than skip them.
pub fn shared_required() -> bool {
    std::env::var("SPYGLASS_REQUIRE_SHARED").is_ok_and(|v| v == "1")
}

/// Path of `rel` under `shared/data`, or `None` (after printing the reason) when it is absent.
///
/// Panics when the file is absent and `SPYGLASS_REQUIRE_SHARED=1`.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    if shared_required() {
        panic!("SPYGLASS_REQUIRE_SHARED=1 but {} is missing", path.display());
    }
    eprintln!("skipped: {} is absent (shared data not beside this checkout)", path.display());
    None
}

/// Early-returns from a test when the shared file is absent: `let p = require_shared!("cfr/x.csv");`
#[macro_export]
macro_rules! require_shared {
    ($rel:expr) => {
        match $crate::shared_data($rel) {
            Some(p) => p,
            None => return,
        }
    };
}
