//! GICS sub-industry and SEC SIC code → spyglass [`Vertical`].
//!
//! GICS (the S&P 500 constituents file) wins over SIC (EDGAR) when a company has both. Matching is
//! on the sub-industry name, case-insensitive; a name not in the table maps to `other`.
//!
//! | GICS sub-industries | vertical |
//! |---|---|
//! | Application Software, Systems Software | software |
//! | Internet Services & Infrastructure, Data Center REITs | cloud_hosting |
//! | Semiconductors, Semiconductor Materials & Equipment | semiconductors |
//! | Integrated / Wireless Telecommunication Services, Alternative Carriers, Cable & Satellite, Telecom Tower REITs | telecom |
//! | Technology Hardware Storage & Peripherals, Communications Equipment, Electronic Components, Electronic Equipment & Instruments, Electronic Manufacturing Services, Consumer Electronics, Technology Distributors | hardware_electronics |
//! | IT Consulting & Other Services, Interactive Media & Services, Interactive Home Entertainment, Data Processing & Outsourced Services | other_tech |
//! | banks, insurance, asset management, brokerage, exchanges & data, consumer finance, payment processing, multi-sector holdings, mortgage REITs | finance |
//! | Aerospace & Defense | defence |
//! | utilities (electric, multi, gas, power producers, renewable), oil, gas, coal | energy |
//! | Water Utilities | water |
//! | health care equipment/supplies/services/facilities/distributors/technology/REITs, managed care, biotechnology, pharmaceuticals, life sciences tools | health |
//! | airlines, air freight, rail, cargo/passenger ground transportation, marine, airport/highway services | transportation |
//! | commodity/specialty/diversified chemicals, fertilizers, industrial gases | chemicals |
//! | packaged foods, agricultural products, food distributors, soft drinks, brewers, distillers, tobacco | food |
//! | every retail sub-industry (broadline, staples merchandise, apparel, home improvement, automotive, electronics, specialty, home furnishing, food, drug) | retail |
//! | Movies & Entertainment, Broadcasting, Publishing, Advertising | media |
//! | Education Services | education |
//! | machinery, building products, electrical equipment, conglomerates, autos and parts, metals and mining, packaging, construction materials, household and personal products, apparel and footwear, leisure products, homebuilding | manufacturing |
//! | anything else (real estate, hotels, restaurants, consulting, …) | other |
//!
//! | SIC codes | vertical |
//! |---|---|
//! | 7370–7373, 7375–7379 | software |
//! | 7374 (computer processing, data preparation) | cloud_hosting |
//! | 3674 | semiconductors |
//! | 4800–4829, 4840–4899 | telecom |
//! | 4830–4839 (radio, TV broadcasting) | media |
//! | 3570–3579, 3600–3699 except 3674 | hardware_electronics |
//! | 6000–6799 | finance |
//! | 3720–3729, 3760–3769, 3795, 3812 | defence |
//! | 1300–1399, 2900–2999, 4900–4939, 4950–4991 except 4941 | energy |
//! | 4941 | water |
//! | 2833–2836, 3841–3851, 8000–8099 | health |
//! | 4000–4799 | transportation |
//! | 2800–2899 except 2833–2836 | chemicals |
//! | 2000–2199 | food |
//! | 5200–5999 | retail |
//! | 2700–2799, 7810–7819 | media |
//! | 8200–8299 | education |
//! | 8731–8733 | research |
//! | 1000–1499 (mining), 2200–3999 otherwise | manufacturing |
//! | anything else | other |

use spyglass_model::Vertical;

