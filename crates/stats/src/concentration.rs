//! Concentration of a single-label breakdown: the Herfindahl–Hirschman index.

use serde::Serialize;

use crate::StatsError;

/// Herfindahl–Hirschman index of a breakdown into categories.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hhi {
    /// Σ shareᵢ², in [1/k, 1].
    pub index: f64,
    /// The index × 10,000 (the antitrust scale, 0–10,000).
    pub points: f64,
    /// Categories with a positive share (k).
    pub categories: usize,
}

impl Hhi {
    fn from_index(index: f64, categories: usize) -> Hhi {
        Hhi { index, points: index * 10_000.0, categories }
    }
}

/// HHI = Σ (cᵢ / Σc)² over single-label counts (each incident in exactly one category, so the
/// shares sum to 1; a multi-label breakdown would overstate concentration). Zero counts are
/// allowed and contribute nothing; all-zero or empty counts are [`StatsError::NoObservations`].
pub fn hhi(counts: &[u64]) -> Result<Hhi, StatsError> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return Err(StatsError::NoObservations("herfindahl-hirschman index"));
    }
    let t = total as f64;
    let index = counts.iter().map(|&c| (c as f64 / t).powi(2)).sum();
    Ok(Hhi::from_index(index, counts.iter().filter(|&&c| c > 0).count()))
}

/// HHI from shares that must be non-negative and sum to 1 (within 1e-9).
pub fn hhi_from_shares(shares: &[f64]) -> Result<Hhi, StatsError> {
    const WHAT: &str = "herfindahl-hirschman index";
    if shares.is_empty() {
        return Err(StatsError::NoObservations(WHAT));
    }
    for (index, &value) in shares.iter().enumerate() {
        if !(value.is_finite() && value >= 0.0) {
            return Err(StatsError::BadValue { what: WHAT, index, value });
        }
    }
    let sum: f64 = shares.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(StatsError::Domain(format!(
            "{WHAT}: shares sum to {sum}, expected 1 (single-label shares only)"
        )));
    }
    let index = shares.iter().map(|s| s * s).sum();
    Ok(Hhi::from_index(index, shares.iter().filter(|&&s| s > 0.0).count()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::testutil::assert_rel;

    #[test]
    fn hhi_matches_numpy() {
        for &(counts, index) in HHI_REF {
            let h = hhi(counts).unwrap();
            assert_rel(h.index, index, 1e-14, &format!("{counts:?}"));
            assert_rel(h.points, index * 10_000.0, 1e-14, &format!("{counts:?} points"));
            let total: u64 = counts.iter().sum();
            let shares: Vec<f64> = counts.iter().map(|&c| c as f64 / total as f64).collect();
            assert_rel(hhi_from_shares(&shares).unwrap().index, index, 1e-14, "from shares");
        }
    }

    #[test]
    fn extremes_and_bad_input() {
        assert_eq!(hhi(&[7]).unwrap(), Hhi { index: 1.0, points: 10_000.0, categories: 1 });
        assert_eq!(hhi(&[0, 9, 0]).unwrap().categories, 1);
        assert_eq!(hhi(&[5, 5, 5, 5]).unwrap().index, 0.25);
        assert!(matches!(hhi(&[]), Err(StatsError::NoObservations(_))));
        assert!(matches!(hhi(&[0, 0]), Err(StatsError::NoObservations(_))));
        assert!(hhi_from_shares(&[0.6, 0.6]).is_err());
        assert!(hhi_from_shares(&[1.2, -0.2]).is_err());
        assert!(hhi_from_shares(&[]).is_err());
    }

    // reference-table begin: concentration.hhi (tests/reference/concentration.py)
    /// (counts, numpy sum((c / c.sum())**2))
    const HHI_REF: &[(&[u64], f64)] = &[
        (&[185, 120, 86, 69, 1], 0.2860093826021899),
        (&[1, 1], 0.5),
        (&[3, 0, 1], 0.625),
        (&[1000000, 1], 0.9999980000039999),
        (&[12, 29, 40, 7, 7, 3, 2], 0.26960000000000006),
        (&[599], 1.0),
        (&[70, 231], 0.6430502974580854),
    ];
    // reference-table end: concentration.hhi
}
