//! The interval method a finding uses, chosen by name and stated in its output.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Interval, StatsError, bootstrap_binomial, clopper_pearson, wilson};

/// How a share's confidence interval is computed. Serialises as
/// `{"name": "wilson"}`, `{"name": "clopper-pearson"}` or
/// `{"name": "bootstrap", "resamples": 10000, "seed": 0}`, so an output states everything needed
/// to reproduce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// Wilson score interval ([`wilson`]); the default.
    #[default]
    Wilson,
    /// Clopper–Pearson exact interval ([`clopper_pearson()`]).
    ClopperPearson,
    /// Percentile bootstrap over resampled incidents ([`bootstrap_binomial`]).
    Bootstrap { resamples: u32, seed: u64 },
}

impl IntervalMethod {
    /// Resamples used when "bootstrap" is chosen by name: Monte-Carlo error of a 2.5 % quantile
    /// is then about 0.1 percentage points for shares near 30 % with n ≈ 600.
    pub const DEFAULT_RESAMPLES: u32 = 10_000;
    /// Seed used when "bootstrap" is chosen by name.
    pub const DEFAULT_SEED: u64 = 0;

    /// The bootstrap with the default resamples and seed.
    pub fn bootstrap() -> Self {
        IntervalMethod::Bootstrap { resamples: Self::DEFAULT_RESAMPLES, seed: Self::DEFAULT_SEED }
    }

    /// The name used in output and accepted by `FromStr`.
    pub fn name(&self) -> &'static str {
        match self {
            IntervalMethod::Wilson => "wilson",
            IntervalMethod::ClopperPearson => "clopper-pearson",
            IntervalMethod::Bootstrap { .. } => "bootstrap",
        }
    }

    /// The interval for `count` of `n` at confidence `level`. `n = 0` is
    /// [`StatsError::NoObservations`] for every method.
    pub fn compute(&self, count: u64, n: u64, level: f64) -> Result<Interval, StatsError> {
        if n == 0 && count == 0 {
            crate::interval::check_level(level)?;
            return Err(StatsError::NoObservations("share interval"));
        }
        match *self {
            IntervalMethod::Wilson => wilson(count, n, level),
            IntervalMethod::ClopperPearson => clopper_pearson(count, n, level),
            IntervalMethod::Bootstrap { resamples, seed } => {
                bootstrap_binomial(count, n, level, resamples, seed).map(|b| b.interval)
            }
        }
    }
}

impl fmt::Display for IntervalMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for IntervalMethod {
    type Err = StatsError;

    /// "wilson", "clopper-pearson" (alias "beta", statsmodels' name) or "bootstrap" (default
    /// resamples and seed), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wilson" => Ok(IntervalMethod::Wilson),
            "clopper-pearson" | "beta" => Ok(IntervalMethod::ClopperPearson),
            "bootstrap" => Ok(IntervalMethod::bootstrap()),
            _ => Err(StatsError::UnknownMethod(s.to_string())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in [IntervalMethod::Wilson, IntervalMethod::ClopperPearson, IntervalMethod::bootstrap()] {
            assert_eq!(m.name().parse::<IntervalMethod>().unwrap(), m);
            assert_eq!(m.to_string(), m.name());
        }
        assert_eq!("Clopper-Pearson".parse::<IntervalMethod>().unwrap(), IntervalMethod::ClopperPearson);
        assert!(matches!("agresti".parse::<IntervalMethod>(), Err(StatsError::UnknownMethod(_))));
    }

    #[test]
    fn serialises_with_its_parameters() {
        let b = IntervalMethod::Bootstrap { resamples: 2000, seed: 42 };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#"{"name":"bootstrap","resamples":2000,"seed":42}"#);
        assert_eq!(serde_json::from_str::<IntervalMethod>(&json).unwrap(), b);
        assert_eq!(serde_json::to_string(&IntervalMethod::ClopperPearson).unwrap(), r#"{"name":"clopper-pearson"}"#);
    }

    #[test]
    fn compute_dispatches_and_rejects_empty_slices() {
        assert_eq!(IntervalMethod::Wilson.compute(3, 10, 0.95), wilson(3, 10, 0.95));
        assert_eq!(IntervalMethod::ClopperPearson.compute(3, 10, 0.95), clopper_pearson(3, 10, 0.95));
        let b = IntervalMethod::Bootstrap { resamples: 300, seed: 5 };
        assert_eq!(b.compute(3, 10, 0.95).unwrap(), bootstrap_binomial(3, 10, 0.95, 300, 5).unwrap().interval);
        for m in [IntervalMethod::Wilson, IntervalMethod::ClopperPearson, b] {
            assert!(matches!(m.compute(0, 0, 0.95), Err(StatsError::NoObservations(_))), "{m}");
            assert!(matches!(m.compute(0, 0, 2.0), Err(StatsError::BadLevel(_))), "{m}");
        }
    }
}