const GICS: &[(&[&str], Vertical)] = &[
    (&["application software", "systems software"], Vertical::Software),
    (&["internet services & infrastructure", "data center reits"], Vertical::CloudHosting),
    (&["semiconductors", "semiconductor materials & equipment", "semiconductor equipment"], Vertical::Semiconductors),
    (
        &[
            "integrated telecommunication services",
            "wireless telecommunication services",
            "alternative carriers",
            "cable & satellite",
            "telecom tower reits",
        ],
        Vertical::Telecom,
    ),
    (
        &[
            "technology hardware, storage & peripherals",
            "communications equipment",
            "electronic components",
            "electronic equipment & instruments",
            "electronic manufacturing services",
            "consumer electronics",
            "technology distributors",
        ],
        Vertical::HardwareElectronics,
    ),
    (
        &[
            "it consulting & other services",
            "interactive media & services",
            "interactive home entertainment",
            "data processing & outsourced services",
            "internet & direct marketing retail",
        ],
        Vertical::OtherTech,
    ),
    (
        &[
            "diversified banks",
            "regional banks",
            "asset management & custody banks",
            "investment banking & brokerage",
            "financial exchanges & data",
            "consumer finance",
            "transaction & payment processing services",
            "multi-sector holdings",
            "property & casualty insurance",
            "life & health insurance",
            "multi-line insurance",
            "insurance brokers",
            "reinsurance",
            "mortgage reits",
            "diversified financial services",
            "specialized finance",
            "commercial & residential mortgage finance",
            "diversified capital markets",
        ],
        Vertical::Finance,
    ),
    (&["aerospace & defense"], Vertical::Defence),
    (
        &[
            "electric utilities",
            "multi-utilities",
            "gas utilities",
            "independent power producers & energy traders",
            "renewable electricity",
            "oil & gas exploration & production",
            "oil & gas equipment & services",
            "oil & gas refining & marketing",
            "oil & gas storage & transportation",
            "integrated oil & gas",
            "oil & gas drilling",
            "coal & consumable fuels",
        ],
        Vertical::Energy,
    ),
    (&["water utilities"], Vertical::Water),
    (
        &[
            "health care equipment",
            "health care supplies",
            "health care services",
            "health care facilities",
            "health care distributors",
            "health care technology",
            "health care reits",
            "managed health care",
            "biotechnology",
            "pharmaceuticals",
            "life sciences tools & services",
        ],
        Vertical::Health,
    ),
    (
        &[
            "passenger airlines",
            "airlines",
            "air freight & logistics",
            "rail transportation",
            "railroads",
            "cargo ground transportation",
            "passenger ground transportation",
            "trucking",
            "marine transportation",
            "airport services",
            "highways & railtracks",
            "marine ports & services",
        ],
        Vertical::Transportation,
    ),
    (
        &[
            "commodity chemicals",
            "specialty chemicals",
            "diversified chemicals",
            "fertilizers & agricultural chemicals",
            "industrial gases",
        ],
        Vertical::Chemicals,
    ),
    (
        &[
            "packaged foods & meats",
            "agricultural products & services",
            "agricultural products",
            "food distributors",
            "soft drinks & non-alcoholic beverages",
            "soft drinks",
            "brewers",
            "distillers & vintners",
            "tobacco",
        ],
        Vertical::Food,
    ),
    (
        &[
            "broadline retail",
            "consumer staples merchandise retail",
            "apparel retail",
            "home improvement retail",
            "automotive retail",
            "computer & electronics retail",
            "other specialty retail",
            "homefurnishing retail",
            "food retail",
            "drug retail",
        ],
        Vertical::Retail,
    ),
    (&["movies & entertainment", "broadcasting", "publishing", "advertising"], Vertical::Media),
    (&["education services"], Vertical::Education),
    (
        &[
            "industrial machinery & supplies & components",
            "building products",
            "electrical components & equipment",
            "heavy electrical equipment",
            "construction machinery & heavy transportation equipment",
            "agricultural & farm machinery",
            "industrial conglomerates",
            "automobile manufacturers",
            "automotive parts & equipment",
            "steel",
            "copper",
            "gold",
            "aluminum",
            "diversified metals & mining",
            "paper & plastic packaging products & materials",
            "metal, glass & plastic containers",
            "construction materials",
            "household products",
            "personal care products",
            "apparel, accessories & luxury goods",
            "footwear",
            "leisure products",
            "homebuilding",
            "home furnishings",
            "housewares & specialties",
            "tires & rubber",
            "forest products",
            "paper products",
        ],
        Vertical::Manufacturing,
    ),
];

/// The vertical of a GICS sub-industry name (`other` when not in the table).
pub fn from_gics(sub_industry: &str) -> Vertical {
    let key = sub_industry.trim().to_lowercase();
    GICS.iter().find(|(names, _)| names.contains(&key.as_str())).map_or(Vertical::Other, |(_, v)| *v)
}

