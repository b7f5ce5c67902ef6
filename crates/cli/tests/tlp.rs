//! TLP clearance: a claim marked above the reader's clearance is absent from every view and count.

mod common;

use common::*;

const LEVELS: [&str; 5] = ["clear", "green", "amber", "amber+strict", "red"];

#[test]
fn claims_above_the_clearance_are_invisible_even_as_counts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let file = dir.path().join("marked.jsonl");
    // One CN incident per level, plus an unmarked RU incident (counts as clear); level i gets i+1
    // victims so a leak would also show in victim counts.
    let mut lines = Vec::new();
    for (i, level) in LEVELS.iter().enumerate() {
        let victims: Vec<String> =
            (0..=i).map(|v| format!(r#"{{"name":"Victim {level} {v}","vertical":"software"}}"#)).collect();
        lines.push(format!(
            r#"{{"id":"t:{level}","title":"Intrusion marked {level}","sponsors":["CN"],"sponsorship":"state","tlp":"{level}","victims":[{}]}}"#,
            victims.join(",")
        ));
    }
    lines.push(r#"{"id":"t:unmarked","title":"Unmarked intrusion","sponsors":["RU"],"sponsorship":"state"}"#.into());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = run(&data, &["ingest", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    for (i, level) in LEVELS.iter().enumerate() {
        let share = stdout_json(&run(&data, &["share", "--tlp", level, "--json"]));
        assert_eq!(share["n"].as_u64(), Some(i as u64 + 2), "at {level}: {share}");
        let q = |sql: &str| stdout_json(&run(&data, &["sql", sql, "--tlp", level, "--json"]))[0]["n"].as_u64().unwrap();
        assert_eq!(q("SELECT count(*) AS n FROM incident_sponsors WHERE sponsor = 'CN'"), i as u64 + 1, "at {level}");
        assert_eq!(q("SELECT count(*) AS n FROM victims"), ((i + 1) * (i + 2) / 2) as u64, "at {level}");
        assert_eq!(q("SELECT count(*) AS n FROM incidents"), i as u64 + 2, "at {level}");
        assert!(share["method"]["policy_text"].as_str().unwrap_or_default().contains("TLP:"), "{share}");
    }
    // Without --tlp the local owner sees everything.
    assert_eq!(stdout_json(&run(&data, &["share", "--json"]))["n"].as_u64(), Some(6));
    assert!(run(&data, &["share", "--tlp", "purple"]).status.code() == Some(2), "unknown level is bad usage");
}
