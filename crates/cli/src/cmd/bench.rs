//! `spyglass bench profile|generate`: synthetic datasets whose proportions come from real data.
//!
//! `bench profile` reads the marginal distributions of a store (incidents per start year, state
//! sponsor, victim vertical, AI asset and incident type, under the default policy) and writes them
//! as JSON. `bench generate --incidents N` draws N incidents from such a profile — by default the
//! one bundled with spyglass, computed by `bench profile` from EuRepoC 1.1 and the CFR tracker
//! (`crates/cli/src/bench_profile.json`; a test recomputes it from `../shared/data`).
//!
//! Each incident draws each dimension independently from its marginal (one key per dimension;
//! "none"/"unknown"/"undated" included with their real weights). Real incidents correlate these
//! (CN with technology victims, say); the synthetic set keeps only the marginals, which is what
//! the scaling benchmarks need: the same key cardinalities and skew as the real data.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use spyglass_analysis::{Dimension, Filters, ShareQuery};
use spyglass_store::Store;

use crate::BadInput;

/// The profile bundled with spyglass (`spyglass bench profile` over EuRepoC 1.1 + CFR).
pub const BUNDLED_PROFILE: &str = include_str!("../bench_profile.json");

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the marginal distributions of the store (default policy) as a profile JSON
    Profile(ProfileArgs),
    /// Write N synthetic incidents as spyglass JSONL, drawn from a profile
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// Where to write the profile (default: stdout)
    #[arg(long)]
    out: Option<PathBuf>,
    /// A note on where the data came from, kept in the profile
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Number of incidents
    #[arg(long)]
    incidents: u64,
    /// Output JSONL file
    #[arg(long)]
    out: PathBuf,
    /// Profile JSON from `bench profile` (default: the bundled EuRepoC + CFR profile)
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Seed of the generator (the same seed and profile give the same file)
    #[arg(long, default_value_t = 20261202)]
    seed: u64,
    /// Source name of the generated incidents
    #[arg(long, default_value = "spyglass synthetic")]
    source: String,
}

/// Marginal distributions: per dimension, `(key, incidents)`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    pub note: String,
    pub n: u64,
    pub sponsor: Vec<(String, u64)>,
    pub vertical: Vec<(String, u64)>,
    pub asset: Vec<(String, u64)>,
    #[serde(rename = "type")]
    pub type_: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
}

/// The profile of a store under the default policy.
pub async fn profile_of(store: &Store, note: &str) -> anyhow::Result<Profile> {
    let mut dims = Vec::new();
    let mut n = 0;
    for by in [Dimension::Sponsor, Dimension::Vertical, Dimension::Asset, Dimension::Type, Dimension::Year] {
        let r = spyglass_analysis::share(store, &ShareQuery::new(by, Filters::default())).await?;
        n = r.n;
        let mut rows: Vec<(String, u64)> = r.rows.iter().map(|r| (r.key.clone(), r.count)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        dims.push(rows);
    }
    let mut it = dims.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Profile { note: note.to_string(), n, sponsor: next(), vertical: next(), asset: next(), type_: next(), year: next() })
}

pub async fn run(data: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Profile(a) => {
            let p = profile_of(&Store::new(data), &a.note).await?;
            let text = serde_json::to_string_pretty(&p)? + "\n";
            match a.out {
                Some(path) => std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?,
                None => out!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(a) => {
            let profile: Profile = match &a.profile {
                Some(p) => {
                    let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
                    serde_json::from_str(&text).map_err(|e| BadInput(format!("{}: not a bench profile: {e}", p.display())))?
                }
                None => serde_json::from_str(BUNDLED_PROFILE).context("the bundled profile")?,
            };
            let started = std::time::Instant::now();
            let bytes = generate(&profile, a.incidents, a.seed, &a.source, &a.out)?;
            eprintln!(
                "spyglass bench generate: {} incidents, {:.1} MB in {:.1} s -> {}",
                a.incidents,
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                a.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Cumulative weights for drawing a key.
struct Draw<'a> {
    keys: Vec<&'a str>,
    cum: Vec<u64>,
}

impl<'a> Draw<'a> {
    fn new(dim: &'a [(String, u64)], what: &str) -> anyhow::Result<Self> {
        let mut cum = Vec::with_capacity(dim.len());
        let mut total = 0u64;
        for (_, c) in dim {
            total += c;
            cum.push(total);
        }
        if total == 0 {
            return Err(BadInput(format!("the profile's {what} distribution is empty")).into());
        }
        Ok(Draw { keys: dim.iter().map(|(k, _)| k.as_str()).collect(), cum })
    }

    fn pick(&self, rng: &mut impl Rng) -> &'a str {
        let total = *self.cum.last().unwrap_or(&1);
        let x = rng.random_range(0..total);
        let i = self.cum.partition_point(|&c| c <= x);
        self.keys[i.min(self.keys.len() - 1)]
    }
}

fn quoted_list(out: &mut Vec<u8>, field: &str, key: &str, none: &[&str]) {
    if !none.contains(&key) {
        let _ = write!(out, ", \"{field}\": [\"{key}\"]");
    }
}

/// Writes `n` incidents to `path`; returns the bytes written.
pub fn generate(profile: &Profile, n: u64, seed: u64, source: &str, path: &Path) -> anyhow::Result<u64> {
    let sponsor = Draw::new(&profile.sponsor, "sponsor")?;
    let vertical = Draw::new(&profile.vertical, "vertical")?;
    let asset = Draw::new(&profile.asset, "asset")?;
    let type_ = Draw::new(&profile.type_, "type")?;
    let year = Draw::new(&profile.year, "year")?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let source = serde_json::to_string(source)?;
    let mut line = Vec::with_capacity(512);
    let mut bytes = 0u64;
    for i in 0..n {
        line.clear();
        let _ = write!(line, "{{\"id\": \"gen:{i}\", \"title\": \"synthetic incident {i}\", \"source\": {source}");
        let y = year.pick(&mut rng);
        if let Ok(y) = y.parse::<i32>() {
            let (m, d) = (rng.random_range(1..=12u32), rng.random_range(1..=28u32));
            let _ = write!(line, ", \"start_date\": \"{y:04}-{m:02}-{d:02}\"");
        }
        let s = sponsor.pick(&mut rng);
        if s != "none" {
            let _ = write!(line, ", \"sponsors\": [\"{s}\"], \"sponsorship\": \"state\"");
        }
        quoted_list(&mut line, "verticals", vertical.pick(&mut rng), &["unknown"]);
        quoted_list(&mut line, "assets", asset.pick(&mut rng), &["unknown"]);
        quoted_list(&mut line, "types", type_.pick(&mut rng), &["unknown"]);
        line.extend_from_slice(b"}\n");
        w.write_all(&line).with_context(|| format!("cannot write {}", path.display()))?;
        bytes += line.len() as u64;
    }
    w.flush().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes)
}
