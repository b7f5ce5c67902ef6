//! JSON helpers for the record-per-object formats (VERIS, MISP, ATLAS after YAML parsing):
//! streaming over a top-level array (or one object, or concatenated objects) one element at a time,
//! and path-aware accessors whose errors name the place (`$[3].timeline.incident.year`).

use std::fmt;
use std::io::{BufReader, Read};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use std::path::Path;

use crate::{IngestError, Sink, Skipped};

/// `input` without a leading UTF-8 byte-order mark (Windows tools write one; JSON parsers reject it).
pub(crate) fn without_bom(input: &mut dyn Read) -> std::io::Result<std::io::Chain<std::io::Cursor<Vec<u8>>, &mut dyn Read>> {
    let mut head = Vec::with_capacity(3);
    while head.len() < 3 {
        let mut b = [0u8; 3];
        let n = input.read(&mut b[..3 - head.len()])?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&b[..n]);
    }
    if head == b"\xEF\xBB\xBF" {
        head.clear();
    }
    Ok(std::io::Cursor::new(head).chain(input))
}

/// Receives each streamed record with its JSON path.
pub(crate) type OnValue<'a> = dyn FnMut(String, Value) + 'a;

/// Streams the records of `input`: each element of a top-level array (`$[i]`), each element of the
/// array under `stream_key` in a top-level object (`$.response[i]`), or the top-level object itself
/// (`$`). Concatenated top-level values are read one after the other (`$2`, `$3`, … for the second and
/// later ones). Memory holds one record at a time.
///
/// Returns the number of records delivered, or the parse error (its line and column say where).
pub(crate) fn for_each_record(
    input: &mut dyn Read,
    stream_key: Option<&str>,
    on_value: &mut OnValue<'_>,
) -> Result<u64, serde_json::Error> {
    let reader = BufReader::with_capacity(1 << 16, without_bom(input).map_err(serde_json::Error::io)?);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut count = 0u64;
    let mut doc = 1u64;
    loop {
        let prefix = if doc == 1 { "$".to_string() } else { format!("${doc}") };
        TopSeed { prefix: &prefix, stream_key, on_value, count: &mut count }.deserialize(&mut de)?;
        if de.end().is_ok() {
            return Ok(count);
        }
        doc += 1;
    }
}

struct TopSeed<'s, 'f> {
    prefix: &'s str,
    stream_key: Option<&'s str>,
    on_value: &'s mut OnValue<'f>,
    count: &'s mut u64,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        stream_seq(seq, self.prefix, self.on_value, self.count)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut obj = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if self.stream_key == Some(key.as_str()) {
                let path = format!("{}.{key}", self.prefix);
                // One level only: a nested object under the key is one record, an array is streamed.
                map.next_value_seed(TopSeed {
                    prefix: &path,
                    stream_key: None,
                    on_value: &mut *self.on_value,
                    count: &mut *self.count,
                })?;
                streamed = true;
            } else {
                let v: Value = map.next_value()?;
                obj.insert(key, v);
            }
        }
        if !streamed {
            *self.count += 1;
            (self.on_value)(self.prefix.to_string(), Value::Object(obj));
        }
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(Value::String(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Value::Null)
    }
}

impl TopSeed<'_, '_> {
    /// A scalar at the top is delivered as a record so the reader can say it is not an object.
    fn scalar<E>(self, v: Value) -> Result<(), E> {
        *self.count += 1;
        (self.on_value)(self.prefix.to_string(), v);
        Ok(())
    }
}

fn stream_seq<'de, A: SeqAccess<'de>>(
    mut seq: A,
    prefix: &str,
    on_value: &mut OnValue<'_>,
    count: &mut u64,
) -> Result<(), A::Error> {
    let mut i = 0u64;
    while let Some(v) = seq.next_element::<Value>()? {
        *count += 1;
        on_value(format!("{prefix}[{i}]"), v);
        i += 1;
    }
    Ok(())
}

/// A JSON value and its path, so every error names the place (`$[3].timeline.incident.year`).
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    pub path: String,
}

