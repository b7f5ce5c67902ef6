//! The fast path of the dictionary pass: a table of the first words of the patterns.
//!
//! Every pattern that starts with a word starts at a space of the canonical text, followed by its
//! first word. In a text whose canonical form is ASCII, a match of the anchored automaton from a
//! space can only be
//! - longer than the first text word `w` after the space: then `" w"` is a pattern or `" w "` is
//!   a path of the automaton, and `w` is in this table with the automaton state after it;
//! - a pattern ending inside `w`: rejected by the right-boundary rule (both neighbours are word
//!   bytes) unless it is a stem or a prefix kind (`http`, `T1`); those few patterns are the
//!   *specials*, and a word that starts like one is walked in full.
//!
//! A rejected match that ends inside the first word has no effect on the search (no pattern starts
//! inside a word of an ASCII text), so every other word is skipped after one hash probe. Words are
//! found and hashed eight bytes at a time (SWAR); the walk itself stays with the automaton.
//!
//! The same table holds every one-word entry of the rule word lists with its lexicon masks, so
//! the probe also gives the masks of the token the word usually is: the token index is built
//! during the scan ([`crate::index::IndexBuilder`]).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

use crate::swar::load;

/// Bits of the probe filter (a power of two).
const FILTER_BITS: usize = 1 << 16;

/// What the automaton knows after `" w"` for a table word `w`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordState {
    /// State after `" w"`.
    pub state: StateID,
    /// Whether a pattern goes on past `w` (its state on a space is not dead).
    pub goes_on: bool,
    /// The longest pattern that is a prefix of `" w"`: its id and its length in bytes.
    pub last: Option<(PatternID, u32)>,
}

/// A word of the table; slots hold indices into these (a small array probed per word, and the
/// entries touched only on a filter hit).
#[derive(Debug, Clone, Copy)]
// one cache line per entry: a probe touches one line, not two
#[repr(align(64))]
pub(crate) struct Entry {
    /// The first eight bytes of the word, zero-padded.
    key: u64,
    len: u32,
    /// Where the bytes after the first eight are kept.
    tail: u32,
    /// The lexicon masks of the word (see [`crate::lexicon::masks`]).
    pub masks: (u64, u64),
    /// Set for the first word of a pattern.
    pub state: Option<WordState>,
}

/// First words of the patterns and one-word lexicon entries, and the special patterns that may
/// end inside a word.
#[derive(Debug)]
pub(crate) struct FirstWords {
    filter: Box<[u64; FILTER_BITS / 64]>,
    /// Open addressing: 0 empty, else entry index + 1.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    mask: usize,
    bytes: Vec<u8>,
    /// Two-byte starts of the specials (a bit per `(w[0], w[1])`; one-byte specials set a row).
    special_starts: Box<[u64; 1 << 10]>,
    specials: Vec<Box<[u8]>>,
}

/// The bytes of a word's first eight that belong to it, by its length (at least one byte).
const KEY_MASK: [u64; 9] = [0, 0xFF, 0xFFFF, 0xFF_FFFF, 0xFFFF_FFFF, 0xFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF, 0xFF_FFFF_FFFF_FFFF, u64::MAX];

const MUL: u64 = 0x2545_F491_4F6C_DD1D;
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
const LEN_MUL: u64 = 0xD6E8_FEB8_6659_FD93;

/// The hash of a word as the scan computes it: its first eight bytes (zero-padded) and its
/// length. Longer words that agree on both share a hash; the table compares the rest.
pub(crate) fn hash_word(w: &[u8]) -> u64 {
    let n = w.len().min(8);
    let mut x = [0u8; 8];
    x[..n].copy_from_slice(&w[..n]);
    mix(u64::from_le_bytes(x), w.len())
}

#[inline(always)]
fn mix(key: u64, len: usize) -> u64 {
    let h = (SEED ^ key ^ (len as u64).wrapping_mul(LEN_MUL)).wrapping_mul(MUL);
    h ^ (h >> 29)
}

/// The hash of the word `b[q..we]` (as [`hash_word`]) and its first eight bytes, zero-padded
/// (`b` is padded: eight-byte loads past `we` are in bounds).
#[inline(always)]
pub(crate) fn hash_span(b: &[u8], q: usize, we: usize) -> (u64, u64) {
    let len = we - q;
    let x = load(b, q);
    // a table, not a branch on the length (which is unpredictable)
    let key = x & KEY_MASK[len.min(8)];
    (mix(key, len), key)
}

