//! Lenient JSON value readers: each accepts one shape (a string, a list of strings, a STIX id…)
//! and turns any other JSON kind into `Err(kind found)` after consuming it, so a wrong type is a
//! problem to report, not a parse failure.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::id::{Key, Kind};

/// What a lenient read found: the value, or the JSON kind found instead (`a number`).
pub(super) type Found<T> = Result<T, &'static str>;

/// A value shape the lenient visitor accepts; every other JSON kind becomes `Err(kind)`.
pub(super) trait Accept<'de>: Sized {
    type Out;
    fn null(self) -> Found<Self::Out>;
    fn string(self, _s: &str) -> Found<Self::Out> {
        Err("a string")
    }
    fn integer(self, _v: i128) -> Found<Self::Out> {
        Err("a number")
    }
    fn boolean(self, _v: bool) -> Found<Self::Out> {
        Err("a boolean")
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found<Self::Out>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Self::Out>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err("an object"))
    }
}

/// Seed that reads any JSON value through an [`Accept`].
pub(super) struct Lenient<T>(pub T);

impl<'de, T: Accept<'de>> DeserializeSeed<'de> for Lenient<T> {
    type Value = Found<T::Out>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Accept<'de>> Visitor<'de> for Lenient<T> {
    type Value = Found<T::Out>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.string(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.0.integer(i128::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.0.integer(i128::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // STIX integers written as 75.0 still count; fractions are the wrong type.
        if v.fract() == 0.0 && v.abs() < 1e18 {
            #[allow(clippy::cast_possible_truncation)]
            return Ok(self.0.integer(v as i128));
        }
        Ok(Err("a fractional number"))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.0.boolean(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.null())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.null())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.map(map)
    }
}

pub(super) struct StrA;
impl Accept<'_> for StrA {
    type Out = Option<String>;
    fn null(self) -> Found<Option<String>> {
        Ok(None)
    }
    fn string(self, s: &str) -> Found<Option<String>> {
        Ok(Some(s.to_string()))
    }
}

/// A list of strings (a single string counts as a list of one).
pub(super) struct StrListA;
impl<'de> Accept<'de> for StrListA {
    type Out = Vec<String>;
    fn null(self) -> Found<Vec<String>> {
        Ok(Vec::new())
    }
    fn string(self, s: &str) -> Found<Vec<String>> {
        Ok(vec![s.to_string()])
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found<Vec<String>>, A::Error> {
        let mut out = Vec::new();
        let mut bad = None;
        while let Some(v) = seq.next_element_seed(Lenient(StrA))? {
            match v {
                Ok(Some(s)) => out.push(s),
                Ok(None) => {}
                Err(k) => bad = bad.or(Some(k)),
            }
        }
        Ok(match bad {
            None => Ok(out),
            Some(_) => Err("an array with a non-string element"),
        })
    }
}

pub(super) struct IntA;
impl Accept<'_> for IntA {
    type Out = Option<i64>;
    fn null(self) -> Found<Option<i64>> {
        Ok(None)
    }
    fn integer(self, v: i128) -> Found<Option<i64>> {
        i64::try_from(v).map(Some).map_err(|_| "a number out of range")
    }
}

pub(super) struct BoolA;
impl Accept<'_> for BoolA {
    type Out = Option<bool>;
    fn null(self) -> Found<Option<bool>> {
        Ok(None)
    }
    fn boolean(self, v: bool) -> Found<Option<bool>> {
        Ok(Some(v))
    }
}

pub(super) struct RefA;
impl Accept<'_> for RefA {
    type Out = Option<Key>;
    fn null(self) -> Found<Option<Key>> {
        Ok(None)
    }
    fn string(self, s: &str) -> Found<Option<Key>> {
        Key::parse(s).map(Some).ok_or("a string that is no STIX identifier")
    }
}

