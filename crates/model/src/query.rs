//! The grammars of user query text: claim-check claims, slice filters and the SQL a slice becomes.
//!
//! Everything here is pure (no I/O, no query engine), so the fuzz crate (`fuzz/`) can drive it
//! under AddressSanitizer without building DataFusion. `spyglass-analysis` re-exports these items;
//! the CLI and the HTTP API reach them through it.

use std::fmt;

use serde::Serialize;

use crate::{AiAsset, IncidentType, Sponsorship, Vertical};

// ---------------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------------

/// The comparison of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        })
    }
}

/// A parsed claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Claim {
    /// share of `key` `op` `threshold`.
    Threshold { key: String, op: Op, threshold: f64 },
    /// share of `left` `op` share of `right`.
    Compare { left: String, op: Op, right: String },
}

/// The canonical text of a claim: `share(KEY) OP NUMBER` or `share(LEFT) OP share(RIGHT)`.
/// [`parse_claim`] reads it back to the same claim.
impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::Threshold { key, op, threshold } => write!(f, "share({key}) {op} {threshold}"),
            Claim::Compare { left, op, right } => write!(f, "share({left}) {op} share({right})"),
        }
    }
}

/// Parses `KEY share OP NUMBER` (also `share(KEY)`, `share of KEY`, `NUMBER%`) or `KEY OP KEY`.
pub fn parse_claim(text: &str) -> Result<Claim, String> {
    let t = text.trim();
    let (pos, op, len) = ["<=", ">=", "<", ">"]
        .iter()
        .filter_map(|o| t.find(o).map(|p| (p, *o)))
        .min_by_key(|(p, o)| (*p, std::cmp::Reverse(o.len())))
        .map(|(p, o)| (p, o, o.len()))
        .ok_or_else(|| format!("no comparison in {t:?} (expected >, >=, < or <=)"))?;
    let op = match op {
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "<" => Op::Lt,
        _ => Op::Le,
    };
    let lhs = t[..pos].trim();
    let rhs = t[pos + len..].trim();
    let key_of = |side: &str| -> Result<String, String> {
        let s = side.trim();
        let s = s.strip_prefix("share(").and_then(|x| x.strip_suffix(')')).unwrap_or(s);
        let s = s.strip_prefix("share of ").unwrap_or(s);
        let s = s.strip_suffix(" share").unwrap_or(s);
        let s = s.trim();
        if s.is_empty() || s.contains(char::is_whitespace) {
            return Err(format!("cannot read a key from {side:?} (write e.g. \"CN share > 0.5\" or \"CN > RU\")"));
        }
        Ok(s.to_string())
    };
    let left = key_of(lhs)?;
    let number = rhs.strip_suffix('%').map(|n| (n.trim(), true)).unwrap_or((rhs, false));
    if let Ok(v) = number.0.parse::<f64>() {
        let threshold = if number.1 { v / 100.0 } else { v };
        if !(0.0..=1.0).contains(&threshold) {
            return Err(format!("threshold {rhs} is not a share between 0 and 1 (or 0%–100%)"));
        }
        return Ok(Claim::Threshold { key: left, op, threshold });
    }
    Ok(Claim::Compare { left, op, right: key_of(rhs)? })
}

// ---------------------------------------------------------------------------------------------
// Slice filters
// ---------------------------------------------------------------------------------------------

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

/// A SQL string literal with quotes escaped: the only way user text enters generated SQL.
pub fn sql_lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn in_list<T>(items: &[T], f: impl Fn(&T) -> &str) -> String {
    items.iter().map(|x| sql_lit(f(x))).collect::<Vec<_>>().join(", ")
}

