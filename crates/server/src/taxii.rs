//! TAXII 2.1 under `/taxii2/`: discovery, one API root (`/taxii2/api/`), two collections, objects
//! (with `added_after`, `match[id|type|version|spec_version]`, `limit` and `next`/`more`
//! pagination and the `X-TAXII-Date-Added-First/Last` headers), single objects and their versions,
//! manifests, `POST` of envelopes answered with status resources, and the status resources.
//!
//! Same tokens, roles and TLP rules as `/api/v1`: a bearer token (`Authorization: Bearer <token>`;
//! `Token <token>`, what the OASIS `taxii2-client`'s `TokenAuth` sends, is read the same way), every
//! read under the caller's clearance through the same export as `GET /api/v1/export/stix`, and
//! writing needs the analyst role.
//!
//! # Collections
//! - **`spyglass`** (read-only, [`READ_COLLECTION`]): everything the store knows, as the STIX 2.1
//!   export of the whole store under the caller's TLP clearance (the objects of
//!   `GET /api/v1/export/stix` without filters, same ids and versions).
//! - **`inbox`** (write-only, [`INBOX_COLLECTION`]; `can_write` for analysts and admins): a POSTed
//!   envelope is wrapped as a STIX bundle and ingested as one batch by the same path as
//!   `POST /api/v1/ingest` (file name `taxii-inbox.json`, so objects without `created_by_ref`
//!   count for the source `stix:taxii-inbox`). What it held then shows in the findings and, as
//!   spyglass exports it, in the `spyglass` collection.
//!
//! # `date_added`
//! An object's `date_added` is its `modified` (`created` for marking definitions), which the
//! exporter sets to the ingest time of the newest claim behind that version of the object (the
//! `ingested_at` of its batch; a knowledge-base update for intrusion sets). So a new claim about an
//! incident gives its object a new version with a later `date_added`, and `added_after` set to the
//! last `X-TAXII-Date-Added-Last` a client saw returns exactly what changed since. Objects whose
//! timestamps are constants (the TLP marking definitions, spyglass's identity and extension
//! definition) are dated by the first object that refers to them, so a marking first used by a
//! later batch arrives with that batch. Precision is the export's (milliseconds). Caveat: a batch
//! is dated when it starts; two ingests running at once (the CLI beside the server) may commit out
//! of that order.
//!
//! Status resources live in memory (the latest [`MAX_STATUSES`]) and are visible to the token that
//! posted the envelope and to admins.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use spyglass_analysis::Filters;
use spyglass_report::stix::{ExportOptions, export_objects, vocab};
use spyglass_store::load::{LoadOptions, Status as LoadStatus, ingest_bytes};

use crate::App;
use crate::auth::Auth;
use crate::cache::store_version;
use crate::error::ApiError;
use crate::params::Query;
use crate::tokens::Role;

/// The TAXII 2.1 media type of every response.
pub const MEDIA_TYPE: &str = "application/taxii+json;version=2.1";
/// The STIX media type of the objects.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";
/// The API root's path.
pub const API_ROOT: &str = "/taxii2/api/";
/// The read collection: everything spyglass knows, exported as STIX.
pub const READ_COLLECTION: &str = "51afdc9a-92bc-5b62-8a9f-09832dbb31f3";
/// The writable collection: POSTed envelopes are ingested.
pub const INBOX_COLLECTION: &str = "3c20bce4-b503-5642-aed1-be5c741988b8";
/// Objects per page when the request gives no `limit`, and the most a page holds.
pub const MAX_PAGE: usize = 1000;
/// Status resources kept.
pub const MAX_STATUSES: usize = 1000;
/// The file name POSTed envelopes are ingested under.
pub const INBOX_FILE: &str = "taxii-inbox.json";

// ---------------------------------------------------------------------------------------------
// Errors

/// A TAXII error message (`{title, description, http_status}`) with its status.
#[derive(Debug)]
pub struct TaxiiError {
    pub status: StatusCode,
    pub description: String,
}

impl TaxiiError {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        TaxiiError { status, description: description.into() }
    }
    fn bad_request(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, d)
    }
    fn not_found(d: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, d)
    }
}

