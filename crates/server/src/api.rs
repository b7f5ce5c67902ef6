//! The `/api/v1` handlers. Findings call the same analysis functions as the CLI and return the
//! CLI's `--json` documents; every read runs under the caller's TLP clearance.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use spyglass_analysis::{
    ClaimQuery, CompareQuery, Dimension, Period, PrioritiesQuery, ShareQuery, Target, TrendQuery, parse_assets,
    parse_verticals,
};
use spyglass_extract::TextInput;
use spyglass_ingest::Format;
use spyglass_store::StoreError;
use spyglass_store::load::{LoadOptions, ingest_bytes};

use crate::App;
use crate::auth::Auth;
use crate::cache::{Hit, store_version};
use crate::docs;
use crate::error::{ApiError, problem};
use crate::params::{
    ActorsParams, ClaimParams, CompareParams, ExtractParams, IncidentsParams, IngestParams, PrioritiesParams, Query,
    ResolveParams, ShareParams, TrendParams,
};
use crate::tokens::{Role, TokenInfo};

fn json_response(body: Bytes, hit: Option<Hit>) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(h) = hit {
        r.headers_mut()
            .insert("x-spyglass-cache", HeaderValue::from_static(if h == Hit::Hit { "hit" } else { "miss" }));
    }
    r
}

pub(crate) fn to_bytes<T: serde::Serialize>(v: &T) -> Result<Bytes, ApiError> {
    Ok(Bytes::from(serde_json::to_vec(v)?))
}

/// Serves `compute`'s JSON from the cache when the store, the caller's clearance, the endpoint and
/// the query are the same as before.
pub(crate) async fn cached<F>(app: &App, auth: &Auth, endpoint: &str, q: &Query, compute: F) -> Result<Response, ApiError>
where
    F: AsyncFnOnce() -> Result<Bytes, ApiError>,
{
    let version = store_version(app.store.root());
    let key = format!("{}|{endpoint}|{}", auth.clearance_str(), q.canonical());
    let (body, hit) = app.cache.get_or_compute(&version, key, compute).await?;
    Ok(json_response(body, Some(hit)))
}

fn dimension(q: &Query) -> Result<Dimension, ApiError> {
    q.str("by").unwrap_or("sponsor").parse::<Dimension>().map_err(ApiError::bad_request)
}

fn period(q: &Query) -> Result<Period, ApiError> {
    q.str("by").unwrap_or("year").parse::<Period>().map_err(ApiError::bad_request)
}

fn year_range(name: &str, s: &str) -> Result<(i32, i32), ApiError> {
    let bad = || ApiError::bad_request(format!("{name} {s:?}: expected FROM:TO years, e.g. 2010:2016"));
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b {
        return Err(ApiError::bad_request(format!("{name} {s:?}: FROM is after TO")));
    }
    Ok((a, b))
}

/// Who the caller is: role and TLP clearance.
#[utoipa::path(get, path = "/api/v1/status", tag = "meta", responses((status = 200, body = docs::StatusDoc)))]
pub async fn status(State(app): State<Arc<App>>, Extension(auth): Extension<Auth>) -> Result<Response, ApiError> {
    let body = json!({
        "service": "spyglass",
        "version": env!("CARGO_PKG_VERSION"),
        "authentication": if auth.token_id.is_some() { "token" } else { "none (loopback only)" },
        "role": auth.role,
        "tlp_clearance": auth.clearance,
        "token_id": auth.token_id,
        "has_data": app.store.exists(),
    });
    Ok(json_response(to_bytes(&body)?, None))
}

/// Share of incidents by a dimension, with intervals (`spyglass share --json`).
#[utoipa::path(get, path = "/api/v1/findings/share", tag = "findings", params(ShareParams),
    responses((status = 200, description = "The CLI's `share --json` document", body = docs::ShareDoc)))]
pub async fn share(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ShareParams::groups())?;
    let sq = ShareQuery {
        by: dimension(&q)?,
        filters: q.filters()?,
        policy: q.policy(auth.clearance)?,
        level: q.level(),
        interval: q.interval()?,
    };
    cached(&app, &auth, "share", &q, async || {
        let result = spyglass_analysis::share(&app.store, &sq).await?;
        let mut v = serde_json::to_value(&result)?;
        if q.flag("sensitivity") {
            let variants = spyglass_analysis::sensitivity(&app.store, &sq).await?;
            if let Some(obj) = v.as_object_mut() {
                obj.insert("sensitivity".into(), serde_json::to_value(&variants)?);
            }
        }
        to_bytes(&v)
    })
    .await
}

