#![no_main]
//! Feeds arbitrary text to the claim-check grammar (`spyglass claim-check "<CLAIM>"`,
//! `GET /api/v1/findings/claim-check?claim=`). Any panic is a bug, and a parsed claim must hold:
//! keys are non-empty without whitespace, a threshold is a share in [0, 1], and the canonical text
//! (`Display`) parses back to the same claim and prints the same again.

use libfuzzer_sys::fuzz_target;
use spyglass_model::query::{Claim, parse_claim};

fn check_key(key: &str, text: &str) {
    assert!(!key.is_empty(), "empty key from {text:?}");
    assert!(!key.contains(char::is_whitespace), "key {key:?} with whitespace from {text:?}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_claim(&text) {
        Err(e) => assert!(!e.is_empty(), "empty error for {text:?}"),
        Ok(claim) => {
            match &claim {
                Claim::Threshold { key, threshold, .. } => {
                    check_key(key, &text);
                    assert!((0.0..=1.0).contains(threshold), "threshold {threshold} from {text:?}");
                }
                Claim::Compare { left, right, .. } => {
                    check_key(left, &text);
                    check_key(right, &text);
                }
            }
            let canonical = claim.to_string();
            let again = parse_claim(&canonical)
                .unwrap_or_else(|e| panic!("{text:?} parsed to {claim:?}, but its text {canonical:?} does not parse: {e}"));
            assert_eq!(again, claim, "{text:?} → {canonical:?} → a different claim");
            assert_eq!(again.to_string(), canonical, "canonical text of {text:?} is not stable");
        }
    }
});
