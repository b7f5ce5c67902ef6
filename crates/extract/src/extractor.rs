//! Building the extractor once and running it over many texts.

use std::borrow::Cow;

use spyglass_model::Vertical;

use crate::automaton::{Case, Dictionary, Hit, Kind};
use crate::rules::actors::{COMMON_WORD_ALIASES, CONTEXT_REQUIRED};
use crate::rules::context::{CLAUSE_BREAKS, NEGATION_PHRASES};
use crate::rules::{asset, sponsor, vertical};
use crate::index::{Entry, IndexBuilder, TokIndex};
use crate::text::{Sentences, Toks};
use crate::{
    ActorMatch, ActorName, CveMention, ExtractError, Extraction, Ioc, IocType, TechniqueMention, TextInput,
    asset as asset_rules, ioc, sponsor as sponsor_rules, vertical as vertical_rules,
};

/// Compiled rules and dictionaries; `Send + Sync`, build once and share.
#[derive(Debug)]
pub struct Extractor {
    dict: Dictionary,
    actors: Vec<ActorName>,
    companies: Vec<(String, Vertical)>,
    skipped: Vec<String>,
}

/// Options for [`Extractor`]: the actor dictionary and an optional company registry (company
/// name → vertical; names match with exact case, on word boundaries).
#[derive(Debug, Default)]
pub struct ExtractorBuilder {
    actors: Vec<ActorName>,
    companies: Vec<(String, Vertical)>,
}

impl ExtractorBuilder {
    /// The actor dictionary (every alias of every actor, with its sponsor).
    pub fn actors(mut self, actors: Vec<ActorName>) -> Self {
        self.actors = actors;
        self
    }

    /// Company registry hook: a victim named by company resolves to its vertical.
    pub fn companies(mut self, companies: Vec<(String, Vertical)>) -> Self {
        self.companies = companies;
        self
    }

    /// Compiles the rules, aliases and company names into one automaton.
    pub fn build(self) -> Result<Extractor, ExtractError> {
        let mut items: Vec<(String, Kind, Case)> = Vec::new();
        let mut skipped = Vec::new();
        rule_items(&mut items);
        for (i, a) in self.actors.iter().enumerate() {
            let name = a.name.trim();
            if name.is_empty() {
                return Err(ExtractError::BadActorName { index: i, actor_id: a.actor_id.clone(), reason: "empty name".into() });
            }
            if a.sponsor.as_ref().is_some_and(|s| s.len() != 2 || !s.bytes().all(|c| c.is_ascii_alphabetic())) {
                return Err(ExtractError::BadActorName {
                    index: i,
                    actor_id: a.actor_id.clone(),
                    reason: format!("sponsor {:?} is not an ISO 3166-1 alpha-2 code", a.sponsor),
                });
            }
            if name.as_bytes()[0].is_ascii() && !name.as_bytes()[0].is_ascii_alphanumeric() {
                // "[unnamed group]": cannot be matched on a word boundary; such placeholder
                // names are not aliases anyone writes in prose.
                skipped.push(name.to_string());
                continue;
            }
            let idx = u32::try_from(i).map_err(|_| ExtractError::Automaton("too many actor names".into()))?;
            for variant in alias_variants(name) {
                let case = if variant == name { actor_case(name) } else { actor_case(&variant).max(actor_case(name)) };
                items.push((variant, Kind::Actor(idx), case));
            }
        }
        for (i, (name, _)) in self.companies.iter().enumerate() {
            let name = name.trim();
            if name.is_empty() || (name.as_bytes()[0].is_ascii() && !name.as_bytes()[0].is_ascii_alphanumeric()) {
                return Err(ExtractError::BadCompany {
                    index: i,
                    name: name.to_string(),
                    reason: "empty or starts with punctuation".into(),
                });
            }
            let idx = u32::try_from(i).map_err(|_| ExtractError::Automaton("too many companies".into()))?;
            items.push((name.to_string(), Kind::Company(idx), Case::Exact));
        }
        let dict = Dictionary::build(items).map_err(ExtractError::Automaton)?;
        Ok(Extractor { dict, actors: self.actors, companies: self.companies, skipped })
    }
}

