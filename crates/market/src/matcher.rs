//! Victim name → company, with a confidence and the evidence; ambiguous names are reported, not
//! guessed.
//!
//! **Steps**, the first that finds anything decides (see [`crate::normalize`] for the keys):
//! 1. *name*: a variant of the query (full form first, then without legal form, then without
//!    designators) equals a variant of a company name (official, alias, former, subsidiary). The
//!    most specific query variant with a hit decides.
//! 2. *joined*: the same with spaces removed ("Exxon Mobil" = "ExxonMobil").
//! 3. *fuzzy*: one edit (Damerau–Levenshtein) from a name of at least two words and 8 letters
//!    ("Northtrop Grumman").
//! 4. *mention*: a company name inside a longer phrase ("networks of Hewlett Packard Enterprise"),
//!    leftmost-longest; rejected when the words next to it are capitalised (part of another proper
//!    name: "Gazprom Linde Engineering") or say the victims are users of a product ("Apple MacOS
//!    users", "VMware Horizon servers").
//!
//! **Bare common words.** A key of one word that is a common English word (see `words.rs`) or of at
//! most two letters is *weak*: a query that reaches a company only through a weak key ("Target",
//! "Visa", "Delta", "Progressive") gets no ticker — the candidates are listed with the reason —
//! unless the query carries a legal form ("Target Corp.") or the caller says the name is a company's
//! ([`MatchContext::Company`]: e.g. the source's victim category is the private sector), which
//! matches at 0.8 × the usual confidence. Weak keys are never used for mentions, nor are
//! single-word keys shorter than 4 letters.
//!
//! **Ambiguity.** When the deciding step reaches more than one company, the result has no ticker
//! and lists them all as candidates ("Hewlett-Packard" → HP Inc. and Hewlett Packard Enterprise).
//!
//! **Confidence** = kind × step: official 1.0, alias 0.95, former name 0.9, subsidiary 0.9; full
//! name 0.99, without legal form/designators 0.95, joined 0.9, mention 0.8, fuzzy 0.75.

use std::collections::HashMap;

use serde::Serialize;

use crate::company::{NameKind, Registry};
use crate::normalize::{self, Word, has_legal_suffix, variants_of, word_list};
use crate::words;

/// What the caller knows about the name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatchContext {
    /// Nothing: a bare common word is not matched.
    #[default]
    Unknown,
    /// The source says the victim is a company: a bare common word may match (at lower confidence).
    Company,
}

/// A company a name may denote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub ticker: String,
    pub company: String,
    pub company_id: String,
    pub confidence: f64,
    pub basis: String,
}

/// The answer for one name (the `companies match --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    pub query: String,
    pub ticker: Option<String>,
    pub company: Option<String>,
    pub company_id: Option<String>,
    pub confidence: Option<f64>,
    pub basis: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone)]
struct Entry {
    company: usize,
    kind: NameKind,
    name: String,
    /// The key is the name's full form (not a shortened variant).
    full: bool,
}

/// A company found inside a phrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub ticker: String,
    pub company: String,
    pub company_id: String,
    /// The words of the phrase that name it (normalised).
    pub words: String,
    /// The company name they match and its kind.
    pub name: String,
    pub kind: NameKind,
}

/// An index over a registry's names.
#[derive(Debug)]
pub struct Matcher<'a> {
    registry: &'a Registry,
    index: HashMap<String, Vec<Entry>>,
    joined: HashMap<String, Vec<Entry>>,
    fuzzy: Vec<(String, Entry)>,
    max_words: usize,
}

const STOP: &[&str] = &["and", "of", "the", "for", "in", "at", "by", "including", "with", "to", "from", "on"];
const PRODUCT_AFTER: &[&str] =
    &["users", "user", "customers", "servers", "server", "routers", "devices", "browsers", "endpoints", "products", "app", "apps", "store"];

fn kind_weight(k: NameKind) -> f64 {
    match k {
        NameKind::Official => 1.0,
        NameKind::Alias => 0.95,
        NameKind::Former | NameKind::Subsidiary => 0.9,
    }
}

