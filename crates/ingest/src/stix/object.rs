//! One STIX object, deserialized leniently: only the properties the reader uses are kept, everything
//! else is skipped without allocating (`IgnoredAny`), custom `x_` properties are counted, and a
//! property of the wrong JSON type is recorded as a problem instead of failing the parse — so one bad
//! object never aborts the stream; only a JSON syntax error does.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::id::{Key, Kind};
use super::lenient::{
    Accept, BoolA, DefinitionA, ExtRefsA, ExtensionsA, Found, IntA, Lenient, RefA, RefListA, StrA, StrListA,
};

/// The properties of a STIX object the reader uses.
#[derive(Debug, Default)]
pub(crate) struct Obj {
    pub type_: Option<String>,
    pub id: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub published: Option<String>,
    pub relationship_type: Option<String>,
    pub source_ref: Option<Key>,
    pub target_ref: Option<Key>,
    pub sighting_of_ref: Option<Key>,
    pub created_by_ref: Option<Key>,
    pub identity_class: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub resource_level: Option<String>,
    /// OpenCTI's `incident_type` (one string) and any `incident_types` list.
    pub incident_types: Vec<String>,
    pub x_mitre_id: Option<String>,
    pub x_opencti_reliability: Option<String>,
    /// spyglass's own export: a report carrying a finding (not an incident, see `stix` docs).
    pub x_spyglass_finding: bool,
    /// spyglass's own export: an actor's sponsorship as spyglass stated it.
    pub x_spyglass_sponsorship: Option<String>,
    /// spyglass's own export: an actor object standing for an attribution that names no actor.
    pub x_spyglass_unnamed: Option<bool>,
    /// spyglass's own export: AI assets an incident sought (codes of the AI-asset taxonomy).
    pub x_spyglass_ai_assets: Vec<String>,
    pub definition_type: Option<String>,
    /// `definition.tlp` (TLP 1.0 marking definitions).
    pub definition_tlp: Option<String>,
    /// `extensions.*.tlp_2_0` (TLP 2.0 marking definitions).
    pub extension_tlp: Option<String>,
    pub confidence: Option<i64>,
    pub revoked: Option<bool>,
    pub sectors: Vec<String>,
    pub threat_actor_types: Vec<String>,
    pub report_types: Vec<String>,
    /// `object_refs` to kinds a report can use ([`Kind::is_report_ref`]); the rest are only counted.
    pub object_refs: Vec<Key>,
    pub where_sighted_refs: Vec<Key>,
    pub object_marking_refs: Vec<Key>,
    /// `external_references[]` as (`source_name`, `external_id`).
    pub external_ids: Vec<(String, String)>,
    /// Custom (`x_…`) properties seen.
    pub custom_properties: u32,
    /// Properties of the wrong JSON type: (property, what was found).
    pub problems: Vec<(&'static str, String)>,
}

/// The properties read, by name; `Custom` is any other `x_` property, `Objects` the bundle's array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Type,
    Id,
    Created,
    Modified,
    Name,
    Description,
    FirstSeen,
    LastSeen,
    Published,
    RelationshipType,
    SourceRef,
    TargetRef,
    SightingOfRef,
    CreatedByRef,
    IdentityClass,
    Country,
    Region,
    ResourceLevel,
    IncidentType,
    XMitreId,
    XOpenctiReliability,
    XSpyglassFinding,
    XSpyglassSponsorship,
    XSpyglassUnnamed,
    XSpyglassAiAssets,
    DefinitionType,
    Definition,
    Extensions,
    Confidence,
    Revoked,
    Sectors,
    ThreatActorTypes,
    ReportTypes,
    ObjectRefs,
    WhereSightedRefs,
    ObjectMarkingRefs,
    ExternalReferences,
    Objects,
    Custom,
    Other,
}

