//! MISP galaxy clusters: `threat-actor`, `microsoft-activity-group`, `mitre-intrusion-set`.
//!
//! Per cluster (`$.values[i]`): an actor `misp:<uuid>`; aliases from `value`, `meta.synonyms` and
//! `meta.name-attribution` (`"ALIAS:vendor-uuid"`, vendor from [`crate::vendors`]); sponsor evidence
//! from `meta.country` (origin, with `attribution-confidence`), `meta.cfr-suspected-state-sponsor`
//! (a named sponsor), `meta.motive`, `meta.microsoft-origin-threat` and the description; links from
//! `related` (`similar`, `overlaps`; `revoked-by` as same-as) with their estimative-language tag;
//! same-as links to `attack:G####` from ATT&CK ids (`meta.external_id`, or an alias `G0096`).

use std::collections::HashMap;

use serde_json::Value;
use spyglass_model::Sponsorship;

use super::{description_claims, json_err, member, opt_str, opt_strings, req_str, sponsor_claim, vendor_by_form, weight};
use crate::geo::sponsor_code;
use crate::likelihood::Likelihood;
use crate::vendors::misp_vendor;
use crate::{KbClaim, KbClaimKind, KbError};

/// Reads a MISP galaxy cluster file already parsed as JSON.
pub fn from_value(doc: &Value, file: &str) -> Result<Vec<KbClaim>, KbError> {
    let galaxy = req_str(doc, "type", file, "$")?;
    let source_id = format!("misp-galaxy:{galaxy}");
    let Some(values) = doc.get("values").and_then(Value::as_array) else {
        return Err(json_err(file, "$.values", "expected an array of clusters"));
    };
    let mut out = Vec::new();
    for (i, cluster) in values.iter().enumerate() {
        let path = format!("$.values[{i}]");
        cluster_claims(cluster, galaxy, &source_id, file, &path, &mut out)?;
    }
    Ok(out)
}

/// Reads a MISP galaxy cluster file from text.
pub fn from_str(text: &str, file: &str) -> Result<Vec<KbClaim>, KbError> {
    from_value(&super::parse_json(text, file)?, file)
}

