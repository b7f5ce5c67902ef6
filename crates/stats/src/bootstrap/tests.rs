use super::*;
use crate::testutil::assert_rel;

#[test]
fn same_seed_same_interval_other_seed_other_interval() {
    let a = bootstrap_binomial(185, 599, 0.95, 2000, 7).unwrap();
    let b = bootstrap_binomial(185, 599, 0.95, 2000, 7).unwrap();
    let c = bootstrap_binomial(185, 599, 0.95, 2000, 8).unwrap();
    assert_eq!(a, b);
    assert_eq!((a.seed, a.resamples), (7, 2000));
    assert_ne!((a.interval.low, a.interval.high), (c.interval.low, c.interval.high));
}

#[test]
fn sampler_is_the_exact_inverse_cdf() {
    for &(n, count) in &[(20u64, 6u64), (1000, 10), (1000, 993), (7, 1), (50, 25)] {
        let p = count as f64 / n as f64;
        let s = BinomialSampler::new(n, p);
        // Brute-force CDF by summing the pmf from 0.
        let cdf: Vec<f64> = (0..=n)
            .scan(0.0, |acc, k| {
                *acc += ln_binom_kernel(k as f64, (n - k) as f64, p, 1.0 - p).exp();
                Some(*acc)
            })
            .collect();
        for i in 1..200 {
            let u = f64::from(i) / 200.0;
            let want = cdf.iter().position(|&c| c >= u).unwrap_or(n as usize) as u64;
            let got = s.sample(u);
            // Rounding can move a draw by one only where u sits on a CDF step.
            let on_step = cdf.iter().any(|&c| (c - u).abs() < 1e-12);
            assert!(got == want || on_step, "n={n} p={p} u={u}: got {got}, want {want}");
        }
    }
}

#[test]
fn binomial_shortcut_agrees_with_resampling_incidents() {
    // 400 single-label incidents, 120 with key "a": both bootstraps estimate the same quantiles.
    let incidents: Vec<Vec<&str>> =
        (0..400).map(|i| if i % 10 < 3 { vec!["a"] } else { vec!["b"] }).collect();
    let by_rows = bootstrap_multilabel(&incidents, 0.95, 20_000, 1).unwrap();
    let by_binom = bootstrap_binomial(120, 400, 0.95, 20_000, 1).unwrap();
    let a = by_rows["a"].interval;
    assert_eq!(a.estimate, 0.3);
    assert!((a.low - by_binom.interval.low).abs() < 0.006, "{a:?} vs {by_binom:?}");
    assert!((a.high - by_binom.interval.high).abs() < 0.006, "{a:?} vs {by_binom:?}");
    // And both are close to the Wilson interval at this n.
    let w = crate::wilson(120, 400, 0.95).unwrap();
    assert!((a.low - w.low).abs() < 0.01 && (a.high - w.high).abs() < 0.01, "{a:?} vs {w:?}");
}

#[test]
fn multilabel_counts_an_incident_once_per_key() {
    let incidents = vec![vec!["x", "x", "y"], vec!["x"], vec!["y", "z"], vec![]];
    let out = bootstrap_multilabel(&incidents, 0.9, 500, 3).unwrap();
    assert_eq!(out.keys().copied().collect::<Vec<_>>(), ["x", "y", "z"]);
    assert_eq!(out["x"].interval.estimate, 0.5);
    assert_eq!(out["y"].interval.estimate, 0.5);
    assert_eq!(out["z"].interval.estimate, 0.25);
    for b in out.values() {
        assert!(0.0 <= b.interval.low && b.interval.high <= 1.0);
        assert_eq!((b.resamples, b.seed), (500, 3));
    }
    assert_eq!(out, bootstrap_multilabel(&incidents, 0.9, 500, 3).unwrap());
}

#[test]
fn edges_collapse_and_bad_input_is_rejected() {
    let zero = bootstrap_binomial(0, 50, 0.95, 100, 0).unwrap().interval;
    assert_eq!((zero.low, zero.high), (0.0, 0.0));
    let all = bootstrap_binomial(50, 50, 0.95, 100, 0).unwrap().interval;
    assert_eq!((all.low, all.high), (1.0, 1.0));
    assert!(bootstrap_binomial(1, 0, 0.95, 100, 0).is_err());
    assert!(matches!(bootstrap_binomial(0, 0, 0.95, 100, 0), Err(StatsError::NoObservations(_))));
    assert!(bootstrap_binomial(1, 2, 0.95, 0, 0).is_err());
    assert!(bootstrap_binomial(1, 2, 1.5, 10, 0).is_err());
    let empty: Vec<Vec<u8>> = vec![];
    assert!(bootstrap_multilabel(&empty, 0.95, 10, 0).is_err());
}

#[test]
fn large_n_is_cheap_and_centred() {
    // One million incidents: the binomial draw does not touch a million rows.
    let b = bootstrap_binomial(300_000, 1_000_000, 0.95, 5000, 11).unwrap().interval;
    let w = crate::wilson(300_000, 1_000_000, 0.95).unwrap();
    assert!((b.low - w.low).abs() < 1e-4 && (b.high - w.high).abs() < 1e-4, "{b:?} vs {w:?}");
}

#[test]
fn quantile_matches_numpy() {
    for (values, q, want) in PERCENTILE_REF {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        assert_rel(quantile_sorted(&v, *q), *want, 1e-14, &format!("{values:?} @ {q}"));
    }
}

// reference-table begin: bootstrap.percentile (tests/reference/bootstrap.py)
/// (values, q, numpy.percentile(values, 100 q))
const PERCENTILE_REF: &[(&[f64], f64, f64)] = &[
    (&[0.1, 0.4, 0.2, 0.3], 0.025, 0.10750000000000001),
    (&[0.1, 0.4, 0.2, 0.3], 0.975, 0.3925),
    (&[0.5], 0.05, 0.5),
    (&[3.0, 1.0, 2.0, 2.0, 5.0, 8.0, 13.0], 0.5, 3.0),
    (&[0.31, 0.28, 0.33, 0.29, 0.3, 0.27, 0.35, 0.32, 0.3, 0.26, 0.34], 0.005, 0.2605),
];
// reference-table end: bootstrap.percentile
