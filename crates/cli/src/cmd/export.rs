//! `spyglass export stix|parquet|csv`: the store for other tools.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use spyglass_report::stix::{ExportOptions, count_by_type, export_bundle_with};
use spyglass_store::Store;
use spyglass_store::export::ExportFormat;

use super::args::{FilterArgs, PolicyArgs};
use crate::BadInput;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A STIX 2.1 bundle of the incidents of a slice: incidents, intrusion sets, identities,
    /// locations, relationships with confidence, attack patterns, TLP 2.0 markings and a report per finding
    Stix(StixArgs),
    /// One view as a Parquet file (pandas, polars, DuckDB)
    Parquet(TableArgs),
    /// One view as a CSV file (formula-like cells are prefixed with ')
    Csv(TableArgs),
}

#[derive(Debug, clap::Args)]
pub struct StixArgs {
    #[command(flatten)]
    filters: FilterArgs,
    // The policy; `--tlp LEVEL` is the highest marking exported (default: everything, the store
    // owner's view).
    #[command(flatten)]
    policy: PolicyArgs,
    /// Leave out the finding reports (share by sponsor and by AI asset of the slice)
    #[arg(long)]
    no_findings: bool,
    /// Where to write the bundle (`-` for stdout)
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Print a JSON summary on stdout (not with `--out -`)
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// The view to export: incidents, victims, attributions, assets, incident_sponsors,
    /// incident_actors, incident_verticals, incident_assets, scoped_incidents, actor_resolutions,
    /// sources, batches, …
    #[arg(long, default_value = "incidents", value_name = "VIEW")]
    table: String,
    // The policy of the policy views; `--tlp LEVEL` leaves out claims marked above LEVEL.
    #[command(flatten)]
    policy: PolicyArgs,
    /// The file to write
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Print a JSON summary on stdout
    #[arg(long)]
    json: bool,
}

pub async fn run(data: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Stix(a) => run_stix(data, a).await,
        Command::Parquet(a) => run_table(data, a, ExportFormat::Parquet).await,
        Command::Csv(a) => run_table(data, a, ExportFormat::Csv).await,
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failure leaves no partial file.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle.json".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = result.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

async fn run_stix(data: &Path, a: StixArgs) -> anyhow::Result<ExitCode> {
    let filters = a.filters.filters()?;
    let policy = a.policy.policy()?;
    let to_stdout = a.out.as_os_str() == "-";
    if to_stdout && a.json {
        return Err(BadInput("--json prints a summary on stdout; it cannot be combined with --out -".into()).into());
    }
    let store = Store::new(data);
    let bundle = export_bundle_with(&store, &policy, &filters, ExportOptions { findings: !a.no_findings }).await?;
    let mut bytes = serde_json::to_vec_pretty(&bundle)?;
    bytes.push(b'\n');
    if to_stdout {
        out!("{}", String::from_utf8_lossy(&bytes));
        return Ok(ExitCode::SUCCESS);
    }
    write_atomic(&a.out, &bytes)?;
    let counts = count_by_type(&bundle);
    let total: u64 = counts.values().sum();
    let clearance = policy.tlp_clearance.map_or_else(|| "everything".to_string(), |t| format!("up to TLP:{}", t.as_str().to_ascii_uppercase()));
    if a.json {
        let summary = serde_json::json!({
            "path": a.out.display().to_string(),
            "bundle_id": bundle["id"],
            "objects": total,
            "by_type": counts,
            "tlp": policy.tlp_clearance.map(|t| t.as_str()),
            "slice": filters.describe(),
            "policy": policy.describe(),
        });
        outln!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        let parts: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
        outln!("wrote {} STIX objects to {} ({})", total, a.out.display(), parts.join(", "));
        outln!("slice: {}; claims: {clearance}", filters.describe());
        outln!("policy: {}", policy.describe());
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_table(data: &Path, a: TableArgs, format: ExportFormat) -> anyhow::Result<ExitCode> {
    let policy = a.policy.policy()?;
    let store = Store::new(data);
    let summary = store.export_view(&policy, a.table.trim(), format, &a.out).await?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        outln!("wrote {} rows of {} to {} ({})", summary.rows, summary.table, summary.path, summary.format);
    }
    Ok(ExitCode::SUCCESS)
}
