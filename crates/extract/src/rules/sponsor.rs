//! Sponsor and sponsorship cue tables.
//!
//! A nation word is only an attribution when its context puts it in the attacker's position
//! ("Chinese hackers", "attributed to Russia", "Beijing-backed"); the context words are in
//! [`super::context`]. State organs count as attribution unless the context makes them the victim.

use spyglass_model::Sponsorship;

/// How a nation is named; nouns need stronger context than adjectives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NationForm {
    /// "Chinese", "Russian": attacker when followed by an actor noun.
    Adjective,
    /// "China", "Russia": attacker when introduced by "by", "from", "attributed to", "-backed" …
    Noun,
    /// "Beijing", "Kremlin": like nouns; "-backed" makes them a state sponsor.
    Capital,
}

use NationForm::{Adjective as A, Capital as C, Noun as N};

/// Nation words → ISO alpha-2. Matched case-insensitively except where noted in [`EXACT_CASE`].
/// Bare "Korean" is left out on purpose: it does not say which Korea.
pub const NATIONS: &[(&str, &str, NationForm)] = &[
    // China
    ("China", "CN", N), ("Chinese", "CN", A), ("PRC", "CN", N), ("People's Republic of China", "CN", N),
    ("Beijing", "CN", C), ("Sino", "CN", A), ("Shanghai", "CN", C), ("Chengdu", "CN", C),
    ("Guangzhou", "CN", C), ("Wuhan", "CN", C), ("Tianjin", "CN", C),
    // Russia
    ("Russia", "RU", N), ("Russian", "RU", A), ("Russian Federation", "RU", N), ("Moscow", "RU", C),
    ("Kremlin", "RU", C), ("Soviet", "RU", A),
    // Iran
    ("Iran", "IR", N), ("Iranian", "IR", A), ("Islamic Republic of Iran", "IR", N), ("Tehran", "IR", C),
    ("Persian", "IR", A),
    // North Korea
    ("North Korea", "KP", N), ("North Korean", "KP", A), ("DPRK", "KP", N), ("Pyongyang", "KP", C),
    ("Democratic People's Republic of Korea", "KP", N),
    // Others (alphabetical by ISO code)
    ("Algeria", "DZ", N), ("Algerian", "DZ", A), ("Emirati", "AE", A), ("UAE", "AE", N), ("United Arab Emirates", "AE", N),
    ("Armenia", "AM", N), ("Armenian", "AM", A), ("Argentina", "AR", N), ("Argentine", "AR", A),
    ("Argentinian", "AR", A), ("Australia", "AU", N), ("Australian", "AU", A),
    ("Azerbaijan", "AZ", N), ("Azerbaijani", "AZ", A), ("Azeri", "AZ", A),
    ("Bangladesh", "BD", N), ("Bangladeshi", "BD", A), ("Bahrain", "BH", N), ("Bahraini", "BH", A),
    ("Brazil", "BR", N), ("Brazilian", "BR", A), ("Belarus", "BY", N), ("Belarusian", "BY", A),
    ("Minsk", "BY", C), ("Canada", "CA", N), ("Canadian", "CA", A), ("Colombia", "CO", N),
    ("Colombian", "CO", A), ("Germany", "DE", N), ("German", "DE", A), ("Egypt", "EG", N),
    ("Egyptian", "EG", A), ("Spain", "ES", N), ("Spanish", "ES", A), ("Ethiopia", "ET", N),
    ("Ethiopian", "ET", A), ("France", "FR", N), ("French", "FR", A),
    ("United Kingdom", "GB", N), ("UK", "GB", N), ("Britain", "GB", N), ("British", "GB", A),
    ("Georgian", "GE", A), ("Indonesia", "ID", N), ("Indonesian", "ID", A), ("Israel", "IL", N),
    ("Israeli", "IL", A), ("India", "IN", N), ("Indian", "IN", A), ("New Delhi", "IN", C),
    ("Iraq", "IQ", N), ("Iraqi", "IQ", A), ("Italy", "IT", N), ("Italian", "IT", A),
    ("Japan", "JP", N), ("Japanese", "JP", A), ("Kazakhstan", "KZ", N), ("Kazakh", "KZ", A),
    ("South Korea", "KR", N), ("South Korean", "KR", A), ("Lebanon", "LB", N), ("Lebanese", "LB", A),
    ("Morocco", "MA", N), ("Moroccan", "MA", A), ("Mexico", "MX", N), ("Mexican", "MX", A),
    ("Malaysia", "MY", N), ("Malaysian", "MY", A), ("Nigeria", "NG", N), ("Nigerian", "NG", A),
    ("Netherlands", "NL", N), ("Dutch", "NL", A), ("Philippines", "PH", N), ("Filipino", "PH", A),
    ("Pakistan", "PK", N), ("Pakistani", "PK", A), ("Islamabad", "PK", C), ("Poland", "PL", N),
    ("Polish", "PL", A), ("Palestinian", "PS", A), ("Palestine", "PS", N), ("Gaza", "PS", N),
    ("Qatar", "QA", N), ("Qatari", "QA", A), ("Romania", "RO", N), ("Romanian", "RO", A),
    ("Serbia", "RS", N), ("Serbian", "RS", A), ("Saudi Arabia", "SA", N), ("Saudi", "SA", A),
    ("Riyadh", "SA", C), ("Syria", "SY", N), ("Syrian", "SY", A), ("Damascus", "SY", C),
    ("Thailand", "TH", N), ("Thai", "TH", A), ("Tunisia", "TN", N), ("Tunisian", "TN", A),
    ("Turkey", "TR", N), ("Turkish", "TR", A), ("Türkiye", "TR", N), ("Ankara", "TR", C),
    ("Taiwan", "TW", N), ("Taiwanese", "TW", A), ("Ukraine", "UA", N), ("Ukrainian", "UA", A),
    ("Kyiv", "UA", C), ("Kiev", "UA", C), ("United States", "US", N), ("US", "US", N),
    ("U.S.", "US", N), ("USA", "US", N), ("America", "US", N), ("American", "US", A),
    ("Washington", "US", C), ("Uzbekistan", "UZ", N), ("Uzbek", "UZ", A), ("Venezuela", "VE", N),
    ("Venezuelan", "VE", A), ("Vietnam", "VN", N), ("Vietnamese", "VN", A), ("Viet Nam", "VN", N),
    ("Hanoi", "VN", C), ("Yemen", "YE", N), ("Yemeni", "YE", A), ("Houthi", "YE", A),
    // plural demonyms read like adjectives ("Indians hacking group")
    ("Russians", "RU", A), ("Iranians", "IR", A), ("North Koreans", "KP", A), ("Americans", "US", A),
    ("Israelis", "IL", A), ("Pakistanis", "PK", A), ("Indians", "IN", A), ("Turks", "TR", A),
    ("Saudis", "SA", A), ("Palestinians", "PS", A), ("Syrians", "SY", A), ("Ukrainians", "UA", A),
];

