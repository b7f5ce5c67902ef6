//! Which vendor a MISP `name-attribution` uuid stands for.
//!
//! MISP threat-actor clusters record per alias the uuid of the organisation that uses the name
//! (`"COMMENT PANDA:f9eb432f-…"`) but the galaxy does not ship the uuid-to-name table. The mapping
//! in `data/misp-vendors.csv` was worked out from the names each uuid carries (all `PANDA` names →
//! CrowdStrike, all `TA###` → Proofpoint, …); the `evidence` column says which.

use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("../data/misp-vendors.csv");

static VENDORS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut reader = csv::Reader::from_reader(TABLE.as_bytes());
    for rec in reader.records().flatten() {
        if let (Some(uuid), Some(vendor)) = (rec.get(0), rec.get(1)) {
            map.insert(uuid.trim().to_ascii_lowercase(), vendor.trim().to_string());
        }
    }
    map
});

/// The vendor behind a MISP name-attribution uuid, when known.
pub fn misp_vendor(uuid: &str) -> Option<&'static str> {
    VENDORS.get(&uuid.trim().to_ascii_lowercase()).map(String::as_str)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn table_is_complete() {
        let rows = TABLE.lines().filter(|l| !l.trim().is_empty()).count() - 1;
        assert_eq!(VENDORS.len(), rows);
        assert_eq!(misp_vendor("F9EB432F-2293-48B7-BCA4-CC78BEB50DF0"), Some("CrowdStrike"));
        assert_eq!(misp_vendor("d0c33595-b684-45ef-91c3-e2f5ce1a8191"), Some("Microsoft"));
        assert_eq!(misp_vendor("00000000-0000-0000-0000-000000000000"), None);
    }
}
