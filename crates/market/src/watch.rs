//! Watch rules: pure evaluation of new data against a watch list, producing alerts.
//!
//! | rule | fires when | alert id from |
//! |---|---|---|
//! | `8k_item_1_05` | an 8-K or 8-K/A of a watched company (by ticker or CIK) lists Item 1.05 (material cybersecurity incident) | accession number |
//! | `sponsor_change_point` | a change point in a watched sponsor's incident series (PELT, Poisson cost) | sponsor + period |
//! | `ai_asset_incident` | an incident that targeted an AI asset hit a company of a watched sub-industry | incident + company |
//!
//! An alert's `id` is stable (the first 16 hex digits of SHA-256 over rule and key), so a caller
//! keeping the ids it has emitted only reports new alerts ([`only_new`]).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::company::Registry;
use crate::filings::{Filing, ITEM_CYBER};

/// What to watch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watchlist {
    /// Tickers of watched companies (8-K rule).
    pub tickers: Vec<String>,
    /// GICS sub-industries (or `SIC nnnn`) watched for AI-asset incidents.
    pub sub_industries: Vec<String>,
    /// ISO 3166-1 alpha-2 sponsors watched for change points.
    pub sponsors: Vec<String>,
}

/// One alert (a JSON line of `spyglass watch`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub rule: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The facts behind the alert.
    pub evidence: serde_json::Value,
}

fn alert_id(rule: &str, key: &str) -> String {
    let h = Sha256::digest(format!("{rule}\u{1f}{key}").as_bytes());
    hex::encode(&h[..8])
}

/// Item 1.05 filings of watched companies.
pub fn eight_k_alerts(filings: &[Filing], reg: &Registry, w: &Watchlist) -> Vec<Alert> {
    let watched_ciks: BTreeSet<u64> = w.tickers.iter().filter_map(|t| reg.by_ticker(t)?.cik).collect();
    let watched = |f: &Filing| {
        watched_ciks.contains(&f.cik) || f.tickers.iter().any(|t| w.tickers.iter().any(|x| x.eq_ignore_ascii_case(t)))
    };
    filings
        .iter()
        .filter(|f| f.is_cyber_incident() && watched(f))
        .map(|f| {
            let ticker = f.tickers.first().cloned();
            Alert {
                id: alert_id("8k_item_1_05", &f.accession),
                rule: "8k_item_1_05".into(),
                title: format!(
                    "{} filed {} with Item {ITEM_CYBER} (material cybersecurity incident) on {}",
                    f.company, f.form, f.filing_date
                ),
                ticker,
                date: Some(f.filing_date),
                evidence: serde_json::json!({
                    "cik": f.cik, "accession": f.accession, "form": f.form, "items": f.items, "company": f.company,
                }),
            }
        })
        .collect()
}

/// A change point found in a sponsor's incident series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SponsorChange {
    pub sponsor: String,
    /// The first period of the new regime ("2019", "2019Q3").
    pub period: String,
    pub rate_before: f64,
    pub rate_after: f64,
}

/// Change points of watched sponsors.
pub fn change_point_alerts(changes: &[SponsorChange], w: &Watchlist) -> Vec<Alert> {
    changes
        .iter()
        .filter(|c| w.sponsors.iter().any(|s| s.eq_ignore_ascii_case(&c.sponsor)))
        .map(|c| {
            let dir = if c.rate_after > c.rate_before { "rose" } else { "fell" };
            Alert {
                id: alert_id("sponsor_change_point", &format!("{}|{}", c.sponsor, c.period)),
                rule: "sponsor_change_point".into(),
                title: format!(
                    "incidents attributed to {} {dir} from {:.1} to {:.1} per period from {}",
                    c.sponsor, c.rate_before, c.rate_after, c.period
                ),
                ticker: None,
                date: None,
                evidence: serde_json::json!({
                    "sponsor": c.sponsor, "period": c.period, "rate_before": c.rate_before, "rate_after": c.rate_after,
                }),
            }
        })
        .collect()
}

/// An incident against a matched company, with its AI assets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiIncident {
    pub incident_id: String,
    pub company_id: String,
    pub date: Option<NaiveDate>,
    pub assets: Vec<String>,
}

