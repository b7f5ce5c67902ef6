//! Claim types, identifiers, ISO 3166-1 countries and the AI-asset taxonomy.
//!
//! This crate has no I/O: readers produce these values, the store persists them, findings read them.

pub mod claim;
pub mod country;
pub mod policy;
pub mod query;
pub mod taxonomy;

pub use claim::{
    AssetClaim, AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, Reliability, Source,
    SourceKind, TechniqueClaim, VictimClaim,
};
pub use policy::{Policy, SecondarySponsors};
pub use taxonomy::{AiAsset, IncidentType, Sponsorship, Tlp, Vertical};

/// Error for values that do not parse into a model type.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("unknown {what} {value:?} (expected one of: {expected})")]
    UnknownValue {
        what: &'static str,
        value: String,
        expected: String,
    },
}
