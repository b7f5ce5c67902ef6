//! Text → evidence: who did it, against whom, which AI assets, with the words that prove it.
//!
//! An [`Extractor`] is compiled once from the rule tables in [`rules`] and an actor dictionary
//! ([`ActorName`], plain data so this crate does not depend on the knowledge base), then reused for
//! many texts. [`Extractor::extract`] makes one Aho–Corasick pass over the text for every dictionary
//! word (actor aliases, sponsor cues, sector words, AI-asset phrases, CVE/technique/URL prefixes),
//! one `memchr` pass for IOC candidates, and then applies the context rules locally around each hit.
//!
//! Every label carries `start`/`end` byte offsets into the text it was given and `evidence`, which is
//! exactly `&text[start..end]`. HTML and Markdown are first reduced to text with [`html_to_text`] /
//! [`markdown_to_text`] (or [`TextInput::reduce`]); spans then refer to the reduced text.

mod asset;
mod automaton;
mod extractor;
mod firstword;
mod ids;
mod index;
mod ioc;
mod lexicon;
mod markup;
pub mod rules;
mod sponsor;
mod sponsor_words;
mod swar;
mod text;
mod vertical;

pub use extractor::{Extractor, ExtractorBuilder};
pub use markup::{TextInput, html_to_text, markdown_to_text};

use serde::Serialize;
use spyglass_model::{AiAsset, Sponsorship, Vertical};

/// One alias of the actor dictionary: `name` denotes actor `actor_id` (`actor_name`), sponsored by
/// `sponsor` (ISO 3166-1 alpha-2) if the knowledge base knows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorName {
    pub name: String,
    pub actor_id: String,
    pub actor_name: String,
    pub sponsor: Option<String>,
}

/// Errors building an [`Extractor`].
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("actor dictionary entry {index} ({actor_id:?}): {reason}")]
    BadActorName { index: usize, actor_id: String, reason: String },
    #[error("company registry entry {index} ({name:?}): {reason}")]
    BadCompany { index: usize, name: String, reason: String },
    #[error("could not compile the dictionary automaton: {0}")]
    Automaton(String),
}

/// An actor alias found in the text, resolved through the dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorMatch {
    /// The words as written in the text (`&text[start..end]`).
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// Canonical actor name.
    pub actor: String,
    pub actor_id: String,
    /// ISO alpha-2 sponsor from the dictionary.
    pub sponsor: Option<String>,
}

/// How a sponsor attribution was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SponsorBasis {
    /// A nation adjective/noun or capital in the attacker's position ("Chinese hackers").
    Nation,
    /// A state organ ("GRU", "PLA Unit 61398", "IRGC").
    Organ,
    /// An actor alias whose dictionary entry has a sponsor.
    Actor,
}

/// A sponsor attribution with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SponsorMention {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
    pub basis: SponsorBasis,
}

/// A sponsorship cue ("state-sponsored", "ransomware gang") with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SponsorshipCue {
    pub sponsorship: Sponsorship,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// A victim sector with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerticalMention {
    pub code: Vertical,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// An AI asset targeted, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetMention {
    pub category: AiAsset,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// An ATT&CK (`T1566.001`) or ATLAS (`AML.T0024.002`) technique id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TechniqueMention {
    /// Normalised id (upper case).
    pub id: String,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// A CVE id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveMention {
    /// Normalised id (`CVE-2019-20634`).
    pub id: String,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// Kinds of indicators of compromise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IocType {
    Ipv4,
    Ipv6,
    Domain,
    Url,
    Email,
    Md5,
    Sha1,
    Sha256,
}

/// An indicator; `value` is refanged (`hxxp` → `http`, `[.]` → `.`), `evidence` is as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ioc {
    #[serde(rename = "type")]
    pub kind: IocType,
    pub value: String,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

/// Everything found in one text. Serialises as the `spyglass extract --json` contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extraction {
    pub actors: Vec<ActorMatch>,
    /// Attributions, the best-supported country first (see `sponsor` module docs), then by position.
    pub sponsors: Vec<SponsorMention>,
    /// The best-supported sponsor country, if any.
    pub sponsor: Option<String>,
    /// True when the sponsorship wording says state or state-affiliated.
    pub state_sponsored: bool,
    pub sponsorship: Option<Sponsorship>,
    pub sponsorship_cues: Vec<SponsorshipCue>,
    /// The single best victim vertical (see `vertical` module docs for the tie-break).
    pub vertical: Option<Vertical>,
    pub verticals: Vec<VerticalMention>,
    pub ai_assets: Vec<AssetMention>,
    pub techniques: Vec<TechniqueMention>,
    pub cves: Vec<CveMention>,
    pub iocs: Vec<Ioc>,
}

impl Extraction {
    /// The distinct AI-asset categories found, in taxonomy order.
    pub fn asset_categories(&self) -> Vec<AiAsset> {
        let mut v: Vec<AiAsset> = self.ai_assets.iter().map(|a| a.category).collect();
        v.sort();
        v.dedup();
        v
    }
}
