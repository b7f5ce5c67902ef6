//! ISO 3166-1 countries and the many ways sources spell them.
//! (placeholder API; the full table is being written)

/// One ISO 3166-1 country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub name: &'static str,
}

const TABLE: &[(Country, &[&str])] = &[];

/// Looks a country up by alpha-2, alpha-3, ISO name or a known alternative spelling.
pub fn lookup(name: &str) -> Option<Country> {
    let key = normalize(name);
    TABLE
        .iter()
        .find(|(c, aliases)| {
            normalize(c.alpha2) == key || normalize(c.alpha3) == key || normalize(c.name) == key
                || aliases.iter().any(|a| normalize(a) == key)
        })
        .map(|(c, _)| *c)
}

/// The country with this alpha-2 code.
pub fn by_alpha2(code: &str) -> Option<Country> {
    TABLE.iter().find(|(c, _)| c.alpha2.eq_ignore_ascii_case(code)).map(|(c, _)| *c)
}

/// Values sources use for "no country": they are not errors and not countries.
pub fn is_placeholder(name: &str) -> bool {
    matches!(normalize(name).as_str(), "" | "not available" | "unknown" | "n a" | "none")
}

fn normalize(s: &str) -> String {
    s.to_lowercase()
}
