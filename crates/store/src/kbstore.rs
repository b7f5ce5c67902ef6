//! The actor knowledge base in the data directory: KB claims in the `kb_claims` table, loaded in
//! batches like incidents (one file = one batch, idempotent by content hash, visible once the batch
//! marker is written).
//!
//! Visibility: for catalogue claims (actors, aliases, sponsors, links, overrides) only the latest
//! committed batch of each `source_id` counts, so loading a newer MISP galaxy supersedes the older
//! one; analyst merges and splits always count, in the order they were recorded.

use std::sync::{Arc, LazyLock};

use arrow::array::{Array, ArrayRef, Int32Array, Int32Builder, Int64Builder, RecordBatch, StringArray, StringBuilder, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use spyglass_kb::{Kb, KbClaim, KbClaimKind};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use spyglass_model::Policy;

async fn collect(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>, StoreError> {
    let df = ctx.sql(sql).await.map_err(StoreError::Query)?;
    df.collect().await.map_err(StoreError::Query)
}

use crate::{BatchMeta, Store, StoreError};

/// Table name of KB claims.
pub const KB_CLAIMS: &str = "kb_claims";

const TEXT_COLS: &[&str] = &[
    "kind", "actor", "name", "vendor", "sponsor", "sponsorship", "evidence", "target", "relation", "likelihood",
    "analyst", "note", "recorded_at", "source_id", "record_ref",
];

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut fields: Vec<Field> = TEXT_COLS
        .iter()
        .map(|c| Field::new(*c, DataType::Utf8, !matches!(*c, "kind" | "actor" | "source_id" | "record_ref")))
        .collect();
    fields.push(Field::new("confidence", DataType::Int32, true));
    fields.push(Field::new("seq", DataType::Int64, false));
    fields.push(Field::new("batch_id", DataType::Utf8, false));
    fields.push(Field::new("ingested_at", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false));
    Arc::new(Schema::new(fields))
});

/// The Arrow schema of `kb_claims`.
pub fn kb_schema() -> SchemaRef {
    SCHEMA.clone()
}

fn text(c: &KbClaim, col: &str) -> Option<String> {
    match col {
        "kind" => Some(c.kind.as_str().to_string()),
        "actor" => Some(c.actor.clone()),
        "name" => c.name.clone(),
        "vendor" => c.vendor.clone(),
        "sponsor" => c.sponsor.clone(),
        "sponsorship" => c.sponsorship.clone(),
        "evidence" => c.evidence.clone(),
        "target" => c.target.clone(),
        "relation" => c.relation.clone(),
        "likelihood" => c.likelihood.clone(),
        "analyst" => c.analyst.clone(),
        "note" => c.note.clone(),
        "recorded_at" => c.recorded_at.clone(),
        "source_id" => Some(c.source_id.clone()),
        "record_ref" => Some(c.record_ref.clone()),
        _ => None,
    }
}

fn to_batch(claims: &[KbClaim], meta: &BatchMeta) -> Result<RecordBatch, StoreError> {
    let mut cols: Vec<ArrayRef> = Vec::new();
    for col in TEXT_COLS {
        let mut b = StringBuilder::new();
        for c in claims {
            b.append_option(text(c, col));
        }
        cols.push(Arc::new(b.finish()));
    }
    let mut conf = Int32Builder::new();
    let mut seq = Int64Builder::new();
    let mut bid = StringBuilder::new();
    let mut at = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    for (i, c) in claims.iter().enumerate() {
        conf.append_option(c.confidence.map(i32::from));
        seq.append_value(i64::try_from(i).unwrap_or(i64::MAX));
        bid.append_value(&meta.batch_id);
        at.append_value(meta.ingested_at.timestamp_micros());
    }
    cols.push(Arc::new(conf.finish()));
    cols.push(Arc::new(seq.finish()));
    cols.push(Arc::new(bid.finish()));
    cols.push(Arc::new(at.finish()));
    RecordBatch::try_new(kb_schema(), cols).map_err(|e| StoreError::Internal(format!("building kb rows: {e}")))
}

/// The SQL of the visible KB claims, in application order.
const VISIBLE_KB_SQL: &str = "\
SELECT k.* FROM kb_claims k JOIN batches b ON k.batch_id = b.batch_id \
WHERE k.kind IN ('merge', 'split') \
   OR k.batch_id = (SELECT max(k2.batch_id) FROM kb_claims k2 JOIN batches b2 ON k2.batch_id = b2.batch_id \
                    WHERE k2.source_id = k.source_id AND k2.kind NOT IN ('merge', 'split')) \
ORDER BY k.batch_id, k.seq";

impl Store {
    /// Appends KB claims as one batch and commits it (marker last).
    pub async fn commit_kb(&self, meta: &BatchMeta, claims: &[KbClaim]) -> Result<u64, StoreError> {
        std::fs::create_dir_all(self.root()).map_err(|source| StoreError::Io { path: self.root().to_path_buf(), source })?;
        if !claims.is_empty() {
            self.append(KB_CLAIMS, to_batch(claims, meta)?).await?;
        }
        let marker = crate::schema::batch_marker(meta, claims.len() as u64)?;
        self.append(crate::table::BATCHES, marker).await?;
        Ok(claims.len() as u64)
    }

    /// Every visible KB claim, in the order the KB applies them.
    pub async fn kb_claims(&self) -> Result<Vec<KbClaim>, StoreError> {
        if !self.exists() {
            return Ok(Vec::new());
        }
        let batches = self.sql(&Policy::default(), VISIBLE_KB_SQL).await?;
        let mut out = Vec::new();
        for b in &batches {
            out.extend(from_batch(b)?);
        }
        Ok(out)
    }