/// Incidents per period with a count model and change points (`spyglass trend --json`).
#[utoipa::path(get, path = "/api/v1/findings/trend", tag = "findings", params(TrendParams),
    responses((status = 200, description = "The CLI's `trend --json` document", body = docs::TrendDoc)))]
pub async fn trend(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &TrendParams::groups())?;
    let tq = TrendQuery {
        by: period(&q)?,
        sponsor: q.str("sponsor").map(|s| s.to_ascii_uppercase()),
        filters: q.filters()?,
        policy: q.policy(auth.clearance)?,
        level: q.level(),
        keep_partial_last: q.flag("keep_partial"),
    };
    cached(&app, &auth, "trend", &q, async || to_bytes(&spyglass_analysis::trend(&app.store, &tq).await?)).await
}

/// Shares in two periods with two-proportion tests (`spyglass compare --json`).
#[utoipa::path(get, path = "/api/v1/findings/compare", tag = "findings", params(CompareParams),
    responses((status = 200, description = "The CLI's `compare --json` document", body = docs::CompareDoc)))]
pub async fn compare(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &CompareParams::groups())?;
    if q.str("by") == Some("year") {
        return Err(ApiError::bad_request("compare cannot break down by year"));
    }
    let cq = CompareQuery {
        by: dimension(&q)?,
        a: year_range("period_a", q.str("period_a").unwrap_or_default())?,
        b: year_range("period_b", q.str("period_b").unwrap_or_default())?,
        filters: q.filters()?,
        policy: q.policy(auth.clearance)?,
    };
    cached(&app, &auth, "compare", &q, async || to_bytes(&spyglass_analysis::compare(&app.store, &cq).await?)).await
}

/// Share of one sponsor's incidents aimed at AI assets or verticals per period (`spyglass priorities --json`).
#[utoipa::path(get, path = "/api/v1/findings/priorities", tag = "findings", params(PrioritiesParams),
    responses((status = 200, description = "The CLI's `priorities --json` document", body = docs::PrioritiesDoc)))]
pub async fn priorities(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &PrioritiesParams::groups())?;
    let (ta, tv) = (q.list("target_asset"), q.list("target_vertical"));
    let target = if !tv.is_empty() {
        if !ta.is_empty() {
            return Err(ApiError::bad_request("give target_asset or target_vertical, not both"));
        }
        Target::Verticals(parse_verticals(&tv).map_err(|e| ApiError::bad_request(format!("target_vertical: {e}")))?)
    } else {
        let list = if ta.is_empty() { vec!["any".to_string()] } else { ta };
        match parse_assets(&list).map_err(|e| ApiError::bad_request(format!("target_asset: {e}")))? {
            Some(f) => Target::Assets(f),
            None => return Err(ApiError::bad_request("target_asset needs a value")),
        }
    };
    let pq = PrioritiesQuery {
        sponsor: q.str("sponsor").unwrap_or_default().to_ascii_uppercase(),
        by: period(&q)?,
        target,
        filters: q.filters()?,
        policy: q.policy(auth.clearance)?,
        level: q.level(),
        interval: q.interval()?,
    };
    cached(&app, &auth, "priorities", &q, async || to_bytes(&spyglass_analysis::priorities(&app.store, &pq).await?))
        .await
}

/// Checks a headline claim: supported, contradicted or inconclusive (`spyglass claim-check --json`).
#[utoipa::path(get, path = "/api/v1/findings/claim-check", tag = "findings", params(ClaimParams),
    responses((status = 200, description = "The CLI's `claim-check --json` document", body = docs::ClaimDoc)))]
pub async fn claim_check(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ClaimParams::groups())?;
    let cq = ClaimQuery {
        claim: q.str("claim").unwrap_or_default().to_string(),
        by: dimension(&q)?,
        filters: q.filters()?,
        policy: q.policy(auth.clearance)?,
        level: q.level(),
        interval: q.interval()?,
    };
    cached(&app, &auth, "claim-check", &q, async || to_bytes(&spyglass_analysis::claim_check(&app.store, &cq).await?))
        .await
}

/// The actors of the knowledge base, optionally by sponsor (`spyglass actor list --json`).
#[utoipa::path(get, path = "/api/v1/actors", tag = "actors", params(ActorsParams),
    responses((status = 200, body = Vec<docs::ActorSummaryDoc>)))]
