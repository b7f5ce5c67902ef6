//! Readers for the company files: S&P 500 constituents CSV, SEC EDGAR `submissions` JSON, and the
//! user's alias CSV.
//!
//! **Alias CSV** (one row per name; header required, column order free, extra columns ignored):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `ticker` | yes | any ticker of a company loaded before (or in the same `companies load`) |
//! | `name` | yes | the other name, as victims are written ("GitHub", "Dow Jones") |
//! | `kind` | yes | `alias` (another name in use), `former` (an old name), `subsidiary` (a unit or owned company: its incidents count against the parent) |
//! | `note` | no | free text kept with the name (e.g. "acquired 2018") |
//!
//! Lines starting with `#` are comments.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::company::{Company, NameEntry, NameKind};
use crate::filings::Filing;
use crate::MarketError;

/// What kind of company file a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Constituents,
    Edgar,
    Aliases,
}

/// Tells the kind from the content: JSON with `filings` → EDGAR; CSV with `Symbol` and
/// `GICS Sub-Industry` → constituents; CSV with `ticker`, `name`, `kind` → aliases.
pub fn sniff(path: &Path, text: &str) -> Result<FileKind, MarketError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return Ok(FileKind::Edgar);
    }
    let header = t.lines().find(|l| !l.trim_start().starts_with('#')).unwrap_or("").to_lowercase();
    let cols: Vec<&str> = header.split(',').map(|c| c.trim().trim_matches('"')).collect();
    if cols.contains(&"symbol") && cols.contains(&"gics sub-industry") {
        return Ok(FileKind::Constituents);
    }
    if cols.contains(&"ticker") && cols.contains(&"name") && cols.contains(&"kind") {
        return Ok(FileKind::Aliases);
    }
    Err(MarketError::invalid(
        path,
        "line 1",
        "not a company file: expected EDGAR submissions JSON, a constituents CSV (Symbol, Security, GICS Sector, \
         GICS Sub-Industry, CIK) or an alias CSV (ticker, name, kind[, note])",
    ))
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

fn column(path: &Path, headers: &csv::StringRecord, name: &str) -> Result<usize, MarketError> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
        .ok_or_else(|| MarketError::invalid(path, "line 1", format!("missing column {name}")))
}

fn line_of(rec: &csv::StringRecord) -> String {
    rec.position().map_or_else(|| "line ?".to_string(), |p| format!("line {}", p.line()))
}

/// Strips share-class and "(The)" parentheticals: "Alphabet Inc. (Class A)" → "Alphabet Inc.",
/// "Coca-Cola Company (The)" → "The Coca-Cola Company".
pub fn clean_index_name(s: &str) -> String {
    let mut name = s.trim().to_string();
    if let Some(i) = name.find(" (Class") {
        name.truncate(i);
    }
    if let Some(stripped) = name.strip_suffix(" (The)") {
        name = format!("The {stripped}");
    }
    name.trim().to_string()
}

/// Reads an S&P 500 constituents CSV (Symbol, Security, GICS Sector, GICS Sub-Industry, CIK).
pub fn constituents(path: &Path, text: &str) -> Result<Vec<Company>, MarketError> {
    let mut rdr = csv_reader(text);
    let headers = rdr.headers().map_err(|e| MarketError::invalid(path, "line 1", e.to_string()))?.clone();
    let (sym, sec) = (column(path, &headers, "Symbol")?, column(path, &headers, "Security")?);
    let sector = column(path, &headers, "GICS Sector")?;
    let sub = column(path, &headers, "GICS Sub-Industry")?;
    let cik_col = headers.iter().position(|h| h.trim().eq_ignore_ascii_case("CIK"));
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MarketError::invalid(path, "", e.to_string()))?;
        let field = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
        let ticker = field(sym);
        if ticker.is_empty() {
            return Err(MarketError::invalid(path, line_of(&rec), "empty Symbol"));
        }
        let cik = match cik_col.map(field) {
            None | Some("") => None,
            Some(c) => Some(c.parse::<u64>().map_err(|_| {
                MarketError::invalid(path, format!("{}, column CIK", line_of(&rec)), format!("not a number: {c:?}"))
            })?),
        };
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        out.push(Company {
            id: cik.map_or_else(|| format!("ticker:{ticker}"), Company::id_for_cik),
            name: clean_index_name(field(sec)),
            tickers: vec![ticker.to_string()],
            cik,
            gics_sector: opt(field(sector)),
            gics_sub_industry: opt(field(sub)),
            sic: None,
            sic_description: None,
            sp500: true,
            names: vec![],
        });
    }
    Ok(out)
}

