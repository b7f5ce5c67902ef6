//! Throughput benchmark (one run, release build):
//!
//! ```text
//! cargo run --release -p spyglass-extract --example extract_bench [-- MB [CORPUS_PATH]]
//! ```
//!
//! The Python peer (`benches/pyahocorasick_bench.py`, needs `pip install pyahocorasick`) is run
//! by this program on the same corpus right after the Rust measurements, so that one command
//! gives all three figures and their ratios; it can also be run alone:
//! `python3 crates/extract/benches/pyahocorasick_bench.py [CORPUS_PATH]`.
//!
//! Builds a corpus of at least `MB` megabytes (default 100) by repeating the real incident
//! descriptions from ../shared/data (EuRepoC, CFR, ATLAS case-study summaries, ATT&CK group
//! descriptions), one description per line, and writes it to CORPUS_PATH (default
//! /tmp/spyglass-extract-corpus.txt) for the Python peer. Loads the full MISP threat-actor alias
//! dictionary and measures, over the same lines:
//! (a) `Extractor::extract` on every line (the whole extraction);
//! (b) a bare Aho–Corasick scan with the same actor patterns and configuration (ASCII
//!     case-insensitive, leftmost-longest, DFA): `find_iter(line).count()` per line, and once over
//!     the whole buffer; and the same scan with all the extractor's own patterns (rule phrases,
//!     aliases and their variants: `Extractor::pattern_texts`), per line;
//! and, for reference, the extractor's dictionary pass alone (all alias and rule patterns, no
//! context rules). Each figure is the best of three interleaved rounds, by wall-clock time and,
//! in parentheses, by CPU time (user + system, which time spent waiting for a core on a shared
//! machine does not inflate).
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark: failing loudly is what it should do

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

