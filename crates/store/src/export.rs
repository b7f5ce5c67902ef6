//! Export of a view as one Parquet or CSV file, for pandas, polars, DuckDB or a spreadsheet.
//!
//! The rows are those of the view in a session under the caller's policy (so the policy's TLP
//! clearance applies), the same rows `spyglass sql "SELECT * FROM <view>"` gives. Parquet goes
//! through DataFusion's writer (typed columns: dates, timestamps, lists); CSV is written here,
//! streamed batch by batch, with every text cell that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) prefixed with a single quote
//! (OWASP's advice against CSV injection). Both are written to a temporary file beside the
//! target and renamed over it, so a failed export leaves no half-written file.
//!
//! The raw claim tables are not exported: they are Delta tables already, which the Python
//! `deltalake` package (and DuckDB, Spark) open directly in the data directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, RecordBatch};
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::common::Column;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{Expr, cast};
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use spyglass_model::Policy;

use crate::{Store, StoreError, table};

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Parquet,
    Csv,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Parquet => "parquet",
            ExportFormat::Csv => "csv",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportSummary {
    pub table: String,
    pub format: &'static str,
    pub path: String,
    pub rows: u64,
}

/// Internal views that are not part of the documented contract.
const INTERNAL: &[&str] = &["live_claims"];

/// The views an export may read, sorted: every table of the session but the raw claim tables.
pub async fn exportable(ctx: &SessionContext) -> Result<Vec<String>, StoreError> {
    let df = ctx
        .sql("SELECT DISTINCT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
        .await
        .map_err(StoreError::Query)?;
    let mut out = Vec::new();
    for b in df.collect().await.map_err(StoreError::Query)? {
        let col = arrow::compute::cast(b.column(0), &DataType::Utf8).map_err(|e| StoreError::Internal(e.to_string()))?;
        if let Some(s) = col.as_any().downcast_ref::<arrow::array::StringArray>() {
            for i in 0..s.len() {
                let name = s.value(i);
                if !table::ALL.contains(&name) && !INTERNAL.contains(&name) && !name.ends_with("_claims") {
                    out.push(name.to_string());
                }
            }
        }
    }
    Ok(out)
}

fn bad(msg: String) -> StoreError {
    StoreError::Query(DataFusionError::Plan(msg))
}

/// A temporary path beside `out` (same directory, so the final rename is atomic).
fn temp_beside(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    out.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

impl Store {
    /// Writes the view `name` under `policy` to `out` as one file; returns what was written.
    pub async fn export_view(
        &self,
        policy: &Policy,
        name: &str,
        format: ExportFormat,
        out: &Path,
    ) -> Result<ExportSummary, StoreError> {
        let ctx = self.session(policy).await?;
        let names = exportable(&ctx).await?;
        if !names.iter().any(|n| n == name) {
            return Err(bad(format!("cannot export {name:?}: not a view; exportable views: {}", names.join(", "))));
        }
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let tmp = temp_beside(out);
        let result = match format {
            ExportFormat::Parquet => write_parquet(&ctx, name, &tmp).await,
            ExportFormat::Csv => write_csv(&ctx, name, &tmp).await,
        };
        let rows = match result {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, out).map_err(|source| StoreError::Io { path: out.to_path_buf(), source })?;
        Ok(ExportSummary { table: name.to_string(), format: format.as_str(), path: out.display().to_string(), rows })
    }
}

/// `t` with string and binary views replaced by plain strings and binaries, at any depth.
fn plain(t: &DataType) -> DataType {
    match t {
        DataType::Utf8View => DataType::Utf8,
        DataType::BinaryView => DataType::Binary,
        DataType::List(f) => DataType::List(Arc::new(f.as_ref().clone().with_data_type(plain(f.data_type())))),
        DataType::LargeList(f) => DataType::LargeList(Arc::new(f.as_ref().clone().with_data_type(plain(f.data_type())))),
        other => other.clone(),
    }
}

async fn write_parquet(ctx: &SessionContext, name: &str, path: &Path) -> Result<u64, StoreError> {
    let df = ctx.table(name).await.map_err(StoreError::Query)?;
    // DataFusion reads strings as views; pyarrow cannot turn a list of string views into pandas,
    // so the file gets plain strings, which every Parquet reader knows.
    let exprs: Vec<Expr> = df
        .schema()
        .fields()
        .iter()
        .map(|f| {
            let c = Expr::Column(Column::new_unqualified(f.name()));
            let t = plain(f.data_type());
            if &t == f.data_type() { c } else { cast(c, t).alias(f.name()) }
        })
        .collect();
    let df = df.select(exprs).map_err(StoreError::Query)?;
    let path_str = path.to_str().ok_or_else(|| bad(format!("{}: the path is not UTF-8", path.display())))?;
    let counts = df
        .write_parquet(path_str, DataFrameWriteOptions::new().with_single_file_output(true), None)
        .await
        .map_err(StoreError::Query)?;
    let mut rows = 0u64;
    for b in &counts {
        if b.num_columns() > 0 {
            let c = arrow::compute::cast(b.column(0), &DataType::UInt64).map_err(|e| StoreError::Internal(e.to_string()))?;
            if let Some(c) = c.as_any().downcast_ref::<arrow::array::UInt64Array>() {
                rows += c.iter().flatten().sum::<u64>();
            }
        }
    }
    Ok(rows)
}

/// A CSV cell: quoted when it holds a separator, quote or line break.
fn csv_cell(v: &str, out: &mut String) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Neutralises a text cell a spreadsheet would evaluate as a formula.
pub fn escape_formula(v: &str) -> std::borrow::Cow<'_, str> {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{v}").into() } else { v.into() }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::List(_) | DataType::LargeList(_))
}

fn csv_rows(b: &RecordBatch, out: &mut String) -> Result<(), StoreError> {
    let opts = FormatOptions::default().with_null("");
    let fmts = b
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Internal(format!("formatting CSV: {e}")))?;
    let text: Vec<bool> = b.schema().fields().iter().map(|f| is_text(f.data_type())).collect();
    for row in 0..b.num_rows() {
        for (i, (f, &t)) in fmts.iter().zip(&text).enumerate() {
            if i > 0 {
                out.push(',');
            }
            let v = f.value(row).to_string();
            if t { csv_cell(&escape_formula(&v), out) } else { csv_cell(&v, out) }
        }
        out.push('\n');
    }
    Ok(())
}

async fn write_csv(ctx: &SessionContext, name: &str, path: &Path) -> Result<u64, StoreError> {
    let df = ctx.table(name).await.map_err(StoreError::Query)?;
    let io = |source| StoreError::Io { path: path.to_path_buf(), source };
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    let mut header = String::new();
    for (i, f) in df.schema().fields().iter().enumerate() {
        if i > 0 {
            header.push(',');
        }
        csv_cell(f.name(), &mut header);
    }
    header.push('\n');
    file.write_all(header.as_bytes()).map_err(io)?;
    let mut stream = df.execute_stream().await.map_err(StoreError::Query)?;
    let mut rows = 0u64;
    let mut buf = String::new();
    while let Some(b) = stream.next().await {
        let b = b.map_err(StoreError::Query)?;
        buf.clear();
        csv_rows(&b, &mut buf)?;
        file.write_all(buf.as_bytes()).map_err(io)?;
        rows += b.num_rows() as u64;
    }
    file.flush().map_err(io)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_quoted() {
        for (v, want) in [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("plain, text", "\"plain, text\""),
            ("APT28", "APT28"),
        ] {
            let mut out = String::new();
            csv_cell(&escape_formula(v), &mut out);
            assert_eq!(out, want, "{v:?}");
        }
    }
}
