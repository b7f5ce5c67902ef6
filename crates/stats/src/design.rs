//! Validation and internal standardisation of count-regression inputs.
//!
//! Years as a covariate (2000…2023) next to an intercept make XᵀWX ill-conditioned (condition
//! number ~10⁹). The models therefore fit on a standardised design Z — the intercept column kept,
//! every other column centred and scaled — and map the estimates back exactly: X β = Z γ with
//! β = A γ, Cov β = A Cov γ Aᵀ. Nothing about the model changes, only the arithmetic.

use crate::StatsError;
use crate::linalg::{matmul, transpose};

/// A validated design: counts, the standardised design and the map back to the caller's columns.
#[derive(Debug)]
pub(crate) struct Design {
    pub y: Vec<f64>,
    /// Standardised design, row-major n×p.
    pub z: Vec<f64>,
    pub n: usize,
    pub p: usize,
    /// β = A γ, row-major p×p.
    pub a: Vec<f64>,
}

impl Design {
    pub(crate) fn new<R: AsRef<[f64]>>(what: &'static str, y: &[f64], x: &[R]) -> Result<Design, StatsError> {
        let n = y.len();
        if x.len() != n {
            return Err(StatsError::LengthMismatch { what, left: n, right: x.len() });
        }
        let p = x.first().map_or(0, |r| r.as_ref().len());
        if p == 0 {
            return Err(StatsError::Domain(format!("{what}: the design matrix has no columns")));
        }
        if n <= p {
            return Err(StatsError::TooFewObservations { what, n, needed: p + 1 });
        }
        for (index, &value) in y.iter().enumerate() {
            if !(value.is_finite() && value >= 0.0) {
                return Err(StatsError::BadValue { what, index, value });
            }
        }
        let mut cols = vec![vec![0.0; n]; p];
        for (i, row) in x.iter().enumerate() {
            let row = row.as_ref();
            if row.len() != p {
                return Err(StatsError::LengthMismatch { what, left: p, right: row.len() });
            }
            for (j, &v) in row.iter().enumerate() {
                if !v.is_finite() {
                    return Err(StatsError::Domain(format!(
                        "{what}: design row {i} column {j} is {v}, expected a finite number"
                    )));
                }
                cols[j][i] = v;
            }
        }
        if y.iter().all(|&v| v == 0.0) {
            return Err(StatsError::AllZero(what));
        }
        // The first constant non-zero column plays the intercept.
        let intercept =
            cols.iter().position(|c| c[0] != 0.0 && c.iter().all(|&v| v == c[0]));
        let nf = n as f64;
        let mut shift = vec![0.0; p];
        let mut scale = vec![1.0; p];
        for (j, c) in cols.iter().enumerate() {
            if Some(j) == intercept {
                scale[j] = c[0];
                continue;
            }
            if intercept.is_some() {
                shift[j] = c.iter().sum::<f64>() / nf;
            }
            let ss = c.iter().map(|v| (v - shift[j]).powi(2)).sum::<f64>() / nf;
            if ss.is_nan() || ss <= 0.0 {
                return Err(StatsError::Singular(what));
            }
            scale[j] = ss.sqrt();
        }
        let mut z = vec![0.0; n * p];
        for i in 0..n {
            for j in 0..p {
                z[i * p + j] = (cols[j][i] - shift[j]) / scale[j];
            }
        }
        let mut a = vec![0.0; p * p];
        for j in 0..p {
            a[j * p + j] = 1.0 / scale[j];
        }
        if let Some(c) = intercept {
            for j in (0..p).filter(|&j| j != c) {
                a[c * p + j] = -shift[j] / (scale[j] * scale[c]);
            }
        }
        Ok(Design { y: y.to_vec(), z, n, p, a })
    }

    /// Linear predictor Z γ.
    pub(crate) fn eta(&self, gamma: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| (0..self.p).map(|j| self.z[i * self.p + j] * gamma[j]).sum())
            .collect()
    }

    /// Zᵀ diag(w) Z (p×p).
    pub(crate) fn weighted_gram(&self, w: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut g = vec![0.0; p * p];
        for (row, &wi) in self.z.chunks_exact(p).zip(w) {
            for j in 0..p {
                for k in 0..=j {
                    g[j * p + k] += wi * row[j] * row[k];
                }
            }
        }
        for j in 0..p {
            for k in 0..j {
                g[k * p + j] = g[j * p + k];
            }
        }
        g
    }

    /// Zᵀ v (p).
    pub(crate) fn zt_times(&self, v: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.p];
        for (row, &vi) in self.z.chunks_exact(self.p).zip(v) {
            for (o, &zij) in out.iter_mut().zip(row) {
                *o += zij * vi;
            }
        }
        out
    }

    /// The caller's coefficients β = A γ.
    pub(crate) fn to_beta(&self, gamma: &[f64]) -> Vec<f64> {
        matmul(&self.a, gamma, self.p, self.p, 1)
    }

    /// Covariance of β from that of γ: A Cov Aᵀ.
    pub(crate) fn to_beta_cov(&self, cov_gamma: &[f64]) -> Vec<f64> {
        let p = self.p;
        matmul(&matmul(&self.a, cov_gamma, p, p, p), &transpose(&self.a, p, p), p, p, p)
    }
}