impl Field {
    fn from_name(s: &str) -> Field {
        match s {
            "type" => Field::Type,
            "id" => Field::Id,
            "created" => Field::Created,
            "modified" => Field::Modified,
            "name" => Field::Name,
            "description" => Field::Description,
            "first_seen" => Field::FirstSeen,
            "last_seen" => Field::LastSeen,
            "published" => Field::Published,
            "relationship_type" => Field::RelationshipType,
            "source_ref" => Field::SourceRef,
            "target_ref" => Field::TargetRef,
            "sighting_of_ref" => Field::SightingOfRef,
            "created_by_ref" => Field::CreatedByRef,
            "identity_class" => Field::IdentityClass,
            "country" => Field::Country,
            "region" => Field::Region,
            "resource_level" => Field::ResourceLevel,
            "incident_type" | "incident_types" => Field::IncidentType,
            "x_mitre_id" => Field::XMitreId,
            "x_opencti_reliability" => Field::XOpenctiReliability,
            "x_spyglass_finding" => Field::XSpyglassFinding,
            "x_spyglass_sponsorship" => Field::XSpyglassSponsorship,
            "x_spyglass_unnamed" => Field::XSpyglassUnnamed,
            "x_spyglass_ai_assets" => Field::XSpyglassAiAssets,
            "definition_type" => Field::DefinitionType,
            "definition" => Field::Definition,
            "extensions" => Field::Extensions,
            "confidence" => Field::Confidence,
            "revoked" => Field::Revoked,
            "sectors" => Field::Sectors,
            "threat_actor_types" => Field::ThreatActorTypes,
            "report_types" => Field::ReportTypes,
            "object_refs" => Field::ObjectRefs,
            "where_sighted_refs" => Field::WhereSightedRefs,
            "object_marking_refs" => Field::ObjectMarkingRefs,
            "external_references" => Field::ExternalReferences,
            "objects" => Field::Objects,
            s if s.starts_with("x_") => Field::Custom,
            _ => Field::Other,
        }
    }

    /// The JSON property name, for error paths.
    pub fn name(self) -> &'static str {
        match self {
            Field::Type => "type",
            Field::Id => "id",
            Field::Created => "created",
            Field::Modified => "modified",
            Field::Name => "name",
            Field::Description => "description",
            Field::FirstSeen => "first_seen",
            Field::LastSeen => "last_seen",
            Field::Published => "published",
            Field::RelationshipType => "relationship_type",
            Field::SourceRef => "source_ref",
            Field::TargetRef => "target_ref",
            Field::SightingOfRef => "sighting_of_ref",
            Field::CreatedByRef => "created_by_ref",
            Field::IdentityClass => "identity_class",
            Field::Country => "country",
            Field::Region => "region",
            Field::ResourceLevel => "resource_level",
            Field::IncidentType => "incident_type",
            Field::XMitreId => "x_mitre_id",
            Field::XOpenctiReliability => "x_opencti_reliability",
            Field::XSpyglassFinding => "x_spyglass_finding",
            Field::XSpyglassSponsorship => "x_spyglass_sponsorship",
            Field::XSpyglassUnnamed => "x_spyglass_unnamed",
            Field::XSpyglassAiAssets => "x_spyglass_ai_assets",
            Field::DefinitionType => "definition_type",
            Field::Definition => "definition",
            Field::Extensions => "extensions",
            Field::Confidence => "confidence",
            Field::Revoked => "revoked",
            Field::Sectors => "sectors",
            Field::ThreatActorTypes => "threat_actor_types",
            Field::ReportTypes => "report_types",
            Field::ObjectRefs => "object_refs",
            Field::WhereSightedRefs => "where_sighted_refs",
            Field::ObjectMarkingRefs => "object_marking_refs",
            Field::ExternalReferences => "external_references",
            Field::Objects => "objects",
            Field::Custom => "x_…",
            Field::Other => "…",
        }
    }
}

