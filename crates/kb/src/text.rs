//! Sponsor and motive cues in free-text descriptions (MISP cluster and ATT&CK descriptions).
//!
//! Deliberately conservative: a cue needs the country word in an attributing phrase ("a suspected
//! Chinese threat group", "China-based", "attributed to Russia's GRU", "Iranian state-sponsored"),
//! never a mere mention ("targeted Chinese dissidents", "Russian-speaking", "pro-Russian").

use std::sync::LazyLock;

use regex::Regex;

use crate::geo::COUNTRIES;

/// What a phrase says about who is behind a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// The text names a state sponsor ("state-sponsored", "attributed to Russia's GRU", "-aligned APT").
    Sponsor,
    /// The text gives a country of origin only ("China-based", "a suspected Iranian threat group").
    Origin,
    /// The text calls the group criminal or financially motivated.
    Criminal,
    /// The text calls the group hacktivist.
    Hacktivist,
}

/// One cue with the words that justify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub kind: CueKind,
    /// ISO alpha-2 for sponsor/origin cues.
    pub country: Option<&'static str>,
    pub quote: String,
}

/// How much of a description is read: attributions sit in the first sentences.
const READ_CHARS: usize = 700;

fn country_alternation() -> String {
    let mut words: Vec<&str> = COUNTRIES.iter().flat_map(|(_, names)| names.iter().copied()).collect();
    // Longest first so "north korean" wins over "korea"; bare "korea" and "georgia" are too vague.
    words.retain(|w| !matches!(*w, "korea" | "georgia" | "gaza") && !w.contains('('));
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

#[allow(clippy::expect_used)] // the patterns are constants; a failure is a bug caught by the tests
fn build(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static ORGS: &str = r"ministry of state security|people['’]s liberation army|pla|mss|gru|fsb|svr|main intelligence directorate|general staff|federal security service|foreign intelligence service|reconnaissance general bureau|rgb|islamic revolutionary guard corps|irgc|ministry of intelligence and security|mois";

static SPONSOR: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let c = country_alternation();
    vec![
        // "Chinese state-sponsored", "Iranian-sponsored", "PRC state-backed", "Russian nation-state"
        build(&format!(r"(?i)\b({c})[- ](?:state[- ]sponsored|state[- ]backed|government[- ]sponsored|sponsored|nation[- ]state|state[- ]affiliated)")),
        // "attributed to China", "attributed to Russia's GRU"
        build(&format!(r"(?i)\battributed to (?:the )?(?:actors in |actors operating out of )?({c})\b")),
        // "Russia's General Staff …", "North Korea's Reconnaissance General Bureau"
        build(&format!(r"(?i)\b({c})(?:['’]s)? (?:{ORGS})\b")),
        // "associated with the Chinese government", "on behalf of the Iranian government"
        build(&format!(r"(?i)\b(?:with|of|for) the ({c}) government\b")),
        // "North Korea-linked APT", "Belarus-aligned APT group", "a Chinese APT"
        build(&format!(r"(?i)\b({c})(?:[- ](?:linked|aligned|nexus|based))? (?:apt|advanced persistent threat)\b")),
        // ESET's "China-aligned"
        build(&format!(r"(?i)\b({c})[- ]aligned\b")),
    ]
});

static ORIGIN: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let c = country_alternation();
    vec![
        build(&format!(r"(?i)(?:^|[^-\w])({c})[- ](?:based|nexus|linked|origin|related)\b")),
        build(&format!(
            r"(?i)(?:^|[^-\w])({c}) (?:(?:cyber ?espionage|cyber|threat|espionage|hacking|hacker|state|intrusion|activity|adversary) )*(?:group|actor|entity|team|organization|operators|hackers|cluster)\b"
        )),
        build(&format!(r"(?i)\b(?:operat\w* (?:out of|from)|based in|originating (?:in|from)|located in) (?:the )?({c})\b")),
        build(&format!(r"(?i)(?:^|[^-\w])({c}) origins?\b")),
    ]
});

static CRIMINAL: LazyLock<Regex> = LazyLock::new(|| {
    build(r"(?i)financially[- ]motivated|cyber ?crim\w*|\be-?crime|\bcriminal|ransomware[- ]as[- ]a[- ]service|ransomware (?:group|gang|operators?|affiliates?|actor)|initial access broker|\bbec\b|banking trojan|\b(?:steal\w*|transfer\w*|launder\w*) (?:money|funds)")
});

static HACKTIVIST: LazyLock<Regex> = LazyLock::new(|| build(r"(?i)hacktivis\w*"));