fn is_attack_group_id(s: &str) -> bool {
    s.len() == 5 && s.starts_with('G') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn cluster_claims(
    cluster: &Value,
    galaxy: &str,
    source_id: &str,
    file: &str,
    path: &str,
    out: &mut Vec<KbClaim>,
) -> Result<(), KbError> {
    if !cluster.is_object() {
        return Err(json_err(file, path, "expected a cluster object"));
    }
    let uuid = req_str(cluster, "uuid", file, path)?;
    let value = req_str(cluster, "value", file, path)?;
    let actor = format!("misp:{}", uuid.to_ascii_lowercase());
    let meta_path = format!("{path}.meta");
    let empty = Value::Object(Default::default());
    let meta = cluster.get("meta").unwrap_or(&empty);
    let at = |p: &str| format!("{file} {p}");

    // ATT&CK clusters are "APT1 - G0006": the name is the part before the id.
    let external_id = opt_str(meta, "external_id", file, &meta_path)?;
    let name = match external_id {
        Some(id) => value.strip_suffix(&format!(" - {id}")).unwrap_or(value),
        None => value,
    };
    out.push(KbClaim::actor(&actor, name, source_id, &at(&format!("{path}.value"))));

    // Aliases: one claim per distinct (name, vendor); the vendor from name-attribution wins.
    let mut aliases: Vec<(String, Option<String>, String)> = Vec::new();
    let mut attributed: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let na_path = member(&meta_path, "name-attribution");
    for (j, entry) in opt_strings(meta, "name-attribution", file, &meta_path)? {
        let (alias, vendor_uuid) = entry.rsplit_once(':').unwrap_or((entry, ""));
        let vendor = misp_vendor(vendor_uuid).map(str::to_string).unwrap_or_else(|| format!("unknown ({vendor_uuid})"));
        attributed.entry(alias.trim().to_string()).or_default().push((vendor, format!("{na_path}[{j}]")));
    }
    let mut add = |alias: &str, p: String| {
        let alias = alias.trim();
        if alias.is_empty() {
            return;
        }
        if let Some(vs) = attributed.remove(alias) {
            for (v, vp) in vs {
                aliases.push((alias.to_string(), Some(v), vp));
            }
        } else if !aliases.iter().any(|(a, _, _)| a == alias) {
            aliases.push((alias.to_string(), vendor_by_form(alias).map(str::to_string), p));
        }
    };
    add(name, format!("{path}.value"));
    for (j, syn) in opt_strings(meta, "synonyms", file, &meta_path)? {
        add(syn, format!("{meta_path}.synonyms[{j}]"));
    }
    let mut rest: Vec<(String, Vec<(String, String)>)> = attributed.into_iter().collect();
    rest.sort();
    for (alias, vs) in rest {
        for (v, vp) in vs {
            aliases.push((alias.clone(), Some(v), vp));
        }
    }
    for (alias, vendor, p) in &aliases {
        out.push(KbClaim::alias(&actor, alias, vendor.as_deref(), source_id, &at(p)));
        if galaxy != "mitre-intrusion-set" && is_attack_group_id(alias) {
            out.push(KbClaim {
                target: Some(format!("attack:{alias}")),
                relation: Some("same-as".into()),
                note: Some(format!("alias {alias} is an ATT&CK group id")),
                ..KbClaim::new(KbClaimKind::Link, &actor, source_id, at(p))
            });
        }
    }
    if let Some(id) = external_id.filter(|id| is_attack_group_id(id)) {
        out.push(KbClaim::alias(&actor, id, Some("MITRE"), source_id, &at(&format!("{meta_path}.external_id"))));
        out.push(KbClaim {
            target: Some(format!("attack:{id}")),
            relation: Some("same-as".into()),
            note: Some(format!("ATT&CK group {id}")),
            ..KbClaim::new(KbClaimKind::Link, &actor, source_id, at(&format!("{meta_path}.external_id")))
        });
    }

    sponsor_evidence(meta, &meta_path, &actor, name, source_id, file, out)?;
    if galaxy != "microsoft-activity-group"
        && let Some(desc) = opt_str(cluster, "description", file, path)?
    {
        out.extend(description_claims(&actor, desc, source_id, &at(&format!("{path}.description"))));
    }
    links(cluster, path, &actor, source_id, file, out)?;
    Ok(())
}

fn sponsor_evidence(
    meta: &Value,
    meta_path: &str,
    actor: &str,
    name: &str,
    source_id: &str,
    file: &str,
    out: &mut Vec<KbClaim>,
) -> Result<(), KbError> {
    let at = |key: &str| format!("{file} {}", member(meta_path, key));
    let attribution_confidence = match meta.get("attribution-confidence") {
        Some(Value::String(s)) => s.trim().parse::<u8>().ok().filter(|c| *c <= 100),
        Some(Value::Number(n)) => n.as_u64().and_then(|c| u8::try_from(c).ok()).filter(|c| *c <= 100),
        _ => None,
    };
    if let Some(origin) = opt_str(meta, "microsoft-origin-threat", file, meta_path)? {
        microsoft_origin(origin, meta, meta_path, actor, name, source_id, file, out)?;
    } else if let Some(country) = opt_str(meta, "country", file, meta_path)?
        && let Some(code) = sponsor_code(country)
    {
        let conf = attribution_confidence.unwrap_or(weight::MISP_COUNTRY);
        let note = match attribution_confidence {
            Some(c) => format!("country: {country} (attribution-confidence {c})"),
            None => format!("country: {country}"),
        };
        out.push(sponsor_claim(actor, Some(&code), Sponsorship::State, "origin", conf, note, source_id, at("country")));
    }
    if let Some(sponsor) = opt_str(meta, "cfr-suspected-state-sponsor", file, meta_path)?
        && let Some(code) = sponsor_code(sponsor)
    {
        let note = format!("cfr-suspected-state-sponsor: {sponsor}");
        out.push(sponsor_claim(actor, Some(&code), Sponsorship::State, "sponsor", weight::CFR_STATE_SPONSOR, note, source_id, at("cfr-suspected-state-sponsor")));
    }
    for (_, motive) in opt_strings(meta, "motive", file, meta_path)? {
        let lower = motive.to_ascii_lowercase();
        let kind = if lower.contains("hacktivis") {
            Some(Sponsorship::Hacktivist)
        } else if lower == "cybercrime" || lower.contains("financially motivated") && !lower.contains("state") {
            Some(Sponsorship::Criminal)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push(sponsor_claim(actor, None, kind, "motive", weight::MISP_MOTIVE, format!("motive: {motive}"), source_id, at("motive")));
        }
    }
    Ok(())
}

/// Microsoft's "Origin/Threat" field: "China", "Russia, Influence operations",
/// "Financially motivated", "Israel, Private sector offensive actor", "Group in development".
#[allow(clippy::too_many_arguments)]
fn microsoft_origin(
    origin: &str,
    meta: &Value,
    meta_path: &str,
    actor: &str,
    name: &str,
    source_id: &str,
    file: &str,
    out: &mut Vec<KbClaim>,
) -> Result<(), KbError> {
    let r = format!("{file} {}", member(meta_path, "microsoft-origin-threat"));
    let mut countries = Vec::new();
    let (mut financial, mut psoa, mut influence) = (false, false, false);
    for part in origin.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.to_ascii_lowercase().as_str() {
            "financially motivated" => financial = true,
            "private sector offensive actor" => psoa = true,
            "influence operations" => influence = true,
            "group in development" | "covert network" => {}
            _ => countries.extend(sponsor_code(part)),
        }
    }
    if countries.is_empty()
        && let Some(code) = opt_str(meta, "country", file, meta_path)?.and_then(sponsor_code)
    {
        countries.push(code);
    }
    // A Tempest is financially motivated whatever its origin (Manatee Tempest: "Russia").
    let family = name.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    financial |= family == "tempest";
    psoa |= family == "tsunami";
    let note = format!("microsoft-origin-threat: {origin}");
    if financial {
        out.push(sponsor_claim(actor, None, Sponsorship::Criminal, "motive", weight::MICROSOFT_ORIGIN, note, source_id, r));
    } else if psoa {
        out.push(sponsor_claim(actor, None, Sponsorship::Unknown, "motive", weight::MICROSOFT_ORIGIN, note, source_id, r));
    } else {
        let conf = if influence { weight::MICROSOFT_INFLUENCE } else { weight::MICROSOFT_ORIGIN };
        for code in countries {
            out.push(sponsor_claim(actor, Some(&code), Sponsorship::State, "sponsor", conf, note.clone(), source_id, r.clone()));
        }
    }
    Ok(())
}

