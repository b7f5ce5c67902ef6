//! One trie for every rule word list, built once. Each list has a fixed bit: word lists in
//! [`w`] (membership of a whole token), stem lists in [`s`] (a list entry is a prefix of the
//! token). A token's masks are computed once by walking the trie ([`masks`]); every rule test is
//! then a bit test (`Tok::is`, `Tok::stem`). The lists themselves stay the single source of truth:
//! the tables in [`crate::rules`] and the named lists next to the rules that read them.

use std::sync::OnceLock;

use crate::rules::{actors, asset, context};
use crate::{ioc, sponsor_words, vertical};

/// A word list: its bit in a token's word mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct W(u32);

/// A stem list: its bit in a token's prefix mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct S(u32);

impl W {
    #[inline(always)]
    pub(crate) const fn bit(self) -> u64 {
        1 << self.0
    }
}

impl S {
    #[inline(always)]
    pub(crate) const fn bit(self) -> u64 {
        1 << self.0
    }
}

/// Word lists (whole-token membership, ASCII case-insensitive).
pub(crate) mod w {
    use super::W;
    pub(crate) const ACTOR_NOUNS: W = W(0);
    pub(crate) const AMBIGUOUS_ACTOR_NOUNS: W = W(1);
    pub(crate) const VICTIM_PREV: W = W(2);
    pub(crate) const ATTRIBUTION_PREV: W = W(3);
    pub(crate) const SKIP_BEFORE: W = W(4);
    pub(crate) const VICTIM_NOUNS: W = W(5);
    pub(crate) const VICTIM_OF_NOUNS: W = W(6);
    pub(crate) const TOOL_PREV: W = W(7);
    pub(crate) const TOOL_SUFFIXES: W = W(8);
    pub(crate) const AI_MODIFIER_NEXT: W = W(9);
    pub(crate) const ATTACKER_OF_NOUNS: W = W(10);
    pub(crate) const NEGATORS: W = W(11);
    pub(crate) const VICTIM_PREPS: W = W(12);
    pub(crate) const VICTIM_NEXT: W = W(13);
    pub(crate) const SAY_VERBS: W = W(14);
    pub(crate) const BY_NEUTRAL: W = W(15);
    pub(crate) const ATTACKER_NEXT: W = W(16);
    pub(crate) const ACTOR_CONTEXT: W = W(17);
    pub(crate) const STATE_NOUNS: W = W(18);
    pub(crate) const VERSION_WORDS: W = W(19);
    pub(crate) const CUE_NEGATORS: W = W(20);
    pub(crate) const HYPHEN_STATE: W = W(21);
    pub(crate) const HYPHEN_AFFILIATED: W = W(22);
    pub(crate) const HYPHEN_BASED: W = W(23);
    pub(crate) const TITLE_ACTOR_NOUNS: W = W(24);
    pub(crate) const GROUP_TEAM: W = W(25);
    pub(crate) const ORIGIN: W = W(26);
    pub(crate) const SUPPORT: W = W(27);
    pub(crate) const ORGAN_PARTS: W = W(28);
    pub(crate) const PART_BEHALF: W = W(29);
    pub(crate) const TO_WITH: W = W(30);
    pub(crate) const MACHINES: W = W(31);
    pub(crate) const IN_FROM: W = W(32);
    pub(crate) const COMPANY_GROUPS: W = W(33);
    pub(crate) const REPORT_NOUNS: W = W(34);
    pub(crate) const BEHIND_ACCUSED: W = W(35);
    pub(crate) const ACCUSED_AFTER: W = W(36);
    pub(crate) const APPOSITIVE_NOUNS: W = W(37);
    pub(crate) const COORDINATORS: W = W(38);
    pub(crate) const SUBJECT_AUX: W = W(39);
    pub(crate) const BE: W = W(40);
    pub(crate) const BEHIND: W = W(41);
    pub(crate) const GROUP_NAMES: W = W(42);
    pub(crate) const COMPOUND_PARTS: W = W(43);
    pub(crate) const BE_BEING: W = W(44);
    pub(crate) const PHRASE_AUX: W = W(45);
    pub(crate) const ORGAN_NEUTRAL_NEXT: W = W(46);
    pub(crate) const ORGAN_VICTIM_PREV: W = W(47);
    pub(crate) const REPORTER_SKIP: W = W(48);
    pub(crate) const HIJACKED: W = W(49);
    pub(crate) const NOT_WORDS: W = W(50);
    pub(crate) const NOT_BEHIND: W = W(51);
    pub(crate) const SELF_REPORT_SAY: W = W(52);
    pub(crate) const REPORTER_WORDS: W = W(53);
    pub(crate) const ARMY_NAMES: W = W(54);
    pub(crate) const REPORTER_SECTORS: W = W(55);
    pub(crate) const TOOL_SENSITIVE: W = W(56);
    pub(crate) const NEEDS_VICTIM_CONTEXT: W = W(57);
    pub(crate) const PRODUCT_NAMES: W = W(58);
}

