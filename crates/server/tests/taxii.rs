//! The TAXII 2.1 server under `/taxii2/`: driven by the OASIS `taxii2-client` (PyPI) against a
//! loopback server (discovery, collections, paging with `added_after`, adding an envelope that then
//! counts in the findings), and by reqwest for media types, 406/415/403/401, TLP filtering,
//! filters and pagination boundaries. The Python test skips with the reason when taxii2-client is
//! not installed, unless SPYGLASS_REQUIRE_PYTHON=1 (set by .ci/run), which makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Reply, get, ingest, send, start};
use serde_json::{Value, json};
use spyglass_model::Tlp;
use spyglass_server::taxii::{INBOX_COLLECTION, MEDIA_TYPE, READ_COLLECTION};
use spyglass_server::tokens::{Role, TokenStore};

const OBJECTS: &str = "/taxii2/api/collections/51afdc9a-92bc-5b62-8a9f-09832dbb31f3/objects/";
const INBOX: &str = "/taxii2/api/collections/3c20bce4-b503-5642-aed1-be5c741988b8/objects/";

async fn tget(base: &str, path: &str, token: Option<&str>) -> Reply {
    tget_accept(base, path, token, Some(MEDIA_TYPE)).await
}

async fn tget_accept(base: &str, path: &str, token: Option<&str>, accept: Option<&str>) -> Reply {
    let mut req = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    send(req).await
}

async fn tpost(base: &str, path: &str, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Reply {
    let mut req = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("Accept", MEDIA_TYPE)
        .header("Content-Type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    send(req).await
}

/// A TAXII error message with this status.
fn assert_taxii_error(r: &Reply, status: u16, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.body);
    assert_eq!(r.content_type, MEDIA_TYPE, "{what}: error media type");
    let v = r.json();
    assert_eq!(v["http_status"], status.to_string(), "{what}: {v}");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()), "{what}: {v}");
    assert!(v["description"].as_str().is_some_and(|t| !t.is_empty()), "{what}: {v}");
}

fn objects_of(v: &Value) -> Vec<Value> {
    v["objects"].as_array().cloned().unwrap_or_default()
}

fn ids_of(objs: &[Value]) -> Vec<String> {
    objs.iter().map(|o| o["id"].as_str().unwrap().to_string()).collect()
}

/// Walks every page of `path` (which holds its other parameters) with `limit`; returns the
/// objects and the number of pages.
async fn walk(base: &str, path: &str, token: &str, limit: usize) -> (Vec<Value>, usize) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut next: Option<String> = None;
    let mut out = Vec::new();
    let mut pages = 0;
    loop {
        let mut p = format!("{path}{sep}limit={limit}");
        if let Some(n) = &next {
            p.push_str(&format!("&next={}", url::form_urlencoded::byte_serialize(n.as_bytes()).collect::<String>()));
        }
        let r = tget(base, &p, Some(token)).await;
        assert_eq!(r.status, 200, "{p}: {}", r.body);
        assert_eq!(r.content_type, MEDIA_TYPE);
        let v = r.json();
        let objs = objects_of(&v);
        assert!(objs.len() <= limit, "page of {} with limit {limit}", objs.len());
        pages += 1;
        if !objs.is_empty() {
            let first = r.headers.get("x-taxii-date-added-first").and_then(|h| h.to_str().ok()).unwrap_or_default();
            let last = r.headers.get("x-taxii-date-added-last").and_then(|h| h.to_str().ok()).unwrap_or_default();
            assert!(!first.is_empty() && first <= last, "date-added headers: {first:?} {last:?}");
        }
        out.extend(objs);
        if v["more"] == true {
            assert_eq!(v["objects"].as_array().map(Vec::len), Some(limit), "a page with more=true is full");
            next = Some(v["next"].as_str().expect("more=true without next").to_string());
        } else {
            assert!(v.get("next").is_none(), "next on the last page: {v}");
            break;
        }
        assert!(pages < 10_000, "paging does not end");
    }
    (out, pages)
}

async fn manifest(base: &str, token: &str) -> Vec<Value> {
    let r = tget(base, "/taxii2/api/collections/spyglass/manifest/?limit=1000", Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["more"], false, "test data fits one manifest page");
    objects_of(&r.json())
}

