//! Cross-source duplicate candidates: the same operation reported by two sources (EuRepoC and CFR,
//! two STIX reports…), scored from text similarity, title similarity, shared actors and sponsors and
//! the distance between dates.
//!
//! Blocking keeps this sub-quadratic: two incidents are compared only when they come from different
//! sources and share one of their most distinctive words (highest IDF) or a resolved actor, and their
//! years are at most [`MAX_YEARS`] apart (sources date an operation differently: EuRepoC by its start,
//! CFR by its disclosure).
//!
//! score = date factor × (0.45·text cosine (TF-IDF of title + description) + 0.25·title trigram
//! Jaccard + 0.20·actor + 0.10·shared sponsor), halved when both name sponsors and none is
//! shared. Date factor: 1 within a year, falling linearly to 0.5 at eight years. Acronyms count as
//! words on both sides ("MSP" in one report, "managed service providers" in the other), and title
//! similarity is the larger of character-trigram Jaccard and IDF-weighted word containment. The
//! actor term is 1 for a shared actor resolved through the knowledge base, else 0.8 × the
//! IDF-weighted containment of the raw actor names' words ("China's Tianjin State Security Bureau"
//! against "APT10/… (MSS, Tianjin State Security Bureau)"); raw-name words also block.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use spyglass_model::Policy;
use spyglass_store::Store;
use spyglass_store::sameas::{Decision, SameAs};

use crate::AnalysisError;
use crate::engine::run;

/// Pairs further apart than this many years are never compared.
pub const MAX_YEARS: i32 = 8;
/// Distinctive words per incident used for blocking.
const BLOCK_WORDS: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct Components {
    pub text: f64,
    pub title: f64,
    pub actor: f64,
    pub sponsor: f64,
    pub date_factor: f64,
    pub shared_actors: Vec<String>,
    pub shared_words: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub incident_a: String,
    pub incident_b: String,
    pub score: f64,
    pub components: Components,
}

#[derive(Debug, Default, Clone)]
struct Doc {
    id: String,
    source: String,
    title: String,
    year: Option<i32>,
    /// Last year of the operation when the source gives an end date (EuRepoC: 2014–2018).
    end_year: Option<i32>,
    words: HashMap<String, f64>,
    actors: BTreeSet<String>,
    /// Words of the raw actor names as the source wrote them ("China's Tianjin State Security
    /// Bureau"), for when the knowledge base resolves neither side to a shared actor.
    actor_words: HashSet<String>,
    sponsors: BTreeSet<String>,
}

const STOP: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "were", "was", "are", "has", "have", "had", "been", "into", "its",
    "their", "they", "which", "who", "also", "after", "against", "over", "more", "than", "other", "such", "some", "not",
    "but", "all", "one", "two", "can", "may", "while", "during", "between", "through", "about", "including", "used",
    "using", "group", "groups", "hackers", "hacker", "attack", "attacks", "attacked", "campaign", "operation",
    "targeted", "targeting", "target", "targets", "systems", "information", "data", "government", "according",
    "reported", "report", "reports", "said", "state", "sponsored", "actors", "actor", "threat", "cyber", "malware",
    "incident", "incidents", "compromise", "compromised", "access", "networks", "network", "several", "number",
    "known", "believed", "unknown", "since", "least", "would", "could", "these", "those", "them", "his", "her",
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(|w| w.to_lowercase())
        .filter(|w| !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Acronym pseudo-words: all-caps tokens of 3–5 letters as written, and the initials of every run of
/// 3–4 consecutive capitalised words ("Managed Service Providers" → `acr:msp`); with `all_runs`
/// (titles), of every run of content words.
fn acronyms(text: &str, all_runs: bool) -> Vec<String> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for w in &tokens {
        if (3..=5).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()) {
            out.push(format!("acr:{}", w.to_ascii_lowercase()));
        }
    }
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for w in &tokens {
        let lower = w.to_lowercase();
        let content = w.len() >= 3 && !STOP.contains(&lower.as_str());
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        if content && (all_runs || capital) {
            cur.push(w);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    runs.push(cur);
    for run in runs {
        for len in 3..=4 {
            for win in run.windows(len) {
                let a: String = win.iter().filter_map(|w| w.chars().next()).flat_map(char::to_lowercase).collect();
                out.push(format!("acr:{a}"));
            }
        }
    }
    out
}

fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

fn jaccard<T: std::hash::Hash + Eq>(a: &HashSet<T>, b: &HashSet<T>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f64;
    inter / ((a.len() + b.len()) as f64 - inter)
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(w, x)| large.get(w).map(|y| x * y)).sum()
}