impl<'de> de::Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(Field::from_name(v))
            }
        }
        d.deserialize_identifier(V)
    }
}

fn note<T>(obj: &mut Obj, field: Field, v: Found<T>, store: impl FnOnce(&mut Obj, T)) {
    match v {
        Ok(x) => store(obj, x),
        Err(found) => obj.problems.push((field.name(), found.to_string())),
    }
}

/// Reads the value of `field` into `obj`. `Objects` is the caller's (the bundle visitor's) business.
pub(crate) fn read_field<'de, A: MapAccess<'de>>(map: &mut A, obj: &mut Obj, field: Field) -> Result<(), A::Error> {
    macro_rules! string {
        ($slot:ident) => {{
            let v = map.next_value_seed(Lenient(StrA))?;
            note(obj, field, v, |o, x| o.$slot = x);
        }};
    }
    macro_rules! strings {
        ($slot:ident) => {{
            let v = map.next_value_seed(Lenient(StrListA))?;
            note(obj, field, v, |o, x| o.$slot = x);
        }};
    }
    macro_rules! reference {
        ($slot:ident) => {{
            let v = map.next_value_seed(Lenient(RefA))?;
            note(obj, field, v, |o, x| o.$slot = x);
        }};
    }
    match field {
        Field::Type => string!(type_),
        Field::Id => string!(id),
        Field::Created => string!(created),
        Field::Modified => string!(modified),
        Field::Name => string!(name),
        Field::Description => string!(description),
        Field::FirstSeen => string!(first_seen),
        Field::LastSeen => string!(last_seen),
        Field::Published => string!(published),
        Field::RelationshipType => string!(relationship_type),
        Field::SourceRef => reference!(source_ref),
        Field::TargetRef => reference!(target_ref),
        Field::SightingOfRef => reference!(sighting_of_ref),
        Field::CreatedByRef => reference!(created_by_ref),
        Field::IdentityClass => string!(identity_class),
        Field::Country => string!(country),
        Field::Region => string!(region),
        Field::ResourceLevel => string!(resource_level),
        Field::IncidentType => strings!(incident_types),
        Field::XMitreId => {
            obj.custom_properties += 1;
            string!(x_mitre_id)
        }
        Field::XOpenctiReliability => {
            obj.custom_properties += 1;
            string!(x_opencti_reliability)
        }
        Field::XSpyglassFinding => {
            obj.custom_properties += 1;
            obj.x_spyglass_finding = true;
            map.next_value::<IgnoredAny>()?;
        }
        Field::XSpyglassSponsorship => {
            obj.custom_properties += 1;
            string!(x_spyglass_sponsorship)
        }
        Field::XSpyglassUnnamed => {
            obj.custom_properties += 1;
            let v = map.next_value_seed(Lenient(BoolA))?;
            note(obj, field, v, |o, x| o.x_spyglass_unnamed = x);
        }
        Field::XSpyglassAiAssets => {
            obj.custom_properties += 1;
            strings!(x_spyglass_ai_assets)
        }
        Field::DefinitionType => string!(definition_type),
        Field::Definition => {
            let v = map.next_value_seed(Lenient(DefinitionA))?;
            note(obj, field, v, |o, x| o.definition_tlp = x);
        }
        Field::Extensions => {
            let v = map.next_value_seed(Lenient(ExtensionsA))?;
            note(obj, field, v, |o, x| o.extension_tlp = x);
        }
        Field::Confidence => {
            let v = map.next_value_seed(Lenient(IntA))?;
            note(obj, field, v, |o, x| o.confidence = x);
        }
        Field::Revoked => {
            let v = map.next_value_seed(Lenient(BoolA))?;
            note(obj, field, v, |o, x| o.revoked = x);
        }
        Field::Sectors => strings!(sectors),
        Field::ThreatActorTypes => strings!(threat_actor_types),
        Field::ReportTypes => strings!(report_types),
        Field::ObjectRefs => {
            let v = map.next_value_seed(Lenient(RefListA { keep: Kind::is_report_ref }))?;
            note(obj, field, v, |o, x| o.object_refs = x);
        }
        Field::WhereSightedRefs => {
            let v = map.next_value_seed(Lenient(RefListA { keep: |_| true }))?;
            note(obj, field, v, |o, x| o.where_sighted_refs = x);
        }
        Field::ObjectMarkingRefs => {
            let v = map.next_value_seed(Lenient(RefListA { keep: |k| k == Kind::MarkingDefinition }))?;
            note(obj, field, v, |o, x| o.object_marking_refs = x);
        }
        Field::ExternalReferences => {
            let v = map.next_value_seed(Lenient(ExtRefsA))?;
            note(obj, field, v, |o, x| o.external_ids = x);
        }
        Field::Custom => {
            obj.custom_properties += 1;
            map.next_value::<IgnoredAny>()?;
        }
        Field::Objects | Field::Other => {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

/// Seed for one element of `objects`: an object, or a problem saying what was there instead.
pub(crate) struct ObjSeed;

impl<'de> DeserializeSeed<'de> for ObjSeed {
    type Value = Obj;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Obj, D::Error> {
        let found = d.deserialize_any(Lenient(ObjA))?;
        Ok(found.unwrap_or_else(|kind| Obj { problems: vec![("", format!("expected an object, found {kind}"))], ..Obj::default() }))
    }
}

struct ObjA;
impl<'de> Accept<'de> for ObjA {
    type Out = Obj;
    fn null(self) -> Found<Obj> {
        Err("null")
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Obj>, A::Error> {
        let mut obj = Obj::default();
        while let Some(field) = map.next_key::<Field>()? {
            read_field(&mut map, &mut obj, field)?;
        }
        Ok(Ok(obj))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn parse(s: &str) -> Obj {
        let mut de = serde_json::Deserializer::from_str(s);
        ObjSeed.deserialize(&mut de).unwrap()
    }

    #[test]
    fn reads_used_properties_and_counts_custom_ones() {
        let o = parse(
            r#"{"type": "report", "id": "report--1", "name": "R", "object_refs": ["indicator--a", "intrusion-set--b"],
                "x_opencti_id": "z", "x_custom": {"deep": [1, 2]}, "labels": ["l"], "confidence": 75.0,
                "external_references": [{"source_name": "mitre-atlas", "external_id": "AML.T0024"}, {"url": "u"}],
                "extensions": {"extension-definition--60a3c5c5": {"tlp_2_0": "amber+strict"}},
                "definition": {"tlp": "red"}}"#,
        );
        assert!(o.problems.is_empty(), "{:?}", o.problems);
        assert_eq!(o.type_.as_deref(), Some("report"));
        assert_eq!(o.object_refs.len(), 1);
        assert_eq!(o.object_refs[0].kind, Kind::IntrusionSet);
        assert_eq!(o.custom_properties, 2);
        assert_eq!(o.confidence, Some(75));
        assert_eq!(o.external_ids, [("mitre-atlas".to_string(), "AML.T0024".to_string())]);
        assert_eq!(o.extension_tlp.as_deref(), Some("amber+strict"));
        assert_eq!(o.definition_tlp.as_deref(), Some("red"));
    }

    #[test]
    fn wrong_types_are_problems_not_errors() {
        let o = parse(r#"{"type": 3, "name": ["a"], "object_refs": ["nope", 4], "confidence": "high", "revoked": "no", "sectors": [1]}"#);
        let fields: Vec<&str> = o.problems.iter().map(|p| p.0).collect();
        assert_eq!(fields, ["type", "name", "object_refs", "confidence", "revoked", "sectors"]);
        assert_eq!(o.problems[0].1, "a number");
        let o = parse("[1, 2]");
        assert_eq!(o.problems[0].1, "expected an object, found an array");
    }
}
