//! The TLP matrix: incidents at every TLP level × a reader token at every clearance × every
//! endpoint. Nothing above the token's clearance may reach it: no id, title, actor name, sponsor,
//! vertical or AI asset that only hidden incidents carry, and no count that includes them. Where a
//! hidden thing is asked for by name, the answer must be the one for a thing that never existed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::collections::BTreeSet;

use common::{Reply, get, ingest, post, start};
use serde_json::Value;
use spyglass_model::Tlp;
use spyglass_server::tokens::{Role, TokenStore};

/// (level, incidents, sponsor, vertical, asset, actor) — each level's sponsor, vertical, asset and
/// actor are carried only by that level's incidents (except the shared `training_data`).
const LEVELS: [(Tlp, usize, &str, &str, &str, &str); 5] = [
    (Tlp::Clear, 8, "CN", "software", "training_data", "Clearwater Panda"),
    (Tlp::Green, 6, "RU", "finance", "ml_infrastructure", "Greenfield Bear"),
    (Tlp::Amber, 5, "IR", "energy", "algorithms_code", "Amberline Kitten"),
    (Tlp::AmberStrict, 4, "KP", "health", "training_data", "Strictmoor Chollima"),
    (Tlp::Red, 3, "BY", "defence", "model_weights", "Redacted Wolf"),
];
/// Unmarked incidents (they count as TLP:CLEAR).
const UNMARKED: usize = 2;

fn slug(t: Tlp) -> String {
    t.as_str().replace('+', "-")
}

