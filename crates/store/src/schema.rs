//! Arrow schemas of the claim tables and conversion of claims into record batches.
//!
//! The schemas here are the single definition of the on-disk tables: Delta tables are created from
//! the first batch written, and a table not yet written reads as an empty table of this schema.

use std::sync::{Arc, LazyLock};

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder, RecordBatch, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, NaiveDate, Utc};
use spyglass_model::{IncidentRecord, Source};

use crate::StoreError;

/// Names of the stored tables (one Delta table each under the data directory).
pub mod table {
    pub const BATCHES: &str = "batches";
    pub const SOURCES: &str = "source_claims";
    pub const INCIDENTS: &str = "incident_claims";
    pub const VICTIMS: &str = "victim_claims";
    pub const ATTRIBUTIONS: &str = "attribution_claims";
    pub const ASSETS: &str = "asset_claims";
    pub const TECHNIQUES: &str = "technique_claims";
    pub const KB: &str = crate::kbstore::KB_CLAIMS;
    pub const SAME_AS: &str = crate::sameas::SAME_AS_CLAIMS;
    pub const COMPANY_LINKS: &str = crate::links::COMPANY_LINK_CLAIMS;
    /// Claim tables, written before the batch marker.
    pub const CLAIM_TABLES: &[&str] = &[SOURCES, INCIDENTS, VICTIMS, ATTRIBUTIONS, ASSETS, TECHNIQUES];
    /// Every table, in write order: the batch marker last.
    pub const ALL: &[&str] =
        &[SOURCES, INCIDENTS, VICTIMS, ATTRIBUTIONS, ASSETS, TECHNIQUES, KB, SAME_AS, COMPANY_LINKS, BATCHES];
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn date(name: &str) -> Field {
    Field::new(name, DataType::Date32, true)
}

fn ts(name: &str) -> Field {
    Field::new(name, DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false)
}

fn str_list_item() -> Arc<Field> {
    Arc::new(Field::new("element", DataType::Utf8, true))
}

fn str_list(name: &str) -> Field {
    Field::new(name, DataType::List(str_list_item()), true)
}

/// Provenance columns every claim row carries.
fn provenance() -> Vec<Field> {
    vec![utf8("source_id", false), utf8("record_ref", false), utf8("batch_id", false), ts("ingested_at")]
}

fn with_provenance(mut fields: Vec<Field>) -> SchemaRef {
    fields.extend(provenance());
    Arc::new(Schema::new(fields))
}

static SCHEMAS: LazyLock<Vec<(&'static str, SchemaRef)>> = LazyLock::new(|| {
    vec![
        (
            table::BATCHES,
            Arc::new(Schema::new(vec![
                utf8("batch_id", false),
                utf8("content_sha256", false),
                utf8("path", false),
                utf8("format", false),
                Field::new("records_read", DataType::Int64, false),
                Field::new("records_skipped", DataType::Int64, false),
                Field::new("claims_written", DataType::Int64, false),
                ts("ingested_at"),
                utf8("spyglass_version", false),
            ])),
        ),
        (
            table::SOURCES,
            Arc::new(Schema::new(vec![
                utf8("source_id", false),
                utf8("kind", false),
                utf8("name", false),
                utf8("reliability", true),
                utf8("batch_id", false),
                ts("ingested_at"),
            ])),
        ),
        (
            table::INCIDENTS,
            with_provenance(vec![
                utf8("incident_id", false),
                utf8("title", true),
                utf8("description", true),
                date("start_date"),
                date("end_date"),
                str_list("types"),
                str_list("types_raw"),
                utf8("tlp", true),
                Field::new("data_theft", DataType::Boolean, true),
            ]),
        ),
        (
            table::VICTIMS,
            with_provenance(vec![
                utf8("incident_id", false),
                utf8("name", true),
                utf8("country", true),
                utf8("country_raw", true),
                utf8("category", true),
                utf8("subcode", true),
                utf8("vertical", true),
                utf8("ticker", true),
                utf8("method", true),
            ]),
        ),
        (
            table::ATTRIBUTIONS,
            with_provenance(vec![
                utf8("incident_id", false),
                utf8("actor_raw", true),
                utf8("actor", true),
                utf8("sponsor", true),
                utf8("sponsor_raw", true),
                utf8("sponsorship", true),
                utf8("sponsorship_raw", true),
                utf8("attributed_by", true),
                utf8("basis", true),
                date("attributed_on"),
                Field::new("confidence", DataType::Int32, true),
                utf8("method", true),
            ]),
        ),
        (
            table::ASSETS,
            with_provenance(vec![
                utf8("incident_id", false),
                utf8("category", false),
                utf8("evidence", true),
                utf8("method", false),
            ]),
        ),
        (
            table::TECHNIQUES,
            with_provenance(vec![
                utf8("incident_id", false),
                utf8("technique_id", false),
                utf8("name", true),
                utf8("evidence", true),
                utf8("method", false),
            ]),
        ),
    ]
});

