//! One trie for the rule word lists, built once: every word (or stem) of a registered list,
//! lower-cased, ends at a trie node that carries one bit per list it belongs to. The rules call
//! `word_in(w, LIST)` / `stem_in(w, LIST)` with the static lists of [`crate::rules`]; a registered
//! list is found by its address and answered by walking the word through the trie (a few
//! nanoseconds, no hashing). The lists stay the single source of truth.

use std::sync::OnceLock;

use crate::rules::{actors, asset, context, vertical};

/// Byte classes of the trie: letters (case-folded), digits, and the few other bytes that occur
/// in rule words; anything else ends the walk.
const CLASSES: usize = 40;

#[inline]
fn class(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some(usize::from(b - b'a')),
        b'A'..=b'Z' => Some(usize::from(b - b'A')),
        b'0'..=b'9' => Some(26 + usize::from(b - b'0')),
        b'-' => Some(36),
        b'\'' => Some(37),
        b' ' => Some(38),
        b'.' => Some(39),
        _ => None,
    }
}

struct Node {
    next: [u32; CLASSES],
    /// Lists having the word that ends here.
    mask: u64,
}

struct Lexicon {
    /// (address, bit) of the registered lists, sorted by address.
    lists: Vec<(usize, usize)>,
    nodes: Vec<Node>,
}

impl Lexicon {
    fn insert(&mut self, word: &str, bit: usize) {
        let mut n = 0usize;
        for &b in word.as_bytes() {
            let Some(c) = class(b) else { return };
            if self.nodes[n].next[c] == 0 {
                self.nodes.push(Node { next: [0; CLASSES], mask: 0 });
                self.nodes[n].next[c] = (self.nodes.len() - 1) as u32;
            }
            n = self.nodes[n].next[c] as usize;
        }
        self.nodes[n].mask |= 1 << bit;
    }

    /// (mask of the lists containing `word`, mask of the lists with an entry that is a prefix of it).
    #[inline]
    fn walk(&self, word: &[u8]) -> (u64, u64) {
        let mut n = 0usize;
        let mut prefixes = 0u64;
        for &b in word {
            let Some(c) = class(b) else { return (0, prefixes) };
            n = self.nodes[n].next[c] as usize;
            if n == 0 {
                return (0, prefixes);
            }
            prefixes |= self.nodes[n].mask;
        }
        (self.nodes[n].mask, prefixes)
    }
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
        v::REPORTER_SECTORS,
        crate::sponsor::STATE_NOUNS,
    ]
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let all = registered();
        let mut lex = Lexicon { lists: Vec::new(), nodes: vec![Node { next: [0; CLASSES], mask: 0 }] };
        for (bit, list) in all.iter().enumerate() {
            for w in list.iter() {
                lex.insert(w, bit);
            }
        }
        lex.lists = all.iter().enumerate().map(|(bit, l)| (l.as_ptr() as usize, bit)).collect();
        lex.lists.sort_unstable();
        lex
    })
}

/// The bit of a registered list.
#[inline]
fn bit_of(lex: &Lexicon, list: &[&str]) -> Option<usize> {
    let p = list.as_ptr() as usize;
    lex.lists.binary_search_by_key(&p, |&(a, _)| a).ok().map(|i| lex.lists[i].1)
}

/// (lists containing `word`, lists with an entry that is a prefix of `word`) as bit masks.
#[inline]
pub(crate) fn masks(word: &str) -> (u64, u64) {
    lexicon().walk(word.as_bytes())
}

thread_local! {
    /// Direct-mapped memo of list address → bit (or not registered), so that the per-token tests
    /// of the rules cost a pointer compare instead of a search.
    static LIST_BITS: [std::cell::Cell<(usize, u64)>; 64] = const { [const { std::cell::Cell::new((0, 0)) }; 64] };
}

/// The bit mask of a registered list (0: not registered).
#[inline]
pub(crate) fn list_bit(list: &[&str]) -> Option<u64> {
    let p = list.as_ptr() as usize;
    let slot = (p >> 3) % 64;
    let bit = LIST_BITS.with(|memo| {
        let (q, bit) = memo[slot].get();
        if q == p {
            bit
        } else {
            let bit = bit_of(lexicon(), list).map_or(0, |b| 1u64 << b);
            memo[slot].set((p, bit));
            bit
        }
    });
    (bit != 0).then_some(bit)
}

/// `Some(found)` if `list` is registered, `None` to fall back to a linear scan.
#[inline]
pub(crate) fn contains(list: &[&str], word: &str) -> Option<bool> {
    let lex = lexicon();
    let bit = bit_of(lex, list)?;
    Some(lex.walk(word.as_bytes()).0 & (1 << bit) != 0)
}

/// `Some(found)` if `list` (of stems) is registered: whether a prefix of `word` is in it.
#[inline]
pub(crate) fn has_stem(list: &[&str], word: &str) -> Option<bool> {
    let lex = lexicon();
    let bit = bit_of(lex, list)?;
    Some(lex.walk(word.as_bytes()).1 & (1 << bit) != 0)
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
