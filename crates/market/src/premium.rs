//! Threat premium: the expected annual loss of market value from disclosed incidents, for a company
//! of a sub-industry.
//!
//! **Method.**
//! - Incident rate λ = k / E: k incidents against the sub-industry's companies over E company-years
//!   (companies × years observed). Exact Poisson (Garwood 1936) interval:
//!   [χ²(α/2; 2k) / 2E, χ²(1 − α/2; 2k + 2) / 2E], the lower bound 0 when k = 0.
//! - Loss per incident ℓ = −mean CAR over the N disclosed incidents' event windows (a negative CAR is
//!   a loss), with the Student-t interval mean ± t(1 − α/2; N − 1) sd/√N.
//! - Expected annual value at risk = λ × ℓ, as a share of market value per company-year.
//! - Interval: both intervals are taken at level 1 − α/2 (Bonferroni) and multiplied as intervals
//!   (the minimum and maximum of the four products of their bounds); when both contain their
//!   true values, which happens with probability ≥ 1 − α whatever their dependence, the product
//!   interval contains the true product. So the interval is conservative at level 1 − α.
//! - **Too thin** (said in the output, the numbers still shown): k < 5 incidents, N < 5 events,
//!   or a loss interval containing 0 (no measurable loss); no interval when N < 2.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::gamma::gamma_lr;

use crate::MarketError;

/// A value and its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub level: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Premium {
    pub incidents: u64,
    pub company_years: f64,
    /// Incidents per company-year.
    pub rate: Estimate,
    pub events: usize,
    /// −mean CAR (a share of market value).
    pub loss_per_incident: Option<Estimate>,
    /// rate × loss: share of market value per company-year.
    pub expected_annual_loss: Option<Estimate>,
    pub thin: bool,
    pub reasons: Vec<String>,
    pub method: String,
}

/// The p-quantile of Gamma(a, 1), by bisection on the regularised lower incomplete gamma then
/// Newton steps (relative accuracy ~1e-14).
pub fn gamma_quantile(a: f64, p: f64) -> Result<f64, MarketError> {
    if a.is_nan() || a <= 0.0 || !(0.0..1.0).contains(&p) {
        return Err(MarketError::BadArgument(format!("gamma quantile: shape {a}, probability {p}")));
    }
    if p == 0.0 {
        return Ok(0.0);
    }
    let (mut lo, mut hi) = (0.0f64, a.max(1.0));
    while gamma_lr(a, hi) < p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if gamma_lr(a, mid) < p { lo = mid } else { hi = mid }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    let mut x = 0.5 * (lo + hi);
    for _ in 0..3 {
        let pdf = ((a - 1.0) * x.ln() - x - statrs::function::gamma::ln_gamma(a)).exp();
        if pdf > 0.0 {
            let next = x - (gamma_lr(a, x) - p) / pdf;
            if next > lo && next < hi {
                x = next;
            }
        }
    }
    Ok(x)
}

/// Garwood's exact interval for a Poisson rate: k events over `exposure` units.
pub fn garwood(k: u64, exposure: f64, level: f64) -> Result<Estimate, MarketError> {
    if exposure.is_nan() || exposure <= 0.0 || level.is_nan() || level <= 0.0 || level >= 1.0 {
        return Err(MarketError::BadArgument(format!("poisson rate: exposure {exposure}, level {level}")));
    }
    let alpha = 1.0 - level;
    let kf = k as f64;
    let low = if k == 0 { 0.0 } else { gamma_quantile(kf, alpha / 2.0)? / exposure };
    let high = gamma_quantile(kf + 1.0, 1.0 - alpha / 2.0)? / exposure;
    Ok(Estimate { value: kf / exposure, low: Some(low), high: Some(high), level })
}

/// Mean and Student-t interval of `xs` (no interval below 2 values).
pub fn mean_interval(xs: &[f64], level: f64) -> Result<Option<Estimate>, MarketError> {
    let n = xs.len();
    if n == 0 {
        return Ok(None);
    }
    let nf = n as f64;
    let mean = xs.iter().sum::<f64>() / nf;
    if n < 2 {
        return Ok(Some(Estimate { value: mean, low: None, high: None, level }));
    }
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    let t = StudentsT::new(0.0, 1.0, nf - 1.0).map_err(|e| MarketError::BadArgument(e.to_string()))?;
    let q = t.inverse_cdf(1.0 - (1.0 - level) / 2.0);
    let half = q * sd / nf.sqrt();
    Ok(Some(Estimate { value: mean, low: Some(mean - half), high: Some(mean + half), level }))
}

