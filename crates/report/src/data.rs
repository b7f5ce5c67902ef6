//! Everything a report shows, gathered from the analysis layer.
//!
//! Every number here is a field of a finding returned by `spyglass-analysis` (share, trend,
//! priorities, coverage) and is copied, never recomputed: the report's share by sponsor is the very
//! `ShareResult` that `spyglass share --by sponsor --json` prints for the same filters and policy.
//! Headline texts only format those numbers.

use serde::Serialize;
use spyglass_analysis::coverage::{CoverageResult, IncidentList, coverage_in, incidents_in};
use spyglass_analysis::crosstab::share_per_in;
use spyglass_analysis::priorities::{PrioritiesResult, priorities_in};
use spyglass_analysis::share::share_in;
use spyglass_analysis::trend::{TrendResult, trend_in};
use spyglass_analysis::{AssetFilter, Dimension, Filters, Period, PrioritiesQuery, ShareQuery, ShareResult, ShareRow, Target, TrendQuery};
use spyglass_model::{AiAsset, Policy};
use spyglass_stats::IntervalMethod;
use spyglass_store::Store;

use crate::ReportError;
use crate::fmt::share_sentence;

/// What to put in a report beyond the slice and the policy.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub title: String,
    /// Interval of every share (as `share --interval`).
    pub interval: IntervalMethod,
    /// Confidence level of every interval.
    pub level: f64,
    /// Period of the trend lines.
    pub trend_by: Period,
    /// Sponsors with a trend line when the filters name none: the largest ones of the share.
    pub trend_sponsors: usize,
    /// Actors listed (the largest of the share by actor).
    pub top_actors: usize,
    /// Incidents aimed at AI assets listed in full (newest first).
    pub max_incidents: usize,
    /// Time stamp printed in the report; `None`: now (UTC).
    pub generated_at: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "State-sponsored espionage against AI assets".into(),
            interval: IntervalMethod::Wilson,
            level: 0.95,
            trend_by: Period::Year,
            trend_sponsors: 5,
            top_actors: 10,
            max_incidents: 50,
            generated_at: None,
        }
    }
}

/// A headline finding: one sentence and the numbers it states.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// The finding it comes from (`share by sponsor`, `trend`, `priorities`, …).
    pub finding: String,
    pub text: String,
    pub key: Option<String>,
    pub count: Option<u64>,
    pub n: Option<u64>,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// The finding warned of low n.
    pub low_n: bool,
}

/// The trend of one series (a sponsor's incidents, or the whole slice).
#[derive(Debug, Clone, Serialize)]
pub struct SeriesTrend {
    /// Sponsor code, or `all` for the whole slice.
    pub key: String,
    pub label: String,
    pub result: TrendResult,
}

/// One row of the heatmap: the share of a vertical's incidents aimed at each AI asset.
#[derive(Debug, Clone, Serialize)]
pub struct HeatmapRow {
    pub vertical: String,
    /// `share --by asset --vertical V` with the report's other filters.
    pub share: ShareResult,
}

/// Vertical × AI asset: per vertical of the slice, incidents aimed at each asset.
#[derive(Debug, Clone, Serialize)]
pub struct Heatmap {
    /// Column keys (AI-asset codes).
    pub assets: Vec<String>,
    pub rows: Vec<HeatmapRow>,
    /// `share --by vertical` of the slice, which chose and ordered the rows.
    pub by_vertical: ShareResult,
}

impl Heatmap {
    /// The row of `row` for `asset`, if the analysis returned one (no row: no incident).
    pub fn cell<'a>(row: &'a HeatmapRow, asset: &str) -> Option<&'a ShareRow> {
        row.share.rows.iter().find(|r| r.key == asset)
    }
}

/// One name of an actor and who uses it.
#[derive(Debug, Clone, Serialize)]
pub struct Alias {
    pub name: String,
    pub vendor: Option<String>,
}