/// State organs → ISO alpha-2. They attribute to a state (sponsorship `state`) on their own.
pub const ORGANS: &[(&str, &str)] = &[
    // China: Ministry of State Security, People's Liberation Army and its units
    ("MSS", "CN"), ("Ministry of State Security", "CN"), ("PLA", "CN"),
    ("People's Liberation Army", "CN"), ("PLA Unit 61398", "CN"), ("Unit 61398", "CN"),
    ("Unit 61486", "CN"), ("3PLA", "CN"), ("Strategic Support Force", "CN"),
    ("Chinese Communist Party", "CN"), ("CCP", "CN"),
    // Russia: military intelligence (GRU and its units), SVR, FSB
    ("GRU", "RU"), ("Main Intelligence Directorate", "RU"), ("Unit 26165", "RU"), ("Unit 74455", "RU"),
    ("Unit 29155", "RU"), ("SVR", "RU"), ("FSB", "RU"), ("Federal Security Service", "RU"),
    // Iran: Revolutionary Guards, Ministry of Intelligence
    ("IRGC", "IR"), ("Islamic Revolutionary Guard Corps", "IR"), ("Revolutionary Guards", "IR"),
    ("MOIS", "IR"), ("Ministry of Intelligence and Security", "IR"), ("VAJA", "IR"),
    // North Korea: Reconnaissance General Bureau
    ("RGB", "KP"), ("Reconnaissance General Bureau", "KP"), ("Bureau 121", "KP"),
    // Five Eyes and others named in incident data
    ("NSA", "US"), ("National Security Agency", "US"), ("CIA", "US"), ("Central Intelligence Agency", "US"),
    ("Cyber Command", "US"), ("Tailored Access Operations", "US"), ("GCHQ", "GB"),
    ("Government Communications Headquarters", "GB"), ("BND", "DE"),
    ("DGSE", "FR"), ("Unit 8200", "IL"), ("Mossad", "IL"), ("ISI", "PK"),
];

/// Cue words matched with exact case: all-capital abbreviations that are ordinary words in lower
/// case ("us", "pla" in "place", "rgb" colours) and short codes.
pub const EXACT_CASE: &[&str] = &[
    "US", "UK", "PRC", "DPRK", "UAE", "USA", "MSS", "PLA", "3PLA", "CCP", "GRU", "SVR", "FSB", "IRGC",
    "MOIS", "VAJA", "RGB", "NSA", "CIA", "GCHQ", "BND", "DGSE", "ISI", "Sino",
];

