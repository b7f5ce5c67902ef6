//! `spyglass report [filters] --out report.html [--pdf report.pdf]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spyglass_analysis::Period;
use spyglass_report::{ReportError, ReportOptions, build_report, find_chromium, html_to_pdf, render_html, render_markdown};
use spyglass_store::Store;

use super::args::{FilterArgs, IntervalArgs, PolicyArgs};
use crate::BadInput;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report file: HTML, or Markdown when it ends in .md
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Also print the HTML report to this PDF with headless Chromium (must be installed)
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Only incidents with one of these state sponsors (ISO alpha-2); they also get the trend lines
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    sponsor: Vec<String>,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    interval: IntervalArgs,
    /// Period of the trend lines: year or quarter
    #[arg(long, default_value = "year")]
    trend_by: String,
    /// Sponsors with a trend line when --sponsor names none (the largest)
    #[arg(long, value_name = "N", default_value_t = 5)]
    trend_sponsors: usize,
    /// Actors listed
    #[arg(long, value_name = "N", default_value_t = 10)]
    top_actors: usize,
    /// Incidents aimed at AI assets listed in full (newest first)
    #[arg(long, value_name = "N", default_value_t = 50)]
    max_incidents: usize,
    /// Title of the report
    #[arg(long)]
    title: Option<String>,
    /// Print the report's data (every number it shows) as one JSON document on stdout
    #[arg(long)]
    json: bool,
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

pub async fn run(data: &Path, a: Args) -> anyhow::Result<ExitCode> {
    let mut filters = a.filters.filters()?;
    for s in &a.sponsor {
        let code = s.trim().to_ascii_uppercase();
        if spyglass_model::country::by_alpha2(&code).is_none() {
            return Err(BadInput(format!("--sponsor {s:?}: not an ISO 3166-1 alpha-2 code (e.g. CN, RU, IR, KP)")).into());
        }
        if !filters.sponsors.contains(&code) {
            filters.sponsors.push(code);
        }
    }
    let policy = a.policy.policy()?;
    let mut opts = ReportOptions {
        interval: a.interval.method()?,
        level: a.interval.level,
        trend_by: a.trend_by.parse::<Period>().map_err(BadInput)?,
        trend_sponsors: a.trend_sponsors,
        top_actors: a.top_actors,
        max_incidents: a.max_incidents,
        ..ReportOptions::default()
    };
    if let Some(t) = &a.title {
        opts.title = t.clone();
    }
    let store = Store::new(data);
    // Unwrapped so that bad input (no data directory, a bad argument) keeps its exit code 2.
    let report = build_report(&store, &policy, &filters, &opts).await.map_err(|e| match e {
        ReportError::Analysis(e) => anyhow::Error::from(e),
        ReportError::Store(e) => anyhow::Error::from(e),
        ReportError::Pdf(e) => anyhow::Error::from(e),
    })?;

    let markdown = a.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let html = render_html(&report);
    if markdown {
        write(&a.out, &render_markdown(&report))?;
    } else {
        write(&a.out, &html)?;
    }
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({} KB): {} · n = {} · {} sponsors, {} trend lines, {} heatmap rows, {} actors, {} sources",
        a.out.display(),
        size.div_ceil(1024),
        report.slice,
        report.share_by_sponsor.n,
        report.share_by_sponsor.rows.len(),
        report.trends.len(),
        report.heatmap.rows.len(),
        report.actors.top.len(),
        report.sources.sources.len()
    );
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!("{}", a.out.display());
    }

    if let Some(pdf) = &a.pdf {
        let chromium = match find_chromium() {
            Ok(c) => c,
            Err(e) => {
                // The HTML is written; the PDF needs a browser we do not download.
                eprintln!("spyglass: error: cannot write {}: {e}; {} was written", pdf.display(), a.out.display());
                return Ok(ExitCode::from(1));
            }
        };
        // Chromium prints the HTML report; when --out is Markdown, print a temporary HTML beside the PDF.
        let (html_path, temp) = if markdown {
            let p = pdf.with_extension("print.html");
            write(&p, &html)?;
            (p, true)
        } else {
            (a.out.clone(), false)
        };
        let result = html_to_pdf(&chromium, &html_path, pdf);
        if temp {
            let _ = std::fs::remove_file(&html_path);
        }
        result.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", pdf.display()))?;
        let size = std::fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
        eprintln!("wrote {} ({} KB) with {}", pdf.display(), size.div_ceil(1024), chromium.display());
        if !a.json {
            outln!("{}", pdf.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
