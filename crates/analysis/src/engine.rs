//! Counting on a store session: the slice size and per-key incident counts.

use datafusion::prelude::SessionContext;
use spyglass_store::StoreError;

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