/// Spellings an alias also appears in: "APT28" as "APT 28"/"APT-28", "Lazarus Group" as "Lazarus",
/// "MuddyWater" as "Muddy Water".
fn alias_variants(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if let Some(split) = name.find(|c: char| c.is_ascii_digit()).filter(|&i| i >= 2) {
        let (head, tail) = name.split_at(split);
        if head.bytes().all(|c| c.is_ascii_alphabetic()) && tail.bytes().all(|c| c.is_ascii_digit()) {
            out.push(format!("{head} {tail}"));
            out.push(format!("{head}-{tail}"));
        }
    }
    for suffix in [" Group", " Team", " Gang", " Crew"] {
        if let Some(head) = name.strip_suffix(suffix)
            && head.len() >= 5
            && !head.contains(' ')
            && head.bytes().all(|c| c.is_ascii_alphanumeric())
        {
            out.push(head.to_string());
        }
    }
    // Two capitalised words are also written together ("Rocket Kitten" as "RocketKitten").
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() == 2
        && words.iter().all(|w| w.len() >= 3 && w.bytes().all(|c| c.is_ascii_alphabetic()) && w.as_bytes()[0].is_ascii_uppercase())
    {
        out.push(words.concat());
    }
    // CamelCase single words: split where a lower-case letter meets an upper-case one.
    let b = name.as_bytes();
    if b.iter().all(u8::is_ascii_alphabetic) && b.len() >= 8 {
        let cuts: Vec<usize> = (1..b.len()).filter(|&i| b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase()).collect();
        if cuts.len() == 1 && cuts[0] >= 3 && b.len() - cuts[0] >= 3 {
            out.push(format!("{} {}", &name[..cuts[0]], &name[cuts[0]..]));
        }
    }
    out
}

/// The case rule for an actor alias (see [`crate::rules::actors`]).
fn actor_case(name: &str) -> Case {
    if CONTEXT_REQUIRED.contains(&name) {
        return Case::ExactWithContext;
    }
    let letters = name.bytes().filter(u8::is_ascii_alphabetic).count();
    let has_lower = name.bytes().any(|c| c.is_ascii_lowercase());
    if (!has_lower && letters <= 4) || COMMON_WORD_ALIASES.iter().any(|w| w.eq_ignore_ascii_case(name)) {
        return Case::Exact;
    }
    Case::Any
}

fn case_of(p: &str, exact: &[&str]) -> Case {
    if exact.contains(&p) { Case::Exact } else { Case::Any }
}

/// Adds `p` and, for hyphenated cue phrases, the spaced spelling ("state-sponsored" → "state sponsored").
fn push_variants(items: &mut Vec<(String, Kind, Case)>, p: &str, kind: Kind, case: Case) {
    items.push((p.to_string(), kind, case));
    if p.contains('-') && !p.ends_with('*') {
        items.push((p.replace('-', " "), kind, case));
    }
    if p.contains('\'') {
        items.push((p.replace('\'', "\u{2019}"), kind, case));
    }
}

fn rule_items(items: &mut Vec<(String, Kind, Case)>) {
    for (i, (p, _, _)) in sponsor::NATIONS.iter().enumerate() {
        push_variants(items, p, Kind::Nation(i as u16), case_of(p, sponsor::EXACT_CASE));
    }
    for (i, (p, _)) in sponsor::ORGANS.iter().enumerate() {
        push_variants(items, p, Kind::Organ(i as u16), case_of(p, sponsor::EXACT_CASE));
    }
    for (i, (p, _)) in sponsor::SPONSORSHIP_CUES.iter().enumerate() {
        push_variants(items, p, Kind::Sponsorship(i as u16), case_of(p, sponsor::EXACT_CASE));
    }
    for (i, (p, _)) in vertical::VERTICALS.iter().enumerate() {
        push_variants(items, p, Kind::Vertical(i as u16), case_of(p, vertical::EXACT_CASE));
    }
    for (i, (p, _, _)) in asset::ASSETS.iter().enumerate() {
        push_variants(items, p, Kind::Asset(i as u16), case_of(p, asset::EXACT_CASE));
    }
    for p in asset::NOT_ASSETS {
        push_variants(items, p, Kind::NotAsset, case_of(p, asset::EXACT_CASE));
    }
    for p in asset::AI_CONTEXT {
        push_variants(items, p, Kind::AiContext, case_of(p, asset::EXACT_CASE));
    }
    for p in NEGATION_PHRASES {
        push_variants(items, p, Kind::Negation, Case::Any);
    }
    for p in CLAUSE_BREAKS {
        push_variants(items, p, Kind::ClauseBreak, Case::Any);
    }
    items.push(("CVE-".into(), Kind::Cve, Case::Any));
    items.push(("T1".into(), Kind::Attack, Case::Any));
    items.push(("AML.T".into(), Kind::Atlas, Case::Any));
    for p in ["http", "hxxp", "ftp", "sftp"] {
        items.push((p.into(), Kind::Url, Case::Any));
    }
}

