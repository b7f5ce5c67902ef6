//! Comparison helpers for reference-value tests.

/// Asserts |actual − expected| ≤ tol·max(|expected|, floor): relative for ordinary magnitudes,
/// absolute (tol·floor) near zero.
#[track_caller]
pub(crate) fn assert_close(actual: f64, expected: f64, tol: f64, floor: f64, what: &str) {
    let bound = tol * expected.abs().max(floor);
    assert!(
        (actual - expected).abs() <= bound,
        "{what}: got {actual:e}, expected {expected:e} (diff {:e} > {bound:e})",
        (actual - expected).abs()
    );
}

/// Purely relative comparison (p-values, tail probabilities).
#[track_caller]
pub(crate) fn assert_rel(actual: f64, expected: f64, tol: f64, what: &str) {
    assert_close(actual, expected, tol, f64::MIN_POSITIVE, what);
}