pub async fn actors_list(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &[crate::params::ACTORS])?;
    cached(&app, &auth, "actors", &q, async || {
        let kb = app.cache.kb(&app.store, &store_version(app.store.root())).await?;
        to_bytes(&kb.list(q.str("sponsor")))
    })
    .await
}

/// Resolves a group name (any vendor's) to an actor and its sponsor (`spyglass actor resolve --json`).
#[utoipa::path(get, path = "/api/v1/actors/resolve", tag = "actors", params(ResolveParams),
    responses((status = 200, description = "One resolution, in an array as the CLI prints it", body = Vec<docs::ResolutionDoc>)))]
pub async fn actors_resolve(
    State(app): State<Arc<App>>,
    Extension(_auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &[crate::params::RESOLVE])?;
    let kb = app.cache.kb(&app.store, &store_version(app.store.root())).await?;
    let res = vec![kb.resolve(q.str("name").unwrap_or_default())];
    Ok(json_response(to_bytes(&res)?, None))
}

/// Everything the knowledge base knows about one actor (`spyglass actor show --json`).
#[utoipa::path(get, path = "/api/v1/actors/{name}", tag = "actors",
    params(("name" = String, Path, description = "Actor name, alias or id")),
    responses((status = 200, body = docs::ActorViewDoc)))]
pub async fn actor_show(
    State(app): State<Arc<App>>,
    Extension(_auth): Extension<Auth>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let kb = app.cache.kb(&app.store, &store_version(app.store.root())).await?;
    match kb.show(&name) {
        Some(view) => Ok(json_response(to_bytes(&view)?, None)),
        None => Err(ApiError::not_found(format!("no actor known as {name:?}"))),
    }
}

/// A SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Runs `sql` and returns its rows as JSON objects (every column present, nulls explicit).
async fn rows(ctx: &datafusion::prelude::SessionContext, sql: &str) -> Result<Vec<Value>, ApiError> {
    let df = ctx.sql(sql).await.map_err(StoreError::Query)?;
    let batches = df.collect().await.map_err(StoreError::Query)?;
    let mut w = arrow::json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow::json::writer::JsonArray>(Vec::new());
    for b in &batches {
        w.write(b).map_err(|e| ApiError::internal(format!("encoding rows: {e}")))?;
    }
    w.finish().map_err(|e| ApiError::internal(format!("encoding rows: {e}")))?;
    let buf = w.into_inner();
    if buf.is_empty() {
        return Ok(Vec::new());
    }
    match serde_json::from_slice::<Value>(&buf)? {
        Value::Array(a) => Ok(a),
        _ => Err(ApiError::internal("rows did not encode as an array")),
    }
}

fn str_field(row: &Value, name: &str) -> Option<String> {
    row.get(name).and_then(Value::as_str).map(String::from)
}

/// The incidents the findings count (after filters and policy), newest first, with their sponsors,
/// verticals, AI assets and actors under the policy.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentsParams),
    responses((status = 200, body = docs::IncidentListDoc)))]