/// Term counts of title (×2) and description, with acronym pseudo-words.
fn term_counts(title: &str, description: &str) -> HashMap<String, f64> {
    let mut tf: HashMap<String, f64> = HashMap::new();
    for w in words(title).into_iter().chain(acronyms(title, true)) {
        *tf.entry(w).or_default() += 2.0;
    }
    for w in words(description).into_iter().chain(acronyms(description, false)) {
        *tf.entry(w).or_default() += 1.0;
    }
    tf
}

/// IDF-weighted containment of the smaller title's words in the other's; an all-caps acronym on one
/// side ("MSP Theft Campaign") also matches its expansion on the other ("Managed Service Providers").
fn title_words_sim(a: &str, b: &str, idf: &dyn Fn(&str) -> f64) -> f64 {
    let caps = |t: &str| -> HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| (3..=5).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))
            .map(|w| w.to_ascii_lowercase())
            .collect()
    };
    let runs = |t: &str| -> HashSet<String> {
        acronyms(t, true).into_iter().filter_map(|x| x.strip_prefix("acr:").map(str::to_string)).collect()
    };
    let mut wa: HashSet<String> = words(a).into_iter().collect();
    let mut wb: HashSet<String> = words(b).into_iter().collect();
    // An acronym written on one side and spelled out on the other counts as a shared word.
    let (runs_a, runs_b) = (runs(a), runs(b));
    let matched: Vec<String> =
        caps(a).into_iter().filter(|c| runs_b.contains(c)).chain(caps(b).into_iter().filter(|c| runs_a.contains(c))).collect();
    for c in matched {
        wa.remove(&c);
        wb.remove(&c);
        wa.insert(format!("acr:{c}"));
        wb.insert(format!("acr:{c}"));
    }
    let weight = |s: &HashSet<String>| s.iter().map(|w| idf(w)).sum::<f64>();
    let shared: f64 = wa.intersection(&wb).map(|w| idf(w)).sum();
    let denom = weight(&wa).min(weight(&wb));
    if denom > 0.0 { (shared / denom).min(1.0) } else { 0.0 }
}

async fn strings(ctx: &datafusion::prelude::SessionContext, sql: &str) -> Result<Vec<Vec<Option<String>>>, AnalysisError> {
    let batches = run(ctx, sql).await?;
    let mut out = Vec::new();
    for b in &batches {
        let cols: Vec<arrow::array::StringArray> = (0..b.num_columns())
            .map(|i| {
                let c = arrow::compute::cast(b.column(i), &arrow::datatypes::DataType::Utf8)
                    .map_err(|e| AnalysisError::Internal(e.to_string()))?;
                c.as_any()
                    .downcast_ref::<arrow::array::StringArray>()
                    .cloned()
                    .ok_or_else(|| AnalysisError::Internal("not text".into()))
            })
            .collect::<Result<_, _>>()?;
        for r in 0..b.num_rows() {
            out.push(cols.iter().map(|c| if arrow::array::Array::is_null(c, r) { None } else { Some(c.value(r).to_string()) }).collect());
        }
    }
    Ok(out)
}

/// Scores candidate pairs across sources; returns those scoring at least `min_score`, best first.
pub async fn scan(store: &Store, min_score: f64) -> Result<Vec<Candidate>, AnalysisError> {
    // Raw incidents, ungrouped; KB sponsors fill in where the source names none.
    let policy = Policy { collapse_duplicates: false, kb_sponsors: spyglass_model::SecondarySponsors::Fill, ..Policy::default() };
    let ctx = store.session(&policy).await?;
    let rows = strings(
        &ctx,
        "SELECT incident_id, source_id, title, description, CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) FROM incidents \
         WHERE NOT array_has(coalesce(types_raw, make_array()), 'exercise')",
    )
    .await?;
    let mut docs: Vec<Doc> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let (Some(id), Some(source)) = (r[0].clone(), r[1].clone()) else { continue };
        if index.contains_key(&id) {
            continue;
        }
        let title = r[2].clone().unwrap_or_default();
        let year_of = |v: &Option<String>| v.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(|d| d.year());
        let year = year_of(&r[4]);
        let end_year = year_of(&r[5]).filter(|e| year.is_some_and(|y| *e >= y));
        let tf = term_counts(&title, r[3].as_deref().unwrap_or_default());
        index.insert(id.clone(), docs.len());
        docs.push(Doc { id, source, title, year, end_year, words: tf, ..Doc::default() });
    }
    for r in strings(&ctx, "SELECT incident_id, actor FROM incident_actors").await? {
        if let (Some(id), Some(a)) = (&r[0], &r[1]) {
            if let Some(&i) = index.get(id) {
                docs[i].actors.insert(a.clone());
            }
        }
    }
    for r in strings(&ctx, "SELECT incident_id, actor_raw FROM attributions WHERE actor_raw IS NOT NULL").await? {
        if let (Some(id), Some(a)) = (&r[0], &r[1]) {
            if let Some(&i) = index.get(id) {
                docs[i].actor_words.extend(words(a));
            }
        }
    }
    for r in strings(&ctx, "SELECT incident_id, sponsor FROM incident_sponsors").await? {
        if let (Some(id), Some(s)) = (&r[0], &r[1]) {
            if let Some(&i) = index.get(id) {
                docs[i].sponsors.insert(s.clone());
            }
        }
    }
    Ok(score_all(&mut docs, min_score))
}

