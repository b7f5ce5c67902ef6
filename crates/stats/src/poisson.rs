//! Poisson regression (GLM, log link) by iteratively reweighted least squares, and the yearly
//! trend built on it.

use serde::Serialize;
use statrs::function::gamma::ln_gamma;

use crate::design::Design;
use crate::linalg::{cholesky, cholesky_solve, inverse_spd};
use crate::special::normal_two_sided_p;
use crate::{Interval, StatsError, z_two_sided};

const MAX_ITER: usize = 100;

/// A fitted Poisson GLM. Vectors follow the columns of the design matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoissonFit {
    pub params: Vec<f64>,
    /// Standard errors from the inverse Fisher information (scale 1).
    pub bse: Vec<f64>,
    /// Wald statistics params / bse.
    pub z: Vec<f64>,
    /// Two-sided Wald p-values (normal reference).
    pub p_values: Vec<f64>,
    /// Covariance matrix of the parameters, row-major p×p.
    pub cov: Vec<f64>,
    /// Deviance 2 Σ [y ln(y/μ) − (y − μ)].
    pub deviance: f64,
    /// Pearson χ² Σ (y − μ)²/μ.
    pub pearson_chi2: f64,
    /// Log-likelihood Σ [y ln μ − μ − ln y!].
    pub llf: f64,
    pub nobs: usize,
    pub df_resid: usize,
    pub iterations: usize,
    /// Fitted means μ.
    pub fitted: Vec<f64>,
}

/// Poisson GLM with log link, as statsmodels `GLM(y, X, family=Poisson()).fit()`: IRLS from
/// μ₀ = (y + ȳ)/2, scale 1, standard errors from the inverse Fisher information XᵀWX, Wald z
/// and two-sided normal p-values. `x` holds the rows of the design matrix (include a column of
/// ones for an intercept). The fit runs on an internally standardised design (see `design.rs`)
/// and iterates until both the deviance and the parameters have settled, which is tighter than
/// statsmodels' default (deviance change < 1e-8).
///
/// Errors instead of NaN: counts not finite or negative, fewer observations than parameters + 1,
/// all counts zero ([`StatsError::AllZero`]), a singular design, and data whose likelihood has
/// no finite maximum — e.g. every positive count at one end of a trend — reported as
/// [`StatsError::NoFiniteEstimate`] (IRLS keeps pushing the zero cells' means towards 0).
pub fn poisson_glm<R: AsRef<[f64]>>(y: &[f64], x: &[R]) -> Result<PoissonFit, StatsError> {
    let d = Design::new("poisson glm", y, x)?;
    let core = fit_design(&d, "poisson glm")?;
    let params = d.to_beta(&core.gamma);
    let cov = d.to_beta_cov(&core.cov_gamma);
    let (bse, z, p_values) = wald(&params, &cov, d.p);
    let mu = &core.mu;
    Ok(PoissonFit {
        params,
        bse,
        z,
        p_values,
        cov,
        deviance: deviance(y, mu),
        pearson_chi2: y.iter().zip(mu).map(|(y, m)| (y - m).powi(2) / m).sum(),
        llf: loglik(y, mu),
        nobs: d.n,
        df_resid: d.n - d.p,
        iterations: core.iterations,
        fitted: core.mu,
    })
}

/// Standard errors, Wald z and two-sided p-values from a covariance matrix.
pub(crate) fn wald(params: &[f64], cov: &[f64], p: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let bse: Vec<f64> = (0..p).map(|j| cov[j * p + j].sqrt()).collect();
    let z: Vec<f64> = params.iter().zip(&bse).map(|(b, s)| b / s).collect();
    let pv = z.iter().map(|&z| normal_two_sided_p(z)).collect();
    (bse, z, pv)
}

/// Poisson log-likelihood Σ [y ln μ − μ − ln Γ(y + 1)].
pub(crate) fn loglik(y: &[f64], mu: &[f64]) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| if y == 0.0 { -m } else { y * m.ln() - m - ln_gamma(y + 1.0) })
        .sum()
}

fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| 2.0 * if y == 0.0 { m } else { y * (y / m).ln() - (y - m) })
        .sum()
}

/// The IRLS solution in the standardised parametrisation.
#[derive(Debug)]
pub(crate) struct PoissonCore {
    pub gamma: Vec<f64>,
    pub cov_gamma: Vec<f64>,
    pub mu: Vec<f64>,
    pub iterations: usize,
}

