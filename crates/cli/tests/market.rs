//! The investor commands on the real binary: companies load/match, event-study, exposure
//! --portfolio, watch with a webhook on loopback.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::{run, stderr, stdout, stdout_json};

fn market_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../market").join(rel)
}

fn edgar_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    v.sort();
    v
}

/// Loads the constituents, the five EDGAR files and the alias file into `data`.
fn load_companies(data: &Path) -> bool {
    let (Some(c), Some(e)) = (
        spyglass_testkit::shared_data("market/sp500_constituents.csv"),
        spyglass_testkit::shared_data("market/sec-submissions"),
    ) else {
        return false;
    };
    let mut args = vec!["companies".to_string(), "load".into(), c.display().to_string()];
    args.extend(edgar_files(&e));
    args.push(market_fixture("data/aliases_sp500.csv").display().to_string());
    args.push("--json".into());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(data, &a);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["companies"], 502, "500 index companies (3 share-class pairs merged) + ACIW + RXT");
    assert_eq!(v["files"].as_array().unwrap().len(), 7);
    true
}

#[test]
fn companies_load_and_match_contract() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    if !load_companies(data) {
        return;
    }
    // Loading the same content again adds nothing.
    let alias = market_fixture("data/aliases_sp500.csv").display().to_string();
    let out = run(data, &["companies", "load", &alias]);
    assert!(stdout(&out).contains("already loaded"), "{}", stdout(&out));

    let out = run(data, &["companies", "match", "Dow Jones", "Target", "Northtrop Grumman", "Bell Atlantic", "Nowhere Ltd", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    let rows = v.as_array().unwrap();
    let q: Vec<&str> = rows.iter().map(|r| r["query"].as_str().unwrap()).collect();
    assert_eq!(q, ["Dow Jones", "Target", "Northtrop Grumman", "Bell Atlantic", "Nowhere Ltd"], "input order");
    for r in rows {
        for k in ["query", "ticker", "company", "confidence", "basis", "candidates"] {
            assert!(r.get(k).is_some(), "missing {k} in {r}");
        }
    }
    assert_eq!(rows[0]["ticker"], "NWSA");
    assert!(rows[0]["basis"].as_str().unwrap().starts_with("subsidiary"));
    assert!(rows[1]["ticker"].is_null(), "bare common word");
    assert_eq!(rows[1]["candidates"][0]["ticker"], "TGT");
    assert_eq!(rows[2]["ticker"], "NOC");
    assert_eq!(rows[3]["ticker"], "VZ", "EDGAR former name");
    assert!(rows[4]["ticker"].is_null());
    assert!(rows[4]["candidates"].as_array().unwrap().is_empty());

    let out = run(data, &["companies", "match", "Target", "--company-context"]);
    assert!(stdout(&out).contains("→ TGT Target Corporation"), "{}", stdout(&out));

    // An alias file naming an unknown ticker is bad input, and nothing is kept.
    let bad = data.join("bad_aliases.csv");
    std::fs::write(&bad, "ticker,name,kind\nZZZZ,Nope,alias\n").unwrap();
    let out = run(data, &["companies", "load", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad_aliases.csv line 2, column ticker: no loaded company has ticker \"ZZZZ\""), "{}", stderr(&out));
    let out = run(data, &["companies", "match", "Nope", "--json"]);
    assert!(stdout_json(&out)[0]["ticker"].is_null());
}

#[test]
fn event_study_json_contract() {
    let (Some(prices), Some(market)) = (
        spyglass_testkit::shared_data("market/prices"),
        spyglass_testkit::shared_data("market/sp500_index_daily_2000_2020.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let events = market_fixture("tests/fixtures/events.csv");
    let out = run(
        dir.path(),
        &["event-study", "--prices", prices.to_str().unwrap(), "--market", market.to_str().unwrap(), "--events", events.to_str().unwrap(), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    let evs = v["events"].as_array().unwrap();
    assert_eq!(evs.len(), 8);
    for e in evs {
        for k in ["ticker", "date", "alpha", "beta", "sigma", "n_est", "windows"] {
            assert!(e.get(k).is_some(), "missing {k}");
        }
        let w: Vec<&str> = e["windows"].as_array().unwrap().iter().map(|w| w["window"].as_str().unwrap()).collect();
        assert_eq!(w, ["[-1,+1]", "[0,+5]", "[0,+20]"]);
        assert!(e["windows"][0]["car"].is_f64() && e["windows"][0]["t"].is_f64());
    }
    assert_eq!(evs[0]["ticker"], "FB");
    assert_eq!(evs[0]["n_est"], 221);
    let caar = v["caar"].as_array().unwrap();
    assert_eq!(caar.len(), 3);
    for c in caar {
        for k in ["window", "caar", "t_bmp", "p_value", "n"] {
            assert!(c.get(k).is_some(), "missing {k}");
        }
        assert_eq!(c["n"], 8);
    }
    assert_eq!(v["skipped"].as_array().unwrap().len(), 2);
    assert!(v["method"]["test"].as_str().unwrap().starts_with("BMP"));

    let out = run(
        dir.path(),
        &["event-study", "--prices", prices.to_str().unwrap(), "--market", market.to_str().unwrap(), "--events", events.to_str().unwrap(), "--window=-1,1"],
    );
    assert!(stdout(&out).contains("[-1,+1]") && !stdout(&out).contains("[0,+20]"), "{}", stdout(&out));
}

/// A small incident file against listed companies (fictional incidents written for this test).
const INCIDENTS: &str = r#"{"id":"t:1","title":"test 1","start_date":"2023-05-01","victims":[{"name":"GitHub"}],"sponsors":["CN"],"sponsorship":"state","assets":["model_weights"]}
{"id":"t:2","title":"test 2","start_date":"2021-02-01","victims":[{"name":"Microsoft Corporation"},{"name":"LinkedIn"}]}
{"id":"t:3","title":"test 3","start_date":"2024-01-15","victims":[{"name":"Oracle Corporation"}],"sponsors":["RU"],"sponsorship":"state-affiliated"}
{"id":"t:4","title":"test 4","start_date":"2022-09-09","victims":[{"name":"Nvidia"}],"assets":["ml_infrastructure"]}
{"id":"t:5","title":"test 5","start_date":"2020-03-03","victims":[{"name":"Target"}]}
{"id":"t:6","title":"test 6","victims":[{"name":"Intel"}]}
{"id":"t:7","title":"test 7","start_date":"2024-06-01","victims":[{"name":"Fortinet Inc."}]}
"#;

#[test]
fn exposure_portfolio_contributions_sum_and_trace() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    if !load_companies(data) {
        return;
    }
    let inc = data.join("incidents.jsonl");
    std::fs::write(&inc, INCIDENTS).unwrap();
    let out = run(data, &["ingest", inc.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pf = data.join("portfolio.csv");
    std::fs::write(&pf, "ticker,weight\nMSFT,0.5\nORCL,0.3\nNVDA,0.2\n").unwrap();
    let out = run(data, &["exposure", "--portfolio", pf.to_str().unwrap(), "--as-of", "2025-01-01", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    let p = &v["portfolio"];
    let total = p["total"].as_f64().unwrap();
    let holdings = p["holdings"].as_array().unwrap();
    let sum: f64 = holdings.iter().map(|h| h["contribution"].as_f64().unwrap()).sum();
    assert!((sum - total).abs() <= 1e-12 * total.max(1.0), "{sum} vs {total}");
    assert!(total > 0.0);
    for h in holdings {
        let e = &h["exposure"];
        let from_incidents: f64 = e["components"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["incidents"].as_array().unwrap())
            .map(|i| i["contribution"].as_f64().unwrap())
            .sum();
        assert!((from_incidents - e["score"].as_f64().unwrap()).abs() < 1e-12);
        assert!((h["contribution"].as_f64().unwrap() - h["weight"].as_f64().unwrap() * e["score"].as_f64().unwrap()).abs() < 1e-15);
    }
    // MSFT: t:1 (GitHub, state, AI) and t:2 (two victims, one incident) directly.
    let msft = &holdings[0]["exposure"];
    let direct: Vec<&str> = msft["components"][0]["incidents"].as_array().unwrap().iter().map(|i| i["incident_id"].as_str().unwrap()).collect();
    assert_eq!(direct.len(), 2, "{direct:?}");
    assert!(direct.iter().any(|d| d.ends_with("t:1")) && direct.iter().any(|d| d.ends_with("t:2")), "{direct:?}");
    let t1 = msft["components"][0]["incidents"].as_array().unwrap().iter().find(|i| i["incident_id"].as_str().unwrap().ends_with("t:1")).unwrap();
    assert_eq!((t1["state_sponsored"].as_bool(), t1["ai_asset"].as_bool()), (Some(true), Some(true)));
    // Fortinet is MSFT's peer (Systems Software): t:7 is in MSFT's peer component.
    let peer: Vec<&str> = msft["components"][1]["incidents"].as_array().unwrap().iter().map(|i| i["incident_id"].as_str().unwrap()).collect();
    assert!(peer.len() == 1 && peer[0].ends_with("t:7"), "{peer:?}");
    let orcl = &holdings[1]["exposure"];
    assert_eq!(orcl["components"][0]["incidents"].as_array().unwrap().len(), 1, "t:3");

    let out = run(data, &["exposure", "--ticker", "MSFT", "--as-of", "2025-01-01"]);
    assert!(stdout(&out).contains("MSFT Microsoft — exposure"), "{}", stdout(&out));
    let out = run(data, &["exposure", "--ticker", "NOPE"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Accepts `n` HTTP requests on loopback and returns their bodies.
fn receive(listener: TcpListener, n: usize) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for _ in 0..n {
            let (mut s, _) = listener.accept().unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0usize;
            let mut first = String::new();
            r.read_line(&mut first).unwrap();
            assert!(first.starts_with("POST "), "{first}");
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0u8; len];
            r.read_exact(&mut body).unwrap();
            s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").unwrap();
            bodies.push(String::from_utf8(body).unwrap());
        }
        bodies
    })
}

#[test]
fn watch_item_105_alert_to_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let fixture = market_fixture("tests/fixtures/edgar_item105_synthetic.json");
    let out = run(data, &["companies", "load", fixture.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let server = receive(listener, 1);
    let out = run(data, &["watch", "--ticker", "SYNX", "--webhook", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(lines[0]["rule"], "8k_item_1_05");
    assert_eq!(lines[0]["ticker"], "SYNX");
    let bodies = server.join().unwrap();
    let posted: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(posted, lines[0]);
    // Already emitted: a second run has nothing new; --all emits it again.
    let out = run(data, &["watch", "--ticker", "SYNX"]);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let out = run(data, &["watch", "--ticker", "SYNX", "--all"]);
    assert_eq!(stdout(&out).lines().count(), 1);
    // The real EDGAR files have no Item 1.05 filing: no alert.
    if let Some(e) = spyglass_testkit::shared_data("market/sec-submissions") {
        let mut args = vec!["watch".to_string(), "--ticker".into(), "VZ,ADSK,MRVL,ACIW,RXT".into(), "--all".into()];
        for f in edgar_files(&e) {
            args.push("--edgar".into());
            args.push(f);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(data, &a);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

/// `companies link`: a victim matched to a listed company lends the company's vertical to an
/// incident whose source gives none; a structured vertical still wins; `--no-company-verticals`
/// and the `structured only` sensitivity variant leave links out; a new run replaces the old.
#[test]
fn linked_victims_get_the_company_vertical_when_the_source_gives_none() {
    let dir = tempfile::tempdir().unwrap();
    let data = &dir.path().join("d");
    if !load_companies(data) {
        return;
    }
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"l:1","title":"Intrusion at a software maker","sponsors":["CN"],"sponsorship":"state","victims":[{"name":"Microsoft Corporation"}]}"#, "\n",
            r#"{"id":"l:2","title":"Breach","sponsors":["RU"],"sponsorship":"state","victims":[{"name":"Nvidia","vertical":"government"}]}"#, "\n",
            r#"{"id":"l:3","title":"Breach of a shop","sponsors":["KP"],"sponsorship":"state","victims":[{"name":"Target"}]}"#, "\n",
        ),
    )
    .unwrap();
    let out = run(data, &["ingest", feed.to_str().unwrap(), "--no-extract"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let verticals = |extra: &[&str]| {
        let mut args = vec!["sql", "SELECT incident_id, vertical FROM incident_verticals ORDER BY 1, 2", "--json"];
        args.extend_from_slice(extra);
        let rows = stdout_json(&run(data, &args));
        rows.as_array().unwrap().iter().map(|r| format!("{}={}", r["incident_id"].as_str().unwrap(), r["vertical"].as_str().unwrap())).collect::<Vec<_>>()
    };
    assert_eq!(verticals(&[]), ["l:2=government"]);

    let out = run(data, &["companies", "link", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    let links = v["links"].as_array().unwrap();
    let tickers: Vec<(&str, &str)> = links.iter().map(|l| (l["incident_id"].as_str().unwrap(), l["ticker"].as_str().unwrap())).collect();
    assert_eq!(tickers, [("l:1", "MSFT"), ("l:2", "NVDA")], "a bare common word (Target) is not matched: {v}");
    assert!(links.iter().all(|l| l["basis"].as_str().is_some_and(|b| !b.is_empty()) && l["confidence"].as_f64().is_some()));
    // Microsoft lends `software`; Nvidia's structured `government` wins over `semiconductors`.
    assert_eq!(verticals(&[]), ["l:1=software", "l:2=government"]);
    let linked = stdout_json(&run(data, &["sql", "SELECT count(*) AS n FROM company_links", "--json"]));
    assert_eq!(linked[0]["n"], 2);
    // Policy switch: links left out.
    let sql = "SELECT incident_id, vertical FROM incident_verticals ORDER BY 1, 2";
    let off = stdout_json(&run(data, &["sql", sql, "--json", "--no-company-verticals"]));
    assert_eq!(off.as_array().map(Vec::len), Some(1), "{off}");
    let share = stdout_json(&run(data, &["share", "--by", "vertical", "--json"]));
    assert!(share["method"]["policy_text"].as_str().unwrap().contains("linked company"), "{share}");
    // A second run replaces the first (same links, not twice as many).
    assert!(run(data, &["companies", "link"]).status.success());
    let linked = stdout_json(&run(data, &["sql", "SELECT count(*) AS n FROM company_links", "--json"]));
    assert_eq!(linked[0]["n"], 2);
}