impl Filters {
    /// SQL selecting the distinct incident ids of the slice.
    pub fn slice_sql(&self) -> String {
        let mut cond = Vec::new();
        if let Some(y) = self.since {
            cond.push(format!("i.start_date >= DATE '{y:04}-01-01'"));
        }
        if let Some(y) = self.until {
            // i64: `until = i32::MAX` must not wrap around to a date before every incident.
            cond.push(format!("i.start_date < DATE '{:04}-01-01'", i64::from(y) + 1));
        }
        if !self.sources.is_empty() {
            let names: Vec<String> = self.sources.iter().map(|s| sql_lit(&s.to_lowercase())).collect();
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

/// Splits a comma-separated list, trimming items and dropping empty ones (`a, b,,c` → a, b, c).
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
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

/// Parses a sponsorship list (state, state-affiliated, criminal, hacktivist, unknown).
pub fn parse_sponsorships(items: &[String]) -> Result<Vec<Sponsorship>, String> {
    items.iter().map(|s| s.parse::<Sponsorship>().map_err(|e| e.to_string())).collect()
}

/// Parses an incident-type list (data_theft, espionage, disruption, …).
pub fn parse_types(items: &[String]) -> Result<Vec<IncidentType>, String> {
    items.iter().map(|s| s.parse::<IncidentType>().map_err(|e| e.to_string())).collect()
}

/// Parses a period `FROM:TO` of years, inclusive (`2010:2016`); FROM must not be after TO.
pub fn parse_year_range(text: &str) -> Result<(i32, i32), String> {
    let bad = || format!("{text:?}: expected FROM:TO years, e.g. 2010:2016");
    let (a, b) = text.split_once(':').ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b {
        return Err(format!("{text:?}: FROM {a} is after TO {b}"));
    }
    Ok((a, b))
}

/// Checks `--since`/`--until` against each other.
pub fn check_years(since: Option<i32>, until: Option<i32>) -> Result<(), String> {
    match (since, until) {
        (Some(a), Some(b)) if a > b => Err(format!("--since {a} is after --until {b}")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_claims() {
        assert_eq!(parse_claim("CN share > 0.5").unwrap(), Claim::Threshold { key: "CN".into(), op: Op::Gt, threshold: 0.5 });
        assert_eq!(parse_claim("share(CN) >= 50%").unwrap(), Claim::Threshold { key: "CN".into(), op: Op::Ge, threshold: 0.5 });
        assert_eq!(parse_claim("CN > RU").unwrap(), Claim::Compare { left: "CN".into(), op: Op::Gt, right: "RU".into() });
        assert_eq!(parse_claim("RU <= 0.2").unwrap(), Claim::Threshold { key: "RU".into(), op: Op::Le, threshold: 0.2 });
        assert!(parse_claim("CN is big").is_err());
        assert!(parse_claim("CN > 1.5").is_err());
        assert!(parse_claim("> 0.5").is_err());
        assert!(parse_claim("CN > nan").is_err());
    }

    #[test]
    fn claims_round_trip_through_display() {
        for text in ["CN share > 0.5", "share(share(CN)) < RU", "share of KP >= 12.5%", "A > =B", "x<=y", "CN > 1e-7"] {
            let c = parse_claim(text).unwrap();
            assert_eq!(parse_claim(&c.to_string()).unwrap(), c, "{text} → {c}");
        }
    }

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
    fn until_the_last_year_does_not_wrap() {
        let sql = Filters { until: Some(i32::MAX), ..Filters::default() }.slice_sql();
        assert!(sql.contains("DATE '2147483648-01-01'"), "{sql}");
    }

    #[test]
    fn lists_and_ranges() {
        let v = parse_verticals(&["tech".into(), "finance".into()]).unwrap();
        assert!(v.contains(&Vertical::Semiconductors) && v.contains(&Vertical::Finance));
        assert!(parse_verticals(&["nope".into()]).is_err());
        assert_eq!(parse_assets(&["any".into()]).unwrap(), Some(AssetFilter::Any));
        assert_eq!(split_list(" a, b,,c ,"), vec!["a", "b", "c"]);
        assert_eq!(parse_year_range("2010:2016").unwrap(), (2010, 2016));
        assert_eq!(parse_year_range(" 2010 : 2016 ").unwrap(), (2010, 2016));
        assert!(parse_year_range("2016:2010").unwrap_err().contains("after"));
        assert!(parse_year_range("2010-2016").is_err());
        assert!(parse_sponsorships(&["state".into(), "crim".into()]).is_err());
        assert!(parse_types(&["espionage".into()]).is_ok());
        assert!(check_years(Some(2020), Some(2019)).is_err());
    }
}
