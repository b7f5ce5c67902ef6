//! The investor commands: `spyglass companies load|match`, `exposure`, `event-study`, `premium`,
//! `watch`. Thin glue: the rules live in `spyglass-market`; this file reads the store and files,
//! calls them and prints.
//!
//! Companies are kept as one JSON document per loaded file, `<data>/companies/<sha256>.json`
//! (see `spyglass_market::files`); watch state (alert ids already emitted) in
//! `<data>/watch/seen.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use arrow::array::{Array, RecordBatch, StringArray};
use chrono::{Datelike, NaiveDate, Utc};
use spyglass_market::event_study::{self, Config, Window};
use spyglass_market::exposure::{self, IncidentInput, Weights};
use spyglass_market::files::{self, CompanyFile};
use spyglass_market::watch::{self, AiIncident, Watchlist};
use spyglass_market::{MatchContext, Matcher, Registry, premium, prices};
use spyglass_model::Policy;
use spyglass_store::Store;

use crate::BadInput;

#[derive(Debug, clap::Subcommand)]
pub enum CompaniesCommand {
    /// Load S&P 500 constituents CSV, EDGAR submissions JSON or an alias CSV (ticker,name,kind[,note])
    Load(LoadArgs),
    /// Match victim names to companies: ticker, confidence, basis, candidates
    Match(MatchArgs),
    /// Link every named victim in the store to the loaded companies (findings then use a linked
    /// company's vertical where the source gives none)
    Link(LinkArgs),
}

#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// Links listed in the text output
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct MatchArgs {
    names: Vec<String>,
    /// Read names from a file, one per line
    #[arg(long, value_name = "NAMES.txt")]
    file: Option<PathBuf>,
    /// The names are known to be companies': a bare common word ("Target") may match
    #[arg(long)]
    company_context: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExposureArgs {
    /// Tickers to score (repeat or comma-separate)
    #[arg(long = "ticker", value_delimiter = ',', conflicts_with = "portfolio")]
    tickers: Vec<String>,
    /// CSV with columns ticker, weight
    #[arg(long, value_name = "FILE")]
    portfolio: Option<PathBuf>,
    /// Score as of this date (YYYY-MM-DD) [default: today]
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Recency half-life in years
    #[arg(long, default_value_t = 2.0)]
    half_life: f64,
    /// Incidents listed per component in the text output
    #[arg(long, default_value_t = 5)]
    top: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EventStudyArgs {
    /// Folder of price CSVs (Date, Adj Close), one per ticker (file stem)
    #[arg(long, value_name = "DIR")]
    prices: PathBuf,
    /// Market index CSV (date, adjclose)
    #[arg(long, value_name = "FILE")]
    market: PathBuf,
    /// Events CSV: ticker, date[, id]
    #[arg(long, value_name = "FILE")]
    events: PathBuf,
    /// Event windows, e.g. --window=-1,1 --window 0,5 [default: [-1,+1] [0,+5] [0,+20]]
    #[arg(long = "window", value_name = "A,B", allow_hyphen_values = true)]
    windows: Vec<String>,
    /// Estimation window [default: -250,-30]
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    estimation: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct PremiumArgs {
    /// GICS sub-industry (as in the constituents file), e.g. "Semiconductors"
    #[arg(long)]
    sub_industry: String,
    #[arg(long, value_name = "DIR")]
    prices: PathBuf,
    #[arg(long, value_name = "FILE")]
    market: PathBuf,
    /// Disclosed incidents: ticker, date[, id]
    #[arg(long, value_name = "FILE")]
    events: PathBuf,
    /// Event window whose CAR is the loss
    #[arg(long, default_value = "0,5", allow_hyphen_values = true)]
    window: String,
    /// First and last year of the incident rate [default: the years of the store's incidents]
    #[arg(long)]
    since: Option<i32>,
    #[arg(long)]
    until: Option<i32>,
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Watched companies (8-K Item 1.05)
    #[arg(long = "ticker", value_delimiter = ',')]
    tickers: Vec<String>,
    /// Watched GICS sub-industries (AI-asset incidents)
    #[arg(long = "sub-industry")]
    sub_industries: Vec<String>,
    /// Watched sponsors, ISO alpha-2 (change points in their yearly incident counts)
    #[arg(long = "sponsor", value_delimiter = ',')]
    sponsors: Vec<String>,
    /// EDGAR submissions JSON files to read besides the loaded ones
    #[arg(long = "edgar", value_name = "FILE")]
    edgar: Vec<PathBuf>,
    /// POST each new alert as JSON to this URL
    #[arg(long, value_name = "URL")]
    webhook: Option<String>,
    /// Emit every alert, also those emitted before (and do not record them)
    #[arg(long)]
    all: bool,
}

fn bad<E: std::fmt::Display>(e: E) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

fn companies_dir(data: &Path) -> PathBuf {
    data.join("companies")
}

/// Every loaded company file, in load order.
fn loaded_files(data: &Path) -> anyhow::Result<Vec<CompanyFile>> {
    let dir = companies_dir(data);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(out) };
    for e in entries {
        let path = e?.path();
        if path.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            out.push(serde_json::from_str::<CompanyFile>(&text).with_context(|| format!("{} is not a company file", path.display()))?);
        }
    }
    out.sort_by(|a, b| a.loaded_at.cmp(&b.loaded_at));
    Ok(out)
}

fn registry(data: &Path) -> anyhow::Result<(Registry, Vec<CompanyFile>)> {
    let files = loaded_files(data)?;
    if files.is_empty() {
        return Err(bad(format!("no companies loaded in {} (run `spyglass companies load FILE…`)", data.display())));
    }
    let reg = files::build(&files).map_err(bad)?;
    Ok((reg, files))
}

pub async fn run_companies(data: &Path, cmd: CompaniesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CompaniesCommand::Load(a) => load(data, a),
        CompaniesCommand::Match(a) => match_names(data, a),
        CompaniesCommand::Link(a) => link(data, a).await,
    }
}