/// An EDGAR `submissions` document: the company and its recent filings.
#[derive(Debug, Clone)]
pub struct EdgarFile {
    pub company: Company,
    pub filings: Vec<Filing>,
    /// Older filing pages named in `filings.files` (not in this document, not counted).
    pub older_pages: usize,
}

#[derive(Deserialize)]
struct RawSubmissions {
    cik: serde_json::Value,
    name: String,
    #[serde(default)]
    tickers: Vec<String>,
    #[serde(default)]
    sic: serde_json::Value,
    #[serde(default, rename = "sicDescription")]
    sic_description: Option<String>,
    #[serde(default, rename = "formerNames")]
    former_names: Vec<RawFormer>,
    filings: RawFilings,
}

#[derive(Deserialize)]
struct RawFormer {
    name: String,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Deserialize)]
struct RawFilings {
    recent: RawRecent,
    #[serde(default)]
    files: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawRecent {
    #[serde(rename = "accessionNumber")]
    accession: Vec<String>,
    #[serde(rename = "filingDate")]
    filing_date: Vec<String>,
    form: Vec<String>,
    #[serde(default)]
    items: Vec<String>,
}

fn number(v: &serde_json::Value) -> Option<u64> {
    match v {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads an SEC EDGAR `submissions` JSON document (data.sec.gov/submissions/CIK##########.json).
pub fn edgar(path: &Path, text: &str) -> Result<EdgarFile, MarketError> {
    let raw: RawSubmissions =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            MarketError::invalid(path, format!("line {}, column {}", e.line(), e.column()), e.to_string())
        })?;
    let cik = number(&raw.cik).ok_or_else(|| MarketError::invalid(path, "$.cik", "not a number"))?;
    let sic = number(&raw.sic).map(|s| u32::try_from(s).unwrap_or(0)).filter(|&s| s > 0);
    let r = &raw.filings.recent;
    let n = r.form.len();
    for (what, len) in [("accessionNumber", r.accession.len()), ("filingDate", r.filing_date.len()), ("items", r.items.len())] {
        if len != n {
            return Err(MarketError::invalid(
                path,
                format!("$.filings.recent.{what}"),
                format!("{len} entries, but form has {n}"),
            ));
        }
    }
    let mut filings = Vec::with_capacity(n);
    for i in 0..n {
        let date = chrono::NaiveDate::parse_from_str(&r.filing_date[i], "%Y-%m-%d").map_err(|_| {
            MarketError::invalid(path, format!("$.filings.recent.filingDate[{i}]"), format!("not a date: {:?}", r.filing_date[i]))
        })?;
        filings.push(Filing {
            cik,
            company: raw.name.clone(),
            tickers: raw.tickers.clone(),
            accession: r.accession[i].clone(),
            form: r.form[i].clone(),
            filing_date: date,
            items: crate::filings::parse_items(&r.items[i]),
        });
    }
    let names = raw
        .former_names
        .iter()
        .map(|f| NameEntry {
            name: f.name.clone(),
            kind: NameKind::Former,
            note: f.to.as_deref().map(|t| format!("until {}", t.get(..10).unwrap_or(t))),
            source: "edgar".into(),
        })
        .collect();
    let ticker0 = raw.tickers.first().cloned().unwrap_or_else(|| format!("CIK{cik}"));
    let company = Company {
        id: Company::id_for_cik(cik),
        name: raw.name.clone(),
        tickers: if raw.tickers.is_empty() { vec![ticker0] } else { raw.tickers.clone() },
        cik: Some(cik),
        gics_sector: None,
        gics_sub_industry: None,
        sic,
        sic_description: raw.sic_description.clone().filter(|s| !s.is_empty()),
        sp500: false,
        names,
    };
    Ok(EdgarFile { company, filings, older_pages: raw.filings.files.len() })
}

/// One row of an alias CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasRow {
    pub ticker: String,
    pub name: String,
    pub kind: NameKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `line N` in the file, for errors when the ticker is unknown.
    pub place: String,
}

/// Reads an alias CSV (see the module docs for the columns).
pub fn aliases(path: &Path, text: &str) -> Result<Vec<AliasRow>, MarketError> {
    let mut rdr = csv_reader(text);
    let headers = rdr.headers().map_err(|e| MarketError::invalid(path, "line 1", e.to_string()))?.clone();
    let (t, n, k) = (column(path, &headers, "ticker")?, column(path, &headers, "name")?, column(path, &headers, "kind")?);
    let note = headers.iter().position(|h| h.trim().eq_ignore_ascii_case("note"));
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MarketError::invalid(path, "", e.to_string()))?;
        let field = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
        let place = line_of(&rec);
        let kind = match field(k).to_ascii_lowercase().as_str() {
            "alias" => NameKind::Alias,
            "former" => NameKind::Former,
            "subsidiary" => NameKind::Subsidiary,
            other => {
                return Err(MarketError::invalid(
                    path,
                    format!("{place}, column kind"),
                    format!("{other:?} is not alias, former or subsidiary"),
                ));
            }
        };
        if field(t).is_empty() || field(n).is_empty() {
            return Err(MarketError::invalid(path, place, "ticker and name must not be empty"));
        }
        out.push(AliasRow {
            ticker: field(t).to_string(),
            name: field(n).to_string(),
            kind,
            note: note.map(field).filter(|s| !s.is_empty()).map(String::from),
            place,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn index_names_cleaned() {
        assert_eq!(clean_index_name("Alphabet Inc. (Class A)"), "Alphabet Inc.");
        assert_eq!(clean_index_name("Coca-Cola Company (The)"), "The Coca-Cola Company");
    }

    #[test]
    fn sniff_kinds() {
        let p = Path::new("x");
        assert_eq!(sniff(p, "{\"cik\": 1}").unwrap(), FileKind::Edgar);
        assert_eq!(sniff(p, "Symbol,Security,GICS Sector,GICS Sub-Industry,CIK\n").unwrap(), FileKind::Constituents);
        assert_eq!(sniff(p, "# c\nticker,name,kind,note\n").unwrap(), FileKind::Aliases);
        assert!(sniff(p, "a,b\n").unwrap_err().to_string().contains("x line 1: not a company file"));
    }

    #[test]
    fn alias_errors_name_the_line() {
        let p = Path::new("aliases.csv");
        let err = aliases(p, "ticker,name,kind\nMSFT,GitHub,subsidiary\nX,Y,owner\n").unwrap_err().to_string();
        assert_eq!(err, "aliases.csv line 3, column kind: \"owner\" is not alias, former or subsidiary");
        let ok = aliases(p, "ticker,name,kind,note\nMSFT,GitHub,subsidiary,acquired 2018\n").unwrap();
        assert_eq!(ok[0].note.as_deref(), Some("acquired 2018"));
    }

    #[test]
    fn constituents_bad_cik() {
        let p = Path::new("c.csv");
        let err = constituents(p, "Symbol,Security,GICS Sector,GICS Sub-Industry,CIK\nA,B,C,D,x1\n").unwrap_err();
        assert_eq!(err.to_string(), "c.csv line 2, column CIK: not a number: \"x1\"");
    }

    #[test]
    fn real_constituents() {
        let path = spyglass_testkit::require_shared!("market/sp500_constituents.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let cos = constituents(&path, &text).unwrap();
        assert_eq!(cos.len(), 503);
        let mut r = crate::Registry::default();
        for c in cos {
            r.upsert(c);
        }
        // GOOGL/GOOG, NWSA/NWS, FOXA/FOX share a CIK.
        assert_eq!(r.companies.len(), 500);
        assert_eq!(r.by_ticker("GOOG").unwrap().tickers, ["GOOGL", "GOOG"]);
        assert_eq!(r.by_ticker("KO").unwrap().name, "The Coca-Cola Company");
    }

    #[test]
    fn real_edgar_files() {
        let dir = spyglass_testkit::require_shared!("market/sec-submissions");
        let path = dir.join("CIK0000732712.json");
        let e = edgar(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(e.company.cik, Some(732712));
        assert_eq!(e.company.tickers, ["VZ"]);
        assert_eq!(e.company.sic, Some(4813));
        assert_eq!(e.company.vertical(), spyglass_model::Vertical::Telecom);
        assert_eq!(e.company.names[0].name, "BELL ATLANTIC CORP");
        assert_eq!(e.company.names[0].note.as_deref(), Some("until 2000-09-13"));
        assert_eq!(e.filings.len(), 1007);
        assert_eq!(e.older_pages, 5);
    }
}
