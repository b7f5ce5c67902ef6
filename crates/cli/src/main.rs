//! `spyglass`: the command-line interface. Thin: parsing, rendering, exit codes.
//!
//! Exit codes: 0 ok, 1 runtime error, 2 bad usage or bad input.

/// Writes a line to stdout; a closed pipe (`spyglass … | head`) ends the process quietly.
macro_rules! outln {
    ($($t:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}

/// Writes to stdout; a closed pipe ends the process quietly.
macro_rules! out {
    ($($t:tt)*) => { $crate::write_stdout(format_args!($($t)*)) };
}

mod cmd;
mod render;
mod render_actor;
mod render_findings;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// State-sponsored espionage against AI assets, measured honestly.
#[derive(Debug, Parser)]
#[command(name = "spyglass", version, about, max_term_width = 100)]
struct Cli {
    /// Data directory holding the claim tables [default: ./spyglass-data]
    #[arg(long, global = true, env = "SPYGLASS_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

    /// Query engine: `embedded` (in-process DataFusion) or `ballista://HOST:PORT` (a Ballista cluster
    /// over the same tables on shared storage) [default: embedded]
    #[arg(long, global = true, env = "SPYGLASS_ENGINE", value_name = "ENGINE")]
    engine: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read incident files into the store, one atomic batch per file
    Ingest(cmd::ingest::Args),
    /// Share of incidents by sponsor, actor, vertical, asset, type or year, with confidence intervals
    Share(cmd::share::Args),
    /// Incidents per year or quarter: count model, change points, reporting-lag warning
    Trend(cmd::findings::TrendArgs),
    /// Shares in two periods with two-proportion tests
    Compare(cmd::findings::CompareArgs),
    /// Share of one sponsor's incidents aimed at AI assets (or verticals) per period, with a trend test
    Priorities(cmd::findings::PrioritiesArgs),
    /// Check a headline claim ("CN share > 0.5", "CN > RU"): supported, contradicted or inconclusive
    ClaimCheck(cmd::findings::ClaimArgs),
    /// Find actors, sponsors, verticals, AI assets, techniques, CVEs and IOCs in a text, with evidence
    Extract(cmd::extract::Args),
    /// Listed companies: load constituents / EDGAR / alias files, match victim names to tickers
    #[command(subcommand)]
    Companies(cmd::market::CompaniesCommand),
    /// Exposure of companies or a portfolio to incidents against them and their sub-industry peers
    Exposure(cmd::market::ExposureArgs),
    /// Market-model event study: abnormal returns, CARs, per-event t and BMP cross-sectional test
    EventStudy(cmd::market::EventStudyArgs),
    /// Threat premium: sub-industry incident rate x mean CAR of disclosed incidents, with an interval
    Premium(cmd::market::PremiumArgs),
    /// Watch rules (8-K Item 1.05, sponsor change points, AI-asset incidents): JSON-line alerts, webhook
    Watch(cmd::market::WatchArgs),
    /// A self-contained HTML (or Markdown) report of the findings with charts; PDF through Chromium
    Report(cmd::report::Args),
    /// Export for other tools: a STIX 2.1 bundle, or a view as Parquet or CSV
    #[command(subcommand)]
    Export(cmd::export::Command),
    /// Run SQL over the documented views (incidents, victims, attributions, assets, incident_sponsors…)
    Sql(cmd::sql::Args),
    /// Run the whole path on a small illustrative corpus bundled with spyglass
    Quickstart(cmd::quickstart::Args),
    /// The actor knowledge base: load MISP galaxies, ATT&CK, overrides
    #[command(subcommand)]
    Kb(cmd::kb::Command),
    /// Resolve, inspect, merge and split threat actors
    #[command(subcommand)]
    Actor(cmd::actor::Command),
    /// Serve the HTTP API (OpenAPI at /openapi.json) and the dashboard at /
    Serve(cmd::serve::ServeArgs),
    /// API tokens for `serve`: create (role and TLP clearance), list, revoke
    #[command(subcommand)]
    Token(cmd::serve::TokenCommand),
    /// Cross-source duplicates: scan candidates, review, confirm or reject
    #[command(subcommand)]
    Dedup(cmd::dedup::Command),
    /// Synthetic datasets for benchmarks: profile a store's proportions, generate N incidents
    #[command(subcommand)]
    Bench(cmd::bench::Command),
    /// Table maintenance: compact small files
    #[command(subcommand)]
    Maintain(cmd::cluster::MaintainCommand),
    /// Run a Ballista scheduler (the cluster's coordinator) for `--engine ballista://HOST:PORT`
    Scheduler(cmd::cluster::SchedulerArgs),
    /// Run a Ballista executor that serves a scheduler
    Executor(cmd::cluster::ExecutorArgs),
}

/// An error caused by the user's input (exit code 2) rather than by the machine (exit code 1).
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Backs `out!`/`outln!`: like `print!`, but a broken pipe exits 0 instead of panicking (as ripgrep).
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("spyglass: error: writing to stdout: {e}");
        std::process::exit(1);
    }
}

