//! Reports and exports over HTTP: the report's data, its charts (the same SVG the HTML report
//! embeds), the HTML report, and the STIX 2.1 bundle — each built by the report crate under the
//! caller's TLP clearance.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde_json::json;
use spyglass_report::{ReportOptions, build_report, render_html, svg_heatmap, svg_share_bars, svg_trend_lines};

use crate::App;
use crate::api::{cached, to_bytes};
use crate::auth::Auth;
use crate::docs;
use crate::error::ApiError;
use crate::params::{ExportParams, Query, ReportParams};

fn options(q: &Query) -> Result<ReportOptions, ApiError> {
    Ok(ReportOptions { interval: q.interval()?, level: q.level(), ..ReportOptions::default() })
}

/// Every number of a report for the filters (the JSON embedded in `spyglass report`'s HTML).
#[utoipa::path(get, path = "/api/v1/report", tag = "reports", params(ReportParams),
    responses((status = 200, description = "The report's data: shares, trends, priorities, heatmap, actors, incidents, sources, caveats", body = Object)))]
pub async fn report(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ReportParams::groups())?;
    let (filters, policy, opts) = (q.filters()?, q.policy(auth.clearance)?, options(&q)?);
    cached(&app, &auth, "report", &q, async || to_bytes(&build_report(&app.store, &policy, &filters, &opts).await?)).await
}

/// The report's charts as SVG: share by sponsor with interval whiskers, trend lines, vertical ×
/// AI-asset heatmap (what the dashboard shows).
#[utoipa::path(get, path = "/api/v1/report/charts", tag = "reports", params(ReportParams),
    responses((status = 200, body = docs::ChartsDoc)))]
pub async fn charts(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ReportParams::groups())?;
    let (filters, policy, opts) = (q.filters()?, q.policy(auth.clearance)?, options(&q)?);
    cached(&app, &auth, "report-charts", &q, async || {
        let d = build_report(&app.store, &policy, &filters, &opts).await?;
        let trend = if d.trends.is_empty() { std::slice::from_ref(&d.trend_all) } else { &d.trends[..] };
        to_bytes(&json!({
            "n": d.share_by_sponsor.n,
            "slice": d.slice,
            "share": svg_share_bars(&d.share_by_sponsor, "Share of incidents by state sponsor"),
            "trend": svg_trend_lines(trend, "Incidents per period by sponsor"),
            "heatmap": svg_heatmap(&d.heatmap, "Incidents per vertical aimed at each AI asset"),
        }))
    })
    .await
}

/// The HTML report (self-contained, as `spyglass report --out report.html`).
#[utoipa::path(get, path = "/api/v1/report.html", tag = "reports", params(ReportParams),
    responses((status = 200, content_type = "text/html", body = String)))]
pub async fn report_html(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ReportParams::groups())?;
    let (filters, policy, opts) = (q.filters()?, q.policy(auth.clearance)?, options(&q)?);
    let r = cached(&app, &auth, "report-html", &q, async || {
        Ok(Bytes::from(render_html(&build_report(&app.store, &policy, &filters, &opts).await?)))
    })
    .await?;
    let (mut parts, body) = r.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(Response::from_parts(parts, body))
}

/// The slice as a STIX 2.1 bundle (incidents, attributions, victims, techniques, findings).
#[utoipa::path(get, path = "/api/v1/export/stix", tag = "reports", params(ExportParams),
    responses((status = 200, description = "A STIX 2.1 bundle", body = Object)))]
pub async fn stix(
    State(app): State<Arc<App>>,
    Extension(auth): Extension<Auth>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref(), &ExportParams::groups())?;
    let (filters, policy) = (q.filters()?, q.policy(auth.clearance)?);
    cached(&app, &auth, "export-stix", &q, async || {
        to_bytes(&spyglass_report::stix::export_bundle(&app.store, &policy, &filters).await?)
    })
    .await
}
