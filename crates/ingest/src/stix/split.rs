//! The bundle's outer structure, scanned without being parsed: the top-level value and the
//! `objects` array are walked byte by byte (strings skipped with `memchr`, brackets counted), and
//! each element of the array is handed to serde_json as one slice of the read buffer
//! (`Deserializer::from_slice`). serde_json's reader over `io::Read` pulls every byte through an
//! iterator and was most of the ingest's time; its slice reader scans strings in blocks and borrows
//! them. Memory holds the read buffer (1 MiB, or the largest object if larger).
//!
//! - A syntax error inside one element (its end found by brackets and strings) skips that element
//!   with its place and the reason, and the stream goes on; a syntax error in the structure between
//!   elements, or the end of the file inside one, ends the stream.
//! - Line and column in messages are the file's (counted from newlines as the buffer is consumed),
//!   the same numbers serde_json gives over the whole file.

use std::io::{self, Read};

use serde::de::{DeserializeSeed, IgnoredAny};

use super::object::ObjSeed;
use super::stream::{self, Handler, Place, Top};

/// Bytes read from the input at a time.
const CHUNK: usize = 1 << 20;

/// Why reading stopped.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(io::Error),
    Syntax(SyntaxError),
}

/// A syntax error (or a top level that is no STIX): `msg` ends with the file's line and column.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub msg: String,
    pub line: u64,
    pub column: u64,
}

impl SyntaxError {
    /// The place for a skip or an error: `$.objects[3] (line 5, column 9)`.
    pub fn at(&self, place: Place) -> String {
        format!("{place} (line {}, column {})", self.line, self.column)
    }
}

/// How a top-level read ended.
pub(crate) struct Parsed {
    pub top: Top,
    /// Non-whitespace data followed the top-level value.
    pub trailing: bool,
}

/// Reads one top-level JSON value from `src`, streaming the STIX objects into `handler`.
pub(crate) fn parse(src: &mut dyn Read, handler: &mut dyn Handler) -> Result<Parsed, ReadError> {
    let mut s = Scanner::new(src);
    s.skip_ws()?;
    let top = match s.peek()? {
        None => return Err(s.error_here("EOF while parsing a value")),
        Some(b'[') => {
            s.elements(handler, true)?;
            Top::Array
        }
        Some(b'{') => s.top_object(handler)?,
        Some(_) => {
            // Not a bundle, an object or an array: serde_json says what it is.
            s.keep = s.pos;
            s.value_end()?;
            let (line, col) = s.line_col(s.keep);
            let mut de = serde_json::Deserializer::from_slice(&s.buf[s.keep..s.pos]);
            stream::parse(&mut de, handler).map_err(|e| ReadError::Syntax(relocate(&e, line, col)))?
        }
    };
    s.skip_ws()?;
    let trailing = s.peek()?.is_some();
    Ok(Parsed { top, trailing })
}

struct Scanner<'r> {
    src: &'r mut dyn Read,
    buf: Vec<u8>,
    /// Bytes `buf[..end]` hold input.
    end: usize,
    /// The cursor.
    pos: usize,
    /// Bytes before `keep` may be dropped when the buffer is refilled.
    keep: usize,
    /// Offset in the input of `buf[0]`.
    base: u64,
    eof: bool,
    /// Newlines counted up to the input offset `tracked`: the line there (1-based) and the offset of
    /// that line's first byte.
    tracked: u64,
    line: u64,
    line_start: u64,
}

