//! Query parameters: one table per group (filters, policy, interval, endpoint-specific), used both
//! to parse a request and to describe the parameters in the OpenAPI document, so the two cannot
//! drift apart. Lists are comma-separated, as in the CLI (`vertical=software,cloud_hosting`).

use std::collections::BTreeMap;

use spyglass_analysis::{Filters, parse_assets, parse_verticals};
use spyglass_model::{IncidentType, Policy, SecondarySponsors, Sponsorship, Tlp};
use spyglass_stats::IntervalMethod;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Required, Schema};

use crate::error::ApiError;

/// What values a parameter takes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Bool,
    Int { min: i64, max: i64 },
    /// A number strictly between the bounds.
    Open { min: f64, max: f64 },
    Str,
    Enum(&'static [&'static str]),
    /// A string matching a regular expression.
    Pattern(&'static str),
}

/// One query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub doc: &'static str,
}

const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Spec {
    Spec { name, kind, required: false, doc }
}

const fn req(name: &'static str, kind: Kind, doc: &'static str) -> Spec {
    Spec { name, kind, required: true, doc }
}

const SPONSORSHIP_LIST: &str =
    r"^(state|state-affiliated|criminal|hacktivist|unknown)(,(state|state-affiliated|criminal|hacktivist|unknown))*$";
const VERTICAL_LIST: &str = r"^(tech|software|cloud_hosting|semiconductors|ai_research|telecom|hardware_electronics|other_tech|government|defence|finance|energy|health|transportation|manufacturing|education|research|media|civil_society|water|chemicals|food|space|retail|other)(,(tech|software|cloud_hosting|semiconductors|ai_research|telecom|hardware_electronics|other_tech|government|defence|finance|energy|health|transportation|manufacturing|education|research|media|civil_society|water|chemicals|food|space|retail|other))*$";
const ASSET_LIST: &str = r"^(any|model_weights|training_data|algorithms_code|ml_infrastructure)(,(any|model_weights|training_data|algorithms_code|ml_infrastructure))*$";
const TYPE_LIST: &str = r"^(data_theft|espionage|doxing|disruption|hijacking|ransomware|destruction|defacement|financial_theft|sabotage|other)(,(data_theft|espionage|doxing|disruption|hijacking|ransomware|destruction|defacement|financial_theft|sabotage|other))*$";
const CC: &str = r"^[A-Za-z]{2}$";
const CC_LIST: &str = r"^[A-Za-z]{2}(,[A-Za-z]{2})*$";
const YEAR: Kind = Kind::Int { min: 1, max: 9998 };

/// Which incidents (every finding and the incident list).
pub const FILTERS: &[Spec] = &[
    opt("state_sponsored", Kind::Bool, "Only incidents with at least one state sponsor under the policy"),
    opt("sponsorship", Kind::Pattern(SPONSORSHIP_LIST), "Only incidents attributed with one of these sponsorships"),
    opt("sponsor", Kind::Pattern(CC_LIST), "Only incidents with one of these state sponsors (ISO 3166-1 alpha-2)"),
    opt("vertical", Kind::Pattern(VERTICAL_LIST), "Only incidents against these verticals (`tech`: every technology vertical)"),
    opt("asset", Kind::Pattern(ASSET_LIST), "Only incidents after AI assets: `any` or a list"),
    opt("type", Kind::Pattern(TYPE_LIST), "Only incidents of these types"),
    opt("since", YEAR, "First year (incident start date), inclusive"),
    opt("until", YEAR, "Last year (incident start date), inclusive"),
    opt("source", Kind::Str, "Only incidents from these sources (names or ids, comma-separated)"),
];

/// The filters without `sponsor` (for endpoints where `sponsor` means one sponsor).
pub fn filters_but_sponsor() -> Vec<Spec> {
    FILTERS.iter().copied().filter(|s| s.name != "sponsor").collect()
}