fn links(cluster: &Value, path: &str, actor: &str, source_id: &str, file: &str, out: &mut Vec<KbClaim>) -> Result<(), KbError> {
    let Some(related) = cluster.get("related") else { return Ok(()) };
    let Some(items) = related.as_array() else {
        return Err(json_err(file, &format!("{path}.related"), "expected an array"));
    };
    for (k, rel) in items.iter().enumerate() {
        let rp = format!("{path}.related[{k}]");
        let kind = req_str(rel, "type", file, &rp)?;
        let relation = match kind {
            "similar" => "similar",
            "overlaps" => "overlaps",
            "revoked-by" => "same-as",
            _ => continue,
        };
        let dest = req_str(rel, "dest-uuid", file, &rp)?;
        let likelihood = opt_strings(rel, "tags", file, &rp)?
            .into_iter()
            .filter(|(_, t)| t.starts_with("estimative-language:likelihood-probability"))
            .find_map(|(_, t)| Likelihood::parse(t));
        out.push(KbClaim {
            target: Some(format!("misp:{}", dest.to_ascii_lowercase())),
            relation: Some(relation.to_string()),
            likelihood: likelihood.map(|l| l.as_str().to_string()),
            note: (kind == "revoked-by").then(|| "ATT&CK revoked this group in favour of the target".to_string()),
            ..KbClaim::new(KbClaimKind::Link, actor, source_id, format!("{file} {rp}"))
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"type": "threat-actor", "values": [
      {"uuid": "1CB7E1CC-d695-42b1-92f4-fd0112a3c9be", "value": "APT1",
       "description": "PLA Unit 61398 is a Chinese threat group",
       "meta": {"country": "CN", "attribution-confidence": "50", "cfr-suspected-state-sponsor": "China",
                "synonyms": ["COMMENT PANDA", "Comment Crew", "G0006"],
                "name-attribution": ["APT1:da5cdcd1-7b15-4371-b7eb-ca32916d2052", "COMMENT PANDA:f9eb432f-2293-48b7-bca4-cc78beb50df0"]},
       "related": [{"dest-uuid": "6A2E693F-24e5-451a-9f88-b36a108e5662", "type": "similar",
                    "tags": ["estimative-language:likelihood-probability=\"likely\""]},
                   {"dest-uuid": "x", "type": "uses"}]}]}"#;

    #[test]
    fn cluster_becomes_claims() {
        let claims = from_str(SAMPLE, "threat-actor.json").unwrap();
        let actor = "misp:1cb7e1cc-d695-42b1-92f4-fd0112a3c9be";
        assert!(claims.iter().all(|c| c.actor == actor && c.source_id == "misp-galaxy:threat-actor"));
        let alias = |n: &str| claims.iter().find(|c| c.kind == KbClaimKind::Alias && c.name.as_deref() == Some(n)).unwrap();
        assert_eq!(alias("APT1").vendor.as_deref(), Some("Mandiant"));
        assert_eq!(alias("COMMENT PANDA").vendor.as_deref(), Some("CrowdStrike"));
        assert_eq!(alias("COMMENT PANDA").record_ref, "threat-actor.json $.values[0].meta[\"name-attribution\"][1]");
        assert_eq!(alias("Comment Crew").vendor, None);
        assert_eq!(alias("Comment Crew").record_ref, "threat-actor.json $.values[0].meta.synonyms[1]");
        let links: Vec<_> = claims.iter().filter(|c| c.kind == KbClaimKind::Link).collect();
        assert_eq!(links.len(), 2, "similar link + G-id same-as; 'uses' is not an actor link");
        assert!(links.iter().any(|l| l.target.as_deref() == Some("attack:G0006") && l.relation.as_deref() == Some("same-as")));
        assert!(links.iter().any(|l| l.likelihood.as_deref() == Some("likely")));
        let sponsors: Vec<_> = claims.iter().filter(|c| c.kind == KbClaimKind::Sponsor).collect();
        assert!(sponsors.iter().any(|s| s.evidence.as_deref() == Some("origin") && s.confidence == Some(50)));
        assert!(sponsors.iter().any(|s| s.evidence.as_deref() == Some("sponsor") && s.sponsor.as_deref() == Some("CN")));
        for c in &claims {
            c.validate().unwrap();
        }
    }

    #[test]
    fn errors_name_file_and_json_path() {
        let bad = r#"{"type": "threat-actor", "values": [{"uuid": "u", "value": "X", "meta": {"synonyms": ["a", 3]}}]}"#;
        let err = from_str(bad, "threat-actor.json").unwrap_err().to_string();
        assert_eq!(err, "threat-actor.json $.values[0].meta.synonyms[1]: expected a string, found a number");
        let bad = r#"{"type": "threat-actor", "values": [{"value": "X"}]}"#;
        let err = from_str(bad, "t.json").unwrap_err().to_string();
        assert_eq!(err, "t.json $.values[0]: missing \"uuid\"");
    }

    #[test]
    fn microsoft_tempest_is_criminal_whatever_its_origin() {
        let doc = r#"{"type": "microsoft-activity-group", "values": [
          {"uuid": "a", "value": "Manatee Tempest", "meta": {"country": "RU", "microsoft-origin-threat": "Russia"}},
          {"uuid": "b", "value": "Mint Sandstorm", "meta": {"country": "IR", "microsoft-origin-threat": "Iran"}}]}"#;
        let claims = from_str(doc, "m.json").unwrap();
        let s: Vec<_> = claims.iter().filter(|c| c.kind == KbClaimKind::Sponsor).collect();
        assert_eq!(s[0].sponsorship.as_deref(), Some("criminal"));
        assert_eq!(s[0].sponsor, None);
        assert_eq!(s[1].sponsor.as_deref(), Some("IR"));
        assert_eq!(s[1].evidence.as_deref(), Some("sponsor"));
    }
}
