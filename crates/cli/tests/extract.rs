//! Text extraction through the CLI and at ingest (text claims; structured fields win).

mod common;

use common::*;

#[test]
fn extract_contract_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let f = dir.path().join("r.md");
    std::fs::write(&f, "# Report\n\nThe **Chinese state-sponsored** group stole model weights from an AI lab.\n").unwrap();
    let v = stdout_json(&run(&data, &["extract", f.to_str().unwrap(), "--json"]));
    for key in ["actors", "sponsors", "state_sponsored", "vertical", "verticals", "ai_assets", "techniques", "cves", "iocs"] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["sponsors"][0]["country"], "CN");
    assert_eq!(v["ai_assets"][0]["category"], "model_weights");
    assert_eq!(v["state_sponsored"], true);

    let j = dir.path().join("in.jsonl");
    std::fs::write(&j, "{\"id\": \"a\", \"text\": \"AI-powered phishing lures hit a bank\"}\n{\"id\": 7, \"text\": \"exfiltrated training data\"}\n").unwrap();
    let out = run(&data, &["extract", "--jsonl", j.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["ai_assets"].as_array().unwrap().len(), 0, "AI as the attacker's tool is no asset");
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[1]["ai_assets"][0]["category"], "training_data");
}

#[test]
fn ingest_adds_text_labels_and_structured_fields_win() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let f = dir.path().join("t.jsonl");
    std::fs::write(
        &f,
        concat!(
            "{\"id\": \"t:1\", \"description\": \"Attackers exfiltrated model weights from a chipmaker.\"}\n",
            "{\"id\": \"t:2\", \"description\": \"A chipmaker lost training data.\", \"verticals\": [\"finance\"], \"assets\": [\"algorithms_code\"]}\n",
            "{\"id\": \"t:3\", \"description\": \"A bank was phished.\"}\n",
        ),
    )
    .unwrap();
    assert!(run(&data, &["ingest", f.to_str().unwrap()]).status.success());
    let v = stdout_json(&run(&data, &["sql", "SELECT incident_id, vertical FROM incident_verticals ORDER BY incident_id, vertical", "--json"]));
    assert_eq!(
        v,
        serde_json::json!([
            {"incident_id": "t:1", "vertical": "semiconductors"},
            {"incident_id": "t:2", "vertical": "finance"},
            {"incident_id": "t:3", "vertical": "finance"}
        ])
    );
    let v = stdout_json(&run(&data, &["sql", "SELECT incident_id, asset FROM incident_assets ORDER BY incident_id", "--json"]));
    assert_eq!(
        v,
        serde_json::json!([{"incident_id": "t:1", "asset": "model_weights"}, {"incident_id": "t:2", "asset": "algorithms_code"}])
    );
    // The evidence is kept with the text claim.
    let v = stdout_json(&run(&data, &["sql", "SELECT evidence, method FROM assets WHERE incident_id = 't:1'", "--json"]));
    assert_eq!(v, serde_json::json!([{"evidence": "model weights", "method": "text"}]));
    // Structured only: the text labels disappear.
    let v = stdout_json(&run(&data, &["share", "--by", "asset", "--structured-only", "--json"]));
    assert_eq!(share_counts(&v).get("model_weights"), None);
    // --no-extract ingests without text claims.
    let d2 = dir.path().join("d2");
    assert!(run(&d2, &["ingest", "--no-extract", f.to_str().unwrap()]).status.success());
    let v = stdout_json(&run(&d2, &["sql", "SELECT count(*) AS n FROM assets WHERE method = 'text'", "--json"]));
    assert_eq!(v[0]["n"], 0);
}
