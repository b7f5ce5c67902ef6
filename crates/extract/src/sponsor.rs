//! Sponsor attribution and sponsorship wording.
//!
//! Each nation word, state organ and dictionary actor with a sponsor is given a role from its
//! context (rules in order, first that applies wins):
//! 1. a hyphen suffix: "-backed/-sponsored" → attacker (state), "-linked/-nexus/-aligned" →
//!    attacker (state-affiliated), "-based/-speaking" → attacker only before an actor noun;
//! 2. a victim noun right after ("Russian banks", "Chinese dissidents") → victim;
//! 3. "of" after a victim noun ("the networks of Iranian …"), "anti-" → victim;
//! 4. an attribution before it ("attributed to", "linked to", "on behalf of", "by", "from",
//!    "accused", "pro-") → attacker;
//! 5. an actor noun after it ("Chinese hackers", "Iranian threat actor"); nouns that are also
//!    victims ("government", "military", "officials") need an attack verb after them and no saying
//!    verb ("US officials said" is the attributor) → attacker;
//! 6. a country noun as the subject of an attack verb ("Israel used …", "… was behind") → attacker.
//!
//! Otherwise the mention is neutral and ignored. An attacker mention is dropped when its clause
//! opens with a negation or hedge from [`crate::rules::context::NEGATION_PHRASES`] ("no evidence
//! linking it to", "unlike", "false flag", "previously thought to be") or when "not behind/
//! responsible/involved" follows it.
//!
//! Scores: organ, "-backed"-style suffix and explicit attribution 3; actor noun or dictionary
//! actor 2. The sponsor is the country with the highest total; ties go to the earliest mention.

use spyglass_model::Sponsorship;

use crate::automaton::{Hit, Kind};
use crate::extractor::Ctx;
use crate::rules::context::*;
use crate::rules::sponsor::{NATIONS, NationForm, ORGANS, SPONSORSHIP_CUES, sponsorship_rank};
use crate::text::{Tok, stem_in, tok_str, word_in, words_after, words_before};
use crate::{ActorName, Extraction, SponsorBasis, SponsorMention, SponsorshipCue};

/// The role a mention plays in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Attacker { weight: u8, sponsorship: Option<Sponsorship>, end: usize },
    Victim,
    Neutral,
}

struct Scored {
    mention: SponsorMention,
    weight: u8,
}

/// Fills `sponsors`, `sponsor`, `sponsorship`, `sponsorship_cues` and `state_sponsored`.
pub(crate) fn resolve(ctx: &Ctx<'_>, actors: &[ActorName], out: &mut Extraction) {
    let text = ctx.text;
    let mut scored: Vec<Scored> = Vec::new();
    let mut cues: Vec<SponsorshipCue> = Vec::new();
    for h in ctx.hits {
        match h.kind {
            Kind::Nation(i) => {
                let (_, iso, form) = NATIONS[i as usize];
                if let Role::Attacker { weight, sponsorship, end } = nation_role(ctx, h, form) {
                    if negated(ctx, h.start, end) {
                        continue;
                    }
                    scored.push(scored_mention(text, iso, h.start, h.end, SponsorBasis::Nation, weight));
                    if let Some(s) = sponsorship {
                        cues.push(cue(text, s, h.start, end));
                    }
                }
            }
            Kind::Organ(i) => {
                let iso = ORGANS[i as usize].1;
                if organ_is_victim(ctx, h) || negated(ctx, h.start, h.end) {
                    continue;
                }
                scored.push(scored_mention(text, iso, h.start, h.end, SponsorBasis::Organ, 3));
                cues.push(cue(text, Sponsorship::State, h.start, h.end));
            }
            Kind::Actor(i) => {
                let Some(iso) = actors.get(i as usize).and_then(|a| a.sponsor.as_deref()) else { continue };
                if iso.len() != 2 || of_victim(ctx, h) || negated(ctx, h.start, h.end) {
                    continue;
                }
                scored.push(scored_mention(text, &iso.to_ascii_uppercase(), h.start, h.end, SponsorBasis::Actor, 2));
            }
            Kind::Sponsorship(i) => {
                let s = SPONSORSHIP_CUES[i as usize].1;
                let (ss, _) = ctx.sentences.bounds(h.start);
                let before = words_before(text, ss, h.start, 2);
                let plain_negated = before.iter().any(|t| word_in(tok_str(text, *t), &["not", "non", "no"]));
                if !plain_negated && !negated(ctx, h.start, h.end) {
                    cues.push(cue(text, s, h.start, h.end));
                }
            }
            _ => {}
        }
    }
    rank(scored, out);
    out.sponsorship = cues.iter().map(|c| c.sponsorship).max_by_key(|s| sponsorship_rank(*s));
    out.state_sponsored = out.sponsorship.is_some_and(Sponsorship::is_state_backed);
    cues.sort_by_key(|c| (c.start, c.end));
    cues.dedup_by(|a, b| a.start == b.start && a.sponsorship == b.sponsorship);
    out.sponsorship_cues = cues;
}

