//! One hash map for the rule word lists, built once: every word (or stem) of a registered list,
//! lower-cased, with one bit per list it belongs to. The rules call `word_in(w, LIST)` with the
//! static lists of [`crate::rules`]; a registered list is found by its address and answered with
//! a bit test (the lists stay the single source of truth).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::rules::{actors, asset, context, vertical};

/// FxHash (rustc's hasher): fast on the short keys used here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a));
        }
    }
    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = BuildHasherDefault<FxHasher>;

/// Every registered word (or stem), lower-cased, with one bit per list it belongs to.
struct Lexicon {
    /// Addresses of the registered lists; the index is the list's bit.
    lists: Vec<usize>,
    words: HashMap<Box<[u8]>, u64, Fx>,
    /// Shortest and longest entry of each list.
    lens: Vec<(usize, usize)>,
    /// Shortest and longest entry over all lists (bounds the prefixes tried for stems).
    min_len: usize,
    max_len: usize,
}

/// The registered lists (at most 64: one bit each).
fn registered() -> Vec<&'static [&'static str]> {
    use crate::vertical as v;
    vec![
        context::ACTOR_NOUNS,
        context::AMBIGUOUS_ACTOR_NOUNS,
        context::ATTACK_VERB_STEMS,
        context::VICTIM_PREV,
        context::ATTRIBUTION_PREV,
        context::ATTRIBUTION_LINK_STEMS,
        context::SKIP_BEFORE,
        context::VICTIM_NOUNS,
        context::VICTIM_OF_NOUNS,
        context::SAY_VERB_STEMS,
        context::CLAUSE_BREAKS,
        context::TOOL_PREV,
        context::TOOL_SUFFIXES,
        context::TOOL_NEXT,
        context::TARGET_VERB_STEMS,
        context::NON_TARGET_VERB_STEMS,
        context::AI_MODIFIER_NEXT,
        context::BY_ATTACK_STEMS,
        context::ATTACKER_OF_NOUNS,
        context::NEGATORS,
        vertical::NEEDS_VICTIM_CONTEXT,
        vertical::TOOL_SENSITIVE,
        actors::ACTOR_CONTEXT,
        asset::INFRA_TARGET_STEMS,
        v::VICTIM_CUES,
        v::VICTIM_PREPS,
        v::VICTIM_NEXT,
        v::SAY_VERBS,
        v::BY_NEUTRAL,
        v::VICTIM_PASSIVE,
        v::ATTACKER_NEXT,
        crate::sponsor::STATE_NOUNS,
    ]
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let all = registered();
        let mut words: HashMap<Box<[u8]>, u64, Fx> = HashMap::default();
        let mut lens = Vec::new();
        for (bit, list) in all.iter().enumerate() {
            for w in list.iter() {
                *words.entry(w.to_ascii_lowercase().into_bytes().into_boxed_slice()).or_insert(0) |= 1 << bit;
            }
            let min = list.iter().map(|w| w.len()).min().unwrap_or(0);
            let max = list.iter().map(|w| w.len()).max().unwrap_or(0);
            lens.push((min, max));
        }
        let min_len = lens.iter().map(|l| l.0).min().unwrap_or(1).max(1);
        let max_len = lens.iter().map(|l| l.1).max().unwrap_or(0);
        Lexicon { lists: all.iter().map(|l| l.as_ptr() as usize).collect(), words, lens, min_len, max_len }
    })
}

/// Lower-cases `word` into `buf` if it fits (48 bytes; longer tokens are in no list).
fn lower<'a>(word: &str, buf: &'a mut [u8; 48]) -> Option<&'a [u8]> {
    let b = word.as_bytes();
    if b.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..b.len()])
}

/// The bit of a registered list.
#[inline]
fn bit_of(lex: &Lexicon, list: &[&str]) -> Option<usize> {
    let p = list.as_ptr() as usize;
    lex.lists.iter().position(|&x| x == p)
}

