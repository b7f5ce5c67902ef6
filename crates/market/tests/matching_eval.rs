#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
//! Held-out evaluation of victim → company matching on every victim name of EuRepoC v1.1 and the
//! CFR tracker (`tests/fixtures/victims_eval.csv`, built and labelled by
//! `tests/fixtures/make_victims_eval.py`).

use std::path::{Path, PathBuf};

use spyglass_market::files::{self, CompanyFile};
use spyglass_market::matcher::is_weak;
use spyglass_market::normalize::tokens;
use spyglass_market::{MatchContext, Matcher, Registry};

struct Row {
    name: String,
    company_context: bool,
    expected: Option<String>,
}

fn fixture() -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/victims_eval.csv");
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row { name: r[1].to_string(), company_context: &r[2] == "company", expected: (!r[3].is_empty()).then(|| r[3].to_string()) }
        })
        .collect()
}

fn load(paths: &[PathBuf]) -> Registry {
    let files: Vec<CompanyFile> =
        paths.iter().enumerate().map(|(i, p)| files::read(p, &std::fs::read(p).unwrap(), &format!("t{i:03}")).unwrap()).collect();
    files::build(&files).unwrap()
}

struct Score {
    tp: usize,
    fp: usize,
    positives: usize,
    errors: Vec<String>,
}

fn evaluate(reg: &Registry, rows: &[Row]) -> Score {
    let m = Matcher::new(reg);
    let mut s = Score { tp: 0, fp: 0, positives: 0, errors: vec![] };
    for row in rows {
        let ctx = if row.company_context { MatchContext::Company } else { MatchContext::Unknown };
        let r = m.match_name(&row.name, ctx);
        if row.expected.is_some() {
            s.positives += 1;
        }
        match (&r.ticker, &row.expected) {
            (Some(t), Some(e)) if t == e => s.tp += 1,
            (Some(t), e) => {
                s.fp += 1;
                s.errors.push(format!("FP {:?} -> {t} (expected {e:?}; {})", row.name, r.basis));
            }
            (None, Some(e)) => s.errors.push(format!("FN {:?} (expected {e}; {})", row.name, r.basis)),
            (None, None) => {}
        }
    }
    s
}

fn report(label: &str, s: &Score) -> (f64, f64) {
    let precision = s.tp as f64 / (s.tp + s.fp).max(1) as f64;
    let recall = s.tp as f64 / s.positives.max(1) as f64;
    println!(
        "{label}: precision {precision:.3} ({} of {} matches), recall {recall:.3} ({} of {} companies)",
        s.tp,
        s.tp + s.fp,
        s.tp,
        s.positives
    );
    for e in &s.errors {
        println!("  {e}");
    }
    (precision, recall)
}

#[test]
fn victim_matching_precision_and_recall() {
    let constituents = spyglass_testkit::require_shared!("market/sp500_constituents.csv");
    let edgar_dir = spyglass_testkit::require_shared!("market/sec-submissions");
    let mut paths = vec![constituents];
    let mut edgar: Vec<PathBuf> = std::fs::read_dir(edgar_dir).unwrap().map(|e| e.unwrap().path()).collect();
    edgar.sort();
    paths.extend(edgar);
    let rows = fixture();
    assert_eq!(rows.len(), 1274);

    let without = report("constituents + EDGAR", &evaluate(&load(&paths), &rows));
    paths.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/aliases_sp500.csv"));
    let reg = load(&paths);
    let (precision, recall) = report("constituents + EDGAR + aliases_sp500.csv", &evaluate(&reg, &rows));
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall >= 0.80, "recall {recall}");
    assert!(without.0 >= 0.95, "precision without aliases {}", without.0);

    // No match on a bare common word unless the source says the victim is a company.
    let m = Matcher::new(&reg);
    for word in ["Target", "Visa", "Discovery", "Gap", "Ball", "Progressive", "General", "American", "Apple", "Delta", "Block", "Fox", "Square", "Southern"] {
        let r = m.match_name(word, MatchContext::Unknown);
        assert_eq!(r.ticker, None, "{word}: {r:?}");
    }
    assert_eq!(m.match_name("Target Corporation", MatchContext::Unknown).ticker.as_deref(), Some("TGT"));
    assert_eq!(m.match_name("Visa Inc.", MatchContext::Unknown).ticker.as_deref(), Some("V"));
    assert_eq!(m.match_name("Ball Corp", MatchContext::Unknown).ticker.as_deref(), Some("BALL"));
    for row in rows.iter().filter(|r| !r.company_context) {
        let words = tokens(&row.name);
        if is_weak(&words) {
            let r = m.match_name(&row.name, MatchContext::Unknown);
            assert_eq!(r.ticker, None, "{:?} matched {:?}", row.name, r);
        }
    }
}
