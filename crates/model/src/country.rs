//! ISO 3166-1 countries and the many ways sources spell them.
//!
//! The table holds the 249 ISO 3166-1 entries plus Kosovo (`XK`/`XKX`, user-assigned but used by
//! nearly every CTI source). Spellings are matched on normalised keys (case, accents, punctuation,
//! "the", "&", "St.", ISO/CFR inversions; see `normalize`) built once into hash maps, and matching
//! is exact on those keys: nothing fuzzy, so North/South Korea, Congo/DR Congo, Niger/Nigeria,
//! Guinea/Guinea-Bissau/Equatorial Guinea, Dominica/Dominican Republic and Sudan/South Sudan stay
//! apart. [`classify`] also recognises the regions, organisations and groups that sources put in
//! country fields, so callers can report them without counting them as countries.

mod non_country;
mod normalize;
mod table;

use std::collections::HashMap;
use std::sync::LazyLock;

/// One ISO 3166-1 country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    /// ISO 3166-1 English short name, e.g. "Korea, Republic of".
    pub name: &'static str,
}

/// [`CountryMatch::NotACountry`] kind: a continent, sub-region or territory that is no ISO entry.
pub const REGION: &str = "region";
/// [`CountryMatch::NotACountry`] kind: an international organisation (NATO, UN, OSCE…).
pub const ORGANISATION: &str = "organisation";
/// [`CountryMatch::NotACountry`] kind: a non-state armed group (ISIS…).
pub const GROUP: &str = "group";
/// [`CountryMatch::NotACountry`] kind: a state that no longer exists (Soviet Union, Serbia and
/// Montenegro, Netherlands Antilles…); mapping it to one successor would be a guess.
pub const FORMER: &str = "former";

/// What a value found in a country field denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountryMatch {
    /// An ISO 3166-1 country (or Kosovo).
    Country(Country),
    /// "no country given": empty, "Unknown", "Not available", "N/A"…
    Placeholder,
    /// A known non-country; the kind is [`REGION`], [`ORGANISATION`], [`GROUP`] or [`FORMER`].
    NotACountry(&'static str),
    /// Nothing known: callers should report the value.
    Unmapped,
}

struct Index {
    /// Upper-case alpha-2 and alpha-3 codes → table row.
    codes: HashMap<&'static str, usize>,
    /// Normalised names and aliases → table row.
    names: HashMap<String, usize>,
    /// Normalised non-country names → kind.
    others: HashMap<String, &'static str>,
    /// Keys claimed by two different rows (or by a country and a non-country); must stay empty.
    #[cfg_attr(not(test), allow(dead_code))]
    conflicts: Vec<String>,
}

static INDEX: LazyLock<Index> = LazyLock::new(build_index);

fn build_index() -> Index {
    let mut codes = HashMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut conflicts = Vec::new();
    for (row, (country, aliases)) in table::TABLE.iter().enumerate() {
        for code in [country.alpha2, country.alpha3] {
            if codes.insert(code, row).is_some() {
                conflicts.push(format!("code {code}"));
            }
        }
        for spelling in std::iter::once(&country.name).chain(aliases.iter()) {
            for key in normalize::keys(spelling) {
                match names.get(&key) {
                    Some(&other) if other != row => conflicts.push(format!(
                        "{key:?} is both {} and {}",
                        table::TABLE[other].0.alpha2,
                        country.alpha2
                    )),
                    _ => {
                        names.insert(key, row);
                    }
                }
            }
        }
    }
    let mut others = HashMap::new();
    for (kind, values) in non_country::NON_COUNTRIES {
        for value in *values {
            // Only the literal key: an inverted form of a region name is not a name anyone uses.
            let key = normalize::key(value);
            if let Some(&row) = names.get(&key) {
                conflicts.push(format!(
                    "{key:?} is a {kind} and {}",
                    table::TABLE[row].0.alpha2
                ));
            }
            if let Some(previous) = others.insert(key.clone(), *kind)
                && previous != *kind
            {
                conflicts.push(format!("{key:?} is both {previous} and {kind}"));
            }
        }
    }
    for code in non_country::FORMER_CODES {
        if codes.contains_key(code) {
            conflicts.push(format!("former code {code} is assigned"));
        }
    }
    Index {
        codes,
        names,
        others,
        conflicts,
    }
}