/// Byte spans.
type Spans = Vec<(usize, usize)>;

/// Buffers reused from text to text on a thread: an extraction allocates only its output.
#[derive(Debug, Default)]
struct Scratch {
    hits: Vec<Hit>,
    entries: Vec<Entry>,
    ends: Vec<usize>,
    url_spans: Vec<(usize, usize)>,
    /// Offsets of `.`, `:` and `@`: the IOC candidates, and with `?` and line breaks the
    /// sentence ends.
    puncts: Vec<usize>,
    phrases: Vec<(usize, usize)>,
    sponsor: sponsor_rules::Scratch,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch {
            hits: Vec::new(),
            entries: Vec::new(),
            ends: Vec::new(),
            url_spans: Vec::new(),
            puncts: Vec::new(),
            phrases: Vec::new(),
            sponsor: sponsor_rules::Scratch::new(),
        })
    };
}

/// What the rule modules read: the text, its sorted hits and its sentences.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub hits: &'a [Hit],
    pub sentences: &'a Sentences,
    pub toks: &'a TokIndex,
    /// Whether the text has a negation or hedge phrase at all.
    pub negations: bool,
}

impl Ctx<'_> {
    /// Up to `N` tokens before `pos`, nearest first, not crossing `lo`.
    #[inline]
    pub(crate) fn before<const N: usize>(&self, lo: usize, pos: usize) -> Toks<N> {
        self.toks.before(self.text, lo, pos)
    }

    /// Up to `N` tokens from `pos` on, nearest first, not crossing `hi`.
    #[inline]
    pub(crate) fn after<const N: usize>(&self, pos: usize, hi: usize) -> Toks<N> {
        self.toks.after(self.text, pos, hi)
    }

    /// Hits starting in `[lo, hi)`.
    pub(crate) fn hits_in(&self, lo: usize, hi: usize) -> &[Hit] {
        let a = self.hits.partition_point(|h| h.start < lo);
        let b = self.hits.partition_point(|h| h.start < hi);
        &self.hits[a..b.max(a)]
    }

    /// Whether a hit of a kind accepted by `f` starts in `[lo, hi)`.
    pub(crate) fn has_hit(&self, lo: usize, hi: usize, f: impl Fn(Kind) -> bool) -> bool {
        self.hits_in(lo, hi).iter().any(|h| f(h.kind))
    }
}

impl Extractor {
    /// An extractor with the built-in rules and this actor dictionary.
    pub fn new(actors: Vec<ActorName>) -> Result<Self, ExtractError> {
        Self::builder().actors(actors).build()
    }

    /// A builder for an extractor with a company registry as well.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// Actor names left out of the automaton because they start with punctuation
    /// ("[unnamed group]") and so cannot be matched on a word boundary.
    pub fn skipped_names(&self) -> &[String] {
        &self.skipped
    }

    /// Number of distinct patterns in the compiled automaton (rules + aliases + companies).
    pub fn pattern_count(&self) -> usize {
        self.dict.pattern_count()
    }

    /// Benchmark helper: the distinct patterns of the automaton (rule phrases, aliases and their
    /// variants, company names) as written, one per automaton pattern.
    #[doc(hidden)]
    pub fn pattern_texts(&self) -> Vec<String> {
        self.dict.pattern_texts()
    }

    /// Benchmark helper: only the dictionary pass (every automaton hit after the case and boundary
    /// rules), no context rules; returns the number of hits.
    #[doc(hidden)]
    pub fn scan_only(&self, text: &str) -> usize {
        let mut hits = Vec::new();
        self.dict.scan(text, &mut hits, None);
        hits.len()
    }

    /// Benchmark helper: only the token index (tokens and their lexicon masks); returns the
    /// number of tokens.
    #[doc(hidden)]
    pub fn tokens_only(text: &str) -> usize {
        TokIndex::new(text).len()
    }