/// Stem lists (an entry is a prefix of the token, ASCII case-insensitive).
pub(crate) mod s {
    use super::S;
    pub(crate) const ATTACK_VERB_STEMS: S = S(0);
    pub(crate) const ATTRIBUTION_LINK_STEMS: S = S(1);
    pub(crate) const SAY_VERB_STEMS: S = S(2);
    pub(crate) const TARGET_VERB_STEMS: S = S(3);
    pub(crate) const NON_TARGET_VERB_STEMS: S = S(4);
    pub(crate) const BY_ATTACK_STEMS: S = S(5);
    pub(crate) const INFRA_TARGET_STEMS: S = S(6);
    pub(crate) const VICTIM_CUES: S = S(7);
    pub(crate) const VICTIM_PASSIVE: S = S(8);
    pub(crate) const EMPLOYED: S = S(9);
    pub(crate) const STOLEN_DATA: S = S(10);
    pub(crate) const EXFILTRATED_TO: S = S(11);
    pub(crate) const ORIGINATING: S = S(12);
    pub(crate) const TAKEN_FROM: S = S(13);
    pub(crate) const TOOK: S = S(14);
    pub(crate) const INTERFERED: S = S(15);
}

/// Every word list with its bit.
pub(crate) fn word_lists() -> [(W, &'static [&'static str]); 59] {
    use context as c;
    use sponsor_words as sp;
    use vertical as v;
    [
        (w::ACTOR_NOUNS, c::ACTOR_NOUNS),
        (w::AMBIGUOUS_ACTOR_NOUNS, c::AMBIGUOUS_ACTOR_NOUNS),
        (w::VICTIM_PREV, c::VICTIM_PREV),
        (w::ATTRIBUTION_PREV, c::ATTRIBUTION_PREV),
        (w::SKIP_BEFORE, c::SKIP_BEFORE),
        (w::VICTIM_NOUNS, c::VICTIM_NOUNS),
        (w::VICTIM_OF_NOUNS, c::VICTIM_OF_NOUNS),
        (w::TOOL_PREV, c::TOOL_PREV),
        (w::TOOL_SUFFIXES, c::TOOL_SUFFIXES),
        (w::AI_MODIFIER_NEXT, c::AI_MODIFIER_NEXT),
        (w::ATTACKER_OF_NOUNS, c::ATTACKER_OF_NOUNS),
        (w::NEGATORS, c::NEGATORS),
        (w::VICTIM_PREPS, v::VICTIM_PREPS),
        (w::VICTIM_NEXT, v::VICTIM_NEXT),
        (w::SAY_VERBS, v::SAY_VERBS),
        (w::BY_NEUTRAL, v::BY_NEUTRAL),
        (w::ATTACKER_NEXT, v::ATTACKER_NEXT),
        (w::ACTOR_CONTEXT, actors::ACTOR_CONTEXT),
        (w::STATE_NOUNS, sp::STATE_NOUNS),
        (w::VERSION_WORDS, ioc::VERSION_WORDS),
        (w::CUE_NEGATORS, sp::CUE_NEGATORS),
        (w::HYPHEN_STATE, sp::HYPHEN_STATE),
        (w::HYPHEN_AFFILIATED, sp::HYPHEN_AFFILIATED),
        (w::HYPHEN_BASED, sp::HYPHEN_BASED),
        (w::TITLE_ACTOR_NOUNS, sp::TITLE_ACTOR_NOUNS),
        (w::GROUP_TEAM, sp::GROUP_TEAM),
        (w::ORIGIN, sp::ORIGIN),
        (w::SUPPORT, sp::SUPPORT),
        (w::ORGAN_PARTS, sp::ORGAN_PARTS),
        (w::PART_BEHALF, sp::PART_BEHALF),
        (w::TO_WITH, sp::TO_WITH),
        (w::MACHINES, sp::MACHINES),
        (w::IN_FROM, sp::IN_FROM),
        (w::COMPANY_GROUPS, sp::COMPANY_GROUPS),
        (w::REPORT_NOUNS, sp::REPORT_NOUNS),
        (w::BEHIND_ACCUSED, sp::BEHIND_ACCUSED),
        (w::ACCUSED_AFTER, sp::ACCUSED_AFTER),
        (w::APPOSITIVE_NOUNS, sp::APPOSITIVE_NOUNS),
        (w::COORDINATORS, sp::COORDINATORS),
        (w::SUBJECT_AUX, sp::SUBJECT_AUX),
        (w::BE, sp::BE),
        (w::BEHIND, sp::BEHIND),
        (w::GROUP_NAMES, sp::GROUP_NAMES),
        (w::COMPOUND_PARTS, sp::COMPOUND_PARTS),
        (w::BE_BEING, sp::BE_BEING),
        (w::PHRASE_AUX, sp::PHRASE_AUX),
        (w::ORGAN_NEUTRAL_NEXT, sp::ORGAN_NEUTRAL_NEXT),
        (w::ORGAN_VICTIM_PREV, sp::ORGAN_VICTIM_PREV),
        (w::REPORTER_SKIP, sp::REPORTER_SKIP),
        (w::HIJACKED, sp::HIJACKED),
        (w::NOT_WORDS, sp::NOT_WORDS),
        (w::NOT_BEHIND, sp::NOT_BEHIND),
        (w::SELF_REPORT_SAY, v::SELF_REPORT_SAY),
        (w::REPORTER_WORDS, v::REPORTER_WORDS),
        (w::ARMY_NAMES, v::ARMY_NAMES),
        (w::REPORTER_SECTORS, v::REPORTER_SECTORS),
        (w::TOOL_SENSITIVE, crate::rules::vertical::TOOL_SENSITIVE),
        (w::NEEDS_VICTIM_CONTEXT, crate::rules::vertical::NEEDS_VICTIM_CONTEXT),
        (w::PRODUCT_NAMES, crate::asset::PRODUCT_NAMES),
    ]
}