/// `a string`, `an array`… for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Node<'a> {
    pub fn new(value: &'a Value, path: impl Into<String>) -> Self {
        Node { value, path: path.into() }
    }

    /// A skip at this node.
    pub fn skip(&self, reason: impl Into<String>) -> Skipped {
        Skipped { place: self.path.clone(), reason: reason.into() }
    }

    /// `expected an object, found a string` at this node.
    pub fn wrong(&self, expected: &str) -> Skipped {
        self.skip(format!("expected {expected}, found {}", kind(self.value)))
    }

    /// The member `key`; `None` when absent or null. Errors when this node is not an object.
    pub fn get(&self, key: &str) -> Result<Option<Node<'a>>, Skipped> {
        match self.value {
            Value::Object(m) => Ok(m
                .get(key)
                .filter(|v| !v.is_null())
                .map(|v| Node { value: v, path: format!("{}.{key}", self.path) })),
            Value::Null => Ok(None),
            _ => Err(self.wrong("an object")),
        }
    }

    /// The member at `keys` (each step must be an object).
    pub fn at(&self, keys: &[&str]) -> Result<Option<Node<'a>>, Skipped> {
        let mut cur = self.clone();
        for k in keys {
            match cur.get(k)? {
                Some(n) => cur = n,
                None => return Ok(None),
            }
        }
        Ok(Some(cur))
    }

    pub fn as_str(&self) -> Result<&'a str, Skipped> {
        self.value.as_str().ok_or_else(|| self.wrong("a string"))
    }

    /// The string member `key`, trimmed; `None` when absent, null or blank.
    pub fn str_at(&self, key: &str) -> Result<Option<&'a str>, Skipped> {
        match self.get(key)? {
            None => Ok(None),
            Some(n) => {
                let s = n.as_str()?.trim();
                Ok(if s.is_empty() { None } else { Some(s) })
            }
        }
    }

    /// A list of strings at `key`: absent is empty, a single string is a list of one.
    pub fn str_list(&self, key: &str) -> Result<Vec<&'a str>, Skipped> {
        let Some(n) = self.get(key)? else { return Ok(Vec::new()) };
        match n.value {
            Value::String(s) => Ok(vec![s.as_str()]),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    match v {
                        Value::String(s) => out.push(s.as_str()),
                        Value::Null => {}
                        other => {
                            return Err(Skipped {
                                place: format!("{}[{i}]", n.path),
                                reason: format!("expected a string, found {}", kind(other)),
                            });
                        }
                    }
                }
                Ok(out)
            }
            _ => Err(n.wrong("a string or a list of strings")),
        }
    }

    /// The elements at `key`: absent is empty, a single object is a list of one.
    pub fn items(&self, key: &str) -> Result<Vec<Node<'a>>, Skipped> {
        let Some(n) = self.get(key)? else { return Ok(Vec::new()) };
        match n.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Node { value: v, path: format!("{}[{i}]", n.path) })
                .collect()),
            Value::Object(_) => Ok(vec![n]),
            _ => Err(n.wrong("a list")),
        }
    }

    /// An integer at `key` (a JSON integer or a string of digits, as MISP writes ids).
    pub fn int_at(&self, key: &str) -> Result<Option<i64>, Skipped> {
        let Some(n) = self.get(key)? else { return Ok(None) };
        match n.value {
            Value::Number(x) => x.as_i64().map(Some).ok_or_else(|| n.skip(format!("expected an integer, found {x}"))),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => {
                s.trim().parse().map(Some).map_err(|_| n.skip(format!("expected an integer, found {s:?}")))
            }
            _ => Err(n.wrong("an integer")),
        }
    }
}

/// Describes a JSON parse error with its line and column.
pub(crate) fn place_of(e: &serde_json::Error) -> String {
    format!("line {}, column {}", e.line(), e.column())
}

/// Turns a JSON parse error into a file error (nothing read yet) or a skip (the rest is lost).
pub(crate) fn json_error(path: &Path, e: serde_json::Error, read_so_far: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    if e.is_io() {
        return Err(IngestError::Io { path: path.to_path_buf(), source: e.into() });
    }
    if read_so_far == 0 {
        return Err(IngestError::Invalid { path: path.to_path_buf(), place: place_of(&e), reason: format!("not valid JSON: {e}") });
    }
    sink.skip(Skipped { place: place_of(&e), reason: format!("invalid JSON, the rest of the file was not read: {e}") });
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn collect(input: &str, key: Option<&str>) -> Result<Vec<(String, Value)>, serde_json::Error> {
        let mut out = Vec::new();
        let mut bytes = input.as_bytes();
        for_each_record(&mut bytes, key, &mut |p, v| out.push((p, v)))?;
        Ok(out)
    }

    #[test]
    fn streams_arrays_objects_and_keys() {
        let got = collect("[{\"a\":1},{\"a\":2}]", None).unwrap();
        assert_eq!(got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["$[0]", "$[1]"]);
        let got = collect("{\"a\":1}", None).unwrap();
        assert_eq!(got[0].0, "$");
        let got = collect("{\"x\":0,\"response\":[{\"Event\":{}},{\"Event\":{}}]}", Some("response")).unwrap();
        assert_eq!(got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["$.response[0]", "$.response[1]"]);
        let got = collect("{\"a\":1}\n{\"a\":2}\n", None).unwrap();
        assert_eq!(got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["$", "$2"]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let mut bytes: &[u8] = b"\xEF\xBB\xBF[{\"a\":1}]";
        let mut n = 0;
        for_each_record(&mut bytes, None, &mut |_, _| n += 1).unwrap();
        assert_eq!(n, 1);
        let mut short: &[u8] = b"[]";
        let mut rest = Vec::new();
        without_bom(&mut short).unwrap().read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"[]");
    }

    #[test]
    fn syntax_errors_keep_what_was_read() {
        let mut seen = 0;
        let mut bytes: &[u8] = b"[{\"a\":1},{\"a\":";
        let err = for_each_record(&mut bytes, None, &mut |_, _| seen += 1).unwrap_err();
        assert_eq!(seen, 1);
        assert!(place_of(&err).starts_with("line 1"), "{err}");
    }

    #[test]
    fn node_paths_name_the_place() {
        let v: Value = serde_json::from_str(r#"{"t":{"y":"x","l":["a",1]}}"#).unwrap();
        let n = Node::new(&v, "$");
        let err = n.at(&["t"]).unwrap().unwrap().int_at("y").unwrap_err();
        assert_eq!(err.place, "$.t.y");
        let err = n.at(&["t"]).unwrap().unwrap().str_list("l").unwrap_err();
        assert_eq!(err.place, "$.t.l[1]");
        assert_eq!(err.reason, "expected a string, found a number");
        assert!(n.at(&["t", "y", "z"]).is_err());
        assert!(n.at(&["missing", "z"]).unwrap().is_none());
    }
}
