//! Rendering of findings for people and for other tools: reports (Markdown, HTML, PDF) with charts,
//! and STIX 2.1 export. Reads the store and the analysis layer; never writes the store.
//!
//! A report is built in two steps: [`build_report`] gathers every number from the analysis crate
//! into a serialisable [`ReportData`]; [`render_html`] and [`render_markdown`] only format it. The
//! charts ([`svg_share_bars`], [`svg_trend_lines`], [`svg_heatmap`]) are static SVG strings that
//! the dashboard reuses.

pub mod data;
pub mod fmt;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod stix;
pub mod svg;

pub use data::{ReportData, ReportOptions, build_report};
pub use html::render_html;
pub use markdown::render_markdown;
pub use pdf::{PdfError, find_chromium, html_to_pdf};
pub use svg::{svg_heatmap, svg_share_bars, svg_trend_lines};

/// What can go wrong while building a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Analysis(#[from] spyglass_analysis::AnalysisError),
    #[error(transparent)]
    Store(#[from] spyglass_store::StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}