fn taxii_body(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    r
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("spyglass serve: TAXII {} {}", self.status.as_u16(), self.description);
        }
        let body = json!({
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "description": self.description,
            "http_status": self.status.as_u16().to_string(),
        });
        let mut r = taxii_body(self.status, serde_json::to_vec(&body).unwrap_or_default());
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"spyglass\""));
        }
        r
    }
}

impl From<ApiError> for TaxiiError {
    fn from(e: ApiError) -> Self {
        TaxiiError::new(e.status, e.detail)
    }
}

impl From<spyglass_report::stix::StixError> for TaxiiError {
    fn from(e: spyglass_report::stix::StixError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<serde_json::Error> for TaxiiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::from(e).into()
    }
}

/// Turns axum's own error responses under `/taxii2/` (405, 413, rejected path parameters) into
/// TAXII error messages.
async fn taxii_plain_errors(r: Response) -> Response {
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    if r.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == MEDIA_TYPE.as_bytes()) {
        return r;
    }
    let (parts, body) = r.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let detail = if text.trim().is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    let mut out = TaxiiError::new(status, detail).into_response();
    for (k, v) in &parts.headers {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Media types

/// `type/subtype` (lower case) and its parameters (names lower case, values unquoted).
fn media_type(s: &str) -> (String, Vec<(String, String)>) {
    let mut parts = s.split(';');
    let t = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string()))
        .collect();
    (t, params)
}

/// Whether a TAXII media type (given as `type` and parameters) is TAXII 2.1.
fn is_taxii21(t: &str, params: &[(String, String)]) -> bool {
    t == "application/taxii+json" && params.iter().find(|(k, _)| k == "version").is_none_or(|(_, v)| v == "2.1")
}

/// Whether an `Accept` header admits `application/taxii+json;version=2.1` (no header: yes).
fn accepts_taxii(accept: Option<&str>) -> bool {
    let Some(a) = accept.map(str::trim).filter(|a| !a.is_empty()) else { return true };
    a.split(',').any(|range| {
        let (t, params) = media_type(range);
        let q_zero = params.iter().any(|(k, v)| k == "q" && v.parse::<f32>().is_ok_and(|q| q <= 0.0));
        !q_zero && (t == "*/*" || t == "application/*" || is_taxii21(&t, &params))
    })
}

// ---------------------------------------------------------------------------------------------
// Authentication

