//! `spyglass report`: its numbers equal the finding commands' JSON on the real EuRepoC data, it
//! renders in headless Chromium with every chart laid out, and hostile text stays inert.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use spyglass_report::pdf::{Profile, chromium_command, file_url, find_chromium, run_chromium};

fn ingest_eurepoc(data: &Path, csv: &Path) {
    let out = run(data, &["ingest", csv.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["files"][0]["records_committed"], 1643);
}

/// The JSON block `#spyglass-data` of a report.
fn embedded_json(html: &str) -> Value {
    let tag = "<script type=\"application/json\" id=\"spyglass-data\">";
    let i = html.find(tag).expect("the report embeds its data") + tag.len();
    let j = html[i..].find("</script>").expect("data block ends") + i;
    serde_json::from_str(&html[i..j]).unwrap_or_else(|e| panic!("embedded data is not JSON: {e}"))
}

/// `key="value"` attributes of a start tag's text.
fn attrs(tag: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].rsplit(|c: char| c.is_whitespace() || c == '<').next().unwrap_or("").to_string();
        let after = &rest[eq + 2..];
        let close = after.find('"').expect("closing quote");
        m.insert(key, after[..close].to_string());
        rest = &after[close + 1..];
    }
    m
}

/// The `<tr …>` attributes of the table with this id.
fn table_rows(html: &str, id: &str) -> Vec<BTreeMap<String, String>> {
    let start = html.find(&format!("<table id=\"{id}\"")).unwrap_or_else(|| panic!("table {id}"));
    let end = html[start..].find("</table>").expect("table end") + start;
    html[start..end]
        .split("<tr ")
        .skip(1)
        .map(|tr| attrs(&tr[..tr.find('>').expect("tag end")]))
        .collect()
}

/// Each chart: its `<svg>` start-tag attributes and the number of `<rect>` and `<path>` inside.
fn charts(html: &str) -> Vec<(BTreeMap<String, String>, usize, usize)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg ") {
        let s = &rest[i..];
        let end = s.find("</svg>").expect("svg end");
        let body = &s[..end];
        let open = attrs(&body[..body.find('>').expect("svg tag end")]);
        if open.get("class").is_some_and(|c| c.split_whitespace().any(|c| c == "chart")) {
            out.push((open, body.matches("<rect").count(), body.matches("<path").count()));
        }
        rest = &s[end..];
    }
    out
}

fn args_with<'a>(base: &[&'a str], filters: &[&'a str]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(filters);
    v
}

