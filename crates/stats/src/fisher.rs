//! Fisher's exact test on a 2×2 table.

use serde::Serialize;

use crate::StatsError;
use crate::special::ln_hypergeom_pmf;

/// Relative tolerance when deciding that a table is "as or less likely" than the observed one.
/// scipy 1.17's `fisher_exact` uses 1 + 1e-14 (R's `fisher.test` uses 1 + 1e-7); we follow scipy,
/// the reference named in references.md, so p-values agree even for symmetric tables whose
/// mirror-image probability equals the observed one up to rounding.
pub const FISHER_REL_TOL: f64 = 1e-14;

/// Result of a two-sided Fisher exact test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FisherExact {
    /// Sample odds ratio ad / (bc); `+∞` when bc = 0 < ad or when b or c is 0, as scipy;
    /// `None` when a row or column of the table is empty (scipy's NaN).
    pub odds_ratio: Option<f64>,
    /// Two-sided p-value: the probability, under the hypergeometric null with the table's
    /// margins, of all tables no more likely than the observed one.
    pub p_value: f64,
}

/// Fisher's exact test, two-sided, as `scipy.stats.fisher_exact([[a, b], [c, d]])`.
///
/// The hypergeometric probabilities are computed in log space (Loader's saddle-point form), so
/// tables with millions of observations neither overflow nor lose precision; the tails are summed
/// outwards from their largest term and stop once the remaining terms cannot change the sum, so
/// the cost is O(√n) rather than O(n). Like scipy, the p-value sums the tables on the observed
/// side of the mode up to the observed one plus the tables on the far side whose probability is
/// below P(observed)·(1 + [`FISHER_REL_TOL`]), and is capped at 1. An empty row or column gives
/// p = 1 and no odds ratio.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> Result<FisherExact, StatsError> {
    let [[a, b], [c, d]] = table;
    let total = [a, b, c, d].iter().try_fold(0u64, |s, &v| s.checked_add(v));
    let total = match total {
        Some(t) if t < (1u64 << 53) => t,
        _ => return Err(StatsError::Domain("fisher exact test: table total exceeds 2^53".into())),
    };
    let n1 = a + b; // first row
    let n2 = c + d; // second row
    let n = a + c; // first column
    if n1 == 0 || n2 == 0 || n == 0 || b + d == 0 {
        return Ok(FisherExact { odds_ratio: None, p_value: 1.0 });
    }
    let odds_ratio =
        if c > 0 && b > 0 { (a as f64 * d as f64) / (c as f64 * b as f64) } else { f64::INFINITY };
    let lnpmf = |k: u64| ln_hypergeom_pmf(k, total, n1, n);
    let lo = n.saturating_sub(n2);
    let hi = n.min(n1);
    // The mode as scipy computes it.
    let mode = ((((n + 1) as f64) * ((n1 + 1) as f64) / ((total + 2) as f64)) as u64).clamp(lo, hi);
    let l_obs = lnpmf(a);
    if -(l_obs - lnpmf(mode)).exp_m1() <= FISHER_REL_TOL {
        return Ok(FisherExact { odds_ratio: Some(odds_ratio), p_value: 1.0 });
    }
    // Probabilities relative to the observed table's.
    let rel = |k: u64| (lnpmf(k) - l_obs).exp();
    let less_likely = |k: u64| rel(k) < 1.0 + FISHER_REL_TOL;
    let (near, far) = if a < mode {
        let near = tail_sum(&rel, a, lo, Direction::Down);
        // First k above the mode whose table is less likely than the observed one.
        let far = first_true(mode, hi, &less_likely).map_or(0.0, |k| tail_sum(&rel, k, hi, Direction::Up));
        (near, far)
    } else {
        let near = tail_sum(&rel, a, hi, Direction::Up);
        // Last k below the mode whose table is less likely than the observed one.
        let far = last_true(lo, mode, &less_likely).map_or(0.0, |k| tail_sum(&rel, k, lo, Direction::Down));
        (near, far)
    };
    let p_value = (l_obs.exp() * (near + far)).min(1.0);
    Ok(FisherExact { odds_ratio: Some(odds_ratio), p_value })
}

#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
}

/// Σ f(k) from `start` to `end` (inclusive) moving away from the mode, where f decreases; stops
/// once a term is below 1e-17 of the running sum.
fn tail_sum(f: &dyn Fn(u64) -> f64, start: u64, end: u64, dir: Direction) -> f64 {
    let mut sum = 0.0;
    let mut k = start;
    loop {
        let term = f(k);
        sum += term;
        if term <= sum * 1e-17 || k == end {
            return sum;
        }
        k = match dir {
            Direction::Up => k + 1,
            Direction::Down => k - 1,
        };
    }
}

