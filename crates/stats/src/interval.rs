//! Confidence intervals for a proportion.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::StatsError;

/// A point estimate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// Rejects a confidence level outside (0, 1).
pub(crate) fn check_level(level: f64) -> Result<(), StatsError> {
    if level > 0.0 && level < 1.0 { Ok(()) } else { Err(StatsError::BadLevel(level)) }
}

/// z = Φ⁻¹(1 − α/2) for a two-sided interval at `level` = 1 − α.
pub fn z_two_sided(level: f64) -> Result<f64, StatsError> {
    check_level(level)?;
    let alpha = 1.0 - level;
    // Normal::new(0, 1) cannot fail.
    let normal = Normal::standard();
    Ok(normal.inverse_cdf(1.0 - alpha / 2.0))
}

/// Wilson score interval without continuity correction, as statsmodels
/// `proportion_confint(count, nobs, alpha, method="wilson")`.
///
/// With `n = 0` it returns the whole of [0, 1] with a NaN estimate (kept for existing callers;
/// [`crate::IntervalMethod::compute`] turns that case into [`StatsError::NoObservations`]).
pub fn wilson(count: u64, n: u64, level: f64) -> Result<Interval, StatsError> {
    if count > n {
        return Err(StatsError::CountExceedsN { count, n });
    }
    let z = z_two_sided(level)?;
    if n == 0 {
        return Ok(Interval { estimate: f64::NAN, low: 0.0, high: 1.0 });
    }
    let nf = n as f64;
    let p = count as f64 / nf;
    let z2 = z * z;
    // Same algebra and order of operations as statsmodels, so results agree to rounding.
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let dist = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    // At x = 0 and x = n the bound is exactly 0 or 1; the formula leaves a rounding residue
    // (statsmodels reports 0.9999999999999999 for 10/10), which would put the estimate outside.
    let low = if count == 0 { 0.0 } else { (center - dist).max(0.0) };
    let high = if count == n { 1.0 } else { (center + dist).min(1.0) };
    Ok(Interval { estimate: p, low, high })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    // reference-table begin: wilson (tests/reference/wilson.py)
    /// statsmodels `proportion_confint(count, nobs, alpha, method="wilson")`
    const WILSON_REF: &[(u64, u64, f64, f64, f64)] = &[
        (0, 1, 0.95, 0.0, 0.7934506856227626),
        (1, 1, 0.95, 0.20654931437723745, 1.0),
        (0, 10, 0.95, 0.0, 0.2775327998628892),
        (10, 10, 0.95, 0.7224672001371107, 0.9999999999999999),
        (3, 10, 0.95, 0.10779126740630099, 0.6032218525388546),
        (185, 599, 0.95, 0.27316477995172356, 0.3469675174387376),
        (120, 599, 0.95, 0.1702358944982821, 0.23425098219680765),
        (86, 599, 0.9, 0.12160727782824027, 0.16874328542433814),
        (69, 599, 0.99, 0.08572734164898156, 0.15308798655081246),
        (1, 599, 0.95, 0.00029475956802283484, 0.00939511616169465),
        (70, 231, 0.95, 0.24738658378428674, 0.365117952437828),
        (12, 29, 0.95, 0.255131773413224, 0.5926216401212141),
        (4, 4, 0.95, 0.5101091635454027, 1.0),
        (500000, 1000000, 0.95, 0.4990200198900048, 0.5009799801099952),
        (7, 13, 0.8, 0.36713205286258244, 0.7011628815276586),
        (2, 3, 0.999, 0.09907678762821481, 0.9732425191577943),
    ];
    // reference-table end: wilson

    #[test]
    fn wilson_matches_statsmodels() {
        for &(count, n, level, lo, hi) in WILSON_REF {
            let ci = wilson(count, n, level).unwrap();
            assert!((ci.low - lo).abs() < 1e-12, "{count}/{n} @ {level}: low {} vs {lo}", ci.low);
            assert!((ci.high - hi).abs() < 1e-12, "{count}/{n} @ {level}: high {} vs {hi}", ci.high);
        }
    }

    #[test]
    fn wilson_rejects_bad_input() {
        assert!(wilson(3, 2, 0.95).is_err());
        assert!(wilson(1, 2, 1.0).is_err());
        assert!(wilson(1, 2, 0.0).is_err());
    }
}
