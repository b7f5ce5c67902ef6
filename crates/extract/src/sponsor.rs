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
use crate::rules::sponsor::{NATIONS, NationForm, ORGANS, SPONSORSHIP_CUES, sponsorship_rank};
use crate::lexicon::{s, w};
use crate::text::{Tok, Toks, any_word, is_opt, stem_opt, tok_str};
use crate::{ActorName, Extraction, SponsorBasis, SponsorMention, SponsorshipCue};

/// The role a mention plays in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Attacker { weight: u8, sponsorship: Option<Sponsorship>, end: usize },
    Victim,
    Neutral,
}

#[derive(Debug)]
struct Scored {
    mention: SponsorMention,
    weight: u8,
}

/// Fills `sponsors`, `sponsor`, `sponsorship`, `sponsorship_cues` and `state_sponsored`; returns
/// the spans of attacker phrases ("Chinese government", "Syrian Electronic Army") so that sector
/// words inside them are not taken for victims.
pub(crate) fn resolve(ctx: &Ctx<'_>, actors: &[ActorName], out: &mut Extraction, phrases: &mut Vec<(usize, usize)>, scratch: &mut Scratch) {
    let text = ctx.text;
    let (scored, nation_roles, totals) = (&mut scratch.scored, &mut scratch.nations, &mut scratch.totals);
    scored.clear();
    nation_roles.clear();
    phrases.clear();
    let mut cues: Vec<SponsorshipCue> = Vec::new();
    // Nation roles first (with coordination: "Russian and Chinese hackers").
    for (k, h) in ctx.hits.iter().enumerate() {
        if let Kind::Nation(i) = h.kind {
            let (_, iso, form) = NATIONS[i as usize];
            nation_roles.push((k, iso, nation_role(ctx, h, form)));
        }
    }
    coordinate(text, ctx.hits, nation_roles, &mut scratch.links);
    let nations = &*nation_roles;
    for &(k, iso, role) in nations {
        let h = &ctx.hits[k];
        if let Role::Attacker { weight, sponsorship, end } = role {
            if negated(ctx, h.start, end) {
                continue;
            }
            scored.push(scored_mention(text, iso, h.start, h.end, SponsorBasis::Nation, weight));
            phrases.push((h.start, end));
            if let Some(s) = sponsorship {
                cues.push(cue(text, s, h.start, end));
            }
        }
    }
    for h in ctx.hits {
        match h.kind {
            Kind::Organ(i) => {
                let iso = ORGANS[i as usize].1;
                let other_nation_before = nations.iter().any(|&(k, niso, _)| {
                    let n = &ctx.hits[k];
                    niso != iso && n.end <= h.start && text[n.end..h.start].trim().is_empty()
                });
                if other_nation_before || organ_is_victim(ctx, h) || is_reporter(ctx, h) || negated(ctx, h.start, h.end) {
                    continue;
                }
                scored.push(scored_mention(text, iso, h.start, h.end, SponsorBasis::Organ, 3));
                cues.push(cue(text, Sponsorship::State, h.start, h.end));
                phrases.push((h.start, h.end));
            }
            Kind::Actor(i) => {
                let Some(actor) = actors.get(i as usize) else { continue };
                // an actor without a country names no sponsor: no context to read
                // sponsors are validated ISO alpha-2 codes (see `ExtractorBuilder::build`)
                let mut upper = [0u8; 2];
                let iso = match actor.sponsor.as_deref() {
                    Some(iso) if iso.len() == 2 => {
                        upper.copy_from_slice(iso.as_bytes());
                        upper.make_ascii_uppercase();
                        std::str::from_utf8(&upper).unwrap_or(iso)
                    }
                    Some(iso) => iso,
                    // "Syrian Electronic Army": a nation word opening the alias names the origin.
                    None => match nation_prefix(&text[h.start..h.end]) {
                        Some(iso) => iso,
                        None => continue,
                    },
                };
                // the two nearest are all these tests read: the window stops there
                let (ss, _) = ctx.sentences.bounds(h.start);
                let prev: Toks<2> = ctx.toks.before_skipping(text, ss, h.start, 10, w::SKIP_BEFORE);
                if of_victim(ctx, &prev) || possessed(ctx, &prev) || negated(ctx, h.start, h.end) {
                    continue;
                }
                scored.push(scored_mention(text, iso, h.start, h.end, SponsorBasis::Actor, 2));
                phrases.push((h.start, h.end));
            }
            Kind::Sponsorship(i) => {
                let s = SPONSORSHIP_CUES[i as usize].1;
                let (ss, _) = ctx.sentences.bounds(h.start);
                let before = ctx.before::<2>(ss, h.start);
                let plain_negated = before.iter().any(|t| t.is(w::CUE_NEGATORS));
                if !plain_negated && !negated(ctx, h.start, h.end) {
                    cues.push(cue(text, s, h.start, h.end));
                }
            }
            _ => {}
        }
    }
    rank(scored, totals, out);
    out.sponsorship = cues.iter().map(|c| c.sponsorship).max_by_key(|s| sponsorship_rank(*s));
    out.state_sponsored = out.sponsorship.is_some_and(Sponsorship::is_state_backed);
    cues.sort_by_key(|c| (c.start, c.end));
    cues.dedup_by(|a, b| a.start == b.start && a.sponsorship == b.sponsorship);
    out.sponsorship_cues = cues;
}

