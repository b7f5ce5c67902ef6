//! Share of incidents by sponsor: per-incident, multi-label counting with a Wilson interval.

use std::str::FromStr;

use serde::Serialize;
use spyglass_model::Policy;
use spyglass_stats::wilson;
use spyglass_store::Store;

use crate::sqlutil::{key_counts, scalar_u64};
use crate::{AnalysisError, Filters, LOW_N, WITHHOLD_N};

/// What to break the share down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBy {
    Sponsor,
}

impl FromStr for ShareBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sponsor" => Ok(ShareBy::Sponsor),
            other => Err(format!("cannot break down by {other:?} (expected: sponsor)")),
        }
    }
}

/// Key used for incidents in the slice without any state sponsor.
pub const NO_SPONSOR: &str = "none";

#[derive(Debug, Clone)]
pub struct ShareQuery {
    pub by: ShareBy,
    pub filters: Filters,
    pub policy: Policy,
    /// Confidence level of the interval, e.g. 0.95.
    pub level: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    pub key: String,
    pub count: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// How the share was computed; printed with every result.
#[derive(Debug, Clone, Serialize)]
pub struct ShareMethod {
    pub by: ShareBy,
    pub interval: &'static str,
    pub level: f64,
    pub counting: &'static str,
    pub policy: Policy,
    pub policy_text: String,
    pub filters: Filters,
    pub slice: String,
    /// n < 30: every row is uncertain (verisr's "low n").
    pub low_n: bool,
    pub warnings: Vec<String>,
}

/// The JSON contract: `{"n", "rows": [{"key", "count", "share", "ci_low", "ci_high"}], "method", "suppressed"}`.
#[derive(Debug, Clone, Serialize)]
pub struct ShareResult {
    pub n: u64,
    pub rows: Vec<ShareRow>,
    pub method: ShareMethod,
    /// True when n < 5 and the rows are withheld.
    pub suppressed: bool,
}

/// Computes the share. n is the number of incidents in the slice; an incident counts once for each
/// distinct key it has, so shares can sum to more than 1.
pub async fn share(store: &Store, q: &ShareQuery) -> Result<ShareResult, AnalysisError> {
    if !(q.level > 0.0 && q.level < 1.0) {
        return Err(AnalysisError::BadArgument(format!("--level must be between 0 and 1, got {}", q.level)));
    }
    let ctx = store.session(&q.policy).await?;
    let slice = q.filters.slice_sql();
    let run = |sql: String| {
        let ctx = ctx.clone();
        async move {
            let df = ctx.sql(&sql).await.map_err(spyglass_store::StoreError::Query)?;
            df.collect().await.map_err(|e| AnalysisError::Store(spyglass_store::StoreError::Query(e)))
        }
    };
    let n = scalar_u64(&run(format!("SELECT count(*) FROM ({slice}) s")).await?)?;
    let mut counts = match q.by {
        ShareBy::Sponsor => key_counts(
            &run(format!(
                "SELECT sp.sponsor, count(DISTINCT sp.incident_id) FROM incident_sponsors sp \
                 JOIN ({slice}) s ON sp.incident_id = s.incident_id GROUP BY sp.sponsor"
            ))
            .await?,
        )?,
    };
    if !q.filters.state_sponsored {
        let with_sponsor = scalar_u64(
            &run(format!(
                "SELECT count(DISTINCT sp.incident_id) FROM incident_sponsors sp \
                 JOIN ({slice}) s ON sp.incident_id = s.incident_id"
            ))
            .await?,
        )?;
        if n > with_sponsor {
            counts.push((Some(NO_SPONSOR.to_string()), n - with_sponsor));
        }
    }

    let mut rows = Vec::with_capacity(counts.len());
    for (key, count) in counts {
        let key = key.unwrap_or_else(|| NO_SPONSOR.to_string());
        let ci = wilson(count, n, q.level)?;
        rows.push(ShareRow { key, count, share: ci.estimate, ci_low: ci.low, ci_high: ci.high });
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));

    let mut warnings = Vec::new();
    let low_n = n < LOW_N;
    let suppressed = n < WITHHOLD_N;
    if suppressed {
        warnings.push(format!("n = {n} < {WITHHOLD_N}: rows withheld"));
        rows.clear();
    } else if low_n {
        warnings.push(format!("low n: n = {n} < {LOW_N}, every share is uncertain"));
    }
    Ok(ShareResult {
        n,
        rows,
        method: ShareMethod {
            by: q.by,
            interval: "wilson",
            level: q.level,
            counting: "per incident, multi-label: an incident counts once for each distinct key; n = incidents in the slice",
            policy_text: q.policy.describe(),
            policy: q.policy.clone(),
            slice: q.filters.describe(),
            filters: q.filters.clone(),
            low_n,
            warnings,
        },
        suppressed,
    })
}
