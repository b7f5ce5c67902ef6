//! The report as Markdown (GitHub-flavoured tables): the same sections and numbers as the HTML
//! report, without charts. Text from data is escaped so that it renders as text, never as markup
//! or HTML.

use std::fmt::Write as _;

use spyglass_analysis::ShareResult;

use crate::data::ReportData;
use crate::fmt::{key_label, level, p, pct, pct_num, truncate};

/// Escapes Markdown and inline-HTML syntax in a table cell or line of text.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn share_table(o: &mut String, s: &ShareResult) {
    let dim = s.method.by.as_str();
    if s.rows.is_empty() {
        let _ = writeln!(o, "{}\n", if s.suppressed && s.n > 0 { format!("n = {} < 5: rows withheld.", s.n) } else { "No incident.".into() });
    } else {
        let _ = writeln!(o, "| {dim} | incidents | share | {} % CI |\n|---|---:|---:|---:|", level(s.method.level));
        for r in &s.rows {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} – {} % |",
                escape_md(&key_label(dim, &r.key)),
                r.count,
                pct(r.share),
                pct_num(r.ci_low),
                pct_num(r.ci_high)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "n = {} · {} interval · {}\n", s.n, s.method.interval, escape_md(&s.method.slice));
    for w in &s.method.warnings {
        let _ = writeln!(o, "> ⚠ {}\n", escape_md(w));
    }
}

fn list(items: &[String]) -> String {
    escape_md(&items.join(", "))
}

