//! The written policy every finding applies and prints.

use serde::{Deserialize, Serialize};

use crate::Sponsorship;

/// What counts as a state sponsor of an incident.
///
/// Findings print the policy they used so anyone can reproduce them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Sponsorship values that make an attributed country a state sponsor.
    pub state_sponsorships: Vec<Sponsorship>,
    /// Attributions below this confidence (0–100) are ignored; claims without a confidence pass.
    pub min_confidence: Option<u8>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            state_sponsorships: vec![Sponsorship::State, Sponsorship::StateAffiliated],
            min_confidence: None,
        }
    }
}

impl Policy {
    /// A one-line description for human output.
    pub fn describe(&self) -> String {
        let kinds: Vec<&str> = self.state_sponsorships.iter().map(|s| s.as_str()).collect();
        let mut out = format!("state sponsor = attributed country with sponsorship in {{{}}}", kinds.join(", "));
        if let Some(c) = self.min_confidence {
            out.push_str(&format!(", attribution confidence >= {c}"));
        }
        out
    }
}
