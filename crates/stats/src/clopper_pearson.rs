//! Clopper–Pearson ("exact") interval for a proportion.

use crate::special::inv_beta_reg;
use crate::{Interval, StatsError, interval::check_level};

/// Clopper–Pearson interval, as statsmodels
/// `proportion_confint(count, nobs, alpha, method="beta")`:
/// lower = Beta⁻¹(α/2; x, n − x + 1), upper = Beta⁻¹(1 − α/2; x + 1, n − x), with the lower bound
/// 0 when x = 0 and the upper bound 1 when x = n. It inverts two one-sided binomial tests, so its
/// coverage is at least the nominal level (it is conservative) and it contains the Wilson
/// interval's point estimate x/n.
///
/// `n = 0` is an error: there is no proportion to bound.
pub fn clopper_pearson(count: u64, n: u64, level: f64) -> Result<Interval, StatsError> {
    check_level(level)?;
    if count > n {
        return Err(StatsError::CountExceedsN { count, n });
    }
    if n == 0 {
        return Err(StatsError::NoObservations("clopper-pearson interval"));
    }
    let alpha_2 = (1.0 - level) / 2.0;
    let (x, nf) = (count as f64, n as f64);
    let low = if count == 0 { 0.0 } else { inv_beta_reg(x, nf - x + 1.0, alpha_2) };
    // Beta⁻¹(1 − α/2; x + 1, n − x) = 1 − Beta⁻¹(α/2; n − x, x + 1), the form that keeps the
    // precision of a bound close to 1.
    let high = if count == n { 1.0 } else { 1.0 - inv_beta_reg(nf - x, x + 1.0, alpha_2) };
    Ok(Interval { estimate: x / nf, low, high })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::testutil::assert_rel;

    #[test]
    fn clopper_pearson_matches_statsmodels() {
        for &(count, n, level, lo, hi) in CP_REF {
            let ci = clopper_pearson(count, n, level).unwrap();
            let what = format!("{count}/{n} @ {level}");
            if lo == 0.0 {
                assert_eq!(ci.low, 0.0, "{what}");
            } else {
                assert_rel(ci.low, lo, 1e-10, &what);
            }
            assert_rel(ci.high, hi, 1e-10, &what);
        }
    }

    #[test]
    fn clopper_pearson_rejects_bad_input() {
        assert_eq!(clopper_pearson(3, 2, 0.95), Err(StatsError::CountExceedsN { count: 3, n: 2 }));
        assert!(matches!(clopper_pearson(0, 0, 0.95), Err(StatsError::NoObservations(_))));
        assert!(matches!(clopper_pearson(1, 2, 1.0), Err(StatsError::BadLevel(_))));
    }

    #[test]
    fn bounds_solve_the_defining_tail_equations() {
        // P(X ≥ x | p = low) = α/2 and P(X ≤ x | p = high) = α/2, written with the incomplete
        // beta function: I_low(x, n − x + 1) = α/2 and I_high(x + 1, n − x) = 1 − α/2.
        use crate::special::beta_reg;
        for &(x, n) in &[(1u64, 10u64), (3, 10), (185, 599), (598, 599), (7, 13)] {
            let ci = clopper_pearson(x, n, 0.9).unwrap();
            let (xf, nf) = (x as f64, n as f64);
            assert!((beta_reg(xf, nf - xf + 1.0, ci.low) - 0.05).abs() < 1e-13);
            assert!((beta_reg(xf + 1.0, nf - xf, ci.high) - 0.95).abs() < 1e-13);
        }
    }

    // reference-table begin: clopper_pearson (tests/reference/clopper_pearson.py)
    /// statsmodels `proportion_confint(count, nobs, alpha, method="beta")`
    const CP_REF: &[(u64, u64, f64, f64, f64)] = &[
        (0, 1, 0.95, 0.0, 0.975),
        (1, 1, 0.95, 0.025000000000000022, 1.0),
        (0, 10, 0.95, 0.0, 0.3084971078187607),
        (10, 10, 0.95, 0.6915028921812392, 1.0),
        (3, 10, 0.95, 0.0667395111777345, 0.6524528500599973),
        (185, 599, 0.95, 0.27203450213755687, 0.34755890785221366),
        (120, 599, 0.95, 0.16898928150154405, 0.23466571744015982),
        (86, 599, 0.9, 0.1205151707747939, 0.16928108156703348),
        (69, 599, 0.99, 0.08393835634353082, 0.15273671210138468),
        (1, 599, 0.95, 4.226589806439915e-05, 0.009266157071662263),
        (598, 599, 0.95, 0.9907338429283378, 0.9999577341019356),
        (70, 231, 0.95, 0.2444764485959245, 0.3667214516971474),
        (12, 29, 0.95, 0.23524020975289847, 0.6106372086030938),
        (4, 4, 0.95, 0.3976353643835254, 1.0),
        (1, 4, 0.95, 0.006309463209709871, 0.8058795503167565),
        (500000, 1000000, 0.95, 0.49901951919531184, 0.5009804808046882),
        (1, 1000000, 0.95, 2.53178076637942e-08, 5.571630655166939e-06),
        (7, 13, 0.8, 0.330859180321993, 0.7362697438686887),
        (2, 3, 0.999, 0.012966106085991, 0.9998333055478369),
        (0, 5000, 0.99, 0.0, 0.0010591022282324147),
    ];
    // reference-table end: clopper_pearson
}
