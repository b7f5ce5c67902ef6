//! `compare`: shares in two periods, key by key, with a two-proportion test.

use std::collections::BTreeMap;

use serde::Serialize;
use spyglass_model::Policy;
use spyglass_stats::{fisher_exact, two_proportion_ztest};
use spyglass_store::Store;

use crate::engine::Counter;
use crate::{AnalysisError, Dimension, Filters, LOW_N};

#[derive(Debug, Clone)]
pub struct CompareQuery {
    pub by: Dimension,
    /// Inclusive year ranges of the two periods.
    pub a: (i32, i32),
    pub b: (i32, i32),
    pub filters: Filters,
    pub policy: Policy,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    pub key: String,
    pub count_a: u64,
    pub share_a: f64,
    pub count_b: u64,
    pub share_b: f64,
    /// share_b − share_a.
    pub diff: f64,
    pub p_value: f64,
    /// `z` (two-proportion z test, pooled), `fisher` (when an expected cell is below 5) or `none`.
    pub test: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareMethod {
    pub by: Dimension,
    pub period_a: String,
    pub period_b: String,
    pub n_a: u64,
    pub n_b: u64,
    pub slice: String,
    pub policy_text: String,
    pub test: &'static str,
    pub counting: &'static str,
    pub warnings: Vec<String>,
}

/// `{"rows": [{"key", "share_a", "share_b", "diff", "p_value", "test"}], "method"}`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareResult {
    pub rows: Vec<CompareRow>,
    pub method: CompareMethod,
}

/// The test for one key: z test, or Fisher's exact test when any expected cell is below 5.
pub fn test_pair(x1: u64, n1: u64, x2: u64, n2: u64) -> Result<(f64, &'static str), AnalysisError> {
    let total = (n1 + n2) as f64;
    let succ = (x1 + x2) as f64;
    let fail = total - succ;
    let min_expected = [n1 as f64 * succ / total, n1 as f64 * fail / total, n2 as f64 * succ / total, n2 as f64 * fail / total]
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    if min_expected < 5.0 {
        let f = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])?;
        return Ok((f.p_value, "fisher"));
    }
    match two_proportion_ztest(x1, n1, x2, n2) {
        Ok(z) => Ok((z.p_value, "z")),
        Err(spyglass_stats::StatsError::ZeroVariance(_)) => Ok((1.0, "none")),
        Err(e) => Err(e.into()),
    }
}

pub async fn compare(store: &Store, q: &CompareQuery) -> Result<CompareResult, AnalysisError> {
    for (a, b) in [q.a, q.b] {
        if a > b {
            return Err(AnalysisError::BadArgument(format!("period {a}:{b} ends before it starts")));
        }
    }
    let counter = Counter::open(store, &q.policy, &[q.by]).await?;
    let fa = Filters { since: Some(q.a.0), until: Some(q.a.1), ..q.filters.clone() };
    let fb = Filters { since: Some(q.b.0), until: Some(q.b.1), ..q.filters.clone() };
    let ca = counter.count_by(&fa, q.by).await?;
    let cb = counter.count_by(&fb, q.by).await?;
    let mut keys: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (k, c) in &ca.keys {
        keys.entry(k.clone()).or_default().0 = *c;
    }
    for (k, c) in &cb.keys {
        keys.entry(k.clone()).or_default().1 = *c;
    }
    let mut warnings = Vec::new();
    for (name, n) in [("first", ca.n), ("second", cb.n)] {
        if n < LOW_N {
            warnings.push(format!("low n: the {name} period has n = {n} < {LOW_N}"));
        }
    }
    let mut rows = Vec::new();
    if ca.n > 0 && cb.n > 0 {
        for (key, (xa, xb)) in keys {
            let (p_value, test) = test_pair(xa, ca.n, xb, cb.n)?;
            let (sa, sb) = (xa as f64 / ca.n as f64, xb as f64 / cb.n as f64);
            rows.push(CompareRow { key, count_a: xa, share_a: sa, count_b: xb, share_b: sb, diff: sb - sa, p_value, test });
        }
    } else {
        warnings.push("a period has no incidents: nothing to compare".into());
    }
    rows.sort_by(|a, b| (b.count_a + b.count_b).cmp(&(a.count_a + a.count_b)).then_with(|| a.key.cmp(&b.key)));
    Ok(CompareResult {
        rows,
        method: CompareMethod {
            by: q.by,
            period_a: format!("{}–{}", q.a.0, q.a.1),
            period_b: format!("{}–{}", q.b.0, q.b.1),
            n_a: ca.n,
            n_b: cb.n,
            slice: q.filters.describe(),
            policy_text: q.policy.describe(),
            test: "two-sided two-proportion z test with pooled variance (statsmodels proportions_ztest); Fisher's exact test (scipy fisher_exact) when an expected cell is below 5",
            counting: crate::share::COUNTING,
            warnings,
        },
    })
}
