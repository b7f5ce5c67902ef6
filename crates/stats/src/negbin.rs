//! Negative binomial (NB2) regression with the dispersion α estimated by maximum likelihood, and
//! the likelihood-ratio test of Poisson against it.
//!
//! NB2: Var(y) = μ + α μ², ln μ = x β. Per observation, with θ = 1/α,
//! ℓ = ln Γ(y + θ) − ln Γ(θ) − ln y! + θ ln(θ/(θ + μ)) + y ln(μ/(θ + μ)),
//! evaluated for integer y as Σ_{j<y} ln(1 + jα) + y ln μ − (θ + y) ln(1 + αμ) − ln y!, which stays
//! exact as α → 0 (where it becomes the Poisson log-likelihood).

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::design::Design;
use crate::linalg::{cholesky, cholesky_solve, inverse_spd};
use crate::poisson::{CountModel, TrendFit, fit_design, loglik, trend_design, wald};
use crate::special::{chi2_1_sf, trigamma};
use crate::StatsError;

const MAX_ITER: usize = 300;
/// ln α below which the estimate is taken to sit on the boundary α = 0.
const LN_ALPHA_MIN: f64 = -20.0;
/// ln α above which the dispersion is taken to diverge.
const LN_ALPHA_MAX: f64 = 20.0;

/// A fitted NB2 model. `params`, `bse`, `z`, `p_values` follow the design's columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegBinFit {
    pub params: Vec<f64>,
    pub bse: Vec<f64>,
    pub z: Vec<f64>,
    pub p_values: Vec<f64>,
    /// Covariance of `params`, row-major p×p.
    pub cov: Vec<f64>,
    /// Dispersion α (Var = μ + α μ²); 0 when the maximum is on the boundary.
    pub alpha: f64,
    /// Standard error of α in the α parametrisation (as statsmodels reports it); `None` on the
    /// boundary, where it is undefined.
    pub alpha_bse: Option<f64>,
    /// True when the likelihood is maximised at α = 0: the data are not overdispersed and the
    /// fit is the Poisson one.
    pub alpha_at_boundary: bool,
    pub llf: f64,
    pub nobs: usize,
    pub iterations: usize,
}

