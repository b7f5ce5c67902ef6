//! `spyglass serve` and `spyglass token` as a user runs them: loopback-only without tokens, tokens
//! stored hashed, requests answered, graceful shutdown on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{run, spyglass, stdout, stdout_json};

/// A plain HTTP/1.1 GET on loopback; returns (status, body).
fn http_get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn without_tokens_only_loopback_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no API tokens are configured") && err.contains("refusing"), "{err}");
}

#[test]
fn tokens_are_created_listed_and_revoked_and_stored_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["token", "create", "--role", "analyst", "--tlp", "amber+strict", "--label", "ci", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = stdout_json(&out);
    let secret = v["token"].as_str().unwrap().to_string();
    assert_eq!(v["tlp"], "amber+strict");
    let stored = std::fs::read_to_string(dir.path().join("tokens.json")).unwrap();
    assert!(!stored.contains(&secret[4..]), "the secret must not be stored");
    let list = run(dir.path(), &["token", "list"]);
    assert!(stdout(&list).contains("analyst") && stdout(&list).contains("TLP:AMBER+STRICT"));
    let bad = run(dir.path(), &["token", "create", "--role", "root", "--tlp", "red"]);
    assert_eq!(bad.status.code(), Some(2));
    let id = v["id"].as_str().unwrap();
    assert!(run(dir.path(), &["token", "revoke", id]).status.success());
    assert_eq!(run(dir.path(), &["token", "revoke", id]).status.code(), Some(2));
    assert!(stdout(&run(dir.path(), &["token", "list"])).contains("0 tokens"));
}

#[test]
fn serves_until_sigterm_then_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/quickstart.jsonl");
    assert!(run(dir.path(), &["ingest", corpus.to_str().unwrap()]).status.success());
    let token = stdout(&run(dir.path(), &["token", "create", "--role", "reader", "--tlp", "clear"])).trim().to_string();
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = spyglass(dir.path())
        .args(["serve", "--listen", &addr])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert!(first.contains("listening on") && first.contains("tokens required"), "{first}");

    let (status, _) = http_get(&addr, "/api/v1/findings/share", None);
    assert_eq!(status, 401);
    let (status, body) = http_get(&addr, "/api/v1/findings/share?state_sponsored=true", Some(&token));
    assert_eq!(status, 200, "{body}");
    let cli = stdout_json(&run(dir.path(), &["share", "--state-sponsored", "--json"]));
    let served: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("{e}: {body}"));
    // Everything in the quick-start corpus is unmarked (TLP:CLEAR), so a CLEAR reader sees the CLI's numbers.
    assert_eq!(served["n"], cli["n"]);
    assert_eq!(served["rows"], cli["rows"]);

    let t0 = Instant::now();
    let kill = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "exit {status:?}: {rest}");
    assert!(rest.contains("shutting down") && rest.contains("stopped"), "{rest}");
}