fn score_all(docs: &mut [Doc], min_score: f64) -> Vec<Candidate> {
    // TF-IDF, unit-normalised.
    let n = docs.len().max(1) as f64;
    let mut df: HashMap<String, usize> = HashMap::new();
    for d in docs.iter() {
        for w in d.words.keys() {
            *df.entry(w.clone()).or_default() += 1;
        }
    }
    let idf = |w: &str| (n / *df.get(w).unwrap_or(&1) as f64).ln();
    // IDF of raw actor-name words among incidents that name an actor.
    let mut actor_df: HashMap<String, usize> = HashMap::new();
    for d in docs.iter() {
        for w in &d.actor_words {
            *actor_df.entry(w.clone()).or_default() += 1;
        }
    }
    let n_named = docs.iter().filter(|d| !d.actor_words.is_empty()).count().max(1) as f64;
    let actor_idf = |w: &str| (n_named / *actor_df.get(w).unwrap_or(&1) as f64).ln().max(0.0);
    for d in docs.iter_mut() {
        let mut norm = 0.0;
        for (w, v) in d.words.iter_mut() {
            *v = (1.0 + v.ln()) * idf(w);
            norm += *v * *v;
        }
        let norm = norm.sqrt();
        if norm > 0.0 {
            for v in d.words.values_mut() {
                *v /= norm;
            }
        }
    }
    // Blocking: distinctive words (df ≥ 2) and actors.
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        let mut ws: Vec<(&String, f64)> =
            d.words.iter().filter(|(w, _)| df.get(*w).copied().unwrap_or(0) >= 2).map(|(w, v)| (w, *v)).collect();
        ws.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        for (w, _) in ws.into_iter().take(BLOCK_WORDS) {
            blocks.entry(format!("w:{w}")).or_default().push(i);
        }
        for a in &d.actors {
            blocks.entry(format!("a:{a}")).or_default().push(i);
        }
        for w in &d.actor_words {
            blocks.entry(format!("aw:{w}")).or_default().push(i);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let cap = (docs.len() / 10).max(200);
    for members in blocks.values() {
        if members.len() > cap {
            continue; // too common to say anything
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if docs[i].source != docs[j].source {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    let titles: Vec<HashSet<[char; 3]>> = docs.iter().map(|d| trigrams(&d.title)).collect();
    let mut out = Vec::new();
    for (i, j) in pairs {
        let (a, b) = (&docs[i], &docs[j]);
        let date_factor = match (a.year, b.year) {
            (Some(x), Some(y)) => {
                // Years between the two operations' spans (0 when they overlap).
                let (xe, ye) = (a.end_year.unwrap_or(x), b.end_year.unwrap_or(y));
                let d = (x.max(y) - xe.min(ye)).max(0);
                if d > MAX_YEARS {
                    continue;
                }
                if d <= 1 { 1.0 } else { 1.0 - 0.5 * f64::from(d - 1) / f64::from(MAX_YEARS - 1) }
            }
            _ => 0.7,
        };
        let text = cosine(&a.words, &b.words);
        let title = jaccard(&titles[i], &titles[j]).max(title_words_sim(&a.title, &b.title, &idf));
        let shared_actors: Vec<String> = a.actors.intersection(&b.actors).cloned().collect();
        // A shared resolved actor counts fully; otherwise the IDF-weighted overlap of the raw names'
        // words, at most 0.8 (a name fragment is weaker evidence than a resolution).
        let actor = if shared_actors.is_empty() {
            let weight = |s: &HashSet<String>| s.iter().map(|w| actor_idf(w)).sum::<f64>();
            let shared: f64 = a.actor_words.intersection(&b.actor_words).map(|w| actor_idf(w)).sum();
            let denom = weight(&a.actor_words).min(weight(&b.actor_words));
            // Containment alone would let one common word ("APT") carry a one-word name fully;
            // the shared words must also weigh as much as two rare words.
            let strength = (shared / (2.0 * n_named.ln().max(1.0))).min(1.0);
            if denom > 0.0 { 0.8 * (shared / denom).min(1.0) * strength } else { 0.0 }
        } else {
            1.0
        };
        let sponsor_shared = !a.sponsors.is_disjoint(&b.sponsors);
        let sponsor = if sponsor_shared { 1.0 } else { 0.0 };
        let mut score = date_factor * (0.45 * text + 0.25 * title + 0.20 * actor + 0.10 * sponsor);
        if !a.sponsors.is_empty() && !b.sponsors.is_empty() && !sponsor_shared {
            score *= 0.5;
        }
        let score = score.clamp(0.0, 1.0);
        if score < min_score {
            continue;
        }
        let mut shared_words: Vec<(&String, f64)> =
            a.words.iter().filter_map(|(w, x)| b.words.get(w).map(|y| (w, x * y))).collect();
        shared_words.sort_by(|p, q| q.1.total_cmp(&p.1));
        let shared_words = shared_words.into_iter().take(8).map(|(w, _)| w.clone()).collect();
        let (ia, ib) = if a.id <= b.id { (a.id.clone(), b.id.clone()) } else { (b.id.clone(), a.id.clone()) };
        out.push(Candidate {
            incident_a: ia,
            incident_b: ib,
            score: (score * 1e4).round() / 1e4,
            components: Components { text, title, actor, sponsor, date_factor, shared_actors, shared_words },
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.incident_a.cmp(&b.incident_a)));
    out
}

impl Candidate {
    /// The stored claim of a scored candidate.
    pub fn claim(&self) -> SameAs {
        SameAs {
            incident_a: self.incident_a.clone(),
            incident_b: self.incident_b.clone(),
            score: Some(self.score),
            decision: Decision::Candidate,
            method: "score".into(),
            analyst: None,
            reason: None,
            evidence: serde_json::to_string(&self.components).ok(),
        }
    }
}

/// One row of `dedup review`: the pair's current state with both incidents' titles and dates.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub incident_a: String,
    pub incident_b: String,
    pub score: Option<f64>,
    pub decision: String,
    pub method: String,
    pub analyst: Option<String>,
    pub reason: Option<String>,
    pub title_a: Option<String>,
    pub title_b: Option<String>,
    pub date_a: Option<String>,
    pub date_b: Option<String>,
    pub evidence: Option<serde_json::Value>,
}

/// The current same-as pairs with a score ≥ `min_score` (analyst decisions always), best first;
/// with `incident`, only the pairs that include it.
pub async fn review(store: &Store, min_score: f64, limit: usize, incident: Option<&str>) -> Result<Vec<ReviewRow>, AnalysisError> {
    let only = match incident {
        Some(id) => {
            let id = id.replace('\'', "''");
            format!(" AND (s.incident_a = '{id}' OR s.incident_b = '{id}')")
        }
        None => String::new(),
    };
    let ctx = store.session(&Policy::default()).await?;
    let rows = strings(
        &ctx,
        &format!(
            "SELECT s.incident_a, s.incident_b, CAST(s.score AS VARCHAR) AS score_text, s.decision, s.method, s.analyst, s.reason, \
             a.title AS title_a, b.title AS title_b, CAST(a.start_date AS VARCHAR) AS date_a, CAST(b.start_date AS VARCHAR) AS date_b, s.evidence \
             FROM same_as s LEFT JOIN incidents a ON s.incident_a = a.incident_id \
             LEFT JOIN incidents b ON s.incident_b = b.incident_id \
             WHERE (s.method = 'analyst' OR s.score >= {min_score}){only} \
             ORDER BY s.method = 'analyst' DESC, s.score DESC, s.incident_a LIMIT {limit}"
        ),
    )
    .await?;
    let mut seen = BTreeMap::new();
    for r in rows {
        let key = (r[0].clone().unwrap_or_default(), r[1].clone().unwrap_or_default());
        seen.entry(key).or_insert(ReviewRow {
            incident_a: r[0].clone().unwrap_or_default(),
            incident_b: r[1].clone().unwrap_or_default(),
            score: r[2].as_deref().and_then(|s| s.parse().ok()),
            decision: r[3].clone().unwrap_or_default(),
            method: r[4].clone().unwrap_or_default(),
            analyst: r[5].clone(),
            reason: r[6].clone(),
            title_a: r[7].clone(),
            title_b: r[8].clone(),
            date_a: r[9].clone(),
            date_b: r[10].clone(),
            evidence: r[11].as_deref().and_then(|e| serde_json::from_str(e).ok()),
        });
    }
    let mut out: Vec<ReviewRow> = seen.into_values().collect();
    out.sort_by(|a, b| {
        (b.method == "analyst").cmp(&(a.method == "analyst")).then_with(|| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, source: &str, title: &str, text: &str, year: i32, actors: &[&str]) -> Doc {
        let words = term_counts(title, text);
        Doc {
            id: id.into(),
            source: source.into(),
            title: title.into(),
            year: Some(year),
            end_year: None,
            words,
            actors: actors.iter().map(|s| s.to_string()).collect(),
            actor_words: HashSet::new(),
            sponsors: ["CN".to_string()].into(),
        }
    }

    #[test]
    fn the_same_operation_in_two_sources_scores_high_and_different_ones_do_not() {
        let mut docs = vec![
            doc("eurepoc:1", "eurepoc", "Visma hack", "APT10 breached the Norwegian software firm Visma to reach its clients", 2018, &["APT10"]),
            doc("cfr:a", "cfr", "Targeting of Visma", "Chinese hackers breached Visma, a Norwegian software provider", 2019, &["APT10"]),
            doc("cfr:b", "cfr", "Targeting of Japanese companies", "APT10 targeted Japanese manufacturing firms", 2018, &["APT10"]),
            doc("eurepoc:2", "eurepoc", "Airbus suppliers", "hackers targeted Airbus suppliers in France", 2019, &[]),
            doc("eurepoc:3", "eurepoc", "Ministry breach", "a ministry in Norway was breached", 2018, &[]),
        ];
        let c = score_all(&mut docs, 0.0);
        let best = &c[0];
        assert_eq!((best.incident_a.as_str(), best.incident_b.as_str()), ("cfr:a", "eurepoc:1"), "{c:?}");
        let other = c.iter().find(|x| x.incident_a == "cfr:b" && x.incident_b == "eurepoc:1").map(|x| x.score).unwrap_or(0.0);
        assert!(best.score > other + 0.2, "{c:?}");
        assert!(c.iter().all(|x| x.incident_a.split(':').next() != x.incident_b.split(':').next()), "same-source pairs are never candidates");
    }

    #[test]
    fn raw_actor_names_sharing_rare_words_count_when_nothing_resolves() {
        let mut a = doc("eurepoc:578", "eurepoc", "MSP Theft Campaign aka Operation Cloud Hopper", "APT 10 hacked an MSP to steal client data", 2017, &[]);
        a.actor_words = words("APT10/Stone Panda/MenuPass Team (MSS, Tianjin State Security Bureau)").into_iter().collect();
        let mut b = doc("cfr:msp", "cfr", "Compromise of Managed Service Providers and technology companies", "eight technology service providers were compromised to steal secrets of client companies", 2018, &[]);
        b.actor_words = words("China's Tianjin State Security Bureau").into_iter().collect();
        let mut c = doc("cfr:other", "cfr", "Espionage against a ministry", "a ministry network was breached", 2018, &[]);
        c.actor_words = words("Lazarus Group").into_iter().collect();
        let mut docs = vec![a, b, c];
        let cands = score_all(&mut docs, 0.0);
        let pair = cands.iter().find(|x| x.incident_a == "cfr:msp" && x.incident_b == "eurepoc:578").expect("the pair is a candidate");
        assert!(pair.components.actor > 0.1, "{pair:?}");
        let other = cands.iter().find(|x| x.incident_a == "cfr:other").map_or(0.0, |x| x.components.actor);
        assert_eq!(other, 0.0);
    }

    #[test]
    fn acronyms_match_their_expansion() {
        let a = term_counts("MSP Theft Campaign", "hackers hit an MSP");
        let b = term_counts("Compromise of Managed Service Providers", "the managed service providers of clients");
        assert!(a.contains_key("acr:msp") && b.contains_key("acr:msp"));
    }
}
