//! Country codes for sponsors: ISO 3166-1 alpha-2 from the spellings sources use.
//!
//! `spyglass_model::country` is asked first. The small table here covers the spellings that the
//! actor sources use (MISP `cfr-suspected-state-sponsor` says "Iran (Islamic Republic of)",
//! Microsoft says "Türkiye", ATT&CK descriptions say "North Korean", "PRC") and the demonyms the
//! description parser looks for; it is also the fallback while the model's table is incomplete.

use spyglass_model::country;

/// (alpha-2, names and demonyms, lowercase). Order matters for demonym matching only in that
/// longer phrases ("north korean") are tried before shorter ones by the caller.
pub(crate) const COUNTRIES: &[(&str, &[&str])] = &[
    ("CN", &["china", "chinese", "prc", "people's republic of china", "people’s republic of china"]),
    ("RU", &["russia", "russian", "russian federation"]),
    ("IR", &["iran", "iranian", "iran (islamic republic of)", "islamic republic of iran"]),
    ("KP", &["north korea", "north korean", "dprk", "korea (democratic people's republic of)", "democratic people's republic of korea"]),
    ("KR", &["south korea", "south korean", "korea (republic of)", "republic of korea", "korea"]),
    ("VN", &["vietnam", "viet nam", "vietnamese"]),
    ("IN", &["india", "indian"]),
    ("PK", &["pakistan", "pakistani"]),
    ("TR", &["turkey", "türkiye", "turkiye", "turkish"]),
    ("LB", &["lebanon", "lebanese"]),
    ("IL", &["israel", "israeli"]),
    ("PS", &["palestine", "palestinian", "state of palestine", "gaza"]),
    ("BY", &["belarus", "belarusian", "belorussian"]),
    ("UA", &["ukraine", "ukrainian"]),
    ("US", &["united states", "united states of america", "usa", "american"]),
    ("GB", &["united kingdom", "british"]),
    ("AE", &["united arab emirates", "uae", "emirati"]),
    ("SA", &["saudi arabia", "saudi"]),
    ("SY", &["syria", "syrian", "syrian arab republic"]),
    ("EG", &["egypt", "egyptian"]),
    ("KZ", &["kazakhstan", "kazakh"]),
    ("SG", &["singapore", "singaporean"]),
    ("AT", &["austria", "austrian"]),
    ("FR", &["france", "french"]),
    ("DE", &["germany", "german"]),
    ("ES", &["spain", "spanish"]),
    ("IT", &["italy", "italian"]),
    ("NG", &["nigeria", "nigerian"]),
    ("BR", &["brazil", "brazilian"]),
    ("TW", &["taiwan", "taiwanese"]),
    ("MY", &["malaysia", "malaysian"]),
    ("ID", &["indonesia", "indonesian"]),
    ("IQ", &["iraq", "iraqi"]),
    ("MA", &["morocco", "moroccan"]),
    ("TN", &["tunisia", "tunisian"]),
    ("DZ", &["algeria", "algerian"]),
    ("LY", &["libya", "libyan"]),
    ("KE", &["kenya", "kenyan"]),
    ("RO", &["romania", "romanian"]),
    ("GE", &["georgia"]),
    ("CO", &["colombia", "colombian"]),
    ("JP", &["japan", "japanese"]),
    ("YE", &["yemen", "yemeni"]),
    ("QA", &["qatar", "qatari"]),
    ("CA", &["canada", "canadian"]),
    ("AU", &["australia", "australian"]),
];

/// The ISO alpha-2 code for a sponsor written as a code ("cn") or a name ("Russian Federation").
pub fn sponsor_code(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || country::is_placeholder(t) {
        return None;
    }
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = t.to_ascii_uppercase();
        let known = country::by_alpha2(&code).is_some() || COUNTRIES.iter().any(|(c, _)| *c == code);
        return known.then_some(code);
    }
    if let Some(c) = country::lookup(t) {
        return Some(c.alpha2.to_string());
    }
    let lower = t.to_lowercase();
    COUNTRIES
        .iter()
        .find(|(_, names)| names.contains(&lower.as_str()))
        .map(|(c, _)| (*c).to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn source_spellings_map() {
        assert_eq!(sponsor_code("Iran (Islamic Republic of)").as_deref(), Some("IR"));
        assert_eq!(sponsor_code("Korea (Democratic People's Republic of)").as_deref(), Some("KP"));
        assert_eq!(sponsor_code("Russian Federation").as_deref(), Some("RU"));
        assert_eq!(sponsor_code("Türkiye").as_deref(), Some("TR"));
        assert_eq!(sponsor_code("cn").as_deref(), Some("CN"));
        assert_eq!(sponsor_code("Unknown"), None);
        assert_eq!(sponsor_code("ZZ"), None);
        assert_eq!(sponsor_code(""), None);
    }
}
