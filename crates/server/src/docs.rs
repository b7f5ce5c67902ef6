//! The OpenAPI 3.1 document: operations from the handlers' `#[utoipa::path]` annotations, the
//! response bodies described by the schemas below (the CLI's JSON contracts; numbers that can be
//! undefined — a share of n = 0, a p-value without data — are `null`, as JSON has no NaN), and the
//! problem responses every operation can give.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as OpenApiDoc, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::{api, exports};
use crate::error::{PROBLEM_JSON, Problem};

#[derive(Debug, ToSchema)]
pub struct ShareRowDoc {
    pub key: String,
    pub count: u64,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// `spyglass share --json` (with `sensitivity` when asked).
#[derive(Debug, ToSchema)]
pub struct ShareDoc {
    /// Incidents in the slice.
    pub n: u64,
    pub rows: Vec<ShareRowDoc>,
    /// Counting rule, policy, filters, interval, small-n flags and warnings.
    #[schema(value_type = Object)]
    pub method: Value,
    /// True when n < 5 and the rows are withheld.
    pub suppressed: bool,
    #[schema(value_type = Object)]
    pub interval: Value,
    #[schema(value_type = Option<Vec<Object>>)]
    pub sensitivity: Option<Vec<Value>>,
}

#[derive(Debug, ToSchema)]
pub struct TrendRowDoc {
    pub period: String,
    pub count: u64,
    pub excluded: Option<bool>,
}

#[derive(Debug, ToSchema)]
pub struct TrendModelDoc {
    /// `poisson` or `negative_binomial`.
    pub family: String,
    pub slope: Option<f64>,
    pub se: Option<f64>,
    pub irr: Option<f64>,
    pub irr_ci_low: Option<f64>,
    pub irr_ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub alpha: Option<f64>,
}

#[derive(Debug, ToSchema)]
pub struct ChangePointDoc {
    pub period: String,
    pub rate_before: Option<f64>,
    pub rate_after: Option<f64>,
}

/// `spyglass trend --json`.
#[derive(Debug, ToSchema)]
pub struct TrendDoc {
    pub rows: Vec<TrendRowDoc>,
    pub model: Option<TrendModelDoc>,
    pub change_points: Vec<ChangePointDoc>,
    #[schema(value_type = Object)]
    pub method: Value,
}

#[derive(Debug, ToSchema)]
pub struct CompareRowDoc {
    pub key: String,
    pub count_a: u64,
    pub share_a: Option<f64>,
    pub count_b: u64,
    pub share_b: Option<f64>,
    pub diff: Option<f64>,
    pub p_value: Option<f64>,
    /// `two-proportion z` or `Fisher exact`.
    pub test: String,
}

/// `spyglass compare --json`.
#[derive(Debug, ToSchema)]
pub struct CompareDoc {
    pub rows: Vec<CompareRowDoc>,
    #[schema(value_type = Object)]
    pub method: Value,
}

#[derive(Debug, ToSchema)]
pub struct PriorityRowDoc {
    pub period: String,
    pub n: u64,
    pub count: u64,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// `spyglass priorities --json`.
#[derive(Debug, ToSchema)]
pub struct PrioritiesDoc {
    pub sponsor: String,
    pub target: String,
    pub rows: Vec<PriorityRowDoc>,
    #[schema(value_type = Option<Object>)]
    pub trend: Option<Value>,
    #[schema(value_type = Object)]
    pub method: Value,
}

#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum VerdictDoc {
    Supported,
    Contradicted,
    Inconclusive,
}

/// `spyglass claim-check --json`.
#[derive(Debug, ToSchema)]
pub struct ClaimDoc {
    pub claim: String,
    pub verdict: VerdictDoc,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub n: u64,
    pub reason: String,
    #[schema(value_type = Object)]
    pub method: Value,
}

#[derive(Debug, ToSchema)]
pub struct ActorRefDoc {
    pub id: String,
    pub name: String,
}

/// One element of `spyglass actor resolve --json`.
#[derive(Debug, ToSchema)]
pub struct ResolutionDoc {
    pub query: String,
    pub resolved: bool,
    pub actor: Option<ActorRefDoc>,
    pub sponsor: Option<String>,
    pub sponsorship: String,
    pub confidence: u8,
    pub basis: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub aliases: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub conflicts: Vec<Value>,
}

/// `spyglass actor show --json`.
#[derive(Debug, ToSchema)]
pub struct ActorViewDoc {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
    pub sponsorship: String,
    pub confidence: u8,
    pub basis: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub aliases: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub links: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub evidence: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub analyst: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub conflicts: Vec<Value>,
}

/// One element of `spyglass actor list --json`.
#[derive(Debug, ToSchema)]
pub struct ActorSummaryDoc {
    pub id: String,
    pub name: String,
    pub sponsor: Option<String>,
    pub sponsorship: String,
    pub confidence: u8,
    /// Number of aliases.
    pub aliases: u64,
}

/// `spyglass extract --json`: every mention with its byte span.
#[derive(Debug, ToSchema)]
pub struct ExtractionDoc {
    #[schema(value_type = Vec<Object>)]
    pub actors: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub sponsors: Vec<Value>,
    pub sponsor: Option<String>,
    pub state_sponsored: bool,
    pub sponsorship: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub sponsorship_cues: Vec<Value>,
    pub vertical: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub verticals: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub ai_assets: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub techniques: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub cves: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub iocs: Vec<Value>,
}

#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum IngestStatusDoc {
    Committed,
    AlreadyIngested,
    Rejected,
    Empty,
}