/// Every stem list with its bit.
pub(crate) fn stem_lists() -> [(S, &'static [&'static str]); 16] {
    use context as c;
    use sponsor_words as sp;
    [
        (s::ATTACK_VERB_STEMS, c::ATTACK_VERB_STEMS),
        (s::ATTRIBUTION_LINK_STEMS, c::ATTRIBUTION_LINK_STEMS),
        (s::SAY_VERB_STEMS, c::SAY_VERB_STEMS),
        (s::TARGET_VERB_STEMS, c::TARGET_VERB_STEMS),
        (s::NON_TARGET_VERB_STEMS, c::NON_TARGET_VERB_STEMS),
        (s::BY_ATTACK_STEMS, c::BY_ATTACK_STEMS),
        (s::INFRA_TARGET_STEMS, asset::INFRA_TARGET_STEMS),
        (s::VICTIM_CUES, vertical::VICTIM_CUES),
        (s::VICTIM_PASSIVE, vertical::VICTIM_PASSIVE),
        (s::EMPLOYED, sp::EMPLOYED),
        (s::STOLEN_DATA, sp::STOLEN_DATA),
        (s::EXFILTRATED_TO, sp::EXFILTRATED_TO),
        (s::ORIGINATING, sp::ORIGINATING),
        (s::TAKEN_FROM, sp::TAKEN_FROM),
        (s::TOOK, sp::TOOK),
        (s::INTERFERED, crate::asset::INTERFERED),
    ]
}

