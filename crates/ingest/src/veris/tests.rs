use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::{Format, ReadOutcome, read_bytes};

fn read_str(name: &str, s: &str) -> ReadOutcome {
    read_bytes(Path::new(name), s.as_bytes(), Format::Veris).unwrap()
}

const ONE: &str = r#"{"incident_id": "A-1", "schema_version": "1.3.2", "source_id": "vcdb",
 "summary": "Stolen designs.", "timeline": {"incident": {"year": 2009, "month": 12}},
 "action": {"hacking": {"variety": ["Use of stolen creds"]}, "malware": {"variety": ["Ransomware"]}},
 "actor": {"external": {"variety": ["State-affiliated"], "country": ["CN", "Unknown"], "motive": ["Espionage"],
   "name": ["6A323CB8-6DC7-433C-A0F7-3D4850194425"]}},
 "attribute": {"confidentiality": {"data": [{"variety": "Secrets"}], "data_disclosure": "Yes"}},
 "victim": {"victim_id": "Northrop Grumman", "country": ["US"], "industry": "334511"}}"#;

#[test]
fn maps_one_incident() {
    let out = read_str("a.json", ONE);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "veris:A-1");
    assert_eq!(rec.source_id, "veris:vcdb");
    assert_eq!(rec.incident.start_date, NaiveDate::from_ymd_opt(2009, 12, 1));
    assert_eq!(rec.incident.data_theft, Some(true));
    assert_eq!(
        rec.incident.types,
        vec![IncidentType::DataTheft, IncidentType::Espionage, IncidentType::Ransomware]
    );
    assert!(rec.incident.types_raw.contains(&"data: Secrets".to_string()));
    assert!(rec.incident.types_raw.contains(&"hacking: Use of stolen creds".to_string()));
    assert_eq!(rec.attributions.len(), 2);
    let a = &rec.attributions[0];
    assert_eq!((a.sponsor.as_deref(), a.sponsorship), (Some("CN"), Some(Sponsorship::StateAffiliated)));
    assert_eq!(a.sponsorship_raw.as_deref(), Some("external: State-affiliated"));
    assert_eq!(a.actor_raw, None);
    assert!(a.basis.as_deref().unwrap().contains("actor id: 6A323CB8"), "{:?}", a.basis);
    assert_eq!(rec.attributions[1].sponsor, None);
    let v = &rec.victims[0];
    assert_eq!((v.name.as_deref(), v.country.as_deref()), (Some("Northrop Grumman"), Some("US")));
    assert_eq!(v.category.as_deref(), Some("NAICS 334511"));
    assert_eq!(v.vertical, Some(spyglass_model::Vertical::HardwareElectronics));
}

#[test]
fn arrays_stream_and_bad_elements_are_skipped_with_paths() {
    let two = format!(
        "[{ONE}, {{\"incident_id\": \"B\", \"timeline\": {{\"incident\": {{\"year\": \"x\"}}}}}}, 3, {}]",
        ONE.replace("A-1", "C")
    );
    let out = read_str("all.json", &two);
    assert_eq!(out.records.len(), 2);
    let places: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(places, ["$[1].timeline.incident.year", "$[2]"]);
    assert_eq!(out.records[1].record_ref, "$[3] (incident_id C)");
}

#[test]
fn jsonl_loses_only_the_bad_line() {
    let one_line = ONE.replace('\n', " ");
    let text = format!("{one_line}\n{{\"incident_id\": \n{}\n", one_line.replace("A-1", "D"));
    let out = read_str("v.jsonl", &text);
    assert_eq!(out.records.len(), 2);
    assert!(out.skipped[0].place.starts_with("line 2"), "{:?}", out.skipped);
}

#[test]
fn truncated_array_keeps_what_was_read_and_garbage_is_a_file_error() {
    let text = format!("[{ONE}, {{\"incident_id\": ");
    let out = read_str("t.json", &text);
    assert_eq!(out.records.len(), 1);
    assert!(out.skipped[0].reason.contains("rest of the file"), "{:?}", out.skipped);
    let err = read_bytes(Path::new("x.json"), b"nope", Format::Veris).unwrap_err().to_string();
    assert!(err.contains("x.json line 1, column 2"), "{err}");
}

#[test]
fn dates_and_duplicates() {
    let bad = ONE.replace("\"month\": 12", "\"month\": 13");
    let out = read_str("b.json", &bad);
    assert_eq!(out.skipped[0].place, "$.timeline.incident");
    let out = read_str("d.json", &format!("[{ONE},{ONE}]"));
    assert_eq!(out.records.len(), 1);
    assert!(out.skipped[0].reason.contains("duplicate incident_id (first at $[0])"));
}

/// Counts from Python over the 100 sample files:
/// ```text
/// import json, glob, collections
/// recs = [json.load(open(f)) for f in glob.glob('../shared/data/veris-sample/*.json')]
/// ext = lambda r: r.get('actor', {}).get('external', {})
/// sa = sum('State-affiliated' in ext(r).get('variety', []) for r in recs)
/// ns = sum('Nation-state' in ext(r).get('variety', []) for r in recs)
/// st = collections.Counter(c for r in recs if set(ext(r).get('variety', [])) & {'State-affiliated', 'Nation-state'}
///                          for c in set(ext(r).get('country', [])))
/// yes = sum(r.get('attribute', {}).get('confidentiality', {}).get('data_disclosure') == 'Yes' for r in recs)
/// secrets = sum(any(d.get('variety') == 'Secrets' for d in r.get('attribute', {}).get('confidentiality', {}).get('data', [])) for r in recs)
/// print(len(recs), sa, ns, st, yes, secrets, sum(bool(r.get('summary')) for r in recs))
/// # 100 7 1 Counter({'CN': 5, 'Unknown': 2, 'RU': 1, 'KP': 1}) 70 6 93
/// ```
#[test]
fn real_veris_sample() {
    let dir = spyglass_testkit::require_shared!("veris-sample");
    let mut all = ReadOutcome::default();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(crate::sniff(&path, &bytes).unwrap(), Format::Veris, "{}", path.display());
        let mut input = bytes.as_slice();
        crate::read_into(&path, &mut input, bytes.len() as u64, Format::Veris, &mut all).unwrap();
    }
    assert!(all.skipped.is_empty(), "{:?}", all.skipped);
    assert_eq!(all.records.len(), 100);
    let count = |s: Sponsorship| {
        all.records.iter().filter(|r| r.attributions.iter().any(|a| a.sponsorship == Some(s))).count()
    };
    assert_eq!(count(Sponsorship::StateAffiliated), 7);
    assert_eq!(count(Sponsorship::State), 1);
    let mut by_country: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &all.records {
        let s: BTreeSet<&str> = r
            .attributions
            .iter()
            .filter(|a| a.sponsorship.is_some_and(Sponsorship::is_state_backed))
            .filter_map(|a| a.sponsor.as_deref())
            .collect();
        for c in s {
            *by_country.entry(c).or_default() += 1;
        }
    }
    assert_eq!(by_country, BTreeMap::from([("CN", 5), ("KP", 1), ("RU", 1)]));
    assert_eq!(all.records.iter().filter(|r| r.incident.data_theft == Some(true)).count(), 70);
    assert_eq!(all.records.iter().filter(|r| r.incident.types_raw.iter().any(|t| t == "data: Secrets")).count(), 6);
    assert_eq!(all.records.iter().filter(|r| r.incident.description.is_some()).count(), 93);
    assert!(all.records.iter().all(|r| r.incident.start_date.is_some()));
    assert_eq!(all.sources.len(), 1);
}
