//! The token index of a text: every token with its lexicon masks and the clause punctuation
//! before it, made once per text (from the bytes, or during the dictionary scan with
//! [`IndexBuilder`]); the rules' windows are cut from it.

use crate::lexicon::W;
use crate::swar::{first_byte, load, nonzero_bits, zero_bits};
use crate::text::{CURLY, Tok, Toks, WINDOW, is_tok, is_word, trim_tok, words_after, words_before};

/// All tokens of a text with their lexicon masks, made once; windows are cut from it. Texts
/// longer than `u32::MAX` bytes are not indexed; their windows are scanned from the text instead.
#[derive(Debug, Default)]
pub(crate) struct TokIndex {
    entries: Vec<Entry>,
    enabled: bool,
    /// The word masks of all tokens, or-ed: presence bits that let rules skip a window.
    any_word: u64,
}

/// One token: its raw run and trimmed span (u32 offsets), its masks, and whether clause
/// punctuation separates it from the previous token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    rs: u32,
    re: u32,
    ts: u32,
    te: u32,
    word: u64,
    pre: u64,
    gap_punct: bool,
}

thread_local! {
    /// The token-byte map of the text being indexed, reused between texts.
    static TOK_MAP: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Writes one byte per text byte into `map`: non-zero for token bytes, zero for the others, then
/// a zero and non-zero padding (so that eight-byte loads find both run ends and the text end).
fn tok_map(b: &[u8], map: &mut Vec<u8>) {
    map.clear();
    map.resize(b.len(), 0);
    // branch-free per byte, so that the loop vectorises
    for (m, &c) in map.iter_mut().zip(b) {
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let digit = c.wrapping_sub(b'0') < 10;
        *m = u8::from(letter | digit | (c == b'-') | (c == b'\''));
    }
    map.push(0);
    map.extend([1; 16]);
}

/// Clause punctuation between tokens (`,;:()`), as a table.
static CLAUSE_PUNCT: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b';' as usize] = true;
    t[b':' as usize] = true;
    t[b'(' as usize] = true;
    t[b')' as usize] = true;
    t
};

/// Bytes next to a word that make it part of a longer run of token bytes: bit 0 before the word
/// (`-`, `'`, the last byte of a curly apostrophe), bit 1 after it (`-`, `'`, the first byte of
/// a curly quote).
static RUN_NEXT: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'-' as usize] = 3;
    t[b'\'' as usize] = 3;
    t[0x99] = 1;
    t[0xE2] = 2;
    t
};

/// Whether `b` holds clause punctuation.
#[inline]
fn has_clause_punct(b: &[u8]) -> bool {
    b.iter().any(|&c| CLAUSE_PUNCT[usize::from(c)])
}

impl TokIndex {
    pub(crate) fn new(text: &str) -> Self {
        let b = text.as_bytes();
        if u32::try_from(b.len()).is_err() {
            return TokIndex::default();
        }
        let mut entries = Vec::with_capacity(b.len() / 4 + 4);
        let mut prev_end = 0;
        let mut any_word = 0;
        let lex = crate::lexicon::get();
        let mut map = TOK_MAP.with(std::cell::Cell::take);
        tok_map(b, &mut map);
        {
            let n = b.len();
            let mut i = 0;
            loop {
                // first token byte at or after i (the padding stops the search at n + 1)
                loop {
                    let nz = nonzero_bits(load(&map, i));
                    if nz != 0 {
                        i += first_byte(nz);
                        break;
                    }
                    i += 8;
                }
                if i >= n {
                    break;
                }
                let s = i;
                // first byte after the run (the zero at n stops it)
                loop {
                    let z = zero_bits(load(&map, i));
                    if z != 0 {
                        i += first_byte(z);
                        break;
                    }
                    i += 8;
                }
                // "Iran’s": a curly-apostrophe possessive belongs to the run
                if b.get(i) == Some(&0xE2) && i + 4 <= n && b[i..i + 3] == *CURLY && b[i + 3] == b's' && (i + 4 == n || !is_tok(b[i + 4])) {
                    i += 4;
                }
                let e = i;
                // the common case: a plain word, nothing to trim
                let (ts, te) = if is_word(b[s]) && is_word(b[e - 1]) && !(b[e - 1] == b's' && e - s > 2) { (s, e) } else { trim_tok(b, s, e) };
                if ts < te {
                    let (word, pre) = lex.walk(&b[ts..te]);
                    any_word |= word;
                    let gap_punct = has_clause_punct(&b[prev_end.min(s)..s]);
                    prev_end = e;
                    // offsets fit: the text is shorter than u32::MAX
                    entries.push(Entry { rs: s as u32, re: e as u32, ts: ts as u32, te: te as u32, word, pre, gap_punct });
                }
            }
        }
        TOK_MAP.with(|cell| cell.set(map));
        TokIndex { entries, enabled: true, any_word }
    }