/// A top actor: its row of `share --by actor` and what the knowledge base says of it.
#[derive(Debug, Clone, Serialize)]
pub struct ActorEntry {
    pub row: ShareRow,
    pub actor_id: Option<String>,
    pub sponsor: Option<String>,
    pub sponsorship: Option<String>,
    pub confidence: Option<u8>,
    pub aliases: Vec<Alias>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorSection {
    pub share: ShareResult,
    pub top: Vec<ActorEntry>,
}

/// A caveat and the finding or source it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caveat {
    pub topic: String,
    pub text: String,
}

/// Every number a report shows, with the filters, policy and method that produced it.
///
/// HTML and Markdown reports, and the dashboard, render this and nothing else; it is embedded in
/// the HTML report as JSON (`<script type="application/json" id="spyglass-data">`).
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub title: String,
    pub generated_at: String,
    pub spyglass_version: String,
    /// The slice in words (`state-sponsored, 2018–`).
    pub slice: String,
    pub filters: Filters,
    pub policy: Policy,
    pub policy_text: String,
    pub headlines: Vec<Headline>,
    /// Exactly `spyglass share --by sponsor --json` with the same filters, policy and interval.
    pub share_by_sponsor: ShareResult,
    /// The same share among the slice's incidents aimed at an AI asset (`--asset any`); absent when
    /// the filters already select assets.
    pub ai_share_by_sponsor: Option<ShareResult>,
    /// `share --by asset` of the slice.
    pub share_by_asset: ShareResult,
    /// The whole slice per period.
    pub trend_all: SeriesTrend,
    /// One per sponsor (those the filters name, else the largest of the share).
    pub trends: Vec<SeriesTrend>,
    /// Per trend sponsor: share of its incidents aimed at AI assets per period.
    pub priorities: Vec<PrioritiesResult>,
    pub heatmap: Heatmap,
    pub actors: ActorSection,
    /// The slice's incidents aimed at AI assets (the whole slice when the filters select assets).
    pub ai_incidents: IncidentList,
    pub sources: CoverageResult,
    pub caveats: Vec<Caveat>,
    /// How every number was produced, one sentence each.
    pub method: Vec<String>,
}

/// The keys of a share that are real keys (not the "no key" row).
fn keyed(share: &ShareResult) -> impl Iterator<Item = &ShareRow> {
    let none = share.method.by.none_key();
    share.rows.iter().filter(move |r| r.key != none)
}

