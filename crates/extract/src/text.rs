//! Sentence boundaries and word windows: the local context the rules look at around a hit.

use crate::lexicon::{S, W};

/// Bytes that make up words for boundary checks (ASCII letters and digits).
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Bytes inside a context token: word bytes plus inner hyphens and apostrophes.
#[inline]
fn is_tok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'\''
}

/// Sorted sentence ends (exclusive offsets) of one text.
#[derive(Debug)]
pub(crate) struct Sentences {
    ends: Vec<usize>,
    len: usize,
}

/// Words that end with a period but do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "ltd", "co", "mr", "mrs", "ms", "dr", "st", "vs", "no", "jr", "sr", "gen", "col",
    "e.g", "i.e", "approx", "est", "dept", "gov", "univ", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
];

impl Sentences {
    /// Finds sentence ends: `.`/`?` followed by white space (not after an abbreviation or a
    /// single capital such as the `S` of `U.S.`), and line breaks.
    pub(crate) fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut ends = Vec::new();
        for i in memchr::memchr3_iter(b'.', b'\n', b'?', b) {
            if b[i] == b'\n' {
                ends.push(i + 1);
                continue;
            }
            let next_ws = i + 1 >= b.len() || b[i + 1].is_ascii_whitespace() || b[i + 1] == b'"';
            if !next_ws {
                continue;
            }
            if b[i] == b'.' && is_abbreviation(b, i) {
                continue;
            }
            ends.push(i + 1);
        }
        Sentences { ends, len: text.len() }
    }

    /// The sentence `[start, end)` containing byte `pos`.
    pub(crate) fn bounds(&self, pos: usize) -> (usize, usize) {
        let idx = self.ends.partition_point(|&e| e <= pos);
        let start = if idx == 0 { 0 } else { self.ends[idx - 1] };
        let end = self.ends.get(idx).copied().unwrap_or(self.len);
        (start, end)
    }
}

fn is_abbreviation(b: &[u8], dot: usize) -> bool {
    // Start of the word before the dot.
    let mut s = dot;
    while s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'.') {
        s -= 1;
    }
    let word = &b[s..dot];
    if word.len() == 1 && word[0].is_ascii_uppercase() {
        return true; // "U.S." / "J. Smith"
    }
    if word.len() >= 2 && word[word.len() - 2] == b'.' {
        return true; // "U.S" of "U.S."
    }
    ABBREVIATIONS.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(word))
}

/// A context token and whether clause punctuation (`,;:()`) separates it from the previous one
/// in its window, with the lexicon masks of its (trimmed) text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub after_punct: bool,
    /// Registered word lists containing the token.
    pub word: u64,
    /// Registered word lists with an entry that is a prefix of the token.
    pub pre: u64,
}

impl Tok {
    fn new(text: &str, start: usize, end: usize, after_punct: bool) -> Tok {
        let (word, pre) = crate::lexicon::masks(&text[start..end]);
        Tok { start, end, after_punct, word, pre }
    }
}

impl Tok {
    /// Whether the token is in word list `l`.
    #[inline(always)]
    pub(crate) fn is(&self, l: W) -> bool {
        self.word & l.bit() != 0
    }

    /// Whether the token starts with an entry of stem list `l`.
    #[inline(always)]
    pub(crate) fn stem(&self, l: S) -> bool {
        self.pre & l.bit() != 0
    }
}

/// As [`Tok::is`] for an optional token (false when absent).
#[inline(always)]
pub(crate) fn is_opt(t: Option<&Tok>, l: W) -> bool {
    t.is_some_and(|t| t.is(l))
}

/// As [`Tok::stem`] for an optional token.
#[inline(always)]
pub(crate) fn stem_opt(t: Option<&Tok>, l: S) -> bool {
    t.is_some_and(|t| t.stem(l))
}

/// All tokens of a text, made once; windows are cut from it. Lexicon masks are computed the
/// first time a token enters a window. Texts longer than `u32::MAX` bytes are not indexed; their
/// windows are scanned from the text instead.
#[derive(Debug, Default)]
pub(crate) struct TokIndex {
    entries: Vec<Entry>,
    enabled: bool,
}

