//! Crash safety: SIGKILL at random moments during a large ingest never leaves a partial batch, and
//! ingesting again counts every incident exactly once (50 trials by default, seed printed:
//! `SPYGLASS_CRASH_SEED`, `SPYGLASS_CRASH_TRIALS`, `SPYGLASS_CRASH_N` reproduce or enlarge a run).

mod common;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::*;

fn write_jsonl(path: &Path, n: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let sponsors = ["CN", "RU", "IR", "KP"];
    for i in 0..n {
        let sp = sponsors[i % 4];
        writeln!(
            f,
            r#"{{"id": "gen:{i}", "title": "incident {i}", "start_date": "{}-01-01", "sponsors": ["{sp}"], "sponsorship": "state", "verticals": ["software"], "types": ["data_theft"], "source": "generated"}}"#,
            2010 + i % 14
        )
        .unwrap();
    }
}

fn counts(data: &Path) -> Option<(u64, u64)> {
    let out = run(data, &["sql", "SELECT count(*) AS n, count(DISTINCT incident_id) AS d FROM incidents", "--json"]);
    if !out.status.success() {
        let err = stderr(&out);
        assert!(err.contains("no spyglass data"), "store failed to open after a crash: {err}");
        return None;
    }
    let v = stdout_json(&out);
    Some((v[0]["n"].as_u64().unwrap(), v[0]["d"].as_u64().unwrap()))
}

/// A small deterministic generator so the kill moments are reproducible from the printed seed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn sigkill_at_random_moments_then_reingest_counts_each_incident_once() {
    let n: usize = std::env::var("SPYGLASS_CRASH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let trials: usize = std::env::var("SPYGLASS_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let mut seed: u64 = std::env::var("SPYGLASS_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1
    });
    eprintln!("crash test: n = {n}, trials = {trials}, SPYGLASS_CRASH_SEED={seed}");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("large.jsonl");
    write_jsonl(&input, n);
    let data = dir.path().join("data");
    // A committed batch before the crashes: it must stay visible, unchanged, through every kill.
    let small = dir.path().join("small.jsonl");
    write_jsonl(&small, 10);
    let small_text = std::fs::read_to_string(&small).unwrap().replace("gen:", "small:");
    std::fs::write(&small, small_text).unwrap();
    assert!(run(&data, &["ingest", small.to_str().unwrap()]).status.success());

    // How long a full ingest takes here, measured on a scratch store, bounds the kill moments.
    let t0 = std::time::Instant::now();
    assert!(run(&dir.path().join("scratch"), &["ingest", input.to_str().unwrap()]).status.success());
    let full = t0.elapsed();
    eprintln!("full ingest of {n} incidents: {full:?}");

    let mut outcomes = [0usize; 2];
    for trial in 0..trials {
        // Kill moments spread over the whole run, a little past its end included (so some trials
        // kill during or just after the final commit).
        let delay = Duration::from_millis(next(&mut seed) % ((full.as_millis() as u64) * 11 / 10).max(1));
        let mut child = spyglass(&data)
            .args(["ingest", input.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let c = counts(&data);
        eprintln!("trial {trial}: killed after {delay:?} (exit {status:?}); store shows {c:?}");
        let (rows, distinct) = c.expect("the earlier batch keeps the store readable");
        assert!(rows == 10 || rows == 10 + n as u64, "partial batch visible: {rows} rows");
        assert_eq!(rows, distinct);
        outcomes[usize::from(rows != 10)] += 1;
        if rows != 10 {
            // The batch committed before the kill: start the next trial from the earlier state by
            // using a fresh store with the same committed small batch.
            std::fs::remove_dir_all(&data).unwrap();
            assert!(run(&data, &["ingest", small.to_str().unwrap()]).status.success());
        }
    }
    eprintln!(
        "crash test: {trials}/{trials} trials left a valid store ({} killed before the commit, {} after)",
        outcomes[0], outcomes[1]
    );
    let out = run(&data, &["ingest", "--json", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let total = 10 + n as u64;
    assert_eq!(counts(&data), Some((total, total)));
    // And once more: nothing changes.
    assert!(run(&data, &["ingest", input.to_str().unwrap()]).status.success());
    assert_eq!(counts(&data), Some((total, total)));
}

#[test]
fn abort_between_claims_and_marker_leaves_previous_state() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    std::fs::write(&a, "{\"id\": \"a:1\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\"}\n").unwrap();
    std::fs::write(&b, "{\"id\": \"b:1\", \"sponsors\": [\"RU\"], \"sponsorship\": \"state\"}\n").unwrap();
    assert!(run(&data, &["ingest", a.to_str().unwrap()]).status.success());
    let out = spyglass(&data).env("SPYGLASS_FAIL_AT", "before-marker").args(["ingest", b.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let sponsors = |data: &Path| stdout_json(&run(data, &["sql", "SELECT * FROM incident_sponsors ORDER BY sponsor", "--json"]));
    assert_eq!(sponsors(&data), serde_json::json!([{"incident_id": "a:1", "sponsor": "CN"}]));
    assert_eq!(stdout_json(&run(&data, &["share", "--json"]))["n"], 1);
    assert!(run(&data, &["ingest", b.to_str().unwrap()]).status.success());
    assert_eq!(
        sponsors(&data),
        serde_json::json!([{"incident_id": "a:1", "sponsor": "CN"}, {"incident_id": "b:1", "sponsor": "RU"}])
    );
}