/// Gathers a report: the slice's shares, trends, priorities, heatmap, actors, incidents and
/// sources, each from its analysis function under `policy`.
pub async fn build_report(
    store: &Store,
    policy: &Policy,
    filters: &Filters,
    opts: &ReportOptions,
) -> Result<ReportData, ReportError> {
    // One session for every question: they all share the policy, and opening the store (tables,
    // actor resolutions, same-as groups) costs far more than a query on it.
    let ctx = store.session(policy).await?;
    let share_q = |by: Dimension, filters: Filters| ShareQuery {
        by,
        filters,
        policy: policy.clone(),
        level: opts.level,
        interval: opts.interval,
    };
    let share_by_sponsor = share_in(&ctx, &share_q(Dimension::Sponsor, filters.clone())).await?;
    let ai_share_by_sponsor = if filters.assets.is_none() {
        let f = Filters { assets: Some(AssetFilter::Any), ..filters.clone() };
        Some(share_in(&ctx, &share_q(Dimension::Sponsor, f)).await?)
    } else {
        None
    };
    let share_by_asset = share_in(&ctx, &share_q(Dimension::Asset, filters.clone())).await?;

    // Trends: the whole slice, then each sponsor the filters name or the largest of the share.
    let trend_q = |sponsor: Option<String>| TrendQuery {
        by: opts.trend_by,
        sponsor,
        filters: filters.clone(),
        policy: policy.clone(),
        level: opts.level,
        keep_partial_last: false,
    };
    let trend_all = SeriesTrend {
        key: "all".into(),
        label: "all incidents".into(),
        result: trend_in(&ctx, &trend_q(None)).await?,
    };
    let sponsors: Vec<String> = if filters.sponsors.is_empty() {
        keyed(&share_by_sponsor).take(opts.trend_sponsors).map(|r| r.key.clone()).collect()
    } else {
        filters.sponsors.clone()
    };
    let mut trends = Vec::new();
    for s in &sponsors {
        let result = trend_in(&ctx, &trend_q(Some(s.clone()))).await?;
        trends.push(SeriesTrend { key: s.clone(), label: crate::fmt::sponsor_label(s), result });
    }

    let mut prios = Vec::new();
    if filters.assets.is_none() {
        for s in &sponsors {
            let q = PrioritiesQuery {
                sponsor: s.clone(),
                by: opts.trend_by,
                target: Target::Assets(AssetFilter::Any),
                filters: filters.clone(),
                policy: policy.clone(),
                level: opts.level,
                interval: opts.interval,
            };
            prios.push(priorities_in(&ctx, &q).await?);
        }
    }

    // Heatmap rows: the verticals of the slice (within the filter's verticals when it names some).
    let by_vertical = share_in(&ctx, &share_q(Dimension::Vertical, filters.clone())).await?;
    // Row V is `share --by asset --vertical V`, all rows from one cross-tabulation.
    let rows: Vec<HeatmapRow> = share_per_in(&ctx, &share_q(Dimension::Asset, filters.clone()), Dimension::Vertical)
        .await?
        .into_iter()
        .map(|(vertical, share)| HeatmapRow { vertical, share })
        .collect();
    let assets: Vec<String> = match &filters.assets {
        Some(AssetFilter::OneOf(list)) => list.iter().map(|a| a.as_str().to_string()).collect(),
        _ => AiAsset::ALL.iter().map(|a| a.as_str().to_string()).collect(),
    };
    let heatmap = Heatmap { assets, rows, by_vertical };

    let actors = actor_section(store, share_in(&ctx, &share_q(Dimension::Actor, filters.clone())).await?, opts.top_actors).await?;

    let ai_filters = Filters { assets: filters.assets.clone().or(Some(AssetFilter::Any)), ..filters.clone() };
    let ai_incidents = incidents_in(&ctx, &ai_filters, opts.max_incidents).await?;
    let sources = coverage_in(&ctx, policy, filters).await?;

    let mut data = ReportData {
        title: opts.title.clone(),
        generated_at: opts.generated_at.clone().unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string()),
        spyglass_version: env!("CARGO_PKG_VERSION").to_string(),
        slice: filters.describe(),
        filters: filters.clone(),
        policy: policy.clone(),
        policy_text: policy.describe(),
        headlines: Vec::new(),
        share_by_sponsor,
        ai_share_by_sponsor,
        share_by_asset,
        trend_all,
        trends,
        priorities: prios,
        heatmap,
        actors,
        ai_incidents,
        sources,
        caveats: Vec::new(),
        method: Vec::new(),
    };
    data.headlines = headlines(&data);
    data.caveats = caveats(&data);
    data.method = method(&data);
    Ok(data)
}