    /// The entries as tuples (tests compare indexes built two ways).
    #[cfg(test)]
    pub(crate) fn dump(&self) -> Vec<(u32, u32, u32, u32, u64, u64, bool)> {
        self.entries.iter().map(|e| (e.rs, e.re, e.ts, e.te, e.word, e.pre, e.gap_punct)).collect()
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry buffer, for reuse.
    pub(crate) fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// Whether some token of the text is in word list `l` (always true without an index).
    /// Tokens made from part of a run (a window cut inside "China-nexus") are not counted.
    #[inline(always)]
    pub(crate) fn any_word(&self, l: W) -> bool {
        !self.enabled || self.any_word & l.bit() != 0
    }

    #[inline(always)]
    fn raw(&self, k: usize) -> (usize, usize) {
        (self.entries[k].rs as usize, self.entries[k].re as usize)
    }
    /// As [`words_before`], from the index (a token cut by `pos` is re-made from the text).
    pub(crate) fn before<const N: usize>(&self, text: &str, lo: usize, pos: usize) -> Toks<N> {
        self.before_where(text, lo, pos, N, |_| true)
    }

    /// As [`Self::before`] looking at up to `n_raw` tokens, leaving out those in word list
    /// `skip` and keeping at most `N` — the same result as filtering the window.
    pub(crate) fn before_skipping<const N: usize>(&self, text: &str, lo: usize, pos: usize, n_raw: usize, skip: W) -> Toks<N> {
        self.before_where(text, lo, pos, n_raw, |t| !t.is(skip))
    }

    fn before_where<const N: usize>(&self, text: &str, lo: usize, pos: usize, n_raw: usize, keep: impl Fn(&Tok) -> bool) -> Toks<N> {
        if !self.enabled {
            return words_before::<WINDOW>(text, lo, pos, n_raw).iter().copied().filter(|t| keep(t)).take(N).collect();
        }
        let mut out = Toks::new();
        let (n_raw, n_keep) = (n_raw.min(WINDOW), N.min(WINDOW));
        let mut seen = 0;
        let mut k = self.entries.partition_point(|e| (e.rs as usize) < pos);
        let mut limit = pos;
        if k > 0 && self.raw(k - 1).1 > pos {
            // `pos` cuts the run ("pro-|Russian"): the part before `pos` is a token of its own.
            let part = words_before::<1>(text, lo.max(self.raw(k - 1).0), pos, 1);
            if let Some(t) = part.first() {
                seen += 1;
                if keep(t) {
                    out.push(*t);
                }
            }
            limit = self.raw(k - 1).0;
            k -= 1;
        }
        // the token after the one being read: its precomputed gap ends at that token
        let mut next = self.entries.get(k);
        for e in self.entries[..k].iter().rev() {
            if seen >= n_raw || out.len() >= n_keep {
                break;
            }
            let (rs, re) = (e.rs as usize, e.re as usize);
            if rs < lo {
                if re > lo {
                    // the run straddles `lo`: only its part from `lo` counts, as when scanning
                    if let Some(t) = words_before::<1>(text, lo, limit, 1).first()
                        && keep(t)
                    {
                        out.push(*t);
                    }
                }
                break;
            }
            // the gap up to the next token is precomputed; the first one ends at `pos`
            let punct = match next {
                Some(nx) if limit == nx.rs as usize => nx.gap_punct,
                _ => has_clause_punct(&text.as_bytes()[re.min(limit)..limit]),
            };
            let t = Tok { start: e.ts as usize, end: e.te as usize, after_punct: punct, word: e.word, pre: e.pre };
            seen += 1;
            if keep(&t) {
                out.push(t);
            }
            limit = rs;
            next = Some(e);
        }
        out
    }

    /// As [`words_after`], from the index.
    pub(crate) fn after<const N: usize>(&self, text: &str, pos: usize, hi: usize) -> Toks<N> {
        if !self.enabled {
            return words_after(text, pos, hi, N);
        }
        let mut out = Toks::new();
        let n = N.min(WINDOW);
        let hi = hi.min(text.len());
        let mut k = self.entries.partition_point(|e| (e.re as usize) <= pos);
        let mut from = pos;
        if k < self.entries.len() && self.raw(k).0 < pos {
            // `pos` cuts the run ("China|-nexus"): the part after `pos` is a token of its own.
            let part = words_after::<1>(text, pos, hi.min(self.raw(k).1), 1);
            if let Some(t) = part.first() {
                out.push(*t);
            }
            from = self.raw(k).1;
            k += 1;
        }
        // the raw end of the token before the one being read
        let mut prev_end = k.checked_sub(1).map(|j| self.entries[j].re as usize);
        for e in &self.entries[k..] {
            if out.len() >= n {
                break;
            }
            let (rs, re) = (e.rs as usize, e.re as usize);
            if re > hi {
                break;
            }
            let punct = if prev_end == Some(from) { e.gap_punct } else { has_clause_punct(&text.as_bytes()[from..rs.max(from)]) };
            out.push(Tok { start: e.ts as usize, end: e.te as usize, after_punct: punct, word: e.word, pre: e.pre });
            from = re;
            prev_end = Some(re);
        }
        out
    }
}

/// Builds the token index word by word while the dictionary scan walks an ASCII canonical text
/// (see [`crate::firstword`]): a word with no hyphen, apostrophe or curly quote next to it is a
/// token by itself and takes the masks of the scan's table probe; any other word starts the run
/// of token bytes around it, made and trimmed exactly as [`TokIndex::new`] does. The result
/// equals `TokIndex::new(text)` (tested).
#[derive(Debug)]
pub(crate) struct IndexBuilder<'a> {
    b: &'a [u8],
    entries: Vec<Entry>,
    any_word: u64,
    /// Raw end of the last token.
    prev_end: usize,
    /// End of the last run made on the slow path: words before it belong to it.
    covered: usize,
    lex: &'static crate::lexicon::Lexicon,
    stems: &'static crate::lexicon::Stems,
}

