//! Small helpers shared by readers.

use chrono::NaiveDate;
use spyglass_model::country::{self, CountryMatch};

use crate::Sink;

/// Parses `YYYY-MM-DD` (also `YYYY-MM` and `YYYY`, taken as the first day); empty is `None`.
pub fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let full = match s.len() {
        4 => format!("{s}-01-01"),
        7 => format!("{s}-01"),
        _ => s.get(..10).unwrap_or(s).to_string(),
    };
    NaiveDate::parse_from_str(&full, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("invalid date {s:?} (expected YYYY-MM-DD)"))
}

/// Maps a country name to its alpha-2 code, recording names that do not map in `out`.
pub fn country_code(name: &str, out: &mut dyn Sink) -> Option<String> {
    match country::classify(name) {
        CountryMatch::Country(c) => Some(c.alpha2.to_string()),
        CountryMatch::Placeholder => None,
        CountryMatch::NotACountry(kind) => {
            let name = name.trim();
            let label = if name.ends_with(&format!("({kind})")) { name.to_string() } else { format!("{name} ({kind})") };
            out.unmapped_country(label);
            None
        }
        CountryMatch::Unmapped => {
            out.unmapped_country(format!("{} (unknown name)", name.trim()));
            None
        }
    }
}

/// `Some(trimmed)` unless empty or a placeholder such as "Not available".
pub fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || country::is_placeholder(t) { None } else { Some(t.to_string()) }
}
