//! `spyglass dedup scan|review|confirm|reject`: cross-source duplicates.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use sha2::{Digest, Sha256};
use spyglass_analysis::dedup::{review, scan};
use spyglass_store::sameas::{Decision, SameAs};
use spyglass_store::{BatchMeta, Store, new_batch_id};

use crate::BadInput;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Score candidate pairs across sources and store them (replaces the previous scan's candidates)
    Scan(ScanArgs),
    /// List the current pairs: analysts' decisions, then candidates by score
    Review(ReviewArgs),
    /// Record that two incidents are the same operation (an analyst claim)
    Confirm(DecideArgs),
    /// Record that two incidents are different operations (an analyst claim)
    Reject(DecideArgs),
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Keep candidates scoring at least this (0–1)
    #[arg(long, default_value_t = 0.2)]
    min_score: f64,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Show candidates scoring at least this (0–1)
    #[arg(long, default_value_t = 0.2)]
    min_score: f64,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Only the pairs that include this incident (e.g. `eurepoc:578`)
    #[arg(long, value_name = "ID")]
    incident: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    a: String,
    b: String,
    #[arg(long)]
    reason: Option<String>,
    #[arg(long)]
    analyst: Option<String>,
}

fn meta(label: &str, body: &[u8], n: u64) -> BatchMeta {
    BatchMeta {
        batch_id: new_batch_id(),
        content_sha256: hex::encode(Sha256::digest(body)),
        path: label.to_string(),
        format: "same-as".into(),
        records_read: n,
        records_skipped: 0,
        ingested_at: Utc::now(),
    }
}

pub async fn run(data: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = Store::new(data);
    match cmd {
        Command::Scan(a) => {
            if !(0.0..=1.0).contains(&a.min_score) {
                return Err(BadInput("--min-score must be between 0 and 1".into()).into());
            }
            let cands = scan(&store, a.min_score).await?;
            let claims: Vec<SameAs> = cands.iter().map(|c| c.claim()).collect();
            // A scan is always a new batch (the latest scan's candidates replace older ones).
            let stamp = format!("scan {} {}", Utc::now().to_rfc3339(), claims.len());
            store.commit_same_as(&meta("dedup scan", stamp.as_bytes(), claims.len() as u64), &claims).await?;
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&cands)?);
            } else {
                outln!("{} candidate pairs scoring >= {} stored; `spyglass dedup review` lists them", cands.len(), a.min_score);
            }
        }
        Command::Review(a) => {
            let rows = review(&store, a.min_score, a.limit, a.incident.as_deref()).await?;
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in &rows {
                    outln!(
                        "{:<10} {:>6}  {} ({})  ~  {} ({})",
                        r.decision,
                        r.score.map(|s| format!("{s:.3}")).unwrap_or_else(|| "-".into()),
                        r.incident_a,
                        r.date_a.as_deref().unwrap_or("?"),
                        r.incident_b,
                        r.date_b.as_deref().unwrap_or("?")
                    );
                    outln!("           {}", r.title_a.as_deref().unwrap_or(""));
                    outln!("           {}", r.title_b.as_deref().unwrap_or(""));
                    if let Some(reason) = &r.reason {
                        outln!("           {} by {}: {reason}", r.method, r.analyst.as_deref().unwrap_or("?"));
                    }
                }
                outln!("{} pairs", rows.len());
            }
        }
        Command::Confirm(a) | Command::Reject(a) if a.a == a.b => {
            return Err(BadInput("an incident is trivially the same as itself".into()).into());
        }
        Command::Confirm(a) => decide(&store, a, Decision::Confirmed).await?,
        Command::Reject(a) => decide(&store, a, Decision::Rejected).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn decide(store: &Store, a: DecideArgs, decision: Decision) -> anyhow::Result<()> {
    // Both incidents must exist.
    for id in [&a.a, &a.b] {
        let lit = id.replace('\'', "''");
        let rows = store
            .sql(&spyglass_model::Policy::default(), &format!("SELECT count(*) AS n FROM incidents WHERE incident_id = '{lit}'"))
            .await?;
        let n = rows.first().map(|b| arrow::array::Array::len(b.column(0))).unwrap_or(0);
        let count = rows
            .first()
            .and_then(|b| b.column(0).as_any().downcast_ref::<arrow::array::Int64Array>().map(|c| c.value(0)))
            .unwrap_or(0);
        if n == 0 || count == 0 {
            return Err(BadInput(format!("no incident {id:?}")).into());
        }
    }
    let who = a.analyst.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "analyst".into());
    let claim = SameAs {
        incident_a: a.a.clone(),
        incident_b: a.b.clone(),
        score: None,
        decision,
        method: "analyst".into(),
        analyst: Some(who.clone()),
        reason: a.reason.clone(),
        evidence: None,
    }
    .ordered();
    let body = serde_json::to_vec(&(&claim, Utc::now().to_rfc3339()))?;
    store.commit_same_as(&meta(&format!("analyst:{who}"), &body, 1), std::slice::from_ref(&claim)).await?;
    outln!("{} {} ~ {} recorded by {who}", decision.as_str(), claim.incident_a, claim.incident_b);
    Ok(())
}