fn scored_mention(text: &str, iso: &str, s: usize, e: usize, basis: SponsorBasis, weight: u8) -> Scored {
    Scored {
        mention: SponsorMention { country: iso.to_string(), evidence: text[s..e].to_string(), start: s, end: e, basis },
        weight,
    }
}

fn cue(text: &str, sponsorship: Sponsorship, s: usize, e: usize) -> SponsorshipCue {
    SponsorshipCue { sponsorship, evidence: text[s..e].to_string(), start: s, end: e }
}

/// Orders mentions by country score (desc), then first position; sets the best country.
fn rank(scored: Vec<Scored>, out: &mut Extraction) {
    let mut totals: Vec<(String, u32, usize)> = Vec::new();
    for s in &scored {
        match totals.iter_mut().find(|t| t.0 == s.mention.country) {
            Some(t) => t.1 += u32::from(s.weight),
            None => totals.push((s.mention.country.clone(), u32::from(s.weight), s.mention.start)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    out.sponsor = totals.first().map(|t| t.0.clone());
    let order = |c: &str| totals.iter().position(|t| t.0 == c).unwrap_or(usize::MAX);
    let mut mentions: Vec<SponsorMention> = scored.into_iter().map(|s| s.mention).collect();
    mentions.sort_by_key(|m| (order(&m.country), m.start));
    out.sponsors = mentions;
}

/// First token before `pos` that is not a determiner or filler, and the token before that.
fn prev_tokens(ctx: &Ctx<'_>, pos: usize) -> (Option<Tok>, Option<Tok>, Option<Tok>) {
    let (ss, _) = ctx.sentences.bounds(pos);
    let before = words_before(ctx.text, ss, pos, 8);
    let mut it = before.into_iter().skip_while(|t| word_in(tok_str(ctx.text, *t), SKIP_BEFORE));
    (it.next(), it.next(), it.next())
}

fn s<'a>(ctx: &Ctx<'a>, t: Option<Tok>) -> &'a str {
    t.map_or("", |t| tok_str(ctx.text, t))
}

fn nation_role(ctx: &Ctx<'_>, h: &Hit, form: NationForm) -> Role {
    let text = ctx.text;
    let b = text.as_bytes();
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = words_after(text, h.end, se, 5);
    let hyphen = b.get(h.end) == Some(&b'-');
    // 1. hyphen suffix
    if hyphen && let Some(t) = after.first() {
        let w = tok_str(text, *t);
        if word_in(w, &["backed", "sponsored", "funded", "directed", "controlled", "run", "ordered"]) {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::State), end: t.end };
        }
        if word_in(w, &["linked", "nexus", "aligned", "affiliated", "connected", "tied", "associated", "related", "allied", "friendly", "leaning"]) {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::StateAffiliated), end: t.end };
        }
        if word_in(w, &["based", "origin", "speaking", "born", "located", "operated"]) {
            let actor_follows = after[1..].iter().take(3).any(|t| {
                let w = tok_str(text, *t);
                word_in(w, ACTOR_NOUNS) && !word_in(w, AMBIGUOUS_ACTOR_NOUNS)
            });
            return if actor_follows {
                Role::Attacker { weight: 2, sponsorship: None, end: h.end }
            } else {
                Role::Victim
            };
        }
        return Role::Neutral;
    }
    let next = after.first().filter(|t| !t.after_punct).map(|t| tok_str(text, *t));
    // 2. victim noun right after
    if let Some(w) = next
        && word_in(w, VICTIM_NOUNS)
        && !(word_in(w, ACTOR_NOUNS) && actor_reading(ctx, &after))
    {
        return Role::Victim;
    }
    let (p, p2, p3) = prev_tokens(ctx, h.start);
    let (ps, p2s, p3s) = (s(ctx, p), s(ctx, p2), s(ctx, p3));
    // 3. victim by "of" / "anti-"
    if ps.eq_ignore_ascii_case("anti") {
        return Role::Victim;
    }
    if ps.eq_ignore_ascii_case("of") {
        if p2s.eq_ignore_ascii_case("behalf") {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::State), end: h.end };
        }
        if word_in(p2s, VICTIM_OF_NOUNS) {
            return Role::Victim;
        }
    }
    // 4. attribution before
    if word_in(ps, &["to", "with"]) && stem_in(p2s, ATTRIBUTION_LINK_STEMS) {
        return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
    }
    if word_in(ps, &["in", "from", "inside", "within"]) {
        let actor_before = word_in(p2s, ACTOR_NOUNS) && !word_in(p2s, AMBIGUOUS_ACTOR_NOUNS);
        let based_actor = p2s.eq_ignore_ascii_case("based") && word_in(p3s, ACTOR_NOUNS);
        let originating = stem_in(p2s, &["originat", "operat", "launched", "conducted", "came", "coming", "routed", "traced"]);
        if actor_before || based_actor || originating {
            return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
        }
    }
    if word_in(ps, ATTRIBUTION_PREV) && !ps.eq_ignore_ascii_case("from") {
        if word_in(ps, &["by", "behind", "accused", "accuses", "accusing", "blamed", "blames", "blaming"]) {
            return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
        }
        // hedges ("allegedly", "suspected", "pro-") need an actor noun after (rule 5)
    }
    let victim_prev = word_in(ps, VICTIM_PREV) && !word_in(ps, ATTRIBUTION_PREV);
    // 5. actor noun after
    if next.is_some_and(|w| word_in(w, ACTOR_NOUNS)) {
        if victim_prev && !["of", "and", "to", "for"].iter().any(|x| ps.eq_ignore_ascii_case(x)) {
            return Role::Victim;
        }
        if actor_reading(ctx, &after) {
            let state_noun = after.iter().take(2).map(|t| tok_str(text, *t)).find(|w| {
                word_in(w, &["government", "state", "military", "army", "intelligence", "regime", "authorities", "forces", "agency", "agencies", "services", "security"])
            });
            let sponsorship = state_noun.map(|_| Sponsorship::State);
            let end = if sponsorship.is_some() { after[0].end } else { h.end };
            return Role::Attacker { weight: 2, sponsorship, end };
        }
        return Role::Neutral;
    }
    // 6. country noun as subject of an attack verb, or "… behind/responsible"
    if form != NationForm::Adjective && !victim_prev {
        let verbs: Vec<&str> = after.iter().take(4).map(|t| tok_str(text, *t)).collect();
        let aux = ["is", "was", "were", "are", "has", "had", "have", "been", "may", "might", "likely", "reportedly", "allegedly", "also", "probably", "itself"];
        let first_verb = verbs.iter().find(|w| !word_in(w, &aux));
        if let Some(v) = first_verb
            && !after.first().is_some_and(|t| t.after_punct)
            && (word_in(v, &["behind", "responsible"]) || (stem_in(v, ATTACK_VERB_STEMS) && !stem_in(v, SAY_VERB_STEMS)))
        {
            return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
        }
    }
    Role::Neutral
}