fn describe(kind: NameKind, name: &str) -> String {
    match kind {
        NameKind::Official => format!("name \"{name}\""),
        k => format!("{} \"{name}\"", k.as_str()),
    }
}

/// A one-word key that is a common English word or at most two letters.
pub fn is_weak(key_words: &[String]) -> bool {
    key_words.len() == 1 && (words::is_common(&key_words[0]) || key_words[0].chars().count() <= 2)
}

impl<'a> Matcher<'a> {
    pub fn new(registry: &'a Registry) -> Self {
        let mut m = Matcher { registry, index: HashMap::new(), joined: HashMap::new(), fuzzy: Vec::new(), max_words: 1 };
        for (ci, c) in registry.companies.iter().enumerate() {
            for (name, kind) in c.all_names() {
                for (vi, v) in normalize::variants(name).into_iter().enumerate() {
                    let e = Entry { company: ci, kind, name: name.to_string(), full: vi == 0 };
                    let key = v.join(" ");
                    m.max_words = m.max_words.max(v.len());
                    if v.len() >= 2 && key.len() >= 8 {
                        m.fuzzy.push((key.clone(), e.clone()));
                    }
                    let joined = v.concat();
                    if joined.len() >= 6 && !is_weak(&v) {
                        m.joined.entry(joined).or_default().push(e.clone());
                    }
                    m.index.entry(key).or_default().push(e);
                }
            }
        }
        m
    }

    fn candidate(&self, e: &Entry, confidence: f64, basis: String) -> Candidate {
        let c = &self.registry.companies[e.company];
        Candidate { ticker: c.ticker().to_string(), company: c.name.clone(), company_id: c.id.clone(), confidence, basis }
    }

    /// Matches one name; see the module docs for the rules.
    pub fn match_name(&self, query: &str, ctx: MatchContext) -> MatchResult {
        let cased = word_list(query);
        let words: Vec<String> = cased.iter().map(|w| w.text.clone()).collect();
        let legal = has_legal_suffix(&words);
        let mut weak_rejected: Vec<Candidate> = Vec::new();
        let accept = |key_words: &[String], conf: f64, basis: String| -> Option<(f64, String)> {
            if !is_weak(key_words) || legal {
                Some((conf, basis))
            } else if ctx == MatchContext::Company {
                Some((conf * 0.8, format!("{basis}; common word, the source says it is a company")))
            } else {
                None
            }
        };
        let mut step_hits: Vec<Candidate> = Vec::new();
        // 1. name
        for v in variants_of(words.clone()) {
            if let Some(entries) = self.index.get(&v.join(" ")) {
                for e in entries {
                    let conf = kind_weight(e.kind) * if e.full { 0.99 } else { 0.95 };
                    let basis = if e.full { describe(e.kind, &e.name) } else { format!("{} without legal form/designators", describe(e.kind, &e.name)) };
                    match accept(&v, conf, basis.clone()) {
                        Some((conf, basis)) => step_hits.push(self.candidate(e, conf, basis)),
                        None => weak_rejected.push(self.candidate(e, conf, format!("{basis}: bare common word, not matched"))),
                    }
                }
                if !step_hits.is_empty() || !weak_rejected.is_empty() {
                    break;
                }
            }
        }
        // 2. joined
        if step_hits.is_empty() && weak_rejected.is_empty() {
            for v in variants_of(words.clone()).into_iter().filter(|v| v.len() >= 2) {
                if let Some(entries) = self.joined.get(&v.concat()) {
                    for e in entries {
                        step_hits.push(self.candidate(e, kind_weight(e.kind) * 0.9, format!("{} (spaces ignored)", describe(e.kind, &e.name))));
                    }
                    break;
                }
            }
        }
        // 3. fuzzy
        if step_hits.is_empty() && weak_rejected.is_empty() {
            let vs = variants_of(words.clone());
            for v in vs.iter().filter(|v| v.len() >= 2) {
                let key = v.join(" ");
                if key.len() < 8 {
                    continue;
                }
                for (k, e) in &self.fuzzy {
                    if k.len().abs_diff(key.len()) <= 1 && normalize::edit_distance(k, &key) == 1 {
                        step_hits.push(self.candidate(e, kind_weight(e.kind) * 0.75, format!("{} (one letter differs)", describe(e.kind, &e.name))));
                    }
                }
                if !step_hits.is_empty() {
                    break;
                }
            }
        }
        // 4. mention
        if step_hits.is_empty() && weak_rejected.is_empty() && cased.len() > 1 {
            for m in self.mentions_in(&cased) {
                let e = &m.1;
                step_hits.push(self.candidate(e, kind_weight(e.kind) * 0.8, format!("mention \"{}\" of {}", m.0, describe(e.kind, &e.name))));
            }
        }
        self.decide(query, step_hits, weak_rejected)
    }

