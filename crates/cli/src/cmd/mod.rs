pub mod actor;
pub mod args;
pub mod findings;
pub mod ingest;
pub mod kb;
pub mod quickstart;
pub mod share;
pub mod sql;
