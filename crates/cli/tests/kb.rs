//! The actor knowledge base through the CLI: load, resolve, merge/split, update from a mirror.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::*;

const MISP: &[&str] = &[
    "misp-galaxy/threat-actor.json",
    "misp-galaxy/microsoft-activity-group.json",
    "misp-galaxy/mitre-intrusion-set.json",
    "attack/groups-campaigns-lookup-v18.1.json",
];

fn kb_files() -> Option<Vec<PathBuf>> {
    MISP.iter().map(|f| spyglass_testkit::shared_data(f)).collect()
}

fn resolve(data: &Path, names: &[&str]) -> serde_json::Value {
    let mut args = vec!["actor", "resolve", "--json"];
    args.extend(names);
    let out = run(data, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout_json(&out)
}

#[test]
fn load_resolve_merge_split() {
    let Some(files) = kb_files() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let mut args: Vec<String> = vec!["kb".into(), "load".into(), "--json".into()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&data, &args_ref);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert!(v["files"].as_array().unwrap().iter().all(|f| f["status"] == "loaded" && f["claims"].as_u64().unwrap() > 100));

    // Re-loading is idempotent.
    let out = run(&data, &args_ref);
    let v = stdout_json(&out);
    assert!(v["files"].as_array().unwrap().iter().all(|f| f["status"] == "already_loaded"));

    // Aliases of one group resolve to one actor and sponsor, in input order.
    let v = resolve(&data, &["APT28", "Fancy Bear", "Forest Blizzard", "Brass Typhoon", "WICKED PANDA", "Sofacy"]);
    let arr = v.as_array().unwrap();
    assert_eq!(arr[0]["query"], "APT28");
    for r in &arr[..2] {
        assert_eq!(r["sponsor"], "RU", "{r}");
    }
    assert_eq!(arr[0]["actor"]["id"], arr[1]["actor"]["id"]);
    assert_eq!(arr[0]["actor"]["id"], arr[5]["actor"]["id"]);
    assert_eq!(arr[3]["sponsor"], "CN");
    assert_eq!(arr[4]["sponsor"], "CN");
    for key in ["query", "resolved", "actor", "sponsor", "sponsorship", "confidence", "basis", "aliases", "conflicts"] {
        assert!(arr[0].get(key).is_some(), "missing {key}");
    }
    // A never-seen name that follows a vendor convention.
    let v = resolve(&data, &["GLITTERING PANDA", "Velvet Sandstorm"]);
    assert_eq!(v[0]["sponsor"], "CN");
    assert_eq!(v[1]["sponsor"], "IR");

    // Merge then split restores the previous resolution exactly.
    let before = resolve(&data, &["APT29", "UNC2452"]);
    let out = run(&data, &["actor", "merge", "APT29", "UNC2452", "--reason", "test merge", "--analyst", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = resolve(&data, &["APT29", "UNC2452"]);
    assert_eq!(merged[0]["actor"]["id"], merged[1]["actor"]["id"]);
    let out = run(&data, &["actor", "split", "APT29", "UNC2452", "--reason", "test split", "--analyst", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(resolve(&data, &["APT29", "UNC2452"]), before);
    let show = stdout(&run(&data, &["actor", "show", "APT29"]));
    assert!(show.contains("test merge") && show.contains("test split"), "{show}");

    let list = stdout_json(&run(&data, &["actor", "list", "--sponsor", "KP", "--json"]));
    assert!(list.as_array().unwrap().len() > 10);
    assert!(list.as_array().unwrap().iter().all(|a| a["sponsor"] == "KP"));
}

/// Serves files under `root` over HTTP/1.0 on loopback; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let path = req.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            let file = root.join(&path);
            let resp = if !path.contains("..") && file.is_file() {
                let body = std::fs::read(&file).unwrap();
                let mut r = format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\nContent-Type: application/json\r\n\r\n", body.len()).into_bytes();
                r.extend(body);
                r
            } else {
                b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()
            };
            let _ = s.write_all(&resp);
        }
    });
    format!("http://{addr}")
}

#[test]
fn update_from_a_loopback_mirror() {
    if kb_files().is_none() {
        return;
    }
    let root = spyglass_testkit::shared_root();
    let url = serve(root);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let out = run(&data, &["kb", "update", "--from", &url, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 4);
    let r = resolve(&data, &["Charming Kitten"]);
    assert_eq!(r[0]["sponsor"], "IR");
    // A mirror without the files is a clear error.
    let out = run(&data, &["kb", "update", "--from", &format!("{url}/nowhere")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("404"), "{}", stderr(&out));
}
