//! Helpers for driving the real binary.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use std::process::Command;

pub fn spyglass(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spyglass"));
    c.arg("--data").arg(data);
    c.env_remove("SPYGLASS_DATA");
    c
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    spyglass(data).args(args).output().expect("spawn spyglass")
}

pub fn stdout_json(out: &Output) -> serde_json::Value {
    let s = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&s).unwrap_or_else(|e| {
        panic!("stdout is not one JSON document ({e}):\n{s}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr))
    })
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `{key: count}` of a share JSON document.
pub fn share_counts(v: &serde_json::Value) -> std::collections::BTreeMap<String, u64> {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["key"].as_str().expect("key").to_string(), r["count"].as_u64().expect("count")))
        .collect()
}
