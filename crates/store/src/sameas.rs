//! Cross-source duplicates: `same_as_claims` (scored candidates and analysts' confirm/reject
//! decisions) and the grouping the policy views use to count one operation once.
//!
//! A pair's current state is its latest claim: an analyst's `confirmed`/`rejected` always outranks
//! a scored `candidate`; among scored candidates only the latest scan counts. Under the policy, pairs
//! that are confirmed, or candidates scoring at least the policy's threshold and not rejected, join
//! their incidents into one group (union–find, so groups are transitive); findings count a group
//! once, under its smallest incident id.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use arrow::array::{Array, ArrayRef, Float64Array, Float64Builder, RecordBatch, StringArray, StringBuilder, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use serde::Serialize;
use spyglass_model::Policy;

use crate::{BatchMeta, Store, StoreError};

/// Table name of same-as claims.
pub const SAME_AS_CLAIMS: &str = "same_as_claims";

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("incident_a", DataType::Utf8, false),
        Field::new("incident_b", DataType::Utf8, false),
        Field::new("score", DataType::Float64, true),
        Field::new("decision", DataType::Utf8, false),
        Field::new("method", DataType::Utf8, false),
        Field::new("analyst", DataType::Utf8, true),
        Field::new("reason", DataType::Utf8, true),
        Field::new("evidence", DataType::Utf8, true),
        Field::new("batch_id", DataType::Utf8, false),
        Field::new("ingested_at", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false),
    ]))
});

pub fn same_as_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// A decision about a pair of incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Candidate,
    Confirmed,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Candidate => "candidate",
            Decision::Confirmed => "confirmed",
            Decision::Rejected => "rejected",
        }
    }
}

/// One same-as claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SameAs {
    pub incident_a: String,
    pub incident_b: String,
    pub score: Option<f64>,
    pub decision: Decision,
    /// `score` (a scan) or `analyst`.
    pub method: String,
    pub analyst: Option<String>,
    pub reason: Option<String>,
    /// JSON of the score's components.
    pub evidence: Option<String>,
}

impl SameAs {
    /// The pair in canonical order (a < b).
    pub fn ordered(mut self) -> Self {
        if self.incident_b < self.incident_a {
            std::mem::swap(&mut self.incident_a, &mut self.incident_b);
        }
        self
    }
}

fn to_batch(claims: &[SameAs], meta: &BatchMeta) -> Result<RecordBatch, StoreError> {
    let mut s: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::new()).collect();
    let mut score = Float64Builder::new();
    let mut at = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    for c in claims {
        s[0].append_value(&c.incident_a);
        s[1].append_value(&c.incident_b);
        score.append_option(c.score);
        s[2].append_value(c.decision.as_str());
        s[3].append_value(&c.method);
        s[4].append_option(c.analyst.as_deref());
        s[5].append_option(c.reason.as_deref());
        s[6].append_option(c.evidence.as_deref());
        at.append_value(meta.ingested_at.timestamp_micros());
    }
    let mut bid = StringBuilder::new();
    for _ in claims {
        bid.append_value(&meta.batch_id);
    }
    let mut it = s.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let (a, b, decision, method, analyst, reason, evidence) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    );
    let cols: Vec<ArrayRef> = vec![
        a.ok_or_else(|| StoreError::Internal("column".into()))?,
        b.ok_or_else(|| StoreError::Internal("column".into()))?,
        Arc::new(score.finish()),
        decision.ok_or_else(|| StoreError::Internal("column".into()))?,
        method.ok_or_else(|| StoreError::Internal("column".into()))?,
        analyst.ok_or_else(|| StoreError::Internal("column".into()))?,
        reason.ok_or_else(|| StoreError::Internal("column".into()))?,
        evidence.ok_or_else(|| StoreError::Internal("column".into()))?,
        Arc::new(bid.finish()),
        Arc::new(at.finish()),
    ];
    RecordBatch::try_new(same_as_schema(), cols).map_err(|e| StoreError::Internal(format!("building same-as rows: {e}")))
}

/// The current state of every pair: analyst decisions (latest) outrank scans; of scans, the latest.
pub const SAME_AS_VIEW: &str = "\
WITH c AS (SELECT s.* FROM same_as_claims s JOIN batches b ON s.batch_id = b.batch_id), \
analyst AS (SELECT * FROM c WHERE method = 'analyst'), \
latest_analyst AS (SELECT a.* FROM analyst a JOIN (SELECT incident_a, incident_b, max(batch_id) AS batch_id FROM analyst \
  GROUP BY incident_a, incident_b) m ON a.incident_a = m.incident_a AND a.incident_b = m.incident_b AND a.batch_id = m.batch_id), \
scan AS (SELECT * FROM c WHERE method = 'score' AND batch_id = (SELECT max(batch_id) FROM c WHERE method = 'score')) \
SELECT incident_a, incident_b, score, decision, method, analyst, reason, evidence, batch_id FROM latest_analyst \
UNION ALL SELECT s.incident_a, s.incident_b, s.score, s.decision, s.method, s.analyst, s.reason, s.evidence, s.batch_id FROM scan s \
WHERE NOT EXISTS (SELECT 1 FROM latest_analyst l WHERE l.incident_a = s.incident_a AND l.incident_b = s.incident_b)";

