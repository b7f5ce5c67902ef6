//! A parser for the Python literals EuRepoC writes into CSV cells: `['China', 'Russia']`,
//! `[['Not available']]`, `"Korea, Democratic People's Republic of"`, `None`, numbers.
//!
//! Cells are parsed as real literals (quotes, escapes, nesting), never split on commas, because names
//! contain commas ("Iran, Islamic Republic of") and quotes of the other kind ("People's").

use std::fmt;

/// A Python literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    Str(String),
    Num(f64),
    Bool(bool),
    None,
    List(Vec<PyValue>),
}

/// Why a cell is not a valid literal; `offset` is a byte offset into the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyLitError {
    pub offset: usize,
    pub reason: String,
}

impl fmt::Display for PyLitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {} of the cell", self.reason, self.offset)
    }
}

impl std::error::Error for PyLitError {}

/// Nesting deeper than this is rejected rather than recursed into (hostile input).
const MAX_DEPTH: usize = 64;

/// Parses one literal; the whole input must be consumed (surrounding whitespace allowed).
pub fn parse(input: &str) -> Result<PyValue, PyLitError> {
    let mut p = Parser { s: input.as_bytes(), src: input, pos: 0 };
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.err("unexpected text after the literal"));
    }
    Ok(v)
}

/// Parses a cell expected to be a flat list of strings. An empty cell is an empty list; a bare
/// string (not a list) is accepted as a one-element list; `None` elements are skipped.
pub fn parse_str_list(input: &str) -> Result<Vec<String>, PyLitError> {
    if input.trim().is_empty() {
        return Ok(Vec::new());
    }
    match parse(input)? {
        PyValue::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    PyValue::Str(s) => out.push(s),
                    PyValue::None => {}
                    PyValue::Num(n) => out.push(n.to_string()),
                    other => {
                        return Err(PyLitError {
                            offset: 0,
                            reason: format!("element {i} is not a string: {other:?}"),
                        });
                    }
                }
            }
            Ok(out)
        }
        PyValue::Str(s) => Ok(vec![s]),
        PyValue::None => Ok(Vec::new()),
        other => Err(PyLitError { offset: 0, reason: format!("expected a list, found {other:?}") }),
    }
}

