//! Slice filters shared by findings, turned into SQL over the policy views.
//!
//! The filter grammar lives in `spyglass_model::query` (pure, fuzzed in `fuzz/`); this module keeps
//! the paths the rest of the workspace uses.

pub use spyglass_model::query::{
    AssetFilter, Filters, check_years, parse_assets, parse_sponsorships, parse_types, parse_verticals, parse_year_range,
    split_list,
};
