//! Exposure: how much a company has been targeted, from the incidents against it and against its
//! sub-industry peers. Every score decomposes into incidents.
//!
//! **Incident weight** w = recency × state × AI, with
//! - recency = 0.5^(age / half-life), age = as-of date − incident start date in years of 365.25
//!   days, half-life **2 years** by default (an incident two years old counts half);
//! - state = 2 when a state sponsor is attributed under the policy (`incident_sponsors`), else 1;
//! - AI = 2 when the incident targeted an AI asset (`incident_assets`), else 1.
//!
//! Incidents after the as-of date are left out; undated incidents are left out and counted.
//!
//! **Score** = direct + peer:
//! - direct = Σ w over the incidents against the company (an incident counts once per company,
//!   whatever the number of its victims matched to it);
//! - peer = 0.5 × Σ w over the incidents against the other companies of its peer group (GICS
//!   sub-industry, else SIC code) ÷ the number of those companies: half the average peer's direct
//!   exposure. A company alone in its group has no peer component.
//!
//! Each listed incident carries its `contribution` to the score; the components are the sums of
//! their incidents' contributions and the score the sum of the components. A portfolio's exposure is
//! Σ weightₖ × scoreₖ, each holding's contribution being weightₖ × scoreₖ (weights are used as given;
//! their sum is reported).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::company::Registry;
use crate::MarketError;

/// One incident against one company (a matched victim).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentInput {
    pub incident_id: String,
    /// [`crate::Company::id`] of the matched company.
    pub company_id: String,
    pub date: Option<NaiveDate>,
    pub state_sponsored: bool,
    pub ai_asset: bool,
    /// How the victim was matched (kept for the output).
    pub basis: String,
}

/// The weighting; [`Weights::default`] is the documented one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    pub half_life_years: f64,
    pub state_multiplier: f64,
    pub ai_multiplier: f64,
    pub peer_weight: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { half_life_years: 2.0, state_multiplier: 2.0, ai_multiplier: 2.0, peer_weight: 0.5 }
    }
}

/// An incident behind a component, with its factors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentWeight {
    pub incident_id: String,
    /// The company it was against.
    pub ticker: String,
    pub date: NaiveDate,
    pub age_years: f64,
    pub recency: f64,
    pub state_sponsored: bool,
    pub ai_asset: bool,
    /// recency × state × AI.
    pub weight: f64,
    /// What it adds to the score (weight for direct; peer weight × weight ÷ peers for peer).
    pub contribution: f64,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// `direct` or `peer`.
    pub name: &'static str,
    pub value: f64,
    pub incidents: Vec<IncidentWeight>,
}

/// A company's exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    pub ticker: String,
    pub company: String,
    pub peer_group: Option<String>,
    /// Other companies in the peer group.
    pub peers: usize,
    pub score: f64,
    pub components: Vec<Component>,
    pub as_of: NaiveDate,
    /// Incidents against the company or its peers without a date (left out).
    pub undated: usize,
}

/// One holding of a portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    pub ticker: String,
    pub weight: f64,
    pub contribution: f64,
    pub exposure: Exposure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Portfolio {
    pub total: f64,
    pub weight_sum: f64,
    pub holdings: Vec<Holding>,
}

fn factors(inc: &IncidentInput, as_of: NaiveDate, w: &Weights) -> Option<(NaiveDate, f64, f64, f64)> {
    let date = inc.date?;
    let age = (as_of - date).num_days() as f64 / 365.25;
    let recency = 0.5f64.powf(age / w.half_life_years);
    let weight = recency
        * if inc.state_sponsored { w.state_multiplier } else { 1.0 }
        * if inc.ai_asset { w.ai_multiplier } else { 1.0 };
    Some((date, age, recency, weight))
}