/// Byte classes of the trie: letters (case-folded), digits, and the few other bytes that occur
/// in rule words; 0 ends the walk.
const CLASSES: usize = 41;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'a' as usize + i] = 1 + i as u8;
        t[b'A' as usize + i] = 1 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 27 + d as u8;
        d += 1;
    }
    t[b'-' as usize] = 37;
    t[b'\'' as usize] = 38;
    t[b' ' as usize] = 39;
    t[b'.' as usize] = 40;
    t
};

/// The trie as flat arrays: `next[node * CLASSES + class]` (0: no edge), and per node the lists
/// whose word ends there and the stem lists whose entry ends there.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// `u16` node numbers: the rule lists make a few thousand nodes, and half the bytes of
    /// `u32` keep more of the table in cache.
    next: Vec<u16>,
    word: Vec<u64>,
    stem: Vec<u64>,
}

impl Lexicon {
    /// Adds `entry`; false if it has a byte the trie cannot hold.
    fn insert(&mut self, entry: &str) -> Option<usize> {
        let mut n = 0usize;
        for &b in entry.as_bytes() {
            let c = usize::from(CLASS[usize::from(b)]);
            if c == 0 {
                return None;
            }
            if self.next[n * CLASSES + c] == 0 {
                // a lexicon past u16 nodes would lose entries: `lexicon_fits` tests it does not
                let id = u16::try_from(self.word.len()).ok()?;
                self.next.extend([0; CLASSES]);
                self.word.push(0);
                self.stem.push(0);
                self.next[n * CLASSES + c] = id;
            }
            n = usize::from(self.next[n * CLASSES + c]);
        }
        Some(n)
    }

    /// (word lists containing `word`, stem lists with an entry that is a prefix of it).
    #[inline]
    pub(crate) fn walk(&self, word: &[u8]) -> (u64, u64) {
        let mut n = 0usize;
        let mut pre = 0u64;
        for &b in word {
            let c = usize::from(CLASS[usize::from(b)]);
            if c == 0 {
                return (0, pre);
            }
            n = usize::from(self.next[n * CLASSES + c]);
            if n == 0 {
                return (0, pre);
            }
            pre |= self.stem[n];
        }
        (self.word[n], pre)
    }
}

/// The lexicon (built on first use).
pub(crate) fn get() -> &'static Lexicon {
    lexicon()
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut lex = Lexicon { next: vec![0; CLASSES], word: vec![0], stem: vec![0] };
        for (bit, list) in word_lists() {
            for e in list {
                if let Some(n) = lex.insert(e) {
                    lex.word[n] |= bit.bit();
                }
            }
        }
        for (bit, list) in stem_lists() {
            for e in list {
                if let Some(n) = lex.insert(e) {
                    lex.stem[n] |= bit.bit();
                }
            }
        }
        lex
    })
}

/// (word lists containing `word`, stem lists with an entry that is a prefix of `word`).
#[inline]
pub(crate) fn masks(word: &str) -> (u64, u64) {
    lexicon().walk(word.as_bytes())
}

/// As [`masks`] for bytes.
pub(crate) fn masks_of(word: &[u8]) -> (u64, u64) {
    lexicon().walk(word)
}

