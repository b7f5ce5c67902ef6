//! Invariants of the public statistics, checked on generated inputs.
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use proptest::prelude::*;
use spyglass_stats::*;

fn count_and_n() -> impl Strategy<Value = (u64, u64)> {
    (1u64..5000).prop_flat_map(|n| (0..=n, Just(n)))
}

fn level() -> impl Strategy<Value = f64> {
    prop::sample::select(vec![0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
}

proptest! {
    #[test]
    fn wilson_and_clopper_pearson_contain_the_estimate_within_0_1((count, n) in count_and_n(), level in level()) {
        for ci in [wilson(count, n, level).unwrap(), clopper_pearson(count, n, level).unwrap()] {
            prop_assert!(0.0 <= ci.low && ci.low <= ci.estimate && ci.estimate <= ci.high && ci.high <= 1.0, "{ci:?}");
            prop_assert_eq!(ci.estimate, count as f64 / n as f64);
        }
    }

    #[test]
    fn wilson_and_clopper_pearson_are_monotone_in_count((count, n) in count_and_n(), level in level()) {
        prop_assume!(count < n);
        for f in [wilson, clopper_pearson] {
            let a = f(count, n, level).unwrap();
            let b = f(count + 1, n, level).unwrap();
            prop_assert!(b.low >= a.low && b.high >= a.high, "{a:?} then {b:?}");
        }
    }

    #[test]
    fn intervals_are_symmetric_in_success_and_failure((count, n) in count_and_n(), level in level()) {
        for f in [wilson, clopper_pearson] {
            let a = f(count, n, level).unwrap();
            let b = f(n - count, n, level).unwrap();
            prop_assert!((a.low - (1.0 - b.high)).abs() < 1e-12 && (a.high - (1.0 - b.low)).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    }

    /// A higher confidence level gives a wider interval (nesting), for both closed-form methods.
    #[test]
    fn intervals_nest_by_level((count, n) in count_and_n()) {
        for f in [wilson, clopper_pearson] {
            let narrow = f(count, n, 0.9).unwrap();
            let wide = f(count, n, 0.99).unwrap();
            prop_assert!(wide.low <= narrow.low && narrow.high <= wide.high);
        }
    }

    #[test]
    fn bootstrap_is_reproducible_and_in_0_1((count, n) in count_and_n(), seed in any::<u64>()) {
        let a = bootstrap_binomial(count, n, 0.95, 1000, seed).unwrap();
        prop_assert_eq!(a, bootstrap_binomial(count, n, 0.95, 1000, seed).unwrap());
        prop_assert_eq!((a.seed, a.resamples), (seed, 1000));
        let ci = a.interval;
        // With 1000 resamples a miss of the estimate has probability far below 1e-30.
        prop_assert!(0.0 <= ci.low && ci.low <= ci.estimate && ci.estimate <= ci.high && ci.high <= 1.0, "{ci:?}");
        let via_method = IntervalMethod::Bootstrap { resamples: 1000, seed }.compute(count, n, 0.95).unwrap();
        prop_assert_eq!(via_method, ci);
    }

    #[test]
    fn multilabel_bootstrap_is_reproducible(
        incidents in prop::collection::vec(prop::collection::vec(0u8..5, 0..4), 1..60),
        seed in any::<u64>(),
    ) {
        let a = bootstrap_multilabel(&incidents, 0.9, 200, seed).unwrap();
        prop_assert_eq!(&a, &bootstrap_multilabel(&incidents, 0.9, 200, seed).unwrap());
        for b in a.values() {
            prop_assert!(0.0 <= b.interval.low && b.interval.high <= 1.0);
        }
    }

    #[test]
    fn ztest_is_antisymmetric_in_the_groups((x1, n1) in count_and_n(), (x2, n2) in count_and_n()) {
        match (two_proportion_ztest(x1, n1, x2, n2), two_proportion_ztest(x2, n2, x1, n1)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.z, -b.z);
                prop_assert_eq!(a.p_value, b.p_value);
                // p underflows to 0 beyond |z| ≈ 38, as in scipy.
                prop_assert!((0.0..=1.0).contains(&a.p_value));
                prop_assert!(a.z.is_finite());
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "asymmetric outcome {a:?} vs {b:?}"),
        }
    }

    #[test]
    fn ztest_of_equal_proportions_is_null(x in 1u64..500, k in 1u64..20, m in 1u64..20) {
        // x/n and (k·x)/(k·n) with n = x + m: equal shares.
        let n = x + m;
        let t = two_proportion_ztest(x, n, k * x, k * n).unwrap();
        prop_assert!(t.z.abs() < 1e-9 && (t.p_value - 1.0).abs() < 1e-9, "{t:?}");
    }

    #[test]
    fn fisher_p_is_in_0_1(a in 0u64..300, b in 0u64..300, c in 0u64..300, d in 0u64..300) {
        let t = fisher_exact([[a, b], [c, d]]).unwrap();
        prop_assert!(t.p_value > 0.0 && t.p_value <= 1.0, "{t:?}");
        let tr = fisher_exact([[a, c], [b, d]]).unwrap();
        prop_assert!((t.p_value - tr.p_value).abs() <= 1e-12 * t.p_value.max(1e-300) + 1e-300);
        if let Some(or) = t.odds_ratio {
            prop_assert!(or >= 0.0);
        }
    }

    #[test]
    fn hhi_lies_between_1_over_k_and_1(counts in prop::collection::vec(0u64..1000, 1..30)) {
        prop_assume!(counts.iter().any(|&c| c > 0));
        let h = hhi(&counts).unwrap();
        let k = h.categories as f64;
        prop_assert!(h.index >= 1.0 / k - 1e-12 && h.index <= 1.0 + 1e-12, "{h:?}");
        prop_assert!((h.points - h.index * 10_000.0).abs() < 1e-9);
    }

    /// Count models never panic and never return NaN: a finite fit or a typed error.
    #[test]
    fn trends_are_finite_or_errors(counts in prop::collection::vec(prop::sample::select(vec![0.0, 0.0, 1.0, 2.0, 3.0, 7.0, 20.0, 150.0]), 0..30)) {
        let t: Vec<f64> = (0..counts.len()).map(|i| 2000.0 + i as f64).collect();
        for f in [poisson_trend(&counts, &t), nb2_trend(&counts, &t)].into_iter().flatten() {
            for v in [f.intercept, f.slope, f.se_intercept, f.se_slope, f.z, f.p_value, f.irr.low, f.irr.high, f.llf] {
                prop_assert!(v.is_finite(), "{f:?}");
            }
            prop_assert!(f.irr.low <= f.irr.estimate && f.irr.estimate <= f.irr.high);
        }
        if counts.len() >= 3 {
            let rows: Vec<[f64; 2]> = t.iter().map(|&t| [1.0, t]).collect();
            if let Ok(od) = overdispersion_test(&counts, &rows) {
                prop_assert!(od.statistic >= 0.0 && (0.0..=1.0).contains(&od.p_value), "{od:?}");
            }
        }
    }

    #[test]
    fn change_points_never_panic(counts in prop::collection::vec(0.0f64..100.0, 1..60), pen in 0.0f64..50.0) {
        for r in [pelt(&counts, Penalty::Value { value: pen }, 2), binary_segmentation(&counts, Penalty::Value { value: pen }, 2)] {
            match r {
                Ok(r) => prop_assert!(r.cost.is_finite() && r.segments.iter().all(|s| s.rate.is_finite())),
                Err(e) => prop_assert!(matches!(e, StatsError::TooFewObservations { .. }), "{e:?}"),
            }
        }
    }
}
