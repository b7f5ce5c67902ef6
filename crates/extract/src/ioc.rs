//! Indicators of compromise: URLs (found by the automaton), and IPs, domains, e-mail addresses and
//! hashes found by one `memchr` pass over `.`, `:` and `@` plus a strided scan for long hex runs.
//!
//! Defanged forms are recognised and refanged in `value`: `hxxp(s)` → `http(s)`, `[.]`, `(.)`,
//! `[dot]` → `.`, `[:]` → `:`, `[@]` → `@`.
//!
//! Decisions: a dotted quad after "version", "v", "build", "release", "firmware", "update" or
//! "patch" is a version number, not an IPv4 address; a plain (not defanged) domain needs a lower-case
//! TLD from [`TLDS`] (so "ASP.NET", "Node.js", "file.zip" are not domains), a defanged one any
//! alphabetic TLD; hashes are hex runs of exactly 32/40/64 characters with at least one digit.

use std::net::Ipv6Addr;

use crate::text::{is_word, words_before};
use crate::{Ioc, IocType};

/// TLDs accepted on plain (not defanged) domains.
pub const TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "io", "co", "ru", "cn", "ir", "kp", "su", "ua", "uk", "de", "fr",
    "nl", "jp", "kr", "tw", "hk", "in", "pk", "il", "tr", "br", "us", "eu", "gov", "edu", "mil", "int",
    "me", "tk", "xyz", "top", "online", "site", "club", "ws", "cc", "tv", "onion", "app", "dev", "cloud",
    "live", "store", "tech", "space", "website", "icu", "pw", "ml", "ga", "cf", "gq", "vn", "sg", "my",
    "th", "id", "ph", "au", "nz", "ca", "mx", "ar", "cl", "es", "it", "pl", "ro", "bg", "cz", "sk", "hu",
    "at", "ch", "be", "se", "no", "dk", "fi", "ee", "lv", "lt", "by", "kz", "uz", "az", "am", "ge", "sa",
    "ae", "qa", "kw", "bh", "om", "eg", "ma", "dz", "tn", "ng", "ke", "za", "lb", "sy", "iq", "jo", "ps",
    "af", "bd", "lk", "np", "mn", "mo", "gr", "pt", "ie", "is", "si", "hr", "rs", "ba", "md", "mk", "al",
    "ly", "sd", "ye", "ve", "pe", "ec", "bo", "py", "uy", "cu", "ws", "to", "ly", "news", "xxx", "pro",
    "name", "mobi", "asia", "link", "click", "shop", "work", "world", "zone", "host", "press", "email",
    "network", "services", "support", "systems", "digital", "global", "group", "today", "run", "ai",
];

/// Words before a dotted quad that make it a version number.
pub(crate) static VERSION_WORDS: &[&str] = &["version", "versions", "v", "ver", "build", "release", "firmware", "update", "patch"];

#[inline]
fn host_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// Length of a defanged dot (`[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`) at `b[i..]`, if any.
fn defang_dot_at(b: &[u8], i: usize) -> usize {
    let r = &b[i.min(b.len())..];
    for pat in [&b"[.]"[..], b"(.)", b"{.}", b"[dot]", b"(dot)"] {
        if r.len() >= pat.len() && r[..pat.len()].eq_ignore_ascii_case(pat) {
            return pat.len();
        }
    }
    0
}

/// Length of a defanged dot ending at `b[..i]`.
fn defang_dot_before(b: &[u8], i: usize) -> usize {
    for n in [3usize, 5] {
        if i >= n && defang_dot_at(b, i - n) == n {
            return n;
        }
    }
    0
}

/// Refangs an indicator as written.
pub(crate) fn refang(s: &str) -> String {
    let b = s.as_bytes();
    // every defanged form starts with a bracket or contains an `x` (`hxxp`): most indicators
    // (plain URLs) have none and are copied as they are
    if !b.iter().any(|&c| matches!(c, b'[' | b'(' | b'{' | b'x' | b'X')) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let n = defang_dot_at(b, i);
        if n > 0 {
            out.push('.');
            i += n;
            continue;
        }
        let rest = &b[i..];
        if rest.len() >= 3 && (rest[..3] == *b"[:]" || rest[..3] == *b"[@]") {
            out.push(rest[1] as char);
            i += 3;
            continue;
        }
        if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"hxxp") && (i == 0 || !is_word(b[i - 1])) {
            out.push_str("http");
            i += 4;
            continue;
        }
        // `s` is ASCII-only inside indicators except in URL paths; copy the char as is.
        let ch_len = s[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[i..i + ch_len]);
        i += ch_len;
    }
    out
}

