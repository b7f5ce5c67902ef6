//! Errors as RFC 9457 `application/problem+json`, mapped from each crate's error enum here and only
//! here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use spyglass_analysis::AnalysisError;
use spyglass_ingest::IngestError;
use spyglass_store::StoreError;
use spyglass_store::load::LoadError;

use crate::tokens::TokenError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response: `{type, title, status, detail}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem kind (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's reason phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
}

/// An error a handler returns; becomes a problem response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: String,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError { status, detail: detail.into() }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, detail)
    }
}

/// A problem response for a status and detail.
pub fn problem(status: StatusCode, detail: &str) -> Response {
    let p = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
    };
    let body = serde_json::to_vec(&p).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("spyglass serve: {} {}", self.status.as_u16(), self.detail);
        }
        problem(self.status, &self.detail)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoData(_) => ApiError::not_found("no data ingested yet (POST /api/v1/ingest or `spyglass ingest`)"),
            StoreError::Query(q) => ApiError::bad_request(q.to_string()),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<AnalysisError> for ApiError {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::Store(s) => s.into(),
            AnalysisError::BadArgument(m) => ApiError::bad_request(m),
            AnalysisError::Stats(s) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, s.to_string()),
            #[allow(unreachable_patterns)]
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Io { .. } => ApiError::internal(e.to_string()),
            IngestError::UnknownFormat { .. } | IngestError::Invalid { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
        }
    }
}

impl From<LoadError> for ApiError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Read(r) => r.into(),
            LoadError::Store(s) => s.into(),
        }
    }
}

impl From<spyglass_report::ReportError> for ApiError {
    fn from(e: spyglass_report::ReportError) -> Self {
        match e {
            spyglass_report::ReportError::Analysis(a) => a.into(),
            spyglass_report::ReportError::Store(s) => s.into(),
            #[allow(unreachable_patterns)]
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<spyglass_report::stix::StixError> for ApiError {
    fn from(e: spyglass_report::stix::StixError) -> Self {
        match e {
            spyglass_report::stix::StixError::Store(s) => s.into(),
            spyglass_report::stix::StixError::Analysis(a) => a.into(),
            #[allow(unreachable_patterns)]
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        ApiError::internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::internal(format!("encoding the response: {e}"))
    }
}

/// Turns every error response that is not already a problem (axum's extractor rejections, 404,
/// 405, 413) into one, keeping its status and using its text as the detail.
pub async fn problem_for_plain_errors(r: Response) -> Response {
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    let is_problem = r.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if is_problem {
        return r;
    }
    let (parts, body) = r.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let detail = if text.trim().is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    let mut out = problem(status, &detail);
    for (k, v) in &parts.headers {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}
