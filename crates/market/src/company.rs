//! Companies and the registry that merges constituents, EDGAR submissions and alias files.
//!
//! A company is one issuer (one SEC CIK): share classes (GOOGL/GOOG, NWSA/NWS, FOXA/FOX) are one
//! company with several tickers, the first as listed in the constituents file being the primary one.
//! Companies without a CIK are keyed by their primary ticker.

use serde::{Deserialize, Serialize};
use spyglass_model::Vertical;

use crate::verticals;

/// How a name denotes a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The registered or index name.
    Official,
    /// Another name in use (brand, short name).
    Alias,
    /// A name the company had before (EDGAR `formerNames`, renames).
    Former,
    /// A subsidiary or unit: an incident against it counts against the parent.
    Subsidiary,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Official => "official",
            NameKind::Alias => "alias",
            NameKind::Former => "former",
            NameKind::Subsidiary => "subsidiary",
        }
    }
}

/// One name of a company, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameEntry {
    pub name: String,
    pub kind: NameKind,
    /// e.g. "until 2019-09-25" for EDGAR former names, or a note from the alias file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `constituents`, `edgar`, `aliases` (+ file name).
    pub source: String,
}

/// A listed (or EDGAR-registered) company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// `cik:<10 digits>` or `ticker:<T>`.
    pub id: String,
    pub name: String,
    /// Primary ticker first.
    pub tickers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cik: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gics_sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gics_sub_industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sic: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sic_description: Option<String>,
    /// In the S&P 500 constituents file.
    #[serde(default)]
    pub sp500: bool,
    /// Other names: aliases, former names, subsidiaries (the official name is `name`).
    #[serde(default)]
    pub names: Vec<NameEntry>,
}

impl Company {
    /// The primary ticker (empty only for a company built by hand without one).
    pub fn ticker(&self) -> &str {
        self.tickers.first().map_or("", String::as_str)
    }

    /// GICS first, then SIC, else `other`.
    pub fn vertical(&self) -> Vertical {
        if let Some(g) = &self.gics_sub_industry {
            return verticals::from_gics(g);
        }
        self.sic.map_or(Vertical::Other, verticals::from_sic)
    }

    /// The peer group for exposure: the GICS sub-industry, else `SIC <code>`.
    pub fn peer_group(&self) -> Option<String> {
        self.gics_sub_industry.clone().or_else(|| self.sic.map(|s| format!("SIC {s}")))
    }

    /// Every name with its kind, official first.
    pub fn all_names(&self) -> impl Iterator<Item = (&str, NameKind)> {
        std::iter::once((self.name.as_str(), NameKind::Official))
            .chain(self.names.iter().map(|n| (n.name.as_str(), n.kind)))
    }

    /// `cik:0000320193`.
    pub fn id_for_cik(cik: u64) -> String {
        format!("cik:{cik:010}")
    }
}

/// All known companies, merged from every loaded file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    pub companies: Vec<Company>,
}

impl Registry {
    /// The company with this ticker (any share class), case-insensitive.
    pub fn by_ticker(&self, ticker: &str) -> Option<&Company> {
        let t = ticker.trim();
        self.companies.iter().find(|c| c.tickers.iter().any(|x| x.eq_ignore_ascii_case(t)))
    }

