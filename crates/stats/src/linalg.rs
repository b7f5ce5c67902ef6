//! Small dense linear algebra for p×p systems (p = a handful of regression parameters).
//! Matrices are row-major `Vec<f64>` of length p².

/// Cholesky factor L (lower triangular, row-major) of a symmetric positive-definite matrix, or
/// `None` when the matrix is not numerically positive definite.
pub(crate) fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                // A pivot that has lost all but ~1e-13 of the diagonal is rank deficiency.
                if !s.is_finite() || s <= 1e-13 * a[i * p + i].abs() {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    Some(l)
}

/// Solves L Lᵀ x = b given the Cholesky factor L.
pub(crate) fn cholesky_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..p {
        for k in 0..i {
            y[i] -= l[i * p + k] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    for i in (0..p).rev() {
        for k in i + 1..p {
            y[i] -= l[k * p + i] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    y
}

/// Inverse of a symmetric positive-definite matrix through its Cholesky factor.
pub(crate) fn inverse_spd(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, p)?;
    let mut inv = vec![0.0; p * p];
    for j in 0..p {
        let mut e = vec![0.0; p];
        e[j] = 1.0;
        let col = cholesky_solve(&l, p, &e);
        for i in 0..p {
            inv[i * p + j] = col[i];
        }
    }
    // Symmetrise away rounding.
    for i in 0..p {
        for j in 0..i {
            let v = 0.5 * (inv[i * p + j] + inv[j * p + i]);
            inv[i * p + j] = v;
            inv[j * p + i] = v;
        }
    }
    Some(inv)
}

/// A · B for row-major A (r×k) and B (k×c).
pub(crate) fn matmul(a: &[f64], b: &[f64], r: usize, k: usize, c: usize) -> Vec<f64> {
    let mut out = vec![0.0; r * c];
    for i in 0..r {
        for j in 0..c {
            out[i * c + j] = (0..k).map(|m| a[i * k + m] * b[m * c + j]).sum();
        }
    }
    out
}

/// Aᵀ for row-major A (r×c).
pub(crate) fn transpose(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    let mut out = vec![0.0; r * c];
    for i in 0..r {
        for j in 0..c {
            out[j * r + i] = a[i * c + j];
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn inverse_of_spd_matrix_is_an_inverse() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let inv = inverse_spd(&a, 3).unwrap();
        let id = matmul(&a, &inv, 3, 3, 3);
        for i in 0..3 {
            for j in 0..3 {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((id[i * 3 + j] - want).abs() < 1e-14, "{id:?}");
            }
        }
        assert_eq!(transpose(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3), [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    }

    #[test]
    fn singular_and_indefinite_matrices_are_refused() {
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        assert!(cholesky(&[f64::NAN, 0.0, 0.0, 1.0], 2).is_none());
    }
}
