//! Human and machine renderings. Nothing here computes a finding.

use std::fmt::Write as _;
use std::path::Path;

use arrow::array::RecordBatch;
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spyglass_analysis::{ShareResult, Variant};
use spyglass_model::country;
use spyglass_store::load::{IngestReport, Status};

/// `outer: inner: innermost` on one line.
pub fn error_chain(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// A byte progress bar on stderr, drawn only on a terminal and only for inputs over 4 MiB.
pub fn progress_bar(total: u64, label: &str) -> ProgressBar {
    if total < 4 << 20 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    bar
}

/// The human summary of one ingested input.
pub fn ingest_report(r: &IngestReport, data: &Path) {
    let mut out = String::new();
    let _ = match r.status {
        Status::Committed => writeln!(
            out,
            "{}: committed batch {} to {} ({} format): {} records read, {} committed, {} claims written, {} skipped",
            r.path,
            r.batch_id.as_deref().unwrap_or("?"),
            data.display(),
            r.format,
            r.records_read,
            r.records_committed,
            r.claims_written,
            r.skipped_total
        ),
        Status::AlreadyIngested => writeln!(
            out,
            "{}: already ingested (batch {}, {}); nothing added",
            r.path,
            r.batch_id.as_deref().unwrap_or("?"),
            r.previous_ingested_at.as_deref().unwrap_or("?")
        ),
        Status::Rejected => writeln!(
            out,
            "{}: rejected (--strict): {} of {} records are bad; nothing committed",
            r.path,
            r.skipped_total,
            r.records_read
        ),
        Status::Empty => writeln!(out, "{}: no readable records; nothing committed", r.path),
    };
    const SHOWN: usize = 20;
    for s in r.skipped.iter().take(SHOWN) {
        let _ = writeln!(out, "  skipped {} {}: {}", r.path, s.place, s.reason);
    }
    if r.skipped_total > SHOWN as u64 {
        let _ = writeln!(out, "  … and {} more (use --json for the list)", r.skipped_total - SHOWN as u64);
    }
    if !r.unmapped_countries.is_empty() {
        let names: Vec<String> = r.unmapped_countries.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        let _ = writeln!(out, "  country names with no ISO code (kept verbatim, not used as sponsors): {}", names.join(", "));
    }
    out!("{out}");
}

/// Result rows as a text table.
pub fn batches_table(batches: &[RecordBatch]) -> anyhow::Result<String> {
    Ok(arrow::util::pretty::pretty_format_batches(batches)?.to_string())
}

/// Result rows as a JSON array of objects.
pub fn batches_json(batches: &[RecordBatch]) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    {
        let mut w = arrow::json::ArrayWriter::new(&mut buf);
        let refs: Vec<&RecordBatch> = batches.iter().collect();
        w.write_batches(&refs)?;
        w.finish()?;
    }
    if buf.is_empty() {
        return Ok("[]".into());
    }
    Ok(String::from_utf8(buf)?)
}

/// Result rows as CSV; string cells starting with `= + - @` (or tab/CR) get a leading `'` so a
/// spreadsheet shows them instead of running them.
pub fn batches_csv(batches: &[RecordBatch]) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let Some(first) = batches.first() else { return Ok(String::new()) };
    let schema = first.schema();
    w.write_record(schema.fields().iter().map(|f| f.name().as_str()))?;
    let opts = FormatOptions::default().with_null("");
    for b in batches {
        let fmts = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
            .collect::<Result<Vec<_>, _>>()?;
        let stringy: Vec<bool> = b
            .schema()
            .fields()
            .iter()
            .map(|f| matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::List(_)))
            .collect();
        for row in 0..b.num_rows() {
            let cells: Vec<String> = fmts
                .iter()
                .zip(&stringy)
                .map(|(f, &s)| {
                    let v = f.value(row).to_string();
                    if s && v.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{v}") } else { v }
                })
                .collect();
            w.write_record(&cells)?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

pub fn bar(share: f64, width: usize) -> String {
    let eighths = (share.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    s
}

/// A key as people read it: sponsors get their country name.
pub fn key_label(dim: &str, key: &str) -> String {
    let label = match dim {
        "sponsor" => match country::common_name(key) {
            Some(name) => format!("{key} {name}"),
            None if key == "none" => "none (no state sponsor)".to_string(),
            None => key.to_string(),
        },
        _ => key.to_string(),
    };
    label.chars().take(26).collect()
}

/// The share table for people: percentages, the interval and a small bar.
pub fn share_table(r: &ShareResult) -> String {
    let mut out = String::new();
    let level = (r.method.level * 100.0).round();
    let dim = r.method.by.as_str();
    let _ = writeln!(out, "Share of incidents by {dim} — {} (n = {})", r.method.slice, r.n);
    if r.suppressed {
        let _ = writeln!(out, "  rows withheld: n = {} is below 5", r.n);
    } else if r.rows.is_empty() {
        let _ = writeln!(out, "  no incident in this slice");
    } else {
        let _ = writeln!(out, "  {:<26} {:>6} {:>7}  {:<17}", dim, "count", "share", format!("{level}% CI"));
        for row in &r.rows {
            let _ = writeln!(
                out,
                "  {:<26} {:>6} {:>7}  [{:>6}, {:>6}]  {}",
                key_label(dim, &row.key),
                row.count,
                pct(row.share),
                pct(row.ci_low),
                pct(row.ci_high),
                bar(row.share, 20)
            );
        }
    }
    for w in &r.method.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let _ = writeln!(
        out,
        "  method: {} {level}% interval; {}\n  policy: {}",
        r.method.interval, r.method.counting, r.method.policy_text
    );
    out
}

/// `share --sensitivity`: the top keys' shares under each policy variant.
pub fn sensitivity_table(base: &ShareResult, variants: &[Variant]) -> String {
    let mut out = String::new();
    let dim = base.method.by.as_str();
    let keys: Vec<&str> = base.rows.iter().take(6).map(|r| r.key.as_str()).collect();
    let _ = writeln!(out, "\nSensitivity: the same share under policy variants");
    let mut header = format!("  {:<24} {:>6}", "variant", "n");
    for k in &keys {
        header.push_str(&format!(" {:>15}", k));
    }
    let _ = writeln!(out, "{header}");
    for v in variants {
        let mut line = format!("  {:<24} {:>6}", v.name, v.n);
        for k in &keys {
            let cell = match v.rows.iter().find(|r| r.key == *k) {
                Some(r) => format!("{} ±{:.1}", pct(r.share), (r.ci_high - r.ci_low) * 50.0),
                None if v.suppressed => "withheld".into(),
                None => "0".into(),
            };
            line.push_str(&format!(" {cell:>15}"));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "  (share ± half the interval width, in percentage points; {dim} keys of the baseline)");
    out
}