/// Whether the actor-noun phrase after a nation word reads as the attacker: a non-ambiguous actor
/// noun within the next three words, or an ambiguous one followed by an attack verb and no saying
/// verb.
fn actor_reading(ctx: &Ctx<'_>, after: &[Tok]) -> bool {
    let text = ctx.text;
    let mut i = 0;
    while i < after.len() && i < 3 {
        let t = after[i];
        if i > 0 && t.after_punct {
            break;
        }
        let w = tok_str(text, t);
        if !word_in(w, ACTOR_NOUNS) {
            break;
        }
        if !word_in(w, AMBIGUOUS_ACTOR_NOUNS) {
            // "Chinese hackers said …" is still the attacker; "group(s) of" too.
            return true;
        }
        i += 1;
    }
    // Only ambiguous nouns: look at the verb after them.
    for t in after.iter().skip(i.max(1)).take(3) {
        let w = tok_str(text, *t);
        if stem_in(w, SAY_VERB_STEMS) {
            return false;
        }
        if stem_in(w, ATTACK_VERB_STEMS) {
            return true;
        }
    }
    false
}

/// A state organ is the victim when an attack verb or preposition precedes it or a victim noun
/// follows it ("hacked the FSB website").
fn organ_is_victim(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = words_after(ctx.text, h.end, se, 1);
    if after.first().is_some_and(|t| !t.after_punct && word_in(tok_str(ctx.text, *t), VICTIM_NOUNS)) {
        return true;
    }
    let (p, _, _) = prev_tokens(ctx, h.start);
    let ps = s(ctx, p);
    word_in(ps, &["against", "targeted", "targeting", "target", "targets", "attacked", "hacked", "breached", "compromised", "infiltrated", "penetrated", "into", "on"])
        || of_victim(ctx, h)
}

