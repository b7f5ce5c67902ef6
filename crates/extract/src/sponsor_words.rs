//! The word lists of the sponsor rules ([`crate::sponsor`]): each is registered in
//! [`crate::lexicon`] and tested as a token bit.

/// Nouns after a nation word that make it a state actor ("the Chinese government hacked").
pub(crate) static STATE_NOUNS: &[&str] = &["government", "state", "military", "intelligence", "regime", "authorities", "forces", "agency", "agencies", "services", "security"];

/// Words before a sponsorship cue that negate it ("not state-sponsored").
pub(crate) static CUE_NEGATORS: &[&str] = &["not", "non", "no"];
/// Hyphen suffixes of a nation word that make it a state sponsor ("Beijing-backed").
pub(crate) static HYPHEN_STATE: &[&str] = &["backed", "sponsored", "funded", "directed", "controlled", "run", "ordered"];
/// Hyphen suffixes that suggest state affiliation ("China-nexus").
pub(crate) static HYPHEN_AFFILIATED: &[&str] = &["linked", "nexus", "aligned", "affiliated", "connected", "tied", "associated", "related", "allied", "friendly", "leaning"];
/// Hyphen suffixes of origin ("Iran-based"): attacker only before an actor noun.
pub(crate) static HYPHEN_BASED: &[&str] = &["based", "origin", "speaking", "born", "located", "operated"];
/// Capitalised actor nouns accepted after "-based" ("Russia-based APT").
pub(crate) static TITLE_ACTOR_NOUNS: &[&str] = &["APT", "Hackers", "Hacker", "Hacking"];
/// Actor-shaped words that are too common after "-based" ("a Canada-based Group of companies").
pub(crate) static GROUP_TEAM: &[&str] = &["Group", "Team"];
/// "Chinese origin".
pub(crate) static ORIGIN: &[&str] = &["origin", "origins"];
/// "in support of X": X backs the attack.
pub(crate) static SUPPORT: &[&str] = &["support", "help", "assistance"];
/// "unit of X": an organ of X only with a state noun after X.
pub(crate) static ORGAN_PARTS: &[&str] = &["branch", "division", "wing", "arm", "unit"];
/// "part of", "on behalf of": state sponsorship.
pub(crate) static PART_BEHALF: &[&str] = &["part", "behalf"];
/// "linked to", "associated with".
pub(crate) static TO_WITH: &[&str] = &["to", "with"];
/// "a server in China": where stolen data went.
pub(crate) static MACHINES: &[&str] = &["server", "servers", "computer", "computers", "infrastructure"];
/// "hackers in / from X".
pub(crate) static IN_FROM: &[&str] = &["in", "from", "inside", "within"];
/// "a hospital group in X": a company.
pub(crate) static COMPANY_GROUPS: &[&str] = &["group", "groups", "team"];
/// "according to / report by X": X reports.
pub(crate) static REPORT_NOUNS: &[&str] = &["according", "investigation", "report", "analysis"];
/// "behind X", "accused X".
pub(crate) static BEHIND_ACCUSED: &[&str] = &["behind", "accused", "accuses", "accusing", "blamed", "blames", "blaming"];
/// "X accused of", "X blamed for".
pub(crate) static ACCUSED_AFTER: &[&str] = &["accused", "blamed", "suspected", "implicated"];
/// Nouns before an appositive nation phrase across a comma ("the actor, Iranian …").
pub(crate) static APPOSITIVE_NOUNS: &[&str] = &["actor", "group", "hackers", "attackers", "culprit", "perpetrator", "perpetrators"];
/// Victim words that still allow an attacker reading ("of", "and", "to", "for").
pub(crate) static COORDINATORS: &[&str] = &["of", "and", "to", "for"];
/// Words skipped between a country noun and its verb ("Iran has reportedly used").
pub(crate) static SUBJECT_AUX: &[&str] = &[
    "is", "was", "were", "are", "has", "had", "have", "been", "being", "may", "might", "likely", "reportedly",
    "allegedly", "also", "probably", "itself", "suspected", "believed", "thought", "of", "to", "be", "widely",
    "said", "managed", "tried", "attempted", "sought", "began", "started", "continued",
];
/// Forms of "be": a passive follows.
pub(crate) static BE: &[&str] = &["is", "was", "were", "are", "been", "be"];
/// "… behind", "… responsible".
pub(crate) static BEHIND: &[&str] = &["behind", "responsible"];
/// Capitalised names that end an actor's name ("Syrian Electronic Army").
pub(crate) static GROUP_NAMES: &[&str] = &["Army", "Team", "Group", "Command", "Hackers", "Crew", "Squad", "Brigade", "Legion", "Front", "Collective"];
/// Parts of hyphenated compounds that name an actor ("state-backed", "hacker-for-hire").
pub(crate) static COMPOUND_PARTS: &[&str] = &["backed", "sponsored", "aligned", "linked", "affiliated", "nexus", "funded"];
/// Forms of "be", with "being".
pub(crate) static BE_BEING: &[&str] = &["is", "was", "were", "are", "been", "be", "being"];
/// Auxiliaries between an ambiguous actor phrase and its verb.
pub(crate) static PHRASE_AUX: &[&str] = &["has", "have", "had", "allegedly", "reportedly", "also", "likely", "probably", "may", "might", "could", "would"];
/// Nouns after a state organ that make it a topic, not an actor ("the NSA leaks").
pub(crate) static ORGAN_NEUTRAL_NEXT: &[&str] = &[
    "scandal", "leak", "leaks", "revelations", "documents", "files", "whistleblower", "contractor", "director", "chief",
    "program", "programme", "surveillance",
];
/// Words before a state organ that make it the victim ("hacked the FSB").
pub(crate) static ORGAN_VICTIM_PREV: &[&str] = &[
    "against", "targeted", "targeting", "target", "targets", "attacked", "hacked", "breached", "compromised", "infiltrated",
    "penetrated", "into", "on",
];
/// Words skipped after an organ before its saying verb ("the NSA has publicly confirmed").
pub(crate) static REPORTER_SKIP: &[&str] = &["has", "have", "had", "also", "publicly", "officially", "formally", "NSA", "later"];
/// "hijacked X": X is the victim.
pub(crate) static HIJACKED: &[&str] = &["hijacked", "hijacking", "usurped", "commandeered"];
/// Negations after a mention ("… was not behind").
pub(crate) static NOT_WORDS: &[&str] = &["not", "never", "isn't", "wasn't", "weren't", "aren't"];
/// What a negation after a mention denies ("not behind", "not involved").
pub(crate) static NOT_BEHIND: &[&str] = &["behind", "responsible", "involved", "linked", "connected", "attributed", "related"];

// Stem lists.

/// "working for X", "spying for X": the employer is the sponsor.
pub(crate) static EMPLOYED: &[&str] = &["work", "spy", "spied", "acting", "operat"];
/// Verbs that make "a server in X" the destination of stolen data.
pub(crate) static STOLEN_DATA: &[&str] = &["stole", "stolen", "exfiltrat", "collected", "transferred", "siphon"];
/// Verbs that make "… to X" the destination of stolen data.
pub(crate) static EXFILTRATED_TO: &[&str] = &["exfiltrat", "transferred", "siphon"];
/// "originating in X", "operated from X".
pub(crate) static ORIGINATING: &[&str] = &["originat", "operat", "launched", "conducted", "came", "coming", "routed", "traced"];
/// "stolen from X": X is the victim.
pub(crate) static TAKEN_FROM: &[&str] = &["stole", "steal", "stolen", "exfiltrat", "leak", "took", "taken", "obtain", "download"];
/// "took over X".
pub(crate) static TOOK: &[&str] = &["took", "take", "taking", "taken"];
