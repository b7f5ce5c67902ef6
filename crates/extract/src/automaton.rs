//! The one dictionary automaton: every alias and cue word, compiled once, scanned once per text.
//!
//! Patterns are matched ASCII case-insensitively with leftmost-longest semantics directly on the
//! text; each pattern carries one or more entries with their own case rule, checked on the match.
//! Word boundaries are part of the patterns (see [`Dictionary::build`]), so the scan is one
//! leftmost-longest pass over a length-preserving canonical copy of the text and spans carry over
//! unchanged. Known limit: the longest pattern at a position wins even when it is rejected (case
//! rule, no word boundary after it) and a shorter one there would have been accepted.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, PatternID, StartKind};
#[cfg(test)]
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input};

use crate::firstword::{FirstWords, WordState, hash_span};
use crate::swar::space_bits;
use crate::index::IndexBuilder;
use crate::text::{is_word, words_after, words_before};
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
    /// Anchored leftmost-longest DFA over the canonical patterns.
    dfa: DFA,
    start: StateID,
    /// Bytes where a pattern can start: the boundary space, and the first bytes of patterns that
    /// start with a non-ASCII byte (those have no boundary space).
    cand: [bool; 256],
    /// Fast path for texts whose canonical form is ASCII.
    first_words: FirstWords,
    #[cfg(test)]
    reference: AhoCorasick,
    /// Entries grouped by pattern id: `entries[first[id]..first[id + 1]]`.
    entries: Vec<Entry>,
    first: Vec<u32>,
    /// Per pattern: (starts with the boundary space, ends with the boundary space).
    bounds: Vec<(bool, bool)>,
}

/// Non-ASCII punctuation treated as word boundaries (each of its bytes becomes a space).
const WIDE_PUNCT: &[&str] = &["\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2013}", "\u{2014}", "\u{2026}", "\u{a0}"];

