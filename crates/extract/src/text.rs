//! Sentence boundaries and word windows: the local context the rules look at around a hit.

use crate::lexicon::{S, W};

/// Bytes that make up words for boundary checks (ASCII letters and digits).
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Bytes inside a context token: word bytes plus inner hyphens and apostrophes.
#[inline]
pub(crate) fn is_tok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'\''
}

/// Sorted sentence ends (exclusive offsets) of one text.
#[derive(Debug)]
pub(crate) struct Sentences {
    ends: Vec<usize>,
    len: usize,
    /// The last answer of [`Self::bounds`]: the rules ask for the sentence of the same hit
    /// several times.
    last: std::cell::Cell<(usize, usize)>,
}

/// Words that end with a period but do not end a sentence (at most six bytes each: see
/// `is_abbreviation`, and the test `abbreviations_are_short`).
const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "ltd", "co", "mr", "mrs", "ms", "dr", "st", "vs", "no", "jr", "sr", "gen", "col",
    "e.g", "i.e", "approx", "est", "dept", "gov", "univ", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
];

impl Sentences {
    /// Finds sentence ends: `.`/`?` followed by white space (not after an abbreviation or a
    /// single capital such as the `S` of `U.S.`), and line breaks.
    #[cfg(test)]
    pub(crate) fn new(text: &str) -> Self {
        let puncts: Vec<usize> = memchr::memchr3_iter(b'.', b':', b'@', text.as_bytes()).collect();
        Self::new_in(text, Vec::new(), &puncts)
    }

    /// As [`Self::new`], reusing the buffer `ends`; `puncts` holds the offsets of every `.` of
    /// `text` in order (and maybe other bytes, which are skipped), so that only `?` and line
    /// breaks are searched for here.
    pub(crate) fn new_in(text: &str, mut ends: Vec<usize>, puncts: &[usize]) -> Self {
        let b = text.as_bytes();
        ends.clear();
        let mut consider = |i: usize| {
            if b[i] == b'\n' {
                ends.push(i + 1);
                return;
            }
            let next_ws = i + 1 >= b.len() || b[i + 1].is_ascii_whitespace() || b[i + 1] == b'"';
            if next_ws && !(b[i] == b'.' && is_abbreviation(b, i)) {
                ends.push(i + 1);
            }
        };
        let mut others = memchr::memchr2_iter(b'\n', b'?', b).peekable();
        if others.peek().is_none() {
            // the common text: no question mark, no line break
            for &i in puncts {
                if b[i] == b'.' {
                    consider(i);
                }
            }
        } else {
            // the dots and the others merged in order
            let mut dots = puncts.iter().copied().filter(|&i| b[i] == b'.').peekable();
            loop {
                let i = match (dots.peek(), others.peek()) {
                    (Some(&d), Some(&o)) if d < o => dots.next(),
                    (Some(_), Some(_)) | (None, Some(_)) => others.next(),
                    (Some(_), None) => dots.next(),
                    (None, None) => None,
                };
                let Some(i) = i else { break };
                consider(i);
            }
        }
        Sentences { ends, len: text.len(), last: std::cell::Cell::new((0, 0)) }
    }

    /// The text as one sentence (for texts no context rule reads), reusing the buffer `ends`.
    pub(crate) fn whole(text: &str, mut ends: Vec<usize>) -> Self {
        ends.clear();
        Sentences { ends, len: text.len(), last: std::cell::Cell::new((0, 0)) }
    }

    /// Number of sentence ends.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The buffer, for reuse.
    pub(crate) fn into_ends(self) -> Vec<usize> {
        self.ends
    }

    /// The sentence `[start, end)` containing byte `pos`.
    pub(crate) fn bounds(&self, pos: usize) -> (usize, usize) {
        // every position of a sentence `[start, end)` has that sentence as its answer
        let (s, e) = self.last.get();
        if s <= pos && pos < e {
            return (s, e);
        }
        let idx = self.ends.partition_point(|&e| e <= pos);
        let start = if idx == 0 { 0 } else { self.ends[idx - 1] };
        let end = self.ends.get(idx).copied().unwrap_or(self.len);
        self.last.set((start, end));
        (start, end)
    }
}

/// ASCII letters, digits and `.`: the bytes of an abbreviation before its dot.
static WORD_OR_DOT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c == b'.' as usize;
        c += 1;
    }
    t
};

fn is_abbreviation(b: &[u8], dot: usize) -> bool {
    // Start of the word before the dot, looked for at most seven bytes back: a longer word is
    // an abbreviation only as the "S" of "U.S" (a dot two bytes before this one).
    let part = |c: u8| WORD_OR_DOT[usize::from(c)];
    let floor = dot.saturating_sub(7);
    let mut s = dot;
    while s > floor && part(b[s - 1]) {
        s -= 1;
    }
    if s == floor && s > 0 && part(b[s - 1]) {
        return b[dot - 2] == b'.';
    }
    let word = &b[s..dot];
    if word.len() == 1 && word[0].is_ascii_uppercase() {
        return true; // "U.S." / "J. Smith"
    }
    if word.len() >= 2 && word[word.len() - 2] == b'.' {
        return true; // "U.S" of "U.S."
    }
    // no abbreviation is longer than six bytes ("approx"): most words ending a sentence are
    word.len() <= 6 && ABBREVIATION_KEYS.contains(&packed_lower(word))
}

