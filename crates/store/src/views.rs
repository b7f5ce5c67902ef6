//! The documented SQL views over the claim tables.
//!
//! Visibility rule: a claim is visible only when its batch is committed (has a row in `batches`,
//! written last), and, for each (incident, source), only the claims of the latest committed batch
//! count — re-ingesting a corrected file supersedes the older claims instead of adding to them, and
//! a batch interrupted by a crash (claims written, marker not) is invisible.

use spyglass_model::{Policy, SecondarySponsors, Tlp};

/// `(name, SQL)` of the base views, in creation order. `clearance` (the policy's TLP clearance)
/// hides every claim of an (incident, source) whose latest committed incident claim is marked above
/// it; every other view reads through `live_claims`, so nothing hidden reaches a count.
pub fn base_views(clearance: Option<Tlp>) -> Vec<(&'static str, String)> {
    let live = "SELECT c.incident_id, c.source_id, max(c.batch_id) AS batch_id \
             FROM incident_claims c JOIN batches b ON c.batch_id = b.batch_id \
             GROUP BY c.incident_id, c.source_id";
    let live = match clearance {
        None => live.to_string(),
        Some(t) => {
            let allowed: Vec<String> = t.visible().iter().map(|v| format!("'{}'", v.as_str())).collect();
            format!(
                "SELECT l.incident_id, l.source_id, l.batch_id FROM ({live}) l JOIN incident_claims c \
                 ON c.incident_id = l.incident_id AND c.source_id = l.source_id AND c.batch_id = l.batch_id \
                 WHERE coalesce(c.tlp, 'clear') IN ({})",
                allowed.join(", ")
            )
        }
    };
    let mut v = vec![
        ("live_claims", live),
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
        ("techniques", "technique_claims", "c.incident_id, c.technique_id, c.name, c.evidence, c.method"),
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
        " AND NOT array_has(coalesce(i.types_raw, make_array()), 'exercise')".to_string()
    };
    vec![
        (
            "scoped_incidents",
            format!(
                "SELECT i.* FROM incidents i LEFT JOIN incident_canon c ON i.incident_id = c.incident_id \
                 WHERE (c.canon_id IS NULL OR c.canon_id = i.incident_id){exercises}"
            ),
        ),
        (
            "incident_actors",
            canon(
                "SELECT DISTINCT a.incident_id, r.actor_id, r.actor_name AS actor FROM attributions a \
                 JOIN actor_resolutions r ON a.actor_raw = r.raw WHERE r.actor_id IS NOT NULL",
                "x.actor_id, x.actor",
            ),
        ),
        ("incident_sponsors", canon(&incident_sponsors_sql(policy), "x.sponsor")),
        ("incident_verticals", canon(&verticals_sql(policy), "x.vertical")),
        ("incident_assets", canon(&labels_sql("assets", "category", policy.text_labels), "x.asset")),
    ]
}

/// Maps the incident ids of `inner` to their same-as group's canonical id.
fn canon(inner: &str, cols: &str) -> String {
    format!(
        "SELECT DISTINCT coalesce(c.canon_id, x.incident_id) AS incident_id, {cols} FROM ({inner}) x \
         LEFT JOIN incident_canon c ON x.incident_id = c.incident_id"
    )
}

/// Structured labels, and text labels only for incidents without a structured one.
/// Victim verticals: structured claims; else the vertical of a listed company a victim was linked
/// to (`companies link`, when the policy's `company_verticals` is on); else text labels (when
/// `text_labels` is on).
fn verticals_sql(policy: &Policy) -> String {
    let structured_ids = "SELECT incident_id FROM victims s WHERE s.vertical IS NOT NULL AND (s.method IS NULL OR s.method <> 'text')";
    let mut sql =
        "SELECT DISTINCT incident_id, vertical FROM victims WHERE vertical IS NOT NULL AND (method IS NULL OR method <> 'text')"
            .to_string();
    let company_ids = "SELECT incident_id FROM company_links k WHERE k.vertical IS NOT NULL";
    if policy.company_verticals {
        sql.push_str(&format!(
            " UNION SELECT DISTINCT incident_id, vertical FROM company_links WHERE vertical IS NOT NULL \
             AND incident_id NOT IN ({structured_ids})"
        ));
    }
    if policy.text_labels {
        sql.push_str(&format!(
            " UNION SELECT DISTINCT t.incident_id, t.vertical FROM victims t WHERE t.vertical IS NOT NULL \
             AND t.method = 'text' AND t.incident_id NOT IN ({structured_ids})"
        ));
        if policy.company_verticals {
            sql.push_str(&format!(" AND t.incident_id NOT IN ({company_ids})"));
        }
    }
    sql
}

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
techniques         technique claims (ATT&CK / ATLAS ids): incident_id, technique_id, name, evidence, method,
                   + provenance
incident_sponsors  one row per incident x state sponsor under the current policy: incident_id, sponsor
incident_actors    one row per incident x resolved actor (knowledge base): incident_id, actor_id, actor
incident_verticals one row per incident x victim vertical (structured, else linked company's, else text):
                   incident_id, vertical
company_links      victims linked to listed companies by the latest `companies link` run: incident_id,
                   victim_name, ticker, company, vertical, confidence, basis, batch_id
incident_assets    one row per incident x AI asset sought (structured, else text): incident_id, asset
scoped_incidents   the incidents findings count under the policy (exercises left out by default; one
                   row per same-as group, under its smallest incident id)
same_as            the current state of each pair of incidents: incident_a, incident_b, score,
                   decision (candidate, confirmed, rejected), method, analyst, reason, evidence
incident_canon     incident_id -> canon_id for incidents in a same-as group under the policy
actor_resolutions  every raw actor name resolved through the KB: raw, actor_id, actor_name, sponsor,
                   sponsorship, confidence
sources            one row per source: source_id, kind, name, reliability, batch_id, ingested_at
batches            committed ingest batches: batch_id, content_sha256, path, format, records_read,
                   records_skipped, claims_written, ingested_at, spyglass_version";
