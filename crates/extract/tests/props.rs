//! Invariants on arbitrary input: no panic, and every span slices back to its evidence.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use proptest::prelude::*;
use spyglass_extract::{ActorName, Extraction, Extractor, TextInput, html_to_text, markdown_to_text};

fn extractor() -> &'static Extractor {
    static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EX.get_or_init(|| {
        let actors = [("APT28", "RU"), ("Fancy Bear", "RU"), ("Lazarus Group", "KP"), ("Zinc", "KP"), ("UPS", "CN"), ("狼毒草", "CN")]
            .iter()
            .map(|(n, c)| ActorName { name: n.to_string(), actor_id: n.to_string(), actor_name: n.to_string(), sponsor: Some(c.to_string()) })
            .collect();
        Extractor::new(actors).unwrap()
    })
}

/// Every (start, end, evidence) triple of an extraction.
fn spans(e: &Extraction) -> Vec<(usize, usize, String)> {
    let mut v: Vec<(usize, usize, String)> = Vec::new();
    v.extend(e.actors.iter().map(|a| (a.start, a.end, a.name.clone())));
    v.extend(e.sponsors.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.sponsorship_cues.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.verticals.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.ai_assets.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.techniques.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.cves.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v.extend(e.iocs.iter().map(|a| (a.start, a.end, a.evidence.clone())));
    v
}

fn check(text: &str) {
    let e = extractor().extract(text);
    for (s, end, ev) in spans(&e) {
        assert!(s < end && end <= text.len(), "span {s}..{end} out of 0..{}", text.len());
        assert_eq!(&text[s..end], ev, "evidence differs from its span");
    }
}

/// Words the rules react to, mixed into random text so the rule paths run.
const VOCAB: &[&str] = &[
    "Chinese", "state-sponsored", "hackers", "APT28", "APT10", "Fancy Bear", "stole", "model weights",
    "training data", "from", "an AI start-up", "GPU cluster", "not", "no evidence linking it to", "Russia",
    "unlike", "Iranian", "banks", "targeted", "PRC", "GRU", "of", "the", "government", "hxxp://evil[.]com/a",
    "1.2.3.4", "evil[.]ru", "T1566.001", "AML.T0024.002", "CVE-2021-44228", "used ChatGPT to write", "lures",
    "business model", "Beijing-backed", "Zinc", "zinc", "UPS", "team", ",", ".", "(", ")", "’s", "狼毒草",
    "d41d8cd98f00b204e9800998ecf8427e", "a@b[.]com", "2001:db8::1", "é", "\n", "  ", "-", "AI",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn rule_words_in_any_order(words in prop::collection::vec(prop::sample::select(VOCAB), 0..40)) {
        check(&words.join(" "));
        check(&words.concat());
    }

    #[test]
    fn mixed_unicode_and_rule_words(words in prop::collection::vec(prop::sample::select(VOCAB), 0..20), junk in "\\PC{0,40}") {
        let text = format!("{junk}{}{junk}", words.join(" "));
        check(&text);
    }

    #[test]
    fn markup_reducers_never_panic(s in any::<String>(), words in prop::collection::vec(prop::sample::select(VOCAB), 0..10)) {
        let html = format!("<p>{s}</p><script>{}</script>&amp;&#x41;&#99999999;<{s}", words.join(" "));
        let md = format!("# {s}\n[{}]({s}) ![x](y) `{s}`\n[1]: {s}", words.join(" "));
        check(&html_to_text(&html));
        check(&markdown_to_text(&md));
        let (text, e) = extractor().extract_input(TextInput::Html(&html));
        for (st, end, ev) in spans(&e) {
            prop_assert_eq!(&text[st..end], ev);
        }
    }
}