/// One token: its raw run and trimmed span (u32 offsets), and its masks once computed.
#[derive(Debug)]
struct Entry {
    rs: u32,
    re: u32,
    ts: u32,
    te: u32,
    masks: std::cell::Cell<Option<(u64, u64)>>,
}

/// Bytes inside tokens, as a table.
static TOK_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'-' || c == b'\'';
        i += 1;
    }
    t
};

impl TokIndex {
    pub(crate) fn new(text: &str) -> Self {
        let b = text.as_bytes();
        if u32::try_from(b.len()).is_err() {
            return TokIndex::default();
        }
        let mut entries = Vec::with_capacity(b.len() / 6);
        let mut i = 0;
        while i < b.len() {
            if !TOK_BYTE[usize::from(b[i])] {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && TOK_BYTE[usize::from(b[i])] {
                i += 1;
            }
            if i + 4 <= b.len() && b[i..i + 3] == *CURLY && b[i + 3] == b's' && (i + 4 == b.len() || !is_tok(b[i + 4])) {
                i += 4;
            }
            let (ts, te) = trim_tok(b, s, i);
            if ts < te {
                // offsets fit: the text is shorter than u32::MAX
                entries.push(Entry { rs: s as u32, re: i as u32, ts: ts as u32, te: te as u32, masks: std::cell::Cell::new(None) });
            }
        }
        TokIndex { entries, enabled: true }
    }

    /// Token `k` with its masks.
    #[inline]
    fn tok(&self, text: &str, k: usize, after_punct: bool) -> Tok {
        let e = &self.entries[k];
        let (start, end) = (e.ts as usize, e.te as usize);
        let (word, pre) = match e.masks.get() {
            Some(m) => m,
            None => {
                let m = crate::lexicon::masks(&text[start..end]);
                e.masks.set(Some(m));
                m
            }
        };
        Tok { start, end, after_punct, word, pre }
    }

    #[inline]
    fn raw(&self, k: usize) -> (usize, usize) {
        (self.entries[k].rs as usize, self.entries[k].re as usize)
    }

    /// As [`words_before`], from the index (a token cut by `pos` is re-made from the text).
    pub(crate) fn before(&self, text: &str, lo: usize, pos: usize, n: usize) -> Toks {
        self.before_where(text, lo, pos, n, n, |_| true)
    }

    /// As [`Self::before`] looking at up to `n_raw` tokens, leaving out those in word list
    /// `skip` and keeping at most `n` — the same result as filtering the window.
    pub(crate) fn before_skipping(&self, text: &str, lo: usize, pos: usize, n_raw: usize, n: usize, skip: W) -> Toks {
        self.before_where(text, lo, pos, n_raw, n, |t| !t.is(skip))
    }

    fn before_where(&self, text: &str, lo: usize, pos: usize, n_raw: usize, n_keep: usize, keep: impl Fn(&Tok) -> bool) -> Toks {
        if !self.enabled {
            return words_before(text, lo, pos, n_raw).iter().copied().filter(|t| keep(t)).take(n_keep).collect();
        }
        let mut out = Toks::new();
        let (n_raw, n_keep) = (n_raw.min(WINDOW), n_keep.min(WINDOW));
        let mut seen = 0;
        let mut k = self.entries.partition_point(|e| (e.rs as usize) < pos);
        let mut limit = pos;
        if k > 0 && self.raw(k - 1).1 > pos {
            // `pos` cuts the run ("pro-|Russian"): the part before `pos` is a token of its own.
            let part = words_before(text, lo.max(self.raw(k - 1).0), pos, 1);
            if let Some(t) = part.first() {
                seen += 1;
                if keep(t) {
                    out.push(*t);
                }
            }
            limit = self.raw(k - 1).0;
            k -= 1;
        }
        while seen < n_raw && out.len < n_keep && k > 0 {
            let (rs, re) = self.raw(k - 1);
            if rs < lo {
                if re > lo {
                    // the run straddles `lo`: only its part from `lo` counts, as when scanning
                    if let Some(t) = words_before(text, lo, limit, 1).first()
                        && keep(t)
                    {
                        out.push(*t);
                    }
                }
                break;
            }
            let punct = text.as_bytes()[re.min(limit)..limit].iter().any(|c| matches!(c, b',' | b';' | b':' | b'(' | b')'));
            let t = self.tok(text, k - 1, punct);
            seen += 1;
            if keep(&t) {
                out.push(t);
            }
            limit = rs;
            k -= 1;
        }
        out
    }

    /// As [`words_after`], from the index.
    pub(crate) fn after(&self, text: &str, pos: usize, hi: usize, n: usize) -> Toks {
        if !self.enabled {
            return words_after(text, pos, hi, n);
        }
        let mut out = Toks::new();
        let n = n.min(WINDOW);
        let hi = hi.min(text.len());
        let mut k = self.entries.partition_point(|e| (e.re as usize) <= pos);
        let mut from = pos;
        if k < self.entries.len() && self.raw(k).0 < pos {
            // `pos` cuts the run ("China|-nexus"): the part after `pos` is a token of its own.
            let part = words_after(text, pos, hi.min(self.raw(k).1), 1);
            if let Some(t) = part.first() {
                out.push(*t);
            }
            from = self.raw(k).1;
            k += 1;
        }
        while out.len < n && k < self.entries.len() {
            let (rs, re) = self.raw(k);
            if re > hi {
                break;
            }
            let punct = text.as_bytes()[from..rs.max(from)].iter().any(|c| matches!(c, b',' | b';' | b':' | b'(' | b')'));
            out.push(self.tok(text, k, punct));
            from = re;
            k += 1;
        }
        out
    }
}

/// Most tokens a window holds.
const WINDOW: usize = 12;

/// A small window of tokens kept on the stack (the rules run for every hit; no allocation).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Toks {
    toks: [Tok; WINDOW],
    len: usize,
}

