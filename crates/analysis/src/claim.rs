//! `claim-check`: turns a headline ("CN share > 0.5", "CN > RU") into supported / contradicted /
//! inconclusive on the data, with the interval that decided it.

use serde::Serialize;
use spyglass_model::Policy;
use spyglass_stats::{IntervalMethod, z_two_sided};
use spyglass_store::Store;

use crate::engine::Counter;
use crate::{AnalysisError, Dimension, Filters, LOW_N};

pub use spyglass_model::query::{Claim, Op, parse_claim};

#[derive(Debug, Clone)]
pub struct ClaimQuery {
    pub claim: String,
    pub by: Dimension,
    pub filters: Filters,
    pub policy: Policy,
    pub level: f64,
    pub interval: IntervalMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Supported,
    Contradicted,
    Inconclusive,
}

/// `{"claim", "verdict", "estimate", "ci_low", "ci_high", "n", "method"}` plus the reason.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimResult {
    pub claim: String,
    pub verdict: Verdict,
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub n: u64,
    pub reason: String,
    pub method: serde_json::Value,
}

/// The verdict of `[lo, hi] op threshold`.
fn decide(op: Op, lo: f64, hi: f64, threshold: f64) -> Verdict {
    match op {
        Op::Gt if lo > threshold => Verdict::Supported,
        Op::Ge if lo >= threshold => Verdict::Supported,
        Op::Lt if hi < threshold => Verdict::Supported,
        Op::Le if hi <= threshold => Verdict::Supported,
        Op::Gt if hi <= threshold => Verdict::Contradicted,
        Op::Ge if hi < threshold => Verdict::Contradicted,
        Op::Lt if lo >= threshold => Verdict::Contradicted,
        Op::Le if lo > threshold => Verdict::Contradicted,
        _ => Verdict::Inconclusive,
    }
}

pub async fn claim_check(store: &Store, q: &ClaimQuery) -> Result<ClaimResult, AnalysisError> {
    let claim = parse_claim(&q.claim).map_err(AnalysisError::BadArgument)?;
    let counter = Counter::open(store, &q.policy, &[q.by]).await?;
    let counts = counter.count_by(&q.filters, q.by).await?;
    let n = counts.n;
    let count_of = |k: &str| counts.keys.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map_or(0, |(_, c)| *c);
    let (estimate, lo, hi, verdict, interval_text, threshold) = match &claim {
        Claim::Threshold { key, op, threshold } => {
            if n == 0 {
                (f64::NAN, 0.0, 1.0, Verdict::Inconclusive, String::new(), *threshold)
            } else {
                let ci = q.interval.compute(count_of(key), n, q.level)?;
                (ci.estimate, ci.low, ci.high, decide(*op, ci.low, ci.high, *threshold), format!("{} interval of the share", q.interval.name()), *threshold)
            }
        }
        Claim::Compare { left, op, right } => {
            if n == 0 {
                (f64::NAN, -1.0, 1.0, Verdict::Inconclusive, String::new(), 0.0)
            } else {
                let nf = n as f64;
                let (x1, x2) = (count_of(left) as f64, count_of(right) as f64);
                let both = counter.count_both(&q.filters, q.by, left, right).await? as f64;
                let (p1, p2, p12) = (x1 / nf, x2 / nf, both / nf);
                let d = p1 - p2;
                // Multinomial variance of a difference of two shares of the same incidents
                // (multi-label: the covariance uses the share having both keys).
                let var = (p1 * (1.0 - p1) + p2 * (1.0 - p2) - 2.0 * (p12 - p1 * p2)) / nf;
                let z = z_two_sided(q.level)?;
                let half = z * var.max(0.0).sqrt();
                (d, d - half, d + half, decide(*op, d - half, d + half, 0.0), "Wald interval of the difference of the two shares (same incidents, covariance from incidents with both keys)".into(), 0.0)
            }
        }
    };
    let (verdict, reason) = if n < LOW_N {
        (Verdict::Inconclusive, format!("low n: n = {n} < {LOW_N} incidents in the slice; no verdict is safe"))
    } else {
        let reason = match verdict {
            Verdict::Supported => format!("the whole {:.0}% interval [{lo:.4}, {hi:.4}] clears {threshold}", q.level * 100.0),
            Verdict::Contradicted => {
                format!("the whole {:.0}% interval [{lo:.4}, {hi:.4}] lies on the other side of {threshold}", q.level * 100.0)
            }
            Verdict::Inconclusive => format!("the {:.0}% interval [{lo:.4}, {hi:.4}] straddles {threshold}", q.level * 100.0),
        };
        (verdict, reason)
    };
    Ok(ClaimResult {
        claim: q.claim.clone(),
        verdict,
        estimate,
        ci_low: lo,
        ci_high: hi,
        n,
        reason,
        method: serde_json::json!({
            "parsed": claim,
            "by": q.by,
            "interval": q.interval,
            "level": q.level,
            "decision": interval_text,
            "rule": "supported when the whole interval clears the threshold, contradicted when it lies wholly on the other side, inconclusive otherwise or when n < 30",
            "slice": q.filters.describe(),
            "filters": q.filters,
            "policy_text": q.policy.describe(),
            "counting": crate::share::COUNTING,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions() {
        assert_eq!(decide(Op::Gt, 0.51, 0.6, 0.5), Verdict::Supported);
        assert_eq!(decide(Op::Gt, 0.3, 0.45, 0.5), Verdict::Contradicted);
        assert_eq!(decide(Op::Gt, 0.45, 0.55, 0.5), Verdict::Inconclusive);
        assert_eq!(decide(Op::Lt, 0.3, 0.45, 0.5), Verdict::Supported);
        assert_eq!(decide(Op::Le, 0.5, 0.6, 0.5), Verdict::Inconclusive);
        assert_eq!(decide(Op::Ge, 0.5, 0.6, 0.5), Verdict::Supported);
    }
}
