use std::path::Path;

use spyglass_model::{AiAsset, Reliability, Sponsorship, Tlp, Vertical};

use super::*;
use crate::{Format, ReadOutcome};

const GREEN_10: &str = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
const AMBER_20: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

fn read_str(s: &str) -> (ReadOutcome, StixStats) {
    read_opts(s, StixOptions::default())
}

fn read_opts(s: &str, opts: StixOptions) -> (ReadOutcome, StixStats) {
    let mut out = ReadOutcome::default();
    let mut input = s.as_bytes();
    let stats = read_with(Path::new("b.json"), &mut input, s.len() as u64, &mut out, opts).unwrap();
    (out, stats)
}

fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// A bundle where every relationship comes before or after what it links, in a mixed order.
fn bundle() -> String {
    let objs = [
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-02-01T00:00:00Z", "modified": "2020-02-01T00:00:00Z", "relationship_type": "attributed-to", "source_ref": "incident--{}", "target_ref": "campaign--{}", "object_marking_refs": ["{AMBER_20}"], "confidence": 80, "created_by_ref": "identity--{}"}}"#, uuid(1), uuid(10), uuid(20), uuid(50)),
        format!(r#"{{"type": "incident", "spec_version": "2.1", "id": "incident--{}", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "name": "Model theft", "description": "Weights copied.", "first_seen": "2019-12-24T10:00:00Z", "object_marking_refs": ["{GREEN_10}"], "x_opencti_id": "abc", "created_by_ref": "identity--{}"}}"#, uuid(10), uuid(50)),
        format!(r#"{{"type": "campaign", "spec_version": "2.1", "id": "campaign--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Old name"}}"#, uuid(20)),
        format!(r#"{{"type": "campaign", "spec_version": "2.1", "id": "campaign--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-06-01T00:00:00Z", "name": "Operation Wind", "first_seen": "2019-03-01T00:00:00Z"}}"#, uuid(20)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "attributed-to", "source_ref": "campaign--{}", "target_ref": "intrusion-set--{}"}}"#, uuid(2), uuid(20), uuid(30)),
        format!(r#"{{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "APT Example", "resource_level": "government"}}"#, uuid(30)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "originates-from", "source_ref": "intrusion-set--{}", "target_ref": "location--{}"}}"#, uuid(3), uuid(30), uuid(40)),
        format!(r#"{{"type": "location", "spec_version": "2.1", "id": "location--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "country": "CN"}}"#, uuid(40)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "attributed-to", "source_ref": "intrusion-set--{}", "target_ref": "threat-actor--{}"}}"#, uuid(4), uuid(30), uuid(31)),
        format!(r#"{{"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Unit 1", "threat_actor_types": ["nation-state"]}}"#, uuid(31)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "targets", "source_ref": "incident--{}", "target_ref": "identity--{}"}}"#, uuid(5), uuid(10), uuid(51)),
        format!(r#"{{"type": "identity", "spec_version": "2.1", "id": "identity--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Acme Telecom", "identity_class": "organization", "sectors": ["telecommunications"], "object_marking_refs": ["marking-definition--{}"]}}"#, uuid(51), uuid(60)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "located-at", "source_ref": "identity--{}", "target_ref": "location--{}"}}"#, uuid(6), uuid(51), uuid(41)),
        format!(r#"{{"type": "location", "spec_version": "2.1", "id": "location--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "country": "us"}}"#, uuid(41)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses", "source_ref": "incident--{}", "target_ref": "attack-pattern--{}"}}"#, uuid(7), uuid(10), uuid(70)),
        format!(r#"{{"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Extract AI Model", "external_references": [{{"source_name": "mitre-atlas", "external_id": "AML.T0024.002"}}]}}"#, uuid(70)),
        format!(r#"{{"type": "identity", "spec_version": "2.1", "id": "identity--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Example Intel", "identity_class": "organization", "x_opencti_reliability": "B - Usually reliable"}}"#, uuid(50)),
        format!(r#"{{"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--{}", "created": "2019-01-01T00:00:00Z", "definition_type": "tlp", "name": "TLP:RED", "definition": {{"tlp": "red"}}}}"#, uuid(60)),
        format!(r#"{{"type": "report", "spec_version": "2.1", "id": "report--{}", "created": "2020-03-01T00:00:00Z", "modified": "2020-03-01T00:00:00Z", "name": "APT Example unmasked", "published": "2020-03-02T00:00:00Z", "report_types": ["threat-report"], "object_refs": ["intrusion-set--{}", "indicator--{}", "attack-pattern--{}"]}}"#, uuid(80), uuid(30), uuid(99), uuid(70)),
        format!(r#"{{"type": "report", "spec_version": "2.1", "id": "report--{}", "created": "2020-03-01T00:00:00Z", "modified": "2020-03-01T00:00:00Z", "name": "About the incident", "published": "2020-03-03T00:00:00Z", "object_refs": ["incident--{}", "threat-actor--{}"]}}"#, uuid(81), uuid(10), uuid(32)),
        format!(r#"{{"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--{}", "created": "2019-01-01T00:00:00Z", "modified": "2019-01-01T00:00:00Z", "name": "Gang", "threat_actor_types": ["crime-syndicate"]}}"#, uuid(32)),
        format!(r#"{{"type": "sighting", "spec_version": "2.1", "id": "sighting--{}", "created": "2021-01-01T00:00:00Z", "modified": "2021-01-01T00:00:00Z", "first_seen": "2021-01-01T00:00:00Z", "sighting_of_ref": "intrusion-set--{}", "where_sighted_refs": ["identity--{}"]}}"#, uuid(90), uuid(30), uuid(51)),
        format!(r#"{{"type": "incident", "spec_version": "2.1", "id": "incident--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Withdrawn", "revoked": true}}"#, uuid(11)),
        format!(r#"{{"type": "x-foo", "id": "x-foo--{}", "x_bar": 1}}"#, uuid(1)),
        format!(r#"{{"type": "indicator", "spec_version": "2.1", "id": "indicator--{}", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "pattern": "[ipv4-addr:value = '1.2.3.4']", "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}}"#, uuid(99)),
    ];
    format!(r#"{{"objects": [{}], "type": "bundle", "id": "bundle--{}"}}"#, objs.join(",\n"), uuid(0))
}

#[test]
fn maps_a_bundle_with_forward_references() {
    let (out, stats) = read_str(&bundle());
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(stats.objects, 25);
    assert_eq!(stats.custom_types().get("x-foo"), Some(&1));
    assert_eq!(stats.custom_properties, 3);
    assert_eq!(stats.revoked, 1);
    assert_eq!(stats.versions_replaced, 1);
    let ids: Vec<&str> = out.records.iter().map(|r| r.incident.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("stix:incident--{}", uuid(10)),
            format!("stix:campaign--{}", uuid(20)),
            format!("stix:report--{}", uuid(80)),
            format!("stix:sighting--{}", uuid(90)),
        ]
    );

    let inc = &out.records[0];
    assert_eq!(inc.incident.title.as_deref(), Some("Model theft"));
    assert_eq!(inc.incident.description.as_deref(), Some("Weights copied."));
    assert_eq!(inc.incident.start_date, chrono::NaiveDate::from_ymd_opt(2019, 12, 24));
    assert_eq!(inc.incident.tlp, Some(Tlp::Red), "the victim identity is marked with a bundle-defined TLP:RED");
    assert_eq!(inc.source_id, "stix:example-intel");
    assert_eq!(out.sources.iter().find(|s| s.id == "stix:example-intel").unwrap().reliability, Some(Reliability::B));
    let actors: Vec<(Option<&str>, Option<&str>, Option<Sponsorship>)> =
        inc.attributions.iter().map(|a| (a.actor_raw.as_deref(), a.sponsor.as_deref(), a.sponsorship)).collect();
    assert_eq!(
        actors,
        [
            (Some("APT Example"), Some("CN"), None),
            (Some("Unit 1"), None, Some(Sponsorship::State)),
            (Some("Gang"), None, Some(Sponsorship::Criminal)),
        ]
    );
    assert_eq!(inc.attributions[0].sponsorship_raw.as_deref(), Some("resource_level: government"));
    assert_eq!(inc.attributions[0].basis.as_deref(), Some("STIX attributed-to → attributed-to APT Example"));
    assert!(inc.attributions[2].basis.as_deref().unwrap().contains("About the incident"));
    let v = &inc.victims[0];
    assert_eq!((v.name.as_deref(), v.country.as_deref(), v.vertical), (Some("Acme Telecom"), Some("US"), Some(Vertical::Telecom)));
    assert_eq!(inc.assets.len(), 1);
    assert_eq!(inc.assets[0].category, AiAsset::ModelWeights);
    assert_eq!(inc.techniques.len(), 1);
    assert_eq!((inc.techniques[0].id.as_str(), inc.techniques[0].name.as_deref()), ("AML.T0024.002", Some("Extract AI Model")));

    let camp = &out.records[1];
    assert_eq!(camp.incident.title.as_deref(), Some("Operation Wind"), "latest version wins");
    assert_eq!(camp.source_id, "stix:b");
    assert_eq!(camp.attributions.len(), 2);

    let rep = &out.records[2];
    assert_eq!(rep.incident.start_date, chrono::NaiveDate::from_ymd_opt(2020, 3, 2));
    assert_eq!(rep.incident.types_raw, ["threat-report"]);
    assert_eq!(rep.attributions[0].actor_raw.as_deref(), Some("APT Example"));
    assert_eq!(rep.attributions[0].attributed_on, chrono::NaiveDate::from_ymd_opt(2020, 3, 2));
    assert_eq!(rep.assets.len(), 1);

    let sighting = &out.records[3];
    assert_eq!(sighting.attributions[0].actor_raw.as_deref(), Some("APT Example"));
    assert_eq!(sighting.victims[0].name.as_deref(), Some("Acme Telecom"));
}

#[test]
fn bad_objects_are_skipped_with_their_path() {
    let objs = [
        format!(r#"{{"type": "campaign", "id": "campaign--{}", "created": 5, "name": "A"}}"#, uuid(1)),
        format!(r#"{{"type": "campaign", "id": "campaign--{}", "first_seen": "yesterday", "name": "B"}}"#, uuid(2)),
        r#"{"type": "campaign", "name": "C"}"#.to_string(),
        format!(r#"{{"type": "campaign", "id": "incident--{}"}}"#, uuid(3)),
        "\"just a string\"".to_string(),
        format!(r#"{{"type": "relationship", "id": "relationship--{}", "relationship_type": "targets", "source_ref": "campaign--{}"}}"#, uuid(4), uuid(5)),
        format!(r#"{{"type": "campaign", "id": "campaign--{}", "name": "Good"}}"#, uuid(6)),
    ];
    let (out, stats) = read_str(&format!(r#"{{"type": "bundle", "objects": [{}]}}"#, objs.join(",")));
    let got: Vec<(&str, &str)> = out.skipped.iter().map(|s| (s.place.as_str(), s.reason.as_str())).collect();
    assert_eq!(got[0], ("$.objects[0].created", "wrong type: found a number"));
    assert_eq!(got[1].0, "$.objects[1].first_seen");
    assert!(got[1].1.contains("invalid timestamp \"yesterday\""));
    assert_eq!(got[2], ("$.objects[2].id", "missing"));
    assert_eq!(got[3].0, "$.objects[3].id");
    assert_eq!(got[4], ("$.objects[4]", "expected an object, found a string"));
    assert_eq!(got[5], ("$.objects[5].target_ref", "missing"));
    assert_eq!(stats.skipped_objects, 6);
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.records[0].incident.title.as_deref(), Some("Good"));
}

#[test]
fn truncated_bundles_keep_what_was_read() {
    let b = bundle();
    let cut = &b[..b.find("\"type\": \"threat-actor\"").unwrap()];
    let (out, stats) = read_str(cut);
    assert_eq!(stats.objects, 9);
    assert!(!out.records.is_empty());
    let last = out.skipped.last().unwrap();
    assert!(last.place.starts_with("$.objects[9] (line "), "{}", last.place);
    assert!(last.reason.contains("rest of the file was not read"), "{}", last.reason);
}

#[test]
fn not_stix_is_a_file_error() {
    let mut out = ReadOutcome::default();
    let err = read(Path::new("x.json"), &mut &b"{\"foo\": 1}"[..], 10, &mut out).unwrap_err().to_string();
    assert!(err.contains("neither a STIX bundle nor a STIX object"), "{err}");
    let err = read(Path::new("x.json"), &mut &b"{\"type\": \"bundle\", \"objects\": [{\"a\""[..], 10, &mut out)
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.json $.objects[0] (line 1, column"), "{err}");
    let err = read(Path::new("x.json"), &mut &b""[..], 0, &mut out).unwrap_err().to_string();
    assert!(err.contains("EOF"), "{err}");
}

#[test]
fn a_byte_order_mark_is_fine() {
    let (out, _) = read_str(&format!("\u{feff}{}", bundle()));
    assert_eq!(out.records.len(), 4);
}

#[test]
fn single_objects_and_arrays() {
    let one = format!(r#"{{"type": "campaign", "spec_version": "2.1", "id": "campaign--{}", "name": "Solo"}}"#, uuid(1));
    let (out, stats) = read_str(&one);
    assert_eq!((stats.objects, out.records.len()), (1, 1));
    assert_eq!(out.records[0].record_ref, format!("$ (campaign--{})", uuid(1)));
    let (out, stats) = read_str(&format!("[{one}, {}]", one.replace(&uuid(1), &uuid(2))));
    assert_eq!((stats.objects, out.records.len()), (2, 2));
    assert!(out.records[1].record_ref.starts_with("$[1] "));
}

#[test]
fn a_later_revoked_relationship_version_withdraws_the_attribution() {
    let rel = |modified: &str, revoked: bool| {
        format!(
            r#"{{"type": "relationship", "id": "relationship--{}", "modified": "{modified}", "relationship_type": "attributed-to", "source_ref": "campaign--{}", "target_ref": "intrusion-set--{}", "revoked": {revoked}}}"#,
            uuid(1),
            uuid(2),
            uuid(3)
        )
    };
    let objs = [
        rel("2021-01-01T00:00:00Z", true),
        format!(r#"{{"type": "campaign", "id": "campaign--{}", "name": "C"}}"#, uuid(2)),
        format!(r#"{{"type": "intrusion-set", "id": "intrusion-set--{}", "name": "I"}}"#, uuid(3)),
        rel("2020-01-01T00:00:00Z", false),
    ];
    let (out, stats) = read_str(&format!(r#"{{"type": "bundle", "objects": [{}]}}"#, objs.join(",")));
    assert_eq!(stats.versions_replaced, 1);
    assert!(out.records[0].attributions.is_empty(), "{:?}", out.records[0].attributions);
    let (out, _) = read_str(&format!(r#"{{"type": "bundle", "objects": [{}]}}"#, objs[1..].join(",")));
    assert_eq!(out.records[0].attributions.len(), 1);
}

#[test]
fn descriptions_spill_to_disk_and_come_back() {
    let (out, stats) = read_opts(&bundle(), StixOptions { text_budget: 4 });
    assert!(stats.spilled_bytes > 0);
    assert_eq!(out.records[0].incident.description.as_deref(), Some("Weights copied."));
}

/// Object counts from Python `stix2` 3.x: `len(stix2.parse(open(f).read(), allow_custom=True).objects)`
/// (1 for the single campaign object):
/// ```text
/// import stix2, glob
/// for f in sorted(glob.glob('../shared/data/stix-examples/examples/**/*.json', recursive=True)) + ['../shared/data/atlas/stix-atlas.json']:
///     b = stix2.parse(open(f).read(), allow_custom=True); print(f, len(b.objects) if b.type == 'bundle' else 1)
/// ```
/// (stix2 rejects the OpenCTI bundles: they mark TLP:CLEAR with the TLP 1.0 WHITE id.)
const STIX2_COUNTS: &[(&str, u64)] = &[
    ("stix-examples/examples/indicator-for-c2-ip-address.json", 1),
    ("stix-examples/examples/indicator-to-campaign-relationship.json", 3),
    ("stix-examples/examples/indicators-for-C2-with-COA.json", 8),
    ("stix-examples/examples/infrastructure.json", 10),
    ("stix-examples/examples/interop-objectmarking-test.json", 1),
    ("stix-examples/examples/malicious-email-indicator-with-attachment.json", 6),
    ("stix-examples/examples/threat-reports/apt1.json", 76),
    ("stix-examples/examples/threat-reports/poisonivy.json", 155),
    ("atlas/stix-atlas.json", 538),
];

fn read_file(rel: &str) -> Option<(ReadOutcome, StixStats)> {
    let path = spyglass_testkit::shared_data(rel)?;
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(crate::sniff(&path, &bytes[..bytes.len().min(64 * 1024)]).unwrap(), Format::Stix, "{rel}");
    let mut out = ReadOutcome::default();
    let stats = read_with(&path, &mut bytes.as_slice(), bytes.len() as u64, &mut out, StixOptions::default()).unwrap();
    Some((out, stats))
}

#[test]
fn oasis_examples_match_python_stix2_counts() {
    for (rel, n) in STIX2_COUNTS {
        let Some((out, stats)) = read_file(rel) else { return };
        assert!(out.skipped.is_empty(), "{rel}: {:?}", out.skipped);
        assert_eq!(stats.objects, *n, "{rel}");
    }
}

#[test]
fn oasis_threat_reports() {
    let Some((out, _)) = read_file("stix-examples/examples/threat-reports/apt1.json") else { return };
    assert_eq!(out.records.len(), 1, "the APT1 report is one report-incident");
    let rec = &out.records[0];
    assert_eq!(rec.incident.title.as_deref(), Some("APT1: Exposing One of China's Cyber Espionage Units"));
    assert_eq!(rec.incident.start_date, chrono::NaiveDate::from_ymd_opt(2013, 2, 19));
    let actors: Vec<&str> = rec.attributions.iter().filter_map(|a| a.actor_raw.as_deref()).collect();
    assert!(actors.contains(&"APT1") && actors.contains(&"Unit 61398"), "{actors:?}");
    assert!(rec.victims.is_empty(), "APT1's identities are the attackers' personas, not victims");

    let Some((out, _)) = read_file("stix-examples/examples/threat-reports/poisonivy.json") else { return };
    let titles: Vec<&str> = out.records.iter().filter_map(|r| r.incident.title.as_deref()).collect();
    assert_eq!(titles, ["admin@338", "th3bug", "menuPass"], "the report wraps three campaigns");
    assert!(out.records.iter().all(|r| r.source_id == "stix:poisonivy"));

    let Some((out, _)) = read_file("stix-examples/examples/interop-objectmarking-test.json") else { return };
    assert_eq!(out.records[0].incident.tlp, Some(Tlp::Red));
}

#[test]
fn opencti_bundles_read_cleanly() {
    let Some(dir) = spyglass_testkit::shared_data("atlas/opencti-bundles") else { return };
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 8);
    let mut with_assets = 0;
    for f in &files {
        let rel = format!("atlas/opencti-bundles/{}", f.file_name().unwrap().to_string_lossy());
        let (out, stats) = read_file(&rel).unwrap();
        assert!(out.skipped.is_empty(), "{rel}: {:?}", out.skipped);
        assert_eq!(out.records.len(), 1, "{rel}: the report wraps its incident");
        let rec = &out.records[0];
        assert!(rec.incident.id.starts_with("stix:incident--"), "{rel}");
        assert_eq!(rec.incident.tlp, Some(Tlp::Clear), "{rel}");
        assert!(stats.custom_properties > 0);
        if !rec.assets.is_empty() {
            with_assets += 1;
        }
    }
    assert!(with_assets >= 1);
    let (out, _) = read_file("atlas/opencti-bundles/AMLCS0017_Report-New_Jersey_Man_Indicted_in_Fraud_Scheme_to_Steal_California_Unemployment.json").unwrap();
    let victims: Vec<&str> = out.records[0].victims.iter().filter_map(|v| v.name.as_deref()).collect();
    assert_eq!(victims, ["California Employment Development Department"]);
}

#[test]
fn atlas_stix_has_no_incidents_but_reads_cleanly() {
    let Some((out, stats)) = read_file("atlas/stix-atlas.json") else { return };
    assert!(out.skipped.is_empty() && out.records.is_empty());
    assert_eq!(stats.by_type.get("attack-pattern"), Some(&170));
    assert_eq!(stats.custom_types().get("x-mitre-tactic"), Some(&16));
}

/// What `spyglass export stix` writes reads back to the claims it was made from.
#[test]
fn spyglass_export_properties_read_back() {
    let objs = [
        format!(r#"{{"type": "incident", "spec_version": "2.1", "id": "incident--{}", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "name": "Weights theft", "first_seen": "2019-05-01T00:00:00.000Z", "incident_types": ["data_theft", "financial_theft", "exercise"], "x_spyglass_ai_assets": ["model_weights", "training_data", "not-an-asset"]}}"#, uuid(10)),
        format!(r#"{{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--{}", "created": "2019-01-01T00:00:00.000Z", "modified": "2019-01-01T00:00:00.000Z", "name": "Unidentified state-affiliated actor (China)", "x_spyglass_sponsorship": "state-affiliated", "x_spyglass_unnamed": true}}"#, uuid(30)),
        format!(r#"{{"type": "location", "spec_version": "2.1", "id": "location--{}", "created": "2019-01-01T00:00:00.000Z", "modified": "2019-01-01T00:00:00.000Z", "name": "China", "country": "CN"}}"#, uuid(40)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "relationship_type": "originates-from", "source_ref": "intrusion-set--{}", "target_ref": "location--{}"}}"#, uuid(1), uuid(30), uuid(40)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "relationship_type": "attributed-to", "source_ref": "incident--{}", "target_ref": "intrusion-set--{}", "confidence": 70}}"#, uuid(2), uuid(10), uuid(30)),
        format!(r#"{{"type": "identity", "spec_version": "2.1", "id": "identity--{}", "created": "2019-01-01T00:00:00.000Z", "modified": "2019-01-01T00:00:00.000Z", "name": "DeepLab", "identity_class": "organization", "sectors": ["ai-research", "technology"]}}"#, uuid(51)),
        format!(r#"{{"type": "relationship", "spec_version": "2.1", "id": "relationship--{}", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "relationship_type": "targets", "source_ref": "incident--{}", "target_ref": "identity--{}"}}"#, uuid(3), uuid(10), uuid(51)),
        format!(r#"{{"type": "report", "spec_version": "2.1", "id": "report--{}", "created": "2020-03-01T00:00:00.000Z", "modified": "2020-03-01T00:00:00.000Z", "name": "Share of incidents by sponsor: CN", "published": "2020-03-01T00:00:00.000Z", "report_types": ["threat-report"], "object_refs": ["incident--{}", "location--{}"], "object_marking_refs": ["{AMBER_20}"], "x_spyglass_finding": {{"by": "sponsor", "key": "CN", "n": 1}}}}"#, uuid(80), uuid(10), uuid(40)),
    ];
    let s = format!(r#"{{"type": "bundle", "id": "bundle--{}", "objects": [{}]}}"#, uuid(0), objs.join(",\n"));
    let (out, _) = read_str(&s);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(out.records.len(), 1, "the finding report is no incident");
    let r = &out.records[0];
    assert_eq!(r.incident.tlp, None, "the finding's marking does not reach the incident");
    assert_eq!(r.incident.types_raw, ["data_theft", "financial_theft", "exercise"]);
    assert_eq!(r.incident.types, [spyglass_model::IncidentType::DataTheft, spyglass_model::IncidentType::FinancialTheft]);
    assert_eq!(r.attributions.len(), 1);
    let a = &r.attributions[0];
    assert_eq!((a.actor_raw.as_deref(), a.sponsor.as_deref()), (None, Some("CN")));
    assert_eq!((a.sponsorship, a.confidence), (Some(Sponsorship::StateAffiliated), Some(70)));
    assert_eq!(r.victims[0].vertical, Some(Vertical::AiResearch));
    let assets: Vec<AiAsset> = r.assets.iter().map(|x| x.category).collect();
    assert_eq!(assets, [AiAsset::ModelWeights, AiAsset::TrainingData]);
}
