//! NAICS industry codes (VERIS `victim.industry`) → spyglass verticals.
//!
//! The longest matching prefix wins. Codes are NAICS 2012/2017 as VERIS 1.3 records them; the 2022
//! software-publisher code 5132 is accepted too.
//!
//! | prefix | NAICS title | vertical |
//! |---|---|---|
//! | 3344 | Semiconductor and other electronic component manufacturing | semiconductors |
//! | 334 | Computer and electronic product manufacturing (3341 computers, 3342 communications equipment, …) | hardware_electronics |
//! | 5112, 5132 | Software publishers | software |
//! | 5415 | Computer systems design and related services | software |
//! | 5182 | Data processing, hosting and related services | cloud_hosting |
//! | 517 | Telecommunications | telecom |
//! | 5191 | Other information services (internet publishing, web search portals) | other_tech |
//! | 51911 | News syndicates | media |
//! | 511, 512, 515, 516, 5131 | Publishing (except software), motion pictures, broadcasting | media |
//! | 5417 | Scientific research and development services | research |
//! | 92811 | National security | defence |
//! | 336414, 336415, 336419, 336992, 332992–332994 | Guided missiles and space vehicles, military vehicles, ammunition, small arms | defence |
//! | 92 | Public administration | government |
//! | 52 | Finance and insurance | finance |
//! | 62, 3254, 4461 | Health care; pharmaceutical manufacturing; pharmacies | health |
//! | 61 | Educational services | education |
//! | 2213 | Water, sewage and other systems | water |
//! | 22, 211, 324, 486 | Utilities; oil and gas extraction; petroleum refining; pipelines | energy |
//! | 48, 49 | Transportation and warehousing | transportation |
//! | 44, 45 | Retail trade | retail |
//! | 325 | Chemical manufacturing | chemicals |
//! | 311, 312 | Food and beverage manufacturing | food |
//! | 813 | Religious, grant-making, civic, professional and similar organizations | civil_society |
//! | 31, 32, 33 | Manufacturing | manufacturing |
//! | any other valid sector (11, 21, 23, 42, 53–56, 71, 72, 81) | | other |
//!
//! `0`, `00`, `000000`, `Unknown` and non-numeric codes give no vertical.

use spyglass_model::Vertical;

/// Longest prefixes first within each group; [`vertical`] picks the longest match overall.
const TABLE: &[(&str, Vertical)] = &[
    ("3344", Vertical::Semiconductors),
    ("334", Vertical::HardwareElectronics),
    ("5112", Vertical::Software),
    ("5132", Vertical::Software),
    ("5415", Vertical::Software),
    ("5182", Vertical::CloudHosting),
    ("517", Vertical::Telecom),
    ("51911", Vertical::Media),
    ("5191", Vertical::OtherTech),
    ("511", Vertical::Media),
    ("512", Vertical::Media),
    ("515", Vertical::Media),
    ("516", Vertical::Media),
    ("5131", Vertical::Media),
    ("5417", Vertical::Research),
    ("92811", Vertical::Defence),
    ("336414", Vertical::Defence),
    ("336415", Vertical::Defence),
    ("336419", Vertical::Defence),
    ("336992", Vertical::Defence),
    ("332992", Vertical::Defence),
    ("332993", Vertical::Defence),
    ("332994", Vertical::Defence),
    ("92", Vertical::Government),
    ("52", Vertical::Finance),
    ("62", Vertical::Health),
    ("3254", Vertical::Health),
    ("4461", Vertical::Health),
    ("61", Vertical::Education),
    ("2213", Vertical::Water),
    ("22", Vertical::Energy),
    ("211", Vertical::Energy),
    ("324", Vertical::Energy),
    ("486", Vertical::Energy),
    ("48", Vertical::Transportation),
    ("49", Vertical::Transportation),
    ("44", Vertical::Retail),
    ("45", Vertical::Retail),
    ("325", Vertical::Chemicals),
    ("311", Vertical::Food),
    ("312", Vertical::Food),
    ("813", Vertical::CivilSociety),
    ("31", Vertical::Manufacturing),
    ("32", Vertical::Manufacturing),
    ("33", Vertical::Manufacturing),
];

/// NAICS two-digit sectors; a code in one of them that the table does not name is `other`.
const SECTORS: &[&str] = &[
    "11", "21", "22", "23", "31", "32", "33", "42", "44", "45", "48", "49", "51", "52", "53", "54", "55", "56", "61",
    "62", "71", "72", "81", "92",
];

/// The vertical of a NAICS code, or `None` when the code is unknown or not NAICS.
pub fn vertical(code: &str) -> Option<Vertical> {
    let code = code.trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) || code.bytes().all(|b| b == b'0') {
        return None;
    }
    let best = TABLE.iter().filter(|(p, _)| code.starts_with(p)).max_by_key(|(p, _)| p.len());
    match best {
        Some((_, v)) => Some(*v),
        None if SECTORS.iter().any(|s| code.starts_with(s)) => Some(Vertical::Other),
        None => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn table_rows() {
        assert_eq!(vertical("334413"), Some(Vertical::Semiconductors));
        assert_eq!(vertical("334111"), Some(Vertical::HardwareElectronics));
        assert_eq!(vertical("3341"), Some(Vertical::HardwareElectronics));
        assert_eq!(vertical("511210"), Some(Vertical::Software));
        assert_eq!(vertical("541511"), Some(Vertical::Software));
        assert_eq!(vertical("518210"), Some(Vertical::CloudHosting));
        assert_eq!(vertical("517210"), Some(Vertical::Telecom));
        assert_eq!(vertical("519130"), Some(Vertical::OtherTech));
        assert_eq!(vertical("511110"), Some(Vertical::Media));
        assert_eq!(vertical("5417"), Some(Vertical::Research));
        assert_eq!(vertical("928110"), Some(Vertical::Defence));
        assert_eq!(vertical("928120"), Some(Vertical::Government));
        assert_eq!(vertical("921110"), Some(Vertical::Government));
        assert_eq!(vertical("622110"), Some(Vertical::Health));
        assert_eq!(vertical("221310"), Some(Vertical::Water));
        assert_eq!(vertical("221112"), Some(Vertical::Energy));
        assert_eq!(vertical("325211"), Some(Vertical::Chemicals));
        assert_eq!(vertical("325412"), Some(Vertical::Health));
        assert_eq!(vertical("315190"), Some(Vertical::Manufacturing));
        assert_eq!(vertical("531120"), Some(Vertical::Other));
        assert_eq!(vertical("00"), None);
        assert_eq!(vertical("Unknown"), None);
        assert_eq!(vertical("99"), None);
    }
}
