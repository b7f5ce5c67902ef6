use super::*;
use crate::company::{Company, NameEntry};

fn co(cik: u64, tickers: &[&str], name: &str, names: &[(&str, NameKind)]) -> Company {
    Company {
        id: Company::id_for_cik(cik),
        name: name.into(),
        tickers: tickers.iter().map(|t| t.to_string()).collect(),
        cik: Some(cik),
        gics_sector: None,
        gics_sub_industry: None,
        sic: None,
        sic_description: None,
        sp500: true,
        names: names
            .iter()
            .map(|(n, k)| NameEntry { name: n.to_string(), kind: *k, note: None, source: "test".into() })
            .collect(),
    }
}

fn registry() -> Registry {
    Registry {
        companies: vec![
            co(1, &["TGT"], "Target Corporation", &[]),
            co(2, &["HPE"], "Hewlett Packard Enterprise", &[("Juniper Networks", NameKind::Subsidiary)]),
            co(3, &["HPQ"], "HP Inc.", &[("Hewlett-Packard", NameKind::Former)]),
            co(4, &["MRK"], "Merck & Co.", &[]),
            co(5, &["NOC"], "Northrop Grumman", &[]),
            co(6, &["XOM"], "ExxonMobil", &[]),
            co(7, &["LIN"], "Linde plc", &[]),
            co(8, &["NWSA", "NWS"], "News Corp", &[("Dow Jones", NameKind::Subsidiary)]),
            co(9, &["DOW"], "Dow Inc.", &[]),
            co(10, &["AAPL"], "Apple Inc.", &[]),
            co(11, &["DAL"], "Delta Air Lines", &[]),
            co(12, &["FITB"], "Fifth Third Bancorp", &[]),
            co(13, &["USB"], "U.S. Bancorp", &[]),
            co(14, &["JNJ"], "Johnson & Johnson", &[]),
            co(15, &["AVGO"], "Broadcom", &[("VMware", NameKind::Subsidiary)]),
            co(16, &["DUK"], "Duke Energy", &[]),
            co(17, &["ACM1"], "Acme Holdings", &[]),
            co(18, &["ACM2"], "Acme Group", &[]),
        ],
    }
}

fn m(q: &str) -> MatchResult {
    Matcher::new(&registry()).match_name(q, MatchContext::Unknown)
}

#[test]
fn exact_and_core_names() {
    let r = m("Merck");
    assert_eq!(r.ticker.as_deref(), Some("MRK"));
    assert_eq!(r.basis, "name \"Merck & Co.\" without legal form/designators");
    assert_eq!(m("Northrop Grumman Corp.").ticker.as_deref(), Some("NOC"));
    assert_eq!(m("Fifth Third Bank").ticker.as_deref(), Some("FITB"));
    assert_eq!(m("US Bancorp").ticker.as_deref(), Some("USB"));
    let r = m("News Corp");
    assert_eq!(r.ticker.as_deref(), Some("NWSA"));
    assert_eq!(r.confidence, Some(0.99));
}

#[test]
fn subsidiaries_and_former_names() {
    let r = m("Juniper Networks");
    assert_eq!(r.ticker.as_deref(), Some("HPE"));
    assert!(r.basis.starts_with("subsidiary \"Juniper Networks\""), "{}", r.basis);
    assert_eq!(m("Dow Jones").ticker.as_deref(), Some("NWSA"));
}

#[test]
fn bare_common_word_is_not_matched() {
    let r = m("Target");
    assert_eq!(r.ticker, None);
    assert_eq!(r.candidates.len(), 1);
    assert_eq!(r.candidates[0].ticker, "TGT");
    assert!(r.basis.starts_with("bare common word"), "{}", r.basis);
    assert_eq!(m("Apple").ticker, None);
    // A legal form or a company context makes it a company's name.
    assert_eq!(m("Target Corp.").ticker.as_deref(), Some("TGT"));
    assert_eq!(m("Apple Inc").ticker.as_deref(), Some("AAPL"));
    let r = Matcher::new(&registry()).match_name("Apple", MatchContext::Company);
    assert_eq!(r.ticker.as_deref(), Some("AAPL"));
    assert!((r.confidence.unwrap() - 0.95 * 0.8).abs() < 1e-12);
    // "Delta" is a word, "Delta Air Lines" is not.
    assert_eq!(m("Delta").ticker, None);
    assert_eq!(m("Delta").candidates.len(), 0, "no key 'delta' exists: Delta Air Lines keeps its words");
    assert_eq!(m("Delta Air Lines").ticker.as_deref(), Some("DAL"));
}

#[test]
fn ambiguous_is_reported_not_guessed() {
    let r = m("Acme");
    assert_eq!(r.ticker, None, "{r:?}");
    assert!(r.basis.starts_with("ambiguous"));
    let mut t: Vec<&str> = r.candidates.iter().map(|c| c.ticker.as_str()).collect();
    t.sort_unstable();
    assert_eq!(t, ["ACM1", "ACM2"]);
    // The full name decides when given.
    assert_eq!(m("Acme Group").ticker.as_deref(), Some("ACM2"));
    // A former name is a name: "Hewlett-Packard" is HP Inc.'s, HPE keeps "Enterprise".
    assert_eq!(m("Hewlett Packard").ticker.as_deref(), Some("HPQ"));
}

#[test]
fn joined_and_fuzzy() {
    assert_eq!(m("Exxon Mobil").ticker.as_deref(), Some("XOM"));
    let r = m("Northtrop Grumman");
    assert_eq!(r.ticker.as_deref(), Some("NOC"));
    assert_eq!(r.confidence, Some(0.75));
}

#[test]
fn mentions_in_phrases() {
    let r = m("Networks and clients of Hewlett Packard Enterprise");
    assert_eq!(r.ticker.as_deref(), Some("HPE"));
    assert!(r.basis.starts_with("mention"), "{}", r.basis);
    assert_eq!(m("Companies involved in vaccine development including Johnson & Johnson and Novavax").ticker.as_deref(), Some("JNJ"));
    assert_eq!(m("journalists working for News Corp headquarters").ticker.as_deref(), Some("NWSA"));
    // Part of another proper name, or users of a product: no match.
    assert_eq!(m("Gazprom Linde Engineering").ticker, None);
    assert_eq!(m("VMware Horizon servers").ticker, None);
    assert_eq!(m("Apple MacOS users").ticker, None);
    assert_eq!(m("Duke University Hospital").ticker, None);
    // Dow Jones is News Corp's, not Dow Inc.'s.
    assert_eq!(m("reporters at Dow Jones").ticker.as_deref(), Some("NWSA"));
}

#[test]
fn mentions_api_lists_every_company() {
    let reg = registry();
    let ms = Matcher::new(&reg).mentions("Operation hit Northrop Grumman, Merck & Co. and Dow Jones staff");
    let t: Vec<&str> = ms.iter().map(|m| m.ticker.as_str()).collect();
    assert_eq!(t, ["NOC", "MRK", "NWSA"]);
}

#[test]
fn empty_query() {
    let r = m("  ");
    assert_eq!(r.ticker, None);
    assert_eq!(r.basis, "no company name found");
}
