//! Vendor naming conventions: what a never-seen name tells by its form alone.
//!
//! The table is data (`data/conventions.csv`, embedded at build time), one row per convention with
//! the public page it comes from. Only conventions that encode a nation or a motive give a sponsor
//! or sponsorship; the others (`Storm-####`, `UNC####`, `TA###`, …) only tell the vendor.

use std::collections::HashMap;
use std::sync::LazyLock;

use spyglass_model::Sponsorship;

use crate::normalize::{normalize, tokens};

/// Where the convention word sits in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Last of exactly two words: "Wicked PANDA", "Volt Typhoon".
    Suffix,
    /// First of exactly two words: "BRONZE ATLAS", "Water Labbu"; also `TEMP.` in "TEMP.Veles".
    Prefix,
    /// The word followed by digits: "Storm-0558", "FIN7", "UNC2452".
    Numbered,
    /// The word glued to a NATO-alphabet word: "RedEcho", "BlueCharlie".
    Camel,
}

/// One row of the conventions table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    pub vendor: String,
    pub position: Position,
    pub word: String,
    /// ISO alpha-2, for nation conventions.
    pub sponsor: Option<String>,
    pub sponsorship: Sponsorship,
    /// The public page the row comes from.
    pub source: String,
}

impl Convention {
    /// "CrowdStrike …PANDA = CN (state)" for basis lines.
    pub fn describe(&self) -> String {
        let form = match self.position {
            Position::Suffix => format!("<name> {}", self.word),
            Position::Prefix => format!("{} <name>", self.word),
            Position::Numbered => format!("{}-####", self.word),
            Position::Camel => format!("{}<NATO word>", self.word),
        };
        let what = match (&self.sponsor, self.sponsorship) {
            (Some(s), sp) => format!("{s} ({sp})"),
            (None, Sponsorship::Unknown) => "no attribution in the name".to_string(),
            (None, sp) => sp.to_string(),
        };
        format!("{} {form} = {what} [{}]", self.vendor, self.source)
    }

    /// Whether the row says anything about sponsorship.
    pub fn is_informative(&self) -> bool {
        self.sponsor.is_some() || self.sponsorship != Sponsorship::Unknown
    }
}

/// Microsoft's retired names (2016–2023) were chemical elements: they tell the vendor only.
const ELEMENTS: &[&str] = &[
    "hydrogen", "helium", "lithium", "beryllium", "boron", "carbon", "nitrogen", "oxygen", "fluorine", "neon",
    "sodium", "magnesium", "aluminium", "aluminum", "silicon", "phosphorus", "sulfur", "chlorine", "argon",
    "potassium", "calcium", "scandium", "titanium", "vanadium", "chromium", "manganese", "iron", "cobalt",
    "nickel", "copper", "zinc", "gallium", "germanium", "arsenic", "selenium", "bromine", "krypton",
    "rubidium", "strontium", "yttrium", "zirconium", "niobium", "molybdenum", "technetium", "ruthenium",
    "rhodium", "palladium", "silver", "cadmium", "indium", "tin", "antimony", "tellurium", "iodine", "xenon",
    "caesium", "cesium", "barium", "lanthanum", "cerium", "praseodymium", "neodymium", "promethium",
    "samarium", "europium", "gadolinium", "terbium", "dysprosium", "holmium", "erbium", "thulium",
    "ytterbium", "lutetium", "hafnium", "tantalum", "tungsten", "rhenium", "osmium", "iridium", "platinum",
    "gold", "mercury", "thallium", "lead", "bismuth", "polonium", "astatine", "radon", "francium", "radium",
    "actinium", "thorium", "protactinium", "uranium", "neptunium", "plutonium", "americium", "curium",
    "berkelium", "californium", "einsteinium", "fermium", "mendelevium", "nobelium", "lawrencium",
    "rutherfordium", "dubnium", "seaborgium", "bohrium", "hassium", "meitnerium", "darmstadtium",
    "roentgenium", "copernicium", "nihonium", "flerovium", "moscovium", "livermorium", "tennessine",
    "oganesson",
];