pub async fn incidents(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &IncidentsParams::groups())?;
    let filters = q.filters()?;
    let policy = q.policy(auth.clearance)?;
    let limit = q.int("limit").unwrap_or(100);
    let offset = q.int("offset").unwrap_or(0);
    cached(&app, &auth, "incidents", &q, async || {
        let ctx = app.store.session(&policy).await?;
        let slice = filters.slice_sql();
        let total = rows(&ctx, &format!("SELECT count(*) AS n FROM ({slice}) s")).await?;
        let total = total.first().and_then(|r| r.get("n")).and_then(Value::as_u64).unwrap_or(0);
        let page = rows(
            &ctx,
            &format!(
                "SELECT * FROM (SELECT i.incident_id, max(i.title) AS title, \
                 CAST(min(i.start_date) AS VARCHAR) AS start_date, max(i.tlp) AS tlp, \
                 array_agg(DISTINCT i.source_id) AS sources \
                 FROM scoped_incidents i JOIN ({slice}) s ON i.incident_id = s.incident_id GROUP BY i.incident_id) p \
                 ORDER BY p.start_date DESC NULLS LAST, p.incident_id LIMIT {limit} OFFSET {offset}"
            ),
        )
        .await?;
        let ids: Vec<String> = page.iter().filter_map(|r| str_field(r, "incident_id")).collect();
        let mut labels: std::collections::HashMap<(String, String), Vec<String>> = std::collections::HashMap::new();
        if !ids.is_empty() {
            let list = ids.iter().map(|i| lit(i)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT 'sponsors' AS k, incident_id, CAST(sponsor AS VARCHAR) AS v FROM incident_sponsors WHERE incident_id IN ({list}) \
                 UNION ALL SELECT 'verticals', incident_id, CAST(vertical AS VARCHAR) FROM incident_verticals WHERE incident_id IN ({list}) \
                 UNION ALL SELECT 'assets', incident_id, CAST(asset AS VARCHAR) FROM incident_assets WHERE incident_id IN ({list}) \
                 UNION ALL SELECT 'actors', incident_id, CAST(actor AS VARCHAR) FROM incident_actors WHERE incident_id IN ({list})"
            );
            for r in rows(&ctx, &sql).await? {
                if let (Some(k), Some(id), Some(v)) = (str_field(&r, "k"), str_field(&r, "incident_id"), str_field(&r, "v")) {
                    labels.entry((id, k)).or_default().push(v);
                }
            }
        }
        let incidents: Vec<Value> = page
            .into_iter()
            .map(|mut r| {
                let id = str_field(&r, "incident_id").unwrap_or_default();
                if let Some(o) = r.as_object_mut() {
                    for k in ["sponsors", "verticals", "assets", "actors"] {
                        let mut v = labels.remove(&(id.clone(), k.to_string())).unwrap_or_default();
                        v.sort();
                        v.dedup();
                        o.insert(k.into(), json!(v));
                    }
                }
                r
            })
            .collect();
        to_bytes(&json!({ "total": total, "limit": limit, "offset": offset, "incidents": incidents,
            "filters": filters, "policy_text": policy.describe() }))
    })
    .await
}

/// One incident: every source's record of it, its victim, attribution and AI-asset claims with
/// provenance and evidence, and its labels under the policy.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = docs::IncidentDoc)))]
pub async fn incident(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let q = Query::single("id", &id);
    let policy = Query::default().policy(auth.clearance)?;
    cached(&app, &auth, "incident", &q, async || {
        let ctx = app.store.session(&policy).await?;
        let idl = lit(&id);
        let records = rows(&ctx, &format!("SELECT * FROM incidents WHERE incident_id = {idl} ORDER BY source_id")).await?;
        if records.is_empty() {
            return Err(ApiError::not_found(format!("no incident {id:?}")));
        }
        let canon = rows(&ctx, &format!("SELECT canon_id FROM incident_canon WHERE incident_id = {idl}")).await?;
        let canon = canon.first().and_then(|r| str_field(r, "canon_id")).unwrap_or_else(|| id.clone());
        let cl = lit(&canon);
        let group = rows(&ctx, &format!("SELECT incident_id FROM incident_canon WHERE canon_id = {cl} ORDER BY incident_id"))
            .await?
            .iter()
            .filter_map(|r| str_field(r, "incident_id"))
            .collect::<Vec<_>>();
        let mut doc = json!({ "incident_id": id, "canonical_id": canon, "same_as": group, "records": records });
        for (name, view) in [("victims", "victims"), ("attributions", "attributions"), ("assets", "assets")] {
            doc[name] = json!(rows(&ctx, &format!("SELECT * FROM {view} WHERE incident_id = {idl} ORDER BY source_id")).await?);
        }
        let mut labels = serde_json::Map::new();
        for (name, view, col) in [
            ("sponsors", "incident_sponsors", "sponsor"),
            ("verticals", "incident_verticals", "vertical"),
            ("assets", "incident_assets", "asset"),
            ("actors", "incident_actors", "actor"),
        ] {
            let vals: Vec<String> = rows(
                &ctx,
                &format!("SELECT DISTINCT CAST({col} AS VARCHAR) AS v FROM {view} WHERE incident_id = {cl} ORDER BY v"),
            )
            .await?
            .iter()
            .filter_map(|r| str_field(r, "v"))
            .collect();
            labels.insert(name.into(), json!(vals));
        }
        doc["labels"] = Value::Object(labels);
        doc["policy_text"] = json!(policy.describe());
        to_bytes(&doc)
    })
    .await
}

/// Finds actors, sponsors, verticals, AI assets, techniques, CVEs and IOCs in a text (`spyglass extract --json`).
#[utoipa::path(post, path = "/api/v1/extract", tag = "extract", params(ExtractParams),
    request_body(content = String, content_type = "text/plain", description = "The text (UTF-8; HTML and Markdown are reduced to text first)"),
    responses((status = 200, body = docs::ExtractionDoc)))]
