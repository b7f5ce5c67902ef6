//! Daily price files: a `Date` column and an adjusted close (`Adj Close`, `adjclose` or `adj_close`).
//!
//! A row whose adjusted close is empty, not a number or not positive is a missing price: the day is
//! kept out of the series and listed in [`PriceSeries::missing`] (the event study reports the returns
//! it could not compute). Rows may come in any order; a date twice is an error.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::MarketError;

/// Adjusted closes of one security by date.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSeries {
    pub ticker: String,
    pub closes: BTreeMap<NaiveDate, f64>,
    /// Dates with a row but no usable adjusted close, with the line.
    pub missing: Vec<(NaiveDate, String)>,
}

impl PriceSeries {
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.closes.keys().next().copied()
    }

    pub fn last_date(&self) -> Option<NaiveDate> {
        self.closes.keys().next_back().copied()
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Reads one price CSV; `ticker` names the series (the file stem for a folder of files).
pub fn read_csv(path: &Path, ticker: &str) -> Result<PriceSeries, MarketError> {
    let text = std::fs::read_to_string(path).map_err(|source| MarketError::Io { path: path.to_path_buf(), source })?;
    parse_csv(path, ticker, &text)
}

/// [`read_csv`] on text already read.
pub fn parse_csv(path: &Path, ticker: &str, text: &str) -> Result<PriceSeries, MarketError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().map_err(|e| MarketError::invalid(path, "line 1", e.to_string()))?.clone();
    let find = |names: &[&str]| headers.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)));
    let date_col = find(&["date"]).ok_or_else(|| MarketError::invalid(path, "line 1", "missing column Date"))?;
    let adj_col = find(&["adj close", "adjclose", "adj_close"])
        .ok_or_else(|| MarketError::invalid(path, "line 1", "missing column Adj Close (or adjclose)"))?;
    let mut s = PriceSeries { ticker: ticker.to_string(), closes: BTreeMap::new(), missing: vec![] };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MarketError::invalid(path, "", e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw_date = rec.get(date_col).unwrap_or("");
        let date = parse_date(raw_date)
            .ok_or_else(|| MarketError::invalid(path, format!("line {line}, column Date"), format!("not a date: {raw_date:?}")))?;
        let raw = rec.get(adj_col).unwrap_or("").trim();
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => {
                if s.closes.insert(date, v).is_some() {
                    return Err(MarketError::invalid(path, format!("line {line}"), format!("date {date} appears twice")));
                }
            }
            _ => s.missing.push((date, format!("line {line}: adjusted close {raw:?}"))),
        }
    }
    Ok(s)
}

/// Reads every `*.csv` of a folder, the file stem (upper-cased) being the ticker.
pub fn read_dir(dir: &Path) -> Result<BTreeMap<String, PriceSeries>, MarketError> {
    let entries = std::fs::read_dir(dir).map_err(|source| MarketError::Io { path: dir.to_path_buf(), source })?;
    let mut out = BTreeMap::new();
    for e in entries {
        let path = e.map_err(|source| MarketError::Io { path: dir.to_path_buf(), source })?.path();
        if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
            let ticker = path.file_stem().map(|s| s.to_string_lossy().to_uppercase()).unwrap_or_default();
            let series = read_csv(&path, &ticker)?;
            out.insert(ticker, series);
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn missing_and_bad_rows() {
        let p = Path::new("x.csv");
        let s = parse_csv(p, "X", "Date,Adj Close\n2020-01-03,2\n2020-01-02,1\n2020-01-06,\n2020-01-07,nan\n").unwrap();
        assert_eq!(s.closes.len(), 2);
        assert_eq!(s.first_date(), NaiveDate::from_ymd_opt(2020, 1, 2));
        assert_eq!(s.missing.len(), 2);
        assert!(s.missing[0].1.starts_with("line 4"));
        let err = parse_csv(p, "X", "Date,Adj Close\n2020-01-02,1\n2020-01-02,1\n").unwrap_err();
        assert_eq!(err.to_string(), "x.csv line 3: date 2020-01-02 appears twice");
        let err = parse_csv(p, "X", "Date,Close\n").unwrap_err();
        assert_eq!(err.to_string(), "x.csv line 1: missing column Adj Close (or adjclose)");
        let err = parse_csv(p, "X", "date,adjclose\n02/01/2020,1\n").unwrap_err();
        assert_eq!(err.to_string(), "x.csv line 2, column Date: not a date: \"02/01/2020\"");
    }

    #[test]
    fn real_files() {
        let dir = spyglass_testkit::require_shared!("market/prices");
        let all = read_dir(&dir).unwrap();
        assert_eq!(all.len(), 54);
        assert!(all["AAPL"].closes.len() > 1200);
        let idx = spyglass_testkit::require_shared!("market/sp500_index_daily_2000_2020.csv");
        let m = read_csv(&idx, "^GSPC").unwrap();
        assert_eq!(m.closes.len(), 5105);
    }
}