impl Toks {
    fn new() -> Self {
        Toks { toks: [Tok::default(); WINDOW], len: 0 }
    }
    fn push(&mut self, t: Tok) {
        if self.len < WINDOW {
            self.toks[self.len] = t;
            self.len += 1;
        }
    }
}

impl FromIterator<Tok> for Toks {
    fn from_iter<I: IntoIterator<Item = Tok>>(iter: I) -> Self {
        let mut out = Toks::new();
        for t in iter {
            out.push(t);
        }
        out
    }
}

impl std::ops::Deref for Toks {
    type Target = [Tok];
    fn deref(&self) -> &[Tok] {
        &self.toks[..self.len]
    }
}

/// Up to `n` (at most 12) tokens before `pos`, nearest first, not crossing `lo`.
pub(crate) fn words_before(text: &str, lo: usize, pos: usize, n: usize) -> Toks {
    let b = text.as_bytes();
    let n = n.min(WINDOW);
    let mut out = Toks::new();
    let mut i = pos.min(b.len());
    let mut punct = false;
    while out.len() < n && i > lo {
        while i > lo && !is_tok(b[i - 1]) {
            if matches!(b[i - 1], b',' | b';' | b':' | b'(' | b')') {
                punct = true;
            }
            i -= 1;
        }
        if i <= lo {
            break;
        }
        let e = i;
        while i > lo && is_tok(b[i - 1]) {
            i -= 1;
        }
        // "Iran’s": a curly-apostrophe possessive belongs to the word before it.
        if e - i == 1 && b[i] == b's' && i >= lo + 4 && b[i - 3..i] == *CURLY && is_tok(b[i - 4]) {
            i -= 3;
            while i > lo && is_tok(b[i - 1]) {
                i -= 1;
            }
        }
        let (ts, te) = trim_tok(b, i, e);
        if ts < te {
            out.push(Tok::new(text, ts, te, punct));
            punct = false;
        }
    }
    out
}

/// Up to `n` (at most 12) tokens from `pos` on, nearest first, not crossing `hi`.
pub(crate) fn words_after(text: &str, pos: usize, hi: usize, n: usize) -> Toks {
    let b = text.as_bytes();
    let hi = hi.min(b.len());
    let n = n.min(WINDOW);
    let mut out = Toks::new();
    let mut i = pos;
    let mut punct = false;
    while out.len() < n && i < hi {
        while i < hi && !is_tok(b[i]) {
            if matches!(b[i], b',' | b';' | b':' | b'(' | b')') {
                punct = true;
            }
            i += 1;
        }
        if i >= hi {
            break;
        }
        let s = i;
        while i < hi && is_tok(b[i]) {
            i += 1;
        }
        if i + 4 <= hi && b[i..i + 3] == *CURLY && b[i + 3] == b's' && (i + 4 == hi || !is_tok(b[i + 4])) {
            i += 4;
        }
        let (ts, te) = trim_tok(b, s, i);
        if ts < te {
            out.push(Tok::new(text, ts, te, punct));
            punct = false;
        }
    }
    out
}