/// A URL starting at `s` (the automaton matched `http`, `hxxp` or `ftp`); returns its end.
pub(crate) fn parse_url(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = s;
    while i < b.len() && b[i].is_ascii_alphabetic() && i - s < 5 {
        i += 1;
    }
    let scheme = &b[s..i];
    let ok_scheme = [&b"http"[..], b"https", b"hxxp", b"hxxps", b"ftp", b"sftp"]
        .iter()
        .any(|p| scheme.eq_ignore_ascii_case(p));
    if !ok_scheme {
        return None;
    }
    let sep = [&b"://"[..], b"[:]//", b"[://]"].into_iter().find(|p| b[i..].starts_with(p))?;
    i += sep.len();
    let host_start = i;
    let (mut paren, mut bracket) = (0i32, 0i32);
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() || !c.is_ascii() || b"\"<>'`{}|\\^".contains(&c) {
            break;
        }
        match c {
            b'(' => paren += 1,
            b')' => {
                if paren == 0 {
                    break;
                }
                paren -= 1;
            }
            b'[' => bracket += 1,
            b']' => {
                if bracket == 0 {
                    break;
                }
                bracket -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    while i > host_start && matches!(b[i - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*') {
        i -= 1;
    }
    (i > host_start && host_byte(b[host_start])).then_some(i)
}

/// Appends IPs, domains, e-mails and hashes outside `skip` spans (sorted, e.g. URLs) to `out`;
/// `cands` are the offsets of every `.`, `:` and `@` of `text`, in order.
pub(crate) fn scan(text: &str, skip: &[(usize, usize)], cands: &[usize], out: &mut Vec<Ioc>) {
    let b = text.as_bytes();
    let mut covered = 0usize; // end of the last indicator or skipped span
    let mut skip_i = 0;
    let in_skip = |p: usize, skip_i: &mut usize| {
        while *skip_i < skip.len() && skip[*skip_i].1 <= p {
            *skip_i += 1;
        }
        skip.get(*skip_i).is_some_and(|&(s, e)| s <= p && p < e)
    };
    debug_assert!(cands.iter().all(|&p| matches!(b[p], b'.' | b':' | b'@')));
    for &p in cands {
        if p < covered || in_skip(p, &mut skip_i) {
            continue;
        }
        let found = match b[p] {
            b'@' => email_at(text, p),
            b':' => ipv6_at(text, p),
            _ => dotted_at(text, p, covered),
        };
        if let Some(ioc) = found {
            if skip.iter().any(|&(s, e)| ioc.start < e && s < ioc.end) {
                continue;
            }
            covered = ioc.end;
            out.push(ioc);
        }
    }
    hashes(text, skip, out);
    out.sort_by_key(|i| i.start);
}

/// Expands the host-like token around the dot at `p` (plain or defanged dots).
fn host_token(b: &[u8], p: usize, lo: usize) -> (usize, usize) {
    let mut s = p;
    loop {
        if s > lo && (host_byte(b[s - 1]) || b[s - 1] == b'.') {
            s -= 1;
        } else {
            let n = defang_dot_before(b, s);
            if n > 0 && s - n >= lo && s - n > 0 && host_byte(b[s - n - 1]) {
                s -= n;
            } else {
                break;
            }
        }
    }
    let mut e = p;
    loop {
        if e < b.len() && (host_byte(b[e]) || b[e] == b'.') {
            e += 1;
        } else {
            let n = defang_dot_at(b, e);
            if n > 0 && e + n < b.len() && host_byte(b[e + n]) {
                e += n;
            } else {
                break;
            }
        }
    }
    while s < e && matches!(b[s], b'.' | b'-' | b'_') {
        s += 1;
    }
    while e > s && matches!(b[e - 1], b'.' | b'-' | b'_') {
        e -= 1;
    }
    (s, e)
}

fn dotted_at(text: &str, p: usize, lo: usize) -> Option<Ioc> {
    let b = text.as_bytes();
    let defang_open = |c: u8| matches!(c, b'[' | b'(' | b'{');
    // A dot followed by no host byte, dot or defang bracket (a sentence end) ends the host token
    // before itself: no indicator.
    if b[p] == b'.'
        && !(p > 0 && defang_open(b[p - 1]))
        && !b.get(p + 1).is_some_and(|&c| host_byte(c) || c == b'.' || defang_open(c))
    {
        return None;
    }
    let p = if b[p] == b'.' && p > 0 && defang_open(b[p - 1]) { p - 1 } else { p };
    let (s, e) = host_token(b, p, lo);
    if e <= s || !(s..e).contains(&p) {
        return None;
    }
    let raw = &text[s..e];
    // refanging copies; most candidates ("U.S", "e.g", "1.5") have nothing to refang
    let value: std::borrow::Cow<'_, str> =
        if raw.bytes().any(|c| matches!(c, b'[' | b'(' | b'{' | b'x' | b'X')) { refang(raw).into() } else { raw.into() };
    let defanged = raw.len() != value.len();
    let labels = || value.split('.');
    if labels().count() < 2 || labels().any(str::is_empty) {
        return None;
    }
    if labels().all(|l| l.bytes().all(|c| c.is_ascii_digit())) {
        if labels().count() != 4 || labels().any(|l| l.len() > 3 || l.parse::<u16>().map_or(true, |v| v > 255)) {
            return None;
        }
        let prev = words_before::<1>(text, s.saturating_sub(40), s, 1);
        if prev.first().is_some_and(|t| t.is(crate::lexicon::w::VERSION_WORDS)) {
            return None;
        }
        return Some(ioc(IocType::Ipv4, value.into_owned(), text, s, e));
    }
    let tld = labels().next_back().unwrap_or_default();
    let tld_ok = tld.len() >= 2
        && tld.bytes().all(|c| c.is_ascii_alphabetic())
        && (defanged || (tld.bytes().all(|c| c.is_ascii_lowercase()) && TLDS.contains(&tld)));
    let labels_ok = labels().all(|l| l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && !l.contains('_'));
    (tld_ok && labels_ok).then(|| ioc(IocType::Domain, value.to_ascii_lowercase(), text, s, e))
}

fn email_at(text: &str, p: usize) -> Option<Ioc> {
    let b = text.as_bytes();
    // "[@]" defang: the '@' sits inside brackets.
    let (at_s, at_e) = if p > 0 && b[p - 1] == b'[' && b.get(p + 1) == Some(&b']') { (p - 1, p + 2) } else { (p, p + 1) };
    let mut s = at_s;
    while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b"._%+-".contains(&b[s - 1])) {
        s -= 1;
    }
    while s < at_s && b[s] == b'.' {
        s += 1;
    }
    if s == at_s || at_e >= b.len() || !host_byte(b[at_e]) {
        return None;
    }
    let (ds, de) = host_token(b, at_e, at_e);
    if ds != at_e {
        return None;
    }
    let domain = refang(&text[ds..de]);
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels[labels.len() - 1];
    if labels.len() < 2 || tld.len() < 2 || !tld.bytes().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let value = format!("{}@{}", &text[s..at_s], domain.to_ascii_lowercase());
    Some(ioc(IocType::Email, value, text, s, de))
}

fn ipv6_at(text: &str, p: usize) -> Option<Ioc> {
    let b = text.as_bytes();
    let ip6 = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut s = p;
    while s > 0 && ip6(b[s - 1]) {
        s -= 1;
    }
    let mut e = p;
    while e < b.len() && ip6(b[e]) {
        e += 1;
    }
    while e > s && b[e - 1] == b'.' {
        e -= 1;
    }
    if (s > 0 && is_word(b[s - 1])) || (e < b.len() && is_word(b[e])) {
        return None;
    }
    let raw = &text[s..e];
    if raw.bytes().filter(|&c| c == b':').count() < 2 || !raw.bytes().any(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let addr: Ipv6Addr = raw.parse().ok()?;
    Some(ioc(IocType::Ipv6, addr.to_string(), text, s, e))
}

/// `u8::is_ascii_hexdigit` as a table (the strided probe reads it for every 16th byte).
static HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_hexdigit();
        c += 1;
    }
    t
};

/// Hex runs of 32/40/64 characters: every such run covers a multiple of 16, so only those bytes
/// are probed.
fn hashes(text: &str, skip: &[(usize, usize)], out: &mut Vec<Ioc>) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut done = 0;
    // A run of 32 or more covers a whole 16-byte block from a probe: a probe is only expanded
    // when its block looks all-hex at a few points (the others can only find shorter runs).
    let hex = |j: usize| b.get(j).is_some_and(|&c| HEX[usize::from(c)]);
    while i < b.len() {
        if i >= done && hex(i) && hex(i + 5) && hex(i + 10) && hex(i + 15) {
            let mut s = i;
            while s > done && b[s - 1].is_ascii_hexdigit() {
                s -= 1;
            }
            let mut e = i + 1;
            while e < b.len() && b[e].is_ascii_hexdigit() {
                e += 1;
            }
            done = e;
            let n = e - s;
            let bounded = (s == 0 || !is_word(b[s - 1])) && (e == b.len() || !is_word(b[e]));
            let kind = match n {
                32 => Some(IocType::Md5),
                40 => Some(IocType::Sha1),
                64 => Some(IocType::Sha256),
                _ => None,
            };
            if let Some(kind) = kind
                && bounded
                && b[s..e].iter().any(u8::is_ascii_digit)
                && !skip.iter().any(|&(ks, ke)| s < ke && ks < e)
                && !out.iter().any(|o| s < o.end && o.start < e)
            {
                out.push(ioc(kind, text[s..e].to_ascii_lowercase(), text, s, e));
            }
        }
        i += 16;
    }
}

