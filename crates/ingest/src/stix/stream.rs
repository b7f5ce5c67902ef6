//! The streaming layer's serde side: a `DeserializeSeed` over a top-level JSON value that hands each
//! element of a bundle's `objects` array to a [`Handler`] as soon as it is parsed. Files are read
//! through [`super::split`], which finds the elements itself and uses this for a top level that is
//! one object (or no STIX at all).
//!
//! Accepted shapes: a bundle (`{"type": "bundle", "objects": […]}`, keys in any order), a single
//! STIX object (`{"type": "campaign", …}`), or a JSON array of objects.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::object::{Field, Obj, ObjSeed, read_field};

/// Where an object sits in the input, for messages: `$.objects[12]`, `$[3]` or `$`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Objects(u64),
    Array(u64),
    Root,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Objects(i) => write!(f, "$.objects[{i}]"),
            Place::Array(i) => write!(f, "$[{i}]"),
            Place::Root => f.write_str("$"),
        }
    }
}

/// Receives objects as they are parsed.
pub(crate) trait Handler {
    /// Parsing of the object at `place` starts (so a syntax error inside it can name it).
    fn begin(&mut self, place: Place);
    fn object(&mut self, place: Place, obj: Obj);
    /// The object at `place` is not valid JSON (its end was found, so the stream goes on).
    fn invalid(&mut self, place: Place, error: super::split::SyntaxError);
}

/// What the top level was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Top {
    Bundle,
    Object,
    Array,
}

/// Parses one top-level JSON value from `d`, streaming its objects into `handler`.
pub(crate) fn parse<'de, D: Deserializer<'de>>(d: D, handler: &mut dyn Handler) -> Result<Top, D::Error> {
    d.deserialize_any(TopVisitor { handler })
}

struct TopVisitor<'h> {
    handler: &'h mut dyn Handler,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a STIX bundle, a STIX object or an array of STIX objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Obj::default();
        let mut streamed = false;
        while let Some(field) = map.next_key::<Field>()? {
            if field == Field::Objects {
                map.next_value_seed(ObjectsSeed { handler: &mut *self.handler, array: false })?;
                streamed = true;
            } else {
                read_field(&mut map, &mut top, field)?;
            }
        }
        match top.type_.as_deref() {
            Some("bundle") => Ok(Top::Bundle),
            Some(_) if !streamed => {
                self.handler.begin(Place::Root);
                self.handler.object(Place::Root, top);
                Ok(Top::Object)
            }
            _ if streamed => Ok(Top::Bundle),
            _ => Err(de::Error::custom("neither a STIX bundle nor a STIX object (no \"type\" property)")),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        ObjectsSeed { handler: self.handler, array: true }.visit_seq(seq)?;
        Ok(Top::Array)
    }
}

/// The `objects` array (or a top-level array), element by element.
struct ObjectsSeed<'h> {
    handler: &'h mut dyn Handler,
    /// A top-level array (`$[i]`) rather than a bundle's `objects` (`$.objects[i]`).
    array: bool,
}

impl<'de> DeserializeSeed<'de> for ObjectsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ObjectsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of STIX objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0u64;
        loop {
            let place = if self.array { Place::Array(i) } else { Place::Objects(i) };
            self.handler.begin(place);
            match seq.next_element_seed(ObjSeed)? {
                Some(obj) => self.handler.object(place, obj),
                None => return Ok(()),
            }
            i += 1;
        }
    }
}
