//! What a slice rests on: each source with the dates it covers and what it contributes, and the
//! slice's incidents themselves (for reports that list, say, every incident aimed at an AI asset).
//!
//! Reports print these next to every finding: a share over 2000–2023 says little about 2023 when
//! the only source stops in August 2023.

use std::collections::BTreeMap;

use arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use serde::Serialize;
use spyglass_model::Policy;
use spyglass_store::Store;

use crate::engine::run;
use crate::sqlutil::lit;
use crate::{AnalysisError, Filters};

/// One source: what it reports, what of it the slice counts, the dates it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCoverage {
    pub source_id: String,
    pub name: Option<String>,
    /// `dataset`, `vendor_report`, `government`, `media`, `analyst`, `feed`.
    pub kind: Option<String>,
    /// Admiralty reliability `A`–`F`.
    pub reliability: Option<String>,
    /// Incidents the source reports (its latest committed batch, visible under the policy).
    pub incidents: u64,
    /// Of which counted in the slice (after same-as collapse, under their canonical record).
    pub in_slice: u64,
    /// Earliest and latest incident start date the source gives (`YYYY-MM-DD`).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Incidents of the source without a start date.
    pub undated: u64,
    /// When the source's latest batch was ingested, and from which file.
    pub ingested_at: Option<String>,
    pub file: Option<String>,
}

/// `{"n", "sources": [...], "method"}`; `n` is the slice size, as in `share`.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageResult {
    pub n: u64,
    pub sources: Vec<SourceCoverage>,
    pub slice: String,
    pub policy_text: String,
}

/// One incident of a slice with its labels under the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRow {
    pub incident_id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<String>,
    pub source: Option<String>,
    pub sponsors: Vec<String>,
    pub actors: Vec<String>,
    pub verticals: Vec<String>,
    pub assets: Vec<String>,
}

/// The incidents of a slice, newest first, at most `limit` of `total`.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentList {
    pub total: u64,
    pub rows: Vec<IncidentRow>,
    pub slice: String,
}

pub(crate) fn strings(col: &ArrayRef) -> Result<Vec<Option<String>>, AnalysisError> {
    let c = arrow::compute::cast(col, &DataType::Utf8).map_err(|e| AnalysisError::Internal(format!("cast to text: {e}")))?;
    let c = c.as_any().downcast_ref::<StringArray>().ok_or_else(|| AnalysisError::Internal("not a string column".into()))?;
    Ok((0..c.len()).map(|i| if c.is_null(i) { None } else { Some(c.value(i).to_string()) }).collect())
}

pub(crate) fn counts(col: &ArrayRef) -> Result<Vec<u64>, AnalysisError> {
    let c = arrow::compute::cast(col, &DataType::Int64).map_err(|e| AnalysisError::Internal(format!("cast to integer: {e}")))?;
    let c = c.as_any().downcast_ref::<Int64Array>().ok_or_else(|| AnalysisError::Internal("not an integer column".into()))?;
    Ok((0..c.len()).map(|i| if c.is_null(i) { 0 } else { u64::try_from(c.value(i)).unwrap_or(0) }).collect())
}

pub(crate) fn column(b: &RecordBatch, i: usize) -> Result<&ArrayRef, AnalysisError> {
    if i < b.num_columns() {
        Ok(b.column(i))
    } else {
        Err(AnalysisError::Internal(format!("expected at least {} columns", i + 1)))
    }
}

/// Every source with the dates it covers and how many of its incidents the slice counts.
pub async fn coverage(store: &Store, policy: &Policy, filters: &Filters) -> Result<CoverageResult, AnalysisError> {
    coverage_in(&store.session(policy).await?, policy, filters).await
}

/// [`coverage`] on a session already opened under `policy`.
pub async fn coverage_in(ctx: &SessionContext, policy: &Policy, filters: &Filters) -> Result<CoverageResult, AnalysisError> {
    let slice = filters.slice_sql();
    let n = crate::engine::slice_size(ctx, filters).await?;
    let mut by_id: BTreeMap<String, SourceCoverage> = BTreeMap::new();
    let meta = run(
        ctx,
        "SELECT s.source_id AS source_id, s.name AS name, s.kind AS kind, s.reliability AS reliability, \
         CAST(b.ingested_at AS VARCHAR) AS ingested_at, b.path AS path \
         FROM sources s LEFT JOIN batches b ON s.batch_id = b.batch_id",
    )
    .await?;
    for b in &meta {
        let mut cols = (0..6).map(|i| strings(column(b, i)?)).collect::<Result<Vec<_>, _>>()?.into_iter();
        let mut next = || cols.next().unwrap_or_default();
        let (ids, names, kinds, rels, ingested, files) = (next(), next(), next(), next(), next(), next());
        let rows = ids.into_iter().zip(names).zip(kinds).zip(rels).zip(ingested).zip(files);
        for (((((id, name), kind), reliability), ingested_at), file) in rows {
            let Some(id) = id else { continue };
            by_id.insert(
                id.clone(),
                SourceCoverage {
                    source_id: id,
                    name,
                    kind,
                    reliability,
                    incidents: 0,
                    in_slice: 0,
                    first_date: None,
                    last_date: None,
                    undated: 0,
                    ingested_at,
                    file,
                },
            );
        }
    }
    let per_source = run(
        ctx,
        "SELECT i.source_id AS source_id, count(DISTINCT i.incident_id) AS incidents, CAST(min(i.start_date) AS VARCHAR) AS first, \
         CAST(max(i.start_date) AS VARCHAR) AS last, count(DISTINCT CASE WHEN i.start_date IS NULL THEN i.incident_id END) AS undated \
         FROM incidents i GROUP BY i.source_id",
    )
    .await?;
    for b in &per_source {
        let ids = strings(column(b, 0)?)?;
        let total = counts(column(b, 1)?)?;
        let first = strings(column(b, 2)?)?;
        let last = strings(column(b, 3)?)?;
        let undated = counts(column(b, 4)?)?;
        for r in 0..b.num_rows() {
            let Some(id) = ids[r].clone() else { continue };
            let e = by_id.entry(id.clone()).or_insert_with(|| SourceCoverage {
                source_id: id,
                name: None,
                kind: None,
                reliability: None,
                incidents: 0,
                in_slice: 0,
                first_date: None,
                last_date: None,
                undated: 0,
                ingested_at: None,
                file: None,
            });
            e.incidents = total[r];
            e.first_date = first[r].clone();
            e.last_date = last[r].clone();
            e.undated = undated[r];
        }
    }
    let in_slice = run(
        ctx,
        &format!(
            "SELECT i.source_id, count(DISTINCT i.incident_id) FROM scoped_incidents i JOIN ({slice}) s \
             ON i.incident_id = s.incident_id GROUP BY i.source_id"
        ),
    )
    .await?;
    for b in &in_slice {
        let ids = strings(column(b, 0)?)?;
        let c = counts(column(b, 1)?)?;
        for r in 0..b.num_rows() {
            if let Some(e) = ids[r].as_ref().and_then(|id| by_id.get_mut(id)) {
                e.in_slice = c[r];
            }
        }
    }
    let mut sources: Vec<SourceCoverage> = by_id.into_values().filter(|s| s.incidents > 0).collect();
    sources.sort_by(|a, b| b.in_slice.cmp(&a.in_slice).then(b.incidents.cmp(&a.incidents)).then_with(|| a.source_id.cmp(&b.source_id)));
    Ok(CoverageResult { n, sources, slice: filters.describe(), policy_text: policy.describe() })
}