/// The default data directory when neither `--data` nor `SPYGLASS_DATA` is given.
pub const DEFAULT_DATA: &str = "spyglass-data";

/// A panic inside a background storage task (seen: object_store's writer on a full disk) is caught
/// by the runtime and comes back as an ordinary error, which `main` prints with the file and the
/// reason. Such a panic gets one line here instead of the default report; any other panic keeps it.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("tokio-rt-worker") {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
            eprintln!("spyglass: a background storage task failed: {msg}{at}");
        } else {
            default(info);
        }
    }));
}

#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match spyglass_store::Engine::parse(cli.engine.as_deref().unwrap_or("")) {
        Ok(engine) => spyglass_store::remote::set_default_engine(engine),
        Err(e) => {
            eprintln!("spyglass: error: --engine: {e}");
            return ExitCode::from(2);
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("spyglass: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let data = cli.data.clone();
    let result = runtime.block_on(async move {
        let data_or_default = data.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
        match cli.command {
            Command::Ingest(a) => cmd::ingest::run(&data_or_default, a).await,
            Command::Share(a) => cmd::share::run(&data_or_default, a).await,
            Command::Trend(a) => cmd::findings::run_trend(&data_or_default, a).await,
            Command::Compare(a) => cmd::findings::run_compare(&data_or_default, a).await,
            Command::Priorities(a) => cmd::findings::run_priorities(&data_or_default, a).await,
            Command::ClaimCheck(a) => cmd::findings::run_claim(&data_or_default, a).await,
            Command::Report(a) => cmd::report::run(&data_or_default, a).await,
            Command::Sql(a) => cmd::sql::run(&data_or_default, a).await,
            Command::Export(c) => cmd::export::run(&data_or_default, c).await,
            Command::Extract(a) => cmd::extract::run(&data_or_default, a).await,
            Command::Companies(c) => cmd::market::run_companies(&data_or_default, c).await,
            Command::Exposure(a) => cmd::market::run_exposure(&data_or_default, a).await,
            Command::EventStudy(a) => cmd::market::run_event_study(a).await,
            Command::Premium(a) => cmd::market::run_premium(&data_or_default, a).await,
            Command::Watch(a) => cmd::market::run_watch(&data_or_default, a).await,
            Command::Quickstart(a) => cmd::quickstart::run(data.as_deref(), a).await,
            Command::Kb(c) => cmd::kb::run(&data_or_default, c).await,
            Command::Actor(c) => cmd::actor::run(&data_or_default, c).await,
            Command::Serve(a) => cmd::serve::run_serve(&data_or_default, a).await,
            Command::Token(c) => cmd::serve::run_token(&data_or_default, c).await,
            Command::Dedup(c) => cmd::dedup::run(&data_or_default, c).await,
            Command::Bench(c) => cmd::bench::run(&data_or_default, c).await,
            Command::Maintain(c) => cmd::cluster::run_maintain(&data_or_default, c).await,
            Command::Scheduler(a) => cmd::cluster::run_scheduler_cmd(a).await,
            Command::Executor(a) => cmd::cluster::run_executor_cmd(a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("spyglass: error: {}", render::error_chain(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// 2 for bad input anywhere in the chain, else 1.
fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<BadInput>().is_some() || cause.downcast_ref::<spyglass_ingest::IngestError>().is_some() {
            return 2;
        }
        if let Some(e) = cause.downcast_ref::<spyglass_store::StoreError>() {
            if matches!(e, spyglass_store::StoreError::Query(_) | spyglass_store::StoreError::NoData(_)) {
                return 2;
            }
        }
        if let Some(spyglass_store::load::LoadError::Read(_)) = cause.downcast_ref() {
            return 2;
        }
        if let Some(spyglass_analysis::AnalysisError::BadArgument(_)) = cause.downcast_ref() {
            return 2;
        }
        if let Some(spyglass_analysis::AnalysisError::Store(
            spyglass_store::StoreError::Query(_) | spyglass_store::StoreError::NoData(_),
        )) = cause.downcast_ref()
        {
            return 2;
        }
    }
    1
}
