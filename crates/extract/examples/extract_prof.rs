//! Profiling harness (callgrind / perf): runs one contender over the first `MB` megabytes of the
//! corpus written by `extract_bench`.
//!
//! ```text
//! cargo build --release -p spyglass-extract --example extract_prof
//! valgrind --tool=callgrind --toggle-collect='*run_contender*' \
//!     target/release/examples/extract_prof full 5
//! ```
//!
//! Contenders: `full` (`Extractor::extract` per line), `scan` (the dictionary pass alone),
//! `tokens` (the token index alone), `stageN` (the pipeline up to stage N, see
//! `Extractor::extract_upto`),
//! `bare` (a bare Aho–Corasick scan with the actor patterns, as in `extract_bench`).
#![allow(clippy::expect_used, clippy::unwrap_used)] // a development tool: failing loudly is what it should do

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use spyglass_extract::Extractor;

#[inline(never)]
fn run_contender(mode: &str, ex: &Extractor, bare: &AhoCorasick, lines: &[&str]) -> usize {
    match mode {
        "full" => lines.iter().map(|l| {
            let e = ex.extract(l);
            e.actors.len() + e.sponsors.len() + e.verticals.len() + e.ai_assets.len() + e.iocs.len()
        }).sum(),
        "scan" => lines.iter().map(|l| ex.scan_only(l)).sum(),
        "tokens" => lines.iter().map(|l| Extractor::tokens_only(l)).sum(),
        s if s.starts_with("stage") => {
            let stage: u8 = s[5..].parse().expect("stage number");
            lines.iter().map(|l| ex.extract_upto(l, stage).verticals.capacity()).sum()
        }
        "bare" => lines.iter().map(|l| bare.find_iter(l).count()).sum(),
        other => panic!("unknown contender {other}: full | scan | bare"),
    }
}

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks per second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("full", String::as_str).to_string();
    let mb: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5.0);
    let path = args.get(3).cloned().unwrap_or_else(|| "/tmp/spyglass-extract-corpus.txt".into());
    let corpus = std::fs::read_to_string(&path).expect("corpus (run extract_bench first)");
    let mut lines = Vec::new();
    let mut size = 0usize;
    for l in corpus.lines() {
        if size as f64 >= mb * 1e6 {
            break;
        }
        size += l.len() + 1;
        lines.push(l);
    }
    let actors = common::load_misp_actors(&spyglass_testkit::shared_root().join("misp-galaxy/threat-actor.json"));
    let patterns: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
    let bare = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .expect("bare automaton");
    let ex = Extractor::new(actors.clone()).expect("extractor");
    let (t, c) = (Instant::now(), cpu_seconds());
    let n = run_contender(&mode, &ex, &bare, &lines);
    let (dt, dc) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    let mb = size as f64 / 1e6;
    // CPU time (user + system) is less disturbed than wall time on a shared machine
    println!("{mode}\t{mb:.1} MB\t{:.1} MB/s\t({n})\tcpu {:.1} MB/s", mb / dt, mb / dc);
}