/// A list of references, keeping those `keep` accepts (parsed without allocating a string each).
pub(super) struct RefListA {
    pub keep: fn(Kind) -> bool,
}
impl<'de> Accept<'de> for RefListA {
    type Out = Vec<Key>;
    fn null(self) -> Found<Vec<Key>> {
        Ok(Vec::new())
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found<Vec<Key>>, A::Error> {
        let mut out = Vec::new();
        let mut bad = None;
        while let Some(v) = seq.next_element_seed(Lenient(RefA))? {
            match v {
                Ok(Some(k)) if (self.keep)(k.kind) => out.push(k),
                Ok(_) => {}
                Err(k) => bad = bad.or(Some(k)),
            }
        }
        Ok(match bad {
            None => Ok(out),
            Some(_) => Err("an array with an element that is no STIX identifier"),
        })
    }
}

/// Map keys compared without allocating; the index of the matching name, if any.
pub(super) struct KeyOf(pub &'static [&'static str]);
impl<'de> DeserializeSeed<'de> for KeyOf {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}
impl Visitor<'_> for KeyOf {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|n| *n == v))
    }
}

/// `external_references`: (`source_name`, `external_id`) of each entry that has an `external_id`.
pub(super) struct ExtRefsA;
impl<'de> Accept<'de> for ExtRefsA {
    type Out = Vec<(String, String)>;
    fn null(self) -> Found<Self::Out> {
        Ok(Vec::new())
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found<Self::Out>, A::Error> {
        let mut out = Vec::new();
        let mut bad = None;
        while let Some(v) = seq.next_element_seed(Lenient(ExtRefA))? {
            match v {
                Ok(Some(pair)) => out.push(pair),
                Ok(None) => {}
                Err(k) => bad = bad.or(Some(k)),
            }
        }
        Ok(match bad {
            None => Ok(out),
            Some(_) => Err("an array with an entry that is no object"),
        })
    }
}

pub(super) struct ExtRefA;
impl<'de> Accept<'de> for ExtRefA {
    type Out = Option<(String, String)>;
    fn null(self) -> Found<Self::Out> {
        Ok(None)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Self::Out>, A::Error> {
        let (mut source, mut ext) = (None, None);
        while let Some(k) = map.next_key_seed(KeyOf(&["source_name", "external_id"]))? {
            match k {
                Some(i) => {
                    let v = map.next_value_seed(Lenient(StrA))?.ok().flatten();
                    if i == 0 { source = v } else { ext = v }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Ok(ext.map(|e| (source.unwrap_or_default(), e))))
    }
}

/// `definition` of a TLP 1.0 marking: its `tlp` member.
pub(super) struct DefinitionA;
impl<'de> Accept<'de> for DefinitionA {
    type Out = Option<String>;
    fn null(self) -> Found<Self::Out> {
        Ok(None)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Self::Out>, A::Error> {
        let mut tlp = None;
        while let Some(k) = map.next_key_seed(KeyOf(&["tlp"]))? {
            match k {
                Some(_) => tlp = map.next_value_seed(Lenient(StrA))?.ok().flatten(),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Ok(tlp))
    }
}

/// `extensions`: the `tlp_2_0` member of any extension (the TLP 2.0 marking extension).
pub(super) struct ExtensionsA;
impl<'de> Accept<'de> for ExtensionsA {
    type Out = Option<String>;
    fn null(self) -> Found<Self::Out> {
        Ok(None)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Self::Out>, A::Error> {
        let mut tlp = None;
        while map.next_key::<IgnoredAny>()?.is_some() {
            if let Ok(Some(t)) = map.next_value_seed(Lenient(Tlp20A))? {
                tlp = Some(t);
            }
        }
        Ok(Ok(tlp))
    }
}

pub(super) struct Tlp20A;
impl<'de> Accept<'de> for Tlp20A {
    type Out = Option<String>;
    fn null(self) -> Found<Self::Out> {
        Ok(None)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<Self::Out>, A::Error> {
        let mut tlp = None;
        while let Some(k) = map.next_key_seed(KeyOf(&["tlp_2_0"]))? {
            match k {
                Some(_) => tlp = map.next_value_seed(Lenient(StrA))?.ok().flatten(),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Ok(tlp))
    }
}

