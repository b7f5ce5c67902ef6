//! The documented SQL views over the claim tables.
//!
//! Visibility rule: a claim is visible only when its batch is committed (has a row in `batches`,
//! written last), and, for each (incident, source), only the claims of the latest committed batch
//! count — re-ingesting a corrected file supersedes the older claims instead of adding to them, and
//! a batch interrupted by a crash (claims written, marker not) is invisible.

use spyglass_model::{Policy, SecondarySponsors};

/// `(name, SQL)` of the base views (no policy), in creation order.
pub fn base_views() -> Vec<(&'static str, String)> {
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
    v
}

/// `(name, SQL)` of the policy views, created after `actor_resolutions` is registered.
pub fn policy_views(policy: &Policy) -> Vec<(&'static str, String)> {
    let exercises = if policy.include_exercises {
        String::new()
    } else {
        " WHERE NOT array_has(coalesce(types_raw, make_array()), 'exercise')".to_string()
    };
    vec![
        ("scoped_incidents", format!("SELECT * FROM incidents{exercises}")),
        (
            "incident_actors",
            "SELECT DISTINCT a.incident_id, r.actor_id, r.actor_name AS actor FROM attributions a \
             JOIN actor_resolutions r ON a.actor_raw = r.raw WHERE r.actor_id IS NOT NULL"
                .to_string(),
        ),
        ("incident_sponsors", incident_sponsors_sql(policy)),
        ("incident_verticals", labels_sql("victims", "vertical", policy.text_labels)),
        ("incident_assets", labels_sql("assets", "category", policy.text_labels)),
    ]
}

/// Structured labels, and text labels only for incidents without a structured one.
fn labels_sql(view: &str, col: &str, text: bool) -> String {
    let structured = format!(
        "SELECT DISTINCT incident_id, {col} AS {out} FROM {view} WHERE {col} IS NOT NULL \
         AND (method IS NULL OR method <> 'text')",
        out = if col == "category" { "asset" } else { col }
    );
    if !text {
        return structured;
    }
    format!(
        "{structured} UNION SELECT DISTINCT t.incident_id, t.{col} FROM {view} t WHERE t.{col} IS NOT NULL \
         AND t.method = 'text' AND t.incident_id NOT IN (SELECT incident_id FROM {view} s WHERE s.{col} IS NOT NULL \
         AND (s.method IS NULL OR s.method <> 'text'))"
    )
}

/// One row per incident × state sponsor under `policy`.
pub fn incident_sponsors_sql(policy: &Policy) -> String {
    let kinds: Vec<String> = policy.state_sponsorships.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let kinds = if kinds.is_empty() { "NULL".to_string() } else { kinds.join(", ") };
    let conf = match policy.min_confidence {
        Some(c) => format!(" AND (a.confidence IS NULL OR a.confidence >= {c})"),
        None => String::new(),
    };
    let base = format!(
        "SELECT DISTINCT a.incident_id, a.sponsor FROM attributions a WHERE a.sponsor IS NOT NULL \
         AND a.sponsorship IN ({kinds}) AND (a.method IS NULL OR a.method <> 'text'){conf}"
    );
    let kb = format!(
        "SELECT DISTINCT a.incident_id, r.sponsor FROM attributions a JOIN actor_resolutions r ON a.actor_raw = r.raw \
         WHERE r.sponsor IS NOT NULL AND r.sponsorship IN ({kinds}) AND (a.method IS NULL OR a.method <> 'text'){conf}"
    );
    let text = format!(
        "SELECT DISTINCT a.incident_id, a.sponsor FROM attributions a WHERE a.sponsor IS NOT NULL \
         AND a.sponsorship IN ({kinds}) AND a.method = 'text'{conf}"
    );
    let mut sql = base.clone();
    match policy.kb_sponsors {
        SecondarySponsors::Off => {}
        SecondarySponsors::Add => sql = format!("{sql} UNION {kb}"),
        SecondarySponsors::Fill => {
            sql = format!("{sql} UNION SELECT * FROM ({kb}) k WHERE k.incident_id NOT IN (SELECT incident_id FROM ({base}) b)")
        }
    }
    match policy.text_sponsors {
        SecondarySponsors::Off => {}
        SecondarySponsors::Add => sql = format!("{sql} UNION {text}"),
        SecondarySponsors::Fill => {
            let so_far = sql.clone();
            sql = format!(
                "{sql} UNION SELECT * FROM ({text}) t WHERE t.incident_id NOT IN (SELECT incident_id FROM ({so_far}) s)"
            )
        }
    }
    sql
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
incident_actors    one row per incident x resolved actor (knowledge base): incident_id, actor_id, actor
incident_verticals one row per incident x victim vertical (structured, else text): incident_id, vertical
incident_assets    one row per incident x AI asset sought (structured, else text): incident_id, asset
scoped_incidents   the incidents findings count under the policy (exercises left out by default)
actor_resolutions  every raw actor name resolved through the KB: raw, actor_id, actor_name, sponsor,
                   sponsorship, confidence
sources            one row per source: source_id, kind, name, reliability, batch_id, ingested_at
batches            committed ingest batches: batch_id, content_sha256, path, format, records_read,
                   records_skipped, claims_written, ingested_at, spyglass_version";
