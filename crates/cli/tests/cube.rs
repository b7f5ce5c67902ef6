//! The findings cube (`spyglass_analysis::cube`) answers exactly as the policy views do, on the
//! real sources with every complication the views handle: several sources, ATLAS exercises, KB
//! sponsors, a confirmed same-as pair, TLP markings, text labels, superseding re-ingest.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// Runs `args` with the cube and with `SPYGLASS_NO_CUBE=1`; returns both JSON documents.
fn both(data: &Path, args: &[&str]) -> (Value, Value) {
    let cube = run(data, args);
    assert!(cube.status.success(), "{args:?}: {}", stderr(&cube));
    let views = spyglass(data).env("SPYGLASS_NO_CUBE", "1").args(args).output().expect("spawn");
    assert!(views.status.success(), "{args:?} (views): {}", stderr(&views));
    (stdout_json(&cube), stdout_json(&views))
}

/// The counts and intervals of a share document (`engine` aside).
fn share_part(v: &Value) -> Value {
    serde_json::json!({"n": v["n"], "rows": v["rows"], "suppressed": v["suppressed"]})
}

fn assert_same_share(data: &Path, args: &[&str], expect_engine: &str) {
    let (c, v) = both(data, args);
    assert_eq!(share_part(&c), share_part(&v), "{args:?}: the cube and the views disagree");
    assert_eq!(c["method"]["engine"], expect_engine, "{args:?}");
    assert_eq!(v["method"]["engine"], "views", "{args:?}");
    if let (Some(a), Some(b)) = (c.get("sensitivity"), v.get("sensitivity")) {
        assert_eq!(a, b, "{args:?}: sensitivity differs");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_cube_answers_as_the_views_do() {
    let Some(eu) = spyglass_testkit::shared_data("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let Some(cfr) = spyglass_testkit::shared_data("cfr/cfr_attacker_coded.csv") else { return };
    let Some(atlas) = spyglass_testkit::shared_data("atlas/ATLAS.yaml") else { return };
    let Some(galaxy) = spyglass_testkit::shared_data("misp-galaxy/threat-actor.json") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let marked = dir.path().join("marked.jsonl");
    write(
        &marked,
        concat!(
            r#"{"id": "m:1", "start_date": "2021-03-01", "sponsors": ["CN"], "sponsorship": "state", "confidence": 40, "verticals": ["software"], "assets": ["model_weights"], "types": ["data_theft"], "tlp": "amber", "source": "marked feed"}"#,
            "\n",
            r#"{"id": "m:2", "start_date": "2022-05-01", "sponsors": ["RU"], "sponsorship": "state-affiliated", "confidence": 90, "verticals": ["cloud_hosting"], "types": ["espionage"], "tlp": "red", "source": "marked feed"}"#,
            "\n",
            r#"{"id": "m:3", "start_date": "2023-07-01", "sponsors": ["KP"], "sponsorship": "state", "confidence": 70, "verticals": ["ai_research"], "assets": ["training_data", "algorithms_code"], "types": ["data_theft"], "tlp": "green", "source": "marked feed"}"#,
            "\n",
            r#"{"id": "m:4", "description": "Chinese state-sponsored hackers stole model weights from an AI start-up.", "source": "marked feed"}"#,
            "\n"
        ),
    );
    let out = run(&data, &["ingest", eu.to_str().unwrap(), cfr.to_str().unwrap(), atlas.to_str().unwrap(), marked.to_str().unwrap()]);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 2), "{}", stderr(&out));
    assert!(run(&data, &["kb", "load", galaxy.to_str().unwrap()]).status.success());
    assert!(run(&data, &["dedup", "scan"]).status.success());
    let out = run(&data, &["dedup", "confirm", "eurepoc:1194", "cfr:targeting-of-visma-2019-02-06", "--reason", "same", "--analyst", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Every dimension the cube folds, unfiltered; the actor dimension stays on the views.
    for by in ["sponsor", "vertical", "asset", "type", "year"] {
        assert_same_share(&data, &["share", "--by", by, "--json"], "cube");
    }
    assert_same_share(&data, &["share", "--by", "actor", "--json"], "views");

    // Every filter, alone and combined, on the sponsor dimension.
    let filters: &[&[&str]] = &[
        &["--state-sponsored"],
        &["--sponsorship", "state-affiliated,criminal"],
        &["--vertical", "tech"],
        &["--vertical", "telecom,finance"],
        &["--asset", "any"],
        &["--asset", "model_weights,training_data"],
        &["--type", "data_theft"],
        &["--since", "2015"],
        &["--until", "2012"],
        &["--since", "2016", "--until", "2019"],
        &["--source", "CFR Cyber Operations Tracker"],
        &["--source", "marked feed,eurepoc"],
        &["--state-sponsored", "--type", "data_theft", "--vertical", "tech", "--since", "2010"],
        &["--state-sponsored", "--sensitivity"],
        &["--state-sponsored", "--tlp", "green"],
        &["--state-sponsored", "--tlp", "clear", "--kb-sponsors", "fill"],
        &["--state-sponsored", "--text-sponsors", "add", "--min-confidence", "50"],
        &["--structured-only", "--include-exercises", "--no-collapse"],
        &["--state-sponsored", "--duplicate-min-score", "confirmed", "--state-only"],
    ];
    for f in filters {
        let mut args = vec!["share", "--by", "sponsor", "--json"];
        args.extend_from_slice(f);
        assert_same_share(&data, &args, "cube");
    }
    for by in ["vertical", "asset", "year"] {
        assert_same_share(&data, &["share", "--by", by, "--state-sponsored", "--vertical", "tech", "--json"], "cube");
    }

    // Claim check (share and pairwise) and compare.
    for claim in ["CN share > 0.5", "CN > RU", "RU share < 0.3"] {
        let (c, v) = both(&data, &["claim-check", claim, "--state-sponsored", "--json"]);
        for k in ["verdict", "estimate", "ci_low", "ci_high", "n"] {
            assert_eq!(c[k], v[k], "claim {claim}: {k}");
        }
    }
    let (c, v) = both(&data, &["compare", "--by", "sponsor", "--period", "2010:2016", "--period", "2017:2023", "--state-sponsored", "--json"]);
    assert_eq!(c["rows"], v["rows"]);
    assert_eq!(c["method"]["n_a"], v["method"]["n_a"]);

    // Trend and priorities read their per-period series from the cube too.
    let series: &[&[&str]] = &[
        &["trend", "--by", "year", "--state-sponsored", "--json"],
        &["trend", "--by", "quarter", "--sponsor", "CN", "--json"],
        &["trend", "--by", "year", "--vertical", "tech", "--since", "2005", "--json"],
        &["priorities", "--sponsor", "CN", "--json"],
        &["priorities", "--sponsor", "RU", "--by", "quarter", "--json"],
    ];
    for args in series {
        let (c, v) = both(&data, args);
        assert_eq!(c, v, "{args:?}: the cube and the views disagree");
    }

    // A new batch moves the store's fingerprint: the next answer includes it.
    let before = stdout_json(&run(&data, &["share", "--by", "sponsor", "--json"]))["n"].as_u64().unwrap();
    let more = dir.path().join("more.jsonl");
    write(&more, "{\"id\": \"more:1\", \"start_date\": \"2024-01-01\", \"sponsors\": [\"IR\"], \"sponsorship\": \"state\", \"source\": \"more\"}\n");
    assert!(run(&data, &["ingest", more.to_str().unwrap()]).status.success());
    let after = stdout_json(&run(&data, &["share", "--by", "sponsor", "--json"]));
    assert_eq!(after["n"].as_u64().unwrap(), before + 1);
    assert_same_share(&data, &["share", "--by", "sponsor", "--state-sponsored", "--json"], "cube");
    let cache: Vec<_> = std::fs::read_dir(data.join("_cache")).unwrap().flatten().collect();
    assert!(!cache.is_empty(), "the cube is cached in the data directory");

    // Two sources reporting under one incident id: the fold would not be exact, the views answer.
    let dup = dir.path().join("dup.jsonl");
    write(&dup, "{\"id\": \"m:3\", \"start_date\": \"2019-01-01\", \"sponsors\": [\"IR\"], \"sponsorship\": \"state\", \"source\": \"second feed\"}\n");
    assert!(run(&data, &["ingest", dup.to_str().unwrap()]).status.success());
    assert_same_share(&data, &["share", "--by", "sponsor", "--state-sponsored", "--json"], "views");
}
