//! `spyglass ingest PATH…`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use spyglass_ingest::Format;
use spyglass_store::Store;
use spyglass_store::load::{IngestReport, LoadOptions, Status, ingest_bytes, ingest_path};

use crate::{BadInput, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to read, each one atomic batch; a directory stands for every file under it (recursively,
    /// in name order, hidden files left out), e.g. a folder of text reports
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Input format: auto, eurepoc, jsonl
    #[arg(long, default_value = "auto")]
    format: String,
    /// Fail the whole batch (commit nothing) when any record is bad
    #[arg(long)]
    strict: bool,
    /// Do not extract text labels (verticals, AI assets, sponsors, actors) from descriptions
    #[arg(long)]
    no_extract: bool,
    /// Print one JSON document on stdout
    #[arg(long)]
    json: bool,
    /// Do not build the default policy's findings cube after the commit (the first question builds
    /// it instead); `SPYGLASS_NO_CUBE=1` also skips it
    #[arg(long)]
    no_cube: bool,
}

pub async fn run(data: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let format = match args.format.as_str() {
        "auto" => None,
        f => Some(f.parse::<Format>().map_err(BadInput)?),
    };
    let store = Store::new(data);
    let mut reports = Vec::new();
    let mut bad_input = false;
    let mut files = Vec::new();
    for path in &args.paths {
        expand(path, &mut files).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    }
    if files.is_empty() {
        return Err(BadInput(format!("no files to ingest under {}", args.paths[0].display())).into());
    }
    for path in &files {
        let report = ingest_file(&store, path, LoadOptions { format, strict: args.strict, no_extract: args.no_extract }).await?;
        bad_input |= report.skipped_total > 0 || report.status == Status::Rejected;
        if !args.json {
            render::ingest_report(&report, data);
        }
        reports.push(report);
    }
    if args.json {
        let doc = serde_json::json!({ "data": data.display().to_string(), "files": reports });
        outln!("{}", serde_json::to_string_pretty(&doc)?);
    }
    // The default policy's findings cube, so the first question after a commit is answered warm.
    // A failure costs only that: the ingest stands and the next question builds the cube.
    if !args.no_cube
        && spyglass_analysis::cube::enabled()
        && reports.iter().any(|r| r.status == Status::Committed)
        && let Err(e) = spyglass_analysis::cube::cube_for(&store, &spyglass_model::Policy::default()).await
    {
        eprintln!("spyglass: warning: the findings cube was not built ({e}); the first question will build it");
    }
    Ok(if bad_input { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Adds `path` to `out`, or, for a directory, every non-hidden file under it in name order
/// (symbolic links to directories are not followed).
fn expand(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
        .collect();
    entries.sort();
    for e in entries {
        // Symbolic links to directories are not followed (no cycles).
        if e.is_dir() && std::fs::symlink_metadata(&e)?.file_type().is_symlink() {
            continue;
        }
        expand(&e, out)?;
    }
    Ok(())
}

/// Ingests one file with a progress bar on stderr (shown only on a terminal, for large inputs).
pub async fn ingest_file(store: &Store, path: &Path, opts: LoadOptions) -> anyhow::Result<IngestReport> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = render::progress_bar(size, &path.display().to_string());
    let mut progress = |done: u64, _total: u64| bar.set_position(done);
    let report = ingest_path(store, path, opts, &mut progress)
        .await
        .with_context(|| format!("while ingesting {}", path.display()))?;
    bar.finish_and_clear();
    Ok(report)
}

/// Ingests an in-memory input with a progress bar on stderr.
pub async fn ingest_one(store: &Store, path: &Path, bytes: &[u8], opts: LoadOptions) -> anyhow::Result<IngestReport> {
    let bar = render::progress_bar(bytes.len() as u64, &path.display().to_string());
    let mut progress = |done: u64, _total: u64| bar.set_position(done);
    let report = ingest_bytes(store, path, bytes, opts, &mut progress)
        .await
        .with_context(|| format!("while ingesting {}", path.display()))?;
    bar.finish_and_clear();
    Ok(report)
}
