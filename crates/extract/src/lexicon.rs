//! Hash sets for the long rule word lists, built once. The rules call `word_in(w, LIST)` with the
//! static lists of [`crate::rules`]; lists registered here are looked up by their address in a
//! set of lower-case words instead of a linear scan (the lists stay the single source of truth).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::rules::{actors, asset, context, vertical};

/// FxHash (rustc's hasher): fast on the short keys used here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = BuildHasherDefault<FxHasher>;

struct Set {
    words: HashSet<Box<[u8]>, Fx>,
    min: usize,
    max: usize,
}

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

fn sets() -> &'static HashMap<usize, Set, Fx> {
    static SETS: OnceLock<HashMap<usize, Set, Fx>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut map = HashMap::default();
        for list in registered() {
            let words: HashSet<Box<[u8]>, Fx> =
                list.iter().map(|w| w.to_ascii_lowercase().into_bytes().into_boxed_slice()).collect();
            let min = list.iter().map(|w| w.len()).min().unwrap_or(0);
            let max = list.iter().map(|w| w.len()).max().unwrap_or(0);
            map.insert(list.as_ptr() as usize, Set { words, min, max });
        }
        map
    })
}

/// Lower-cases `word` into `buf` if it fits.
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

/// `Some(found)` if `list` is registered, `None` to fall back to a linear scan.
pub(crate) fn contains(list: &[&str], word: &str) -> Option<bool> {
    let set = sets().get(&(list.as_ptr() as usize))?;
    if word.len() < set.min || word.len() > set.max {
        return Some(false);
    }
    let mut buf = [0u8; 48];
    Some(lower(word, &mut buf).is_some_and(|w| set.words.contains(w)))
}

/// `Some(found)` if `list` (of stems) is registered: whether a prefix of `word` is in it.
pub(crate) fn has_stem(list: &[&str], word: &str) -> Option<bool> {
    let set = sets().get(&(list.as_ptr() as usize))?;
    let mut buf = [0u8; 48];
    let Some(w) = lower(word, &mut buf) else { return Some(false) };
    Some((set.min..=set.max.min(w.len())).any(|n| set.words.contains(&w[..n])))
}

#[cfg(test)]
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
