//! The compact ATT&CK lookup (`groups-campaigns-lookup-v18.1.json`): intrusion sets as actors
//! `attack:G####` with their aliases; sponsor cues from the (truncated) descriptions. Campaigns are
//! operations, not actors, and are skipped.

use serde_json::Value;

use super::{description_claims, json_err, opt_str, opt_strings, req_str, vendor_by_form};
use crate::{KbClaim, KbError};

/// Reads the lookup file already parsed as JSON.
pub fn from_value(doc: &Value, file: &str) -> Result<Vec<KbClaim>, KbError> {
    let stem = doc
        .get("_metadata")
        .and_then(|m| m.get("source_file"))
        .and_then(Value::as_str)
        .map(|s| s.trim_end_matches(".json").to_string())
        .unwrap_or_else(|| file.trim_end_matches(".json").to_string());
    let source_id = format!("attack:{stem}");
    let Some(items) = doc.get("groups_campaigns").and_then(Value::as_array) else {
        return Err(json_err(file, "$.groups_campaigns", "expected an array"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("$.groups_campaigns[{i}]");
        if req_str(item, "stix_type", file, &path)? != "intrusion-set" {
            continue;
        }
        let id = req_str(item, "external_id", file, &path)?;
        let name = req_str(item, "name", file, &path)?;
        let actor = format!("attack:{id}");
        let at = |p: &str| format!("{file} {path}{p}");
        out.push(KbClaim::actor(&actor, name, &source_id, &at(".name")));
        out.push(KbClaim::alias(&actor, id, Some("MITRE"), &source_id, &at(".external_id")));
        out.push(KbClaim::alias(&actor, name, vendor_by_form(name), &source_id, &at(".name")));
        for (j, alias) in opt_strings(item, "aliases", file, &path)? {
            if alias != name && !alias.trim().is_empty() {
                out.push(KbClaim::alias(&actor, alias.trim(), vendor_by_form(alias), &source_id, &at(&format!(".aliases[{j}]"))));
            }
        }
        if let Some(desc) = opt_str(item, "description", file, &path)? {
            out.extend(description_claims(&actor, desc, &source_id, &at(".description")));
        }
    }
    Ok(out)
}

/// Reads the lookup file from text.
pub fn from_str(text: &str, file: &str) -> Result<Vec<KbClaim>, KbError> {
    from_value(&super::parse_json(text, file)?, file)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::KbClaimKind;

    #[test]
    fn intrusion_sets_only() {
        let doc = r#"{"_metadata": {"source_file": "enterprise-attack-18.1.json"}, "groups_campaigns": [
          {"stix_type": "campaign", "external_id": "C0001", "name": "Frankenstein", "aliases": []},
          {"stix_type": "intrusion-set", "external_id": "G0096", "name": "APT41",
           "description": "[APT41](https://attack.mitre.org/groups/G0096) is a threat group that researchers have assessed as Chinese state-sponsored espionage group",
           "aliases": ["APT41", "Wicked Panda", "Brass Typhoon"]}]}"#;
        let claims = from_str(doc, "lookup.json").unwrap();
        assert!(claims.iter().all(|c| c.actor == "attack:G0096" && c.source_id == "attack:enterprise-attack-18.1"));
        let names: Vec<_> = claims.iter().filter(|c| c.kind == KbClaimKind::Alias).map(|c| (c.name.clone().unwrap(), c.vendor.clone())).collect();
        assert!(names.contains(&("Wicked Panda".into(), Some("CrowdStrike".into()))));
        assert!(names.contains(&("G0096".into(), Some("MITRE".into()))));
        assert_eq!(names.iter().filter(|(n, _)| n == "APT41").count(), 1);
        assert!(claims.iter().any(|c| c.kind == KbClaimKind::Sponsor && c.sponsor.as_deref() == Some("CN")));
    }
}