/// The threat premium from k incidents over `company_years` and the CARs of disclosed incidents.
pub fn threat_premium(k: u64, company_years: f64, cars: &[f64], level: f64) -> Result<Premium, MarketError> {
    let each = 1.0 - (1.0 - level) / 2.0;
    let rate_b = garwood(k, company_years, each)?;
    let rate = Estimate { level, ..garwood(k, company_years, level)? };
    let car_b = mean_interval(cars, each)?;
    let loss = mean_interval(cars, level)?.map(|c| Estimate { value: -c.value, low: c.high.map(|h| -h), high: c.low.map(|l| -l), level });
    let mut reasons = Vec::new();
    if k < 5 {
        reasons.push(format!("only {k} incidents in the sub-industry (fewer than 5)"));
    }
    if cars.len() < 5 {
        reasons.push(format!("only {} event CARs (fewer than 5)", cars.len()));
    }
    if let Some(l) = &loss
        && let (Some(lo), Some(hi)) = (l.low, l.high)
        && lo <= 0.0
        && hi >= 0.0
    {
        reasons.push("the loss interval contains 0: no measurable loss at this level".into());
    }
    let eal = car_b.map(|c| {
        let (l_lo, l_hi) = (c.high.map(|h| -h), c.low.map(|l| -l));
        let value = rate.value * -c.value;
        let (low, high) = match (rate_b.low, rate_b.high, l_lo, l_hi) {
            (Some(a), Some(b), Some(c), Some(d)) => {
                let prods = [a * c, a * d, b * c, b * d];
                (Some(prods.iter().copied().fold(f64::INFINITY, f64::min)), Some(prods.iter().copied().fold(f64::NEG_INFINITY, f64::max)))
            }
            _ => (None, None),
        };
        Estimate { value, low, high, level }
    });
    Ok(Premium {
        incidents: k,
        company_years,
        rate,
        events: cars.len(),
        loss_per_incident: loss,
        expected_annual_loss: eal,
        thin: !reasons.is_empty(),
        reasons,
        method: format!(
            "rate = incidents / company-years with Garwood's exact Poisson interval; loss = -mean CAR with a Student-t \
             interval; expected annual loss = rate x loss (share of market value per company-year); its interval is \
             the product of the two intervals each at {:.1}% (Bonferroni), conservative at {:.0}%",
            each * 100.0,
            level * 100.0
        ),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    // reference-table begin: market_premium (tests/reference/market_premium.py)
    /// (k, company-years, level, low, high): scipy chi2.ppf
    const GARWOOD: &[(u64, f64, f64, f64, f64)] = &[
        (0, 10.0, 0.95, 0.0, 0.3688879454113935),
        (1, 1.0, 0.95, 0.025317807984289897, 5.571643390938898),
        (3, 12.5, 0.95, 0.04949376983164812, 0.7013818455793859),
        (12, 480.0, 0.9, 0.01442544273663565, 0.040505352770656304),
        (50, 2000.0, 0.975, 0.017753524648429594, 0.034164372279382633),
        (250, 10.0, 0.99, 21.115168243116386, 29.368468832742984),
    ];
    /// (k, company-years, level, CARs [0,+5] of the event-study reference, rate low, rate high,
    ///  loss, loss low, loss high, expected annual loss, low, high)
    #[allow(clippy::type_complexity)]
    const PREMIUM: (u64, f64, f64, &[f64], f64, f64, f64, f64, f64, f64, f64, f64) = (
        9, 150.0, 0.95,
        &[-0.05421485756434254, -0.10366268292816905, 0.008993793169144233, -0.12028355280711103, 0.032204031330239156, 0.006735999719794791, 0.005447087748115773, -0.01868151803333041],
        0.027435820649188893, 0.11389868967612778,
        0.030432712420707386, -0.016739453710999816, 0.07760487855241459,
        0.001825962745242443, -0.0032162507581899374, 0.010674397597806591,
    );
    // reference-table end: market_premium

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-10 * b.abs().max(1e-300)
    }

    #[test]
    fn garwood_equals_scipy() {
        for (k, e, level, lo, hi) in GARWOOD {
            let r = garwood(*k, *e, *level).unwrap();
            assert!(close(r.low.unwrap(), *lo) || (*lo == 0.0 && r.low == Some(0.0)), "k={k}: {:?} vs {lo}", r.low);
            assert!(close(r.high.unwrap(), *hi), "k={k}: {:?} vs {hi}", r.high);
        }
    }

    #[test]
    fn premium_equals_reference() {
        let (k, e, level, cars, rate_lo, rate_hi, loss, loss_lo, loss_hi, eal, eal_lo, eal_hi) = PREMIUM;
        let p = threat_premium(k, e, cars, level).unwrap();
        assert!(close(p.rate.low.unwrap(), rate_lo) && close(p.rate.high.unwrap(), rate_hi));
        let l = p.loss_per_incident.unwrap();
        assert!(close(l.value, loss) && close(l.low.unwrap(), loss_lo) && close(l.high.unwrap(), loss_hi), "{l:?}");
        let x = p.expected_annual_loss.unwrap();
        assert!(close(x.value, eal) && close(x.low.unwrap(), eal_lo) && close(x.high.unwrap(), eal_hi), "{x:?}");
        // Eight real events: the mean [0,+5] CAR is negative but its interval contains 0, and the
        // output says so.
        assert!(p.thin);
        assert_eq!(p.reasons, ["the loss interval contains 0: no measurable loss at this level"]);
    }

    #[test]
    fn thin_data_said_plainly() {
        let p = threat_premium(2, 50.0, &[-0.01, 0.02], 0.95).unwrap();
        assert!(p.thin);
        assert_eq!(p.reasons.len(), 3, "{:?}", p.reasons);
        let p = threat_premium(0, 10.0, &[], 0.95).unwrap();
        assert_eq!(p.rate.low, Some(0.0));
        assert!(p.expected_annual_loss.is_none());
        assert!(garwood(1, 0.0, 0.95).is_err());
    }
}
