//! Pure statistics for findings: intervals, tests, count models, change points, concentration.
//!
//! No I/O. Definitions follow `shared/docs/references.md` so numbers can be checked against
//! statsmodels and scipy; `python3 tests/reference/check.py` recomputes every recorded reference
//! value (the scripts in `tests/reference/` say which library call produced each table).
//!
//! | need | call | reference implementation |
//! |---|---|---|
//! | share interval | [`wilson`], [`clopper_pearson()`], [`bootstrap_binomial`], [`bootstrap_multilabel`], or [`IntervalMethod::compute`] | statsmodels `proportion_confint` (`wilson`, `beta`); numpy percentile |
//! | two shares differ? | [`two_proportion_ztest`], [`fisher_exact`] | statsmodels `proportions_ztest`; scipy `fisher_exact` |
//! | yearly trend | [`poisson_trend`], [`nb2_trend`] (IRR = exp(slope)) | statsmodels `GLM(Poisson)`, `NegativeBinomial(nb2)` |
//! | general count regression | [`poisson_glm`], [`negbin_nb2`], [`overdispersion_test`] | statsmodels |
//! | regime changes | [`pelt`], [`binary_segmentation`] (Poisson cost) | ruptures with the same cost; exhaustive search |
//! | concentration | [`hhi`], [`hhi_from_shares`] | Σ share² |
//!
//! Every function validates its input and returns [`StatsError`] rather than NaN or a panic;
//! results are `serde::Serialize` and carry what is needed to reproduce them (level, seed,
//! resamples, penalty).

pub mod bootstrap;
pub mod changepoint;
pub mod clopper_pearson;
pub mod concentration;
pub mod fisher;
pub mod interval;
mod design;
mod linalg;
pub mod method;
pub mod negbin;
pub mod poisson;
pub mod proportion_test;
pub mod trend_test;
mod special;

#[cfg(test)]
mod testutil;

pub use bootstrap::{BootstrapInterval, bootstrap_binomial, bootstrap_multilabel};
pub use changepoint::{ChangePointMethod, ChangePoints, Penalty, Segment, binary_segmentation, pelt};
pub use clopper_pearson::clopper_pearson;
pub use concentration::{Hhi, hhi, hhi_from_shares};
pub use fisher::{FisherExact, fisher_exact};
pub use interval::{Interval, wilson, z_two_sided};
pub use method::IntervalMethod;
pub use negbin::{NegBinFit, Overdispersion, nb2_trend, negbin_nb2, overdispersion_test};
pub use poisson::{CountModel, PoissonFit, TrendFit, poisson_glm, poisson_trend};
pub use proportion_test::{ZTest, two_proportion_ztest};
pub use trend_test::{TrendTest, cochran_armitage};

/// Errors for arguments outside a method's domain or data a model cannot be fitted to.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("confidence level must be in (0, 1), got {0}")]
    BadLevel(f64),
    #[error("count {count} exceeds the number of observations {n}")]
    CountExceedsN { count: u64, n: u64 },
    #[error("{0}")]
    Domain(String),
    #[error("no observations: {0}")]
    NoObservations(&'static str),
    #[error("{what}: lengths differ ({left} vs {right})")]
    LengthMismatch { what: &'static str, left: usize, right: usize },
    #[error("{what}: {n} observations, at least {needed} needed")]
    TooFewObservations { what: &'static str, n: usize, needed: usize },
    #[error("{what}: value #{index} is {value}, expected a finite number >= 0")]
    BadValue { what: &'static str, index: usize, value: f64 },
    #[error("{0}: all counts are zero, a log-linear rate is not estimable")]
    AllZero(&'static str),
    #[error("{0}: the design matrix is singular (a column is constant or collinear)")]
    Singular(&'static str),
    #[error("{what}: no finite maximum-likelihood estimate ({reason})")]
    NoFiniteEstimate { what: &'static str, reason: &'static str },
    #[error("{what}: not converged after {iterations} iterations")]
    NotConverged { what: &'static str, iterations: usize },
    #[error("{0}: the test statistic is undefined (zero variance)")]
    ZeroVariance(&'static str),
    #[error("unknown interval method {0:?} (expected wilson, clopper-pearson or bootstrap)")]
    UnknownMethod(String),
}
