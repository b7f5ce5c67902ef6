//! Names shared by several MISP threat-actor clusters come back with a conflict, never a silent
//! pick; every other name of a cluster resolves to that cluster's actor.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use spyglass_kb::{ConflictKind, normalize};

/// name → clusters (uuid) that list it as value or synonym, keyed by `key`.
fn shared(doc: &Value, key: impl Fn(&str) -> String) -> BTreeMap<String, BTreeSet<String>> {
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in doc["values"].as_array().unwrap() {
        let uuid = c["uuid"].as_str().unwrap().to_string();
        let mut names = vec![c["value"].as_str().unwrap().to_string()];
        if let Some(s) = c["meta"]["synonyms"].as_array() {
            names.extend(s.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        for n in names {
            by.entry(key(&n)).or_default().insert(uuid.clone());
        }
    }
    by.retain(|_, v| v.len() > 1);
    by
}

#[test]
fn every_shared_misp_name_yields_a_conflict() {
    let Some(path) = spyglass_testkit::shared_data("misp-galaxy/threat-actor.json") else { return };
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // Reference count, computed independently with Python:
    //   python3 -c "import json,collections; d=collections.defaultdict(set)
    //   [d[n.lower()].add(v['uuid']) for v in json.load(open('threat-actor.json'))['values']
    //    for n in [v['value']]+v['meta'].get('synonyms',[])]; print(sum(len(s)>1 for s in d.values()))"
    //   → 27 (case-insensitive); 30 with this crate's normalisation (adds Cold River, Operation Troy, TempTick).
    let by_case = shared(&doc, |n| n.to_lowercase());
    assert_eq!(by_case.len(), 27, "{:?}", by_case.keys().collect::<Vec<_>>());
    let by_norm = shared(&doc, normalize);
    assert_eq!(by_norm.len(), 30);

    let Some(kb) = common::kb() else { return };
    let mut missing = Vec::new();
    for (name, clusters) in &by_norm {
        let res = kb.resolve(name);
        let conflict = res.conflicts.iter().find(|c| c.kind == ConflictKind::SharedName);
        match conflict {
            Some(c) => {
                let ids: BTreeSet<String> = c.actors.iter().map(|a| a.id.trim_start_matches("misp:").to_string()).collect();
                for u in clusters {
                    // Each cluster of the name is in the conflict (directly or as the actor it joined).
                    let shown = ids.contains(&u.to_lowercase())
                        || kb.show(&format!("misp:{}", u.to_lowercase())).is_some_and(|v| ids.contains(v.id.trim_start_matches("misp:")));
                    assert!(shown, "{name}: cluster {u} missing from {c:?}");
                }
            }
            None => missing.push(name.clone()),
        }
    }
    assert!(missing.is_empty(), "shared names without a conflict: {missing:?}");
}

#[test]
fn unshared_names_of_a_cluster_resolve_to_its_actor() {
    let Some(path) = spyglass_testkit::shared_data("misp-galaxy/threat-actor.json") else { return };
    let Some(kb) = common::kb() else { return };
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in doc["values"].as_array().unwrap() {
        let id = format!("misp:{}", c["uuid"].as_str().unwrap().to_lowercase());
        let mut names = vec![c["value"].as_str().unwrap().to_string()];
        if let Some(s) = c["meta"]["synonyms"].as_array() {
            names.extend(s.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        for n in names {
            owners.entry(normalize(&n)).or_default().insert(id.clone());
        }
    }
    let (mut checked, mut wrong) = (0, Vec::new());
    for (key, ids) in &owners {
        if ids.len() != 1 || key.is_empty() {
            continue;
        }
        let id = ids.iter().next().unwrap();
        let expected = kb.show(id).unwrap().id;
        let res = kb.resolve(key);
        checked += 1;
        if res.actor.as_ref().map(|a| &a.id) != Some(&expected) {
            wrong.push(format!("{key}: expected {expected}, got {:?} ({} conflicts)", res.actor.map(|a| a.id), res.conflicts.len()));
        }
    }
    println!("{checked} unshared names checked, {} resolve elsewhere", wrong.len());
    // A name unique among threat-actor clusters can still be claimed by a record of another
    // catalogue that did not join this cluster; such cases must carry a conflict.
    for w in &wrong {
        let key = w.split(':').next().unwrap();
        assert!(!kb.resolve(key).conflicts.is_empty(), "{w}");
    }
    assert!(checked > 2000, "{checked}");
}