    fn decide(&self, query: &str, hits: Vec<Candidate>, weak: Vec<Candidate>) -> MatchResult {
        let mut by_company: Vec<Candidate> = Vec::new();
        for h in hits {
            match by_company.iter_mut().find(|c| c.company_id == h.company_id) {
                Some(c) if c.confidence < h.confidence => *c = h,
                Some(_) => {}
                None => by_company.push(h),
            }
        }
        by_company.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.ticker.cmp(&b.ticker)));
        let none = |basis: String, candidates: Vec<Candidate>| MatchResult {
            query: query.to_string(),
            ticker: None,
            company: None,
            company_id: None,
            confidence: None,
            basis,
            candidates,
        };
        match by_company.len() {
            0 if weak.is_empty() => none("no company name found".into(), vec![]),
            0 => {
                let mut w = weak;
                w.dedup_by(|a, b| a.company_id == b.company_id);
                none("bare common word: not matched without a legal form or a company context".into(), w)
            }
            1 => {
                let c = by_company.remove(0);
                MatchResult {
                    query: query.to_string(),
                    ticker: Some(c.ticker),
                    company: Some(c.company),
                    company_id: Some(c.company_id),
                    confidence: Some(c.confidence),
                    basis: c.basis,
                    candidates: vec![],
                }
            }
            n => none(format!("ambiguous: {n} companies match"), by_company),
        }
    }

    /// Companies named inside `text`, leftmost-longest, with the rejection rules of the module docs.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.mentions_in(&word_list(text))
            .into_iter()
            .map(|(words, e)| {
                let c = &self.registry.companies[e.company];
                Mention {
                    ticker: c.ticker().to_string(),
                    company: c.name.clone(),
                    company_id: c.id.clone(),
                    words,
                    name: e.name.clone(),
                    kind: e.kind,
                }
            })
            .collect()
    }

    fn mentions_in(&self, cased: &[Word]) -> Vec<(String, Entry)> {
        let mut out = Vec::new();
        let n = cased.len();
        let mut i = 0;
        while i < n {
            let mut found = None;
            for len in (1..=self.max_words.min(n - i)).rev() {
                let span: Vec<String> = cased[i..i + len].iter().map(|w| w.text.clone()).collect();
                if len == 1 && (is_weak(&span) || span[0].chars().count() < 4) {
                    continue;
                }
                let key = span.join(" ");
                let Some(entries) = self.index.get(&key) else { continue };
                if self.mention_rejected(cased, i, i + len) {
                    continue;
                }
                found = Some((len, key, entries));
                break;
            }
            match found {
                Some((len, key, entries)) => {
                    for e in entries {
                        out.push((key.clone(), e.clone()));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// A mention next to another capitalised word, or in a product-users context, is rejected.
    fn mention_rejected(&self, cased: &[Word], start: usize, end: usize) -> bool {
        let proper = |w: &Word| w.cap && !STOP.contains(&w.text.as_str());
        let before_joined = start > 0 && !cased[start].brk && proper(&cased[start - 1]);
        let after_joined = cased.get(end).is_some_and(|w| !w.brk && proper(w));
        if before_joined || after_joined {
            return true;
        }
        let after = cased[end..].iter().take(2).any(|w| PRODUCT_AFTER.contains(&w.text.as_str()));
        let before = start >= 2
            && cased[start - 1].text == "of"
            && matches!(cased[start - 2].text.as_str(), "users" | "customers" | "subscribers");
        after || before
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
#[path = "matcher_tests.rs"]
mod tests;