async fn export_ids(base: &str, token: &str) -> BTreeSet<String> {
    let r = get(base, "/api/v1/export/stix", Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    ids_of(&objects_of(&r.json())).into_iter().collect()
}

/// A fictional group's operation as a TAXII envelope: an incident attributed to an intrusion set
/// run by a nation-state threat actor that originates from Iceland (a code no other test data uses).
fn envelope() -> Value {
    let t = "2026-11-01T00:00:00.000Z";
    let common = |kind: &str, id: &str| json!({"type": kind, "spec_version": "2.1", "id": id, "created": t, "modified": t});
    let mut objects = Vec::new();
    let mut push = |base: Value, extra: Value| {
        let mut o = base;
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        objects.push(o);
    };
    push(common("identity", "identity--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a01"), json!({"name": "TAXII test feed", "identity_class": "organization"}));
    push(
        common("incident", "incident--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a02"),
        json!({"name": "Glacier Heron copied model weights from a test lab",
               "description": "Fictional test record: a state-sponsored group copied model weights.",
               "created_by_ref": "identity--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a01",
               "first_seen": "2026-10-01T00:00:00Z"}),
    );
    push(common("intrusion-set", "intrusion-set--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a03"), json!({"name": "Glacier Heron"}));
    push(
        common("threat-actor", "threat-actor--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a04"),
        json!({"name": "Glacier Heron operators", "threat_actor_types": ["nation-state"]}),
    );
    push(common("location", "location--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a05"), json!({"country": "IS"}));
    for (n, kind, src, dst) in [
        ("06", "attributed-to", "incident--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a02", "intrusion-set--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a03"),
        ("07", "attributed-to", "intrusion-set--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a03", "threat-actor--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a04"),
        ("08", "originates-from", "threat-actor--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a04", "location--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a05"),
    ] {
        push(
            common("relationship", &format!("relationship--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a{n}")),
            json!({"relationship_type": kind, "source_ref": src, "target_ref": dst, "confidence": 80}),
        );
    }
    json!({ "objects": objects })
}

const NEW_INCIDENT: &str = "incident--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0a02";

fn quickstart() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/quickstart.jsonl")).unwrap()
}

/// A second batch, ingested after the quick start (so `date_added` has two batch times).
const LATER: &str = r#"{"id": "later:1", "title": "Later incident", "description": "Second batch.", "start_date": "2025-05-01", "sponsors": ["RU"], "sponsorship": "state", "verticals": ["software"], "source": "later corpus"}
"#;

async fn two_batches(data: &Path) {
    ingest(data, "quickstart.jsonl", &quickstart()).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    ingest(data, "later.jsonl", LATER).await;
}

fn sponsor_count(share: &Value, key: &str) -> Option<u64> {
    share["rows"].as_array()?.iter().find(|r| r["key"] == key).and_then(|r| r["count"].as_u64())
}

