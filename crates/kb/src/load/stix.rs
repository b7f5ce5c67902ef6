//! STIX 2.1 bundles: `intrusion-set` objects become actors. An intrusion set with an ATT&CK id
//! (`external_references[].external_id` = `G####` from `mitre-attack`) is the actor `attack:G####`,
//! so a bundle and the ATT&CK lookup describe the same node; others are `stix:<object id>`.

use serde_json::Value;

use super::{description_claims, json_err, opt_str, opt_strings, req_str, vendor_by_form};
use crate::{KbClaim, KbError};

/// Reads a STIX bundle already parsed as JSON.
pub fn from_value(doc: &Value, file: &str) -> Result<Vec<KbClaim>, KbError> {
    let source_id = format!("stix:{file}");
    let Some(objects) = doc.get("objects").and_then(Value::as_array) else {
        return Err(json_err(file, "$.objects", "expected an array of STIX objects"));
    };
    let mut out = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        let path = format!("$.objects[{i}]");
        if obj.get("type").and_then(Value::as_str) != Some("intrusion-set") {
            continue;
        }
        let stix_id = req_str(obj, "id", file, &path)?;
        let name = req_str(obj, "name", file, &path)?;
        let mut attack_id = None;
        if let Some(refs) = obj.get("external_references") {
            let Some(refs) = refs.as_array() else {
                return Err(json_err(file, &format!("{path}.external_references"), "expected an array"));
            };
            for (k, r) in refs.iter().enumerate() {
                let rp = format!("{path}.external_references[{k}]");
                let source = opt_str(r, "source_name", file, &rp)?.unwrap_or("");
                if let Some(id) = opt_str(r, "external_id", file, &rp)?
                    && source == "mitre-attack"
                    && id.starts_with('G')
                {
                    attack_id = Some((id.to_string(), rp));
                }
            }
        }
        let actor = match &attack_id {
            Some((id, _)) => format!("attack:{id}"),
            None => format!("stix:{stix_id}"),
        };
        let at = |p: &str| format!("{file} {path}{p}");
        out.push(KbClaim::actor(&actor, name, &source_id, &at(".name")));
        out.push(KbClaim::alias(&actor, name, vendor_by_form(name), &source_id, &at(".name")));
        if let Some((id, rp)) = &attack_id {
            out.push(KbClaim::alias(&actor, id, Some("MITRE"), &source_id, &format!("{file} {rp}")));
        }
        for (j, alias) in opt_strings(obj, "aliases", file, &path)? {
            if alias != name && !alias.trim().is_empty() {
                out.push(KbClaim::alias(&actor, alias.trim(), vendor_by_form(alias), &source_id, &at(&format!(".aliases[{j}]"))));
            }
        }
        if let Some(desc) = opt_str(obj, "description", file, &path)? {
            out.extend(description_claims(&actor, desc, &source_id, &at(".description")));
        }
    }
    Ok(out)
}

/// Reads a STIX bundle from text.
pub fn from_str(text: &str, file: &str) -> Result<Vec<KbClaim>, KbError> {
    from_value(&super::parse_json(text, file)?, file)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::KbClaimKind;

    #[test]
    fn intrusion_set_with_and_without_attack_id() {
        let doc = r#"{"type": "bundle", "id": "bundle--1", "objects": [
          {"type": "intrusion-set", "id": "intrusion-set--a", "name": "APT1", "aliases": ["Comment Crew"]},
          {"type": "intrusion-set", "id": "intrusion-set--b", "name": "APT41",
           "external_references": [{"source_name": "mitre-attack", "external_id": "G0096"}]},
          {"type": "malware", "id": "malware--c", "name": "X"}]}"#;
        let claims = from_str(doc, "b.json").unwrap();
        let actors: Vec<_> = claims.iter().filter(|c| c.kind == KbClaimKind::Actor).map(|c| c.actor.as_str()).collect();
        assert_eq!(actors, ["stix:intrusion-set--a", "attack:G0096"]);
        let err = from_str(r#"{"type": "bundle", "objects": [{"type": "intrusion-set", "id": "i", "name": 3}]}"#, "b.json")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "b.json $.objects[0].name: expected a string, found a number");
    }
}
