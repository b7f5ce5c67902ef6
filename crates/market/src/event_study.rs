//! Event study with the market model (MacKinlay 1997) and the standardised cross-sectional test of
//! Boehmer, Musumeci & Poulsen (1991).
//!
//! **Conventions.**
//! - Trading days are the dates of the market index file. Returns are simple daily returns of
//!   adjusted closes, Rₜ = Pₜ / Pₜ₋₁ − 1, between consecutive trading days; a stock return exists
//!   on day t only when the stock has an adjusted close on both t and t − 1 (a missing price
//!   removes two returns, and the day is reported, never filled).
//! - Day 0 is the first trading day on or after the event date (a weekend or holiday event moves to
//!   the next trading day).
//! - Estimation window: trading days −250 … −30 inclusive relative to day 0 (configurable); the
//!   days with a stock return are used (`n_est`); an event with fewer than `min_estimation` (100)
//!   is skipped with the reason.
//! - Market model by OLS: Rᵢₜ = α + β Rₘₜ + ε, σ̂² = Σ ε̂² / (n − 2).
//! - AR_τ = Rᵢτ − (α̂ + β̂ Rₘτ); an event window [a, b] sums the ARs of days a … b inclusive that exist
//!   (L of them; days without a return are listed in `missing`).
//! - Per-event t = CAR / (σ̂ √L) (no estimation-error correction, as MacKinlay's J₁ per event).
//! - BMP: each CAR is standardised by its forecast-error standard deviation
//!   σ̂ √(L + L²/n + (Σ_τ (Rₘτ − R̄ₘ))² / Σ_est (Rₘₜ − R̄ₘ)²) (the variance of a sum of L
//!   out-of-sample prediction errors of the fitted line), SCAR = CAR / that;
//!   t_BMP = mean(SCAR) √N / sd(SCAR) with sd on N − 1, two-sided p-value from Student's t with
//!   N − 1 degrees of freedom. CAAR = mean CAR over the N events with the window.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::ols;
use crate::prices::PriceSeries;
use crate::MarketError;

/// An event window [a, b] in trading days relative to day 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub a: i32,
    pub b: i32,
}

impl Window {
    /// "[-1,+1]", "[0,+5]".
    pub fn label(&self) -> String {
        let f = |d: i32| if d > 0 { format!("+{d}") } else { d.to_string() };
        format!("[{},{}]", f(self.a), f(self.b))
    }

    /// Parses "-1,1", "[-1,+1]" or "0:5".
    pub fn parse(s: &str) -> Result<Window, MarketError> {
        let t = s.trim().trim_start_matches('[').trim_end_matches(']');
        let mut parts = t.split([',', ':']).map(|p| p.trim().trim_start_matches('+').parse::<i32>());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(Ok(a)), Some(Ok(b)), None) if a <= b => Ok(Window { a, b }),
            _ => Err(MarketError::BadArgument(format!("event window {s:?}: expected [a,b] with a <= b, e.g. [-1,+1]"))),
        }
    }
}

/// What the study uses; [`Config::default`] is the documented one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub estimation: Window,
    pub windows: Vec<Window>,
    pub min_estimation: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            estimation: Window { a: -250, b: -30 },
            windows: vec![Window { a: -1, b: 1 }, Window { a: 0, b: 5 }, Window { a: 0, b: 20 }],
            min_estimation: 100,
        }
    }
}