/// Buffers reused from text to text (the extractor's per-thread scratch holds one).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    scored: Vec<Scored>,
    /// (hit index, ISO code, role) of the nation words.
    nations: Vec<(usize, &'static str, Role)>,
    /// Per country (see [`rank`]): its key, total score and first position.
    totals: Vec<Total>,
    /// The joined pairs of nation words (see [`coordinate`]).
    links: Vec<usize>,
}

impl Scratch {
    pub(crate) const fn new() -> Self {
        Scratch { scored: Vec::new(), nations: Vec::new(), totals: Vec::new(), links: Vec::new() }
    }
}

/// The ISO code of a nation adjective or noun that opens `alias` ("Syrian Electronic Army").
fn nation_prefix(alias: &str) -> Option<&'static str> {
    // the first word (a byte search: both separators are ASCII); a one-word alias has no prefix
    let cut = alias.bytes().position(|c| c == b' ' || c == b'-')?;
    let first = &alias[..cut];
    // the adjectives of NATIONS, lower-cased and sorted, the first ISO code of each kept
    static ADJECTIVES: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    let adjectives = ADJECTIVES.get_or_init(|| {
        let mut v: Vec<(String, &'static str)> = Vec::new();
        for (p, iso, form) in NATIONS {
            if *form == NationForm::Adjective && !v.iter().any(|(q, _)| q.eq_ignore_ascii_case(p)) {
                v.push((p.to_ascii_lowercase(), iso));
            }
        }
        v.sort();
        v
    });
    let mut buf = [0u8; 32];
    let key = buf.get_mut(..first.len())?;
    key.copy_from_slice(first.as_bytes());
    key.make_ascii_lowercase();
    adjectives.binary_search_by(|(p, _)| p.as_bytes().cmp(key)).ok().map(|i| adjectives[i].1)
}

/// What separates joined nation words besides "and"/"or": white space, quotes, commas.
fn gap_char(c: char) -> bool {
    c.is_whitespace() || c == '"' || c == ','
}

/// [`gap_char`] for ASCII characters, without the Unicode white-space table.
fn gap_char_ascii(c: char) -> bool {
    matches!(c, '\t'..='\r' | ' ' | '"' | ',')
}