static MARKDOWN_LINK: LazyLock<Regex> = LazyLock::new(|| build(r"\[([^\]]+)\]\([^)]*\)"));
static CITATION: LazyLock<Regex> = LazyLock::new(|| build(r"\(Citation:[^)]*\)"));

fn code_for(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    COUNTRIES.iter().find(|(_, names)| names.contains(&w.as_str())).map(|(c, _)| *c)
}

fn quote_around(text: &str, start: usize, end: usize) -> String {
    let lo = text[..start].char_indices().rev().nth(30).map_or(0, |(i, _)| i);
    let hi = text[end..].char_indices().nth(30).map_or(text.len(), |(i, _)| end + i);
    text[lo..hi].trim().to_string()
}

/// The cues in a description, strongest kinds first, without duplicates.
pub fn cues(description: &str) -> Vec<Cue> {
    let cleaned = CITATION.replace_all(description, "");
    let cleaned = MARKDOWN_LINK.replace_all(&cleaned, "$1");
    let end = cleaned.char_indices().nth(READ_CHARS).map_or(cleaned.len(), |(i, _)| i);
    let text = &cleaned[..end];
    let mut out: Vec<Cue> = Vec::new();
    let mut push = |cue: Cue| {
        let said_as_sponsor = cue.kind == CueKind::Origin
            && out.iter().any(|c| c.kind == CueKind::Sponsor && c.country == cue.country);
        if !said_as_sponsor && !out.iter().any(|c| c.kind == cue.kind && c.country == cue.country) {
            out.push(cue);
        }
    };
    for (kind, patterns) in [(CueKind::Sponsor, &*SPONSOR), (CueKind::Origin, &*ORIGIN)] {
        for re in patterns {
            for caps in re.captures_iter(text) {
                let (Some(whole), Some(word)) = (caps.get(0), caps.get(1)) else { continue };
                let before = &text[..whole.start()];
                if before.ends_with("pro-") || before.ends_with("anti-") || before.to_lowercase().ends_with("targeting ") {
                    continue;
                }
                if let Some(code) = code_for(word.as_str()) {
                    push(Cue { kind, country: Some(code), quote: quote_around(text, whole.start(), whole.end()) });
                }
            }
        }
    }
    if let Some(m) = CRIMINAL.find(text) {
        push(Cue { kind: CueKind::Criminal, country: None, quote: quote_around(text, m.start(), m.end()) });
    }
    if let Some(m) = HACKTIVIST.find(text) {
        push(Cue { kind: CueKind::Hacktivist, country: None, quote: quote_around(text, m.start(), m.end()) });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(CueKind, Option<&'static str>)> {
        cues(s).into_iter().map(|c| (c.kind, c.country)).collect()
    }

    #[test]
    fn attack_style_descriptions() {
        assert_eq!(
            kinds("[APT28](https://attack.mitre.org/groups/G0007) is a threat group that has been attributed to Russia's General Staff Main Intelligence Directorate (GRU)"),
            vec![(CueKind::Sponsor, Some("RU"))]
        );
        assert_eq!(kinds("Axiom is a suspected Chinese cyber espionage group that has targeted"), vec![(CueKind::Origin, Some("CN"))]);
        assert_eq!(kinds("Lazarus Group is a North Korean state-sponsored cyber threat group")[0], (CueKind::Sponsor, Some("KP")));
        assert!(kinds("APT16 is a China-based threat group").contains(&(CueKind::Origin, Some("CN"))));
        assert_eq!(kinds("Ke3chang is a threat group attributed to actors operating out of China."), vec![(CueKind::Sponsor, Some("CN"))]);
        assert!(kinds("Sea Turtle is a Türkiye-linked threat actor").contains(&(CueKind::Origin, Some("TR"))));
    }

    #[test]
    fn mentions_are_not_attributions() {
        assert!(kinds("targeted Chinese dissidents and Russian-speaking users").is_empty());
        assert!(kinds("Killnet is a pro-Russian group").iter().all(|(k, _)| *k != CueKind::Origin));
        assert_eq!(kinds("has targeted victims in Russia, China, Sweden, Belgium, Iran"), vec![]);
    }

    #[test]
    fn motives() {
        assert_eq!(kinds("FIN7 is a financially-motivated threat group"), vec![(CueKind::Criminal, None)]);
        assert_eq!(kinds("Carbanak is a cybercriminal group"), vec![(CueKind::Criminal, None)]);
        assert_eq!(kinds("a hacktivist collective"), vec![(CueKind::Hacktivist, None)]);
        let both = kinds("Cinnamon Tempest is a China-based threat group that has been active since at least 2021 deploying ransomware as a service");
        assert!(both.contains(&(CueKind::Origin, Some("CN"))));
    }
}