impl FirstWords {
    /// Builds the table from the canonical patterns (`lead`: starts with the boundary space) and
    /// `special(id)`: whether pattern `id` may be accepted ending inside a word.
    pub(crate) fn build(dfa: &DFA, patterns: &[Vec<u8>], lead: &[bool], special: impl Fn(usize) -> bool) -> Result<Self, String> {
        let start = dfa.start_state(Anchored::Yes).map_err(|e| e.to_string())?;
        let mut words: Vec<&[u8]> = Vec::new();
        let mut firsts: Vec<&[u8]> = Vec::new();
        let mut specials: Vec<Box<[u8]>> = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            if !lead[id] {
                continue;
            }
            let rest = &p[1..];
            let first = rest.split(|&c| c == b' ').next().unwrap_or_default();
            if !first.is_empty() {
                firsts.push(first);
            }
            if special(id) && !rest.contains(&b' ') {
                specials.push(rest.into());
            }
        }
        firsts.sort_unstable();
        firsts.dedup();
        // one-word lexicon entries, lower-cased as the canonical text is
        let lexicon_words: Vec<Vec<u8>> = crate::lexicon::word_lists()
            .iter()
            .map(|(_, l)| *l)
            .chain(crate::lexicon::stem_lists().iter().map(|(_, l)| *l))
            .flat_map(|l| l.iter())
            .filter(|e| !e.is_empty() && e.bytes().all(|c| c.is_ascii_alphanumeric()))
            .map(|e| e.to_ascii_lowercase().into_bytes())
            .collect();
        words.extend(firsts.iter().copied());
        words.extend(lexicon_words.iter().map(Vec::as_slice));
        words.sort_unstable();
        words.dedup();
        let cap = (words.len() * 2).next_power_of_two().max(16);
        let mut t = FirstWords {
            filter: Box::new([0; FILTER_BITS / 64]),
            slots: vec![0; cap],
            entries: Vec::new(),
            mask: cap - 1,
            bytes: Vec::new(),
            special_starts: Box::new([0; 1 << 10]),
            specials,
        };
        for w in words {
            let masks = crate::lexicon::masks_of(w);
            let first = firsts.binary_search(&w).is_ok();
            // Walk " w" through the automaton.
            let mut sid = start;
            let mut last = None;
            let mut alive = true;
            for (i, &c) in std::iter::once(&b' ').chain(w).enumerate() {
                sid = dfa.next_state(Anchored::Yes, sid, c);
                if dfa.is_dead(sid) {
                    alive = false;
                    break;
                }
                if dfa.is_match(sid)
                    && let Some(pid) = (0..dfa.match_len(sid)).map(|k| dfa.match_pattern(sid, k)).find(|&pid| dfa.pattern_len(pid) == i + 1)
                {
                    last = Some((pid, (i + 1) as u32));
                }
            }
            let goes_on = alive && !dfa.is_dead(dfa.next_state(Anchored::Yes, sid, b' '));
            let state = (first && alive && (last.is_some() || goes_on)).then_some(WordState { state: sid, goes_on, last });
            if state.is_none() && masks == (0, 0) {
                continue;
            }
            let hash = hash_word(w);
            t.filter[(hash >> 48) as usize / 64] |= 1 << ((hash >> 48) % 64);
            let mut i = hash as usize & t.mask;
            while t.slots[i] != 0 {
                i = (i + 1) & t.mask;
            }
            let too_large = || "first-word table too large".to_string();
            let tail = u32::try_from(t.bytes.len()).map_err(|_| too_large())?;
            t.bytes.extend_from_slice(w.get(8..).unwrap_or_default());
            let mut key = [0u8; 8];
            key[..w.len().min(8)].copy_from_slice(&w[..w.len().min(8)]);
            let len = u32::try_from(w.len()).map_err(|_| too_large())?;
            t.entries.push(Entry { key: u64::from_le_bytes(key), len, tail, masks, state });
            t.slots[i] = u32::try_from(t.entries.len()).map_err(|_| too_large())?;
        }
        for s in &t.specials {
            match *s.as_ref() {
                [a] => {
                    for b in 0..256usize {
                        let bit = usize::from(a) * 256 + b;
                        t.special_starts[bit / 64] |= 1 << (bit % 64);
                    }
                }
                [a, b, ..] => {
                    let bit = usize::from(a) * 256 + usize::from(b);
                    t.special_starts[bit / 64] |= 1 << (bit % 64);
                }
                [] => {}
            }
        }
        Ok(t)
    }

    /// The index of the table entry of word `w = b[q..we]` (with hash `hash` and first eight bytes `key`),
    /// if any: its automaton state when it is a pattern's first word, and its lexicon masks.
    #[inline(always)]
    pub(crate) fn get(&self, hash: u64, key: u64, b: &[u8], q: usize, we: usize) -> Option<u32> {
        let f = (hash >> 48) as usize;
        if self.filter[f / 64] & (1 << (f % 64)) == 0 {
            return None;
        }
        let len = we - q;
        let mut i = hash as usize & self.mask;
        loop {
            let k = self.slots[i].wrapping_sub(1);
            let e = self.entries.get(k as usize)?;
            if e.key == key && e.len as usize == len && (len <= 8 || self.tail_eq(e, &b[q + 8..we])) {
                return Some(k);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Entry `k` of [`Self::get`].
    #[inline(always)]
    pub(crate) fn entry(&self, k: u32) -> Option<&Entry> {
        self.entries.get(k as usize)
    }

    #[inline(never)]
    fn tail_eq(&self, e: &Entry, rest: &[u8]) -> bool {
        self.bytes.get(e.tail as usize..e.tail as usize + rest.len()) == Some(rest)
    }

    /// Whether a special pattern may be a prefix of `w` (which has at least one byte; the byte
    /// after it is readable).
    #[inline(always)]
    pub(crate) fn maybe_special(&self, w0: u8, w1: u8) -> bool {
        let bit = usize::from(w0) * 256 + usize::from(w1);
        self.special_starts[bit / 64] & (1 << (bit % 64)) != 0
    }
}