    /// The knowledge base: built-in state agencies plus every visible stored claim.
    pub async fn kb(&self) -> Result<Kb, StoreError> {
        let mut claims = spyglass_kb::load::builtin::agencies();
        claims.extend(self.kb_claims().await?);
        Ok(Kb::from_claims(claims))
    }

    /// Resolves every distinct raw actor name of the `attributions` view through the KB, as the
    /// `actor_resolutions` table (raw, actor_id, actor_name, sponsor, sponsorship, confidence).
    /// Resolution happens at query time, so KB updates and analyst merges apply without re-ingest.
    pub(crate) async fn actor_resolutions(&self, ctx: &SessionContext) -> Result<MemTable, StoreError> {
        let names = collect(ctx, "SELECT DISTINCT actor_raw FROM attributions WHERE actor_raw IS NOT NULL").await?;
        let mut raws: Vec<String> = Vec::new();
        for b in &names {
            let col = arrow::compute::cast(b.column(0), &DataType::Utf8).map_err(|e| StoreError::Internal(e.to_string()))?;
            if let Some(s) = col.as_any().downcast_ref::<StringArray>() {
                raws.extend((0..s.len()).filter(|&i| !s.is_null(i)).map(|i| s.value(i).to_string()));
            }
        }
        let mut rows: [StringBuilder; 5] = Default::default();
        let mut conf = Int32Builder::new();
        if !raws.is_empty() {
            let mut claims = spyglass_kb::load::builtin::agencies();
            for b in &collect(ctx, VISIBLE_KB_SQL).await? {
                claims.extend(from_batch(b)?);
            }
            let kb = Kb::from_claims(claims);
            for raw in &raws {
                for r in kb.resolve_field(raw) {
                    if r.actor.is_none() && r.sponsor.is_none() {
                        continue;
                    }
                    rows[0].append_value(raw);
                    rows[1].append_option(r.actor.as_ref().map(|a| a.id.as_str()));
                    rows[2].append_option(r.actor.as_ref().map(|a| a.name.as_str()));
                    rows[3].append_option(r.sponsor.as_deref());
                    rows[4].append_value(r.sponsorship.as_str());
                    conf.append_value(i32::from(r.confidence));
                }
            }
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("raw", DataType::Utf8, false),
            Field::new("actor_id", DataType::Utf8, true),
            Field::new("actor_name", DataType::Utf8, true),
            Field::new("sponsor", DataType::Utf8, true),
            Field::new("sponsorship", DataType::Utf8, false),
            Field::new("confidence", DataType::Int32, false),
        ]));
        let mut cols: Vec<ArrayRef> = rows.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        cols.push(Arc::new(conf.finish()));
        let batch = RecordBatch::try_new(schema.clone(), cols).map_err(|e| StoreError::Internal(e.to_string()))?;
        MemTable::try_new(schema, vec![vec![batch]]).map_err(StoreError::Query)
    }
}

fn from_batch(b: &RecordBatch) -> Result<Vec<KbClaim>, StoreError> {
    let schema = b.schema();
    let col_str = |name: &str| -> Result<StringArray, StoreError> {
        let idx = schema.index_of(name).map_err(|e| StoreError::Internal(format!("kb_claims.{name}: {e}")))?;
        let c = arrow::compute::cast(b.column(idx), &DataType::Utf8)
            .map_err(|e| StoreError::Internal(format!("kb_claims.{name}: {e}")))?;
        c.as_any()
            .downcast_ref::<StringArray>()
            .cloned()
            .ok_or_else(|| StoreError::Internal(format!("kb_claims.{name} is not text")))
    };
    let cols: Vec<StringArray> = TEXT_COLS.iter().map(|c| col_str(c)).collect::<Result<_, _>>()?;
    let conf_idx = schema.index_of("confidence").map_err(|e| StoreError::Internal(e.to_string()))?;
    let conf = arrow::compute::cast(b.column(conf_idx), &DataType::Int32).map_err(|e| StoreError::Internal(e.to_string()))?;
    let conf = conf.as_any().downcast_ref::<Int32Array>().cloned().ok_or_else(|| StoreError::Internal("confidence".into()))?;
    let get = |i: usize, row: usize| -> Option<String> {
        let c = &cols[i];
        if c.is_null(row) { None } else { Some(c.value(row).to_string()) }
    };
    let mut out = Vec::with_capacity(b.num_rows());
    for row in 0..b.num_rows() {
        let kind_text = get(0, row).unwrap_or_default();
        let kind: KbClaimKind = kind_text
            .parse()
            .map_err(|_| StoreError::Internal(format!("kb_claims: unknown claim kind {kind_text:?}")))?;
        let mut c = KbClaim::new(kind, get(1, row).unwrap_or_default(), get(13, row).unwrap_or_default(), get(14, row).unwrap_or_default());
        c.name = get(2, row);
        c.vendor = get(3, row);
        c.sponsor = get(4, row);
        c.sponsorship = get(5, row);
        c.evidence = get(6, row);
        c.target = get(7, row);
        c.relation = get(8, row);
        c.likelihood = get(9, row);
        c.analyst = get(10, row);
        c.note = get(11, row);
        c.recorded_at = get(12, row);
        c.confidence = if conf.is_null(row) { None } else { u8::try_from(conf.value(row)).ok() };
        out.push(c);
    }
    Ok(out)
}