/// What counts (every finding and the incident list).
pub const POLICY: &[Spec] = &[
    opt("min_confidence", Kind::Int { min: 0, max: 100 }, "Ignore attributions below this confidence"),
    opt("state_only", Kind::Bool, "Count only `state` as state sponsorship"),
    opt("kb_sponsors", Kind::Enum(&["off", "fill", "add"]), "Sponsors of actors resolved through the knowledge base"),
    opt("text_sponsors", Kind::Enum(&["off", "fill", "add"]), "Sponsors found in descriptions by text extraction"),
    opt("structured_only", Kind::Bool, "Use only structured verticals and assets"),
    opt("include_exercises", Kind::Bool, "Count exercises and red-team case studies as incidents"),
    opt("no_collapse", Kind::Bool, "Count every source's report of an operation separately"),
    opt(
        "duplicate_min_score",
        Kind::Pattern(r"^([0-9]|[1-9][0-9]|100|confirmed)$"),
        "Same-as candidates scoring at least this (0–100) count as one operation; `confirmed`: only confirmed pairs",
    ),
];

/// Interval method and level.
pub const INTERVAL: &[Spec] = &[
    opt("interval", Kind::Enum(&["wilson", "clopper-pearson", "bootstrap"]), "Interval method (default wilson)"),
    opt("level", Kind::Open { min: 0.0, max: 1.0 }, "Confidence level (default 0.95)"),
    opt("resamples", Kind::Int { min: 100, max: 20_000 }, "Bootstrap resamples (default 10000)"),
    opt("seed", Kind::Int { min: 0, max: i64::MAX }, "Bootstrap seed (default 0)"),
];

pub const DIMENSIONS: &[&str] = &["sponsor", "actor", "vertical", "asset", "type", "year"];
pub const PERIODS: &[&str] = &["year", "quarter"];

pub const SHARE: &[Spec] = &[
    opt("by", Kind::Enum(DIMENSIONS), "Break the share down by this (default sponsor)"),
    opt("sensitivity", Kind::Bool, "Also give the share under each policy variant"),
];
pub const TREND: &[Spec] = &[
    opt("by", Kind::Enum(PERIODS), "Period (default year)"),
    opt("sponsor", Kind::Pattern(CC), "Only incidents with this state sponsor"),
    opt("keep_partial", Kind::Bool, "Fit the last period even when the data stop before its end"),
    opt("level", Kind::Open { min: 0.0, max: 1.0 }, "Confidence level of the incidence-rate ratio interval"),
];
pub const COMPARE: &[Spec] = &[
    opt("by", Kind::Enum(&["sponsor", "actor", "vertical", "asset", "type"]), "Break down by this (default sponsor)"),
    req("period_a", Kind::Pattern(r"^[0-9]{4}:[0-9]{4}$"), "First period FROM:TO (years, inclusive)"),
    req("period_b", Kind::Pattern(r"^[0-9]{4}:[0-9]{4}$"), "Second period FROM:TO (years, inclusive)"),
];
pub const PRIORITIES: &[Spec] = &[
    req("sponsor", Kind::Pattern(CC), "The sponsor (ISO 3166-1 alpha-2)"),
    opt("by", Kind::Enum(PERIODS), "Period (default year)"),
    opt("target_asset", Kind::Pattern(ASSET_LIST), "What \"aimed at\" means: AI assets (`any` or a list; the default)"),
    opt("target_vertical", Kind::Pattern(VERTICAL_LIST), "…or victim verticals (not with target_asset)"),
];
pub const CLAIM: &[Spec] = &[
    req("claim", Kind::Str, "The claim, e.g. `CN share > 0.5`, `share(CN) >= 50%`, `CN > RU`"),
    opt("by", Kind::Enum(DIMENSIONS), "The dimension the claim's keys belong to (default sponsor)"),
];
pub const INCIDENTS: &[Spec] = &[
    opt("limit", Kind::Int { min: 1, max: 1000 }, "Page size (default 100)"),
    opt("offset", Kind::Int { min: 0, max: 1_000_000_000 }, "Rows to skip"),
];
pub const ACTORS: &[Spec] = &[opt("sponsor", Kind::Pattern(CC), "Only actors with this sponsor")];
pub const RESOLVE: &[Spec] = &[req("name", Kind::Str, "A group name, any vendor's")];
pub const EXTRACT: &[Spec] =
    &[opt("kind", Kind::Enum(&["auto", "text", "markdown", "html"]), "Input kind (default auto: HTML when it looks like HTML)")];
