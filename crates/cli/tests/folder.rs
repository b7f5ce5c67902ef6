//! A folder of text reports: every file under it is one batch and one report-incident whose claims
//! come from extraction; hidden files are left out; a bad file does not lose the others.

mod common;

use common::*;

#[test]
fn a_folder_of_reports_ingests_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join("2024")).unwrap();
    std::fs::write(
        reports.join("a.txt"),
        "Operation Example\n\nA Chinese state-sponsored group (APT41) stole model weights from an AI start-up using T1566.001.",
    )
    .unwrap();
    std::fs::write(reports.join("2024/b.md"), "# Blizzard at a chip maker\n\nA Russian state-sponsored group exfiltrated chip designs from a semiconductor firm.").unwrap();
    std::fs::write(
        reports.join("2024/c.html"),
        "<html><head><title>Sleet</title><script>var x=1;</script></head><body><p>North Korean state-sponsored hackers stole training data.</p></body></html>",
    )
    .unwrap();
    std::fs::write(reports.join(".hidden.txt"), "not a report").unwrap();
    std::fs::write(reports.join("2024/broken.json"), "{\"not\": ").unwrap();

    let out = run(&data, &["ingest", reports.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2), "the broken file is bad input: {}", stderr(&out));
    let doc = stdout_json(&out);
    let files = doc["files"].as_array().unwrap();
    let names: Vec<String> = files.iter().map(|f| f["path"].as_str().unwrap_or_default().rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(names, ["b.md", "broken.json", "c.html", "a.txt"], "{doc}");
    let n = |sql: &str| stdout_json(&run(&data, &["sql", sql, "--json"]))[0]["n"].as_u64().unwrap();
    assert_eq!(n("SELECT count(*) AS n FROM incidents"), 3, "three reports, the broken file and the hidden one left out");
    assert_eq!(n("SELECT count(DISTINCT batch_id) AS n FROM incidents"), 3, "one batch per file");
    // Sponsors from the words of each report (text sponsors on: the reports have no structured fields).
    let rows = stdout_json(&run(&data, &["sql", "SELECT sponsor FROM incident_sponsors ORDER BY sponsor", "--text-sponsors", "fill", "--json"]));
    let sponsors: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["sponsor"].as_str().unwrap()).collect();
    assert_eq!(sponsors, ["CN", "KP", "RU"], "{rows}");
    assert_eq!(n("SELECT count(*) AS n FROM techniques WHERE technique_id = 'T1566.001' AND method = 'text'"), 1);
    assert_eq!(n("SELECT count(*) AS n FROM assets WHERE category = 'model_weights'"), 1);
    // Again: nothing new.
    let again = run(&data, &["ingest", reports.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(n("SELECT count(*) AS n FROM incidents"), 3);
}
