//! Every country-like value in the shared data sets must map to a country or be classified as a
//! placeholder / known non-country. Offending values are printed with the file and column.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use spyglass_model::country::{self, CountryMatch, FORMER, REGION};

/// Values that failed, by "file column".
#[derive(Default)]
struct Offenders(BTreeMap<String, BTreeSet<String>>);

impl Offenders {
    fn add(&mut self, place: &str, value: &str) {
        self.0
            .entry(place.to_string())
            .or_default()
            .insert(value.to_string());
    }

    fn assert_none(&self, what: &str) {
        if self.0.is_empty() {
            return;
        }
        let mut msg =
            format!("{what}: values that are neither a country nor a known non-country:\n");
        for (place, values) in &self.0 {
            msg.push_str(&format!("  {place}: {values:?}\n"));
        }
        panic!("{msg}");
    }
}

fn classified(value: &str) -> bool {
    !matches!(country::classify(value), CountryMatch::Unmapped)
}

/// The string literals of a Python list literal such as `"['China', [\"Korea, Republic of\"]]"`,
/// flattened; a value that is not a list is returned as the one element.
fn py_strings(value: &str) -> Vec<String> {
    if !value.trim_start().starts_with('[') {
        return vec![value.to_string()];
    }
    let mut out = Vec::new();
    let mut chars = value.chars();
    while let Some(ch) = chars.next() {
        if ch != '\'' && ch != '"' {
            continue;
        }
        let quote = ch;
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => s.extend(chars.next()),
                c if c == quote => break,
                c => s.push(c),
            }
        }
        out.push(s);
    }
    out
}

#[test]
fn py_strings_parses_nested_and_quoted_lists() {
    assert_eq!(py_strings("['China', 'Russia']"), ["China", "Russia"]);
    assert_eq!(
        py_strings(
            r#"[["Korea, Democratic People's Republic of"], ['Iran, Islamic Republic of']]"#
        ),
        [
            "Korea, Democratic People's Republic of",
            "Iran, Islamic Republic of"
        ]
    );
    assert_eq!(py_strings(r"['it\'s']"), ["it's"]);
    assert_eq!(py_strings("Not available"), ["Not available"]);
    assert!(py_strings("[]").is_empty());
}

/// Reads `columns` of the CSV at `path` into (column → distinct values), list fields flattened.
fn csv_values(path: &Path, columns: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let wanted: Vec<(usize, &str)> = columns
        .iter()
        .filter_map(|c| headers.iter().position(|h| h == *c).map(|i| (i, *c)))
        .collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        for (i, column) in &wanted {
            for v in py_strings(&record[*i]) {
                out.entry((*column).to_string()).or_default().insert(v);
            }
        }
    }
    out
}

#[test]
fn eurepoc_country_columns_are_all_classified() {
    let files: &[(&str, &[&str])] = &[
        (
            "eurepoc/EuRepoC_Global_Database_1.1.csv",
            &["initiator_country", "receiver_country"],
        ),
        (
            "eurepoc/EuRepoC_Attribution_dataset_1.1.csv",
            &["attributing_country", "attributed_initiator_country"],
        ),
        (
            "eurepoc/EuRepoC_Receiver_dataset_1.1.csv",
            &["receiver_country"],
        ),
        (
            "eurepoc/dashboard-2023-12/dashboard_attributions_data.csv",
            &["receiver_country", "initiator_country"],
        ),
        (
            "eurepoc/dashboard-2023-12/dashboard_evolution_data.csv",
            &["receiver_country", "initiator_country"],
        ),
        (
            "eurepoc/dashboard-2023-12/dashboard_incident_types_data.csv",
            &["receiver_country", "initiator_country"],
        ),
        (
            "eurepoc/dashboard-2023-12/dashboard_initiators_data.csv",
            &["receiver_country", "initiator_country"],
        ),
        (
            "eurepoc/dashboard-2023-12/dashboard_targeted_sectors_data.csv",
            &["receiver_country", "initiator_country"],
        ),
    ];
    let mut offenders = Offenders::default();
    let mut countries = BTreeSet::new();
    for (rel, columns) in files {
        let path = spyglass_testkit::require_shared!(rel);
        let values = csv_values(&path, columns);
        assert_eq!(values.len(), columns.len(), "{rel}: a column is missing");
        for (column, distinct) in values {
            for v in distinct {
                match country::classify(&v) {
                    CountryMatch::Country(c) => {
                        countries.insert(c.alpha2);
                    }
                    CountryMatch::Unmapped => offenders.add(&format!("{rel} {column}"), &v),
                    _ => {}
                }
            }
        }
    }
    offenders.assert_none("eurepoc");
    // Sanity: the sponsors the README names are there, and the data are not a stub.
    for code in ["CN", "RU", "IR", "KP", "KR", "CD", "VA", "SZ", "MO", "PS"] {
        assert!(
            countries.contains(code),
            "eurepoc: no value mapped to {code}"
        );
    }
    assert!(
        countries.len() > 150,
        "eurepoc: only {} countries",
        countries.len()
    );
}

