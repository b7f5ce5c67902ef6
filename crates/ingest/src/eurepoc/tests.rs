use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;
use crate::ReadOutcome;

const HEADER: &str = "ID,name,description,start_date,end_date,incident_type,receiver_name,receiver_country,receiver_category,receiver_category_subcode,initiator_name,initiator_country,initiator_category,initiator_category_subcode,attribution_date,attribution_basis,attributing_actor,attribution_it_company,attributing_country,data_theft";

fn row(id: &str, countries: &str, cats: &str) -> String {
    format!(
        "{id},Op {id},\"desc, with comma\",2019-05-01,,Data theft; Disruption,\"[['Acme']]\",\"['Germany']\",\"[['Critical infrastructure']]\",\"[['Telecommunications']]\",\"['APT-X']\",\"{countries}\",\"{cats}\",,2019-06-01; 2019-06-01,IT-security community attributes attacker,,,,none"
    )
}

fn read_str(s: &str) -> ReadOutcome {
    crate::read_bytes(Path::new("t.csv"), s.as_bytes(), crate::Format::Eurepoc).unwrap()
}

fn sponsors(rec: &IncidentRecord) -> BTreeSet<(String, Sponsorship)> {
    rec.attributions
        .iter()
        .filter_map(|a| Some((a.sponsor.clone()?, a.sponsorship?)))
        .collect()
}

#[test]
fn parallel_lists_pair_by_index() {
    let out = read_str(&format!("{HEADER}\n{}\n", row("1", "['China', 'Russia']", "['State', 'Non-state-group']")));
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "eurepoc:1");
    assert_eq!(
        sponsors(rec),
        BTreeSet::from([("CN".into(), Sponsorship::State), ("RU".into(), Sponsorship::Unknown)])
    );
    assert_eq!(rec.incident.types, vec![IncidentType::DataTheft, IncidentType::Disruption]);
    assert_eq!(rec.incident.data_theft, Some(false));
    assert_eq!(rec.victims[0].vertical, Some(Vertical::Telecom));
    assert_eq!(rec.victims[0].country.as_deref(), Some("DE"));
    assert_eq!(rec.attributions[0].attributed_on, chrono::NaiveDate::from_ymd_opt(2019, 6, 1));
}

#[test]
fn eurepoc_misaligned_initiator_lists_pair_every_country_with_every_category() {
    let out = read_str(&format!(
        "{HEADER}\n{}\n",
        row("2", "['Israel', 'United States']", "['State']")
    ));
    let rec = &out.records[0];
    assert_eq!(
        sponsors(rec),
        BTreeSet::from([("IL".into(), Sponsorship::State), ("US".into(), Sponsorship::State)])
    );
    let out = read_str(&format!(
        "{HEADER}\n{}\n",
        row("3", "['China', 'China']", "['Non-state actor, state-affiliation suggested', 'Non-state-group', 'State']")
    ));
    assert_eq!(out.records[0].attributions.len(), 6);
    assert!(sponsors(&out.records[0]).contains(&("CN".into(), Sponsorship::StateAffiliated)));
}

#[test]
fn placeholders_are_not_sponsors_and_regions_are_reported() {
    let out = read_str(&format!(
        "{HEADER}\n{}\n",
        row("4", "['Unknown', 'Not available', 'Asia (region)']", "['State', 'State', 'State']")
    ));
    assert!(sponsors(&out.records[0]).is_empty());
    assert_eq!(out.unmapped_countries.keys().collect::<Vec<_>>(), vec!["Asia (region)"]);
}

#[test]
fn broken_list_syntax_names_line_and_column() {
    let text = format!(
        "{HEADER}\n{}\n{}\n",
        row("5", "['China', 'Russia'", "['State', 'State']"),
        row("6", "['China']", "['State']")
    );
    let out = read_str(&text);
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].place, "line 2, column initiator_country");
    assert!(out.skipped[0].reason.contains("unclosed"), "{}", out.skipped[0].reason);
}

#[test]
fn non_utf8_byte_names_line_and_column() {
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend(row("7", "['China']", "['State']").replace("desc", "d\u{1}sc").into_bytes());
    let pos = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[pos] = 0xff;
    bytes.push(b'\n');
    bytes.extend(format!("{}\n", row("8", "['China']", "['State']")).into_bytes());
    let out = crate::read_bytes(Path::new("t.csv"), &bytes, crate::Format::Eurepoc).unwrap();
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.skipped[0].place, "line 2, column description");
    assert!(out.skipped[0].reason.contains("UTF-8"));
}

#[test]
fn truncated_file_reports_the_short_record() {
    let full = format!("{HEADER}\n{}\n{}\n", row("9", "['China']", "['State']"), row("10", "['Iran, Islamic Republic of']", "['State']"));
    let cut = &full[..full.len() - 60];
    let out = read_str(cut);
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].place, "line 3");
    assert!(out.skipped[0].reason.contains("truncated"), "{}", out.skipped[0].reason);
}

#[test]
fn duplicate_ids_are_skipped() {
    let out = read_str(&format!("{HEADER}\n{}\n{}\n", row("11", "[]", "[]"), row("11", "[]", "[]")));
    assert_eq!(out.records.len(), 1);
    assert!(out.skipped[0].reason.contains("duplicate"));
}

#[test]
fn missing_columns_is_a_file_error() {
    let err = crate::read_bytes(Path::new("t.csv"), b"ID,name\n1,x\n", crate::Format::Eurepoc).unwrap_err();
    assert!(err.to_string().contains("missing columns"), "{err}");
}

/// The real file: every row reads, and the sponsor rule applied to the claims gives the counts
/// an independent Python count gives (599 incidents with a state sponsor; CN 185, RU 120, IR 86,
/// KP 69 — `tests/reference/eurepoc_sponsors.py`).
#[test]
fn real_eurepoc_reads_every_row() {
    let path = spyglass_testkit::require_shared!("eurepoc/EuRepoC_Global_Database_1.1.csv");
    let bytes = std::fs::read(&path).unwrap();
    let out = crate::read_bytes(&path, &bytes, crate::Format::Eurepoc).unwrap();
    assert_eq!(out.records.len(), 1643, "skipped: {:?}", out.skipped);
    assert!(out.skipped.is_empty());
    let mut n = 0;
    let mut per: BTreeMap<String, u64> = BTreeMap::new();
    for rec in &out.records {
        let s: BTreeSet<String> = rec
            .attributions
            .iter()
            .filter(|a| a.sponsorship.is_some_and(|s| s.is_state_backed()))
            .filter_map(|a| a.sponsor.clone())
            .collect();
        if !s.is_empty() {
            n += 1;
        }
        for c in s {
            *per.entry(c).or_default() += 1;
        }
    }
    assert_eq!(n, 599);
    assert_eq!(per["CN"], 185);
    assert_eq!(per["RU"], 120);
    assert_eq!(per["IR"], 86);
    assert_eq!(per["KP"], 69);
}