/// Writes the canonical form of `text` into `out`: ASCII bytes that are not letters or digits
/// and the bytes of [`WIDE_PUNCT`] become spaces, ASCII letters are lower-cased, everything else
/// is copied. Length-preserving, so offsets carry over unchanged. Returns whether `text` is ASCII.
fn canonicalize(text: &[u8], out: &mut Vec<u8>) -> bool {
    let base = out.len();
    out.resize(base + text.len(), 0);
    // In blocks of 32 bytes, the last one padded with spaces, so that every byte goes through the
    // vectorised loop; the bytes' union tells whether the text is ASCII.
    let mut high = 0u8;
    let mut src = text.chunks_exact(32);
    let mut dst = out[base..].chunks_exact_mut(32);
    for (s, d) in (&mut src).zip(&mut dst) {
        if let (Ok(s), Ok(d)) = (<&[u8; 32]>::try_from(s), <&mut [u8; 32]>::try_from(d)) {
            high |= canonical_block(s, d);
        }
    }
    let rest = src.remainder();
    if !rest.is_empty() {
        let (mut s, mut d) = ([b' '; 32], [0u8; 32]);
        s[..rest.len()].copy_from_slice(rest);
        high |= canonical_block(&s, &mut d);
        dst.into_remainder().copy_from_slice(&d[..rest.len()]);
    }
    if high < 0x80 {
        return true;
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
    false
}

/// The canonical form of 32 bytes (see [`canonicalize`]) and the union of the bytes.
#[inline(always)]
fn canonical_block(text: &[u8; 32], out: &mut [u8; 32]) -> u8 {
    let mut high = 0u8;
    // Branch-free per byte, so that the loop vectorises.
    for (o, &c) in out.iter_mut().zip(text) {
        high |= c;
        let lower = c | 0x20;
        let letter = lower.wrapping_sub(b'a') < 26;
        // `|`, not `||`: no branch, so that the loop vectorises
        let keep = (c.wrapping_sub(b'0') < 10) | (c >= 0x80);
        *o = if letter { lower } else if keep { c } else { b' ' };
    }
    high
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
        // Patterns and text are lower-cased in their canonical form.
        let dfa = DFA::builder()
            .ascii_case_insensitive(false)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let start = dfa.start_state(Anchored::Yes).map_err(|e| e.to_string())?;
        let mut cand = [false; 256];
        cand[usize::from(b' ')] = true;
        for (p, &(lead, _)) in patterns.iter().zip(&bounds) {
            if !lead && let Some(&b) = p.first() {
                cand[usize::from(b)] = true;
            }
        }
        #[cfg(test)]
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(false)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let lead: Vec<bool> = bounds.iter().map(|b| b.0).collect();
        let first_words = FirstWords::build(&dfa, &patterns, &lead, |id| {
            grouped[id].iter().any(|e| e.stem || e.kind.is_prefix())
        })?;
        let mut entries = Vec::new();
        let mut first = Vec::with_capacity(grouped.len() + 1);
        for g in grouped {
            first.push(entries.len() as u32);
            entries.extend(g);
        }
        first.push(entries.len() as u32);
        Ok(Dictionary {
            dfa,
            start,
            cand,
            first_words,
            #[cfg(test)]
            reference,
            entries,
            first,
            bounds,
        })
    }

    /// Number of distinct automaton patterns.
    pub(crate) fn pattern_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    /// Each distinct automaton pattern as first written in the tables or dictionaries (stems
    /// without their `*`).
    pub(crate) fn pattern_texts(&self) -> Vec<String> {
        self.first.windows(2).filter_map(|w| self.entries.get(w[0] as usize)).map(|e| e.text.to_string()).collect()
    }

    /// Appends every accepted hit in `text` to `out`, in text order.
    ///
    /// Every pattern starts at a candidate position of the canonical copy (a space before a word,
    /// or the first byte of a pattern that starts with a non-ASCII byte), so the search is an
    /// anchored walk of the automaton from each candidate in text order, keeping the longest
    /// match: the same leftmost-longest matches as an unanchored scan, but words that start no
    /// pattern cost one or two transitions and the bytes between candidates are skipped.
    ///
    /// When `index` is given and the text's canonical form is ASCII, the token index is built
    /// from the words of the scan (see [`IndexBuilder`]) and the result is true; otherwise the
    /// builder is left as it was.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>, index: Option<&mut IndexBuilder<'_>>) -> bool {
        CANON.with(|cell| {
            let mut buf = cell.take();
            buf.clear();
            out.reserve(text.len() / 24);
            buf.reserve(text.len() + 2 + 128);
            buf.push(b' ');
            let text_ascii = canonicalize(text.as_bytes(), &mut buf);
            buf.push(b' ');
            let n = buf.len();
            // Zero padding to whole 64-byte blocks and one more: eight-byte loads past the end
            // stay in bounds, and no pattern has a zero byte, so the automaton dies there.
            buf.resize(n.div_ceil(64) * 64 + 64, 0);
            // the fast path keeps word offsets in u32 (an ASCII text has an ASCII canonical form;
            // so may a text whose only non-ASCII bytes are wide punctuation)
            let ascii = (text_ascii || buf[..n].is_ascii()) && u32::try_from(n).is_ok();
            if ascii {
                match index {
                    Some(ix) => self.scan_ascii::<true>(text, &buf, n, out, ix),
                    None => self.scan_ascii::<false>(text, &buf, n, out, &mut IndexBuilder::inert(text)),
                }
            } else {
                self.scan_canonical(text, &buf[..n], out);
            }
            cell.set(buf);
            ascii
        })
    }

    /// The longest pattern matching at `c` by an anchored walk of the automaton, resumed from
    /// state `sid` at `at` with `last` found so far.
    #[inline(always)]
    fn walk(&self, buf: &[u8], c: usize, mut sid: StateID, mut at: usize, mut last: Option<(PatternID, usize)>) -> Option<(PatternID, usize)> {
        let dfa = &self.dfa;
        let n = buf.len();
        while at < n {
            sid = dfa.next_state(Anchored::Yes, sid, buf[at]);
            at += 1;
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                // A state also carries the patterns that are suffixes of its path (for
                // unanchored searches): only a pattern as long as the walk starts at `c`.
                if dfa.is_match(sid)
                    && let Some(pid) = (0..dfa.match_len(sid)).map(|i| dfa.match_pattern(sid, i)).find(|&pid| dfa.pattern_len(pid) == at - c)
                {
                    last = Some((pid, at));
                }
            }
        }
        last
    }

    /// Accepts or rejects the longest match `[c, m_end)` of pattern `pid`, pushing its hits;
    /// returns where the search goes on.
    #[inline]
    fn take_match(&self, text: &str, buf: &[u8], c: usize, (pid, m_end): (PatternID, usize), skip_to: &mut usize, out: &mut Vec<Hit>) -> usize {
        let id = pid.as_usize();
        let (lead, trail) = self.bounds[id];
        let len = text.len();
        // buf[j] is text[j - 1]; the boundary spaces are not part of the hit.
        let s = c + usize::from(lead) - 1;
        let e = (m_end - 1 - usize::from(trail)).min(len);
        let mut accepted = false;
        if s >= *skip_to && s < e && text.is_char_boundary(s) && text.is_char_boundary(e) {
            let b = text.as_bytes();
            let right_ok = e == len || !is_word(b[e - 1]) || !is_word(b[e]);
            let (lo, hi) = (self.first[id] as usize, self.first[id + 1] as usize);
            for entry in &self.entries[lo..hi] {
                if let Some(end) = accept(entry, text, s, e, right_ok) {
                    out.push(Hit { start: s, end, kind: entry.kind });
                    *skip_to = (*skip_to).max(end);
                    accepted = true;
                }
            }
        }
        // A rejected multi-word match must not hide a pattern starting at its last word
        // ("not a" rejected in "not APT1"): search again from that word's boundary space.
        if accepted {
            return m_end;
        }
        match buf[c + 1..m_end].iter().rposition(|&b| b == b' ') {
            Some(i) => c + 1 + i,
            None => m_end,
        }
    }

    /// The fast path (see [`crate::firstword`]): `buf[..n]` is ASCII, padded after `n`. One
    /// pass over the words, found from a bitmap of the spaces: each word is hashed and probed
    /// once in the table, fed to the token index (with `INDEX`), and searched from when it can
    /// start a match.
    fn scan_ascii<const INDEX: bool>(&self, text: &str, buf: &[u8], n: usize, out: &mut Vec<Hit>, index: &mut IndexBuilder<'_>) {
        let table = &self.first_words;
        let mut spaces = SPACES.with(std::cell::Cell::take);
        space_map(buf, n, &mut spaces);
        let mut skip_to = 0;
        let mut p = 0; // matches start at or after p
        let mut prev_top = 1u64; // buf[-1] counts as a space
        for (k, &sp) in spaces.iter().enumerate() {
            // word starts: buf[q] not a space, buf[q - 1] a space (buf[j] is text[j - 1])
            let mut starts = !sp & ((sp << 1) | prev_top);
            prev_top = sp >> 63;
            while starts != 0 {
                let q = k * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                if q >= n {
                    break;
                }
                // the word ends at the next space: in this block, or the first one after it
                let rest = sp & (u64::MAX << (q % 64));
                let we = if rest != 0 { k * 64 + rest.trailing_zeros() as usize } else { next_space(&spaces, q) };
                let (hash, key) = hash_span(buf, q, we);
                let entry = table.get(hash, key, buf, q, we).and_then(|k| table.entry(k));
                if INDEX {
                    index.word(q - 1, we - 1, entry.map(|e| e.masks), key);
                }
                let c = q - 1;
                if c < p {
                    continue;
                }
                let found = match entry.and_then(|e| e.state) {
                    Some(WordState { state, goes_on, last }) => {
                        let last = last.map(|(pid, l)| (pid, c + l as usize));
                        if goes_on { self.walk(&buf[..n], c, state, we, last) } else { last }
                    }
                    // the first two bytes of the word from its key (a one-byte word has a zero
                    // for the space after it: no special has either as its second byte)
                    None if table.maybe_special(key as u8, (key >> 8) as u8) => self.walk(&buf[..n], c, self.start, c, None),
                    None => None,
                };
                if let Some(m) = found {
                    // a rejected match restarts at a space inside it
                    p = self.take_match(text, &buf[..n], c, m, &mut skip_to, out);
                }
            }
        }
        SPACES.with(|cell| cell.set(spaces));
    }

    /// The general path: candidates are spaces and the first bytes of non-ASCII patterns.
    fn scan_canonical(&self, text: &str, buf: &[u8], out: &mut Vec<Hit>) {
        let n = buf.len();
        let mut skip_to = 0;
        let mut p = 0;
        while p + 1 < n {
            let Some(i) = buf[p..n - 1].iter().position(|&b| self.cand[usize::from(b)]) else { break };
            let c = p + i;
            p = match self.walk(buf, c, self.start, c, None) {
                Some(m) => self.take_match(text, buf, c, m, &mut skip_to, out),
                None => c + 1,
            };
        }
    }

    /// The same hits with an unanchored leftmost-longest search of the whole canonical text:
    /// the reference [`Self::scan`] is tested against.
    #[cfg(test)]
    pub(crate) fn scan_reference(&self, text: &str, out: &mut Vec<Hit>) {
        let mut buf = Vec::with_capacity(text.len() + 2);
        buf.push(b' ');
        canonicalize(text.as_bytes(), &mut buf);
        buf.push(b' ');
        let len = text.len();
        let mut skip_to = 0;
        let mut pos = 0;
        'search: loop {
            for m in self.reference.find_iter(Input::new(&buf).span(pos..buf.len())) {
                let id = m.pattern().as_usize();
                let (lead, trail) = self.bounds[id];
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

/// Bit `i % 64` of `out[i / 64]` is set when `buf[i]` is a space, for the blocks that cover
/// `buf[..n]` (`buf` is padded to whole blocks with zeros, which are not spaces).
fn space_map(buf: &[u8], n: usize, out: &mut Vec<u64>) {
    out.clear();
    for block in buf[..n.div_ceil(64) * 64].chunks_exact(64) {
        let mut m = 0u64;
        for (j, c8) in block.chunks_exact(8).enumerate() {
            let mut x = [0u8; 8];
            x.copy_from_slice(c8);
            // one bit per byte, gathered into the top byte by a multiplication
            let bits = space_bits(u64::from_le_bytes(x)) >> 7;
            m |= (bits.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * j);
        }
        out.push(m);
    }
}

/// The first space at or after `q` (there is one: the text ends with a space).
#[inline(always)]
fn next_space(spaces: &[u64], q: usize) -> usize {
    let mut k = q / 64;
    let mut m = spaces[k] & (u64::MAX << (q % 64));
    while m == 0 {
        k += 1;
        m = spaces[k];
    }
    k * 64 + m.trailing_zeros() as usize
}

thread_local! {
    /// The canonical copy of the text being scanned, reused between texts.
    static CANON: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    /// The space bitmap of the text being scanned (fast path).
    static SPACES: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The end of the hit if `entry` accepts the match `[s, e)`.
#[inline(always)]
fn accept(entry: &Entry, text: &str, s: usize, e: usize, right_ok: bool) -> Option<usize> {
    // the rare cases out of line, so that the common ones stay short
    if entry.kind.is_prefix() {
        return accept_prefix(entry.kind, text, s);
    }
    if !right_ok && !entry.stem {
        return None;
    }
    match entry.case {
        Case::Any => Some(e),
        Case::Exact => (text.as_bytes()[s..e] == *entry.text.as_bytes()).then_some(e),
        Case::ExactWithContext => accept_with_context(entry, text, s, e),
    }
}

/// [`accept`] for the prefix kinds: the id or URL parsed from the match start.
#[inline(never)]
fn accept_prefix(kind: Kind, text: &str, s: usize) -> Option<usize> {
    match kind {
        Kind::Cve => ids::parse_cve(text, s),
        Kind::Attack => {
            if text.as_bytes()[s] == b'T' {
                ids::parse_attack(text, s)
            } else {
                None
            }
        }
        Kind::Atlas => ids::parse_atlas(text, s),
        Kind::Url => ioc::parse_url(text, s),
        _ => None,
    }
}

/// [`accept`] for [`Case::ExactWithContext`]: exact case and an actor noun right before or after.
#[inline(never)]
fn accept_with_context(entry: &Entry, text: &str, s: usize, e: usize) -> Option<usize> {
    if text.as_bytes()[s..e] != *entry.text.as_bytes() {
        return None;
    }
    let lo = s.saturating_sub(64);
    let hi = (e + 64).min(text.len());
    let near = |toks: crate::text::Toks<1>| toks.first().is_some_and(|t| !t.after_punct && t.is(crate::lexicon::w::ACTOR_CONTEXT));
    (near(words_after::<1>(text, e, hi, 1)) || near(words_before::<1>(text, lo, s, 1))).then_some(e)
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
        d.scan(text, &mut hits, None);
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

    /// The anchored walks find exactly the hits of an unanchored leftmost-longest search.
    #[test]
    fn anchored_scan_equals_unanchored_reference() {
        let mut items: Vec<(String, Kind, Case)> = [
            ("APT1", Case::Exact), ("APT10", Case::Exact), ("not a", Case::Any), ("a b c", Case::Any), ("b", Case::Any),
            ("Lazarus", Case::Any), ("rus", Case::Any), ("\u{72fc}\u{6bd2}\u{8349}", Case::Any), ("zinc", Case::Exact),
            ("UPS", Case::ExactWithContext), ("state-sponsored", Case::Any), ("state", Case::Any), ("b c d e", Case::Any),
            ("army", Case::Any), ("cyber army of x", Case::Any), ("U.S.", Case::Exact), ("mimicking", Case::Any),
        ]
        .iter()
        .enumerate()
        .map(|(i, (p, c))| (p.to_string(), Kind::Actor(i as u32), *c))
        .collect();
        items.extend([
            ("mimic*", Kind::Negation), ("imitat*", Kind::Negation), ("http", Kind::Url), ("hxxp", Kind::Url), ("T1", Kind::Attack),
            ("CVE-", Kind::Cve), ("AML.T", Kind::Atlas), ("a*", Kind::Negation),
        ].map(|(p, k)| (p.to_string(), k, Case::Any)));
        let d = Dictionary::build(items).unwrap();
        let alphabet = ["APT1", "APT10", "not", "a", "b", "c", "d", "e", " ", " ", "-", ",", "Lazarus", "Belarus", "rus",
            "\u{72fc}\u{6bd2}", "\u{8349}", "x", "zinc", "Zinc", "UPS", "team", "state", "sponsored", "\u{2019}", "\u{e9}", "0", "cyber", "army", "of", "U.S.", "u.s", "mimicking", "mimic", "imitation",
            "https://x.com/a", "http", "hxxp[:]//b", "T1566", "t1566.001", "T1", "CVE-2021-44228", "cve-2021-1", "AML.T0024", "aml", ".", "abc",
            "\n", "ab", "ba"];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..next() % 16 {
                t.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            d.scan(&t, &mut a, None);
            d.scan_reference(&t, &mut b);
            assert_eq!(a, b, "{t:?}");
        }
    }

    /// The blocked canonical copy equals a byte-by-byte one, and it tells ASCII texts apart.
    #[test]
    fn canonical_copy_in_blocks_equals_bytewise() {
        let mut seed = 0x51_7cc1_b727_220a_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: [&[u8]; 8] = [b"Az", b" ", b"-", b"09", "\u{2019}".as_bytes(), "\u{e9}".as_bytes(), "\u{a0}".as_bytes(), b"@[.]"];
        for round in 0..20_000 {
            let mut t = Vec::new();
            for _ in 0..next() % 40 {
                match next() % 3 {
                    0 => t.extend_from_slice(pieces[(next() % 8) as usize]),
                    _ => t.push((next() % 0x80) as u8),
                }
            }
            let mut expect: Vec<u8> = t
                .iter()
                .map(|&c| if c.is_ascii_alphabetic() { c.to_ascii_lowercase() } else if c.is_ascii_digit() || c >= 0x80 { c } else { b' ' })
                .collect();
            for p in WIDE_PUNCT {
                let p = p.as_bytes();
                let mut i = 0;
                while i + p.len() <= t.len() {
                    if t[i..].starts_with(p) {
                        expect[i..i + p.len()].fill(b' ');
                        i += p.len();
                    } else {
                        i += 1;
                    }
                }
            }
            let mut out = vec![b'x'];
            let ascii = canonicalize(&t, &mut out);
            assert_eq!(ascii, t.is_ascii(), "round {round}");
            assert_eq!(out[0], b'x');
            assert_eq!(out[1..], expect[..], "round {round}: {t:?}");
        }
    }

    #[test]
    fn rejected_match_does_not_hide_next_word() {
        let d = dict(&[("Lazarus", Case::Any), ("rus", Case::Any)]);
        assert_eq!(found(&d, "Belarus Lazarus"), ["Lazarus"]);
    }
}
