//! `spyglass share --by sponsor …`

use std::path::Path;
use std::process::ExitCode;

use spyglass_analysis::{Filters, ShareBy, ShareQuery, share};
use spyglass_model::Policy;
use spyglass_store::Store;

use crate::{BadInput, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Break the share down by: sponsor
    #[arg(long, default_value = "sponsor")]
    by: String,
    /// Only incidents with at least one state sponsor (state or state-affiliated)
    #[arg(long)]
    state_sponsored: bool,
    /// First year (incident start date), inclusive
    #[arg(long, value_name = "YEAR")]
    since: Option<i32>,
    /// Last year (incident start date), inclusive
    #[arg(long, value_name = "YEAR")]
    until: Option<i32>,
    /// Only incidents from these sources (name or id; repeat or separate with commas)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    source: Vec<String>,
    /// Confidence level of the intervals
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Print one JSON document on stdout
    #[arg(long)]
    json: bool,
}

pub async fn run(data: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let by: ShareBy = args.by.parse().map_err(BadInput)?;
    if let (Some(a), Some(b)) = (args.since, args.until) {
        if a > b {
            return Err(BadInput(format!("--since {a} is after --until {b}")).into());
        }
    }
    let q = ShareQuery {
        by,
        filters: Filters { state_sponsored: args.state_sponsored, since: args.since, until: args.until, sources: args.source },
        policy: Policy::default(),
        level: args.level,
    };
    let result = share(&Store::new(data), &q).await?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        out!("{}", render::share_table(&result));
    }
    Ok(ExitCode::SUCCESS)
}
