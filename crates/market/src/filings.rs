//! SEC filings from EDGAR `submissions` JSON: 8-K counts by item and Item 1.05 detection.
//!
//! Counting rules (the independent count in `tests/reference/market_8k.py` uses the same): a
//! filing is an 8-K when its `form` is exactly `8-K`; amendments (`8-K/A`) are counted apart. The
//! `items` field is a comma-separated list ("2.02,9.01"); each distinct item of a filing counts once
//! for that filing. Only `filings.recent` is read (older pages listed in `filings.files` are other
//! documents and are reported, not counted). Item 1.05 (Material Cybersecurity Incidents, in force
//! since 2023-12-18) is detected in both 8-K and 8-K/A.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The 8-K item for material cybersecurity incidents.
pub const ITEM_CYBER: &str = "1.05";

/// One filing from `filings.recent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    pub cik: u64,
    pub company: String,
    pub tickers: Vec<String>,
    pub accession: String,
    pub form: String,
    pub filing_date: NaiveDate,
    pub items: Vec<String>,
}

impl Filing {
    /// An 8-K or 8-K/A.
    pub fn is_8k_family(&self) -> bool {
        self.form == "8-K" || self.form == "8-K/A"
    }

    /// An 8-K or 8-K/A reporting Item 1.05.
    pub fn is_cyber_incident(&self) -> bool {
        self.is_8k_family() && self.items.iter().any(|i| i == ITEM_CYBER)
    }
}

/// Splits an `items` cell into distinct item codes, in order.
pub fn parse_items(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split(',') {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|x| x == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// 8-K counts of one company.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EightKCount {
    /// Filings with form `8-K`.
    pub filings: u64,
    /// Filings with form `8-K/A`.
    pub amendments: u64,
    /// Per item code, the number of 8-K filings (not amendments) listing it.
    pub items: BTreeMap<String, u64>,
    /// 8-K or 8-K/A filings with Item 1.05.
    pub item_1_05: u64,
}

/// Counts the 8-K filings and their items.
pub fn count_8k(filings: &[Filing]) -> EightKCount {
    let mut c = EightKCount::default();
    for f in filings {
        match f.form.as_str() {
            "8-K" => {
                c.filings += 1;
                for i in &f.items {
                    *c.items.entry(i.clone()).or_default() += 1;
                }
            }
            "8-K/A" => c.amendments += 1,
            _ => {}
        }
        if f.is_cyber_incident() {
            c.item_1_05 += 1;
        }
    }
    c
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn items_split_and_dedup() {
        assert_eq!(parse_items("2.02, 9.01,2.02,"), ["2.02", "9.01"]);
        assert!(parse_items("").is_empty());
    }

    // reference-table begin: market_8k.counts (tests/reference/market_8k.py)
    /// (file, 8-K filings, 8-K/A filings, Item 1.05 filings, [(item, 8-K filings listing it)])
    #[allow(clippy::type_complexity)]
    const COUNTS: &[(&str, u64, u64, u64, &[(&str, u64)])] = &[
        ("CIK0000732712.json", 38, 0, 0, &[("1.01", 1), ("2.02", 10), ("5.02", 7), ("5.03", 1), ("5.07", 3), ("7.01", 8), ("8.01", 10), ("9.01", 24)]),
        ("CIK0000769397.json", 114, 1, 0, &[("1.01", 18), ("1.02", 2), ("2.01", 1), ("2.02", 49), ("2.03", 9), ("2.04", 1), ("2.05", 3), ("3.01", 1), ("5.02", 44), ("5.03", 8), ("5.07", 12), ("7.01", 36), ("8.01", 12), ("9.01", 91)]),
        ("CIK0000935036.json", 167, 4, 0, &[("1.01", 18), ("1.02", 1), ("2.01", 6), ("2.02", 58), ("2.03", 8), ("5.02", 42), ("5.03", 7), ("5.07", 14), ("7.01", 85), ("8.01", 34), ("9.01", 145)]),
        ("CIK0001810019.json", 71, 1, 0, &[("1.01", 5), ("1.02", 3), ("2.02", 24), ("2.03", 7), ("2.05", 1), ("3.02", 1), ("4.01", 1), ("5.02", 20), ("5.03", 1), ("5.07", 5), ("7.01", 14), ("8.01", 11), ("9.01", 48)]),
        ("CIK0001835632.json", 58, 2, 0, &[("1.01", 4), ("2.02", 19), ("2.03", 2), ("3.03", 1), ("5.01", 1), ("5.02", 6), ("5.03", 1), ("5.07", 5), ("7.01", 2), ("8.01", 30), ("9.01", 52)]),
    ];
    // reference-table end: market_8k.counts

    #[test]
    fn edgar_8k_counts_equal_independent_count() {
        let dir = spyglass_testkit::require_shared!("market/sec-submissions");
        for (file, n, amend, cyber, items) in COUNTS {
            let path = dir.join(file);
            let e = crate::load::edgar(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let c = count_8k(&e.filings);
            assert_eq!((c.filings, c.amendments, c.item_1_05), (*n, *amend, *cyber), "{file}");
            let want: BTreeMap<String, u64> = items.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            assert_eq!(c.items, want, "{file}");
            println!("{file}: {n} 8-K, {amend} 8-K/A, items {:?}", c.items);
        }
    }
}
