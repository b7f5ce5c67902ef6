//! Human renderings of trend, compare, priorities and claim-check results.

use std::fmt::Write as _;

use spyglass_analysis::{ClaimResult, CompareResult, PrioritiesResult, TrendResult, Verdict};

use crate::render::{bar, key_label, pct};

pub fn trend(r: &TrendResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Incidents per {:?} — {}", r.method.by, r.method.slice);
    let max = r.rows.iter().map(|x| x.count).max().unwrap_or(1).max(1) as f64;
    let cps: Vec<&str> = r.change_points.iter().map(|c| c.period.as_str()).collect();
    for row in &r.rows {
        let mark = if cps.contains(&row.period.as_str()) { "  ◀ change point" } else { "" };
        let excl = if row.excluded { " (partial, not fitted)" } else { "" };
        let _ = writeln!(out, "  {:<8} {:>6}  {}{excl}{mark}", row.period, row.count, bar(row.count as f64 / max, 30));
    }
    match &r.model {
        Some(m) => {
            let _ = writeln!(
                out,
                "  trend: {} — rate ×{:.3} per period [{:.3}, {:.3}] ({:.0}% CI), slope {:.4} (se {:.4}), p = {:.4}",
                m.family,
                m.irr,
                m.irr_ci_low,
                m.irr_ci_high,
                r.method.level * 100.0,
                m.slope,
                m.se,
                m.p_value
            );
        }
        None => {
            let _ = writeln!(out, "  trend: no model");
        }
    }
    for c in &r.change_points {
        let _ = writeln!(out, "  change point at {}: {:.1} → {:.1} per period", c.period, c.rate_before, c.rate_after);
    }
    let _ = writeln!(out, "  method: {}; change points: {}", r.method.model, r.method.change_points);
    if let Some(o) = &r.method.overdispersion {
        let _ = writeln!(out, "  overdispersion: {o}");
    }
    for w in &r.method.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let _ = writeln!(out, "  policy: {}", r.method.policy_text);
    out
}

pub fn compare(r: &CompareResult) -> String {
    let mut out = String::new();
    let m = &r.method;
    let _ = writeln!(out, "Share by {:?}: {} (n = {}) vs {} (n = {}) — {}", m.by, m.period_a, m.n_a, m.period_b, m.n_b, m.slice);
    let _ = writeln!(out, "  {:<26} {:>8} {:>8} {:>9} {:>9}  test", "key", "first", "second", "change", "p");
    for row in &r.rows {
        let sig = if row.p_value < 0.05 { " *" } else { "" };
        let _ = writeln!(
            out,
            "  {:<26} {:>8} {:>8} {:>+8.1}pp {:>9.4}  {}{sig}",
            key_label(&format!("{:?}", m.by).to_lowercase(), &row.key),
            pct(row.share_a),
            pct(row.share_b),
            row.diff * 100.0,
            row.p_value,
            row.test
        );
    }
    let _ = writeln!(out, "  test: {}", m.test);
    for w in &m.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let _ = writeln!(out, "  policy: {}", m.policy_text);
    out
}

pub fn priorities(r: &PrioritiesResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Share of {}'s incidents aimed at {}", r.sponsor, r.target);
    for row in &r.rows {
        match (row.share, row.ci_low, row.ci_high) {
            (Some(s), Some(lo), Some(hi)) => {
                let _ = writeln!(
                    out,
                    "  {:<8} {:>4}/{:<5} {:>7}  [{:>6}, {:>6}]  {}",
                    row.period,
                    row.count,
                    row.n,
                    pct(s),
                    pct(lo),
                    pct(hi),
                    bar(s, 20)
                );
            }
            _ => {
                let _ = writeln!(out, "  {:<8} {:>4}/{:<5}       -", row.period, row.count, row.n);
            }
        }
    }
    if let Some(t) = &r.trend {
        let _ = writeln!(out, "  trend: {} (z = {:.3}, p = {:.4}; {})", t.direction, t.z, t.p_value, t.test);
    }
    if let Some(ws) = r.method.get("warnings").and_then(|w| w.as_array()) {
        for w in ws {
            let _ = writeln!(out, "  warning: {}", w.as_str().unwrap_or_default());
        }
    }
    if let Some(p) = r.method.get("policy_text").and_then(|p| p.as_str()) {
        let _ = writeln!(out, "  policy: {p}");
    }
    out
}

pub fn claim(r: &ClaimResult) -> String {
    let verdict = match r.verdict {
        Verdict::Supported => "SUPPORTED",
        Verdict::Contradicted => "CONTRADICTED",
        Verdict::Inconclusive => "INCONCLUSIVE",
    };
    let mut out = String::new();
    let _ = writeln!(out, "claim: {}", r.claim);
    let _ = writeln!(out, "verdict: {verdict}");
    let _ = writeln!(out, "  estimate {:.4}, interval [{:.4}, {:.4}], n = {}", r.estimate, r.ci_low, r.ci_high, r.n);
    let _ = writeln!(out, "  why: {}", r.reason);
    if let Some(s) = r.method.get("slice").and_then(|s| s.as_str()) {
        let _ = writeln!(out, "  slice: {s}");
    }
    if let Some(p) = r.method.get("policy_text").and_then(|s| s.as_str()) {
        let _ = writeln!(out, "  policy: {p}");
    }
    out
}

/// `spyglass extract` for people: each label with the words that justify it.
pub fn extraction(e: &spyglass_extract::Extraction, _text: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sponsor: {}  sponsorship: {}  state-sponsored: {}",
        e.sponsor.as_deref().unwrap_or("-"),
        e.sponsorship.map(|s| s.as_str()).unwrap_or("-"),
        e.state_sponsored
    );
    for s in &e.sponsors {
        let _ = writeln!(out, "  sponsor {} ← \"{}\" [{}..{}]", s.country, s.evidence, s.start, s.end);
    }
    for a in &e.actors {
        let _ = writeln!(out, "  actor {} ({}) ← \"{}\" [{}..{}]", a.actor, a.sponsor.as_deref().unwrap_or("-"), a.name, a.start, a.end);
    }
    let _ = writeln!(out, "vertical: {}", e.vertical.map(|v| v.as_str()).unwrap_or("-"));
    for v in &e.verticals {
        let _ = writeln!(out, "  {} ← \"{}\" [{}..{}]", v.code.as_str(), v.evidence, v.start, v.end);
    }
    let _ = writeln!(out, "AI assets: {}", if e.ai_assets.is_empty() { "none" } else { "" });
    for a in &e.ai_assets {
        let _ = writeln!(out, "  {} ← \"{}\" [{}..{}]", a.category.as_str(), a.evidence, a.start, a.end);
    }
    if !e.techniques.is_empty() {
        let ids: Vec<String> = e.techniques.iter().map(|t| format!("{:?}", t)).collect();
        let _ = writeln!(out, "techniques: {}", ids.len());
    }
    if !e.cves.is_empty() || !e.iocs.is_empty() {
        let _ = writeln!(out, "CVEs: {}  IOCs: {} (use --json for the list)", e.cves.len(), e.iocs.len());
    }
    out
}
