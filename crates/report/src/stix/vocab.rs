//! Fixed STIX vocabulary of the export: deterministic ids, timestamps, the TLP 2.0 marking
//! definitions, verticals as industry sectors, spyglass's own identity and extension definition.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use spyglass_model::{Tlp, Vertical};
use uuid::Uuid;

/// The UUIDv5 namespace of every id spyglass makes (itself a v5 id of a fixed name), so the same
/// claim gets the same STIX id in every export, from every store.
static NAMESPACE: LazyLock<Uuid> = LazyLock::new(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, b"spyglass:stix-2.1-export"));

/// `type--uuidv5(type|key)`.
pub fn stix_id(type_: &str, key: &str) -> String {
    format!("{type_}--{}", Uuid::new_v5(&NAMESPACE, format!("{type_}|{key}").as_bytes()))
}

/// The id of the TLP 2.0 extension definition (OASIS cti-stix-common-objects).
pub const TLP_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The five TLP 2.0 marking definitions, with the ids and content OASIS publishes for them
/// (cti-stix-common-objects, `extension-definition-specifications/tlp-2.0`); the ingest reader
/// knows the same ids.
const TLP_MARKINGS: &[(Tlp, &str, &str)] = &[
    (Tlp::Clear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"),
    (Tlp::Green, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"),
    (Tlp::Amber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"),
    (Tlp::AmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT"),
    (Tlp::Red, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"),
];

/// The marking-definition id of a TLP level.
pub fn tlp_marking_id(t: Tlp) -> &'static str {
    TLP_MARKINGS.iter().find(|(l, _, _)| *l == t).map_or(TLP_MARKINGS[0].1, |(_, id, _)| id)
}

/// The published marking-definition object of a TLP level.
pub fn tlp_marking(t: Tlp) -> Value {
    let (_, id, name) = TLP_MARKINGS.iter().find(|(l, _, _)| *l == t).copied().unwrap_or(TLP_MARKINGS[0]);
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": name,
        "extensions": {
            TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": t.as_str()}
        }
    })
}

/// When spyglass's own identity and extension definition were first published (fixed, so they
/// are the same objects in every export).
const SPYGLASS_CREATED: &str = "2026-01-01T00:00:00.000Z";

pub static SPYGLASS_IDENTITY: LazyLock<String> = LazyLock::new(|| stix_id("identity", "spyglass"));
pub static SPYGLASS_EXTENSION: LazyLock<String> = LazyLock::new(|| stix_id("extension-definition", "spyglass-claims-1"));

/// Top-level properties spyglass adds (declared by its extension definition).
pub const EXTENSION_PROPERTIES: &[&str] = &[
    "first_seen",
    "last_seen",
    "incident_types",
    "x_spyglass_ai_assets",
    "x_spyglass_sponsorship",
    "x_spyglass_unnamed",
    "x_spyglass_kb_actor",
    "x_spyglass_vendor_names",
    "x_spyglass_finding",
];

/// `extensions` value that declares spyglass's top-level properties on an object.
pub fn extension_ref() -> Value {
    json!({ SPYGLASS_EXTENSION.as_str(): {"extension_type": "toplevel-property-extension"} })
}

/// spyglass as a STIX identity (creator of findings and of the extension definition).
pub fn spyglass_identity() -> Value {
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": SPYGLASS_IDENTITY.as_str(),
        "created": SPYGLASS_CREATED,
        "modified": SPYGLASS_CREATED,
        "name": "spyglass",
        "identity_class": "system",
        "description": "spyglass: claims about state-sponsored espionage against AI assets, with provenance and findings with their uncertainty"
    })
}

/// The extension definition of spyglass's top-level properties.
pub fn spyglass_extension() -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": SPYGLASS_EXTENSION.as_str(),
        "created_by_ref": SPYGLASS_IDENTITY.as_str(),
        "created": SPYGLASS_CREATED,
        "modified": SPYGLASS_CREATED,
        "name": "spyglass claims",
        "description": "Properties spyglass adds so an export reads back to the claims it was made from: \
            incident first_seen/last_seen/incident_types (as OpenCTI writes them), AI assets sought, an \
            actor's sponsorship as the source stated it, attributions \
            that name no actor, the knowledge-base actor and per-vendor names of an intrusion set, and the \
            figures of a finding.",
        "schema": "https://example.invalid/spyglass/stix-extension/1.0.0",
        "version": "1.0.0",
        "extension_types": ["toplevel-property-extension"],
        "extension_properties": EXTENSION_PROPERTIES,
    })
}

