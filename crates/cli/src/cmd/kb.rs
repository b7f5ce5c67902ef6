//! `spyglass kb load FILE…` and `spyglass kb update [--from URL]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use serde::Serialize;
use sha2::{Digest, Sha256};
use spyglass_store::{BatchMeta, Store, new_batch_id};

use crate::BadInput;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Load MISP galaxies, ATT&CK (lookup JSON or STIX bundle) or an overrides CSV/YAML into the KB
    Load(LoadArgs),
    /// Download the public KB files (MISP galaxies, ATT&CK) and load them
    Update(UpdateArgs),
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print one JSON document on stdout
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// Base URL of a mirror laid out like shared/data (misp-galaxy/…, attack/…); default: upstream
    #[arg(long, value_name = "URL")]
    from: Option<String>,
    /// Print one JSON document on stdout
    #[arg(long)]
    json: bool,
}

/// The public files `kb update` fetches: (path under a mirror, upstream URL).
pub const PUBLIC_FILES: &[(&str, &str)] = &[
    (
        "misp-galaxy/threat-actor.json",
        "https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/threat-actor.json",
    ),
    (
        "misp-galaxy/microsoft-activity-group.json",
        "https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/microsoft-activity-group.json",
    ),
    (
        "misp-galaxy/mitre-intrusion-set.json",
        "https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/mitre-intrusion-set.json",
    ),
    (
        "attack/enterprise-attack.json",
        "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json",
    ),
];

/// The mirror layout of `--from` uses the shared-data names, where the ATT&CK file is the compact lookup.
fn mirror_path(path: &str) -> &str {
    if path == "attack/enterprise-attack.json" { "attack/groups-campaigns-lookup-v18.1.json" } else { path }
}

#[derive(Debug, Serialize)]
struct Loaded {
    file: String,
    status: &'static str,
    batch_id: Option<String>,
    claims: u64,
}

pub async fn run(data: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = Store::new(data);
    let (json, loaded) = match cmd {
        Command::Load(a) => {
            let mut out = Vec::new();
            for f in &a.files {
                let bytes = std::fs::read(f).map_err(|e| BadInput(format!("{}: {e}", f.display())))?;
                out.push(load_bytes(&store, &f.display().to_string(), &file_name(f), &bytes).await?);
            }
            (a.json, out)
        }
        Command::Update(a) => {
            let client = reqwest::Client::builder().build().context("creating the HTTP client")?;
            let mut out = Vec::new();
            for (path, upstream) in PUBLIC_FILES {
                let url = match &a.from {
                    Some(base) => format!("{}/{}", base.trim_end_matches('/'), mirror_path(path)),
                    None => (*upstream).to_string(),
                };
                eprintln!("fetching {url}");
                let resp = client.get(&url).send().await.with_context(|| format!("fetching {url}"))?;
                if !resp.status().is_success() {
                    anyhow::bail!("fetching {url}: HTTP {}", resp.status());
                }
                let bytes = resp.bytes().await.with_context(|| format!("reading {url}"))?;
                let name = url.rsplit('/').next().unwrap_or(path).to_string();
                out.push(load_bytes(&store, &url, &name, &bytes).await?);
            }
            (a.json, out)
        }
    };
    if json {
        outln!("{}", serde_json::to_string_pretty(&serde_json::json!({ "files": loaded }))?);
    } else {
        for l in &loaded {
            match l.status {
                "loaded" => outln!("{}: loaded {} KB claims (batch {})", l.file, l.claims, l.batch_id.as_deref().unwrap_or("?")),
                _ => outln!("{}: already loaded (batch {}); nothing added", l.file, l.batch_id.as_deref().unwrap_or("?")),
            }
        }
        let kb = store.kb().await?;
        outln!("knowledge base: {} actors from {} claims", kb.actor_count(), kb.record_count());
    }
    Ok(ExitCode::SUCCESS)
}

fn file_name(p: &Path) -> String {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("kb").to_string()
}

async fn load_bytes(store: &Store, label: &str, name: &str, bytes: &[u8]) -> anyhow::Result<Loaded> {
    let sha = hex::encode(Sha256::digest(bytes));
    if let Some(prev) = store.find_batch(&sha).await? {
        return Ok(Loaded { file: label.to_string(), status: "already_loaded", batch_id: Some(prev.batch_id), claims: 0 });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| BadInput(format!("{label}: not UTF-8 ({e})")))?;
    let claims = spyglass_kb::load::load_str(text, name).map_err(|e| BadInput(format!("{label}: {e}")))?;
    let meta = BatchMeta {
        batch_id: new_batch_id(),
        content_sha256: sha,
        path: label.to_string(),
        format: "kb".into(),
        records_read: claims.len() as u64,
        records_skipped: 0,
        ingested_at: Utc::now(),
    };
    let n = store.commit_kb(&meta, &claims).await?;
    Ok(Loaded { file: label.to_string(), status: "loaded", batch_id: Some(meta.batch_id), claims: n })
}
