//! The one dictionary automaton: every alias and cue word, compiled once, scanned once per text.
//!
//! Patterns are matched ASCII case-insensitively with leftmost-longest semantics directly on the
//! text; each pattern carries one or more entries with their own case rule, checked on the match.
//! Word boundaries are part of the patterns (see [`Dictionary::build`]), so the scan is one
//! leftmost-longest pass over a length-preserving canonical copy of the text and spans carry over
//! unchanged. Known limit: the longest pattern at a position wins even when it is rejected (case
//! rule, no word boundary after it) and a shorter one there would have been accepted.

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
    ClauseBreak,
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
    /// Per pattern: (starts with the boundary space, ends with the boundary space).
    bounds: Vec<(bool, bool)>,
}

/// Non-ASCII punctuation treated as word boundaries (each of its bytes becomes a space).
const WIDE_PUNCT: &[&str] = &["\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2013}", "\u{2014}", "\u{2026}", "\u{a0}"];

/// Writes the canonical form of `text` into `out`: ASCII bytes that are not letters or digits
/// and the bytes of [`WIDE_PUNCT`] become spaces, everything else is copied. Length-preserving,
/// so offsets carry over unchanged.
fn canonicalize(text: &[u8], out: &mut Vec<u8>) {
    let base = out.len();
    out.extend(text.iter().map(|&c| if c < 0x80 && !is_word(c) { b' ' } else { c }));
    if text.is_ascii() {
        return;
    }
    // Non-ASCII punctuation: every such sequence starts with 0xE2 or 0xC2.
    let mut i = 0;
    while let Some(off) = memchr::memchr2(0xE2, 0xC2, &text[i..]) {
        let at = i + off;
        match WIDE_PUNCT.iter().find(|p| text[at..].starts_with(p.as_bytes())) {
            Some(p) => {
                out[base + at..base + at + p.len()].fill(b' ');
                i = at + p.len();
            }
            None => i = at + 1,
        }
    }
}

impl Dictionary {
    /// Compiles `(pattern, kind, case)` items; patterns equal up to ASCII case share one automaton
    /// pattern. A pattern ending in `*` is a stem.
    ///
    /// The left word boundary is compiled into the automaton: patterns and text are matched in a
    /// canonical form where every separator is a space, patterns get a leading space, and the
    /// text is scanned with a space before it. A match can then only start at a word start (no
    /// match inside words); the right boundary is checked on the match.
    pub(crate) fn build(items: Vec<(String, Kind, Case)>) -> Result<Self, String> {
        let mut ids: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut bounds: Vec<(bool, bool)> = Vec::new();
        let mut grouped: Vec<Vec<Entry>> = Vec::new();
        for (mut text, kind, case) in items {
            let stem = text.len() > 1 && text.ends_with('*');
            if stem {
                text.pop();
            }
            let Some(&first_byte) = text.as_bytes().first() else { continue };
            if first_byte.is_ascii() && !is_word(first_byte) {
                return Err(format!("pattern {text:?} does not start with a letter or digit"));
            }
            let lead = first_byte.is_ascii();
            // A trailing boundary space would be consumed by the match and hide a pattern starting
            // at the next word, so the right boundary is checked after the match instead.
            let trail = false;
            let mut key = Vec::with_capacity(text.len() + 2);
            if lead {
                key.push(b' ');
            }
            canonicalize(text.to_ascii_lowercase().as_bytes(), &mut key);
            if trail {
                key.push(b' ');
            }
            let id = *ids.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                bounds.push((lead, trail));
                grouped.push(Vec::new());
                patterns.len() - 1
            });
            let group = &mut grouped[id];
            if !group.iter().any(|e| e.kind == kind && e.case == case && *e.text == *text) {
                group.push(Entry { kind, case, stem, text: text.into_boxed_str() });
            }
        }
        // Every pattern starts with the boundary space, so a start-byte prefilter would stop at
        // every space of the text: it only slows the DFA down.
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        let mut first = Vec::with_capacity(grouped.len() + 1);
        for g in grouped {
            first.push(entries.len() as u32);
            entries.extend(g);
        }
        first.push(entries.len() as u32);
        Ok(Dictionary { ac, entries, first, bounds })
    }

    /// Number of distinct automaton patterns.
    pub(crate) fn pattern_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    /// Appends every accepted hit in `text` to `out`, in text order.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        out.reserve(text.len() / 24);
        let mut buf = Vec::with_capacity(text.len() + 2);
        buf.push(b' ');
        canonicalize(text.as_bytes(), &mut buf);
        buf.push(b' ');
        let len = text.len();
        let mut skip_to = 0;
        let mut pos = 0;
        'search: loop {
            for m in self.ac.find_iter(Input::new(&buf).span(pos..buf.len())) {
                let id = m.pattern().as_usize();
                let (lead, trail) = self.bounds[id];
                // buf[j] is text[j - 1]; the boundary spaces are not part of the hit.
                let s = m.start() + usize::from(lead) - 1;
                let e = (m.end() - 1 - usize::from(trail)).min(len);
                let mut accepted = false;
                if s >= skip_to && s < e && text.is_char_boundary(s) && text.is_char_boundary(e) {
                    let b = text.as_bytes();
                    let right_ok = e == len || !is_word(b[e - 1]) || !is_word(b[e]);
                    let (lo, hi) = (self.first[id] as usize, self.first[id + 1] as usize);
                    for entry in &self.entries[lo..hi] {
                        if let Some(end) = accept(entry, text, s, e, right_ok) {
                            out.push(Hit { start: s, end, kind: entry.kind });
                            skip_to = skip_to.max(end);
                            accepted = true;
                        }
                    }
                }
                // A rejected multi-word match must not hide a pattern starting at its last word
                // ("not a" rejected in "not APT1"): search again from that word's boundary space.
                if !accepted
                    && let Some(i) = buf[m.start() + 1..m.end()].iter().rposition(|&c| c == b' ')
                {
                    pos = m.start() + 1 + i;
                    continue 'search;
                }
            }
            break;
        }
    }
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
            let near = |toks: crate::text::Toks| {
                toks.first().is_some_and(|t| !t.after_punct && word_in(tok_str(text, *t), ACTOR_CONTEXT))
            };
            (near(words_after(text, e, hi, 1)) || near(words_before(text, lo, s, 1))).then_some(e)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
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