fn ioc(kind: IocType, value: String, text: &str, s: usize, e: usize) -> Ioc {
    Ioc { kind, value, evidence: text[s..e].to_string(), start: s, end: e }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(IocType, String)> {
        let mut out = Vec::new();
        let cands: Vec<usize> = memchr::memchr3_iter(b'.', b':', b'@', text.as_bytes()).collect();
        scan(text, &[], &cands, &mut out);
        out.into_iter().map(|i| (i.kind, i.value)).collect()
    }

    #[test]
    fn refangs() {
        assert_eq!(refang("hxxps://evil[.]com/a"), "https://evil.com/a");
        assert_eq!(refang("1.2.3(.)4"), "1.2.3.4");
        assert_eq!(refang("user[@]bad[dot]org"), "user@bad.org");
    }

    #[test]
    fn urls() {
        let t = "see hxxp[:]//evil[.]com/x?y=1). Then";
        let e = parse_url(t, 4).unwrap();
        assert_eq!(&t[4..e], "hxxp[:]//evil[.]com/x?y=1");
        assert_eq!(parse_url("http:/x", 0), None);
        assert_eq!(parse_url("httpx://a", 0), None);
    }

    #[test]
    fn ips_domains_emails() {
        let got = all("C2 at 185.220.101[.]4 and evil[.]ru, mail a.b@corp[.]com; also update.microsoft.com.");
        assert_eq!(
            got,
            [
                (IocType::Ipv4, "185.220.101.4".to_string()),
                (IocType::Domain, "evil.ru".to_string()),
                (IocType::Email, "a.b@corp.com".to_string()),
                (IocType::Domain, "update.microsoft.com".to_string()),
            ]
        );
    }

    #[test]
    fn not_iocs() {
        assert!(all("version 1.2.3.4 of ASP.NET and Node.js, U.S. e.g. Appendix.pdf.zip at 10:30:00").is_empty());
        assert!(all("999.1.1.1 and 1.2.3").is_empty());
    }

    #[test]
    fn ipv6_and_hashes() {
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let got = all(&format!("v6 2001:db8::1 hash {md5} and {sha256}."));
        assert_eq!(got[0], (IocType::Ipv6, "2001:db8::1".to_string()));
        assert_eq!(got[1], (IocType::Md5, md5.to_string()));
        assert_eq!(got[2], (IocType::Sha256, sha256.to_string()));
        assert_eq!(got.len(), 3);
    }
}
