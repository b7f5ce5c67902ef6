use super::*;

fn code(name: &str) -> Option<&'static str> {
    lookup(name).map(|c| c.alpha2)
}

#[test]
fn table_has_249_iso_entries_plus_kosovo_and_unique_codes() {
    let all: Vec<Country> = all().collect();
    assert_eq!(all.len(), 250);
    assert_eq!(all.iter().filter(|c| c.alpha2 != "XK").count(), 249);
    let mut a2: Vec<_> = all.iter().map(|c| c.alpha2).collect();
    a2.sort_unstable();
    a2.dedup();
    assert_eq!(a2.len(), 250);
    let mut a3: Vec<_> = all.iter().map(|c| c.alpha3).collect();
    a3.sort_unstable();
    a3.dedup();
    assert_eq!(a3.len(), 250);
    for c in &all {
        assert!(
            c.alpha2.len() == 2 && c.alpha2.bytes().all(|b| b.is_ascii_uppercase()),
            "{c:?}"
        );
        assert!(
            c.alpha3.len() == 3 && c.alpha3.bytes().all(|b| b.is_ascii_uppercase()),
            "{c:?}"
        );
    }
}

#[test]
fn no_key_is_claimed_twice() {
    assert_eq!(index_conflicts(), &[] as &[String]);
}

#[test]
fn every_code_and_name_round_trips() {
    for c in all() {
        assert_eq!(lookup(c.alpha2), Some(c), "alpha-2 {}", c.alpha2);
        assert_eq!(lookup(c.alpha3), Some(c), "alpha-3 {}", c.alpha3);
        assert_eq!(lookup(c.name), Some(c), "name {}", c.name);
        assert_eq!(lookup(&c.alpha2.to_lowercase()), Some(c));
        assert_eq!(lookup(&c.name.to_uppercase()), Some(c), "upper {}", c.name);
        assert_eq!(by_alpha2(c.alpha2), Some(c));
        assert_eq!(classify(c.name), CountryMatch::Country(c));
    }
    for (c, aliases) in table::TABLE {
        for alias in *aliases {
            assert_eq!(lookup(alias), Some(*c), "alias {alias:?}");
        }
    }
}

#[test]
fn by_alpha2_takes_only_alpha2() {
    assert_eq!(by_alpha2("gb").map(|c| c.alpha3), Some("GBR"));
    assert_eq!(by_alpha2(" kp ").map(|c| c.alpha3), Some("PRK"));
    assert_eq!(by_alpha2("GBR"), None);
    assert_eq!(by_alpha2("UK"), None);
    assert_eq!(by_alpha2(""), None);
}

#[test]
fn the_koreas_never_meet() {
    for kp in [
        "Korea, Democratic People's Republic of",
        "Korea (Democratic People's Republic of)",
        "Korea (the Democratic People's Republic of)",
        "Democratic People's Republic of Korea",
        "North Korea",
        "DPRK",
        "KP",
        "PRK",
    ] {
        assert_eq!(code(kp), Some("KP"), "{kp}");
    }
    for kr in [
        "Korea, Republic of",
        "Korea (Republic of)",
        "Republic of Korea",
        "South Korea",
        "ROK",
        "KR",
        "KOR",
    ] {
        assert_eq!(code(kr), Some("KR"), "{kr}");
    }
    assert_eq!(code("Korea"), None);
    assert_eq!(classify("Korea"), CountryMatch::NotACountry(REGION));
}