/// Middleware for every `/taxii2/` route: 406 unless the caller accepts TAXII 2.1, then the
/// caller's token (as for `/api/v1`), handed on as [`Auth`].
async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let accept = req.headers().get(header::ACCEPT).map(|v| v.to_str().unwrap_or("\u{0}"));
    if !accepts_taxii(accept) {
        return TaxiiError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!("this server answers only in {MEDIA_TYPE}; the request accepts {:?}", accept.unwrap_or_default()),
        )
        .into_response();
    }
    let presented = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(|h| {
        // taxii2-client's TokenAuth sends `Token <key>`.
        match h.strip_prefix("Token ").or_else(|| h.strip_prefix("token ")) {
            Some(t) => format!("Bearer {t}"),
            None => h.to_string(),
        }
    });
    match app.auth.authenticate(presented.as_deref()) {
        Ok(auth) => {
            req.extensions_mut().insert(auth);
            next.run(req).await
        }
        Err(e) => TaxiiError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Routes

/// The TAXII routes (each with and without its trailing slash), to merge into the server's router.
pub fn routes(app: Arc<App>) -> Router<Arc<App>> {
    let r = Router::new();
    let r = both(r, "/taxii2/", get(discovery));
    let r = both(r, "/taxii2/api/", get(api_root));
    let r = both(r, "/taxii2/api/collections/", get(collections));
    let r = both(r, "/taxii2/api/collections/{cid}/", get(collection));
    let r = both(
        r,
        "/taxii2/api/collections/{cid}/objects/",
        get(get_objects).post(add_objects).layer(DefaultBodyLimit::max(crate::INGEST_LIMIT)),
    );
    let r = both(r, "/taxii2/api/collections/{cid}/objects/{oid}/", get(get_object));
    let r = both(r, "/taxii2/api/collections/{cid}/objects/{oid}/versions/", get(object_versions));
    let r = both(r, "/taxii2/api/collections/{cid}/manifest/", get(manifest));
    let r = both(r, "/taxii2/api/status/{sid}/", get(status));
    let r = r.route("/taxii2/{*rest}", get(unknown).post(unknown));
    r.route_layer(axum::middleware::from_fn_with_state(app, guard))
        .layer(DefaultBodyLimit::max(crate::BODY_LIMIT))
        .layer(axum::middleware::map_response(taxii_plain_errors))
}

/// Routes `path` and `path` without its trailing slash (TAXII URLs end in `/`; clients such as
/// taxii2-client build some without it, e.g. the status URL after a POST).
fn both(r: Router<Arc<App>>, path: &str, m: axum::routing::MethodRouter<Arc<App>>) -> Router<Arc<App>> {
    let bare = path.trim_end_matches('/');
    r.route(path, m.clone()).route(bare, m)
}

fn respond(status: StatusCode, v: &Value) -> Result<Response, TaxiiError> {
    Ok(taxii_body(status, serde_json::to_vec(v)?))
}

async fn unknown(uri: axum::http::Uri) -> TaxiiError {
    TaxiiError::not_found(format!("no such TAXII endpoint: {} (the API root is {API_ROOT})", uri.path()))
}

/// Server discovery: one API root.
async fn discovery(headers: HeaderMap, Extension(_auth): Extension<Auth>) -> Result<Response, TaxiiError> {
    let root = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.contains(['/', ' ', '\\']) => {
            let scheme = headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .filter(|s| *s == "https" || *s == "http")
                .unwrap_or("http");
            format!("{scheme}://{host}{API_ROOT}")
        }
        _ => API_ROOT.to_string(),
    };
    respond(
        StatusCode::OK,
        &json!({
            "title": "spyglass TAXII 2.1 server",
            "description": "State-sponsored cyber operations against AI assets and verticals, as STIX 2.1, under the caller's TLP clearance.",
            "default": root,
            "api_roots": [root],
        }),
    )
}