/// Words of the three-letter start filter of [`Stems`] (26 × 26 × 27 bits).
const STARTS3_WORDS: usize = (26 * 26 * 27usize).div_ceil(64);

/// The stem entries made of lower-case letters only, as a small dense trie (27 classes, `u16`
/// nodes): the prefix mask of a lower-case word that is in no word list (see
/// [`crate::firstword`]) costs one short walk in a table that stays in cache.
#[derive(Debug)]
pub(crate) struct Stems {
    next: Vec<u16>,
    mask: Vec<u64>,
    /// A bit per pair of leading letters that some stem starts with (or a one-letter stem).
    starts: [u64; 12],
    /// A bit per three leading letters `(a, b, c)` (`c` = 26: no third letter) of the words
    /// some stem is a prefix of: a stem starting with `abc`, or the stem `a` or `ab`.
    starts3: Box<[u64; STARTS3_WORDS]>,
}

impl Stems {
    fn build() -> Stems {
        let mut t = Stems { next: vec![0; 27], mask: vec![0], starts: [0; 12], starts3: Box::new([0; STARTS3_WORDS]) };
        for (bit, list) in stem_lists() {
            for e in list {
                if !e.bytes().all(|c| c.is_ascii_lowercase()) {
                    continue; // "was behind": no token holds a space
                }
                let mut n = 0usize;
                for c in e.bytes() {
                    let k = usize::from(c - b'a') + 1;
                    if t.next[n * 27 + k] == 0 {
                        let id = t.mask.len();
                        t.next.extend([0; 27]);
                        t.mask.push(0);
                        // at most a few thousand stem prefixes
                        t.next[n * 27 + k] = u16::try_from(id).unwrap_or(u16::MAX);
                    }
                    n = usize::from(t.next[n * 27 + k]);
                }
                t.mask[n] |= bit.bit();
                let b = e.as_bytes();
                match b {
                    [a] => {
                        for c in 0..27 {
                            Self::set_start(&mut t.starts, usize::from(a - b'a'), c);
                        }
                    }
                    [a, c, ..] => Self::set_start(&mut t.starts, usize::from(a - b'a'), usize::from(c - b'a')),
                    [] => {}
                }
                let l = |c: u8| usize::from(c - b'a');
                match *b {
                    [a] => {
                        for x in 0..26 {
                            for y in 0..27 {
                                Self::set_start3(&mut t.starts3, l(a), x, y);
                            }
                        }
                    }
                    [a, c] => {
                        for y in 0..27 {
                            Self::set_start3(&mut t.starts3, l(a), l(c), y);
                        }
                    }
                    [a, c, d, ..] => Self::set_start3(&mut t.starts3, l(a), l(c), l(d)),
                    [] => {}
                }
            }
        }
        t
    }

    fn set_start3(starts: &mut [u64; STARTS3_WORDS], a: usize, b: usize, c: usize) {
        let bit = (a * 26 + b) * 27 + c;
        starts[bit / 64] |= 1 << (bit % 64);
    }

    fn set_start(starts: &mut [u64; 12], a: usize, c: usize) {
        let bit = a * 27 + c;
        starts[bit / 64] |= 1 << (bit % 64);
    }