/// CFR rows whose columns are shifted put incident types in the Sponsor column.
const CFR_SHIFTED_SPONSORS: &[&str] = &["Defacement", "Espionage", "Government", "Military"];

fn cfr_values(column: &str) -> Option<BTreeSet<String>> {
    let path = spyglass_testkit::shared_data("cfr/cfr_attacker_coded.csv")?;
    let values = csv_values(&path, &[column]);
    let distinct = values.get(column).unwrap();
    Some(
        distinct
            .iter()
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_string())
            .collect(),
    )
}

#[test]
fn cfr_sponsors_are_countries() {
    let Some(sponsors) = cfr_values("Sponsor") else {
        return;
    };
    let mut offenders = Offenders::default();
    for v in &sponsors {
        if CFR_SHIFTED_SPONSORS.contains(&v.as_str()) {
            // Not a country: must stay unmapped so readers report the shifted row.
            assert_eq!(country::classify(v), CountryMatch::Unmapped, "{v}");
            continue;
        }
        if !matches!(
            country::classify(v),
            CountryMatch::Country(_) | CountryMatch::Placeholder
        ) {
            offenders.add("cfr Sponsor", v);
        }
    }
    offenders.assert_none("cfr");
    for (spelling, code) in [
        ("Iran (Islamic Republic of)", "IR"),
        ("Korea (Democratic People's Republic of)", "KP"),
        ("Korea (Republic of)", "KR"),
        ("The Philippines", "PH"),
        ("United Kingdom\"", "GB"),
    ] {
        assert!(
            sponsors.contains(spelling),
            "cfr Sponsor has no {spelling:?}"
        );
        assert_eq!(country::lookup(spelling).map(|c| c.alpha2), Some(code));
    }
}

/// CFR Victims values that are plainly a country (typos included); computed by reading the 928
/// distinct comma-separated values and keeping the bare country names.
#[rustfmt::skip]
const CFR_COUNTRY_VICTIMS: &[&str] = &[
    "Afghanistan", "Algeria", "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan",
    "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Bosnia and Herzegovina", "Brazil",
    "Bulgaria", "Cambodia", "Canada", "Chile", "China", "Costa Rica", "Czech Republic", "Denmark",
    "Ecuador", "Egypt", "Estonia", "Fiji", "Finland", "France", "Georgia", "Germany", "Ghana",
    "Greece", "Guatemala", "Hong Kong", "Hungary", "India", "Indonesia", "Iran", "Iraq", "Ireland",
    "Israel", "Italy", "Ivory Coast", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati",
    "Korea (Republic of)", "Krygzstan", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon",
    "Libya", "Lithuania", "Luxembourg", "Malaysia", "Mali", "Malta", "Mexico", "Mongolia",
    "Montenegro", "Morocco", "Mozambique", "Myanmar", "Nepal", "Netherlands", "New Zealand",
    "Nicaragua", "Nigeria", "North Korea", "Norway", "Pakistan", "Palestine", "Panama", "Parkistan",
    "Peru", "Philippines", "Phillipines", "Poland", "Portugal", "Qatar", "Republic of Korea",
    "Romania", "Russia", "Russian Federation", "Russian Federation\"", "Rwanda", "Saudi Arabia",
    "Singapore", "Slovakia", "South Africa", "South Korea", "Spain", "Sri Lanka", "Sudan", "Sweden",
    "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tajikstan", "Tanzania", "Thailand",
    "The Netherlands", "The Philippines", "Togo", "Tunisia", "Turkey", "Uganda", "Ukraine",
    "United Arab Emirates", "United Kingdom", "United States", "Uruguay", "Uzbekistan",
    "Vatican City", "Venezuela", "Vietnam", "Yemen", "Zambia", "the Netherlands", "the Philippines",
    "the UK",
];

