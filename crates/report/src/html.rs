//! The self-contained HTML report: inline CSS and SVG, the report's data as JSON, nothing fetched
//! at view time (a Content-Security-Policy of `default-src 'none'` enforces it).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use spyglass_analysis::ShareResult;
use spyglass_analysis::coverage::IncidentRow;

use crate::data::ReportData;
use crate::fmt::{escape_html as esc, key_label, level, p, pct, pct_num, truncate};
use crate::svg;

const CSS: &str = "
:root{color-scheme:light}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;color:#202124;max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #dadce0;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}
.meta{color:#5f6368;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid #e8eaed;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f8f9fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:12px 0}figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#5f6368;font-size:12px}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#fce8e6;color:#a50e0e;margin-left:6px}
.desc{color:#3c4043;font-size:12px}
.small{font-size:12px;color:#5f6368}
code{font-size:12px;background:#f1f3f4;padding:1px 4px;border-radius:3px}
@media print{body{padding:0;max-width:none}h2{break-after:avoid}figure,tr{break-inside:avoid}}
";

/// Sets `data-rendered="W×H"` on every chart after layout, so a headless browser's DOM dump shows
/// that each chart was laid out with a real size. The report needs no script to display.
const MEASURE_JS: &str = "document.querySelectorAll('svg.chart').forEach(function(s){var r=s.getBoundingClientRect();\
s.setAttribute('data-rendered',Math.round(r.width)+'x'+Math.round(r.height));});";

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(T[((v >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The report data as JSON safe inside `<script type="application/json">`: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026`, so no `</script>` can end the block early.
pub fn data_json(data: &ReportData) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()));
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// A share as a table; each row carries its exact numbers as `data-` attributes.
pub fn share_table(s: &ShareResult, id: &str) -> String {
    let dim = s.method.by.as_str();
    let mut out = String::new();
    let _ = write!(
        out,
        "<table id=\"{id}\" data-n=\"{}\" data-suppressed=\"{}\"><thead><tr><th>{}</th><th class=\"num\">incidents</th>\
         <th class=\"num\">share</th><th class=\"num\">{} % CI</th></tr></thead><tbody>",
        s.n,
        s.suppressed,
        esc(dim),
        level(s.method.level)
    );
    for r in &s.rows {
        let _ = write!(
            out,
            "<tr data-key=\"{}\" data-count=\"{}\" data-share=\"{}\" data-ci-low=\"{}\" data-ci-high=\"{}\"><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {} %</td></tr>",
            esc(&r.key),
            r.count,
            r.share,
            r.ci_low,
            r.ci_high,
            esc(&key_label(dim, &r.key)),
            r.count,
            pct(r.share),
            pct_num(r.ci_low),
            pct_num(r.ci_high)
        );
    }
    if s.rows.is_empty() {
        let text = if s.suppressed && s.n > 0 { format!("n = {} < 5: rows withheld", s.n) } else { "no incident".to_string() };
        let _ = write!(out, "<tr><td colspan=\"4\">{}</td></tr>", esc(&text));
    }
    let _ = write!(
        out,
        "</tbody></table><p class=\"small\">n = {} · {} interval · {}</p>",
        s.n,
        esc(s.method.interval),
        esc(&s.method.slice)
    );
    for w in &s.method.warnings {
        let _ = write!(out, "<p class=\"small\">⚠ {}</p>", esc(w));
    }
    out
}

fn figure(svg: String, caption: &str) -> String {
    format!("<figure>{svg}<figcaption>{}</figcaption></figure>", esc(caption))
}

fn list(items: &[String]) -> String {
    items.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", ")
}

fn incident_rows(rows: &[IncidentRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let _ = write!(
            out,
            "<tr data-incident=\"{}\"><td>{}</td><td><strong>{}</strong>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.incident_id),
            esc(r.start_date.as_deref().unwrap_or("undated")),
            esc(r.title.as_deref().unwrap_or(&r.incident_id)),
            r.description
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(|d| format!("<div class=\"desc\">{}</div>", esc(&truncate(d.trim(), 400))))
                .unwrap_or_default(),
            list(&r.sponsors),
            list(&r.actors),
            list(&r.assets),
            list(&r.verticals),
            esc(r.source.as_deref().unwrap_or(""))
        );
    }
    out
}

/// Renders the report as one self-contained HTML document.
pub fn render_html(d: &ReportData) -> String {
    let mut o = String::with_capacity(256 * 1024);
    let script_hash = base64(&Sha256::digest(MEASURE_JS.as_bytes()));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"spyglass {}\">\
         <title>{}</title><style>{CSS}</style></head><body>",
        esc(&d.spyglass_version),
        esc(&d.title)
    );
    let _ = write!(
        o,
        "<header><h1>{}</h1><p class=\"meta\">{} · n = {} incidents · generated {} by spyglass {}</p>\
         <p class=\"meta\">Policy: {}</p></header>",
        esc(&d.title),
        esc(&d.slice),
        d.share_by_sponsor.n,
        esc(&d.generated_at),
        esc(&d.spyglass_version),
        esc(&d.policy_text)
    );

    o.push_str("<section id=\"headlines\"><h2>Headline findings</h2><ul>");
    for h in &d.headlines {
        let _ = write!(
            o,
            "<li data-finding=\"{}\">{}{}</li>",
            esc(&h.finding),
            esc(&h.text),
            if h.low_n { "<span class=\"badge\">low n</span>" } else { "" }
        );
    }
    o.push_str("</ul></section>");

    o.push_str("<section id=\"sponsors\"><h2>Share of incidents by sponsor</h2>");
    o.push_str(&figure(
        svg::svg_share_bars(&d.share_by_sponsor, "Share of incidents by state sponsor"),
        "Bars: share of the slice's incidents attributed to each state sponsor; whiskers: the interval. An incident with two sponsors counts for both.",
    ));
    o.push_str(&share_table(&d.share_by_sponsor, "share-by-sponsor"));
    o.push_str("</section>");

    o.push_str("<section id=\"ai-assets\"><h2>Incidents aimed at AI assets</h2>");
    if let Some(ai) = &d.ai_share_by_sponsor {
        o.push_str(&figure(
            svg::svg_share_bars(ai, "Share by sponsor, incidents aimed at an AI asset"),
            "The same share among the slice's incidents aimed at any AI asset (model weights, training data, algorithms and code, ML infrastructure).",
        ));
        o.push_str(&share_table(ai, "ai-share-by-sponsor"));
    }
    o.push_str("<h3>Share by AI asset</h3>");
    o.push_str(&share_table(&d.share_by_asset, "share-by-asset"));
    o.push_str("</section>");

    o.push_str("<section id=\"trends\"><h2>Trends</h2>");
    o.push_str(&figure(
        svg::svg_trend_lines(std::slice::from_ref(&d.trend_all), "Incidents per period, whole slice"),
        "Incidents per period with change points (PELT) and each segment's rate.",
    ));
    if !d.trends.is_empty() {
        o.push_str(&figure(
            svg::svg_trend_lines(&d.trends, "Incidents per period by sponsor"),
            "One line per sponsor; dotted verticals mark change points.",
        ));
    }
    o.push_str(
        "<table id=\"trend-models\"><thead><tr><th>series</th><th>model</th><th class=\"num\">rate ratio per period</th>\
         <th class=\"num\">CI</th><th class=\"num\">p</th><th>change points</th></tr></thead><tbody>",
    );
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
                let _ = write!(
                    o,
                    "<tr data-key=\"{}\" data-irr=\"{}\" data-p=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{:.3}</td>\
                     <td class=\"num\">{:.3} – {:.3}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(&t.key),
                    m.irr,
                    m.p_value,
                    esc(&t.label),
                    esc(&m.family.replace('_', " ")),
                    m.irr,
                    m.irr_ci_low,
                    m.irr_ci_high,
                    esc(&p(m.p_value)),
                    esc(&cps)
                );
            }
            None => {
                let _ = write!(
                    o,
                    "<tr data-key=\"{}\"><td>{}</td><td colspan=\"4\">no model fitted</td><td>{}</td></tr>",
                    esc(&t.key),
                    esc(&t.label),
                    esc(&cps)
                );
            }
        }
    }
    o.push_str("</tbody></table></section>");

    if !d.priorities.is_empty() {
        o.push_str(
            "<section id=\"priorities\"><h2>Priorities: share of each sponsor's incidents aimed at AI assets</h2>\
             <table><thead><tr><th>sponsor</th><th>trend</th><th class=\"num\">z</th><th class=\"num\">p</th><th>per period: aimed / all</th></tr></thead><tbody>",
        );
        for pr in &d.priorities {
            let periods = pr
                .rows
                .iter()
                .filter(|r| r.n > 0)
                .map(|r| format!("{} {}/{}", r.period, r.count, r.n))
                .collect::<Vec<_>>()
                .join(", ");
            let (dir, z, pv) = match &pr.trend {
                Some(t) => (t.direction.to_string(), format!("{:.2}", t.z), p(t.p_value)),
                None => ("no test".to_string(), "–".into(), "–".into()),
            };
            let _ = write!(
                o,
                "<tr data-key=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"small\">{}</td></tr>",
                esc(&pr.sponsor),
                esc(&crate::fmt::sponsor_label(&pr.sponsor)),
                esc(&dir),
                esc(&z),
                esc(&pv),
                esc(&periods)
            );
        }
        o.push_str("</tbody></table></section>");
    }

    o.push_str("<section id=\"heatmap\"><h2>Verticals × AI assets</h2>");
    o.push_str(&figure(
        svg::svg_heatmap(&d.heatmap, "Incidents per vertical aimed at each AI asset"),
        "Each row is a victim vertical of the slice (n = its incidents); a cell counts those aimed at the asset, shaded by that share.",
    ));
    o.push_str("</section>");

    o.push_str(
        "<section id=\"actors\"><h2>Top actors</h2><table id=\"top-actors\"><thead><tr><th>actor</th><th>sponsor (KB)</th>\
         <th class=\"num\">incidents</th><th class=\"num\">share</th><th class=\"num\">CI</th><th>aliases</th></tr></thead><tbody>",
    );
    for a in &d.actors.top {
        let aliases: Vec<String> = a
            .aliases
            .iter()
            .take(15)
            .map(|x| match &x.vendor {
                Some(v) => format!("{} ({})", x.name, v),
                None => x.name.clone(),
            })
            .collect();
        let more = a.aliases.len().saturating_sub(15);
        let _ = write!(
            o,
            "<tr data-key=\"{}\" data-count=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{} – {} %</td><td class=\"small\">{}{}</td></tr>",
            esc(&a.row.key),
            a.row.count,
            esc(&a.row.key),
            esc(&a.sponsor.as_deref().map(crate::fmt::sponsor_label).unwrap_or_else(|| "–".into())),
            a.row.count,
            pct(a.row.share),
            pct_num(a.row.ci_low),
            pct_num(a.row.ci_high),
            list(&aliases),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    if d.actors.top.is_empty() {
        o.push_str("<tr><td colspan=\"6\">no incident of the slice names an actor the knowledge base resolves (load one with <code>spyglass kb load</code>)</td></tr>");
    }
    let _ = write!(o, "</tbody></table><p class=\"small\">n = {} · {}</p></section>", d.actors.share.n, esc(&d.actors.share.method.slice));

    let _ = write!(
        o,
        "<section id=\"ai-incidents\"><h2>The incidents aimed at AI assets</h2><p class=\"small\">{} incidents ({}){}</p>",
        d.ai_incidents.total,
        esc(&d.ai_incidents.slice),
        if (d.ai_incidents.rows.len() as u64) < d.ai_incidents.total {
            format!("; the {} newest are listed", d.ai_incidents.rows.len())
        } else {
            String::new()
        }
    );
    if !d.ai_incidents.rows.is_empty() {
        o.push_str(
            "<table id=\"ai-incident-list\"><thead><tr><th>start</th><th>incident</th><th>sponsors</th><th>actors</th>\
             <th>AI assets</th><th>verticals</th><th>source</th></tr></thead><tbody>",
        );
        o.push_str(&incident_rows(&d.ai_incidents.rows));
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");

    o.push_str("<section id=\"caveats\"><h2>Caveats</h2><ul>");
    for c in &d.caveats {
        let _ = write!(o, "<li><strong>{}</strong>: {}</li>", esc(&c.topic), esc(&c.text));
    }
    o.push_str("</ul></section>");

    o.push_str("<section id=\"method\"><h2>Policy and method</h2><ul>");
    for m in &d.method {
        let _ = write!(o, "<li>{}</li>", esc(m));
    }
    o.push_str("</ul></section>");

    o.push_str(
        "<section id=\"sources\"><h2>Sources</h2><table id=\"source-list\"><thead><tr><th>source</th><th>kind</th><th>reliability</th>\
         <th class=\"num\">incidents</th><th class=\"num\">in slice</th><th>first start</th><th>last start</th>\
         <th class=\"num\">undated</th><th>ingested</th><th>file</th></tr></thead><tbody>",
    );
    for s in &d.sources.sources {
        let file = s.file.as_deref().map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_string()).unwrap_or_default();
        let _ = write!(
            o,
            "<tr data-source=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.source_id),
            esc(s.name.as_deref().unwrap_or(&s.source_id)),
            esc(s.kind.as_deref().unwrap_or("")),
            esc(s.reliability.as_deref().unwrap_or("")),
            s.incidents,
            s.in_slice,
            esc(s.first_date.as_deref().unwrap_or("–")),
            esc(s.last_date.as_deref().unwrap_or("–")),
            s.undated,
            esc(s.ingested_at.as_deref().unwrap_or("")),
            esc(&file)
        );
    }
    o.push_str("</tbody></table></section>");

    let _ = writeln!(
        o,
        "<footer class=\"small\"><p>Every number above is in the JSON block <code>#spyglass-data</code> of this file, \
         as the analysis returned it.</p></footer>\
         <script type=\"application/json\" id=\"spyglass-data\">{}</script><script>{MEASURE_JS}</script></body></html>",
        data_json(d)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
