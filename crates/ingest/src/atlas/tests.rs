use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::{Format, ReadOutcome, read_bytes};

fn read_str(s: &str) -> Result<ReadOutcome, IngestError> {
    read_bytes(Path::new("ATLAS.yaml"), s.as_bytes(), Format::Atlas)
}

const DOC: &str = "id: ATLAS
version: 5.6.0
matrices: []
case-studies:
- id: AML.CS0099
  name: Model theft
  object-type: case-study
  summary: Weights were copied.
  incident-date: 2023-05-01
  incident-date-granularity: MONTH
  procedure:
  - tactic: AML.TA0002
    technique: AML.T0024.002
  - tactic: AML.TA0010
    technique: AML.T0025
  - tactic: AML.TA0010
    technique: AML.T0010.004
  target: Example Corp model API
  actor: Unknown threat actor
  case-study-type: incident
  reporter: Example Lab
- id: AML.CS0100
  incident-date: 2023-13-01
- name: no id
";

#[test]
fn maps_case_studies_and_skips_bad_ones() {
    let out = read_str(DOC).unwrap();
    assert_eq!(out.records.len(), 1);
    let rec = &out.records[0];
    assert_eq!(rec.incident.id, "atlas:AML.CS0099");
    assert_eq!(rec.incident.types_raw, ["incident", "date-granularity: MONTH"]);
    assert_eq!(rec.incident.start_date, chrono::NaiveDate::from_ymd_opt(2023, 5, 1));
    assert_eq!(rec.victims[0].name.as_deref(), Some("Example Corp model API"));
    assert_eq!(rec.attributions[0].actor_raw.as_deref(), Some("Unknown threat actor"));
    assert_eq!(rec.attributions[0].attributed_by.as_deref(), Some("Example Lab"));
    let assets: Vec<(AiAsset, Option<&str>)> = rec.assets.iter().map(|a| (a.category, a.evidence.as_deref())).collect();
    assert_eq!(
        assets,
        [
            (AiAsset::ModelWeights, Some("procedure step 1: AML.T0024.002")),
            (AiAsset::MlInfrastructure, Some("procedure step 3: AML.T0010.004")),
        ]
    );
    assert_eq!(out.sources[0].name, "MITRE ATLAS 5.6.0");
    let places: Vec<&str> = out.skipped.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(places, ["$.case-studies[1].incident-date", "$.case-studies[2].id"]);
}

#[test]
fn file_errors_name_line_and_column() {
    let err = read_str("case-studies:\n  - id: [unclosed\n").unwrap_err().to_string();
    assert!(err.contains("line "), "{err}");
    let err = read_str("foo: 1\n").unwrap_err().to_string();
    assert!(err.contains("not MITRE ATLAS data"), "{err}");
    let one = read_str("id: AML.CS0001\nobject-type: case-study\nname: x\ncase-study-type: exercise\n").unwrap();
    assert_eq!(one.records[0].incident.types_raw, ["exercise"]);
}

#[test]
fn technique_assets_use_the_parent() {
    assert_eq!(technique_asset("AML.T0024.002"), Some(AiAsset::ModelWeights));
    assert_eq!(technique_asset("AML.T0024.000"), Some(AiAsset::TrainingData));
    assert_eq!(technique_asset("AML.T0010.004"), Some(AiAsset::MlInfrastructure));
    assert_eq!(technique_asset("AML.T0043.000"), None);
    assert_eq!(technique_asset("AML.T0024"), Some(AiAsset::ModelWeights));
}

/// Counts from Python (PyYAML) over ATLAS.yaml, with the extraction crate's ATLAS_ASSETS table read
/// from its source:
/// ```text
/// import yaml, re, collections
/// tab = dict(re.findall(r'\("(AML\.T[0-9.]+)", (\w+)\)', open('crates/extract/src/rules/asset.rs').read()))
/// cs = yaml.safe_load(open('../shared/data/atlas/ATLAS.yaml'))['case-studies']
/// asset = lambda t: tab.get(t) or (tab.get(t.rsplit('.', 1)[0]) if t.count('.') == 2 else None)
/// per = collections.Counter(a for c in cs for a in {asset(p['technique']) for p in c['procedure']} if a)
/// print(len(cs), collections.Counter(c['case-study-type'] for c in cs), per, sum(bool(c.get('reporter')) for c in cs))
/// # 57 Counter({'exercise': 40, 'incident': 17})
/// # Counter({'MlInfrastructure': 10, 'ModelWeights': 7, 'TrainingData': 6, 'AlgorithmsCode': 5}) 16
/// print(sum(c['actor'] != 'Unknown' for c in cs), sum(c['actor'] != 'Unknown' and bool(c.get('reporter')) for c in cs))
/// # 52 11
/// names = {t['id']: t['name'] for m in yaml.safe_load(open('../shared/data/atlas/ATLAS.yaml'))['matrices'] for t in m['techniques']}
/// pairs = {(c['id'], p['technique']) for c in cs for p in c['procedure']}
/// print(len(pairs), sum(t in names for _, t in pairs), len({t for _, t in pairs}))
/// # 440 440 145
/// ```
#[test]
fn real_atlas_yaml() {
    let path = spyglass_testkit::require_shared!("atlas/ATLAS.yaml");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(crate::sniff(&path, &bytes[..bytes.len().min(64 * 1024)]).unwrap(), Format::Atlas);
    let out = read_bytes(&path, &bytes, Format::Atlas).unwrap();
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(out.records.len(), 57);
    let kinds = |k: &str| out.records.iter().filter(|r| r.incident.types_raw.first().map(String::as_str) == Some(k)).count();
    assert_eq!((kinds("incident"), kinds("exercise")), (17, 40));
    let mut per: BTreeMap<AiAsset, usize> = BTreeMap::new();
    for r in &out.records {
        let s: BTreeSet<AiAsset> = r.assets.iter().map(|a| a.category).collect();
        for a in s {
            *per.entry(a).or_default() += 1;
        }
    }
    assert_eq!(
        per,
        BTreeMap::from([
            (AiAsset::ModelWeights, 7),
            (AiAsset::TrainingData, 6),
            (AiAsset::AlgorithmsCode, 5),
            (AiAsset::MlInfrastructure, 10)
        ])
    );
    assert!(out.records.iter().all(|r| r.victims.len() == 1));
    // `actor: Unknown` (5 case studies) is a placeholder, not an actor.
    let attributed: Vec<&IncidentRecord> = out.records.iter().filter(|r| !r.attributions.is_empty()).collect();
    assert_eq!(attributed.len(), 52);
    let reported = attributed.iter().filter(|r| r.attributions[0].attributed_by.as_deref() != Some("MITRE ATLAS")).count();
    assert_eq!(reported, 11);
    // Every procedure step's technique is a claim, once per case study, named from the matrices.
    let techniques: Vec<&spyglass_model::TechniqueClaim> = out.records.iter().flat_map(|r| &r.techniques).collect();
    assert_eq!(techniques.len(), 440);
    assert!(techniques.iter().all(|t| t.name.is_some() && t.evidence.as_deref().is_some_and(|e| e.starts_with("procedure step "))));
    assert_eq!(techniques.iter().map(|t| t.id.as_str()).collect::<BTreeSet<_>>().len(), 145);
    assert_eq!(out.records[0].incident.id, "atlas:AML.CS0000");
    assert_eq!(out.records[0].incident.start_date, chrono::NaiveDate::from_ymd_opt(2020, 1, 1));
}
