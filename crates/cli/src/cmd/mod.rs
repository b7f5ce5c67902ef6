pub mod actor;
pub mod ingest;
pub mod kb;
pub mod quickstart;
pub mod share;
pub mod sql;
