//! Static SVG charts of findings: share bars with interval whiskers, trend lines with change
//! points, the vertical × AI-asset heatmap.
//!
//! Plain SVG 1.1 with explicit `width`/`height`, no script and no external reference, so a chart
//! renders the same inline in the HTML report, in a PDF printed by Chromium and in the dashboard.
//! Every text from data is escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use spyglass_analysis::ShareResult;

use crate::data::{Heatmap, SeriesTrend};
use crate::fmt::{escape_html as esc, key_label, level, pct, pct_num};

/// Okabe–Ito colours (distinguishable with colour-vision deficiencies).
pub const PALETTE: [&str; 8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A200"];
const MUTED: &str = "#9aa0a6";
const GRID: &str = "#e3e6ea";
const INK: &str = "#202124";
/// Bars drawn at most; the rest are in the table beside the chart.
pub const MAX_BARS: usize = 15;

fn n(x: f64) -> String {
    format!("{:.1}", if x.is_finite() { x } else { 0.0 })
}

fn open(out: &mut String, kind: &str, w: u32, h: u32, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{kind}\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, \
         'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" fill=\"{INK}\"><title>{t}</title>",
        t = esc(title)
    );
    let _ = write!(out, "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>");
    let _ = write!(out, "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"600\">{}</text>", esc(title));
}

fn message(out: &mut String, x: u32, y: u32, w: u32, h: u32, text: &str) {
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#f6f7f9\" stroke=\"{GRID}\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6368\">{}</text>",
        x + w / 2,
        y + h / 2 + 4,
        esc(text)
    );
}

/// A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `v`.
fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= v * (1.0 - 1e-12) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// A round step for a count axis: 1, 2 or 5 times a power of ten, at least `v` and at least 1.
fn count_step(v: f64) -> f64 {
    if !(v.is_finite() && v > 1.0) {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= v).unwrap_or(10.0 * mag)
}