/// Masks of the last few words looked up: the rules ask about the same token against many lists
/// in a row, so a tiny per-thread cache keyed by the lower-cased word saves most hash lookups.
#[derive(Clone, Copy)]
struct Cached {
    key: [u8; KEY],
    len: usize,
    word: u64,
    /// Lists with an entry that is a prefix of the word (computed on first stem query).
    stem: Option<u64>,
}

/// Longest word the cache keeps (longer ones are looked up every time).
const KEY: usize = 24;
const EMPTY: Cached = Cached { key: [0; KEY], len: usize::MAX, word: 0, stem: None };

thread_local! {
    static CACHE: std::cell::RefCell<([Cached; 16], usize)> = const { std::cell::RefCell::new(([EMPTY; 16], 0)) };
}

fn word_mask(lex: &Lexicon, w: &[u8]) -> u64 {
    lex.words.get(w).copied().unwrap_or(0)
}

fn stem_mask(lex: &Lexicon, w: &[u8]) -> u64 {
    (lex.min_len..=lex.max_len.min(w.len())).fold(0, |m, n| m | word_mask(lex, &w[..n]))
}

/// The masks of `word`, the stem mask only if `stems`.
fn cached(lex: &Lexicon, word: &str, stems: bool) -> (u64, u64) {
    let mut buf = [0u8; 48];
    let Some(w) = lower(word, &mut buf) else { return (0, 0) };
    if w.len() > KEY {
        return (word_mask(lex, w), if stems { stem_mask(lex, w) } else { 0 });
    }
    CACHE.with(|c| {
        let mut guard = c.borrow_mut();
        let (slots, next) = &mut *guard;
        let i = match slots.iter().position(|s| s.len == w.len() && s.key[..w.len()] == *w) {
            Some(i) => i,
            None => {
                let i = *next;
                *next = (*next + 1) % slots.len();
                let mut key = [0u8; KEY];
                key[..w.len()].copy_from_slice(w);
                slots[i] = Cached { key, len: w.len(), word: word_mask(lex, w), stem: None };
                i
            }
        };
        if stems && slots[i].stem.is_none() {
            slots[i].stem = Some(stem_mask(lex, w));
        }
        (slots[i].word, slots[i].stem.unwrap_or(0))
    })
}

/// `Some(found)` if `list` is registered, `None` to fall back to a linear scan.
pub(crate) fn contains(list: &[&str], word: &str) -> Option<bool> {
    let lex = lexicon();
    let bit = bit_of(lex, list)?;
    let (min, max) = lex.lens[bit];
    if word.len() < min || word.len() > max {
        return Some(false);
    }
    Some(cached(lex, word, false).0 & (1 << bit) != 0)
}

/// `Some(found)` if `list` (of stems) is registered: whether a prefix of `word` is in it.
pub(crate) fn has_stem(list: &[&str], word: &str) -> Option<bool> {
    let lex = lexicon();
    let bit = bit_of(lex, list)?;
    if word.len() < lex.lens[bit].0 {
        return Some(false);
    }
    Some(cached(lex, word, true).1 & (1 << bit) != 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::text::{stem_in, word_in};

    #[test]
    fn registered_lists_use_the_sets() {
        for list in registered() {
            assert!(contains(list, "x").is_some(), "{:?} not found by address", &list[..1]);
        }
    }

    #[test]
    fn set_lookup_matches_linear_scan() {
        for list in registered() {
            for w in list.iter().chain(["Hackers", "XYZ", "", "targeting", "Government"].iter()) {
                let linear = list.iter().any(|x| x.eq_ignore_ascii_case(w));
                assert_eq!(word_in(w, list), linear, "{w}");
                let linear_stem = list.iter().any(|s| w.len() >= s.len() && w.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes()));
                assert_eq!(stem_in(w, list), linear_stem, "{w}");
            }
        }
    }
}
