//! Invariants of the country matcher on arbitrary input.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use proptest::prelude::*;
use spyglass_model::country::{self, CountryMatch};

fn any_country() -> impl Strategy<Value = country::Country> {
    let all: Vec<_> = country::all().collect();
    prop::sample::select(all)
}

proptest! {
    #[test]
    fn lookup_and_classify_never_panic(s in any::<String>()) {
        let found = country::lookup(&s);
        let class = country::classify(&s);
        let _ = country::is_placeholder(&s);
        let _ = country::by_alpha2(&s);
        // classify agrees with lookup on everything lookup accepts.
        if let Some(c) = found {
            prop_assert!(class == CountryMatch::Country(c) || class == CountryMatch::Placeholder);
        }
    }

    #[test]
    fn lookup_never_panics_on_name_like_text(s in r"[\p{L}\p{M} ,.'&()\-]{0,40}") {
        let _ = country::classify(&s);
    }

    #[test]
    fn case_spacing_and_the_do_not_matter(c in any_country(), upper in any::<bool>(), pad in "[ \t]{0,3}") {
        let name = if upper { c.name.to_uppercase() } else { c.name.to_lowercase() };
        prop_assert_eq!(country::lookup(&format!("{pad}{name}{pad}")), Some(c));
        prop_assert_eq!(country::lookup(&format!("The {}", c.name)), Some(c));
    }

    #[test]
    fn a_country_name_with_extra_words_is_not_that_country(c in any_country(), word in "zq[a-z]{2,6}") {
        // Exact matching: "<name> <word>" is never silently the same country (no prefix match).
        let extended = format!("{} {word}", c.name);
        prop_assert_ne!(country::lookup(&extended), Some(c));
    }
}
