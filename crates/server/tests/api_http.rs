//! The API's behaviour around the findings: open loopback mode, roles, problem responses, request
//! limits, upload names, the cache, token revocation, and that each finding equals the analysis
//! crate's own result.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::net::SocketAddr;
use std::path::Path;

use common::{get, ingest, post, start};
use spyglass_model::Tlp;
use spyglass_server::tokens::{Role, TokenStore};

fn quickstart() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/quickstart.jsonl")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_loopback_mode_until_a_token_exists() {
    let dir = tempfile::tempdir().unwrap();
    let base = start(dir.path()).await;
    let st = get(&base, "/api/v1/status", None).await;
    assert_eq!(st.status, 200, "{}", st.body);
    let v = st.json();
    assert_eq!(v["role"], "admin");
    assert!(v["tlp_clearance"].is_null());
    assert_eq!(v["authentication"], "none (loopback only)");
    // no data yet: a problem, not a crash
    let r = get(&base, "/api/v1/findings/share", None).await;
    assert_eq!((r.status, r.content_type.as_str()), (404, "application/problem+json"), "{}", r.body);
    // a token created while the server runs turns authentication on at once
    let (secret, rec) = TokenStore::new(dir.path()).create(Role::Reader, Tlp::Green, Some("t".into())).unwrap();
    assert_eq!(get(&base, "/api/v1/status", None).await.status, 401);
    assert_eq!(get(&base, "/api/v1/status", Some(&secret)).await.json()["tlp_clearance"], "green");
    // and revoking it takes effect at once too
    TokenStore::new(dir.path()).revoke(&rec.id).unwrap();
    assert_eq!(get(&base, "/api/v1/status", Some(&secret)).await.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_listen_beyond_loopback_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let listen: SocketAddr = "0.0.0.0:0".parse().unwrap();
    let err = spyglass_server::serve(spyglass_server::ServeOptions { data: dir.path().to_path_buf(), listen })
        .await
        .expect_err("must refuse");
    assert!(err.to_string().contains("refusing to listen on 0.0.0.0:0"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_problems_limits_and_upload_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let tokens = TokenStore::new(data);
    let reader = tokens.create(Role::Reader, Tlp::Red, None).unwrap().0;
    let analyst = tokens.create(Role::Analyst, Tlp::Red, None).unwrap().0;
    let admin = tokens.create(Role::Admin, Tlp::Red, None).unwrap().0;
    let base = start(data).await;

    // ingest through the API (analyst), then the same content again
    let body = quickstart().into_bytes();
    assert_eq!(post(&base, "/api/v1/ingest?filename=quickstart.jsonl", Some(&reader), body.clone()).await.status, 403);
    let r = post(&base, "/api/v1/ingest?filename=quickstart.jsonl", Some(&analyst), body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["status"], "committed");
    assert_eq!(v["path"], "quickstart.jsonl");
    assert_eq!(v["records_committed"].as_u64(), Some(quickstart().lines().filter(|l| !l.trim().is_empty()).count() as u64));
    let again = post(&base, "/api/v1/ingest?filename=quickstart.jsonl", Some(&admin), body).await;
    assert_eq!(again.json()["status"], "already_ingested");

    // upload names are base names only (path traversal is refused before anything is read)
    for bad in ["../../etc/passwd", "..", "a/b.jsonl", "..%2Fx.jsonl", "a%5Cb.jsonl", "%2Fetc%2Fpasswd", ".hidden", ""] {
        let r = post(&base, &format!("/api/v1/ingest?filename={bad}"), Some(&analyst), b"{\"id\":\"t:1\"}\n".to_vec()).await;
        assert_eq!(r.status, 400, "filename {bad:?}: {}", r.body);
        assert_eq!(r.content_type, "application/problem+json");
    }
    assert!(!data.join("..").join("passwd").exists());
    // an unreadable file is a 422 problem naming the place
    let r = post(&base, "/api/v1/ingest?filename=bad.jsonl&format=jsonl&strict=true", Some(&analyst), b"{\"id\": 1, \"sponsor\": \"CN\"}\n".to_vec()).await;
    assert!(r.status == 200 && r.json()["status"] == "rejected", "{} {}", r.status, r.body);

    // roles: only admin lists tokens; the list never holds secrets or hashes
    assert_eq!(get(&base, "/api/v1/tokens", Some(&analyst)).await.status, 403);
    let r = get(&base, "/api/v1/tokens", Some(&admin)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json().as_array().unwrap().len(), 3);
    assert!(!r.body.contains(&admin[4..]) && !r.body.contains("sha256"));

    // bad parameters are 400 problems naming the parameter
    for (path, needle) in [
        ("/api/v1/findings/share?by=colour", "by"),
        ("/api/v1/findings/share?level=1.5", "level"),
        ("/api/v1/findings/share?since=2020&until=2010", "since"),
        ("/api/v1/findings/share?vertical=nope", "vertical"),
        ("/api/v1/findings/share?bogus=1", "bogus"),
        ("/api/v1/findings/compare?period_a=2010:2016", "period_b"),
        ("/api/v1/findings/claim-check?claim=whatever", "comparison"),
        ("/api/v1/findings/share?resamples=100000000&interval=bootstrap", "resamples"),
    ] {
        let r = get(&base, path, Some(&reader)).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert_eq!(r.content_type, "application/problem+json");
        let p = r.json();
        assert_eq!(p["status"], 400);
        assert!(p["detail"].as_str().unwrap().contains(needle), "{path}: {}", r.body);
    }
    let r = get(&base, "/api/v1/nothing-here", Some(&reader)).await;
    assert_eq!((r.status, r.content_type.as_str()), (404, "application/problem+json"));
    let r = get(&base, "/api/v1/actors/No%20Such%20Group%20Anywhere", Some(&reader)).await;
    assert_eq!(r.status, 404);
    let r = common::send(reqwest::Client::new().delete(format!("{base}/api/v1/findings/share")).bearer_auth(&reader)).await;
    assert_eq!((r.status, r.content_type.as_str()), (405, "application/problem+json"));

    // request size limits: 1 MiB for text, 64 MiB for files
    let big = vec![b'a'; spyglass_server::BODY_LIMIT + 1];
    let r = post(&base, "/api/v1/extract", Some(&reader), big).await;
    assert_eq!((r.status, r.content_type.as_str()), (413, "application/problem+json"), "{}", r.body);
    let ok = post(&base, "/api/v1/extract?kind=text", Some(&reader), b"APT28, a Russian state-sponsored group, stole model weights.".to_vec()).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.json()["ai_assets"].as_array().is_some_and(|a| !a.is_empty()), "{}", ok.body);
    let r = post(&base, "/api/v1/extract", Some(&reader), vec![0xff, 0xfe, 0x00]).await;
    assert_eq!(r.status, 400);
    let big_file = vec![b' '; spyglass_server::INGEST_LIMIT + 1];
    let r = post(&base, "/api/v1/ingest?filename=big.jsonl", Some(&analyst), big_file).await;
    assert_eq!(r.status, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_equal_the_analysis_crate_and_the_cache_follows_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ingest(data, "quickstart.jsonl", &quickstart()).await;
    let base = start(data).await;

    let path = "/api/v1/findings/share?by=sponsor&state_sponsored=true&since=2018";
    let first = get(&base, path, None).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.headers["x-spyglass-cache"], "miss");
    let second = get(&base, path, None).await;
    assert_eq!(second.headers["x-spyglass-cache"], "hit");
    assert_eq!(first.body, second.body);
    // parameter order does not matter to the cache
    let reordered = get(&base, "/api/v1/findings/share?since=2018&state_sponsored=true&by=sponsor", None).await;
    assert_eq!(reordered.headers["x-spyglass-cache"], "hit");

    // the same numbers as the analysis crate (what the CLI prints)
    let store = spyglass_store::Store::new(data);
    let filters = spyglass_analysis::Filters { state_sponsored: true, since: Some(2018), ..Default::default() };
    let q = spyglass_analysis::ShareQuery::new(spyglass_analysis::Dimension::Sponsor, filters);
    let direct = serde_json::to_string(&spyglass_analysis::share(&store, &q).await.unwrap()).unwrap();
    // both through the same text round trip (serde_json's parser may differ from ryu in the last bit)
    assert_eq!(first.json(), serde_json::from_str::<serde_json::Value>(&direct).unwrap());

    // new data: a new store version, so a miss and a larger n
    let n0 = first.json()["n"].as_u64().unwrap();
    let extra = r#"{"id": "cache:1", "start_date": "2021-05-01", "sponsors": ["CN"], "sponsorship": "state", "source": "cache test"}"#;
    ingest(data, "extra.jsonl", &format!("{extra}\n")).await;
    let third = get(&base, path, None).await;
    assert_eq!(third.headers["x-spyglass-cache"], "miss");
    assert_eq!(third.json()["n"].as_u64(), Some(n0 + 1));

    // every finding endpoint answers with its CLI document
    for p in [
        "/api/v1/findings/trend?by=year&sponsor=CN",
        "/api/v1/findings/compare?period_a=2015:2019&period_b=2020:2024&state_sponsored=true",
        "/api/v1/findings/priorities?sponsor=CN&target_asset=any",
        "/api/v1/findings/claim-check?claim=CN%20share%20%3E%200.5&state_sponsored=true",
        "/api/v1/findings/share?by=vertical&interval=bootstrap&resamples=500",
        "/api/v1/incidents?vertical=tech&limit=5",
        "/api/v1/incidents/demo:1",
        "/api/v1/actors?sponsor=CN",
    ] {
        let r = get(&base, p, None).await;
        assert_eq!(r.status, 200, "{p}: {}", r.body);
        assert_eq!(r.content_type, "application/json");
    }
    let inc = get(&base, "/api/v1/incidents/demo:1", None).await.json();
    assert_eq!(inc["labels"]["sponsors"][0], "CN");
    assert!(inc["records"][0]["record_ref"].is_string(), "provenance is kept: {inc}");
}

/// A stream of small uploads does not leave the tables in ever more files: once a table holds
/// `AUTO_COMPACT_SMALL_FILES` small files, the upload that committed last compacts it (one Delta
/// `OPTIMIZE` commit), and every incident is still there once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_uploads_are_compacted_once_a_table_is_fragmented() {
    use spyglass_store::maintain::AUTO_COMPACT_SMALL_FILES;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let base = start(data).await;
    let log = data.join(spyglass_store::table::INCIDENTS).join("_delta_log");
    let optimizes = || {
        std::fs::read_dir(&log)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .filter(|e| std::fs::read_to_string(e.path()).unwrap_or_default().contains("\"operation\":\"OPTIMIZE\""))
                    .count()
            })
            .unwrap_or(0)
    };
    let n = AUTO_COMPACT_SMALL_FILES;
    for b in 0..n {
        let body = format!(
            "{{\"id\": \"compact:{b}\", \"title\": \"upload {b}\", \"source\": \"compaction test\", \
             \"start_date\": \"2021-01-01\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\"}}\n"
        );
        let r = post(&base, &format!("/api/v1/ingest?filename=b{b}.jsonl"), None, body.into_bytes()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["status"], "committed");
        // Compacted by the upload that brought the table to the threshold, not before.
        assert_eq!(optimizes(), usize::from(b + 1 >= n), "after upload {}", b + 1);
    }
    let r = get(&base, "/api/v1/incidents?limit=100", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["total"].as_u64(), Some(n as u64), "{v}");
}
