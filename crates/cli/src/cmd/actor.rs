//! `spyglass actor resolve|show|list|merge|split`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use sha2::{Digest, Sha256};
use spyglass_store::{BatchMeta, Store, new_batch_id};

use crate::{BadInput, render_actor as render};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Resolve group names (any vendor's) to an actor and its state sponsor
    Resolve(ResolveArgs),
    /// Everything the KB knows about one actor: aliases with vendors, links, merges/splits
    Show(ShowArgs),
    /// List actors, optionally by sponsor
    List(ListArgs),
    /// Record that two actors are the same (a reversible analyst claim)
    Merge(AnalystArgs),
    /// Undo a merge of two actors (a reversible analyst claim)
    Split(AnalystArgs),
}

#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    names: Vec<String>,
    /// Read names from a file, one per line
    #[arg(long, value_name = "NAMES.txt")]
    file: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    name: String,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// ISO 3166-1 alpha-2 sponsor, e.g. CN
    #[arg(long)]
    sponsor: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AnalystArgs {
    a: String,
    b: String,
    /// Why (kept with the claim)
    #[arg(long, required = true)]
    reason: String,
    /// Who (default: $USER)
    #[arg(long)]
    analyst: Option<String>,
    #[arg(long)]
    json: bool,
}

pub async fn run(data: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = Store::new(data);
    let kb = if store.exists() { store.kb().await? } else { spyglass_kb::Kb::from_claims(spyglass_kb::load::builtin::agencies()) };
    match cmd {
        Command::Resolve(a) => {
            let mut names = a.names.clone();
            if let Some(f) = &a.file {
                let text = std::fs::read_to_string(f).map_err(|e| BadInput(format!("{}: {e}", f.display())))?;
                names.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
            }
            if names.is_empty() {
                return Err(BadInput("give names or --file NAMES.txt".into()).into());
            }
            let res: Vec<_> = names.iter().map(|n| kb.resolve(n)).collect();
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&res)?);
            } else {
                out!("{}", render::resolutions(&res));
            }
        }
        Command::Show(a) => {
            let Some(view) = kb.show(&a.name) else {
                return Err(BadInput(format!("no actor known as {:?}", a.name)).into());
            };
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                out!("{}", render::actor_view(&view));
            }
        }
        Command::List(a) => {
            let list = kb.list(a.sponsor.as_deref());
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for s in &list {
                    outln!(
                        "{:<40} {:<4} {:<17} {:>3}  {} aliases  {}",
                        s.name,
                        s.sponsor.as_deref().unwrap_or("-"),
                        s.sponsorship.as_str(),
                        s.confidence,
                        s.aliases,
                        s.id
                    );
                }
                outln!("{} actors", list.len());
            }
        }
        Command::Merge(a) => return analyst(&store, &kb, a, true).await,
        Command::Split(a) => return analyst(&store, &kb, a, false).await,
    }
    Ok(ExitCode::SUCCESS)
}

async fn analyst(store: &Store, kb: &spyglass_kb::Kb, a: AnalystArgs, merge: bool) -> anyhow::Result<ExitCode> {
    let who = a.analyst.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "analyst".into());
    let claim = if merge { kb.merge(&a.a, &a.b, &a.reason, &who) } else { kb.split(&a.a, &a.b, &a.reason, &who) }
        .map_err(|e| BadInput(e.to_string()))?;
    let body = serde_json::to_vec(&claim)?;
    let meta = BatchMeta {
        batch_id: new_batch_id(),
        content_sha256: hex::encode(Sha256::digest(&body)),
        path: format!("analyst:{who}"),
        format: "kb-analyst".into(),
        records_read: 1,
        records_skipped: 0,
        ingested_at: Utc::now(),
    };
    store.commit_kb(&meta, std::slice::from_ref(&claim)).await?;
    let after = store.kb().await?;
    let res = after.resolve(&a.a);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&serde_json::json!({ "claim": claim, "resolution": res }))?);
    } else {
        outln!(
            "{} recorded by {who}: {} {} {} ({}); batch {}",
            if merge { "merge" } else { "split" },
            a.a,
            if merge { "=" } else { "≠" },
            a.b,
            a.reason,
            meta.batch_id
        );
        out!("{}", render::resolutions(std::slice::from_ref(&res)));
    }
    Ok(ExitCode::SUCCESS)
}
