//! The documented SQL views over the claim tables.
//!
//! Visibility rule: a claim is visible only when its batch is committed (has a row in `batches`,
//! written last), and, for each (incident, source), only the claims of the latest committed batch
//! count — re-ingesting a corrected file supersedes the older claims instead of adding to them, and
//! a batch interrupted by a crash (claims written, marker not) is invisible.

use spyglass_model::Policy;

/// `(name, SQL)` of every view, in creation order.
pub fn view_definitions(policy: &Policy) -> Vec<(&'static str, String)> {
    let mut v = vec![
        (
            "live_claims",
            "SELECT c.incident_id, c.source_id, max(c.batch_id) AS batch_id \
             FROM incident_claims c JOIN batches b ON c.batch_id = b.batch_id \
             GROUP BY c.incident_id, c.source_id"
                .to_string(),
        ),
        (
            "sources",
            "SELECT s.source_id, s.kind, s.name, s.reliability, s.batch_id, s.ingested_at FROM source_claims s \
             JOIN (SELECT s2.source_id, max(s2.batch_id) AS batch_id FROM source_claims s2 \
                   JOIN batches b ON s2.batch_id = b.batch_id GROUP BY s2.source_id) l \
             ON s.source_id = l.source_id AND s.batch_id = l.batch_id"
                .to_string(),
        ),
    ];
    for (view, table, cols) in [
        (
            "incidents",
            "incident_claims",
            "c.incident_id, c.title, c.description, c.start_date, c.end_date, c.types, c.types_raw, c.tlp, \
             c.data_theft",
        ),
        (
            "victims",
            "victim_claims",
            "c.incident_id, c.name, c.country, c.country_raw, c.category, c.subcode, c.vertical, c.ticker, c.method",
        ),
        (
            "attributions",
            "attribution_claims",
            "c.incident_id, c.actor_raw, c.actor, c.sponsor, c.sponsor_raw, c.sponsorship, c.sponsorship_raw, \
             c.attributed_by, c.basis, c.attributed_on, c.confidence, c.method",
        ),
        ("assets", "asset_claims", "c.incident_id, c.category, c.evidence, c.method"),
    ] {
        v.push((
            view,
            format!(
                "SELECT {cols}, c.source_id, c.record_ref, c.batch_id, c.ingested_at FROM {table} c \
                 JOIN live_claims l ON c.incident_id = l.incident_id AND c.source_id = l.source_id \
                 AND c.batch_id = l.batch_id"
            ),
        ));
    }
    v.push(("incident_sponsors", incident_sponsors_sql(policy)));
    v
}

/// One row per incident × state sponsor under `policy`.
pub fn incident_sponsors_sql(policy: &Policy) -> String {
    let kinds: Vec<String> = policy.state_sponsorships.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let kinds = if kinds.is_empty() { "NULL".to_string() } else { kinds.join(", ") };
    let conf = match policy.min_confidence {
        Some(c) => format!(" AND (confidence IS NULL OR confidence >= {c})"),
        None => String::new(),
    };
    format!(
        "SELECT DISTINCT incident_id, sponsor FROM attributions \
         WHERE sponsor IS NOT NULL AND sponsorship IN ({kinds}){conf}"
    )
}

/// Human documentation of the views (printed by `spyglass sql --help-views` and in the README).
pub const VIEWS_DOC: &str = "\
incidents          one row per incident (per source): incident_id, title, description, start_date, end_date,
                   types, types_raw, tlp, data_theft, source_id, record_ref, batch_id, ingested_at
victims            victim claims: incident_id, name, country (ISO alpha-2), country_raw, category, subcode,
                   vertical, ticker, method, + provenance
attributions       attribution claims: incident_id, actor_raw, actor, sponsor (ISO alpha-2), sponsor_raw,
                   sponsorship, sponsorship_raw, attributed_by, basis, attributed_on, confidence, method,
                   + provenance
assets             AI-asset claims: incident_id, category, evidence, method, + provenance
incident_sponsors  one row per incident x state sponsor under the current policy: incident_id, sponsor
sources            one row per source: source_id, kind, name, reliability, batch_id, ingested_at
batches            committed ingest batches: batch_id, content_sha256, path, format, records_read,
                   records_skipped, claims_written, ingested_at, spyglass_version";
