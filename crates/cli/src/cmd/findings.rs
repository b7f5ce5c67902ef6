//! `spyglass trend`, `compare`, `priorities`, `claim-check`.

use std::path::Path;
use std::process::ExitCode;

use spyglass_analysis::{
    ClaimQuery, CompareQuery, Dimension, Period, PrioritiesQuery, Target, TrendQuery, claim_check, compare, parse_assets,
    parse_verticals, priorities, trend,
};
use spyglass_store::Store;

use super::args::{FilterArgs, IntervalArgs, PolicyArgs};
use crate::{BadInput, render_findings as render};

#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// Period: year or quarter
    #[arg(long, default_value = "year")]
    by: String,
    /// Only incidents with this state sponsor (ISO alpha-2)
    #[arg(long, value_name = "CC")]
    sponsor: Option<String>,
    /// Fit the last period even when the data stop before its end
    #[arg(long)]
    keep_partial: bool,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Confidence level of the incidence-rate ratio interval
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Break down by: sponsor, actor, vertical, asset, type
    #[arg(long, default_value = "sponsor")]
    by: String,
    /// Two periods FROM:TO (years, inclusive), e.g. --period 2010:2016 --period 2017:2023
    #[arg(long, required = true, num_args = 1, value_name = "FROM:TO")]
    period: Vec<String>,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct PrioritiesArgs {
    /// The sponsor (ISO alpha-2)
    #[arg(long, value_name = "CC")]
    sponsor: String,
    /// Period: year or quarter
    #[arg(long, default_value = "year")]
    by: String,
    /// What "aimed at" means: AI assets (`any` or a list)…
    #[arg(long, value_name = "any|LIST", value_delimiter = ',', conflicts_with = "target_vertical")]
    target_asset: Vec<String>,
    /// …or victim verticals (codes or `tech`)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    target_vertical: Vec<String>,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    interval: IntervalArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ClaimArgs {
    /// The claim, e.g. "CN share > 0.5", "share(CN) >= 50%", "CN > RU"
    claim: String,
    /// The dimension the claim's keys belong to: sponsor, actor, vertical, asset, type, year
    #[arg(long, default_value = "sponsor")]
    by: String,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    interval: IntervalArgs,
    #[arg(long)]
    json: bool,
}

fn parse_range(s: &str) -> Result<(i32, i32), BadInput> {
    spyglass_analysis::filter::parse_year_range(s).map_err(|e| BadInput(format!("--period {e}")))
}

pub async fn run_trend(data: &Path, a: TrendArgs) -> anyhow::Result<ExitCode> {
    let q = TrendQuery {
        by: a.by.parse::<Period>().map_err(BadInput)?,
        sponsor: a.sponsor.clone(),
        filters: a.filters.filters()?,
        policy: a.policy.policy()?,
        level: a.level,
        keep_partial_last: a.keep_partial,
    };
    let r = trend(&Store::new(data), &q).await?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        out!("{}", render::trend(&r));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_compare(data: &Path, a: CompareArgs) -> anyhow::Result<ExitCode> {
    if a.period.len() != 2 {
        return Err(BadInput("give exactly two --period FROM:TO".into()).into());
    }
    let q = CompareQuery {
        by: a.by.parse::<Dimension>().map_err(BadInput)?,
        a: parse_range(&a.period[0])?,
        b: parse_range(&a.period[1])?,
        filters: a.filters.filters()?,
        policy: a.policy.policy()?,
    };
    let r = compare(&Store::new(data), &q).await?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        out!("{}", render::compare(&r));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_priorities(data: &Path, a: PrioritiesArgs) -> anyhow::Result<ExitCode> {
    let target = if !a.target_vertical.is_empty() {
        Target::Verticals(parse_verticals(&a.target_vertical).map_err(|e| BadInput(format!("--target-vertical: {e}")))?)
    } else {
        let list = if a.target_asset.is_empty() { vec!["any".to_string()] } else { a.target_asset.clone() };
        let Some(f) = parse_assets(&list).map_err(|e| BadInput(format!("--target-asset: {e}")))? else {
            return Err(BadInput("--target-asset needs a value".into()).into());
        };
        Target::Assets(f)
    };
    let q = PrioritiesQuery {
        sponsor: a.sponsor.clone(),
        by: a.by.parse::<Period>().map_err(BadInput)?,
        target,
        filters: a.filters.filters()?,
        policy: a.policy.policy()?,
        level: a.interval.level,
        interval: a.interval.method()?,
    };
    let r = priorities(&Store::new(data), &q).await?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        out!("{}", render::priorities(&r));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_claim(data: &Path, a: ClaimArgs) -> anyhow::Result<ExitCode> {
    let q = ClaimQuery {
        claim: a.claim.clone(),
        by: a.by.parse::<Dimension>().map_err(BadInput)?,
        filters: a.filters.filters()?,
        policy: a.policy.policy()?,
        level: a.interval.level,
        interval: a.interval.method()?,
    };
    let r = claim_check(&Store::new(data), &q).await?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        out!("{}", render::claim(&r));
    }
    Ok(ExitCode::SUCCESS)
}
