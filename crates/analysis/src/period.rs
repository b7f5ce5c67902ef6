//! Time periods (years, quarters) and per-period counts of a slice.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::engine::run;
use crate::sqlutil::key_counts;
use crate::{AnalysisError, Filters};

/// The unit of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Year,
    Quarter,
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "year" => Ok(Period::Year),
            "quarter" => Ok(Period::Quarter),
            other => Err(format!("unknown period {other:?} (expected year or quarter)")),
        }
    }
}

impl Period {
    /// Period index (year·4 + quarter − 1 for quarters) of a date.
    pub fn index_of(self, d: NaiveDate) -> i64 {
        match self {
            Period::Year => i64::from(d.year()),
            Period::Quarter => i64::from(d.year()) * 4 + i64::from((d.month() - 1) / 3),
        }
    }

    pub fn label(self, idx: i64) -> String {
        match self {
            Period::Year => idx.to_string(),
            Period::Quarter => format!("{}Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
        }
    }

    /// First day after the period.
    pub fn end_of(self, idx: i64) -> Option<NaiveDate> {
        match self {
            Period::Year => NaiveDate::from_ymd_opt(i32::try_from(idx + 1).ok()?, 1, 1),
            Period::Quarter => {
                let next = idx + 1;
                NaiveDate::from_ymd_opt(i32::try_from(next.div_euclid(4)).ok()?, u32::try_from(next.rem_euclid(4) * 3 + 1).ok()?, 1)
            }
        }
    }

    fn sql_index(self) -> &'static str {
        match self {
            Period::Year => "CAST(date_part('year', i.start_date) AS BIGINT)",
            Period::Quarter => {
                "CAST(date_part('year', i.start_date) AS BIGINT) * 4 + CAST(date_part('quarter', i.start_date) AS BIGINT) - 1"
            }
        }
    }
}

/// A dense series: every period from the first to the last with data, zeros filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub period: Period,
    pub first: i64,
    pub counts: Vec<u64>,
    /// Latest start date in the slice (to judge whether the last period is complete).
    pub latest: Option<NaiveDate>,
    /// Incidents of the slice without a start date (not in the series).
    pub undated: u64,
}

impl Series {
    pub fn labels(&self) -> Vec<String> {
        (0..self.counts.len()).map(|i| self.period.label(self.first + i as i64)).collect()
    }

    /// Whether the data stops before the end of the last period (a partial period).
    pub fn last_is_partial(&self) -> bool {
        let last = self.first + self.counts.len() as i64 - 1;
        match (self.latest, self.period.end_of(last)) {
            (Some(latest), Some(end)) => (end - latest).num_days() > 31,
            _ => false,
        }
    }
}

/// Counts incidents of the slice per period of their start date.
pub async fn series(ctx: &SessionContext, filters: &Filters, period: Period) -> Result<Series, AnalysisError> {
    let slice = filters.slice_sql();
    let idx = period.sql_index();
    let rows = key_counts(
        &run(
            ctx,
            &format!(
                "SELECT CAST({idx} AS VARCHAR), count(DISTINCT i.incident_id) FROM scoped_incidents i \
                 JOIN ({slice}) s ON i.incident_id = s.incident_id WHERE i.start_date IS NOT NULL GROUP BY 1"
            ),
        )
        .await?,
    )?;
    let undated = crate::sqlutil::scalar_u64(
        &run(
            ctx,
            &format!(
                "SELECT count(DISTINCT i.incident_id) FROM scoped_incidents i JOIN ({slice}) s \
                 ON i.incident_id = s.incident_id WHERE i.start_date IS NULL"
            ),
        )
        .await?,
    )?;
    let latest_rows = run(
        ctx,
        &format!(
            "SELECT CAST(max(i.start_date) AS VARCHAR) FROM scoped_incidents i JOIN ({slice}) s ON i.incident_id = s.incident_id"
        ),
    )
    .await?;
    let latest = crate::sqlutil::scalar_string(&latest_rows)?.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    let mut points: Vec<(i64, u64)> = Vec::new();
    for (k, c) in rows {
        let Some(k) = k else { continue };
        let idx: i64 = k.parse().map_err(|_| AnalysisError::Internal(format!("bad period index {k:?}")))?;
        points.push((idx, c));
    }
    points.sort();
    let (Some(first), Some(last)) = (points.first().map(|p| p.0), points.last().map(|p| p.0)) else {
        return Ok(Series { period, first: 0, counts: Vec::new(), latest, undated });
    };
    let mut counts = vec![0u64; usize::try_from(last - first + 1).unwrap_or(0)];
    for (i, c) in points {
        if let Ok(pos) = usize::try_from(i - first) {
            counts[pos] = c;
        }
    }
    Ok(Series { period, first, counts, latest, undated })
}