impl<'a> IndexBuilder<'a> {
    pub(crate) fn new(text: &'a str, mut entries: Vec<Entry>) -> Self {
        entries.clear();
        entries.reserve(text.len() / 5 + 4);
        IndexBuilder {
            b: text.as_bytes(),
            entries,
            any_word: 0,
            prev_end: 0,
            covered: 0,
            lex: crate::lexicon::get(),
            stems: crate::lexicon::stems(),
        }
    }

    /// A builder that is never fed (for a scan without an index): no buffer.
    pub(crate) fn inert(text: &'a str) -> Self {
        IndexBuilder {
            b: text.as_bytes(),
            entries: Vec::new(),
            any_word: 0,
            prev_end: 0,
            covered: 0,
            lex: crate::lexicon::get(),
            stems: crate::lexicon::stems(),
        }
    }

    /// The next word `[ws, we)` of the text (ASCII letter/digit runs, fed in text order), with
    /// its masks when the table knows it and its first eight bytes as in the canonical text
    /// (lower case, zero-padded). A word with no hyphen, apostrophe or curly quote next
    /// to it is a token (a plain word the table does not know is in no word list, as every
    /// one-word entry is in the table; only stems can be prefixes of it); any other starts a run.
    // out of line: inlined into the scan's word loop it costs more in register spills than the call
    #[inline(never)]
    pub(crate) fn word(&mut self, ws: usize, we: usize, masks: Option<(u64, u64)>, key: u64) {
        if ws < self.covered {
            return;
        }
        let b = self.b;
        let before = if ws > 0 { b[ws - 1] } else { b' ' };
        let after = b.get(we).copied().unwrap_or(b' ');
        if (RUN_NEXT[usize::from(before)] & 1) | (RUN_NEXT[usize::from(after)] & 2) != 0 {
            self.run(ws, we);
            return;
        }
        let (word, pre) = match masks {
            Some(m) => m,
            // `key`: the word's first eight bytes in the canonical text
            None if self.stems.may_prefix(key) => (0, self.stems.walk(&b[ws..we])),
            None => (0, 0),
        };
        self.any_word |= word;
        let prev_end = self.prev_end;
        // the common gap: one space
        let gap_punct = if prev_end + 1 == ws { CLAUSE_PUNCT[usize::from(before)] } else { has_clause_punct(&b[prev_end.min(ws)..ws]) };
        self.prev_end = we;
        // offsets fit: the caller indexes only texts below u32::MAX
        self.entries.push(Entry { rs: ws as u32, re: we as u32, ts: ws as u32, te: we as u32, word, pre, gap_punct });
    }

