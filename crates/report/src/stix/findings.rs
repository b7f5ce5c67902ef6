//! A STIX `report` per finding of the exported slice: one per row of the share by sponsor and of
//! the share by AI asset, its description carrying the figure, the interval and the method, its
//! `object_refs` the incidents it counts. The ingest reader ignores these reports
//! (`x_spyglass_finding`): they are derived from the incidents, not accounts of operations.

use std::collections::{BTreeMap, BTreeSet};

use datafusion::prelude::SessionContext;
use serde_json::{Map, json};
use spyglass_analysis::{Dimension, Filters, ShareQuery, share};
use spyglass_model::{Policy, Tlp, country};
use spyglass_store::Store;

use super::StixError;
use super::build::Objects;
use super::data::rows;
use super::vocab::{self, stix_id};

/// The dimensions a finding report is made for.
pub const FINDING_DIMENSIONS: &[Dimension] = &[Dimension::Sponsor, Dimension::Asset];

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Adds the finding reports; `at` (µs) is their time (the latest claim they count), `tlp` their
/// marking (the most restrictive marking among the incidents of the slice).
#[allow(clippy::too_many_arguments)]
pub async fn add(
    o: &mut Objects,
    store: &Store,
    ctx: &SessionContext,
    policy: &Policy,
    filters: &Filters,
    slice: &str,
    at: i64,
    tlp: Option<Tlp>,
) -> Result<(), StixError> {
    for &dim in FINDING_DIMENSIONS {
        let q = ShareQuery { policy: policy.clone(), ..ShareQuery::new(dim, filters.clone()) };
        let r = share(store, &q).await.map_err(StixError::Analysis)?;
        if r.suppressed || r.rows.is_empty() {
            continue;
        }
        // Which exported incidents each key counts.
        let mut by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let sql = format!("SELECT k.incident_id, k.key FROM ({}) k WHERE k.incident_id IN ({slice})", dim.keys_sql());
        let mut keyed: BTreeSet<String> = BTreeSet::new();
        for row in rows(ctx, &sql).await? {
            if let (Some(i), Some(k)) = (row.first().cloned().flatten(), row.get(1).cloned().flatten()) {
                keyed.insert(i.clone());
                by_key.entry(k).or_default().insert(i);
            }
        }
        let unkeyed: BTreeSet<String> = o.incident_ids.keys().filter(|i| !keyed.contains(*i)).cloned().collect();
        by_key.insert(dim.none_key().to_string(), unkeyed);

        let warnings = if r.method.warnings.is_empty() { String::new() } else { format!(" Warning: {}.", r.method.warnings.join("; ")) };
        for row in &r.rows {
            let label = match dim {
                Dimension::Sponsor => country::common_name(&row.key).map_or(row.key.clone(), |n| format!("{} ({n})", row.key)),
                _ => row.key.clone(),
            };
            let mut refs: Vec<String> = by_key
                .get(&row.key)
                .into_iter()
                .flatten()
                .filter_map(|i| o.incident_ids.get(i).cloned())
                .collect();
            if dim == Dimension::Sponsor && country::common_name(&row.key).is_some() {
                let loc = stix_id("location", &row.key);
                if o.map.contains_key(&loc) {
                    refs.push(loc);
                }
            }
            refs.sort();
            refs.dedup();
            if refs.is_empty() {
                continue;
            }
            let level = (r.interval.level * 100.0).round();
            let description = format!(
                "{label}: {count} of {n} incidents ({share}), {level}% {interval} interval {lo} to {hi}. \
                 Slice: {slice_text}. Policy: {policy_text}. Counting: {counting}.{warnings}",
                count = row.count,
                n = r.n,
                share = pct(row.share),
                interval = r.method.interval,
                lo = pct(row.ci_low),
                hi = pct(row.ci_high),
                slice_text = r.method.slice,
                policy_text = r.method.policy_text,
                counting = r.method.counting,
            );
            let id = stix_id(
                "report",
                &format!("finding|{}|{}|{}|{}", dim.as_str(), row.key, r.method.slice, r.method.policy_text),
            );
            let mut m = Map::new();
            m.insert("type".into(), json!("report"));
            m.insert("spec_version".into(), json!("2.1"));
            m.insert("id".into(), json!(id));
            let t = vocab::timestamp(vocab::micros(at));
            m.insert("created".into(), json!(t));
            m.insert("modified".into(), json!(t));
            m.insert("published".into(), json!(t));
            m.insert("name".into(), json!(format!("Share of incidents by {}: {label}", dim.as_str())));
            m.insert("description".into(), json!(description));
            m.insert("report_types".into(), json!(["threat-report"]));
            m.insert("object_refs".into(), json!(refs));
            m.insert("created_by_ref".into(), json!(vocab::SPYGLASS_IDENTITY.as_str()));
            m.insert(
                "x_spyglass_finding".into(),
                json!({
                    "by": dim.as_str(), "key": row.key, "count": row.count, "n": r.n, "share": row.share,
                    "ci_low": row.ci_low, "ci_high": row.ci_high, "interval": r.method.interval,
                    "level": r.interval.level, "low_n": r.method.low_n, "slice": r.method.slice,
                    "policy": r.method.policy_text,
                }),
            );
            if let Some(t) = tlp {
                m.insert("object_marking_refs".into(), json!([vocab::tlp_marking_id(t)]));
            }
            m.insert("extensions".into(), vocab::extension_ref());
            o.map.insert(id, m);
        }
    }
    Ok(())
}