async fn api_root(Extension(_auth): Extension<Auth>) -> Result<Response, TaxiiError> {
    respond(
        StatusCode::OK,
        &json!({
            "title": "spyglass",
            "description": "The spyglass store: a read collection of everything it knows and an inbox for STIX envelopes.",
            "versions": [MEDIA_TYPE],
            "max_content_length": crate::INGEST_LIMIT,
        }),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    Inbox,
}

fn find_collection(cid: &str) -> Result<Kind, TaxiiError> {
    match cid {
        READ_COLLECTION | "spyglass" => Ok(Kind::Read),
        INBOX_COLLECTION | "inbox" => Ok(Kind::Inbox),
        _ => Err(TaxiiError::not_found(format!("no collection {cid:?} in this API root"))),
    }
}

fn collection_doc(kind: Kind, auth: &Auth) -> Value {
    match kind {
        Kind::Read => json!({
            "id": READ_COLLECTION,
            "title": "spyglass: everything known",
            "description": "Incidents, intrusion sets, victims, techniques and findings as spyglass exports them \
                            (GET /api/v1/export/stix), under the caller's TLP clearance. date_added is the ingest \
                            time of the newest claim behind each object version.",
            "alias": "spyglass",
            "can_read": true,
            "can_write": false,
            "media_types": [STIX_MEDIA_TYPE],
        }),
        Kind::Inbox => json!({
            "id": INBOX_COLLECTION,
            "title": "spyglass inbox",
            "description": "POST STIX 2.1 envelopes here (analyst role): each is ingested as one batch, as \
                            POST /api/v1/ingest would, and then counts in the findings and the read collection.",
            "alias": "inbox",
            "can_read": false,
            "can_write": auth.role >= Role::Analyst,
            "media_types": [STIX_MEDIA_TYPE],
        }),
    }
}

async fn collections(Extension(auth): Extension<Auth>) -> Result<Response, TaxiiError> {
    respond(StatusCode::OK, &json!({ "collections": [collection_doc(Kind::Read, &auth), collection_doc(Kind::Inbox, &auth)] }))
}

async fn collection(Extension(auth): Extension<Auth>, UrlPath(cid): UrlPath<String>) -> Result<Response, TaxiiError> {
    respond(StatusCode::OK, &collection_doc(find_collection(&cid)?, &auth))
}

fn readable(cid: &str) -> Result<(), TaxiiError> {
    match find_collection(cid)? {
        Kind::Read => Ok(()),
        Kind::Inbox => Err(TaxiiError::new(
            StatusCode::FORBIDDEN,
            format!("the inbox collection cannot be read: read the collection {READ_COLLECTION} (alias spyglass)"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The read collection

/// One object of the read collection.
#[derive(Debug)]
struct Entry {
    id: String,
    kind: String,
    spec_version: String,
    version: String,
    version_us: i64,
    added_us: i64,
    object: Value,
}

/// The read collection for one store version and clearance, sorted by (`date_added`, id).
#[derive(Debug, Default)]
struct View {
    entries: Vec<Entry>,
}

/// Views and status resources of one server.
#[derive(Debug, Default)]
pub struct TaxiiState {
    views: tokio::sync::Mutex<HashMap<String, Arc<View>>>,
    statuses: Mutex<StatusBook>,
}

#[derive(Debug, Default)]
struct StatusBook {
    order: VecDeque<String>,
    map: HashMap<String, StatusRecord>,
}

#[derive(Debug, Clone)]
struct StatusRecord {
    owner: Option<String>,
    doc: Value,
}

/// Microseconds since the epoch of an RFC 3339 timestamp.
fn parse_ts(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc).timestamp_micros())
}

/// A TAXII timestamp (UTC, milliseconds, as the export's).
fn format_ts(us: i64) -> String {
    vocab::timestamp(vocab::micros(us))
}

fn str_of<'a>(o: &'a Value, k: &str) -> &'a str {
    o.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// Dates and sorts the exported objects (see the module docs for `date_added`).
fn build_view(objects: Vec<Value>) -> View {
    let constant = |o: &Value| {
        let id = str_of(o, "id");
        str_of(o, "type") == "marking-definition" || id == vocab::SPYGLASS_IDENTITY.as_str() || id == vocab::SPYGLASS_EXTENSION.as_str()
    };
    let mut entries: Vec<Entry> = objects
        .into_iter()
        .map(|o| {
            let version = o.get("modified").or_else(|| o.get("created")).and_then(Value::as_str).unwrap_or_default().to_string();
            let version_us = parse_ts(&version).unwrap_or(0);
            Entry {
                id: str_of(&o, "id").to_string(),
                kind: str_of(&o, "type").to_string(),
                spec_version: o.get("spec_version").and_then(Value::as_str).unwrap_or("2.1").to_string(),
                version,
                version_us,
                added_us: version_us,
                object: o,
            }
        })
        .collect();
    // Constant objects: dated by the earliest object that refers to them.
    let mut first_use: HashMap<String, i64> = HashMap::new();
    for e in entries.iter().filter(|e| !constant(&e.object)) {
        let mut refs: Vec<&str> = Vec::new();
        if let Some(a) = e.object.get("object_marking_refs").and_then(Value::as_array) {
            refs.extend(a.iter().filter_map(Value::as_str));
        }
        if let Some(c) = e.object.get("created_by_ref").and_then(Value::as_str) {
            refs.push(c);
        }
        if let Some(x) = e.object.get("extensions").and_then(Value::as_object) {
            refs.extend(x.keys().map(String::as_str));
        }
        for r in refs {
            let slot = first_use.entry(r.to_string()).or_insert(e.added_us);
            *slot = (*slot).min(e.added_us);
        }
    }
    for e in entries.iter_mut() {
        if constant(&e.object)
            && let Some(t) = first_use.get(&e.id)
        {
            e.added_us = e.added_us.max(*t);
        }
    }
    entries.sort_by(|a, b| (a.added_us, &a.id).cmp(&(b.added_us, &b.id)));
    View { entries }
}

/// The read collection as the caller may see it (computed once per store version and clearance).
async fn view(app: &App, auth: &Auth) -> Result<Arc<View>, TaxiiError> {
    let key = format!("{}|{}", store_version(app.store.root()), auth.clearance_str());
    let mut views = app.taxii.views.lock().await;
    if let Some(v) = views.get(&key) {
        return Ok(v.clone());
    }
    let v = if app.store.exists() {
        // The same export as GET /api/v1/export/stix, without filters, under the caller's clearance.
        let policy = Query::default().policy(auth.clearance)?;
        let objects = export_objects(&app.store, &policy, &Filters::default(), ExportOptions::default()).await?;
        Arc::new(build_view(objects))
    } else {
        Arc::new(View::default())
    };
    let version = key.rsplit_once('|').map(|(v, _)| v.to_string()).unwrap_or_default();
    views.retain(|k, _| k.starts_with(&format!("{version}|")));
    views.insert(key, v.clone());
    Ok(v)
}

/// The filters and page of one objects or manifest request.
#[derive(Debug, Default)]
struct ObjectQuery {
    added_after: Option<i64>,
    ids: Option<Vec<String>>,
    types: Option<Vec<String>>,
    versions: Option<Vec<VersionMatch>>,
    spec_versions: Option<Vec<String>>,
    limit: usize,
    next: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
enum VersionMatch {
    Any,
    At(i64),
}

const PARAMS: &[&str] =
    &["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"];

fn list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl ObjectQuery {
    fn parse(raw: Option<&str>) -> Result<Self, TaxiiError> {
        let mut q = ObjectQuery { limit: MAX_PAGE, ..ObjectQuery::default() };
        let mut seen: Vec<String> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let k: &str = &k;
            if !PARAMS.contains(&k) {
                return Err(TaxiiError::bad_request(format!(
                    "unknown query parameter {k:?} (this server supports {})",
                    PARAMS.join(", ")
                )));
            }
            if seen.iter().any(|s| s == k) {
                return Err(TaxiiError::bad_request(format!("query parameter {k:?} given twice")));
            }
            seen.push(k.to_string());
            match k {
                "added_after" => {
                    q.added_after = Some(parse_ts(&v).ok_or_else(|| {
                        TaxiiError::bad_request(format!("added_after {v:?} is not an RFC 3339 timestamp (e.g. 2024-01-31T12:00:00.000Z)"))
                    })?);
                }
                "limit" => {
                    let n: usize = v
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| TaxiiError::bad_request(format!("limit {v:?} is not a positive integer")))?;
                    q.limit = n.min(MAX_PAGE);
                }
                "next" => {
                    let bad = || TaxiiError::bad_request(format!("next {v:?} is not a value this server gave in `next`"));
                    let (t, id) = v.split_once('_').ok_or_else(bad)?;
                    let t: i64 = t.parse().map_err(|_| bad())?;
                    if !id.contains("--") {
                        return Err(bad());
                    }
                    q.next = Some((t, id.to_string()));
                }
                "match[id]" => q.ids = Some(list(&v)),
                "match[type]" => q.types = Some(list(&v)),
                "match[spec_version]" => q.spec_versions = Some(list(&v)),
                "match[version]" => {
                    let mut out = Vec::new();
                    for s in list(&v) {
                        out.push(match s.as_str() {
                            "first" | "last" | "all" => VersionMatch::Any,
                            t => VersionMatch::At(parse_ts(t).ok_or_else(|| {
                                TaxiiError::bad_request(format!(
                                    "match[version] {t:?} is neither first, last, all nor an RFC 3339 timestamp"
                                ))
                            })?),
                        });
                    }
                    q.versions = Some(out);
                }
                _ => {}
            }
        }
        Ok(q)
    }

    fn matches(&self, e: &Entry) -> bool {
        self.added_after.is_none_or(|t| e.added_us > t)
            && self.next.as_ref().is_none_or(|(t, id)| (e.added_us, e.id.as_str()) > (*t, id.as_str()))
            && self.ids.as_ref().is_none_or(|l| l.iter().any(|i| *i == e.id))
            && self.types.as_ref().is_none_or(|l| l.iter().any(|t| *t == e.kind))
            && self.spec_versions.as_ref().is_none_or(|l| l.iter().any(|s| *s == e.spec_version))
            && self.versions.as_ref().is_none_or(|l| {
                l.iter().any(|m| match m {
                    VersionMatch::Any => true,
                    VersionMatch::At(t) => *t == e.version_us,
                })
            })
    }

    /// The page and whether more follow.
    fn page<'a>(&self, view: &'a View) -> (Vec<&'a Entry>, bool) {
        let mut it = view.entries.iter().filter(|e| self.matches(e));
        let page: Vec<&Entry> = it.by_ref().take(self.limit).collect();
        let more = it.next().is_some();
        (page, more)
    }
}

/// An envelope-shaped page with its `next` and the date-added headers.
fn page_response(page: &[&Entry], more: bool, key: &str, item: impl Fn(&Entry) -> Value) -> Result<Response, TaxiiError> {
    let mut doc = Map::new();
    doc.insert("more".into(), json!(more));
    if more && let Some(last) = page.last() {
        doc.insert("next".into(), json!(format!("{}_{}", last.added_us, last.id)));
    }
    if !page.is_empty() {
        doc.insert(key.into(), Value::Array(page.iter().map(|e| item(e)).collect()));
    }
    let mut r = respond(StatusCode::OK, &Value::Object(doc))?;
    if let (Some(first), Some(last)) = (page.first(), page.last()) {
        for (name, e) in [("x-taxii-date-added-first", first), ("x-taxii-date-added-last", last)] {
            if let Ok(v) = HeaderValue::from_str(&format_ts(e.added_us)) {
                r.headers_mut().insert(name, v);
            }
        }
    }
    Ok(r)
}

async fn get_objects(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath(cid): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    readable(&cid)?;
    let q = ObjectQuery::parse(raw.as_deref())?;
    let v = view(&app, &auth).await?;
    let (page, more) = q.page(&v);
    page_response(&page, more, "objects", |e| e.object.clone())
}

async fn manifest(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath(cid): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    readable(&cid)?;
    let q = ObjectQuery::parse(raw.as_deref())?;
    let v = view(&app, &auth).await?;
    let (page, more) = q.page(&v);
    page_response(&page, more, "objects", |e| {
        json!({ "id": e.id, "date_added": format_ts(e.added_us), "version": e.version, "media_type": STIX_MEDIA_TYPE })
    })
}

async fn get_object(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath((cid, oid)): UrlPath<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    readable(&cid)?;
    let mut q = ObjectQuery::parse(raw.as_deref())?;
    if q.ids.is_some() {
        return Err(TaxiiError::bad_request("match[id] is not a filter of this endpoint: the id is in the path"));
    }
    let v = view(&app, &auth).await?;
    if !v.entries.iter().any(|e| e.id == oid) {
        return Err(TaxiiError::not_found(format!("no object {oid:?} in this collection")));
    }
    q.ids = Some(vec![oid]);
    let (page, more) = q.page(&v);
    page_response(&page, more, "objects", |e| e.object.clone())
}

async fn object_versions(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath((cid, oid)): UrlPath<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    readable(&cid)?;
    let mut q = ObjectQuery::parse(raw.as_deref())?;
    if q.ids.is_some() || q.types.is_some() || q.versions.is_some() {
        return Err(TaxiiError::bad_request("the versions endpoint takes added_after, limit, next and match[spec_version] only"));
    }
    let v = view(&app, &auth).await?;
    if !v.entries.iter().any(|e| e.id == oid) {
        return Err(TaxiiError::not_found(format!("no object {oid:?} in this collection")));
    }
    q.ids = Some(vec![oid]);
    let (page, more) = q.page(&v);
    page_response(&page, more, "versions", |e| json!(e.version))
}

// ---------------------------------------------------------------------------------------------
// The inbox

/// The id and version of the object at index `i` of an envelope, for status resources.
fn id_version(o: &Value, i: usize) -> (String, Option<String>) {
    let id = o.get("id").and_then(Value::as_str).map_or_else(|| format!("objects[{i}] (no id)"), str::to_string);
    let version = o.get("modified").or_else(|| o.get("created")).and_then(Value::as_str).map(str::to_string);
    (id, version)
}

fn status_item(id: &str, version: &Option<String>, message: Option<String>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    if let Some(v) = version {
        m.insert("version".into(), json!(v));
    }
    if let Some(msg) = message {
        m.insert("message".into(), json!(msg));
    }
    Value::Object(m)
}

/// Index of the envelope object a skip's place (`$.objects[12].created`) names.
fn skipped_index(place: &str) -> Option<usize> {
    let rest = place.strip_prefix("$.objects[")?;
    rest.split(']').next()?.parse().ok()
}

fn status_doc(
    sid: &str,
    requested: &str,
    status: &str,
    successes: Vec<Value>,
    failures: Vec<Value>,
    pendings: Vec<Value>,
) -> Value {
    json!({
        "id": sid,
        "status": status,
        "request_timestamp": requested,
        "total_count": successes.len() + failures.len() + pendings.len(),
        "success_count": successes.len(),
        "successes": successes,
        "failure_count": failures.len(),
        "failures": failures,
        "pending_count": pendings.len(),
        "pendings": pendings,
    })
}

impl TaxiiState {
    fn put_status(&self, sid: &str, owner: Option<String>, doc: Value) {
        if let Ok(mut book) = self.statuses.lock() {
            if !book.map.contains_key(sid) {
                book.order.push_back(sid.to_string());
                while book.order.len() > MAX_STATUSES {
                    if let Some(old) = book.order.pop_front() {
                        book.map.remove(&old);
                    }
                }
            }
            book.map.insert(sid.to_string(), StatusRecord { owner, doc });
        }
    }

    fn get_status(&self, sid: &str) -> Option<StatusRecord> {
        self.statuses.lock().ok().and_then(|b| b.map.get(sid).cloned())
    }
}

async fn add_objects(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath(cid): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TaxiiError> {
    if find_collection(&cid)? == Kind::Read {
        return Err(TaxiiError::new(
            StatusCode::FORBIDDEN,
            format!("the collection {READ_COLLECTION} (spyglass) is read-only: POST envelopes to the inbox, {INBOX_COLLECTION}"),
        ));
    }
    auth.require(Role::Analyst)?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (t, params) = media_type(ct);
    if !is_taxii21(&t, &params) {
        return Err(TaxiiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("POST an envelope as {MEDIA_TYPE}; the request's Content-Type is {ct:?}"),
        ));
    }
    let envelope: Value = serde_json::from_slice(&body).map_err(|e| {
        TaxiiError::bad_request(format!("the body is not a JSON envelope: {e} (line {}, column {})", e.line(), e.column()))
    })?;
    let Some(objects) = envelope.get("objects").and_then(Value::as_array).filter(|a| !a.is_empty()).cloned() else {
        return Err(TaxiiError::bad_request("the envelope has no objects: expected {\"objects\": [ … ]}"));
    };
    let items: Vec<(String, Option<String>)> = objects.iter().enumerate().map(|(i, o)| id_version(o, i)).collect();
    let bundle = spyglass_report::stix::bundle(objects);
    let bytes = serde_json::to_vec(&bundle)?;

    let sid = uuid::Uuid::new_v4().to_string();
    let requested = format_ts(Utc::now().timestamp_micros());
    let pendings: Vec<Value> = items.iter().map(|(id, v)| status_item(id, v, None)).collect();
    let doc = status_doc(&sid, &requested, "pending", Vec::new(), Vec::new(), pendings);
    app.taxii.put_status(&sid, auth.token_id.clone(), doc.clone());

    let (app2, sid2, owner) = (app.clone(), sid.clone(), auth.token_id.clone());
    tokio::spawn(async move {
        let outcome = {
            let _guard = app2.ingest_lock.lock().await;
            let opts = LoadOptions { format: Some(spyglass_ingest::Format::Stix), strict: false, no_extract: false };
            ingest_bytes(&app2.store, Path::new(INBOX_FILE), &bytes, opts, &mut |_, _| {}).await
        };
        let (mut successes, mut failures) = (Vec::new(), Vec::new());
        match outcome {
            Ok(report) => {
                let mut skipped: HashMap<usize, String> = HashMap::new();
                for s in &report.skipped {
                    if let Some(i) = skipped_index(&s.place) {
                        skipped.entry(i).or_insert_with(|| format!("{}: {}", s.place, s.reason));
                    }
                }
                let batch = report.batch_id.clone().unwrap_or_default();
                for (i, (id, v)) in items.iter().enumerate() {
                    if let Some(why) = skipped.get(&i) {
                        failures.push(status_item(id, v, Some(format!("not read: {why}"))));
                        continue;
                    }
                    let msg = match report.status {
                        LoadStatus::Committed => Some(format!("ingested in batch {batch}")),
                        LoadStatus::AlreadyIngested => Some(format!(
                            "already ingested in batch {batch} at {}",
                            report.previous_ingested_at.as_deref().unwrap_or("an earlier time")
                        )),
                        LoadStatus::Rejected | LoadStatus::Empty => None,
                    };
                    match msg {
                        Some(m) => successes.push(status_item(id, v, Some(m))),
                        None => failures.push(status_item(
                            id,
                            v,
                            Some(
                                "nothing recorded: the envelope has no incident, campaign, report or sighting \
                                 spyglass could read (it keeps claims about operations)"
                                    .into(),
                            ),
                        )),
                    }
                }
            }
            Err(e) => {
                let msg = format!("ingest failed: {}", ApiError::from(e).detail);
                eprintln!("spyglass serve: TAXII status {sid2}: {msg}");
                for (id, v) in &items {
                    failures.push(status_item(id, v, Some(msg.clone())));
                }
            }
        }
        let doc = status_doc(&sid2, &requested, "complete", successes, failures, Vec::new());
        app2.taxii.put_status(&sid2, owner, doc);
    });
    respond(StatusCode::ACCEPTED, &doc)
}

async fn status(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    UrlPath(sid): UrlPath<String>,
) -> Result<Response, TaxiiError> {
    match app.taxii.get_status(&sid) {
        Some(rec) if rec.owner == auth.token_id || auth.role >= Role::Admin => respond(StatusCode::OK, &rec.doc),
        _ => Err(TaxiiError::not_found(format!("no status {sid:?} (status resources are kept in memory for the latest {MAX_STATUSES} requests)"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers() {
        assert!(accepts_taxii(None));
        assert!(accepts_taxii(Some("application/taxii+json;version=2.1")));
        assert!(accepts_taxii(Some("application/taxii+json; version=\"2.1\"")));
        assert!(accepts_taxii(Some("application/taxii+json")));
        assert!(accepts_taxii(Some("text/html, */*;q=0.8")));
        assert!(!accepts_taxii(Some("application/json")));
        assert!(!accepts_taxii(Some("application/taxii+json;version=2.0")));
        assert!(!accepts_taxii(Some("application/vnd.oasis.taxii+json; version=2.0")));
        assert!(!accepts_taxii(Some("application/taxii+json;version=2.1;q=0")));
    }

    #[test]
    fn query_parsing() {
        let Ok(q) = ObjectQuery::parse(Some("limit=5000&match%5Btype%5D=incident,report&added_after=2024-01-01T00:00:00Z"))
        else {
            panic!("a valid query was refused")
        };
        assert_eq!(q.limit, MAX_PAGE);
        assert_eq!(q.types, Some(vec!["incident".to_string(), "report".to_string()]));
        assert_eq!(q.added_after, Some(1_704_067_200_000_000));
        for bad in ["limit=0", "limit=x", "added_after=yesterday", "next=abc", "match[version]=newest", "foo=1", "limit=1&limit=2"] {
            assert!(ObjectQuery::parse(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(skipped_index("$.objects[12].created"), Some(12));
        assert_eq!(skipped_index("line 3"), None);
    }

    #[test]
    fn constants_are_dated_by_first_use() {
        let marking = vocab::tlp_marking(spyglass_model::Tlp::Amber);
        let mid = str_of(&marking, "id").to_string();
        let objs = vec![
            marking,
            json!({"type": "incident", "id": "incident--b", "modified": "2025-02-01T00:00:00.000Z", "object_marking_refs": [mid]}),
            json!({"type": "incident", "id": "incident--a", "modified": "2025-01-01T00:00:00.000Z"}),
        ];
        let v = build_view(objs);
        let order: Vec<&str> = v.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, ["incident--a", "incident--b", mid.as_str()]);
        assert_eq!(format_ts(v.entries[2].added_us), "2025-02-01T00:00:00.000Z");
    }
}
