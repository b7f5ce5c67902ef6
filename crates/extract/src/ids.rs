//! CVE, ATT&CK and ATLAS identifiers, parsed from the prefix the automaton found.

use crate::text::is_word;

/// Number of ASCII digits at `b[i..]`.
fn digits(b: &[u8], i: usize) -> usize {
    b.get(i..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// True when `i` is the end of text or not inside a word.
fn boundary(b: &[u8], i: usize) -> bool {
    i >= b.len() || !is_word(b[i])
}

/// `CVE-YYYY-NNNN…` starting at `s` (the automaton matched `CVE-`); returns the end.
pub(crate) fn parse_cve(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = s + 4;
    if digits(b, i) != 4 {
        return None;
    }
    i += 4;
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let n = digits(b, i);
    if !(4..=7).contains(&n) {
        return None;
    }
    i += n;
    boundary(b, i).then_some(i)
}

/// Optional `.NNN` sub-technique at `i`; returns the new end.
fn sub_technique(b: &[u8], i: usize) -> usize {
    if b.get(i) == Some(&b'.') && digits(b, i + 1) == 3 && boundary(b, i + 4) { i + 4 } else { i }
}

/// ATT&CK `T1NNN[.NNN]` starting at `s` (the automaton matched `T1`); returns the end.
pub(crate) fn parse_attack(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    if digits(b, s + 1) != 4 {
        return None;
    }
    let i = s + 5;
    if !boundary(b, i) {
        return None;
    }
    Some(sub_technique(b, i))
}

/// ATLAS `AML.TNNNN[.NNN]` starting at `s` (the automaton matched `AML.T`); returns the end.
pub(crate) fn parse_atlas(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !b[s..s + 5].eq_ignore_ascii_case(b"AML.T") || digits(b, s + 5) != 4 {
        return None;
    }
    let i = s + 9;
    if !boundary(b, i) {
        return None;
    }
    Some(sub_technique(b, i))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn cves() {
        assert_eq!(parse_cve("CVE-2019-20634 x", 0), Some(14));
        assert_eq!(parse_cve("cve-2021-44228.", 0), Some(14));
        assert_eq!(parse_cve("CVE-19-1", 0), None);
        assert_eq!(parse_cve("CVE-2019-123", 0), None);
        assert_eq!(parse_cve("CVE-2019-1234567890", 0), None);
    }

    #[test]
    fn techniques() {
        assert_eq!(parse_attack("T1566.001)", 0), Some(9));
        assert_eq!(parse_attack("T1566, T1", 0), Some(5));
        assert_eq!(parse_attack("T15660", 0), None);
        assert_eq!(parse_attack("T1566.01", 0), Some(5));
        assert_eq!(parse_atlas("AML.T0024.002.", 0), Some(13));
        assert_eq!(parse_atlas("AML.T0051", 0), Some(9));
        assert_eq!(parse_atlas("AML.TA0001", 0), None);
    }
}
