//! STIX 2.1 export of the store: what `spyglass export stix` writes and a TAXII endpoint serves.
//!
//! [`export_objects`] reads the incidents of a slice (the same [`Filters`] findings use) through
//! one session under the caller's [`Policy`] — so claims above the policy's TLP clearance never
//! reach the export — and maps them:
//!
//! | claims | STIX |
//! |---|---|
//! | incident (one per same-as group, under its canonical id) | `incident` with `first_seen`/`last_seen`/`incident_types` (as OpenCTI writes them), `x_spyglass_ai_assets`, `external_references` naming each source's own id, `created_by_ref` its source (an `identity`) |
//! | attribution | `attributed-to` → an `intrusion-set` per stance (actor name as the source wrote it, sponsor, sponsorship), which `originates-from` the sponsor's `location` (`country` = ISO alpha-2); `confidence`, `created_by_ref` = who attributed, `description` = basis. The intrusion set carries the knowledge base's aliases, per-vendor names (`x_spyglass_vendor_names`), resolved actor (`x_spyglass_kb_actor`) and ATT&CK/MISP references; `x_spyglass_sponsorship` keeps the sponsorship exactly (`state-affiliated` has no STIX term) |
//! | victim | `targets` → an `identity` (organisation, or a class named by its category) with `sectors` and `located-at` its country's `location`; a victim known only by its country targets the `location` |
//! | technique | `uses` → an `attack-pattern` with its ATT&CK or ATLAS id in `external_references` |
//! | TLP | `object_marking_refs` to the published TLP 2.0 `marking-definition`s, included in the bundle |
//! | finding | a `report` per row of the share by sponsor and by AI asset of the slice ([`findings`]) |
//!
//! Structured claims only: text claims come back when the export is ingested, from the same
//! title and description. Ids are UUIDv5 of what the object stands for ([`vocab::stix_id`]; an
//! incident read from a STIX `incident` keeps its id), timestamps come from the claims' ingest
//! times, and objects are sorted by id, so exporting the same store twice gives the same bytes.
//! The ingest reader reads an export back to the same findings (see `spyglass_ingest::stix`).

mod build;
mod data;
pub mod findings;
pub mod vocab;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use spyglass_analysis::Filters;
use spyglass_model::{Policy, Tlp};
use spyglass_store::{Store, StoreError};

pub use build::incident_stix_id;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum StixError {
    #[error("{0}")]
    Store(#[source] StoreError),
    #[error("{0}")]
    Analysis(#[source] spyglass_analysis::AnalysisError),
    #[error("STIX export query failed: {0}")]
    Query(String),
}

impl From<StoreError> for StixError {
    fn from(e: StoreError) -> Self {
        StixError::Store(e)
    }
}

/// What to put in an export besides the incidents and their claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// A `report` per finding (share by sponsor and by AI asset of the slice).
    pub findings: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { findings: true }
    }
}

/// The STIX objects of the slice `filter` under `policy`, sorted by id (a TAXII collection serves
/// these). An empty store slice gives only spyglass's identity and extension definition.
pub async fn export_objects(
    store: &Store,
    policy: &Policy,
    filter: &Filters,
    opts: ExportOptions,
) -> Result<Vec<Value>, StixError> {
    let ctx = store.session(policy).await?;
    let slice = filter.slice_sql();
    let d = data::load(&ctx, &slice).await?;

    // Knowledge-base views of the actors the attributions name.
    let mut kb_views = BTreeMap::new();
    let wanted: BTreeSet<&str> = d
        .attributions
        .iter()
        .filter_map(|a| a.actor_raw.as_ref())
        .filter_map(|r| d.resolutions.get(r))
        .map(|r| r.actor_id.as_str())
        .collect();
    if !wanted.is_empty() {
        let kb = store.kb().await?;
        for id in wanted {
            if let Some(v) = kb.show(id) {
                kb_views.insert(id.to_string(), v);
            }
        }
    }

    let mut o = build::Objects::default();
    build::incidents(&mut o, &d);
    build::attributions(&mut o, &d, &kb_views);
    build::victims(&mut o, &d);
    build::techniques(&mut o, &d);
    o.finish_shared();

    let latest = d.incidents.values().map(|i| i.last_ingested).max().unwrap_or(0);
    let max_tlp: Option<Tlp> = d.incidents.values().filter_map(|i| i.tlp).max();
    if opts.findings && !d.incidents.is_empty() {
        findings::add(&mut o, store, &ctx, policy, filter, &slice, latest, max_tlp).await?;
    }

    let mut objects: BTreeMap<String, Value> = o.map.into_iter().map(|(id, m)| (id, Value::Object(m))).collect();
    let used: BTreeSet<Tlp> = Tlp::ALL
        .iter()
        .copied()
        .filter(|t| {
            let id = vocab::tlp_marking_id(*t);
            objects.values().any(|v| {
                v.get("object_marking_refs").and_then(Value::as_array).is_some_and(|a| a.iter().any(|r| r == id))
            })
        })
        .collect();
    for t in used {
        objects.insert(vocab::tlp_marking_id(t).to_string(), vocab::tlp_marking(t));
    }
    objects.insert(vocab::SPYGLASS_IDENTITY.clone(), vocab::spyglass_identity());
    objects.insert(vocab::SPYGLASS_EXTENSION.clone(), vocab::spyglass_extension());
    Ok(objects.into_values().collect())
}

/// The export as one STIX 2.1 bundle; its id is a UUIDv5 of the objects' ids and versions, so
/// the same content always has the same bundle id.
pub async fn export_bundle(store: &Store, policy: &Policy, filter: &Filters) -> Result<Value, StixError> {
    export_bundle_with(store, policy, filter, ExportOptions::default()).await
}

/// [`export_bundle`] with options.
pub async fn export_bundle_with(
    store: &Store,
    policy: &Policy,
    filter: &Filters,
    opts: ExportOptions,
) -> Result<Value, StixError> {
    let objects = export_objects(store, policy, filter, opts).await?;
    Ok(bundle(objects))
}

/// Wraps objects in a bundle with a content-derived id.
pub fn bundle(objects: Vec<Value>) -> Value {
    let mut key = String::new();
    for o in &objects {
        key.push_str(o.get("id").and_then(Value::as_str).unwrap_or_default());
        key.push('@');
        key.push_str(o.get("modified").or_else(|| o.get("created")).and_then(Value::as_str).unwrap_or_default());
        key.push('\n');
    }
    json!({"type": "bundle", "id": vocab::stix_id("bundle", &key), "objects": objects})
}

/// Objects per STIX type, for summaries.
pub fn count_by_type(bundle: &Value) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for o in bundle.get("objects").and_then(Value::as_array).into_iter().flatten() {
        if let Some(t) = o.get("type").and_then(Value::as_str) {
            *out.entry(t.to_string()).or_insert(0) += 1;
        }
    }
    out
}