/// The Arrow schema of a stored table.
pub fn schema_of(name: &str) -> SchemaRef {
    if name == table::KB {
        return crate::kbstore::kb_schema();
    }
    if name == table::SAME_AS {
        return crate::sameas::same_as_schema();
    }
    if name == table::COMPANY_LINKS {
        return crate::links::company_link_schema();
    }
    SCHEMAS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| Arc::new(Schema::empty()))
}

/// What a batch marker records.
#[derive(Debug, Clone)]
pub struct BatchMeta {
    pub batch_id: String,
    pub content_sha256: String,
    pub path: String,
    pub format: String,
    pub records_read: u64,
    pub records_skipped: u64,
    pub ingested_at: DateTime<Utc>,
}

fn days(d: Option<NaiveDate>) -> Option<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    d.and_then(|d| i32::try_from((d - epoch).num_days()).ok())
}

/// Builds the provenance columns for `n` rows.
struct Prov {
    source_id: StringBuilder,
    record_ref: StringBuilder,
    batch_id: StringBuilder,
    ingested_at: TimestampMicrosecondBuilder,
}

impl Prov {
    fn new() -> Self {
        Prov {
            source_id: StringBuilder::new(),
            record_ref: StringBuilder::new(),
            batch_id: StringBuilder::new(),
            ingested_at: TimestampMicrosecondBuilder::new().with_timezone("UTC"),
        }
    }

    fn push(&mut self, rec: &IncidentRecord, meta: &BatchMeta) {
        self.source_id.append_value(&rec.source_id);
        self.record_ref.append_value(&rec.record_ref);
        self.batch_id.append_value(&meta.batch_id);
        self.ingested_at.append_value(meta.ingested_at.timestamp_micros());
    }

    fn finish(mut self, cols: &mut Vec<ArrayRef>) {
        cols.push(Arc::new(self.source_id.finish()));
        cols.push(Arc::new(self.record_ref.finish()));
        cols.push(Arc::new(self.batch_id.finish()));
        cols.push(Arc::new(self.ingested_at.finish()));
    }
}

fn batch(name: &str, cols: Vec<ArrayRef>) -> Result<RecordBatch, StoreError> {
    RecordBatch::try_new(schema_of(name), cols).map_err(|e| StoreError::Internal(format!("building {name} rows: {e}")))
}

fn list_builder() -> ListBuilder<StringBuilder> {
    ListBuilder::new(StringBuilder::new()).with_field(str_list_item())
}

