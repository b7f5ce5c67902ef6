//! `--engine ballista://HOST:PORT`: a scheduler and two executors started from the spyglass binary
//! as local processes on loopback give every finding and a set of SQL queries exactly as the
//! embedded engine does; `maintain compact` changes no finding on either engine; a stopped cluster
//! is an error, never a silent fall-back to the embedded engine.

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Child processes killed when the test ends, however it ends.
struct Cluster {
    children: Vec<Child>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_listening(port: u16, what: &str, child: &mut Child) {
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let start = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status} before listening on {port}");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{what} is not listening on {port} after 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_spyglass"))
        .args(args)
        .env_remove("SPYGLASS_ENGINE")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn spyglass")
}

/// The scheduler and `executors` executors; returns the cluster and the engine URL.
fn start_cluster(work: &Path, executors: usize) -> (Cluster, String) {
    let sched = free_port();
    let mut cluster = Cluster { children: Vec::new() };
    let mut s = start(&["scheduler", "--bind", &format!("127.0.0.1:{sched}")]);
    wait_listening(sched, "the scheduler", &mut s);
    cluster.children.push(s);
    for i in 0..executors {
        let (port, grpc) = (free_port(), free_port());
        let dir = work.join(format!("executor-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut e = start(&[
            "executor",
            "--scheduler",
            &format!("127.0.0.1:{sched}"),
            "--port",
            &port.to_string(),
            "--grpc-port",
            &grpc.to_string(),
            "--concurrent-tasks",
            "2",
            "--work-dir",
            dir.to_str().unwrap(),
        ]);
        wait_listening(port, "an executor", &mut e);
        cluster.children.push(e);
    }
    (cluster, format!("ballista://127.0.0.1:{sched}"))
}

/// A finding's JSON with the engine's name taken out (the one field that must differ).
fn without_engine(mut v: Value) -> Value {
    if let Some(m) = v.get_mut("method").and_then(Value::as_object_mut) {
        m.remove("engine");
    }
    v
}

fn json_of(data: &Path, engine: Option<&str>, args: &[&str]) -> Value {
    let mut c = spyglass(data);
    if let Some(e) = engine {
        c.args(["--engine", e]);
    }
    let out = c.args(args).output().expect("spawn spyglass");
    assert!(out.status.success(), "{args:?} on {}: {}", engine.unwrap_or("embedded"), stderr(&out));
    stdout_json(&out)
}

const FINDINGS: &[&[&str]] = &[
    &["share", "--by", "sponsor", "--json"],
    &["share", "--by", "sponsor", "--state-sponsored", "--type", "data_theft", "--vertical", "tech", "--json"],
    &["share", "--by", "sponsor", "--state-sponsored", "--sensitivity", "--json"],
    &["share", "--by", "sponsor", "--state-sponsored", "--interval", "clopper-pearson", "--json"],
    &["share", "--by", "vertical", "--state-sponsored", "--json"],
    &["share", "--by", "asset", "--json"],
    &["share", "--by", "type", "--since", "2015", "--json"],
    &["share", "--by", "year", "--source", "CFR Cyber Operations Tracker", "--json"],
    &["share", "--by", "actor", "--state-sponsored", "--json"],
    &["claim-check", "CN share > 0.5", "--state-sponsored", "--json"],
    &["claim-check", "CN > RU", "--state-sponsored", "--json"],
    &["compare", "--by", "sponsor", "--period", "2010:2016", "--period", "2017:2023", "--state-sponsored", "--json"],
    &["trend", "--by", "year", "--state-sponsored", "--json"],
    &["trend", "--by", "quarter", "--sponsor", "CN", "--json"],
    &["priorities", "--sponsor", "CN", "--json"],
    &["priorities", "--sponsor", "RU", "--by", "quarter", "--json"],
];

const QUERIES: &[&str] = &[
    "SELECT count(*) AS n FROM incidents",
    "SELECT sponsor, count(DISTINCT incident_id) AS n FROM incident_sponsors GROUP BY sponsor ORDER BY n DESC, sponsor",
    "SELECT source_id, count(*) AS n FROM incidents GROUP BY source_id ORDER BY source_id",
    "SELECT v.vertical, count(*) AS n FROM victims v JOIN incidents i ON v.incident_id = i.incident_id \
     GROUP BY v.vertical ORDER BY n DESC, v.vertical",
    "SELECT incident_id, source_id, title FROM incidents WHERE title LIKE '%Cloud%' ORDER BY incident_id, source_id LIMIT 20",
    "SELECT extract(year FROM start_date) AS y, count(*) AS n FROM incidents WHERE start_date IS NOT NULL GROUP BY y ORDER BY y",
];

