//! `spyglass export`: STIX 2.1 bundles judged by the OASIS validator, the STIX round trip,
//! determinism, TLP clearance, Parquet read by pandas/DuckDB, Delta tables read by `deltalake`,
//! and CSV injection.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn require_python() -> bool {
    std::env::var("SPYGLASS_REQUIRE_PYTHON").is_ok_and(|v| v == "1")
}

/// Runs a reference script; `None` (after saying why) when Python or its modules are missing.
fn python(script: &str, args: &[&str]) -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference").join(script);
    let out = std::process::Command::new("python3").arg(&path).args(args).output();
    match out {
        Ok(o) if o.status.success() => Some(serde_json::from_slice(&o.stdout).expect("script prints JSON")),
        Ok(o) if o.status.code() == Some(3) => {
            let why = String::from_utf8_lossy(&o.stderr).to_string();
            assert!(!require_python(), "SPYGLASS_REQUIRE_PYTHON=1 but {script} cannot run: {why}");
            eprintln!("skipped: {script}: {why}");
            None
        }
        Ok(o) => panic!("{script} failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            assert!(!require_python(), "SPYGLASS_REQUIRE_PYTHON=1 but python3 is missing: {e}");
            eprintln!("skipped: python3 unavailable ({e})");
            None
        }
    }
}

fn ingest(data: &Path, files: &[PathBuf]) {
    let mut args = vec!["ingest".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(data, &args);
    // Exit 2 only flags skipped rows (listed); the good ones are committed.
    assert!(matches!(out.status.code(), Some(0) | Some(2)), "ingest failed: {}", stderr(&out));
    assert!(data.join("batches").is_dir(), "nothing committed: {}", stderr(&out));
}

fn export_stix(data: &Path, out: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["export", "stix", "--out", out.to_str().unwrap(), "--json"];
    args.extend(extra);
    let o = run(data, &args);
    assert!(o.status.success(), "export failed: {}", stderr(&o));
    stdout_json(&o)
}

fn bundle(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn objects_of<'a>(b: &'a Value, t: &str) -> Vec<&'a Value> {
    b["objects"].as_array().unwrap().iter().filter(|o| o["type"] == t).collect()
}

/// Asserts the OASIS validator finds no error in `files` (skips without it).
fn assert_valid(files: &[&Path]) {
    let args: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    let Some(r) = python("stix_validate.py", &args) else { return };
    for f in &args {
        let res = &r[*f];
        assert_eq!(res["errors"].as_array().map(Vec::len), Some(0), "{f}: {}", res["errors"]);
        assert_eq!(res["valid"], true, "{f}");
    }
}

fn shared(rel: &str) -> Option<PathBuf> {
    spyglass_testkit::shared_data(rel)
}

fn stix_examples() -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for rel in [
        "stix-examples/examples/threat-reports/apt1.json",
        "stix-examples/examples/threat-reports/poisonivy.json",
        "stix-examples/examples/indicator-to-campaign-relationship.json",
        "stix-examples/examples/infrastructure.json",
        "stix-examples/examples/interop-objectmarking-test.json",
    ] {
        files.push(shared(rel)?);
    }
    let dir = shared("atlas/opencti-bundles")?;
    let mut opencti: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    opencti.sort();
    files.extend(opencti);
    Some(files)
}

