//! Cross-source duplicates: EuRepoC and CFR report some operations twice; a confirmed pair counts once.

mod common;

use common::*;

#[test]
fn eurepoc_and_cfr_duplicates_are_found_and_a_confirmed_pair_counts_once() {
    let Some(eu) = spyglass_testkit::shared_data("eurepoc/EuRepoC_Global_Database_1.1.csv") else { return };
    let Some(cfr) = spyglass_testkit::shared_data("cfr/cfr_attacker_coded.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let out = run(&data, &["ingest", eu.to_str().unwrap(), cfr.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "CFR has 7 shifted rows, listed and skipped");

    let base = stdout_json(&run(&data, &["share", "--state-sponsored", "--json"]))["n"].as_u64().unwrap();
    let out = run(&data, &["dedup", "scan"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = stdout_json(&run(&data, &["dedup", "review", "--limit", "400", "--json"]));
    let rows = rows.as_array().unwrap();
    let has = |a: &str, b: &str| rows.iter().any(|r| r["incident_a"] == a && r["incident_b"] == b);
    // Known pairs: the same operation in both datasets.
    assert!(has("cfr:targeting-of-visma-2019-02-06", "eurepoc:1194"), "Visma (APT10, MSP compromise era)");
    assert!(has("cfr:compromise-of-airbus-suppliers-2019-09-26", "eurepoc:1087"), "Airbus suppliers");
    assert!(has("cfr:ghostnet-2009-03-28", "eurepoc:85"), "GhostNet");
    // The Cloud Hopper-era MSP compromise: EuRepoC's 2014–2018 campaign and CFR's 2018 indictment
    // entry share few words; the analyst finds it among the incident's own candidates.
    let rows578 = stdout_json(&run(&data, &["dedup", "review", "--incident", "eurepoc:578", "--limit", "5", "--json"]));
    let msp = "cfr:compromise-of-managed-service-providers-and-technology-companies-2018-12-20";
    assert!(
        rows578.as_array().unwrap().iter().any(|r| r["incident_a"] == msp && r["incident_b"] == "eurepoc:578"),
        "{rows578:#}"
    );
    assert!(rows578.as_array().unwrap().iter().all(|r| r["incident_a"] == "eurepoc:578" || r["incident_b"] == "eurepoc:578"));
    let sorted: Vec<f64> = rows.iter().filter_map(|r| r["score"].as_f64()).collect();
    assert!(sorted.windows(2).all(|w| w[0] >= w[1]), "best first");

    // Scored candidates below the policy's threshold do not change the count; a confirmation does.
    let after_scan = stdout_json(&run(&data, &["share", "--state-sponsored", "--duplicate-min-score", "confirmed", "--json"]));
    assert_eq!(after_scan["n"].as_u64().unwrap(), base);
    let out = run(&data, &["dedup", "confirm", "eurepoc:1194", "cfr:targeting-of-visma-2019-02-06", "--reason", "same Visma intrusion", "--analyst", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let confirmed = stdout_json(&run(&data, &["share", "--state-sponsored", "--duplicate-min-score", "confirmed", "--json"]));
    assert_eq!(confirmed["n"].as_u64().unwrap(), base - 1, "the pair counts once");
    let cn = |v: &serde_json::Value| share_counts(v)["CN"];
    assert_eq!(cn(&confirmed), cn(&after_scan) - 1);
    let uncollapsed = stdout_json(&run(&data, &["share", "--state-sponsored", "--no-collapse", "--json"]));
    assert_eq!(uncollapsed["n"].as_u64().unwrap(), base);
    // Rejecting it (a later analyst claim) undoes the grouping.
    let out = run(&data, &["dedup", "reject", "eurepoc:1194", "cfr:targeting-of-visma-2019-02-06", "--reason", "changed my mind"]);
    assert!(out.status.success());
    let rejected = stdout_json(&run(&data, &["share", "--state-sponsored", "--duplicate-min-score", "confirmed", "--json"]));
    assert_eq!(rejected["n"].as_u64().unwrap(), base);
    let review = stdout(&run(&data, &["dedup", "review", "--limit", "5"]));
    assert!(review.contains("rejected") && review.contains("changed my mind"), "{review}");
    // Unknown incidents are bad input.
    assert_eq!(run(&data, &["dedup", "confirm", "eurepoc:1194", "nope:1"]).status.code(), Some(2));
}