#[derive(Debug, ToSchema)]
pub struct SkippedDoc {
    pub place: String,
    pub reason: String,
}

/// `spyglass ingest --json`, one file.
#[derive(Debug, ToSchema)]
pub struct IngestReportDoc {
    pub path: String,
    pub format: String,
    pub status: IngestStatusDoc,
    pub batch_id: Option<String>,
    pub content_sha256: String,
    pub records_read: u64,
    pub records_committed: u64,
    pub claims_written: u64,
    pub skipped: Vec<SkippedDoc>,
    pub skipped_total: u64,
    pub unmapped_countries: BTreeMap<String, u64>,
    pub previous_ingested_at: Option<String>,
}

#[derive(Debug, ToSchema)]
pub struct IncidentRowDoc {
    pub incident_id: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    pub tlp: Option<String>,
    pub sources: Option<Vec<String>>,
    pub sponsors: Vec<String>,
    pub verticals: Vec<String>,
    pub assets: Vec<String>,
    pub actors: Vec<String>,
}

/// A page of the incidents in the slice, newest first.
#[derive(Debug, ToSchema)]
pub struct IncidentListDoc {
    /// Incidents in the slice (all pages).
    pub total: u64,
    pub limit: i64,
    pub offset: i64,
    pub incidents: Vec<IncidentRowDoc>,
    #[schema(value_type = Object)]
    pub filters: Value,
    pub policy_text: String,
}

#[derive(Debug, ToSchema)]
pub struct LabelsDoc {
    pub sponsors: Vec<String>,
    pub verticals: Vec<String>,
    pub assets: Vec<String>,
    pub actors: Vec<String>,
}

/// One incident with its claims (rows of the `incidents`, `victims`, `attributions` and `assets`
/// views, each with `source_id`, `record_ref`, `batch_id`, `ingested_at`; text claims keep their
/// evidence) and its labels under the policy.
#[derive(Debug, ToSchema)]
pub struct IncidentDoc {
    pub incident_id: String,
    /// The same-as group's id, under which findings count the incident.
    pub canonical_id: String,
    pub same_as: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub victims: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub attributions: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub assets: Vec<Value>,
    pub labels: LabelsDoc,
    pub policy_text: String,
}

#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum RoleDoc {
    Reader,
    Analyst,
    Admin,
}

/// Who the caller is.
#[derive(Debug, ToSchema)]
pub struct StatusDoc {
    pub service: String,
    pub version: String,
    /// `token`, or `none (loopback only)` when no token is configured.
    pub authentication: String,
    pub role: RoleDoc,
    /// The caller's TLP clearance; `null` for the store owner (no token configured).
    pub tlp_clearance: Option<String>,
    pub token_id: Option<String>,
    pub has_data: bool,
}

/// An API token (never its secret or hash).
#[derive(Debug, ToSchema)]
pub struct TokenDoc {
    pub id: String,
    pub role: RoleDoc,
    pub tlp: String,
    pub label: Option<String>,
    pub created_at: String,
}

/// The report's charts for the filters, as SVG documents.
#[derive(Debug, ToSchema)]
pub struct ChartsDoc {
    /// Incidents in the slice.
    pub n: u64,
    /// The slice in words.
    pub slice: String,
    /// Share by sponsor with interval whiskers.
    pub share: String,
    /// Incidents per period, one line per sponsor.
    pub trend: String,
    /// Vertical × AI asset.
    pub heatmap: String,
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "spyglass",
        description = "Findings about state-sponsored espionage against AI assets, with their uncertainty. \
            Every response is computed under the caller's TLP clearance (the API token's): claims marked above \
            it are invisible to every count. Lists in query parameters are comma-separated.",
        license(name = "Apache-2.0")
    ),
    paths(
        api::status,
        api::share,
        api::trend,
        api::compare,
        api::priorities,
        api::claim_check,
        api::actors_list,
        api::actors_resolve,
        api::actor_show,
        api::incidents,
        api::incident,
        api::extract,
        api::ingest,
        api::tokens_list,
        exports::report,
        exports::charts,
        exports::report_html,
        exports::stix,
    ),
    components(schemas(Problem)),
    modifiers(&Common),
    tags(
        (name = "findings", description = "Shares, trends, comparisons, priorities and claim checks (the CLI's finding commands)"),
        (name = "actors", description = "The actor knowledge base"),
        (name = "incidents", description = "Incidents with their claims and evidence"),
        (name = "extract", description = "Text extraction"),
        (name = "ingest", description = "Uploading files (analyst role)"),
        (name = "reports", description = "The report's data and charts, the HTML report, the STIX 2.1 export"),
        (name = "meta", description = "Caller and tokens"),
    )
)]
struct ApiDoc;

/// Bearer security and the problem responses of every operation.
#[derive(Debug)]
struct Common;

impl Modify for Common {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("spy_<64 hex>").build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        let problems: [(&str, &str); 7] = [
            ("400", "Bad request: a parameter or the body is invalid"),
            ("401", "No valid API token"),
            ("403", "The token's role does not allow this"),
            ("404", "Not found (or no data ingested yet)"),
            ("413", "Request body too large"),
            ("422", "Well-formed input that cannot be processed (unreadable file, estimate undefined)"),
            ("500", "Server error"),
        ];
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                for (code, text) in problems {
                    let response = ResponseBuilder::new()
                        .description(text)
                        .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
                        .build();
                    op.responses.responses.entry(code.to_string()).or_insert(RefOr::T(response));
                }
            }
        }
    }
}

/// The document served at `/openapi.json`.
pub fn openapi() -> OpenApiDoc {
    ApiDoc::openapi()
}