/// NB2 regression by maximum likelihood over (β, α), as statsmodels
/// `NegativeBinomial(y, X, loglike_method="nb2").fit()`.
///
/// The optimiser is Newton–Raphson with Levenberg–Marquardt damping on (β, ln α), started from
/// the Poisson fit and statsmodels' moment estimate of α, run to full convergence (statsmodels'
/// default BFGS stops at a gradient of 1e-5; its Newton fit reaches the same maximum). Standard
/// errors come from the inverse of the observed Hessian of the full log-likelihood in the
/// (β, α) parametrisation — the matrix statsmodels inverts (its `hessian` evaluates in α even
/// though BFGS steps in ln α) — so `bse` and `alpha_bse` match statsmodels' `bse`.
///
/// When the likelihood increases all the way to α = 0 (equidispersed or underdispersed data,
/// including perfect fits) the result is flagged `alpha_at_boundary`, with α = 0, the Poisson
/// estimates and standard errors and no `alpha_bse`. Errors as [`crate::poisson_glm`], plus
/// [`StatsError::NoFiniteEstimate`] when α diverges or the Hessian is not negative definite.
pub fn negbin_nb2<R: AsRef<[f64]>>(y: &[f64], x: &[R]) -> Result<NegBinFit, StatsError> {
    const WHAT: &str = "negative binomial";
    let d = Design::new(WHAT, y, x)?;
    let pois = fit_design(&d, WHAT)?;
    let p = d.p;
    let poisson_result = |iterations| {
        let params = d.to_beta(&pois.gamma);
        let cov = d.to_beta_cov(&pois.cov_gamma);
        let (bse, z, p_values) = wald(&params, &cov, p);
        NegBinFit {
            params,
            bse,
            z,
            p_values,
            cov,
            alpha: 0.0,
            alpha_bse: None,
            alpha_at_boundary: true,
            llf: loglik(y, &pois.mu),
            nobs: d.n,
            iterations,
        }
    };
    // statsmodels' start: the moment estimate Σ((y − μ)²/μ − 1)/μ / df, at least 0.05.
    let df = (d.n - p) as f64;
    let moment = y.iter().zip(&pois.mu).map(|(y, m)| ((y - m).powi(2) / m - 1.0) / m).sum::<f64>() / df;
    let mut phi = pois.gamma.clone();
    phi.push(moment.max(0.05).ln());
    let mut state = evaluate(&d, &phi);
    let mut lambda = 0.0;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITER {
        iterations += 1;
        let Some((next, next_state)) = damped_step(&d, &phi, &state, &mut lambda) else {
            // No ascent direction improves the likelihood: we are at the maximum to rounding.
            converged = true;
            break;
        };
        let step = phi.iter().zip(&next).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let gain = next_state.ll - state.ll;
        phi = next;
        state = next_state;
        if phi[p] < LN_ALPHA_MIN {
            return Ok(poisson_result(iterations));
        }
        if phi[p] > LN_ALPHA_MAX {
            return Err(StatsError::NoFiniteEstimate { what: WHAT, reason: "the dispersion α diverges" });
        }
        if step < 1e-10 && gain.abs() < 1e-12 * (1.0 + state.ll.abs()) {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(StatsError::NotConverged { what: WHAT, iterations });
    }
    let alpha = phi[p].exp();
    // Observed information in (γ, α): from the (γ, ln α) derivatives by the chain rule.
    let q = p + 1;
    let mut info: Vec<f64> = state.hess.iter().map(|h| -h).collect();
    for j in 0..p {
        info[j * q + p] /= alpha;
        info[p * q + j] /= alpha;
    }
    info[p * q + p] = -(state.hess[p * q + p] - state.grad[p]) / (alpha * alpha);
    let cov_full = inverse_spd(&info, q).ok_or(StatsError::NoFiniteEstimate {
        what: WHAT,
        reason: "the observed information is not positive definite",
    })?;
    let cov_gamma: Vec<f64> = (0..p * p).map(|k| cov_full[(k / p) * q + k % p]).collect();
    let params = d.to_beta(&phi[..p]);
    let cov = d.to_beta_cov(&cov_gamma);
    let (bse, z, p_values) = wald(&params, &cov, p);
    Ok(NegBinFit {
        params,
        bse,
        z,
        p_values,
        cov,
        alpha,
        alpha_bse: Some(cov_full[p * q + p].sqrt()),
        alpha_at_boundary: false,
        llf: state.ll,
        nobs: d.n,
        iterations,
    })
}

/// Log-likelihood, gradient and Hessian at φ = (γ, ln α).
#[derive(Debug)]
struct State {
    ll: f64,
    grad: Vec<f64>,
    /// Row-major (p+1)².
    hess: Vec<f64>,
}

fn evaluate(d: &Design, phi: &[f64]) -> State {
    let p = d.p;
    let q = p + 1;
    let alpha = phi[p].exp();
    let eta = d.eta(&phi[..p]);
    let mut ll = 0.0;
    let mut grad = vec![0.0; q];
    let mut hess = vec![0.0; q * q];
    for (i, (&y, &eta_i)) in d.y.iter().zip(&eta).enumerate() {
        let mu = eta_i.exp();
        let (s_log, s1, s2) = y_sums(y, alpha);
        let u = alpha * mu;
        let l1p = u.ln_1p();
        let ylnmu = if y == 0.0 { 0.0 } else { y * mu.ln() };
        ll += s_log + ylnmu - (1.0 / alpha + y) * l1p - ln_gamma(y + 1.0);
        let l_eta = (y - mu) / (1.0 + u);
        let l_ee = -mu * (1.0 + alpha * y) / (1.0 + u).powi(2);
        let l_k = -s1 + l1p / alpha - (mu - y) / (1.0 + u);
        let l_ek = -u * (y - mu) / (1.0 + u).powi(2);
        let l_kk = -s2 + mu / (1.0 + u) + (y - mu) / (1.0 + u).powi(2) - l_k;
        let row = &d.z[i * p..(i + 1) * p];
        for j in 0..p {
            grad[j] += row[j] * l_eta;
            for k in 0..p {
                hess[j * q + k] += row[j] * row[k] * l_ee;
            }
            hess[j * q + p] += row[j] * l_ek;
            hess[p * q + j] += row[j] * l_ek;
        }
        grad[p] += l_k;
        hess[p * q + p] += l_kk;
    }
    State { ll, grad, hess }
}

/// Σ_{j<y} ln(1 + jα), Σ 1/(1 + jα), Σ 1/(1 + jα)²: exact sums for integer counts up to 10⁵,
/// the equivalent ln Γ / ψ / ψ' differences (θ = 1/α) otherwise.
fn y_sums(y: f64, alpha: f64) -> (f64, f64, f64) {
    if y.fract() == 0.0 && y <= 1e5 {
        let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
        for j in 0..y as u64 {
            let ja = j as f64 * alpha;
            a += ja.ln_1p();
            let r = 1.0 / (1.0 + ja);
            b += r;
            c += r * r;
        }
        return (a, b, c);
    }
    let theta = 1.0 / alpha;
    (
        ln_gamma(y + theta) - ln_gamma(theta) - y * theta.ln(),
        theta * (digamma(y + theta) - digamma(theta)),
        theta * theta * (trigamma(theta) - trigamma(y + theta)),
    )
}

/// One Levenberg–Marquardt-damped Newton step that increases the likelihood, or `None` when
/// no damping finds an increase (the current point is the maximum to rounding).
fn damped_step(d: &Design, phi: &[f64], state: &State, lambda: &mut f64) -> Option<(Vec<f64>, State)> {
    let q = phi.len();
    let scale = (0..q).map(|j| state.hess[j * q + j].abs()).fold(0.0, f64::max).max(1e-12);
    for _ in 0..60 {
        let mut m: Vec<f64> = state.hess.iter().map(|h| -h).collect();
        for j in 0..q {
            m[j * q + j] += *lambda * scale;
        }
        if let Some(l) = cholesky(&m, q) {
            let delta = cholesky_solve(&l, q, &state.grad);
            let next: Vec<f64> = phi.iter().zip(&delta).map(|(a, b)| a + b).collect();
            let next_state = evaluate(d, &next);
            if next_state.ll.is_finite() && next_state.ll >= state.ll {
                *lambda = if *lambda < 1e-10 { 0.0 } else { *lambda / 10.0 };
                return Some((next, next_state));
            }
        }
        *lambda = if *lambda == 0.0 { 1e-8 } else { *lambda * 10.0 };
    }
    None
}

/// NB2 log-linear trend of `counts` over `t`: as [`crate::poisson_trend`] with the NB2 model
/// (the trend's `model` carries α; on the boundary α = 0 and the numbers are the Poisson ones).
pub fn nb2_trend(counts: &[f64], t: &[f64]) -> Result<TrendFit, StatsError> {
    let rows = trend_design("negative binomial trend", counts, t)?;
    let fit = negbin_nb2(counts, &rows)?;
    TrendFit::from_fit(
        CountModel::NegativeBinomial { alpha: fit.alpha },
        fit.nobs,
        &fit.params,
        &fit.bse,
        fit.llf,
    )
}

/// Likelihood-ratio test of Poisson (α = 0) against NB2 (α > 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Overdispersion {
    /// 2 (llf_nb − llf_poisson), ≥ 0.
    pub statistic: f64,
    /// ½ P(χ²₁ > statistic); 1 when the statistic is 0.
    pub p_value: f64,
    pub llf_poisson: f64,
    pub llf_negbin: f64,
    pub alpha: f64,
    pub alpha_at_boundary: bool,
}

/// Likelihood-ratio overdispersion test. α = 0 lies on the boundary of the parameter space, so
/// the statistic 2(llf_nb − llf_poisson) is asymptotically the 50:50 mixture of χ²₀ (a point
/// mass at 0) and χ²₁ (Self & Liang 1987; Cameron & Trivedi, *Regression Analysis of Count
/// Data*, §3.4): for a positive statistic the p-value is half the χ²₁ tail; a statistic of 0
/// (NB2 maximised at α = 0) has p-value 1. Using the plain χ²₁ tail instead would double the
/// p-value and make the test conservative.
pub fn overdispersion_test<R: AsRef<[f64]>>(y: &[f64], x: &[R]) -> Result<Overdispersion, StatsError> {
    let nb = negbin_nb2(y, x)?;
    let pois = crate::poisson_glm(y, x)?;
    let statistic = (2.0 * (nb.llf - pois.llf)).max(0.0);
    let p_value = if statistic > 0.0 { 0.5 * chi2_1_sf(statistic) } else { 1.0 };
    Ok(Overdispersion {
        statistic,
        p_value,
        llf_poisson: pois.llf,
        llf_negbin: nb.llf,
        alpha: nb.alpha,
        alpha_at_boundary: nb.alpha_at_boundary,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests;
