//! Context words the rules read around a hit (compared ignoring ASCII case). Lists ending in
//! `_STEMS` match word prefixes.

/// Nouns that make a preceding nation word the attacker's origin ("Chinese hackers").
pub static ACTOR_NOUNS: &[&str] = &[
    "hacker", "hackers", "hacking", "hackergroup", "group", "groups", "apt", "apts", "actor", "actors",
    "threat", "attacker", "attackers", "operators", "operator", "spies", "spy", "hacktivist",
    "hacktivists", "cybercriminals", "criminals", "cyberespionage", "cyber-espionage", "espionage",
    "adversary", "adversaries", "gang", "crew", "team", "intruders", "perpetrators", "agents",
    "operatives", "campaign", "cyberattackers", "nexus", "state-sponsored", "state-backed",
    "government-backed", "nation-state", "intelligence", "military", "army", "unit", "cyber",
    "security", "secret", "special", "authorities", "government", "state", "regime", "officials",
    "agency", "agencies", "services", "forces", "ministry", "troll", "trolls", "ransomware",
    "malware", "activists", "sponsored", "backed", "linked", "insurgents", "militants", "separatists",
    "terrorists", "extremists", "volunteers", "cyberspies", "cyberspy", "cybercriminal",
];

/// Words before "by" that make the following nation word the attacker ("carried out by", "hacked
/// by"); "used by", "hosted by", "reported by" do not.
pub static BY_ATTACK_STEMS: &[&str] = &[
    "hack", "breach", "attack", "target", "compromis", "infiltrat", "penetrat", "steal", "stole",
    "stolen", "exfiltrat", "deploy", "launch", "conduct", "out", "orchestrat", "perpetrat", "sponsor",
    "back", "direct", "fund", "order", "commission", "claim", "operation", "campaign", "activit",
    "intrusion", "espionage", "incident", "deface", "disrupt", "leak", "hijack", "spy", "spied",
    "infect", "wip", "exploit", "tamper", "carried", "executed", "controlled", "run", "operated",
    "probably", "likely", "possibly", "allegedly", "reportedly", "suspected", "presumably", "apparently",
];

/// Nouns before "of" that make the following nation word the attacker ("part of the Russian
/// state", "on behalf of", "hackers of the Syrian Electronic Army").
pub static ATTACKER_OF_NOUNS: &[&str] = &[
    "part", "behalf", "unit", "arm", "division", "branch", "wing", "hackers",
    "hacktivists", "operatives", "agents", "officers", "spies", "group", "operators",
];

/// Actor nouns that are also victims ("the Chinese government", "Russian military"): the nation
/// word only counts as attacker with a further cue (an attack verb after, an attribution before).
pub static AMBIGUOUS_ACTOR_NOUNS: &[&str] = &[
    "government", "state", "military", "army", "authorities", "officials", "agency", "agencies",
    "services", "forces", "ministry", "regime", "security", "secret", "special", "intelligence",
    "activists", "unit", "campaign", "cyber",
];

/// Verbs after a noun phrase that make it the attacker ("the Chinese government hacked …").
pub static ATTACK_VERB_STEMS: &[&str] = &[
    "hack", "breach", "attack", "target", "compromis", "infiltrat", "penetrat", "spied", "spy",
    "steal", "stole", "exfiltrat", "deploy", "launch", "conduct", "carr", "orchestrat", "use",
    "used", "exploit", "sabotag", "disrupt", "deface", "leak", "intrud", "gain", "access", "was behind",
    "behind", "responsible", "interfer", "manipulat", "wip", "destroy", "sen", "distribut", "download", "obtain",
];

/// Words (ahead of a nation word, skipping determiners) that put it in the victim's place.
pub static VICTIM_PREV: &[&str] = &[
    "against", "targeted", "targeting", "targets", "target", "attacked", "attacking", "breached",
    "hacked", "hacks", "hack", "compromised", "compromising", "infiltrated", "penetrated", "hit",
    "hitting", "on", "into", "at", "in", "including", "spied", "spying", "defaced", "defacing",
    "disrupted", "victims", "victim", "affecting", "affected", "impacting", "within", "inside",
    "across", "among", "toward", "towards", "stole", "steal", "stealing", "of", "for", "and", "to",
];

