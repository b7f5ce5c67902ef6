#![allow(clippy::expect_used)] // a development tool: failing loudly on bad input is what it should do
//! Development helper: reads `{"id", "text"}` lines on stdin, prints `{"id", …extraction}` lines.
//! Uses the MISP threat-actor galaxy from ../shared/data as the actor dictionary.
//!
//! `cargo run -p spyglass-extract --example extract_jsonl < texts.jsonl`

#[path = "../tests/common/mod.rs"]
mod misp;

use std::io::{BufRead, Write};

fn main() {
    let path = spyglass_testkit::shared_root().join("misp-galaxy/threat-actor.json");
    let ex = spyglass_extract::Extractor::new(misp::load_misp_actors(&path)).expect("dictionary compiles");
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("json line");
        let text = v["text"].as_str().unwrap_or_default();
        let mut r = serde_json::to_value(ex.extract(text)).expect("serialise");
        r["id"] = v["id"].clone();
        writeln!(out, "{r}").expect("stdout");
    }
}
