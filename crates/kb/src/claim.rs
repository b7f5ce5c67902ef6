//! Knowledge-base claims: flat rows a storage layer can write to one table.
//!
//! Loaders never build a graph; they state what a source says as [`KbClaim`]s. [`crate::Kb`] is built
//! from claims, so loading the same claims twice (or in another order) gives the same resolver.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::KbError;

/// What a [`KbClaim`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KbClaimKind {
    /// `actor` exists and is called `name` (its display name in that source).
    Actor,
    /// `name` denotes `actor`; `vendor` uses that name, when known.
    Alias,
    /// Evidence about who is behind `actor`: `sponsor` (ISO alpha-2) and/or `sponsorship`,
    /// with `evidence` ∈ {sponsor, origin, motive} and `confidence`.
    Sponsor,
    /// `actor` relates to `target`: `relation` ∈ {same-as, overlaps, similar}, with a `likelihood`.
    Link,
    /// An analyst says `actor` and `target` are one actor (`analyst`, `note` = reason).
    Merge,
    /// An analyst says `actor` and `target` are different actors.
    Split,
    /// A user override: `name` denotes `actor` (with `vendor`), and sets `sponsor`/`sponsorship`.
    Override,
}

impl KbClaimKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [KbClaimKind] = &[
        KbClaimKind::Actor,
        KbClaimKind::Alias,
        KbClaimKind::Sponsor,
        KbClaimKind::Link,
        KbClaimKind::Merge,
        KbClaimKind::Split,
        KbClaimKind::Override,
    ];

    /// The stable code used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            KbClaimKind::Actor => "actor",
            KbClaimKind::Alias => "alias",
            KbClaimKind::Sponsor => "sponsor",
            KbClaimKind::Link => "link",
            KbClaimKind::Merge => "merge",
            KbClaimKind::Split => "split",
            KbClaimKind::Override => "override",
        }
    }
}

impl fmt::Display for KbClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KbClaimKind {
    type Err = KbError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        KbClaimKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == norm)
            .ok_or_else(|| KbError::BadClaim {
                source_id: String::new(),
                record_ref: String::new(),
                reason: format!(
                    "unknown claim kind {s:?} (expected one of: actor, alias, sponsor, link, merge, split, override)"
                ),
            })
    }
}

impl Serialize for KbClaimKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KbClaimKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One row of the knowledge-base claims table.
///
/// Every claim names its `source_id` (e.g. `misp-galaxy:threat-actor`, `attack:enterprise`,
/// `overrides:my.csv`, `analyst`) and its `record_ref` (file and JSON path or line, e.g.
/// `threat-actor.json $.values[12].meta.synonyms[3]`). Fields a kind does not use are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KbClaim {
    pub kind: KbClaimKind,
    /// The subject actor id: `misp:<uuid>`, `attack:G0096`, `stix:intrusion-set--<uuid>`, `kb:<slug>`.
    pub actor: String,
    /// Actor display name, alias text, or the name an override is about.
    pub name: Option<String>,
    /// Who uses the alias (CrowdStrike, Microsoft, …).
    pub vendor: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub sponsor: Option<String>,
    /// A [`spyglass_model::Sponsorship`] code.
    pub sponsorship: Option<String>,
    /// Sponsor evidence class: `sponsor` (the source names a state sponsor), `origin` (a country of
    /// origin only), `motive` (criminal / hacktivist / private-sector motivation).
    pub evidence: Option<String>,
    /// The other actor of a link, merge or split.
    pub target: Option<String>,
    /// Link kind: `same-as`, `overlaps`, `similar`.
    pub relation: Option<String>,
    /// Estimative-language term (`likely`, `almost-certain`, …).
    pub likelihood: Option<String>,
    /// 0–100.
    pub confidence: Option<u8>,
    pub analyst: Option<String>,
    /// Reason (merge/split), note (override), or the words of the source (sponsor evidence).
    pub note: Option<String>,
    /// RFC 3339 time of an analyst claim; distinguishes a re-merge from a duplicate.
    pub recorded_at: Option<String>,
    pub source_id: String,
    pub record_ref: String,
}