/// Sponsorship wording. The strongest kind found wins (state > state-affiliated > hacktivist >
/// criminal): a state group that also steals money is still state-sponsored.
pub const SPONSORSHIP_CUES: &[(&str, Sponsorship)] = &[
    // state: direct sponsorship
    ("state-sponsored", Sponsorship::State), ("state sponsored", Sponsorship::State),
    ("state-backed", Sponsorship::State), ("state backed", Sponsorship::State),
    ("nation-state", Sponsorship::State), ("nation state", Sponsorship::State),
    ("government-backed", Sponsorship::State), ("government backed", Sponsorship::State),
    ("government-sponsored", Sponsorship::State), ("state-run", Sponsorship::State),
    ("state actor", Sponsorship::State), ("state actors", Sponsorship::State),
    ("state hackers", Sponsorship::State), ("government hackers", Sponsorship::State),
    ("state hacker", Sponsorship::State), ("state hacking", Sponsorship::State),
    ("military intelligence", Sponsorship::State), ("intelligence service", Sponsorship::State),
    ("intelligence services", Sponsorship::State), ("intelligence agency", Sponsorship::State),
    ("intelligence agencies", Sponsorship::State), ("military hackers", Sponsorship::State),
    ("military unit", Sponsorship::State),
    // state-affiliated: links suggested, not established
    ("state-affiliated", Sponsorship::StateAffiliated), ("state affiliated", Sponsorship::StateAffiliated),
    ("state-aligned", Sponsorship::StateAffiliated), ("state-linked", Sponsorship::StateAffiliated),
    ("state-nexus", Sponsorship::StateAffiliated), ("government-linked", Sponsorship::StateAffiliated),
    ("links to the government", Sponsorship::StateAffiliated), ("ties to the government", Sponsorship::StateAffiliated),
    ("suspected of links to", Sponsorship::StateAffiliated), ("affiliated with the government", Sponsorship::StateAffiliated),
    ("patriotic hackers", Sponsorship::StateAffiliated), ("state-encouraged", Sponsorship::StateAffiliated),
    ("state-tolerated", Sponsorship::StateAffiliated), ("state-proxy", Sponsorship::StateAffiliated),
    ("state proxy", Sponsorship::StateAffiliated), ("state-condoned", Sponsorship::StateAffiliated), ("state sponsorship suggested", Sponsorship::StateAffiliated),
    ("state-affiliation suggested", Sponsorship::StateAffiliated), ("state sponsorship", Sponsorship::State), ("on its behalf", Sponsorship::StateAffiliated),
    ("contracted by the government", Sponsorship::StateAffiliated), ("government contractor", Sponsorship::StateAffiliated),
    // hacktivist
    ("hacktivist", Sponsorship::Hacktivist), ("hacktivists", Sponsorship::Hacktivist),
    ("hacktivism", Sponsorship::Hacktivist), ("cyber activists", Sponsorship::Hacktivist),
    ("hacker collective", Sponsorship::Hacktivist), ("hacktivist collective", Sponsorship::Hacktivist),
    ("Anonymous collective", Sponsorship::Hacktivist),
    // criminal
    ("cybercriminal", Sponsorship::Criminal), ("cybercriminals", Sponsorship::Criminal),
    ("cyber criminal", Sponsorship::Criminal), ("cyber criminals", Sponsorship::Criminal),
    ("cybercrime group", Sponsorship::Criminal), ("cybercrime gang", Sponsorship::Criminal),
    ("criminal group", Sponsorship::Criminal), ("criminal gang", Sponsorship::Criminal),
    ("criminal hackers", Sponsorship::Criminal), ("criminal organization", Sponsorship::Criminal),
    ("ransomware gang", Sponsorship::Criminal), ("ransomware group", Sponsorship::Criminal),
    ("ransomware operators", Sponsorship::Criminal), ("ransomware-as-a-service", Sponsorship::Criminal),
    ("extortion group", Sponsorship::Criminal), ("extortion gang", Sponsorship::Criminal),
    ("financially motivated", Sponsorship::Criminal), ("financially-motivated", Sponsorship::Criminal),
    ("fraudsters", Sponsorship::Criminal),
];

/// Ordering of sponsorship kinds when several cues appear (higher wins).
pub fn sponsorship_rank(s: Sponsorship) -> u8 {
    match s {
        Sponsorship::State => 4,
        Sponsorship::StateAffiliated => 3,
        Sponsorship::Hacktivist => 2,
        Sponsorship::Criminal => 1,
        Sponsorship::Unknown => 0,
    }
}
