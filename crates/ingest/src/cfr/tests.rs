use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::{Format, ReadOutcome, read_bytes};

const HEADER: &str = "Title,Date,Affiliations,Description,Response,Victims,Sponsor,Type,Category,Sources_1,Sources_2,Sources_3,sponsor_cow,sponsor_flag";

fn read_str(s: &str) -> ReadOutcome {
    read_bytes(Path::new("cfr.csv"), s.as_bytes(), Format::Cfr).unwrap()
}

#[test]
fn maps_a_row() {
    let csv = format!(
        "{HEADER}\nFlame,2012-05-28,\"Equation Group\",A tool.,,\"Iran, Israel, Ministry of Foreign Affairs, Europe\",\"United States, Israel\",Data destruction,\"Military, Private sector\",http://a,,,2,MULTI_SPONSOR_PRIMARY\n"
    );
    let out = read_str(&csv);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "cfr:flame-2012-05-28");
    assert_eq!(rec.incident.types, vec![IncidentType::Destruction]);
    assert_eq!(rec.record_ref, "line 2 (sponsor_flag MULTI_SPONSOR_PRIMARY (sponsor_cow 2))");
    let countries: Vec<Option<&str>> = rec.victims.iter().map(|v| v.country.as_deref()).collect();
    assert_eq!(countries, [Some("IR"), Some("IL"), None, None]);
    assert_eq!(rec.victims[2].name.as_deref(), Some("Ministry of Foreign Affairs"));
    assert_eq!(rec.victims[3].country_raw.as_deref(), Some("Europe"));
    assert!(rec.victims.iter().all(|v| v.vertical.is_none() && v.category.as_deref() == Some("Military, Private sector")));
    let pairs: Vec<(Option<&str>, Option<&str>)> =
        rec.attributions.iter().map(|a| (a.actor_raw.as_deref(), a.sponsor.as_deref())).collect();
    assert_eq!(pairs, [(Some("Equation Group"), Some("US")), (Some("Equation Group"), Some("IL"))]);
    assert!(rec.attributions.iter().all(|a| a.sponsorship == Some(Sponsorship::State)));
    assert!(rec.attributions[0].basis.as_deref().unwrap().contains("MULTI_SPONSOR_PRIMARY"));
}

#[test]
fn prose_affiliations_go_to_basis_and_empty_sponsor_gives_no_sponsor() {
    let csv = format!(
        "{HEADER}\nBlue Termite,2015-08-20,Believed to be the work of the Chinese government,x,,Japan,,Espionage,Government,,,,710,INFERRED_MEDIUM\n"
    );
    let out = read_str(&csv);
    let rec = &out.records[0];
    assert_eq!(rec.victims[0].vertical, Some(Vertical::Government));
    assert_eq!(rec.attributions.len(), 1);
    let a = &rec.attributions[0];
    assert_eq!((a.actor_raw.as_deref(), a.sponsor.as_deref(), a.sponsorship), (None, None, None));
    assert!(a.basis.as_deref().unwrap().starts_with("affiliations: Believed"), "{:?}", a.basis);
}

#[test]
fn actor_name_lists_and_prose() {
    assert_eq!(actor_names("Fancy Bear, APT 28").unwrap(), ["Fancy Bear", "APT 28"]);
    assert_eq!(actor_names("Tonto Team or TA428").unwrap(), ["Tonto Team", "TA428"]);
    assert_eq!(actor_names("Chafer?").unwrap(), ["Chafer"]);
    assert_eq!(actor_names("Government of China").unwrap(), ["Government of China"]);
    assert_eq!(actor_names("").unwrap(), Vec::<String>::new());
    assert!(actor_names("Believed to be the work of APT 28.").is_none());
    assert!(actor_names("APTs associated with Beijing").is_none());
    assert!(actor_names("Also known as Magnallium and Elfin. Suspected to be linked to Shamoon.").is_none());
}

#[test]
fn cfr_shifted_columns_are_skipped_not_invented() {
    let csv = format!(
        "{HEADER}\nNorway,2020-10-13,Government of Russia,x,Norwegian politicians,Russian Federation,Espionage,Government,https://bbc,https://mid.ru,,,710,COLUMN_SHIFT_FIX\n"
    );
    let out = read_str(&csv);
    assert!(out.records.is_empty());
    assert_eq!(out.skipped[0].place, "line 2");
    assert!(out.skipped[0].reason.contains("Sponsor holds \"Espionage\""), "{}", out.skipped[0].reason);
    assert!(out.skipped[0].reason.contains("COLUMN_SHIFT_FIX"));
}

