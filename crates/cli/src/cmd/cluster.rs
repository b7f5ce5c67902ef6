//! `spyglass scheduler`, `spyglass executor` (an embedded Apache DataFusion Ballista cluster) and
//! `spyglass maintain compact`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spyglass_store::Store;
use spyglass_store::remote::{ExecutorOptions, run_executor, run_scheduler};

use crate::BadInput;

#[derive(Debug, clap::Args)]
pub struct SchedulerArgs {
    /// Address to listen on; clients use `--engine ballista://HOST:PORT`, executors `--scheduler HOST:PORT`
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50050")]
    bind: SocketAddr,
}

#[derive(Debug, clap::Args)]
pub struct ExecutorArgs {
    /// The scheduler to serve
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50050")]
    scheduler: String,
    /// Host to bind and advertise to the scheduler and the other executors
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    bind_host: String,
    /// Arrow Flight port (other executors fetch shuffle data here)
    #[arg(long, value_name = "PORT", default_value_t = 50051)]
    port: u16,
    /// gRPC port
    #[arg(long, value_name = "PORT", default_value_t = 50052)]
    grpc_port: u16,
    /// Tasks run at once [default: one per core]
    #[arg(long, value_name = "N", default_value_t = 0)]
    concurrent_tasks: usize,
    /// Folder for shuffle files [default: a temporary folder]
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum MaintainCommand {
    /// Rewrite each table's small files into large ones (Delta OPTIMIZE); findings do not change
    Compact(CompactArgs),
}

#[derive(Debug, clap::Args)]
pub struct CompactArgs {
    /// Target file size in MiB
    #[arg(long, value_name = "MIB", default_value_t = 128)]
    target_mib: u64,
    /// Print what was done as JSON
    #[arg(long)]
    json: bool,
}

pub async fn run_scheduler_cmd(args: SchedulerArgs) -> anyhow::Result<ExitCode> {
    eprintln!("spyglass: Ballista scheduler listening on {}", args.bind);
    run_scheduler(args.bind).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn run_executor_cmd(args: ExecutorArgs) -> anyhow::Result<ExitCode> {
    let (host, port) = args
        .scheduler
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .filter(|(h, _)| !h.is_empty())
        .ok_or_else(|| BadInput(format!("--scheduler {:?}: expected HOST:PORT", args.scheduler)))?;
    eprintln!(
        "spyglass: Ballista executor on {}:{} (gRPC {}), scheduler {host}:{port}",
        args.bind_host, args.port, args.grpc_port
    );
    run_executor(ExecutorOptions {
        scheduler_host: host,
        scheduler_port: port,
        bind_host: args.bind_host,
        port: args.port,
        grpc_port: args.grpc_port,
        concurrent_tasks: args.concurrent_tasks,
        work_dir: args.work_dir,
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn run_maintain(data: &Path, cmd: MaintainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MaintainCommand::Compact(a) => {
            let done = Store::new(data).compact(a.target_mib.saturating_mul(1024 * 1024)).await?;
            if a.json {
                outln!("{}", serde_json::to_string_pretty(&done)?);
            } else {
                outln!("{:<22} {:>12} {:>11}", "table", "files before", "files after");
                for c in &done {
                    outln!("{:<22} {:>12} {:>11}", c.table, c.files_before, c.files_after);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