/// Horizontal bars of a share with its interval as whiskers; `n`, the interval and warnings below.
pub fn svg_share_bars(share: &ShareResult, title: &str) -> String {
    let dim = share.method.by.as_str();
    let rows: Vec<_> = share.rows.iter().take(MAX_BARS).collect();
    let (label_w, plot_w, right_w, row_h, top) = (190u32, 380u32, 190u32, 26u32, 52u32);
    let w = label_w + plot_w + right_w;
    let body = if rows.is_empty() { 60 } else { row_h * rows.len() as u32 };
    let h = top + body + 44;
    let mut out = String::new();
    open(&mut out, "share-bars", w, h, title);
    if rows.is_empty() {
        let text = if share.n == 0 {
            "no incident in this slice".to_string()
        } else if share.suppressed {
            format!("n = {} < 5: rows withheld", share.n)
        } else {
            "no incident in this slice".to_string()
        };
        message(&mut out, label_w, top, plot_w, 60, &text);
    } else {
        let max = rows.iter().map(|r| r.ci_high.max(r.share)).fold(0.0, f64::max);
        let axis = nice_max(max).min(1.0);
        let step = if axis <= 0.1 { axis / 4.0 } else if axis <= 0.5 { 0.1 } else { 0.2 };
        let scale = f64::from(plot_w) / axis;
        let x0 = f64::from(label_w);
        let mut t = 0.0;
        while t <= axis + 1e-9 {
            let x = x0 + t * scale;
            let _ = write!(
                out,
                "<path d=\"M{} {} V{}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5f6368\">{}</text>",
                n(x),
                top - 6,
                top + body,
                n(x),
                top - 10,
                format_args!("{} %", (t * 1000.0).round() / 10.0)
            );
            t += step;
        }
        let none = share.method.by.none_key();
        for (i, r) in rows.iter().enumerate() {
            let y = f64::from(top + i as u32 * row_h);
            let color = if r.key == none { MUTED } else { PALETTE[0] };
            let bar = (r.share * scale).max(0.0);
            let (lo, hi) = (x0 + r.ci_low * scale, x0 + r.ci_high * scale);
            let mid = y + 13.0;
            let _ = write!(
                out,
                "<g class=\"bar\" data-key=\"{key}\"><title>{tip}</title>\
                 <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
                 <rect x=\"{x0}\" y=\"{ry}\" width=\"{bw}\" height=\"14\" fill=\"{color}\" fill-opacity=\"0.85\"/>\
                 <path d=\"M{lo} {mid} H{hi} M{lo} {a} V{b} M{hi} {a} V{b}\" stroke=\"{INK}\" stroke-width=\"1.4\" fill=\"none\"/>\
                 <text x=\"{vx}\" y=\"{ty}\">{val}</text></g>",
                key = esc(&r.key),
                tip = esc(&format!(
                    "{}: {} of {} ({}, {} % CI {}–{} %)",
                    key_label(dim, &r.key),
                    r.count,
                    share.n,
                    pct(r.share),
                    level(share.method.level),
                    pct_num(r.ci_low),
                    pct_num(r.ci_high)
                )),
                lx = label_w - 8,
                ty = n(mid + 4.0),
                label = esc(&crate::fmt::truncate(&key_label(dim, &r.key), 28)),
                x0 = n(x0),
                ry = n(y + 6.0),
                bw = n(bar),
                lo = n(lo),
                hi = n(hi),
                mid = n(mid),
                a = n(mid - 5.0),
                b = n(mid + 5.0),
                vx = label_w + plot_w + 10,
                val = esc(&format!("{} [{}, {}]  {}", pct(r.share), pct_num(r.ci_low), pct_num(r.ci_high), r.count)),
            );
        }
    }
    let more = share.rows.len().saturating_sub(MAX_BARS);
    let foot = format!(
        "n = {} incidents · {} {} % intervals (whiskers){}{}",
        share.n,
        share.method.interval,
        level(share.method.level),
        if more > 0 { format!(" · {more} more rows in the table") } else { String::new() },
        if share.method.low_n { " · low n: every share is uncertain" } else { "" }
    );
    let _ = write!(out, "<text x=\"8\" y=\"{}\" font-size=\"11\" fill=\"#5f6368\">{}</text>", h - 14, esc(&foot));
    out.push_str("</svg>");
    out
}

