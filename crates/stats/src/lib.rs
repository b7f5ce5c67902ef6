//! Pure statistics for findings: intervals, tests, count models, change points, concentration.
//!
//! No I/O. Definitions follow `shared/docs/references.md` so numbers can be checked against
//! statsmodels and scipy.

pub mod interval;

pub use interval::{Interval, wilson};

/// Errors for arguments outside a method's domain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("confidence level must be in (0, 1), got {0}")]
    BadLevel(f64),
    #[error("count {count} exceeds the number of observations {n}")]
    CountExceedsN { count: u64, n: u64 },
    #[error("{0}")]
    Domain(String),
}
