use std::path::Path;

use super::*;
use crate::{Format, ReadOutcome, read_bytes};

fn read_str(s: &str) -> ReadOutcome {
    read_bytes(Path::new("e.json"), s.as_bytes(), Format::Misp).unwrap()
}

const EVENT: &str = r##"{"Event": {"id": "7", "uuid": "u-1", "info": "OSINT - APT28", "date": "2017-12-21",
 "threat_level_id": "1", "Orgc": {"name": "CIRCL", "uuid": "org-1"},
 "Tag": [{"name": "tlp:green"}, {"name": "tlp:amber"}, {"name": "workflow:state=\"incomplete\""},
         {"name": "ecsirt:malicious-code=\"ransomware\""}, {"name": "misp-galaxy:threat-actor=\"Sofacy\""},
         {"name": "misp-galaxy:threat-actor=\"Turla\""}, {"name": "misp-galaxy:sector=\"Telecoms\""}],
 "Galaxy": [{"type": "threat-actor", "GalaxyCluster": [{"value": "Sofacy", "tag_name": "misp-galaxy:threat-actor=\"Sofacy\"",
   "meta": {"country": ["RU"], "attribution-confidence": ["50"]}}]},
  {"type": "mitre-intrusion-set", "GalaxyCluster": [{"value": "APT1 - G0006", "meta": {"cfr-suspected-state-sponsor": "China"}}]}],
 "Attribute": [{"type": "text", "value": "A long write-up."}, {"type": "domain", "value": "evil.example"}],
 "Object": [{"name": "file", "Attribute": []}],
 "EventReport": [{"content": "# Heading\n\n**bold** text"}]}}"##;

#[test]
fn maps_an_event() {
    let out = read_str(EVENT);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "misp:u-1");
    assert_eq!(rec.source_id, "misp:org-1");
    assert_eq!(out.sources[0].name, "MISP: CIRCL");
    assert_eq!(rec.incident.tlp, Some(Tlp::Amber));
    assert_eq!(rec.incident.types, vec![IncidentType::Ransomware]);
    assert_eq!(rec.incident.types_raw, ["threat-level: high", "ecsirt:malicious-code=\"ransomware\""]);
    let d = rec.incident.description.as_deref().unwrap();
    assert!(d.starts_with("A long write-up.") && d.contains("Heading") && !d.contains("**"), "{d}");
    assert_eq!(rec.record_ref, "$.Event (event 7, uuid u-1; 2 attributes, 1 objects)");
    type Row<'a> = (Option<&'a str>, Option<&'a str>, Option<Sponsorship>, Option<u8>);
    let got: Vec<Row<'_>> = rec
        .attributions
        .iter()
        .map(|a| (a.actor_raw.as_deref(), a.sponsor.as_deref(), a.sponsorship, a.confidence))
        .collect();
    assert_eq!(
        got,
        [
            (Some("Sofacy"), Some("RU"), None, Some(50)),
            (Some("APT1"), Some("CN"), Some(Sponsorship::State), None),
            (Some("Turla"), None, None, None),
        ]
    );
    assert!(rec.attributions.iter().all(|a| a.attributed_by.as_deref() == Some("CIRCL")));
    assert_eq!(rec.victims.len(), 1);
    assert_eq!(rec.victims[0].vertical, Some(spyglass_model::Vertical::Telecom));
}

#[test]
fn response_arrays_stream_and_bad_events_are_skipped() {
    let text = format!("{{\"response\": [{EVENT}, {{\"Event\": {{\"info\": \"no uuid\"}}}}, {{\"x\": 1}}, {}]}}", EVENT.replace("u-1", "u-2"));
    let out = read_str(&text);
    assert_eq!(out.records.len(), 2);
    let places: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(places, ["$.response[1].Event.uuid", "$.response[2]"]);
    assert_eq!(out.records[1].record_ref.split(' ').next(), Some("$.response[3].Event"));
}

#[test]
fn bad_dates_and_types_name_the_path() {
    let out = read_str(&EVENT.replace("2017-12-21", "21/12/2017"));
    assert_eq!(out.skipped[0].place, "$.Event.date");
    let out = read_str(&EVENT.replace("\"Tag\": [", "\"Tag\": [3, "));
    assert_eq!(out.skipped[0].place, "$.Event.Tag[0]");
}