/// One event: a company and a date (e.g. a disclosure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub ticker: String,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The abnormal return of one day (None when the stock has no return that day).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayAr {
    pub day: i32,
    pub date: Option<NaiveDate>,
    pub ar: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowResult {
    pub window: String,
    pub car: Option<f64>,
    pub t: Option<f64>,
    /// The BMP standardised CAR.
    pub scar: Option<f64>,
    /// Days with an abnormal return (L).
    pub days: usize,
    /// Days of the window without one ("+3 2020-01-13: no price", "+9: after the market data").
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventResult {
    pub ticker: String,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub day0: NaiveDate,
    pub alpha: f64,
    pub beta: f64,
    pub sigma: f64,
    pub n_est: usize,
    /// Estimation-window days without a stock return (missing prices or before the data).
    pub est_missing: usize,
    pub windows: Vec<WindowResult>,
    pub ars: Vec<DayAr>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedEvent {
    pub ticker: String,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub reason: String,
}

/// Cross-sectional result of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caar {
    pub window: String,
    pub caar: Option<f64>,
    pub t_bmp: Option<f64>,
    pub p_value: Option<f64>,
    pub n: usize,
    /// The CARs averaged (for intervals on the mean CAR).
    #[serde(skip)]
    pub cars: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Study {
    pub events: Vec<EventResult>,
    pub skipped: Vec<SkippedEvent>,
    pub caar: Vec<Caar>,
    pub method: Method,
}

/// What was done, for the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    pub returns: &'static str,
    pub calendar: &'static str,
    pub day0: &'static str,
    pub estimation_window: String,
    pub min_estimation: usize,
    pub model: &'static str,
    pub t_event: &'static str,
    pub test: &'static str,
    pub references: &'static str,
}

struct Calendar {
    dates: Vec<NaiveDate>,
    rm: Vec<Option<f64>>,
}

impl Calendar {
    fn new(market: &PriceSeries) -> Calendar {
        let dates: Vec<NaiveDate> = market.closes.keys().copied().collect();
        let px: Vec<f64> = market.closes.values().copied().collect();
        let rm = (0..px.len()).map(|t| (t > 0).then(|| px[t] / px[t - 1] - 1.0)).collect();
        Calendar { dates, rm }
    }

    /// Stock return on calendar position t.
    fn stock_return(&self, closes: &BTreeMap<NaiveDate, f64>, t: usize) -> Option<f64> {
        if t == 0 || t >= self.dates.len() {
            return None;
        }
        let (p1, p0) = (closes.get(&self.dates[t])?, closes.get(&self.dates[t - 1])?);
        Some(p1 / p0 - 1.0)
    }
}

/// Reads an events CSV: columns `ticker`, `date` (YYYY-MM-DD), optional `id`; `#` comments.
pub fn read_events(path: &std::path::Path, text: &str) -> Result<Vec<Event>, MarketError> {
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| MarketError::invalid(path, "line 1", e.to_string()))?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let t = col("ticker").ok_or_else(|| MarketError::invalid(path, "line 1", "missing column ticker"))?;
    let d = col("date").ok_or_else(|| MarketError::invalid(path, "line 1", "missing column date"))?;
    let id = col("id");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MarketError::invalid(path, "", e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw = rec.get(d).unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| MarketError::invalid(path, format!("line {line}, column date"), format!("not a date: {raw:?}")))?;
        let ticker = rec.get(t).unwrap_or("").trim().to_uppercase();
        if ticker.is_empty() {
            return Err(MarketError::invalid(path, format!("line {line}, column ticker"), "empty"));
        }
        out.push(Event { ticker, date, id: id.and_then(|i| rec.get(i)).map(str::trim).filter(|s| !s.is_empty()).map(String::from) });
    }
    Ok(out)
}

/// Runs the study on `events` with `prices` by ticker and the `market` index.
pub fn run(events: &[Event], prices: &BTreeMap<String, PriceSeries>, market: &PriceSeries, cfg: &Config) -> Result<Study, MarketError> {
    if cfg.estimation.b >= cfg.windows.iter().map(|w| w.a).min().unwrap_or(0) {
        return Err(MarketError::BadArgument(format!(
            "the estimation window {} must end before the first event window starts",
            cfg.estimation.label()
        )));
    }
    let cal = Calendar::new(market);
    let mut study = Study { events: vec![], skipped: vec![], caar: vec![], method: method(cfg) };
    for ev in events {
        let skip = |reason: String| SkippedEvent { ticker: ev.ticker.clone(), date: ev.date, id: ev.id.clone(), reason };
        let Some(series) = prices.get(&ev.ticker.to_uppercase()) else {
            study.skipped.push(skip(format!("no price file for {}", ev.ticker)));
            continue;
        };
        match one_event(ev, series, &cal, cfg) {
            Ok(r) => study.events.push(r),
            Err(reason) => study.skipped.push(skip(reason)),
        }
    }
    for (wi, w) in cfg.windows.iter().enumerate() {
        study.caar.push(cross_section(w, wi, &study.events)?);
    }
    Ok(study)
}