    /// Reduces HTML/Markdown to text and extracts from it; spans refer to the returned text.
    pub fn extract_input<'a>(&self, input: TextInput<'a>) -> (Cow<'a, str>, Extraction) {
        let text = input.reduce();
        let ex = self.extract(&text);
        (text, ex)
    }

    /// Everything found in `text`; spans are byte offsets into `text`.
    pub fn extract(&self, text: &str) -> Extraction {
        self.extract_upto(text, u8::MAX)
    }

    /// Profiling helper: the extraction pipeline up to `stage` (0 scan, 1 sentences and token
    /// index, 2 ids and IOCs, 3 actors, 4 sponsors, 5 verticals, then everything).
    #[doc(hidden)]
    pub fn extract_upto(&self, text: &str, stage: u8) -> Extraction {
        // borrowed in place (no moves of the buffers); a nested call gets fresh ones
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.extract_with(text, stage, &mut scratch),
            Err(_) => self.extract_with(text, stage, &mut Scratch::default()),
        })
    }

    fn extract_with(&self, text: &str, stage: u8, scratch: &mut Scratch) -> Extraction {
        let Scratch { hits, entries, ends, url_spans, puncts, phrases, sponsor } = scratch;
        hits.clear();
        url_spans.clear();
        // texts past u32::MAX bytes are not indexed (their windows are scanned from the text)
        let indexable = u32::try_from(text.len()).is_ok();
        let mut builder = IndexBuilder::new(text, std::mem::take(entries));
        let built = self.dict.scan(text, hits, indexable.then_some(&mut builder));
        if stage == 0 {
            *entries = builder.finish().into_entries();
            return Extraction::default();
        }
        let needs_context = hits.iter().any(|h| {
            matches!(h.kind, Kind::Nation(_) | Kind::Organ(_) | Kind::Actor(_) | Kind::Sponsorship(_) | Kind::Vertical(_) | Kind::Company(_) | Kind::Asset(_))
        });
        // one pass for the dots of both the sentence ends and the IOCs
        puncts.clear();
        puncts.extend(memchr::memchr3_iter(b'.', b':', b'@', text.as_bytes()));
        // only the context rules read sentences: a text without a hit of theirs needs none
        let sentences = if needs_context || stage == 1 {
            Sentences::new_in(text, std::mem::take(ends), puncts)
        } else {
            Sentences::whole(text, std::mem::take(ends))
        };
        let toks = match (needs_context && indexable, built) {
            (false, _) => {
                *entries = builder.finish().into_entries();
                TokIndex::default()
            }
            (true, true) => builder.finish(),
            (true, false) => {
                *entries = builder.finish().into_entries();
                TokIndex::new(text)
            }
        };
        let out = self.resolve(text, stage, hits, &sentences, &toks, (url_spans, puncts, phrases, sponsor));
        *ends = sentences.into_ends();
        let index = toks.into_entries();
        if index.capacity() > entries.capacity() {
            *entries = index;
        }
        out
    }

    /// The rules over the hits, sentences and token index of `text`.
    fn resolve(
        &self,
        text: &str,
        stage: u8,
        hits: &[Hit],
        sentences: &Sentences,
        toks: &TokIndex,
        (url_spans, puncts, attacker_phrases, sponsor_scratch): (&mut Spans, &[usize], &mut Spans, &mut sponsor_rules::Scratch),
    ) -> Extraction {
        if stage == 1 {
            return Extraction { verticals: Vec::with_capacity(toks.len() + sentences.len()), ..Extraction::default() };
        }
        let negations = hits.iter().any(|h| h.kind == Kind::Negation);
        let ctx = Ctx { text, hits, sentences, toks, negations };
        let mut out = Extraction::default();
        for h in hits {
            let ev = &text[h.start..h.end];
            match h.kind {
                Kind::Url => {
                    url_spans.push((h.start, h.end));
                    out.iocs.push(Ioc { kind: IocType::Url, value: ioc::refang(ev), evidence: ev.to_string(), start: h.start, end: h.end });
                }
                Kind::Cve => out.cves.push(CveMention { id: ev.to_ascii_uppercase(), evidence: ev.to_string(), start: h.start, end: h.end }),
                Kind::Attack | Kind::Atlas => out.techniques.push(TechniqueMention {
                    id: ev.to_ascii_uppercase(),
                    evidence: ev.to_string(),
                    start: h.start,
                    end: h.end,
                }),
                _ => {}
            }
        }
        ioc::scan(text, url_spans, puncts, &mut out.iocs);
        if stage == 2 {
            return out;
        }
        let in_ioc = |s: usize, e: usize| out.iocs.iter().any(|i| i.start < e && s < i.end);
        out.actors.reserve_exact(hits.iter().filter(|h| matches!(h.kind, Kind::Actor(_))).count());
        for h in hits {
            if let Kind::Actor(i) = h.kind
                && let Some(a) = self.actors.get(i as usize)
                && !in_ioc(h.start, h.end)
            {
                out.actors.push(ActorMatch {
                    name: text[h.start..h.end].to_string(),
                    start: h.start,
                    end: h.end,
                    actor: a.actor_name.clone(),
                    actor_id: a.actor_id.clone(),
                    sponsor: a.sponsor.as_ref().map(|s| s.to_ascii_uppercase()),
                });
            }
        }
        if stage == 3 {
            return out;
        }
        sponsor_rules::resolve(&ctx, &self.actors, &mut out, attacker_phrases, sponsor_scratch);
        if stage == 4 {
            return out;
        }
        vertical_rules::resolve(&ctx, &self.companies, attacker_phrases, &mut out);
        if stage == 5 {
            return out;
        }
        asset_rules::resolve(&ctx, &mut out);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn extractor_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }

    /// The token index built during the scan equals the one built from the bytes.
    #[test]
    fn index_built_in_the_scan_equals_index_from_bytes() {
        let ex = Extractor::new(vec![ActorName { name: "APT28".into(), actor_id: "x".into(), actor_name: "X".into(), sponsor: None }]).unwrap();
        let alphabet = [
            "a", "S", "s", "'s", "'", "-", " ", ",", "(", ".", "7", "\u{2019}s", "\u{2019}", "\u{2014}", "\u{a0}", "x-y", "China", "state",
            "hackers", "not", "behind", "'S", "--", "'-'", "The", "of", "\u{2019}S", ";", "\n", "APT28", "attacked",
            "-\u{2019}s", "a-'s", "x\u{2019}s\u{2019}s", "\u{2018}", "\u{2026}", "s-", "'s'",
        ];
        let mut seed = 0x1234_5678_9abc_def1_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut compared = 0;
        for _ in 0..30_000 {
            let mut t = String::new();
            for _ in 0..next() % 16 {
                t.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let mut hits = Vec::new();
            let mut builder = IndexBuilder::new(&t, Vec::new());
            if ex.dict.scan(&t, &mut hits, Some(&mut builder)) {
                assert_eq!(builder.finish().dump(), TokIndex::new(&t).dump(), "{t:?}");
                compared += 1;
            }
        }
        assert!(compared > 20_000, "{compared}");
    }

    #[test]
    fn variants() {
        assert_eq!(alias_variants("APT28"), ["APT28", "APT 28", "APT-28"]);
        assert_eq!(alias_variants("Lazarus Group"), ["Lazarus Group", "Lazarus", "LazarusGroup"]);
        assert_eq!(alias_variants("MuddyWater"), ["MuddyWater", "Muddy Water"]);
        assert_eq!(alias_variants("Fancy Bear"), ["Fancy Bear", "FancyBear"]);
    }

    #[test]
    fn actor_cases() {
        assert_eq!(actor_case("APT1"), Case::Exact);
        assert_eq!(actor_case("Zinc"), Case::Exact);
        assert_eq!(actor_case("UPS"), Case::ExactWithContext);
        assert_eq!(actor_case("Fancy Bear"), Case::Any);
        assert_eq!(actor_case("APT28"), Case::Exact);
        assert_eq!(actor_case("Sandworm Team"), Case::Any);
    }

    #[test]
    fn bad_actor_names_are_errors() {
        let a = ActorName { name: " ".into(), actor_id: "x".into(), actor_name: "X".into(), sponsor: None };
        let err = Extractor::new(vec![a]).unwrap_err().to_string();
        assert!(err.contains("entry 0") && err.contains("empty name"), "{err}");
        let a = ActorName { name: "Foo".into(), actor_id: "x".into(), actor_name: "X".into(), sponsor: Some("China".into()) };
        assert!(Extractor::new(vec![a]).is_err());
    }
}
