//! Share of incidents by a dimension: per-incident, multi-label counting with an interval.

use serde::Serialize;
use spyglass_model::{Policy, SecondarySponsors, Sponsorship};
use spyglass_stats::IntervalMethod;
use spyglass_store::Store;

use crate::engine::{Counter, Counts, count_by};
use crate::{AnalysisError, Dimension, Filters, LOW_N, WITHHOLD_N};

#[derive(Debug, Clone)]
pub struct ShareQuery {
    pub by: Dimension,
    pub filters: Filters,
    pub policy: Policy,
    /// Confidence level of the interval, e.g. 0.95.
    pub level: f64,
    pub interval: IntervalMethod,
}

impl ShareQuery {
    /// A share by `by` with the default policy, Wilson 95 %.
    pub fn new(by: Dimension, filters: Filters) -> Self {
        ShareQuery { by, filters, policy: Policy::default(), level: 0.95, interval: IntervalMethod::Wilson }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    pub key: String,
    pub count: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The interval used: method name, level, and (bootstrap) resamples and seed.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalSpec {
    #[serde(flatten)]
    pub method: IntervalMethod,
    pub level: f64,
}

/// How the share was computed; printed with every result.
#[derive(Debug, Clone, Serialize)]
pub struct ShareMethod {
    pub by: Dimension,
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
    /// What answered: `cube` (the findings cube, see `spyglass_analysis::cube`) or `views` (the
    /// policy views queried directly). Both give the same counts.
    pub engine: &'static str,
}

/// The JSON contract: `{"n", "rows": [{"key", "count", "share", "ci_low", "ci_high"}], "method",
/// "suppressed", "interval"}`.
#[derive(Debug, Clone, Serialize)]
pub struct ShareResult {
    pub n: u64,
    pub rows: Vec<ShareRow>,
    pub method: ShareMethod,
    /// True when n < 5 and the rows are withheld.
    pub suppressed: bool,
    pub interval: IntervalSpec,
}

pub(crate) const COUNTING: &str =
    "per incident, multi-label: an incident counts once for each distinct key; n = incidents in the slice";

/// Rows with intervals from counts; adds the no-key row when some incidents have no key.
pub(crate) fn rows_from(counts: &Counts, dim: Dimension, method: IntervalMethod, level: f64) -> Result<Vec<ShareRow>, AnalysisError> {
    let mut keys = counts.keys.clone();
    if counts.n > counts.with_key {
        keys.push((dim.none_key().to_string(), counts.n - counts.with_key));
    }
    let mut rows = Vec::with_capacity(keys.len());
    for (key, count) in keys {
        let ci = method.compute(count, counts.n, level)?;
        rows.push(ShareRow { key, count, share: ci.estimate, ci_low: ci.low, ci_high: ci.high });
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    Ok(rows)
}

fn check_level(level: f64) -> Result<(), AnalysisError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(AnalysisError::BadArgument(format!("--level must be between 0 and 1, got {level}")));
    }
    Ok(())
}

/// Computes the share. n is the number of incidents in the slice; an incident counts once for each
/// distinct key it has, so shares can sum to more than 1.
pub async fn share(store: &Store, q: &ShareQuery) -> Result<ShareResult, AnalysisError> {
    check_level(q.level)?;
    let counter = Counter::open(store, &q.policy, &[q.by]).await?;
    let counts = counter.count_by(&q.filters, q.by).await?;
    let mut result = share_of_counts(q, &counts)?;
    result.method.engine = counter.engine();
    Ok(result)
}

/// [`share`] on a session already opened under `q.policy`, so that a report asking many questions
/// of one slice opens the store once.
pub async fn share_in(ctx: &datafusion::prelude::SessionContext, q: &ShareQuery) -> Result<ShareResult, AnalysisError> {
    check_level(q.level)?;
    let counts = count_by(ctx, &q.filters, q.by).await?;
    share_of_counts(q, &counts)
}

/// The share of `q` from the slice's counts (also one row of a cross-tabulation).
pub(crate) fn share_of_counts(q: &ShareQuery, counts: &Counts) -> Result<ShareResult, AnalysisError> {
    let mut rows = if counts.n == 0 { Vec::new() } else { rows_from(counts, q.by, q.interval, q.level)? };
    let n = counts.n;
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
            interval: q.interval.name(),
            level: q.level,
            counting: COUNTING,
            policy_text: q.policy.describe(),
            policy: q.policy.clone(),
            slice: q.filters.describe(),
            filters: q.filters.clone(),
            low_n,
            warnings,
            engine: "views",
        },
        suppressed,
        interval: IntervalSpec { method: q.interval, level: q.level },
    })
}

/// The same share under one policy variant.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub name: &'static str,
    pub description: String,
    pub n: u64,
    pub suppressed: bool,
    pub rows: Vec<ShareRow>,
}

/// The policy variants of `--sensitivity`, each differing from `base` in one respect.
pub fn policy_variants(base: &Policy) -> Vec<(&'static str, Policy)> {
    let mut v = vec![("baseline", base.clone())];
    v.push(("state only", Policy { state_sponsorships: vec![Sponsorship::State], ..base.clone() }));
    v.push((
        "state + affiliated",
        Policy { state_sponsorships: vec![Sponsorship::State, Sponsorship::StateAffiliated], ..base.clone() },
    ));
    for c in [50u8, 80] {
        v.push((if c == 50 { "confidence >= 50" } else { "confidence >= 80" }, Policy { min_confidence: Some(c), ..base.clone() }));
    }
    v.push((
        "structured only",
        Policy {
            text_labels: false,
            company_verticals: false,
            text_sponsors: SecondarySponsors::Off,
            kb_sponsors: SecondarySponsors::Off,
            ..base.clone()
        },
    ));
    v.push(("with text sponsors", Policy { text_sponsors: SecondarySponsors::Fill, ..base.clone() }));
    v.push(("with KB actor sponsors", Policy { kb_sponsors: SecondarySponsors::Fill, ..base.clone() }));
    v.push(("exercises included", Policy { include_exercises: true, ..base.clone() }));
    v.push(("duplicates not collapsed", Policy { collapse_duplicates: false, ..base.clone() }));
    v.push(("confirmed duplicates only", Policy { collapse_duplicates: true, duplicate_min_score: None, ..base.clone() }));
    // Identical variants (e.g. "state + affiliated" under the default policy) are kept once.
    let mut out: Vec<(&'static str, Policy)> = Vec::new();
    for (name, p) in v {
        if !out.iter().any(|(_, q)| *q == p) {
            out.push((name, p));
        }
    }
    out
}

/// `share --sensitivity`: the same share under each policy variant.
pub async fn sensitivity(store: &Store, q: &ShareQuery) -> Result<Vec<Variant>, AnalysisError> {
    check_level(q.level)?;
    let mut out = Vec::new();
    for (name, policy) in policy_variants(&q.policy) {
        let counts = Counter::open(store, &policy, &[q.by]).await?.count_by(&q.filters, q.by).await?;
        let suppressed = counts.n < WITHHOLD_N;
        let rows = if suppressed || counts.n == 0 { Vec::new() } else { rows_from(&counts, q.by, q.interval, q.level)? };
        out.push(Variant { name, description: policy.describe(), n: counts.n, suppressed, rows });
    }
    Ok(out)
}
