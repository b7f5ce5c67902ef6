//! The share by one dimension within each key of another (asset within each vertical, say), in
//! three queries instead of one `share` per key.
//!
//! Row `k` is exactly the [`share`](crate::share()) of the query with its filter on the row
//! dimension set to `[k]`: the same slice, counting, intervals and small-n rules, built by the same
//! code from the same counts.

use std::collections::BTreeMap;

use datafusion::prelude::SessionContext;

use crate::coverage::{column, counts, strings};
use crate::engine::{Counts, run};
use crate::share::{ShareQuery, ShareResult, share_of_counts};
use crate::{AnalysisError, Dimension, Filters};

/// `q` restricted to row key `key`, when the row dimension can be a filter and `key` is one of
/// the filter's values (or the filter is empty, so the restricted slice is the slice ∩ key).
fn restricted(filters: &Filters, rows: Dimension, key: &str) -> Result<Option<Filters>, AnalysisError> {
    match rows {
        Dimension::Vertical => {
            let Ok(v) = key.parse::<spyglass_model::Vertical>() else { return Ok(None) };
            if !filters.verticals.is_empty() && !filters.verticals.contains(&v) {
                return Ok(None);
            }
            Ok(Some(Filters { verticals: vec![v], ..filters.clone() }))
        }
        Dimension::Sponsor => {
            if !filters.sponsors.is_empty() && !filters.sponsors.iter().any(|s| s == key) {
                return Ok(None);
            }
            Ok(Some(Filters { sponsors: vec![key.to_string()], ..filters.clone() }))
        }
        other => Err(AnalysisError::BadArgument(format!(
            "cannot cross-tabulate within {} (rows must be vertical or sponsor)",
            other.as_str()
        ))),
    }
}

/// For each key of `rows` in the slice of `q` (most incidents first), the share of `q` within
/// that key. `ctx` must be a session opened under `q.policy`.
pub async fn share_per_in(ctx: &SessionContext, q: &ShareQuery, rows: Dimension) -> Result<Vec<(String, ShareResult)>, AnalysisError> {
    let slice = q.filters.slice_sql();
    let (row_keys, col_keys) = (rows.keys_sql(), q.by.keys_sql());
    let mut per_row: BTreeMap<String, Counts> = BTreeMap::new();
    for b in &run(
        ctx,
        &format!(
            "SELECT r.key AS row_key, count(DISTINCT r.incident_id) AS n FROM ({row_keys}) r \
             JOIN ({slice}) s ON r.incident_id = s.incident_id GROUP BY r.key"
        ),
    )
    .await?
    {
        for (k, n) in strings(column(b, 0)?)?.into_iter().zip(counts(column(b, 1)?)?) {
            if let Some(k) = k {
                per_row.insert(k, Counts { n, keys: Vec::new(), with_key: 0 });
            }
        }
    }
    for b in &run(
        ctx,
        &format!(
            "SELECT r.key AS row_key, c.key AS col_key, count(DISTINCT r.incident_id) AS n FROM ({row_keys}) r \
             JOIN ({col_keys}) c ON r.incident_id = c.incident_id JOIN ({slice}) s ON r.incident_id = s.incident_id \
             GROUP BY r.key, c.key"
        ),
    )
    .await?
    {
        let (rk, ck, n) = (strings(column(b, 0)?)?, strings(column(b, 1)?)?, counts(column(b, 2)?)?);
        for ((r, c), n) in rk.into_iter().zip(ck).zip(n) {
            if let (Some(r), Some(c)) = (r, c)
                && let Some(e) = per_row.get_mut(&r)
            {
                e.keys.push((c, n));
            }
        }
    }
    for b in &run(
        ctx,
        &format!(
            "SELECT r.key AS row_key, count(DISTINCT r.incident_id) AS n FROM ({row_keys}) r \
             JOIN (SELECT DISTINCT incident_id FROM ({col_keys}) c0) c ON r.incident_id = c.incident_id \
             JOIN ({slice}) s ON r.incident_id = s.incident_id GROUP BY r.key"
        ),
    )
    .await?
    {
        for (k, n) in strings(column(b, 0)?)?.into_iter().zip(counts(column(b, 1)?)?) {
            if let Some(e) = k.and_then(|k| per_row.get_mut(&k)) {
                e.with_key = n;
            }
        }
    }
    let mut out = Vec::new();
    for (key, mut c) in per_row {
        let Some(filters) = restricted(&q.filters, rows, &key)? else { continue };
        c.keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rq = ShareQuery { filters, ..q.clone() };
        out.push((key, share_of_counts(&rq, &c)?));
    }
    out.sort_by(|a, b| b.1.n.cmp(&a.1.n).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
