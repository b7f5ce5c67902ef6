//! Two-proportion z test.

use serde::Serialize;

use crate::StatsError;
use crate::special::normal_two_sided_p;

/// Result of a two-sided two-proportion z test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZTest {
    /// z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)).
    pub z: f64,
    /// Two-sided p-value 2·(1 − Φ(|z|)).
    pub p_value: f64,
    /// p₁ − p₂.
    pub diff: f64,
    /// Pooled proportion p̄ = (x₁ + x₂) / (n₁ + n₂).
    pub pooled: f64,
}

/// Two-sided z test of p₁ = p₂ with the pooled proportion in the variance, as statsmodels
/// `proportions_ztest([x1, x2], [n1, n2])` (same order of operations, so values agree to
/// rounding). When both samples are all successes or all failures the variance is zero and the
/// statistic undefined: that is [`StatsError::ZeroVariance`], not a NaN.
pub fn two_proportion_ztest(x1: u64, n1: u64, x2: u64, n2: u64) -> Result<ZTest, StatsError> {
    for (x, n) in [(x1, n1), (x2, n2)] {
        if x > n {
            return Err(StatsError::CountExceedsN { count: x, n });
        }
        if n == 0 {
            return Err(StatsError::NoObservations("two-proportion z test"));
        }
    }
    let (x1f, n1f, x2f, n2f) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let diff = x1f / n1f - x2f / n2f;
    let pooled = (x1f + x2f) / (n1f + n2f);
    let nobs_fact = 1.0 / n1f + 1.0 / n2f;
    let var = pooled * (1.0 - pooled) * nobs_fact;
    if var.is_nan() || var <= 0.0 {
        return Err(StatsError::ZeroVariance("two-proportion z test"));
    }
    let z = diff / var.sqrt();
    Ok(ZTest { z, p_value: normal_two_sided_p(z), diff, pooled })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::testutil::{assert_close, assert_rel};

    #[test]
    fn ztest_matches_statsmodels() {
        for &(x1, n1, x2, n2, z, p) in ZTEST_REF {
            let t = two_proportion_ztest(x1, n1, x2, n2).unwrap();
            let what = format!("{x1}/{n1} vs {x2}/{n2}");
            assert_close(t.z, z, 1e-12, 1.0, &what);
            assert_rel(t.p_value, p, 1e-10, &what);
        }
    }

    #[test]
    fn ztest_rejects_degenerate_input() {
        assert!(matches!(two_proportion_ztest(0, 10, 0, 20), Err(StatsError::ZeroVariance(_))));
        assert!(matches!(two_proportion_ztest(10, 10, 20, 20), Err(StatsError::ZeroVariance(_))));
        assert!(matches!(two_proportion_ztest(1, 0, 1, 2), Err(StatsError::CountExceedsN { .. })));
        assert!(matches!(two_proportion_ztest(0, 0, 1, 2), Err(StatsError::NoObservations(_))));
    }

    // reference-table begin: proportion_tests.ztest (tests/reference/proportion_tests.py)
    /// (x1, n1, x2, n2, z, p): statsmodels `proportions_ztest([x1, x2], [n1, n2])`
    const ZTEST_REF: &[(u64, u64, u64, u64, f64, f64)] = &[
        (45, 100, 30, 100, 2.1908902300206647, 0.02845973691631055),
        (185, 599, 120, 599, 4.310881814375483, 1.626048005492816e-05),
        (70, 231, 185, 599, -0.16282141057335583, 0.8706590500229447),
        (12, 29, 40, 200, 2.5682489814761245, 0.010221371079014219),
        (50, 100, 100, 200, 0.0, 1.0),
        (1, 50, 9, 60, -2.361567276196044, 0.018197869700053406),
        (5000, 100000, 5300, 100000, -3.0351766659342263, 0.0024039482799847168),
        (0, 40, 6, 40, -2.546858159868053, 0.010869760428324726),
        (300, 600, 100, 600, 12.247448713915892, 1.7336432457178015e-34),
    ];
    // reference-table end: proportion_tests.ztest
}
