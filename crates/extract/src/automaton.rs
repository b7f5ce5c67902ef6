//! The one dictionary automaton: every alias and cue word, compiled once, scanned once per text.
//!
//! Patterns are matched ASCII case-insensitively with leftmost-longest semantics directly on the
//! original text (so spans need no mapping); each pattern carries one or more entries with their
//! own case rule, checked on the match. A match that no entry accepts (inside a word, wrong case)
//! is dropped and the search resumes at the next word start: every pattern starts at a word
//! boundary, so nothing valid can start inside the rejected word. Known limit: if the longest
//! pattern at a position is rejected, a shorter pattern at that same position is not tried.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use crate::rules::actors::ACTOR_CONTEXT;
use crate::text::{is_word, tok_str, word_in, words_after, words_before};
use crate::{ids, ioc};

/// What a dictionary pattern stands for; indices point into the rule tables or the dictionaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Actor(u32),
    Company(u32),
    Nation(u16),
    Organ(u16),
    Sponsorship(u16),
    Vertical(u16),
    Asset(u16),
    NotAsset,
    AiContext,
    Negation,
    Cve,
    Attack,
    Atlas,
    Url,
}

impl Kind {
    /// Prefix kinds are parsed further from the match start; they have no right boundary.
    fn is_prefix(self) -> bool {
        matches!(self, Kind::Cve | Kind::Attack | Kind::Atlas | Kind::Url)
    }
}

/// Case rule of one entry (ordered from loosest to strictest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Case {
    /// ASCII case-insensitive.
    Any,
    /// Exactly as written in the table.
    Exact,
    /// Exactly as written, and an actor noun right before or after.
    ExactWithContext,
}

#[derive(Debug)]
struct Entry {
    kind: Kind,
    case: Case,
    /// A stem (table pattern ending in `*`): no word boundary needed after it.
    stem: bool,
    text: Box<str>,
}

/// A dictionary hit; `end` may extend past the pattern for prefix kinds (a whole CVE id or URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The compiled automaton and the entries behind each pattern.
#[derive(Debug)]
pub(crate) struct Dictionary {
    ac: AhoCorasick,
    /// Entries grouped by pattern id: `entries[first[id]..first[id + 1]]`.
    entries: Vec<Entry>,
    first: Vec<u32>,
}

impl Dictionary {
    /// Compiles `(pattern, kind, case)` items; patterns equal up to ASCII case share one automaton
    /// pattern. A pattern ending in `*` is a stem.
    pub(crate) fn build(items: Vec<(String, Kind, Case)>) -> Result<Self, String> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut grouped: Vec<Vec<Entry>> = Vec::new();
        for (mut text, kind, case) in items {
            let stem = text.len() > 1 && text.ends_with('*');
            if stem {
                text.pop();
            }
            if text.is_empty() {
                continue;
            }
            let key = text.to_ascii_lowercase();
            let id = *ids.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                grouped.push(Vec::new());
                patterns.len() - 1
            });
            let group = &mut grouped[id];
            if !group.iter().any(|e| e.kind == kind && e.case == case && *e.text == *text) {
                group.push(Entry { kind, case, stem, text: text.into_boxed_str() });
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        let mut first = Vec::with_capacity(grouped.len() + 1);
        for g in grouped {
            first.push(entries.len() as u32);
            entries.extend(g);
        }
        first.push(entries.len() as u32);
        Ok(Dictionary { ac, entries, first })
    }

    /// Number of distinct automaton patterns.
    pub(crate) fn pattern_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    /// Appends every accepted hit in `text` to `out`, in text order.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let len = b.len();
        let mut pos = 0;
        while pos < len {
            let Some(m) = self.ac.find(Input::new(text).span(pos..len)) else { break };
            let (s, e) = (m.start(), m.end());
            let left_ok = s == 0 || !is_word(b[s]) || !is_word(b[s - 1]);
            let mut next = 0;
            if left_ok {
                let right_ok = e == len || !is_word(b[e - 1]) || !is_word(b[e]);
                let id = m.pattern().as_usize();
                let (lo, hi) = (self.first[id] as usize, self.first[id + 1] as usize);
                for entry in &self.entries[lo..hi] {
                    if let Some(end) = accept(entry, text, s, e, right_ok) {
                        out.push(Hit { start: s, end, kind: entry.kind });
                        next = next.max(end);
                    }
                }
            }
            pos = if next > 0 { next } else { next_word_start(b, s) };
        }
    }
}

/// Where to resume after a rejected match at `s`: past the word it sits in.
fn next_word_start(b: &[u8], s: usize) -> usize {
    let mut i = s + 1;
    if is_word(b[s]) {
        while i < b.len() && is_word(b[i]) {
            i += 1;
        }
    }
    i
}

/// The end of the hit if `entry` accepts the match `[s, e)`.
fn accept(entry: &Entry, text: &str, s: usize, e: usize, right_ok: bool) -> Option<usize> {
    match entry.kind {
        Kind::Cve => return ids::parse_cve(text, s),
        Kind::Attack => {
            return if text.as_bytes()[s] == b'T' { ids::parse_attack(text, s) } else { None };
        }
        Kind::Atlas => return ids::parse_atlas(text, s),
        Kind::Url => return ioc::parse_url(text, s),
        _ => {}
    }
    debug_assert!(!entry.kind.is_prefix());
    if !right_ok && !entry.stem {
        return None;
    }
    match entry.case {
        Case::Any => Some(e),
        Case::Exact => (text.as_bytes()[s..e] == *entry.text.as_bytes()).then_some(e),
        Case::ExactWithContext => {
            if text.as_bytes()[s..e] != *entry.text.as_bytes() {
                return None;
            }
            let lo = s.saturating_sub(64);
            let hi = (e + 64).min(text.len());
            let near = |toks: Vec<crate::text::Tok>| {
                toks.first().is_some_and(|t| !t.after_punct && word_in(tok_str(text, *t), ACTOR_CONTEXT))
            };
            (near(words_after(text, e, hi, 1)) || near(words_before(text, lo, s, 1))).then_some(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(items: &[(&str, Case)]) -> Dictionary {
        Dictionary::build(items.iter().enumerate().map(|(i, (p, c))| (p.to_string(), Kind::Actor(i as u32), *c)).collect())
            .unwrap()
    }

    fn found(d: &Dictionary, text: &str) -> Vec<String> {
        let mut hits = Vec::new();
        d.scan(text, &mut hits);
        hits.iter().map(|h| text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn word_bounded_and_case_rules() {
        let d = dict(&[("APT1", Case::Exact), ("APT10", Case::Exact), ("Fancy Bear", Case::Any), ("Zinc", Case::Exact)]);
        assert_eq!(found(&d, "APT10 and APT1, not xAPT1 or APT1x"), ["APT10", "APT1"]);
        assert_eq!(found(&d, "fancy bear; FANCY BEAR; Fancy Bears"), ["fancy bear", "FANCY BEAR"]);
        assert_eq!(found(&d, "zinc oxide, Zinc group"), ["Zinc"]);
    }

    #[test]
    fn context_required() {
        let d = dict(&[("UPS", Case::ExactWithContext)]);
        assert_eq!(found(&d, "a UPS parcel"), Vec::<String>::new());
        assert_eq!(found(&d, "the UPS team hacked"), ["UPS"]);
    }

    #[test]
    fn rejected_match_does_not_hide_next_word() {
        let d = dict(&[("Lazarus", Case::Any), ("rus", Case::Any)]);
        assert_eq!(found(&d, "Belarus Lazarus"), ["Lazarus"]);
    }
}
