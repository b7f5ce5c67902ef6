//! Victim verticals.
//!
//! Each sector word ([`crate::rules::vertical::VERTICALS`]) or registry company name is a mention
//! unless it sits in the reporter's or the attacker's place ("according to the security firm",
//! "by Chinese AI labs", "the cybersecurity firm said", "Chinese government hackers"). A mention in
//! the victim's place (an attack verb or "on/of/in/against/including" in the six words before it,
//! or "sector", "companies", "networks" … right after it) scores 2, any other 1; words in
//! [`crate::rules::vertical::NEEDS_VICTIM_CONTEXT`] need the victim's place.
//!
//! Tie-break for the single `vertical`: the highest score, then the earliest mention — the first
//! victim named is usually the main one in incident descriptions.

use spyglass_model::Vertical;

use crate::automaton::Kind;
use crate::extractor::Ctx;
use crate::lexicon::{s, w, word_is};
use crate::rules::vertical::VERTICALS;
use crate::text::{Tok, any_word, tok_str};
use crate::{Extraction, VerticalMention};

/// Stems before a sector word that put it in the victim's place.
pub(crate) static VICTIM_CUES: &[&str] = &[
    "target", "against", "attack", "breach", "hack", "compromis", "infiltrat", "penetrat", "hit",
    "spied", "spy", "stole", "steal", "theft", "deface", "disrupt", "ddos", "intru", "victim", "affect",
    "impact", "exfiltrat", "phish", "ransom", "infect", "access", "leak", "sabotag", "wip", "encrypt",
    "extract",
];
/// Prepositions before a sector word (within three words) that put it in the victim's place.
pub(crate) static VICTIM_PREPS: &[&str] = &["on", "at", "into", "of", "in", "including", "such", "from", "across", "within"];
/// Nouns right after a sector word that make it the victim's sector.
pub(crate) static VICTIM_NEXT: &[&str] = &[
    "sector", "sectors", "industry", "industries", "organizations", "organisations", "entities",
    "companies", "company", "firms", "firm", "networks", "network", "systems", "websites", "website",
    "servers", "institutions", "targets", "providers", "provider", "facilities", "agencies",
    "employees", "staff", "users", "customers", "officials", "computers", "infrastructure", "services",
    "operators", "suppliers", "contractors", "workers", "offices", "accounts", "department",
    "sites", "site", "portal", "portals", "webpages", "pages",
];
/// Sector words that are usually the reporter when a saying verb follows ("the security firm
/// said"); any other sector speaking is a victim reporting its own breach ("the chipmaker said").
pub(crate) static REPORTER_SECTORS: &[&str] = &[
    "security firm", "security company", "security vendor", "security vendors", "cybersecurity firm",
    "cybersecurity company", "cybersecurity companies", "antivirus vendor", "researchers", "government",
    "governments", "police", "law enforcement", "ministry", "foreign ministry", "AI researchers",
];
/// Saying verbs after a sector word that make it the reporter ("the security firm said").
pub(crate) static SAY_VERBS: &[&str] = &[
    "said", "says", "say", "stated", "reported", "reports", "claimed", "claims", "announced", "warned",
    "told", "confirmed", "assessed", "attributed", "accused", "blamed", "disclosed", "published", "revealed",
];
/// Verbs before "by" that leave the noun after it neutral ("used by a municipal government").
pub(crate) static BY_NEUTRAL: &[&str] = &["used", "owned", "operated", "run", "administered", "managed", "hosted", "employed", "funded"];
/// Passive attack verbs: "X was hit/hacked" makes X the victim; "hacked by X" does not.
pub(crate) static VICTIM_PASSIVE: &[&str] = &[
    "hit", "hacked", "breached", "attacked", "targeted", "compromised", "defaced", "disrupted", "affected",
    "infiltrated", "penetrated", "struck", "victim", "suffered", "vulnerable", "breach", "intrusion",
    "cyberattack", "compromise",
];
/// Words right after a sector word that make it the attacker ("government hackers").
pub(crate) static ATTACKER_NEXT: &[&str] = &[
    "hackers", "hacker", "actors", "actor", "backed", "sponsored", "linked", "affiliated", "spies", "agents",
    "operatives", "team", "teams",
];
/// Verbs right after a sector word that make it a victim reporting its own breach.
pub(crate) static SELF_REPORT_SAY: &[&str] = &["said", "says", "disclosed", "confirmed", "announced", "stated", "revealed", "acknowledged", "admitted"];
/// Words before a sector word that make it the reporter ("according to …", "researchers at …").
pub(crate) static REPORTER_WORDS: &[&str] = &["according", "researchers", "analysts", "experts"];
/// Sector words that, capitalised after a capitalised word, end an actor's name ("Syrian Electronic Army").
pub(crate) static ARMY_NAMES: &[&str] = &["Army", "Command", "Brigade", "Front"];

