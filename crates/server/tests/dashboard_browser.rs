//! The dashboard in a real browser: Debian's Chromium driven by chromedriver over WebDriver (HTTP on
//! loopback). It loads the page served with real EuRepoC data, changes a filter, sees the chart and
//! the incident table update, and saves screenshots before and after.
//!
//! Skips with the reason when chromedriver/Chromium are absent, unless SPYGLASS_REQUIRE_BROWSER=1
//! (set by .ci/run after installing them), which makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use spyglass_store::Store;
use spyglass_store::load::{LoadOptions, ingest_path};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn chromium() -> Option<String> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(String::from)
}

fn browser_or_skip() -> Option<String> {
    let driver = Command::new("chromedriver").arg("--version").output().is_ok_and(|o| o.status.success());
    match (driver, chromium()) {
        (true, Some(bin)) => Some(bin),
        _ => {
            if std::env::var("SPYGLASS_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("SPYGLASS_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed (apt-get install chromium chromium-driver)");
            }
            eprintln!("skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
            None
        }
    }
}

struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let d = Driver { child, url: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new() };
        let t0 = Instant::now();
        loop {
            if let Ok(r) = d.http.get(format!("{}/status", d.url)).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(30), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        d
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let text = req.send().await.expect("webdriver request").text().await.expect("webdriver body");
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("webdriver said ({e}): {text}"));
        if v["value"].get("error").is_some() {
            panic!("webdriver error on {path}: {}", v["value"]);
        }
        v["value"].clone()
    }
}

struct Session<'a> {
    d: &'a Driver,
    id: String,
}

impl Session<'_> {
    async fn script(&self, js: &str) -> Value {
        self.d.call(reqwest::Method::POST, &format!("/session/{}/execute/sync", self.id), Some(json!({ "script": js, "args": [] }))).await
    }

    async fn wait_for(&self, what: &str, js: &str) -> Value {
        let t0 = Instant::now();
        loop {
            let v = self.script(js).await;
            if !v.is_null() && v != json!(false) {
                return v;
            }
            if t0.elapsed() > Duration::from_secs(90) {
                let msg = self.script("return document.getElementById('message').textContent").await;
                panic!("timed out waiting for {what}; page message: {msg}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn click(&self, css: &str) {
        let el = self
            .d
            .call(reqwest::Method::POST, &format!("/session/{}/element", self.id), Some(json!({"using": "css selector", "value": css})))
            .await;
        let eid = el[ELEMENT].as_str().expect("element id").to_string();
        self.d.call(reqwest::Method::POST, &format!("/session/{}/element/{eid}/click", self.id), Some(json!({}))).await;
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.d.call(reqwest::Method::GET, &format!("/session/{}/screenshot", self.id), None).await;
        let png = base64_decode(b64.as_str().expect("screenshot data"));
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot saved: {}", path.display());
        path
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

const STATE: &str = "const q = (s) => document.querySelector(s); \
    const st = { gen: document.body.dataset.generation || null, loading: !!document.body.dataset.loading, \
    share: q('#chart-share').dataset.signature || null, bars: document.querySelectorAll('#chart-share rect.bar').length, \
    trendPoints: document.querySelectorAll('#chart-trend circle').length, \
    table: q('#incidents tbody').dataset.signature || null, rows: document.querySelectorAll('#incidents tbody tr[data-id]').length, \
    n: q('#share-n').textContent, total: q('#incidents-total').textContent, message: q('#message').textContent };";

fn n_of(text: &str) -> u64 {
    text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_updates_chart_and_table_when_a_filter_changes() {
    let csv = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let Some(chrome) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = ingest_path(&Store::new(dir.path()), &csv, LoadOptions::default(), &mut |_, _| {}).await.unwrap();
    assert!(report.records_committed > 1000);
    let base = common::start(dir.path()).await;

    let driver = Driver::start().await;
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": chrome,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1900"]
    }}}});
    let created = driver.call(reqwest::Method::POST, "/session", Some(caps)).await;
    let s = Session { d: &driver, id: created["sessionId"].as_str().expect("session id").to_string() };
    driver.call(reqwest::Method::POST, &format!("/session/{}/url", s.id), Some(json!({ "url": format!("{base}/") }))).await;

    let first = s
        .wait_for(
            "the first render",
            &format!("{STATE} return (st.gen === '1' && !st.loading && st.bars > 0 && st.rows > 0) ? st : null;"),
        )
        .await;
    assert_eq!(first["message"], "", "the page reported an error");
    assert!(first["trendPoints"].as_u64().unwrap() > 5, "{first}");
    s.screenshot("dashboard-before.png").await;

    // A person picks a vertical in the filter bar.
    s.click("#f-vertical option[value='government']").await;
    let after = s
        .wait_for(
            "the update after the filter change",
            &format!("{STATE} return (st.gen === '2' && !st.loading) ? st : null;"),
        )
        .await;
    assert_eq!(after["message"], "", "the page reported an error");
    assert_ne!(after["share"], first["share"], "the share chart did not change");
    assert_ne!(after["table"], first["table"], "the incident table did not change");
    let (n0, n1) = (n_of(first["n"].as_str().unwrap()), n_of(after["n"].as_str().unwrap()));
    assert!(n1 > 0 && n1 < n0, "n should shrink to the government slice: {n0} -> {n1}");
    assert!(after["bars"].as_u64().unwrap() > 0 && after["rows"].as_u64().unwrap() > 0);

    // The chart shows what the API says for the same filters.
    let api = common::get(&base, "/api/v1/findings/share?by=sponsor&state_sponsored=true&vertical=government", None).await.json();
    assert_eq!(api["n"].as_u64(), Some(n1));

    // Clicking an incident shows its claims with provenance.
    s.click("#incidents tbody tr[data-id]").await;
    s.wait_for("the incident detail", "const d = document.getElementById('incident-detail'); return (!d.hidden && d.querySelector('dl')) ? true : null;")
        .await;
    let shot = s.screenshot("dashboard-after.png").await;
    assert!(std::fs::metadata(shot).unwrap().len() > 10_000);
    driver.call(reqwest::Method::DELETE, &format!("/session/{}", s.id), None).await;
}
