//! Compact STIX identifiers: `type--uuid` as a type tag and 128 bits, so the summaries kept for a
//! bundle of millions of objects cost 32 bytes per reference instead of a 50-byte string.

use sha2::{Digest, Sha256};

/// The object types the reader keeps summaries of; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Incident,
    Campaign,
    Report,
    IntrusionSet,
    ThreatActor,
    Identity,
    Location,
    AttackPattern,
    Relationship,
    Sighting,
    MarkingDefinition,
    Other,
}

impl Kind {
    pub fn from_type(t: &str) -> Kind {
        match t {
            "incident" => Kind::Incident,
            "campaign" => Kind::Campaign,
            "report" => Kind::Report,
            "intrusion-set" => Kind::IntrusionSet,
            "threat-actor" => Kind::ThreatActor,
            "identity" => Kind::Identity,
            "location" => Kind::Location,
            "attack-pattern" => Kind::AttackPattern,
            "relationship" => Kind::Relationship,
            "sighting" => Kind::Sighting,
            "marking-definition" => Kind::MarkingDefinition,
            _ => Kind::Other,
        }
    }

    /// Intrusion sets and threat actors: who attributions name.
    pub fn is_actor(self) -> bool {
        matches!(self, Kind::IntrusionSet | Kind::ThreatActor)
    }

    /// Objects a report's `object_refs` may usefully point to.
    pub fn is_report_ref(self) -> bool {
        matches!(
            self,
            Kind::Incident
                | Kind::Campaign
                | Kind::IntrusionSet
                | Kind::ThreatActor
                | Kind::Identity
                | Kind::Location
                | Kind::AttackPattern
        )
    }
}

/// A STIX id: its type and its UUID (or, for ids whose suffix is no UUID, 128 bits of its SHA-256),
/// as two `u64` so the key is 24 bytes (a `u128` would align it to 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Key {
    pub kind: Kind,
    hi: u64,
    lo: u64,
}

impl Key {
    /// `None` when `id` is not `type--suffix`.
    pub fn parse(id: &str) -> Option<Key> {
        let (t, rest) = split_type(id)?;
        if t.is_empty() || rest.is_empty() {
            return None;
        }
        let kind = Kind::from_type(t);
        let bits = match (kind, uuid_bits(rest)) {
            // Objects of other types are never kept, so their keys need not tell types apart: the
            // UUID is enough, and hashing every indicator's id cost 1% of a STIX ingest.
            (_, Some(b)) => b,
            (_, None) => hash_bits(id),
        };
        #[allow(clippy::cast_possible_truncation)] // splitting 128 bits into two halves
        Some(Key { kind, hi: (bits >> 64) as u64, lo: bits as u64 })
    }

    /// The 128 bits of the id.
    pub fn bits(self) -> u128 {
        (u128::from(self.hi) << 64) | u128::from(self.lo)
    }
}

/// `type--suffix` split at the first `--` (a byte search: `str::split_once` with a `&str` pattern
/// builds a two-way searcher per call).
pub(crate) fn split_type(id: &str) -> Option<(&str, &str)> {
    let b = id.as_bytes();
    let mut from = 0;
    while let Some(k) = memchr::memchr(b'-', &b[from..]) {
        let i = from + k;
        if b.get(i + 1) == Some(&b'-') {
            return Some((&id[..i], &id[i + 2..]));
        }
        from = i + 1;
    }
    None
}

/// Hex digit values; 0xFF for any other byte.
const HEX: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

fn uuid_bits(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let mut v: u128 = 0;
    let mut bad = 0u8;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            continue;
        }
        let d = HEX[c as usize];
        bad |= d;
        v = (v << 4) | u128::from(d & 0x0F);
    }
    (bad < 0x10).then_some(v)
}

fn hash_bits(s: &str) -> u128 {
    let d = Sha256::digest(s.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    u128::from_be_bytes(b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn parses_ids() {
        let k = Key::parse("campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061").unwrap();
        assert_eq!(k.kind, Kind::Campaign);
        assert_eq!(k.bits(), 0x0c7b5b88_8ff7_4a4d_aa9d_feb398cd0061);
        assert_eq!(std::mem::size_of::<Key>(), 24);
        let a = Key::parse("identity--not-a-uuid").unwrap();
        let b = Key::parse("location--not-a-uuid").unwrap();
        assert_ne!(a, b);
        assert_eq!(Key::parse("x-mitre-tactic--8d151547-7423-5bac-bc2d-a6fd02afba29").unwrap().kind, Kind::Other);
        assert!(Key::parse("campaign").is_none());
        assert!(Key::parse("--abc").is_none());
        assert!(Key::parse("campaign--").is_none());
        assert_eq!(split_type("intrusion-set--a-b--c"), Some(("intrusion-set", "a-b--c")));
        assert_eq!(split_type("a-b-c"), None);
        assert_eq!(Key::parse("campaign--0C7B5B88-8FF7-4A4D-AA9D-FEB398CD0061").unwrap().bits(), k.bits());
        // A suffix of the right shape with a non-hex digit is hashed, not misread.
        let g = Key::parse("campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd006g").unwrap();
        assert_ne!(g.bits(), k.bits());
        assert_eq!(g, Key::parse("campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd006g").unwrap());
    }
}
