use super::*;
use crate::company::Company;
use proptest::prelude::*;

fn co(cik: u64, t: &str, group: &str) -> Company {
    Company {
        id: Company::id_for_cik(cik),
        name: format!("{t} Inc."),
        tickers: vec![t.into()],
        cik: Some(cik),
        gics_sector: None,
        gics_sub_industry: Some(group.into()),
        sic: None,
        sic_description: None,
        sp500: true,
        names: vec![],
    }
}

fn reg() -> Registry {
    Registry {
        companies: vec![
            co(1, "AAA", "Semiconductors"),
            co(2, "BBB", "Semiconductors"),
            co(3, "CCC", "Semiconductors"),
            co(4, "DDD", "Application Software"),
        ],
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn inc(id: &str, cik: u64, date: Option<&str>, state: bool, ai: bool) -> IncidentInput {
    IncidentInput {
        incident_id: id.into(),
        company_id: Company::id_for_cik(cik),
        date: date.map(d),
        state_sponsored: state,
        ai_asset: ai,
        basis: "test".into(),
    }
}

#[test]
fn weights_and_components() {
    let as_of = d("2024-01-01");
    let incs = vec![
        inc("a1", 1, Some("2022-01-01"), true, false), // age 730/365.25 years, state
        inc("a1", 1, Some("2022-01-01"), true, false), // same incident, second victim: once
        inc("a2", 1, Some("2024-01-01"), false, true), // today, AI
        inc("b1", 2, Some("2023-01-01"), false, false), // peer
        inc("c1", 3, None, false, false),              // peer, undated
        inc("d1", 4, Some("2023-06-01"), true, true),  // other group
        inc("a3", 1, Some("2025-01-01"), false, false), // after as-of
    ];
    let e = score(&reg(), &incs, "aaa", as_of, &Weights::default()).unwrap();
    let r1 = 0.5f64.powf(730.0 / 365.25 / 2.0);
    let direct = &e.components[0];
    assert_eq!(direct.incidents.len(), 2);
    assert!((direct.value - (2.0 * r1 + 2.0)).abs() < 1e-12);
    let peer = &e.components[1];
    assert_eq!(e.peers, 2);
    let rb = 0.5f64.powf(365.0 / 365.25 / 2.0);
    assert!((peer.value - 0.5 * rb / 2.0).abs() < 1e-12);
    assert_eq!(e.undated, 1);
    assert!((e.score - direct.value - peer.value).abs() < 1e-15);
    // A company alone in its group has no peer component.
    let e = score(&reg(), &incs, "DDD", as_of, &Weights::default()).unwrap();
    assert_eq!((e.peers, e.components[1].incidents.len()), (0, 0));
    assert!(score(&reg(), &incs, "ZZZ", as_of, &Weights::default()).is_err());
}

#[test]
fn portfolio_duplicates_rejected() {
    let h = vec![("AAA".to_string(), 0.5), ("aaa".to_string(), 0.5)];
    assert!(portfolio(&reg(), &[], &h, d("2024-01-01"), &Weights::default()).is_err());
}

proptest! {
    /// Holdings' contributions sum to the total, and each holding's score is the sum of its
    /// incidents' contributions.
    #[test]
    fn contributions_sum_to_total(
        raw in proptest::collection::vec((0u64..4, 0i64..3000, any::<bool>(), any::<bool>()), 0..40),
        weights in proptest::collection::vec(0.0f64..1.0, 4),
    ) {
        let incs: Vec<IncidentInput> = raw.iter().enumerate().map(|(i, (c, days, s, a))| {
            let date = d("2016-01-01") + chrono::Days::new(*days as u64);
            IncidentInput { incident_id: format!("i{i}"), company_id: Company::id_for_cik(c + 1), date: Some(date),
                            state_sponsored: *s, ai_asset: *a, basis: String::new() }
        }).collect();
        let h: Vec<(String, f64)> = ["AAA", "BBB", "CCC", "DDD"].iter().zip(&weights).map(|(t, w)| (t.to_string(), *w)).collect();
        let p = portfolio(&reg(), &incs, &h, d("2024-06-30"), &Weights::default()).unwrap();
        let sum: f64 = p.holdings.iter().map(|x| x.contribution).sum();
        prop_assert!((sum - p.total).abs() <= 1e-12 * p.total.abs().max(1.0));
        for x in &p.holdings {
            let from_incidents: f64 = x.exposure.components.iter().flat_map(|c| &c.incidents).map(|i| i.contribution).sum();
            prop_assert!((from_incidents - x.exposure.score).abs() <= 1e-12 * x.exposure.score.max(1.0));
            prop_assert!((x.contribution - x.weight * x.exposure.score).abs() <= 1e-15);
        }
    }
}