pub const INGEST: &[Spec] = &[
    req("filename", Kind::Pattern(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,199}$"), "The file's base name (used for format sniffing and provenance)"),
    opt(
        "format",
        Kind::Enum(&["auto", "eurepoc", "jsonl", "cfr", "veris", "misp", "atlas", "stix", "text"]),
        "Input format (default auto)",
    ),
    opt("strict", Kind::Bool, "Commit nothing when any record is bad"),
    opt("no_extract", Kind::Bool, "Do not extract text labels from descriptions"),
];

/// The parsed query string of one request: each name once.
#[derive(Debug, Default, Clone)]
pub struct Query {
    map: BTreeMap<String, String>,
}

impl Query {
    /// Parses `raw` and checks it against the allowed parameters: unknown or repeated names and
    /// values of the wrong kind are errors naming the parameter.
    pub fn parse(raw: Option<&str>, groups: &[&[Spec]]) -> Result<Query, ApiError> {
        let mut map = BTreeMap::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let Some(spec) = groups.iter().flat_map(|g| g.iter()).find(|s| s.name == k) else {
                let known: Vec<&str> = groups.iter().flat_map(|g| g.iter()).map(|s| s.name).collect();
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter {k:?} (expected one of: {})",
                    known.join(", ")
                )));
            };
            if map.contains_key(spec.name) {
                return Err(ApiError::bad_request(format!("query parameter {k:?} given twice")));
            }
            check(spec, &v)?;
            map.insert(spec.name.to_string(), v.into_owned());
        }
        for s in groups.iter().flat_map(|g| g.iter()) {
            if s.required && !map.contains_key(s.name) {
                return Err(ApiError::bad_request(format!("query parameter {:?} is required", s.name)));
            }
        }
        Ok(Query { map })
    }

    /// A query of one name and value (cache keys of path parameters).
    pub fn single(name: &str, value: &str) -> Query {
        Query { map: BTreeMap::from([(name.to_string(), value.to_string())]) }
    }

    /// A canonical form (sorted names) for cache keys.
    pub fn canonical(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.map {
            s.append_pair(k, v);
        }
        s.finish()
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.str(name) == Some("true")
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        self.str(name)
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default()
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|v| v.parse().ok())
    }

    pub fn num(&self, name: &str) -> Option<f64> {
        self.str(name).and_then(|v| v.parse().ok())
    }

    /// The slice filters.
    pub fn filters(&self) -> Result<Filters, ApiError> {
        let bad = |p: &str, e: String| ApiError::bad_request(format!("{p}: {e}"));
        let since = self.int("since").map(|v| v as i32);
        let until = self.int("until").map(|v| v as i32);
        if let (Some(a), Some(b)) = (since, until)
            && a > b
        {
            return Err(ApiError::bad_request(format!("since {a} is after until {b}")));
        }
        let sponsorship = self
            .list("sponsorship")
            .iter()
            .map(|s| s.parse::<Sponsorship>().map_err(|e| bad("sponsorship", e.to_string())))
            .collect::<Result<_, _>>()?;
        let types = self
            .list("type")
            .iter()
            .map(|s| s.parse::<IncidentType>().map_err(|e| bad("type", e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok(Filters {
            state_sponsored: self.flag("state_sponsored"),
            sponsorship,
            sponsors: self.list("sponsor").iter().map(|s| s.to_ascii_uppercase()).collect(),
            verticals: parse_verticals(&self.list("vertical")).map_err(|e| bad("vertical", e))?,
            assets: parse_assets(&self.list("asset")).map_err(|e| bad("asset", e))?,
            types,
            since,
            until,
            sources: self.list("source"),
        })
    }

    /// The policy, cleared for `clearance` (the token's; never a request parameter).
    pub fn policy(&self, clearance: Option<Tlp>) -> Result<Policy, ApiError> {
        let mut p = Policy { min_confidence: self.int("min_confidence").map(|v| v as u8), ..Policy::default() };
        if self.flag("state_only") {
            p.state_sponsorships = vec![Sponsorship::State];
        }
        if let Some(v) = self.str("kb_sponsors") {
            p.kb_sponsors = v.parse::<SecondarySponsors>().map_err(|e| ApiError::bad_request(format!("kb_sponsors: {e}")))?;
        }
        if let Some(v) = self.str("text_sponsors") {
            p.text_sponsors =
                v.parse::<SecondarySponsors>().map_err(|e| ApiError::bad_request(format!("text_sponsors: {e}")))?;
        }
        p.text_labels = !self.flag("structured_only");
        p.include_exercises = self.flag("include_exercises");
        p.collapse_duplicates = !self.flag("no_collapse");
        match self.str("duplicate_min_score") {
            None => {}
            Some("confirmed") => p.duplicate_min_score = None,
            Some(v) => p.duplicate_min_score = v.parse::<u8>().ok(),
        }
        p.tlp_clearance = clearance;
        Ok(p)
    }

    pub fn level(&self) -> f64 {
        self.num("level").unwrap_or(0.95)
    }

    pub fn interval(&self) -> Result<IntervalMethod, ApiError> {
        let name = self.str("interval").unwrap_or("wilson");
        let m: IntervalMethod = name.parse().map_err(|e| ApiError::bad_request(format!("interval: {e}")))?;
        Ok(match m {
            IntervalMethod::Bootstrap { .. } => IntervalMethod::Bootstrap {
                resamples: self.int("resamples").map_or(IntervalMethod::DEFAULT_RESAMPLES, |v| v as u32),
                seed: self.int("seed").map_or(IntervalMethod::DEFAULT_SEED, |v| v as u64),
            },
            other => other,
        })
    }
}

/// Checks one value against its kind.
fn check(spec: &Spec, v: &str) -> Result<(), ApiError> {
    let bad = |why: String| Err(ApiError::bad_request(format!("query parameter {:?}: {why}", spec.name)));
    match spec.kind {
        Kind::Bool => {
            if !matches!(v, "true" | "false") {
                return bad(format!("{v:?} is not true or false"));
            }
        }
        Kind::Int { min, max } => match v.parse::<i64>() {
            Ok(n) if n >= min && n <= max && !v.starts_with('+') => {}
            _ => return bad(format!("{v:?} is not an integer from {min} to {max}")),
        },
        Kind::Open { min, max } => match v.parse::<f64>() {
            Ok(x) if x > min && x < max => {}
            _ => return bad(format!("{v:?} is not a number strictly between {min} and {max}")),
        },
        Kind::Str => {
            if v.len() > 4096 {
                return bad("longer than 4096 bytes".into());
            }
        }
        Kind::Enum(values) => {
            if !values.contains(&v) {
                return bad(format!("{v:?} is not one of {}", values.join(", ")));
            }
        }
        Kind::Pattern(re) => {
            if !pattern_matches(re, v) {
                return bad(format!("{v:?} does not match {re}"));
            }
        }
    }
    Ok(())
}

/// Whether `v` matches one of the fixed patterns above (checked with `regex`, compiled once each).
fn pattern_matches(re: &str, v: &str) -> bool {
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<BTreeMap<String, regex::Regex>>> = LazyLock::new(|| Mutex::new(BTreeMap::new()));
    let Ok(mut cache) = CACHE.lock() else { return false };
    if !cache.contains_key(re) {
        match regex::Regex::new(re) {
            Ok(r) => {
                cache.insert(re.to_string(), r);
            }
            Err(_) => return false,
        }
    }
    cache.get(re).is_some_and(|r| r.is_match(v))
}

fn schema_of(kind: Kind) -> Schema {
    let b = ObjectBuilder::new();
    let b = match kind {
        Kind::Bool => b.schema_type(Type::Boolean),
        Kind::Int { min, max } => b.schema_type(Type::Integer).minimum(Some(min as f64)).maximum(Some(max as f64)),
        Kind::Open { min, max } => {
            b.schema_type(Type::Number).exclusive_minimum(Some(min)).exclusive_maximum(Some(max))
        }
        Kind::Str => b.schema_type(Type::String).max_length(Some(4096)),
        Kind::Enum(values) => b.schema_type(Type::String).enum_values(Some(values.iter().copied())),
        Kind::Pattern(re) => b.schema_type(Type::String).pattern(Some(re)),
    };
    Schema::Object(b.build())
}

/// OpenAPI parameters for groups of specs.
pub fn doc(groups: &[&[Spec]]) -> Vec<Parameter> {
    groups
        .iter()
        .flat_map(|g| g.iter())
        .map(|s| {
            ParameterBuilder::new()
                .name(s.name)
                .parameter_in(ParameterIn::Query)
                .required(if s.required { Required::True } else { Required::False })
                .description(Some(s.doc))
                .schema(Some(schema_of(s.kind)))
                .build()
        })
        .collect()
}

/// Marker types whose `IntoParams` lists an endpoint's parameters in the OpenAPI document.
macro_rules! param_doc {
    ($($name:ident => [$($group:expr),*];)*) => {$(
        #[derive(Debug)]
        pub struct $name;
        impl $name {
            pub fn groups() -> Vec<&'static [Spec]> { vec![$($group),*] }
        }
        impl utoipa::IntoParams for $name {
            fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                doc(&Self::groups())
            }
        }
    )*};
}

fn leak(v: Vec<Spec>) -> &'static [Spec] {
    Box::leak(v.into_boxed_slice())
}

