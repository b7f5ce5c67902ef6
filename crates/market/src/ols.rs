//! Simple regression y = α + β x + ε by ordinary least squares (the market model).
//!
//! σ̂² = Σ ε̂² / (n − 2), as statsmodels `OLS(...).fit().scale`. Sums are taken around the means
//! (two passes) for accuracy.

use serde::Serialize;

use crate::MarketError;

/// A fitted market model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MarketModel {
    pub alpha: f64,
    pub beta: f64,
    /// Residual standard deviation with n − 2 degrees of freedom.
    pub sigma: f64,
    pub n: usize,
    /// Mean of x (the market return) over the estimation window.
    pub x_mean: f64,
    /// Σ (x − x̄)² over the estimation window.
    pub sxx: f64,
}

impl MarketModel {
    /// The expected return for a market return `x`.
    pub fn predict(&self, x: f64) -> f64 {
        self.alpha + self.beta * x
    }
}

/// Fits the market model; at least 3 observations and a non-constant x are needed.
pub fn fit(x: &[f64], y: &[f64]) -> Result<MarketModel, MarketError> {
    if x.len() != y.len() {
        return Err(MarketError::BadArgument(format!("market model: {} market returns but {} stock returns", x.len(), y.len())));
    }
    let n = x.len();
    if n < 3 {
        return Err(MarketError::BadArgument(format!("market model: {n} observations, at least 3 needed")));
    }
    let nf = n as f64;
    let x_mean = x.iter().sum::<f64>() / nf;
    let y_mean = y.iter().sum::<f64>() / nf;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (xi, yi) in x.iter().zip(y) {
        let dx = xi - x_mean;
        sxx += dx * dx;
        sxy += dx * (yi - y_mean);
    }
    if sxx.is_nan() || sxx <= 0.0 {
        return Err(MarketError::BadArgument("market model: the market return is constant over the estimation window".into()));
    }
    let beta = sxy / sxx;
    let alpha = y_mean - beta * x_mean;
    let sse: f64 = x.iter().zip(y).map(|(xi, yi)| (yi - alpha - beta * xi).powi(2)).sum();
    Ok(MarketModel { alpha, beta, sigma: (sse / (nf - 2.0)).sqrt(), n, x_mean, sxx })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exact_line() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [3.0, 5.0, 7.0, 9.0];
        let m = fit(&x, &y).unwrap();
        assert!((m.alpha - 1.0).abs() < 1e-12 && (m.beta - 2.0).abs() < 1e-12 && m.sigma.abs() < 1e-12);
    }

    #[test]
    fn degenerate_inputs() {
        assert!(fit(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).unwrap_err().to_string().contains("constant"));
        assert!(fit(&[1.0, 2.0], &[1.0, 2.0]).is_err());
        assert!(fit(&[1.0, 2.0, 3.0], &[1.0, 2.0]).is_err());
    }

    proptest! {
        /// Residuals are orthogonal to 1 and x (the normal equations).
        #[test]
        fn normal_equations(pts in proptest::collection::vec((-0.1f64..0.1, -0.1f64..0.1), 5..60)) {
            let x: Vec<f64> = pts.iter().map(|p| p.0).collect();
            let y: Vec<f64> = pts.iter().map(|p| p.1).collect();
            if let Ok(m) = fit(&x, &y) {
                let r: Vec<f64> = x.iter().zip(&y).map(|(a, b)| b - m.predict(*a)).collect();
                prop_assert!(r.iter().sum::<f64>().abs() < 1e-12);
                prop_assert!(r.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>().abs() < 1e-12);
            }
        }
    }
}