fn load(data: &Path, a: LoadArgs) -> anyhow::Result<ExitCode> {
    let dir = companies_dir(data);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let existing: BTreeSet<String> = loaded_files(data)?.into_iter().map(|f| f.sha256).collect();
    let mut written = Vec::new();
    let mut report = Vec::new();
    for (i, path) in a.files.iter().enumerate() {
        let bytes = std::fs::read(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        // Order within one command is kept by a per-file suffix on the time.
        let at = format!("{}#{i:04}", Utc::now().to_rfc3339());
        let f = files::read(path, &bytes, &at).map_err(bad)?;
        let already = existing.contains(&f.sha256) || written.iter().any(|(_, s): &(PathBuf, String)| *s == f.sha256);
        report.push(serde_json::json!({
            "path": path.display().to_string(), "kind": f.kind, "sha256": f.sha256, "already_loaded": already,
            "companies": f.companies.len(), "aliases": f.aliases.len(), "filings": f.filings.len(),
        }));
        if !already {
            let out = dir.join(format!("{}.json", f.sha256));
            std::fs::write(&out, serde_json::to_vec(&f)?).with_context(|| format!("writing {}", out.display()))?;
            written.push((out, f.sha256.clone()));
        }
    }
    let reg = match loaded_files(data).and_then(|fs| files::build(&fs).map_err(bad)) {
        Ok(r) => r,
        Err(e) => {
            for (p, _) in &written {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    if a.json {
        outln!("{}", serde_json::json!({"files": report, "companies": reg.companies.len(), "dir": dir.display().to_string()}));
    } else {
        for r in &report {
            let state = if r["already_loaded"] == true { "already loaded" } else { "loaded" };
            outln!(
                "{} ({}): {state}, {} companies, {} aliases, {} filings",
                r["path"].as_str().unwrap_or(""),
                r["kind"].as_str().unwrap_or(""),
                r["companies"],
                r["aliases"],
                r["filings"]
            );
        }
        outln!("{} companies known, kept in {}", reg.companies.len(), dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn match_names(data: &Path, a: MatchArgs) -> anyhow::Result<ExitCode> {
    let mut names = a.names.clone();
    if let Some(f) = &a.file {
        let text = std::fs::read_to_string(f).map_err(|e| bad(format!("{}: {e}", f.display())))?;
        names.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
    }
    if names.is_empty() {
        return Err(bad("give names or --file NAMES.txt"));
    }
    let (reg, _) = registry(data)?;
    let m = Matcher::new(&reg);
    let ctx = if a.company_context { MatchContext::Company } else { MatchContext::Unknown };
    let res: Vec<_> = names.iter().map(|n| m.match_name(n, ctx)).collect();
    if a.json {
        outln!("{}", serde_json::to_string(&res)?);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &res {
        match (&r.ticker, &r.company, r.confidence) {
            (Some(t), Some(c), Some(conf)) => outln!("{} → {t} {c} (confidence {conf:.2}; {})", r.query, r.basis),
            _ => {
                outln!("{} → no match ({})", r.query, r.basis);
                for c in &r.candidates {
                    outln!("    candidate {} {} ({:.2}; {})", c.ticker, c.company, c.confidence, c.basis);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every column of `batches` as strings (NULL → None).
fn string_rows(batches: &[RecordBatch]) -> anyhow::Result<Vec<Vec<Option<String>>>> {
    let mut rows = Vec::new();
    for b in batches {
        let cols: Vec<_> = b
            .columns()
            .iter()
            .map(|c| arrow::compute::cast(c, &arrow::datatypes::DataType::Utf8))
            .collect::<Result<_, _>>()?;
        let cols: Vec<&StringArray> =
            cols.iter().map(|c| c.as_any().downcast_ref::<StringArray>().context("cast to text")).collect::<Result<_, _>>()?;
        for i in 0..b.num_rows() {
            rows.push(cols.iter().map(|c| (!c.is_null(i)).then(|| c.value(i).to_string())).collect());
        }
    }
    Ok(rows)
}

/// Victims of the store's incidents matched to companies.
struct StoreIncidents {
    inputs: Vec<IncidentInput>,
    assets: BTreeMap<String, Vec<String>>,
    years: Option<(i32, i32)>,
}

/// A victim of an incident matched to a loaded company.
struct VictimMatch {
    incident_id: String,
    /// `None` when the source gave the ticker itself.
    name: Option<String>,
    company_id: String,
    confidence: Option<f64>,
    basis: String,
    date: Option<NaiveDate>,
}

/// Matches the named victims of `from` (a view: `incidents` for every report, `scoped_incidents`
/// for what findings count) to the loaded companies.
async fn victim_matches(store: &Store, policy: &Policy, reg: &Registry, from: &str) -> anyhow::Result<Vec<VictimMatch>> {
    let victims = string_rows(
        &store
            .sql(
                policy,
                &format!(
                    "SELECT DISTINCT v.incident_id, v.name, v.category, v.ticker, CAST(i.start_date AS VARCHAR) FROM victims v \
                     JOIN {from} i ON v.incident_id = i.incident_id WHERE v.name IS NOT NULL OR v.ticker IS NOT NULL \
                     ORDER BY 1, 2"
                ),
            )
            .await?,
    )?;
    let m = Matcher::new(reg);
    let mut out = Vec::new();
    for r in victims {
        let get = |i: usize| r.get(i).cloned().flatten();
        let Some(id) = get(0) else { continue };
        let date = get(4).and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(&d), "%Y-%m-%d").ok());
        let category = get(2).unwrap_or_default();
        let ctx = if category.contains("Corporate") || category.trim() == "Private sector" { MatchContext::Company } else { MatchContext::Unknown };
        if let Some(c) = get(3).and_then(|t| reg.by_ticker(&t).cloned()) {
            out.push(VictimMatch {
                incident_id: id,
                name: None,
                company_id: c.id.clone(),
                confidence: Some(1.0),
                basis: "ticker given by the source".into(),
                date,
            });
            continue;
        }
        for name in get(1).unwrap_or_default().split("; ") {
            let res = m.match_name(name, ctx);
            if let (Some(cid), Some(conf)) = (res.company_id, res.confidence) {
                out.push(VictimMatch {
                    incident_id: id.clone(),
                    name: Some(name.to_string()),
                    company_id: cid,
                    confidence: Some(conf),
                    basis: format!("victim \"{name}\": {} ({conf:.2})", res.basis),
                    date,
                });
            }
        }
    }
    Ok(out)
}

async fn store_incidents(data: &Path, reg: &Registry) -> anyhow::Result<StoreIncidents> {
    let store = Store::new(data);
    let policy = Policy::default();
    let state: BTreeSet<String> = string_rows(&store.sql(&policy, "SELECT DISTINCT incident_id FROM incident_sponsors").await?)?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    let mut assets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in string_rows(&store.sql(&policy, "SELECT DISTINCT incident_id, asset FROM incident_assets").await?)? {
        if let (Some(Some(id)), Some(Some(a))) = (r.first(), r.get(1)) {
            assets.entry(id.clone()).or_default().push(a.clone());
        }
    }
    let years = string_rows(
        &store
            .sql(&policy, "SELECT min(date_part('year', start_date)), max(date_part('year', start_date)) FROM scoped_incidents")
            .await?,
    )?
    .into_iter()
    .next()
    .and_then(|r| Some((r.first()?.as_ref()?.parse::<f64>().ok()? as i32, r.get(1)?.as_ref()?.parse::<f64>().ok()? as i32)));
    let inputs = victim_matches(&store, &policy, reg, "scoped_incidents")
        .await?
        .into_iter()
        .map(|v| IncidentInput {
            state_sponsored: state.contains(&v.incident_id),
            ai_asset: assets.contains_key(&v.incident_id),
            incident_id: v.incident_id,
            company_id: v.company_id,
            date: v.date,
            basis: v.basis,
        })
        .collect();
    Ok(StoreIncidents { inputs, assets, years })
}

/// `companies link`: matches every named victim in the store to the loaded companies and records
/// the links (one batch, replacing the previous run's), so findings can use a linked company's
/// vertical where the source gives none.
async fn link(data: &Path, a: LinkArgs) -> anyhow::Result<ExitCode> {
    let (reg, _) = registry(data)?;
    let store = Store::new(data);
    let matches = victim_matches(&store, &Policy::default(), &reg, "incidents").await?;
    let mut links = Vec::new();
    for m in &matches {
        let Some(c) = reg.by_id(&m.company_id) else { continue };
        links.push(spyglass_store::links::CompanyLink {
            incident_id: m.incident_id.clone(),
            victim_name: m.name.clone(),
            ticker: c.ticker().to_string(),
            company: c.name.clone(),
            vertical: Some(c.vertical().as_str().to_string()),
            confidence: m.confidence,
            basis: Some(m.basis.clone()),
        });
    }
    let body = serde_json::to_vec(&links.iter().map(|l| (&l.incident_id, &l.ticker)).collect::<Vec<_>>())?;
    let meta = spyglass_store::schema::BatchMeta {
        batch_id: spyglass_store::new_batch_id(),
        content_sha256: {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&body))
        },
        path: "companies link".into(),
        format: "company-links".into(),
        records_read: matches.len() as u64,
        records_skipped: 0,
        ingested_at: Utc::now(),
    };
    store.commit_company_links(&meta, &links).await?;
    let incidents: BTreeSet<&str> = links.iter().map(|l| l.incident_id.as_str()).collect();
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&serde_json::json!({ "links": links, "incidents": incidents.len() }))?);
    } else {
        outln!("linked {} victims of {} incidents to {} companies", links.len(), incidents.len(),
            links.iter().map(|l| l.ticker.as_str()).collect::<BTreeSet<_>>().len());
        for l in links.iter().take(a.top) {
            outln!("  {:<28} {:<6} {:<24} {}", l.incident_id, l.ticker, l.vertical.as_deref().unwrap_or("-"), l.basis.as_deref().unwrap_or(""));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_exposure(data: &Path, a: ExposureArgs) -> anyhow::Result<ExitCode> {
    let (reg, _) = registry(data)?;
    let holdings: Vec<(String, f64)> = match &a.portfolio {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| bad(format!("{}: {e}", p.display())))?;
            exposure::read_portfolio(p, &text).map_err(bad)?
        }
        None if a.tickers.is_empty() => return Err(bad("give --ticker T… or --portfolio FILE")),
        None => a.tickers.iter().map(|t| (t.trim().to_uppercase(), 1.0)).collect(),
    };
    for (t, _) in &holdings {
        if reg.by_ticker(t).is_none() {
            return Err(bad(format!("unknown ticker {t} (not in the loaded companies)")));
        }
    }
    let as_of = a.as_of.unwrap_or_else(|| Utc::now().date_naive());
    let w = Weights { half_life_years: a.half_life, ..Weights::default() };
    let si = store_incidents(data, &reg).await?;
    let method = serde_json::json!({
        "weights": w, "as_of": as_of,
        "incident_weight": "0.5^(age/half-life) x (2 if state-sponsored) x (2 if an AI asset was targeted)",
        "score": "direct (sum over incidents against the company) + peer (0.5 x sum over incidents against the other companies of its GICS sub-industry / their number)",
        "policy": "default policy views (incident_sponsors, incident_assets)",
        "matched_victims": si.inputs.len(),
    });
    if a.portfolio.is_some() {
        let p = exposure::portfolio(&reg, &si.inputs, &holdings, as_of, &w).map_err(bad)?;
        if a.json {
            outln!("{}", serde_json::json!({"portfolio": p, "method": method}));
            return Ok(ExitCode::SUCCESS);
        }
        outln!("Portfolio exposure as of {as_of}: {:.4} (weights sum to {:.4})", p.total, p.weight_sum);
        outln!("  {:<8} {:>8} {:>10} {:>12} {:>7}", "ticker", "weight", "exposure", "contribution", "share");
        for h in &p.holdings {
            let share = if p.total > 0.0 { h.contribution / p.total } else { 0.0 };
            outln!("  {:<8} {:>8.4} {:>10.4} {:>12.4} {:>7}", h.ticker, h.weight, h.exposure.score, h.contribution, crate::render::pct(share));
        }
        for h in &p.holdings {
            print_exposure(&h.exposure, a.top);
        }
    } else {
        let mut out = Vec::new();
        for (t, _) in &holdings {
            out.push(exposure::score(&reg, &si.inputs, t, as_of, &w).map_err(bad)?);
        }
        if a.json {
            outln!("{}", serde_json::json!({"companies": out, "method": method}));
            return Ok(ExitCode::SUCCESS);
        }
        for e in &out {
            print_exposure(e, a.top);
        }
    }
    outln!("method: incident weight = 0.5^(age/{}y) × 2 if state-sponsored × 2 if AI asset; score = direct + 0.5 × mean peer", a.half_life);
    Ok(ExitCode::SUCCESS)
}

fn print_exposure(e: &exposure::Exposure, top: usize) {
    outln!(
        "\n{} {} — exposure {:.4} as of {} (peer group {}, {} peers)",
        e.ticker,
        e.company,
        e.score,
        e.as_of,
        e.peer_group.as_deref().unwrap_or("none"),
        e.peers
    );
    for c in &e.components {
        outln!("  {:<6} {:>9.4}  from {} incidents", c.name, c.value, c.incidents.len());
        for i in c.incidents.iter().take(top) {
            outln!(
                "    {:<28} {} {:<6} w={:.4} (recency {:.3}{}{}) +{:.4}  {}",
                i.incident_id,
                i.date,
                i.ticker,
                i.weight,
                i.recency,
                if i.state_sponsored { " × state 2" } else { "" },
                if i.ai_asset { " × AI 2" } else { "" },
                i.contribution,
                i.basis
            );
        }
    }
    if e.undated > 0 {
        outln!("  ({} undated incidents left out)", e.undated);
    }
}

fn study_config(windows: &[String], estimation: Option<&str>) -> anyhow::Result<Config> {
    let mut cfg = Config::default();
    if !windows.is_empty() {
        cfg.windows = windows.iter().map(|w| Window::parse(w)).collect::<Result<_, _>>().map_err(bad)?;
    }
    if let Some(e) = estimation {
        cfg.estimation = Window::parse(e).map_err(bad)?;
    }
    Ok(cfg)
}

fn run_study(prices_dir: &Path, market: &Path, events: &Path, cfg: &Config) -> anyhow::Result<event_study::Study> {
    let text = std::fs::read_to_string(events).map_err(|e| bad(format!("{}: {e}", events.display())))?;
    let evs = event_study::read_events(events, &text).map_err(bad)?;
    let px = prices::read_dir(prices_dir).map_err(bad)?;
    let mkt = prices::read_csv(market, "market").map_err(bad)?;
    event_study::run(&evs, &px, &mkt, cfg).map_err(bad)
}

fn num(x: Option<f64>, prec: usize) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.prec$}"))
}

pub async fn run_event_study(a: EventStudyArgs) -> anyhow::Result<ExitCode> {
    let cfg = study_config(&a.windows, a.estimation.as_deref())?;
    let s = run_study(&a.prices, &a.market, &a.events, &cfg)?;
    if a.json {
        outln!("{}", serde_json::to_string(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Event study: {} events, {} skipped (market model, estimation {})", s.events.len(), s.skipped.len(), cfg.estimation.label());
    for e in &s.events {
        let wins: Vec<String> = e.windows.iter().map(|w| format!("{} CAR {} t {}", w.window, num(w.car, 4), num(w.t, 2))).collect();
        outln!(
            "  {:<6} {} (day 0 {})  α {:.5} β {:.3} σ {:.4} n {}  {}",
            e.ticker,
            e.date,
            e.day0,
            e.alpha,
            e.beta,
            e.sigma,
            e.n_est,
            wins.join("  ")
        );
        for w in e.windows.iter().filter(|w| !w.missing.is_empty()) {
            outln!("         {} missing: {}", w.window, w.missing.join("; "));
        }
    }
    for k in &s.skipped {
        outln!("  skipped {} {}: {}", k.ticker, k.date, k.reason);
    }
    outln!("  {:<9} {:>9} {:>8} {:>9} {:>4}", "window", "CAAR", "t_BMP", "p", "n");
    for c in &s.caar {
        outln!("  {:<9} {:>9} {:>8} {:>9} {:>4}", c.window, num(c.caar, 5), num(c.t_bmp, 3), num(c.p_value, 4), c.n);
    }
    outln!("method: {}; {}", s.method.test, s.method.references);
    Ok(ExitCode::SUCCESS)
}

pub async fn run_premium(data: &Path, a: PremiumArgs) -> anyhow::Result<ExitCode> {
    let (reg, _) = registry(data)?;
    let members: BTreeSet<&str> = reg
        .companies
        .iter()
        .filter(|c| c.gics_sub_industry.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(&a.sub_industry)))
        .map(|c| c.id.as_str())
        .collect();
    if members.is_empty() {
        return Err(bad(format!("no loaded company has GICS sub-industry {:?}", a.sub_industry)));
    }
    let si = store_incidents(data, &reg).await?;
    let (since, until) = match (a.since, a.until, si.years) {
        (Some(s), Some(u), _) => (s, u),
        (s, u, Some((lo, hi))) => (s.unwrap_or(lo), u.unwrap_or(hi)),
        _ => return Err(bad("the store has no dated incidents: give --since and --until")),
    };
    if until < since {
        return Err(bad(format!("--until {until} is before --since {since}")));
    }
    let ids: BTreeSet<&str> = si
        .inputs
        .iter()
        .filter(|i| members.contains(i.company_id.as_str()) && i.date.is_some_and(|d| d.year() >= since && d.year() <= until))
        .map(|i| i.incident_id.as_str())
        .collect();
    let company_years = members.len() as f64 * f64::from(until - since + 1);
    let window = Window::parse(&a.window).map_err(bad)?;
    let cfg = Config { windows: vec![window], ..Config::default() };
    let s = run_study(&a.prices, &a.market, &a.events, &cfg)?;
    let cars = s.caar.first().map(|c| c.cars.clone()).unwrap_or_default();
    let p = premium::threat_premium(ids.len() as u64, company_years, &cars, a.level).map_err(bad)?;
    if a.json {
        outln!(
            "{}",
            serde_json::json!({"sub_industry": a.sub_industry, "companies": members.len(), "since": since, "until": until,
                               "window": window.label(), "premium": p, "skipped_events": s.skipped})
        );
        return Ok(ExitCode::SUCCESS);
    }
    let iv = |e: &premium::Estimate, f: &dyn Fn(f64) -> String| match (e.low, e.high) {
        (Some(l), Some(h)) => format!("{} [{}, {}]", f(e.value), f(l), f(h)),
        _ => f(e.value),
    };
    let pctf = |x: f64| format!("{:.3}%", 100.0 * x);
    outln!("Threat premium — {} ({} companies, {since}–{until}, {:.0} company-years)", a.sub_industry, members.len(), company_years);
    outln!("  incidents {}  rate {} per company-year", p.incidents, iv(&p.rate, &|x| format!("{x:.4}")));
    match &p.loss_per_incident {
        Some(l) => outln!("  loss per disclosed incident (−mean CAR {}, {} events) {}", window.label(), p.events, iv(l, &pctf)),
        None => outln!("  no event CARs: no loss estimate"),
    }
    if let Some(x) = &p.expected_annual_loss {
        outln!("  expected annual value at risk {} of market value", iv(x, &pctf));
    }
    if p.thin {
        outln!("  TOO THIN to price: {}", p.reasons.join("; "));
    }
    outln!("method: {}", p.method);
    Ok(ExitCode::SUCCESS)
}

/// Yearly counts per sponsor from the store and their PELT change points.
async fn sponsor_changes(data: &Path, sponsors: &[String]) -> anyhow::Result<Vec<watch::SponsorChange>> {
    let store = Store::new(data);
    let rows = string_rows(
        &store
            .sql(
                &Policy::default(),
                "SELECT s.sponsor, CAST(date_part('year', i.start_date) AS BIGINT), count(DISTINCT i.incident_id) \
                 FROM incident_sponsors s JOIN scoped_incidents i ON s.incident_id = i.incident_id \
                 WHERE i.start_date IS NOT NULL GROUP BY 1, 2",
            )
            .await?,
    )?;
    let mut by: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for r in rows {
        let (Some(Some(s)), Some(Some(y)), Some(Some(n))) = (r.first(), r.get(1), r.get(2)) else { continue };
        let (Ok(y), Ok(n)) = (y.parse::<i64>(), n.parse::<f64>()) else { continue };
        lo = lo.min(y);
        hi = hi.max(y);
        by.entry(s.to_uppercase()).or_default().insert(y, n);
    }
    let mut out = Vec::new();
    for s in sponsors {
        let Some(series) = by.get(&s.to_uppercase()) else { continue };
        let years: Vec<i64> = (lo..=hi).collect();
        let counts: Vec<f64> = years.iter().map(|y| series.get(y).copied().unwrap_or(0.0)).collect();
        let Ok(cp) = spyglass_stats::pelt(&counts, spyglass_stats::Penalty::default(), 2) else { continue };
        for i in 1..cp.segments.len() {
            out.push(watch::SponsorChange {
                sponsor: s.to_uppercase(),
                period: years[cp.segments[i].start].to_string(),
                rate_before: cp.segments[i - 1].rate,
                rate_after: cp.segments[i].rate,
            });
        }
    }
    Ok(out)
}

pub async fn run_watch(data: &Path, a: WatchArgs) -> anyhow::Result<ExitCode> {
    let w = Watchlist { tickers: a.tickers.clone(), sub_industries: a.sub_industries.clone(), sponsors: a.sponsors.clone() };
    if w.tickers.is_empty() && w.sub_industries.is_empty() && w.sponsors.is_empty() {
        return Err(bad("nothing to watch: give --ticker, --sub-industry or --sponsor"));
    }
    let files = loaded_files(data)?;
    let mut reg = files::build(&files).map_err(bad)?;
    let mut filings = files::filings(&files);
    for p in &a.edgar {
        let text = std::fs::read_to_string(p).map_err(|e| bad(format!("{}: {e}", p.display())))?;
        let e = spyglass_market::load::edgar(p, &text).map_err(bad)?;
        reg.upsert(e.company);
        filings.extend(e.filings);
    }
    let mut alerts = watch::eight_k_alerts(&filings, &reg, &w);
    let store = Store::new(data);
    if store.exists() {
        if !w.sponsors.is_empty() {
            alerts.extend(watch::change_point_alerts(&sponsor_changes(data, &w.sponsors).await?, &w));
        }
        if !w.sub_industries.is_empty() {
            let si = store_incidents(data, &reg).await?;
            let incs: Vec<AiIncident> = si
                .inputs
                .iter()
                .filter_map(|i| {
                    Some(AiIncident { incident_id: i.incident_id.clone(), company_id: i.company_id.clone(), date: i.date, assets: si.assets.get(&i.incident_id)?.clone() })
                })
                .collect();
            alerts.extend(watch::ai_asset_alerts(&incs, &reg, &w));
        }
    } else if !w.sponsors.is_empty() || !w.sub_industries.is_empty() {
        eprintln!("spyglass: no incident store at {}: only the 8-K rule was evaluated", data.display());
    }
    let seen_path = data.join("watch").join("seen.json");
    let mut seen: BTreeSet<String> = match std::fs::read_to_string(&seen_path) {
        Ok(t) if !a.all => serde_json::from_str(&t).with_context(|| format!("{} is not a list of alert ids", seen_path.display()))?,
        _ => BTreeSet::new(),
    };
    let new = watch::only_new(alerts, &seen);
    let client = reqwest::Client::new();
    let mut delivered = 0;
    for alert in &new {
        outln!("{}", serde_json::to_string(alert)?);
        if let Some(url) = &a.webhook {
            client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(alert)?)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .with_context(|| format!("posting alert {} to {url}", alert.id))?;
            delivered += 1;
        }
        seen.insert(alert.id.clone());
    }
    if !a.all {
        std::fs::create_dir_all(data.join("watch"))?;
        std::fs::write(&seen_path, serde_json::to_vec(&seen)?).with_context(|| format!("writing {}", seen_path.display()))?;
    }
    eprintln!("spyglass watch: {} new alerts{}", new.len(), a.webhook.as_ref().map_or(String::new(), |u| format!(", {delivered} posted to {u}")));
    Ok(ExitCode::SUCCESS)
}
