//! `spyglass sql "<SQL>"`

use std::path::Path;
use std::process::ExitCode;

use spyglass_model::Policy;
use spyglass_store::{Store, VIEWS_DOC};

use crate::{BadInput, render};

#[derive(Debug, clap::Args)]
#[command(after_help = format!("Views:\n{VIEWS_DOC}"))]
pub struct Args {
    /// One SQL statement (DataFusion dialect)
    query: String,
    /// Print the rows as a JSON array of objects
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the rows as CSV (cells that a spreadsheet would run as formulas are quoted with ')
    #[arg(long)]
    csv: bool,
    /// The policy the policy views (incident_sponsors, scoped_incidents, …) apply
    #[command(flatten)]
    policy: super::args::PolicyArgs,
}

pub async fn run(data: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let q = args.query.trim();
    if q.is_empty() {
        return Err(BadInput("empty SQL statement".into()).into());
    }
    let policy: Policy = args.policy.policy()?;
    let batches = Store::new(data).sql(&policy, q).await?;
    if args.json {
        outln!("{}", render::batches_json(&batches)?);
    } else if args.csv {
        out!("{}", render::batches_csv(&batches)?);
    } else {
        outln!("{}", render::batches_table(&batches)?);
    }
    Ok(ExitCode::SUCCESS)
}