/// What the word lists say about a sector phrase of [`VERTICALS`] (computed once).
#[derive(Debug, Clone, Copy, Default)]
struct PhraseFlags {
    reporter_sector: bool,
    tool_sensitive: bool,
    needs_victim_context: bool,
    /// The phrase is in [`ARMY_NAMES`]: so is every hit of it (a hit is the phrase's letters in
    /// any case, and no army name has a separator that a variant could spell otherwise).
    army_name: bool,
}

fn phrase_flags() -> &'static [PhraseFlags] {
    static FLAGS: std::sync::OnceLock<Vec<PhraseFlags>> = std::sync::OnceLock::new();
    FLAGS.get_or_init(|| {
        VERTICALS
            .iter()
            .map(|(p, _)| PhraseFlags {
                reporter_sector: word_is(p, w::REPORTER_SECTORS),
                tool_sensitive: word_is(p, w::TOOL_SENSITIVE),
                needs_victim_context: word_is(p, w::NEEDS_VICTIM_CONTEXT),
                army_name: word_is(p, w::ARMY_NAMES),
            })
            .collect()
    })
}

/// Fills `verticals` and `vertical`.
pub(crate) fn resolve(ctx: &Ctx<'_>, companies: &[(String, Vertical)], attacker_phrases: &[(usize, usize)], out: &mut Extraction) {
    let text = ctx.text;
    let mut best: Option<(u8, usize, Vertical)> = None;
    for h in ctx.hits {
        let code = match h.kind {
            Kind::Vertical(i) => VERTICALS[i as usize].1,
            Kind::Company(i) => match companies.get(i as usize) {
                Some(c) => c.1,
                None => continue,
            },
            _ => continue,
        };
        let overlaps = |s: usize, e: usize| s < h.end && h.start < e;
        let overlaps_attacker = out.sponsorship_cues.iter().any(|c| overlaps(c.start, c.end))
            || out.sponsors.iter().any(|m| overlaps(m.start, m.end))
            || out.actors.iter().any(|a| overlaps(a.start, a.end))
            || attacker_phrases.iter().any(|&(s, e)| overlaps(s, e));
        if overlaps_attacker {
            continue;
        }
        let (ss, se) = ctx.sentences.bounds(h.start);
        let before = ctx.before::<8>(ss, h.start);
        let after = ctx.after::<4>(h.end, se);
        let word = |t: &Tok| tok_str(text, *t);
        let flags = match h.kind {
            Kind::Vertical(i) => phrase_flags().get(i as usize).copied().unwrap_or_default(),
            _ => PhraseFlags::default(),
        };
        let reporter_sector = flags.reporter_sector;
        // Reporter: "according to …", "reported by …"; attacker: "carried out by …".
        let by_pos = before.iter().take(3).take_while(|t| !t.after_punct).position(|t| word(t).eq_ignore_ascii_case("by"));
        let by_agent = by_pos.is_some_and(|i| before.get(i + 1).is_some_and(|t| !t.is(w::BY_NEUTRAL) && !t.stem(s::VICTIM_PASSIVE)));
        // "OpenAI said a state-backed actor accessed …": a victim reporting its own breach
        let self_report = !reporter_sector
            && before.iter().take_while(|t| !t.after_punct).count() == before.len()
            && before.len() <= 2
            && after.first().is_some_and(|t| t.is(w::SELF_REPORT_SAY))
            && any_word(text, h.end, se, |t| t.stem(s::VICTIM_CUES) && !t.is(w::ACTOR_NOUNS));
        let reporter = by_agent
            || before.iter().take(4).take_while(|t| !t.after_punct).any(|t| t.is(w::REPORTER_WORDS))
            || (reporter_sector && after.iter().take(3).any(|t| t.is(w::SAY_VERBS)));
        // "Muslim Liberation Army", "Syrian Electronic Army": a capitalised name ending in Army is an
        // actor, unless a nation word precedes it ("US Army").
        let proper_army = text.as_bytes()[h.start].is_ascii_uppercase()
            && match h.kind {
                Kind::Vertical(_) => flags.army_name,
                _ => word_is(&text[h.start..h.end], w::ARMY_NAMES),
            }
            && before.first().is_some_and(|t| {
                word(t).as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                    && !ctx.hits_in(t.start, t.end).iter().any(|x| matches!(x.kind, Kind::Nation(_)))
            });
        let attacker = proper_army || after.first().is_some_and(|t| t.is(w::ATTACKER_NEXT));
        let tool = flags.tool_sensitive && before.iter().take(3).take_while(|t| !t.after_punct).any(|t| t.is(w::TOOL_PREV));
        if reporter || attacker || tool {
            continue;
        }
        // Victim: an attack verb before, a preposition just before (skipping determiners and
        // proper names), a victim noun after, or a passive attack verb after ("… was hit").
        let mut near = before.iter().filter(|t| !t.is(w::SKIP_BEFORE) && !word(t).as_bytes().first().is_some_and(u8::is_ascii_uppercase)).take(2);
        let victim = self_report
            || before.iter().any(|t| t.stem(s::VICTIM_CUES) && !t.is(w::ACTOR_NOUNS))
            || near.any(|t| t.is(w::VICTIM_PREPS))
            || after.first().is_some_and(|t| !t.after_punct && t.is(w::VICTIM_NEXT))
            || after.iter().take(4).take_while(|t| !t.after_punct).any(|t| t.stem(s::VICTIM_PASSIVE));
        let score = if victim {
            2
        } else if matches!(h.kind, Kind::Vertical(_)) && flags.needs_victim_context {
            0
        } else {
            1
        };
        if score == 0 {
            continue;
        }
        out.verticals.push(VerticalMention { code, evidence: text[h.start..h.end].to_string(), start: h.start, end: h.end });
        if best.is_none_or(|(bs, bp, _)| score > bs || (score == bs && h.start < bp)) {
            best = Some((score, h.start, code));
        }
    }
    out.vertical = best.map(|b| b.2);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The army-name flag of a sector phrase is what the lists say of its hits: the phrase in
    /// any case and its separator variants.
    #[test]
    fn army_flag_holds_for_every_spelling_of_the_phrase() {
        for (i, (p, _)) in VERTICALS.iter().enumerate() {
            let flag = phrase_flags()[i].army_name;
            let spellings = [p.to_string(), p.to_ascii_uppercase(), p.to_ascii_lowercase(), p.replace('-', " "), p.replace('\'', "\u{2019}")];
            for sp in &spellings {
                assert_eq!(word_is(sp, w::ARMY_NAMES), flag, "{p:?} as {sp:?}");
            }
            assert!(!p.ends_with('*'), "{p:?}: a stem's hit is not the phrase");
        }
    }
}
