//! `spyglass serve` and `spyglass token create|list|revoke`.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use spyglass_model::Tlp;
use spyglass_server::tokens::{Role, TokenInfo, TokenStore};

use crate::BadInput;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; without API tokens only a loopback address is accepted
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: String,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token (printed once; only its SHA-256 is stored)
    Create(CreateArgs),
    /// List the API tokens (id, role, TLP clearance, label, creation time)
    List(ListArgs),
    /// Revoke an API token by id
    Revoke(RevokeArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// reader (findings, actors, incidents, extract), analyst (+ ingest), admin (+ token list)
    #[arg(long, value_name = "reader|analyst|admin")]
    role: String,
    /// The highest TLP marking the token may see: clear, green, amber, amber+strict, red
    #[arg(long, value_name = "clear|green|amber|amber+strict|red")]
    tlp: String,
    /// A label to recognise the token by
    #[arg(long)]
    label: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// The token's id (from `token list`)
    id: String,
}

pub async fn run_serve(data: &Path, a: ServeArgs) -> anyhow::Result<ExitCode> {
    let listen: SocketAddr =
        a.listen.parse().map_err(|e| BadInput(format!("--listen {:?}: {e} (expected e.g. 127.0.0.1:8080)", a.listen)))?;
    spyglass_server::serve(spyglass_server::ServeOptions { data: data.to_path_buf(), listen }).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn run_token(data: &Path, c: TokenCommand) -> anyhow::Result<ExitCode> {
    let store = TokenStore::new(data);
    match c {
        TokenCommand::Create(a) => {
            let role: Role = a.role.parse().map_err(|e| BadInput(format!("--role: {e}")))?;
            let tlp: Tlp = a.tlp.parse().map_err(|e| BadInput(format!("--tlp: {e}")))?;
            let (secret, rec) = store.create(role, tlp, a.label.clone())?;
            if a.json {
                let doc = serde_json::json!({ "token": secret, "id": rec.id, "role": rec.role, "tlp": rec.tlp,
                    "label": rec.label, "created_at": rec.created_at });
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                outln!("{secret}");
                eprintln!(
                    "token {} created: role {}, TLP clearance {}; store it now, it is not shown again ({})",
                    rec.id,
                    role.as_str(),
                    tlp.as_str().to_ascii_uppercase(),
                    store.path().display()
                );
            }
        }
        TokenCommand::List(a) => {
            let list: Vec<TokenInfo> = store.load()?.iter().map(TokenInfo::from).collect();
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for t in &list {
                    outln!(
                        "{}  {:<8} {:<13} {}  {}",
                        t.id,
                        t.role.as_str(),
                        format!("TLP:{}", t.tlp.as_str().to_ascii_uppercase()),
                        t.created_at,
                        t.label.as_deref().unwrap_or("")
                    );
                }
                outln!("{} tokens", list.len());
            }
        }
        TokenCommand::Revoke(a) => {
            let rec = store.revoke(&a.id).map_err(|e| BadInput(e.to_string()))?;
            outln!("revoked token {} ({}, TLP:{})", rec.id, rec.role.as_str(), rec.tlp.as_str().to_ascii_uppercase());
        }
    }
    Ok(ExitCode::SUCCESS)
}
