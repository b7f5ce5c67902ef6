//! Company-name normalisation: the keys names are compared on.
//!
//! 1. Lowercase; common Latin accents folded (é → e); parenthesised text dropped ("(Class A)",
//!    "(FBI; United States)"); `&` and `+` read as "and"; periods and apostrophes deleted ("U.S." →
//!    "us", "Moody's" → "moodys"); every other non-alphanumeric character separates words.
//! 2. A leading "the" is dropped; legal forms are spelled one way (corporation → corp,
//!    incorporated → inc, company → co, limited → ltd).
//! 3. Variants: the full form, then the form with trailing legal suffixes removed (inc, corp, co,
//!    ltd, plc, ag, sa, se, nv, bv, llc, lp, llp, gmbh, spa, and a dangling "and" as in "Merck & Co."),
//!    then with trailing designators removed one at a time (holdings, group, companies,
//!    bancorp, bancshares, bank, financial, services, solutions, systems, enterprises,
//!    industries, international, worldwide, brands, resources, partners, technologies, technology).
//!    A variant is never empty.

/// Legal-form words removed from the end of a name.
const LEGAL: &[&str] = &[
    "inc", "corp", "co", "ltd", "plc", "ag", "sa", "se", "nv", "bv", "llc", "lp", "llp", "gmbh", "spa", "kk", "and",
];

/// Generic designators removed from the end of a name after the legal suffixes.
const DESIGNATORS: &[&str] = &[
    "holdings", "holding", "group", "companies", "bancorp", "bancshares", "bank", "financial", "services", "solutions",
    "systems", "enterprises", "industries", "international", "worldwide", "brands", "resources", "partners",
    "technologies", "technology",
];

/// Whether a token is a legal form (after canonicalisation).
pub fn is_legal(token: &str) -> bool {
    LEGAL.contains(&token) && token != "and"
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'ł' => "l",
        'š' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

fn canonical(token: &str) -> &str {
    match token {
        "corporation" => "corp",
        "incorporated" => "inc",
        "company" => "co",
        "limited" => "ltd",
        other => other,
    }
}

/// The normalised words of a name (step 1 and 2 above).
pub fn tokens(name: &str) -> Vec<String> {
    word_list(name).into_iter().map(|w| w.text).collect()
}

/// A normalised word with what the original said around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Written with a capital first letter (or a digit): part of a proper name.
    pub cap: bool,
    /// Punctuation other than a space or hyphen comes before it (",", ";", ":", "/").
    pub brk: bool,
}