/// `FILTERS` without `sponsor`, built once.
pub fn filters_no_sponsor() -> &'static [Spec] {
    use std::sync::LazyLock;
    static F: LazyLock<&'static [Spec]> = LazyLock::new(|| leak(filters_but_sponsor()));
    *F
}

param_doc! {
    ShareParams => [SHARE, FILTERS, POLICY, INTERVAL];
    TrendParams => [TREND, filters_no_sponsor(), POLICY];
    CompareParams => [COMPARE, FILTERS, POLICY];
    PrioritiesParams => [PRIORITIES, filters_no_sponsor(), POLICY, INTERVAL];
    ClaimParams => [CLAIM, FILTERS, POLICY, INTERVAL];
    IncidentsParams => [INCIDENTS, FILTERS, POLICY];
    ActorsParams => [ACTORS];
    ResolveParams => [RESOLVE];
    ExtractParams => [EXTRACT];
    IngestParams => [INGEST];
    ReportParams => [FILTERS, POLICY, INTERVAL];
    ExportParams => [FILTERS, POLICY];
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let g = ShareParams::groups();
        let q = Query::parse(Some("by=vertical&vertical=tech&since=2018&state_sponsored=true"), &g).unwrap();
        let f = q.filters().unwrap();
        assert!(f.state_sponsored && f.since == Some(2018) && !f.verticals.is_empty());
        assert!(Query::parse(Some("by=nope"), &g).is_err());
        assert!(Query::parse(Some("bogus=1"), &g).is_err());
        assert!(Query::parse(Some("since=2018&since=2019"), &g).is_err());
        assert!(Query::parse(Some("level=1"), &g).is_err());
        assert!(Query::parse(Some("vertical=software,,"), &g).is_err());
        assert!(Query::parse(Some("since=2020&until=2019"), &g).unwrap().filters().is_err());
        let c = ClaimParams::groups();
        assert!(Query::parse(None, &c).is_err(), "claim is required");
    }

    #[test]
    fn clearance_comes_from_the_caller_only() {
        let q = Query::parse(Some("state_only=true"), &ShareParams::groups()).unwrap();
        assert_eq!(q.policy(Some(Tlp::Green)).unwrap().tlp_clearance, Some(Tlp::Green));
    }

    #[test]
    fn trend_and_priorities_take_one_sponsor() {
        assert!(Query::parse(Some("sponsor=CN,RU"), &TrendParams::groups()).is_err());
        assert!(Query::parse(Some("sponsor=CN"), &PrioritiesParams::groups()).is_ok());
    }
}
