//! Case rules for actor aliases.
//!
//! Aliases are matched on word boundaries, ASCII case-insensitively, except:
//! - short all-capital aliases (≤ 4 letters, e.g. "APT1", "SEA", "GOP"): exact case;
//! - aliases that are ordinary English words ([`COMMON_WORD_ALIASES`], taken from the MISP
//!   threat-actor and ATT&CK alias lists): exact case ("Zinc" and "ZINC" match, "zinc" does not);
//! - [`CONTEXT_REQUIRED`]: aliases that are also common acronyms or brands, which need an actor
//!   noun right before or after them ("the UPS team", "GOP hackers").

/// MISP/ATT&CK aliases that are English words (lower case; the dictionary's own spelling decides
/// the case that matches).
pub const COMMON_WORD_ALIASES: &[&str] = &[
    "actinium", "alibaba", "amoeba", "antlion", "axiom", "bitter", "blackjack", "blackfly", "boron",
    "bromine", "buckeye", "butterfly", "cadmium", "calcium", "cardinal", "castle", "cerium", "chafer",
    "chimera", "cicada", "cleaver", "cobalt", "copper", "curium", "dogfish", "dragonfly", "elfin",
    "europium", "gallium", "ghostwriter", "gorilla", "grayling", "greenbug", "hafnium", "helium",
    "holmium", "honeybee", "indra", "iridium", "kairos", "krypton", "lead", "leviathan", "lexus",
    "longhorn", "machete", "magnesium", "manganese", "mask", "mercury", "mirage", "monsoon", "moonlight",
    "neptunium", "nickel", "nitro", "nobelium", "osmium", "oxygen", "packrat", "patchwork", "pickaxe",
    "pioneer", "platinum", "plutonium", "polaris", "polonium", "popeye", "potassium", "pupa", "radium",
    "reaper", "sandworm", "scarab", "scimitar", "silence", "silicon", "slingshot", "snake", "snowglobe",
    "sodium", "springtail", "strider", "strontium", "sulphur", "summit", "superman", "swallowtail",
    "tantalum", "terbium", "thallium", "thrip", "tick", "tortoiseshell", "trident", "venom", "vermin",
    "voyeur", "watchdog", "whitefly", "wraith", "yttrium", "zinc", "zirconium", "anonymous", "equation",
    "turbine", "inception", "darkside", "kraken", "phantom", "sphinx", "spectre", "gamaredon", "ember",
    "sidewinder", "oilrig", "nomad", "scattered", "sprite", "hive", "clop", "royal", "play", "akira",
    "medusa", "cuba", "karma", "trigona", "vice", "rhysida", "avaddon", "babuk", "maze", "hades",
    "hellcat", "ragnar", "monti", "quantum", "cactus", "conti", "raccoon", "hunter", "circle",
];

/// Aliases that are also common acronyms, brands or words in any case; they need an actor noun
/// right next to them.
pub const CONTEXT_REQUIRED: &[&str] = &[
    "UPS", "GOP", "SEA", "TSB", "CCA", "UCA", "UUC", "AIZ", "RTM", "LEAD", "DUNE", "Mask", "Tick",
    "Pupa", "Play", "Royal", "Hive", "Circle", "Vice", "Cuba", "Karma", "Quantum", "Hunter", "Summit",
    "Castle", "Polaris", "Lexus", "Alibaba", "Superman", "Pioneer", "Trident", "Venom", "Silence",
    "Nomad", "Scattered", "Equation", "Inception", "Phantom", "Kairos",
];

/// Nouns that, next to a context-requiring alias, show it names an actor.
pub static ACTOR_CONTEXT: &[&str] = &[
    "group", "groups", "apt", "hackers", "hacker", "team", "gang", "crew", "actor", "actors",
    "operators", "operator", "collective", "ransomware", "campaign", "hacktivists", "threat", "affiliates",
];