/// Smallest k in [lo, hi] with pred(k), for pred monotone false → true; None if pred(hi) fails.
fn first_true(lo: u64, hi: u64, pred: &dyn Fn(u64) -> bool) -> Option<u64> {
    if !pred(hi) {
        return None;
    }
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) { hi = mid } else { lo = mid + 1 }
    }
    Some(lo)
}

/// Largest k in [lo, hi] with pred(k), for pred monotone true → false; None if pred(lo) fails.
fn last_true(lo: u64, hi: u64, pred: &dyn Fn(u64) -> bool) -> Option<u64> {
    if !pred(lo) {
        return None;
    }
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if pred(mid) { lo = mid } else { hi = mid - 1 }
    }
    Some(lo)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::testutil::{assert_close, assert_rel};

    #[test]
    fn fisher_matches_scipy() {
        for &(a, b, c, d, odds, p) in FISHER_REF {
            let t = fisher_exact([[a, b], [c, d]]).unwrap();
            let what = format!("[[{a}, {b}], [{c}, {d}]]");
            assert_close(t.odds_ratio.unwrap(), odds, 1e-14, 1.0, &what);
            assert_rel(t.p_value, p, 1e-9, &what);
        }
    }

    #[test]
    fn fisher_edge_cases_follow_scipy() {
        // Empty row or column: scipy returns (nan, 1.0).
        assert_eq!(fisher_exact([[0, 0], [3, 4]]).unwrap(), FisherExact { odds_ratio: None, p_value: 1.0 });
        assert_eq!(fisher_exact([[0, 5], [0, 4]]).unwrap().odds_ratio, None);
        // A zero off-diagonal cell: infinite odds ratio.
        let t = fisher_exact([[3, 0], [2, 5]]).unwrap();
        assert_eq!(t.odds_ratio, Some(f64::INFINITY));
        assert_rel(t.p_value, FISHER_INF_P, 1e-12, "[[3, 0], [2, 5]]");
        assert!(fisher_exact([[u64::MAX, 1], [0, 0]]).is_err());
    }

    #[test]
    fn fisher_is_symmetric_under_transposition_and_row_swap() {
        for t in [[[1u64, 9], [11, 3]], [[120, 80], [110, 95]], [[0, 7], [4, 2]]] {
            let p = fisher_exact(t).unwrap().p_value;
            let tr = fisher_exact([[t[0][0], t[1][0]], [t[0][1], t[1][1]]]).unwrap().p_value;
            let sw = fisher_exact([t[1], t[0]]).unwrap().p_value;
            assert_rel(tr, p, 1e-12, "transposed");
            assert_rel(sw, p, 1e-12, "rows swapped");
        }
    }

    // reference-table begin: proportion_tests.fisher (tests/reference/proportion_tests.py)
    /// (a, b, c, d, odds ratio, p): `scipy.stats.fisher_exact([[a, b], [c, d]])`
    const FISHER_REF: &[(u64, u64, u64, u64, f64, f64)] = &[
        (1, 9, 11, 3, 0.030303030303030304, 0.0027594561852200836),
        (3, 1, 1, 3, 9.0, 0.48571428571428565),
        (0, 5, 5, 0, 0.0, 0.007936507936507938),
        (2, 7, 8, 2, 0.07142857142857142, 0.02301413756522116),
        (1, 2, 2, 1, 0.25, 1.0),
        (5, 5, 5, 5, 1.0, 1.0),
        (8, 2, 1, 5, 20.0, 0.034965034965034975),
        (0, 7, 4, 2, 0.0, 0.02097902097902098),
        (7, 12, 1, 0, 0.0, 0.4),
        (1200, 800, 1100, 950, 1.2954545454545454, 4.881271137752402e-05),
        (12000, 8000, 11000, 9500, 1.2954545454545454, 5.473867721171956e-38),
        (100000, 5, 99000, 20, 4.040404040404041, 0.002381892182860063),
        (20, 480, 40, 460, 0.4791666666666667, 0.010855246037293396),
        (501, 499, 499, 501, 1.0080320962566416, 0.9643308960964166),
    ];
    /// p of [[3, 0], [2, 5]] (odds ratio inf)
    const FISHER_INF_P: f64 = 0.16666666666666666;
    // reference-table end: proportion_tests.fisher
}