/// Expected values read off the three PyMISP test events with Python:
/// ```text
/// import json
/// for f in ['existing_event', 'galaxy_1', 'japanese_test']:
///     d = json.load(open(f'../shared/data/misp-events/{f}.json')); e = d.get('Event') or d
///     print(f, e['uuid'], e['date'], len(e['Attribute']), len(e.get('Object', [])),
///           [(g['type'], c['value'], c.get('meta', {}).get('country')) for g in e['Galaxy'] for c in g['GalaxyCluster']
///            if 'intrusion' in g['type'] or 'threat' in g['type']], [t['name'] for t in e['Tag'] if t['name'].startswith('tlp:')])
/// # existing_event 5a3c2fcd-8328-42bb-a95e-4f4402de0b81 2017-12-21 9 49 [('threat-actor', 'Sofacy', ['RU'])] ['tlp:white']
/// # galaxy_1 5acc88e9-265c-4f22-9d2b-b702950d210f 2018-04-09 4 2 [('mitre-intrusion-set', 'APT1 - G0006', None), ('mitre-intrusion-set', 'APT12 - G0005', None)] ['tlp:white']
/// # japanese_test 5c7cdc3b-2f40-4dca-8200-276c0a00020f 2019-03-04 1 0 [('mitre-intrusion-set', 'APT32 - G0050', None)] []
/// ```
#[test]
fn real_pymisp_events() {
    let read = |name: &str| {
        let path = spyglass_testkit::shared_data(&format!("misp-events/{name}.json"))?;
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(crate::sniff(&path, &bytes).unwrap(), Format::Misp);
        Some(read_bytes(&path, &bytes, Format::Misp).unwrap())
    };
    let Some(out) = read("existing_event") else { return };
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "misp:5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
    assert_eq!(rec.incident.start_date, chrono::NaiveDate::from_ymd_opt(2017, 12, 21));
    assert_eq!(rec.incident.tlp, Some(Tlp::Clear));
    assert!(rec.record_ref.ends_with("9 attributes, 49 objects)"), "{}", rec.record_ref);
    let actors: Vec<(Option<&str>, Option<&str>)> =
        rec.attributions.iter().map(|a| (a.actor_raw.as_deref(), a.sponsor.as_deref())).collect();
    assert_eq!(actors, [(Some("Sofacy"), Some("RU"))]);
    assert!(rec.incident.description.as_deref().unwrap().contains("Sednit group"));

    let Some(out) = read("galaxy_1") else { return };
    let rec = &out.records[0];
    let actors: Vec<&str> = rec.attributions.iter().filter_map(|a| a.actor_raw.as_deref()).collect();
    assert_eq!(actors, ["APT1", "APT12"]);
    assert!(rec.incident.types.contains(&IncidentType::Ransomware));

    let Some(out) = read("japanese_test") else { return };
    let rec = &out.records[0];
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(rec.incident.title.as_deref(), Some("Japanese Lorem Ipsum 条イ音態ぞゃご法説イシ技"));
    assert_eq!(out.sources[0].name, "MISP: ORGNAME 条イ音態ぞゃご法説イシ技");
    assert_eq!(rec.incident.tlp, None);
    let actors: Vec<&str> = rec.attributions.iter().filter_map(|a| a.actor_raw.as_deref()).collect();
    assert_eq!(actors, ["APT32"]);
    assert!(rec.incident.description.as_deref().unwrap().starts_with("条イ音態"));
}

#[test]
fn attack_pattern_clusters_and_tags_become_technique_claims() {
    let ev = r##"{"Event": {"uuid": "u-2", "info": "x", "date": "2020-01-01",
     "Tag": [{"name": "misp-galaxy:mitre-attack-pattern=\"Phishing - T1566\""},
             {"name": "misp-galaxy:mitre-attack-pattern=\"Spearphishing Attachment - T1566.001\""},
             {"name": "misp-galaxy:mitre-attack-pattern=\"No id here\""}],
     "Galaxy": [{"type": "mitre-attack-pattern", "GalaxyCluster": [{"value": "Phishing - T1566",
       "tag_name": "misp-galaxy:mitre-attack-pattern=\"Phishing - T1566\""}]}]}}"##;
    let out = read_str(ev);
    let t: Vec<(&str, Option<&str>)> = out.records[0].techniques.iter().map(|t| (t.id.as_str(), t.name.as_deref())).collect();
    assert_eq!(t, vec![("T1566", Some("Phishing")), ("T1566.001", Some("Spearphishing Attachment"))]);
    assert_eq!(technique_of("mitre-atlas-attack-pattern", "Extract AI Model - AML.T0024.002").map(|x| x.0).as_deref(), Some("AML.T0024.002"));
    assert_eq!(technique_of("mitre-attack-pattern", "Thing - G0006"), None);
}