/// RFC 3339 with millisecond precision in UTC, as STIX requires.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A timestamp from microseconds since the epoch (the store's `ingested_at`).
pub fn micros(us: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_micros(us).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Midnight UTC of a `YYYY-MM-DD` date.
pub fn date_start(d: &str) -> Option<DateTime<Utc>> {
    NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// A vertical as STIX `sectors`: the industry-sector-ov value where one says the same thing;
/// spyglass's own code first where the vocabulary is coarser (the ingest reader takes the first
/// sector it knows, so a tech vertical reads back as itself, and other tools still see
/// `technology`).
pub fn sectors(v: Vertical) -> Vec<&'static str> {
    match v {
        Vertical::Software => vec!["software", "technology"],
        Vertical::CloudHosting => vec!["cloud-hosting", "technology"],
        Vertical::Semiconductors => vec!["semiconductors", "technology"],
        Vertical::AiResearch => vec!["ai-research", "technology"],
        Vertical::HardwareElectronics => vec!["hardware-electronics", "technology"],
        Vertical::OtherTech => vec!["technology"],
        Vertical::Telecom => vec!["telecommunications"],
        Vertical::Government => vec!["government"],
        Vertical::Defence => vec!["defense"],
        Vertical::Finance => vec!["financial-services"],
        Vertical::Energy => vec!["energy"],
        Vertical::Health => vec!["healthcare"],
        Vertical::Transportation => vec!["transportation"],
        Vertical::Manufacturing => vec!["manufacturing"],
        Vertical::Education => vec!["education"],
        Vertical::Research => vec!["research"],
        Vertical::Media => vec!["entertainment"],
        Vertical::CivilSociety => vec!["non-profit"],
        Vertical::Water => vec!["water"],
        Vertical::Chemicals => vec!["chemical"],
        Vertical::Food => vec!["agriculture"],
        Vertical::Space => vec!["space", "aerospace"],
        Vertical::Retail => vec!["retail"],
        Vertical::Other => vec!["other"],
    }
}

/// `mitre-atlas` for ATLAS ids, `mitre-attack` otherwise, with the technique's page.
pub fn technique_reference(id: &str) -> Value {
    if id.starts_with("AML.") {
        json!({"source_name": "mitre-atlas", "external_id": id, "url": format!("https://atlas.mitre.org/techniques/{id}")})
    } else {
        let path = id.replace('.', "/");
        json!({"source_name": "mitre-attack", "external_id": id, "url": format!("https://attack.mitre.org/techniques/{path}/")})
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_v5() {
        let a = stix_id("incident", "eurepoc:1");
        assert_eq!(a, stix_id("incident", "eurepoc:1"));
        assert_ne!(a, stix_id("incident", "eurepoc:2"));
        assert_ne!(stix_id("location", "RU"), stix_id("identity", "RU"));
        let u = Uuid::parse_str(a.strip_prefix("incident--").unwrap()).unwrap();
        assert_eq!(u.get_version_num(), 5);
    }

    #[test]
    fn tlp_markings_are_the_published_ones() {
        assert_eq!(tlp_marking_id(Tlp::Red), "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
        let m = tlp_marking(Tlp::AmberStrict);
        assert_eq!(m["name"], "TLP:AMBER+STRICT");
        assert_eq!(m["extensions"][TLP_EXTENSION]["tlp_2_0"], "amber+strict");
        for t in Tlp::ALL {
            assert_eq!(tlp_marking(*t)["id"], tlp_marking_id(*t));
        }
    }

    #[test]
    fn timestamps_have_milliseconds() {
        assert_eq!(timestamp(micros(1_600_000_000_123_456)), "2020-09-13T12:26:40.123Z");
        assert_eq!(timestamp(date_start("2019-02-06").unwrap()), "2019-02-06T00:00:00.000Z");
        assert!(date_start("2019-13-01").is_none());
    }

    #[test]
    fn every_vertical_has_a_sector() {
        for v in Vertical::ALL {
            assert!(!sectors(*v).is_empty(), "{v}");
        }
    }
}
