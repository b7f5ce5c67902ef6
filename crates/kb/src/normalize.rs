//! Name normalisation for matching.
//!
//! "APT 41" = "APT41" = "apt-41" = "Apt_41": case, whitespace, hyphens, underscores, dots and quotes
//! do not matter. Digits are kept verbatim, so APT1 ≠ APT10 ≠ APT01 and TA413 ≠ TA4130: **leading
//! zeros are significant**, except in the fixed-width id schemes whose owners always pad to four
//! digits — Microsoft `Storm-####` and `DEV-####`, ATT&CK `G####`, Secureworks `TG-####` — where
//! "Storm-558" is read as "Storm-0558" and "G96" as "G0096" (see [`normalize`]).

/// Characters that never distinguish two names.
fn is_ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '.' | '\'' | '"' | '`' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}'
                | '\u{2010}'..='\u{2015}' | '\u{00b4}'
        )
}

/// Prefixes of fixed-width, zero-padded id schemes (after normalisation).
const PADDED: &[&str] = &["storm", "dev", "g", "tg"];

/// The matching key of a name: lowercase, without separators and quotes, fixed-width ids padded.
///
/// Returns an empty string for names made only of separators.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if is_ignored(c) {
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    pad_fixed_width(out)
}

/// `storm558` → `storm0558`; leaves everything else alone.
fn pad_fixed_width(key: String) -> String {
    for prefix in PADDED {
        if let Some(digits) = key.strip_prefix(prefix)
            && !digits.is_empty()
            && digits.len() < 4
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("{prefix}{digits:0>4}");
        }
    }
    key
}

/// The words of a name, split on whitespace, hyphens and underscores (original case kept).
pub fn tokens(name: &str) -> Vec<&str> {
    name.split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '\u{2010}'..='\u{2015}'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Words that are not part of a group's identity when they lead a name ("The Dukes" is an alias
/// itself and matches exactly before this is tried).
const GENERIC_LEADING: &[&str] = &["the", "group", "apt"];
/// Words that are not part of a group's identity when they end a name.
const GENERIC_TRAILING: &[&str] = &[
    "group", "team", "gang", "crew", "ransomware", "hackers", "actor", "actors", "operators", "apt",
    "threat", "cybergang",
];

/// The name without generic leading/trailing words ("Clop Ransomware Group" → "Clop",
/// "Group G0007" → "G0007", "APT Patchwork" → "Patchwork"), or `None` when nothing was removed or
/// nothing would be left. A leading "APT" is kept before a number ("APT 41").
pub fn strip_generic(name: &str) -> Option<String> {
    let toks = tokens(name);
    let mut lo = 0;
    let mut hi = toks.len();
    while hi > lo + 1 && GENERIC_TRAILING.iter().any(|g| toks[hi - 1].eq_ignore_ascii_case(g)) {
        hi -= 1;
    }
    while hi > lo + 1 && GENERIC_LEADING.iter().any(|g| toks[lo].eq_ignore_ascii_case(g)) {
        let next_is_number = toks[lo + 1].bytes().all(|b| b.is_ascii_digit());
        if toks[lo].eq_ignore_ascii_case("apt") && next_is_number {
            break;
        }
        lo += 1;
    }
    if lo == 0 && hi == toks.len() {
        return None;
    }
    Some(toks[lo..hi].join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn separators_and_case_do_not_matter() {
        let k = normalize("APT41");
        for v in ["APT 41", "apt-41", "Apt_41", "A.P.T. 41", "\u{a0}APT\u{a0}41 "] {
            assert_eq!(normalize(v), k, "{v}");
        }
        assert_eq!(normalize("Fancy Bear"), normalize("FANCY-BEAR"));
        assert_eq!(normalize("Mustang Panda"), normalize("mustang_panda"));
        assert_eq!(normalize("Cozy “Bear”"), normalize("cozy bear"));
    }

    #[test]
    fn numbers_are_never_conflated() {
        let keys = ["APT1", "APT10", "APT01", "TA413", "TA4130", "UNC2452", "UNC245", "FIN7", "FIN07"];
        let norm: std::collections::HashSet<String> = keys.iter().map(|k| normalize(k)).collect();
        assert_eq!(norm.len(), keys.len());
        assert_ne!(normalize("DEV-0401"), normalize("DEV-0410"));
    }

    #[test]
    fn fixed_width_ids_are_padded() {
        assert_eq!(normalize("Storm-558"), normalize("Storm-0558"));
        assert_eq!(normalize("storm 0558"), "storm0558");
        assert_eq!(normalize("DEV-401"), normalize("DEV-0401"));
        assert_eq!(normalize("G96"), normalize("G0096"));
        assert_eq!(normalize("TG-3390"), "tg3390");
        assert_ne!(normalize("Storm-0558"), normalize("Storm-5580"));
        assert_eq!(normalize("Storm-12345"), "storm12345", "five digits stay as written");
    }

    #[test]
    fn generic_words_strip() {
        assert_eq!(strip_generic("Clop Ransomware Group").as_deref(), Some("Clop"));
        assert_eq!(strip_generic("Group G0007").as_deref(), Some("G0007"));
        assert_eq!(strip_generic("APT Patchwork").as_deref(), Some("Patchwork"));
        assert_eq!(strip_generic("APT 41"), None);
        assert_eq!(strip_generic("Lazarus Group").as_deref(), Some("Lazarus"));
        assert_eq!(strip_generic("Group"), None);
        assert_eq!(strip_generic("Turla"), None);
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,24}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn separators_never_matter(a in "[A-Za-z]{1,6}", b in "[0-9]{1,5}", sep in "[ _.\\-]{0,3}") {
            prop_assert_eq!(normalize(&format!("{a}{sep}{b}")), normalize(&format!("{a}{b}")));
        }

        #[test]
        fn different_numbers_stay_different(n in 0u32..100_000, m in 0u32..100_000) {
            prop_assume!(n != m);
            prop_assert_ne!(normalize(&format!("APT{n}")), normalize(&format!("APT{m}")));
            prop_assert_ne!(normalize(&format!("Storm-{n:04}")), normalize(&format!("Storm-{m:04}")));
        }
    }
}
