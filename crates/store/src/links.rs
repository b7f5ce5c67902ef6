//! Victim → listed-company links: `company_link_claims`, written by `spyglass companies link` from
//! the market layer's matcher, one batch per run (marker last).
//!
//! Only the latest link run counts (a run re-matches every victim against the companies loaded at
//! that time, so it supersedes the previous one). The policy views use a link's vertical for an
//! incident whose source gives no structured vertical (before text labels), when the policy's
//! `company_verticals` is on.

use std::sync::{Arc, LazyLock};

use arrow::array::{ArrayRef, Float64Builder, RecordBatch, StringBuilder, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use serde::Serialize;

use crate::{BatchMeta, Store, StoreError};

/// Table name of company-link claims.
pub const COMPANY_LINK_CLAIMS: &str = "company_link_claims";

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("incident_id", DataType::Utf8, false),
        Field::new("victim_name", DataType::Utf8, true),
        Field::new("ticker", DataType::Utf8, false),
        Field::new("company", DataType::Utf8, false),
        Field::new("vertical", DataType::Utf8, true),
        Field::new("confidence", DataType::Float64, true),
        Field::new("basis", DataType::Utf8, true),
        Field::new("batch_id", DataType::Utf8, false),
        Field::new("ingested_at", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false),
    ]))
});

pub fn company_link_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// One victim of one incident matched to a listed company.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyLink {
    pub incident_id: String,
    /// The victim name as the source wrote it (`None` when the source gave a ticker).
    pub victim_name: Option<String>,
    pub ticker: String,
    pub company: String,
    /// The company's vertical (from its GICS sub-industry or SIC code).
    pub vertical: Option<String>,
    pub confidence: Option<f64>,
    /// How the match was made.
    pub basis: Option<String>,
}

fn to_batch(links: &[CompanyLink], meta: &BatchMeta) -> Result<RecordBatch, StoreError> {
    let mut s: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::new()).collect();
    let mut conf = Float64Builder::new();
    let mut at = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    for l in links {
        s[0].append_value(&l.incident_id);
        s[1].append_option(l.victim_name.as_deref());
        s[2].append_value(&l.ticker);
        s[3].append_value(&l.company);
        s[4].append_option(l.vertical.as_deref());
        conf.append_option(l.confidence);
        s[5].append_option(l.basis.as_deref());
        s[6].append_value(&meta.batch_id);
        at.append_value(meta.ingested_at.timestamp_micros());
    }
    let mut cols: Vec<ArrayRef> = s.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef).collect();
    // Column order of the schema: five text columns, confidence, basis, batch id, time.
    let batch_id = cols.pop().ok_or_else(|| StoreError::Internal("column".into()))?;
    let basis = cols.pop().ok_or_else(|| StoreError::Internal("column".into()))?;
    cols.push(Arc::new(conf.finish()));
    cols.push(basis);
    cols.push(batch_id);
    cols.push(Arc::new(at.finish()));
    RecordBatch::try_new(company_link_schema(), cols).map_err(|e| StoreError::Internal(format!("building company-link rows: {e}")))
}

/// The links of the latest committed link run, for visible incidents only.
pub const COMPANY_LINKS_VIEW: &str = "\
WITH c AS (SELECT l.* FROM company_link_claims l JOIN batches b ON l.batch_id = b.batch_id) \
SELECT incident_id, victim_name, ticker, company, vertical, confidence, basis, batch_id FROM c \
WHERE batch_id = (SELECT max(batch_id) FROM c) AND incident_id IN (SELECT incident_id FROM live_claims)";

impl Store {
    /// Replaces the company links with `links`, as one batch (marker last). An empty run is
    /// recorded too: it clears the links.
    pub async fn commit_company_links(&self, meta: &BatchMeta, links: &[CompanyLink]) -> Result<(), StoreError> {
        // A placeholder row keeps an empty run's batch id visible as "the latest run".
        let rows: Vec<CompanyLink> = if links.is_empty() {
            vec![CompanyLink {
                incident_id: String::new(),
                victim_name: None,
                ticker: String::new(),
                company: String::new(),
                vertical: None,
                confidence: None,
                basis: Some("empty link run".into()),
            }]
        } else {
            links.to_vec()
        };
        self.append(COMPANY_LINK_CLAIMS, to_batch(&rows, meta)?).await?;
        let marker = crate::schema::batch_marker(meta, links.len() as u64)?;
        self.append(crate::table::BATCHES, marker).await
    }
}