/// `(incident_id, label)` pairs of a view for the listed incidents.
async fn labels(
    ctx: &SessionContext,
    sql: &str,
    ids: &str,
) -> Result<BTreeMap<String, Vec<String>>, AnalysisError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for b in &run(ctx, &format!("SELECT DISTINCT incident_id, label FROM ({sql}) x WHERE incident_id IN ({ids})")).await? {
        let id = strings(column(b, 0)?)?;
        let label = strings(column(b, 1)?)?;
        for (i, l) in id.into_iter().zip(label) {
            if let (Some(i), Some(l)) = (i, l) {
                out.entry(i).or_default().push(l);
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    Ok(out)
}

/// The incidents of the slice (newest start date first, undated last), at most `limit`, with their
/// sponsors, actors, verticals and AI assets under the policy.
pub async fn incidents(store: &Store, policy: &Policy, filters: &Filters, limit: usize) -> Result<IncidentList, AnalysisError> {
    incidents_in(&store.session(policy).await?, filters, limit).await
}

/// [`incidents`] on a session already opened under the policy.
pub async fn incidents_in(ctx: &SessionContext, filters: &Filters, limit: usize) -> Result<IncidentList, AnalysisError> {
    let total = crate::engine::slice_size(ctx, filters).await?;
    let slice = filters.slice_sql();
    let batches = run(
        ctx,
        &format!(
            "SELECT i.incident_id AS id, i.title AS title, i.description AS description, \
             CAST(i.start_date AS VARCHAR) AS start, coalesce(src.name, i.source_id) AS source_name \
             FROM scoped_incidents i JOIN ({slice}) s ON i.incident_id = s.incident_id \
             LEFT JOIN sources src ON i.source_id = src.source_id \
             ORDER BY i.start_date DESC NULLS LAST, i.incident_id LIMIT {limit}"
        ),
    )
    .await?;
    let mut rows = Vec::new();
    for b in &batches {
        let mut cols = (0..5).map(|i| strings(column(b, i)?)).collect::<Result<Vec<_>, _>>()?.into_iter();
        let mut next = || cols.next().unwrap_or_default();
        let (ids, titles, descriptions, starts, sources) = (next(), next(), next(), next(), next());
        for ((((id, title), description), start_date), source) in ids.into_iter().zip(titles).zip(descriptions).zip(starts).zip(sources) {
            let Some(id) = id else { continue };
            rows.push(IncidentRow {
                incident_id: id,
                title,
                description,
                start_date,
                source,
                sponsors: Vec::new(),
                actors: Vec::new(),
                verticals: Vec::new(),
                assets: Vec::new(),
            });
        }
    }
    if !rows.is_empty() {
        let ids = rows.iter().map(|r| lit(&r.incident_id)).collect::<Vec<_>>().join(", ");
        let mut sponsors = labels(ctx, "SELECT incident_id, sponsor AS label FROM incident_sponsors", &ids).await?;
        let mut actors = labels(ctx, "SELECT incident_id, actor AS label FROM incident_actors", &ids).await?;
        let mut verticals = labels(ctx, "SELECT incident_id, vertical AS label FROM incident_verticals", &ids).await?;
        let mut assets = labels(ctx, "SELECT incident_id, asset AS label FROM incident_assets", &ids).await?;
        for r in &mut rows {
            r.sponsors = sponsors.remove(&r.incident_id).unwrap_or_default();
            r.actors = actors.remove(&r.incident_id).unwrap_or_default();
            r.verticals = verticals.remove(&r.incident_id).unwrap_or_default();
            r.assets = assets.remove(&r.incident_id).unwrap_or_default();
        }
    }
    Ok(IncidentList { total, rows, slice: filters.describe() })
}