fn corpus() -> String {
    let mut out = String::new();
    let mut year = 2010;
    for (tlp, n, sponsor, vertical, asset, actor) in LEVELS {
        for i in 1..=n {
            let line = serde_json::json!({
                "id": format!("tlp-{}-{i}", slug(tlp)),
                "title": format!("TLPTEST-{}-{i} intrusion", slug(tlp).to_uppercase()),
                "description": "Synthetic record for the access-control test.",
                "start_date": format!("{year}-03-01"),
                "sponsors": [sponsor],
                "sponsorship": "state",
                "actors": [actor],
                "verticals": [vertical],
                "assets": [asset],
                "types": ["espionage"],
                "tlp": tlp.as_str(),
                "source": "tlp test corpus",
            });
            out.push_str(&line.to_string());
            out.push('\n');
            year = if year == 2023 { 2010 } else { year + 1 };
        }
    }
    for i in 1..=UNMARKED {
        let line = serde_json::json!({
            "id": format!("tlp-unmarked-{i}"), "title": format!("Unmarked {i}"), "start_date": "2015-06-01",
            "sponsors": ["CN"], "sponsorship": "state", "verticals": ["software"], "source": "tlp test corpus",
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Index of a level in TLP order.
fn rank(t: Tlp) -> usize {
    Tlp::ALL.iter().position(|x| *x == t).unwrap_or(usize::MAX)
}

fn visible_count(clearance: Tlp) -> u64 {
    (UNMARKED + LEVELS.iter().filter(|l| rank(l.0) <= rank(clearance)).map(|l| l.1).sum::<usize>()) as u64
}

/// Strings that only incidents above `clearance` carry.
fn forbidden(clearance: Tlp) -> Vec<String> {
    let mut out = Vec::new();
    for (tlp, _, sponsor, vertical, asset, actor) in LEVELS {
        if rank(tlp) <= rank(clearance) {
            continue;
        }
        out.push(format!("tlp-{}-", slug(tlp)));
        out.push(format!("TLPTEST-{}", slug(tlp).to_uppercase()));
        out.push(actor.to_string());
        out.push(format!("\"{sponsor}\""));
        out.push(format!("\"{vertical}\""));
        if asset != "training_data" {
            out.push(format!("\"{asset}\""));
        }
    }
    out
}

fn assert_no_leak(clearance: Tlp, what: &str, r: &Reply) {
    check_leak(clearance, what, r, forbidden(clearance));
}

/// For exports, whose vocabularies name every vertical and AI asset: ids, titles, actors, sponsors.
fn assert_no_leak_in_export(clearance: Tlp, what: &str, r: &Reply) {
    let f = forbidden(clearance).into_iter().filter(|s| !s.starts_with('"') || s.len() == 4).collect();
    check_leak(clearance, what, r, f);
}

fn check_leak(clearance: Tlp, what: &str, r: &Reply, forbidden: Vec<String>) {
    assert!(r.status < 500, "{what} as TLP:{clearance}: server error {}: {}", r.status, r.body);
    for f in forbidden {
        assert!(!r.body.contains(&f), "LEAK: {what} as TLP:{clearance} contains {f:?}:\n{}", r.body);
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v["rows"].as_array().map(|a| a.iter().filter_map(|r| r["key"].as_str().map(String::from)).collect()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_claim_reaches_a_token_above_its_clearance() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ingest(data, "tlp.jsonl", &corpus()).await;
    let tokens = TokenStore::new(data);
    // Highest clearance first, so a cache shared across clearances would show up as a leak.
    let mut readers = Vec::new();
    for t in Tlp::ALL.iter().rev() {
        readers.push((*t, tokens.create(Role::Reader, *t, None).unwrap().0));
    }
    let base = start(data).await;

    for (clearance, token) in &readers {
        let (c, tok) = (*clearance, Some(token.as_str()));
        let n = visible_count(c);
        let visible: BTreeSet<&str> =
            LEVELS.iter().filter(|l| rank(l.0) <= rank(c)).map(|l| l.2).collect();

        let st = get(&base, "/api/v1/status", tok).await;
        assert_eq!(st.status, 200);
        assert_eq!(st.json()["tlp_clearance"], c.as_str());

        // share, every dimension, with the policy variants
        for by in ["sponsor", "actor", "vertical", "asset", "type", "year"] {
            let r = get(&base, &format!("/api/v1/findings/share?by={by}&sensitivity=true"), tok).await;
            assert_no_leak(c, &format!("share by {by}"), &r);
            assert_eq!(r.status, 200, "{}", r.body);
            let v = r.json();
            assert_eq!(v["n"].as_u64(), Some(n), "share by {by} as TLP:{c}: n counts hidden incidents");
            for variant in v["sensitivity"].as_array().unwrap() {
                assert!(variant["n"].as_u64().unwrap() <= n, "sensitivity variant counts hidden incidents");
            }
        }
        let r = get(&base, "/api/v1/findings/share?by=sponsor&state_sponsored=true", tok).await;
        let v = r.json();
        let shown: BTreeSet<String> = keys(&v);
        let expected: BTreeSet<String> = visible.iter().map(|s| s.to_string()).collect();
        assert_eq!(shown, expected, "sponsors shown to TLP:{c}");
        for (tlp, count, sponsor, ..) in LEVELS.iter().filter(|l| rank(l.0) <= rank(c)) {
            let row = v["rows"].as_array().unwrap().iter().find(|r| r["key"] == *sponsor).unwrap();
            let extra = if *tlp == Tlp::Clear { UNMARKED } else { 0 };
            assert_eq!(row["count"].as_u64(), Some((count + extra) as u64));
        }

        // trend: every visible incident is dated; the counts add up to exactly n
        let r = get(&base, "/api/v1/findings/trend?by=year", tok).await;
        assert_no_leak(c, "trend", &r);
        if r.status == 200 {
            let total: u64 = r.json()["rows"].as_array().unwrap().iter().map(|x| x["count"].as_u64().unwrap()).sum();
            assert_eq!(total, n, "trend as TLP:{c}");
        }

        // compare: both periods together are the whole slice
        let r = get(&base, "/api/v1/findings/compare?by=sponsor&period_a=2010:2016&period_b=2017:2023", tok).await;
        assert_no_leak(c, "compare", &r);
        assert_eq!(r.status, 200, "{}", r.body);
        let m = &r.json()["method"];
        assert_eq!(m["n_a"].as_u64().unwrap() + m["n_b"].as_u64().unwrap(), n, "compare as TLP:{c}");

        let r = get(&base, "/api/v1/findings/priorities?sponsor=CN", tok).await;
        assert_no_leak(c, "priorities", &r);
        let r = get(&base, "/api/v1/findings/claim-check?claim=CN%20share%20%3E%200.5", tok).await;
        assert_no_leak(c, "claim-check", &r);
        assert_eq!(r.json()["n"].as_u64(), Some(n), "claim-check n as TLP:{c}");

        // Asking for the hidden by name gives what asking for something that never existed gives.
        for (tlp, _, sponsor, ..) in LEVELS {
            if rank(tlp) <= rank(c) {
                continue;
            }
            for (path, absent) in [
                (format!("/api/v1/findings/trend?by=year&sponsor={sponsor}"), "/api/v1/findings/trend?by=year&sponsor=NZ".to_string()),
                (format!("/api/v1/findings/priorities?sponsor={sponsor}"), "/api/v1/findings/priorities?sponsor=NZ".to_string()),
                (
                    format!("/api/v1/findings/claim-check?claim={sponsor}%20share%20%3E%200.1"),
                    "/api/v1/findings/claim-check?claim=NZ%20share%20%3E%200.1".to_string(),
                ),
                (format!("/api/v1/findings/share?sponsor={sponsor}"), "/api/v1/findings/share?sponsor=NZ".to_string()),
                (format!("/api/v1/incidents?sponsor={sponsor}"), "/api/v1/incidents?sponsor=NZ".to_string()),
                (format!("/api/v1/incidents/tlp-{}-1", slug(tlp)), "/api/v1/incidents/never-existed".to_string()),
            ] {
                let hidden = get(&base, &path, tok).await;
                let none = get(&base, &absent, tok).await;
                assert_eq!(hidden.status, none.status, "{path} as TLP:{c}: {} vs {}", hidden.body, none.body);
                let normal = |s: &str| {
                    s.replace(sponsor, "XX").replace("NZ", "XX").replace(&format!("tlp-{}-1", slug(tlp)), "ID").replace("never-existed", "ID")
                };
                assert_eq!(normal(&hidden.body), normal(&none.body), "{path} as TLP:{c} differs from an absent key");
            }
        }

        // incidents: exactly the visible ones, each readable; the hidden ones are not found
        let r = get(&base, "/api/v1/incidents?limit=1000", tok).await;
        assert_no_leak(c, "incidents", &r);
        let v = r.json();
        assert_eq!(v["total"].as_u64(), Some(n));
        let ids: BTreeSet<String> =
            v["incidents"].as_array().unwrap().iter().map(|i| i["incident_id"].as_str().unwrap().to_string()).collect();
        assert_eq!(ids.len() as u64, n);
        for (tlp, count, ..) in LEVELS {
            for i in 1..=count {
                let id = format!("tlp-{}-{i}", slug(tlp));
                let r = get(&base, &format!("/api/v1/incidents/{id}"), tok).await;
                if rank(tlp) <= rank(c) {
                    assert_eq!(r.status, 200, "{id} as TLP:{c}");
                    assert!(ids.contains(&id));
                    assert_no_leak(c, &id, &r);
                } else {
                    assert_eq!(r.status, 404, "{id} as TLP:{c}: {}", r.body);
                    assert!(!ids.contains(&id));
                }
            }
        }

        // exports: the report's data, its charts, the HTML report, the STIX bundle
        for path in ["/api/v1/report", "/api/v1/report/charts", "/api/v1/report.html", "/api/v1/export/stix"] {
            let r = get(&base, path, tok).await;
            assert_eq!(r.status, 200, "{path} as TLP:{c}: {}", r.body);
            assert_no_leak_in_export(c, path, &r);
        }
        let report = get(&base, "/api/v1/report", tok).await.json();
        assert_eq!(report["share_by_sponsor"]["n"].as_u64(), Some(n), "report n as TLP:{c}");
        let charts = get(&base, "/api/v1/report/charts", tok).await.json();
        assert_eq!(charts["n"].as_u64(), Some(n), "report charts n as TLP:{c}");
        let bundle = get(&base, "/api/v1/export/stix", tok).await.json();
        let incidents_in_bundle =
            bundle["objects"].as_array().unwrap().iter().filter(|o| o["type"] == "incident").count() as u64;
        assert_eq!(incidents_in_bundle, n, "STIX incidents as TLP:{c}");

        // actors and extraction read the knowledge base, never incident claims
        for path in ["/api/v1/actors", "/api/v1/actors/resolve?name=Redacted%20Wolf", "/api/v1/actors/APT28"] {
            let r = get(&base, path, tok).await;
            assert!(r.status < 500);
            for (tlp, .., actor) in LEVELS {
                if rank(tlp) > rank(c) {
                    assert!(!r.body.contains(&format!("tlp-{}", slug(tlp))) && (path.contains("resolve") || !r.body.contains(actor)));
                }
            }
        }
        let r = post(&base, "/api/v1/extract", tok, b"A Belarusian state-sponsored group stole model weights.".to_vec()).await;
        assert_eq!(r.status, 200);
        assert!(!r.body.contains("tlp-"), "extract shows incident claims");

        // a reader may not ingest, nor list tokens
        assert_eq!(post(&base, "/api/v1/ingest?filename=x.jsonl", tok, b"{\"id\":\"x\"}\n".to_vec()).await.status, 403);
        assert_eq!(get(&base, "/api/v1/tokens", tok).await.status, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_valid_token_every_endpoint_says_401() {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), "tlp.jsonl", &corpus()).await;
    TokenStore::new(dir.path()).create(Role::Admin, Tlp::Red, None).unwrap();
    let base = start(dir.path()).await;
    let paths = [
        "/api/v1/status",
        "/api/v1/findings/share",
        "/api/v1/findings/trend",
        "/api/v1/findings/compare?period_a=2010:2015&period_b=2016:2020",
        "/api/v1/findings/priorities?sponsor=CN",
        "/api/v1/findings/claim-check?claim=CN%20share%20%3E%200.5",
        "/api/v1/actors",
        "/api/v1/actors/resolve?name=APT28",
        "/api/v1/actors/APT28",
        "/api/v1/incidents",
        "/api/v1/incidents/tlp-red-1",
        "/api/v1/tokens",
        "/api/v1/report",
        "/api/v1/report/charts",
        "/api/v1/report.html",
        "/api/v1/export/stix",
    ];
    for token in [None, Some("spy_0000"), Some("not a token")] {
        for p in paths {
            let r = get(&base, p, token).await;
            assert_eq!(r.status, 401, "{p} with {token:?}: {}", r.body);
            assert_eq!(r.content_type, "application/problem+json");
            assert!(r.headers.get("www-authenticate").is_some());
            assert_no_leak(Tlp::Clear, p, &r);
        }
        for p in ["/api/v1/extract", "/api/v1/ingest?filename=a.jsonl"] {
            assert_eq!(post(&base, p, token, b"text".to_vec()).await.status, 401, "{p}");
        }
    }
    // the dashboard and the API description are public; they hold no claims
    assert_eq!(get(&base, "/", None).await.status, 200);
    assert_eq!(get(&base, "/openapi.json", None).await.status, 200);
}