/// Parses a cell expected to be a list of lists of strings (`[['a', 'b'], ['c']]`). A flat list of
/// strings is read as one inner list per element, which is how EuRepoC writes single receivers.
pub fn parse_nested_str_list(input: &str) -> Result<Vec<Vec<String>>, PyLitError> {
    if input.trim().is_empty() {
        return Ok(Vec::new());
    }
    let PyValue::List(items) = parse(input)? else {
        return Err(PyLitError { offset: 0, reason: "expected a list of lists".into() });
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match item {
            PyValue::List(inner) => {
                let mut strs = Vec::with_capacity(inner.len());
                for v in inner {
                    match v {
                        PyValue::Str(s) => strs.push(s),
                        PyValue::None => strs.push(String::new()),
                        other => {
                            return Err(PyLitError {
                                offset: 0,
                                reason: format!("element {i} holds a non-string: {other:?}"),
                            });
                        }
                    }
                }
                out.push(strs);
            }
            PyValue::Str(s) => out.push(vec![s]),
            PyValue::None => out.push(Vec::new()),
            other => {
                return Err(PyLitError { offset: 0, reason: format!("element {i} is not a list: {other:?}") });
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> PyLitError {
        PyLitError { offset: self.pos, reason: reason.to_string() }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<PyValue, PyLitError> {
        if depth > MAX_DEPTH {
            return Err(self.err("literal nested too deeply"));
        }
        match self.s.get(self.pos) {
            None => Err(self.err("unexpected end of cell")),
            Some(b'[') => self.seq(b']', depth),
            Some(b'(') => self.seq(b')', depth),
            Some(b'\'') | Some(b'"') => self.string().map(PyValue::Str),
            Some(c) if c.is_ascii_digit() || *c == b'-' || *c == b'+' || *c == b'.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() => {
                // A string prefix (r, u, b) directly before a quote, or a keyword.
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_alphanumeric() {
                    self.pos += 1;
                }
                let word = &self.src[start..self.pos];
                if matches!(self.s.get(self.pos), Some(b'\'') | Some(b'"'))
                    && word.len() <= 2
                    && word.chars().all(|c| matches!(c, 'r' | 'R' | 'u' | 'U' | 'b' | 'B'))
                {
                    let raw = word.contains(['r', 'R']);
                    return self.string_with(raw).map(PyValue::Str);
                }
                match word {
                    "None" | "nan" | "NaN" => Ok(PyValue::None),
                    "True" => Ok(PyValue::Bool(true)),
                    "False" => Ok(PyValue::Bool(false)),
                    _ => {
                        self.pos = start;
                        Err(self.err(&format!("unexpected word {word:?} (strings must be quoted)")))
                    }
                }
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn seq(&mut self, close: u8, depth: usize) -> Result<PyValue, PyLitError> {
        self.pos += 1; // opening bracket
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.s.get(self.pos) {
                None => return Err(self.err(&format!("unclosed list: expected '{}'", close as char))),
                Some(&c) if c == close => {
                    self.pos += 1;
                    return Ok(PyValue::List(items));
                }
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(&c) if c == close => {}
                None => return Err(self.err(&format!("unclosed list: expected ',' or '{}'", close as char))),
                Some(_) => return Err(self.err(&format!("expected ',' or '{}'", close as char))),
            }
        }
    }

    fn string(&mut self) -> Result<String, PyLitError> {
        self.string_with(false)
    }

    fn string_with(&mut self, raw: bool) -> Result<String, PyLitError> {
        let quote = self.s[self.pos];
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            if c == quote {
                out.push_str(&self.src[run_start..self.pos]);
                self.pos += 1;
                return Ok(out);
            }
            if c == b'\\' && !raw {
                out.push_str(&self.src[run_start..self.pos]);
                self.pos += 1;
                let Some(&e) = self.s.get(self.pos) else { break };
                self.pos += 1;
                match e {
                    b'n' => out.push('\n'),
                    b't' => out.push('\t'),
                    b'r' => out.push('\r'),
                    b'0' => out.push('\0'),
                    b'\\' => out.push('\\'),
                    b'\'' => out.push('\''),
                    b'"' => out.push('"'),
                    b'\n' => {}
                    b'x' => out.push(self.hex_escape(2)?),
                    b'u' => out.push(self.hex_escape(4)?),
                    b'U' => out.push(self.hex_escape(8)?),
                    _ => {
                        // Python keeps unknown escapes verbatim; the escaped char may be multi-byte.
                        out.push('\\');
                        self.pos -= 1;
                    }
                }
                run_start = self.pos;
                // Keep run_start on a char boundary: multi-byte chars are copied by the next run.
                continue;
            }
            self.pos += 1;
        }
        self.pos = open;
        Err(self.err("unterminated string"))
    }

    fn hex_escape(&mut self, len: usize) -> Result<char, PyLitError> {
        let end = self.pos + len;
        let digits = self.src.get(self.pos..end).ok_or_else(|| self.err("truncated escape"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.err("bad hex escape"))?;
        self.pos = end;
        char::from_u32(code).ok_or_else(|| self.err("escape is not a valid character"))
    }

    fn number(&mut self) -> Result<PyValue, PyLitError> {
        let start = self.pos;
        while self.pos < self.s.len()
            && matches!(self.s[self.pos], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'_')
        {
            self.pos += 1;
        }
        let text = self.src[start..self.pos].replace('_', "");
        text.parse::<f64>().map(PyValue::Num).map_err(|_| {
            self.pos = start;
            self.err("invalid number")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn flat_lists_with_commas_and_quotes() {
        assert_eq!(
            parse_str_list(r#"['China', "Korea, Democratic People's Republic of", 'Iran, Islamic Republic of']"#)
                .unwrap(),
            vec!["China", "Korea, Democratic People's Republic of", "Iran, Islamic Republic of"]
        );
        assert_eq!(parse_str_list("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_str_list("[]").unwrap(), Vec::<String>::new());
        assert_eq!(parse_str_list("'solo'").unwrap(), vec!["solo"]);
    }

    #[test]
    fn nested_lists() {
        assert_eq!(
            parse_nested_str_list("[['State institutions / political system', 'Media'], ['Other']]").unwrap(),
            vec![vec!["State institutions / political system", "Media"], vec!["Other"]]
        );
        assert_eq!(parse_nested_str_list("['a', 'b']").unwrap(), vec![vec!["a"], vec!["b"]]);
    }

    #[test]
    fn escapes_and_unicode() {
        assert_eq!(parse(r"'it\'s'").unwrap(), PyValue::Str("it's".into()));
        assert_eq!(parse(r"'caf\xe9'").unwrap(), PyValue::Str("café".into()));
        assert_eq!(parse("'Türkiye'").unwrap(), PyValue::Str("Türkiye".into()));
        assert_eq!(parse(r"'a\qb'").unwrap(), PyValue::Str(r"a\qb".into()));
        assert_eq!(parse(r"'\ü'").unwrap(), PyValue::Str(r"\ü".into()));
        assert_eq!(parse("[None, True, 1.5, (2,)]").unwrap(), PyValue::List(vec![
            PyValue::None,
            PyValue::Bool(true),
            PyValue::Num(1.5),
            PyValue::List(vec![PyValue::Num(2.0)])
        ]));
    }

    #[test]
    fn broken_syntax_is_an_error_with_offset() {
        let e = parse("['China', 'Russia'").unwrap_err();
        assert!(e.reason.contains("unclosed"), "{e}");
        let e = parse("['China' 'Russia']").unwrap_err();
        assert_eq!(e.offset, 9, "{e}");
        let e = parse("[China]").unwrap_err();
        assert!(e.reason.contains("quoted"), "{e}");
        assert!(parse("['unterminated]").is_err());
        assert!(parse("['a'] trailing").is_err());
        assert!(parse(&"[".repeat(1000)).is_err());
    }

    fn py_repr(s: &str) -> String {
        // Python's repr: single quotes unless the string holds a single quote and no double quote.
        let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
        let mut out = String::from(q);
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if c == q => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out.push(q);
        out
    }

    proptest! {
        #[test]
        fn round_trips_python_repr(items in proptest::collection::vec("[^\r\t\0]{0,20}", 0..6)) {
            let cell = format!("[{}]", items.iter().map(|s| py_repr(s)).collect::<Vec<_>>().join(", "));
            prop_assert_eq!(parse_str_list(&cell).unwrap(), items);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }
    }
}
