//! `spyglass quickstart`: the whole path on a small illustrative corpus bundled in the binary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spyglass_analysis::{Dimension, Filters, ShareQuery, share};
use spyglass_store::Store;
use spyglass_store::load::LoadOptions;

use crate::render;

/// Our own illustrative corpus (fictional incidents), see examples/README.md.
const CORPUS: &str = include_str!("../../../../examples/quickstart.jsonl");
const CORPUS_NAME: &str = "examples/quickstart.jsonl";

/// Where the quick start writes when no --data is given, so it never mixes with real data.
const QUICKSTART_DATA: &str = "spyglass-quickstart";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the share as JSON instead of the table
    #[arg(long)]
    json: bool,
}

pub async fn run(data: Option<&Path>, args: Args) -> anyhow::Result<ExitCode> {
    let data: PathBuf = data.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(QUICKSTART_DATA));
    let store = Store::new(&data);
    let report = super::ingest::ingest_one(&store, Path::new(CORPUS_NAME), CORPUS.as_bytes(), LoadOptions::default()).await?;
    let q = ShareQuery::new(Dimension::Sponsor, Filters { state_sponsored: true, ..Filters::default() });
    let result = share(&store, &q).await?;
    if args.json {
        let doc = serde_json::json!({ "ingest": report, "share": result, "data": data.display().to_string() });
        outln!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("spyglass quickstart — an ILLUSTRATIVE corpus of fictional incidents, not real data\n");
    render::ingest_report(&report, &data);
    outln!("");
    out!("{}", render::share_table(&result));
    let abs = std::fs::canonicalize(&data).unwrap_or(data.clone());
    outln!("\ndata directory: {}", abs.display());
    outln!("next: spyglass --data {} sql \"SELECT sponsor, count(*) FROM incident_sponsors GROUP BY sponsor\"", data.display());
    outln!("      spyglass ingest ../shared/data/eurepoc/EuRepoC_Global_Database_1.1.csv && spyglass share --by sponsor --state-sponsored");
    Ok(ExitCode::SUCCESS)
}