fn assert_same_everywhere(data: &Path, engine: &str, when: &str) {
    for args in FINDINGS {
        let embedded = json_of(data, None, args);
        let remote = json_of(data, Some(engine), args);
        if args[0] == "share" {
            assert_eq!(remote["method"]["engine"], "ballista", "{args:?}: the answer did not come from the cluster");
        }
        assert_eq!(without_engine(embedded), without_engine(remote), "{when}: {args:?} differs on Ballista");
    }
    for q in QUERIES {
        let embedded = json_of(data, None, &["sql", q, "--json"]);
        let remote = json_of(data, Some(engine), &["sql", q, "--json"]);
        assert!(embedded.as_array().is_some_and(|r| !r.is_empty()), "{q}: no rows");
        assert_eq!(embedded, remote, "{when}: `{q}` differs on Ballista");
    }
    // Exports read the same views: the same rows (in any order) from either engine.
    let out_dir = tempfile::tempdir().unwrap();
    for table in ["incident_sponsors", "incident_verticals"] {
        let mut lines = Vec::new();
        for (i, e) in [None, Some(engine)].into_iter().enumerate() {
            let path = out_dir.path().join(format!("{table}-{i}.csv"));
            let mut c = spyglass(data);
            if let Some(e) = e {
                c.args(["--engine", e]);
            }
            let out = c.args(["export", "csv", "--table", table, "--out", path.to_str().unwrap()]).output().unwrap();
            assert!(out.status.success(), "{when}: export csv {table} on {e:?}: {}", stderr(&out));
            let mut rows: Vec<String> = std::fs::read_to_string(&path).unwrap().lines().map(str::to_string).collect();
            rows.sort();
            assert!(rows.len() > 10, "{when}: export {table}: {} lines", rows.len());
            lines.push(rows);
        }
        assert_eq!(lines[0], lines[1], "{when}: export csv --table {table} differs on Ballista");
    }
}

#[test]
fn a_local_cluster_answers_as_the_embedded_engine() {
    let Some(eu) = spyglass_testkit::shared_data("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let Some(cfr) = spyglass_testkit::shared_data("cfr/cfr_attacker_coded.csv") else { return };
    let Some(galaxy) = spyglass_testkit::shared_data("misp-galaxy/threat-actor.json") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    for f in [&eu, &cfr] {
        let out = run(&data, &["ingest", f.to_str().unwrap()]);
        assert!(out.status.code().is_some_and(|c| c == 0 || c == 2), "{}", stderr(&out));
    }
    assert!(run(&data, &["kb", "load", galaxy.to_str().unwrap()]).status.success());
    assert!(run(&data, &["dedup", "scan"]).status.success());
    let out = run(&data, &["dedup", "confirm", "eurepoc:1194", "cfr:targeting-of-visma-2019-02-06", "--reason", "same", "--analyst", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (cluster, engine) = start_cluster(dir.path(), 2);
    assert_same_everywhere(&data, &engine, "as ingested");

    // `serve` on the cluster answers the API's share as the embedded CLI does.
    let token = stdout(&run(&data, &["token", "create", "--role", "reader", "--tlp", "clear"])).trim().to_string();
    let addr = format!("127.0.0.1:{}", free_port());
    let mut server = spyglass(&data)
        .args(["--engine", &engine, "serve", "--listen", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    wait_listening(addr.rsplit(':').next().unwrap().parse().unwrap(), "serve", &mut server);
    let (status, body) = http_get(&addr, "/api/v1/findings/share?by=sponsor&state_sponsored=true", &token);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(status, 200, "{body}");
    let served: Value = serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("{e}: {body}"));
    let cli = json_of(&data, None, &["share", "--by", "sponsor", "--state-sponsored", "--tlp", "clear", "--json"]);
    assert_eq!(served["method"]["engine"], "ballista", "serve did not answer from the cluster: {}", served["method"]);
    assert_eq!((&served["n"], &served["rows"]), (&cli["n"], &cli["rows"]), "serve on Ballista differs from the CLI");

    // The executors did the work: each wrote shuffle files for the cluster's jobs.
    for i in 0..2 {
        let jobs = std::fs::read_dir(dir.path().join(format!("executor-{i}"))).unwrap().count();
        eprintln!("executor {i}: {jobs} job folders");
    }

    // Compaction rewrites the files and changes no finding, on either engine.
    let files = |d: &Path| walk_parquet(&d.join("incident_claims"));
    let before = files(&data);
    let out = run(&data, &["maintain", "compact", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout_json(&out);
    let incidents = report.as_array().unwrap().iter().find(|t| t["table"] == "incident_claims").expect("incident_claims compacted");
    assert!(
        incidents["files_after"].as_u64().unwrap() < incidents["files_before"].as_u64().unwrap(),
        "compaction did not reduce the files: {incidents}"
    );
    assert!(files(&data) >= before, "compaction keeps the replaced files for earlier versions");
    assert_same_everywhere(&data, &engine, "after compaction");

    // A stopped cluster is an error, not a silent answer from the embedded engine.
    drop(cluster);
    let out = spyglass(&data).args(["--engine", &engine, "share", "--by", "sponsor", "--json"]).output().unwrap();
    assert!(!out.status.success(), "a share on a stopped cluster succeeded: {}", stdout(&out));
    assert!(!stderr(&out).is_empty());

    // A malformed engine is bad usage.
    let out = run(&data, &["--engine", "duckdb://x", "share", "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ballista://HOST:PORT"), "{}", stderr(&out));
}

/// A plain HTTP/1.1 GET on loopback with a bearer token; returns (status, body).
fn http_get(addr: &str, path: &str, token: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn walk_parquet(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "parquet")).count())
        .unwrap_or(0)
}