/// The upper-cased value when it is a bare 2- or 3-letter code candidate.
fn as_code(name: &str) -> Option<String> {
    let t = name.trim();
    ((2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| t.to_ascii_uppercase())
}

/// Looks a country up by alpha-2, alpha-3, ISO name or a known alternative spelling.
///
/// Codes are recognised only when the whole value is the 2 or 3 letters (any case), so "&" or a
/// stray word inside a name never reads as a code.
pub fn lookup(name: &str) -> Option<Country> {
    let index = &*INDEX;
    if let Some(code) = as_code(name)
        && let Some(&row) = index.codes.get(code.as_str())
    {
        return Some(table::TABLE[row].0);
    }
    let keys = normalize::keys(name);
    if let Some(row) = keys.iter().find_map(|k| index.names.get(k)) {
        return Some(table::TABLE[*row].0);
    }
    // "Myanmar (Burma)", "Taiwan (Republic of China)": both halves name the same country.
    let folded = normalize::fold(name);
    let (head, inner) = normalize::split_trailing_parens(folded.trim())?;
    let head_row = index.names.get(&normalize::key(head))?;
    let inner_row = index.names.get(&normalize::key(inner))?;
    (head_row == inner_row).then(|| table::TABLE[*head_row].0)
}

/// The country with this alpha-2 code (any case).
pub fn by_alpha2(code: &str) -> Option<Country> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    INDEX
        .codes
        .get(code.to_ascii_uppercase().as_str())
        .map(|&row| table::TABLE[row].0)
}

/// Values sources use for "no country": they are not errors and not countries.
pub fn is_placeholder(name: &str) -> bool {
    non_country::PLACEHOLDERS.contains(&normalize::key(name).as_str())
}

/// Says what a country-field value denotes: a country, a placeholder, a known non-country
/// (region, organisation, group, former state) or nothing known.
pub fn classify(name: &str) -> CountryMatch {
    if is_placeholder(name) {
        return CountryMatch::Placeholder;
    }
    if let Some(country) = lookup(name) {
        return CountryMatch::Country(country);
    }
    if as_code(name).is_some_and(|code| non_country::FORMER_CODES.contains(&code.as_str())) {
        return CountryMatch::NotACountry(FORMER);
    }
    let index = &*INDEX;
    if let Some(kind) = index.others.get(&normalize::key(name)) {
        return CountryMatch::NotACountry(kind);
    }
    // EuRepoC qualifiers: "Mena Region (region)", "EU (institutions)", "NATO (region)".
    let folded = normalize::fold(name);
    if let Some((head, inner)) = normalize::split_trailing_parens(folded.trim())
        && let Some(kind) = non_country::qualifier_kind(&normalize::key(inner))
    {
        let base = index.others.get(&normalize::key(head)).copied();
        // A named organisation keeps its kind under "(region)" ("NATO (region)"), except where
        // an explicit entry above said otherwise ("EU (region)").
        return CountryMatch::NotACountry(match base {
            Some(ORGANISATION) => ORGANISATION,
            _ => kind,
        });
    }
    CountryMatch::Unmapped
}

/// Every country in the table: the 249 ISO 3166-1 entries in alpha-2 order, then Kosovo.
pub fn all() -> impl Iterator<Item = Country> {
    table::TABLE.iter().map(|(country, _)| *country)
}

/// Normalised keys claimed twice; empty unless the tables contradict themselves.
#[cfg(test)]
fn index_conflicts() -> &'static [String] {
    &INDEX.conflicts
}

#[cfg(test)]
mod tests;

/// The name people use in tables ("China", "Russia", "North Korea") where it differs from the ISO
/// short name ("Korea, Democratic People's Republic of"); the ISO name otherwise.
pub fn common_name(alpha2: &str) -> Option<&'static str> {
    const COMMON: &[(&str, &str)] = &[
        ("BO", "Bolivia"),
        ("CD", "DR Congo"),
        ("FM", "Micronesia"),
        ("GB", "United Kingdom"),
        ("IR", "Iran"),
        ("KP", "North Korea"),
        ("KR", "South Korea"),
        ("LA", "Laos"),
        ("MD", "Moldova"),
        ("PS", "Palestine"),
        ("RU", "Russia"),
        ("SY", "Syria"),
        ("TR", "Turkey"),
        ("TW", "Taiwan"),
        ("TZ", "Tanzania"),
        ("US", "United States"),
        ("VE", "Venezuela"),
        ("VN", "Vietnam"),
    ];
    let code = alpha2.trim().to_ascii_uppercase();
    COMMON
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .or_else(|| by_alpha2(&code).map(|c| c.name))
}

#[cfg(test)]
mod common_name_tests {
    #[test]
    fn short_names_for_tables() {
        assert_eq!(super::common_name("kp"), Some("North Korea"));
        assert_eq!(super::common_name("CN"), Some("China"));
        assert_eq!(super::common_name("ZZ"), None);
    }
}