pub async fn extract(
    State(app): State<Arc<App>>,
    Extension(_auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &[crate::params::EXTRACT])?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::bad_request(format!("the body is not UTF-8 (at byte {})", e.valid_up_to())))?;
    let input = match q.str("kind").unwrap_or("auto") {
        "text" => TextInput::Plain(text),
        "markdown" => TextInput::Markdown(text),
        "html" => TextInput::Html(text),
        _ => {
            let head = text.trim_start().get(..200).unwrap_or(text.trim_start()).to_ascii_lowercase();
            if head.starts_with("<!doctype html") || head.starts_with("<html") {
                TextInput::Html(text)
            } else {
                TextInput::Plain(text)
            }
        }
    };
    let ex = app.cache.extractor(&app.store, &store_version(app.store.root())).await?;
    let (_, e) = ex.extract_input(input);
    Ok(json_response(to_bytes(&e)?, None))
}

/// Whether `name` is a plain base name (no directory part, no `..`).
pub fn is_base_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.contains(['/', '\\', '\0'])
        && !name.contains("..")
        && Path::new(name).file_name().is_some_and(|f| f == name)
}

/// Reads an uploaded file into the store as one batch (analyst role; `spyglass ingest --json`).
#[utoipa::path(post, path = "/api/v1/ingest", tag = "ingest", params(IngestParams),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's content (at most 64 MiB)"),
    responses((status = 200, description = "The ingest report (status committed, already_ingested, rejected or empty)", body = docs::IngestReportDoc)))]
pub async fn ingest(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth.require(Role::Analyst)?;
    let filename = url::form_urlencoded::parse(raw.as_deref().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "filename")
        .map(|(_, v)| v.into_owned());
    if let Some(f) = &filename
        && !is_base_name(f)
    {
        return Err(ApiError::bad_request(format!(
            "filename {f:?} must be a base name: no directory separators and no `..`"
        )));
    }
    let q = Query::parse(raw.as_deref(), &[crate::params::INGEST])?;
    let filename = q.str("filename").unwrap_or_default().to_string();
    let format = match q.str("format").unwrap_or("auto") {
        "auto" => None,
        f => Some(f.parse::<Format>().map_err(ApiError::bad_request)?),
    };
    let opts = LoadOptions { format, strict: q.flag("strict"), no_extract: q.flag("no_extract") };
    let _guard = app.ingest_lock.lock().await;
    let report = ingest_bytes(&app.store, Path::new(&filename), &body, opts, &mut |_, _| {}).await?;
    if report.status == spyglass_store::load::Status::Committed {
        compact_fragmented(&app.store).await;
    }
    Ok(json_response(to_bytes(&report)?, None))
}

/// After a committed upload (under the ingest lock): compacts the tables a stream of small
/// uploads has split into many files, so that the sessions every later query opens stay as cheap
/// as after one large batch. The batch is committed either way: a failure here is logged and
/// costs only speed.
async fn compact_fragmented(store: &spyglass_store::Store) {
    use spyglass_store::maintain::{AUTO_COMPACT_SMALL_FILES, DEFAULT_TARGET_BYTES};
    match store.compact_fragmented(AUTO_COMPACT_SMALL_FILES, DEFAULT_TARGET_BYTES).await {
        Ok(done) => {
            for c in done {
                eprintln!("spyglass serve: compacted {}: {} files -> {}", c.table, c.files_before, c.files_after);
            }
        }
        Err(e) => eprintln!("spyglass serve: compaction after ingest failed (the batch is committed): {e}"),
    }
}

/// The API tokens (admin role; never the secrets or their hashes).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "meta", responses((status = 200, body = Vec<docs::TokenDoc>)))]
pub async fn tokens_list(State(app): State<Arc<App>>, Extension(auth): Extension<Auth>) -> Result<Response, ApiError> {
    auth.require(Role::Admin)?;
    let list: Vec<TokenInfo> = app.auth.tokens()?.iter().map(TokenInfo::from).collect();
    Ok(json_response(to_bytes(&list)?, None))
}

static OPENAPI: LazyLock<Bytes> =
    LazyLock::new(|| Bytes::from(serde_json::to_vec_pretty(&docs::openapi()).unwrap_or_default()));

/// The OpenAPI 3.1 document of this API.
pub async fn openapi() -> Response {
    json_response(OPENAPI.clone(), None)
}

/// 404 for everything else.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    problem(StatusCode::NOT_FOUND, &format!("no such endpoint: {}", uri.path()))
}