    #[inline(always)]
    fn push(&mut self, rs: usize, re: usize, ts: usize, te: usize, word: u64, pre: u64) {
        self.any_word |= word;
        let gap_punct = has_clause_punct(&self.b[self.prev_end.min(rs)..rs]);
        self.prev_end = re;
        // offsets fit: the caller indexes only texts below u32::MAX
        self.entries.push(Entry { rs: rs as u32, re: re as u32, ts: ts as u32, te: te as u32, word, pre, gap_punct });
    }

    /// The run of token bytes that holds the word `[ws, we)`, as [`TokIndex::new`] makes it.
    #[inline(never)]
    fn run(&mut self, ws: usize, we: usize) {
        let b = self.b;
        let n = b.len();
        let possessive_after = |i: usize| i + 4 <= n && b[i..i + 3] == *CURLY && b[i + 3] == b's' && (i + 4 == n || !is_tok(b[i + 4]));
        let (rs, mut re);
        if we == ws + 1 && ws >= 4 && ws - 4 >= self.covered && is_tok(b[ws - 4]) && possessive_after(ws - 3) {
            // "--’s": the "s" of a possessive after a run of hyphens/apostrophes ends that run
            // (a run not made yet: one that ended at the curly quote took its possessive already)
            re = ws + 1;
            let mut s = ws - 3;
            while s > 0 && is_tok(b[s - 1]) {
                s -= 1;
            }
            rs = s;
        } else {
            let mut s = ws;
            while s > 0 && is_tok(b[s - 1]) {
                s -= 1;
            }
            rs = s;
            re = we;
            while re < n && is_tok(b[re]) {
                re += 1;
            }
            if possessive_after(re) {
                re += 4;
            }
        }
        self.covered = re;
        let (ts, te) = trim_tok(b, rs, re);
        if ts < te {
            let (word, pre) = self.lex.walk(&b[ts..te]);
            self.push(rs, re, ts, te, word, pre);
        }
    }

    pub(crate) fn finish(self) -> TokIndex {
        TokIndex { entries: self.entries, enabled: true, any_word: self.any_word }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    /// The index gives the same windows as scanning the text.
    #[test]
    fn index_windows_match_scanning() {
        let texts = [
            "The pro-Russian hackers, linked to China-nexus groups (APT41), hit Iran\u{2019}s banks; China's 'state' hackers.",
            "a -- b -c- d's e\u{2019}s ,,, f",
            "",
            "  x",
            "Beijing-backed",
        ];
        // plus pseudo-random strings over an alphabet of the bytes that matter (curly possessives
        // next to straight quotes tokenize differently forwards and backwards: fixed texts only)
        let alphabet = ["a", "B", "s", "'s", "-", " ", ",", "(", ".", "é", "7"];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut generated = Vec::new();
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..next() % 14 {
                t.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            generated.push(t);
        }
        // Known difference: a cut inside a run that trims to nothing ("-'s") makes a token of its
        // part when scanning, none in the index. Cuts come from hits (word starts and ends) and
        // sentence starts (after white space).
        let inside_empty_run = |t: &str, pos: usize| {
            let b = t.as_bytes();
            let (mut s, mut e) = (pos, pos);
            while s > 0 && is_tok(b[s - 1]) {
                s -= 1;
            }
            while e < b.len() && is_tok(b[e]) {
                e += 1;
            }
            s < pos && pos < e && {
                let (ts, te) = trim_tok(b, s, e);
                ts >= te
            }
        };
        for t in texts.iter().copied().chain(generated.iter().map(String::as_str)) {
            let idx = TokIndex::new(t);
            let mut cuts: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i) && !inside_empty_run(t, i)).collect();
            cuts.push(t.len());
            for &pos in &cuts {
                for lo in [0usize, pos / 2].into_iter().filter(|&lo| !inside_empty_run(t, lo)) {
                    let a: Vec<(usize, usize, bool)> = words_before::<6>(t, lo, pos, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                    let b: Vec<(usize, usize, bool)> = idx.before::<6>(t, lo, pos).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                    assert_eq!(a, b, "before {lo}..{pos} in {t:?}");
                }
                let hi = t.len();
                let a: Vec<(usize, usize, bool)> = words_after::<6>(t, pos, hi, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                let b: Vec<(usize, usize, bool)> = idx.after::<6>(t, pos, hi).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                assert_eq!(a, b, "after {pos} in {t:?}");
            }
        }
    }

}