impl<'r> Scanner<'r> {
    fn new(src: &'r mut dyn Read) -> Self {
        Scanner {
            src,
            buf: vec![0; CHUNK],
            end: 0,
            pos: 0,
            keep: 0,
            base: 0,
            eof: false,
            tracked: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Reads more input after `end`, first dropping the bytes before `keep` (the cursors move with
    /// them). Returns false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.keep > 0 {
            self.count_lines(self.base + self.keep as u64);
            self.buf.copy_within(self.keep..self.end, 0);
            self.end -= self.keep;
            self.pos -= self.keep;
            self.base += self.keep as u64;
            self.keep = 0;
            if self.buf.len() > 4 * CHUNK && self.end < CHUNK {
                // A large object is behind us: give its room back.
                self.buf.truncate(CHUNK);
                self.buf.shrink_to_fit();
            }
        }
        if self.end == self.buf.len() {
            let grown = self.buf.len() * 2;
            self.buf.resize(grown, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The byte at the cursor, reading more input if needed; `None` at the end of the input.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.end && !self.fill()? {
            return Ok(None);
        }
        Ok(Some(self.buf[self.pos]))
    }

    fn skip_ws(&mut self) -> io::Result<()> {
        while let Some(b) = self.peek()? {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos += 1;
        }
        Ok(())
    }

    /// Moves the cursor past the string whose opening quote is just before it. False when the input
    /// ends first.
    fn string_end(&mut self) -> io::Result<bool> {
        loop {
            match memchr::memchr2(b'"', b'\\', &self.buf[self.pos..self.end]) {
                Some(k) => {
                    self.pos += k + 1;
                    if self.buf[self.pos - 1] == b'"' {
                        return Ok(true);
                    }
                    // A backslash: the next byte is escaped, whatever it is.
                    if self.peek()?.is_none() {
                        return Ok(false);
                    }
                    self.pos += 1;
                }
                None => {
                    self.pos = self.end;
                    if !self.fill()? {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Moves the cursor past the JSON value that starts at it: a string, an object or array (by
    /// counting brackets outside strings), or a scalar (up to the next delimiter). False when the
    /// input ends first. The value is not checked: serde_json parses it afterwards.
    fn value_end(&mut self) -> io::Result<bool> {
        let mut depth = 0u64;
        loop {
            let Some(b) = self.peek()? else { return Ok(false) };
            match b {
                b'"' => {
                    self.pos += 1;
                    if !self.string_end()? {
                        return Ok(false);
                    }
                    if depth == 0 {
                        return Ok(true);
                    }
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    if depth == 0 {
                        return Ok(true);
                    }
                    depth -= 1;
                    self.pos += 1;
                    if depth == 0 {
                        return Ok(true);
                    }
                }
                b',' | b' ' | b'\n' | b'\r' | b'\t' if depth == 0 => return Ok(true),
                _ => self.pos += 1,
            }
        }
    }

    /// Counts newlines up to the input offset `to` (which must still be in the buffer).
    fn count_lines(&mut self, to: u64) {
        if to <= self.tracked {
            return;
        }
        let from = usize::try_from(self.tracked - self.base).unwrap_or(0);
        let upto = usize::try_from(to - self.base).unwrap_or(self.end).min(self.end);
        for i in memchr::memchr_iter(b'\n', &self.buf[from..upto]) {
            self.line += 1;
            self.line_start = self.base + (from + i + 1) as u64;
        }
        self.tracked = to;
    }

    /// Line (1-based) and the number of bytes before `at` on that line.
    fn line_col(&mut self, at: usize) -> (u64, u64) {
        let off = self.base + at as u64;
        self.count_lines(off);
        (self.line, off.saturating_sub(self.line_start))
    }

    /// A syntax error at the cursor, with the file's line and column.
    fn error_here(&mut self, msg: &str) -> ReadError {
        let (line, col) = self.line_col(self.pos);
        let column = if self.pos < self.end { col + 1 } else { col };
        ReadError::Syntax(SyntaxError { msg: format!("{msg} at line {line} column {column}"), line, column })
    }

    /// Streams the array at the cursor, element by element, into `h`.
    fn elements(&mut self, h: &mut dyn Handler, top_array: bool) -> Result<(), ReadError> {
        self.pos += 1;
        self.skip_ws()?;
        if self.peek()? == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut i = 0u64;
        loop {
            let place = if top_array { Place::Array(i) } else { Place::Objects(i) };
            h.begin(place);
            self.skip_ws()?;
            self.keep = self.pos;
            let complete = self.value_end()?;
            if self.pos == self.keep {
                return Err(match self.peek()? {
                    None => self.error_here("EOF while parsing a value"),
                    Some(b']') => self.error_here("trailing comma"),
                    Some(_) => self.error_here("expected value"),
                });
            }
            let (line, col) = self.line_col(self.keep);
            let mut de = serde_json::Deserializer::from_slice(&self.buf[self.keep..self.pos]);
            match ObjSeed.deserialize(&mut de).and_then(|o| de.end().map(|()| o)) {
                Ok(obj) => h.object(place, obj),
                Err(e) if complete => h.invalid(place, relocate(&e, line, col)),
                Err(e) => return Err(ReadError::Syntax(relocate(&e, line, col))),
            }
            self.keep = self.pos;
            i += 1;
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.keep = self.pos;
                    return Ok(());
                }
                None => return Err(self.error_here("EOF while parsing a list")),
                Some(_) => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    /// A top-level object: a bundle (its `objects` array streamed), or one STIX object.
    fn top_object(&mut self, h: &mut dyn Handler) -> Result<Top, ReadError> {
        // Until an `objects` array is met, the whole object stays in the buffer, so a single-object
        // file is parsed in one piece with exact positions.
        self.keep = self.pos;
        let (line0, col0) = self.line_col(self.pos);
        self.pos += 1;
        // Once streaming: the other members, as a JSON object to check.
        let mut rest: Option<Vec<u8>> = None;
        let mut first = true;
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some(b'}') if first => {
                    self.pos += 1;
                    break;
                }
                Some(b'}') => return Err(self.error_here("trailing comma")),
                Some(b'"') => {}
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("key must be a string")),
            }
            first = false;
            let key_at = self.pos - self.keep;
            self.pos += 1;
            if !self.string_end()? {
                return Err(self.error_here("EOF while parsing a string"));
            }
            let key_raw = &self.buf[self.keep + key_at..self.pos];
            let is_objects = key_raw == b"\"objects\"";
            self.skip_ws()?;
            match self.peek()? {
                Some(b':') => self.pos += 1,
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `:`")),
            }
            self.skip_ws()?;
            if is_objects && self.peek()? == Some(b'[') {
                if rest.is_none() {
                    rest = Some(self.buf[self.keep..self.keep + key_at].to_vec());
                }
                self.elements(h, false)?;
            } else {
                let value_at = self.pos;
                if !self.value_end()? || self.pos == value_at {
                    return Err(match self.peek()? {
                        None => self.error_here("EOF while parsing a value"),
                        Some(_) => self.error_here("expected value"),
                    });
                }
                if let Some(r) = rest.as_mut() {
                    r.extend_from_slice(&self.buf[self.keep + key_at..self.pos]);
                    r.push(b',');
                    self.keep = self.pos;
                }
            }
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => {
                    self.pos += 1;
                    if rest.is_some() {
                        self.keep = self.pos;
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `,` or `}`")),
            }
        }
        match rest {
            None => {
                let mut de = serde_json::Deserializer::from_slice(&self.buf[self.keep..self.pos]);
                let top = stream::parse(&mut de, h).map_err(|e| ReadError::Syntax(relocate(&e, line0, col0)))?;
                self.keep = self.pos;
                Ok(top)
            }
            Some(mut r) => {
                // The bundle's own members (`type`, `id`, …) are not used; they must be valid JSON.
                while r.last().is_some_and(|b| *b == b',' || b.is_ascii_whitespace()) {
                    r.pop();
                }
                r.push(b'}');
                self.keep = self.pos;
                serde_json::from_slice::<IgnoredAny>(&r).map_err(|e| {
                    let msg = strip_position(&e);
                    let column = col0 + 1;
                    let msg = format!("{msg} in the bundle's properties, which start at line {line0} column {column}");
                    ReadError::Syntax(SyntaxError { msg, line: line0, column })
                })?;
                Ok(Top::Bundle)
            }
        }
    }
}

/// serde_json's message without its own " at line L column C".
fn strip_position(e: &serde_json::Error) -> String {
    let mut msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    if msg.ends_with(&suffix) {
        msg.truncate(msg.len() - suffix.len());
    }
    msg
}

/// An error of serde_json over a slice that starts at line `line0` with `col0` bytes before it on
/// that line, placed in the file.
/// (A slice reader has no I/O errors.)
fn relocate(e: &serde_json::Error, line0: u64, col0: u64) -> SyntaxError {
    let (l, c) = (e.line() as u64, e.column() as u64);
    let (line, column) = if l <= 1 { (line0, col0 + c) } else { (line0 + l - 1, c) };
    SyntaxError { msg: format!("{} at line {line} column {column}", strip_position(e)), line, column }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;
    use crate::stix::object::Obj;

    /// Records what the scanner hands over.
    #[derive(Default)]
    struct Events {
        objects: Vec<(String, Option<String>)>,
        invalid: Vec<(String, u64, u64, String)>,
    }

    impl Handler for Events {
        fn begin(&mut self, _place: Place) {}
        fn object(&mut self, place: Place, obj: Obj) {
            self.objects.push((place.to_string(), obj.id));
        }
        fn invalid(&mut self, place: Place, error: SyntaxError) {
            self.invalid.push((place.to_string(), error.line, error.column, error.msg));
        }
    }

    /// A reader that returns at most `n` bytes per call, to put buffer refills everywhere.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn run(text: &str, step: usize) -> (Result<Parsed, ReadError>, Events) {
        let mut ev = Events::default();
        let r = parse(&mut Trickle(text.as_bytes(), step), &mut ev);
        (r, ev)
    }

    fn bundle(objects: &[String]) -> String {
        format!("{{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--1\",\n  \"objects\": [\n    {}\n  ]\n}}\n", objects.join(",\n    "))
    }

    fn obj(i: usize) -> String {
        format!(
            "{{\"type\": \"campaign\", \"id\": \"campaign--{i}\", \"name\": \"a \\\"quoted\\\" \\\\ name {{[\",\n      \"x_nested\": {{\"a\": [1, {{\"b\": \"]}}\"}}]}}, \"labels\": []}}"
        )
    }

    #[test]
    fn every_object_is_read_whatever_the_read_sizes() {
        let objs: Vec<String> = (0..20).map(obj).collect();
        let text = bundle(&objs);
        for step in [1, 2, 3, 7, 64, 1 << 20] {
            let (r, ev) = run(&text, step);
            let p = r.unwrap_or_else(|e| panic!("step {step}: {e:?}"));
            assert_eq!(p.top, Top::Bundle);
            assert!(!p.trailing);
            assert_eq!(ev.objects.len(), 20, "step {step}");
            assert_eq!(ev.objects[19], ("$.objects[19]".to_string(), Some("campaign--19".to_string())));
            assert!(ev.invalid.is_empty());
        }
    }

    /// A syntax error inside an element is placed where serde_json, reading the whole file, places it.
    #[test]
    fn an_invalid_object_is_skipped_at_serde_jsons_position_and_the_rest_is_read() {
        let mut objs: Vec<String> = (0..5).map(obj).collect();
        objs[2] = objs[2].replace("\"labels\": []", "\"labels\": [tru]");
        let text = bundle(&objs);
        let whole = serde_json::from_str::<serde_json::Value>(&text).unwrap_err();
        for step in [1, 5, 1 << 20] {
            let (r, ev) = run(&text, step);
            assert!(r.is_ok());
            assert_eq!(ev.objects.len(), 4);
            assert_eq!(ev.objects[2].0, "$.objects[3]");
            let (place, line, column, msg) = &ev.invalid[0];
            assert_eq!(place, "$.objects[2]");
            assert_eq!((*line, *column), (whole.line() as u64, whole.column() as u64), "{msg} vs {whole}");
            assert_eq!(msg, &whole.to_string());
        }
    }

    #[test]
    fn a_file_cut_short_ends_the_stream_at_serde_jsons_position() {
        let objs: Vec<String> = (0..6).map(obj).collect();
        let text = bundle(&objs);
        for cut in [text.find("campaign--4").unwrap(), text.len() - 3, text.find("x_nested").unwrap() + 3] {
            let part = &text[..cut];
            let whole = serde_json::from_str::<serde_json::Value>(part).unwrap_err();
            let (r, _) = run(part, 3);
            let Err(ReadError::Syntax(SyntaxError { msg, line, column })) = r else { panic!("cut at {cut}: not an error") };
            assert_eq!((line, column), (whole.line() as u64, whole.column() as u64), "cut at {cut}: {msg} vs {whole}");
            assert!(msg.contains("EOF"), "{msg}");
        }
    }

    /// Errors in the structure between elements read as serde_json's over the whole file.
    #[test]
    fn structure_errors_read_as_serde_jsons() {
        for text in [
            "",
            "   \n ",
            "{\"objects\": [{\"type\": \"x\"} {}]}",
            "{\"objects\": [], }",
            "{\"objects\": [{}, ]}",
            "{\"objects\": []\n x",
            "{\"objects\" []}",
            "{1: 2}",
            "[{}, {}",
            "{\"objects\": [{}, {}",
        ] {
            let whole = serde_json::from_str::<serde_json::Value>(text).unwrap_err().to_string();
            for step in [1, 1 << 20] {
                let (r, _) = run(text, step);
                let Err(ReadError::Syntax(SyntaxError { msg, .. })) = r else { panic!("{text}: not an error") };
                assert_eq!(msg, whole, "{text:?}");
            }
        }
    }

    #[test]
    fn single_objects_arrays_and_other_members() {
        let (r, ev) = run(&obj(7), 4);
        assert_eq!(r.unwrap().top, Top::Object);
        assert_eq!(ev.objects, [("$".to_string(), Some("campaign--7".to_string()))]);
        let (r, ev) = run(&format!("[{}, {}] \n", obj(1), obj(2)), 4);
        assert_eq!(r.unwrap().top, Top::Array);
        assert_eq!(ev.objects[1].0, "$[1]");
        // Members after `objects` are checked; trailing data is reported.
        let (r, ev) = run(&format!("{{\"objects\": [{}], \"id\": \"bundle--1\", \"type\": \"bundle\"}} x", obj(1)), 4);
        let p = r.unwrap();
        assert_eq!((p.top, p.trailing, ev.objects.len()), (Top::Bundle, true, 1));
        let (r, _) = run(&format!("{{\"objects\": [{}], \"id\": bundle}}", obj(1)), 4);
        let Err(ReadError::Syntax(SyntaxError { msg, .. })) = r else { panic!("not an error") };
        assert!(msg.contains("in the bundle's properties"), "{msg}");
        // A top level that is not STIX: serde_json's message, placed in the file.
        let (r, _) = run("\n  42", 1);
        let Err(ReadError::Syntax(SyntaxError { msg, line, column })) = r else { panic!("not an error") };
        assert!(msg.contains("expected a STIX bundle"), "{msg}");
        assert_eq!((line, column), (2, 4), "{msg}");
    }
}
