//! STIX vocabularies the reader maps: TLP marking definitions, industry sectors, threat-actor types,
//! the object types of the STIX 2.1 specification.

use spyglass_model::{IncidentType, Reliability, Sponsorship, Tlp, Vertical};

use super::id::Key;

/// The TLP marking definitions every STIX producer may reference without including them: the four
/// TLP 1.0 objects of STIX 2.1 §7.2.1.4 and the five TLP 2.0 objects of the OASIS TLP 2.0 extension
/// (`extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`). TLP 1.0 WHITE reads as CLEAR.
pub(crate) const TLP_MARKINGS: &[(&str, Tlp)] = &[
    ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::Clear),
    ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::Green),
    ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::Amber),
    ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::Red),
    ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp::Clear),
    ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp::Green),
    ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp::Amber),
    ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp::AmberStrict),
    ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp::Red),
];

/// The predefined markings as keys.
pub(crate) fn tlp_markings() -> impl Iterator<Item = (Key, Tlp)> {
    TLP_MARKINGS.iter().filter_map(|(id, t)| Key::parse(id).map(|k| (k, *t)))
}

/// The TLP level a marking definition states: `definition.tlp` (1.0), `extensions.*.tlp_2_0` (2.0),
/// else a `TLP:…` name (OpenCTI writes `TLP:CLEAR` with the 1.0 WHITE id).
pub(crate) fn marking_tlp(definition_tlp: Option<&str>, extension_tlp: Option<&str>, name: Option<&str>) -> Option<Tlp> {
    let parse = |s: &str| s.trim().parse::<Tlp>().ok();
    definition_tlp
        .and_then(parse)
        .or_else(|| extension_tlp.and_then(parse))
        .or_else(|| name.filter(|n| n.trim().to_ascii_lowercase().starts_with("tlp:")).and_then(parse))
}

/// STIX industry-sector-ov (and common producer variants) → vertical.
pub(crate) fn sector_vertical(sector: &str) -> Option<Vertical> {
    let s = sector.trim().to_ascii_lowercase().replace([' ', '_'], "-");
    Some(match s.as_str() {
        "technology" | "information-technology" | "it" => Vertical::OtherTech,
        "telecommunications" | "communications" | "telecom" => Vertical::Telecom,
        "software" => Vertical::Software,
        "semiconductors" | "semiconductor" => Vertical::Semiconductors,
        "defense" | "defence" | "military" => Vertical::Defence,
        "financial-services" | "finance" | "insurance" | "banking" => Vertical::Finance,
        "energy" | "utilities" | "nuclear" | "oil-and-gas" => Vertical::Energy,
        "healthcare" | "health" | "pharmaceuticals" => Vertical::Health,
        "transportation" | "aviation" => Vertical::Transportation,
        "manufacturing" | "automotive" | "aerospace" => Vertical::Manufacturing,
        "education" => Vertical::Education,
        "chemical" | "chemicals" => Vertical::Chemicals,
        "agriculture" | "food" => Vertical::Food,
        "water" | "dams" => Vertical::Water,
        "retail" => Vertical::Retail,
        "entertainment" | "media" => Vertical::Media,
        "non-profit" | "ngo" | "civil-society" => Vertical::CivilSociety,
        "research" => Vertical::Research,
        s if s.starts_with("government") => Vertical::Government,
        "commercial" | "construction" | "hospitality-leisure" | "infrastructure" | "mining" | "legal" => Vertical::Other,
        // spyglass's own vertical codes (its export writes them where STIX has no sector).
        s => return s.parse::<Vertical>().ok(),
    })
}

/// STIX threat-actor-type-ov → sponsorship; `None` when the actor has no types.
pub(crate) fn actor_sponsorship(types: &[Box<str>]) -> Option<Sponsorship> {
    if types.is_empty() {
        return None;
    }
    let has = |t: &str| types.iter().any(|x| x.eq_ignore_ascii_case(t));
    Some(if has("nation-state") {
        Sponsorship::State
    } else if has("crime-syndicate") || has("criminal") {
        Sponsorship::Criminal
    } else if has("activist") {
        Sponsorship::Hacktivist
    } else {
        Sponsorship::Unknown
    })
}