/// AI-asset incidents against companies of watched sub-industries.
pub fn ai_asset_alerts(incidents: &[AiIncident], reg: &Registry, w: &Watchlist) -> Vec<Alert> {
    let mut out = Vec::new();
    for inc in incidents.iter().filter(|i| !i.assets.is_empty()) {
        let Some(c) = reg.by_id(&inc.company_id) else { continue };
        let Some(group) = c.peer_group() else { continue };
        if !w.sub_industries.iter().any(|s| s.eq_ignore_ascii_case(&group)) {
            continue;
        }
        out.push(Alert {
            id: alert_id("ai_asset_incident", &format!("{}|{}", inc.incident_id, c.id)),
            rule: "ai_asset_incident".into(),
            title: format!("AI-asset incident against {} ({}, {group}): {}", c.name, c.ticker(), inc.assets.join(", ")),
            ticker: Some(c.ticker().to_string()),
            date: inc.date,
            evidence: serde_json::json!({ "incident_id": inc.incident_id, "sub_industry": group, "assets": inc.assets }),
        });
    }
    out
}

/// The alerts whose id is not in `seen`, each once.
pub fn only_new(alerts: Vec<Alert>, seen: &BTreeSet<String>) -> Vec<Alert> {
    let mut emitted = BTreeSet::new();
    alerts.into_iter().filter(|a| !seen.contains(&a.id) && emitted.insert(a.id.clone())).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::company::Company;

    fn reg() -> Registry {
        let c = Company {
            id: Company::id_for_cik(99),
            name: "Example Corp".into(),
            tickers: vec!["EXMP".into()],
            cik: Some(99),
            gics_sector: None,
            gics_sub_industry: Some("Semiconductors".into()),
            sic: None,
            sic_description: None,
            sp500: true,
            names: vec![],
        };
        Registry { companies: vec![c] }
    }

    fn filing(acc: &str, form: &str, items: &str) -> Filing {
        Filing {
            cik: 99,
            company: "Example Corp".into(),
            tickers: vec!["EXMP".into()],
            accession: acc.into(),
            form: form.into(),
            filing_date: NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
            items: crate::filings::parse_items(items),
        }
    }

    #[test]
    fn item_1_05_of_watched_company() {
        let fs = [filing("a-1", "8-K", "1.05,9.01"), filing("a-2", "8-K", "2.02"), filing("a-3", "10-K", "1.05"), filing("a-4", "8-K/A", "1.05")];
        let w = Watchlist { tickers: vec!["exmp".into()], ..Watchlist::default() };
        let a = eight_k_alerts(&fs, &reg(), &w);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "Example Corp filed 8-K with Item 1.05 (material cybersecurity incident) on 2024-02-01");
        assert_eq!(a[0].id.len(), 16);
        assert!(eight_k_alerts(&fs, &reg(), &Watchlist::default()).is_empty());
        let seen: BTreeSet<String> = [a[0].id.clone()].into();
        assert_eq!(only_new(a.clone(), &seen).len(), 1);
    }

    #[test]
    fn sponsor_and_ai_rules() {
        let w = Watchlist { sponsors: vec!["CN".into()], sub_industries: vec!["semiconductors".into()], ..Watchlist::default() };
        let ch = [
            SponsorChange { sponsor: "CN".into(), period: "2017".into(), rate_before: 3.0, rate_after: 9.5 },
            SponsorChange { sponsor: "RU".into(), period: "2014".into(), rate_before: 2.0, rate_after: 6.0 },
        ];
        let a = change_point_alerts(&ch, &w);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "incidents attributed to CN rose from 3.0 to 9.5 per period from 2017");
        let incs = [
            AiIncident { incident_id: "x:1".into(), company_id: Company::id_for_cik(99), date: None, assets: vec!["model_weights".into()] },
            AiIncident { incident_id: "x:2".into(), company_id: Company::id_for_cik(99), date: None, assets: vec![] },
        ];
        let a = ai_asset_alerts(&incs, &reg(), &w);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].ticker.as_deref(), Some("EXMP"));
    }

    /// The synthetic EDGAR fixture (an Item 1.05 8-K) raises an alert when its company is watched.
    #[test]
    fn synthetic_edgar_fixture_raises_alert() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edgar_item105_synthetic.json");
        let e = crate::load::edgar(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut r = Registry::default();
        r.upsert(e.company.clone());
        let w = Watchlist { tickers: vec!["SYNX".into()], ..Watchlist::default() };
        let a = eight_k_alerts(&e.filings, &r, &w);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].evidence["accession"], "0009999999-24-000002");
        assert_eq!(crate::filings::count_8k(&e.filings).item_1_05, 1);
    }
}