/// Nation words joined by "and"/"or"/"," share the attacker role: in "Russian and Chinese
/// hackers" only the second is next to the actor noun.
fn coordinate(text: &str, hits: &[Hit], nations: &mut [(usize, &str, Role)], links: &mut Vec<usize>) {
    links.clear();
    links.extend((0..nations.len().saturating_sub(1)).filter(|&i| joined(text, &hits[nations[i].0], &hits[nations[i + 1].0])));
    // a role passes along a joined pair until nothing changes
    for _ in 0..if links.is_empty() { 0 } else { nations.len() } {
        let mut changed = false;
        for &i in links.iter() {
            match (nations[i].2, nations[i + 1].2) {
                (Role::Attacker { weight, .. }, Role::Neutral) => {
                    nations[i + 1].2 = Role::Attacker { weight, sponsorship: None, end: hits[nations[i + 1].0].end };
                    changed = true;
                }
                (Role::Neutral, Role::Attacker { weight, .. }) => {
                    nations[i].2 = Role::Attacker { weight, sponsorship: None, end: hits[nations[i].0].end };
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether the gap between two nation words joins them: it is "and" or "or" between gap
/// characters, or gap characters with a comma among them.
fn joined(text: &str, a: &Hit, b: &Hit) -> bool {
    if a.end > b.start {
        return false;
    }
    let raw = &text[a.end..b.start];
    // Most gaps hold other words: past the leading ASCII gap bytes, a gap that does not go on
    // with "and"/"or" is no join (gap characters are the same for ASCII and Unicode). Only
    // the others are trimmed in full.
    let g = raw.as_bytes();
    let s = g.iter().position(|&c| !(c.is_ascii() && gap_char_ascii(char::from(c)))).unwrap_or(g.len());
    if s == g.len() {
        return raw.contains(',');
    }
    let rest = &g[s..];
    let word = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if rest[0].is_ascii() && !word(b"and") && !word(b"or") {
        return false;
    }
    let gap = if raw.is_ascii() { raw.trim_matches(gap_char_ascii) } else { raw.trim_matches(gap_char) };
    gap.eq_ignore_ascii_case("and") || gap.eq_ignore_ascii_case("or") || gap.is_empty() && raw.contains(',')
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

/// A country's key (its code, zero-padded, and length), total score and first position.
type Total = (([u8; 8], usize), u32, usize);

/// Orders mentions by country score (desc), then first position; sets the best country. The
/// first attacker mention in the text gets one extra point: it is usually the subject.
fn rank(scored: &mut Vec<Scored>, totals: &mut Vec<Total>, out: &mut Extraction) {
    // countries are ISO alpha-2 codes (tables and validated dictionary entries): a short key
    let key = |c: &str| {
        let mut k = [0u8; 8];
        let n = c.len().min(8);
        k[..n].copy_from_slice(&c.as_bytes()[..n]);
        (k, c.len())
    };
    totals.clear();
    // most texts have no attribution or one: nothing to rank
    if scored.len() <= 1 {
        out.sponsors = scored.drain(..).map(|s| s.mention).collect();
        if let Some(m) = out.sponsors.first() {
            out.sponsor = Some(m.country.clone());
        }
        return;
    }
    let first = scored.iter().map(|s| s.mention.start).min();
    for s in scored.iter() {
        let bonus = u32::from(Some(s.mention.start) == first);
        let k = key(&s.mention.country);
        match totals.iter_mut().find(|t| t.0 == k) {
            Some(t) => {
                t.1 += u32::from(s.weight) + bonus;
                t.2 = t.2.min(s.mention.start);
            }
            None => totals.push((k, u32::from(s.weight) + bonus, s.mention.start)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    if let Some(best) = totals.first() {
        out.sponsor = scored.iter().find(|s| key(&s.mention.country) == best.0).map(|s| s.mention.country.clone());
    }
    let order = |c: &str| totals.iter().position(|t| t.0 == key(c)).unwrap_or(usize::MAX);
    scored.sort_by_key(|s| (order(&s.mention.country), s.mention.start));
    out.sponsors = scored.drain(..).map(|s| s.mention).collect();
}

/// Up to five tokens before `pos` in its sentence, skipping determiners and fillers (the
/// first ones of a longer window: a shorter one stops earlier).
fn prev_tokens(ctx: &Ctx<'_>, pos: usize) -> Toks<5> {
    let (ss, _) = ctx.sentences.bounds(pos);
    ctx.toks.before_skipping(ctx.text, ss, pos, 10, w::SKIP_BEFORE)
}

fn word_at<'a>(ctx: &Ctx<'a>, toks: &[Tok], i: usize) -> &'a str {
    toks.get(i).map_or("", |t| tok_str(ctx.text, *t))
}


/// Whether a token is an actor noun by its shape ("HackTeam", "Hackergroup", "CyberTeam").
fn actor_shaped(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 6 {
        return false; // every shape below has six bytes or more
    }
    // every shape starts with "h" ("hacker…") or ends with the last letter of a suffix below
    if b[0] | 0x20 != b'h' && !matches!(b[b.len() - 1] | 0x20, b'm' | b'p' | b'w' | b'y' | b's') {
        return false;
    }
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ends = |p: &str| b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
    starts("hacker") || starts("hackteam") || (b.len() > 5 && ["team", "group", "crew", "army", "hackers"].iter().any(|s| ends(s)))
}

fn nation_role(ctx: &Ctx<'_>, h: &Hit, form: NationForm) -> Role {
    let text = ctx.text;
    let b = text.as_bytes();
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after::<6>(h.end, se);
    let hyphen = b.get(h.end) == Some(&b'-');
    let prev = prev_tokens(ctx, h.start);
    // 0. possession by someone else: "belonging to X", "took over X", "hijacked X"
    if possessed(ctx, &prev) {
        return Role::Victim;
    }
    // 1. hyphen suffix
    if hyphen && let Some(t) = after.first() {
        let word = tok_str(text, *t);
        let stripped = ["state-", "government-"].iter().find_map(|p| word.strip_prefix(p));
        // the suffix word: the token itself, or what follows "state-" in "China-state-backed"
        let (wm, _) = match stripped {
            Some(rest) => crate::lexicon::masks(rest),
            None => (t.word, t.pre),
        };
        if wm & w::HYPHEN_STATE.bit() != 0 {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::State), end: t.end };
        }
        if wm & w::HYPHEN_AFFILIATED.bit() != 0 {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::StateAffiliated), end: t.end };
        }
        if wm & w::HYPHEN_BASED.bit() != 0 {
            let actor_follows = after[1..].iter().take(3).any(|t| {
                let word = tok_str(text, *t);
                let lower = word.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
                (t.is(w::ACTOR_NOUNS) && !t.is(w::AMBIGUOUS_ACTOR_NOUNS) && (lower || t.is(w::TITLE_ACTOR_NOUNS)))
                    || (actor_shaped(word) && !t.is(w::GROUP_TEAM))
            });
            return if actor_follows { Role::Attacker { weight: 2, sponsorship: None, end: t.end } } else { Role::Victim };
        }
        return Role::Neutral;
    }
    let next_t = after.first().filter(|t| !t.after_punct);
    // "working for Chinese companies", "spying for Russia": the employer is the sponsor
    let (p, p2) = (prev.first(), prev.get(1));
    if p.is_some_and(|t| tok_str(text, *t).eq_ignore_ascii_case("for")) && stem_opt(p2, s::EMPLOYED) {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    if is_opt(next_t, w::ORIGIN) {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    let actor_phrase = actor_reading(ctx, &after);
    // 2. victim noun right after
    if is_opt(next_t, w::VICTIM_NOUNS) && actor_phrase.is_none()
    {
        return Role::Victim;
    }
    let (ps, p2s) = (word_at(ctx, &prev, 0), word_at(ctx, &prev, 1));
    let (p, p2, p3) = (prev.first(), prev.get(1), prev.get(2));
    // 3. victim by "of" / "anti-"; attacker by "part of", "on behalf of", "hackers of"
    if ps.eq_ignore_ascii_case("anti") {
        return Role::Victim;
    }
    if ps.eq_ignore_ascii_case("of") {
        if is_opt(p2, w::SUPPORT) {
            return Role::Attacker { weight: 1, sponsorship: None, end: actor_phrase.unwrap_or(h.end) };
        }
        let organ_part = is_opt(p2, w::ORGAN_PARTS);
        let state_after = is_opt(next_t, w::STATE_NOUNS);
        if is_opt(p2, w::ATTACKER_OF_NOUNS) && (!organ_part || state_after) {
            let sponsorship = is_opt(p2, w::PART_BEHALF).then_some(Sponsorship::State);
            return Role::Attacker { weight: 3, sponsorship, end: actor_phrase.unwrap_or(h.end) };
        }
        if is_opt(p2, w::VICTIM_OF_NOUNS) {
            return Role::Victim;
        }
    }
    // 4. attribution before
    // "computers associated with the U.S. Air Force": a victim noun linked is possession, not attribution
    let possession = is_opt(p3, w::VICTIM_OF_NOUNS) || is_opt(p3, w::VICTIM_NOUNS);
    if is_opt(p, w::TO_WITH)
        && !possession
        && (stem_opt(p2, s::ATTRIBUTION_LINK_STEMS) || stem_opt(p3, s::ATTRIBUTION_LINK_STEMS))
    {
        // "linked to the Chinese military" suggests state affiliation; "linked to a Chinese state
        // hacker group" names a state group.
        let state = after.first().filter(|t| !t.after_punct && t.is(w::STATE_NOUNS));
        return match state {
            Some(t) => {
                let group = actor_phrase.is_some_and(|e| e > t.end);
                let sponsorship = if group { Sponsorship::State } else { Sponsorship::StateAffiliated };
                Role::Attacker { weight: 3, sponsorship: Some(sponsorship), end: actor_phrase.unwrap_or(t.end) }
            }
            None => Role::Attacker { weight: 3, sponsorship: None, end: actor_phrase.unwrap_or(h.end) },
        };
    }
    // "stolen and collected on a server in China": where the stolen data went
    if ps.eq_ignore_ascii_case("in")
        && form != NationForm::Adjective
        && is_opt(p2, w::MACHINES)
        && any_word(text, ctx.sentences.bounds(h.start).0, h.start, |t| t.stem(s::STOLEN_DATA))
    {
        return Role::Attacker { weight: 1, sponsorship: None, end: h.end };
    }
    // "exfiltrated … to China": the destination of stolen data
    if ps.eq_ignore_ascii_case("to")
        && form != NationForm::Adjective
        && any_word(text, ctx.sentences.bounds(h.start).0, h.start, |t| t.stem(s::EXFILTRATED_TO))
    {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    // "confirmed/believed to be the French government"
    if ps.eq_ignore_ascii_case("be") && p2s.eq_ignore_ascii_case("to") {
        let sponsorship = after.first().filter(|t| t.is(w::STATE_NOUNS)).map(|_| Sponsorship::State);
        return Role::Attacker { weight: 3, sponsorship, end: actor_phrase.unwrap_or(h.end) };
    }
    if is_opt(p, w::IN_FROM) {
        // "a hospital group in the United States" is a company, not an actor
        let company_group = p2.is_some_and(|t| {
            t.is(w::COMPANY_GROUPS)
                && ctx.hits_in(t.start.saturating_sub(40), t.start).iter().any(|x| matches!(x.kind, Kind::Vertical(_)) && x.end + 1 >= t.start)
        });
        let actor_before = !company_group && ((is_opt(p2, w::ACTOR_NOUNS) && !is_opt(p2, w::AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(p2s));
        let based_actor = p2s.eq_ignore_ascii_case("based")
            && prev.iter().skip(2).any(|t| {
                (t.is(w::ACTOR_NOUNS) && !t.is(w::AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(tok_str(text, *t))
            });
        let originating = stem_opt(p2, s::ORIGINATING);
        if actor_before || based_actor || originating {
            return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
        }
    }
    if ps.eq_ignore_ascii_case("by") {
        let reported = prev.iter().skip(1).take(5).any(|t| t.stem(s::SAY_VERB_STEMS)) || is_opt(p2, w::REPORT_NOUNS);
        if !reported && stem_opt(p2, s::BY_ATTACK_STEMS) {
            return Role::Attacker { weight: 3, sponsorship: None, end: actor_phrase.unwrap_or(h.end) };
        }
        if actor_phrase.is_none() {
            return Role::Neutral;
        }
    }
    if is_opt(p, w::BEHIND_ACCUSED) {
        return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
    }
    // "X accused of", "X blamed for": the nation is the one accused.
    if form != NationForm::Adjective
        && is_opt(next_t, w::ACCUSED_AFTER)
    {
        return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
    }
    // Appositive: "the hacker group Yemeni Cyber Army".
    if prev.first().is_some_and(|t| !t.after_punct || t.is(w::APPOSITIVE_NOUNS))
        && ((is_opt(p, w::ACTOR_NOUNS) && !is_opt(p, w::AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(ps))
    {
        let sponsorship = is_opt(next_t, w::STATE_NOUNS).then_some(Sponsorship::State);
        return Role::Attacker { weight: 2, sponsorship, end: actor_phrase.unwrap_or(h.end) };
    }
    if ps.eq_ignore_ascii_case("from")
        && form != NationForm::Adjective
        && actor_phrase.is_none()
        && !is_opt(p2, w::VICTIM_OF_NOUNS)
        && !stem_opt(p2, s::TAKEN_FROM)
    {
        return Role::Attacker { weight: 1, sponsorship: None, end: h.end };
    }
    // a victim word across clause punctuation ("…compromised; the Chinese government") does not count
    let victim_prev = p.is_some_and(|t| !t.after_punct) && is_opt(p, w::VICTIM_PREV) && !is_opt(p, w::ATTRIBUTION_PREV);
    // 5. actor noun after
    if let Some(end) = actor_phrase {
        if victim_prev && !is_opt(p, w::COORDINATORS) {
            return Role::Victim;
        }
        let state_noun = after.iter().take(3).find(|t| {
            let word = tok_str(text, **t).as_bytes();
            t.is(w::STATE_NOUNS) || (word.len() >= 6 && word[..6].eq_ignore_ascii_case(b"state-"))
        });
        let sponsorship = state_noun.map(|_| Sponsorship::State);
        return Role::Attacker { weight: 2, sponsorship, end };
    }
    // 6. country noun as subject of an attack verb, or "… behind/responsible"
    if form != NationForm::Adjective && !victim_prev && !after.first().is_some_and(|t| t.after_punct) {
        let passive = after.first().is_some_and(|t| t.is(w::BE));
        let first_verb = after.iter().take(4).find(|t| !t.is(w::SUBJECT_AUX));
        if let Some(t) = first_verb {
            let v = tok_str(text, *t);
            let headline = v.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
            if t.is(w::BEHIND) || (!passive && !headline && t.stem(s::ATTACK_VERB_STEMS) && !t.stem(s::SAY_VERB_STEMS))
            {
                return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
            }
        }
    }
    Role::Neutral
}

/// Whether the words after a nation word read as the attacker, and where that phrase ends: a
/// non-ambiguous actor noun within the next three words ("Chinese state-sponsored hacking group"),
/// a capitalised name ending in Army/Team/Group… ("Syrian Electronic Army"), or ambiguous nouns
/// ("government", "intelligence services") directly followed by an active attack verb ("the Chinese
/// government hacked"), not a saying verb ("US officials said") nor a passive ("were stolen").
fn actor_reading(ctx: &Ctx<'_>, after: &[Tok]) -> Option<usize> {
    let text = ctx.text;
    let mut i = 0;
    let mut capitalised = 0;
    while i < after.len() && i < 3 {
        let t = after[i];
        if t.after_punct {
            break;
        }
        let word = tok_str(text, t);
        let title = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        if t.is(w::GROUP_NAMES) && title && (i == 0 || capitalised == i) {
            return Some(t.end);
        }
        let compound = word.contains('-')
            && word.split('-').any(|part| {
                let (m, _) = crate::lexicon::masks(part);
                m & w::COMPOUND_PARTS.bit() != 0 || (m & w::ACTOR_NOUNS.bit() != 0 && m & w::AMBIGUOUS_ACTOR_NOUNS.bit() == 0)
            });
        if (t.is(w::ACTOR_NOUNS) && !t.is(w::AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(word) || compound {
            return Some(t.end);
        }
        if title && (!t.is(w::ACTOR_NOUNS) || t.is(w::AMBIGUOUS_ACTOR_NOUNS)) {
            capitalised += 1;
            i += 1;
            continue;
        }
        if !t.is(w::ACTOR_NOUNS) {
            break;
        }
        i += 1;
    }
    if i == 0 || i == capitalised {
        return None;
    }
    // Only ambiguous nouns: the next word (after auxiliaries) must be an active attack verb.
    let mut passive = false;
    for t in after.iter().skip(i).take(4) {
        if t.after_punct {
            return None;
        }
        if t.is(w::BEHIND) {
            return Some(after[i - 1].end); // "the Chinese government may have been behind"
        }
        if t.is(w::BE_BEING) {
            passive = true;
            continue;
        }
        if t.is(w::PHRASE_AUX) {
            continue;
        }
        let attack = t.stem(s::ATTACK_VERB_STEMS) && !t.stem(s::SAY_VERB_STEMS);
        return (attack && !passive).then(|| after[i - 1].end);
    }
    None
}

/// A state organ is the victim when an attack verb or preposition precedes it or a victim noun
/// follows it ("hacked the FSB website").
fn organ_is_victim(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after::<1>(h.end, se);
    if after.first().is_some_and(|t| !t.after_punct && (t.is(w::VICTIM_NOUNS) || t.is(w::ORGAN_NEUTRAL_NEXT))) {
        return true;
    }
    let all = prev_tokens(ctx, h.start);
    // "the Russian FSB": look past the nation word.
    let prev: &[Tok] = if all.first().is_some_and(|t| ctx.hits_in(t.start, t.end).iter().any(|x| matches!(x.kind, Kind::Nation(_)))) {
        &all[1..]
    } else {
        &all
    };
    is_opt(prev.first(), w::ORGAN_VICTIM_PREV) || of_victim(ctx, prev)
}

/// A state organ (or actor) reporting, not attacking: a saying verb follows it ("the NSA has
/// confirmed", "issued a warning") or it is the agent of one ("discovered by the NSA").
fn is_reporter(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let text = ctx.text;
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after::<4>(h.end, se);
    let said = after
        .iter()
        .find(|t| !t.is(w::REPORTER_SKIP) && !tok_str(text, **t).bytes().all(|c| c.is_ascii_uppercase()))
        .is_some_and(|t| t.stem(s::SAY_VERB_STEMS));
    let prev = prev_tokens(ctx, h.start);
    let by_reporter = word_at(ctx, &prev, 0).eq_ignore_ascii_case("by") && prev.iter().skip(1).take(3).any(|t| t.stem(s::SAY_VERB_STEMS));
    said || by_reporter
}

/// "belonging to X", "took over (an) X", "hijacked X": X is the victim.
fn possessed(ctx: &Ctx<'_>, prev: &[Tok]) -> bool {
    let (p, p2) = (word_at(ctx, prev, 0), word_at(ctx, prev, 1));
    (p.eq_ignore_ascii_case("to") && p2.eq_ignore_ascii_case("belonging"))
        || (p.eq_ignore_ascii_case("over") && stem_opt(prev.get(1), s::TOOK))
        || is_opt(prev.first(), w::HIJACKED)
}

/// "the infrastructure of X": a victim noun, then "of", then the mention.
fn of_victim(ctx: &Ctx<'_>, prev: &[Tok]) -> bool {
    word_at(ctx, prev, 0).eq_ignore_ascii_case("of") && is_opt(prev.get(1), w::VICTIM_OF_NOUNS)
}

/// Whether the clause that holds `[start, end)` opens with a negation or hedge (a `Negation` hit
/// of the automaton), or "not behind / responsible / involved" follows it.
pub(crate) fn negated(ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
    let (ss, se) = ctx.sentences.bounds(start);
    if ctx.negations && ctx.has_hit(clause_start(ctx, ss, start), start, |k| k == Kind::Negation) {
        return true;
    }
    // Presence gate: without "not"-words and "behind"-words in the text's tokens the window
    // cannot have them, unless `end` cuts a run (then the window starts with a part of it).
    let cut = ctx.text.as_bytes().get(end).is_some_and(|&c| matches!(c, b'-' | b'\'' | 0xE2));
    let present = ctx.toks.any_word(w::NOT_WORDS) && ctx.toks.any_word(w::NOT_BEHIND);
    if !cut && !present {
        return false;
    }
    let after = ctx.after::<5>(end, se);
    let (mut not, mut behind) = (false, false);
    for t in after.iter().take_while(|t| !t.after_punct) {
        not |= t.is(w::NOT_WORDS);
        behind |= t.is(w::NOT_BEHIND);
    }
    not && behind
}

/// Start of the clause containing `pos`: after the last `,;()` or clause-break word in the sentence.
pub(crate) fn clause_start(ctx: &Ctx<'_>, sentence_start: usize, pos: usize) -> usize {
    let b = ctx.text.as_bytes();
    let window = &b[sentence_start..pos];
    let punct = [memchr::memrchr3(b',', b';', b'(', window), memchr::memrchr(b')', window)].into_iter().flatten().max();
    let start = punct.map_or(sentence_start, |i| sentence_start + i + 1);
    // The last clause-break word ("but", "however" …) after `start`, found by the automaton.
    ctx.hits_in(start, pos).iter().rev().find(|h| h.kind == Kind::ClauseBreak).map_or(start, |h| h.end)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_gap_characters_are_the_unicode_ones() {
        for c in (0u8..0x80).map(char::from) {
            assert_eq!(gap_char_ascii(c), gap_char(c), "{c:?}");
        }
    }

    /// `joined` with its shortcut decides as trimming the whole gap does.
    #[test]
    fn joined_equals_trimming_the_gap() {
        let reference = |raw: &str| {
            let gap = if raw.is_ascii() { raw.trim_matches(gap_char_ascii) } else { raw.trim_matches(gap_char) };
            gap.eq_ignore_ascii_case("and") || gap.eq_ignore_ascii_case("or") || gap.is_empty() && raw.contains(',')
        };
        let pieces = [" ", ",", "\"", "\t", "and", "AND", "or", "Or", "an", "o", "x", "\u{a0}", "\u{2014}", "\u{e9}", "\n", "andx", ";"];
        let mut seed = 0x5eed_1234_abcd_ef01_u64;
        for _ in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut gap = String::new();
            for i in 0..(seed % 5) {
                gap.push_str(pieces[((seed >> (8 * i + 8)) % pieces.len() as u64) as usize]);
            }
            let text = format!("China{gap}Russia");
            let a = Hit { start: 0, end: 5, kind: Kind::Nation(0) };
            let b = Hit { start: 5 + gap.len(), end: text.len(), kind: Kind::Nation(0) };
            assert_eq!(joined(&text, &a, &b), reference(&gap), "{gap:?}");
        }
    }
}