#[test]
fn near_namesakes_stay_apart() {
    let pairs = [
        ("Congo", "CG"),
        ("Republic of the Congo", "CG"),
        ("Congo, Republic of the", "CG"),
        ("Congo (Brazzaville)", "CG"),
        ("Congo, the Democratic Republic of the", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Democratic Republic of Congo", "CD"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("DR Congo", "CD"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Guinea", "GN"),
        ("Guinea-Bissau", "GW"),
        ("Guinea Bissau", "GW"),
        ("Equatorial Guinea", "GQ"),
        ("Papua New Guinea", "PG"),
        ("Dominica", "DM"),
        ("Dominican Republic", "DO"),
        ("Sudan", "SD"),
        ("South Sudan", "SS"),
        ("Sudan, South", "SS"),
        ("China", "CN"),
        ("People's Republic of China", "CN"),
        ("Republic of China", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("Samoa", "WS"),
        ("American Samoa", "AS"),
        ("Virgin Islands, British", "VG"),
        ("Virgin Islands, U.S.", "VI"),
        ("Saint Martin", "MF"),
        ("Sint Maarten", "SX"),
        ("Austria", "AT"),
        ("Australia", "AU"),
        ("Iran", "IR"),
        ("Iraq", "IQ"),
    ];
    for (name, want) in pairs {
        assert_eq!(code(name), Some(want), "{name}");
    }
}

#[test]
fn common_english_forms() {
    let cases = [
        ("USA", "US"),
        ("U.S.", "US"),
        ("U.S.A.", "US"),
        ("US", "US"),
        ("United States of America", "US"),
        ("United States of America (the)", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("the UK", "GB"),
        ("Great Britain", "GB"),
        ("Britain", "GB"),
        ("PRC", "CN"),
        ("Mainland China", "CN"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Laos", "LA"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Burma", "MM"),
        ("Myanmar (Burma)", "MM"),
        ("Taiwan", "TW"),
        ("Taiwan (Republic of China)", "TW"),
        ("Hong Kong", "HK"),
        ("Macau", "MO"),
        ("Macao", "MO"),
        ("Moldova", "MD"),
        ("Moldova, Republic of", "MD"),
        ("Tanzania", "TZ"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Eswatini", "SZ"),
        ("Swaziland", "SZ"),
        ("Cape Verde", "CV"),
        ("East Timor", "TL"),
        ("Timor Leste", "TL"),
        ("Vatican", "VA"),
        ("Holy See (Vatican City State)", "VA"),
        ("Palestine", "PS"),
        ("Palestinian Territories", "PS"),
        ("Gaza", "PS"),
        ("Iran, Islamic Republic of", "IR"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Islamic Republic of Iran", "IR"),
        ("The Philippines", "PH"),
        ("Ivory Coast", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Lebonon", "LB"),
        ("St. Vincent and the Grenadines", "VC"),
        ("Saint Vincent & the Grenadines", "VC"),
        ("St Kitts and Nevis", "KN"),
        ("Bosnia & Herzegovina", "BA"),
        ("Trinidad & Tobago", "TT"),
        ("Curacao", "CW"),
        ("Reunion", "RE"),
        ("Sao Tome and Principe", "ST"),
        ("Kosovo", "XK"),
        ("XKX", "XK"),
        ("United Kingdom\"", "GB"),
        ("  germany  ", "DE"),
        ("GERMANY", "DE"),
    ];
    for (name, want) in cases {
        assert_eq!(code(name), Some(want), "{name}");
    }
}

#[test]
fn codes_only_match_whole_values() {
    assert_eq!(lookup("&"), None);
    assert_eq!(code("in"), Some("IN"));
    assert_eq!(code("ind"), Some("IN"));
    assert_eq!(lookup("Indian"), None);
    assert_eq!(lookup("U S"), None);
    assert_eq!(lookup("ABC"), None);
}

#[test]
fn placeholders() {
    for p in [
        "",
        "  ",
        "Not available",
        "Unknown",
        "unknown",
        "N/A",
        "n/a",
        "none",
        "None",
        "-",
        "?",
    ] {
        assert!(is_placeholder(p), "{p:?}");
        assert_eq!(classify(p), CountryMatch::Placeholder, "{p:?}");
    }
    // "NA" is Namibia, not "N/A".
    assert!(!is_placeholder("NA"));
    assert_eq!(code("NA"), Some("NA"));
    assert!(!is_placeholder("Niger"));
}

#[test]
fn non_countries_are_named_not_counted() {
    let cases = [
        ("Asia (region)", REGION),
        ("EU (region)", REGION),
        ("Global (region)", REGION),
        ("Mena Region (region)", REGION),
        ("South China Sea (region)", REGION),
        ("South America", REGION),
        ("Eastern Europe", REGION),
        ("Caucasus", REGION),
        ("Middle East", REGION),
        ("The Middle East", REGION),
        ("Southeast Asia", REGION),
        ("Some Place Nobody Listed (region)", REGION),
        ("NATO (region)", ORGANISATION),
        ("NATO (institutions)", ORGANISATION),
        ("EU (institutions)", ORGANISATION),
        ("NATO", ORGANISATION),
        ("United Nations", ORGANISATION),
        ("Interpol", ORGANISATION),
        ("UNICEF", ORGANISATION),
        ("OSCE", ORGANISATION),
        ("World Anti-Doping Agency", ORGANISATION),
        ("European Union", ORGANISATION),
        ("ISIS", GROUP),
        ("The Islamic State Group", GROUP),
        ("Soviet Union", FORMER),
        ("Serbia and Montenegro", FORMER),
        ("Netherlands Antilles", FORMER),
        ("AN", FORMER),
        ("ANT", FORMER),
        ("CS", FORMER),
        ("SCG", FORMER),
    ];
    for (name, kind) in cases {
        assert_eq!(classify(name), CountryMatch::NotACountry(kind), "{name}");
        assert_eq!(lookup(name), None, "{name}");
    }
}

#[test]
fn unknown_values_are_unmapped() {
    for v in [
        "Atlantis",
        "Financially motivated",
        "China, Financially motivated",
        "Espionage",
        "Russian",
    ] {
        assert_eq!(classify(v), CountryMatch::Unmapped, "{v}");
    }
}