/// The right single quotation mark used as an apostrophe.
const CURLY: &[u8; 3] = &[0xE2, 0x80, 0x99];

/// Whether any word of `[lo, hi)` satisfies `f`.
pub(crate) fn any_word(text: &str, lo: usize, hi: usize, mut f: impl FnMut(Tok) -> bool) -> bool {
    let b = text.as_bytes();
    let hi = hi.min(b.len());
    let mut i = lo;
    while i < hi {
        while i < hi && !is_tok(b[i]) {
            i += 1;
        }
        let s = i;
        while i < hi && is_tok(b[i]) {
            i += 1;
        }
        let (ts, te) = trim_tok(b, s, i);
        if ts < te && f(Tok::new(text, ts, te, false)) {
            return true;
        }
    }
    false
}

/// A raw token's span without a trailing possessive (`China's`, `China’s` → `China`) and without
/// leading/trailing hyphens and apostrophes.
fn trim_tok(b: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    if e - s > 2 && b[e - 1] == b's' && b[e - 2] == b'\'' {
        e -= 2;
    } else if e - s > 4 && b[e - 1] == b's' && b[e - 4..e - 1] == *CURLY {
        e -= 4;
    }
    while s < e && matches!(b[s], b'-' | b'\'') {
        s += 1;
    }
    while e > s && matches!(b[e - 1], b'-' | b'\'') {
        e -= 1;
    }
    (s, e)
}

/// The token's text (tokens are trimmed when they are made).
#[inline]
pub(crate) fn tok_str(text: &str, t: Tok) -> &str {
    &text[t.start..t.end]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn sentences_skip_abbreviations() {
        let t = "U.S. officials said so. Then Inc. left! Next";
        let s = Sentences::new(t);
        assert_eq!(s.bounds(0), (0, 23));
        assert_eq!(s.bounds(25), (23, t.len()));
    }

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
        let mut generated = Vec::new();
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..(seed % 14) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            generated.push(t);
        }
        for t in texts.iter().copied().chain(generated.iter().map(String::as_str)) {
            let idx = TokIndex::new(t);
            let mut cuts: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            cuts.push(t.len());
            for &pos in &cuts {
                for &lo in &[0usize, pos / 2] {
                    let a: Vec<(usize, usize, bool)> = words_before(t, lo, pos, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                    let b: Vec<(usize, usize, bool)> = idx.before(t, lo, pos, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                    assert_eq!(a, b, "before {lo}..{pos} in {t:?}");
                }
                let hi = t.len();
                let a: Vec<(usize, usize, bool)> = words_after(t, pos, hi, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                let b: Vec<(usize, usize, bool)> = idx.after(t, pos, hi, 6).iter().map(|x| (x.start, x.end, x.after_punct)).collect();
                assert_eq!(a, b, "after {pos} in {t:?}");
            }
        }
    }

    #[test]
    fn windows() {
        let t = "attacks by the Chinese hackers, then more";
        let before = words_before(t, 0, 15, 3);
        let w: Vec<&str> = before.iter().map(|x| tok_str(t, *x)).collect();
        assert_eq!(w, ["the", "by", "attacks"]);
        let after = words_after(t, 22, t.len(), 3);
        let w: Vec<&str> = after.iter().map(|x| tok_str(t, *x)).collect();
        assert_eq!(w, ["hackers", "then", "more"]);
        assert!(after[1].after_punct);
        let c = "of China's hackers";
        assert_eq!(tok_str(c, words_after(c, 2, c.len(), 1)[0]), "China");
        let t = "of Iran\u{2019}s state TV";
        let before = words_before(t, 0, 12, 2);
        assert_eq!(tok_str(t, before[0]), "Iran");
        let after = words_after(t, 3, t.len(), 2);
        assert_eq!(tok_str(t, after[0]), "Iran");
        assert_eq!(tok_str(t, after[1]), "state");
    }
}