/// The exposure of the company with `ticker` as of `as_of`.
pub fn score(reg: &Registry, incidents: &[IncidentInput], ticker: &str, as_of: NaiveDate, w: &Weights) -> Result<Exposure, MarketError> {
    if w.half_life_years.is_nan() || w.half_life_years <= 0.0 {
        return Err(MarketError::BadArgument(format!("half-life must be > 0 years, got {}", w.half_life_years)));
    }
    let company = reg.by_ticker(ticker).ok_or_else(|| MarketError::BadArgument(format!("unknown ticker {ticker} (load companies first)")))?;
    let group = company.peer_group();
    let peers: BTreeSet<&str> = reg
        .companies
        .iter()
        .filter(|c| c.id != company.id && group.is_some() && c.peer_group() == group)
        .map(|c| c.id.as_str())
        .collect();
    let mut undated = 0;
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let (mut direct, mut peer) = (Vec::new(), Vec::new());
    for inc in incidents {
        let is_direct = inc.company_id == company.id;
        if !is_direct && !peers.contains(inc.company_id.as_str()) {
            continue;
        }
        if !seen.insert((inc.incident_id.as_str(), inc.company_id.as_str())) {
            continue;
        }
        let Some((date, age, recency, weight)) = factors(inc, as_of, w) else {
            undated += 1;
            continue;
        };
        if date > as_of {
            continue;
        }
        let t = reg.by_id(&inc.company_id).map_or_else(|| inc.company_id.clone(), |c| c.ticker().to_string());
        let contribution = if is_direct { weight } else { w.peer_weight * weight / peers.len() as f64 };
        let iw = IncidentWeight {
            incident_id: inc.incident_id.clone(),
            ticker: t,
            date,
            age_years: age,
            recency,
            state_sponsored: inc.state_sponsored,
            ai_asset: inc.ai_asset,
            weight,
            contribution,
            basis: inc.basis.clone(),
        };
        if is_direct { direct.push(iw) } else { peer.push(iw) }
    }
    let sort = |v: &mut Vec<IncidentWeight>| v.sort_by(|a, b| b.contribution.total_cmp(&a.contribution).then_with(|| a.incident_id.cmp(&b.incident_id)));
    sort(&mut direct);
    sort(&mut peer);
    // `+ 0.0` turns the empty sum's -0.0 into 0.
    let value = |v: &[IncidentWeight]| v.iter().map(|i| i.contribution).sum::<f64>() + 0.0;
    let components = vec![
        Component { name: "direct", value: value(&direct), incidents: direct },
        Component { name: "peer", value: value(&peer), incidents: peer },
    ];
    Ok(Exposure {
        ticker: company.ticker().to_string(),
        company: company.name.clone(),
        peer_group: group,
        peers: peers.len(),
        score: components.iter().map(|c| c.value).sum(),
        components,
        as_of,
        undated,
    })
}

/// Reads a portfolio CSV: header with `ticker` and `weight` columns; `#` comments.
pub fn read_portfolio(path: &std::path::Path, text: &str) -> Result<Vec<(String, f64)>, MarketError> {
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| MarketError::invalid(path, "line 1", e.to_string()))?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let (t, w) = match (col("ticker"), col("weight")) {
        (Some(t), Some(w)) => (t, w),
        _ => return Err(MarketError::invalid(path, "line 1", "expected columns ticker and weight")),
    };
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MarketError::invalid(path, "", e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw = rec.get(w).unwrap_or("").trim();
        let weight: f64 = raw
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| MarketError::invalid(path, format!("line {line}, column weight"), format!("not a number: {raw:?}")))?;
        out.push((rec.get(t).unwrap_or("").trim().to_uppercase(), weight));
    }
    Ok(out)
}

/// The weighted exposure of a portfolio of (ticker, weight); a ticker twice is an error.
pub fn portfolio(
    reg: &Registry,
    incidents: &[IncidentInput],
    holdings: &[(String, f64)],
    as_of: NaiveDate,
    w: &Weights,
) -> Result<Portfolio, MarketError> {
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for (ticker, weight) in holdings {
        if !weight.is_finite() {
            return Err(MarketError::BadArgument(format!("{ticker}: weight {weight} is not a number")));
        }
        let e = score(reg, incidents, ticker, as_of, w)?;
        if seen.insert(e.ticker.clone(), ()).is_some() {
            return Err(MarketError::BadArgument(format!("{ticker} appears twice in the portfolio")));
        }
        out.push(Holding { ticker: e.ticker.clone(), weight: *weight, contribution: weight * e.score, exposure: e });
    }
    Ok(Portfolio {
        total: out.iter().map(|h| h.contribution).sum(),
        weight_sum: holdings.iter().map(|h| h.1).sum(),
        holdings: out,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
#[path = "exposure_tests.rs"]
mod tests;
