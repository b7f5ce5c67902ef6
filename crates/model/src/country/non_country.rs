//! Values that stand in a country field but are not countries: placeholders, regions,
//! organisations, armed groups and states that no longer exist.
//!
//! The lists hold what the shared data sets actually contain (EuRepoC, CFR, MISP galaxies) plus
//! the obvious neighbours of those values; everything else stays unmapped so callers report it.

use super::{FORMER, GROUP, ORGANISATION, REGION};

/// Keys (see `normalize::key`) of values meaning "no country given".
pub(super) const PLACEHOLDERS: &[&str] = &[
    "",
    "not available",
    "unknown",
    "n a", // "N/A"; plain "NA" is Namibia
    "none",
    "null",
    "nil",
    "not specified",
    "unspecified",
    "not applicable",
    "not known",
    "undetermined",
    "unattributed",
];

/// Names of regions, organisations, groups and former states, with their kind.
pub(super) const NON_COUNTRIES: &[(&str, &[&str])] = &[
    (
        REGION,
        &[
            // continents and world
            "Africa",
            "Asia",
            "Europe",
            "Oceania",
            "North America",
            "South America",
            "Central America",
            "Latin America",
            "Latin America and the Caribbean",
            "Caribbean",
            "Americas",
            "Global",
            "Worldwide",
            "World",
            "International",
            // sub-regions
            "Middle East",
            "Near East",
            "MENA",
            "Mena Region",
            "Middle East and North Africa",
            "Gulf Countries",
            "Gulf States",
            "Persian Gulf",
            "Arabian Peninsula",
            "Balkans",
            "Western Balkans",
            "Caucasus",
            "South Caucasus",
            "Central Asia",
            "East Asia",
            "Eastern Asia",
            "Northeast Asia",
            "Southeast Asia",
            "Southeast Asian",
            "South Asia",
            "Asia Pacific",
            "Asia-Pacific",
            "APAC",
            "Indo-Pacific",
            "South China Sea",
            "Eastern Europe",
            "Western Europe",
            "Northern Europe",
            "Southern Europe",
            "Central Europe",
            "Central and Eastern Europe",
            "Baltics",
            "Baltic States",
            "Scandinavia",
            "Nordic Countries",
            "North Africa",
            "Northeast Africa",
            "East Africa",
            "West Africa",
            "Southern Africa",
            "Sub-Saharan Africa",
            "Horn of Africa",
            "Sahel",
            // EuRepoC codes the EU member states as a whole as "EU (region)", beside
            // "EU (institutions)" for the Union's own bodies.
            "EU (region)",
            // territories and peoples' regions that are not ISO entries
            "Kurdistan",
            "Tibet",
            "Kashmir",
            "Crimea",
            // "Korea" alone does not say which Korea (Microsoft's origin field uses it once).
            "Korea",
            "Korean Peninsula",
        ],
    ),
    (
        ORGANISATION,
        &[
            "NATO",
            "NATO (region)",
            "North Atlantic Treaty Organization",
            "EU",
            "European Union",
            "European Commission",
            "European Parliament",
            "Council of the European Union",
            "European Council",
            "Council of Europe",
            "United Nations",
            "UN",
            "United Nations Organization",
            "UN Security Council",
            "United Nations Security Council",
            "United Nations Economic and Social Council",
            "ECOSOC",
            "United Nations Environment Programme",
            "UNEP",
            "UNICEF",
            "World Health Organization",
            "WHO",
            "Interpol",
            "Europol",
            "OSCE",
            "Organization for Security and Cooperation in Europe",
            "Organization for Security and Co-operation in Europe",
            "Organisation for Security and Co-operation in Europe",
            "World Anti-Doping Agency",
            "WADA",
            "International Association of Athletics Federations",
            "IAAF",
            "World Athletics",
            "International Olympic Committee",
            "IOC",
            "FIFA",
            "African Union",
            "Association of Southeast Asian Nations",
            "ASEAN",
            "Asia Pacific Economic Cooperation",
            "Asia-Pacific Economic Cooperation",
            "APEC",
            "International Atomic Energy Agency",
            "IAEA",
            "Organisation for the Prohibition of Chemical Weapons",
            "Organization for the Prohibition of Chemical Weapons",
            "OPCW",
            "Gulf Cooperation Council",
            "GCC",
            "Arab League",
            "Collective Security Treaty Organization",
            "CSTO",
            "Shanghai Cooperation Organisation",
            "OECD",
            "G7",
            "G20",
        ],
    ),
    (
        GROUP,
        &[
            "ISIS",
            "ISIL",
            "Islamic State",
            "Islamic State Group",
            "Islamic State of Iraq and Syria",
            "Islamic State of Iraq and the Levant",
            "Daesh",
            "Hezbollah",
            "Hizballah",
            "Hamas",
            "Taliban",
            "Al-Qaeda",
            "Al Qaida",
        ],
    ),
    (
        FORMER,
        &[
            "Soviet Union",
            "USSR",
            "Yugoslavia",
            "Serbia and Montenegro",
            "Netherlands Antilles",
            "Czechoslovakia",
            "East Germany",
            "German Democratic Republic",
            "Zaire",
        ],
    ),
];

/// Withdrawn ISO codes (alpha-2 and alpha-3) of former states, read only as whole 2–3 letter values.
pub(super) const FORMER_CODES: &[&str] = &[
    "SU", "SUN", // Soviet Union
    "YU", "YUG", // Yugoslavia
    "CS", "SCG", // Serbia and Montenegro (CS earlier Czechoslovakia)
    "CSK", // Czechoslovakia
    "AN", "ANT", // Netherlands Antilles
    "DD", "DDR", // German Democratic Republic
    "ZR", "ZAR", // Zaire
];

/// The kind a trailing EuRepoC qualifier gives to an otherwise unknown value.
pub(super) fn qualifier_kind(inner_key: &str) -> Option<&'static str> {
    match inner_key {
        "region" => Some(REGION),
        "institutions" | "institution" => Some(ORGANISATION),
        _ => None,
    }
}
