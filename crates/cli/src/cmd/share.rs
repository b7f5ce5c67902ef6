//! `spyglass share --by …`

use std::path::Path;
use std::process::ExitCode;

use spyglass_analysis::{Dimension, ShareQuery, sensitivity, share};
use spyglass_store::Store;

use super::args::{FilterArgs, IntervalArgs, PolicyArgs};
use crate::{BadInput, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Break the share down by: sponsor, actor, vertical, asset, type, year
    #[arg(long, default_value = "sponsor")]
    by: String,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    interval: IntervalArgs,
    /// Also show the share under each policy variant (state only, confidence thresholds, structured only, …)
    #[arg(long)]
    sensitivity: bool,
    /// Print one JSON document on stdout
    #[arg(long)]
    json: bool,
}

pub async fn run(data: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let by: Dimension = args.by.parse().map_err(BadInput)?;
    let q = ShareQuery {
        by,
        filters: args.filters.filters()?,
        policy: args.policy.policy()?,
        level: args.interval.level,
        interval: args.interval.method()?,
    };
    let store = Store::new(data);
    let result = share(&store, &q).await?;
    let variants = if args.sensitivity { Some(sensitivity(&store, &q).await?) } else { None };
    if args.json {
        let mut v = serde_json::to_value(&result)?;
        if let (Some(vars), Some(obj)) = (&variants, v.as_object_mut()) {
            obj.insert("sensitivity".into(), serde_json::to_value(vars)?);
        }
        outln!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        out!("{}", render::share_table(&result));
        if let Some(vars) = &variants {
            out!("{}", render::sensitivity_table(&result, vars));
        }
    }
    Ok(ExitCode::SUCCESS)
}
