//! Hostile input: attacker-controlled files get a clear error or safe handling, and nothing else is
//! lost. (Invalid UTF-8, truncation and broken CSV list syntax: `bad_input.rs`; HTML in reports and
//! the dashboard and path traversal in the API: the report and server tests.)

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn incidents(data: &Path) -> u64 {
    let v = stdout_json(&run(data, &["sql", "SELECT count(*) AS n FROM incidents", "--json"]));
    v[0]["n"].as_u64().unwrap()
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// Deeply nested JSON in every JSON reader: a clear error with the place, no stack overflow, and
/// the file's good records kept where the format has records of its own (JSONL lines).
#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let deep = nested(200_000);
    // JSONL: the bad line is skipped with its number, the good ones are committed.
    let jsonl = write(
        dir.path(),
        "deep.jsonl",
        format!("{{\"id\": \"ok:1\"}}\n{{\"id\": \"deep:1\", \"title\": {deep}}}\n{{\"id\": \"ok:2\"}}\n").as_bytes(),
    );
    let out = run(&data, &["ingest", jsonl.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let v = stdout_json(&out);
    let skipped = &v["files"][0]["skipped"][0];
    assert_eq!(skipped["place"], "line 2", "{v}");
    assert!(!skipped["reason"].as_str().unwrap().is_empty(), "{v}");
    assert_eq!(incidents(&data), 2);

    // MISP, VERIS: the whole file is one document, refused with the place and the reason.
    let stix = format!(
        r#"{{"type": "bundle", "id": "bundle--6a4b5f4e-1b2c-4d5e-8f90-123456789abc", "objects": [{{"type": "incident", "spec_version": "2.1", "id": "incident--6a4b5f4e-1b2c-4d5e-8f90-123456789abd", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "x", "x_deep": {deep}}}]}}"#
    );
    let misp = format!(r#"{{"Event": {{"uuid": "u", "info": "i", "date": "2020-01-01", "Attribute": {deep}}}}}"#);
    let veris = format!(r#"{{"schema_version": "1.3.4", "incident_id": "v1", "action": {deep}}}"#);
    // STIX: the streaming reader skips a custom property of any depth without recursing, so the
    // incident is kept.
    let f = write(dir.path(), "deep-stix.json", stix.as_bytes());
    let out = run(&data, &["ingest", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents(&data), 3);
    for (name, body) in [("deep-misp.json", misp), ("deep-veris.json", veris)] {
        let f = write(dir.path(), name, body.as_bytes());
        let out = run(&data, &["ingest", f.to_str().unwrap()]);
        let err = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("recursion limit") && err.contains("line 1, column"), "{name}: {err}");
        assert!(!err.contains("panicked") && !err.contains("overflow"), "{name}: {err}");
        assert!(err.contains(name), "{name}: the message names the file: {err}");
        eprintln!("{name}: {}", err.lines().next().unwrap_or_default());
    }
    assert_eq!(incidents(&data), 3, "nothing lost, nothing half-written");
}

/// A 100 MB single line (one incident with a 100 MB description) is read, its claims committed, and
/// the store stays usable.
#[test]
fn a_100_mb_line_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let path = dir.path().join("huge.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(b"{\"id\": \"small:1\", \"sponsors\": [\"RU\"], \"sponsorship\": \"state\"}\n").unwrap();
        f.write_all(b"{\"id\": \"huge:1\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\", \"description\": \"").unwrap();
        let chunk = "state-sponsored hackers stole model weights from an AI lab. ".repeat(1000);
        let mut written = 0;
        while written < 100 * 1024 * 1024 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
        f.write_all(b"\"}\n").unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 100 * 1024 * 1024);
    let out = run(&data, &["ingest", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents(&data), 2);
    let len = stdout_json(&run(&data, &["sql", "SELECT max(length(description)) AS l FROM incidents", "--json"]));
    assert!(len[0]["l"].as_u64().unwrap() >= 100 * 1024 * 1024);
    let share = stdout_json(&run(&data, &["share", "--json"]));
    assert_eq!(share["n"], 2);
}

/// Archives are not read (so no zip bomb can expand): a compressed file gets a clear message naming
/// it, and the store is untouched.
#[test]
fn archives_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let ok = write(dir.path(), "ok.jsonl", b"{\"id\": \"a:1\"}\n");
    assert!(run(&data, &["ingest", ok.to_str().unwrap()]).status.success());
    // gzip and zip magic numbers followed by junk, under honest and dishonest names.
    let gz: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0xff];
    let zip: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00junkjunkjunk";
    for (name, body) in [("feed.jsonl.gz", gz), ("bundle.zip", zip), ("sneaky.json", zip), ("sneaky.jsonl", gz)] {
        let f = write(dir.path(), name, body);
        let out = run(&data, &["ingest", f.to_str().unwrap()]);
        let msg = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(2), "{name}: {msg}");
        assert!(msg.contains(name), "{name}: {msg}");
        assert!(!msg.contains("panicked"), "{name}: {msg}");
    }
    assert_eq!(incidents(&data), 1);
}

/// CSV output never hands a spreadsheet a formula: cells starting with = + - @ (and tab/CR) are
/// quoted with a leading apostrophe.
#[test]
fn csv_output_neutralises_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let f = write(
        dir.path(),
        "inj.jsonl",
        br#"{"id": "x:1", "title": "=cmd|' /C calc'!A0", "description": "+SUM(1,2)"}
{"id": "x:2", "title": "@HYPERLINK(\"http://evil\")", "description": "-2+3"}
"#,
    );
    assert!(run(&data, &["ingest", f.to_str().unwrap(), "--no-extract"]).status.success());
    let out = run(&data, &["sql", "SELECT title, description FROM incidents ORDER BY incident_id", "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for rec in rdr.records() {
        for cell in rec.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula reached the CSV: {cell:?} in\n{text}");
        }
    }
    assert!(text.contains("'=cmd"), "{text}");
}

/// NUL bytes and control characters inside JSON strings are data, not terminators.
#[test]
fn control_characters_are_kept_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let f = write(dir.path(), "ctl.jsonl", b"{\"id\": \"c:1\", \"title\": \"a\\u0000b\\u001bc\"}\n");
    assert!(run(&data, &["ingest", f.to_str().unwrap()]).status.success());
    let v = stdout_json(&run(&data, &["sql", "SELECT length(title) AS l FROM incidents", "--json"]));
    assert_eq!(v[0]["l"], 5);
}