/// [`tokens`] with case and punctuation kept (used to tell a company mentioned in a phrase from
/// part of another proper name).
pub fn word_list(name: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut cur = String::new();
    let (mut cap, mut brk, mut pending_brk) = (false, false, false);
    let mut depth = 0usize;
    let flush = |cur: &mut String, cap: bool, brk: bool, out: &mut Vec<Word>| {
        if !cur.is_empty() {
            out.push(Word { text: canonical(cur).to_string(), cap, brk });
            cur.clear();
        }
    };
    for c in name.chars() {
        match c {
            '(' | '[' => {
                flush(&mut cur, cap, brk, &mut out);
                depth += 1;
                pending_brk = true;
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '&' | '+' => {
                flush(&mut cur, cap, brk, &mut out);
                out.push(Word { text: "and".to_string(), cap: false, brk: pending_brk });
                pending_brk = false;
            }
            '.' | '\'' | '’' | '‘' | '`' | '´' => {}
            c if c.is_alphanumeric() => {
                if cur.is_empty() {
                    cap = c.is_uppercase() || c.is_numeric();
                    brk = std::mem::take(&mut pending_brk);
                }
                for l in c.to_lowercase() {
                    match fold(l) {
                        Some(s) => cur.push_str(s),
                        None => cur.push(l),
                    }
                }
            }
            c => {
                flush(&mut cur, cap, brk, &mut out);
                if !c.is_whitespace() && c != '-' && c != '–' {
                    pending_brk = true;
                }
            }
        }
    }
    flush(&mut cur, cap, brk, &mut out);
    if out.len() > 1 && out[0].text == "the" {
        out.remove(0);
    }
    out
}

/// The variants of a name, full form first (step 3 above), each as its words.
pub fn variants(name: &str) -> Vec<Vec<String>> {
    variants_of(tokens(name))
}

/// [`variants`] of already normalised words.
pub fn variants_of(full: Vec<String>) -> Vec<Vec<String>> {
    if full.is_empty() {
        return Vec::new();
    }
    let mut out = vec![full.clone()];
    let mut cur = full;
    while cur.len() > 1 && cur.last().is_some_and(|t| LEGAL.contains(&t.as_str())) {
        cur.pop();
        if cur.last().is_some_and(|t| t != "and") {
            push_new(&mut out, &cur);
        }
    }
    while cur.len() > 1 && cur.last().is_some_and(|t| DESIGNATORS.contains(&t.as_str())) {
        cur.pop();
        while cur.len() > 1 && cur.last().is_some_and(|t| t == "and") {
            cur.pop();
        }
        push_new(&mut out, &cur);
    }
    out
}

fn push_new(out: &mut Vec<Vec<String>>, v: &[String]) {
    if !out.iter().any(|o| o == v) {
        out.push(v.to_vec());
    }
}

/// Whether the name ends in a legal form ("Target Corp", "Apple Inc."): the writer marked it as a
/// company.
pub fn has_legal_suffix(words: &[String]) -> bool {
    words.len() > 1 && words.last().is_some_and(|t| is_legal(t))
}

/// Damerau–Levenshtein distance (optimal string alignment), on chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(s: &str) -> String {
        tokens(s).join(" ")
    }

    #[test]
    fn normalisation() {
        assert_eq!(key("The Coca-Cola Company"), "coca cola co");
        assert_eq!(key("Alphabet Inc. (Class A)"), "alphabet inc");
        assert_eq!(key("U.S. Bancorp"), "us bancorp");
        assert_eq!(key("Moody’s Analytics"), "moodys analytics");
        assert_eq!(key("AT&T"), "at and t");
        assert_eq!(key("Nestlé S.A."), "nestle sa");
        assert_eq!(key("Marriott International Incorporated"), "marriott international inc");
        assert_eq!(key("The"), "the");
    }

    #[test]
    fn variant_chain() {
        let v: Vec<String> = variants("Merck & Co., Inc.").iter().map(|v| v.join(" ")).collect();
        assert_eq!(v, ["merck and co inc", "merck and co", "merck"]);
        let v: Vec<String> = variants("United Airlines Holdings, Inc.").iter().map(|v| v.join(" ")).collect();
        assert_eq!(v, ["united airlines holdings inc", "united airlines holdings", "united airlines"]);
        let v: Vec<String> = variants("PNC Financial Services").iter().map(|v| v.join(" ")).collect();
        assert_eq!(v, ["pnc financial services", "pnc financial", "pnc"]);
        // A name made only of designators keeps its last word.
        assert_eq!(variants("Group Holdings").last().unwrap(), &["group".to_string()]);
    }

    #[test]
    fn legal_suffix_marks_company() {
        assert!(has_legal_suffix(&tokens("Target Corporation")));
        assert!(!has_legal_suffix(&tokens("Target")));
        assert!(!has_legal_suffix(&tokens("Target Group")));
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("northtrop grumman", "northrop grumman"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    proptest! {
        #[test]
        fn variants_never_empty_and_start_with_full(s in "\\PC{0,40}") {
            let full = tokens(&s);
            let v = variants(&s);
            if full.is_empty() {
                prop_assert!(v.is_empty());
            } else {
                prop_assert_eq!(&v[0], &full);
                prop_assert!(v.iter().all(|x| !x.is_empty()));
            }
        }

        #[test]
        fn normalisation_is_idempotent(s in "[A-Za-z&.,' -]{0,30}") {
            let once = tokens(&s).join(" ");
            prop_assert_eq!(tokens(&once).join(" "), once);
        }
    }
}