#[test]
fn cfr_victims_that_are_country_names_map_and_nothing_else_does() {
    let Some(victims) = cfr_values("Victims") else {
        return;
    };
    let missing: Vec<&&str> = CFR_COUNTRY_VICTIMS
        .iter()
        .filter(|v| !victims.contains(**v))
        .collect();
    assert!(
        missing.is_empty(),
        "listed but absent from cfr Victims: {missing:?}"
    );
    let unmapped: Vec<&&str> = CFR_COUNTRY_VICTIMS
        .iter()
        .filter(|v| country::lookup(v).is_none())
        .collect();
    assert!(
        unmapped.is_empty(),
        "cfr Victims country names that do not map: {unmapped:?}"
    );
    // The other direction: organisations, people and phrases must not turn into countries.
    let surprising: Vec<&String> = victims
        .iter()
        .filter(|v| country::lookup(v).is_some() && !CFR_COUNTRY_VICTIMS.contains(&v.as_str()))
        .collect();
    assert!(
        surprising.is_empty(),
        "cfr Victims values mapped to a country unexpectedly: {surprising:?}"
    );
}

fn json(rel: &str) -> Option<serde_json::Value> {
    let path = spyglass_testkit::shared_data(rel)?;
    Some(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

/// `meta.<field>` of every galaxy cluster, strings and string lists flattened.
fn galaxy_meta(galaxy: &serde_json::Value, field: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for cluster in galaxy["values"].as_array().unwrap() {
        match &cluster["meta"][field] {
            serde_json::Value::String(s) => {
                out.insert(s.clone());
            }
            serde_json::Value::Array(items) => {
                out.extend(items.iter().filter_map(|i| i.as_str()).map(str::to_string));
            }
            _ => {}
        }
    }
    out
}

/// Non-country values of threat-actor `meta.cfr-suspected-victims`: companies, bodies, peoples.
#[rustfmt::skip]
const MISP_NON_COUNTRY_VICTIMS: &[&str] = &[
    "AT&T", "BB&T", "Bangladesh Bank", "Bank of America", "Capital One", "Citigroup",
    "Cryptocurrency exchanges in South Korea", "Fifth Third Bank", "HSBC",
    "Iranian internet activists", "Korea Institute for Defense Analyses", "Ministry of Unification",
    "NYSE", "PNC", "Sejong Institute", "Sony Pictures Entertainment",
    "U.S. government/defense sector websites", "U.S. satellite and aerospace sector", "US Bancorp",
    "Uighurs", "Wells Fargo",
];

#[test]
fn misp_threat_actor_country_fields_are_classified() {
    let Some(galaxy) = json("misp-galaxy/threat-actor.json") else {
        return;
    };
    let mut offenders = Offenders::default();
    let codes = galaxy_meta(&galaxy, "country");
    assert!(codes.len() > 30);
    for v in &codes {
        if !v.is_empty() && country::by_alpha2(v).is_none() {
            offenders.add("threat-actor meta.country", v);
        }
    }
    let sponsors = galaxy_meta(&galaxy, "cfr-suspected-state-sponsor");
    assert!(sponsors.contains("People's Republic of China") && sponsors.contains("US"));
    for v in &sponsors {
        if !matches!(
            country::classify(v),
            CountryMatch::Country(_) | CountryMatch::Placeholder
        ) {
            offenders.add("threat-actor meta.cfr-suspected-state-sponsor", v);
        }
    }
    let victims = galaxy_meta(&galaxy, "cfr-suspected-victims");
    assert!(victims.len() > 150);
    for v in &victims {
        if !classified(v) && !MISP_NON_COUNTRY_VICTIMS.contains(&v.as_str()) {
            offenders.add("threat-actor meta.cfr-suspected-victims", v);
        }
    }
    for v in MISP_NON_COUNTRY_VICTIMS {
        assert!(
            victims.contains(*v),
            "{v:?} no longer in cfr-suspected-victims"
        );
        assert_eq!(country::lookup(v), None, "{v:?} must not map to a country");
    }
    offenders.assert_none("misp threat-actor");
    assert_eq!(country::lookup("Gaza").map(|c| c.alpha2), Some("PS"));
    assert_eq!(country::lookup("Lebonon").map(|c| c.alpha2), Some("LB"));
}

/// Microsoft's non-geographic origin categories, alone or after "Country, ".
const MICROSOFT_CATEGORIES: &[&str] = &[
    "Covert network",
    "Financially motivated",
    "Group in development",
    "Influence operations",
    "Private sector offensive actor",
];

#[test]
fn microsoft_activity_group_countries_are_classified() {
    let Some(galaxy) = json("misp-galaxy/microsoft-activity-group.json") else {
        return;
    };
    let mut offenders = Offenders::default();
    for v in galaxy_meta(&galaxy, "country") {
        if country::by_alpha2(&v).is_none() {
            offenders.add("microsoft meta.country", &v);
        }
    }
    let origins = galaxy_meta(&galaxy, "microsoft-origin-threat");
    assert!(origins.len() > 20);
    for v in &origins {
        if MICROSOFT_CATEGORIES.contains(&v.as_str()) || classified(v) {
            continue;
        }
        // "China, Financially motivated": a country, then a category.
        let split = v.split_once(", ").filter(|(place, category)| {
            MICROSOFT_CATEGORIES.contains(category) && country::lookup(place).is_some()
        });
        if split.is_none() {
            offenders.add("microsoft meta.microsoft-origin-threat", v);
        }
    }
    offenders.assert_none("microsoft activity groups");
    assert_eq!(country::lookup("Türkiye").map(|c| c.alpha2), Some("TR"));
    // "Korea" alone is ambiguous and is reported as a region, never guessed.
    assert!(origins.contains("Korea"));
    assert_eq!(
        country::classify("Korea"),
        CountryMatch::NotACountry(REGION)
    );
}

#[test]
fn misp_country_galaxy_agrees_with_the_table() {
    let Some(galaxy) = json("misp-galaxy/country.json") else {
        return;
    };
    let clusters = galaxy["values"].as_array().unwrap();
    assert!(clusters.len() > 250);
    let mut disagreements = Vec::new();
    let mut former = Vec::new();
    for cluster in clusters {
        let iso = cluster["meta"]["ISO"].as_str().unwrap();
        let iso3 = cluster["meta"]["ISO3"].as_str().unwrap();
        let spellings = [
            cluster["value"].as_str().unwrap(),
            cluster["description"].as_str().unwrap(),
            iso,
            iso3,
        ];
        if country::by_alpha2(iso).is_none() {
            // Withdrawn codes (Netherlands Antilles, Serbia and Montenegro) are former states.
            for s in spellings {
                if country::classify(s) != CountryMatch::NotACountry(FORMER) {
                    disagreements.push(format!(
                        "{s:?}: {:?}, expected former",
                        country::classify(s)
                    ));
                }
            }
            former.push(iso.to_string());
            continue;
        }
        for s in spellings {
            let got = country::lookup(s).map(|c| (c.alpha2, c.alpha3));
            if got != Some((iso, iso3)) {
                disagreements.push(format!("{s:?}: {got:?}, galaxy says {iso}/{iso3}"));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "misp country.json:\n{}",
        disagreements.join("\n")
    );
    former.sort();
    assert_eq!(former, ["AN", "CS"]);
}

#[test]
fn veris_countries_are_codes() {
    let Some(dir) = spyglass_testkit::shared_data("veris-sample") else {
        return;
    };
    let mut offenders = Offenders::default();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for pointer in ["/actor/external/country", "/victim/country"] {
            for v in record
                .pointer(pointer)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                let v = v.as_str().unwrap();
                seen += 1;
                if country::by_alpha2(v).is_none() && !country::is_placeholder(v) {
                    offenders.add(&format!("veris {pointer}"), v);
                }
            }
        }
    }
    assert!(seen > 100, "only {seen} veris country values");
    offenders.assert_none("veris");
}
