//! `claim-check`: turns a headline ("CN share > 0.5", "CN > RU") into supported / contradicted /
//! inconclusive on the data, with the interval that decided it.

use std::fmt;

use serde::Serialize;
use spyglass_model::Policy;
use spyglass_stats::{IntervalMethod, z_two_sided};
use spyglass_store::Store;

use crate::engine::{count_both, count_by};
use crate::{AnalysisError, Dimension, Filters, LOW_N};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        })
    }
}

/// A parsed claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Claim {
    /// share of `key` `op` `threshold`.
    Threshold { key: String, op: Op, threshold: f64 },
    /// share of `left` `op` share of `right`.
    Compare { left: String, op: Op, right: String },
}

/// Parses `KEY share OP NUMBER` (also `share(KEY)`, `share of KEY`, `NUMBER%`) or `KEY OP KEY`.
pub fn parse_claim(text: &str) -> Result<Claim, String> {
    let t = text.trim();
    let (pos, op, len) = ["<=", ">=", "<", ">"]
        .iter()
        .filter_map(|o| t.find(o).map(|p| (p, *o)))
        .min_by_key(|(p, o)| (*p, std::cmp::Reverse(o.len())))
        .map(|(p, o)| (p, o, o.len()))
        .ok_or_else(|| format!("no comparison in {t:?} (expected >, >=, < or <=)"))?;
    let op = match op {
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "<" => Op::Lt,
        _ => Op::Le,
    };
    let lhs = t[..pos].trim();
    let rhs = t[pos + len..].trim();
    let key_of = |side: &str| -> Result<String, String> {
        let s = side.trim();
        let s = s.strip_prefix("share(").and_then(|x| x.strip_suffix(')')).unwrap_or(s);
        let s = s.strip_prefix("share of ").unwrap_or(s);
        let s = s.strip_suffix(" share").unwrap_or(s);
        let s = s.trim();
        if s.is_empty() || s.contains(char::is_whitespace) {
            return Err(format!("cannot read a key from {side:?} (write e.g. \"CN share > 0.5\" or \"CN > RU\")"));
        }
        Ok(s.to_string())
    };
    let left = key_of(lhs)?;
    let number = rhs.strip_suffix('%').map(|n| (n.trim(), true)).unwrap_or((rhs, false));
    if let Ok(v) = number.0.parse::<f64>() {
        let threshold = if number.1 { v / 100.0 } else { v };
        if !(0.0..=1.0).contains(&threshold) {
            return Err(format!("threshold {rhs} is not a share between 0 and 1 (or 0%–100%)"));
        }
        return Ok(Claim::Threshold { key: left, op, threshold });
    }
    Ok(Claim::Compare { left, op, right: key_of(rhs)? })
}

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
    let ctx = store.session(&q.policy).await?;
    let counts = count_by(&ctx, &q.filters, q.by).await?;
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
                let both = count_both(&ctx, &q.filters, q.by, left, right).await? as f64;
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
    fn parses_claims() {
        assert_eq!(parse_claim("CN share > 0.5").unwrap(), Claim::Threshold { key: "CN".into(), op: Op::Gt, threshold: 0.5 });
        assert_eq!(parse_claim("share(CN) >= 50%").unwrap(), Claim::Threshold { key: "CN".into(), op: Op::Ge, threshold: 0.5 });
        assert_eq!(parse_claim("CN > RU").unwrap(), Claim::Compare { left: "CN".into(), op: Op::Gt, right: "RU".into() });
        assert_eq!(parse_claim("RU <= 0.2").unwrap(), Claim::Threshold { key: "RU".into(), op: Op::Le, threshold: 0.2 });
        assert!(parse_claim("CN is big").is_err());
        assert!(parse_claim("CN > 1.5").is_err());
        assert!(parse_claim("> 0.5").is_err());
    }

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