/// Words (ahead of a nation word) that introduce the attacker ("attributed to", "by", "from").
pub static ATTRIBUTION_PREV: &[&str] = &[
    "by", "from", "behind", "accused", "accuses", "accusing", "blamed", "blames", "blaming",
    "suspected", "allegedly", "reportedly", "likely", "possibly", "probably", "presumably",
    "believed", "pro",
];

/// Verbs before "to"/"with" that make the next nation word the sponsor ("linked to Iran").
pub static ATTRIBUTION_LINK_STEMS: &[&str] = &[
    "attribut", "link", "tie", "tied", "connect", "trace", "related", "affiliat", "associat", "align",
    "loyal", "working", "works", "worked", "point", "lead", "led", "back", "sponsor", "nexus", "ties",
    "origin", "routed", "consistent", "responsib", "blame",
];

/// Words skipped when looking at what precedes a mention.
pub static SKIP_BEFORE: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "this", "that", "several", "various", "multiple",
    "unnamed", "unidentified", "unknown", "alleged", "so-called", "known", "two", "three", "other",
    "allegedly", "reportedly", "apparently", "presumably", "probably", "possibly", "likely",
    "supposedly", "purportedly",
];

/// Nouns after a nation word that make it the victim ("Russian banks", "Chinese dissidents").
pub static VICTIM_NOUNS: &[&str] = &[
    "banks", "bank", "companies", "company", "firms", "firm", "businesses", "organizations",
    "organisations", "organization", "organisation", "entities", "dissidents", "citizens", "users",
    "websites", "website", "sites", "networks", "network", "systems", "media", "journalists",
    "activists", "officials", "embassy", "embassies", "ministry", "ministries", "institutions",
    "universities", "university", "hospitals", "airlines", "airline", "infrastructure", "targets",
    "victims", "energy", "telecom", "telecommunications", "defense", "defence", "parliament",
    "election", "elections", "president", "prime", "politicians", "opposition", "minorities",
    "minority", "people", "nationals", "diaspora", "expats", "students", "researchers", "police",
    "navy", "soldiers", "troops", "power", "grid", "oil", "gas", "nuclear", "satellite", "news",
    "television", "tv", "exchange", "exchanges", "agency", "agencies", "department", "departments",
    "sector", "industry", "industries", "manufacturers", "contractors", "think", "ngos", "space",
    "army", "customers", "accounts", "servers", "computers", "counterparts", "airports", "ports",
    "railway", "railways", "regional", "municipal", "federal", "national", "orthodox", "church",
    "counterpart", "language", "speakers", "speaking", "territory", "soil", "border", "invasion",
    "war", "conflict", "interests", "minister", "foreign",
];

/// Nouns before "of" that make the following nation word the victim ("networks of Iranian …").
pub static VICTIM_OF_NOUNS: &[&str] = &[
    "network", "networks", "systems", "system", "infrastructure", "websites", "website", "servers",
    "computers", "data", "accounts", "emails", "documents", "ministry", "government", "members",
    "citizens", "employees", "officials", "users", "customers", "victims", "parts", "number",
    "dozens", "hundreds", "thousands", "millions", "department", "embassy", "website", "pages",
    "webpages", "homepage", "portal", "database", "databases", "secrets", "information",
];

/// Verbs after a noun phrase that make it the attributor, not the attacker ("US officials said").
pub static SAY_VERB_STEMS: &[&str] = &[
    "said", "say", "stated", "statement", "assess", "believ", "conclud", "claim", "report", "attribut",
    "accus", "blam", "warn", "determin", "announc", "confirm", "indict", "charg", "publish", "disclos",
    "reveal", "identif", "discover", "detect", "found", "notic", "investigat", "respond", "denied",
    "deny", "sanction", "issu", "told", "expel", "arrest", "called",
];