impl Store {
    /// Appends same-as claims as one batch (marker last).
    pub async fn commit_same_as(&self, meta: &BatchMeta, claims: &[SameAs]) -> Result<(), StoreError> {
        if !claims.is_empty() {
            self.append(SAME_AS_CLAIMS, to_batch(claims, meta)?).await?;
        }
        let marker = crate::schema::batch_marker(meta, claims.len() as u64)?;
        self.append(crate::table::BATCHES, marker).await
    }
}

/// Groups incidents joined by same-as pairs under `policy`: `incident_canon(incident_id, canon_id)`
/// for every incident in a group of two or more (canon = smallest id of the group).
pub(crate) async fn incident_canon(ctx: &SessionContext, policy: &Policy) -> Result<MemTable, StoreError> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("incident_id", DataType::Utf8, false),
        Field::new("canon_id", DataType::Utf8, false),
    ]));
    let mut ids = StringBuilder::new();
    let mut canon = StringBuilder::new();
    if let Some(threshold) = policy.collapse_threshold() {
        let df = ctx.sql(&format!(
            "SELECT incident_a, incident_b FROM same_as WHERE (decision = 'confirmed' \
             OR (decision = 'candidate' AND score >= {threshold})) \
             AND incident_a IN (SELECT incident_id FROM live_claims) \
             AND incident_b IN (SELECT incident_id FROM live_claims)"
        ))
        .await
        .map_err(StoreError::Query)?;
        let batches = df.collect().await.map_err(StoreError::Query)?;
        let mut uf = UnionFind::default();
        for b in &batches {
            let a = str_col(b, 0)?;
            let c = str_col(b, 1)?;
            for i in 0..b.num_rows() {
                uf.union(a.value(i), c.value(i));
            }
        }
        for (id, root) in uf.groups() {
            ids.append_value(&id);
            canon.append_value(&root);
        }
    }
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(ids.finish()), Arc::new(canon.finish())])
        .map_err(|e| StoreError::Internal(e.to_string()))?;
    MemTable::try_new(schema, vec![vec![batch]]).map_err(StoreError::Query)
}

fn str_col(b: &RecordBatch, i: usize) -> Result<StringArray, StoreError> {
    let c = arrow::compute::cast(b.column(i), &DataType::Utf8).map_err(|e| StoreError::Internal(e.to_string()))?;
    c.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| StoreError::Internal("not text".into()))
}

#[allow(dead_code)]
fn f64_col(b: &RecordBatch, i: usize) -> Option<Float64Array> {
    b.column(i).as_any().downcast_ref::<Float64Array>().cloned()
}

/// Union–find over incident ids; the representative is the smallest id of its set.
#[derive(Debug, Default)]
struct UnionFind {
    index: HashMap<String, usize>,
    names: Vec<String>,
    parent: Vec<usize>,
}

impl UnionFind {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.parent.push(i);
        self.index.insert(name.to_string(), i);
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: &str, b: &str) {
        let (ia, ib) = (self.id(a), self.id(b));
        let (ra, rb) = (self.find(ia), self.find(ib));
        if ra != rb {
            // Keep the smallest name as the root.
            if self.names[ra] <= self.names[rb] {
                self.parent[rb] = ra;
            } else {
                self.parent[ra] = rb;
            }
        }
    }

    fn groups(mut self) -> Vec<(String, String)> {
        (0..self.names.len())
            .map(|i| {
                let r = self.find(i);
                (self.names[i].clone(), self.names[r].clone())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_find_groups_transitively_under_the_smallest_id() {
        let mut uf = UnionFind::default();
        uf.union("cfr:b", "eurepoc:9");
        uf.union("eurepoc:9", "atlas:a");
        uf.union("x:1", "x:2");
        let mut g = uf.groups();
        g.sort();
        assert_eq!(
            g,
            vec![
                ("atlas:a".into(), "atlas:a".into()),
                ("cfr:b".into(), "atlas:a".into()),
                ("eurepoc:9".into(), "atlas:a".into()),
                ("x:1".into(), "x:1".into()),
                ("x:2".into(), "x:1".into()),
            ]
        );
    }
}