/// NATO phonetic alphabet words used in Recorded Future's names.
const NATO: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform",
    "victor", "whiskey", "xray", "yankee", "zulu",
];

/// Second words that make a two-word name generic rather than a vendor cryptonym ("Cobalt Group").
const GENERIC_SECOND: &[&str] = &["group", "gang", "team", "crew", "hackers", "apt", "ransomware", "strike"];

/// The parsed table with lookups by position and word (lowercase).
#[derive(Debug)]
pub struct Conventions {
    rows: Vec<Convention>,
    by_key: HashMap<(u8, String), Vec<usize>>,
}

const TABLE: &str = include_str!("../data/conventions.csv");

/// The embedded conventions table.
pub static CONVENTIONS: LazyLock<Conventions> = LazyLock::new(|| Conventions::parse(TABLE));

fn position_code(p: Position) -> u8 {
    match p {
        Position::Suffix => 0,
        Position::Prefix => 1,
        Position::Numbered => 2,
        Position::Camel => 3,
    }
}

impl Conventions {
    /// Parses the embedded CSV; rows that do not parse are a build-time data bug caught by tests.
    fn parse(text: &str) -> Conventions {
        let mut rows = Vec::new();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for rec in reader.records().flatten() {
            let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
            let position = match get(1).as_str() {
                "suffix" => Position::Suffix,
                "prefix" => Position::Prefix,
                "numbered" => Position::Numbered,
                "camel" => Position::Camel,
                _ => continue,
            };
            let Ok(sponsorship) = get(4).parse::<Sponsorship>() else { continue };
            let sponsor = Some(get(3)).filter(|s| !s.is_empty());
            rows.push(Convention { vendor: get(0), position, word: get(2), sponsor, sponsorship, source: get(5) });
        }
        let mut by_key: HashMap<(u8, String), Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let word = if r.position == Position::Numbered { normalize(&r.word) } else { r.word.to_lowercase() };
            by_key.entry((position_code(r.position), word)).or_default().push(i);
        }
        Conventions { rows, by_key }
    }

    /// Every row, in table order.
    pub fn rows(&self) -> &[Convention] {
        &self.rows
    }

    fn get(&self, p: Position, word: &str) -> impl Iterator<Item = &Convention> {
        self.by_key.get(&(position_code(p), word.to_string())).into_iter().flatten().map(|&i| &self.rows[i])
    }

    /// The conventions a name follows (hash look-ups on its first/last word and id prefix).
    pub fn matches(&self, name: &str) -> Vec<&Convention> {
        let mut out: Vec<&Convention> = Vec::new();
        let toks = tokens(name);
        if toks.len() == 2 {
            let first = toks[0].to_lowercase();
            let last = toks[1].to_lowercase();
            if !GENERIC_SECOND.contains(&last.as_str()) {
                out.extend(self.get(Position::Suffix, &last));
                out.extend(self.get(Position::Prefix, &first));
            }
        }
        if let Some(first) = toks.first()
            && let Some((head, rest)) = first.split_once('.')
            && !rest.is_empty()
        {
            out.extend(self.get(Position::Prefix, &head.to_lowercase()));
        }
        let key = normalize(name);
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        if stem.len() < key.len() && !stem.is_empty() {
            out.extend(self.get(Position::Numbered, stem));
        }
        if toks.len() == 1 {
            for colour in ["red", "blue", "purple"] {
                if let Some(rest) = key.strip_prefix(colour)
                    && NATO.contains(&rest)
                {
                    out.extend(self.get(Position::Camel, colour));
                }
            }
        }
        out
    }

    /// The vendor whose naming scheme a name follows, when exactly one does.
    pub fn vendor_of(&self, name: &str) -> Option<&str> {
        let m = self.matches(name);
        let mut vendors: Vec<&str> = m.iter().map(|c| c.vendor.as_str()).collect();
        if vendors.is_empty() && ELEMENTS.contains(&normalize(name).as_str()) {
            return Some("Microsoft");
        }
        vendors.dedup();
        match vendors.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn sponsors(name: &str) -> Vec<(Option<String>, Sponsorship)> {
        CONVENTIONS
            .matches(name)
            .into_iter()
            .filter(|c| c.is_informative())
            .map(|c| (c.sponsor.clone(), c.sponsorship))
            .collect()
    }

    #[test]
    fn table_parses_completely() {
        let lines = TABLE.lines().filter(|l| !l.trim().is_empty()).count() - 1;
        assert_eq!(CONVENTIONS.rows().len(), lines, "every row of conventions.csv must parse");
        for r in CONVENTIONS.rows() {
            assert!(!r.source.is_empty(), "{r:?} has no source");
            if let Some(s) = &r.sponsor {
                assert!(crate::geo::sponsor_code(s).is_some(), "{s}");
                assert!(r.sponsorship.is_state_backed());
            }
        }
    }

    #[test]
    fn nation_conventions() {
        let cn = (Some("CN".to_string()), Sponsorship::State);
        assert_eq!(sponsors("GENESIS PANDA"), vec![cn.clone()]);
        assert_eq!(sponsors("Linen Typhoon"), vec![cn.clone()]);
        assert_eq!(sponsors("BRONZE SPRING"), vec![cn.clone()]);
        assert_eq!(sponsors("Stately Taurus"), vec![cn.clone()]);
        assert_eq!(sponsors("RedNovember"), vec![cn]);
        assert_eq!(sponsors("Seashell Blizzard")[0].0.as_deref(), Some("RU"));
        assert_eq!(sponsors("Fighting Ursa")[0].0.as_deref(), Some("RU"));
        assert_eq!(sponsors("IRON TWILIGHT")[0].0.as_deref(), Some("RU"));
        assert_eq!(sponsors("Mint Sandstorm")[0].0.as_deref(), Some("IR"));
        assert_eq!(sponsors("COBALT MIRAGE")[0].0.as_deref(), Some("IR"));
        assert_eq!(sponsors("Jade Sleet")[0].0.as_deref(), Some("KP"));
        assert_eq!(sponsors("NICKEL HYATT")[0].0.as_deref(), Some("KP"));
    }

    #[test]
    fn motive_and_neutral_conventions() {
        assert_eq!(sponsors("SCATTERED SPIDER"), vec![(None, Sponsorship::Criminal)]);
        assert_eq!(sponsors("Octo Tempest"), vec![(None, Sponsorship::Criminal)]);
        assert_eq!(sponsors("GOLD BLADE"), vec![(None, Sponsorship::Criminal)]);
        assert_eq!(sponsors("Muddled Libra"), vec![(None, Sponsorship::Criminal)]);
        assert_eq!(sponsors("FIN12"), vec![(None, Sponsorship::Criminal)]);
        assert_eq!(sponsors("DEADEYE JACKAL"), vec![(None, Sponsorship::Hacktivist)]);
        assert!(sponsors("Storm-0558").is_empty());
        assert!(sponsors("UNC2452").is_empty());
        assert!(sponsors("Cobalt Group").is_empty(), "generic second word");
        assert!(sponsors("Panda").is_empty(), "one word is not a cryptonym");
        assert!(sponsors("The Big Panda Team").is_empty());
    }

    #[test]
    fn vendors() {
        assert_eq!(CONVENTIONS.vendor_of("Storm-0558"), Some("Microsoft"));
        assert_eq!(CONVENTIONS.vendor_of("STRONTIUM"), Some("Microsoft"));
        assert_eq!(CONVENTIONS.vendor_of("UNC2452"), Some("Mandiant"));
        assert_eq!(CONVENTIONS.vendor_of("TEMP.Veles"), Some("Mandiant"));
        assert_eq!(CONVENTIONS.vendor_of("APT-C-23"), Some("Qihoo 360"));
        assert_eq!(CONVENTIONS.vendor_of("TA505"), Some("Proofpoint"));
        assert_eq!(CONVENTIONS.vendor_of("G0096"), Some("MITRE"));
        assert_eq!(CONVENTIONS.vendor_of("Lazarus"), None);
    }
}
