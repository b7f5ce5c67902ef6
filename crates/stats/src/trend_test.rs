//! Cochran–Armitage test for a trend in proportions across ordered groups.

use serde::Serialize;

use crate::StatsError;
use crate::special::normal_two_sided_p;

/// Result of the Cochran–Armitage trend test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendTest {
    /// z = T / √Var(T); positive when the proportion rises with the score.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Pooled proportion Σx / Σn.
    pub pooled: f64,
}

/// Cochran–Armitage test of H₀: the proportion `x[i]/n[i]` does not change with `scores[i]`.
///
/// T = Σ sᵢ(xᵢ − nᵢ p̄), Var(T) = p̄(1 − p̄)[Σ nᵢ sᵢ² − (Σ nᵢ sᵢ)² / N], z = T/√Var(T), two-sided
/// normal p-value (Armitage 1955; the unconditional variance, as most software including R's
/// `prop.trend.test` — whose χ² = z²).
pub fn cochran_armitage(x: &[u64], n: &[u64], scores: &[f64]) -> Result<TrendTest, StatsError> {
    if x.len() != n.len() {
        return Err(StatsError::LengthMismatch { what: "cochran-armitage counts", left: x.len(), right: n.len() });
    }
    if scores.len() != n.len() {
        return Err(StatsError::LengthMismatch { what: "cochran-armitage scores", left: scores.len(), right: n.len() });
    }
    if n.len() < 2 {
        return Err(StatsError::TooFewObservations { what: "cochran-armitage", n: n.len(), needed: 2 });
    }
    for (i, (&xi, &ni)) in x.iter().zip(n).enumerate() {
        if xi > ni {
            return Err(StatsError::CountExceedsN { count: xi, n: ni });
        }
        if !scores[i].is_finite() {
            return Err(StatsError::BadValue { what: "cochran-armitage scores", index: i, value: scores[i] });
        }
    }
    let big_n: f64 = n.iter().map(|&v| v as f64).sum();
    if big_n == 0.0 {
        return Err(StatsError::NoObservations("cochran-armitage"));
    }
    let pooled = x.iter().map(|&v| v as f64).sum::<f64>() / big_n;
    let t: f64 = x.iter().zip(n).zip(scores).map(|((&xi, &ni), &s)| s * (xi as f64 - ni as f64 * pooled)).sum();
    let sum_ns: f64 = n.iter().zip(scores).map(|(&ni, &s)| ni as f64 * s).sum();
    let sum_ns2: f64 = n.iter().zip(scores).map(|(&ni, &s)| ni as f64 * s * s).sum();
    let var = pooled * (1.0 - pooled) * (sum_ns2 - sum_ns * sum_ns / big_n);
    if var <= 0.0 || !var.is_finite() {
        return Err(StatsError::ZeroVariance("cochran-armitage"));
    }
    let z = t / var.sqrt();
    Ok(TrendTest { z, p_value: normal_two_sided_p(z), pooled })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: R `prop.trend.test(x, n, score)` χ² = z², computed with the same formula in numpy
    /// and cross-checked against statsmodels `Table.test_ordinal_association` (which uses the
    /// conditional variance, i.e. z_sm = z · √((N−1)/N)); see tests/reference/trend_test.py.
    // reference-table begin: trend_test.cochran_armitage (tests/reference/trend_test.py)
    /// (x, n, z, p) with scores 0..k-1
    const REF: &[(&[u64], &[u64], f64, f64)] = &[
        (&[3, 5, 9, 14], &[40, 42, 45, 41], 3.2395757078021807, 0.0011970768268637548),
        (&[10, 8, 7, 3, 2], &[30, 30, 30, 30, 30], -3.031088913245535, 0.0024367348089890093),
        (&[1, 0, 2, 4, 6, 9], &[20, 18, 25, 22, 19, 24], 3.9012378010878273, 9.570208137944188e-05),
        (&[50, 61], &[200, 190], 1.5543208699227378, 0.12010789777683231),
    ];
    // reference-table end: trend_test.cochran_armitage

    #[test]
    fn matches_reference() {
        for &(x, n, z, p) in REF {
            let scores: Vec<f64> = (0..x.len()).map(|i| i as f64).collect();
            let r = cochran_armitage(x, n, &scores).unwrap();
            assert!((r.z - z).abs() < 1e-9, "{x:?}/{n:?}: z {} vs {z}", r.z);
            assert!((r.p_value - p).abs() < 1e-9, "{x:?}/{n:?}: p {} vs {p}", r.p_value);
        }
    }

    #[test]
    fn flat_proportions_give_z_zero_and_errors_are_reported() {
        let r = cochran_armitage(&[5, 10, 15], &[50, 100, 150], &[0.0, 1.0, 2.0]).unwrap();
        assert!(r.z.abs() < 1e-12);
        assert!(cochran_armitage(&[0, 0], &[10, 10], &[0.0, 1.0]).is_err());
        assert!(cochran_armitage(&[11], &[10], &[0.0]).is_err());
        assert!(cochran_armitage(&[1, 2], &[10, 10], &[0.0]).is_err());
    }
}
