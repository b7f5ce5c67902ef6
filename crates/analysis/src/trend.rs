//! `trend`: incidents per period, a log-linear count model, change points, reporting-lag warning.

use serde::Serialize;
use spyglass_model::Policy;
use spyglass_stats::{ChangePoints, CountModel, Penalty, TrendFit, nb2_trend, overdispersion_test, pelt, poisson_trend};
use spyglass_store::Store;

use crate::period::Period;
use crate::{AnalysisError, Filters};

#[derive(Debug, Clone)]
pub struct TrendQuery {
    pub by: Period,
    /// Only incidents with this state sponsor.
    pub sponsor: Option<String>,
    pub filters: Filters,
    pub policy: Policy,
    pub level: f64,
    /// Fit the last period even when the data stops before its end.
    pub keep_partial_last: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub period: String,
    pub count: u64,
    /// Left out of the model fit (a partial last period).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
}

/// The fitted model in the JSON contract's shape.
#[derive(Debug, Clone, Serialize)]
pub struct TrendModel {
    /// `poisson` or `negative_binomial`.
    pub family: &'static str,
    pub slope: f64,
    pub se: f64,
    pub irr: f64,
    pub irr_ci_low: f64,
    pub irr_ci_high: f64,
    pub p_value: f64,
    /// NB2 dispersion α (negative binomial only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangePoint {
    /// First period of the new regime.
    pub period: String,
    pub rate_before: f64,
    pub rate_after: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendMethod {
    pub by: Period,
    pub slice: String,
    pub filters: Filters,
    pub policy_text: String,
    pub model: String,
    pub overdispersion: Option<String>,
    pub poisson: Option<TrendModel>,
    pub change_points: String,
    pub level: f64,
    pub undated_incidents: u64,
    pub warnings: Vec<String>,
}

/// `{"rows": [{"period", "count"}], "model": {…}, "change_points": [{"period"}], "method"}`.
#[derive(Debug, Clone, Serialize)]
pub struct TrendResult {
    pub rows: Vec<TrendRow>,
    pub model: Option<TrendModel>,
    pub change_points: Vec<ChangePoint>,
    pub method: TrendMethod,
}

fn model_of(fit: &TrendFit, level: f64) -> Result<TrendModel, AnalysisError> {
    let ci = fit.irr_interval(level)?;
    Ok(TrendModel {
        family: match fit.model {
            CountModel::Poisson => "poisson",
            CountModel::NegativeBinomial { .. } => "negative_binomial",
        },
        slope: fit.slope,
        se: fit.se_slope,
        irr: ci.estimate,
        irr_ci_low: ci.low,
        irr_ci_high: ci.high,
        p_value: fit.p_value,
        alpha: match fit.model {
            CountModel::NegativeBinomial { alpha } => Some(alpha),
            CountModel::Poisson => None,
        },
    })
}

pub async fn trend(store: &Store, q: &TrendQuery) -> Result<TrendResult, AnalysisError> {
    trend_on(&crate::engine::Counter::open(store, &q.policy, &[]).await?, q).await
}

/// [`trend`] on a session already opened under `q.policy`.
pub async fn trend_in(ctx: &datafusion::prelude::SessionContext, q: &TrendQuery) -> Result<TrendResult, AnalysisError> {
    trend_on(&crate::engine::Counter::Views(Box::new(ctx.clone())), q).await
}

async fn trend_on(counter: &crate::engine::Counter, q: &TrendQuery) -> Result<TrendResult, AnalysisError> {
    let mut filters = q.filters.clone();
    if let Some(s) = &q.sponsor {
        filters.sponsors = vec![s.to_ascii_uppercase()];
    }
    let s = counter.series(&filters, q.by).await?;
    let labels = s.labels();
    let partial = s.last_is_partial();
    let mut warnings = Vec::new();
    let exclude_last = partial && !q.keep_partial_last && s.counts.len() > 1;
    if let Some(last) = labels.last() {
        if partial {
            warnings.push(format!(
                "the data stop at {} before the end of {last}: that period is partial{}",
                s.latest.map(|d| d.to_string()).unwrap_or_default(),
                if exclude_last { " and left out of the fit (--keep-partial to include it)" } else { "" }
            ));
        }
        warnings.push(format!(
            "reporting lag: incidents are often disclosed or coded months to years later, so {last} (and the periods just before) are likely undercounted"
        ));
    }
    let rows: Vec<TrendRow> = labels
        .iter()
        .zip(&s.counts)
        .enumerate()
        .map(|(i, (p, &c))| TrendRow { period: p.clone(), count: c, excluded: exclude_last && i + 1 == labels.len() })
        .collect();
    let fit_len = if exclude_last { s.counts.len() - 1 } else { s.counts.len() };
    let y: Vec<f64> = s.counts[..fit_len].iter().map(|&c| c as f64).collect();
    let t: Vec<f64> = (0..fit_len).map(|i| i as f64).collect();

    let mut model = None;
    let mut poisson_model = None;
    let mut overdispersion = None;
    let mut model_text = String::from("not fitted");
    match poisson_trend(&y, &t) {
        Ok(pfit) => {
            let pm = model_of(&pfit, q.level)?;
            let design: Vec<[f64; 2]> = t.iter().map(|&ti| [1.0, ti]).collect();
            let od = overdispersion_test(&y, &design).ok();
            let overdispersed = od.as_ref().is_some_and(|o| o.p_value < 0.05);
            if let Some(o) = &od {
                overdispersion = Some(format!(
                    "likelihood-ratio test Poisson vs NB2: statistic {:.3}, p = {:.4} (half the χ²₁ tail){}",
                    o.statistic,
                    o.p_value,
                    if overdispersed { ": overdispersed, negative binomial used" } else { ": Poisson kept" }
                ));
            }
            if overdispersed {
                match nb2_trend(&y, &t) {
                    Ok(nb) => {
                        model = Some(model_of(&nb, q.level)?);
                        poisson_model = Some(pm);
                        model_text = format!("negative binomial (NB2, α by maximum likelihood) log-linear trend over {} periods; slope per {}", fit_len, period_word(q.by));
                    }
                    Err(e) => {
                        warnings.push(format!("negative binomial fit failed ({e}); Poisson shown"));
                        model = Some(pm);
                        model_text = format!("Poisson log-linear trend over {fit_len} periods");
                    }
                }
            } else {
                model = Some(pm);
                model_text = format!("Poisson GLM log-linear trend (IRLS) over {} periods; slope per {}", fit_len, period_word(q.by));
            }
        }
        Err(e) => warnings.push(format!("no trend model: {e}")),
    }

    let mut change_points = Vec::new();
    let mut cp_text = String::from("not computed (fewer than 4 periods)");
    if fit_len >= 4 {
        let cp: ChangePoints = pelt(&y, Penalty::default(), spyglass_stats::changepoint::DEFAULT_MIN_SIZE)?;
        cp_text = format!(
            "PELT on a Poisson segment cost, penalty {:?} = {:.3}, minimum segment {} periods",
            cp.penalty_rule, cp.penalty, cp.min_size
        );
        for w in cp.segments.windows(2) {
            change_points.push(ChangePoint { period: labels[w[1].start].clone(), rate_before: w[0].rate, rate_after: w[1].rate });
        }
    }
    if s.counts.iter().sum::<u64>() < 30 {
        warnings.push("low n: fewer than 30 incidents in the series".into());
    }
    Ok(TrendResult {
        rows,
        model,
        change_points,
        method: TrendMethod {
            by: q.by,
            slice: filters.describe(),
            filters,
            policy_text: q.policy.describe(),
            model: model_text,
            overdispersion,
            poisson: poisson_model,
            change_points: cp_text,
            level: q.level,
            undated_incidents: s.undated,
            warnings,
        },
    })
}

fn period_word(p: Period) -> &'static str {
    match p {
        Period::Year => "year",
        Period::Quarter => "quarter",
    }
}