/// Negation and hedging that cancel an attribution when they open its clause. Compiled into the
/// dictionary automaton; a trailing `*` marks a stem (no word boundary after it).
pub static NEGATION_PHRASES: &[&str] = &[
    "no evidence", "no indication", "no proof", "no link", "no links", "no connection", "no ties",
    "not attributed", "not been attributed", "not be attributed", "not linked", "not been linked",
    "not connected", "not tied", "unlike", "rather than", "instead of", "as opposed to",
    "false flag", "false-flag", "false flags", "mimic*", "imitat*", "impersonat*", "posing as", "pose as",
    "posed as", "masquerad*", "disguised as", "pretend*", "previously thought", "previously believed",
    "previously attributed", "initially thought", "initially believed", "initially attributed",
    "originally attributed", "originally believed", "originally thought", "initially suspected",
    "first believed", "first thought", "wrongly attributed", "misattribut*", "ruled out", "rules out", "not from",
    "not by", "not the", "not a", "not of", "nor", "no longer attributed", "refuted", "dismissed",
    "debunked", "not believed", "not thought", "unrelated to", "not related", "no relation", "no known",
    "cannot be attributed", "could not be attributed", "could not attribute", "did not attribute",
    "does not attribute", "not publicly attributed", "without attribution", "did not accuse",
    "did not explicitly accuse", "not explicitly", "denies being", "not state", "unlikely", "not Chinese",
    "not Russian", "not Iranian", "not North Korean",
];

/// Words that end the scope of a negation inside a sentence.
pub static CLAUSE_BREAKS: &[&str] = &["but", "however", "although", "though", "whereas", "while", "yet"];

/// Tool cues: an AI word governed by these is the attacker's tool, not an asset targeted.
pub static TOOL_PREV: &[&str] = &[
    "used", "using", "uses", "use", "leveraging", "leveraged", "leverages", "leverage", "utilized",
    "utilizing", "utilises", "utilised", "utilizes", "employing", "employed", "employs", "via",
    "with", "abusing", "abused", "abuses", "powered", "relying", "relies", "relied",
    "assisted", "generated", "calls", "querying",
];

/// Suffixes of AI words that make them the attacker's tool ("AI-powered phishing").
pub static TOOL_SUFFIXES: &[&str] = &[
    "powered", "generated", "enabled", "driven", "assisted", "written", "crafted", "created",
    "based", "enhanced", "produced",
];

/// Words after an AI word that make it the attacker's tool ("LLM to write lures").
pub static TOOL_NEXT: &[&str] = &[
    "to", "for", "phishing", "lures", "lure", "malware", "scams", "scam", "deepfake", "deepfakes",
    "generated", "powered", "chatbot", "assistant", "endpoint", "endpoints", "api", "apis",
];

/// Theft, access and tampering verbs: an AI word in the same sentence is an asset targeted.
pub static TARGET_VERB_STEMS: &[&str] = &[
    "stole", "steal", "stolen", "theft", "exfiltrat", "extract", "copied", "copy", "copie", "replicat",
    "leak", "access", "compromis", "breach", "hack", "target", "poison", "tamper", "backdoor", "expos",
    "download", "infiltrat", "obtain", "harvest", "collect", "distill", "clone", "cloning", "infring",
    "misappropriat", "acquir", "pilfer", "siphon", "dump", "seiz", "corrupt", "modif", "replac", "embed",
    "sabotag", "exfil",
];

/// Verbs that act on a model's behaviour, not on the asset: evasion, probing, prompting. The
/// nearest such verb before an AI noun makes it no asset ("evaded the detection model").
pub static NON_TARGET_VERB_STEMS: &[&str] = &[
    "evad", "evasion", "bypass", "fool", "trick", "deceiv", "confus", "misclassif", "attack", "quer",
    "test", "manipulat", "jailbreak", "prompt", "caus", "influenc", "abus", "interact", "trigger",
    "discuss", "about", "regarding", "concern", "describ",
];

/// Words right after an ambiguous AI noun that make it a modifier of something else ("LLM
/// Desktop Applications", "ML-based detectors"): the noun is not the asset.
pub static AI_MODIFIER_NEXT: &[&str] = &[
    "application", "applications", "app", "apps", "agent", "agents", "assistant", "assistants", "chatbot",
    "chatbots", "desktop", "integrated", "framework", "frameworks", "provider", "providers", "service",
    "services", "endpoint", "endpoints", "api", "apis", "detector", "detectors", "tool", "tools",
    "system", "systems", "user", "users", "developers", "outputs", "output", "responses", "context",
];

/// Negators for AI assets and verticals ("no model weights were taken").
pub static NEGATORS: &[&str] = &["no", "not", "never", "without", "neither", "nor", "none"];
