//! The investor layer: listed companies, victim → company matching, exposure scores, event
//! studies, the threat premium and watch rules.
//!
//! Pure: no DataFusion, no Delta, no network. The CLI (`spyglass companies|exposure|event-study|
//! premium|watch`) reads the store and files and calls into this crate.
//!
//! | concern | module | entry points |
//! |---|---|---|
//! | companies | [`company`], [`load`] | [`Registry`], [`load::constituents`], [`load::edgar`], [`load::aliases`] |
//! | GICS / SIC → vertical | [`verticals`] | [`verticals::from_gics`], [`verticals::from_sic`] |
//! | matching | [`normalize`], [`matcher`] | [`Matcher::match_name`], [`Matcher::mentions`] |
//! | exposure | [`exposure`] | [`exposure::score`], [`exposure::portfolio`] |
//! | event study | [`prices`], [`event_study`] | [`event_study::run`] |
//! | threat premium | [`premium`] | [`premium::threat_premium`], [`premium::garwood`] |
//! | 8-K and watch rules | [`filings`], [`watch`] | [`filings::count_8k`], [`watch::evaluate`] |

pub mod company;
pub mod event_study;
pub mod exposure;
pub mod files;
pub mod filings;
pub mod load;
pub mod matcher;
pub mod normalize;
pub mod ols;
pub mod premium;
pub mod prices;
pub mod verticals;
pub mod watch;
mod words;

use std::path::PathBuf;

pub use company::{Company, NameEntry, NameKind, Registry};
pub use matcher::{Candidate, MatchContext, MatchResult, Matcher};

/// Errors of the investor layer; every message names the input and the place.
#[derive(Debug, thiserror::Error)]
pub enum MarketError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file whose content is wrong at a place (line, column, JSON path).
    #[error("{path} {place}: {reason}")]
    Invalid { path: PathBuf, place: String, reason: String },
    /// An argument outside the method's domain or data a method cannot use.
    #[error("{0}")]
    BadArgument(String),
    #[error(transparent)]
    Stats(#[from] spyglass_stats::StatsError),
}

impl MarketError {
    pub(crate) fn invalid(path: &std::path::Path, place: impl Into<String>, reason: impl Into<String>) -> Self {
        MarketError::Invalid { path: path.to_path_buf(), place: place.into(), reason: reason.into() }
    }
}
