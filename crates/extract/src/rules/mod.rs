//! Rules as data: the cue-word tables the extractor compiles, each with a short comment.
//!
//! Changing a rule means editing a table here; the logic in the crate's modules reads them.

pub mod actors;
pub mod asset;
pub mod context;
pub mod sponsor;
pub mod vertical;