pub(crate) fn fit_design(d: &Design, what: &'static str) -> Result<PoissonCore, StatsError> {
    let y = &d.y;
    let ybar = y.iter().sum::<f64>() / d.n as f64;
    let mut mu: Vec<f64> = y.iter().map(|&v| (v + ybar) / 2.0).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev = deviance(y, &mu);
    let mut gamma: Option<Vec<f64>> = None;
    for it in 1..=MAX_ITER {
        // Working response and weights for the log link: z = η + (y − μ)/μ, w = μ.
        let work: Vec<f64> = (0..d.n).map(|i| mu[i] * (eta[i] + (y[i] - mu[i]) / mu[i])).collect();
        let gram = d.weighted_gram(&mu);
        let Some(l) = cholesky(&gram, d.p) else {
            // Weights collapsing on the zero cells is the signature of an infinite estimate.
            return Err(if it > 1 && drifting_to_zero(y, &mu) { no_finite(what) } else { StatsError::Singular(what) });
        };
        let mut next = cholesky_solve(&l, d.p, &d.zt_times(&work));
        let mut next_eta = d.eta(&next);
        let mut next_mu: Vec<f64> = next_eta.iter().map(|e| e.exp()).collect();
        let mut next_dev = deviance(y, &next_mu);
        // Step halving if the deviance got worse (or overflowed).
        if let Some(g) = &gamma {
            let mut halvings = 0;
            while !(next_dev.is_finite() && next_dev <= dev * (1.0 + 1e-12) + 1e-12) && halvings < 30 {
                for (n, o) in next.iter_mut().zip(g) {
                    *n = 0.5 * (*n + o);
                }
                next_eta = d.eta(&next);
                next_mu = next_eta.iter().map(|e| e.exp()).collect();
                next_dev = deviance(y, &next_mu);
                halvings += 1;
            }
        }
        if !next_dev.is_finite() {
            return Err(StatsError::NoFiniteEstimate { what, reason: "the fitted means overflow" });
        }
        let step = gamma.as_ref().map_or(f64::INFINITY, |g| {
            g.iter().zip(&next).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
        });
        let dev_change = (dev - next_dev).abs();
        gamma = Some(next);
        eta = next_eta;
        mu = next_mu;
        dev = next_dev;
        if step <= 1e-10 && dev_change <= 1e-10 * (dev + 1.0) {
            let g = gamma.unwrap_or_default();
            let cov_gamma = inverse_spd(&d.weighted_gram(&mu), d.p).ok_or(if drifting_to_zero(y, &mu) {
                no_finite(what)
            } else {
                StatsError::Singular(what)
            })?;
            return Ok(PoissonCore { gamma: g, cov_gamma, mu, iterations: it });
        }
    }
    if drifting_to_zero(y, &mu) {
        return Err(no_finite(what));
    }
    Err(StatsError::NotConverged { what, iterations: MAX_ITER })
}

/// A zero count whose fitted mean is being driven to 0: the maximum lies at infinity.
fn drifting_to_zero(y: &[f64], mu: &[f64]) -> bool {
    let ymax = y.iter().copied().fold(0.0, f64::max);
    y.iter().zip(mu).any(|(&y, &m)| y == 0.0 && m < 1e-8 * ymax.max(1.0))
}

fn no_finite(what: &'static str) -> StatsError {
    StatsError::NoFiniteEstimate {
        what,
        reason: "the zero counts can be fitted exactly by a mean tending to 0, \
                 e.g. all positive counts at one end of the series",
    }
}

/// The count model behind a trend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum CountModel {
    Poisson,
    /// NB2 with its estimated dispersion α (0 when the estimate is on the boundary).
    NegativeBinomial { alpha: f64 },
}

/// A log-linear trend: `ln E(count_t) = intercept + slope · t`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendFit {
    pub model: CountModel,
    pub n: usize,
    pub intercept: f64,
    pub slope: f64,
    pub se_intercept: f64,
    pub se_slope: f64,
    /// Wald z of the slope.
    pub z: f64,
    /// Two-sided Wald p-value of the slope.
    pub p_value: f64,
    /// Incidence-rate ratio per unit of t: exp(slope), with exp(slope ± z·se) at `level`.
    pub irr: Interval,
    pub level: f64,
    pub llf: f64,
}

impl TrendFit {
    /// Confidence level of [`TrendFit::irr`].
    pub const LEVEL: f64 = 0.95;

    /// The incidence-rate ratio's interval at another confidence level.
    pub fn irr_interval(&self, level: f64) -> Result<Interval, StatsError> {
        irr_interval(self.slope, self.se_slope, level)
    }

    /// Builds a trend from a fit with columns (intercept, slope).
    pub(crate) fn from_fit(
        model: CountModel,
        n: usize,
        params: &[f64],
        bse: &[f64],
        llf: f64,
    ) -> Result<TrendFit, StatsError> {
        let (slope, se_slope) = (params[1], bse[1]);
        let z = slope / se_slope;
        Ok(TrendFit {
            model,
            n,
            intercept: params[0],
            slope,
            se_intercept: bse[0],
            se_slope,
            z,
            p_value: normal_two_sided_p(z),
            irr: irr_interval(slope, se_slope, Self::LEVEL)?,
            level: Self::LEVEL,
            llf,
        })
    }
}

fn irr_interval(slope: f64, se: f64, level: f64) -> Result<Interval, StatsError> {
    let z = z_two_sided(level)?;
    Ok(Interval { estimate: slope.exp(), low: (slope - z * se).exp(), high: (slope + z * se).exp() })
}

/// Design rows (1, tᵢ) for a trend.
pub(crate) fn trend_design(what: &'static str, counts: &[f64], t: &[f64]) -> Result<Vec<[f64; 2]>, StatsError> {
    if counts.len() != t.len() {
        return Err(StatsError::LengthMismatch { what, left: counts.len(), right: t.len() });
    }
    if counts.len() < 3 {
        return Err(StatsError::TooFewObservations { what, n: counts.len(), needed: 3 });
    }
    Ok(t.iter().map(|&t| [1.0, t]).collect())
}

/// Poisson log-linear trend of `counts` over `t` (e.g. years 2000…2023): the slope of
/// `GLM(counts, [1, t], family=Poisson())`, its incidence-rate ratio exp(slope) with the 95 %
/// interval exp(slope ± z·se), and the Wald p-value. At least 3 points; the errors of
/// [`poisson_glm`] otherwise (all-zero series, constant t, no finite estimate).
pub fn poisson_trend(counts: &[f64], t: &[f64]) -> Result<TrendFit, StatsError> {
    let rows = trend_design("poisson trend", counts, t)?;
    let fit = poisson_glm(counts, &rows)?;
    TrendFit::from_fit(CountModel::Poisson, fit.nobs, &fit.params, &fit.bse, fit.llf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests;