/// One line per series (incidents per period), hollow points for periods left out of the fit,
/// dashed verticals at change points and dashed steps at each segment's rate.
pub fn svg_trend_lines(series: &[SeriesTrend], title: &str) -> String {
    let periods: Vec<String> =
        series.iter().flat_map(|s| s.result.rows.iter().map(|r| r.period.clone())).collect::<BTreeSet<_>>().into_iter().collect();
    let (left, plot_w, legend_w, top, plot_h, bottom) = (52u32, 560u32, 190u32, 44u32, 230u32, 46u32);
    let w = left + plot_w + legend_w;
    let h = top + plot_h + bottom;
    let mut out = String::new();
    open(&mut out, "trend-lines", w, h, title);
    if periods.is_empty() {
        message(&mut out, left, top, plot_w, plot_h, "no dated incident in this slice");
        out.push_str("</svg>");
        return out;
    }
    let idx = |p: &str| periods.iter().position(|q| q == p);
    let xs = |i: usize| {
        if periods.len() == 1 {
            f64::from(left) + f64::from(plot_w) / 2.0
        } else {
            f64::from(left) + i as f64 * f64::from(plot_w) / (periods.len() - 1) as f64
        }
    };
    let max = series.iter().flat_map(|s| s.result.rows.iter().map(|r| r.count as f64)).fold(1.0, f64::max);
    // Whole-number ticks: a round step with at most five intervals.
    let step = count_step(max / 5.0);
    let ticks = (max / step).ceil().max(1.0) as u32;
    let axis = step * f64::from(ticks);
    let ys = |v: f64| f64::from(top + plot_h) - v / axis * f64::from(plot_h);
    // Grid and axes.
    for k in 0..=ticks {
        let v = step * f64::from(k);
        let y = ys(v);
        let _ = write!(
            out,
            "<path d=\"M{left} {y} H{r}\" stroke=\"{GRID}\"/><text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5f6368\">{v}</text>",
            y = n(y),
            r = left + plot_w,
            tx = left - 6,
            ty = n(y + 4.0),
            v = (v * 10.0).round() / 10.0
        );
    }
    let every = periods.len().div_ceil(12).max(1);
    for (i, p) in periods.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5f6368\">{}</text>",
                n(xs(i)),
                top + plot_h + 16,
                esc(p)
            );
        }
    }
    let _ = write!(
        out,
        "<text x=\"14\" y=\"{}\" font-size=\"11\" fill=\"#5f6368\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">incidents</text>",
        top + plot_h / 2,
        top + plot_h / 2
    );
    for (si, s) in series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        let pts: Vec<(f64, f64, bool, String, u64)> = s
            .result
            .rows
            .iter()
            .filter_map(|r| idx(&r.period).map(|i| (xs(i), ys(r.count as f64), r.excluded, r.period.clone(), r.count)))
            .collect();
        let mut d = String::new();
        for (k, (x, y, _, _, _)) in pts.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if k == 0 { "M" } else { " L" }, n(*x), n(*y));
        }
        let _ = write!(out, "<g class=\"series\" data-key=\"{}\">", esc(&s.key));
        let _ = write!(out, "<path class=\"line\" d=\"{d}\" stroke=\"{color}\" stroke-width=\"2\" fill=\"none\"/>");
        for (x, y, excluded, period, count) in &pts {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.8\" fill=\"{}\" stroke=\"{color}\"><title>{}</title></circle>",
                n(*x),
                n(*y),
                if *excluded { "#ffffff" } else { color },
                esc(&format!("{} {period}: {count}{}", s.label, if *excluded { " (partial, not fitted)" } else { "" }))
            );
        }
        // Segment rates between change points, as given by the analysis.
        let cps = &s.result.change_points;
        if !cps.is_empty() {
            let fitted: Vec<&str> = s.result.rows.iter().filter(|r| !r.excluded).map(|r| r.period.as_str()).collect();
            if let (Some(&first), Some(&last)) = (fitted.first(), fitted.last()) {
                let mut bounds: Vec<(&str, f64)> = vec![(first, cps[0].rate_before)];
                bounds.extend(cps.iter().map(|c| (c.period.as_str(), c.rate_after)));
                let mut steps = String::new();
                for (k, &(start, rate)) in bounds.iter().enumerate() {
                    let end = bounds.get(k + 1).map_or(last, |b| b.0);
                    if let (Some(a), Some(b)) = (idx(start), idx(end)) {
                        let _ = write!(steps, "M{} {} H{} ", n(xs(a)), n(ys(rate)), n(xs(b)));
                    }
                }
                let _ = write!(
                    out,
                    "<path class=\"segments\" d=\"{}\" stroke=\"{color}\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\" fill=\"none\" opacity=\"0.8\"/>",
                    steps.trim_end()
                );
            }
            for c in cps {
                if let Some(i) = idx(&c.period) {
                    let x = xs(i);
                    let _ = write!(
                        out,
                        "<g class=\"change-point\"><title>{}</title><path d=\"M{x} {t} V{b}\" stroke=\"{color}\" stroke-dasharray=\"2 3\"/>\
                         <path d=\"M{x} {t2} l5 -7 h-10 z\" fill=\"{color}\"/></g>",
                        esc(&format!(
                            "{}: change point at {} (rate {:.1} → {:.1} per period)",
                            s.label, c.period, c.rate_before, c.rate_after
                        )),
                        x = n(x),
                        t = top,
                        b = top + plot_h,
                        t2 = top
                    );
                }
            }
        }
        out.push_str("</g>");
        // Legend entry.
        let ly = top + 8 + si as u32 * 20;
        let lx = left + plot_w + 16;
        let _ = write!(
            out,
            "<rect x=\"{lx}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            ly - 4,
            lx + 20,
            ly + 1,
            esc(&crate::fmt::truncate(&s.label, 24))
        );
    }
    let foot = "solid: incidents per period · hollow point: partial period, not fitted · ▼ dotted: change point (PELT) · dashed: segment rate";
    let _ = write!(out, "<text x=\"8\" y=\"{}\" font-size=\"11\" fill=\"#5f6368\">{}</text>", h - 10, esc(foot));
    out.push_str("</svg>");
    out
}

