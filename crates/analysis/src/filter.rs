//! Slice filters shared by findings, turned into SQL over the policy views.

use serde::Serialize;
use spyglass_model::{AiAsset, IncidentType, Sponsorship, Vertical};

use crate::sqlutil::lit;

/// Which AI assets an incident must have been after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetFilter {
    /// Any AI asset at all.
    Any,
    /// At least one of these.
    OneOf(Vec<AiAsset>),
}

/// Which incidents a finding looks at. Every condition must hold.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    /// Only incidents with at least one state sponsor under the policy.
    pub state_sponsored: bool,
    /// Only incidents with an attribution whose sponsorship is one of these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sponsorship: Vec<Sponsorship>,
    /// Only incidents with one of these state sponsors (ISO alpha-2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sponsors: Vec<String>,
    /// Only incidents against one of these verticals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub verticals: Vec<Vertical>,
    /// Only incidents after AI assets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assets: Option<AssetFilter>,
    /// Only incidents of one of these types.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<IncidentType>,
    /// First year (by start date), inclusive. Incidents without a start date are left out when set.
    pub since: Option<i32>,
    /// Last year (by start date), inclusive.
    pub until: Option<i32>,
    /// Source names or ids (case-insensitive); empty means every source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

fn in_list<T>(items: &[T], f: impl Fn(&T) -> &str) -> String {
    items.iter().map(|x| lit(f(x))).collect::<Vec<_>>().join(", ")
}

impl Filters {
    /// SQL selecting the distinct incident ids of the slice.
    pub fn slice_sql(&self) -> String {
        let mut cond = Vec::new();
        if let Some(y) = self.since {
            cond.push(format!("i.start_date >= DATE '{y:04}-01-01'"));
        }
        if let Some(y) = self.until {
            cond.push(format!("i.start_date < DATE '{:04}-01-01'", y + 1));
        }
        if !self.sources.is_empty() {
            let names: Vec<String> = self.sources.iter().map(|s| lit(&s.to_lowercase())).collect();
            let names = names.join(", ");
            cond.push(format!(
                "i.source_id IN (SELECT source_id FROM sources WHERE lower(name) IN ({names}) OR lower(source_id) IN ({names}))"
            ));
        }
        if self.state_sponsored {
            cond.push("i.incident_id IN (SELECT incident_id FROM incident_sponsors)".into());
        }
        if !self.sponsors.is_empty() {
            let list = in_list(&self.sponsors, |s| s.as_str());
            cond.push(format!("i.incident_id IN (SELECT incident_id FROM incident_sponsors WHERE sponsor IN ({list}))"));
        }
        if !self.sponsorship.is_empty() {
            let list = in_list(&self.sponsorship, |s| s.as_str());
            cond.push(format!("i.incident_id IN (SELECT incident_id FROM attributions WHERE sponsorship IN ({list}))"));
        }
        if !self.verticals.is_empty() {
            let list = in_list(&self.verticals, |v| v.as_str());
            cond.push(format!("i.incident_id IN (SELECT incident_id FROM incident_verticals WHERE vertical IN ({list}))"));
        }
        match &self.assets {
            None => {}
            Some(AssetFilter::Any) => cond.push("i.incident_id IN (SELECT incident_id FROM incident_assets)".into()),
            Some(AssetFilter::OneOf(list)) => {
                let list = in_list(list, |a| a.as_str());
                cond.push(format!("i.incident_id IN (SELECT incident_id FROM incident_assets WHERE asset IN ({list}))"));
            }
        }
        if !self.types.is_empty() {
            let list = in_list(&self.types, |t| t.as_str());
            cond.push(format!("array_has_any(i.types, make_array({list}))"));
        }
        let where_ = if cond.is_empty() { String::new() } else { format!(" WHERE {}", cond.join(" AND ")) };
        format!("SELECT DISTINCT i.incident_id FROM scoped_incidents i{where_}")
    }

    /// A short human description, e.g. `state-sponsored, 2018–, source EuRepoC`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.state_sponsored {
            parts.push("state-sponsored".to_string());
        }
        if !self.sponsors.is_empty() {
            parts.push(format!("sponsor {}", self.sponsors.join("/")));
        }
        if !self.sponsorship.is_empty() {
            parts.push(format!("sponsorship {}", self.sponsorship.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/")));
        }
        if !self.verticals.is_empty() {
            parts.push(format!("vertical {}", self.verticals.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/")));
        }
        match &self.assets {
            None => {}
            Some(AssetFilter::Any) => parts.push("any AI asset".into()),
            Some(AssetFilter::OneOf(l)) => {
                parts.push(format!("asset {}", l.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/")))
            }
        }
        if !self.types.is_empty() {
            parts.push(format!("type {}", self.types.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/")));
        }
        match (self.since, self.until) {
            (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
            (Some(a), None) => parts.push(format!("{a}–")),
            (None, Some(b)) => parts.push(format!("–{b}")),
            (None, None) => {}
        }
        if !self.sources.is_empty() {
            parts.push(format!("source {}", self.sources.join(", ")));
        }
        if parts.is_empty() { "all incidents".into() } else { parts.join(", ") }
    }
}

/// Parses a vertical list; `tech` stands for every technology vertical.
pub fn parse_verticals(items: &[String]) -> Result<Vec<Vertical>, String> {
    let mut out = Vec::new();
    for item in items {
        if item.eq_ignore_ascii_case("tech") {
            out.extend(Vertical::ALL.iter().copied().filter(|v| v.is_tech()));
        } else {
            out.push(item.parse::<Vertical>().map_err(|e| e.to_string())?);
        }
    }
    out.dedup();
    Ok(out)
}

/// Parses `any` or a list of AI-asset codes.
pub fn parse_assets(items: &[String]) -> Result<Option<AssetFilter>, String> {
    if items.is_empty() {
        return Ok(None);
    }
    if items.iter().any(|i| i.eq_ignore_ascii_case("any")) {
        return Ok(Some(AssetFilter::Any));
    }
    let list = items.iter().map(|i| i.parse::<AiAsset>().map_err(|e| e.to_string())).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(AssetFilter::OneOf(list)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_sql_escapes_and_combines() {
        let f = Filters {
            state_sponsored: true,
            since: Some(2018),
            until: Some(2020),
            sources: vec!["O'Brien".into()],
            ..Filters::default()
        };
        let sql = f.slice_sql();
        assert!(sql.contains("'o''brien'"), "{sql}");
        assert!(sql.contains("DATE '2018-01-01'") && sql.contains("DATE '2021-01-01'"), "{sql}");
        assert!(sql.contains("incident_sponsors"));
        assert_eq!(Filters::default().slice_sql(), "SELECT DISTINCT i.incident_id FROM scoped_incidents i");
    }

    #[test]
    fn tech_expands() {
        let v = parse_verticals(&["tech".into(), "finance".into()]).unwrap();
        assert!(v.contains(&Vertical::Semiconductors) && v.contains(&Vertical::Finance));
        assert!(parse_verticals(&["nope".into()]).is_err());
        assert_eq!(parse_assets(&["any".into()]).unwrap(), Some(AssetFilter::Any));
    }
}