fn descriptions() -> Vec<String> {
    let root = spyglass_testkit::shared_root();
    let mut out = Vec::new();
    let mut eu = csv::Reader::from_path(root.join("eurepoc/EuRepoC_Global_Database_1.1.csv")).expect("eurepoc csv");
    let idx = eu.headers().expect("headers").iter().position(|h| h == "description").expect("description column");
    for r in eu.records() {
        out.push(r.expect("eurepoc row")[idx].to_string());
    }
    let mut cfr = csv::Reader::from_path(root.join("cfr/cfr_attacker_coded.csv")).expect("cfr csv");
    let idx = cfr.headers().expect("headers").iter().position(|h| h == "Description").expect("Description column");
    for r in cfr.records() {
        out.push(r.expect("cfr row")[idx].to_string());
    }
    let atlas: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("atlas/ATLAS.yaml")).expect("ATLAS.yaml")).expect("yaml");
    for cs in atlas["case-studies"].as_sequence().expect("case-studies") {
        out.push(cs["summary"].as_str().unwrap_or_default().to_string());
    }
    let mitre: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("misp-galaxy/mitre-intrusion-set.json")).expect("intrusion sets"),
    )
    .expect("json");
    for v in mitre["values"].as_array().expect("values") {
        out.push(v["description"].as_str().unwrap_or_default().to_string());
    }
    out.into_iter().map(|d| d.replace(['\n', '\r'], " ")).filter(|d| !d.trim().is_empty()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target_mb: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let corpus_path = args.get(2).cloned().unwrap_or_else(|| "/tmp/spyglass-extract-corpus.txt".into());
    let descs = descriptions();
    let mut corpus = String::with_capacity(target_mb * 1_000_000 + 1_000_000);
    while corpus.len() < target_mb * 1_000_000 {
        for d in &descs {
            corpus.push_str(d);
            corpus.push('\n');
        }
    }
    std::fs::File::create(&corpus_path).and_then(|mut f| f.write_all(corpus.as_bytes())).expect("write corpus");
    let lines: Vec<&str> = corpus.lines().collect();
    let mb = corpus.len() as f64 / 1e6;
    eprintln!("corpus: {mb:.1} MB, {} lines ({} distinct descriptions) -> {corpus_path}", lines.len(), descs.len());

    let actors = common::load_misp_actors(&spyglass_testkit::shared_root().join("misp-galaxy/threat-actor.json"));
    let t = Instant::now();
    let ex = spyglass_extract::Extractor::new(actors.clone()).expect("extractor");
    eprintln!("extractor: {} aliases, {} automaton patterns, built in {:.2?}", actors.len(), ex.pattern_count(), t.elapsed());

    let patterns: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
    let bare = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .expect("bare automaton");
    // the extractor's own patterns (rule phrases, aliases and their variants), same configuration
    let all_patterns = ex.pattern_texts();
    let bare_all = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&all_patterns)
        .expect("bare automaton, all patterns");

    // Each measurement is repeated ROUNDS times, interleaved, and the fastest kept: the machine
    // is shared, and the minimum is the least disturbed figure for every contender alike.
    const ROUNDS: usize = 3;
    // best wall time and best CPU time (user + system) per contender
    let (mut bare_lines, mut bare_whole, mut scan_only, mut full) = ([f64::MAX; 2], [f64::MAX; 2], [f64::MAX; 2], [f64::MAX; 2]);
    let mut bare_all_lines = [f64::MAX; 2];
    let (mut n_bare, mut n_whole, mut n_scan, mut actors_found, mut labels, mut n_all) = (0, 0, 0, 0, 0, 0);
    let timed = |best: &mut [f64; 2], f: &mut dyn FnMut()| {
        let (t, c) = (Instant::now(), cpu_seconds());
        f();
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        best[1] = best[1].min(cpu_seconds() - c);
    };
    for _ in 0..ROUNDS {
        // (b) bare scan, per line and over the whole buffer
        timed(&mut bare_lines, &mut || n_bare = lines.iter().map(|l| bare.find_iter(l).count()).sum());
        timed(&mut bare_whole, &mut || n_whole = bare.find_iter(&corpus).count());
        timed(&mut bare_all_lines, &mut || n_all = lines.iter().map(|l| bare_all.find_iter(l).count()).sum());
        // dictionary pass only (all rule and alias patterns, case/boundary rules, no context rules)
        timed(&mut scan_only, &mut || n_scan = lines.iter().map(|l| ex.scan_only(l)).sum());
        // (a) full extraction
        timed(&mut full, &mut || {
            actors_found = 0;
            labels = 0;
            for l in &lines {
                let e = ex.extract(l);
                actors_found += e.actors.len();
                labels += e.sponsors.len() + e.verticals.len() + e.ai_assets.len() + e.techniques.len() + e.cves.len() + e.iocs.len();
            }
        });
    }

    // wall-clock figures, then CPU-time figures (less disturbed on a shared machine)
    println!("corpus_mb\t{mb:.1}");
    println!("full_extract_mb_s\t{:.1}\t(cpu {:.1})\t(actors {actors_found}, other labels {labels})", mb / full[0], mb / full[1]);
    println!("dictionary_pass_only_mb_s\t{:.1}\t(cpu {:.1})\t(hits {n_scan})", mb / scan_only[0], mb / scan_only[1]);
    eprintln!("(best of {ROUNDS} interleaved rounds each)");
    println!("bare_ac_per_line_mb_s\t{:.1}\t(cpu {:.1})\t(matches {n_bare})", mb / bare_lines[0], mb / bare_lines[1]);
    println!("bare_ac_whole_buffer_mb_s\t{:.1}\t(cpu {:.1})\t(matches {n_whole})", mb / bare_whole[0], mb / bare_whole[1]);
    println!(
        "bare_ac_all_{}_patterns_per_line_mb_s\t{:.1}\t(cpu {:.1})\t(matches {n_all})",
        all_patterns.len(),
        mb / bare_all_lines[0],
        mb / bare_all_lines[1]
    );
    println!("ratio_full_vs_bare_per_line\t{:.2}\t(cpu {:.2})", bare_lines[0] / full[0], bare_lines[1] / full[1]);
    println!("ratio_full_vs_bare_whole\t{:.2}\t(cpu {:.2})", bare_whole[0] / full[0], bare_whole[1] / full[1]);
    println!("ratio_full_vs_bare_all_patterns_per_line\t{:.2}\t(cpu {:.2})", bare_all_lines[0] / full[0], bare_all_lines[1] / full[1]);

    // the Python peer, same corpus, same session
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pyahocorasick_bench.py");
    match std::process::Command::new("python3").arg(script).arg(&corpus_path).output() {
        Ok(o) if o.status.success() => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            let figures: Option<Vec<f64>> = stdout.lines().find_map(|l| l.strip_prefix("pyahocorasick_alias_scan_mb_s\t")).map(|rest| {
                rest.split('\t').filter_map(|f| f.trim_start_matches("(cpu ").trim_end_matches(')').parse().ok()).collect()
            });
            match figures.as_deref() {
                Some([wall, cpu, ..]) => {
                    println!("pyahocorasick_alias_scan_mb_s\t{wall:.1}\t(cpu {cpu:.1})");
                    println!("ratio_full_vs_pyahocorasick\t{:.2}\t(cpu {:.2})", mb / full[0] / wall, mb / full[1] / cpu);
                }
                _ => eprintln!("pyahocorasick peer: no figures in its output: {stdout}"),
            }
        }
        Ok(o) => eprintln!("pyahocorasick peer failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => eprintln!("pyahocorasick peer not run: {e}"),
    }
}

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks per second;
/// 0 elsewhere, which makes the CPU figures infinite rather than wrong-looking).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