/// `#rrggbb` between white-blue and dark blue for `t` in 0..=1.
fn blue(t: f64) -> String {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let (a, b) = ([0xf4u8, 0xf8, 0xfc], [0x08u8, 0x30, 0x6b]);
    let c: Vec<u8> = a.iter().zip(b).map(|(&x, y)| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8).collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Vertical × AI asset: per vertical row the number of its incidents aimed at each asset, shaded
/// by the share of the vertical's incidents.
pub fn svg_heatmap(h: &Heatmap, title: &str) -> String {
    let (label_w, cell_w, cell_h, top) = (200u32, 130u32, 26u32, 62u32);
    let cols = h.assets.len().max(1) as u32;
    let w = label_w + cell_w * cols + 24;
    let body = if h.rows.is_empty() { 60 } else { cell_h * h.rows.len() as u32 };
    let total_h = top + body + 40;
    let mut out = String::new();
    open(&mut out, "heatmap", w, total_h, title);
    for (j, a) in h.assets.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
            label_w + cell_w * j as u32 + cell_w / 2,
            top - 10,
            esc(&a.replace('_', " "))
        );
    }
    if h.rows.is_empty() {
        message(&mut out, label_w, top, cell_w * cols, 60, "no incident with a known vertical in this slice");
    }
    let max = h
        .rows
        .iter()
        .filter(|r| !r.share.suppressed)
        .flat_map(|r| h.assets.iter().filter_map(move |a| Heatmap::cell(r, a).map(|c| c.share)))
        .fold(0.0, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    for (i, row) in h.rows.iter().enumerate() {
        let y = top + cell_h * i as u32;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 8,
            y + 17,
            esc(&format!("{} (n = {})", crate::fmt::truncate(&row.vertical.replace('_', " "), 20), row.share.n))
        );
        for (j, a) in h.assets.iter().enumerate() {
            let x = label_w + cell_w * j as u32;
            let (fill, text, tip, dark) = if row.share.suppressed {
                ("#eeeeee".to_string(), "n < 5".to_string(), format!("{}: n = {} < 5, withheld", row.vertical, row.share.n), false)
            } else {
                match Heatmap::cell(row, a) {
                    Some(c) => (
                        blue(c.share / max),
                        format!("{} · {}", c.count, pct(c.share)),
                        format!(
                            "{} × {}: {} of {} incidents ({}, {} % CI {}–{} %)",
                            row.vertical,
                            a,
                            c.count,
                            row.share.n,
                            pct(c.share),
                            level(row.share.method.level),
                            pct_num(c.ci_low),
                            pct_num(c.ci_high)
                        ),
                        c.share / max > 0.55,
                    ),
                    None => (blue(0.0), "0".to_string(), format!("{} × {a}: no incident of {}", row.vertical, row.share.n), false),
                }
            };
            let _ = write!(
                out,
                "<g class=\"cell\" data-vertical=\"{}\" data-asset=\"{}\"><title>{}</title>\
                 <rect x=\"{x}\" y=\"{y}\" width=\"{cw}\" height=\"{ch}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"/>\
                 <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"{tc}\">{}</text></g>",
                esc(&row.vertical),
                esc(a),
                esc(&tip),
                esc(&text),
                cw = cell_w,
                ch = cell_h,
                tx = x + cell_w / 2,
                ty = y + 17,
                tc = if dark { "#ffffff" } else { INK },
            );
        }
    }
    let any = h.rows.iter().any(|r| !r.share.suppressed && h.assets.iter().any(|a| Heatmap::cell(r, a).is_some()));
    let foot = if any {
        format!("cell: incidents of the vertical aimed at the asset · shade: share of the vertical's incidents (darkest = {})", pct(max))
    } else {
        "cell: incidents of the vertical aimed at the asset · no incident of these verticals is aimed at an AI asset".to_string()
    };
    let _ = write!(out, "<text x=\"8\" y=\"{}\" font-size=\"11\" fill=\"#5f6368\">{}</text>", total_h - 12, esc(&foot));
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::HeatmapRow;
    use spyglass_analysis::share::{IntervalSpec, ShareMethod};
    use spyglass_analysis::{Dimension, Filters, ShareRow};
    use spyglass_model::Policy;
    use spyglass_stats::IntervalMethod;

    fn share_of(by: Dimension, rows: Vec<ShareRow>, n: u64) -> ShareResult {
        ShareResult {
            n,
            rows,
            method: ShareMethod {
                by,
                interval: "wilson",
                level: 0.95,
                counting: "per incident",
                policy: Policy::default(),
                policy_text: String::new(),
                filters: Filters::default(),
                slice: "all incidents".into(),
                low_n: n < 30,
                warnings: Vec::new(),
                engine: "views",
            },
            suppressed: n < 5,
            interval: IntervalSpec { method: IntervalMethod::Wilson, level: 0.95 },
        }
    }

    fn row(key: &str, count: u64, share: f64) -> ShareRow {
        ShareRow { key: key.into(), count, share, ci_low: share * 0.8, ci_high: (share * 1.2).min(1.0) }
    }

    #[test]
    fn bars_have_one_bar_and_whisker_per_row_and_escape_keys() {
        let s = share_of(Dimension::Actor, vec![row("APT<1>", 60, 0.6), row("\"b\" & c", 30, 0.3), row("unattributed", 10, 0.1)], 100);
        let svg = svg_share_bars(&s, "Top <actors>");
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 3);
        // Background plus one bar per row.
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("APT&lt;1&gt;") && svg.contains("&quot;b&quot; &amp; c") && svg.contains("Top &lt;actors&gt;"));
        assert!(!svg.contains("<actors>") && !svg.contains("APT<1>"));
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"760\""));
    }

    #[test]
    fn withheld_share_draws_a_notice() {
        let s = share_of(Dimension::Sponsor, Vec::new(), 3);
        let svg = svg_share_bars(&s, "Share");
        assert!(svg.contains("n = 3 &lt; 5: rows withheld"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 0);
    }

    #[test]
    fn heatmap_has_a_cell_per_vertical_and_asset() {
        let assets: Vec<String> = ["model_weights", "training_data"].iter().map(|s| s.to_string()).collect();
        let rows = vec![
            HeatmapRow { vertical: "ai_research".into(), share: share_of(Dimension::Asset, vec![row("model_weights", 4, 0.4)], 10) },
            HeatmapRow { vertical: "finance".into(), share: share_of(Dimension::Asset, Vec::new(), 2) },
        ];
        let h = Heatmap { assets, rows, by_vertical: share_of(Dimension::Vertical, Vec::new(), 12) };
        let svg = svg_heatmap(&h, "Heatmap");
        assert_eq!(svg.matches("<g class=\"cell\"").count(), 4);
        assert!(svg.contains("4 · 40.0 %"), "{svg}");
        assert_eq!(svg.matches(">n &lt; 5<").count(), 2, "the withheld row says so in each cell");
        // The largest share gets the darkest shade.
        assert!(svg.contains("fill=\"#08306b\""));
    }

    #[test]
    fn nice_bounds() {
        assert_eq!(nice_max(0.37), 0.5);
        assert_eq!(nice_max(0.05), 0.05);
        assert_eq!(nice_max(73.0), 100.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(1.0), 1.0);
        assert_eq!(count_step(0.5), 1.0);
        assert_eq!(count_step(4.6), 5.0);
        assert_eq!(count_step(14.0), 20.0);
    }

    #[test]
    fn shades_run_from_light_to_dark() {
        assert_eq!(blue(0.0), "#f4f8fc");
        assert_eq!(blue(1.0), "#08306b");
        assert_eq!(blue(f64::NAN), "#f4f8fc");
    }
}
