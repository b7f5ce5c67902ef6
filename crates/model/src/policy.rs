//! The written policy every finding applies and prints.

use serde::{Deserialize, Serialize};

use crate::{ModelError, Sponsorship, Tlp};

/// Whether a secondary source of sponsors (the knowledge base, text extraction) adds to an
/// incident's state sponsors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SecondarySponsors {
    /// Never: only what the source's own structured fields say.
    #[default]
    Off,
    /// Only for incidents that have no sponsor from structured fields.
    Fill,
    /// Always, next to the structured sponsors (disagreements count for both).
    Add,
}

impl SecondarySponsors {
    pub fn as_str(self) -> &'static str {
        match self {
            SecondarySponsors::Off => "off",
            SecondarySponsors::Fill => "fill",
            SecondarySponsors::Add => "add",
        }
    }
}

impl std::str::FromStr for SecondarySponsors {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "no" | "none" => Ok(SecondarySponsors::Off),
            "fill" => Ok(SecondarySponsors::Fill),
            "add" | "on" | "yes" => Ok(SecondarySponsors::Add),
            other => Err(ModelError::UnknownValue {
                what: "sponsor source setting",
                value: other.to_string(),
                expected: "off, fill, add".into(),
            }),
        }
    }
}

/// What counts as a state sponsor of an incident, and which labels findings use.
///
/// Findings print the policy they used so anyone can reproduce them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Sponsorship values that make an attributed country a state sponsor.
    pub state_sponsorships: Vec<Sponsorship>,
    /// Attributions below this confidence (0–100) are ignored; claims without a confidence pass.
    pub min_confidence: Option<u8>,
    /// Sponsors of actors resolved through the knowledge base (default off: the dataset's own
    /// attribution decides; `fill` uses the KB where the dataset names no sponsor).
    pub kb_sponsors: SecondarySponsors,
    /// Sponsors found by text extraction in descriptions (default off).
    pub text_sponsors: SecondarySponsors,
    /// Use verticals and AI assets found by text extraction where the structured fields give none
    /// (structured fields always win when both exist).
    pub text_labels: bool,
    /// Use the vertical of the listed company a victim was linked to (`companies link`) where the
    /// source gives no structured vertical (before text labels).
    #[serde(default = "yes")]
    pub company_verticals: bool,
    /// Count exercises and red-team case studies (ATLAS) as incidents.
    pub include_exercises: bool,
    /// Count an operation reported by several sources once (same-as groups).
    pub collapse_duplicates: bool,
    /// Scored same-as candidates at or above this score (0–100) join a group without an analyst's
    /// confirmation; `None`: only confirmed pairs. Rejected pairs never join.
    pub duplicate_min_score: Option<u8>,
    /// The highest TLP marking the reader may see; claims marked above it are invisible to every
    /// view, count and export (`None`: the store owner's local view, everything). Unmarked claims
    /// count as TLP:CLEAR.
    #[serde(default)]
    pub tlp_clearance: Option<Tlp>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            state_sponsorships: vec![Sponsorship::State, Sponsorship::StateAffiliated],
            min_confidence: None,
            kb_sponsors: SecondarySponsors::Off,
            text_sponsors: SecondarySponsors::Off,
            text_labels: true,
            company_verticals: true,
            include_exercises: false,
            collapse_duplicates: true,
            duplicate_min_score: Some(85),
            tlp_clearance: None,
        }
    }
}

fn yes() -> bool {
    true
}

impl Policy {
    /// A one-line description for human output.
    pub fn describe(&self) -> String {
        let kinds: Vec<&str> = self.state_sponsorships.iter().map(|s| s.as_str()).collect();
        let mut out = format!("state sponsor = attributed country with sponsorship in {{{}}}", kinds.join(", "));
        if let Some(c) = self.min_confidence {
            out.push_str(&format!(", attribution confidence >= {c}"));
        }
        if self.kb_sponsors != SecondarySponsors::Off {
            out.push_str(&format!("; KB actor sponsors: {}", self.kb_sponsors.as_str()));
        }
        if self.text_sponsors != SecondarySponsors::Off {
            out.push_str(&format!("; text sponsors: {}", self.text_sponsors.as_str()));
        }
        out.push_str(match (self.company_verticals, self.text_labels) {
            (true, true) => "; verticals: structured, else linked company's, else text; assets: structured, else text",
            (true, false) => "; verticals: structured, else linked company's; assets: structured only",
            (false, true) => "; verticals/assets: structured, else text",
            (false, false) => "; verticals/assets: structured only",
        });
        if self.include_exercises {
            out.push_str("; exercises included");
        }
        match (self.collapse_duplicates, self.duplicate_min_score) {
            (false, _) => out.push_str("; cross-source duplicates not collapsed"),
            (true, Some(s)) => out.push_str(&format!("; duplicates collapsed (confirmed, or scored >= {s})")),
            (true, None) => out.push_str("; duplicates collapsed (confirmed only)"),
        }
        if let Some(t) = self.tlp_clearance {
            out.push_str(&format!("; claims up to TLP:{}", t.as_str().to_ascii_uppercase()));
        }
        out
    }

    /// The score (0–1) from which scored candidates join a group, if duplicates collapse at all;
    /// above 1 when only confirmed pairs do.
    pub fn collapse_threshold(&self) -> Option<f64> {
        if !self.collapse_duplicates {
            return None;
        }
        Some(self.duplicate_min_score.map_or(1.1, |s| f64::from(s) / 100.0))
    }
}
