//! `priorities`: the share of one sponsor's incidents aimed at AI assets (or a vertical) per period,
//! with a trend test — "a reorganisation of priorities" made measurable.

use serde::Serialize;
use spyglass_model::{Policy, Vertical};
use spyglass_stats::{IntervalMethod, cochran_armitage};
use spyglass_store::Store;

use crate::filter::AssetFilter;
use crate::period::Period;
use crate::{AnalysisError, Filters, LOW_N};

/// What "aimed at" means.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Assets(AssetFilter),
    Verticals(Vec<Vertical>),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Assets(AssetFilter::Any) => "any AI asset".into(),
            Target::Assets(AssetFilter::OneOf(l)) => l.iter().map(|a| a.as_str()).collect::<Vec<_>>().join("/"),
            Target::Verticals(v) => format!("vertical {}", v.iter().map(|a| a.as_str()).collect::<Vec<_>>().join("/")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PrioritiesQuery {
    pub sponsor: String,
    pub by: Period,
    pub target: Target,
    pub filters: Filters,
    pub policy: Policy,
    pub level: f64,
    pub interval: IntervalMethod,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub period: String,
    /// The sponsor's incidents in the period.
    pub n: u64,
    /// Of which aimed at the target.
    pub count: u64,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityTrend {
    pub test: &'static str,
    pub z: f64,
    pub p_value: f64,
    /// `rising`, `falling` or `no significant change` at the 5 % level.
    pub direction: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrioritiesResult {
    pub sponsor: String,
    pub target: String,
    pub rows: Vec<PriorityRow>,
    pub trend: Option<PriorityTrend>,
    pub method: serde_json::Value,
}

pub async fn priorities(store: &Store, q: &PrioritiesQuery) -> Result<PrioritiesResult, AnalysisError> {
    priorities_on(&crate::engine::Counter::open(store, &q.policy, &[]).await?, q).await
}

/// [`priorities`] on a session already opened under `q.policy`.
pub async fn priorities_in(ctx: &datafusion::prelude::SessionContext, q: &PrioritiesQuery) -> Result<PrioritiesResult, AnalysisError> {
    priorities_on(&crate::engine::Counter::Views(Box::new(ctx.clone())), q).await
}

async fn priorities_on(counter: &crate::engine::Counter, q: &PrioritiesQuery) -> Result<PrioritiesResult, AnalysisError> {
    let sponsor = q.sponsor.to_ascii_uppercase();
    let base = Filters { sponsors: vec![sponsor.clone()], ..q.filters.clone() };
    let mut aimed = base.clone();
    match &q.target {
        Target::Assets(a) => aimed.assets = Some(a.clone()),
        Target::Verticals(v) => aimed.verticals = v.clone(),
    }
    let all = counter.series(&base, q.by).await?;
    let hit = counter.series(&aimed, q.by).await?;
    let labels = all.labels();
    let mut rows = Vec::with_capacity(all.counts.len());
    let mut xs = Vec::new();
    for (i, (&n, label)) in all.counts.iter().zip(&labels).enumerate() {
        let idx = all.first + i as i64;
        let count = usize::try_from(idx - hit.first).ok().and_then(|j| hit.counts.get(j)).copied().unwrap_or(0);
        xs.push(count);
        let (share, lo, hi) = if n > 0 {
            let ci = q.interval.compute(count, n, q.level)?;
            (Some(ci.estimate), Some(ci.low), Some(ci.high))
        } else {
            (None, None, None)
        };
        rows.push(PriorityRow { period: label.clone(), n, count, share, ci_low: lo, ci_high: hi });
    }
    let mut warnings = Vec::new();
    let total: u64 = all.counts.iter().sum();
    if total < LOW_N {
        warnings.push(format!("low n: {sponsor} has {total} incidents in this slice"));
    }
    let hits: u64 = xs.iter().sum();
    if hits < 5 {
        warnings.push(format!("only {hits} of {sponsor}'s incidents are aimed at {}: a trend cannot be judged", q.target.describe()));
    }
    let scores: Vec<f64> = (0..all.counts.len()).map(|i| i as f64).collect();
    let trend = match cochran_armitage(&xs, &all.counts, &scores) {
        Ok(t) => Some(PriorityTrend {
            test: "Cochran–Armitage test for trend in proportions (scores = period index), two-sided",
            z: t.z,
            p_value: t.p_value,
            direction: if t.p_value >= 0.05 {
                "no significant change"
            } else if t.z > 0.0 {
                "rising"
            } else {
                "falling"
            },
        }),
        Err(e) => {
            warnings.push(format!("no trend test: {e}"));
            None
        }
    };
    Ok(PrioritiesResult {
        sponsor: sponsor.clone(),
        target: q.target.describe(),
        rows,
        trend,
        method: serde_json::json!({
            "by": q.by,
            "slice": base.describe(),
            "policy_text": q.policy.describe(),
            "interval": q.interval,
            "level": q.level,
            "share": format!("incidents of {sponsor} aimed at {} / incidents of {sponsor}, per period", q.target.describe()),
            "warnings": warnings,
        }),
    })
}
