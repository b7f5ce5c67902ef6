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
use crate::text::{any_word, Tok, Toks, stem_in, tis, tis_opt, tok_str, tstem, tstem_opt, word_in};
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

/// Fills `sponsors`, `sponsor`, `sponsorship`, `sponsorship_cues` and `state_sponsored`; returns
/// the spans of attacker phrases ("Chinese government", "Syrian Electronic Army") so that sector
/// words inside them are not taken for victims.
pub(crate) fn resolve(ctx: &Ctx<'_>, actors: &[ActorName], out: &mut Extraction) -> Vec<(usize, usize)> {
    let text = ctx.text;
    let mut scored: Vec<Scored> = Vec::new();
    let mut cues: Vec<SponsorshipCue> = Vec::new();
    let mut phrases: Vec<(usize, usize)> = Vec::new();
    // Nation roles first (with coordination: "Russian and Chinese hackers").
    let nations: Vec<(&Hit, &str, Role)> = ctx
        .hits
        .iter()
        .filter_map(|h| match h.kind {
            Kind::Nation(i) => {
                let (_, iso, form) = NATIONS[i as usize];
                Some((h, iso, nation_role(ctx, h, form)))
            }
            _ => None,
        })
        .collect();
    let roles = coordinate(text, &nations);
    for ((h, iso, _), role) in nations.iter().zip(roles) {
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
                let other_nation_before = nations.iter().any(|(n, niso, _)| {
                    *niso != iso && n.end <= h.start && text[n.end..h.start].trim().is_empty()
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
                let prev = prev_tokens(ctx, h.start);
                if of_victim(ctx, &prev) || possessed(ctx, &prev) || negated(ctx, h.start, h.end) {
                    continue;
                }
                let iso = match actor.sponsor.as_deref() {
                    Some(iso) => iso.to_ascii_uppercase(),
                    // "Syrian Electronic Army": a nation word opening the alias names the origin.
                    None => match nation_prefix(&text[h.start..h.end]) {
                        Some(iso) => iso.to_string(),
                        None => continue,
                    },
                };
                scored.push(scored_mention(text, &iso, h.start, h.end, SponsorBasis::Actor, 2));
                phrases.push((h.start, h.end));
            }
            Kind::Sponsorship(i) => {
                let s = SPONSORSHIP_CUES[i as usize].1;
                let (ss, _) = ctx.sentences.bounds(h.start);
                let before = ctx.before(ss, h.start, 2);
                let plain_negated = before.iter().any(|t| tis(text, t, &["not", "non", "no"]));
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
    phrases
}

/// The ISO code of a nation adjective or noun that opens `alias` ("Syrian Electronic Army").
fn nation_prefix(alias: &str) -> Option<&'static str> {
    let first = alias.split([' ', '-']).next()?;
    NATIONS
        .iter()
        .find(|(p, _, form)| *form == NationForm::Adjective && p.eq_ignore_ascii_case(first) && first.len() < alias.len())
        .map(|(_, iso, _)| *iso)
}

/// Nation words joined by "and"/"or"/"," share the attacker role: in "Russian and Chinese
/// hackers" only the second is next to the actor noun.
fn coordinate(text: &str, nations: &[(&Hit, &str, Role)]) -> Vec<Role> {
    let mut roles: Vec<Role> = nations.iter().map(|n| n.2).collect();
    let joined = |a: &Hit, b: &Hit| {
        a.end <= b.start && {
            let gap = text[a.end..b.start].trim_matches(|c: char| c.is_whitespace() || c == '"' || c == ',');
            gap.eq_ignore_ascii_case("and") || gap.eq_ignore_ascii_case("or") || gap.is_empty() && text[a.end..b.start].contains(',')
        }
    };
    for _ in 0..roles.len() {
        let before = roles.clone();
        for i in 0..roles.len().saturating_sub(1) {
            if !joined(nations[i].0, nations[i + 1].0) {
                continue;
            }
            match (roles[i], roles[i + 1]) {
                (Role::Attacker { weight, .. }, Role::Neutral) => {
                    roles[i + 1] = Role::Attacker { weight, sponsorship: None, end: nations[i + 1].0.end };
                }
                (Role::Neutral, Role::Attacker { weight, .. }) => {
                    roles[i] = Role::Attacker { weight, sponsorship: None, end: nations[i].0.end };
                }
                _ => {}
            }
        }
        if roles == before {
            break;
        }
    }
    roles
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

/// Orders mentions by country score (desc), then first position; sets the best country. The
/// first attacker mention in the text gets one extra point: it is usually the subject.
fn rank(scored: Vec<Scored>, out: &mut Extraction) {
    let mut totals: Vec<(String, u32, usize)> = Vec::new();
    let first = scored.iter().map(|s| s.mention.start).min();
    for s in &scored {
        let bonus = u32::from(Some(s.mention.start) == first);
        match totals.iter_mut().find(|t| t.0 == s.mention.country) {
            Some(t) => {
                t.1 += u32::from(s.weight) + bonus;
                t.2 = t.2.min(s.mention.start);
            }
            None => totals.push((s.mention.country.clone(), u32::from(s.weight) + bonus, s.mention.start)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    out.sponsor = totals.first().map(|t| t.0.clone());
    let order = |c: &str| totals.iter().position(|t| t.0 == c).unwrap_or(usize::MAX);
    let mut mentions: Vec<SponsorMention> = scored.into_iter().map(|s| s.mention).collect();
    mentions.sort_by_key(|m| (order(&m.country), m.start));
    out.sponsors = mentions;
}

/// Up to five tokens before `pos` in its sentence, skipping determiners and fillers.
fn prev_tokens(ctx: &Ctx<'_>, pos: usize) -> Toks {
    let (ss, _) = ctx.sentences.bounds(pos);
    ctx.toks.before_skipping(ctx.text, ss, pos, 10, 5, SKIP_BEFORE)
}

fn word_at<'a>(ctx: &Ctx<'a>, toks: &[Tok], i: usize) -> &'a str {
    toks.get(i).map_or("", |t| tok_str(ctx.text, *t))
}

/// Nouns after a nation word that make it a state actor ("the Chinese government hacked").
pub(crate) static STATE_NOUNS: &[&str] = &["government", "state", "military", "intelligence", "regime", "authorities", "forces", "agency", "agencies", "services", "security"];

/// Whether a token is an actor noun by its shape ("HackTeam", "Hackergroup", "CyberTeam").
fn actor_shaped(w: &str) -> bool {
    let b = w.as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ends = |p: &str| b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
    starts("hacker") || starts("hackteam") || (b.len() > 5 && ["team", "group", "crew", "army", "hackers"].iter().any(|s| ends(s)))
}

fn nation_role(ctx: &Ctx<'_>, h: &Hit, form: NationForm) -> Role {
    let text = ctx.text;
    let b = text.as_bytes();
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after(h.end, se, 6);
    let hyphen = b.get(h.end) == Some(&b'-');
    let prev = prev_tokens(ctx, h.start);
    // 0. possession by someone else: "belonging to X", "took over X", "hijacked X"
    if possessed(ctx, &prev) {
        return Role::Victim;
    }
    // 1. hyphen suffix
    if hyphen && let Some(t) = after.first() {
        let w = tok_str(text, *t);
        let w = ["state-", "government-"].iter().find_map(|p| w.strip_prefix(p)).unwrap_or(w);
        if word_in(w, &["backed", "sponsored", "funded", "directed", "controlled", "run", "ordered"]) {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::State), end: t.end };
        }
        if word_in(w, &["linked", "nexus", "aligned", "affiliated", "connected", "tied", "associated", "related", "allied", "friendly", "leaning"]) {
            return Role::Attacker { weight: 3, sponsorship: Some(Sponsorship::StateAffiliated), end: t.end };
        }
        if word_in(w, &["based", "origin", "speaking", "born", "located", "operated"]) {
            let actor_follows = after[1..].iter().take(3).any(|t| {
                let w = tok_str(text, *t);
                let lower = w.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
                (tis(text, t, ACTOR_NOUNS) && !tis(text, t, AMBIGUOUS_ACTOR_NOUNS) && (lower || word_in(w, &["APT", "Hackers", "Hacker", "Hacking"])))
                    || (actor_shaped(w) && !word_in(w, &["Group", "Team"]))
            });
            return if actor_follows { Role::Attacker { weight: 2, sponsorship: None, end: t.end } } else { Role::Victim };
        }
        return Role::Neutral;
    }
    let next_t = after.first().filter(|t| !t.after_punct);
    // "working for Chinese companies", "spying for Russia": the employer is the sponsor
    let (p, p2) = (prev.first(), prev.get(1));
    if p.is_some_and(|t| tok_str(text, *t).eq_ignore_ascii_case("for")) && tstem_opt(text, p2, &["work", "spy", "spied", "acting", "operat"]) {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    if tis_opt(text, next_t, &["origin", "origins"]) {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    let actor_phrase = actor_reading(ctx, &after);
    // 2. victim noun right after
    if tis_opt(text, next_t, VICTIM_NOUNS) && actor_phrase.is_none()
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
        if tis_opt(text, p2, &["support", "help", "assistance"]) {
            return Role::Attacker { weight: 1, sponsorship: None, end: actor_phrase.unwrap_or(h.end) };
        }
        let organ_part = word_in(p2s, &["branch", "division", "wing", "arm", "unit"]);
        let state_after = tis_opt(text, next_t, STATE_NOUNS);
        if tis_opt(text, p2, ATTACKER_OF_NOUNS) && (!organ_part || state_after) {
            let sponsorship = tis_opt(text, p2, &["part", "behalf"]).then_some(Sponsorship::State);
            return Role::Attacker { weight: 3, sponsorship, end: actor_phrase.unwrap_or(h.end) };
        }
        if tis_opt(text, p2, VICTIM_OF_NOUNS) {
            return Role::Victim;
        }
    }
    // 4. attribution before
    // "computers associated with the U.S. Air Force": a victim noun linked is possession, not attribution
    let possession = tis_opt(text, p3, VICTIM_OF_NOUNS) || tis_opt(text, p3, VICTIM_NOUNS);
    if word_in(ps, &["to", "with"])
        && !possession
        && (tstem_opt(text, p2, ATTRIBUTION_LINK_STEMS) || tstem_opt(text, p3, ATTRIBUTION_LINK_STEMS))
    {
        // "linked to the Chinese military" suggests state affiliation; "linked to a Chinese state
        // hacker group" names a state group.
        let state = after.first().filter(|t| !t.after_punct && tis(text, t, STATE_NOUNS));
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
        && word_in(p2s, &["server", "servers", "computer", "computers", "infrastructure"])
        && any_word(text, ctx.sentences.bounds(h.start).0, h.start, |t| stem_in(tok_str(text, t), &["stole", "stolen", "exfiltrat", "collected", "transferred", "siphon"]))
    {
        return Role::Attacker { weight: 1, sponsorship: None, end: h.end };
    }
    // "exfiltrated … to China": the destination of stolen data
    if ps.eq_ignore_ascii_case("to")
        && form != NationForm::Adjective
        && any_word(text, ctx.sentences.bounds(h.start).0, h.start, |t| stem_in(tok_str(text, t), &["exfiltrat", "transferred", "siphon"]))
    {
        return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
    }
    // "confirmed/believed to be the French government"
    if ps.eq_ignore_ascii_case("be") && p2s.eq_ignore_ascii_case("to") {
        let sponsorship = after.first().filter(|t| tis(text, t, STATE_NOUNS)).map(|_| Sponsorship::State);
        return Role::Attacker { weight: 3, sponsorship, end: actor_phrase.unwrap_or(h.end) };
    }
    if tis_opt(text, p, &["in", "from", "inside", "within"]) {
        // "a hospital group in the United States" is a company, not an actor
        let company_group = p2.is_some_and(|t| {
            word_in(tok_str(text, *t), &["group", "groups", "team"])
                && ctx.hits_in(t.start.saturating_sub(40), t.start).iter().any(|x| matches!(x.kind, Kind::Vertical(_)) && x.end + 1 >= t.start)
        });
        let actor_before = !company_group && ((tis_opt(text, p2, ACTOR_NOUNS) && !tis_opt(text, p2, AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(p2s));
        let based_actor = p2s.eq_ignore_ascii_case("based")
            && prev.iter().skip(2).any(|t| {
                let w = tok_str(text, *t);
                (tis(text, t, ACTOR_NOUNS) && !tis(text, t, AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(w)
            });
        let originating = tstem_opt(text, p2, &["originat", "operat", "launched", "conducted", "came", "coming", "routed", "traced"]);
        if actor_before || based_actor || originating {
            return Role::Attacker { weight: 2, sponsorship: None, end: h.end };
        }
    }
    if ps.eq_ignore_ascii_case("by") {
        let reported = prev.iter().skip(1).take(5).any(|t| tstem(text, t, SAY_VERB_STEMS))
            || tis_opt(text, p2, &["according", "investigation", "report", "analysis"]);
        if !reported && tstem_opt(text, p2, BY_ATTACK_STEMS) {
            return Role::Attacker { weight: 3, sponsorship: None, end: actor_phrase.unwrap_or(h.end) };
        }
        if actor_phrase.is_none() {
            return Role::Neutral;
        }
    }
    if tis_opt(text, p, &["behind", "accused", "accuses", "accusing", "blamed", "blames", "blaming"]) {
        return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
    }
    // "X accused of", "X blamed for": the nation is the one accused.
    if form != NationForm::Adjective
        && tis_opt(text, next_t, &["accused", "blamed", "suspected", "implicated"])
    {
        return Role::Attacker { weight: 3, sponsorship: None, end: h.end };
    }
    // Appositive: "the hacker group Yemeni Cyber Army".
    if prev.first().is_some_and(|t| !t.after_punct || word_in(ps, &["actor", "group", "hackers", "attackers", "culprit", "perpetrator", "perpetrators"]))
        && ((tis_opt(text, p, ACTOR_NOUNS) && !tis_opt(text, p, AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(ps))
    {
        let sponsorship = tis_opt(text, next_t, STATE_NOUNS).then_some(Sponsorship::State);
        return Role::Attacker { weight: 2, sponsorship, end: actor_phrase.unwrap_or(h.end) };
    }
    if ps.eq_ignore_ascii_case("from")
        && form != NationForm::Adjective
        && actor_phrase.is_none()
        && !tis_opt(text, p2, VICTIM_OF_NOUNS)
        && !tstem_opt(text, p2, &["stole", "steal", "stolen", "exfiltrat", "leak", "took", "taken", "obtain", "download"])
    {
        return Role::Attacker { weight: 1, sponsorship: None, end: h.end };
    }
    // a victim word across clause punctuation ("…compromised; the Chinese government") does not count
    let victim_prev = p.is_some_and(|t| !t.after_punct) && tis_opt(text, p, VICTIM_PREV) && !tis_opt(text, p, ATTRIBUTION_PREV);
    // 5. actor noun after
    if let Some(end) = actor_phrase {
        if victim_prev && !tis_opt(text, p, &["of", "and", "to", "for"]) {
            return Role::Victim;
        }
        let state_noun = after.iter().take(3).map(|t| tok_str(text, *t)).find(|w| {
            word_in(w, STATE_NOUNS) || w.to_ascii_lowercase().starts_with("state-")
        });
        let sponsorship = state_noun.map(|_| Sponsorship::State);
        return Role::Attacker { weight: 2, sponsorship, end };
    }
    // 6. country noun as subject of an attack verb, or "… behind/responsible"
    if form != NationForm::Adjective && !victim_prev && !after.first().is_some_and(|t| t.after_punct) {
        let aux = [
            "is", "was", "were", "are", "has", "had", "have", "been", "being", "may", "might", "likely", "reportedly",
            "allegedly", "also", "probably", "itself", "suspected", "believed", "thought", "of", "to", "be", "widely",
            "said", "managed", "tried", "attempted", "sought", "began", "started", "continued", "reportedly",
        ];
        let passive = after.first().is_some_and(|t| tis(text, t, &["is", "was", "were", "are", "been", "be"]));
        let first_verb = after.iter().take(4).find(|t| !tis(text, t, &aux));
        if let Some(t) = first_verb {
            let v = tok_str(text, *t);
            let headline = v.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
            if word_in(v, &["behind", "responsible"])
                || (!passive && !headline && tstem(text, t, ATTACK_VERB_STEMS) && !tstem(text, t, SAY_VERB_STEMS))
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
        let w = tok_str(text, t);
        let title = w.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        if word_in(w, &["Army", "Team", "Group", "Command", "Hackers", "Crew", "Squad", "Brigade", "Legion", "Front", "Collective"])
            && title
            && (i == 0 || capitalised == i)
        {
            return Some(t.end);
        }
        let compound = w.contains('-')
            && w.split('-').any(|part| {
                word_in(part, &["backed", "sponsored", "aligned", "linked", "affiliated", "nexus", "funded"])
                    || (word_in(part, ACTOR_NOUNS) && !word_in(part, AMBIGUOUS_ACTOR_NOUNS))
            });
        if (tis(text, &t, ACTOR_NOUNS) && !tis(text, &t, AMBIGUOUS_ACTOR_NOUNS)) || actor_shaped(w) || compound {
            return Some(t.end);
        }
        if title && (!tis(text, &t, ACTOR_NOUNS) || tis(text, &t, AMBIGUOUS_ACTOR_NOUNS)) {
            capitalised += 1;
            i += 1;
            continue;
        }
        if !tis(text, &t, ACTOR_NOUNS) {
            break;
        }
        i += 1;
    }
    if i == 0 || i == capitalised {
        return None;
    }
    // Only ambiguous nouns: the next word (after auxiliaries) must be an active attack verb.
    let aux = ["has", "have", "had", "allegedly", "reportedly", "also", "likely", "probably", "may", "might", "could", "would"];
    let mut passive = false;
    for t in after.iter().skip(i).take(4) {
        if t.after_punct {
            return None;
        }
        let w = tok_str(text, *t);
        if word_in(w, &["behind", "responsible"]) {
            return Some(after[i - 1].end); // "the Chinese government may have been behind"
        }
        if word_in(w, &["is", "was", "were", "are", "been", "be", "being"]) {
            passive = true;
            continue;
        }
        if word_in(w, &aux) {
            continue;
        }
        let attack = tstem(text, t, ATTACK_VERB_STEMS) && !tstem(text, t, SAY_VERB_STEMS);
        return (attack && !passive).then(|| after[i - 1].end);
    }
    None
}

/// A state organ is the victim when an attack verb or preposition precedes it or a victim noun
/// follows it ("hacked the FSB website").
fn organ_is_victim(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after(h.end, se, 1);
    let neutral_next = ["scandal", "leak", "leaks", "revelations", "documents", "files", "whistleblower", "contractor", "director", "chief", "program", "programme", "surveillance"];
    if after.first().is_some_and(|t| {
        !t.after_punct && (tis(ctx.text, t, VICTIM_NOUNS) || tis(ctx.text, t, &neutral_next))
    }) {
        return true;
    }
    let all = prev_tokens(ctx, h.start);
    // "the Russian FSB": look past the nation word.
    let prev: &[Tok] = if all.first().is_some_and(|t| ctx.hits_in(t.start, t.end).iter().any(|x| matches!(x.kind, Kind::Nation(_)))) {
        &all[1..]
    } else {
        &all
    };
    tis_opt(ctx.text, prev.first(), &["against", "targeted", "targeting", "target", "targets", "attacked", "hacked", "breached", "compromised", "infiltrated", "penetrated", "into", "on"])
        || of_victim(ctx, prev)
}

/// A state organ (or actor) reporting, not attacking: a saying verb follows it ("the NSA has
/// confirmed", "issued a warning") or it is the agent of one ("discovered by the NSA").
fn is_reporter(ctx: &Ctx<'_>, h: &Hit) -> bool {
    let text = ctx.text;
    let (_, se) = ctx.sentences.bounds(h.start);
    let after = ctx.after(h.end, se, 4);
    let skip = ["has", "have", "had", "also", "publicly", "officially", "formally", "NSA", "later"];
    let said = after
        .iter()
        .map(|t| tok_str(text, *t))
        .find(|w| !word_in(w, &skip) && !w.bytes().all(|c| c.is_ascii_uppercase()))
        .is_some_and(|w| stem_in(w, SAY_VERB_STEMS));
    let prev = prev_tokens(ctx, h.start);
    let by_reporter = word_at(ctx, &prev, 0).eq_ignore_ascii_case("by")
        && prev.iter().skip(1).take(3).any(|t| tstem(text, t, SAY_VERB_STEMS));
    said || by_reporter
}

/// "belonging to X", "took over (an) X", "hijacked X": X is the victim.
fn possessed(ctx: &Ctx<'_>, prev: &[Tok]) -> bool {
    let (p, p2) = (word_at(ctx, prev, 0), word_at(ctx, prev, 1));
    (p.eq_ignore_ascii_case("to") && p2.eq_ignore_ascii_case("belonging"))
        || (p.eq_ignore_ascii_case("over") && stem_in(p2, &["took", "take", "taking", "taken"]))
        || word_in(p, &["hijacked", "hijacking", "usurped", "commandeered"])
}

/// "the infrastructure of X": a victim noun, then "of", then the mention.
fn of_victim(ctx: &Ctx<'_>, prev: &[Tok]) -> bool {
    word_at(ctx, prev, 0).eq_ignore_ascii_case("of") && tis_opt(ctx.text, prev.get(1), VICTIM_OF_NOUNS)
}

/// Whether the clause that holds `[start, end)` opens with a negation or hedge (a `Negation` hit
/// of the automaton), or "not behind / responsible / involved" follows it.
pub(crate) fn negated(ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
    let text = ctx.text;
    let (ss, se) = ctx.sentences.bounds(start);
    let clause_start = clause_start(ctx, ss, start);
    if ctx.has_hit(clause_start, start, |k| k == Kind::Negation) {
        return true;
    }
    let after = ctx.after(end, se, 5);
    let words: Vec<&str> = after.iter().take_while(|t| !t.after_punct).map(|t| tok_str(text, *t)).collect();
    words.iter().any(|w| word_in(w, &["not", "never", "isn't", "wasn't", "weren't", "aren't"]))
        && words.iter().any(|w| word_in(w, &["behind", "responsible", "involved", "linked", "connected", "attributed", "related"]))
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