/// Up to eight bytes, lower-cased and packed into a `u64` (zero-padded: abbreviations have no
/// zero byte, so equal keys are equal words).
const fn packed_lower(w: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        k |= (w[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    k
}

/// [`ABBREVIATIONS`] as packed keys.
static ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0u64; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = packed_lower(ABBREVIATIONS[i].as_bytes());
        i += 1;
    }
    keys
};

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

/// Most tokens a window holds.
pub(crate) const WINDOW: usize = 12;

/// A small window of at most `N` (≤ 12) tokens kept on the stack (the rules run for every hit;
/// no allocation, and only as many slots as the rule reads).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Toks<const N: usize> {
    toks: [Tok; N],
    len: usize,
}

impl<const N: usize> Toks<N> {
    pub(crate) fn new() -> Self {
        Toks { toks: [Tok::default(); N], len: 0 }
    }
    #[inline(always)]
    pub(crate) fn push(&mut self, t: Tok) {
        if self.len < N {
            self.toks[self.len] = t;
            self.len += 1;
        }
    }
}

impl<const N: usize> FromIterator<Tok> for Toks<N> {
    fn from_iter<I: IntoIterator<Item = Tok>>(iter: I) -> Self {
        let mut out = Toks::new();
        for t in iter {
            out.push(t);
        }
        out
    }
}

impl<const N: usize> std::ops::Deref for Toks<N> {
    type Target = [Tok];
    #[inline(always)]
    fn deref(&self) -> &[Tok] {
        &self.toks[..self.len]
    }
}

/// Up to `n` (at most `N` ≤ 12) tokens before `pos`, nearest first, not crossing `lo`.
pub(crate) fn words_before<const N: usize>(text: &str, lo: usize, pos: usize, n: usize) -> Toks<N> {
    let b = text.as_bytes();
    let n = n.min(N);
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

/// Up to `n` (at most `N` ≤ 12) tokens from `pos` on, nearest first, not crossing `hi`.
pub(crate) fn words_after<const N: usize>(text: &str, pos: usize, hi: usize, n: usize) -> Toks<N> {
    let b = text.as_bytes();
    let hi = hi.min(b.len());
    let n = n.min(N);
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
pub(crate) const CURLY: &[u8; 3] = &[0xE2, 0x80, 0x99];

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
pub(crate) fn trim_tok(b: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
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
    fn abbreviations_are_short() {
        assert!(ABBREVIATIONS.iter().all(|a| a.len() <= 6));
    }

    /// The bounded look-back of `is_abbreviation` decides as reading the whole word would.
    #[test]
    fn abbreviation_lookback_is_bounded_without_changing_results() {
        fn unbounded(b: &[u8], dot: usize) -> bool {
            let mut s = dot;
            while s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'.') {
                s -= 1;
            }
            let word = &b[s..dot];
            (word.len() == 1 && word[0].is_ascii_uppercase())
                || (word.len() >= 2 && word[word.len() - 2] == b'.')
                || (word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(word)))
        }
        let parts: [&[u8]; 12] = [b"U", b"S", b".", b"inc", b"Approx", b"e.g", b"word", b"x", b" ", b"7", b"i.e", b"Corporation"];
        let mut seed = 0x0dd_b1a5_e5ba_d5e1_u64;
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut t = Vec::new();
            for _ in 0..1 + seed % 8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.extend_from_slice(parts[(seed % parts.len() as u64) as usize]);
            }
            for dot in (0..t.len()).filter(|&i| t[i] == b'.') {
                assert_eq!(is_abbreviation(&t, dot), unbounded(&t, dot), "{:?} at {dot}", String::from_utf8_lossy(&t));
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let t = "U.S. officials said so. Then Inc. left! Next";
        let s = Sentences::new(t);
        assert_eq!(s.bounds(0), (0, 23));
        assert_eq!(s.bounds(25), (23, t.len()));
    }

    #[test]
    fn windows() {
        let t = "attacks by the Chinese hackers, then more";
        let before = words_before::<3>(t, 0, 15, 3);
        let w: Vec<&str> = before.iter().map(|x| tok_str(t, *x)).collect();
        assert_eq!(w, ["the", "by", "attacks"]);
        let after = words_after::<3>(t, 22, t.len(), 3);
        let w: Vec<&str> = after.iter().map(|x| tok_str(t, *x)).collect();
        assert_eq!(w, ["hackers", "then", "more"]);
        assert!(after[1].after_punct);
        let c = "of China's hackers";
        assert_eq!(tok_str(c, words_after::<1>(c, 2, c.len(), 1)[0]), "China");
        let t = "of Iran\u{2019}s state TV";
        let before = words_before::<2>(t, 0, 12, 2);
        assert_eq!(tok_str(t, before[0]), "Iran");
        let after = words_after::<2>(t, 3, t.len(), 2);
        assert_eq!(tok_str(t, after[0]), "Iran");
        assert_eq!(tok_str(t, after[1]), "state");
    }
}