/// An incident type label (OpenCTI `incident_type`, custom `incident_types`) → normalised type.
pub(crate) fn incident_type(label: &str) -> Option<IncidentType> {
    let l = label.trim().to_ascii_lowercase();
    Some(match l.as_str() {
        "ransomware" => IncidentType::Ransomware,
        "espionage" | "cyber-espionage" => IncidentType::Espionage,
        "data-breach" | "data-theft" | "data-leak" | "exfiltration" => IncidentType::DataTheft,
        "defacement" => IncidentType::Defacement,
        "denial-of-service" | "ddos" | "dos" => IncidentType::Disruption,
        "sabotage" => IncidentType::Sabotage,
        "destruction" | "wiper" => IncidentType::Destruction,
        // spyglass's own type codes (its export writes them).
        l => return l.parse::<IncidentType>().ok(),
    })
}

/// OpenCTI's `x_opencti_reliability` (`C - Fairly reliable`) → Admiralty letter.
pub(crate) fn reliability(s: &str) -> Option<Reliability> {
    match s.trim().chars().next()?.to_ascii_uppercase() {
        'A' => Some(Reliability::A),
        'B' => Some(Reliability::B),
        'C' => Some(Reliability::C),
        'D' => Some(Reliability::D),
        'E' => Some(Reliability::E),
        'F' => Some(Reliability::F),
        _ => None,
    }
}

/// Object types defined by STIX 2.1 (SDOs, SROs, SCOs, meta objects); others are custom.
pub(crate) const SPEC_TYPES: &[&str] = &[
    "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
    "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
    "opinion", "report", "threat-actor", "tool", "vulnerability", "relationship", "sighting", "artifact",
    "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file", "ipv4-addr",
    "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url", "user-account",
    "windows-registry-key", "x509-certificate", "marking-definition", "language-content",
    "extension-definition", "bundle",
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn tlp_markings_and_definitions() {
        assert_eq!(tlp_markings().count(), 9);
        assert_eq!(marking_tlp(Some("white"), None, None), Some(Tlp::Clear));
        assert_eq!(marking_tlp(None, Some("amber+strict"), None), Some(Tlp::AmberStrict));
        assert_eq!(marking_tlp(None, None, Some("TLP:CLEAR")), Some(Tlp::Clear));
        assert_eq!(marking_tlp(None, None, Some("Copyright MITRE")), None);
    }

    #[test]
    fn vocabularies() {
        assert_eq!(sector_vertical("government-national"), Some(Vertical::Government));
        assert_eq!(sector_vertical("Telecommunications"), Some(Vertical::Telecom));
        assert_eq!(sector_vertical("unknown-sector"), None);
        let t = |v: &[&str]| v.iter().map(|s| Box::<str>::from(*s)).collect::<Vec<_>>();
        assert_eq!(actor_sponsorship(&t(&["spy", "nation-state"])), Some(Sponsorship::State));
        assert_eq!(actor_sponsorship(&t(&["crime-syndicate"])), Some(Sponsorship::Criminal));
        assert_eq!(actor_sponsorship(&t(&["hacker"])), Some(Sponsorship::Unknown));
        assert_eq!(actor_sponsorship(&[]), None);
        assert_eq!(reliability("C - Fairly reliable"), Some(Reliability::C));
        assert_eq!(incident_type("research-finding"), None);
        // spyglass's own codes read back (the export writes them)
        assert_eq!(incident_type("financial_theft"), Some(IncidentType::FinancialTheft));
        assert_eq!(sector_vertical("cloud-hosting"), Some(Vertical::CloudHosting));
        assert_eq!(sector_vertical("ai_research"), Some(Vertical::AiResearch));
    }
}
