//! Cross-reader tests: no reader panics on any input (property tests over arbitrary bytes, JSON-ish
//! text and mutated real-looking inputs), and every file of the shared data that is one of the
//! formats sniffs and reads without a file error.

use std::path::Path;

use proptest::prelude::*;

use crate::{Format, read_bytes, sniff};

/// Every reader with a file name that suits it.
const READERS: &[(Format, &str)] = &[
    (Format::Eurepoc, "e.csv"),
    (Format::Jsonl, "j.jsonl"),
    (Format::Cfr, "c.csv"),
    (Format::Veris, "v.json"),
    (Format::Veris, "v.jsonl"),
    (Format::Misp, "m.json"),
    (Format::Atlas, "a.yaml"),
    (Format::Stix, "s.json"),
    (Format::Text, "t.html"),
    (Format::Text, "t.md"),
];

fn read_all(bytes: &[u8]) {
    for (format, name) in READERS {
        let _ = read_bytes(Path::new(name), bytes, *format);
    }
    let _ = sniff(Path::new("x.json"), bytes);
    let _ = sniff(Path::new("x"), bytes);
}

/// Small valid inputs of each JSON/YAML/CSV format to mutate.
const SEEDS: &[&str] = &[
    r#"{"type":"bundle","objects":[{"type":"incident","id":"incident--00000000-0000-4000-8000-000000000001","name":"x","first_seen":"2020-01-01T00:00:00Z","object_marking_refs":["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]},{"type":"relationship","id":"relationship--00000000-0000-4000-8000-000000000002","relationship_type":"attributed-to","source_ref":"incident--00000000-0000-4000-8000-000000000001","target_ref":"intrusion-set--00000000-0000-4000-8000-000000000003"},{"type":"intrusion-set","id":"intrusion-set--00000000-0000-4000-8000-000000000003","name":"APT"}]}"#,
    r#"{"Event":{"uuid":"u","info":"i","date":"2020-01-01","Tag":[{"name":"tlp:red"}],"Galaxy":[{"type":"threat-actor","GalaxyCluster":[{"value":"X","meta":{"country":["RU"]}}]}]}}"#,
    r#"[{"incident_id":"a","timeline":{"incident":{"year":2020}},"actor":{"external":{"variety":["Nation-state"],"country":["CN"]}},"victim":{"industry":"5112"}}]"#,
    "case-studies:\n- id: AML.CS0000\n  incident-date: 2020-01-01\n  procedure:\n  - technique: AML.T0024\n",
    "Title,Date,Affiliations,Description,Victims,Sponsor,Type,Category\nA,2020-01-01,APT 1,d,\"US, Acme\",China,Espionage,Government\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_all(&bytes);
    }

    #[test]
    fn no_reader_panics_on_json_like_text(s in "[\\[\\]{}\",:0-9a-z_ \\-\\.\\\\]{0,300}") {
        read_all(s.as_bytes());
    }

    #[test]
    fn no_reader_panics_on_mutated_seeds(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = SEEDS[seed].as_bytes().to_vec();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        read_all(&bytes);
    }
}

/// The seeds themselves read cleanly (so the mutation test starts from valid inputs).
#[test]
fn seeds_are_valid() {
    let formats = [Format::Stix, Format::Misp, Format::Veris, Format::Atlas, Format::Cfr];
    for (seed, format) in SEEDS.iter().zip(formats) {
        let out = read_bytes(Path::new("seed"), seed.as_bytes(), format).unwrap();
        assert_eq!(out.records.len(), 1, "{format:?}: {:?}", out.skipped);
        assert!(out.skipped.is_empty(), "{format:?}: {:?}", out.skipped);
    }
}

/// Every shared-data file of a supported format sniffs as that format and reads without a file
/// error or skip (except CFR's seven shifted rows); files of other shapes get a clear sniff error.
#[test]
fn shared_data_sweep() {
    let Some(root) = spyglass_testkit::shared_data("") else { return };
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut read = 0;
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap();
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let expected = if rel.starts_with("stix-examples/examples/") || rel.starts_with("atlas/opencti-bundles/") || rel == "atlas/stix-atlas.json" {
            Some(Format::Stix)
        } else if rel.starts_with("misp-events/") && rel.ends_with(".json") {
            Some(Format::Misp)
        } else if rel.starts_with("veris-sample/") {
            Some(Format::Veris)
        } else if rel == "atlas/ATLAS.yaml" {
            Some(Format::Atlas)
        } else if rel == "cfr/cfr_attacker_coded.csv" {
            Some(Format::Cfr)
        } else if rel == "eurepoc/EuRepoC_Global_Database_1.1.csv" {
            Some(Format::Eurepoc)
        } else {
            None
        };
        match expected {
            Some(f) => {
                assert_eq!(sniff(path, head).unwrap(), f, "{rel}");
                let out = read_bytes(path, &bytes, f).unwrap_or_else(|e| panic!("{rel}: {e}"));
                let allowed = if f == Format::Cfr { 7 } else { 0 };
                assert_eq!(out.skipped.len(), allowed, "{rel}: {:?}", out.skipped);
                read += 1;
            }
            None => {
                if rel.starts_with("stix-examples/interop/") || rel.starts_with("stix-examples/schemas/") {
                    let e = sniff(path, head).unwrap_err().to_string();
                    assert!(e.contains("JSON Schema"), "{rel}: {e}");
                }
            }
        }
    }
    // 8 OASIS examples, 8 OpenCTI bundles, stix-atlas, 3 MISP events, 100 VERIS, ATLAS, CFR, EuRepoC.
    assert_eq!(read, 8 + 8 + 1 + 3 + 100 + 1 + 1 + 1, "files read");
}