/// Rows of every claim table for these records; tables with no rows are left out.
pub fn claim_batches(
    sources: &[Source],
    records: &[IncidentRecord],
    meta: &BatchMeta,
) -> Result<Vec<(&'static str, RecordBatch)>, StoreError> {
    let mut out = Vec::new();
    let ts_now = meta.ingested_at.timestamp_micros();

    if !sources.is_empty() {
        let mut id = StringBuilder::new();
        let mut kind = StringBuilder::new();
        let mut name = StringBuilder::new();
        let mut rel = StringBuilder::new();
        let mut bid = StringBuilder::new();
        let mut at = TimestampMicrosecondBuilder::new().with_timezone("UTC");
        for s in sources {
            id.append_value(&s.id);
            kind.append_value(s.kind.as_str());
            name.append_value(&s.name);
            rel.append_option(s.reliability.map(|r| r.as_str()));
            bid.append_value(&meta.batch_id);
            at.append_value(ts_now);
        }
        let cols: Vec<ArrayRef> = vec![
            Arc::new(id.finish()),
            Arc::new(kind.finish()),
            Arc::new(name.finish()),
            Arc::new(rel.finish()),
            Arc::new(bid.finish()),
            Arc::new(at.finish()),
        ];
        out.push((table::SOURCES, batch(table::SOURCES, cols)?));
    }

    // incidents
    if !records.is_empty() {
        let mut id = StringBuilder::new();
        let mut title = StringBuilder::new();
        let mut desc = StringBuilder::new();
        let mut start = Date32Builder::new();
        let mut end = Date32Builder::new();
        let mut types = list_builder();
        let mut types_raw = list_builder();
        let mut tlp = StringBuilder::new();
        let mut theft = BooleanBuilder::new();
        let mut prov = Prov::new();
        for r in records {
            let i = &r.incident;
            id.append_value(&i.id);
            title.append_option(i.title.as_deref());
            desc.append_option(i.description.as_deref());
            start.append_option(days(i.start_date));
            end.append_option(days(i.end_date));
            for t in &i.types {
                types.values().append_value(t.as_str());
            }
            types.append(true);
            for t in &i.types_raw {
                types_raw.values().append_value(t);
            }
            types_raw.append(true);
            tlp.append_option(i.tlp.map(|t| t.as_str()));
            theft.append_option(i.data_theft);
            prov.push(r, meta);
        }
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(id.finish()),
            Arc::new(title.finish()),
            Arc::new(desc.finish()),
            Arc::new(start.finish()),
            Arc::new(end.finish()),
            Arc::new(types.finish()),
            Arc::new(types_raw.finish()),
            Arc::new(tlp.finish()),
            Arc::new(theft.finish()),
        ];
        prov.finish(&mut cols);
        out.push((table::INCIDENTS, batch(table::INCIDENTS, cols)?));
    }

    // victims
    if records.iter().any(|r| !r.victims.is_empty()) {
        let mut b: Vec<StringBuilder> = (0..9).map(|_| StringBuilder::new()).collect();
        let mut prov = Prov::new();
        for r in records {
            for v in &r.victims {
                b[0].append_value(&r.incident.id);
                b[1].append_option(v.name.as_deref());
                b[2].append_option(v.country.as_deref());
                b[3].append_option(v.country_raw.as_deref());
                b[4].append_option(v.category.as_deref());
                b[5].append_option(v.subcode.as_deref());
                b[6].append_option(v.vertical.map(|x| x.as_str()));
                b[7].append_option(v.ticker.as_deref());
                b[8].append_option(v.method.map(|m| m.as_str()));
                prov.push(r, meta);
            }
        }
        let mut cols: Vec<ArrayRef> = b.into_iter().map(|mut x| Arc::new(x.finish()) as ArrayRef).collect();
        prov.finish(&mut cols);
        out.push((table::VICTIMS, batch(table::VICTIMS, cols)?));
    }

    // attributions
    if records.iter().any(|r| !r.attributions.is_empty()) {
        let mut s: Vec<StringBuilder> = (0..9).map(|_| StringBuilder::new()).collect();
        let mut on = Date32Builder::new();
        let mut conf = Int32Builder::new();
        let mut method = StringBuilder::new();
        let mut prov = Prov::new();
        for r in records {
            for a in &r.attributions {
                s[0].append_value(&r.incident.id);
                s[1].append_option(a.actor_raw.as_deref());
                s[2].append_option(a.actor.as_deref());
                s[3].append_option(a.sponsor.as_deref());
                s[4].append_option(a.sponsor_raw.as_deref());
                s[5].append_option(a.sponsorship.map(|x| x.as_str()));
                s[6].append_option(a.sponsorship_raw.as_deref());
                s[7].append_option(a.attributed_by.as_deref());
                s[8].append_option(a.basis.as_deref());
                on.append_option(days(a.attributed_on));
                conf.append_option(a.confidence.map(i32::from));
                method.append_option(a.method.map(|m| m.as_str()));
                prov.push(r, meta);
            }
        }
        let mut cols: Vec<ArrayRef> = s.into_iter().map(|mut x| Arc::new(x.finish()) as ArrayRef).collect();
        cols.push(Arc::new(on.finish()));
        cols.push(Arc::new(conf.finish()));
        cols.push(Arc::new(method.finish()));
        prov.finish(&mut cols);
        out.push((table::ATTRIBUTIONS, batch(table::ATTRIBUTIONS, cols)?));
    }

    // assets
    if records.iter().any(|r| !r.assets.is_empty()) {
        let mut b: Vec<StringBuilder> = (0..4).map(|_| StringBuilder::new()).collect();
        let mut prov = Prov::new();
        for r in records {
            for a in &r.assets {
                b[0].append_value(&r.incident.id);
                b[1].append_value(a.category.as_str());
                b[2].append_option(a.evidence.as_deref());
                b[3].append_value(a.method.as_str());
                prov.push(r, meta);
            }
        }
        let mut cols: Vec<ArrayRef> = b.into_iter().map(|mut x| Arc::new(x.finish()) as ArrayRef).collect();
        prov.finish(&mut cols);
        out.push((table::ASSETS, batch(table::ASSETS, cols)?));
    }

    // techniques
    if records.iter().any(|r| !r.techniques.is_empty()) {
        let mut b: Vec<StringBuilder> = (0..5).map(|_| StringBuilder::new()).collect();
        let mut prov = Prov::new();
        for r in records {
            for t in &r.techniques {
                b[0].append_value(&r.incident.id);
                b[1].append_value(&t.id);
                b[2].append_option(t.name.as_deref());
                b[3].append_option(t.evidence.as_deref());
                b[4].append_value(t.method.as_str());
                prov.push(r, meta);
            }
        }
        let mut cols: Vec<ArrayRef> = b.into_iter().map(|mut x| Arc::new(x.finish()) as ArrayRef).collect();
        prov.finish(&mut cols);
        out.push((table::TECHNIQUES, batch(table::TECHNIQUES, cols)?));
    }
    Ok(out)
}

/// The batch-marker row.
pub fn batch_marker(meta: &BatchMeta, claims_written: u64) -> Result<RecordBatch, StoreError> {
    let s = |v: &str| -> ArrayRef {
        let mut b = StringBuilder::new();
        b.append_value(v);
        Arc::new(b.finish())
    };
    let n = |v: u64| -> ArrayRef {
        let mut b = Int64Builder::new();
        b.append_value(i64::try_from(v).unwrap_or(i64::MAX));
        Arc::new(b.finish())
    };
    let mut at = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    at.append_value(meta.ingested_at.timestamp_micros());
    batch(
        table::BATCHES,
        vec![
            s(&meta.batch_id),
            s(&meta.content_sha256),
            s(&meta.path),
            s(&meta.format),
            n(meta.records_read),
            n(meta.records_skipped),
            n(claims_written),
            Arc::new(at.finish()),
            s(env!("CARGO_PKG_VERSION")),
        ],
    )
}