/// Renders the report as Markdown.
pub fn render_markdown(d: &ReportData) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", escape_md(&d.title));
    let _ = writeln!(
        o,
        "{} · n = {} incidents · generated {} by spyglass {}\n\nPolicy: {}\n",
        escape_md(&d.slice),
        d.share_by_sponsor.n,
        escape_md(&d.generated_at),
        escape_md(&d.spyglass_version),
        escape_md(&d.policy_text)
    );
    o.push_str("## Headline findings\n\n");
    for h in &d.headlines {
        let _ = writeln!(o, "- {}{}", escape_md(&h.text), if h.low_n { " **(low n)**" } else { "" });
    }
    o.push_str("\n## Share of incidents by sponsor\n\n");
    share_table(&mut o, &d.share_by_sponsor);
    o.push_str("## Incidents aimed at AI assets\n\n");
    if let Some(ai) = &d.ai_share_by_sponsor {
        o.push_str("### Share by sponsor\n\n");
        share_table(&mut o, ai);
    }
    o.push_str("### Share by AI asset\n\n");
    share_table(&mut o, &d.share_by_asset);

    o.push_str("## Trends\n\n| series | model | rate ratio per period | CI | p | change points |\n|---|---|---:|---:|---:|---|\n");
    for t in std::iter::once(&d.trend_all).chain(&d.trends) {
        let cps = t
            .result
            .change_points
            .iter()
            .map(|c| format!("{} ({:.1} → {:.1})", c.period, c.rate_before, c.rate_after))
            .collect::<Vec<_>>()
            .join("; ");
        match &t.result.model {
            Some(m) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | {:.3} | {:.3} – {:.3} | {} | {} |",
                    escape_md(&t.label),
                    escape_md(&m.family.replace('_', " ")),
                    m.irr,
                    m.irr_ci_low,
                    m.irr_ci_high,
                    p(m.p_value),
                    escape_md(&cps)
                );
            }
            None => {
                let _ = writeln!(o, "| {} | not fitted | | | | {} |", escape_md(&t.label), escape_md(&cps));
            }
        }
    }
    o.push('\n');
    for t in std::iter::once(&d.trend_all).chain(&d.trends) {
        let counts = t.result.rows.iter().map(|r| format!("{} {}", r.period, r.count)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(o, "- {}: {}", escape_md(&t.label), escape_md(&counts));
    }
    o.push('\n');

    if !d.priorities.is_empty() {
        o.push_str("## Priorities: share of each sponsor's incidents aimed at AI assets\n\n| sponsor | trend | z | p | per period: aimed / all |\n|---|---|---:|---:|---|\n");
        for pr in &d.priorities {
            let periods = pr.rows.iter().filter(|r| r.n > 0).map(|r| format!("{} {}/{}", r.period, r.count, r.n)).collect::<Vec<_>>().join(", ");
            let (dir, z, pv) = match &pr.trend {
                Some(t) => (t.direction.to_string(), format!("{:.2}", t.z), p(t.p_value)),
                None => ("no test".into(), "–".into(), "–".into()),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                escape_md(&crate::fmt::sponsor_label(&pr.sponsor)),
                escape_md(&dir),
                z,
                pv,
                escape_md(&periods)
            );
        }
        o.push('\n');
    }

    o.push_str("## Verticals × AI assets\n\nIncidents of each vertical aimed at each AI asset (share of the vertical's incidents).\n\n");
    if d.heatmap.rows.is_empty() {
        o.push_str("No incident with a known vertical.\n\n");
    } else {
        let _ = writeln!(o, "| vertical | n | {} |", d.heatmap.assets.iter().map(|a| escape_md(a)).collect::<Vec<_>>().join(" | "));
        let _ = writeln!(o, "|---|---:|{}", "---:|".repeat(d.heatmap.assets.len()));
        for row in &d.heatmap.rows {
            let cells: Vec<String> = d
                .heatmap
                .assets
                .iter()
                .map(|a| {
                    if row.share.suppressed {
                        "n < 5".to_string()
                    } else {
                        crate::data::Heatmap::cell(row, a).map_or("0".to_string(), |c| format!("{} ({})", c.count, pct(c.share)))
                    }
                })
                .collect();
            let _ = writeln!(o, "| {} | {} | {} |", escape_md(&row.vertical), row.share.n, cells.join(" | "));
        }
        o.push('\n');
    }

    o.push_str("## Top actors\n\n");
    if d.actors.top.is_empty() {
        o.push_str("No incident of the slice names an actor the knowledge base resolves.\n\n");
    } else {
        o.push_str("| actor | sponsor (KB) | incidents | share | CI | aliases |\n|---|---|---:|---:|---:|---|\n");
        for a in &d.actors.top {
            let aliases: Vec<String> = a
                .aliases
                .iter()
                .take(15)
                .map(|x| match &x.vendor {
                    Some(v) => format!("{} ({v})", x.name),
                    None => x.name.clone(),
                })
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} – {} % | {} |",
                escape_md(&a.row.key),
                escape_md(a.sponsor.as_deref().unwrap_or("–")),
                a.row.count,
                pct(a.row.share),
                pct_num(a.row.ci_low),
                pct_num(a.row.ci_high),
                list(&aliases)
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## The incidents aimed at AI assets\n\n{} incidents ({}).\n", d.ai_incidents.total, escape_md(&d.ai_incidents.slice));
    if !d.ai_incidents.rows.is_empty() {
        o.push_str("| start | incident | sponsors | actors | AI assets | verticals | source |\n|---|---|---|---|---|---|---|\n");
        for r in &d.ai_incidents.rows {
            let title = r.title.as_deref().unwrap_or(&r.incident_id);
            let desc = r.description.as_deref().map(|s| truncate(s.trim(), 200)).unwrap_or_default();
            let _ = writeln!(
                o,
                "| {} | **{}** {} | {} | {} | {} | {} | {} |",
                escape_md(r.start_date.as_deref().unwrap_or("undated")),
                escape_md(title),
                escape_md(&desc),
                list(&r.sponsors),
                list(&r.actors),
                list(&r.assets),
                list(&r.verticals),
                escape_md(r.source.as_deref().unwrap_or(""))
            );
        }
        o.push('\n');
    }

    o.push_str("## Caveats\n\n");
    for c in &d.caveats {
        let _ = writeln!(o, "- **{}**: {}", escape_md(&c.topic), escape_md(&c.text));
    }
    o.push_str("\n## Policy and method\n\n");
    for m in &d.method {
        let _ = writeln!(o, "- {}", escape_md(m));
    }
    o.push_str("\n## Sources\n\n| source | kind | reliability | incidents | in slice | first start | last start | undated | ingested |\n|---|---|---|---:|---:|---|---|---:|---|\n");
    for s in &d.sources.sources {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape_md(s.name.as_deref().unwrap_or(&s.source_id)),
            escape_md(s.kind.as_deref().unwrap_or("")),
            escape_md(s.reliability.as_deref().unwrap_or("")),
            s.incidents,
            s.in_slice,
            escape_md(s.first_date.as_deref().unwrap_or("–")),
            escape_md(s.last_date.as_deref().unwrap_or("–")),
            s.undated,
            escape_md(s.ingested_at.as_deref().unwrap_or(""))
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_html_and_table_syntax() {
        assert_eq!(escape_md("<script>a|b</script>"), "&lt;script&gt;a\\|b&lt;/script&gt;");
        assert_eq!(escape_md("*x* [y](z)\nnext"), "\\*x\\* \\[y\\](z) next");
    }
}
