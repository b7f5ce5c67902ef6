//! Loaded company files and the registry built from them.
//!
//! `spyglass companies load` keeps each file it read as one JSON document
//! `<data>/companies/<sha256 of the file>.json` ([`CompanyFile`]): loading the same content twice
//! changes nothing, and the registry is rebuilt from all kept files on every use (constituents
//! first, then EDGAR documents, then alias files, each group in load order), so an alias file may
//! refer to a company loaded later.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::company::{NameEntry, Registry};
use crate::filings::Filing;
use crate::load::{self, AliasRow, FileKind};
use crate::{Company, MarketError};

/// One loaded file, as kept in the data directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyFile {
    pub sha256: String,
    /// The path it was loaded from.
    pub path: String,
    pub kind: FileKind,
    /// RFC 3339 time of loading.
    pub loaded_at: String,
    #[serde(default)]
    pub companies: Vec<Company>,
    #[serde(default)]
    pub aliases: Vec<AliasRow>,
    #[serde(default)]
    pub filings: Vec<Filing>,
}

/// Reads a company file of any kind (sniffed from its content).
pub fn read(path: &Path, bytes: &[u8], loaded_at: &str) -> Result<CompanyFile, MarketError> {
    let text = std::str::from_utf8(bytes).map_err(|e| MarketError::invalid(path, format!("byte {}", e.valid_up_to()), "not UTF-8"))?;
    let kind = load::sniff(path, text)?;
    let mut f = CompanyFile {
        sha256: hex::encode(Sha256::digest(bytes)),
        path: path.display().to_string(),
        kind,
        loaded_at: loaded_at.to_string(),
        companies: vec![],
        aliases: vec![],
        filings: vec![],
    };
    match kind {
        FileKind::Constituents => f.companies = load::constituents(path, text)?,
        FileKind::Edgar => {
            let e = load::edgar(path, text)?;
            f.companies = vec![e.company];
            f.filings = e.filings;
        }
        FileKind::Aliases => f.aliases = load::aliases(path, text)?,
    }
    Ok(f)
}

/// Merges loaded files into a registry (see the module docs for the order). An alias row whose
/// ticker no company has is an error naming the file and line.
pub fn build(files: &[CompanyFile]) -> Result<Registry, MarketError> {
    let mut files: Vec<&CompanyFile> = files.iter().collect();
    let rank = |k: FileKind| match k {
        FileKind::Constituents => 0,
        FileKind::Edgar => 1,
        FileKind::Aliases => 2,
    };
    files.sort_by(|a, b| rank(a.kind).cmp(&rank(b.kind)).then_with(|| a.loaded_at.cmp(&b.loaded_at)));
    let mut reg = Registry::default();
    for f in &files {
        for c in &f.companies {
            reg.upsert(c.clone());
        }
    }
    for f in files.iter().filter(|f| f.kind == FileKind::Aliases) {
        let file_name = Path::new(&f.path).file_name().map_or_else(|| f.path.clone(), |n| n.to_string_lossy().into_owned());
        for a in &f.aliases {
            let entry = NameEntry { name: a.name.clone(), kind: a.kind, note: a.note.clone(), source: format!("aliases {file_name}") };
            if !reg.add_name(&a.ticker, entry) {
                return Err(MarketError::invalid(
                    Path::new(&f.path),
                    format!("{}, column ticker", a.place),
                    format!("no loaded company has ticker {:?} (load the constituents or EDGAR file first)", a.ticker),
                ));
            }
        }
    }
    Ok(reg)
}

/// Every filing of the loaded EDGAR documents.
pub fn filings(files: &[CompanyFile]) -> Vec<Filing> {
    files.iter().flat_map(|f| f.filings.iter().cloned()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn alias_with_unknown_ticker_names_the_line() {
        let c = read(Path::new("c.csv"), b"Symbol,Security,GICS Sector,GICS Sub-Industry,CIK\nMSFT,Microsoft,IT,Systems Software,789019\n", "t0").unwrap();
        let a = read(Path::new("/x/a.csv"), b"ticker,name,kind\nMSFT,GitHub,subsidiary\nZZZZ,Nope,alias\n", "t1").unwrap();
        let err = build(&[a.clone(), c.clone()]).unwrap_err().to_string();
        assert_eq!(err, "/x/a.csv line 3, column ticker: no loaded company has ticker \"ZZZZ\" (load the constituents or EDGAR file first)");
        let a_ok = read(Path::new("a.csv"), b"ticker,name,kind\nMSFT,GitHub,subsidiary\n", "t1").unwrap();
        // Alias file given first still applies after the constituents.
        let reg = build(&[a_ok, c]).unwrap();
        assert_eq!(reg.companies[0].names[0].name, "GitHub");
        assert_eq!(reg.companies[0].names[0].source, "aliases a.csv");
    }

    #[test]
    fn same_content_same_hash() {
        let a = read(Path::new("a.csv"), b"ticker,name,kind\n", "t").unwrap();
        let b = read(Path::new("b.csv"), b"ticker,name,kind\n", "u").unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256.len(), 64);
    }
}