#[test]
fn stix_exports_of_every_dataset_validate() {
    let Some(eurepoc) = shared("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let Some(cfr) = shared("cfr/cfr_attacker_coded.csv") else { return };
    let Some(atlas) = shared("atlas/ATLAS.yaml") else { return };
    let Some(stix) = stix_examples() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for (name, files, extra) in [
        ("eurepoc", vec![eurepoc], vec![]),
        ("cfr", vec![cfr], vec![]),
        ("atlas", vec![atlas], vec!["--include-exercises"]),
        ("stix", stix, vec![]),
    ] {
        let data = dir.path().join(name);
        ingest(&data, &files);
        if name == "eurepoc"
            && let Some(galaxy) = shared("misp-galaxy/threat-actor.json")
        {
            // With a knowledge base, intrusion sets carry aliases and per-vendor names.
            assert!(run(&data, &["kb", "load", galaxy.to_str().unwrap()]).status.success());
        }
        let out = dir.path().join(format!("{name}.json"));
        let summary = export_stix(&data, &out, &extra);
        let b = bundle(&out);
        assert_eq!(b["type"], "bundle");
        assert_eq!(summary["objects"].as_u64(), Some(b["objects"].as_array().unwrap().len() as u64));
        let incidents = objects_of(&b, "incident").len();
        let n = stdout_json(&run(&data, &["sql", "SELECT count(DISTINCT incident_id) AS n FROM scoped_incidents", "--json"]));
        let n = if extra.is_empty() { n[0]["n"].as_u64().unwrap() } else { incidents as u64 };
        assert_eq!(incidents as u64, n, "{name}: one STIX incident per incident of the slice");
        assert!(incidents > 0, "{name}");
        // Every reference points into the bundle.
        let ids: std::collections::HashSet<&str> =
            b["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
        for o in b["objects"].as_array().unwrap() {
            for k in ["source_ref", "target_ref", "created_by_ref"] {
                if let Some(r) = o[k].as_str() {
                    assert!(ids.contains(r), "{name}: {} {k} {r} is not in the bundle", o["id"]);
                }
            }
            for r in o["object_refs"].as_array().into_iter().flatten().chain(o["object_marking_refs"].as_array().into_iter().flatten()) {
                assert!(ids.contains(r.as_str().unwrap()), "{name}: {} refers to {r} outside the bundle", o["id"]);
            }
        }
        outs.push(out);
    }
    // EuRepoC: state sponsors become locations the intrusion sets originate from, with findings.
    let b = bundle(&outs[0]);
    let countries: Vec<&str> = objects_of(&b, "location").iter().filter_map(|l| l["country"].as_str()).collect();
    for cc in ["CN", "RU", "IR", "KP"] {
        assert!(countries.contains(&cc), "location {cc}");
    }
    let cn_finding = objects_of(&b, "report")
        .into_iter()
        .find(|r| r["x_spyglass_finding"]["by"] == "sponsor" && r["x_spyglass_finding"]["key"] == "CN")
        .expect("a finding report for CN");
    let desc = cn_finding["description"].as_str().unwrap();
    assert!(desc.contains("wilson interval") && desc.contains("Policy:"), "{desc}");
    assert!(objects_of(&b, "relationship").iter().any(|r| r["relationship_type"] == "originates-from"));
    let sets = objects_of(&b, "intrusion-set");
    let lazarus = sets
        .iter()
        .find(|s| s["x_spyglass_kb_actor"]["name"] == "Lazarus Group")
        .expect("an intrusion set resolved to Lazarus Group");
    assert!(lazarus["aliases"].as_array().unwrap().iter().any(|a| a == "APT38" || a == "Hidden Cobra"), "{lazarus}");
    let vendors = lazarus["x_spyglass_vendor_names"].as_array().unwrap();
    assert!(vendors.iter().any(|v| v["vendor"] == "Mandiant"), "{vendors:?}");
    assert!(lazarus["external_references"].as_array().unwrap().iter().any(|r| r["source_name"] == "mitre-attack"));
    // ATLAS: techniques as attack patterns with their ATLAS ids, used by the incidents.
    let b = bundle(&outs[2]);
    let ids: Vec<&str> = objects_of(&b, "attack-pattern")
        .iter()
        .filter_map(|p| p["external_references"][0]["external_id"].as_str())
        .collect();
    if !ids.is_empty() {
        assert!(ids.iter().any(|i| i.starts_with("AML.T")), "{ids:?}");
    }
    let refs: Vec<&Path> = outs.iter().map(PathBuf::as_path).collect();
    assert_valid(&refs);
}

/// `{dimension: share JSON without the method}` and the incident count: what must not change.
fn findings(data: &Path, extra: &[&str]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for by in ["sponsor", "vertical", "asset", "actor", "type", "year"] {
        let mut args = vec!["share", "--by", by, "--json"];
        args.extend(extra);
        let o = run(data, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v = stdout_json(&o);
        out.insert(by.to_string(), serde_json::json!({"n": v["n"], "rows": v["rows"], "suppressed": v["suppressed"]}));
    }
    let mut args = vec!["share", "--by", "sponsor", "--state-sponsored", "--json"];
    args.extend(extra);
    let v = stdout_json(&run(data, &args));
    out.insert("state-sponsored".into(), serde_json::json!({"n": v["n"], "rows": v["rows"]}));
    let n = stdout_json(&run(data, &["sql", "SELECT count(DISTINCT incident_id) AS n FROM scoped_incidents", "--json"]));
    out.insert("incidents".into(), n[0]["n"].clone());
    out
}

/// Ingest → export → ingest the export into a fresh store: every finding is the same.
fn round_trip(name: &str, files: &[PathBuf], extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    ingest(&first, files);
    let out = dir.path().join(format!("{name}.json"));
    export_stix(&first, &out, extra);
    let second = dir.path().join("second");
    ingest(&second, std::slice::from_ref(&out));
    let before = findings(&first, extra);
    let after = findings(&second, extra);
    assert!(before["incidents"].as_u64().unwrap() > 0, "{name}");
    for (k, v) in &before {
        assert_eq!(&after[k], v, "{name}: {k} changed in the round trip");
    }
    // Exporting the re-ingested store gives the same incidents, claims and ids again.
    let again = dir.path().join("again.json");
    export_stix(&second, &again, extra);
    let ids = |p: &Path, t: &str| -> Vec<String> {
        objects_of(&bundle(p), t).iter().map(|o| o["id"].as_str().unwrap().to_string()).collect()
    };
    for t in ["intrusion-set", "location", "attack-pattern", "marking-definition"] {
        assert_eq!(ids(&out, t), ids(&again, t), "{name}: {t} ids");
    }
}

#[test]
fn stix_round_trip_changes_no_finding() {
    let Some(stix) = stix_examples() else { return };
    round_trip("stix", &stix, &[]);
}

#[test]
fn dataset_round_trips_change_no_finding() {
    let Some(eurepoc) = shared("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let Some(cfr) = shared("cfr/cfr_attacker_coded.csv") else { return };
    let Some(atlas) = shared("atlas/ATLAS.yaml") else { return };
    round_trip("eurepoc", &[eurepoc], &[]);
    round_trip("cfr", &[cfr], &[]);
    round_trip("atlas", &[atlas], &["--include-exercises"]);
}

#[test]
fn stix_export_is_byte_identical_twice() {
    let Some(eurepoc) = shared("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    ingest(&data, &[eurepoc]);
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    export_stix(&data, &a, &["--state-sponsored"]);
    export_stix(&data, &b, &["--state-sponsored"]);
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(x == y, "two exports of one store differ");
    // Filters narrow the export: only state-sponsored incidents.
    let n = stdout_json(&run(&data, &["share", "--state-sponsored", "--json"]))["n"].as_u64().unwrap();
    assert_eq!(objects_of(&bundle(&a), "incident").len() as u64, n);
}

const TLP_JSONL: &str = r#"{"id": "t:clear", "title": "Clear operation", "sponsors": ["CN"], "sponsorship": "state", "actors": ["APT41"], "tlp": "clear", "start_date": "2020-01-01", "victims": [{"name": "Shared Victim Corp", "country": "US", "vertical": "software"}]}
{"id": "t:amber", "title": "Amber operation", "sponsors": ["CN"], "sponsorship": "state", "actors": ["APT41"], "tlp": "amber", "start_date": "2021-01-01", "victims": [{"name": "Shared Victim Corp", "country": "US", "vertical": "software"}], "assets": ["model_weights"]}
{"id": "t:red", "title": "Red operation", "sponsors": ["RU"], "sponsorship": "state-affiliated", "actors": ["Secret Bear"], "tlp": "red", "start_date": "2022-01-01", "victims": [{"name": "Only In Red Ltd", "country": "GB", "vertical": "ai_research"}]}
"#;

#[test]
fn tlp_clearance_leaves_out_claims_above_it_and_markings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tlp.jsonl");
    std::fs::write(&input, TLP_JSONL).unwrap();
    let data = dir.path().join("d");
    ingest(&data, &[input]);

    let amber = dir.path().join("amber.json");
    export_stix(&data, &amber, &["--tlp", "amber"]);
    let b = bundle(&amber);
    let text = std::fs::read_to_string(&amber).unwrap();
    let names: Vec<&str> = objects_of(&b, "incident").iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!names.contains(&"Red operation"));
    for secret in ["Red operation", "Secret Bear", "Only In Red Ltd", "e828b379-4e03-4974-9ac4-e53a884c97c1"] {
        assert!(!text.contains(secret), "{secret} leaked into a TLP:AMBER export");
    }
    // Each incident carries its own marking; the victim both share carries the lower one.
    let marking = |name: &str, t: &str| -> Value {
        objects_of(&b, t).into_iter().find(|o| o["name"] == name).unwrap()["object_marking_refs"].clone()
    };
    assert_eq!(marking("Amber operation", "incident"), serde_json::json!(["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]));
    assert_eq!(marking("Clear operation", "incident"), serde_json::json!(["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]));
    assert_eq!(marking("Shared Victim Corp", "identity"), serde_json::json!(["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]));
    assert_eq!(objects_of(&b, "marking-definition").len(), 2, "the TLP 2.0 definitions used");

    let everything = dir.path().join("all.json");
    export_stix(&data, &everything, &[]);
    let all = bundle(&everything);
    assert_eq!(objects_of(&all, "incident").len(), 3);
    let clear = dir.path().join("clear.json");
    export_stix(&data, &clear, &["--tlp", "clear"]);
    assert_eq!(objects_of(&bundle(&clear), "incident").len(), 1);

    // Reading the full export back keeps each incident's marking, sponsorship and assets.
    let back = dir.path().join("back");
    ingest(&back, std::slice::from_ref(&everything));
    let rows = stdout_json(&run(&back, &["sql", "SELECT title, tlp FROM incidents ORDER BY title", "--json"]));
    let got: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["title"].as_str().unwrap().to_string(), r["tlp"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        got,
        [("Amber operation".into(), "amber".into()), ("Clear operation".into(), "clear".into()), ("Red operation".into(), "red".into())]
    );
    let s = stdout_json(&run(&back, &["sql", "SELECT DISTINCT sponsor, sponsorship FROM attributions WHERE sponsor IS NOT NULL AND method <> 'text' ORDER BY sponsor", "--json"]));
    assert_eq!(s, serde_json::json!([{"sponsor": "CN", "sponsorship": "state"}, {"sponsor": "RU", "sponsorship": "state-affiliated"}]));
    assert_valid(&[amber.as_path(), everything.as_path()]);

    let bad = run(&data, &["export", "stix", "--tlp", "purple", "--out", dir.path().join("x.json").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("--tlp"), "{}", stderr(&bad));
}

#[test]
fn parquet_export_and_delta_tables_match_sql_counts() {
    let Some(eurepoc) = shared("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    ingest(&data, &[eurepoc]);
    let count = |t: &str| -> u64 {
        let v = stdout_json(&run(&data, &["sql", &format!("SELECT count(*) AS n FROM {t}"), "--json"]));
        v[0]["n"].as_u64().unwrap()
    };
    let mut files = Vec::new();
    let mut want = BTreeMap::new();
    for t in ["incidents", "victims", "attributions", "assets", "incident_sponsors"] {
        let out = dir.path().join(format!("{t}.parquet"));
        let o = run(&data, &["export", "parquet", "--table", t, "--out", out.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let n = count(t);
        assert_eq!(stdout_json(&o)["rows"].as_u64(), Some(n), "{t}: rows written");
        assert!(n > 0, "{t}");
        want.insert(out.to_str().unwrap().to_string(), n);
        files.push(out);
    }
    assert_eq!(want[dir.path().join("incidents.parquet").to_str().unwrap()], 1643);
    let args: Vec<&str> = want.keys().map(String::as_str).collect();
    if let Some(r) = python("export_check.py", &[vec!["parquet"], args].concat()) {
        for (f, n) in &want {
            assert_eq!(r[f]["pandas"].as_u64(), Some(*n), "pandas rows of {f}");
            assert_eq!(r[f]["duckdb"].as_u64(), Some(*n), "DuckDB rows of {f}");
        }
        assert!(r[files[0].to_str().unwrap()]["columns"].as_array().unwrap().iter().any(|c| c == "incident_id"));
    }
    // The Delta tables of the data directory, as the `deltalake` package reads them.
    let tables = ["incident_claims", "victim_claims", "attribution_claims", "source_claims", "batches"];
    let paths: Vec<String> = tables.iter().map(|t| data.join(t).display().to_string()).collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    if let Some(r) = python("export_check.py", &[vec!["delta"], args].concat()) {
        for (t, p) in tables.iter().zip(&paths) {
            assert_eq!(r[p]["rows"].as_u64(), Some(count(t)), "deltalake rows of {t}");
        }
    }
    // Only views: a raw table or an unknown name is bad input.
    for bad in ["incident_claims", "no_such_view"] {
        let o = run(&data, &["export", "csv", "--table", bad, "--out", dir.path().join("x.csv").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("exportable views"), "{}", stderr(&o));
        assert!(!dir.path().join("x.csv").exists());
    }
}

#[test]
fn csv_export_neutralises_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("evil.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "x:1", "title": "=HYPERLINK(\"http://evil.invalid\",\"click\")", "description": "+cmd|' /C calc'!A0", "sponsors": ["CN"], "sponsorship": "state", "victims": [{"name": "@SUM(1+1)*cmd", "country": "US"}]}"#,
            "\n",
            r#"{"id": "x:2", "title": "-2+3", "description": "plain, with a comma and \"quotes\"\nand a line break"}"#,
            "\n"
        ),
    )
    .unwrap();
    let data = dir.path().join("d");
    ingest(&data, &[input]);
    let out = dir.path().join("incidents.csv");
    let o = run(&data, &["export", "csv", "--table", "incidents", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(&out).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let by_id = |id: &str| rows.iter().find(|row| &row[col("incident_id")] == id).unwrap().clone();
    assert_eq!(&by_id("x:1")[col("title")], "'=HYPERLINK(\"http://evil.invalid\",\"click\")");
    assert_eq!(&by_id("x:1")[col("description")], "'+cmd|' /C calc'!A0");
    assert_eq!(&by_id("x:2")[col("title")], "'-2+3");
    assert_eq!(&by_id("x:2")[col("description")], "plain, with a comma and \"quotes\"\nand a line break");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell {cell:?}");
        }
    }
    let victims = dir.path().join("victims.csv");
    assert!(run(&data, &["export", "csv", "--table", "victims", "--out", victims.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(&victims).unwrap();
    assert!(text.contains("'@SUM(1+1)*cmd"), "{text}");
}