/// "the infrastructure of X": a victim noun, then "of", then the mention.
fn of_victim(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let (p, p2, _) = prev_tokens(ctx, h.start);
    s(ctx, p).eq_ignore_ascii_case("of") && word_in(s(ctx, p2), VICTIM_OF_NOUNS)
}

/// Whether the clause that holds `[start, end)` opens with a negation or hedge (a `Negation` hit
/// of the automaton), or "not behind / responsible / involved" follows it.
pub(crate) fn negated(ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
    let text = ctx.text;
    let (ss, se) = ctx.sentences.bounds(start);
    let clause_start = clause_start(text, ss, start);
    if ctx.has_hit(clause_start, start, |k| k == Kind::Negation) {
        return true;
    }
    let after = words_after(text, end, se, 5);
    let words: Vec<&str> = after.iter().take_while(|t| !t.after_punct).map(|t| tok_str(text, *t)).collect();
    words.iter().any(|w| word_in(w, &["not", "never", "isn't", "wasn't", "weren't", "aren't"]))
        && words.iter().any(|w| word_in(w, &["behind", "responsible", "involved", "linked", "connected", "attributed", "related"]))
}

/// Start of the clause containing `pos`: after the last `,;()` or clause-break word in the sentence.
pub(crate) fn clause_start(text: &str, sentence_start: usize, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut start = sentence_start;
    if let Some(i) = b[sentence_start..pos].iter().rposition(|c| matches!(c, b',' | b';' | b'(' | b')')) {
        start = sentence_start + i + 1;
    }
    for t in words_before(text, start, pos, 12) {
        if word_in(tok_str(text, t), CLAUSE_BREAKS) {
            return t.end;
        }
    }
    start
}
