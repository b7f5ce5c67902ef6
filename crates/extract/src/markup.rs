//! HTML and Markdown reduced to plain text before extraction. Spans of an [`crate::Extraction`]
//! made from reduced text refer to the reduced text, not to the markup.

use std::borrow::Cow;

/// A text and its format.
#[derive(Debug, Clone, Copy)]
pub enum TextInput<'a> {
    Plain(&'a str),
    Html(&'a str),
    Markdown(&'a str),
}

impl<'a> TextInput<'a> {
    /// The plain text to extract from (borrowed for plain input).
    pub fn reduce(self) -> Cow<'a, str> {
        match self {
            TextInput::Plain(t) => Cow::Borrowed(t),
            TextInput::Html(t) => Cow::Owned(html_to_text(t)),
            TextInput::Markdown(t) => Cow::Owned(markdown_to_text(t)),
        }
    }
}

/// Elements whose content is not text.
const DROP_CONTENT: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];
/// Elements that end a line.
const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "hr", "title", "dd", "dt", "td", "th",
];

/// Strips tags, drops scripts/styles, decodes entities and collapses white space (block elements
/// become line breaks).
pub fn html_to_text(html: &str) -> String {
    let stripped = strip_tags(html, false);
    tidy(&stripped, false)
}

fn strip_tags(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt], keep_newlines);
        let after = &rest[lt..];
        if let Some(body) = after.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |i| &body[i + 3..]);
            continue;
        }
        let Some(gt) = after.find('>') else {
            push_text(&mut out, after, keep_newlines);
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() && !tag.starts_with('/') && !tag.starts_with('!') {
            // A lone '<' in text ("a < b"), not a tag.
            push_text(&mut out, "<", keep_newlines);
            rest = &after[1..];
            continue;
        }
        rest = &after[gt + 1..];
        if !tag.starts_with('/') && DROP_CONTENT.contains(&name.as_str()) {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => rest[i..].find('>').map_or("", |j| &rest[i + j + 1..]),
                None => "",
            };
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    push_text(&mut out, rest, keep_newlines);
    out
}

fn push_text(out: &mut String, t: &str, keep_newlines: bool) {
    let decoded = decode_entities(t);
    if keep_newlines {
        out.push_str(&decoded);
    } else {
        out.extend(decoded.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }));
    }
}

/// Decodes named (common ones) and numeric character references; unknown ones stay as written.
pub(crate) fn decode_entities(t: &str) -> Cow<'_, str> {
    if !t.contains('&') {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let semi = after.as_bytes().iter().take(12).position(|&c| c == b';');
        let decoded = semi.and_then(|i| entity(&after[1..i]).map(|c| (c, i)));
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &after[i + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(v).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "#39" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

/// Collapses runs of spaces, trims line ends; blank lines are kept (once) only if `paragraphs`.
fn tidy(s: &str, paragraphs: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let words: Vec<&str> = line.split([' ', '\u{a0}']).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 && paragraphs { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&words.join(" "));
    }
    out
}

/// Reduces Markdown to text: drops heading/quote/list markers, code fences, emphasis markers,
/// link targets and reference definitions (link text stays), and inline HTML.
pub fn markdown_to_text(md: &str) -> String {
    let mut lines = Vec::new();
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") || is_reference_definition(t) {
            continue;
        }
        let t = t.trim_start_matches('#').trim_start_matches('>').trim_start();
        let t = strip_list_marker(t);
        lines.push(inline_markdown(t));
    }
    tidy(&strip_tags(&lines.join("\n"), true), true)
}

fn is_reference_definition(t: &str) -> bool {
    t.starts_with('[') && t.find("]:").is_some_and(|i| !t[1..i].contains(']'))
}

fn strip_list_marker(t: &str) -> &str {
    for m in ["- ", "* ", "+ "] {
        if let Some(r) = t.strip_prefix(m) {
            return r;
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        return &t[digits + 2..];
    }
    t
}

/// Inline Markdown: `[text](url)` / `[text][ref]` → text, `![alt](src)` → alt, `\x` → x, emphasis
/// and code markers removed.
fn inline_markdown(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '!' if chars.get(i + 1) == Some(&'[') => i += 1,
            '[' => {
                // Find the matching ']' (escaped brackets inside count as text).
                let mut depth = 0;
                let mut j = i;
                let mut close = None;
                while j < chars.len() {
                    match chars[j] {
                        '\\' => j += 1,
                        '[' => depth += 1,
                        ']' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let Some(close) = close else {
                    out.push(c);
                    i += 1;
                    continue;
                };
                let inner: String = chars[i + 1..close].iter().collect();
                let target = match chars.get(close + 1) {
                    Some('(') => chars[close + 1..].iter().position(|&c| c == ')').map(|p| close + 1 + p),
                    Some('[') => chars[close + 1..].iter().position(|&c| c == ']').map(|p| close + 1 + p),
                    _ => None,
                };
                match target {
                    Some(end) => {
                        out.push_str(&inline_markdown(&inner));
                        i = end + 1;
                    }
                    None => {
                        out.push('[');
                        i += 1;
                    }
                }
            }
            '*' | '`' => i += 1,
            '_' if (i == 0 || !chars[i - 1].is_alphanumeric())
                || (i + 1 == chars.len() || !chars[i + 1].is_alphanumeric()) =>
            {
                i += 1
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn html() {
        let h = "<html><head><title>x</title><style>p{}</style></head><body><p>APT28 &amp; the \
                 <b>GRU</b></p><script>var a='APT29';</script><div>hxxp://evil[.]com &#8211; ok</div></body>";
        assert_eq!(html_to_text(h), "APT28 & the GRU\nhxxp://evil[.]com – ok");
        assert_eq!(html_to_text("a < b &bogus; c"), "a < b &bogus; c");
    }

    #[test]
    fn markdown() {
        let md = "# Title\n\n[Leafminer](https://attack.mitre.org/groups/G0077) is an **Iranian** group.\
                  [<sup>\\[1\\]</sup>][1]\n\n- item `T1566`\n\n[1]: https://example.com \"x\"\n```\ncode\n```";
        assert_eq!(markdown_to_text(md), "Title\n\nLeafminer is an Iranian group. [1]\n\nitem T1566\n\ncode");
        assert_eq!(markdown_to_text("snake_case_name stays"), "snake_case_name stays");
    }
}