async fn actor_section(store: &Store, share: ShareResult, top: usize) -> Result<ActorSection, ReportError> {
    let kb = store.kb().await?;
    let mut entries = Vec::new();
    for row in keyed(&share).take(top) {
        let view = kb.show(&row.key);
        entries.push(ActorEntry {
            row: row.clone(),
            actor_id: view.as_ref().map(|v| v.id.clone()),
            sponsor: view.as_ref().and_then(|v| v.sponsor.clone()),
            sponsorship: view.as_ref().map(|v| v.sponsorship.as_str().to_string()),
            confidence: view.as_ref().map(|v| v.confidence),
            aliases: view
                .map(|v| {
                    v.aliases
                        .into_iter()
                        .filter(|a| a.name != row.key)
                        .map(|a| Alias { name: a.name, vendor: a.vendor })
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(ActorSection { share, top: entries })
}

fn share_headline(finding: &str, s: &ShareResult, row: &ShareRow, what: &str) -> Headline {
    Headline {
        finding: finding.into(),
        text: share_sentence(row, s.n, s.method.level, what),
        key: Some(row.key.clone()),
        count: Some(row.count),
        n: Some(s.n),
        estimate: Some(row.share),
        ci_low: Some(row.ci_low),
        ci_high: Some(row.ci_high),
        p_value: None,
        low_n: s.method.low_n,
    }
}

fn headlines(d: &ReportData) -> Vec<Headline> {
    let mut out = Vec::new();
    let s = &d.share_by_sponsor;
    if s.suppressed {
        out.push(Headline {
            finding: "share by sponsor".into(),
            text: format!("Only {} incidents in the slice: shares are withheld below 5.", s.n),
            key: None,
            count: None,
            n: Some(s.n),
            estimate: None,
            ci_low: None,
            ci_high: None,
            p_value: None,
            low_n: true,
        });
    }
    for row in keyed(s).take(4) {
        out.push(share_headline("share by sponsor", s, row, "incidents of the slice"));
    }
    if let Some(ai) = &d.ai_share_by_sponsor {
        if let Some(row) = keyed(ai).next() {
            out.push(share_headline("share by sponsor, AI assets", ai, row, "incidents aimed at an AI asset"));
        } else {
            out.push(Headline {
                finding: "share by sponsor, AI assets".into(),
                text: if ai.n == 0 {
                    "No incident of the slice is aimed at an AI asset (structured fields, else text labels).".to_string()
                } else {
                    format!("{} incidents of the slice are aimed at an AI asset; none is attributed to a state sponsor.", ai.n)
                },
                key: None,
                count: None,
                n: Some(ai.n),
                estimate: None,
                ci_low: None,
                ci_high: None,
                p_value: None,
                low_n: ai.method.low_n,
            });
        }
    }
    for t in std::iter::once(&d.trend_all).chain(d.trends.iter().take(4)) {
        let Some(m) = &t.result.model else { continue };
        let unit = match t.result.method.by {
            Period::Year => "year",
            Period::Quarter => "quarter",
        };
        let cps: Vec<&str> = t.result.change_points.iter().map(|c| c.period.as_str()).collect();
        out.push(Headline {
            finding: "trend".into(),
            text: format!(
                "{}: incidents per {unit} ×{:.2} each {unit} ({} % CI {:.2}–{:.2}, {}, {}){}.",
                t.label,
                m.irr,
                crate::fmt::level(t.result.method.level),
                m.irr_ci_low,
                m.irr_ci_high,
                crate::fmt::p_eq(m.p_value),
                m.family.replace('_', " "),
                if cps.is_empty() { String::new() } else { format!("; change points at {}", cps.join(", ")) }
            ),
            key: Some(t.key.clone()),
            count: None,
            n: None,
            estimate: Some(m.irr),
            ci_low: Some(m.irr_ci_low),
            ci_high: Some(m.irr_ci_high),
            p_value: Some(m.p_value),
            low_n: t.result.method.warnings.iter().any(|w| w.starts_with("low n")),
        });
    }
    for p in &d.priorities {
        let Some(t) = &p.trend else { continue };
        let low_n = p
            .method
            .get("warnings")
            .and_then(|w| w.as_array())
            .is_some_and(|ws| ws.iter().any(|w| w.as_str().is_some_and(|w| w.starts_with("low n"))));
        out.push(Headline {
            finding: "priorities".into(),
            text: format!(
                "{}: share of incidents aimed at {} per period — {} (Cochran–Armitage z = {:.2}, {}).",
                crate::fmt::sponsor_label(&p.sponsor),
                p.target,
                t.direction,
                t.z,
                crate::fmt::p_eq(t.p_value)
            ),
            key: Some(p.sponsor.clone()),
            count: None,
            n: None,
            estimate: None,
            ci_low: None,
            ci_high: None,
            p_value: Some(t.p_value),
            low_n,
        });
    }
    out
}

fn push(out: &mut Vec<Caveat>, topic: &str, text: String) {
    let c = Caveat { topic: topic.to_string(), text };
    if !out.iter().any(|x| x.text == c.text) {
        out.push(c);
    }
}

fn caveats(d: &ReportData) -> Vec<Caveat> {
    let mut out = Vec::new();
    for w in &d.share_by_sponsor.method.warnings {
        push(&mut out, "share by sponsor", w.clone());
    }
    if let Some(ai) = &d.ai_share_by_sponsor {
        for w in &ai.method.warnings {
            push(&mut out, "AI-asset incidents", format!("incidents aimed at an AI asset: {w}"));
        }
    }
    for t in std::iter::once(&d.trend_all).chain(&d.trends) {
        for w in &t.result.method.warnings {
            let topic = if w.starts_with("reporting lag") { "reporting lag" } else { "trend" };
            let text = if topic == "reporting lag" { w.clone() } else { format!("{}: {w}", t.label) };
            push(&mut out, topic, text);
        }
    }
    for p in &d.priorities {
        if let Some(ws) = p.method.get("warnings").and_then(|w| w.as_array()) {
            for w in ws.iter().filter_map(|w| w.as_str()) {
                push(&mut out, "priorities", w.to_string());
            }
        }
    }
    let withheld: Vec<&str> = d.heatmap.rows.iter().filter(|r| r.share.suppressed).map(|r| r.vertical.as_str()).collect();
    if !withheld.is_empty() {
        push(&mut out, "heatmap", format!("fewer than 5 incidents, rows withheld: {}", withheld.join(", ")));
    }
    for s in &d.sources.sources {
        let name = s.name.clone().unwrap_or_else(|| s.source_id.clone());
        let dates = match (&s.first_date, &s.last_date) {
            (Some(a), Some(b)) => format!("incidents starting {a} to {b}"),
            _ => "no dated incident".to_string(),
        };
        let undated = if s.undated > 0 { format!(", {} undated", s.undated) } else { String::new() };
        push(
            &mut out,
            "coverage",
            format!(
                "{name} reports {} incidents ({dates}{undated}); {} of them count in this slice. Incidents after its last date cannot appear.",
                s.incidents, s.in_slice
            ),
        );
    }
    push(&mut out, "counting", format!("{}: shares of different keys can sum to more than 100 %.", d.share_by_sponsor.method.counting));
    if d.policy.text_labels {
        push(
            &mut out,
            "labels",
            "verticals and AI assets come from structured fields, and from text extraction where those give none: text labels can be wrong".into(),
        );
    }
    out
}

fn method(d: &ReportData) -> Vec<String> {
    let s = &d.share_by_sponsor.method;
    let mut out = vec![
        format!("Slice: {}; n = {} incidents.", d.slice, d.share_by_sponsor.n),
        format!("Policy: {}.", d.policy_text),
        format!("Counting: {}.", s.counting),
        format!(
            "Intervals: {} at {}% for every share; below n = {} a result is flagged low n, below n = {} its rows are withheld.",
            s.interval,
            crate::fmt::level(s.level),
            spyglass_analysis::LOW_N,
            spyglass_analysis::WITHHOLD_N
        ),
    ];
    let t = &d.trend_all.result.method;
    out.push(format!("Trend: {}.", t.model));
    if let Some(o) = &t.overdispersion {
        out.push(format!("Overdispersion: {o}."));
    }
    out.push(format!("Change points: {}.", t.change_points));
    if let Some(p) = d.priorities.iter().find_map(|p| p.trend.as_ref()) {
        out.push(format!("Priorities: {}.", p.test));
    }
    out.push(
        "Heatmap: per vertical of the slice, the share of its incidents aimed at each AI asset (share by asset with that vertical as a filter)."
            .into(),
    );
    out.push("Actors: names resolved at query time through the knowledge base; aliases as the knowledge base records them.".into());
    out.push(format!(
        "Reproduce: `spyglass share --by sponsor{}` gives the sponsor shares above.",
        crate::fmt::flags(&d.filters, &d.policy, &d.share_by_sponsor.interval)
    ));
    out
}
