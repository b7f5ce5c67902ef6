use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Exhaustive search over every segmentation (2^(n−1) of them): the reference PELT must equal.
/// Returns the minimal cost, one minimiser, and whether the minimiser is unique (by 1e-9).
fn exhaustive(counts: &[f64], beta: f64, min_size: usize) -> (f64, Vec<usize>, bool) {
    let n = counts.len();
    let cost = Cost::new(counts);
    let mut best = (f64::INFINITY, Vec::new());
    let mut runner_up = f64::INFINITY;
    for mask in 0u32..(1 << (n - 1)) {
        let cps: Vec<usize> = (1..n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
        let mut bounds = vec![0];
        bounds.extend(&cps);
        bounds.push(n);
        if bounds.windows(2).any(|w| w[1] - w[0] < min_size) {
            continue;
        }
        let c = bounds.windows(2).map(|w| cost.segment(w[0], w[1])).sum::<f64>() + beta * cps.len() as f64;
        if c < best.0 {
            runner_up = best.0;
            best = (c, cps);
        } else if c < runner_up {
            runner_up = c;
        }
    }
    let unique = runner_up - best.0 > 1e-9;
    (best.0, best.1, unique)
}

fn poisson_draw(rng: &mut ChaCha8Rng, lambda: f64) -> f64 {
    // Knuth's product method; fine for the small rates used here.
    let limit = (-lambda).exp();
    let mut k = 0.0;
    let mut p: f64 = rng.random();
    while p > limit {
        k += 1.0;
        p *= rng.random::<f64>();
    }
    k
}

#[test]
fn both_find_the_obvious_step() {
    let mut y = vec![3.0, 2.0, 4.0, 3.0, 3.0, 2.0, 4.0, 3.0, 3.0, 3.0];
    y.extend([15.0, 14.0, 16.0, 15.0, 17.0, 13.0, 15.0, 16.0, 14.0, 15.0]);
    for r in [pelt(&y, Penalty::default(), DEFAULT_MIN_SIZE).unwrap(), binary_segmentation(&y, Penalty::default(), 2).unwrap()] {
        assert_eq!(r.change_points, [10], "{r:?}");
        assert_eq!(r.segments.len(), 2);
        assert_eq!((r.segments[0].rate, r.segments[1].rate), (3.0, 15.0));
        assert_eq!(r.penalty, 3.0 * 20f64.ln());
        assert_eq!(r.penalty_rule, Penalty::Mbic);
    }
}

#[test]
fn constant_and_zero_series_have_no_change() {
    for y in [vec![5.0; 24], vec![0.0; 24], vec![1.0; 3]] {
        for r in [pelt(&y, Penalty::Bic, 2).unwrap(), binary_segmentation(&y, Penalty::Bic, 2).unwrap()] {
            assert!(r.change_points.is_empty(), "{r:?}");
            assert_eq!(r.segments.len(), 1);
        }
    }
    // A split of a constant series gains nothing, so any positive penalty refuses it.
    assert!(pelt(&[4.0; 10], Penalty::Value { value: 1e-6 }, 1).unwrap().change_points.is_empty());
    assert!(binary_segmentation(&[4.0; 10], Penalty::Value { value: 1e-6 }, 1).unwrap().change_points.is_empty());
}

#[test]
fn matches_ruptures() {
    for &(name, y, pen, min_size, want_pelt, want_binseg) in RUPTURES_REF {
        let p = pelt(y, Penalty::Value { value: pen }, min_size).unwrap();
        assert_eq!(p.change_points, want_pelt, "{name} pelt @ {pen}");
        let b = binary_segmentation(y, Penalty::Value { value: pen }, min_size).unwrap();
        assert_eq!(b.change_points, want_binseg, "{name} binseg @ {pen}");
        // PELT is exact: never worse than binary segmentation.
        assert!(p.cost <= b.cost + 1e-9, "{name}: {} > {}", p.cost, b.cost);
    }
}

#[test]
fn default_penalty_rarely_flags_constant_series() {
    // The figures quoted in the module documentation, re-measured with a seeded generator.
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let (mut mbic, mut bic) = (0, 0);
    let reps = 400;
    for _ in 0..reps {
        let y: Vec<f64> = (0..24).map(|_| poisson_draw(&mut rng, 10.0)).collect();
        mbic += usize::from(!pelt(&y, Penalty::Mbic, 2).unwrap().change_points.is_empty());
        bic += usize::from(!pelt(&y, Penalty::Bic, 2).unwrap().change_points.is_empty());
    }
    assert!(mbic * 100 < 5 * reps, "3 ln n flagged {mbic}/{reps}");
    assert!(bic > 2 * mbic, "2 ln n flagged {bic}/{reps}, 3 ln n {mbic}/{reps}");
}

#[test]
fn default_penalty_still_sees_a_doubling() {
    // Rate 6 for 12 years, then 14: the default penalty finds a change in most series.
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let reps = 200;
    let mut found = 0;
    for _ in 0..reps {
        let y: Vec<f64> = (0..24).map(|i| poisson_draw(&mut rng, if i < 12 { 6.0 } else { 14.0 })).collect();
        let r = pelt(&y, Penalty::default(), DEFAULT_MIN_SIZE).unwrap();
        found += usize::from(r.change_points.iter().any(|&c| (10..=14).contains(&c)));
    }
    assert!(found * 10 > 8 * reps, "found {found}/{reps}");
}

/// Series where pruning a candidate at once (as `ruptures` does) loses the optimum when the
/// minimum segment length exceeds 1: the candidate is needed again before t + min_size.
/// Found by random search against the exhaustive optimum.
#[test]
fn pelt_keeps_pruned_candidates_for_min_size_steps() {
    let cases: [(&[f64], f64, usize); 4] = [
        (&[40.0, 2.0, 2.0, 5.0, 0.0, 5.0, 8.0, 3.0, 8.0, 0.0, 20.0, 5.0, 0.0], 8.248993971969645, 2),
        (&[8.0, 1.0, 0.0, 40.0, 2.0, 0.0, 20.0, 0.0, 8.0, 0.0, 3.0, 0.0, 40.0], 8.628835616821878, 2),
        (&[5.0, 13.0, 20.0, 40.0, 13.0, 2.0, 40.0, 1.0, 3.0], 0.2628486095394167, 3),
        (&[3.0, 8.0, 40.0, 13.0, 5.0, 20.0, 20.0, 5.0, 40.0, 0.0], 2.389637184544193, 4),
    ];
    for (y, beta, m) in cases {
        let (best, _, _) = exhaustive(y, beta, m);
        let p = pelt(y, Penalty::Value { value: beta }, m).unwrap();
        assert!((p.cost - best).abs() < 1e-9, "{y:?}: pelt {} vs exhaustive {best}", p.cost);
    }
}

#[test]
fn bad_input_is_rejected() {
    assert!(matches!(pelt(&[], Penalty::default(), 2), Err(StatsError::NoObservations(_))));
    assert!(matches!(pelt(&[1.0], Penalty::default(), 2), Err(StatsError::TooFewObservations { .. })));
    assert!(pelt(&[1.0, 2.0], Penalty::default(), 0).is_err());
    assert!(matches!(pelt(&[1.0, -1.0, 2.0], Penalty::default(), 1), Err(StatsError::BadValue { index: 1, .. })));
    assert!(binary_segmentation(&[1.0, f64::NAN], Penalty::default(), 1).is_err());
    assert!(pelt(&[1.0, 2.0, 3.0], Penalty::Value { value: f64::NAN }, 1).is_err());
    assert!(pelt(&[1.0, 2.0, 3.0], Penalty::Value { value: -1.0 }, 1).is_err());
}

#[test]
fn penalty_serialises_with_its_rule() {
    assert_eq!(serde_json::to_string(&Penalty::Mbic).unwrap(), r#"{"rule":"mbic"}"#);
    assert_eq!(serde_json::to_string(&Penalty::Value { value: 4.5 }).unwrap(), r#"{"rule":"value","value":4.5}"#);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// PELT is exact: its cost equals the exhaustive minimum, and its change points are the
    /// minimiser whenever that is unique. Binary segmentation is never better.
    #[test]
    fn pelt_equals_exhaustive_search(
        y in prop::collection::vec(prop::sample::select(vec![0u32, 0, 1, 2, 3, 5, 8, 13, 20, 40]), 1..=13),
        beta in 0.0f64..12.0,
        min_size in 1usize..=3,
    ) {
        let y: Vec<f64> = y.into_iter().map(f64::from).collect();
        prop_assume!(y.len() >= min_size);
        let (best, arg, unique) = exhaustive(&y, beta, min_size);
        let p = pelt(&y, Penalty::Value { value: beta }, min_size).unwrap();
        prop_assert!((p.cost - best).abs() < 1e-9, "pelt {} vs exhaustive {} ({:?} vs {:?})", p.cost, best, p.change_points, arg);
        if unique {
            prop_assert_eq!(&p.change_points, &arg);
        }
        let b = binary_segmentation(&y, Penalty::Value { value: beta }, min_size).unwrap();
        prop_assert!(b.cost >= best - 1e-9);
        for r in [&p, &b] {
            prop_assert!(r.segments.iter().all(|s| s.end - s.start >= min_size));
            prop_assert_eq!(r.segments.iter().map(|s| s.end - s.start).sum::<usize>(), y.len());
        }
    }
}

/// (name, counts, penalty, min_size, PELT change points, binary-segmentation change points)
type RupturesCase = (&'static str, &'static [f64], f64, usize, &'static [usize], &'static [usize]);

// reference-table begin: changepoint.ruptures (tests/reference/changepoint.py)
/// (name, counts, penalty, min_size, ruptures Pelt change points, ruptures Binseg ones)
const RUPTURES_REF: &[RupturesCase] = &[
    ("step", &[3.0, 2.0, 4.0, 3.0, 3.0, 2.0, 4.0, 3.0, 3.0, 3.0, 15.0, 14.0, 16.0, 15.0, 17.0, 13.0, 15.0, 16.0, 14.0, 15.0], 8.987196820661973, 2, &[10], &[10]),
    ("step", &[3.0, 2.0, 4.0, 3.0, 3.0, 2.0, 4.0, 3.0, 3.0, 3.0, 15.0, 14.0, 16.0, 15.0, 17.0, 13.0, 15.0, 16.0, 14.0, 15.0], 5.991464547107982, 2, &[10], &[10]),
    ("rising", &[2.0, 1.0, 3.0, 2.0, 4.0, 2.0, 2.0, 2.0, 3.0, 4.0, 7.0, 6.0, 5.0, 16.0, 9.0, 14.0, 8.0, 17.0, 14.0, 18.0, 19.0, 19.0, 30.0, 18.0], 9.534161491043838, 2, &[10, 17], &[13, 19]),
    ("rising", &[2.0, 1.0, 3.0, 2.0, 4.0, 2.0, 2.0, 2.0, 3.0, 4.0, 7.0, 6.0, 5.0, 16.0, 9.0, 14.0, 8.0, 17.0, 14.0, 18.0, 19.0, 19.0, 30.0, 18.0], 6.3561076606958915, 2, &[9, 13, 19], &[9, 13, 19]),
    ("overdispersed", &[2.0, 2.0, 2.0, 5.0, 0.0, 4.0, 7.0, 1.0, 0.0, 3.0, 4.0, 4.0, 10.0, 11.0, 3.0, 9.0, 9.0, 2.0, 2.0, 16.0, 4.0, 19.0, 27.0, 10.0], 9.534161491043838, 2, &[12, 21], &[12, 17, 19]),
    ("overdispersed", &[2.0, 2.0, 2.0, 5.0, 0.0, 4.0, 7.0, 1.0, 0.0, 3.0, 4.0, 4.0, 10.0, 11.0, 3.0, 9.0, 9.0, 2.0, 2.0, 16.0, 4.0, 19.0, 27.0, 10.0], 6.3561076606958915, 2, &[12, 17, 19], &[12, 17, 19]),
    ("three_regimes", &[2.0, 3.0, 2.0, 6.0, 3.0, 6.0, 2.0, 3.0, 5.0, 6.0, 4.0, 4.0, 3.0, 5.0, 6.0, 11.0, 8.0, 16.0, 10.0, 14.0, 12.0, 11.0, 14.0, 12.0, 8.0, 2.0, 2.0, 3.0, 3.0, 2.0, 9.0, 2.0, 4.0, 3.0, 2.0, 2.0, 2.0, 2.0, 3.0, 4.0], 11.06663836234181, 2, &[15, 25], &[15, 25]),
    ("three_regimes", &[2.0, 3.0, 2.0, 6.0, 3.0, 6.0, 2.0, 3.0, 5.0, 6.0, 4.0, 4.0, 3.0, 5.0, 6.0, 11.0, 8.0, 16.0, 10.0, 14.0, 12.0, 11.0, 14.0, 12.0, 8.0, 2.0, 2.0, 3.0, 3.0, 2.0, 9.0, 2.0, 4.0, 3.0, 2.0, 2.0, 2.0, 2.0, 3.0, 4.0], 7.3777589082278725, 2, &[15, 25], &[15, 25]),
    ("three_regimes_min5", &[2.0, 3.0, 2.0, 6.0, 3.0, 6.0, 2.0, 3.0, 5.0, 6.0, 4.0, 4.0, 3.0, 5.0, 6.0, 11.0, 8.0, 16.0, 10.0, 14.0, 12.0, 11.0, 14.0, 12.0, 8.0, 2.0, 2.0, 3.0, 3.0, 2.0, 9.0, 2.0, 4.0, 3.0, 2.0, 2.0, 2.0, 2.0, 3.0, 4.0], 11.06663836234181, 5, &[15, 25], &[15, 25]),
    ("three_regimes_min5", &[2.0, 3.0, 2.0, 6.0, 3.0, 6.0, 2.0, 3.0, 5.0, 6.0, 4.0, 4.0, 3.0, 5.0, 6.0, 11.0, 8.0, 16.0, 10.0, 14.0, 12.0, 11.0, 14.0, 12.0, 8.0, 2.0, 2.0, 3.0, 3.0, 2.0, 9.0, 2.0, 4.0, 3.0, 2.0, 2.0, 2.0, 2.0, 3.0, 4.0], 7.3777589082278725, 5, &[15, 25], &[15, 25]),
];
// reference-table end: changepoint.ruptures
