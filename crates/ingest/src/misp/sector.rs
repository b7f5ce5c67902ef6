//! MISP sector galaxy values (`misp-galaxy:sector="…"`) → spyglass verticals.
//!
//! The table covers every value of the MISP `sector` galaxy (118 values); values not listed (and
//! `Unknown`) give no vertical, `Other`/`Multi-sector` and non-technology sectors without their own
//! vertical give `other`.

use spyglass_model::Vertical;

const TABLE: &[(&str, Vertical)] = &[
    ("IT", Vertical::OtherTech),
    ("IT - Hacker", Vertical::OtherTech),
    ("IT - ISP", Vertical::Telecom),
    ("IT - Security", Vertical::Software),
    ("Programming", Vertical::Software),
    ("Technology", Vertical::OtherTech),
    ("High tech", Vertical::OtherTech),
    ("Digital services", Vertical::OtherTech),
    ("Social networks", Vertical::OtherTech),
    ("Streaming service", Vertical::OtherTech),
    ("Video Sharing", Vertical::OtherTech),
    ("Online marketplace", Vertical::Retail),
    ("eCommerce", Vertical::Retail),
    ("Digital infrastructure", Vertical::CloudHosting),
    ("DNS service provider", Vertical::CloudHosting),
    ("Managed Services Provider", Vertical::CloudHosting),
    ("Telecoms", Vertical::Telecom),
    ("Satellite navigation", Vertical::Space),
    ("Space", Vertical::Space),
    ("Semi-conductors", Vertical::Semiconductors),
    ("Electronic", Vertical::HardwareElectronics),
    ("Communication equipment", Vertical::HardwareElectronics),
    ("Security systems", Vertical::HardwareElectronics),
    ("Smart meter", Vertical::HardwareElectronics),
    ("Research - Innovation", Vertical::Research),
    ("Think Tanks", Vertical::CivilSociety),
    ("Academia - University", Vertical::Education),
    ("Higher education", Vertical::Education),
    ("Education", Vertical::Education),
    ("Defense", Vertical::Defence),
    ("Military", Vertical::Defence),
    ("Security Service", Vertical::Government),
    ("Intelligence", Vertical::Government),
    ("Government, Administration", Vertical::Government),
    ("Country", Vertical::Government),
    ("Diplomacy", Vertical::Government),
    ("Justice", Vertical::Government),
    ("Police - Law enforcement", Vertical::Government),
    ("Immigration", Vertical::Government),
    ("Political party", Vertical::Government),
    ("Bank", Vertical::Finance),
    ("Finance", Vertical::Finance),
    ("Payment", Vertical::Finance),
    ("Investment", Vertical::Finance),
    ("Insurance", Vertical::Finance),
    ("Accounting", Vertical::Finance),
    ("Tax firm", Vertical::Finance),
    ("Casino", Vertical::Other),
    ("Energy", Vertical::Energy),
    ("Electric", Vertical::Energy),
    ("Gas", Vertical::Energy),
    ("Oil", Vertical::Energy),
    ("Petrochemical", Vertical::Energy),
    ("Turbine", Vertical::Energy),
    ("Health", Vertical::Health),
    ("Pharmacy", Vertical::Health),
    ("Life science", Vertical::Health),
    ("Biomedical", Vertical::Health),
    ("Veterinary", Vertical::Health),
    ("Transport", Vertical::Transportation),
    ("Civil Aviation", Vertical::Transportation),
    ("Railway", Vertical::Transportation),
    ("Maritime", Vertical::Transportation),
    ("Shipping", Vertical::Transportation),
    ("Logistic", Vertical::Transportation),
    ("Travel", Vertical::Transportation),
    ("Manufacturing", Vertical::Manufacturing),
    ("Industrial", Vertical::Manufacturing),
    ("Steel", Vertical::Manufacturing),
    ("Metal", Vertical::Manufacturing),
    ("Automotive", Vertical::Manufacturing),
    ("Aerospace", Vertical::Manufacturing),
    ("Engineering", Vertical::Manufacturing),
    ("Construction", Vertical::Other),
    ("Mining", Vertical::Other),
    ("News - Media", Vertical::Media),
    ("Journalist", Vertical::Media),
    ("Television broadcast", Vertical::Media),
    ("Publishing industry", Vertical::Media),
    ("Entertainment", Vertical::Media),
    ("Advertising", Vertical::Media),
    ("Marketing", Vertical::Media),
    ("Arts", Vertical::Media),
    ("Culture", Vertical::Media),
    ("Game", Vertical::Media),
    ("Sport", Vertical::Other),
    ("NGO", Vertical::CivilSociety),
    ("Non-profit organisation", Vertical::CivilSociety),
    ("Civil society", Vertical::CivilSociety),
    ("Activists", Vertical::CivilSociety),
    ("Dissidents", Vertical::CivilSociety),
    ("Opposition", Vertical::CivilSociety),
    ("Citizens", Vertical::CivilSociety),
    ("Separatists", Vertical::CivilSociety),
    ("Islamic forums", Vertical::CivilSociety),
    ("Islamic organisation", Vertical::CivilSociety),
    ("Development", Vertical::CivilSociety),
    ("Security actors", Vertical::OtherTech),
    ("Water", Vertical::Water),
    ("Chemical", Vertical::Chemicals),
    ("Food", Vertical::Food),
    ("Agriculture", Vertical::Food),
    ("Restaurant", Vertical::Food),
    ("Retail", Vertical::Retail),
    ("Trade", Vertical::Retail),
    ("Hotels", Vertical::Other),
    ("Hospitality", Vertical::Other),
    ("Tourism", Vertical::Other),
    ("Infrastructure", Vertical::Other),
    ("Environment", Vertical::Other),
    ("Employment", Vertical::Other),
    ("Legal", Vertical::Other),
    ("Lawyers", Vertical::Other),
    ("Consulting", Vertical::Other),
    ("Data Broker", Vertical::OtherTech),
    ("Multi-sector", Vertical::Other),
    ("Other", Vertical::Other),
];

/// The vertical of a MISP sector galaxy value (case-insensitive).
pub fn vertical(value: &str) -> Option<Vertical> {
    let v = value.trim();
    TABLE.iter().find(|(k, _)| k.eq_ignore_ascii_case(v)).map(|(_, vert)| *vert)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn maps_tech_sectors() {
        assert_eq!(vertical("Semi-conductors"), Some(Vertical::Semiconductors));
        assert_eq!(vertical("telecoms"), Some(Vertical::Telecom));
        assert_eq!(vertical("Managed Services Provider"), Some(Vertical::CloudHosting));
        assert_eq!(vertical("Unknown"), None);
    }

    /// Every value of the MISP sector galaxy has a row (a new galaxy value fails this test).
    #[test]
    fn covers_the_sector_galaxy() {
        let path = spyglass_testkit::require_shared!("misp-galaxy/sector.json");
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let values: Vec<&str> = v["values"].as_array().unwrap().iter().map(|x| x["value"].as_str().unwrap()).collect();
        assert_eq!(values.len(), 118);
        let missing: Vec<&&str> = values.iter().filter(|s| **s != "Unknown" && vertical(s).is_none()).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
