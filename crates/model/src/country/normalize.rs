//! Turning a country spelling into lookup keys.
//!
//! A key is lowercase ASCII-folded words separated by single spaces: accents folded, "&" read as
//! "and", "St." read as "Saint", apostrophes and full stops dropped ("People's" = "Peoples",
//! "U.S." = "US"), other punctuation a word break, and every "the" dropped. Matching is exact on
//! keys, never fuzzy, so names that differ by a word (Niger / Nigeria, Sudan / South Sudan,
//! Dominica / Dominican Republic) never meet.

/// Lookup keys for `raw`, most literal first.
///
/// Besides the plain key, the ISO / EuRepoC / CFR inversions get their natural order:
/// "Korea, Republic of" and "Korea (Republic of)" both yield "republic of korea". The inversion
/// never drops a word, so "Congo (Democratic Republic of the)" cannot become plain "Congo".
pub(super) fn keys(raw: &str) -> Vec<String> {
    let folded = fold(raw);
    let text = folded.trim();
    let mut out = vec![key(text)];
    if let Some((head, inner)) = split_trailing_parens(text) {
        out.push(key(&format!("{inner} {head}")));
    } else if let Some((head, tail)) = text.split_once(',') {
        out.push(key(&format!("{tail} {head}")));
    }
    out.retain(|k| !k.is_empty());
    out.dedup();
    out
}

/// `"X (Y)"` → `("X", "Y")` when the value ends with a parenthesised part.
pub(super) fn split_trailing_parens(text: &str) -> Option<(&str, &str)> {
    let body = text.trim_end().strip_suffix(')')?;
    let open = body.rfind('(')?;
    let head = body[..open].trim();
    let inner = body[open + 1..].trim();
    (!head.is_empty() && !inner.is_empty()).then_some((head, inner))
}

/// The single key of `text` (no inversion).
pub(super) fn key(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len() + 8);
    for ch in fold(text).chars() {
        match ch {
            '&' => spaced.push_str(" and "),
            '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' | '.' => {}
            c if c.is_alphanumeric() => spaced.push(c),
            _ => spaced.push(' '),
        }
    }
    let words: Vec<&str> = spaced
        .split_whitespace()
        .filter(|w| *w != "the")
        .map(|w| if w == "st" { "saint" } else { w })
        .collect();
    words.join(" ")
}

/// Lowercases and folds the Latin accented letters found in country names to ASCII.
pub(super) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for upper in s.chars() {
        for ch in upper.to_lowercase() {
            match ch {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
                'æ' => out.push_str("ae"),
                'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => out.push('c'),
                'ď' | 'đ' | 'ð' => out.push('d'),
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
                'ğ' | 'ġ' | 'ģ' => out.push('g'),
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => out.push('i'),
                'ķ' => out.push('k'),
                'ĺ' | 'ļ' | 'ľ' | 'ł' => out.push('l'),
                'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
                'œ' => out.push_str("oe"),
                'ŕ' | 'ř' => out.push('r'),
                'ś' | 'ş' | 'ș' | 'š' => out.push('s'),
                'ß' => out.push_str("ss"),
                'ţ' | 'ț' | 'ť' => out.push('t'),
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => out.push('u'),
                'ý' | 'ÿ' => out.push('y'),
                'ź' | 'ż' | 'ž' => out.push('z'),
                // Combining diacritics (decomposed input such as "e\u{301}") carry no letter.
                '\u{0300}'..='\u{036F}' => {}
                other => out.push(other),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(key("Côte d’Ivoire"), "cote divoire");
        assert_eq!(key("CURAÇAO"), "curacao");
        assert_eq!(key("Åland Islands"), "aland islands");
        assert_eq!(key("Türkiye"), "turkiye");
        assert_eq!(key("São Tomé and Príncipe"), "sao tome and principe");
        assert_eq!(key("Re\u{301}union"), "reunion");
        assert_eq!(key("  U.S.  "), "us");
        assert_eq!(
            key("St. Vincent & the Grenadines"),
            "saint vincent and grenadines"
        );
        assert_eq!(key("Guinea-Bissau"), "guinea bissau");
        assert_eq!(key("United Kingdom\""), "united kingdom");
    }

    #[test]
    fn inverts_iso_and_cfr_forms() {
        assert_eq!(keys("Korea, Republic of")[1], "republic of korea");
        assert_eq!(keys("Korea (Republic of)")[1], "republic of korea");
        assert_eq!(
            keys("Congo, the Democratic Republic of the")[1],
            "democratic republic of congo"
        );
        assert_eq!(
            keys("Iran (Islamic Republic of)")[1],
            "islamic republic of iran"
        );
        assert_eq!(keys("Virgin Islands, U.S.")[1], "us virgin islands");
        assert_eq!(keys("Russia"), vec!["russia".to_string()]);
    }

    #[test]
    fn empty_and_punctuation_only_give_no_key() {
        assert!(keys("").is_empty());
        assert!(keys(" ,() ").is_empty());
        assert!(keys("()").is_empty());
    }
}