#[test]
fn report_numbers_equal_share_trend_on_eurepoc() {
    let csv = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest_eurepoc(&data, &csv);

    for filters in [vec!["--state-sponsored"], vec!["--state-sponsored", "--since", "2018"], vec![]] {
        let html_path = dir.path().join("r.html");
        let out = run(&data, &args_with(&["report", "--out", html_path.to_str().unwrap(), "--json"], &filters));
        assert!(out.status.success(), "report {filters:?}: {}", stderr(&out));
        let printed = stdout_json(&out);
        let html = std::fs::read_to_string(&html_path).unwrap();
        let embedded = embedded_json(&html);
        assert_eq!(printed, embedded, "--json prints the data the HTML embeds");

        // The sponsor share is exactly `share --by sponsor --json` for the same filters.
        let mut share = stdout_json(&run(&data, &args_with(&["share", "--by", "sponsor", "--json"], &filters)));
        // Which engine counted (the CLI's findings cube, the report's one session of the views)
        // is the only field allowed to differ.
        let mut from_report = embedded["share_by_sponsor"].clone();
        for v in [&mut share, &mut from_report] {
            if let Some(m) = v["method"].as_object_mut() {
                m.remove("engine");
            }
        }
        assert_eq!(from_report, share, "filters {filters:?}");
        assert!(share["n"].as_u64().unwrap() > 200, "a real slice");
        // …and so is every row of the table the reader sees.
        let rows = table_rows(&html, "share-by-sponsor");
        let want = share["rows"].as_array().unwrap();
        assert_eq!(rows.len(), want.len());
        for (tr, w) in rows.iter().zip(want) {
            assert_eq!(tr["data-key"], w["key"].as_str().unwrap());
            assert_eq!(tr["data-count"].parse::<u64>().unwrap(), w["count"].as_u64().unwrap());
            for (attr, field) in [("data-share", "share"), ("data-ci-low", "ci_low"), ("data-ci-high", "ci_high")] {
                // Both through serde_json's float parser (its default parser can be 1 ulp off
                // Rust's, so mixing the two would compare parsers, not numbers).
                let shown: Value = serde_json::from_str(&tr[attr]).unwrap();
                assert_eq!(shown, w[field], "{attr} of {}", w["key"]);
            }
            let shown = format!("{:.1} %", w["share"].as_f64().unwrap() * 100.0);
            assert!(html.contains(&shown), "the table shows {shown}");
        }
        let table = &html[html.find("<table id=\"share-by-sponsor\" data-n=\"").unwrap()..];
        assert!(table.starts_with(&format!("<table id=\"share-by-sponsor\" data-n=\"{}\"", share["n"])));

        // The headline of the largest sponsor states that row's numbers.
        let top = want.iter().find(|r| r["key"] != "none").unwrap();
        let h = embedded["headlines"].as_array().unwrap().iter().find(|h| h["finding"] == "share by sponsor").unwrap();
        assert_eq!((&h["key"], &h["count"], &h["n"]), (&top["key"], &top["count"], &share["n"]));
        assert_eq!((&h["estimate"], &h["ci_low"], &h["ci_high"]), (&top["share"], &top["ci_low"], &top["ci_high"]));

        // The other findings are the commands' JSON too.
        let ai = stdout_json(&run(&data, &args_with(&["share", "--by", "sponsor", "--asset", "any", "--json"], &filters)));
        assert_eq!(no_engine(&embedded["ai_share_by_sponsor"]), no_engine(&ai));
        let assets = stdout_json(&run(&data, &args_with(&["share", "--by", "asset", "--json"], &filters)));
        assert_eq!(no_engine(&embedded["share_by_asset"]), no_engine(&assets));
        let trend_all = stdout_json(&run(&data, &args_with(&["trend", "--by", "year", "--json"], &filters)));
        assert_eq!(embedded["trend_all"]["result"], trend_all);
        let trends = embedded["trends"].as_array().unwrap();
        assert!(!trends.is_empty());
        for t in trends {
            let key = t["key"].as_str().unwrap();
            let cmd = stdout_json(&run(&data, &args_with(&["trend", "--by", "year", "--sponsor", key, "--json"], &filters)));
            assert_eq!(t["result"], cmd, "trend of {key}");
        }
        for p in embedded["priorities"].as_array().unwrap() {
            let key = p["sponsor"].as_str().unwrap();
            let cmd = stdout_json(&run(&data, &args_with(&["priorities", "--sponsor", key, "--json"], &filters)));
            assert_eq!(*p, cmd, "priorities of {key}");
        }
        // Heatmap rows are `share --by asset --vertical V`.
        let rows = embedded["heatmap"]["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        let verticals = embedded["heatmap"]["by_vertical"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), verticals.iter().filter(|r| r["key"] != "unknown").count(), "a row per vertical");
        for r in rows.iter().take(8) {
            let v = r["vertical"].as_str().unwrap();
            let cmd = stdout_json(&run(&data, &args_with(&["share", "--by", "asset", "--vertical", v, "--json"], &filters)));
            assert_eq!(no_engine(&r["share"]), no_engine(&cmd), "heatmap row {v}");
        }
        // Top actors are the largest rows of `share --by actor`, with the knowledge base's aliases.
        let actors = stdout_json(&run(&data, &args_with(&["share", "--by", "actor", "--json"], &filters)));
        assert_eq!(no_engine(&embedded["actors"]["share"]), no_engine(&actors));
        let top = embedded["actors"]["top"].as_array().unwrap();
        assert!(!top.is_empty());
        for (t, r) in top.iter().zip(actors["rows"].as_array().unwrap().iter().filter(|r| r["key"] != "unattributed")) {
            assert_eq!(t["row"], *r);
        }
        assert!(top.iter().any(|t| !t["aliases"].as_array().unwrap().is_empty()), "aliases shown");
        // Sources with their dates: EuRepoC v1.1 runs to 2023.
        let src = &embedded["sources"]["sources"][0];
        assert_eq!(src["incidents"], 1643);
        assert!(src["last_date"].as_str().unwrap().starts_with("2023-"), "{src}");
        assert!(embedded["caveats"].as_array().unwrap().iter().any(|c| c["topic"] == "reporting lag"));

        // Three kinds of chart, each with marks; nothing is fetched at view time.
        let kinds: Vec<String> = charts(&html).iter().map(|c| c.0["data-chart"].clone()).collect();
        for k in ["share-bars", "trend-lines", "heatmap"] {
            assert!(kinds.iter().any(|x| x == k), "chart {k} in {kinds:?}");
        }
        for (a, rects, paths) in charts(&html) {
            assert!(rects + paths > 1, "{a:?} has marks");
        }
        let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for needle in ["http://", "https://", " src=", " href=", "@import", "url("] {
            assert!(!without_ns.contains(needle), "the report refers to {needle}");
        }
    }

    // Markdown carries the same table.
    let md_path = dir.path().join("r.md");
    let out = run(&data, &["report", "--state-sponsored", "--out", md_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(&md_path).unwrap();
    let share = stdout_json(&run(&data, &["share", "--by", "sponsor", "--state-sponsored", "--json"]));
    let cn = share["rows"].as_array().unwrap().iter().find(|r| r["key"] == "CN").unwrap();
    let line = format!("| CN China | {} | {:.1} % |", cn["count"], cn["share"].as_f64().unwrap() * 100.0);
    assert!(md.contains(&line), "markdown has {line}");
}

/// Chromium, or `None` (skip) — but CI (`SPYGLASS_REQUIRE_SHARED=1`) installs it and must not skip.
fn chromium_or_skip() -> Option<PathBuf> {
    match find_chromium() {
        Ok(c) => Some(c),
        Err(e) if spyglass_testkit::shared_required() => panic!("SPYGLASS_REQUIRE_SHARED=1 but {e}"),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

/// The DOM after Chromium loaded and laid out the page.
fn dump_dom(chromium: &Path, html: &Path) -> String {
    let profile = Profile::new().unwrap();
    let mut cmd = chromium_command(chromium, &profile);
    cmd.args(["--window-size=1280,2000", "--dump-dom"]).arg(file_url(html).unwrap());
    let r = run_chromium(cmd, chromium).unwrap();
    assert!(r.success, "chromium --dump-dom: {} {}", r.status, r.stderr);
    r.stdout
}

#[test]
fn report_renders_in_chromium_with_every_chart_and_prints_a_pdf() {
    let csv = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let Some(chromium) = chromium_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest_eurepoc(&data, &csv);
    let (html_path, pdf_path) = (dir.path().join("report.html"), dir.path().join("report.pdf"));
    let out = run(
        &data,
        &["report", "--state-sponsored", "--out", html_path.to_str().unwrap(), "--pdf", pdf_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 30_000, "PDF of {} bytes", pdf.len());

    let html = std::fs::read_to_string(&html_path).unwrap();
    let want = charts(&html).len();
    assert!(want >= 4, "{want} charts");
    let dom = dump_dom(&chromium, &html_path);
    let laid_out = charts(&dom);
    assert_eq!(laid_out.len(), want, "every chart is in the rendered DOM");
    for (i, (a, rects, paths)) in laid_out.iter().enumerate() {
        let kind = &a["data-chart"];
        let (w, h): (f64, f64) = (a["width"].parse().unwrap(), a["height"].parse().unwrap());
        assert!(w > 0.0 && h > 0.0, "{kind}: {w}x{h}");
        // Set by the report's own script after layout: the size the browser gave the chart.
        let rendered = a.get("data-rendered").unwrap_or_else(|| panic!("{kind} was not laid out: {a:?}"));
        let (rw, rh) = rendered.split_once('x').unwrap();
        let (rw, rh): (f64, f64) = (rw.parse().unwrap(), rh.parse().unwrap());
        assert!(rw > 100.0 && rh > 50.0, "{kind} rendered at {rendered}");
        match kind.as_str() {
            // The first chart is the share by sponsor: bars and whiskers. Later bar charts may be a
            // "withheld" notice on a thin slice, which is still drawn.
            "share-bars" if i == 0 => assert!(*rects > 3 && *paths > 3, "{kind}: {rects} rects, {paths} paths"),
            "share-bars" => assert!(*rects >= 2, "{kind}: {rects} rects"),
            "trend-lines" => assert!(*paths > 5, "{kind}: {paths} paths"),
            "heatmap" => assert!(*rects > 8, "{kind}: {rects} rects"),
            other => panic!("unknown chart {other}"),
        }
    }

    // A screenshot to look at.
    let png = dir.path().join("report.png");
    let profile = Profile::new().unwrap();
    let mut cmd = chromium_command(&chromium, &profile);
    let mut arg = std::ffi::OsString::from("--screenshot=");
    arg.push(&png);
    cmd.args(["--window-size=1280,3000"]).arg(arg).arg(file_url(&html_path).unwrap());
    let r = run_chromium(cmd, &chromium).unwrap();
    assert!(r.success, "{}", r.stderr);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000, "screenshot of {} bytes", bytes.len());
    eprintln!("screenshot: {} ({} bytes)", png.display(), bytes.len());
    if let Some(keep) = std::env::var_os("SPYGLASS_KEEP_REPORT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        for f in [&html_path, &pdf_path, &png] {
            std::fs::copy(f, keep.join(f.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn pdf_without_chromium_writes_the_html_and_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let jsonl = dir.path().join("x.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"x:1\", \"start_date\": \"2020-01-01\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\"}\n")
        .unwrap();
    assert!(run(&data, &["ingest", jsonl.to_str().unwrap()]).status.success());
    let html = dir.path().join("r.html");
    let pdf = dir.path().join("r.pdf");
    let out = spyglass(&data)
        .args(["report", "--out", html.to_str().unwrap(), "--pdf", pdf.to_str().unwrap()])
        .env("PATH", dir.path())
        .env_remove("SPYGLASS_CHROMIUM")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("apt-get install chromium") && err.contains("SPYGLASS_CHROMIUM"), "{err}");
    assert!(html.exists() && !pdf.exists());

    let out = spyglass(&data)
        .args(["report", "--out", html.to_str().unwrap(), "--pdf", pdf.to_str().unwrap()])
        .env("SPYGLASS_CHROMIUM", dir.path().join("no-such-browser"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no-such-browser"), "{}", stderr(&out));
}

#[test]
fn hostile_text_renders_inert() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let jsonl = dir.path().join("hostile.jsonl");
    let mut lines = vec![
        serde_json::json!({
            "id": "h:1",
            "title": "<script>alert(1)</script>",
            "description": "</script><img src=x onerror=alert(2)> & \"quoted\" 'text' <!-- comment",
            "start_date": "2021-03-01",
            "sponsors": ["CN"],
            "sponsorship": "state",
            "actors": ["<b onmouseover=alert(3)>APT-X</b>"],
            "assets": ["model_weights"],
            "verticals": ["ai_research"],
            "source": "<i>evil</i> source",
        })
        .to_string(),
    ];
    for i in 2..8 {
        lines.push(
            serde_json::json!({"id": format!("h:{i}"), "title": format!("plain {i}"), "start_date": format!("20{:02}-01-01", 10 + i),
                "sponsors": ["RU"], "sponsorship": "state", "assets": ["training_data"], "verticals": ["software"],
                "source": "<i>evil</i> source"})
            .to_string(),
        );
    }
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();
    let out = run(&data, &["ingest", jsonl.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let html_path = dir.path().join("r.html");
    let out = run(&data, &["report", "--out", html_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown, escaped");
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot; &#39;text&#39; &lt;!-- comment"));
    assert!(html.contains("&lt;i&gt;evil&lt;/i&gt; source"), "source names are escaped");
    for raw in ["<script>alert", "<img", "<i>evil", "<b onmouseover", "<!-- comment"] {
        assert!(!html.contains(raw), "{raw} must not reach the HTML unescaped");
    }
    // Exactly two script elements: the JSON data and the report's own layout probe.
    assert_eq!(html.matches("<script").count(), 2);
    let data_json = embedded_json(&html);
    let row = &data_json["ai_incidents"]["rows"].as_array().unwrap().iter().find(|r| r["incident_id"] == "h:1").unwrap().clone();
    assert_eq!(row["title"], "<script>alert(1)</script>", "the JSON block keeps the text exactly");

    let md_path = dir.path().join("r.md");
    assert!(run(&data, &["report", "--out", md_path.to_str().unwrap()]).status.success());
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !md.contains("<script") && !md.contains("<img"));

    // In a browser the hostile text is text: no element was created from it.
    if let Ok(chromium) = find_chromium() {
        let dom = dump_dom(&chromium, &html_path);
        assert!(!dom.contains("<img") && !dom.contains("<i>evil") && !dom.contains("<b "), "no element from data");
        assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}

/// A share document without `method.engine`: the CLI counts from the findings cube, the report
/// from one session of the views; the numbers must be the same.
fn no_engine(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(m) = v["method"].as_object_mut() {
        m.remove("engine");
    }
    v
}