#[test]
fn same_title_and_date_get_content_suffixes() {
    let row = |aff: &str| format!("Roshan,2021-09-28,{aff},x,,Roshan,China,Espionage,Private sector,,,,710,\n");
    let csv = format!("{HEADER}\n{}{}{}", row("RedFoxTrot"), row("Calypso"), row("Calypso"));
    let out = read_str(&csv);
    assert_eq!(out.records.len(), 2);
    assert_eq!(out.records[0].incident.id, "cfr:roshan-2021-09-28");
    assert!(out.records[1].incident.id.starts_with("cfr:roshan-2021-09-28-"));
    assert_eq!(out.records[1].incident.id.len(), "cfr:roshan-2021-09-28-".len() + 6);
    assert!(out.skipped[0].reason.contains("duplicate of line 3"), "{:?}", out.skipped);
}

#[test]
fn bad_rows_name_line_and_column() {
    let csv = format!("{HEADER}\nA,2020-13-01,,x,,,China,Espionage,,,,,,\nB,2020\n,2020-01-01,,x,,,,,,,,,,\n");
    let out = read_str(&csv);
    assert!(out.records.is_empty());
    let places: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(places, ["line 2, column Date", "line 3", "line 4, column Title"]);
    let err = read_bytes(Path::new("x.csv"), b"Title,Date\nA,B\n", Format::Cfr).unwrap_err().to_string();
    assert!(err.contains("missing columns") && err.contains("Victims"), "{err}");
}

#[test]
fn slugs_are_ascii() {
    assert_eq!(slug("Targeting of Poland?? War Studies University"), "targeting-of-poland-war-studies-university");
    assert_eq!(slug("??"), "untitled");
    assert!(slug(&"a b ".repeat(100)).len() <= 80);
}

/// Counts from /tmp-free Python (run from the repository root):
/// ```text
/// import csv, collections
/// TYPES = {"Espionage","Sabotage","Denial of service","Data destruction","Financial Theft","Defacement","Doxing"}
/// CATS = {"Government","Private sector","Civil society","Military"}
/// f = open('../shared/data/cfr/cfr_attacker_coded.csv', encoding='utf-8', newline='')
/// r = csv.DictReader(f); rows = []; prev = 1
/// for row in r: rows.append((prev + 1, row)); prev = r.line_num
/// parts = lambda s: [p.strip().strip('"').strip() for p in s.split(',') if p.strip().strip('"').strip()]
/// shifted = [l for l, x in rows if any(p in TYPES or p in CATS for p in parts(x['Sponsor']))
///            or any(p not in TYPES for p in parts(x['Type'])) or any(p not in CATS for p in parts(x['Category']))]
/// ok = [x for l, x in rows if l not in shifted]
/// c = collections.Counter(p for x in ok for p in set(parts(x['Sponsor'])))
/// print(len(rows), shifted, sum(1 for x in ok if parts(x['Sponsor'])), c['China'], c['Russian Federation'],
///       c['Iran (Islamic Republic of)'], c["Korea (Democratic People's Republic of)"])
/// # 713 [37, 38, 39, 40, 41, 42, 43] 687 262 158 95 79
/// ```
#[test]
fn real_cfr_tracker() {
    let path = spyglass_testkit::require_shared!("cfr/cfr_attacker_coded.csv");
    let bytes = std::fs::read(&path).unwrap();
    let out = read_bytes(&path, &bytes, Format::Cfr).unwrap();
    assert_eq!(out.records_seen, 713);
    let skipped_lines: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(skipped_lines, ["line 37", "line 38", "line 39", "line 40", "line 41", "line 42", "line 43"]);
    assert!(out.skipped.iter().all(|s| s.reason.contains("COLUMN_SHIFT_FIX")));
    assert_eq!(out.records.len(), 713 - 7);
    let with_sponsor = out.records.iter().filter(|r| r.attributions.iter().any(|a| a.sponsor.is_some())).count();
    assert_eq!(with_sponsor, 687, "unmapped: {:?}", out.unmapped_countries);
    let mut by_sponsor: BTreeMap<String, usize> = BTreeMap::new();
    for r in &out.records {
        let s: std::collections::BTreeSet<&str> = r.attributions.iter().filter_map(|a| a.sponsor.as_deref()).collect();
        for c in s {
            *by_sponsor.entry(c.to_string()).or_default() += 1;
        }
    }
    assert_eq!(by_sponsor["CN"], 262);
    assert_eq!(by_sponsor["RU"], 158);
    assert_eq!(by_sponsor["IR"], 95);
    assert_eq!(by_sponsor["KP"], 79);
    let ids: std::collections::HashSet<&str> = out.records.iter().map(|r| r.incident.id.as_str()).collect();
    assert_eq!(ids.len(), out.records.len());
    assert!(ids.contains("cfr:flame-2012-05-28"));
    // Every sponsor name in the file maps to a country.
    assert!(out.unmapped_countries.is_empty(), "{:?}", out.unmapped_countries);
}