fn one_event(ev: &Event, s: &PriceSeries, cal: &Calendar, cfg: &Config) -> Result<EventResult, String> {
    let t0 = cal.dates.partition_point(|d| *d < ev.date);
    if t0 >= cal.dates.len() {
        return Err(format!("no trading day on or after {} in the market data", ev.date));
    }
    let t0i = t0 as i64;
    let (mut x, mut y, mut est_missing) = (Vec::new(), Vec::new(), 0usize);
    for d in cfg.estimation.a..=cfg.estimation.b {
        let pos = t0i + i64::from(d);
        let r = usize::try_from(pos).ok().and_then(|p| Some((cal.rm.get(p).copied().flatten()?, cal.stock_return(&s.closes, p)?)));
        match r {
            Some((m, r)) => {
                x.push(m);
                y.push(r);
            }
            None => est_missing += 1,
        }
    }
    if x.len() < cfg.min_estimation {
        return Err(format!(
            "{} stock returns in the estimation window {} (day 0 {}), at least {} needed",
            x.len(),
            cfg.estimation.label(),
            cal.dates[t0],
            cfg.min_estimation
        ));
    }
    let model = ols::fit(&x, &y).map_err(|e| e.to_string())?;
    let lo = cfg.windows.iter().map(|w| w.a).min().unwrap_or(0);
    let hi = cfg.windows.iter().map(|w| w.b).max().unwrap_or(0);
    let mut ars = Vec::new();
    let mut rms: BTreeMap<i32, f64> = BTreeMap::new();
    for d in lo..=hi {
        let pos = usize::try_from(t0i + i64::from(d)).ok().filter(|&p| p < cal.dates.len());
        let date = pos.map(|p| cal.dates[p]);
        let ar = pos.and_then(|p| {
            let m = cal.rm.get(p).copied().flatten()?;
            let r = cal.stock_return(&s.closes, p)?;
            rms.insert(d, m);
            Some(r - model.predict(m))
        });
        ars.push(DayAr { day: d, date, ar });
    }
    let windows = cfg
        .windows
        .iter()
        .map(|w| {
            let days: Vec<&DayAr> = ars.iter().filter(|a| a.day >= w.a && a.day <= w.b).collect();
            let present: Vec<(i32, f64)> = days.iter().filter_map(|a| a.ar.map(|v| (a.day, v))).collect();
            let missing = days
                .iter()
                .filter(|a| a.ar.is_none())
                .map(|a| match a.date {
                    Some(d) => format!("{:+} {d}: no stock return", a.day),
                    None => format!("{:+}: after the market data", a.day),
                })
                .collect();
            let l = present.len();
            let (car, t, scar) = if l == 0 {
                (None, None, None)
            } else {
                let lf = l as f64;
                let car: f64 = present.iter().map(|p| p.1).sum();
                let dm: f64 = present.iter().map(|p| rms[&p.0] - model.x_mean).sum();
                let var_f = lf + lf * lf / model.n as f64 + dm * dm / model.sxx;
                (Some(car), Some(car / (model.sigma * lf.sqrt())), Some(car / (model.sigma * var_f.sqrt())))
            };
            WindowResult { window: w.label(), car, t, scar, days: l, missing }
        })
        .collect();
    Ok(EventResult {
        ticker: ev.ticker.clone(),
        date: ev.date,
        id: ev.id.clone(),
        day0: cal.dates[t0],
        alpha: model.alpha,
        beta: model.beta,
        sigma: model.sigma,
        n_est: model.n,
        est_missing,
        windows,
        ars,
    })
}

fn cross_section(w: &Window, wi: usize, events: &[EventResult]) -> Result<Caar, MarketError> {
    let pairs: Vec<(f64, f64)> = events.iter().filter_map(|e| Some((e.windows[wi].car?, e.windows[wi].scar?))).collect();
    let n = pairs.len();
    let cars: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let mut out = Caar { window: w.label(), caar: None, t_bmp: None, p_value: None, n, cars };
    if n == 0 {
        return Ok(out);
    }
    let nf = n as f64;
    out.caar = Some(out.cars.iter().sum::<f64>() / nf);
    if n >= 2 {
        let mean = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
        let sd = (pairs.iter().map(|p| (p.1 - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
        if sd > 0.0 {
            let t = mean * nf.sqrt() / sd;
            let dist = StudentsT::new(0.0, 1.0, nf - 1.0).map_err(|e| MarketError::BadArgument(e.to_string()))?;
            out.t_bmp = Some(t);
            out.p_value = Some(2.0 * dist.sf(t.abs()));
        }
    }
    Ok(out)
}

fn method(cfg: &Config) -> Method {
    Method {
        returns: "simple daily returns of adjusted closes between consecutive trading days; a missing price is reported, never filled",
        calendar: "trading days are the dates of the market index file",
        day0: "first trading day on or after the event date",
        estimation_window: format!("trading days {} … {} inclusive", cfg.estimation.a, cfg.estimation.b),
        min_estimation: cfg.min_estimation,
        model: "market model by OLS, sigma with n - 2 degrees of freedom",
        t_event: "CAR / (sigma * sqrt(L)), L = days with an abnormal return",
        test: "BMP: CAR standardised by its forecast-error s.d. sigma*sqrt(L + L^2/n + (sum(Rm - mean Rm_est))^2 / Sxx); \
               t = mean(SCAR) sqrt(N) / sd(SCAR); two-sided p from Student t with N - 1 df",
        references: "MacKinlay (1997), J. Econ. Lit. 35:13-39; Boehmer, Musumeci & Poulsen (1991), J. Financ. Econ. 30:253-272",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
#[path = "event_study_tests.rs"]
mod tests;