async fn poll_status(base: &str, sid: &str, token: &str) -> Value {
    for _ in 0..600 {
        let r = tget(base, &format!("/taxii2/api/status/{sid}/"), Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        if v["status"] == "complete" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("status {sid} did not complete in 60 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taxii_resources_media_types_errors_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    two_batches(data).await;
    let tokens = TokenStore::new(data);
    let reader = tokens.create(Role::Reader, Tlp::Red, None).unwrap().0;
    let analyst = tokens.create(Role::Analyst, Tlp::Red, None).unwrap().0;
    let admin = tokens.create(Role::Admin, Tlp::Red, None).unwrap().0;
    let base = start(data).await;
    let (r, a) = (Some(reader.as_str()), Some(analyst.as_str()));

    // discovery, API root, collections: the TAXII media type exactly
    let d = tget(&base, "/taxii2/", r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.content_type, MEDIA_TYPE);
    let dv = d.json();
    let root = dv["api_roots"][0].as_str().unwrap().to_string();
    assert!(root.ends_with("/taxii2/api/") && root.starts_with("http://127.0.0.1:"), "{root}");
    assert_eq!(dv["default"], root.as_str());
    assert_eq!(tget(&base, "/taxii2", r).await.status, 200, "discovery without the trailing slash");
    let ar = tget(&base, "/taxii2/api/", r).await;
    assert_eq!(ar.content_type, MEDIA_TYPE);
    assert_eq!(ar.json()["versions"], json!([MEDIA_TYPE]));
    assert!(ar.json()["max_content_length"].as_u64().unwrap() >= 1 << 20);
    for (token, can_write) in [(r, false), (a, true)] {
        let c = tget(&base, "/taxii2/api/collections/", token).await;
        assert_eq!(c.content_type, MEDIA_TYPE);
        let cols = c.json()["collections"].as_array().unwrap().clone();
        assert_eq!(cols.len(), 2);
        let read = cols.iter().find(|c| c["id"] == READ_COLLECTION).unwrap();
        let inbox = cols.iter().find(|c| c["id"] == INBOX_COLLECTION).unwrap();
        assert_eq!((read["can_read"].clone(), read["can_write"].clone()), (json!(true), json!(false)));
        assert_eq!((inbox["can_read"].clone(), inbox["can_write"].clone()), (json!(false), json!(can_write)));
        assert_eq!(read["media_types"], json!(["application/stix+json;version=2.1"]));
    }
    let one = tget(&base, &format!("/taxii2/api/collections/{READ_COLLECTION}/"), r).await;
    assert_eq!(one.json()["alias"], "spyglass");
    assert_taxii_error(&tget(&base, "/taxii2/api/collections/no-such-collection/", r).await, 404, "unknown collection");
    assert_taxii_error(&tget(&base, "/taxii2/nothing/here/", r).await, 404, "unknown TAXII path");

    // Accept: 406 for anything that does not admit TAXII 2.1
    for accept in ["application/json", "application/taxii+json;version=2.0", "text/html", "application/stix+json;version=2.1"] {
        let x = tget_accept(&base, "/taxii2/", r, Some(accept)).await;
        assert_taxii_error(&x, 406, accept);
    }
    for accept in ["application/taxii+json", "*/*", "application/taxii+json; version=2.1", "text/html, */*;q=0.1"] {
        let x = tget_accept(&base, OBJECTS, r, Some(accept)).await;
        assert_eq!(x.status, 200, "{accept}: {}", x.body);
        assert_eq!(x.content_type, MEDIA_TYPE);
    }

    // tokens: none or unknown → 401; `Token <key>` (taxii2-client's TokenAuth) works like Bearer
    for token in [None, Some("spy_0000")] {
        let x = tget(&base, OBJECTS, token).await;
        assert_taxii_error(&x, 401, "no token");
        assert!(x.headers.get("www-authenticate").is_some());
        assert!(!x.body.contains("incident--"));
    }
    let tok = send(
        reqwest::Client::new()
            .get(format!("{base}/taxii2/api/collections/"))
            .header("Accept", MEDIA_TYPE)
            .header("Authorization", format!("Token {reader}")),
    )
    .await;
    assert_eq!(tok.status, 200, "{}", tok.body);

    // The read collection is the export: same ids, same versions.
    let export = get(&base, "/api/v1/export/stix", r).await.json();
    let exported = objects_of(&export);
    let n = exported.len();
    assert!(n > 20, "quick start exports {n} objects");
    let all = tget(&base, &format!("{OBJECTS}?limit={n}"), r).await;
    let allv = all.json();
    assert_eq!(allv["more"], false);
    let served = objects_of(&allv);
    let mut a1 = served.clone();
    let mut a2 = exported.clone();
    a1.sort_by_key(|o| o["id"].as_str().unwrap().to_string());
    a2.sort_by_key(|o| o["id"].as_str().unwrap().to_string());
    assert_eq!(a1, a2, "the read collection serves exactly the export's objects");

    // manifest: one record per object, sorted by date_added, same headers
    let man = manifest(&base, &reader).await;
    assert_eq!(man.len(), n);
    for m in &man {
        assert_eq!(m["media_type"], "application/stix+json;version=2.1");
        let o = served.iter().find(|o| o["id"] == m["id"]).unwrap();
        assert_eq!(m["version"], o.get("modified").unwrap_or(&o["created"]).clone());
        assert!(m["date_added"].as_str().unwrap().ends_with('Z'));
    }
    let dates: Vec<&str> = man.iter().map(|m| m["date_added"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "manifest not sorted by date_added");
    assert_eq!(all.headers["x-taxii-date-added-first"].to_str().unwrap(), dates[0]);
    assert_eq!(all.headers["x-taxii-date-added-last"].to_str().unwrap(), dates[n - 1]);
    let served_order: Vec<String> = ids_of(&served);
    let man_order: Vec<String> = man.iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(served_order, man_order, "objects and manifest in the same order");

    // date_added is the batch time: the second batch's incident is after every quick-start incident
    let added = |id: &str| man.iter().find(|m| m["id"] == id).unwrap()["date_added"].as_str().unwrap().to_string();
    let incidents: Vec<&Value> = served.iter().filter(|o| o["type"] == "incident").collect();
    let later = incidents.iter().find(|o| o["name"] == "Later incident").unwrap()["id"].as_str().unwrap().to_string();
    let first_batch_max =
        incidents.iter().filter(|o| o["id"] != later.as_str()).map(|o| added(o["id"].as_str().unwrap())).max().unwrap();
    assert!(added(&later) > first_batch_max, "{} vs {first_batch_max}", added(&later));
    let after = tget(&base, &format!("{OBJECTS}?added_after={first_batch_max}"), r).await.json();
    let after_ids = ids_of(&objects_of(&after));
    assert!(after_ids.contains(&later), "added_after misses the later incident");
    for i in &incidents {
        let id = i["id"].as_str().unwrap().to_string();
        assert_eq!(after_ids.contains(&id), id == later, "{id} after {first_batch_max}");
    }
    let expect_after = man.iter().filter(|m| m["date_added"].as_str().unwrap() > first_batch_max.as_str()).count();
    assert_eq!(after_ids.len(), expect_after);
    let none = tget(&base, &format!("{OBJECTS}?added_after={}", dates[n - 1]), r).await;
    assert_eq!(none.json(), json!({"more": false}), "nothing after the last date_added");
    assert!(none.headers.get("x-taxii-date-added-first").is_none());

    // pagination boundaries: 1 per page, a size that does not divide n, n-1, n, more than n
    for limit in [1, 7, n - 1, n, n + 5] {
        let (objs, pages) = walk(&base, OBJECTS, &reader, limit).await;
        assert_eq!(ids_of(&objs), served_order, "limit {limit}");
        assert_eq!(pages, n.div_ceil(limit).max(1), "pages with limit {limit}");
    }
    // next combines with added_after and match[type]
    let (objs, _) = walk(&base, &format!("{OBJECTS}?match[type]=incident,relationship&added_after={}", dates[0]), &reader, 3).await;
    let want: Vec<String> = man
        .iter()
        .filter(|m| m["date_added"].as_str().unwrap() > dates[0])
        .map(|m| m["id"].as_str().unwrap().to_string())
        .filter(|id| id.starts_with("incident--") || id.starts_with("relationship--"))
        .collect();
    assert_eq!(ids_of(&objs), want);
    let (mobjs, _) = walk(&base, "/taxii2/api/collections/spyglass/manifest/", &reader, 5).await;
    assert_eq!(mobjs, man, "manifest pages");

    // filters
    let inc = tget(&base, &format!("{OBJECTS}?match[type]=incident"), r).await.json();
    assert_eq!(objects_of(&inc).len(), incidents.len());
    assert!(objects_of(&inc).iter().all(|o| o["type"] == "incident"));
    let (id1, id2) = (served_order[3].clone(), served_order[n - 2].clone());
    let two = tget(&base, &format!("{OBJECTS}?match[id]={id1},{id2}"), r).await.json();
    assert_eq!(ids_of(&objects_of(&two)), vec![id1.clone(), id2.clone()]);
    for v in ["last", "first", "all"] {
        assert_eq!(objects_of(&tget(&base, &format!("{OBJECTS}?match[version]={v}"), r).await.json()).len(), n, "{v}");
    }
    let ver = man.iter().find(|m| m["id"] == id1.as_str()).unwrap()["version"].as_str().unwrap().to_string();
    let at = tget(&base, &format!("{OBJECTS}?match[id]={id1}&match[version]={ver}"), r).await.json();
    assert_eq!(objects_of(&at).len(), 1);
    let old = tget(&base, &format!("{OBJECTS}?match[id]={id1}&match[version]=1999-01-01T00:00:00.000Z"), r).await.json();
    assert_eq!(old, json!({"more": false}));
    assert_eq!(objects_of(&tget(&base, &format!("{OBJECTS}?match[spec_version]=2.1"), r).await.json()).len(), n);
    assert_eq!(objects_of(&tget(&base, &format!("{OBJECTS}?match[spec_version]=2.0"), r).await.json()).len(), 0);
    for bad in ["limit=0", "limit=-1", "limit=ten", "added_after=yesterday", "next=xyz", "match[version]=newest", "sort=id", "limit=1&limit=2"] {
        assert_taxii_error(&tget(&base, &format!("{OBJECTS}?{bad}"), r).await, 400, bad);
    }

    // one object, its versions
    let obj = tget(&base, &format!("{OBJECTS}{later}/"), r).await;
    assert_eq!(obj.content_type, MEDIA_TYPE);
    assert_eq!(ids_of(&objects_of(&obj.json())), vec![later.clone()]);
    let vers = tget(&base, &format!("{OBJECTS}{later}/versions/"), r).await.json();
    assert_eq!(vers["versions"], json!([man.iter().find(|m| m["id"] == later.as_str()).unwrap()["version"]]));
    assert_taxii_error(&tget(&base, &format!("{OBJECTS}incident--00000000-0000-4000-8000-000000000000/"), r).await, 404, "absent object");

    // the inbox cannot be read; the read collection cannot be written
    assert_taxii_error(&tget(&base, INBOX, a).await, 403, "GET inbox");
    assert_taxii_error(&tget(&base, "/taxii2/api/collections/inbox/manifest/", a).await, 403, "inbox manifest");
    let body = serde_json::to_vec(&envelope()).unwrap();
    assert_taxii_error(&tpost(&base, OBJECTS, a, MEDIA_TYPE, body.clone()).await, 403, "POST to the read collection");
    // POST: reader 403, wrong content type 415, bad bodies 400, DELETE 405
    assert_taxii_error(&tpost(&base, INBOX, r, MEDIA_TYPE, body.clone()).await, 403, "reader POST");
    for ct in ["application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0", ""] {
        assert_taxii_error(&tpost(&base, INBOX, a, ct, body.clone()).await, 415, ct);
    }
    assert_taxii_error(&tpost(&base, INBOX, a, MEDIA_TYPE, b"{\"objects\": [".to_vec()).await, 400, "truncated JSON");
    assert_taxii_error(&tpost(&base, INBOX, a, MEDIA_TYPE, b"{\"objects\": []}".to_vec()).await, 400, "empty envelope");
    let del = send(reqwest::Client::new().delete(format!("{base}{INBOX}")).header("Accept", MEDIA_TYPE).bearer_auth(&analyst)).await;
    assert_taxii_error(&del, 405, "DELETE");

    // POST an envelope: 202 with a status resource, then complete; the incident then counts
    let share_before = get(&base, "/api/v1/findings/share?by=sponsor", r).await.json();
    assert_eq!(sponsor_count(&share_before, "IS"), None);
    let p = tpost(&base, INBOX, a, "application/taxii+json; version=2.1", body.clone()).await;
    assert_eq!(p.status, 202, "{}", p.body);
    assert_eq!(p.content_type, MEDIA_TYPE);
    let st = p.json();
    let sid = st["id"].as_str().unwrap().to_string();
    let total = envelope()["objects"].as_array().unwrap().len() as u64;
    assert_eq!(st["total_count"].as_u64(), Some(total));
    assert_eq!(
        st["success_count"].as_u64().unwrap() + st["pending_count"].as_u64().unwrap() + st["failure_count"].as_u64().unwrap(),
        total
    );
    // the status is the poster's (and admins'), not every reader's
    assert_taxii_error(&tget(&base, &format!("/taxii2/api/status/{sid}/"), r).await, 404, "someone else's status");
    assert_taxii_error(&tget(&base, "/taxii2/api/status/no-such-status/", a).await, 404, "unknown status");
    let done = poll_status(&base, &sid, &analyst).await;
    assert_eq!(done["success_count"].as_u64(), Some(total), "{done}");
    assert_eq!(done["failure_count"].as_u64(), Some(0), "{done}");
    assert!(done["successes"][0]["message"].as_str().unwrap().contains("ingested in batch"), "{done}");
    assert_eq!(tget(&base, &format!("/taxii2/api/status/{sid}"), Some(admin.as_str())).await.status, 200);

    let share_after = get(&base, "/api/v1/findings/share?by=sponsor", r).await.json();
    assert_eq!(sponsor_count(&share_after, "IS"), Some(1), "{share_after}");
    assert_eq!(share_after["n"].as_u64(), share_before["n"].as_u64().map(|x| x + 1));
    let rec = get(&base, &format!("/api/v1/incidents/stix:{NEW_INCIDENT}"), r).await;
    assert_eq!(rec.status, 200, "{}", rec.body);
    let fresh = tget(&base, &format!("{OBJECTS}?added_after={}", dates[n - 1]), r).await.json();
    assert!(ids_of(&objects_of(&fresh)).contains(&NEW_INCIDENT.to_string()), "new incident not after the last date_added");

    // the same envelope again: already ingested, nothing counted twice
    let again = tpost(&base, INBOX, a, MEDIA_TYPE, body).await;
    assert_eq!(again.status, 202);
    let done = poll_status(&base, again.json()["id"].as_str().unwrap(), &analyst).await;
    assert!(done["successes"][0]["message"].as_str().unwrap().contains("already ingested"), "{done}");
    let share_again = get(&base, "/api/v1/findings/share?by=sponsor", r).await.json();
    assert_eq!(sponsor_count(&share_again, "IS"), Some(1));

    // an envelope spyglass reads nothing from: complete, every object a failure with the reason
    let lone = json!({"objects": [{"type": "indicator", "spec_version": "2.1", "id": "indicator--6a1f0e4e-2b7b-4bb4-9d54-3f4e0d1b0aff",
        "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z", "pattern": "[ipv4-addr:value = '198.51.100.1']",
        "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z"}]});
    let p = tpost(&base, INBOX, a, MEDIA_TYPE, serde_json::to_vec(&lone).unwrap()).await;
    let done = poll_status(&base, p.json()["id"].as_str().unwrap(), &analyst).await;
    assert_eq!((done["success_count"].as_u64(), done["failure_count"].as_u64()), (Some(0), Some(1)), "{done}");
    assert!(done["failures"][0]["message"].as_str().unwrap().contains("nothing recorded"), "{done}");
}

/// Each level's incidents carry a title marker only they have.
const LEVELS: [(Tlp, usize); 4] = [(Tlp::Clear, 3), (Tlp::Green, 2), (Tlp::Amber, 2), (Tlp::Red, 2)];

fn rank(t: Tlp) -> usize {
    Tlp::ALL.iter().position(|x| *x == t).unwrap()
}

fn tlp_corpus() -> String {
    let mut out = String::new();
    for (tlp, n) in LEVELS {
        let slug = tlp.as_str().replace('+', "-");
        for i in 1..=n {
            let line = json!({
                "id": format!("tlp-{slug}-{i}"), "title": format!("TAXIITLP-{}-{i}", slug.to_uppercase()),
                "start_date": format!("201{i}-03-01"), "sponsors": ["CN"], "sponsorship": "state",
                "actors": [format!("Marker {} Panda", slug.to_uppercase())], "verticals": ["software"],
                "tlp": tlp.as_str(), "source": "taxii tlp corpus",
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taxii_serves_nothing_above_the_token_clearance() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ingest(data, "tlp.jsonl", &tlp_corpus()).await;
    let tokens = TokenStore::new(data);
    // Highest clearance first, so a view shared across clearances would show as a leak.
    let mut readers = Vec::new();
    for t in [Tlp::Red, Tlp::Amber, Tlp::Green, Tlp::Clear] {
        readers.push((t, tokens.create(Role::Reader, t, None).unwrap().0));
    }
    let base = start(data).await;

    // Every incident's STIX id, from the fully cleared view.
    let (all, _) = walk(&base, &format!("{OBJECTS}?match[type]=incident"), &readers[0].1, 1000).await;
    let id_of = |title: &str| all.iter().find(|o| o["name"] == title).unwrap()["id"].as_str().unwrap().to_string();

    for (c, token) in &readers {
        let visible: usize = LEVELS.iter().filter(|l| rank(l.0) <= rank(*c)).map(|l| l.1).sum();
        let (objs, _) = walk(&base, OBJECTS, token, 4).await;
        let text = serde_json::to_string(&objs).unwrap();
        assert_eq!(objs.iter().filter(|o| o["type"] == "incident").count(), visible, "incidents as TLP:{c}");
        assert_eq!(ids_of(&objs).into_iter().collect::<BTreeSet<_>>(), export_ids(&base, token).await, "TLP:{c}: collection ≠ export");
        let man = manifest(&base, token).await;
        assert_eq!(man.len(), objs.len());
        for (tlp, n) in LEVELS {
            let slug = tlp.as_str().replace('+', "-").to_uppercase();
            let hidden = rank(tlp) > rank(*c);
            assert_eq!(!text.contains(&format!("TAXIITLP-{slug}")), hidden, "titles of TLP:{tlp} as TLP:{c}");
            assert_eq!(!text.contains(&format!("Marker {slug} Panda")), hidden, "actor of TLP:{tlp} as TLP:{c}");
            for i in 1..=n {
                let id = id_of(&format!("TAXIITLP-{slug}-{i}"));
                let one = tget(&base, &format!("{OBJECTS}{id}/"), Some(token.as_str())).await;
                let listed = man.iter().any(|m| m["id"] == id.as_str());
                let matched = objects_of(&tget(&base, &format!("{OBJECTS}?match[id]={id}"), Some(token.as_str())).await.json());
                if hidden {
                    assert_taxii_error(&one, 404, &format!("{id} as TLP:{c}"));
                    assert!(!one.body.contains("TAXIITLP"));
                    assert!(!listed && matched.is_empty(), "{id} listed as TLP:{c}");
                } else {
                    assert_eq!(one.status, 200, "{id} as TLP:{c}");
                    assert!(listed && matched.len() == 1);
                }
            }
        }
        // the TLP marking definitions served are exactly those of visible levels (CLEAR ones are left unmarked or marked CLEAR)
        for (tlp, _) in LEVELS {
            let marking = spyglass_report::stix::vocab::tlp_marking_id(tlp);
            if rank(tlp) > rank(*c) {
                assert!(!text.contains(marking), "marking {tlp} as TLP:{c}");
            }
        }
    }
}

fn taxii2_client() -> Option<String> {
    let found = Command::new("python3")
        .args(["-c", "import importlib.metadata as m; print(m.version('taxii2-client'))"])
        .output()
        .ok()
        .filter(|o| o.status.success());
    match found {
        Some(o) => Some(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        None => {
            if std::env::var("SPYGLASS_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
                panic!("SPYGLASS_REQUIRE_PYTHON=1 but the Python package taxii2-client is not installed (pip install -r tests/reference/requirements.txt)");
            }
            eprintln!("skipped: the Python package taxii2-client is not installed (pip install -r tests/reference/requirements.txt)");
            None
        }
    }
}

/// Runs by the stock client: discovery, API root, collections, every object page by page with
/// `added_after`, the manifest, then an envelope added to the inbox (waiting on its status), then
/// the objects added after the last `date_added` seen.
const CLIENT: &str = r#"
import json, sys
from taxii2client.v21 import Server, as_pages
from taxii2client.common import TokenAuth

base, reader, analyst, per, envelope_path = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
out = {}
server = Server(base + "/taxii2/", auth=TokenAuth(reader))
out["title"] = server.title
out["api_roots"] = [r.url for r in server.api_roots]
root = server.default
out["root_title"] = root.title
out["versions"] = root.versions
out["collections"] = sorted([c.id, c.alias, c.can_read, c.can_write] for c in root.collections)
col = [c for c in root.collections if c.alias == "spyglass"][0]

pages = list(as_pages(col.get_objects, per_request=per, added_after="1970-01-01T00:00:00Z"))
out["pages"] = len(pages)
out["page_sizes"] = [len(p.get("objects", [])) for p in pages]
out["ids"] = [o["id"] for p in pages for o in p.get("objects", [])]
manifest = [m for p in as_pages(col.get_manifest, per_request=per) for m in p.get("objects", [])]
out["manifest"] = manifest
dates = sorted(m["date_added"] for m in manifest)
mid = dates[len(dates) // 2]
out["mid"] = mid
out["after_mid"] = [o["id"] for p in as_pages(col.get_objects, per_request=per, added_after=mid) for o in p.get("objects", [])]
last_seen = dates[-1]

writer = Server(base + "/taxii2/", auth=TokenAuth(analyst))
inbox = [c for c in writer.default.collections if c.alias == "inbox"][0]
with open(envelope_path) as f:
    envelope = json.load(f)
status = inbox.add_objects(envelope, wait_for_completion=True, poll_interval=0.2, timeout=120)
out["status"] = {"status": status.status, "total": status.total_count, "success": status.success_count,
                 "failure": status.failure_count, "failures": status.failures}
out["after_post"] = [o["id"] for p in as_pages(col.get_objects, per_request=per, added_after=last_seen) for o in p.get("objects", [])]
print(json.dumps(out))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taxii2_client_discovers_pages_and_adds_an_envelope() {
    let Some(version) = taxii2_client() else { return };
    eprintln!("using taxii2-client {version}");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    two_batches(&data).await;
    let tokens = TokenStore::new(&data);
    let reader = tokens.create(Role::Reader, Tlp::Amber, Some("taxii2-client reader".into())).unwrap().0;
    let analyst = tokens.create(Role::Analyst, Tlp::Amber, Some("taxii2-client analyst".into())).unwrap().0;
    let base = start(&data).await;

    let exported = export_ids(&base, &reader).await;
    let n = exported.len();
    let per = n / 5 + 1; // several pages, the last one partial
    let share_before = get(&base, "/api/v1/findings/share?by=sponsor", Some(reader.as_str())).await.json();
    assert_eq!(sponsor_count(&share_before, "IS"), None);

    let env_path = dir.path().join("envelope.json");
    std::fs::write(&env_path, serde_json::to_vec(&envelope()).unwrap()).unwrap();
    let script = dir.path().join("client.py");
    std::fs::write(&script, CLIENT).unwrap();
    let args: Vec<String> = vec![
        script.display().to_string(),
        base.clone(),
        reader.clone(),
        analyst.clone(),
        per.to_string(),
        env_path.display().to_string(),
    ];
    let out = tokio::task::spawn_blocking(move || Command::new("python3").args(&args).output()).await.unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "taxii2-client run failed (exit {:?}):\n{stdout}\n{stderr}", out.status.code());
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("client output not JSON ({e}): {stdout}\n{stderr}"));
    eprintln!(
        "taxii2-client: {} objects in {} pages of {per}; {} after {}; status {}",
        v["ids"].as_array().unwrap().len(),
        v["pages"],
        v["after_mid"].as_array().unwrap().len(),
        v["mid"],
        v["status"]
    );

    assert_eq!(v["api_roots"], json!([format!("{base}/taxii2/api/")]));
    assert_eq!(v["root_title"], "spyglass");
    assert_eq!(v["versions"], json!([MEDIA_TYPE]));
    assert_eq!(
        v["collections"],
        json!([[INBOX_COLLECTION, "inbox", false, false], [READ_COLLECTION, "spyglass", true, false]]),
        "a reader sees a read collection and an inbox it cannot write"
    );
    // every object of the export, once, over several pages
    let ids: Vec<String> = v["ids"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), n, "objects paged vs the export");
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), exported);
    assert_eq!(v["pages"].as_u64(), Some(n.div_ceil(per) as u64));
    assert!(v["pages"].as_u64().unwrap() >= 3);
    // added_after from the manifest's dates: exactly the objects dated after it
    let man = v["manifest"].as_array().unwrap();
    assert_eq!(man.len(), n);
    let mid = v["mid"].as_str().unwrap();
    let want: BTreeSet<String> =
        man.iter().filter(|m| m["date_added"].as_str().unwrap() > mid).map(|m| m["id"].as_str().unwrap().to_string()).collect();
    let got: BTreeSet<String> = v["after_mid"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
    assert_eq!(got, want);
    assert!(!got.is_empty() && got.len() < n, "added_after {mid} selects {} of {n}", got.len());
    // the envelope was taken, and then counts
    assert_eq!(v["status"]["status"], "complete", "{}", v["status"]);
    assert_eq!(v["status"]["total"].as_u64(), Some(envelope()["objects"].as_array().unwrap().len() as u64));
    assert_eq!(v["status"]["success"], v["status"]["total"], "{}", v["status"]);
    let after_post: Vec<&str> = v["after_post"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(after_post.contains(&NEW_INCIDENT), "the new incident is not in the read collection after the POST: {after_post:?}");

    let share_after = get(&base, "/api/v1/findings/share?by=sponsor", Some(reader.as_str())).await.json();
    assert_eq!(sponsor_count(&share_after, "IS"), Some(1), "{share_after}");
    assert_eq!(share_after["n"].as_u64(), share_before["n"].as_u64().map(|x| x + 1));
    let rec = get(&base, &format!("/api/v1/incidents/stix:{NEW_INCIDENT}"), Some(reader.as_str())).await;
    assert_eq!(rec.status, 200, "{}", rec.body);
    assert!(rec.body.contains("Glacier Heron"), "{}", rec.body);
}
