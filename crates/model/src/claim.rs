//! Claims: what a source says, with where it said it.
//!
//! Readers produce [`IncidentRecord`]s: one incident claim and the claims hanging off it. The store
//! adds the batch id and ingestion time when it commits the batch, so every stored claim carries
//! source id, record reference, batch id and ingested-at (design.md, "Claims, not mutable records").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AiAsset, IncidentType, ModelError, Sponsorship, Tlp, Vertical};

/// What kind of party a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Dataset,
    VendorReport,
    Government,
    Media,
    Analyst,
    Feed,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Dataset => "dataset",
            SourceKind::VendorReport => "vendor_report",
            SourceKind::Government => "government",
            SourceKind::Media => "media",
            SourceKind::Analyst => "analyst",
            SourceKind::Feed => "feed",
        }
    }
}

impl std::str::FromStr for SourceKind {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "dataset" => SourceKind::Dataset,
            "vendor_report" | "vendor" => SourceKind::VendorReport,
            "government" => SourceKind::Government,
            "media" => SourceKind::Media,
            "analyst" => SourceKind::Analyst,
            "feed" => SourceKind::Feed,
            _ => {
                return Err(ModelError::UnknownValue {
                    what: "source kind",
                    value: s.to_string(),
                    expected: "dataset, vendor_report, government, media, analyst, feed".into(),
                });
            }
        })
    }
}

/// Admiralty source reliability: A (reliable) … F (cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    pub fn as_str(self) -> &'static str {
        match self {
            Reliability::A => "A",
            Reliability::B => "B",
            Reliability::C => "C",
            Reliability::D => "D",
            Reliability::E => "E",
            Reliability::F => "F",
        }
    }
}

/// Where facts come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable id, e.g. `eurepoc` or `jsonl:acme-feed`.
    pub id: String,
    pub kind: SourceKind,
    pub name: String,
    pub reliability: Option<Reliability>,
}

/// How a claim was derived from its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimMethod {
    /// A structured field of the source said so.
    Structured,
    /// A text rule matched words in a description.
    Text,
    /// An analyst said so.
    Analyst,
}

impl ClaimMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimMethod::Structured => "structured",
            ClaimMethod::Text => "text",
            ClaimMethod::Analyst => "analyst",
        }
    }
}

/// An intrusion or operation happened.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IncidentClaim {
    /// Namespaced id, e.g. `eurepoc:412`.
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Normalised types.
    pub types: Vec<IncidentType>,
    /// The source's own type labels, verbatim.
    pub types_raw: Vec<String>,
    pub tlp: Option<Tlp>,
    /// Whether data was stolen, when the source says.
    pub data_theft: Option<bool>,
}

/// The incident hit this organisation (or this kind of organisation).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VictimClaim {
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2, when the country name mapped.
    pub country: Option<String>,
    /// The source's country text, verbatim.
    pub country_raw: Option<String>,
    /// The source's own category label, verbatim.
    pub category: Option<String>,
    /// The source's sub-category label, verbatim.
    pub subcode: Option<String>,
    pub vertical: Option<Vertical>,
    pub ticker: Option<String>,
    pub method: Option<ClaimMethod>,
}

/// This party says actor X (sponsor S) did it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AttributionClaim {
    /// The actor name as the source wrote it.
    pub actor_raw: Option<String>,
    /// Canonical actor id, once resolved through the knowledge base.
    pub actor: Option<String>,
    /// Sponsor nation, ISO 3166-1 alpha-2.
    pub sponsor: Option<String>,
    /// The source's country text, verbatim.
    pub sponsor_raw: Option<String>,
    pub sponsorship: Option<Sponsorship>,
    /// The source's own category label, verbatim.
    pub sponsorship_raw: Option<String>,
    pub attributed_by: Option<String>,
    pub basis: Option<String>,
    pub attributed_on: Option<NaiveDate>,
    /// 0–100.
    pub confidence: Option<u8>,
    pub method: Option<ClaimMethod>,
}

/// The incident targeted this AI asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetClaim {
    pub category: AiAsset,
    /// The words that justify the label (or the structured field it came from).
    pub evidence: Option<String>,
    pub method: ClaimMethod,
}

/// The incident used this technique: a MITRE ATT&CK (`T1566.001`) or ATLAS (`AML.T0024.002`) id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechniqueClaim {
    /// The technique id as MITRE writes it.
    pub id: String,
    pub name: Option<String>,
    /// The words that justify it (or the structured field it came from).
    pub evidence: Option<String>,
    pub method: ClaimMethod,
}

impl TechniqueClaim {
    /// Whether `id` is shaped like a MITRE ATT&CK (`T1566`, `T1566.001`) or ATLAS (`AML.T0024`,
    /// `AML.T0024.002`) technique id.
    pub fn is_technique_id(id: &str) -> bool {
        let Some(rest) = id.strip_prefix("AML.").unwrap_or(id).strip_prefix('T') else { return false };
        let mut parts = rest.split('.');
        let main_ok = parts.next().is_some_and(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()));
        let subs: Vec<&str> = parts.collect();
        main_ok && subs.len() <= 1 && subs.iter().all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// One record of a source: an incident claim and the claims about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRecord {
    pub source_id: String,
    /// Where in the input this came from: `line 412`, `$.objects[3]`, a native id.
    pub record_ref: String,
    pub incident: IncidentClaim,
    pub victims: Vec<VictimClaim>,
    pub attributions: Vec<AttributionClaim>,
    pub assets: Vec<AssetClaim>,
    #[serde(default)]
    pub techniques: Vec<TechniqueClaim>,
}

impl IncidentRecord {
    /// A record with only an incident claim.
    pub fn new(source_id: impl Into<String>, record_ref: impl Into<String>, incident: IncidentClaim) -> Self {
        IncidentRecord {
            source_id: source_id.into(),
            record_ref: record_ref.into(),
            incident,
            victims: Vec::new(),
            attributions: Vec::new(),
            assets: Vec::new(),
            techniques: Vec::new(),
        }
    }
}

#[cfg(test)]
mod technique_tests {
    use super::TechniqueClaim;

    #[test]
    fn technique_id_shapes() {
        for ok in ["T1566", "T1566.001", "AML.T0024", "AML.T0024.002"] {
            assert!(TechniqueClaim::is_technique_id(ok), "{ok}");
        }
        for bad in ["", "T", "T15", "G0006", "AML.T24", "T1566.1", "T1566.001.002", "t1566"] {
            assert!(!TechniqueClaim::is_technique_id(bad), "{bad}");
        }
    }
}
