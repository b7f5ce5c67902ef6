//! The dimensions a finding breaks incidents down by, as SQL giving (incident_id, key) rows.

use std::str::FromStr;

use serde::Serialize;

/// What to break the share down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// State sponsor (ISO alpha-2) under the policy.
    Sponsor,
    /// Actor resolved through the knowledge base (canonical name).
    Actor,
    /// Victim vertical (structured, else text).
    Vertical,
    /// AI asset sought (structured, else text).
    Asset,
    /// Incident type.
    Type,
    /// Start year.
    Year,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Sponsor => "sponsor",
            Dimension::Actor => "actor",
            Dimension::Vertical => "vertical",
            Dimension::Asset => "asset",
            Dimension::Type => "type",
            Dimension::Year => "year",
        }
    }

    /// SQL giving distinct `(incident_id, key)` rows.
    pub fn keys_sql(self) -> &'static str {
        match self {
            Dimension::Sponsor => "SELECT DISTINCT incident_id, sponsor AS key FROM incident_sponsors",
            Dimension::Actor => "SELECT DISTINCT incident_id, actor AS key FROM incident_actors",
            Dimension::Vertical => "SELECT DISTINCT incident_id, vertical AS key FROM incident_verticals",
            Dimension::Asset => "SELECT DISTINCT incident_id, asset AS key FROM incident_assets",
            Dimension::Type => {
                "SELECT DISTINCT incident_id, t AS key FROM (SELECT incident_id, unnest(types) AS t FROM scoped_incidents) x \
                 WHERE t IS NOT NULL"
            }
            Dimension::Year => {
                "SELECT DISTINCT incident_id, CAST(CAST(date_part('year', start_date) AS INT) AS VARCHAR) AS key \
                 FROM scoped_incidents WHERE start_date IS NOT NULL"
            }
        }
    }

    /// The key of incidents in the slice without any value of this dimension.
    pub fn none_key(self) -> &'static str {
        match self {
            Dimension::Sponsor => "none",
            Dimension::Actor => "unattributed",
            Dimension::Year => "undated",
            _ => "unknown",
        }
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sponsor" => Ok(Dimension::Sponsor),
            "actor" => Ok(Dimension::Actor),
            "vertical" => Ok(Dimension::Vertical),
            "asset" => Ok(Dimension::Asset),
            "type" => Ok(Dimension::Type),
            "year" => Ok(Dimension::Year),
            other => Err(format!("cannot break down by {other:?} (expected sponsor, actor, vertical, asset, type or year)")),
        }
    }
}