    pub fn by_id(&self, id: &str) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }

    fn by_ticker_mut(&mut self, ticker: &str) -> Option<&mut Company> {
        let t = ticker.trim();
        self.companies.iter_mut().find(|c| c.tickers.iter().any(|x| x.eq_ignore_ascii_case(t)))
    }

    /// Adds a company, merging into an existing one with the same CIK (or, without a CIK, a shared
    /// ticker): tickers and names are united, missing fields filled; GICS and the name of the
    /// constituents file are kept over EDGAR's.
    pub fn upsert(&mut self, new: Company) {
        let pos = self.companies.iter().position(|c| match (c.cik, new.cik) {
            (Some(a), Some(b)) => a == b,
            _ => new.tickers.iter().any(|t| c.tickers.iter().any(|x| x.eq_ignore_ascii_case(t))),
        });
        let Some(pos) = pos else {
            self.companies.push(new);
            return;
        };
        let c = &mut self.companies[pos];
        for t in new.tickers {
            if !c.tickers.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
                c.tickers.push(t);
            }
        }
        if c.cik.is_none() {
            c.cik = new.cik;
            if let Some(cik) = new.cik {
                c.id = Company::id_for_cik(cik);
            }
        }
        let keep_name = c.sp500 || !new.sp500;
        if !keep_name {
            let old = std::mem::replace(&mut c.name, new.name.clone());
            push_name(&mut c.names, NameEntry { name: old, kind: NameKind::Alias, note: None, source: "edgar".into() });
        } else if !same_name(&c.name, &new.name) {
            push_name(&mut c.names, NameEntry { name: new.name.clone(), kind: NameKind::Alias, note: None, source: "merge".into() });
        }
        c.sp500 |= new.sp500;
        if c.gics_sub_industry.is_none() {
            c.gics_sector = new.gics_sector;
            c.gics_sub_industry = new.gics_sub_industry;
        }
        if c.sic.is_none() {
            c.sic = new.sic;
            c.sic_description = new.sic_description;
        }
        for n in new.names {
            push_name(&mut c.names, n);
        }
    }

    /// Adds a name to the company with `ticker`; `false` when no company has that ticker.
    pub fn add_name(&mut self, ticker: &str, entry: NameEntry) -> bool {
        match self.by_ticker_mut(ticker) {
            Some(c) => {
                if !same_name(&c.name, &entry.name) {
                    push_name(&mut c.names, entry);
                }
                true
            }
            None => false,
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn push_name(names: &mut Vec<NameEntry>, entry: NameEntry) {
    if !names.iter().any(|n| same_name(&n.name, &entry.name) && n.kind == entry.kind) {
        names.push(entry);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn co(cik: Option<u64>, tickers: &[&str], name: &str, sp500: bool) -> Company {
        Company {
            id: cik.map_or_else(|| format!("ticker:{}", tickers[0]), Company::id_for_cik),
            name: name.into(),
            tickers: tickers.iter().map(|t| t.to_string()).collect(),
            cik,
            gics_sector: None,
            gics_sub_industry: sp500.then(|| "Systems Software".to_string()),
            sic: None,
            sic_description: None,
            sp500,
            names: vec![],
        }
    }

    #[test]
    fn share_classes_merge_on_cik() {
        let mut r = Registry::default();
        r.upsert(co(Some(1652044), &["GOOGL"], "Alphabet Inc.", true));
        r.upsert(co(Some(1652044), &["GOOG"], "Alphabet Inc.", true));
        assert_eq!(r.companies.len(), 1);
        assert_eq!(r.companies[0].tickers, ["GOOGL", "GOOG"]);
        assert_eq!(r.by_ticker("goog").unwrap().ticker(), "GOOGL");
    }

    #[test]
    fn edgar_keeps_index_name_and_adds_sic() {
        let mut r = Registry::default();
        r.upsert(co(Some(769397), &["ADSK"], "Autodesk", true));
        let mut e = co(Some(769397), &["ADSK"], "Autodesk, Inc.", false);
        e.sic = Some(7372);
        e.names.push(NameEntry { name: "AUTODESK INC".into(), kind: NameKind::Former, note: None, source: "edgar".into() });
        r.upsert(e);
        let c = r.by_ticker("ADSK").unwrap();
        assert_eq!(c.name, "Autodesk");
        assert_eq!(c.sic, Some(7372));
        assert!(c.sp500);
        assert_eq!(c.vertical(), Vertical::Software);
        assert!(c.names.iter().any(|n| n.name == "AUTODESK INC" && n.kind == NameKind::Former));
    }

    #[test]
    fn add_name_needs_known_ticker() {
        let mut r = Registry::default();
        r.upsert(co(Some(1), &["X"], "X Corp", true));
        let e = NameEntry { name: "Y".into(), kind: NameKind::Subsidiary, note: None, source: "t".into() };
        assert!(r.add_name("x", e.clone()));
        assert!(!r.add_name("Z", e));
    }
}
