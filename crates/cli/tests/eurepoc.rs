//! EuRepoC end to end: ingest, share by sponsor against an independent count, idempotence.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Runs the standard-library-only Python count of the sponsor rule; `None` if python3 is absent.
fn independent_count(csv: &Path, since: Option<i32>) -> Option<(u64, BTreeMap<String, u64>)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/eurepoc_sponsors.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(&script).arg(csv);
    if let Some(y) = since {
        cmd.arg("--since").arg(y.to_string());
    }
    let out = match cmd.output() {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!("reference script failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("python3 unavailable ({e}); using the recorded reference counts");
            return None;
        }
    };
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = BTreeMap::new();
    for (name, c) in v["counts"].as_object().unwrap() {
        let code = spyglass_model::country::lookup(name).unwrap_or_else(|| panic!("no ISO code for {name}"));
        counts.insert(code.alpha2.to_string(), c.as_u64().unwrap());
    }
    Some((v["n"].as_u64().unwrap(), counts))
}

#[test]
fn share_by_sponsor_equals_independent_count_and_reingest_changes_nothing() {
    let csv = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let out = run(&data, &["ingest", csv.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rep = stdout_json(&out);
    assert_eq!(rep["files"][0]["status"], "committed");
    assert_eq!(rep["files"][0]["records_committed"], 1643);

    for since in [None, Some(2018)] {
        let mut args = vec!["share", "--by", "sponsor", "--state-sponsored", "--json"];
        let since_s = since.map(|y: i32| y.to_string());
        if let Some(s) = &since_s {
            args.extend(["--since", s]);
        }
        let out = run(&data, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let v = stdout_json(&out);
        let (n, counts) = independent_count(&csv, since).unwrap_or_else(|| match since {
            None => (599, BTreeMap::from([("CN".into(), 185), ("RU".into(), 120), ("IR".into(), 86), ("KP".into(), 69)])),
            Some(_) => (231, BTreeMap::from([("CN".into(), 70), ("IR".into(), 45), ("RU".into(), 41), ("KP".into(), 36)])),
        });
        assert_eq!(v["n"].as_u64(), Some(n), "since {since:?}");
        let got = share_counts(&v);
        for (k, c) in &counts {
            assert_eq!(got.get(k), Some(c), "sponsor {k}, since {since:?}");
        }
        if counts.len() > 4 {
            assert_eq!(got, counts, "since {since:?}");
        }
        assert_eq!(v["suppressed"], false);
        assert_eq!(v["method"]["interval"], "wilson");
        // The contract: exactly these keys.
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["interval", "method", "n", "rows", "suppressed"]);
        let row_keys: Vec<&String> = v["rows"][0].as_object().unwrap().keys().collect();
        assert_eq!(row_keys, ["ci_high", "ci_low", "count", "key", "share"]);
    }

    // Ingesting the same file again adds nothing and changes no count.
    let before = stdout(&run(&data, &["share", "--by", "sponsor", "--json"]));
    let out = run(&data, &["ingest", csv.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["files"][0]["status"], "already_ingested");
    let after = stdout(&run(&data, &["share", "--by", "sponsor", "--json"]));
    assert_eq!(before, after);
    let rows = stdout_json(&run(&data, &["sql", "SELECT count(*) AS n FROM incidents", "--json"]));
    assert_eq!(rows[0]["n"], 1643);
}

#[test]
fn wilson_bounds_in_share_match_statsmodels() {
    // statsmodels proportion_confint(185, 599, method="wilson") (tests/reference/wilson.py).
    let csv = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    assert!(run(&data, &["ingest", csv.to_str().unwrap()]).status.success());
    let v = stdout_json(&run(&data, &["share", "--state-sponsored", "--json"]));
    let cn = v["rows"].as_array().unwrap().iter().find(|r| r["key"] == "CN").unwrap();
    assert!((cn["ci_low"].as_f64().unwrap() - 0.27316477995172356).abs() < 1e-9);
    assert!((cn["ci_high"].as_f64().unwrap() - 0.3469675174387376).abs() < 1e-9);
}