impl KbClaim {
    /// An empty claim of `kind` about `actor`; set the other fields with struct update syntax.
    pub fn new(
        kind: KbClaimKind,
        actor: impl Into<String>,
        source_id: impl Into<String>,
        record_ref: impl Into<String>,
    ) -> Self {
        KbClaim {
            kind,
            actor: actor.into(),
            name: None,
            vendor: None,
            sponsor: None,
            sponsorship: None,
            evidence: None,
            target: None,
            relation: None,
            likelihood: None,
            confidence: None,
            analyst: None,
            note: None,
            recorded_at: None,
            source_id: source_id.into(),
            record_ref: record_ref.into(),
        }
    }

    /// `actor` is called `name`.
    pub fn actor(actor: &str, name: &str, source_id: &str, record_ref: &str) -> Self {
        KbClaim { name: Some(name.to_string()), ..KbClaim::new(KbClaimKind::Actor, actor, source_id, record_ref) }
    }

    /// `name` denotes `actor`, used by `vendor`.
    pub fn alias(actor: &str, name: &str, vendor: Option<&str>, source_id: &str, record_ref: &str) -> Self {
        KbClaim {
            name: Some(name.to_string()),
            vendor: vendor.map(str::to_string),
            ..KbClaim::new(KbClaimKind::Alias, actor, source_id, record_ref)
        }
    }

    /// Checks the fields a storage layer hands back: codes parse, required fields are present.
    pub fn validate(&self) -> Result<(), KbError> {
        let bad = |reason: String| KbError::BadClaim {
            source_id: self.source_id.clone(),
            record_ref: self.record_ref.clone(),
            reason,
        };
        if self.actor.trim().is_empty() {
            return Err(bad("empty actor id".into()));
        }
        if let Some(s) = &self.sponsorship {
            s.parse::<spyglass_model::Sponsorship>().map_err(|e| bad(e.to_string()))?;
        }
        if let Some(r) = &self.relation {
            crate::graph::LinkKind::parse(r).ok_or_else(|| bad(format!("unknown relation {r:?}")))?;
        }
        if let Some(l) = &self.likelihood {
            crate::Likelihood::parse(l).ok_or_else(|| bad(format!("unknown likelihood {l:?}")))?;
        }
        let needs_name = matches!(self.kind, KbClaimKind::Actor | KbClaimKind::Alias | KbClaimKind::Override);
        if needs_name && self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(bad(format!("{} claim without a name", self.kind)));
        }
        let needs_target = matches!(self.kind, KbClaimKind::Link | KbClaimKind::Merge | KbClaimKind::Split);
        if needs_target && self.target.is_none() {
            return Err(bad(format!("{} claim without a target", self.kind)));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for k in KbClaimKind::ALL {
            assert_eq!(k.as_str().parse::<KbClaimKind>().unwrap(), *k);
        }
        assert!("mergee".parse::<KbClaimKind>().is_err());
    }

    #[test]
    fn claim_serializes_flat() {
        let c = KbClaim::alias("misp:x", "APT41", Some("Mandiant"), "s", "f $.a");
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["kind"], "alias");
        assert_eq!(v["vendor"], "Mandiant");
        let back: KbClaim = serde_json::from_value(v).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn validate_rejects_bad_codes() {
        let mut c = KbClaim::new(KbClaimKind::Sponsor, "kb:x", "s", "r");
        c.sponsorship = Some("spy".into());
        assert!(c.validate().is_err());
        c.sponsorship = Some("criminal".into());
        assert!(c.validate().is_ok());
        let link = KbClaim::new(KbClaimKind::Link, "kb:x", "s", "r");
        assert!(link.validate().is_err(), "link without target");
    }
}