    /// Whether some stem may be a prefix of the word whose first eight bytes, lower case and
    /// zero-padded, are `key` (a word of the canonical text: letters and digits): the start
    /// filters of [`Self::prefix_mask`] on the key's bytes. False means `prefix_mask` is 0.
    #[inline(always)]
    pub(crate) fn may_prefix(&self, key: u64) -> bool {
        let letter = |c: u64| {
            let c = (c & 0xFF).wrapping_sub(u64::from(b'a'));
            if c < 26 { c as usize } else { 26 }
        };
        let (a, c) = (letter(key), letter(key >> 8));
        if a == 26 {
            return false;
        }
        if c == 26 {
            // one letter, or a letter and a digit: only a one-letter stem
            let bit = a * 27 + 26;
            return self.starts[bit / 64] & (1 << (bit % 64)) != 0;
        }
        // three letters (or two and the end): the three-letter filter implies the two-letter one
        let bit = (a * 26 + c) * 27 + letter(key >> 16);
        self.starts3[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Stem lists with an entry that is a prefix of `word` (ASCII case-insensitive; the walk
    /// stops at the first byte that is not a letter).
    #[cfg(test)]
    #[inline]
    pub(crate) fn prefix_mask(&self, word: &[u8]) -> u64 {
        // most words start with two letters no stem starts with
        if let [a, c, ..] = *word {
            let (a, c) = ((a | 0x20).wrapping_sub(b'a'), (c | 0x20).wrapping_sub(b'a'));
            let c = if c < 26 { usize::from(c) } else { 26 };
            if a >= 26 {
                return 0;
            }
            let bit = usize::from(a) * 27 + c;
            if self.starts[bit / 64] & (1 << (bit % 64)) == 0 {
                return 0;
            }
            // and with three letters (the walk stops at the first byte that is not a letter)
            if c < 26 {
                let d = word.get(2).map_or(26, |&d| usize::from((d | 0x20).wrapping_sub(b'a')).min(26));
                let bit = (usize::from(a) * 26 + c) * 27 + d;
                if self.starts3[bit / 64] & (1 << (bit % 64)) == 0 {
                    return 0;
                }
            }
        }
        self.walk(word)
    }

    /// [`Self::prefix_mask`] without its start filters (for a word [`Self::may_prefix`] let
    /// through).
    #[inline]
    pub(crate) fn walk(&self, word: &[u8]) -> u64 {
        let mut n = 0usize;
        let mut pre = 0;
        for &c in word {
            let k = (c | 0x20).wrapping_sub(b'a');
            if k >= 26 {
                break;
            }
            n = usize::from(self.next[n * 27 + usize::from(k) + 1]);
            if n == 0 {
                break;
            }
            pre |= self.mask[n];
        }
        pre
    }
}

/// The stem trie (built on first use).
pub(crate) fn stems() -> &'static Stems {
    static STEMS: OnceLock<Stems> = OnceLock::new();
    STEMS.get_or_init(Stems::build)
}

/// Whether `word` (any string, e.g. a table phrase) is in word list `l`.
pub(crate) fn word_is(word: &str, l: W) -> bool {
    masks(word).0 & l.bit() != 0
}

/// Whether a prefix of `word` is in stem list `l`.
pub(crate) fn has_stem(word: &str, l: S) -> bool {
    masks(word).1 & l.bit() != 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    /// The bits agree with a linear, case-insensitive scan of the lists, for the lists' own
    /// entries, for each entry under every other list, and for some other words.
    #[test]
    fn masks_match_linear_scan() {
        let words = word_lists();
        let stems = stem_lists();
        let mut probes: Vec<&str> = words.iter().map(|(_, l)| *l).chain(stems.iter().map(|(_, l)| *l)).flat_map(|l| l.iter().copied()).collect();
        probes.extend(["Hackers", "XYZ", "", "targeting", "Government", "STATE-SPONSORED", "isn't", "U.S.", "a b", "exfiltrated", "spying"]);
        for w in &probes {
            let (wm, pm) = masks(w);
            for (bit, list) in &words {
                let linear = list.iter().any(|x| x.eq_ignore_ascii_case(w));
                assert_eq!(wm & bit.bit() != 0, linear, "{w:?} in word list {bit:?}");
            }
            for (bit, list) in &stems {
                let linear = list.iter().any(|s| w.len() >= s.len() && w.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes()));
                assert_eq!(pm & bit.bit() != 0, linear, "{w:?} stem of list {bit:?}");
            }
        }
    }

    /// Every list entry the trie can hold is in it (node numbers are `u16`).
    #[test]
    fn lexicon_fits() {
        let mut lex = Lexicon { next: vec![0; CLASSES], word: vec![0], stem: vec![0] };
        let lists: Vec<&[&str]> = word_lists().iter().map(|(_, l)| *l).chain(stem_lists().iter().map(|(_, l)| *l)).collect();
        for list in lists {
            for e in list {
                let holdable = e.bytes().all(|b| CLASS[usize::from(b)] != 0);
                assert_eq!(lex.insert(e).is_some(), holdable, "{e:?}");
            }
        }
        assert!(lex.word.len() < usize::from(u16::MAX), "{}", lex.word.len());
    }

    /// The key filter and the walk give what `prefix_mask` gives, for every word of up to three
    /// letters or digits (with more letters after it) and for the stems themselves.
    #[test]
    fn key_filter_and_walk_equal_prefix_mask() {
        let st = stems();
        let key = |w: &[u8]| {
            let mut k = [0u8; 8];
            let n = w.len().min(8);
            k[..n].copy_from_slice(&w[..n]);
            u64::from_le_bytes(k.map(|c| c.to_ascii_lowercase()))
        };
        let alphabet: Vec<u8> = (b'a'..=b'z').chain(b'0'..=b'9').collect();
        let mut words: Vec<Vec<u8>> = stem_lists().iter().flat_map(|(_, l)| l.iter()).map(|w| w.as_bytes().to_vec()).collect();
        for &a in &alphabet {
            words.push(vec![a]);
            for &b in &alphabet {
                words.push(vec![a, b]);
                for &c in &alphabet {
                    words.push(vec![a, b, c]);
                    words.push(vec![a, b, c, b'e', b'd']);
                }
            }
        }
        for w in &words {
            let upper = w.to_ascii_uppercase();
            for v in [w.as_slice(), upper.as_slice()] {
                let via_key = if st.may_prefix(key(v)) { st.walk(v) } else { 0 };
                assert_eq!(via_key, st.prefix_mask(v), "{:?}", String::from_utf8_lossy(v));
            }
        }
    }

    /// The stem trie gives the same prefix masks as the lexicon for lower-case words.
    #[test]
    fn stem_trie_matches_lexicon() {
        let mut probes: Vec<String> = stem_lists().iter().flat_map(|(_, l)| l.iter()).map(|w| w.to_string()).collect();
        probes.extend(["attacked", "theft", "the", "hackers", "exfiltration", "x", "", "a1b", "saidx", "us3d", "Attacked", "STOLE"].map(String::from));
        // every word of up to three letters, alone and followed by more letters or a digit (the
        // start filters cover the first three)
        for a in b'a'..=b'z' {
            probes.push((a as char).to_string());
            for b in b'a'..=b'z' {
                probes.push(format!("{}{}", a as char, b as char));
                probes.push(format!("{}{}7", a as char, b as char));
                for c in b'a'..=b'z' {
                    let w = format!("{}{}{}", a as char, b as char, c as char);
                    probes.push(format!("{w}ing"));
                    probes.push(format!("{w}0"));
                    probes.push(w);
                }
            }
        }
        for w in &probes {
            if !w.bytes().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            assert_eq!(stems().prefix_mask(w.as_bytes()), masks(w).1, "{w:?}");
            assert_eq!(stems().prefix_mask(w.to_ascii_uppercase().as_bytes()), masks(w).1, "{w:?}");
        }
    }

    /// Every list has its own bit.
    #[test]
    fn bits_are_distinct() {
        let mut seen = 0u64;
        for (bit, _) in word_lists() {
            assert_eq!(seen & bit.bit(), 0, "{bit:?}");
            seen |= bit.bit();
        }
        let mut seen = 0u64;
        for (bit, _) in stem_lists() {
            assert_eq!(seen & bit.bit(), 0, "{bit:?}");
            seen |= bit.bit();
        }
    }
}