/// The vertical of an SEC SIC code (`other` when not in the table).
pub fn from_sic(sic: u32) -> Vertical {
    match sic {
        7374 => Vertical::CloudHosting,
        7370..=7379 => Vertical::Software,
        3674 => Vertical::Semiconductors,
        4830..=4839 => Vertical::Media,
        4800..=4899 => Vertical::Telecom,
        3570..=3579 | 3600..=3699 => Vertical::HardwareElectronics,
        6000..=6799 => Vertical::Finance,
        3720..=3729 | 3760..=3769 | 3795 | 3812 => Vertical::Defence,
        4941 => Vertical::Water,
        1300..=1399 | 2900..=2999 | 4900..=4939 | 4950..=4991 => Vertical::Energy,
        2833..=2836 | 3841..=3851 | 8000..=8099 => Vertical::Health,
        4000..=4799 => Vertical::Transportation,
        2800..=2899 => Vertical::Chemicals,
        2000..=2199 => Vertical::Food,
        5200..=5999 => Vertical::Retail,
        2700..=2799 | 7810..=7819 => Vertical::Media,
        8200..=8299 => Vertical::Education,
        8731..=8733 => Vertical::Research,
        1000..=1499 | 2200..=3999 => Vertical::Manufacturing,
        _ => Vertical::Other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn gics_table() {
        assert_eq!(from_gics("Application Software"), Vertical::Software);
        assert_eq!(from_gics("Semiconductors"), Vertical::Semiconductors);
        assert_eq!(from_gics("Data Center REITs"), Vertical::CloudHosting);
        assert_eq!(from_gics("Technology Hardware, Storage & Peripherals"), Vertical::HardwareElectronics);
        assert_eq!(from_gics("Diversified Banks"), Vertical::Finance);
        assert_eq!(from_gics("Aerospace & Defense"), Vertical::Defence);
        assert_eq!(from_gics("Hotels, Resorts & Cruise Lines"), Vertical::Other);
    }

    #[test]
    fn sic_table() {
        assert_eq!(from_sic(7372), Vertical::Software);
        assert_eq!(from_sic(7374), Vertical::CloudHosting);
        assert_eq!(from_sic(3674), Vertical::Semiconductors);
        assert_eq!(from_sic(4813), Vertical::Telecom);
        assert_eq!(from_sic(4833), Vertical::Media);
        assert_eq!(from_sic(2834), Vertical::Health);
        assert_eq!(from_sic(2821), Vertical::Chemicals);
        assert_eq!(from_sic(9999), Vertical::Other);
    }

    /// Every sub-industry in the real constituents file is mapped on purpose: only the listed
    /// non-tech, non-sector ones fall through to `other`.
    #[test]
    fn constituents_sub_industries_covered() {
        let path = spyglass_testkit::require_shared!("market/sp500_constituents.csv");
        let mut rdr = csv::Reader::from_path(path).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let col = headers.iter().position(|h| h == "GICS Sub-Industry").unwrap();
        let mut other: Vec<String> = Vec::new();
        for r in rdr.records() {
            let s = r.unwrap()[col].to_string();
            if from_gics(&s) == Vertical::Other && !other.contains(&s) {
                other.push(s);
            }
        }
        other.sort();
        let expected_other = [
            "Casinos & Gaming",
            "Construction & Engineering",
            "Distributors",
            "Diversified Support Services",
            "Environmental & Facilities Services",
            "Hotel & Resort REITs",
            "Hotels, Resorts & Cruise Lines",
            "Human Resource & Employment Services",
            "Industrial REITs",
            "Multi-Family Residential REITs",
            "Office REITs",
            "Other Specialized REITs",
            "Real Estate Services",
            "Research & Consulting Services",
            "Restaurants",
            "Retail REITs",
            "Self-Storage REITs",
            "Single-Family Residential REITs",
            "Specialized Consumer Services",
            "Timber REITs",
            "Trading Companies & Distributors",
        ];
        assert_eq!(other, expected_other);
    }
}
