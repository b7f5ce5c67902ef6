//! Counting on a store session: the slice size and per-key incident counts.

use std::sync::Arc;

use datafusion::prelude::SessionContext;
use spyglass_model::Policy;
use spyglass_store::{Store, StoreError};

use crate::sqlutil::{key_counts, scalar_u64};
use crate::{AnalysisError, Dimension, Filters};

/// Runs a query and collects its rows.
pub async fn run(ctx: &SessionContext, sql: &str) -> Result<Vec<arrow::array::RecordBatch>, AnalysisError> {
    let df = ctx.sql(sql).await.map_err(StoreError::Query)?;
    Ok(df.collect().await.map_err(StoreError::Query)?)
}

/// Incident counts of a slice broken down by a dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Incidents in the slice.
    pub n: u64,
    /// Incidents per key (an incident counts once per distinct key).
    pub keys: Vec<(String, u64)>,
    /// Incidents in the slice with at least one key.
    pub with_key: u64,
}

/// Incidents in the slice.
pub async fn slice_size(ctx: &SessionContext, filters: &Filters) -> Result<u64, AnalysisError> {
    scalar_u64(&run(ctx, &format!("SELECT count(*) FROM ({}) s", filters.slice_sql())).await?)
}

/// Counts incidents of the slice per key of `dim`.
pub async fn count_by(ctx: &SessionContext, filters: &Filters, dim: Dimension) -> Result<Counts, AnalysisError> {
    let slice = filters.slice_sql();
    let keys = dim.keys_sql();
    let n = slice_size(ctx, filters).await?;
    let rows = key_counts(
        &run(
            ctx,
            &format!(
                "SELECT k.key, count(DISTINCT k.incident_id) FROM ({keys}) k JOIN ({slice}) s \
                 ON k.incident_id = s.incident_id GROUP BY k.key"
            ),
        )
        .await?,
    )?;
    let with_key = scalar_u64(
        &run(ctx, &format!("SELECT count(DISTINCT k.incident_id) FROM ({keys}) k JOIN ({slice}) s ON k.incident_id = s.incident_id"))
            .await?,
    )?;
    let mut keys: Vec<(String, u64)> = rows.into_iter().filter_map(|(k, c)| Some((k?, c))).collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Counts { n, keys, with_key })
}

/// Incidents of the slice that have both keys `a` and `b` of `dim`.
pub async fn count_both(
    ctx: &SessionContext,
    filters: &Filters,
    dim: Dimension,
    a: &str,
    b: &str,
) -> Result<u64, AnalysisError> {
    let slice = filters.slice_sql();
    let keys = dim.keys_sql();
    let (a, b) = (crate::sqlutil::lit(a), crate::sqlutil::lit(b));
    scalar_u64(
        &run(
            ctx,
            &format!(
                "SELECT count(*) FROM (SELECT k.incident_id FROM ({keys}) k JOIN ({slice}) s ON k.incident_id = s.incident_id \
                 WHERE k.key IN ({a}, {b}) GROUP BY k.incident_id HAVING count(DISTINCT k.key) = 2) x"
            ),
        )
        .await?,
    )
}

/// Where a finding's counts come from: the findings cube when it covers the question (see
/// [`crate::cube`]), else a session of the policy views — embedded, or on a Ballista cluster when
/// the store's engine is remote (every count then runs on the cluster; the cube, an in-process
/// structure, is not used).
pub enum Counter {
    Cube(Arc<crate::cube::Cube>),
    Views(Box<SessionContext>),
    Remote(Box<SessionContext>),
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Counter::Cube(c) => f.debug_tuple("Cube").field(&c.len()).finish(),
            Counter::Views(_) => f.write_str("Views"),
            Counter::Remote(_) => f.write_str("Remote"),
        }
    }
}

impl Counter {
    /// The counter for questions over `dims` under `policy`.
    pub async fn open(store: &Store, policy: &Policy, dims: &[Dimension]) -> Result<Counter, AnalysisError> {
        if store.engine().is_remote() {
            return Ok(Counter::Remote(Box::new(store.session(policy).await?)));
        }
        if crate::cube::enabled()
            && dims.iter().all(|d| crate::cube::covers(*d))
            && let Some(c) = crate::cube::cube_for(store, policy).await?
        {
            return Ok(Counter::Cube(c));
        }
        Ok(Counter::Views(Box::new(store.session(policy).await?)))
    }

    /// Which engine answers: `"cube"`, `"views"` or `"ballista"`.
    pub fn engine(&self) -> &'static str {
        match self {
            Counter::Cube(_) => "cube",
            Counter::Views(_) => "views",
            Counter::Remote(_) => "ballista",
        }
    }

    pub async fn count_by(&self, filters: &Filters, dim: Dimension) -> Result<Counts, AnalysisError> {
        match self {
            Counter::Cube(c) if crate::cube::covers(dim) => c.count_by(filters, dim),
            Counter::Cube(_) => Err(AnalysisError::Internal(format!("the cube cannot count by {}", dim.as_str()))),
            Counter::Views(ctx) | Counter::Remote(ctx) => count_by(ctx, filters, dim).await,
        }
    }

    /// Incidents of the slice per period of their start date.
    pub async fn series(&self, filters: &Filters, period: crate::period::Period) -> Result<crate::period::Series, AnalysisError> {
        match self {
            Counter::Cube(c) => Ok(c.series(filters, period)),
            Counter::Views(ctx) | Counter::Remote(ctx) => crate::period::series(ctx, filters, period).await,
        }
    }

    pub async fn count_both(&self, filters: &Filters, dim: Dimension, a: &str, b: &str) -> Result<u64, AnalysisError> {
        match self {
            Counter::Cube(c) => Ok(c.count_both(filters, dim, a, b)),
            Counter::Views(ctx) | Counter::Remote(ctx) => count_both(ctx, filters, dim, a, b).await,
        }
    }
}
