//! Formatting shared by the renderers: escaping, percentages, labels, the reproducing command.
//!
//! Display only: these functions round and label numbers, they never derive new ones.

use spyglass_analysis::share::IntervalSpec;
use spyglass_analysis::{AssetFilter, Filters, ShareRow};
use spyglass_model::{Policy, SecondarySponsors, Sponsorship, country};
use spyglass_stats::IntervalMethod;

/// Escapes text for HTML element content and quoted attribute values (also SVG text).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab/newline are not allowed in HTML/XML text.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A share as a percentage with one decimal, e.g. `30.9 %`.
pub fn pct(x: f64) -> String {
    if x.is_finite() { format!("{:.1} %", x * 100.0) } else { "–".into() }
}

/// A share as a bare percentage number with one decimal, e.g. `30.9`.
pub fn pct_num(x: f64) -> String {
    if x.is_finite() { format!("{:.1}", x * 100.0) } else { "–".into() }
}

/// A confidence level as a percentage without needless decimals: 0.95 → `95`.
pub fn level(l: f64) -> String {
    let p = l * 100.0;
    if (p - p.round()).abs() < 1e-9 { format!("{}", p.round()) } else { format!("{p:.1}") }
}

/// A p-value: `< 0.001` below a thousandth, else three decimals.
pub fn p(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v < 0.001 {
        "< 0.001".into()
    } else {
        format!("{v:.3}")
    }
}

/// `p = 0.012`, or `p < 0.001`.
pub fn p_eq(v: f64) -> String {
    if v.is_finite() && v < 0.001 { "p < 0.001".into() } else { format!("p = {}", p(v)) }
}

/// `CN China`, `none (no state sponsor)`, or the key itself.
pub fn sponsor_label(key: &str) -> String {
    match country::common_name(key).or_else(|| country::by_alpha2(key).map(|c| c.name)) {
        Some(name) => format!("{key} {name}"),
        None if key == "none" => "none (no state sponsor)".into(),
        None => key.to_string(),
    }
}

/// The label of a key of a dimension (`sponsor` keys get their country name).
pub fn key_label(dim: &str, key: &str) -> String {
    if dim == "sponsor" { sponsor_label(key) } else { key.replace('_', " ") }
}

/// `CN China: 185 of 599 incidents of the slice (30.9 %, 95 % CI 27.3–34.7 %).`
pub fn share_sentence(row: &ShareRow, n: u64, lvl: f64, what: &str) -> String {
    format!(
        "{}: {} of {} {what} ({}, {} % CI {}–{} %).",
        sponsor_label(&row.key),
        row.count,
        n,
        pct(row.share),
        level(lvl),
        pct_num(row.ci_low),
        pct_num(row.ci_high)
    )
}

/// Cuts `s` to at most `max` characters, adding `…` when it was longer.
pub fn truncate(s: &str, max: usize) -> String {
    let mut it = s.char_indices();
    match it.nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
    }
}

fn quote(v: &str) -> String {
    if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || "_,.:-+/".contains(c)) {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', r"'\''"))
    }
}

fn join<T>(items: &[T], f: impl Fn(&T) -> &str) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(",")
}

/// The command-line flags (` --state-sponsored --since 2018 …`) that select the same slice, policy
/// and interval in `spyglass share` (and `report`).
pub fn flags(f: &Filters, policy: &Policy, interval: &IntervalSpec) -> String {
    let mut out = Vec::new();
    if f.state_sponsored {
        out.push("--state-sponsored".to_string());
    }
    if !f.sponsors.is_empty() {
        out.push(format!("--sponsor {}", quote(&f.sponsors.join(","))));
    }
    if !f.sponsorship.is_empty() {
        out.push(format!("--sponsorship {}", join(&f.sponsorship, |s| s.as_str())));
    }
    if !f.verticals.is_empty() {
        out.push(format!("--vertical {}", join(&f.verticals, |s| s.as_str())));
    }
    match &f.assets {
        None => {}
        Some(AssetFilter::Any) => out.push("--asset any".into()),
        Some(AssetFilter::OneOf(l)) => out.push(format!("--asset {}", join(l, |s| s.as_str()))),
    }
    if !f.types.is_empty() {
        out.push(format!("--type {}", join(&f.types, |s| s.as_str())));
    }
    if let Some(y) = f.since {
        out.push(format!("--since {y}"));
    }
    if let Some(y) = f.until {
        out.push(format!("--until {y}"));
    }
    if !f.sources.is_empty() {
        out.push(format!("--source {}", quote(&f.sources.join(","))));
    }
    if let Some(c) = policy.min_confidence {
        out.push(format!("--min-confidence {c}"));
    }
    if policy.state_sponsorships == [Sponsorship::State] {
        out.push("--state-only".into());
    }
    if policy.kb_sponsors != SecondarySponsors::Off {
        out.push(format!("--kb-sponsors {}", policy.kb_sponsors.as_str()));
    }
    if policy.text_sponsors != SecondarySponsors::Off {
        out.push(format!("--text-sponsors {}", policy.text_sponsors.as_str()));
    }
    if !policy.text_labels {
        out.push("--structured-only".into());
    }
    if !policy.company_verticals {
        out.push("--no-company-verticals".into());
    }
    if policy.include_exercises {
        out.push("--include-exercises".into());
    }
    let default = Policy::default();
    if !policy.collapse_duplicates {
        out.push("--no-collapse".into());
    } else if policy.duplicate_min_score != default.duplicate_min_score {
        match policy.duplicate_min_score {
            Some(s) => out.push(format!("--duplicate-min-score {s}")),
            None => out.push("--duplicate-min-score confirmed".into()),
        }
    }
    if let Some(t) = policy.tlp_clearance {
        out.push(format!("--tlp {}", t.as_str()));
    }
    match interval.method {
        IntervalMethod::Wilson => {}
        IntervalMethod::ClopperPearson => out.push("--interval clopper-pearson".into()),
        IntervalMethod::Bootstrap { resamples, seed } => {
            out.push(format!("--interval bootstrap --resamples {resamples} --seed {seed}"))
        }
    }
    if (interval.level - 0.95).abs() > 1e-12 {
        out.push(format!("--level {}", interval.level));
    }
    out.into_iter().map(|s| format!(" {s}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape_html(r#"<script>alert("x")</script> & 'y'"#), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
        assert_eq!(escape_html("a\u{0}b"), "a\u{fffd}b");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(pct(0.30884), "30.9 %");
        assert_eq!(level(0.95), "95");
        assert_eq!(level(0.975), "97.5");
        assert_eq!(p(0.0004), "< 0.001");
        assert_eq!(p(0.0123), "0.012");
        assert_eq!(p_eq(0.0004), "p < 0.001");
        assert_eq!(p_eq(0.5), "p = 0.500");
        assert_eq!(truncate("héllo world", 5), "héllo…");
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn flags_reproduce_the_slice() {
        let f = Filters { state_sponsored: true, since: Some(2018), sources: vec!["O'Brien".into()], ..Filters::default() };
        let spec = IntervalSpec { method: IntervalMethod::Wilson, level: 0.95 };
        assert_eq!(flags(&f, &Policy::default(), &spec), r" --state-sponsored --since 2018 --source 'O'\''Brien'");
    }
}
