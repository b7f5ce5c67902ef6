//! What the export reads from the store, through the policy views of one session (so the
//! policy's TLP clearance applies to every row): the incidents of the slice and their structured
//! claims, each mapped to its same-as group's canonical incident.
//!
//! Text claims (`method = 'text'`) are not read: the ingest reader derives them again from the
//! title and description the export carries, so exporting them as structured claims would change
//! what they count for.

use std::collections::{BTreeMap, BTreeSet};

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use spyglass_model::{AiAsset, Sponsorship, Tlp, Vertical};

use super::StixError;

/// One exported incident: a same-as group under its canonical id, with every visible source row.
#[derive(Debug, Default)]
pub struct Incident {
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub types: BTreeSet<String>,
    pub exercise: bool,
    /// The most restrictive marking of any of its rows.
    pub tlp: Option<Tlp>,
    /// `(source_id, incident_id)` of every row, canonical and members.
    pub rows: BTreeSet<(String, String)>,
    /// Earliest and latest `ingested_at` (µs) of its claims.
    pub first_ingested: i64,
    pub last_ingested: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribution {
    pub incident: String,
    pub actor_raw: Option<String>,
    pub sponsor: Option<String>,
    pub sponsorship: Option<Sponsorship>,
    pub attributed_by: Option<String>,
    pub basis: Option<String>,
    pub attributed_on: Option<String>,
    pub confidence: Option<u8>,
    pub ingested: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Victim {
    pub incident: String,
    pub name: Option<String>,
    pub country: Option<String>,
    pub category: Option<String>,
    pub vertical: Option<Vertical>,
    pub ingested: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Technique {
    pub incident: String,
    pub id: String,
    pub name: Option<String>,
    pub ingested: i64,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub kind: String,
    pub reliability: Option<String>,
}

/// An actor name resolved through the knowledge base (`actor_resolutions`).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub actor_id: String,
    pub actor_name: String,
    pub sponsor: Option<String>,
    pub sponsorship: Option<String>,
    pub confidence: Option<String>,
}

/// Everything the export is built from.
#[derive(Debug, Default)]
pub struct ExportData {
    pub incidents: BTreeMap<String, Incident>,
    pub attributions: Vec<Attribution>,
    pub victims: Vec<Victim>,
    pub assets: BTreeMap<String, BTreeSet<AiAsset>>,
    pub techniques: Vec<Technique>,
    pub sources: BTreeMap<String, Source>,
    pub resolutions: BTreeMap<String, Resolved>,
    /// When the knowledge base last changed (µs; 0 without one): intrusion sets that carry its
    /// aliases are versioned by it too.
    pub kb_changed: i64,
}

type Row = Vec<Option<String>>;

/// Runs `sql` and returns every cell as text (timestamps as microseconds since the epoch).
pub async fn rows(ctx: &SessionContext, sql: &str) -> Result<Vec<Row>, StixError> {
    let q = |e: datafusion::error::DataFusionError| StixError::Query(format!("{e} (in: {sql})"));
    let batches = ctx.sql(sql).await.map_err(q)?.collect().await.map_err(q)?;
    let mut out = Vec::new();
    for b in &batches {
        let mut cols: Vec<ArrayRef> = Vec::with_capacity(b.num_columns());
        for c in b.columns() {
            let c = match c.data_type() {
                DataType::Timestamp(..) => cast(c, &DataType::Int64).map_err(|e| StixError::Query(e.to_string()))?,
                _ => c.clone(),
            };
            cols.push(cast(&c, &DataType::Utf8).map_err(|e| StixError::Query(e.to_string()))?);
        }
        let strs: Vec<&StringArray> = cols
            .iter()
            .map(|c| c.as_any().downcast_ref::<StringArray>())
            .collect::<Option<_>>()
            .ok_or_else(|| StixError::Query("a column did not cast to text".into()))?;
        for r in 0..b.num_rows() {
            out.push(strs.iter().map(|s| (!s.is_null(r)).then(|| s.value(r).to_string())).collect());
        }
    }
    Ok(out)
}

fn cell(r: &[Option<String>], i: usize) -> Option<String> {
    r.get(i).cloned().flatten()
}

fn micros(r: &[Option<String>], i: usize) -> i64 {
    cell(r, i).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Keeps the rows whose (canonical) incident is in the slice: `inner` must select `iid` first.
fn in_slice(inner: &str, slice: &str, order: &str) -> String {
    format!("SELECT * FROM ({inner}) x WHERE x.iid IN ({slice}) ORDER BY {order}")
}

const CANON: &str = "LEFT JOIN incident_canon c ON t.incident_id = c.incident_id";

/// Reads the slice (`slice` selects canonical incident ids, as `Filters::slice_sql`).
pub async fn load(ctx: &SessionContext, slice: &str) -> Result<ExportData, StixError> {
    let mut d = ExportData::default();

    let sql = format!(
        "SELECT coalesce(c.canon_id, t.incident_id) AS iid, t.incident_id, t.title, t.description, \
         CAST(t.start_date AS VARCHAR) AS sd, CAST(t.end_date AS VARCHAR) AS ed, array_to_string(t.types, '|') AS ty, \
         array_has(coalesce(t.types_raw, make_array()), 'exercise') AS ex, t.tlp, t.source_id, t.ingested_at \
         FROM incidents t {CANON}"
    );
    for r in rows(ctx, &in_slice(&sql, slice, "x.iid, x.incident_id, x.source_id")).await? {
        let Some(iid) = cell(&r, 0) else { continue };
        let own = cell(&r, 1).as_deref() == Some(iid.as_str());
        let at = micros(&r, 10);
        let inc = d.incidents.entry(iid.clone()).or_insert_with(|| Incident { first_ingested: at, ..Incident::default() });
        // Title, text and dates come from the canonical incident's own rows (first source wins).
        if own {
            inc.title = inc.title.take().or_else(|| cell(&r, 2));
            inc.description = inc.description.take().or_else(|| cell(&r, 3));
            inc.start_date = match (inc.start_date.take(), cell(&r, 4)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            inc.end_date = match (inc.end_date.take(), cell(&r, 5)) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            inc.types.extend(cell(&r, 6).unwrap_or_default().split('|').filter(|s| !s.is_empty()).map(str::to_string));
            inc.exercise |= cell(&r, 7).as_deref() == Some("true");
        }
        let tlp = cell(&r, 8).and_then(|t| t.parse::<Tlp>().ok());
        inc.tlp = inc.tlp.max(tlp);
        inc.rows.insert((cell(&r, 9).unwrap_or_default(), cell(&r, 1).unwrap_or_default()));
        inc.first_ingested = inc.first_ingested.min(at);
        inc.last_ingested = inc.last_ingested.max(at);
    }

    let sql = format!(
        "SELECT coalesce(c.canon_id, t.incident_id) AS iid, t.actor_raw, t.sponsor, t.sponsorship, t.attributed_by, \
         t.basis, CAST(t.attributed_on AS VARCHAR) AS ao, t.confidence, t.ingested_at FROM attributions t {CANON} \
         WHERE (t.method IS NULL OR t.method <> 'text') \
         AND (t.actor_raw IS NOT NULL OR t.sponsor IS NOT NULL OR t.sponsorship IS NOT NULL)"
    );
    for r in rows(ctx, &in_slice(&sql, slice, "x.iid, x.actor_raw, x.sponsor, x.sponsorship, x.attributed_by, x.ao, x.confidence, x.basis")).await? {
        let Some(incident) = cell(&r, 0) else { continue };
        d.attributions.push(Attribution {
            incident,
            actor_raw: cell(&r, 1).filter(|s| !s.trim().is_empty()),
            sponsor: cell(&r, 2),
            sponsorship: cell(&r, 3).and_then(|s| s.parse().ok()),
            attributed_by: cell(&r, 4).filter(|s| !s.trim().is_empty()),
            basis: cell(&r, 5),
            attributed_on: cell(&r, 6),
            confidence: cell(&r, 7).and_then(|s| s.parse::<i64>().ok()).and_then(|c| u8::try_from(c.clamp(0, 100)).ok()),
            ingested: micros(&r, 8),
        });
    }

    let sql = format!(
        "SELECT coalesce(c.canon_id, t.incident_id) AS iid, t.name, t.country, t.category, t.vertical, t.ingested_at \
         FROM victims t {CANON} WHERE (t.method IS NULL OR t.method <> 'text')"
    );
    for r in rows(ctx, &in_slice(&sql, slice, "x.iid, x.name, x.country, x.category, x.vertical")).await? {
        let Some(incident) = cell(&r, 0) else { continue };
        let v = Victim {
            incident,
            name: cell(&r, 1).filter(|s| !s.trim().is_empty()),
            country: cell(&r, 2),
            category: cell(&r, 3).filter(|s| !s.trim().is_empty()),
            vertical: cell(&r, 4).and_then(|s| s.parse().ok()),
            ingested: micros(&r, 5),
        };
        if v.name.is_some() || v.country.is_some() || v.category.is_some() || v.vertical.is_some() {
            d.victims.push(v);
        }
    }

    let sql = format!(
        "SELECT coalesce(c.canon_id, t.incident_id) AS iid, t.category FROM assets t {CANON} WHERE t.method <> 'text'"
    );
    for r in rows(ctx, &in_slice(&sql, slice, "x.iid, x.category")).await? {
        if let (Some(i), Some(a)) = (cell(&r, 0), cell(&r, 1).and_then(|s| s.parse::<AiAsset>().ok())) {
            d.assets.entry(i).or_default().insert(a);
        }
    }

    // Technique claims, where this store has them (read through live_claims, like every view).
    let has = rows(ctx, "SELECT table_name FROM information_schema.tables WHERE table_name = 'technique_claims'").await?;
    if !has.is_empty() {
        let sql = format!(
            "SELECT coalesce(c.canon_id, t.incident_id) AS iid, t.technique_id, t.name, t.ingested_at \
             FROM technique_claims t JOIN live_claims l ON t.incident_id = l.incident_id \
             AND t.source_id = l.source_id AND t.batch_id = l.batch_id {CANON} WHERE t.method <> 'text'"
        );
        for r in rows(ctx, &in_slice(&sql, slice, "x.iid, x.technique_id, x.name")).await? {
            if let (Some(incident), Some(id)) = (cell(&r, 0), cell(&r, 1)) {
                d.techniques.push(Technique { incident, id, name: cell(&r, 2), ingested: micros(&r, 3) });
            }
        }
    }

    for r in rows(ctx, "SELECT source_id, name, kind, reliability FROM sources ORDER BY source_id").await? {
        if let Some(id) = cell(&r, 0) {
            let name = cell(&r, 1).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| id.clone());
            d.sources.insert(id, Source { name, kind: cell(&r, 2).unwrap_or_default(), reliability: cell(&r, 3) });
        }
    }
    for r in rows(
        ctx,
        "SELECT raw, actor_id, actor_name, sponsor, sponsorship, confidence FROM actor_resolutions \
         WHERE actor_id IS NOT NULL ORDER BY raw",
    )
    .await?
    {
        if let (Some(raw), Some(actor_id)) = (cell(&r, 0), cell(&r, 1)) {
            let actor_name = cell(&r, 2).unwrap_or_else(|| actor_id.clone());
            d.resolutions.insert(
                raw,
                Resolved { actor_id, actor_name, sponsor: cell(&r, 3), sponsorship: cell(&r, 4), confidence: cell(&r, 5) },
            );
        }
    }
    let kb = "SELECT max(b.ingested_at) AS at FROM batches b WHERE b.batch_id IN (SELECT batch_id FROM kb_claims)";
    d.kb_changed = rows(ctx, kb).await?.first().map_or(0, |r| micros(r, 0));
    Ok(d)
}
