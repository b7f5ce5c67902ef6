//! Findings: a written policy, a store query and statistics, one module per finding.
//!
//! Every finding returns the method it used (policy, counting rule, interval, filters) so that
//! anyone can reproduce it; renderers (CLI, reports, API) only display what is returned here.

pub mod claim;
pub mod compare;
pub mod coverage;
pub mod crosstab;
pub mod cube;
pub mod dedup;
pub mod dims;
pub mod engine;
pub mod filter;
pub mod period;
pub mod priorities;
pub mod share;
mod sqlutil;
pub mod trend;

pub use claim::{ClaimQuery, ClaimResult, Verdict, claim_check, parse_claim};
pub use compare::{CompareQuery, CompareResult, compare};
pub use dims::Dimension;
pub use filter::{AssetFilter, Filters, parse_assets, parse_verticals};
pub use period::Period;
pub use priorities::{PrioritiesQuery, PrioritiesResult, Target, priorities};
pub use share::{ShareQuery, ShareResult, ShareRow, Variant, sensitivity, share};
pub use trend::{TrendQuery, TrendResult, trend};

/// Small-n thresholds (as verisr): below `LOW_N` every row is flagged, below `WITHHOLD_N` rows are
/// withheld.
pub const LOW_N: u64 = 30;
pub const WITHHOLD_N: u64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Store(#[from] spyglass_store::StoreError),
    #[error(transparent)]
    Stats(#[from] spyglass_stats::StatsError),
    #[error("invalid argument: {0}")]
    BadArgument(String),
    #[error("unexpected query result: {0}")]
    Internal(String),
}
