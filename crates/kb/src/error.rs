//! The crate's one error type. Messages are lowercase and name the input and the place in it.

use std::path::PathBuf;

/// Everything that can go wrong while loading claims or answering analyst commands.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON (or YAML) at all.
    #[error("{file} line {line} column {column}: not valid {format}: {reason}")]
    Syntax {
        file: String,
        format: &'static str,
        line: usize,
        column: usize,
        reason: String,
    },
    /// A value in a JSON document has the wrong shape.
    #[error("{file} {json_path}: {reason}")]
    Json {
        file: String,
        json_path: String,
        reason: String,
    },
    /// A row of a CSV overrides file is wrong.
    #[error("{file} line {line}: {reason}")]
    Csv {
        file: String,
        line: u64,
        reason: String,
    },
    /// The file is none of the formats this crate loads.
    #[error("{file}: {reason}")]
    UnknownFormat { file: String, reason: String },
    /// A claim read back from storage has a value this version does not understand.
    #[error("claim {record_ref} from {source_id}: {reason}")]
    BadClaim {
        source_id: String,
        record_ref: String,
        reason: String,
    },
    /// An analyst command named something the knowledge base does not know.
    #[error("no actor matches {name:?}")]
    UnknownActor { name: String },
    /// An analyst command named something that matches several actors.
    #[error("{name:?} matches several actors ({candidates}); name one by id")]
    AmbiguousActor { name: String, candidates: String },
    /// An analyst command that would do nothing.
    #[error("{reason}")]
    NoEffect { reason: String },
}
